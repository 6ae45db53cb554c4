// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.ffm;

import io.github.posixsend.internal.PerThread;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;

/**
 * Each thread's last few heap segments over parts of Java arrays, for the calls that pass an array in place.
 * Making the segment at every call allocates it (and its slice) wherever the JIT does not inline the whole path; a
 * sender usually sends the same span of the same few arrays again, so each is made once. An entry is only weakly
 * referenced: it keeps no array alive, and after a collection the segment is made again.
 */
final class ArraySlices {
    private static final int SIZE = 4;
    private static final PerThread<ArraySlices> OF_THREAD = new PerThread<>(ArraySlices::new);

    /** One span of one array and its segment; reachable only through the weak reference between calls. */
    private record Entry(byte[] array, int offset, int length, MemorySegment slice) {
    }

    @SuppressWarnings("unchecked") // an array of a generic type cannot be made otherwise
    private final WeakReference<Entry>[] entries = new WeakReference[SIZE];
    private int next;

    private ArraySlices() {
    }

    /** {@code a[off .. off+len)} as a heap segment; the caller has checked the range. */
    static MemorySegment of(byte[] a, int off, int len) {
        return OF_THREAD.get().slice(a, off, len);
    }

    private MemorySegment slice(byte[] a, int off, int len) {
        for (int i = 0; i < SIZE; i++) {
            WeakReference<Entry> r = entries[i];
            Entry e = r == null ? null : r.get();
            if (e != null && e.array == a && e.offset == off && e.length == len) {
                return e.slice;
            }
        }
        MemorySegment s = MemorySegment.ofArray(a).asSlice(off, len);
        int i = next;
        next = (i + 1) & (SIZE - 1);
        entries[i] = new WeakReference<>(new Entry(a, off, len, s));
        return s;
    }
}

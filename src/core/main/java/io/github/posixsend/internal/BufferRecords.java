// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;

/**
 * What was found once about each direct buffer (how its memory reaches the kernel, the address of its index 0),
 * remembered because neither ever changes and finding them costs an allocation or a native call. The record made
 * last, by any thread, is checked first: a loop over one buffer finds it in one field, which touches less memory than
 * a table (on a machine whose system calls flush the TLB, every page counts). Then a table shared by all threads,
 * in sets of {@value #WAYS} chosen by the buffer's identity hash, so a pool of buffers used in turn (the buffers of
 * zero-copy sends in flight, a ring of receive buffers) is found too, not made again at every call. Both are
 * written only when a record is made, so threads that keep using their own buffers do not write by turns. Records
 * are immutable, so a racing reader sees a whole record or none, and a record lost to a racing writer is only made
 * again. Buffers are only weakly referenced: none, and so no native memory, is kept alive.
 */
public final class BufferRecords {
    /** Records per set: pools of up to this many buffers never evict one another, whatever their hashes. */
    private static final int WAYS = 4;
    /**
     * Sets in the table: 1024 records in all, 4 KiB of references, of which a lookup reads one cache line. A pool of
     * 16 buffers puts five in one set (and so remakes records) about once in a million pools.
     */
    private static final int SETS = 256;

    /** Finds what a record holds, for a buffer not seen lately. */
    public interface Finder {
        /**
         * Finds one buffer's record.
         *
         * @param direct a direct buffer
         * @return its record
         */
        Record find(ByteBuffer direct);
    }

    /** One buffer's record; immutable, so a thread that sees an older one sees it whole and right for its buffer. */
    public static final class Record extends WeakReference<ByteBuffer> {
        /** {@link DirectBuffers#BY_ADDRESS}, {@link DirectBuffers#CHECKED} or {@link DirectBuffers#STAGED}. */
        public final int treatment;
        /** The address of the buffer's index 0. */
        public final long base;

        /**
         * A record.
         *
         * @param buffer the buffer, weakly referenced
         * @param treatment how its memory reaches the kernel
         * @param base the address of its index 0
         */
        public Record(ByteBuffer buffer, int treatment, long base) {
            super(buffer);
            this.treatment = treatment;
            this.base = base;
        }
    }

    private final Finder finder;
    private final Record[] table = new Record[SETS * WAYS];
    private Record lastMade;

    /**
     * Records found by {@code finder}.
     *
     * @param finder finds a buffer's record the first time it is asked for (or after it was forgotten)
     */
    public BufferRecords(Finder finder) {
        this.finder = finder;
    }

    /**
     * The buffer's record.
     *
     * @param direct a direct buffer
     * @return its record, found now if not remembered
     */
    public Record of(ByteBuffer direct) {
        Record last = lastMade;
        return last != null && last.refersTo(direct) ? last : ofTable(direct);
    }

    /** The buffer's set in the table, and the finder when it is not there: kept out of the inlined path above. */
    private Record ofTable(ByteBuffer direct) {
        int set = (System.identityHashCode(direct) & (SETS - 1)) * WAYS;
        Record[] t = table;
        for (int i = set; i < set + WAYS; i++) {
            Record r = t[i];
            if (r != null && r.refersTo(direct)) {
                return r;
            }
        }
        Record made = finder.find(direct);
        // the set's oldest record goes
        System.arraycopy(t, set, t, set + 1, WAYS - 1);
        t[set] = made;
        lastMade = made;
        return made;
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;

/**
 * What was found once about each direct buffer (how its memory reaches the kernel, the address of its index 0),
 * remembered because neither ever changes and finding them costs an allocation or a native call. The record made
 * last, by any thread, is checked first: a loop over one buffer finds it in one field, which touches less memory than
 * a thread-local list (on a machine whose system calls flush the TLB, every page counts). It is written only when a
 * record is made, so threads that use different buffers do not write it by turns; then each thread's last few.
 * Buffers are only weakly referenced: none, and so no native memory, is kept alive.
 */
public final class BufferRecords {
    private static final int SIZE = 4;

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
    private final ThreadLocal<Record[]> recent = ThreadLocal.withInitial(() -> new Record[SIZE]);
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
        return last != null && last.refersTo(direct) ? last : ofThread(direct);
    }

    /** The thread's list, and the finder when the buffer is not in it: kept out of the inlined path above. */
    private Record ofThread(ByteBuffer direct) {
        Record[] mine = recent.get();
        for (Record r : mine) {
            if (r != null && r.refersTo(direct)) {
                return r;
            }
        }
        Record made = finder.find(direct);
        System.arraycopy(mine, 0, mine, 1, SIZE - 1);
        mine[0] = made;
        lastMade = made;
        return made;
    }
}

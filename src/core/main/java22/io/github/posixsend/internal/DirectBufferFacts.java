// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * {@link DirectBuffers}' facts on JDK 22 and later. A buffer's kind and address never change, so both are found once
 * per buffer ({@code MemorySegment.ofBuffer} makes a segment per call, which the JIT removes only where it inlines
 * the whole path) and remembered, weakly (no buffer, and so no native memory, is kept alive): the last facts made,
 * shared by all threads, then each thread's last few. A loop over the same buffers allocates nothing.
 */
final class DirectBufferFacts implements DirectBuffers.Facts {
    /**
     * The JDK's scope kinds that no thread can close: plain direct and mapped buffers (freed once unreachable), the
     * global arena, automatic arenas (freed once unreachable; the buffer references its segment and so its scope).
     * Any other, the shared arena above all and any kind a later JDK adds, is treated as closeable.
     */
    private static final Set<String> STAYING = Set.of("jdk.internal.foreign.GlobalSession",
            "jdk.internal.foreign.GlobalSession$HeapSession", "jdk.internal.foreign.ImplicitSession");
    /** A thread that never runs: a segment it cannot access is confined to one thread. */
    private static final Thread NO_THREAD = new Thread(() -> { }, "posix-send: never started");
    private static final int SIZE = 4;
    private static final ThreadLocal<Facts[]> RECENT = ThreadLocal.withInitial(() -> new Facts[SIZE]);
    /**
     * The facts made last, by any thread. Each call of a loop over one buffer finds them here, which touches less
     * memory than the thread's own list (on a machine whose system calls flush the TLB, every page counts). Facts are
     * immutable: a thread that sees older ones still gets right ones for their buffer. Written only when facts are
     * made, so threads that use different buffers do not write it by turns.
     */
    private static Facts lastMade;

    /** One buffer's facts; the buffer is only weakly referenced. */
    private static final class Facts extends WeakReference<ByteBuffer> {
        final int treatment;
        final long base;

        Facts(ByteBuffer buffer, int treatment, long base) {
            super(buffer);
            this.treatment = treatment;
            this.base = base;
        }
    }

    DirectBufferFacts() {
    }

    @Override
    public int treatment(ByteBuffer direct) {
        return of(direct).treatment;
    }

    @Override
    public long baseAddress(ByteBuffer direct) {
        return of(direct).base;
    }

    private static Facts of(ByteBuffer direct) {
        Facts last = lastMade;
        return last != null && last.refersTo(direct) ? last : ofThread(direct);
    }

    /** The thread's list, and the foreign API when the buffer is not in it: kept out of the inlined path above. */
    private static Facts ofThread(ByteBuffer direct) {
        Facts[] recent = RECENT.get();
        for (Facts f : recent) {
            if (f != null && f.refersTo(direct)) {
                return f;
            }
        }
        Facts made = find(direct);
        System.arraycopy(recent, 0, recent, 1, SIZE - 1);
        recent[0] = made;
        lastMade = made;
        return made;
    }

    /**
     * Asks the foreign API. A confined arena can be closed only by its owner thread, and a call over its memory runs
     * on that thread (any other gets the JDK's {@code WrongThreadException} when posix-send reads a byte first).
     */
    private static Facts find(ByteBuffer direct) {
        // a view of its own from index 0, whose position no other thread can move meanwhile
        MemorySegment whole = MemorySegment.ofBuffer(direct.duplicate().clear());
        int treatment;
        if (!whole.isAccessibleBy(NO_THREAD)) {
            treatment = DirectBuffers.CHECKED;
        } else if (STAYING.contains(whole.scope().getClass().getName())) {
            treatment = DirectBuffers.BY_ADDRESS;
        } else {
            treatment = DirectBuffers.STAGED;
        }
        return new Facts(direct, treatment, whole.address());
    }
}

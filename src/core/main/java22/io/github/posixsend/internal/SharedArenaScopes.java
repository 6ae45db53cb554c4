// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * {@link ArenaBuffers}' check on JDK 22 and later. A buffer's kind never changes, so the answer for each buffer is
 * remembered (weakly: no buffer is kept alive) and a loop over the same buffers asks the foreign API once per buffer:
 * the last answer made, shared by all threads, then each thread's last few.
 */
final class SharedArenaScopes implements ArenaBuffers.Check {
    /**
     * The JDK's scope kinds that no thread can close: plain direct and mapped buffers (freed once unreachable), the
     * global arena, automatic arenas (freed once unreachable; the buffer references its segment and so its scope).
     * Anything else, the shared arena above all and any kind a later JDK adds, is treated as closeable.
     */
    private static final Set<String> STAYING = Set.of("jdk.internal.foreign.GlobalSession",
            "jdk.internal.foreign.GlobalSession$HeapSession", "jdk.internal.foreign.ImplicitSession");
    /** A thread that never runs: a segment it cannot access is confined to one thread. */
    private static final Thread NO_THREAD = new Thread(() -> { }, "posix-send: never started");
    private static final int SIZE = 4;
    private static final ThreadLocal<Answer[]> RECENT = ThreadLocal.withInitial(() -> new Answer[SIZE]);
    /**
     * The answer made last, by any thread. Each call of a loop over one buffer finds it here, which touches less
     * memory than the thread's own list (on a machine whose system calls flush the TLB, every page counts). Answers
     * are immutable: a thread that sees an older one still gets a right answer for that one's buffer. Written only
     * when an answer is made, so threads that use different buffers do not write it by turns.
     */
    private static Answer lastMade;

    /** One buffer's answer; the buffer is only weakly referenced. */
    private static final class Answer extends WeakReference<ByteBuffer> {
        final boolean freeable;

        Answer(ByteBuffer buffer, boolean freeable) {
            super(buffer);
            this.freeable = freeable;
        }
    }

    SharedArenaScopes() {
    }

    @Override
    public boolean freeableElsewhere(ByteBuffer direct) {
        Answer last = lastMade;
        if (last != null && last.refersTo(direct)) {
            return last.freeable;
        }
        Answer[] recent = RECENT.get();
        for (Answer a : recent) {
            if (a != null && a.refersTo(direct)) {
                return a.freeable;
            }
        }
        Answer made = new Answer(direct, classify(direct));
        System.arraycopy(recent, 0, recent, 1, SIZE - 1);
        recent[0] = made;
        lastMade = made;
        return made.freeable;
    }

    /**
     * The answer for one buffer. A confined arena can be closed only by its owner thread, and a call over its memory
     * runs on that thread (any other gets the JDK's {@code WrongThreadException} when posix-send probes the buffer):
     * it cannot close the arena during the call.
     */
    static boolean classify(ByteBuffer direct) {
        MemorySegment s = MemorySegment.ofBuffer(direct);
        return s.isAccessibleBy(NO_THREAD) && !STAYING.contains(s.scope().getClass().getName());
    }
}

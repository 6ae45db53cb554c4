// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * {@link ArenaBuffers}' check on JDK 22 and later. A buffer's kind never changes, so each thread remembers the answer
 * for its last few buffers (weakly: no buffer is kept alive) and a loop over the same buffers asks the foreign API
 * once per buffer.
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
    private static final ThreadLocal<Recent> RECENT = ThreadLocal.withInitial(Recent::new);

    SharedArenaScopes() {
    }

    @Override
    public boolean freeableElsewhere(ByteBuffer direct) {
        return RECENT.get().freeableElsewhere(direct);
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

    private static final class Recent {
        @SuppressWarnings("unchecked") // an array of a generic type cannot be made otherwise
        private final WeakReference<ByteBuffer>[] buffers = new WeakReference[SIZE];
        private final boolean[] answers = new boolean[SIZE];
        private int next;

        boolean freeableElsewhere(ByteBuffer direct) {
            for (int i = 0; i < SIZE; i++) {
                WeakReference<ByteBuffer> r = buffers[i];
                if (r != null && r.get() == direct) {
                    return answers[i];
                }
            }
            boolean answer = classify(direct);
            int i = next;
            next = (i + 1) & (SIZE - 1);
            buffers[i] = new WeakReference<>(direct);
            answers[i] = answer;
            return answer;
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * {@link DirectBuffers}' facts on JDK 22 and later, asked of the foreign API once per buffer ({@code
 * MemorySegment.ofBuffer} makes a segment per call, which the JIT removes only where it inlines the whole path) and
 * remembered in {@link BufferRecords}. A loop over the same buffers allocates nothing.
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
    private static final BufferRecords RECORDS = new BufferRecords(DirectBufferFacts::find);

    DirectBufferFacts() {
    }

    @Override
    public int treatment(ByteBuffer direct) {
        return RECORDS.of(direct).treatment;
    }

    @Override
    public long baseAddress(ByteBuffer direct) {
        return RECORDS.of(direct).base;
    }

    /**
     * Asks the foreign API. A confined arena can be closed only by its owner thread, and a call over its memory runs
     * on that thread (any other gets the JDK's {@code WrongThreadException} when posix-send reads a byte first).
     */
    private static BufferRecords.Record find(ByteBuffer direct) {
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
        return new BufferRecords.Record(direct, treatment, whole.address());
    }
}

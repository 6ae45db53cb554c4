// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * {@link DirectBuffers}' facts on JDK 22 and later, asked of the foreign API once per buffer and remembered in
 * {@link BufferRecords}: a loop over the same buffers allocates nothing. The API is reached through method handles
 * found at run time, so that every build of the jar has the check on every JDK that has the API, also one built on
 * JDK 17 (which lacks the multi-release classes) or whose classes run from a folder: without it, a shared arena's
 * buffer would go to the kernel by address, and another thread could free it during the call.
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

    private static final MethodHandle OF_BUFFER;
    private static final MethodHandle IS_ACCESSIBLE_BY;
    private static final MethodHandle SCOPE;
    private static final MethodHandle ADDRESS;
    private static final BufferRecords RECORDS = new BufferRecords(DirectBufferFacts::find);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> scopeType = Class.forName("java.lang.foreign.MemorySegment$Scope");
            OF_BUFFER = l.findStatic(segment, "ofBuffer", MethodType.methodType(segment, Buffer.class))
                    .asType(MethodType.methodType(Object.class, ByteBuffer.class));
            IS_ACCESSIBLE_BY = l.findVirtual(segment, "isAccessibleBy",
                    MethodType.methodType(boolean.class, Thread.class))
                    .asType(MethodType.methodType(boolean.class, Object.class, Thread.class));
            SCOPE = l.findVirtual(segment, "scope", MethodType.methodType(scopeType))
                    .asType(MethodType.methodType(Object.class, Object.class));
            ADDRESS = l.findVirtual(segment, "address", MethodType.methodType(long.class))
                    .asType(MethodType.methodType(long.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
        try {
            // a view of its own from index 0, whose position no other thread can move meanwhile
            Object whole = (Object) OF_BUFFER.invokeExact(direct.duplicate().clear());
            int treatment;
            if (!(boolean) IS_ACCESSIBLE_BY.invokeExact(whole, NO_THREAD)) {
                treatment = DirectBuffers.CHECKED;
            } else if (STAYING.contains(((Object) SCOPE.invokeExact(whole)).getClass().getName())) {
                treatment = DirectBuffers.BY_ADDRESS;
            } else {
                treatment = DirectBuffers.STAGED;
            }
            return new BufferRecords.Record(direct, treatment, (long) ADDRESS.invokeExact(whole));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("posix-send: the foreign API failed to describe a direct buffer", t);
        }
    }
}

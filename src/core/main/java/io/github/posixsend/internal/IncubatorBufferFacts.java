// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * {@link DirectBuffers}' facts on JDK 17, where the foreign API is the incubator module
 * {@code jdk.incubator.foreign}, there only when the program adds it ({@code --add-modules}): a direct buffer over a
 * shared resource scope's segment can then be freed by {@code ResourceScope.close()} from any thread, as a shared
 * arena's later. The module's public API says enough: a scope with an owner thread is confined; an implicit one
 * (also the global scope's, and a plain buffer's) is never closed while the buffer is reachable; any other can be
 * closed by any thread (JDK 18's incubator has no {@code isImplicit}, and its implicit scopes can be closed: it is
 * not asked). Reached through method handles, since posix-send is built without the module; remembered per
 * buffer in {@link BufferRecords}, so a loop over the same buffers allocates nothing.
 */
final class IncubatorBufferFacts implements DirectBuffers.Facts {
    private static final MethodHandle OF_BYTE_BUFFER;
    private static final MethodHandle SCOPE;
    private static final MethodHandle OWNER_THREAD;
    private static final MethodHandle IS_IMPLICIT;
    private static final BufferRecords RECORDS = new BufferRecords(IncubatorBufferFacts::find);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Class<?> segment = Class.forName("jdk.incubator.foreign.MemorySegment");
            Class<?> scope = Class.forName("jdk.incubator.foreign.ResourceScope");
            OF_BYTE_BUFFER = l.findStatic(segment, "ofByteBuffer", MethodType.methodType(segment, ByteBuffer.class))
                    .asType(MethodType.methodType(Object.class, ByteBuffer.class));
            SCOPE = l.findVirtual(segment, "scope", MethodType.methodType(scope))
                    .asType(MethodType.methodType(Object.class, Object.class));
            OWNER_THREAD = l.findVirtual(scope, "ownerThread", MethodType.methodType(Thread.class))
                    .asType(MethodType.methodType(Thread.class, Object.class));
            IS_IMPLICIT = l.findVirtual(scope, "isImplicit", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    IncubatorBufferFacts() {
    }

    @Override
    public int treatment(ByteBuffer direct) {
        return RECORDS.of(direct).treatment;
    }

    @Override
    public long baseAddress(ByteBuffer direct) {
        throw new UnsupportedOperationException("a direct buffer's address is read this way only on JDK 22+");
    }

    private static BufferRecords.Record find(ByteBuffer direct) {
        try {
            Object scope = (Object) SCOPE.invokeExact((Object) OF_BYTE_BUFFER.invokeExact(direct.duplicate().clear()));
            int treatment = (Thread) OWNER_THREAD.invokeExact(scope) != null ? DirectBuffers.CHECKED
                    : (boolean) IS_IMPLICIT.invokeExact(scope) ? DirectBuffers.BY_ADDRESS : DirectBuffers.STAGED;
            return new BufferRecords.Record(direct, treatment, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("posix-send: the incubating foreign API failed to describe a direct buffer",
                    t);
        }
    }
}

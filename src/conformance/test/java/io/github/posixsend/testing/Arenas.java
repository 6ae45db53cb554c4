// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import java.nio.ByteBuffer;

/**
 * {@code java.lang.foreign} arenas and buffers over their memory, for tests on JDK 22 and later. The tests compile
 * for 17, where that API is not final, so it is reached by reflection.
 */
public final class Arenas {
    private Arenas() {
    }

    /** Whether this JDK has the final foreign API. */
    public static boolean available() {
        return Runtime.version().feature() >= 22;
    }

    /**
     * A new arena from {@code Arena}'s factory of that name ({@code ofShared}, {@code ofConfined}, {@code ofAuto},
     * {@code global}); close one that can be closed with {@code ((AutoCloseable) arena).close()}.
     */
    public static Object arena(String factory) throws ReflectiveOperationException {
        return Class.forName("java.lang.foreign.Arena").getMethod(factory).invoke(null);
    }

    /** {@code MemorySegment.NULL.asByteBuffer()}: an empty direct buffer at address 0. */
    public static ByteBuffer nullBuffer() throws ReflectiveOperationException {
        Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
        return (ByteBuffer) segment.getMethod("asByteBuffer").invoke(segment.getField("NULL").get(null));
    }

    /** A buffer over {@code size} new bytes of {@code arena}. */
    public static ByteBuffer buffer(Object arena, long size) throws ReflectiveOperationException {
        Object segment = Class.forName("java.lang.foreign.Arena").getMethod("allocate", long.class)
                .invoke(arena, size);
        return (ByteBuffer) Class.forName("java.lang.foreign.MemorySegment").getMethod("asByteBuffer").invoke(segment);
    }
}

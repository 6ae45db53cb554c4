// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Direct memory that can be given back when its owner says so, not only when the collector finds it, so that code
 * which closes what it made stays within its memory even with {@code -XX:+DisableExplicitGC}.
 *
 * <p>Before JDK 22 a block is a direct buffer, counted against {@code -XX:MaxDirectMemorySize} as any is, and
 * {@code sun.misc.Unsafe.invokeCleaner} runs its own cleaner when it is given back (there is no public way to free
 * one; JDK 22+ deprecates that call and JDK 24+ warns of it). On JDK 22 and later a block is a segment of its own
 * shared {@code java.lang.foreign.Arena} ({@link ArenaMemory}): closed when given back, or kept for the next block of
 * its size ({@link BlockPool}), since closing a shared arena costs tens of microseconds; and closed by a
 * {@link Cleaner} when its block is dropped, the collector asked to run when the bytes of such blocks pass what the
 * JDK would allow direct buffers.
 *
 * <p>After {@link Block#free} the buffer must not be touched: the caller drops every reference to it first.
 */
public final class DirectMemory {
    private static final ArenaMemory ARENAS = ArenaMemory.find();
    private static final MethodHandle INVOKE_CLEANER = ARENAS == null ? unsafeInvokeCleaner() : null;

    private DirectMemory() {
    }

    /** A piece of direct memory and what frees it. */
    public static final class Block {
        private final ByteBuffer buffer;
        private final Cleaner.Cleanable arena;
        private final BlockPool pool;
        private boolean freed;

        Block(ByteBuffer buffer, Cleaner.Cleanable arena, BlockPool pool) {
            this.buffer = buffer;
            this.arena = arena;
            this.pool = pool;
        }

        /** {@return the memory, as a direct buffer in big-endian order, position 0, limit its capacity} */
        public ByteBuffer buffer() {
            return buffer;
        }

        int capacity() {
            return buffer.capacity();
        }

        /**
         * Gives the memory back now (idempotent): freed, or on JDK 22+ kept for another block of its size. The
         * wrapper is not reused, so a second call through it cannot give back memory that has another owner since.
         */
        public void free() {
            if (freed) {
                return;
            }
            freed = true;
            if (arena != null) {
                ArenaMemory.giveBack(buffer, arena, pool);
            } else if (INVOKE_CLEANER != null) {
                try {
                    INVOKE_CLEANER.invokeExact(buffer);
                } catch (Throwable e) {
                    throw new IllegalStateException("freeing direct memory failed", e);
                }
            }
        }
    }

    /**
     * {@code size} bytes of zeroed direct memory, 16-byte aligned.
     *
     * @param size the bytes
     * @return the block, which its caller frees
     * @throws IllegalCallerException when the caller is not posix-send's own code
     */
    public static Block allocate(int size) {
        // a block's owner frees it and must drop the buffer first: only the library's code is trusted to
        LibraryCallers.require(DirectMemory.class, "freeable direct memory");
        if (ARENAS != null) {
            return ARENAS.allocate(size);
        }
        return new Block(ByteBuffer.allocateDirect(size), null, null);
    }

    /** {@code Unsafe.invokeCleaner(ByteBuffer)} as a handle, or null where {@code jdk.unsupported} is absent. */
    private static MethodHandle unsafeInvokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field f = unsafeClass.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object unsafe = f.get(null);
            return MethodHandles.publicLookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(unsafe);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // the collector still frees the memory
        }
    }
}

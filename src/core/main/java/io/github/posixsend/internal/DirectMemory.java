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
 * Direct memory that can be freed when its owner says so, not only when the collector finds it, so that code which
 * closes what it made stays within {@code -XX:MaxDirectMemorySize} even with {@code -XX:+DisableExplicitGC}.
 *
 * <p>On JDK 22 and later a block is a segment of its own shared {@code java.lang.foreign.Arena}, closed on
 * {@link Block#free} (a {@link Cleaner} closes it if the block is dropped first). Earlier JDKs have no public
 * way to free a direct buffer: there {@code sun.misc.Unsafe.invokeCleaner} runs the buffer's own cleaner (it is
 * not called on JDK 22+, where it is deprecated and prints a warning). The foreign API is reached through method
 * handles because the library compiles for Java 17.
 *
 * <p>After {@link Block#free} the buffer must not be touched: the caller drops every reference to it first.
 */
public final class DirectMemory {
    private static final int ALIGN = 16;
    private static final Foreign FOREIGN = Foreign.find();
    private static final MethodHandle INVOKE_CLEANER = FOREIGN == null ? unsafeInvokeCleaner() : null;

    private DirectMemory() {
    }

    /** A piece of direct memory and what frees it. */
    public static final class Block {
        private final ByteBuffer buffer;
        private final Cleaner.Cleanable arena;
        private boolean freed;

        private Block(ByteBuffer buffer, Cleaner.Cleanable arena) {
            this.buffer = buffer;
            this.arena = arena;
        }

        /** {@return the memory, as a direct buffer in big-endian order, position 0, limit its capacity} */
        public ByteBuffer buffer() {
            return buffer;
        }

        int capacity() {
            return buffer.capacity();
        }

        /** Frees the memory now (idempotent). */
        public void free() {
            if (freed) {
                return;
            }
            freed = true;
            if (arena != null) {
                arena.clean();
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
        if (FOREIGN != null) {
            return FOREIGN.allocate(size);
        }
        return new Block(ByteBuffer.allocateDirect(size), null);
    }

    /** The JDK 22+ foreign memory API, or null before JDK 22. */
    private static final class Foreign {
        private static final Cleaner CLEANER = Cleaner.create();
        private final MethodHandle ofShared;
        private final MethodHandle allocate;
        private final MethodHandle asByteBuffer;
        private final MethodHandle close;

        private Foreign(MethodHandle ofShared, MethodHandle allocate, MethodHandle asByteBuffer, MethodHandle close) {
            this.ofShared = ofShared;
            this.allocate = allocate;
            this.asByteBuffer = asByteBuffer;
            this.close = close;
        }

        static Foreign find() {
            if (Runtime.version().feature() < 22) {
                return null;
            }
            try {
                MethodHandles.Lookup l = MethodHandles.publicLookup();
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                MethodType objectToObject = MethodType.methodType(Object.class, Object.class);
                return new Foreign(
                        l.findStatic(arena, "ofShared", MethodType.methodType(arena))
                                .asType(MethodType.methodType(Object.class)),
                        l.findVirtual(arena, "allocate", MethodType.methodType(segment, long.class, long.class))
                                .asType(MethodType.methodType(Object.class, Object.class, long.class, long.class)),
                        l.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class))
                                .asType(MethodType.methodType(ByteBuffer.class, Object.class)),
                        l.findVirtual(arena, "close", MethodType.methodType(void.class))
                                .asType(objectToObject.changeReturnType(void.class)));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        Block allocate(int size) {
            try {
                Object a = (Object) ofShared.invokeExact();
                Object segment = (Object) allocate.invokeExact(a, (long) size, (long) ALIGN);
                ByteBuffer buffer = (ByteBuffer) asByteBuffer.invokeExact(segment);
                // the action holds the arena, never the block, so that an unreachable block is cleaned
                return new Block(buffer, CLEANER.register(buffer, new Closer(close, a)));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Closes one arena, once. */
    private static final class Closer implements Runnable {
        private final MethodHandle close;
        private final Object arena;

        Closer(MethodHandle close, Object arena) {
            this.close = close;
            this.arena = arena;
        }

        @Override
        public void run() {
            try {
                close.invokeExact(arena);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
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

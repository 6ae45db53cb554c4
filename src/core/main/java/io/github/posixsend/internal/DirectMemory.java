// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Direct memory that can be given back when its owner says so, not only when the collector finds it, so that code
 * which closes what it made stays within {@code -XX:MaxDirectMemorySize} even with {@code -XX:+DisableExplicitGC}.
 *
 * <p>Blocks of a power-of-two size from 4 KiB to {@value #POOLED_MAX} bytes (every plan a message or batch keeps
 * between calls) are direct buffers, counted against {@code -XX:MaxDirectMemorySize} on every JDK, so that blocks
 * never given back (messages never closed) make the JDK collect them as it does for any direct buffer. A block
 * given back is kept for the next allocation of its size, up to {@value #POOL_BYTES} bytes of each size: a message
 * made and closed for every call reuses the same memory. Beyond that it is freed where a direct buffer can be freed
 * (before JDK 22, by its own cleaner through {@code sun.misc.Unsafe.invokeCleaner}, which JDK 22+ deprecates and
 * JDK 24+ warns of) and left to the collector elsewhere.
 *
 * <p>Larger blocks (one call's staging) are freed when given back: on JDK 22 and later each is a segment of its own
 * shared {@code java.lang.foreign.Arena}, closed on {@link Block#free} (a {@link Cleaner} closes it if the block is
 * dropped first); closing a shared arena costs tens of microseconds, which is why the kept sizes are pooled instead.
 * Before JDK 22 {@code invokeCleaner} frees them. The foreign API is reached through method handles because the
 * library compiles for Java 17.
 *
 * <p>After {@link Block#free} the buffer must not be touched: the caller drops every reference to it first.
 */
public final class DirectMemory {
    /** The largest block kept for reuse when given back. */
    public static final int POOLED_MAX = 256 * 1024;
    /** The bytes of blocks of each size kept for reuse, at most (and at least two blocks). */
    static final int POOL_BYTES = 256 * 1024;
    private static final int POOLED_MIN = 4096;
    private static final int ALIGN = 16;
    private static final Foreign FOREIGN = Foreign.find();
    private static final MethodHandle INVOKE_CLEANER = FOREIGN == null ? unsafeInvokeCleaner() : null;
    private static final Pool[] POOLS = Pool.forEachSize();

    private DirectMemory() {
    }

    /** A piece of direct memory and what frees it. */
    public static final class Block {
        private final ByteBuffer buffer;
        private final Cleaner.Cleanable arena;
        private final Pool pool;
        private boolean freed;

        private Block(ByteBuffer buffer, Cleaner.Cleanable arena, Pool pool) {
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

        /** Gives the memory back now, for reuse or freed (idempotent). */
        public void free() {
            if (freed) {
                return;
            }
            freed = true;
            if (arena != null) {
                arena.clean();
            } else if ((pool == null || !pool.keep(buffer)) && INVOKE_CLEANER != null) {
                try {
                    INVOKE_CLEANER.invokeExact(buffer);
                } catch (Throwable e) {
                    throw new IllegalStateException("freeing direct memory failed", e);
                }
            }
        }
    }

    /**
     * {@code size} bytes of zeroed direct memory, aligned at least as {@code malloc} aligns (16 bytes on the 64-bit
     * platforms served).
     *
     * @param size the bytes
     * @return the block, which its caller frees
     * @throws IllegalCallerException when the caller is not posix-send's own code
     */
    public static Block allocate(int size) {
        // a block's owner frees it and must drop the buffer first: only the library's code is trusted to
        LibraryCallers.require(DirectMemory.class, "freeable direct memory");
        Pool pool = Pool.of(size);
        if (pool != null) {
            ByteBuffer kept = pool.take();
            return new Block(kept != null ? kept : ByteBuffer.allocateDirect(size), null, pool);
        }
        if (FOREIGN != null) {
            return FOREIGN.allocate(size);
        }
        return new Block(ByteBuffer.allocateDirect(size), null, null);
    }

    /** The blocks of one size given back and not yet taken again. */
    private static final class Pool {
        private static final byte[] ZEROS = new byte[POOLED_MIN];
        private final ByteBuffer[] kept;
        private int count;

        private Pool(int size) {
            kept = new ByteBuffer[Math.max(2, POOL_BYTES / size)];
        }

        static Pool[] forEachSize() {
            Pool[] pools = new Pool[Integer.numberOfTrailingZeros(POOLED_MAX / POOLED_MIN) + 1];
            for (int i = 0; i < pools.length; i++) {
                pools[i] = new Pool(POOLED_MIN << i);
            }
            return pools;
        }

        /** The pool of blocks of {@code size} bytes, or null when blocks of that size are not kept. */
        static Pool of(int size) {
            if (size < POOLED_MIN || size > POOLED_MAX || Integer.bitCount(size) != 1) {
                return null;
            }
            return POOLS[Integer.numberOfTrailingZeros(size / POOLED_MIN)];
        }

        /** A kept buffer, zeroed and in its allocated state (position 0, limit its capacity, big-endian), or null. */
        ByteBuffer take() {
            ByteBuffer b;
            synchronized (this) {
                if (count == 0) {
                    return null;
                }
                b = kept[--count];
                kept[count] = null;
            }
            b.clear().order(ByteOrder.BIG_ENDIAN);
            for (int off = 0; off < b.capacity(); off += ZEROS.length) {
                b.put(off, ZEROS, 0, Math.min(ZEROS.length, b.capacity() - off));
            }
            return b;
        }

        /** Keeps {@code b} for a later {@link #take}; false when this size's share is full. */
        synchronized boolean keep(ByteBuffer b) {
            if (count == kept.length) {
                return false;
            }
            kept[count++] = b;
            return true;
        }
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
                return new Block(buffer, CLEANER.register(buffer, new Closer(close, a)), null);
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

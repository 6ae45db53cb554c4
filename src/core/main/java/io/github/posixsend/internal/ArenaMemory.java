// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link DirectMemory}'s blocks on JDK 22 and later: each a segment of its own shared {@code java.lang.foreign.Arena},
 * reached through method handles because the library compiles for Java 17.
 *
 * <p>Arena memory is not counted against {@code -XX:MaxDirectMemorySize}, and nothing tells the collector that a
 * small unreachable object holds it: blocks whose owners are dropped unclosed would pile up until a collection
 * happened to run (100,000 messages and as many batches never closed reached 678 MB resident with a 64 MB heap). So
 * the bytes of blocks not given back are counted here, and when they pass the JDK's default bound for direct memory
 * (the maximum heap size), {@code System.gc()} is asked for and the caller waits while the cleaner closes the arenas
 * it found, as the JDK does for direct buffers; the next request then comes half that bound above what is still held.
 * Unlike the JDK, nothing is refused: a caller that holds that much stays as fast, less one collection per half bound
 * it grows, and one that drops what it makes goes at the cleaner's pace (a shared arena's close, about 50 us here).
 */
final class ArenaMemory {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int ALIGN = 16;
    /** The most a collection request waits for the cleaners, and how long without progress ends the wait. */
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long BOUND = Runtime.getRuntime().maxMemory();
    /** Bytes of the blocks owners hold: neither kept in a {@link BlockPool} nor closed. */
    private static final AtomicLong HELD = new AtomicLong();
    private static final Object COLLECTING = new Object();
    private static final MethodHandle ADD_AND_GET = addAndGet();
    private static volatile long collectAbove = BOUND;

    private final MethodHandle ofShared;
    private final MethodHandle allocate;
    private final MethodHandle asByteBuffer;
    private final MethodHandle close;

    private ArenaMemory(MethodHandle ofShared, MethodHandle allocate, MethodHandle asByteBuffer, MethodHandle close) {
        this.ofShared = ofShared;
        this.allocate = allocate;
        this.asByteBuffer = asByteBuffer;
        this.close = close;
    }

    /** The JDK 22+ foreign memory API, or null before JDK 22. */
    static ArenaMemory find() {
        if (Runtime.version().feature() < 22) {
            return null;
        }
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Class<?> arena = Class.forName("java.lang.foreign.Arena");
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            return new ArenaMemory(
                    l.findStatic(arena, "ofShared", MethodType.methodType(arena))
                            .asType(MethodType.methodType(Object.class)),
                    l.findVirtual(arena, "allocate", MethodType.methodType(segment, long.class, long.class))
                            .asType(MethodType.methodType(Object.class, Object.class, long.class, long.class)),
                    l.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class))
                            .asType(MethodType.methodType(ByteBuffer.class, Object.class)),
                    l.findVirtual(arena, "close", MethodType.methodType(void.class))
                            .asType(MethodType.methodType(void.class, Object.class)));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static MethodHandle addAndGet() {
        try {
            return MethodHandles.publicLookup().findVirtual(AtomicLong.class, "addAndGet",
                    MethodType.methodType(long.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A block of {@code size} zeroed bytes: a kept one of that size, or a new arena's. */
    DirectMemory.Block allocate(int size) {
        if (HELD.get() + size > collectAbove) {
            collect();
        }
        BlockPool pool = BlockPool.of(size);
        DirectMemory.Block kept = pool == null ? null : pool.take();
        if (kept != null) {
            return kept;
        }
        HELD.addAndGet(size);
        try {
            Object a = (Object) ofShared.invokeExact();
            Cleaner.Cleanable cleanable;
            ByteBuffer buffer;
            try {
                Object segment = (Object) allocate.invokeExact(a, (long) size, (long) ALIGN);
                buffer = (ByteBuffer) asByteBuffer.invokeExact(segment);
                // the action holds the arena, never the block, so that an unreachable block is cleaned
                cleanable = CLEANER.register(buffer, closer(a, size));
            } catch (Throwable e) {
                close.invokeExact(a); // nothing else will: no action was registered
                throw e;
            }
            return new DirectMemory.Block(buffer, cleanable, pool);
        } catch (RuntimeException | Error e) {
            HELD.addAndGet(-size);
            throw e;
        } catch (Throwable e) {
            HELD.addAndGet(-size);
            throw new IllegalStateException(e);
        }
    }

    /** Keeps a given-back block for another owner, or closes its arena when its size's room is full. */
    static void giveBack(ByteBuffer buffer, Cleaner.Cleanable arena, BlockPool pool) {
        if (pool == null || !pool.keep(buffer, arena)) {
            arena.clean(); // its action takes it off what is held
        }
    }

    /** Notes that a block of {@code bytes} went from the pool to an owner (or, negative, back). */
    static void moved(long bytes) {
        HELD.addAndGet(bytes);
    }

    /**
     * Asks for a collection and waits, at most {@link #WAIT_NANOS}, while the cleaners it set going close arenas,
     * until half the bound is left or they stop for {@link #IDLE_NANOS}. An interrupt does not end the wait, which
     * alone slows a thread that drops what it makes to the pace of the cleaner: it is kept for the caller.
     */
    private static void collect() {
        synchronized (COLLECTING) {
            if (HELD.get() <= collectAbove) {
                return; // another thread's request came first
            }
            boolean interrupted = Thread.interrupted();
            try {
                System.gc();
                long start = System.nanoTime();
                long lastProgress = start;
                long last = HELD.get();
                while (last > BOUND / 2) {
                    long now = System.nanoTime();
                    if (now - start > WAIT_NANOS || now - lastProgress > IDLE_NANOS) {
                        break;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    interrupted |= Thread.interrupted(); // else the next park would not wait
                    long held = HELD.get();
                    if (held < last) {
                        last = held;
                        lastProgress = System.nanoTime();
                    }
                }
                collectAbove = Math.max(BOUND, HELD.get() + BOUND / 2);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * The cleaning action of a block: closes its arena, then takes its bytes off what is held, however the close
     * ended. Made of the JDK's own classes only (a method handle proxy over {@code Arena.close} and
     * {@code AtomicLong.addAndGet}, bound to the arena): a kept block stays registered with the cleaner after its
     * owner is gone, and an action of a class of posix-send's would keep its class loader from being unloaded.
     */
    private Runnable closer(Object arena, int size) {
        MethodHandle release = MethodHandles.insertArguments(ADD_AND_GET, 0, HELD, (long) -size)
                .asType(MethodType.methodType(void.class));
        MethodHandle closeThenRelease = MethodHandles.tryFinally(close.bindTo(arena),
                MethodHandles.dropArguments(release, 0, Throwable.class));
        return MethodHandleProxies.asInterfaceInstance(Runnable.class, closeThenRelease);
    }
}

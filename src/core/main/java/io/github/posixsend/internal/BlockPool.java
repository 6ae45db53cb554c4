// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Arena blocks of one size given back and not yet taken again ({@link ArenaMemory}): a message or batch made and
 * closed for every call takes the same memory each time, where closing its shared arena would cost tens of
 * microseconds. Only the power-of-two sizes from {@value #SMALLEST} to {@value #LARGEST} bytes are kept (every plan a
 * message or batch keeps between calls), {@value #BYTES_PER_SIZE} bytes of each at most and two blocks at least:
 * 2 MiB in all. What is kept is outside {@code -XX:MaxDirectMemorySize}, as arena memory is.
 */
final class BlockPool {
    static final int SMALLEST = 4096;
    static final int LARGEST = 256 * 1024;
    static final int BYTES_PER_SIZE = 256 * 1024;
    private static final BlockPool[] POOLS = forEachSize();
    private static final byte[] ZEROS = new byte[SMALLEST];

    private final int size;
    private final ByteBuffer[] buffers;
    private final Cleaner.Cleanable[] arenas;
    private int count;

    private BlockPool(int size) {
        this.size = size;
        int room = Math.max(2, BYTES_PER_SIZE / size);
        buffers = new ByteBuffer[room];
        arenas = new Cleaner.Cleanable[room];
    }

    private static BlockPool[] forEachSize() {
        BlockPool[] pools = new BlockPool[Integer.numberOfTrailingZeros(LARGEST / SMALLEST) + 1];
        for (int i = 0; i < pools.length; i++) {
            pools[i] = new BlockPool(SMALLEST << i);
        }
        return pools;
    }

    /** The pool of blocks of {@code size} bytes, or null when blocks of that size are not kept. */
    static BlockPool of(int size) {
        if (size < SMALLEST || size > LARGEST || Integer.bitCount(size) != 1) {
            return null;
        }
        return POOLS[Integer.numberOfTrailingZeros(size / SMALLEST)];
    }

    /**
     * A kept block in a new wrapper, its memory zeroed and its buffer as allocated (position 0, limit its capacity,
     * big-endian), or null when none is kept.
     */
    DirectMemory.Block take() {
        ByteBuffer b;
        Cleaner.Cleanable arena;
        synchronized (this) {
            if (count == 0) {
                return null;
            }
            // counted first: the steps after it call nothing, so none can fail between the two
            ArenaMemory.moved(size);
            count--;
            b = buffers[count];
            arena = arenas[count];
            buffers[count] = null;
            arenas[count] = null;
        }
        b.clear().order(ByteOrder.BIG_ENDIAN);
        for (int off = 0; off < b.capacity(); off += ZEROS.length) {
            b.put(off, ZEROS, 0, Math.min(ZEROS.length, b.capacity() - off));
        }
        return new DirectMemory.Block(b, arena, this);
    }

    /** Keeps the block of {@code b} and {@code arena} for a later {@link #take}; false when its size's room is full. */
    synchronized boolean keep(ByteBuffer b, Cleaner.Cleanable arena) {
        if (count == buffers.length) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (buffers[i] == b) {
                throw new IllegalStateException("a block was given back twice");
            }
        }
        ArenaMemory.moved(-size); // as in take, counted before the steps that cannot fail
        buffers[count] = b;
        arenas[count] = arena;
        count++;
        return true;
    }
}

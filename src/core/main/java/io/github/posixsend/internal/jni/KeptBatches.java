// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A thread's memory where the shim keeps the structs it built for the thread's last batch sent, or received: a head the
 * shim writes, then an area the structs are built in, sized by need. A thread starts with no area, so its first batch
 * is built in memory of the call's own, and the shim notes in the head the bytes the batch wanted; before the next call
 * that note is read, and when the area is smaller (and the batch not larger than {@link #MOST} allows) the memory is
 * replaced by one that holds it, zeroed by the JDK, so that this call builds the batch there and keeps it. Growing
 * before a call rather than after one means an {@link OutOfMemoryError} is thrown before anything is sent or received,
 * never after the kernel took a batch. A thread that sends batches of 8 keeps 2 KiB of area, one of 256 up to 64 KiB,
 * as a C program keeps its {@code mmsghdr} array. A class of this library's, so that the thread's map holds it only
 * weakly ({@link io.github.posixsend.internal.PerThread}) and the memory goes with the backend that made it.
 */
final class KeptBatches {
    /** The largest area kept; a batch whose structs need more is built again at every call, in memory of its own. */
    static final int MOST = 1 << 20;
    /** The smallest area made. */
    private static final int LEAST = 1024;
    /** The alignment, the head's bytes and the offset of the wanted bytes in it ({@link JniNative#keptLayout0}). */
    private final int align;
    private final int head;
    private final int wantedAt;
    /** The direct buffer handed to the shim with each batch call (aligned; native byte order). */
    private ByteBuffer memory;
    /** The bytes of its area. */
    private int area;

    /**
     * Memory laid out as {@code layout} ({@link JniNative#keptLayout0}) says, with at least {@code area} bytes of area
     * (the backend starts each thread's with none).
     */
    KeptBatches(int[] layout, int area) {
        this.align = layout[0];
        this.head = layout[1];
        this.wantedAt = layout[2];
        this.memory = allocate(area);
    }

    /**
     * The memory to hand to the next call: made anew first when the batch the shim built last wanted more area than
     * there is, and no more than {@link #MOST}.
     *
     * @throws OutOfMemoryError when that memory cannot be had
     */
    ByteBuffer memory() {
        int wanted = wanted();
        if (wanted > area && wanted <= MOST) {
            memory = allocate(Math.max(LEAST, Integer.highestOneBit(wanted - 1) << 1));
        }
        return memory;
    }

    /** The bytes of the area the shim may build in. */
    int area() {
        return area;
    }

    /** The bytes of area the batch the shim built last wanted, as it noted them; 0 before its first. */
    int wanted() {
        return memory.getInt(wantedAt);
    }

    /**
     * A zeroed buffer that starts at a multiple of {@link #align} and holds the head, at least {@code bytes} of area
     * and one more unit the shim leaves alone, so no other memory shares a cache line with what it writes.
     */
    private ByteBuffer allocate(int bytes) {
        int units = (bytes + align - 1) / align * align;
        ByteBuffer b = ByteBuffer.allocateDirect(head + units + 2 * align - 1).alignedSlice(align);
        area = b.capacity() - head - align;
        return b.order(ByteOrder.nativeOrder());
    }
}

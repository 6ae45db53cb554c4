// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import io.github.posixsend.internal.PowerOfTwo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntFunction;

/**
 * A thread's memory where the shim keeps the structs it built for the thread's last batch sent, or received: a head the
 * shim writes, then an area the structs are built in, sized by need. A thread starts with no area, so its first batch
 * is built in memory of the call's own, and the shim notes in the head the bytes the batch wanted; before the next call
 * that note is read, and when the area is smaller (and the batch not larger than {@link #MOST} allows) the memory is
 * replaced by one that holds it, zeroed by the JDK, so that this call builds the batch there and keeps it. The area
 * only saves building the batch again, so memory refused for it is done without (the call builds its batch in memory of
 * its own, as the first did): no call fails for want of it. A thread that sends batches of 8 keeps 2 KiB of area, one
 * of 256 up to 64 KiB, as a C program keeps its {@code mmsghdr} array. A class of this library's, so that the thread's
 * map holds it only weakly ({@link io.github.posixsend.internal.PerThread}) and the memory goes with the backend that
 * made it.
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
    /** Makes a direct buffer of the given bytes ({@link ByteBuffer#allocateDirect} but in tests). */
    private final IntFunction<ByteBuffer> allocateDirect;
    /** The bytes wanted when memory was last refused, or 0: memory for no more than that is not asked for again. */
    private int refusedFor;
    /** The direct buffer handed to the shim with each batch call (aligned; native byte order). */
    private ByteBuffer memory;
    /** The bytes of its area. */
    private int area;

    /**
     * Memory laid out as {@code layout} ({@link JniNative#keptLayout0}) says, with at least {@code area} bytes of area
     * (the backend starts each thread's with none).
     */
    KeptBatches(int[] layout, int area) {
        this(layout, area, ByteBuffer::allocateDirect);
    }

    /** As {@link #KeptBatches(int[], int)}, its memory made by {@code allocateDirect}. */
    KeptBatches(int[] layout, int area, IntFunction<ByteBuffer> allocateDirect) {
        this.align = layout[0];
        this.head = layout[1];
        this.wantedAt = layout[2];
        this.allocateDirect = allocateDirect;
        this.memory = allocate(area);
    }

    /**
     * The memory to hand to the next call: made anew first when the batch the shim built last wanted more area than
     * there is, and no more than {@link #MOST}; when that memory is refused, the memory there was, and the same need
     * is not asked for again (each refusal of direct memory waits for the collector first, for up to about a second).
     */
    ByteBuffer memory() {
        int wanted = wanted();
        if (wanted > area && wanted <= MOST && wanted > refusedFor) {
            try {
                memory = allocate(Math.max(LEAST, PowerOfTwo.atLeast(wanted)));
            } catch (OutOfMemoryError e) {
                refusedFor = wanted;
            }
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
        ByteBuffer b = allocateDirect.apply(head + units + 2 * align - 1).alignedSlice(align);
        area = b.capacity() - head - align;
        return b.order(ByteOrder.nativeOrder());
    }
}

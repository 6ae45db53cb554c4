// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.internal.ErrorQueueRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * Native memory for one thread's calls: a small control area for a sockaddr, its length and int results, and a data
 * area that heap arrays are copied into, so a call the kernel may block in never sees the Java heap. Both are direct
 * buffers made once per thread (the data area grows by need up to {@value #MAX_CACHED} bytes); larger data is copied
 * through memory allocated for that call. Nothing here is shared between threads, so no call locks.
 */
final class NativeScratch {
    /** Offset of the sockaddr in the control area; room for a {@code sockaddr_storage}. */
    static final int SA = 0;
    /**
     * Offset of an int option's value read by {@code getsockopt}: the sockaddr's room, so a handler that writes more
     * than the 4 bytes it is given spends the rest there, short of {@link #OPTLEN}.
     */
    static final int OPTION_INT = SA;
    /** Offset of a {@code socklen_t} in the control area. */
    static final int SALEN = 128;
    /** Offset of two ints (a socketpair's or a pipe's descriptors, an option's value). */
    static final int INTS = 136;
    /** Offset of an {@code off_t} ({@code sendfile}'s offset): the two ints' room, 8-aligned. */
    static final int OFF_T = INTS;
    /** Offset of a {@code socklen_t} for an option's length. */
    static final int OPTLEN = 144;
    /** Offset of a {@code struct msghdr} (56 bytes at most), or of a {@code struct mmsghdr} (64 at most). */
    static final int MSG = 152;
    /** Offset of two {@code struct iovec}s (16 bytes each). */
    static final int IOV = 216;
    /** Offset of one control message with a value payload ({@code CMSG_SPACE(sizeof(int))}, 24 bytes at most). */
    static final int CMSG = 248;
    /** The control space of an error-queue read ({@link LibcMessages#recvErrqueue}). */
    static final int ERRQ = 272;
    private static final int CONTROL_SIZE = ERRQ + ErrorQueueRecord.CONTROL_SPACE;
    /** The largest data area kept for the thread's next call. */
    static final int MAX_CACHED = 1 << 20;

    private final CLibrary c;
    /** Lets go of other threads' scratch that the collector found unused; true when some went. */
    private final BooleanSupplier letGoOfEnded;
    /** The control area, in the host's byte order. */
    final ByteBuffer control;
    /** Its native address. */
    final long controlAddress;
    private ByteBuffer data;
    private long dataAddress;

    /**
     * A thread's scratch, made by its backend on the thread's first call; {@code letGoOfEnded} lets go of the scratch
     * of threads that ended, when the data area cannot grow.
     */
    NativeScratch(CLibrary c, BooleanSupplier letGoOfEnded) {
        this.c = c;
        this.letGoOfEnded = letGoOfEnded;
        control = ByteBuffer.allocateDirect(CONTROL_SIZE).order(ByteOrder.nativeOrder());
        controlAddress = c.addressOf(control);
        data = ByteBuffer.allocateDirect(256); // grown by need: a thread that sends small arrays keeps little
        dataAddress = c.addressOf(data);
    }

    /**
     * The address of at least {@code len} bytes of this thread's data area, or 0 when {@code len} is above
     * {@link #MAX_CACHED} (the caller then uses {@link CLibrary#allocate}).
     */
    long data(int len) {
        if (len > data.capacity()) {
            if (len > MAX_CACHED) {
                return 0;
            }
            int size = Math.min(MAX_CACHED, Math.max(len, data.capacity() * 2));
            ByteBuffer grown;
            try {
                grown = ByteBuffer.allocateDirect(size);
            } catch (OutOfMemoryError e) {
                // the collection that failed it may have found the scratch of threads that ended, held until let go
                if (!letGoOfEnded.getAsBoolean()) {
                    throw e;
                }
                grown = ByteBuffer.allocateDirect(size);
            }
            long grownAddress = c.addressOf(grown);
            // both or neither: a lookup that fails (a StackOverflowError deep in it) must not leave the old address
            // beside the new buffer, the old one then unreachable and freed while calls still hand it to the kernel
            data = grown;
            dataAddress = grownAddress;
        }
        return dataAddress;
    }

    /**
     * Copies {@code a[off .. off+len)} into the data area at {@code address} (from {@link #data} or
     * {@link CLibrary#allocate}).
     */
    void copyIn(long address, byte[] a, int off, int len) {
        if (address == dataAddress) {
            data.put(0, a, off, len);
        } else {
            c.copyIn(address, a, off, len);
        }
    }

    /** Copies {@code len} bytes at {@code address} back into {@code a[off ..]}. */
    void copyOut(long address, byte[] a, int off, int len) {
        if (address == dataAddress) {
            data.get(0, a, off, len);
        } else {
            c.copyOut(address, a, off, len);
        }
    }

    /** Copies a sockaddr image into the control area. */
    void putSockaddr(byte[] sa, int salen) {
        control.put(SA, sa, 0, salen);
    }

    /** Copies {@code n} bytes of the sockaddr the kernel wrote back into {@code out}. */
    void getSockaddr(byte[] out, int n) {
        control.get(SA, out, 0, n);
    }
}

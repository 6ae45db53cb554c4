// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.ErrnoException;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import io.github.posixsend.WouldBlockException;
import java.nio.ByteBuffer;

/** Bounded socket chores the probes share: filling a send buffer, polling for data, draining a queue. */
final class Io {
    private Io() {
    }

    /** The C name of the errno in a non-throwing call's {@code -errno} result. */
    static String errnoName(int negative) {
        Errno e = Errno.fromNumber(-negative);
        return e != null ? e.name() : "errno " + (-negative);
    }

    /** The errno name an exception carries, or its class name when it is not an {@link ErrnoException}. */
    static String errnoName(Exception e) {
        if (e instanceof ErrnoException) {
            Errno errno = ((ErrnoException) e).errno();
            return errno != null ? errno.name() : "errno " + ((ErrnoException) e).errnoNumber();
        }
        return e.getClass().getSimpleName();
    }

    /** What {@link #fill} wrote. */
    static final class Fill {
        /** Bytes the kernel accepted before the first would-block. */
        long total;
        /** Send calls that accepted something. */
        int calls;
        /** The first count smaller than the chunk, or -1 when every call took a whole chunk. */
        int firstPartial = -1;
        /** True when the fill stopped at would-block, false when it stopped at the byte cap. */
        boolean wouldBlock;
        /** The running total after each call that accepted something, for the buffer-fill chart. */
        final Samples cumulative = new Samples(64);
    }

    /**
     * Sends {@code chunk}-byte pieces on a non-blocking stream until the kernel reports would-block or
     * {@code cap} bytes went. Any other error is thrown.
     */
    static Fill fill(ProbeContext ctx, int fd, int chunk, long cap) throws Exception {
        ByteBuffer buf = ByteBuffer.allocateDirect(chunk);
        Fill f = new Fill();
        while (f.total < cap) {
            ctx.checkDeadline("filling the send buffer");
            buf.clear();
            int n = Posix.trySend(fd, buf, 0);
            if (n < 0) {
                if (-n == Errno.EAGAIN.number()) {
                    f.wouldBlock = true;
                    return f;
                }
                throw ErrnoException.of("send", -n);
            }
            if (n < chunk && f.firstPartial < 0) {
                f.firstPartial = n;
            }
            f.total += n;
            f.calls++;
            f.cumulative.add(f.total);
        }
        return f;
    }

    /**
     * Receives once without blocking longer than {@code timeoutMillis} (or the deadline): the socket is polled
     * with {@code MSG_DONTWAIT} in 1 ms steps. Returns the count (stored bytes are in {@code into} from 0), or -1
     * when nothing came.
     */
    static int receive(ProbeContext ctx, int fd, ByteBuffer into, int flags, long timeoutMillis) throws Exception {
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        while (true) {
            into.clear();
            try {
                return Posix.recv(fd, into, flags | dontwait);
            } catch (WouldBlockException e) {
                if (System.nanoTime() - end > 0 || ctx.expired()) {
                    return -1;
                }
                Thread.sleep(1);
            }
        }
    }

    /** Receives whatever is queued without waiting; returns {datagrams or reads, bytes}. */
    static long[] drain(ProbeContext ctx, int fd, int max) throws Exception {
        return drain(ctx, fd, ByteBuffer.allocateDirect(max));
    }

    /** The most reads one drain makes: far more datagrams than any receive buffer here holds. */
    private static final int MAX_DRAIN_READS = 1 << 20;

    /** {@link #drain(ProbeContext, int, int)} into a buffer the caller reuses, for drains inside timing loops. */
    static long[] drain(ProbeContext ctx, int fd, ByteBuffer buf) throws Exception {
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        long reads = 0;
        long bytes = 0;
        // bounded in count too: a peer that keeps sending would otherwise hold the drain until the deadline
        while (!ctx.expired() && reads < MAX_DRAIN_READS) {
            buf.clear();
            try {
                int n = Posix.recv(fd, buf, dontwait);
                if (n == 0) {
                    break;
                }
                reads++;
                bytes += n;
            } catch (WouldBlockException e) {
                break;
            }
        }
        return new long[] {reads, bytes};
    }
}

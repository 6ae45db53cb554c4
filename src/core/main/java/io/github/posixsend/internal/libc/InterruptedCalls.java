// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.Errno;
import io.github.posixsend.Os;
import io.github.posixsend.internal.ConstantTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Whether a call a signal interrupted ({@code EINTR}) runs again, as the shim's {@code ps_eintr.c} decides. Without a
 * socket timeout it does, as java.nio's calls do. With one ({@code SO_RCVTIMEO} for the calls that wait to receive,
 * {@code SO_SNDTIMEO} for those that wait to send) the kernel never restarts the call, and running it again starts
 * the whole timeout again: signals arriving more often than the timeout would keep the call waiting for good. So a
 * timed call runs again only until its timeout has passed since the first interruption, then fails with
 * {@code EAGAIN}, as the timeout's expiry does.
 *
 * <p>A call keeps what {@link #again} returns in a {@code long}, from {@link #FIRST}; nothing is allocated before an
 * interruption.
 */
final class InterruptedCalls {
    /** Before the first interruption: the socket's timeout not asked yet. */
    static final long FIRST = Long.MIN_VALUE;
    /** No timeout (or not a socket): run again. */
    private static final long UNTIMED = Long.MIN_VALUE + 1;
    /** The timeout has passed since the first interruption: stop, with {@code EAGAIN}. */
    static final long EXPIRED = Long.MIN_VALUE + 2;

    private final CLibrary c;
    private final int solSocket;
    private final int soSndtimeo;
    private final int soRcvtimeo;
    private final int timevalSize;
    private final int timevalSec;
    private final int timevalUsec;
    private final int tvSecSize;
    private final int tvUsecSize;
    private final int eagain;

    InterruptedCalls(CLibrary c, Os os) {
        this.c = c;
        this.solSocket = ConstantTable.value("SOL_SOCKET", os);
        this.soSndtimeo = ConstantTable.value("SO_SNDTIMEO", os);
        this.soRcvtimeo = ConstantTable.value("SO_RCVTIMEO", os);
        this.timevalSize = ConstantTable.value("SIZEOF_TIMEVAL", os);
        this.timevalSec = ConstantTable.value("OFFSETOF_TIMEVAL_SEC", os);
        this.timevalUsec = ConstantTable.value("OFFSETOF_TIMEVAL_USEC", os);
        this.tvSecSize = ConstantTable.value("SIZEOF_TV_SEC", os);
        this.tvUsecSize = ConstantTable.value("SIZEOF_TV_USEC", os); // NetBSD's is an int
        this.eagain = Errno.EAGAIN.numberOn(os);
    }

    /**
     * After a call on {@code fd} failed with {@code EINTR}: what to keep for the next interruption, or
     * {@link #EXPIRED} when the call is not to run again.
     *
     * @param fd the descriptor the call was made on
     * @param sending whether the call waits to send ({@code SO_SNDTIMEO}) rather than to receive
     *     ({@code SO_RCVTIMEO})
     * @param kept {@link #FIRST}, or what the last call of this returned
     * @return what to keep, or {@link #EXPIRED}
     */
    long again(int fd, boolean sending, long kept) {
        if (kept == FIRST) {
            long timeout = timeoutNanos(fd, sending ? soSndtimeo : soRcvtimeo);
            // a deadline of System.nanoTime()'s, which lies far from the three markers above
            kept = timeout <= 0 ? UNTIMED : System.nanoTime() + timeout;
        }
        return kept != UNTIMED && System.nanoTime() - kept >= 0 ? EXPIRED : kept;
    }

    /** {@return the result of a call that stopped: -EAGAIN when {@code kept} is {@link #EXPIRED}, else {@code n}} */
    long result(long kept, long n) {
        return kept == EXPIRED ? -eagain : n;
    }

    /**
     * The socket timeout {@code option} of {@code fd} in nanoseconds: 0 for none, or when it cannot be read. In memory
     * of its own, not the thread's scratch, which holds the interrupted call's message and staged bytes for its retry.
     */
    private long timeoutNanos(int fd, int option) {
        long p = c.allocate(timevalSize + 8L); // the timeval, then its socklen_t
        if (p == 0) {
            return 0;
        }
        try {
            byte[] room = new byte[timevalSize + 8];
            ByteBuffer b = ByteBuffer.wrap(room).order(ByteOrder.nativeOrder()).putInt(timevalSize, timevalSize);
            c.copyIn(p, room, 0, room.length);
            if (c.getsockopt(fd, solSocket, option, p, p + timevalSize) != 0) {
                return 0;
            }
            c.copyOut(p, room, 0, room.length);
            if (b.getInt(timevalSize) != timevalSize) {
                return 0;
            }
            long sec = tvSecSize == 8 ? b.getLong(timevalSec) : b.getInt(timevalSec);
            long usec = tvUsecSize == 8 ? b.getLong(timevalUsec) : b.getInt(timevalUsec);
            if (sec < 0 || sec > Long.MAX_VALUE / 2_000_000_000L) {
                return 0;
            }
            return sec * 1_000_000_000L + (usec >= 0 && usec < 1_000_000 ? usec * 1000 : 0);
        } finally {
            c.free(p);
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Linux's transmit times: {@code SO_TXTIME} set and read as a {@link SockTxtime}, and {@code SCM_TXTIME} on
 * {@code sendmsg}, which the kernel takes only from a socket with the option set. Loopback's {@code noqueue} device
 * holds no packet for its time, so a datagram timed ten seconds ahead arrives at once.
 */
class TxtimeTest {

    @Test
    void theOptionIsSetAndReadAsASockTxtime() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_TXTIME is Linux's");
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            assertEquals(new SockTxtime(0, 0), Posix.getsockoptTxtime(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME),
                    "never set");
            SockTxtime set = new SockTxtime(Posix.CLOCK_MONOTONIC,
                    Posix.SOF_TXTIME_DEADLINE_MODE | Posix.SOF_TXTIME_REPORT_ERRORS);
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME, set);
            assertEquals(set, Posix.getsockoptTxtime(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME));
            // the same bytes as C's struct sock_txtime: clockid, then flags
            byte[] raw = new byte[8];
            assertEquals(8, Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME, raw));
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
            assertEquals(Posix.CLOCK_MONOTONIC, b.getInt(0));
            assertEquals(set.flags(), b.getInt(4));

            // a flag Linux does not know
            InvalidArgumentException bad = assertThrows(InvalidArgumentException.class, () -> Posix.setsockopt(fd,
                    Posix.SOL_SOCKET, Posix.SO_TXTIME, new SockTxtime(Posix.CLOCK_MONOTONIC, 1 << 30)));
            assertTrue(bad.getMessage().startsWith("setsockopt(SOL_SOCKET, SO_TXTIME): EINVAL"), bad.getMessage());
            // another clock needs CAP_NET_ADMIN
            try {
                Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME, new SockTxtime(Posix.CLOCK_TAI, 0));
                assertEquals(Posix.CLOCK_TAI, Posix.getsockoptTxtime(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME).clockid());
            } catch (ErrnoException e) {
                assertEquals(Errno.EPERM, e.errno(), e.getMessage());
            }
            assertThrows(NullPointerException.class,
                    () -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME, (SockTxtime) null));
        }
    }

    @Test
    void aTimedSendNeedsTheOptionAndLoopbackSendsItAtOnce() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SCM_TXTIME is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            long tenSecondsAhead = System.nanoTime() + 10_000_000_000L;
            ControlMessage when = ControlMessage.txtime(tenSecondsAhead);
            assertEquals(ControlMessage.Kind.TXTIME, when.kind());
            assertEquals(ControlMessage.space(ControlMessage.Kind.TXTIME), when.space());
            ByteBuffer payload = ByteBuffer.wrap(new byte[] {7});
            try (Message m = Message.of(payload).addControl(when)) {
                InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                        () -> Posix.sendmsg(p.a, m, 0), "no SO_TXTIME on the socket");
                assertTrue(e.getMessage().startsWith("sendmsg: EINVAL"), e.getMessage());
                Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TXTIME, new SockTxtime(Posix.CLOCK_MONOTONIC, 0));
                assertEquals(1, Posix.sendmsg(p.a, m.rewind(), 0));
            }
            assertArrayEquals(new byte[] {7}, SocketIo.receive(p.b, 8, 2000), "arrived within 2 s, not 10");
            // SCM_TXTIME is a uint64_t: another length is refused
            try (Message m = Message.of(ByteBuffer.wrap(new byte[] {8}))
                    .addControl(ControlMessage.raw(Posix.SOL_SOCKET, Posix.SCM_TXTIME, new byte[4]))) {
                ErrnoException e = assertThrows(ErrnoException.class, () -> Posix.sendmsg(p.a, m, 0));
                assertTrue(Set.of(Errno.EINVAL).contains(e.errno()), e.getMessage());
            }
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.Loopback;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The paths inside a backend that the other tests touch least: data larger than the per-thread copy area,
 * truncated datagrams, the sender's address from recvfrom for each family, disconnecting, options and blocking
 * mode, and a NIO channel's descriptor. Runs on both backends (the jnr-conformance run repeats it on JNR).
 */
class BackendPathsTest {
    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    @Test
    void arraysLargerThanTheCopyAreaGoWhole() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 4 << 20);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 4 << 20);
            Posix.setBlocking(p.a, false);
            byte[] data = pattern(3 << 20); // above the 1 MiB kept per thread: copied through memory of its own
            int sent = Posix.send(p.a, data, 0, data.length, 0);
            assertTrue(sent > 0 && sent <= data.length, "sent " + sent);
            byte[] got = new byte[(2 << 20) + 5];
            int total = 0;
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            for (int round = 0; round < 10_000 && total < sent; round++) {
                try {
                    total += Posix.recv(p.b, got, total, Math.min(got.length - total, sent - total), dontwait);
                } catch (WouldBlockException e) {
                    Thread.sleep(1);
                }
                if (total == got.length) {
                    break;
                }
            }
            int n = Math.min(total, Math.min(sent, got.length));
            assertTrue(n > 1 << 20, "received " + n);
            assertArrayEquals(Arrays.copyOf(data, n), Arrays.copyOf(got, n));
        }
    }

    @Test
    void truncatedDatagramsReportTheirLength() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            byte[] data = pattern(100);
            assertEquals(100, Posix.send(p.a, data, 0, 100, 0));
            byte[] small = new byte[12];
            Arrays.fill(small, (byte) -1);
            int n = Posix.recv(p.b, small, 1, 10, MsgFlag.MSG_TRUNC.value());
            assertEquals(100, n, "MSG_TRUNC: the datagram's real length");
            assertArrayEquals(Arrays.copyOf(data, 10), Arrays.copyOfRange(small, 1, 11));
            assertEquals(-1, small[0]);
            assertEquals(-1, small[11], "nothing written past the range");
        }
    }

    @Test
    void recvfromNamesTheSenderInEachFamily() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            for (boolean v6 : new boolean[] {false, true}) {
                int rx = fds.boundUdp(v6);
                int tx = fds.boundUdp(v6);
                Posix.sendto(tx, ByteBuffer.wrap(new byte[] {1, 2}), 0, Descriptors.addressOf(rx));
                ByteBuffer in = ByteBuffer.allocateDirect(8);
                SocketAddress from = Posix.recvfrom(rx, in, 0);
                assertEquals(Descriptors.addressOf(tx), from);
                assertEquals(2, in.position());
            }
            UnixDomainSocketAddress rxPath = UnixDomainSocketAddress.of(fds.unixPath("rx"));
            UnixDomainSocketAddress txPath = UnixDomainSocketAddress.of(fds.unixPath("tx"));
            int rx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            int tx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.bind(rx, rxPath);
            Posix.bind(tx, txPath);
            assertEquals(rxPath, Posix.getsockname(rx));
            assertEquals(3, Posix.sendto(tx, new byte[] {4, 5, 6}, 0, 3, 0, rxPath));
            assertEquals(txPath, Posix.recvfrom(rx, ByteBuffer.allocate(8), 0));
            int anonymous = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.sendto(anonymous, ByteBuffer.wrap(new byte[] {7}), 0, rxPath);
            assertEquals(null, Posix.recvfrom(rx, ByteBuffer.allocate(8), 0), "an unnamed sender has no address");
            if (Os.current() == Os.LINUX) {
                SockAddr name = SockAddr.abstractUnix("posixsend-" + ProcessHandle.current().pid() + "-"
                        + System.nanoTime());
                int abs = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
                Posix.bind(abs, name);
                assertEquals(name, Posix.getsockname(abs));
                Posix.sendto(tx, ByteBuffer.wrap(new byte[] {8}), 0, name);
                ByteBuffer one = ByteBuffer.allocate(4);
                assertEquals(txPath, Posix.recvfrom(abs, one, 0));
                assertEquals(8, one.get(0));
            }
        }
    }

    @Test
    void anIpv4SenderSeenByAnIpv6SocketStaysAnIpv6AddressThatCanBeAnswered() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int dual = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(dual, Posix.IPPROTO_IPV6, Posix.IPV6_V6ONLY, 0); // else a mapped address cannot be bound
            Posix.bind(dual, new InetSocketAddress(Loopback.mappedIpv4(), 0));
            int port = ((InetSocketAddress) Posix.getsockname(dual)).getPort();
            int v4 = fds.boundUdp(false);
            Posix.sendto(v4, ByteBuffer.wrap(new byte[] {1}), 0, new InetSocketAddress("127.0.0.1", port));
            InetSocketAddress from = (InetSocketAddress) Posix.recvfrom(dual, ByteBuffer.allocate(8), 0);
            // as C has it: a sockaddr_in6 of ::ffff:127.0.0.1, not an IPv4 address an AF_INET6 socket refuses
            assertTrue(from.getAddress() instanceof java.net.Inet6Address, from.toString());
            assertEquals(16, from.getAddress().getAddress().length);
            assertFalse(from.toString().contains("%"), "no scope: " + from);
            assertEquals(Descriptors.addressOf(v4).getPort(), from.getPort());
            assertEquals(1, Posix.sendto(dual, ByteBuffer.wrap(new byte[] {2}), 0, from), "the answer goes back");
            ByteBuffer back = ByteBuffer.allocate(8);
            assertEquals(new InetSocketAddress("127.0.0.1", port), Posix.recvfrom(v4, back, 0));
            assertEquals(2, back.get(0));
        }
    }

    @Test
    void disconnectOptionsAndBlockingMode() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            assertEquals(Descriptors.addressOf(p.b), Posix.getpeername(p.a));
            Posix.disconnect(p.a);
            assertThrows(NotConnectedException.class, () -> Posix.send(p.a, new byte[1], 0, 1, 0));
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 65536);
            assertTrue(Posix.getsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF) >= 65536);
            assertEquals(Posix.SOCK_DGRAM, Posix.getsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TYPE));
            assertTrue(Posix.isBlocking(p.a));
            Posix.setBlocking(p.a, false);
            assertFalse(Posix.isBlocking(p.a));
            Posix.setBlocking(p.a, true);
            assertTrue(Posix.isBlocking(p.a));
        }
    }

    @Test
    void aDatagramChannelSendsThroughItsDescriptor() throws Exception {
        try (Descriptors fds = new Descriptors();
                DatagramChannel ch = DatagramChannel.open()) {
            int rx = fds.boundUdp(false);
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).connect(Descriptors.addressOf(rx));
            int fd = Posix.fd(ch);
            NioInteropTest.sameName(ch.getLocalAddress(), Posix.getsockname(fd));
            assertEquals(3, Posix.send(fd, ByteBuffer.wrap(new byte[] {1, 2, 3}), 0));
            byte[] got = SocketIo.receive(rx, 8, 5_000);
            assertNotNull(got);
            assertArrayEquals(new byte[] {1, 2, 3}, got);
        }
    }
}

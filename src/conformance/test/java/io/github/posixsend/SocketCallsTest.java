// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The calls around the sends: names, options (with the platform's constants), blocking mode, disconnect. */
class SocketCallsTest {

    @Test
    void namesOfBothEnds() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            InetSocketAddress a = (InetSocketAddress) Posix.getsockname(p.a);
            InetSocketAddress b = (InetSocketAddress) Posix.getsockname(p.b);
            assertEquals(b, Posix.getpeername(p.a));
            assertEquals(a, Posix.getpeername(p.b));
            assertTrue(a.getAddress().isLoopbackAddress() && a.getPort() > 0);
            int lone = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            assertEquals(Errno.ENOTCONN,
                    assertThrows(NotConnectedException.class, () -> Posix.getpeername(lone)).errno());
        }
    }

    @Test
    void optionsUseThePlatformsConstants() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            assertEquals(Posix.SOCK_STREAM, Posix.getsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TYPE));
            Posix.setsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, true);
            assertEquals(1, Posix.getsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY));
            Posix.setsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, false);
            assertEquals(0, Posix.getsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY));
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 32 * 1024);
            int snd = Posix.getsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF);
            // Linux doubles the value for its bookkeeping; NetBSD keeps it
            assertTrue(snd == 32 * 1024 || snd == 64 * 1024, "SO_SNDBUF " + snd);
            assertEquals(Errno.EBADF, assertThrows(BadDescriptorException.class,
                    () -> Posix.getsockopt(-1, Posix.SOL_SOCKET, Posix.SO_TYPE)).errno());
            if (!Posix.isSupported(Posix.SO_NOSIGPIPE)) {
                assertThrows(UnsupportedOperationException.class,
                        () -> Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_NOSIGPIPE, 1));
            }
        }
    }

    @Test
    void tcpCorkHoldsDataUntilUncorked() throws Exception {
        assumeTrue(Posix.isSupported(Posix.TCP_CORK), "TCP_CORK exists only on Linux, not " + Os.current());
        // as with MSG_MORE, Linux may release corked data after about 200 ms: retry on a fresh connection if late
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Descriptors fds = new Descriptors()) {
                Descriptors.Pair p = fds.tcpPair();
                Posix.setsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_CORK, true);
                Posix.send(p.a, new byte[] {1, 2}, 0, 2, 0);
                if (SocketIo.receive(p.b, 10, 0) != null) {
                    continue;
                }
                Posix.send(p.a, new byte[] {3}, 0, 1, 0);
                Posix.setsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_CORK, false);
                byte[] got = SocketIo.receive(p.b, 10, 5000);
                assertArrayEquals(new byte[] {1, 2, 3}, got);
                return;
            }
        }
        throw new AssertionError("corked data arrived at once three times");
    }

    @Test
    void blockingModeToggles() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            assertTrue(Posix.isBlocking(fd));
            Posix.setBlocking(fd, false);
            assertFalse(Posix.isBlocking(fd));
            Posix.setBlocking(fd, false); // idempotent
            assertFalse(Posix.isBlocking(fd));
            Posix.setBlocking(fd, true);
            assertTrue(Posix.isBlocking(fd));
            int nb = fds.track(Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM | Posix.SOCK_NONBLOCK, 0));
            assertFalse(Posix.isBlocking(nb));
            assertEquals(Errno.EBADF,
                    assertThrows(BadDescriptorException.class, () -> Posix.setBlocking(-1, true)).errno());
        }
    }

    @Test
    void disconnectedUdpSocketHasNoDestinationAgain() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            assertEquals(1, Posix.send(p.a, new byte[] {1}, 0, 1, 0));
            assertNotNull(SocketIo.receive(p.b, 10, 5000));
            Posix.disconnect(p.a);
            assertEquals(Errno.EDESTADDRREQ, assertThrows(NotConnectedException.class,
                    () -> Posix.send(p.a, ByteBuffer.allocate(1), 0)).errno());
            assertNull(SocketIo.receive(p.b, 10, 0));
        }
    }

    @Test
    void socketCreationErrorsAreTyped() {
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> Posix.socket(Posix.AF_INET, Posix.SOCK_SEQPACKET, 0));
        assertTrue(e instanceof NotSupportedException, e.toString()); // EPROTONOSUPPORT or ESOCKTNOSUPPORT
        assertEquals("socket", e.call());
    }
}

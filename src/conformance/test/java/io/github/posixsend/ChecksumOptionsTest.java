// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import org.junit.jupiter.api.Test;

/**
 * Linux's options that send UDP without a checksum ({@code SO_NO_CHECK}, {@code UDP_NO_CHECK6_TX}) and accept an
 * IPv6 datagram without one ({@code UDP_NO_CHECK6_RX}): the kernel takes them, segmentation then fails, and an IPv6
 * receiver drops a zero checksum until it allows it.
 */
class ChecksumOptionsTest {

    @Test
    void theOptionsAreLinuxsAlone() {
        boolean linux = Os.current() == Os.LINUX;
        for (int name : new int[] {Posix.SO_NO_CHECK, Posix.UDP_NO_CHECK6_TX, Posix.UDP_NO_CHECK6_RX}) {
            assertEquals(linux, Posix.isSupported(name), "constant " + name);
        }
    }

    @Test
    void anIpv4SocketWithoutChecksumsSendsButCannotSegment() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_NO_CHECK and UDP_SEGMENT are Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_NO_CHECK, 1);
            assertEquals(1, Posix.getsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_NO_CHECK));
            // IPv4 has no checksum to check when the field is 0: the datagram arrives
            assertEquals(3, Posix.send(p.a, new byte[] {1, 2, 3}, 0, 3, 0));
            assertArrayEquals(new byte[] {1, 2, 3}, SocketIo.receive(p.b, 16, 5000));
            Posix.setsockopt(p.a, Posix.SOL_UDP, Posix.UDP_SEGMENT, 100);
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> Posix.send(p.a, new byte[200], 0, 200, 0));
            assertEquals("send: EINVAL (Invalid argument)", e.getMessage());
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_NO_CHECK, 0);
            assertEquals(200, Posix.send(p.a, new byte[200], 0, 200, 0), "segmented again once checksummed");
            assertEquals(100, SocketIo.receive(p.b, 1000, 5000).length);
            assertEquals(100, SocketIo.receive(p.b, 1000, 5000).length);
        }
    }

    @Test
    void anIpv6ZeroChecksumIsDroppedUntilTheReceiverAllowsIt() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "UDP_NO_CHECK6_TX and UDP_NO_CHECK6_RX are Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(true);
            Posix.setsockopt(p.a, Posix.SOL_UDP, Posix.UDP_NO_CHECK6_TX, 1);
            assertEquals(1, Posix.getsockopt(p.a, Posix.SOL_UDP, Posix.UDP_NO_CHECK6_TX));
            assertEquals(0, Posix.getsockopt(p.b, Posix.SOL_UDP, Posix.UDP_NO_CHECK6_RX));
            // sent, and dropped on arrival: the receiver does not allow a zero checksum yet. A checksummed marker
            // sent after it arrives first (loopback delivers in order), so the drop is seen whatever the delay
            assertEquals(1, Posix.send(p.a, new byte[] {'x'}, 0, 1, 0));
            Posix.setsockopt(p.a, Posix.SOL_UDP, Posix.UDP_NO_CHECK6_TX, 0);
            assertEquals(1, Posix.send(p.a, new byte[] {'m'}, 0, 1, 0));
            assertArrayEquals(new byte[] {'m'}, SocketIo.receive(p.b, 16, 5000), "the zero checksum was dropped");
            Posix.setsockopt(p.b, Posix.SOL_UDP, Posix.UDP_NO_CHECK6_RX, 1);
            assertEquals(1, Posix.getsockopt(p.b, Posix.SOL_UDP, Posix.UDP_NO_CHECK6_RX));
            Posix.setsockopt(p.a, Posix.SOL_UDP, Posix.UDP_NO_CHECK6_TX, 1);
            assertEquals(1, Posix.send(p.a, new byte[] {'y'}, 0, 1, 0));
            assertArrayEquals(new byte[] {'y'}, SocketIo.receive(p.b, 16, 5000), "taken once allowed");
            Posix.setsockopt(p.a, Posix.SOL_UDP, Posix.UDP_SEGMENT, 100);
            assertThrows(InvalidArgumentException.class, () -> Posix.send(p.a, new byte[50], 0, 50, 0),
                    "any send while segmenting, even one segment's worth");
            Posix.setsockopt(p.a, Posix.SOL_UDP, Posix.UDP_NO_CHECK6_TX, 0);
            assertEquals(200, Posix.send(p.a, new byte[200], 0, 200, 0), "segmented again once checksummed");
            assertEquals(100, SocketIo.receive(p.b, 1000, 5000).length);
            assertEquals(100, SocketIo.receive(p.b, 1000, 5000).length);
        }
    }
}

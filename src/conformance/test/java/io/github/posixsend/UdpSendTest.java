// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The largest UDP datagram goes whole, one byte more fails with EMSGSIZE. */
class UdpSendTest {
    /** 65535 (IPv4 total length) - 20 (IPv4 header) - 8 (UDP header). */
    private static final int MAX_UDP4 = 65507;
    /** 65535 (IPv6 payload length) - 8 (UDP header): IPv6 has no header inside the limit. */
    private static final int MAX_UDP6 = 65527;

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static void raiseReceiveBuffer(int fd) throws Exception {
        // the datagram must fit the receiver's buffer as well; the default does, this makes it certain
        Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1 << 18);
    }

    @Test
    void largestIpv4DatagramArrivesWhole() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            raiseReceiveBuffer(p.b);
            byte[] data = pattern(MAX_UDP4);
            ByteBuffer buf = ByteBuffer.wrap(data);
            assertEquals(MAX_UDP4, Posix.send(p.a, buf, 0));
            assertEquals(MAX_UDP4, buf.position());
            byte[] got = SocketIo.receive(p.b, 1 << 17, 5000);
            assertNotNull(got, "the datagram did not arrive");
            assertEquals(MAX_UDP4, got.length);
            assertArrayEquals(data, got);
        }
    }

    @Test
    void oneByteMoreIsMessageTooLong() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer buf = ByteBuffer.allocateDirect(MAX_UDP4 + 1);
            MessageTooLongException e = assertThrows(MessageTooLongException.class, () -> Posix.send(p.a, buf, 0));
            assertEquals(Errno.EMSGSIZE, e.errno());
            assertEquals("send", e.call());
            assertEquals(0, buf.position(), "a failed send must not move the position");
            // sendto on an unconnected socket takes the same limit
            int tx = fds.boundUdp(false);
            MessageTooLongException e2 = assertThrows(MessageTooLongException.class,
                    () -> Posix.sendto(tx, new byte[MAX_UDP4 + 1], 0, MAX_UDP4 + 1, 0, Descriptors.addressOf(p.b)));
            assertEquals(Errno.EMSGSIZE, e2.errno());
            assertEquals("sendto: EMSGSIZE (" + Errno.EMSGSIZE.description() + ")", e2.getMessage());
            assertNull(SocketIo.receive(p.b, 1 << 17, 20), "nothing may arrive from failed sends");
        }
    }

    @Test
    void largestIpv6DatagramArrivesWholeAndOneMoreFails() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(true);
            raiseReceiveBuffer(p.b);
            byte[] data = pattern(MAX_UDP6);
            assertEquals(MAX_UDP6, Posix.send(p.a, data, 0, data.length, 0));
            byte[] got = SocketIo.receive(p.b, 1 << 17, 5000);
            assertNotNull(got, "the datagram did not arrive");
            assertArrayEquals(data, got);
            MessageTooLongException e = assertThrows(MessageTooLongException.class,
                    () -> Posix.send(p.a, new byte[MAX_UDP6 + 1], 0, MAX_UDP6 + 1, 0));
            assertEquals(Errno.EMSGSIZE, e.errno());
        }
    }
}

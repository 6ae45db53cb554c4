// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void udpRoundTrip() throws Exception {
        int rx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
        int tx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
        try {
            Posix.bind(rx, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Posix.bind(tx, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress at = (InetSocketAddress) Posix.getsockname(rx);
            assertTrue(at.getPort() > 0);
            ByteBuffer b = ByteBuffer.wrap("hello".getBytes());
            assertEquals(5, Posix.sendto(tx, b, 0, at));
            assertEquals(5, b.position());
            ByteBuffer in = ByteBuffer.allocateDirect(100);
            InetSocketAddress from = (InetSocketAddress) Posix.recvfrom(rx, in, 0);
            assertEquals(5, in.position());
            assertEquals(((InetSocketAddress) Posix.getsockname(tx)).getPort(), from.getPort());
            assertEquals(InetAddress.getLoopbackAddress(), from.getAddress());
            ErrnoException e = assertThrows(BadDescriptorException.class,
                    () -> Posix.send(-1, ByteBuffer.allocate(1), 0));
            assertEquals("send: EBADF (Bad file descriptor)", e.getMessage());
        } finally {
            Posix.close(rx);
            Posix.close(tx);
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Sendto to each kind of address: IPv6 ::1, a Unix datagram socket bound to a path, and a
 * Linux abstract name; the receiver checks the bytes and, where the sender has a name, recvfrom's address.
 */
class SendtoAddressTest {

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** recvfrom with a bounded wait; the bytes go into {@code into}. */
    private static SocketAddress receiveFrom(int fd, ByteBuffer into) throws Exception {
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        for (int i = 0; i < 5_000; i++) {
            try {
                return Posix.recvfrom(fd, into, dontwait);
            } catch (WouldBlockException e) {
                Thread.sleep(1);
            }
        }
        throw new AssertionError("nothing arrived");
    }

    @Test
    void toIpv6Loopback() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(true);
            InetSocketAddress to = Descriptors.addressOf(rx);
            assertTrue(to.getAddress() instanceof Inet6Address && to.getAddress().isLoopbackAddress(), to.toString());
            int tx = fds.boundUdp(true);
            ByteBuffer data = ascii("over v6");
            assertEquals(7, Posix.sendto(tx, data, 0, to));
            assertEquals(7, data.position());
            ByteBuffer in = ByteBuffer.allocateDirect(100);
            InetSocketAddress from = (InetSocketAddress) receiveFrom(rx, in);
            assertEquals("over v6", SocketIo.receivedText(in));
            assertEquals(Descriptors.addressOf(tx), from);
            // a prepared SockAddr is the same destination
            assertEquals(3, Posix.sendto(tx, ascii("pre"), 0, SockAddr.of(to)));
            assertEquals("pre", SocketIo.receivedText(addressed(rx)));
        }
    }

    private static ByteBuffer addressed(int rx) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(100);
        receiveFrom(rx, in);
        return in;
    }

    @Test
    void ipv6ScopeIdSurvivesConversion() throws Exception {
        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
        InetSocketAddress scoped = new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 1), 4242);
        SockAddr sa = SockAddr.of(scoped);
        assertEquals(Posix.AF_INET6, sa.family());
        assertEquals(4242, sa.port());
        InetSocketAddress back = (InetSocketAddress) sa.toSocketAddress();
        assertEquals(1, ((Inet6Address) back.getAddress()).getScopeId());
        assertArrayEquals(linkLocal, back.getAddress().getAddress());
        assertEquals(4242, back.getPort());
    }

    @Test
    void toUnixDatagramSocketBoundToAPath() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            UnixDomainSocketAddress rxName = UnixDomainSocketAddress.of(fds.unixPath("rx.sock"));
            UnixDomainSocketAddress txName = UnixDomainSocketAddress.of(fds.unixPath("tx.sock"));
            int rx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.bind(rx, rxName);
            assertEquals(rxName, Posix.getsockname(rx));
            int tx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.bind(tx, txName);
            assertEquals(5, Posix.sendto(tx, ascii("named"), 0, rxName));
            ByteBuffer in = ByteBuffer.allocate(100);
            assertEquals(txName, receiveFrom(rx, in));
            assertEquals("named", SocketIo.receivedText(in));

            // an unbound sender has no name: recvfrom says so with null
            int anon = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            assertEquals(4, Posix.sendto(anon, "anon".getBytes(StandardCharsets.US_ASCII), 0, 4, 0, rxName));
            ByteBuffer in2 = ByteBuffer.allocate(100);
            assertNull(receiveFrom(rx, in2));
            assertEquals("anon", SocketIo.receivedText(in2));
        }
    }

    @Test
    void toAbstractName() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "abstract Unix names exist only on Linux, not " + Os.current());
        String unique = "posixsend-test-" + ProcessHandle.current().pid() + "-"
                + ThreadLocalRandom.current().nextLong();
        SockAddr rxName = SockAddr.abstractUnix(unique + "-rx");
        SockAddr txName = SockAddr.abstractUnix(unique + "-tx");
        assertTrue(rxName.isAbstractUnix());
        assertEquals("unix:@" + unique + "-rx", rxName.toString());
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.bind(rx, rxName);
            assertEquals(rxName, Posix.getsockname(rx));
            int tx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.bind(tx, txName);
            assertEquals(8, Posix.sendto(tx, ascii("abstract"), 0, rxName));
            ByteBuffer in = ByteBuffer.allocateDirect(100);
            SocketAddress from = receiveFrom(rx, in);
            assertEquals("abstract", SocketIo.receivedText(in));
            assertEquals(txName, from);
            assertSame(from, ((SockAddr) from).toSocketAddress(), "java.net has no type for an abstract name");
        }
    }

    @Test
    void toIpv4WithArrayAndDirectBuffers() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            int tx = fds.boundUdp(false);
            byte[] arr = "xxpayloadyy".getBytes(StandardCharsets.US_ASCII);
            assertEquals(7, Posix.sendto(tx, arr, 2, 7, 0, Descriptors.addressOf(rx)));
            byte[] got = SocketIo.receive(rx, 100, 5000);
            assertNotNull(got);
            assertEquals("payload", new String(got, StandardCharsets.US_ASCII));
        }
    }
}

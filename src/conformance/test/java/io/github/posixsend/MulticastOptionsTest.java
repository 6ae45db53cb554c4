// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.internal.ConstantTable;
import io.github.posixsend.internal.Platform;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The multicast options and membership requests reach the kernel in its own layout. No datagram goes to a group and
 * no group is joined (a join may make the kernel announce the membership on a link): options are read back, and each
 * request is judged by an error only a well-formed request earns, one that a request with its fields swapped or
 * misplaced would not get.
 */
class MulticastOptionsTest {
    private static final InetAddress LOOPBACK = address("127.0.0.1");
    private static final InetAddress GROUP = address("239.255.0.1");
    private static final InetAddress GROUP6 = address("ff15::1234");
    /** TEST-NET-1 (RFC 5737): an address no interface of this host has, only ever passed as an option's value. */
    private static final InetAddress NOT_LOCAL = address("192.0.2.1");

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static int readInt(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(at);
    }

    @Test
    void requestsAreLaidOutAsTheHeadersSay() {
        for (Os os : new Os[] {Os.LINUX, Os.NETBSD}) {
            assertEquals(8, ConstantTable.value("SIZEOF_IP_MREQ", os), os + " ip_mreq");
            assertEquals(20, ConstantTable.value("SIZEOF_IPV6_MREQ", os), os + " ipv6_mreq");
        }
        byte[] v4 = Posix.ipMreq(GROUP, LOOPBACK);
        assertEquals(Platform.value("SIZEOF_IP_MREQ"), v4.length);
        assertArrayEquals(new byte[] {(byte) 239, (byte) 255, 0, 1, 127, 0, 0, 1}, v4);
        assertArrayEquals(new byte[] {(byte) 239, (byte) 255, 0, 1, 0, 0, 0, 0}, Posix.ipMreq(GROUP, null),
                "no interface: INADDR_ANY");
        byte[] v6 = Posix.ipv6Mreq(GROUP6, 7);
        assertEquals(Platform.value("SIZEOF_IPV6_MREQ"), v6.length);
        byte[] group = new byte[16];
        System.arraycopy(v6, 0, group, 0, 16);
        assertArrayEquals(GROUP6.getAddress(), group);
        assertEquals(7, readInt(v6, Platform.value("OFFSETOF_IPV6MR_INTERFACE")));

        assertThrows(NullPointerException.class, () -> Posix.ipMreq(null, LOOPBACK));
        assertThrows(IllegalArgumentException.class, () -> Posix.ipMreq(GROUP6, null));
        assertThrows(IllegalArgumentException.class, () -> Posix.ipMreq(GROUP, address("::1")));
        assertThrows(IllegalArgumentException.class, () -> Posix.ipv6Mreq(GROUP, 0));
        assertThrows(IllegalArgumentException.class, () -> Posix.ipv6Mreq(GROUP6, -1));

        assertEquals(12, ConstantTable.value("SIZEOF_IP_MREQN", Os.LINUX), "Linux's ip_mreqn");
        assertEquals(Platform.UNSUPPORTED, ConstantTable.value("SIZEOF_IP_MREQN", Os.NETBSD), "NetBSD has none");
        if (Os.current() == Os.LINUX) {
            byte[] n = Posix.ipMreqn(GROUP, LOOPBACK, 7);
            assertEquals(Platform.value("SIZEOF_IP_MREQN"), n.length);
            assertArrayEquals(new byte[] {(byte) 239, (byte) 255, 0, 1, 127, 0, 0, 1}, java.util.Arrays.copyOf(n, 8));
            assertEquals(7, readInt(n, Platform.value("OFFSETOF_IMR_IFINDEX")));
            assertArrayEquals(new byte[12], Posix.ipMreqn(null, null, 0), "INADDR_ANY twice and no index");
            assertThrows(IllegalArgumentException.class, () -> Posix.ipMreqn(GROUP6, null, 0));
            assertThrows(IllegalArgumentException.class, () -> Posix.ipMreqn(GROUP, address("::1"), 0));
            assertThrows(IllegalArgumentException.class, () -> Posix.ipMreqn(GROUP, null, -1));
        } else {
            assertThrows(UnsupportedOperationException.class, () -> Posix.ipMreqn(GROUP, null, 1));
        }
    }

    @Test
    void ipv4OptionsReadBack() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_MULTICAST_TTL, 5);
            assertEquals(5, Posix.getsockopt(fd, Posix.IPPROTO_IP, Posix.IP_MULTICAST_TTL));
            Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_MULTICAST_LOOP, 0);
            assertEquals(0, Posix.getsockopt(fd, Posix.IPPROTO_IP, Posix.IP_MULTICAST_LOOP));
            if (Os.current() == Os.LINUX) { // Linux takes one byte as well as an int
                Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_MULTICAST_TTL, new byte[] {9});
                assertEquals(9, Posix.getsockopt(fd, Posix.IPPROTO_IP, Posix.IP_MULTICAST_TTL));
            }
        }
    }

    @Test
    void ipv6OptionsReadBack() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_MULTICAST_HOPS, 7);
            assertEquals(7, Posix.getsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_MULTICAST_HOPS));
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_MULTICAST_LOOP, 0);
            assertEquals(0, Posix.getsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_MULTICAST_LOOP));
        }
    }

    @Test
    void theInterfaceOptionsReadBack() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_MULTICAST_IF, LOOPBACK.getAddress());
            byte[] iface = new byte[4];
            assertEquals(4, Posix.getsockopt(fd, Posix.IPPROTO_IP, Posix.IP_MULTICAST_IF, iface));
            assertArrayEquals(LOOPBACK.getAddress(), iface, "the interface is named by its address");
            int fd6 = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            int lo = NetworkInterface.getByInetAddress(LOOPBACK).getIndex();
            Posix.setsockopt(fd6, Posix.IPPROTO_IPV6, Posix.IPV6_MULTICAST_IF, lo);
            assertEquals(lo, Posix.getsockopt(fd6, Posix.IPPROTO_IPV6, Posix.IPV6_MULTICAST_IF));
            if (Os.current() == Os.LINUX) { // Linux names the interface by its index through an ip_mreqn too
                Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_MULTICAST_IF, Posix.ipMreqn(null, null, lo));
                ErrnoException noSuchIndex = assertThrows(ErrnoException.class, () -> Posix.setsockopt(fd,
                        Posix.IPPROTO_IP, Posix.IP_MULTICAST_IF, Posix.ipMreqn(null, null, 0x7fff0000)));
                assertEquals(Errno.EADDRNOTAVAIL, noSuchIndex.errno(), "the index read from its place in the struct");
            }
        }
    }

    @Test
    void membershipRequestsReachTheKernelWhole() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the errors asserted are Linux's");
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            // a group that is not one: EINVAL before any interface is looked for
            ErrnoException notGroup = assertThrows(ErrnoException.class, () -> Posix.setsockopt(fd, Posix.IPPROTO_IP,
                    Posix.IP_ADD_MEMBERSHIP, Posix.ipMreq(LOOPBACK, LOOPBACK)));
            assertEquals(Errno.EINVAL, notGroup.errno());
            // a real group on an interface address this host lacks: ENODEV (the two swapped would be EINVAL)
            ErrnoException noDevice = assertThrows(ErrnoException.class, () -> Posix.setsockopt(fd, Posix.IPPROTO_IP,
                    Posix.IP_ADD_MEMBERSHIP, Posix.ipMreq(GROUP, NOT_LOCAL)));
            assertEquals(Errno.ENODEV, noDevice.errno());
            // leaving a group never joined on the loopback interface
            ErrnoException notMember = assertThrows(ErrnoException.class, () -> Posix.setsockopt(fd, Posix.IPPROTO_IP,
                    Posix.IP_DROP_MEMBERSHIP, Posix.ipMreq(GROUP, LOOPBACK)));
            assertEquals(Errno.EADDRNOTAVAIL, notMember.errno());
            // ip_mreqn: an index no interface has, ENODEV (read from the index's place: the address says loopback)
            ErrnoException noIndex = assertThrows(ErrnoException.class, () -> Posix.setsockopt(fd, Posix.IPPROTO_IP,
                    Posix.IP_ADD_MEMBERSHIP, Posix.ipMreqn(GROUP, LOOPBACK, 0x7fff0000)));
            assertEquals(Errno.ENODEV, noIndex.errno());

            int fd6 = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            ErrnoException notGroup6 = assertThrows(ErrnoException.class, () -> Posix.setsockopt(fd6,
                    Posix.IPPROTO_IPV6, Posix.IPV6_JOIN_GROUP, Posix.ipv6Mreq(address("::1"), 0)));
            assertEquals(Errno.EINVAL, notGroup6.errno());
            // an interface index no interface has: ENODEV, read from the index's place in the struct
            ErrnoException noDevice6 = assertThrows(ErrnoException.class, () -> Posix.setsockopt(fd6,
                    Posix.IPPROTO_IPV6, Posix.IPV6_JOIN_GROUP, Posix.ipv6Mreq(GROUP6, 0x7fff0000)));
            assertEquals(Errno.ENODEV, noDevice6.errno());
            ErrnoException notMember6 = assertThrows(ErrnoException.class, () -> Posix.setsockopt(fd6,
                    Posix.IPPROTO_IPV6, Posix.IPV6_LEAVE_GROUP, Posix.ipv6Mreq(GROUP6, 1)));
            assertEquals(Errno.EADDRNOTAVAIL, notMember6.errno());
        }
    }
}

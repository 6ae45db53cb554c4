// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Raw ICMP sockets over loopback, as a ping is written in C: an echo request sent to 127.0.0.1 or ::1 is answered by
 * the kernel, and the socket's ICMP filter decides what it receives (without one it also receives its own request).
 * Raw sockets need {@code CAP_NET_RAW}: without it ({@code EPERM}) the tests are skipped, not passed.
 */
class RawSocketTest {
    private static final int ECHO_REPLY = 0;
    private static final int ECHO_REQUEST = 8;
    private static final int ECHO6_REQUEST = 128;
    private static final int ECHO6_REPLY = 129;

    /** A raw socket (after {@link #assumeRawSockets()}). */
    private static int raw(Descriptors fds, int family, int protocol) throws ErrnoException {
        return fds.track(Posix.socket(family, Posix.SOCK_RAW, protocol));
    }

    /** Skips the test unless this process may open raw sockets (EPERM or EACCES otherwise). */
    private static void assumeRawSockets() {
        try {
            Posix.close(Posix.socket(Posix.AF_INET, Posix.SOCK_RAW, Posix.IPPROTO_ICMP));
        } catch (ErrnoException e) {
            assumeTrue(e.errno() != Errno.EPERM && e.errno() != Errno.EACCES,
                    "raw sockets need CAP_NET_RAW: " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    /** The Internet checksum of {@code b[off, off+len)}. */
    private static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += (b[off + i] & 0xff) << 8 | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) ~sum & 0xffff;
    }

    /** An echo request of {@code type} with {@code id}, {@code seq} and 8 bytes of payload; IPv4's checksummed. */
    private static byte[] echo(int type, int id, int seq, boolean sum) {
        byte[] b = {(byte) type, 0, 0, 0, (byte) (id >> 8), (byte) id, (byte) (seq >> 8), (byte) seq,
            'p', 'o', 's', 'i', 'x', '-', 's', 'e'};
        if (sum) {
            int c = checksum(b, 0, b.length);
            b[2] = (byte) (c >> 8);
            b[3] = (byte) c;
        }
        return b;
    }

    /**
     * The ICMP type, id and sequence of every packet {@code fd} receives within 2 s of the first (the IPv4 header
     * skipped when {@code ipHeader}), until {@code enough} of echo {@code id} have come: a raw socket sees every ICMP
     * packet of the host, and another program's must not end the wait.
     */
    private static List<int[]> receive(int fd, boolean ipHeader, int id, int enough) throws Exception {
        List<int[]> got = new ArrayList<>();
        byte[] b = new byte[256];
        PollSet set = new PollSet(1);
        set.add(fd, Posix.POLLIN);
        long end = System.nanoTime() + 2_000_000_000L;
        int ours = 0;
        while (ours < enough && System.nanoTime() < end && set.poll(200) >= 0) {
            int n = Posix.tryRecv(fd, b, 0, b.length, MsgFlag.MSG_DONTWAIT.value());
            if (n < 0) {
                continue;
            }
            int at = ipHeader ? (b[0] & 0x0f) * 4 : 0;
            assertTrue(n >= at + 8, "a packet of " + n + " bytes");
            int[] packet = {b[at] & 0xff, (b[at + 4] & 0xff) << 8 | (b[at + 5] & 0xff),
                (b[at + 6] & 0xff) << 8 | (b[at + 7] & 0xff)};
            got.add(packet);
            ours += packet[1] == id ? 1 : 0;
        }
        return got;
    }

    /** The packets of {@code got} of echo {@code id} as "type/seq" strings, in order. */
    private static List<String> ours(List<int[]> got, int id) {
        List<String> out = new ArrayList<>();
        for (int[] g : got) {
            if (g[1] == id) {
                out.add(g[0] + "/" + g[2]);
            }
        }
        return out;
    }

    private static int id() {
        return (int) (ProcessHandle.current().pid() ^ System.nanoTime()) & 0xffff;
    }

    @Test
    void anIcmpFilterLetsOnlyEchoRepliesThrough() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "ICMP_FILTER is Linux's");
        assumeRawSockets();
        try (Descriptors fds = new Descriptors()) {
            int filtered = raw(fds, Posix.AF_INET, Posix.IPPROTO_ICMP);
            int open = raw(fds, Posix.AF_INET, Posix.IPPROTO_ICMP);
            // struct icmp_filter is one 32-bit mask: a set bit blocks its type
            Posix.setsockopt(filtered, Posix.SOL_RAW, Posix.ICMP_FILTER, ~(1 << ECHO_REPLY));
            assertEquals(~(1 << ECHO_REPLY), Posix.getsockopt(filtered, Posix.SOL_RAW, Posix.ICMP_FILTER));
            byte[] mask = new byte[8];
            assertEquals(4, Posix.getsockopt(filtered, Posix.SOL_RAW, Posix.ICMP_FILTER, mask), "the struct's length");
            int id = id();
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
            byte[] request = echo(ECHO_REQUEST, id, 1, true);
            assertEquals(request.length, Posix.sendto(filtered, request, 0, request.length, 0, to));
            assertEquals(List.of(ECHO_REPLY + "/1"), ours(receive(filtered, true, id, 1), id), "the reply alone");
            // a socket without the filter saw the request go by as well
            List<String> all = ours(receive(open, true, id, 2), id);
            assertTrue(all.contains(ECHO_REQUEST + "/1") && all.contains(ECHO_REPLY + "/1"), all.toString());
        }
    }

    @Test
    void anIcmp6FilterPassesOnlyWhatItNames() throws Exception {
        assumeRawSockets();
        try (Descriptors fds = new Descriptors()) {
            int fd = raw(fds, Posix.AF_INET6, Posix.IPPROTO_ICMPV6);
            byte[] filter = Posix.icmp6Filter(ECHO6_REPLY);
            assertEquals(32, filter.length);
            assertTrue(Posix.icmp6FilterPasses(filter, ECHO6_REPLY));
            assertFalse(Posix.icmp6FilterPasses(filter, ECHO6_REQUEST));
            assertFalse(Posix.icmp6FilterPasses(filter, 1));
            Posix.setsockopt(fd, Posix.IPPROTO_ICMPV6, Posix.ICMP6_FILTER, filter);
            byte[] back = new byte[32];
            assertEquals(32, Posix.getsockopt(fd, Posix.IPPROTO_ICMPV6, Posix.ICMP6_FILTER, back));
            assertArrayEquals(filter, back, "the kernel keeps the filter as given");
            int id = id();
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("::1"), 0);
            for (int seq = 1; seq <= 3; seq++) {
                // the kernel writes an ICMPv6 socket's checksum itself
                byte[] request = echo(ECHO6_REQUEST, id, seq, false);
                assertEquals(request.length, Posix.sendto(fd, request, 0, request.length, 0, to));
            }
            assertEquals(List.of(ECHO6_REPLY + "/1", ECHO6_REPLY + "/2", ECHO6_REPLY + "/3"),
                    ours(receive(fd, false, id, 3), id), "the replies alone, not the requests");
            if (Os.current() == Os.LINUX) {
                assertEquals(2, Posix.getsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_CHECKSUM),
                        "ICMPv6's checksum lies at offset 2");
                assertEquals(-Errno.EINVAL.number(),
                        Posix.trySetsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_CHECKSUM, 4), "and stays there");
            }
            // passing everything: the requests come too
            Posix.setsockopt(fd, Posix.IPPROTO_ICMPV6, Posix.ICMP6_FILTER, Posix.icmp6Filter(allTypes()));
            byte[] request = echo(ECHO6_REQUEST, id, 9, false);
            Posix.sendto(fd, request, 0, request.length, 0, to);
            List<String> both = ours(receive(fd, false, id, 2), id);
            assertTrue(both.contains(ECHO6_REQUEST + "/9") && both.contains(ECHO6_REPLY + "/9"), both.toString());
        }
    }

    private static int[] allTypes() {
        int[] t = new int[256];
        Arrays.setAll(t, i -> i);
        return t;
    }

    /** A packet whose IPv4 header the sender wrote itself ({@code IP_HDRINCL}) is answered like any other. */
    @Test
    void aHeaderIncludedEchoIsAnswered() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the kernel fills the header's id, length and checksum on Linux");
        assumeRawSockets();
        try (Descriptors fds = new Descriptors()) {
            int rx = raw(fds, Posix.AF_INET, Posix.IPPROTO_ICMP);
            Posix.setsockopt(rx, Posix.SOL_RAW, Posix.ICMP_FILTER, ~(1 << ECHO_REPLY));
            int tx = raw(fds, Posix.AF_INET, Posix.IPPROTO_ICMP);
            Posix.setsockopt(tx, Posix.IPPROTO_IP, Posix.IP_HDRINCL, 1);
            assertEquals(1, Posix.getsockopt(tx, Posix.IPPROTO_IP, Posix.IP_HDRINCL));
            int id = id();
            byte[] icmp = echo(ECHO_REQUEST, id, 7, true);
            byte[] packet = new byte[20 + icmp.length];
            packet[0] = 0x45; // version 4, 5 words of header
            packet[2] = (byte) (packet.length >> 8);
            packet[3] = (byte) packet.length;
            packet[8] = 64; // time to live
            packet[9] = (byte) Posix.IPPROTO_ICMP;
            byte[] loopback = {127, 0, 0, 1};
            System.arraycopy(loopback, 0, packet, 12, 4);
            System.arraycopy(loopback, 0, packet, 16, 4);
            System.arraycopy(icmp, 0, packet, 20, icmp.length);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByAddress(loopback), 0);
            assertEquals(packet.length, Posix.sendto(tx, packet, 0, packet.length, 0, to));
            assertEquals(List.of(ECHO_REPLY + "/7"), ours(receive(rx, true, id, 1), id));
        }
    }
}

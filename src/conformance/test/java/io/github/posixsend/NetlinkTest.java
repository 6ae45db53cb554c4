// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Netlink as {@code ss} speaks it: a sock_diag dump request sent to the kernel's address, the replies read with
 * their sender, a {@code tcp_info} read from a reply's attribute, and the socket options of {@code SOL_NETLINK}.
 * The messages are the test's own bytes, as they are a C program's.
 */
class NetlinkTest {
    private static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLM_F_DUMP = 0x300;
    private static final int SOCK_DIAG_BY_FAMILY = 20;
    private static final int INET_DIAG_INFO = 2;
    /** struct inet_diag_msg: family, state, timer, retrans, then the 48-byte sockid, expires, rqueue, wqueue... */
    private static final int DIAG_MSG_LEN = 72;
    private static final int DIAG_SPORT = 4;
    private static final int DIAG_DPORT = 6;
    private static final int DIAG_RQUEUE = 56;

    @Test
    void theAddressIsSockaddrNl() {
        assumeTrue(Os.current() == Os.LINUX, "netlink is Linux's");
        SockAddr kernel = SockAddr.netlink(0, 0);
        assertEquals(Posix.AF_NETLINK, kernel.family());
        assertEquals(12, kernel.length(), "sizeof(struct sockaddr_nl)");
        assertEquals(0, kernel.netlinkPortId());
        assertEquals(0, kernel.port());
        assertEquals("netlink:0", kernel.toString());
        SockAddr member = SockAddr.netlink(-4096, 0x81);
        assertEquals(-4096, member.netlinkPortId(), "a __u32's bits, as the kernel's own rover numbers them");
        assertEquals(0x81, member.netlinkGroups());
        assertEquals("netlink:" + Integer.toUnsignedString(-4096) + "/groups 0x81", member.toString());
        assertEquals(member, SockAddr.netlink(-4096, 0x81));
        assertNotEquals(member, SockAddr.netlink(-4096, 0x80));
        SockAddr inet = SockAddr.of(new InetSocketAddress("127.0.0.1", 53));
        assertThrows(IllegalStateException.class, inet::netlinkPortId);
        assertThrows(IllegalStateException.class, inet::netlinkGroups);
        assertThrows(IllegalStateException.class, new SockAddrBuffer()::netlinkPortId, "no address held");
    }

    @Test
    void refusedWhereThereIsNoNetlink() {
        assumeTrue(Os.current() != Os.LINUX, "elsewhere than Linux");
        assertThrows(UnsupportedOperationException.class, () -> SockAddr.netlink(0, 0));
    }

    @Test
    void aSockDiagDumpFindsTheTestsOwnConnectionWithItsTcpInfo() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "netlink is Linux's");
        try (Descriptors d = new Descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            int clientPort = Descriptors.addressOf(p.a).getPort();
            int serverPort = Descriptors.addressOf(p.b).getPort();
            byte[] data = new byte[1000];
            assertEquals(data.length, Posix.send(p.a, data, 0, data.length, 0));
            for (int i = 0; i < 200 && Posix.ioctlInt(p.b, Posix.FIONREAD) < data.length; i++) {
                Thread.sleep(5); // until the bytes wait unread on the server's side
            }
            assertEquals(data.length, Posix.ioctlInt(p.b, Posix.FIONREAD));

            int nl = d.track(Posix.socket(Posix.AF_NETLINK, Posix.SOCK_RAW | Posix.SOCK_CLOEXEC,
                    Posix.NETLINK_SOCK_DIAG));
            Posix.bind(nl, SockAddr.netlink(0, 0)); // port id 0: the kernel picks one
            SockAddr own = (SockAddr) Posix.getsockname(nl);
            assertEquals(Posix.AF_NETLINK, own.family());
            assertNotEquals(0, own.netlinkPortId(), "the kernel gave the socket a port id: " + own);

            Posix.setsockopt(nl, Posix.SOL_NETLINK, Posix.NETLINK_EXT_ACK, 1);
            byte[] flag = new byte[4];
            assertEquals(4, Posix.getsockopt(nl, Posix.SOL_NETLINK, Posix.NETLINK_EXT_ACK, flag), "as bytes too");
            assertEquals(1, ByteBuffer.wrap(flag).order(ByteOrder.nativeOrder()).getInt());
            assertTrue(Posix.getsockopt(nl, Posix.SOL_NETLINK, Posix.NETLINK_LIST_MEMBERSHIPS, new byte[16]) >= 0,
                    "the groups' bit array, no longer than offered");

            ByteBuffer request = ByteBuffer.allocateDirect(NLMSG_HDRLEN + 56).order(ByteOrder.nativeOrder());
            request.putInt(NLMSG_HDRLEN + 56).putShort((short) SOCK_DIAG_BY_FAMILY)
                    .putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(1).putInt(0);
            request.put((byte) Posix.AF_INET).put((byte) Posix.IPPROTO_TCP).put((byte) (1 << (INET_DIAG_INFO - 1)))
                    .put((byte) 0).putInt(1 << Posix.TCP_ESTABLISHED); // the sockid after it stays 0: all of them
            request.position(0).limit(request.capacity());
            assertEquals(request.capacity(), Posix.sendto(nl, request, 0, SockAddr.netlink(0, 0)));

            TcpInfo info = new TcpInfo();
            SockAddrBuffer from = new SockAddrBuffer();
            ByteBuffer in = ByteBuffer.allocateDirect(32 * 1024).order(ByteOrder.nativeOrder());
            PollSet readable = new PollSet(1);
            readable.add(nl, Posix.POLLIN);
            boolean done = false;
            boolean client = false;
            int serverQueue = -1;
            try (Message reply = new Message(0).add(in)) {
                for (int round = 0; round < 1000 && !done; round++) {
                    assertEquals(1, readable.poll(5000), "the kernel answers within 5 s");
                    in.clear();
                    long n = Posix.recvmsg(nl, reply, 0);
                    assertTrue(reply.source(from));
                    assertEquals(0, from.netlinkPortId(), "every reply comes from the kernel");
                    for (int at = 0; at + NLMSG_HDRLEN <= n; ) {
                        int len = in.getInt(at);
                        int type = in.getShort(at + 4);
                        assertTrue(len >= NLMSG_HDRLEN && at + len <= n, "a whole message: " + len);
                        assertNotEquals(NLMSG_ERROR, type, "the request was refused");
                        if (type == NLMSG_DONE) {
                            done = true;
                            break;
                        }
                        int msg = at + NLMSG_HDRLEN;
                        int sport = Short.toUnsignedInt(in.duplicate().order(ByteOrder.BIG_ENDIAN)
                                .getShort(msg + DIAG_SPORT));
                        int dport = Short.toUnsignedInt(in.duplicate().order(ByteOrder.BIG_ENDIAN)
                                .getShort(msg + DIAG_DPORT));
                        if (sport == serverPort && dport == clientPort) {
                            serverQueue = in.getInt(msg + DIAG_RQUEUE);
                        }
                        if (sport == clientPort && dport == serverPort) {
                            client = true;
                            for (int a = msg + DIAG_MSG_LEN; a + 4 <= at + len; ) {
                                int alen = Short.toUnsignedInt(in.getShort(a));
                                assertTrue(alen >= 4, "an attribute's length");
                                if (in.getShort(a + 2) == INET_DIAG_INFO) {
                                    info.read(in.duplicate().position(a + 4).limit(a + alen));
                                }
                                a += (alen + 3) & ~3;
                            }
                        }
                        at += (len + 3) & ~3;
                    }
                }
            }
            assertTrue(done, "the dump ended with NLMSG_DONE");
            assertTrue(client, "the dump listed the test's own client socket");
            assertEquals(data.length, serverQueue, "the server's receive queue holds the unread bytes");
            assertTrue(info.length() > 0, "the client's reply carried INET_DIAG_INFO");
            assertEquals(Posix.TCP_ESTABLISHED, info.state());
            TcpInfo direct = Posix.getsockoptTcpInfo(p.a);
            assertEquals(direct.state(), info.state());
            assertEquals(direct.sndMss(), info.sndMss(), "the same socket's MSS, read two ways");
            assertEquals(direct.rcvMss(), info.rcvMss());
        }
    }

    @Test
    void aTcpInfoReadFromBytesKeepsWhatItWasGivenAndNoMore() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the typed tcp_info is Linux's");
        try (Descriptors d = new Descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            byte[] whole = new byte[512];
            int n = Posix.getsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_INFO, whole);
            TcpInfo direct = Posix.getsockoptTcpInfo(p.a);
            TcpInfo info = new TcpInfo();
            ByteBuffer src = ByteBuffer.wrap(whole, 0, n);
            assertEquals(Math.min(n, direct.length()), info.read(src).length(),
                    "up to the structure posix-send knows (a newer kernel's is longer)");
            assertEquals(0, src.position(), "the position stays");
            assertEquals(n, src.limit(), "the limit stays");
            assertEquals(direct.state(), info.state());
            assertEquals(direct.sndMss(), info.sndMss());
            info.read(ByteBuffer.wrap(whole, 0, 8));
            assertEquals(8, info.length(), "only the first 8 bytes");
            assertEquals(direct.state(), info.state(), "tcpi_state is the first byte");
            assertEquals(-1, info.rtt(), "a field past the bytes given reads -1, as for a shorter getsockopt");
            byte[] before = whole.clone();
            info.read(ByteBuffer.wrap(whole, 0, n).position(n)); // nothing remains
            assertEquals(0, info.length());
            assertArrayEquals(before, whole, "the source is only read");
            assertThrows(IllegalStateException.class, () -> direct.read(ByteBuffer.wrap(whole)),
                    "a snapshot read once has no room of its own");
        }
    }
}

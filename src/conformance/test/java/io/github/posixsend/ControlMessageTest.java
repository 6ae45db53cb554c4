// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;

import io.github.posixsend.internal.ConstantTable;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.internal.Platform;
import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.HugeControlProbe;
import io.github.posixsend.testing.Loopback;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Control messages through sendmsg and recvmsg. */
class ControlMessageTest {

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A stream socketpair whose end {@code a} is passed; proves a received copy of it works by a round trip (also
     * for other tests that pass descriptors).
     */
    static void assertUsable(int received, Descriptors.Pair passed) throws Exception {
        Posix.send(passed.b, ascii("ping"), 0);
        assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII), SocketIo.receive(received, 16, 2000));
        Posix.send(received, ascii("pong"), 0);
        assertArrayEquals("pong".getBytes(StandardCharsets.US_ASCII), SocketIo.receive(passed.b, 16, 2000));
    }

    private void rightsOver(int type) throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair link = fds.unixPair(type);
            // one descriptor
            Descriptors.Pair one = fds.unixPair(Posix.SOCK_STREAM);
            Message tx = Message.of(ascii("1")).addControl(ControlMessage.rights(one.a));
            assertEquals(1, Posix.sendmsg(link.a, tx, 0));
            Message rx = Message.of(ByteBuffer.allocate(16));
            assertEquals(1, Posix.recvmsg(link.b, rx, 0));
            assertEquals(0, rx.receivedFlags() & MsgFlag.MSG_CTRUNC.value());
            assertEquals(1, rx.receivedControl().size());
            ControlMessage got = rx.receivedControl().get(0);
            assertEquals(ControlMessage.Kind.RIGHTS, got.kind());
            assertEquals(Posix.SOL_SOCKET, got.level());
            assertEquals(Posix.SCM_RIGHTS, got.type());
            int[] r = SocketIo.receivedDescriptors(fds, rx);
            assertEquals(1, r.length);
            assertNotEquals(one.a, r[0], "the receiver gets a new descriptor number");
            assertUsable(r[0], one);

            // four in one message
            Descriptors.Pair[] four = new Descriptors.Pair[4];
            int[] passed = new int[4];
            for (int i = 0; i < 4; i++) {
                four[i] = fds.unixPair(Posix.SOCK_STREAM);
                passed[i] = four[i].a;
            }
            tx.clearControl().addControl(ControlMessage.rights(passed));
            tx.buffer(0).rewind();
            assertEquals(1, Posix.sendmsg(link.a, tx, 0));
            rx.buffer(0).clear();
            assertEquals(1, Posix.recvmsg(link.b, rx, 0));
            int[] r4 = SocketIo.receivedDescriptors(fds, rx);
            assertEquals(4, r4.length);
            for (int i = 0; i < 4; i++) {
                assertUsable(r4[i], four[i]);
            }

            // two control messages in one call: Linux merges SCM_RIGHTS into one message of both descriptors
            Descriptors.Pair x = fds.unixPair(Posix.SOCK_STREAM);
            Descriptors.Pair y = fds.unixPair(Posix.SOCK_STREAM);
            tx.clearControl().addControl(ControlMessage.rights(x.a)).addControl(ControlMessage.rights(y.a));
            tx.buffer(0).rewind();
            assertEquals(1, Posix.sendmsg(link.a, tx, 0));
            rx.buffer(0).clear();
            assertEquals(1, Posix.recvmsg(link.b, rx, 0));
            int n = rx.receivedControl().size();
            assertTrue(n == 1 || n == 2, "one merged or two SCM_RIGHTS messages, got " + n);
            int[] r2 = SocketIo.receivedDescriptors(fds, rx);
            assertEquals(2, r2.length);
            assertUsable(r2[0], x);
            assertUsable(r2[1], y);
        }
    }

    /**
     * Each kind says whether the running platform has it: on Linux every kind, and the kinds the factories refuse
     * exactly where their constants are missing; NetBSD's answers follow from its column of posix-send's tables.
     */
    @Test
    void eachKindSaysWhetherThePlatformHasIt() {
        for (ControlMessage.Kind k : ControlMessage.Kind.values()) {
            if (Os.current() == Os.LINUX) {
                assertTrue(k.isSupported(), k.name());
            }
        }
        assertTrue(ControlMessage.Kind.RAW.isSupported());
        assertEquals(ControlMessage.Kind.UDP_SEGMENT.isSupported(),
                Platform.value("UDP_SEGMENT") != Platform.UNSUPPORTED);
        assertEquals(ControlMessage.Kind.TIMESTAMPING.isSupported(),
                Platform.value("SO_TIMESTAMPING") != Platform.UNSUPPORTED);
        if (!ControlMessage.Kind.UDP_SEGMENT.isSupported()) {
            assertThrows(UnsupportedOperationException.class, () -> ControlMessage.udpSegment(1000));
        } else {
            assertEquals(ControlMessage.Kind.UDP_SEGMENT, ControlMessage.udpSegment(1000).kind());
        }
        // each kind judged against each platform's table: Linux has every kind; NetBSD lacks segmentation offload,
        // the error queue, Linux's timestamps, receive offload, drop counts, struct ucred and transmit times, and
        // has the rest
        java.util.Set<ControlMessage.Kind> notOnNetbsd = java.util.EnumSet.of(ControlMessage.Kind.UDP_SEGMENT,
                ControlMessage.Kind.EXTENDED_ERROR, ControlMessage.Kind.TIMESTAMPING, ControlMessage.Kind.TIMESTAMPNS,
                ControlMessage.Kind.UDP_GRO, ControlMessage.Kind.RXQ_OVFL, ControlMessage.Kind.CREDENTIALS,
                ControlMessage.Kind.TXTIME, ControlMessage.Kind.TCP_INQ);
        for (ControlMessage.Kind k : ControlMessage.Kind.values()) {
            assertTrue(k.isSupported(name -> ConstantTable.value(name, Os.LINUX)), "Linux: " + k);
            assertEquals(!notOnNetbsd.contains(k), k.isSupported(name -> ConstantTable.value(name, Os.NETBSD)),
                    "NetBSD: " + k);
        }
    }

    /**
     * A message of many descriptors names the first few and the count: one of 40,000 made the exception of a message
     * with too little control space 160 KB long.
     */
    @Test
    void manyDescriptorsPrintAsTheFirstFewAndTheirCount() {
        assertEquals("SCM_RIGHTS[3, 4]", ControlMessage.rights(3, 4).toString());
        assertEquals("SCM_RIGHTS[0, 1, 2, 3, 4, 5, 6, 7]", ControlMessage.rights(0, 1, 2, 3, 4, 5, 6, 7).toString());
        int[] many = new int[40_000];
        java.util.Arrays.setAll(many, i -> i);
        ControlMessage rights = ControlMessage.rights(many);
        assertEquals("SCM_RIGHTS[0, 1, 2, 3, 4, 5, 6, 7, ... (40000 descriptors)]", rights.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Message().addControl(rights));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @Test
    void scmRightsOverUnixStream() throws Exception {
        rightsOver(Posix.SOCK_STREAM);
    }

    @Test
    void scmRightsOverUnixDatagram() throws Exception {
        rightsOver(Posix.SOCK_DGRAM);
    }

    /**
     * Descriptors that arrive in a control message no record of the plan reports reach nobody, so the backend closes
     * them rather than leave them open in the process: a plan with control space but no cmsg record, read by
     * recvmsg and by recvmmsg. A passed socket's peer sees end-of-file only once every copy of it is closed.
     */
    @Test
    void descriptorsNoRecordReportsAreClosed() throws Exception {
        io.github.posixsend.internal.Backend backend = io.github.posixsend.internal.Backends.current();
        for (boolean batch : new boolean[] {false, true}) {
            try (Descriptors fds = new Descriptors()) {
                Descriptors.Pair link = fds.unixPair(Posix.SOCK_DGRAM);
                Descriptors.Pair passed = fds.unixPair(Posix.SOCK_STREAM);
                assertEquals(1, Posix.sendmsg(link.a, Message.of(ascii("1"))
                        .addControl(ControlMessage.rights(passed.a)), 0));
                fds.closeNow(passed.a); // the one copy left is the one in flight
                MessagePlan plan = TestPlans.create();
                try {
                    int space = 256;
                    plan.begin(1, 1, 0, 16 + space);
                    int data = plan.data(16);
                    plan.iovStaged(0, data, 16);
                    int control = plan.data(space);
                    plan.message(0, 0, 0, 0, 1, 0, 0, control, space);
                    long n = batch ? backend.recvmmsg(link.b, plan, 0, 1, 0, -1) : backend.recvmsg(link.b, plan, 0);
                    assertEquals(1, n, (batch ? "recvmmsg" : "recvmsg") + " takes the datagram");
                    assertEquals(1, plan.outLen(0), "its one byte");
                    assertEquals(0, plan.messageInt(0, MessagePlan.M_OUT_CMSGS), "no record reports the rights");
                } finally {
                    plan.close();
                }
                byte[] one = new byte[1];
                assertEquals(0, Posix.tryRecv(passed.b, one, 0, 1, MsgFlag.MSG_DONTWAIT.value()),
                        "end-of-file: the received copy was closed (-EAGAIN would mean it was left open), "
                                + (batch ? "recvmmsg" : "recvmsg") + " on " + Posix.backendName());
            }
        }
    }

    @Test
    void scmRightsLimits() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair link = fds.unixPair(Posix.SOCK_DGRAM);
            int fd = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            int[] many = new int[253];
            java.util.Arrays.fill(many, fd);
            Message tx = Message.of(ascii("x")).addControl(ControlMessage.rights(many));
            assertEquals(1, Posix.sendmsg(link.a, tx, 0), "253 descriptors are allowed");
            Message rx = Message.of(ByteBuffer.allocate(4));
            assertEquals(1, Posix.recvmsg(link.b, rx, 0));
            assertEquals(253, SocketIo.receivedDescriptors(fds, rx).length);

            int[] tooMany = new int[254];
            java.util.Arrays.fill(tooMany, fd);
            tx.clearControl().addControl(ControlMessage.rights(tooMany));
            tx.buffer(0).rewind();
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> Posix.sendmsg(link.a, tx, 0));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(0, tx.buffer(0).position());

            int closed = Descriptors.NEVER_OPEN;
            assertThrows(BadDescriptorException.class, () -> Posix.isBlocking(closed), "the descriptor is not open");
            tx.clearControl().addControl(ControlMessage.rights(fd, closed));
            BadDescriptorException b = assertThrows(BadDescriptorException.class, () -> Posix.sendmsg(link.a, tx, 0));
            assertEquals(Errno.EBADF, b.errno());
        }
    }

    @Test
    void controlSpaceTooSmallForReceivedDescriptorsSetsCtrunc() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair link = fds.unixPair(Posix.SOCK_DGRAM);
            Descriptors.Pair passed = fds.unixPair(Posix.SOCK_STREAM);
            Posix.sendmsg(link.a, Message.of(ascii("x")).addControl(ControlMessage.rights(passed.a, passed.b)), 0);
            Message rx = new Message(0).add(ByteBuffer.allocate(4));
            assertEquals(1, Posix.recvmsg(link.b, rx, 0));
            assertNotEquals(0, rx.receivedFlags() & MsgFlag.MSG_CTRUNC.value());
            assertEquals(0, SocketIo.receivedDescriptors(fds, rx).length);
        }
    }

    /**
     * Descriptors the control space has no room for are not received, and no copy of them stays open: Linux installs
     * those that fit and drops the rest. Each passed socket's peer reads its end of stream once the sender's own
     * descriptor and any received copy are closed, which a copy left installed anywhere in the process would prevent.
     */
    @Test
    void descriptorsWithoutRoomAreDroppedNotLeftOpen() throws Exception {
        Assumptions.assumeTrue(Os.current() == Os.LINUX, "what Linux does with the descriptors that do not fit");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair link = fds.unixPair(Posix.SOCK_DGRAM);
            Descriptors.Pair[] passed = new Descriptors.Pair[3];
            int[] ends = new int[passed.length];
            for (int i = 0; i < passed.length; i++) {
                passed[i] = fds.unixPair(Posix.SOCK_STREAM);
                ends[i] = passed[i].a;
            }
            Posix.sendmsg(link.a, Message.of(ascii("x")).addControl(ControlMessage.rights(ends)), 0);
            // room for one int of payload: C's CMSG_SPACE(sizeof(int)), which the padding widens to two on 64 bits
            Message rx = new Message(ControlMessage.space(Integer.BYTES)).add(ByteBuffer.allocate(4));
            assertEquals(1, Posix.recvmsg(link.b, rx, 0));
            assertNotEquals(0, rx.receivedFlags() & MsgFlag.MSG_CTRUNC.value(), "cut short");
            int[] got = SocketIo.receivedDescriptors(fds, rx);
            int room = (ControlMessage.space(Integer.BYTES) - ControlMessage.space(0)) / Integer.BYTES;
            assertTrue(room < passed.length, "the space is for fewer than were passed: " + room);
            assertEquals(room, got.length, "as many as the space holds");
            for (int fd : got) {
                fds.closeNow(fd);
            }
            byte[] one = new byte[1];
            for (Descriptors.Pair p : passed) {
                fds.closeNow(p.a);
                assertEquals(0, Posix.tryRecv(p.b, one, 0, 1, MsgFlag.MSG_DONTWAIT.value()),
                        "end of stream: no copy of the passed socket is open anywhere");
            }
        }
    }

    @Test
    void udpSegmentSplitsOneSendIntoDatagrams() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            byte[] data = new byte[4000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i / 1000 + 1);
            }
            ByteBuffer d = ByteBuffer.allocateDirect(4000);
            d.put(data).flip();
            Message m = Message.of(d).addControl(ControlMessage.udpSegment(1000));
            assertEquals(4000, Posix.sendmsg(p.a, m, 0));
            for (int i = 0; i < 4; i++) {
                byte[] got = SocketIo.receive(p.b, 8000, 2000);
                assertNotNull(got, "segment " + i);
                assertEquals(1000, got.length);
                for (byte b : got) {
                    assertEquals(i + 1, b);
                }
            }
            assertNull(SocketIo.receive(p.b, 8000, 50), "exactly four datagrams");
        }
    }

    /**
     * A value picked per packet costs nothing once asked for: each factory of one number returns one object per
     * value, the same to every caller and thread, of its own kind and value.
     */
    @Test
    void theFactoriesOfOneNumberShareOneObjectPerValue() throws Exception {
        assertSame(ControlMessage.ipv6Tclass(-1), ControlMessage.ipv6Tclass(-1));
        assertSame(ControlMessage.ipv6HopLimit(255), ControlMessage.ipv6HopLimit(255));
        assertSame(ControlMessage.ipv6Dontfrag(true), ControlMessage.ipv6Dontfrag(true));
        ControlMessage tos = ControlMessage.ipTos(3);
        ControlMessage ttl = ControlMessage.ipTtl(3);
        assertSame(tos, ControlMessage.ipTos(3));
        assertEquals(ControlMessage.Kind.IP_TOS, tos.kind());
        assertEquals(ControlMessage.Kind.IP_TTL, ttl.kind(), "one number, two kinds: two objects");
        assertEquals(3, ttl.value());
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.ipTos(256));
        if (Os.current() != Os.LINUX) {
            // nothing is made, so nothing is kept: every call refuses
            assertThrows(UnsupportedOperationException.class, () -> ControlMessage.udpSegment(1400));
            assertThrows(UnsupportedOperationException.class, () -> ControlMessage.udpSegment(1400));
            return;
        }
        for (int size : new int[] {0, 1, 255, 256, 1400, 65535}) {
            ControlMessage m = ControlMessage.udpSegment(size);
            assertSame(m, ControlMessage.udpSegment(size), "size " + size);
            assertEquals(ControlMessage.Kind.UDP_SEGMENT, m.kind());
            assertEquals(size, m.value());
        }
        assertNotSame(ControlMessage.udpSegment(1400), ControlMessage.udpSegment(1401));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.udpSegment(65536));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.udpSegment(-1));
        // threads asking for a value no one asked for before agree on one object (a race that rarely comes: this
        // shows the answer is one object, not that publication is safe, which AtomicReferenceArray's CAS makes it)
        int fresh = 40_000 + (int) (System.nanoTime() & 0x3ff);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
            java.util.List<java.util.concurrent.Future<ControlMessage>> made = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                made.add(pool.submit(() -> {
                    start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    return ControlMessage.udpSegment(fresh);
                }));
            }
            ControlMessage first = made.get(0).get(10, java.util.concurrent.TimeUnit.SECONDS);
            for (java.util.concurrent.Future<ControlMessage> f : made) {
                assertSame(first, f.get(10, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertSame(first, ControlMessage.udpSegment(fresh));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ipPktinfoChoosesTheSourceAddress() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            Posix.setsockopt(rx, Posix.IPPROTO_IP, Posix.IP_PKTINFO, 1);
            int tx = fds.boundUdp(false);
            // Tests send from 127.0.0.1 only, tx's own address, so a source chosen here cannot be told from none.
            // A source no datagram may have can: the kernel refuses the send when it takes ipi_spec_dst as the
            // source (a backend that lost the address would send from 127.0.0.1), and nothing leaves the host.
            InetAddress broadcast = InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
            Message refused = Message.of(ascii("never")).destination(Descriptors.addressOf(rx))
                    .addControl(ControlMessage.ipPktinfo(0, broadcast));
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> Posix.sendmsg(tx, refused, 0), "255.255.255.255 as the source");
            assertEquals(Errno.EINVAL, e.errno());
            // and 127.0.0.1 is taken: in the wrong byte order it would be 1.0.0.127, no address of this host
            InetAddress source = InetAddress.getByName("127.0.0.1");
            Message m = Message.of(ascii("from lo")).destination(Descriptors.addressOf(rx))
                    .addControl(ControlMessage.ipPktinfo(0, source));
            assertEquals(7, Posix.sendmsg(tx, m, 0));

            Message in = Message.of(ByteBuffer.allocate(64));
            assertEquals(7, Posix.recvmsg(rx, in, 0));
            InetSocketAddress from = (InetSocketAddress) in.source();
            assertEquals(source, from.getAddress(), "the receiver sees 127.0.0.1 as the source");
            assertEquals(Descriptors.addressOf(tx).getPort(), from.getPort());
            assertEquals(1, in.receivedControl().size());
            ControlMessage info = in.receivedControl().get(0);
            assertEquals(ControlMessage.Kind.IP_PKTINFO, info.kind());
            assertEquals(InetAddress.getByName("127.0.0.1"), info.address(), "ipi_addr: the packet's destination");
            assertTrue(info.interfaceIndex() > 0);
            // read at the headers' offset: at the interface index's it would be 1.0.0.0 (lo is interface 1)
            assertEquals(source, info.specificDestination(), "ipi_spec_dst: the local address it was routed to");
            IllegalStateException built = assertThrows(IllegalStateException.class,
                    () -> ControlMessage.ipPktinfo(0, source).specificDestination());
            assertTrue(built.getMessage().contains("built to be sent"), built.getMessage());
        }
    }

    @Test
    void ipv6PktinfoIsSentAndReceived() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(true);
            Posix.setsockopt(rx, Posix.IPPROTO_IPV6, Posix.IPV6_RECVPKTINFO, 1);
            int tx = fds.boundUdp(true);
            InetAddress lo6 = InetAddress.getByName("::1");
            Message m = Message.of(ascii("six")).destination(Descriptors.addressOf(rx))
                    .addControl(ControlMessage.ipv6Pktinfo(0, lo6));
            assertEquals(3, Posix.sendmsg(tx, m, 0));
            Message in = Message.of(ByteBuffer.allocate(64));
            assertEquals(3, Posix.recvmsg(rx, in, 0));
            ControlMessage info = in.receivedControl().get(0);
            assertEquals(ControlMessage.Kind.IPV6_PKTINFO, info.kind());
            assertTrue(info.address() instanceof Inet6Address);
            assertThrows(IllegalStateException.class, info::specificDestination, "IPv6 has no ipi_spec_dst");
            assertEquals(lo6, info.address());
            assertEquals(lo6, ((InetSocketAddress) in.source()).getAddress());
        }
    }

    @Test
    void anIpv4DatagramsPktinfoOnAnIpv6SocketIsAnIpv6Address() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(rx, Posix.IPPROTO_IPV6, Posix.IPV6_V6ONLY, 0); // else a mapped address cannot be bound
            Posix.setsockopt(rx, Posix.IPPROTO_IPV6, Posix.IPV6_RECVPKTINFO, 1);
            Posix.bind(rx, new InetSocketAddress(Loopback.mappedIpv4(), 0));
            int port = ((InetSocketAddress) Posix.getsockname(rx)).getPort();
            int tx = fds.boundUdp(false);
            Posix.sendto(tx, ascii("four"), 0, new InetSocketAddress("127.0.0.1", port));
            Message in = Message.of(ByteBuffer.allocate(64));
            assertEquals(4, Posix.recvmsg(rx, in, 0));
            ControlMessage info = in.receivedControl().get(0);
            assertEquals(ControlMessage.Kind.IPV6_PKTINFO, info.kind());
            // ::ffff:127.0.0.1 as C has it, which IPV6_PKTINFO takes back as a source; an Inet4Address it refuses
            assertTrue(info.address() instanceof Inet6Address, info.address().toString());
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1},
                    info.address().getAddress());
            assertEquals(ControlMessage.Kind.IPV6_PKTINFO, ControlMessage.ipv6Pktinfo(0, info.address()).kind());
        }
    }

    @Test
    void tosTtlTclassAndHopLimitArrive() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTOS, 1);
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTTL, 1);
            Message m = Message.of(ascii("t")).addControl(ControlMessage.ipTos(0x28))
                    .addControl(ControlMessage.ipTtl(7));
            assertEquals(1, Posix.sendmsg(p.a, m, 0));
            Message in = Message.of(ByteBuffer.allocate(8));
            Posix.recvmsg(p.b, in, 0);
            int tos = -1;
            int ttl = -1;
            for (ControlMessage c : in.receivedControl()) {
                if (c.kind() == ControlMessage.Kind.IP_TOS) {
                    tos = c.value();
                } else if (c.kind() == ControlMessage.Kind.IP_TTL) {
                    ttl = c.value();
                }
            }
            assertEquals(0x28, tos);
            assertEquals(7, ttl);

            Descriptors.Pair p6 = fds.udpPair(true);
            Posix.setsockopt(p6.b, Posix.IPPROTO_IPV6, Posix.IPV6_RECVTCLASS, 1);
            Posix.setsockopt(p6.b, Posix.IPPROTO_IPV6, Posix.IPV6_RECVHOPLIMIT, 1);
            Message m6 = Message.of(ascii("6")).addControl(ControlMessage.ipv6Tclass(0x20))
                    .addControl(ControlMessage.ipv6HopLimit(9));
            assertEquals(1, Posix.sendmsg(p6.a, m6, 0));
            Posix.recvmsg(p6.b, in.clear().add(ByteBuffer.allocate(8)), 0);
            int tclass = -1;
            int hops = -1;
            for (ControlMessage c : in.receivedControl()) {
                if (c.kind() == ControlMessage.Kind.IPV6_TCLASS) {
                    tclass = c.value();
                } else if (c.kind() == ControlMessage.Kind.IPV6_HOPLIMIT) {
                    hops = c.value();
                }
            }
            assertEquals(0x20, tclass);
            assertEquals(9, hops);
        }
    }

    /** An untyped control message built from one int reaches the kernel as C's would: a hop limit the peer sees. */
    @Test
    void aRawIntControlMessageIsCsIntPayload() throws Exception {
        ControlMessage raw = ControlMessage.raw(Posix.IPPROTO_IPV6, Posix.IPV6_HOPLIMIT, 0x0102_0304);
        assertEquals(ControlMessage.Kind.RAW, raw.kind());
        byte[] c = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0x0102_0304).array();
        assertArrayEquals(c, raw.data(), "the int in native order, as at CMSG_DATA");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p6 = fds.udpPair(true);
            Posix.setsockopt(p6.b, Posix.IPPROTO_IPV6, Posix.IPV6_RECVHOPLIMIT, 1);
            Message m = Message.of(ascii("h")).addControl(ControlMessage.raw(Posix.IPPROTO_IPV6,
                    Posix.IPV6_HOPLIMIT, 11));
            assertEquals(1, Posix.sendmsg(p6.a, m, 0));
            Message in = Message.of(ByteBuffer.allocate(8));
            Posix.recvmsg(p6.b, in, 0);
            assertEquals(11, in.receivedValue(ControlMessage.Kind.IPV6_HOPLIMIT));
        }
        assertThrows(UnsupportedOperationException.class, () -> ControlMessage.raw(Posix.UNSUPPORTED, 1, 0));
    }

    @Test
    void aControlMessageTheKernelRejectsFailsWithEinval() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair link = fds.unixPair(Posix.SOCK_DGRAM);
            byte[] four = new byte[4];
            Message m = Message.of(ascii("x")).addControl(ControlMessage.raw(Posix.SOL_SOCKET, 0x7ff0, four));
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> Posix.sendmsg(link.a, m, 0));
            assertEquals("sendmsg: EINVAL (Invalid argument)", e.getMessage());
            Descriptors.Pair udp = fds.udpPair(false);
            Message m2 = Message.of(ascii("x")).addControl(ControlMessage.raw(Posix.IPPROTO_IP, 0x7ff0, four));
            assertThrows(InvalidArgumentException.class, () -> Posix.sendmsg(udp.a, m2, 0));
            assertEquals(-Errno.EINVAL.number(), Posix.trySendmsg(udp.a, m2, 0));
        }
    }

    @Test
    void aNonexistentInterfaceFailsWithANamedErrno() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair udp = fds.udpPair(false);
            Message m = Message.of(ascii("x")).addControl(ControlMessage.ipPktinfo(999999, null));
            ErrnoException e = assertThrows(ErrnoException.class, () -> Posix.sendmsg(udp.a, m, 0));
            assertNotNull(e.errno(), "an errno without a name: " + e.getMessage());
            if (Os.current() == Os.LINUX) {
                assertEquals("ENODEV", e.errno().name());
                assertSame(ErrnoException.class, e.getClass());
                assertEquals("sendmsg: ENODEV (No such device)", e.getMessage());
            }
        }
    }

    @Test
    void rawControlMessagesRoundTrip() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            // SCM_RIGHTS built by hand: the payload is an int array in native byte order
            Descriptors.Pair link = fds.unixPair(Posix.SOCK_STREAM);
            Descriptors.Pair passed = fds.unixPair(Posix.SOCK_STREAM);
            byte[] payload = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(passed.a).array();
            Message m = Message.of(ascii("r"))
                    .addControl(ControlMessage.raw(Posix.SOL_SOCKET, Posix.SCM_RIGHTS, payload));
            assertEquals(1, Posix.sendmsg(link.a, m, 0));
            Message in = Message.of(ByteBuffer.allocate(4));
            assertEquals(1, Posix.recvmsg(link.b, in, 0));
            ControlMessage got = in.receivedControl().get(0);
            assertEquals(ControlMessage.Kind.RIGHTS, got.kind());
            assertEquals(4, got.data().length);
            int[] r = SocketIo.receivedDescriptors(fds, in);
            assertEquals(1, r.length);
            assertUsable(r[0], passed);

            // IP_TOS as raw bytes, read back raw and typed
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTOS, 1);
            byte[] tos = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0x48).array();
            assertEquals(1, Posix.sendmsg(p.a, Message.of(ascii("t"))
                    .addControl(ControlMessage.raw(Posix.IPPROTO_IP, Posix.IP_TOS, tos)), 0));
            Posix.recvmsg(p.b, in.clear().add(ByteBuffer.allocate(4)), 0);
            ControlMessage t = in.receivedControl().get(0);
            assertEquals(Posix.IPPROTO_IP, t.level());
            assertEquals(Posix.IP_TOS, t.type());
            assertEquals(0x48, t.value());
            assertEquals(0x48, t.data()[0] & 0xff);
        }
    }

    /** The one record of {@code level} and {@code type} among {@code m}'s received control messages. */
    private static ControlMessage onlyRecord(Message m, int level, int type, String what) {
        ControlMessage found = null;
        for (ControlMessage c : m.receivedControl()) {
            if (c.level() == level && c.type() == type) {
                assertNull(found, "two " + what + " records: " + m.receivedControl());
                found = c;
            }
        }
        assertNotNull(found, "no " + what + " record: " + m.receivedControl());
        return found;
    }

    /**
     * Control messages posix-send has no kind for arrive as RAW with their exact level, type and bytes. Linux's
     * IP_ORIGDSTADDR comes with every datagram once IP_RECVORIGDSTADDR is set, so each receive below has one to
     * check; beside it, UDP_GRO's segment size, which comes with a datagram the kernel kept whole, is typed.
     */
    @Test
    void anUnknownKindArrivesAsRaw() throws Exception {
        Assumptions.assumeTrue(Os.current() == Os.LINUX,
                "UDP_GRO and IP_RECVORIGDSTADDR are Linux's, not " + Os.current());
        // Linux's IP_RECVORIGDSTADDR, also the type of the IP_ORIGDSTADDR record: posix-send's table has no such
        // constant (NetBSD has no such option), so the number comes from the kernel's ABI, as ErrorQueueTest's
        // SO_PASSPIDFD does
        int ipRecvOrigDstAddr = 20;
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair g = fds.udpPair(false);
            Posix.setsockopt(g.b, Posix.SOL_UDP, Posix.UDP_GRO, 1);
            Posix.setsockopt(g.b, Posix.IPPROTO_IP, ipRecvOrigDstAddr, 1);
            // struct sockaddr_in of the receiver: family (native order), port and address (network order), 8 zeros
            InetSocketAddress to = Descriptors.addressOf(g.b);
            byte[] origDst = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putShort((short) Posix.AF_INET)
                    .order(ByteOrder.BIG_ENDIAN).putShort((short) to.getPort()).put(to.getAddress().getAddress())
                    .array();
            ByteBuffer big = ByteBuffer.allocateDirect(3000);
            assertEquals(3000, Posix.sendmsg(g.a, Message.of(big).addControl(ControlMessage.udpSegment(1000)), 0));
            Message gin = Message.of(ByteBuffer.allocate(4000));
            long n = Posix.recvmsg(g.b, gin, 0);
            // loopback keeps the segmented send whole and UDP_GRO lets the socket take it so: 3000 bytes and the
            // segment size; a kernel that splits it instead delivers three datagrams of 1000 and no UDP_GRO record
            assertTrue(n == 1000 || n == 3000, "one segment, or three coalesced by GRO: " + n);
            int datagrams = n == 3000 ? 1 : 3;
            for (int i = 0; i < datagrams; i++) {
                if (i > 0) {
                    assertEquals(1000, Posix.recvmsg(g.b, gin.clear().add(ByteBuffer.allocate(4000)), 0),
                            "segment " + i);
                }
                assertEquals(0, gin.receivedFlags() & MsgFlag.MSG_CTRUNC.value(), "all control messages fit");
                assertEquals(n == 3000 ? 2 : 1, gin.receivedControl().size(), gin.receivedControl().toString());
                for (ControlMessage c : gin.receivedControl()) {
                    assertEquals(c.type() == Posix.UDP_GRO ? ControlMessage.Kind.UDP_GRO : ControlMessage.Kind.RAW,
                            c.kind(), c.toString());
                }
                ControlMessage dst = onlyRecord(gin, Posix.IPPROTO_IP, ipRecvOrigDstAddr, "IP_ORIGDSTADDR");
                assertArrayEquals(origDst, dst.data(), "the receiver's sockaddr_in");
                if (n == 3000) {
                    ControlMessage gro = onlyRecord(gin, Posix.SOL_UDP, Posix.UDP_GRO, "UDP_GRO");
                    assertEquals(4, gro.data().length);
                    assertEquals(1000, ByteBuffer.wrap(gro.data()).order(ByteOrder.nativeOrder()).getInt());
                    assertEquals(1000, gro.value());
                }
            }
            assertNull(SocketIo.receive(g.b, 4000, 20), "nothing more arrived");
        }
    }

    @Test
    void messageStructureConstantsMatchTheTable() {
        String[] names = {"SIZEOF_MSGHDR", "SIZEOF_MMSGHDR", "SIZEOF_IOVEC", "SIZEOF_CMSGHDR", "CMSG_LEN_0",
            "CMSG_SPACE_0", "CMSG_SPACE_1", "CMSG_SPACE_INT", "SIZEOF_IN_PKTINFO", "SIZEOF_IN6_PKTINFO",
            "OFFSETOF_IPI_SPEC_DST"};
        for (String n : names) {
            assertEquals(ConstantTable.value(n, Platform.os()), Platform.value(n), n);
        }
        assertEquals(Platform.value("CMSG_SPACE_INT"), ControlMessage.ipTtl(1).space());
        assertEquals(Platform.value("CMSG_SPACE_0"), ControlMessage.rights().space());
        // CMSG_SPACE for a porter's sizing: the same as the space of a message of that payload
        assertEquals(Platform.value("CMSG_SPACE_0"), ControlMessage.space(0));
        assertEquals(Platform.value("CMSG_SPACE_1"), ControlMessage.space(1));
        assertEquals(Platform.value("CMSG_SPACE_INT"), ControlMessage.space(Integer.BYTES));
        assertEquals(ControlMessage.rights(1, 2).space(), ControlMessage.space(2 * Integer.BYTES));
        for (int n : new int[] {3, 16, 17, 100}) {
            assertEquals(ControlMessage.raw(Posix.SOL_SOCKET, 0x7777, new byte[n]).space(), ControlMessage.space(n));
        }
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> ControlMessage.space(-1));
        assertTrue(negative.getMessage().contains("negative"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.space(Integer.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.space(Message.MAX_CONTROL_SPACE));
        // CMSG_LEN: the header and the payload, no padding after it
        int len0 = Platform.value("CMSG_LEN_0");
        assertEquals(len0, ControlMessage.length(0));
        assertEquals(len0 + Integer.BYTES, ControlMessage.length(Integer.BYTES));
        assertEquals(len0 + 3, ControlMessage.length(3));
        assertEquals(Message.MAX_CONTROL_SPACE, ControlMessage.length(Message.MAX_CONTROL_SPACE - len0));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.length(Message.MAX_CONTROL_SPACE - len0 + 1));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.length(-1));
    }

    /**
     * C's {@code CMSG_LEN(sizeof(int))} as {@code msg_controllen}: room for exactly one descriptor, so one of two is
     * received, and the received message's {@code cmsg_len} (the control length the kernel reports) is that length.
     */
    @Test
    void controlSpaceOfCmsgLenHoldsExactlyThePayload() throws Exception {
        Assumptions.assumeTrue(Os.current() == Os.LINUX, "NetBSD hands SCM_RIGHTS over whole or not at all");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair link = fds.unixPair(Posix.SOCK_DGRAM);
            Descriptors.Pair passed = fds.unixPair(Posix.SOCK_STREAM);
            Posix.sendmsg(link.a, Message.of(ascii("x")).addControl(ControlMessage.rights(passed.a, passed.b)), 0);
            Message rx = new Message(ControlMessage.length(Integer.BYTES)).add(ByteBuffer.allocate(4));
            assertEquals(1, Posix.recvmsg(link.b, rx, 0));
            assertNotEquals(0, rx.receivedFlags() & MsgFlag.MSG_CTRUNC.value(), "the second had no room");
            assertEquals(1, SocketIo.receivedDescriptors(fds, rx).length);
            assertEquals(ControlMessage.length(Integer.BYTES), rx.receivedControlLength(), "cmsg_len of one int");
        }
    }

    // ---- control space arithmetic -----------------------------------------------------------------------------

    @Test
    void aPayloadNoMessageCanHoldIsRefusedAtConstruction() {
        int largest = Message.MAX_CONTROL_SPACE - Platform.value("CMSG_SPACE_0");
        ControlMessage fits = ControlMessage.raw(Posix.SOL_SOCKET, 0x7ff0, new byte[largest]);
        assertEquals(Message.MAX_CONTROL_SPACE, fits.space());
        Message m = new Message(Message.MAX_CONTROL_SPACE).addControl(fits);
        assertThrows(IllegalArgumentException.class, () -> m.addControl(fits), "the control space is full");
        assertEquals(1, m.controlCount());
        for (int n : new int[] {largest + 1, Message.MAX_CONTROL_SPACE, Message.MAX_CONTROL_SPACE + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ControlMessage.raw(Posix.SOL_SOCKET, 0x7ff0, new byte[n]), n + " bytes");
            assertTrue(e.getMessage().contains("MAX_CONTROL_SPACE"), e.getMessage());
        }
        // SCM_RIGHTS is sized the same way: 4 bytes a descriptor
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.rights(new int[largest / 4 + 1]));
        assertEquals(Message.MAX_CONTROL_SPACE, ControlMessage.rights(new int[largest / 4]).space());
    }

    @Test
    void spaceArithmeticDoesNotWrapNearTwoGiB() {
        long space0 = Platform.value("CMSG_SPACE_0");
        for (long n : new long[] {Integer.MAX_VALUE - 8L, Integer.MAX_VALUE - 1L, Integer.MAX_VALUE}) {
            long s = ControlMessage.spaceOf(n);
            assertTrue(s >= n + space0 && s > Message.MAX_CONTROL_SPACE, n + " bytes gave space " + s);
        }
        assertEquals(space0, ControlMessage.spaceOf(0));
        assertEquals(Platform.value("CMSG_SPACE_1"), ControlMessage.spaceOf(1));
        assertEquals(Platform.value("CMSG_SPACE_INT"), ControlMessage.spaceOf(Integer.BYTES));
    }

    @Test
    void aPayloadNearTwoGiBIsRefusedNotWrapped(@TempDir java.nio.file.Path work) throws Exception {
        // the arithmetic does not depend on the backend: one 2 GiB child per suite is enough
        Assumptions.assumeTrue(Posix.backendName().equals("jni"), "run once, on the JNI suite");
        // a 2 GiB array in a child JVM with room for it, not in the test JVM's heap
        ChildJvm.Result r = ChildJvm.of(HugeControlProbe.class).jvm("-Xmx3g").workDir(work)
                .timeoutSeconds(120).run();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().contains("refused: ") && r.output().contains("MAX_CONTROL_SPACE"), r.toString());
    }

    /**
     * IPV6_RECVPATHMTU: a datagram above the socket's IPv6 MTU, with fragmentation off, fails with EMSGSIZE, and the
     * next receive carries the path MTU and the destination, a typed struct ip6_mtuinfo, read in place or as an object.
     */
    @Test
    void aTooLargeIpv6SendIsFollowedByItsPathMtu() throws Exception {
        Assumptions.assumeTrue(Os.current() == Os.LINUX, "IPV6_MTU is Linux's");
        try (Descriptors fds = new Descriptors();
                Message in = new Message(ControlMessage.space(ControlMessage.Kind.IPV6_PATHMTU))
                        .add(ByteBuffer.allocateDirect(8))) {
            int rx = fds.boundUdp(true);
            int fd = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_DONTFRAG, 1);
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_RECVPATHMTU, 1);
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_MTU, 1280);
            SockAddr to = SockAddr.of(Descriptors.addressOf(rx));
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> Posix.sendto(fd, new byte[1300], 0, 1300, 0, to));
            assertEquals(Errno.EMSGSIZE, e.errno());
            assertEquals(0, Posix.tryRecvmsg(fd, in, MsgFlag.MSG_DONTWAIT.value()), "no data, the report alone");
            assertEquals(1280, in.receivedValue(ControlMessage.Kind.IPV6_PATHMTU));
            ControlMessage c = in.receivedControl().get(0);
            assertEquals(ControlMessage.Kind.IPV6_PATHMTU, c.kind());
            assertEquals(1280, c.value());
            assertEquals(InetAddress.getByName("::1"), c.address());
            assertEquals(0, ((Inet6Address) c.address()).getScopeId(), "sent with no interface");
            assertThrows(IllegalStateException.class, c::interfaceIndex, "the MTU is no interface index");
            assertEquals(-1, in.receivedValue(ControlMessage.Kind.IP_TOS), "nothing else came");
            // nothing more to report: the next receive finds no datagram
            assertEquals(-Errno.EAGAIN.number(), Posix.tryRecvmsg(fd, in, MsgFlag.MSG_DONTWAIT.value()));

            // sent out of a named interface, the report's sockaddr_in6 carries it as the scope, as C reads it
            int lo = NetworkInterface.getByInetAddress(InetAddress.getByName("::1")).getIndex();
            try (Message out = Message.of(ByteBuffer.allocateDirect(1300)).destination(to)
                    .addControl(ControlMessage.ipv6Pktinfo(lo, null))) {
                assertEquals(-Errno.EMSGSIZE.number(), Posix.trySendmsg(fd, out, 0));
            }
            assertEquals(0, Posix.tryRecvmsg(fd, in, MsgFlag.MSG_DONTWAIT.value()));
            Inet6Address scoped = (Inet6Address) in.receivedControl().get(0).address();
            assertEquals(lo, scoped.getScopeId());
            assertArrayEquals(InetAddress.getByName("::1").getAddress(), scoped.getAddress());
        }
    }

    /** IPV6_DONTFRAG for one datagram: the same 1300 bytes leave in fragments without it and fail with it. */
    @Test
    void aDatagramsOwnDontfragOverridesTheSockets() throws Exception {
        Assumptions.assumeTrue(Os.current() == Os.LINUX, "IPV6_MTU is Linux's");
        try (Descriptors fds = new Descriptors();
                Message out = new Message(ControlMessage.space(ControlMessage.Kind.IPV6_DONTFRAG))
                        .add(ByteBuffer.allocateDirect(1300))) {
            int rx = fds.boundUdp(true);
            int fd = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_MTU, 1280);
            out.destination(SockAddr.of(Descriptors.addressOf(rx)));
            assertEquals(1300, Posix.sendmsg(fd, out, 0), "fragmented by the sender");
            assertEquals(1300, SocketIo.receive(rx, 2000, 2000).length, "and put together again");
            out.rewind().addControl(ControlMessage.ipv6Dontfrag(true));
            assertEquals(-Errno.EMSGSIZE.number(), Posix.trySendmsg(fd, out, 0));
            out.clearControl().addControl(ControlMessage.ipv6Dontfrag(false));
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_DONTFRAG, 1);
            assertEquals(1300, Posix.sendmsg(fd, out, 0), "allowed for this one, forbidden for the socket");
            assertEquals(ControlMessage.Kind.IPV6_DONTFRAG, ControlMessage.ipv6Dontfrag(true).kind());
            assertEquals(1, ControlMessage.ipv6Dontfrag(true).value());
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Packet sockets on the loopback interface only: a frame of the local experimental ethertype sent with a
 * link-layer address and received with the address the kernel reports, the statistics read as bytes, transmit
 * timestamps read from the socket's error queue, and {@code htons} as C's.
 */
class PacketSocketTest {
    private static final byte[] NO_HARDWARE_ADDRESS = new byte[0];

    @Test
    void htonsAndHtonlAreCs() {
        for (int v : new int[] {0, 3, 0x0800, 0x86dd, 0x88b5, 0xffff}) {
            ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort(0, (short) Posix.htons(v));
            assertEquals(v, Short.toUnsignedInt(b.order(ByteOrder.BIG_ENDIAN).getShort(0)), "htons(" + v + ")");
            assertEquals(v, Posix.ntohs(Posix.htons(v)));
        }
        assertEquals(Posix.htons(0x1234), Posix.htons(0xabcd1234), "the low 16 bits");
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, Posix.htonl(0x7f000001));
        assertEquals(0x7f000001, b.order(ByteOrder.BIG_ENDIAN).getInt(0), "htonl(INADDR_LOOPBACK)");
        assertEquals(0x7f000001, Posix.ntohl(Posix.htonl(0x7f000001)));
    }

    @Test
    void theAddressIsSockaddrLl() {
        assumeTrue(Os.current() == Os.LINUX, "packet sockets are Linux's");
        SockAddr a = SockAddr.packet(1, Posix.ETH_P_802_EX1, new byte[] {2, 0, 0, 0, 0, 1});
        assertEquals(Posix.AF_PACKET, a.family());
        assertEquals(20, a.length(), "sizeof(struct sockaddr_ll)");
        assertEquals(1, a.packetInterfaceIndex());
        assertEquals(0x88b5, a.packetProtocol());
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 1}, a.packetHardwareAddress());
        assertEquals("packet:if 1, protocol 0x88b5, 02:00:00:00:00:01, type 0", a.toString());
        assertEquals(a, SockAddr.packet(1, Posix.ETH_P_802_EX1, new byte[] {2, 0, 0, 0, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.packet(1, 0x10000, NO_HARDWARE_ADDRESS));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.packet(1, -1, NO_HARDWARE_ADDRESS));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.packet(1, 0, new byte[9]), "sll_addr is 8");
        SockAddr inet = SockAddr.of(new InetSocketAddress("127.0.0.1", 9));
        assertThrows(IllegalStateException.class, inet::packetProtocol);
        assertThrows(IllegalStateException.class, new SockAddrBuffer()::packetType, "no address held");
    }

    @Test
    void refusedWhereThereAreNoPacketSockets() {
        assumeTrue(Os.current() != Os.LINUX, "elsewhere than Linux");
        assertThrows(UnsupportedOperationException.class, () -> SockAddr.packet(1, 0, NO_HARDWARE_ADDRESS));
    }

    /** lo's index, C's if_nametoindex("lo"), as java.net gives it; the same as sysfs's where that can be read. */
    private static int loopbackIndex() throws Exception {
        int index = java.net.NetworkInterface.getByName("lo").getIndex();
        Path p = Path.of("/sys/class/net/lo/ifindex");
        if (Files.isReadable(p)) {
            assertEquals(Integer.parseInt(Files.readString(p).trim()), index);
        }
        return index;
    }

    @Test
    void aFrameSentOnLoopbackArrivesWithItsLinkLayerAddress() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "packet sockets are Linux's");
        try (Descriptors fds = new Descriptors()) {
            frameOverLoopback(fds);
        }
    }

    @Test
    void theStatisticsCountTheFrameRead() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "packet sockets are Linux's");
        try (Descriptors fds = new Descriptors()) {
            int rx = frameOverLoopback(fds);
            byte[] stats = new byte[8]; // struct tpacket_stats: tp_packets, tp_drops
            assertEquals(8, Posix.getsockopt(rx, Posix.SOL_PACKET, Posix.PACKET_STATISTICS, stats));
            ByteBuffer s = ByteBuffer.wrap(stats).order(ByteOrder.nativeOrder());
            assertTrue(s.getInt(0) >= 1, "at least the frame read counted: " + s.getInt(0));
            assertEquals(0, s.getInt(4), "none dropped");
            assertEquals(8, Posix.getsockopt(rx, Posix.SOL_PACKET, Posix.PACKET_STATISTICS, stats));
            assertEquals(0, ByteBuffer.wrap(stats).order(ByteOrder.nativeOrder()).getInt(0), "a read resets them");
        }
    }

    @Test
    void aFramesTransmitTimestampIsReadFromThePacketSocketsErrorQueue() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "packet sockets are Linux's");
        try (Descriptors fds = new Descriptors();
                Message errors = new Message(ControlMessage.space(ControlMessage.Kind.EXTENDED_ERROR)
                        + ControlMessage.space(ControlMessage.Kind.TIMESTAMPING))) {
            int tx = packetSocket(fds, Posix.SOCK_DGRAM, 0);
            Posix.setsockopt(tx, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING,
                    Posix.SOF_TIMESTAMPING_TX_SOFTWARE | Posix.SOF_TIMESTAMPING_SOFTWARE
                            | Posix.SOF_TIMESTAMPING_OPT_ID | Posix.SOF_TIMESTAMPING_OPT_TSONLY);
            SockAddr to = SockAddr.packet(loopbackIndex(), Posix.ETH_P_802_EX1, new byte[6]);
            byte[] frame = new byte[16];
            PollSet erred = new PollSet(1);
            erred.add(tx, 0); // POLLERR is reported whatever is asked for
            ErrorQueueEntry entry = new ErrorQueueEntry();
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            for (int id = 0; id < 2; id++) {
                long before = Posix.clockGettime(Posix.CLOCK_REALTIME);
                assertEquals(frame.length, Posix.sendto(tx, frame, 0, frame.length, 0, to));
                assertEquals(1, ErrorQueueTest.readyWithinTwoSeconds(erred), "the timestamp comes within 2 s");
                assertTrue((erred.revents(0) & Posix.POLLERR) != 0, erred.toString());
                // the read asks for MSG_CMSG_CLOEXEC, which a packet socket refuses: it must still read the entry
                assertEquals(0, entry.tryReadFrom(tx, dontwait), "no data is asked for");
                assertTrue(entry.isValid(), "SOL_PACKET/PACKET_TX_TIMESTAMP is the extended error: " + entry);
                assertTrue((entry.flags() & MsgFlag.MSG_ERRQUEUE.value()) != 0, entry.toString());
                assertEquals(Posix.SO_EE_ORIGIN_TIMESTAMPING, entry.origin(), entry.toString());
                assertEquals(Errno.ENOMSG.number(), entry.errno(), entry.toString());
                assertTrue(entry.isTimestamp(), entry.toString());
                assertEquals(TxTimestamp.Point.SENT, entry.timestampPoint(), entry.toString());
                assertEquals(id, entry.data(), "OPT_ID numbers the frames from 0");
                long at = entry.softwareNanos();
                assertTrue(at >= before - 1_000_000 && at <= Posix.clockGettime(Posix.CLOCK_REALTIME) + 1_000_000,
                        "taken between the send and now, CLOCK_REALTIME: " + at + " after " + before);
            }
            assertEquals(-Errno.EAGAIN.number(), entry.tryReadFrom(tx, dontwait), "one entry a frame");
            assertFalse(entry.isValid());

            // the general way: recvmsg(MSG_ERRQUEUE) into a message, which the library adds no flag to
            assertEquals(frame.length, Posix.sendto(tx, frame, 0, frame.length, 0, to));
            assertEquals(1, ErrorQueueTest.readyWithinTwoSeconds(erred), "the timestamp comes within 2 s");
            assertEquals(0, Posix.recvmsg(tx, errors, MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT)));
            java.util.List<ControlMessage> got = errors.receivedControl();
            assertTrue(got.stream().anyMatch(c -> c.kind() == ControlMessage.Kind.EXTENDED_ERROR
                    && c.level() == Posix.SOL_PACKET && c.type() == Posix.PACKET_TX_TIMESTAMP), got.toString());
            assertTrue(entry.read(errors), got.toString());
            assertEquals(2, entry.data(), "the third frame");
            assertEquals(TxTimestamp.Point.SENT, entry.timestampPoint(), entry.toString());
        }
    }

    /**
     * With {@code PACKET_AUXDATA}, each frame comes with a {@code struct tpacket_auxdata}, a structure posix-send does
     * not type: read without allocating by {@link Message#receivedPayload}, its fields where linux/if_packet.h puts
     * them (tp_status, tp_len, tp_snaplen, then the 16-bit tp_mac and tp_net).
     */
    @Test
    void eachFramesAuxiliaryDataIsReadAsItsBytes() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "packet sockets are Linux's");
        int proto = Posix.ETH_P_802_EX1;
        try (Descriptors fds = new Descriptors();
                Message in = new Message(ControlMessage.space(20)).add(ByteBuffer.allocateDirect(256))) {
            int rx = packetSocket(fds, Posix.SOCK_DGRAM | Posix.SOCK_NONBLOCK, Posix.htons(proto));
            int lo = loopbackIndex();
            Posix.bind(rx, SockAddr.packet(lo, proto, NO_HARDWARE_ADDRESS));
            Posix.setsockopt(rx, Posix.SOL_PACKET, Posix.PACKET_AUXDATA, 1);
            int tx = packetSocket(fds, Posix.SOCK_DGRAM, 0);
            byte[] frame = new byte[50];
            assertEquals(frame.length, Posix.sendto(tx, frame, 0, frame.length, 0,
                    SockAddr.packet(lo, proto, new byte[6])));
            PollSet readable = new PollSet(1);
            readable.add(rx, Posix.POLLIN);
            assertEquals(1, readable.poll(2000), "the frame comes back within 2 s");
            assertEquals(frame.length, Posix.recvmsg(rx, in, 0));
            byte[] aux = new byte[32];
            assertEquals(20, in.receivedPayload(Posix.SOL_PACKET, Posix.PACKET_AUXDATA, aux),
                    "sizeof(struct tpacket_auxdata)");
            ByteBuffer b = ByteBuffer.wrap(aux).order(ByteOrder.nativeOrder());
            assertTrue((b.getInt(0) & 1) != 0, "TP_STATUS_USER: " + Integer.toHexString(b.getInt(0)));
            assertEquals(frame.length, b.getInt(4), "tp_len");
            assertEquals(frame.length, b.getInt(8), "tp_snaplen");
            assertEquals(-1, in.receivedPayload(Posix.SOL_PACKET, Posix.PACKET_STATISTICS, aux), "no such message");
        }
    }

    @Test
    void aMembershipRequestIsPacketMreq() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "packet sockets are Linux's");
        assertEquals(16, Posix.packetMreq(1, Posix.PACKET_MR_MULTICAST, new byte[8]).length,
                "sizeof(struct packet_mreq)");
        byte[] m = Posix.packetMreq(7, Posix.PACKET_MR_MULTICAST, new byte[] {1, 0, 0x5e, 0, 0, 1});
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
        assertEquals(7, b.getInt(0), "mr_ifindex");
        assertEquals(Posix.PACKET_MR_MULTICAST, b.getShort(4), "mr_type");
        assertEquals(6, b.getShort(6), "mr_alen");
        assertArrayEquals(new byte[] {1, 0, 0x5e, 0, 0, 1, 0, 0}, java.util.Arrays.copyOfRange(m, 8, 16), "mr_address");
        assertThrows(IllegalArgumentException.class, () -> Posix.packetMreq(-1, 0, NO_HARDWARE_ADDRESS));
        assertThrows(IllegalArgumentException.class, () -> Posix.packetMreq(1, 0x10000, NO_HARDWARE_ADDRESS));
        assertThrows(IllegalArgumentException.class, () -> Posix.packetMreq(1, 0, new byte[9]), "mr_address is 8");
        assertThrows(NullPointerException.class, () -> Posix.packetMreq(1, 0, null));
    }

    @Test
    void allMulticastModeIsHeldWhileTheSocketHoldsIt() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "packet sockets are Linux's");
        Path flags = Path.of("/sys/class/net/lo/flags");
        assumeTrue(Files.isReadable(flags), "lo's flags are read from sysfs");
        int allmulti = 0x200; // IFF_ALLMULTI
        assumeTrue((loopbackFlags(flags) & allmulti) == 0, "nobody else holds lo in all-multicast mode");
        try (Descriptors fds = new Descriptors()) {
            int s = packetSocket(fds, Posix.SOCK_DGRAM, 0);
            int lo = loopbackIndex();
            byte[] mode = Posix.packetMreq(lo, Posix.PACKET_MR_ALLMULTI, NO_HARDWARE_ADDRESS);
            Posix.setsockopt(s, Posix.SOL_PACKET, Posix.PACKET_ADD_MEMBERSHIP, mode);
            assertTrue((loopbackFlags(flags) & allmulti) != 0, "held: " + Files.readString(flags).trim());
            Posix.setsockopt(s, Posix.SOL_PACKET, Posix.PACKET_DROP_MEMBERSHIP, mode);
            assertEquals(0, loopbackFlags(flags) & allmulti, "dropped");
            // the kernel reads the index and the address length where packetMreq put them
            ErrnoException noSuch = assertThrows(ErrnoException.class, () -> Posix.setsockopt(s, Posix.SOL_PACKET,
                    Posix.PACKET_ADD_MEMBERSHIP, Posix.packetMreq(0, Posix.PACKET_MR_ALLMULTI, NO_HARDWARE_ADDRESS)));
            assertEquals(Errno.ENODEV, noSuch.errno(), "no interface 0");
            ErrnoException tooLong = assertThrows(ErrnoException.class, () -> Posix.setsockopt(s, Posix.SOL_PACKET,
                    Posix.PACKET_ADD_MEMBERSHIP, Posix.packetMreq(lo, Posix.PACKET_MR_MULTICAST, new byte[8])));
            assertEquals(Errno.EINVAL, tooLong.errno(), "lo's addresses are 6 bytes");
            Posix.setsockopt(s, Posix.SOL_PACKET, Posix.PACKET_ADD_MEMBERSHIP, mode);
            assertTrue((loopbackFlags(flags) & allmulti) != 0, "held again");
            fds.closeNow(s);
            assertEquals(0, loopbackFlags(flags) & allmulti, "given up with the socket");
        }
    }

    private static int loopbackFlags(Path flags) throws Exception {
        return Integer.decode(Files.readString(flags).trim());
    }

    /** A packet socket of {@code type} (with its flags) and {@code protocol}; skips the test without CAP_NET_RAW. */
    private static int packetSocket(Descriptors fds, int type, int protocol) throws Exception {
        try {
            return fds.track(Posix.socket(Posix.AF_PACKET, type, protocol));
        } catch (ErrnoException e) {
            assumeTrue(e.errno() != Errno.EPERM && e.errno() != Errno.EACCES,
                    "packet sockets need CAP_NET_RAW: " + e.getMessage());
            throw e;
        }
    }

    /**
     * Sends a frame of the local experimental ethertype to lo's hardware address from one packet socket, receives it
     * on another bound to that ethertype on lo, checks it and the address the kernel reports; returns the receiver.
     */
    private static int frameOverLoopback(Descriptors fds) throws Exception {
        int proto = Posix.ETH_P_802_EX1;
        int rx = packetSocket(fds, Posix.SOCK_DGRAM | Posix.SOCK_NONBLOCK, Posix.htons(proto));
        int lo = loopbackIndex();
        Posix.bind(rx, SockAddr.packet(lo, proto, NO_HARDWARE_ADDRESS));
        SockAddr bound = (SockAddr) Posix.getsockname(rx);
        assertEquals(lo, bound.packetInterfaceIndex(), bound.toString());
        assertEquals(proto, bound.packetProtocol(), bound.toString());
        int tx = packetSocket(fds, Posix.SOCK_DGRAM, 0);
        byte[] frame = "posix-send on lo".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        SockAddr to = SockAddr.packet(lo, proto, new byte[6]); // lo's hardware address: six zeros
        assertEquals(frame.length, Posix.sendto(tx, frame, 0, frame.length, 0, to));

        PollSet readable = new PollSet(1);
        readable.add(rx, Posix.POLLIN);
        assertEquals(1, readable.poll(2000), "the frame comes back within 2 s");
        try (Message in = new Message(0).add(ByteBuffer.allocateDirect(256))) {
            SockAddrBuffer from = new SockAddrBuffer();
            long n = Posix.recvmsg(rx, in, 0);
            assertEquals(frame.length, n, "SOCK_DGRAM: the payload without the link header");
            byte[] got = new byte[frame.length];
            in.buffer(0).flip();
            in.buffer(0).get(got);
            assertArrayEquals(frame, got);
            assertTrue(in.source(from));
            assertEquals(Posix.AF_PACKET, from.family());
            assertEquals(lo, from.packetInterfaceIndex());
            assertEquals(proto, from.packetProtocol());
            assertEquals(Posix.PACKET_HOST, from.packetType(), "to this host, as loopback delivers it");
            assertEquals(772, from.packetHardwareType(), "ARPHRD_LOOPBACK");
            byte[] hw = {9, 9, 9, 9, 9, 9, 9, 9};
            assertEquals(6, from.packetHardwareAddress(hw), "sll_halen");
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 9, 9}, hw, "lo's six zeros, the rest untouched");
            byte[] small = new byte[2];
            assertEquals(6, from.packetHardwareAddress(small), "the whole length, though two bytes were taken");
            SockAddr source = from.toSockAddr();
            assertEquals(772, source.packetHardwareType(), "ARPHRD_LOOPBACK");
            assertArrayEquals(new byte[6], source.packetHardwareAddress(), "lo's six zeros");
        }
        return rx;
    }
}

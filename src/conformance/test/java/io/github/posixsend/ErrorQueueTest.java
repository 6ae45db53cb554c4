// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.internal.Platform;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The error queue (Linux): with {@code IP_RECVERR}/{@code IPV6_RECVERR}, a UDP datagram sent to a loopback port
 * nobody listens on is sent without error, then the ICMP port-unreachable it causes waits on the socket's error
 * queue: {@code poll} reports {@code POLLERR}, and {@code recvmsg(MSG_ERRQUEUE)} returns the datagram, its
 * original destination and a typed {@link ExtendedError} naming the host that reported it. A datagram too large for
 * the MTU queues an error of local origin, with the MTU.
 */
class ErrorQueueTest {

    /** A UDP socket bound to loopback that keeps the errors its sends meet (IP_RECVERR, IPV6_RECVERR). */
    static int recvErrSocket(Descriptors fds, boolean v6) throws Exception {
        int fd = fds.socket(v6 ? Posix.AF_INET6 : Posix.AF_INET, Posix.SOCK_DGRAM);
        Posix.bind(fd, Descriptors.loopback(v6));
        Posix.setsockopt(fd, v6 ? Posix.IPPROTO_IPV6 : Posix.IPPROTO_IP, v6 ? Posix.IPV6_RECVERR : Posix.IP_RECVERR,
                1);
        return fd;
    }

    /** {@code view.tryReadFrom(fd, MSG_DONTWAIT)} until it finds more than an empty queue: 400 tries, 5 ms apart. */
    static int readWithinTwoSeconds(ErrorQueueEntry view, int fd) throws InterruptedException {
        int eagain = -Errno.EAGAIN.number();
        int r = eagain;
        for (int i = 0; i < 400 && r == eagain; i++) {
            r = view.tryReadFrom(fd, MsgFlag.MSG_DONTWAIT.value());
            if (r == eagain) {
                Thread.sleep(5);
            }
        }
        return r;
    }

    /** What {@code set} reports within 20 polls of 100 ms: 0 when nothing became ready. */
    static int readyWithinTwoSeconds(PollSet set) throws ErrnoException {
        int ready = 0;
        for (int i = 0; i < 20 && ready == 0; i++) {
            ready = set.poll(100);
        }
        return ready;
    }

    private static void portUnreachableIsQueued(boolean v6) throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        try (Descriptors fds = new Descriptors(); Message in = new Message(512).add(ByteBuffer.allocate(64))) {
            int fd = recvErrSocket(fds, v6);
            InetSocketAddress dest = fds.closedUdpPort(v6);
            assertEquals(3, Posix.sendto(fd, new byte[] {7, 8, 9}, 0, 3, 0, dest), "the send itself succeeds");

            PollSet set = new PollSet(1);
            set.add(fd, Posix.POLLIN);
            assertEquals(1, readyWithinTwoSeconds(set), "the queued error makes the socket ready");
            assertTrue(set.isReady(0, Posix.POLLERR), "POLLERR, revents " + set.revents(0));

            int errqueue = MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT);
            assertEquals(3, Posix.recvmsg(fd, in, errqueue), "the datagram that caused the error");
            ByteBuffer got = in.buffer(0).flip();
            byte[] bytes = new byte[got.remaining()];
            got.get(bytes);
            assertArrayEquals(new byte[] {7, 8, 9}, bytes);
            assertEquals(dest, in.source(), "its original destination");
            List<ControlMessage> control = in.receivedControl();
            assertEquals(1, control.size(), control.toString());
            ControlMessage c = control.get(0);
            assertEquals(ControlMessage.Kind.EXTENDED_ERROR, c.kind());
            assertThrows(IllegalStateException.class, c::value, "an extended error is no single value");
            ExtendedError e = c.extendedError();
            assertEquals("EXTENDED_ERROR(" + e + ")", c.toString());
            assertEquals(Errno.ECONNREFUSED, e.errnoName(), e.toString());
            assertEquals(v6 ? Posix.SO_EE_ORIGIN_ICMP6 : Posix.SO_EE_ORIGIN_ICMP, e.origin(), e.toString());
            assertEquals(v6 ? Posix.ICMP6_DST_UNREACH : Posix.ICMP_DEST_UNREACH, e.type(), "unreachable: " + e);
            assertEquals(v6 ? Posix.ICMP6_DST_UNREACH_NOPORT : Posix.ICMP_PORT_UNREACH, e.code(), "the port: " + e);
            assertTrue(e.toString().startsWith("ExtendedError[errno=ECONNREFUSED(" + Errno.ECONNREFUSED.number()
                    + "), origin=" + (v6 ? "ICMP6(" : "ICMP(") + e.origin() + "), type=" + e.type() + ", code="), e
                    .toString());
            InetAddress loopback = InetAddress.getByName(v6 ? "::1" : "127.0.0.1");
            assertEquals(loopback, ((InetSocketAddress) e.offender()).getAddress(), "the host that reported it");
            assertTrue(e.toString().endsWith(", offender=" + (v6 ? "[::1]" : "127.0.0.1") + ":"
                    + ((InetSocketAddress) e.offender()).getPort() + "]"), "written as C's inet_ntop does: " + e);
            ErrorQueueEntry view = new ErrorQueueEntry();
            assertTrue(view.read(in), "the reusable view finds the same entry");
            assertEquals(e, view.toExtendedError());
            assertFalse(view.isTimestamp());
            assertEquals(null, view.timestampPoint());
            assertThrows(IllegalStateException.class, view::hardwareNanos, "not a timestamp");
            assertFalse(view.isZerocopyCompletion());
            SockAddrBuffer offender = new SockAddrBuffer();
            assertTrue(view.offender(offender));
            assertEquals(e.offender(), offender.toSocketAddress());

            assertThrows(WouldBlockException.class, () -> Posix.recvmsg(fd, in, errqueue), "read once");
            assertEquals(0, set.poll(0), "nothing queued any more");
        }
    }

    @Test
    void ipv4PortUnreachableIsQueuedWithItsOffender() throws Exception {
        portUnreachableIsQueued(false);
    }

    @Test
    void ipv6PortUnreachableIsQueuedWithItsOffender() throws Exception {
        portUnreachableIsQueued(true);
    }

    /**
     * {@code IP_RECVERR_RFC4884} and {@code IPV6_RECVERR_RFC4884} are taken and read back; a port-unreachable error
     * from loopback carries no RFC 4884 extension, so the entry's {@code ee_rfc4884} (which overlays
     * {@code ee_data}) says none and no invalid one.
     */
    @Test
    void rfc4884ExtensionsAreAskedForAndAPlainErrorHasNone() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        for (boolean v6 : new boolean[] {false, true}) {
            try (Descriptors fds = new Descriptors()) {
                int fd = recvErrSocket(fds, v6);
                int level = v6 ? Posix.IPPROTO_IPV6 : Posix.IPPROTO_IP;
                int name = v6 ? Posix.IPV6_RECVERR_RFC4884 : Posix.IP_RECVERR_RFC4884;
                assertEquals(0, Posix.getsockopt(fd, level, name), "off by default");
                Posix.setsockopt(fd, level, name, 1);
                assertEquals(1, Posix.getsockopt(fd, level, name), "on");
                InetSocketAddress dest = fds.closedUdpPort(v6);
                assertEquals(3, Posix.sendto(fd, new byte[] {7, 8, 9}, 0, 3, 0, dest));
                ErrorQueueEntry view = new ErrorQueueEntry();
                assertEquals(0, readWithinTwoSeconds(view, fd), "an entry");
                assertEquals(Errno.ECONNREFUSED, view.errnoName(), view.toString());
                assertEquals(0, view.rfc4884Length(), "no extension: " + view);
                assertEquals(0, view.rfc4884Flags(), view.toString());
            }
        }
    }

    /**
     * {@code struct sock_ee_data_rfc4884} overlays {@code ee_data}: its {@code len} and {@code flags} are read from
     * the bytes the compiled header places them at, whatever the byte order.
     */
    @Test
    void rfc4884FieldsAreReadWhereTheHeaderPutsThem() {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        int at = Platform.value("OFFSETOF_EE_RFC4884_LEN") - Platform.value("OFFSETOF_EE_DATA");
        int flagsAt = Platform.value("OFFSETOF_EE_RFC4884_FLAGS") - Platform.value("OFFSETOF_EE_DATA");
        ByteBuffer eeData = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
        eeData.putShort(at, (short) 0xfedc).put(flagsAt, (byte) Posix.SO_EE_RFC4884_FLAG_INVALID);
        ExtendedError e = new ExtendedError(Errno.EHOSTUNREACH.number(), Posix.SO_EE_ORIGIN_ICMP,
                Posix.ICMP_DEST_UNREACH, 1, 0, eeData.getInt(0), null);
        assertEquals(0xfedc, e.rfc4884Length(), "an unsigned 16 bits");
        assertEquals(Posix.SO_EE_RFC4884_FLAG_INVALID, e.rfc4884Flags());
    }

    /**
     * An entry read into too little control space for its offender's whole address (MSG_CTRUNC) reads without
     * the offender: the cut bytes name no address, and printing or converting the entry must not fail on them.
     * From exactly the extended error's space, every size up to the offender's whole address.
     */
    @Test
    void anOffenderCutShortIsNotKept() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        int errqueue = MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT);
        ErrorQueueEntry entry = new ErrorQueueEntry();
        try (Descriptors fds = new Descriptors()) {
            for (boolean v6 : new boolean[] {false, true}) {
                int fd = recvErrSocket(fds, v6);
                InetSocketAddress closed = fds.closedUdpPort(v6);
                PollSet set = new PollSet(1);
                set.add(fd, 0);
                // CMSG_LEN of the struct and a sockaddr_in6 or sockaddr_in: the least the kernel copies whole
                int whole = ControlMessage.space(0) + ErrorQueueEntry.SIZE + (v6 ? 28 : 16);
                // less than the struct itself: a RAW message, which says why it is no entry
                assertEquals(1, Posix.sendto(fd, new byte[] {1}, 0, 1, 0, closed));
                assertEquals(1, readyWithinTwoSeconds(set), "the refusal reached the error queue");
                try (Message in = new Message(ControlMessage.space(8)).add(ByteBuffer.allocate(8))) {
                    Posix.recvmsg(fd, in, errqueue);
                    assertTrue(in.controlTruncated());
                    assertFalse(entry.read(in), "no whole struct: no entry");
                    ControlMessage raw = in.receivedControl().get(0);
                    assertEquals(ControlMessage.Kind.RAW, raw.kind());
                    IllegalStateException e = assertThrows(IllegalStateException.class, raw::extendedError);
                    assertTrue(e.getMessage().contains("cut short"), e.getMessage());
                }
                for (int space = ControlMessage.space(ErrorQueueEntry.SIZE); space <= whole; space += 4) {
                    String what = (v6 ? "IPv6" : "IPv4") + " entry in " + space + " bytes of control space";
                    assertEquals(1, Posix.sendto(fd, new byte[] {1}, 0, 1, 0, closed));
                    assertEquals(1, readyWithinTwoSeconds(set), "the refusal reached the error queue");
                    try (Message in = new Message(space).add(ByteBuffer.allocate(8))) {
                        Posix.recvmsg(fd, in, errqueue);
                        assertEquals(space < whole, in.controlTruncated(), what);
                        assertTrue(entry.read(in), what + ": the struct itself is whole");
                        assertEquals(Errno.ECONNREFUSED, entry.errnoName(), what);
                        assertEquals(space == whole, entry.hasOffender(), what);
                        assertEquals(space == whole, entry.offender() != null, what);
                        assertTrue(entry.toString().contains("ECONNREFUSED"), what + ": " + entry);
                        ExtendedError e = in.receivedControl().get(0).extendedError();
                        assertEquals(space == whole, e.offender() != null, what + ": " + e);
                    }
                }
            }
        }
    }

    /**
     * On a socket that also asks for software receive times, an ICMP error's entry comes with one, when its ICMP
     * message arrived: read beside the extended error, from a message and straight from the socket, as C reads the
     * {@code SCM_TIMESTAMPING} of the same {@code recvmsg}. Without them, the entry has none.
     */
    @Test
    void anIcmpErrorCarriesItsArrivalTimeWhenReceiveTimesAreAskedFor() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        try (Descriptors fds = new Descriptors(); Message in = new Message(512).add(ByteBuffer.allocate(64))) {
            int fd = recvErrSocket(fds, false);
            ErrorQueueEntry view = new ErrorQueueEntry();
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            InetSocketAddress dest = fds.closedUdpPort(false);
            for (boolean timed : new boolean[] {false, true}) {
                int stamping = Posix.SOF_TIMESTAMPING_RX_SOFTWARE | Posix.SOF_TIMESTAMPING_SOFTWARE;
                Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, timed ? stamping : 0);
                if (timed) {
                    // Linux turns receive times on in a deferred work item: an ICMP message that came before it ran
                    // would carry none. A pair that asks too, kept open, shows when it has run
                    Descriptors.Pair p = fds.udpPair(false);
                    Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, stamping);
                    SocketIo.awaitControl(p.a, p.b, ControlMessage.Kind.TIMESTAMPING);
                }
                for (boolean straight : new boolean[] {false, true}) {
                    long before = Posix.clockGettime(Posix.CLOCK_REALTIME);
                    Posix.sendto(fd, new byte[] {1}, 0, 1, 0, dest);
                    boolean got = false;
                    for (int i = 0; i < 400 && !got; i++) {
                        got = straight ? view.tryReadFrom(fd, dontwait) == 0
                                : Posix.tryRecvmsg(fd, in, MsgFlag.MSG_ERRQUEUE.value() | dontwait) >= 0
                                        && view.read(in);
                        if (!got) {
                            Thread.sleep(5);
                        }
                    }
                    long after = Posix.clockGettime(Posix.CLOCK_REALTIME);
                    String how = (timed ? "asked, " : "not asked, ") + (straight ? "straight" : "from a message");
                    assertTrue(got, how);
                    assertEquals(Posix.SO_EE_ORIGIN_ICMP, view.origin(), how);
                    assertFalse(view.isTimestamp(), "an ICMP error, not a transmit timestamp: " + how);
                    assertEquals(timed, view.isTimed(), how);
                    if (timed) {
                        long at = view.softwareNanos();
                        assertTrue(before <= at && at <= after, before + " <= " + at + " <= " + after + ": " + how);
                        if (!straight) {
                            assertEquals(at, in.receivedNanos(ControlMessage.Kind.TIMESTAMPING, 0), how);
                        }
                    } else {
                        assertThrows(IllegalStateException.class, view::softwareNanos, how);
                    }
                }
            }
        }
    }

    /**
     * The same entry read straight from the socket by {@link ErrorQueueEntry#tryReadFrom}: no data space, so the
     * datagram is cut off ({@code MSG_TRUNC}), and the fields, offender and original destination as above.
     */
    private static void portUnreachableIsReadStraight(boolean v6) throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        try (Descriptors fds = new Descriptors()) {
            int fd = recvErrSocket(fds, v6);
            ErrorQueueEntry view = new ErrorQueueEntry();
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            int eagain = -Errno.EAGAIN.number();
            assertEquals(eagain, view.tryReadFrom(fd, 0), "an empty error queue: a blocking read does not wait");
            InetSocketAddress dest = fds.closedUdpPort(v6);
            assertEquals(3, Posix.sendto(fd, new byte[] {7, 8, 9}, 0, 3, 0, dest), "the send itself succeeds");

            assertEquals(0, readWithinTwoSeconds(view, fd), "an entry, with no data asked for");
            assertTrue(view.isValid());
            assertEquals(Errno.ECONNREFUSED, view.errnoName(), view.toString());
            assertEquals(v6 ? Posix.SO_EE_ORIGIN_ICMP6 : Posix.SO_EE_ORIGIN_ICMP, view.origin(), view.toString());
            assertEquals(v6 ? Posix.ICMP6_DST_UNREACH : Posix.ICMP_DEST_UNREACH, view.type(), "unreachable: " + view);
            assertEquals(v6 ? Posix.ICMP6_DST_UNREACH_NOPORT : Posix.ICMP_PORT_UNREACH, view.code(), "port: " + view);
            assertFalse(view.isTimestamp());
            InetAddress loopback = InetAddress.getByName(v6 ? "::1" : "127.0.0.1");
            assertEquals(loopback, ((InetSocketAddress) view.offender()).getAddress(), "the host that reported it");
            SockAddrBuffer to = new SockAddrBuffer();
            assertTrue(view.destination(to), "the original destination is named");
            assertEquals(dest, to.toSocketAddress());
            int flags = view.flags();
            assertTrue((flags & MsgFlag.MSG_ERRQUEUE.value()) != 0, "MSG_ERRQUEUE in " + flags);
            assertTrue((flags & MsgFlag.MSG_TRUNC.value()) != 0, "the returned datagram is cut off: " + flags);
            assertEquals(0, flags & MsgFlag.MSG_CTRUNC.value(), "the control messages fit");

            assertEquals(eagain, view.tryReadFrom(fd, dontwait), "read once");
            assertFalse(view.isValid(), "a failed read leaves no entry");
            assertEquals(0, view.flags());
            assertFalse(view.destination(to));
            assertEquals(0, to.length(), "cleared");
            WouldBlockException e = assertThrows(WouldBlockException.class, () -> view.readFrom(fd, dontwait));
            assertTrue(e.getMessage().startsWith("recvmsg(MSG_ERRQUEUE): EAGAIN"), e.getMessage());
            assertEquals(-Errno.EBADF.number(), view.tryReadFrom(-1, dontwait));
        }
    }

    /** SO_SELECT_ERR_QUEUE: a queued error wakes a poll for POLLPRI too; without it, POLLERR comes alone. */
    @Test
    void selectErrQueueAddsPollpriToAQueuedError() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        try (Descriptors fds = new Descriptors()) {
            for (boolean select : new boolean[] {false, true}) {
                int fd = recvErrSocket(fds, false);
                Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_SELECT_ERR_QUEUE, select);
                assertEquals(select ? 1 : 0, Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_SELECT_ERR_QUEUE));
                PollSet set = new PollSet(1);
                set.add(fd, Posix.POLLPRI);
                assertEquals(0, set.poll(0), "nothing queued yet");
                Posix.sendto(fd, new byte[] {1}, 0, 1, 0, fds.closedUdpPort(false));
                assertEquals(1, set.poll(2_000), "the refusal is queued within 2 s");
                int revents = set.revents(0);
                assertEquals(Posix.POLLERR, revents & Posix.POLLERR, PollSet.eventsToString(revents));
                assertEquals(select ? Posix.POLLPRI : 0, revents & Posix.POLLPRI, PollSet.eventsToString(revents));
            }
        }
    }

    @Test
    void ipv4PortUnreachableIsReadStraightFromTheSocket() throws Exception {
        portUnreachableIsReadStraight(false);
    }

    @Test
    void ipv6PortUnreachableIsReadStraightFromTheSocket() throws Exception {
        portUnreachableIsReadStraight(true);
    }

    /**
     * An error of this host's own making ({@code SO_EE_ORIGIN_LOCAL}): an IPv6 UDP socket on {@code ::1} with
     * {@code IPV6_RECVERR}, {@code IPV6_MTU_DISCOVER} = {@code IPV6_PMTUDISC_DO} (never fragment) and
     * {@code IPV6_MTU} 1280 sends a 2000-byte datagram to {@code ::1}. The send fails with {@code EMSGSIZE}, and Linux
     * ({@code ipv6_local_error}) queues an entry of origin {@code LOCAL}, errno {@code EMSGSIZE} and {@code ee_info}
     * the MTU, 1280, with the original destination, no offender and no data. Sent twice: one entry is read through
     * a message, the other straight from the socket.
     */
    @Test
    void anOversizedIpv6DatagramQueuesALocalErrorWithTheMtu() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        try (Descriptors fds = new Descriptors(); Message in = new Message(512).add(ByteBuffer.allocate(64))) {
            int fd = recvErrSocket(fds, true);
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_MTU_DISCOVER, Posix.IPV6_PMTUDISC_DO);
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_MTU, 1280);
            InetSocketAddress dest = Descriptors.addressOf(fds.boundUdp(true));
            for (int i = 0; i < 2; i++) {
                MessageTooLongException tooLong = assertThrows(MessageTooLongException.class,
                        () -> Posix.sendto(fd, new byte[2000], 0, 2000, 0, dest));
                assertTrue(tooLong.getMessage().startsWith("sendto: EMSGSIZE"), tooLong.getMessage());
            }

            int errqueue = MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT);
            assertEquals(0, Posix.recvmsg(fd, in, errqueue), "a local error carries no data");
            assertEquals(dest, in.source(), "its original destination");
            List<ControlMessage> control = in.receivedControl();
            assertEquals(1, control.size(), control.toString());
            assertEquals(ControlMessage.Kind.EXTENDED_ERROR, control.get(0).kind());
            ExtendedError e = control.get(0).extendedError();
            assertEquals(Posix.SO_EE_ORIGIN_LOCAL, e.origin(), e.toString());
            assertEquals(Errno.EMSGSIZE, e.errnoName(), e.toString());
            assertEquals(1280, e.info(), "the MTU: " + e);
            assertEquals(0, e.type(), e.toString());
            assertEquals(0, e.code(), e.toString());
            assertEquals(null, e.offender(), "no host reported it: " + e);
            ErrorQueueEntry view = new ErrorQueueEntry();
            assertTrue(view.read(in), "the reusable view finds the same entry");
            assertEquals(e, view.toExtendedError());
            assertFalse(view.isTimestamp());
            assertFalse(view.isZerocopyCompletion());

            assertEquals(0, view.tryReadFrom(fd, MsgFlag.MSG_DONTWAIT.value()), "the second entry, straight");
            assertEquals(Posix.SO_EE_ORIGIN_LOCAL, view.origin(), view.toString());
            assertEquals(Errno.EMSGSIZE, view.errnoName(), view.toString());
            assertEquals(1280, view.info(), "the MTU: " + view);
            assertFalse(view.hasOffender(), view.toString());
            SockAddrBuffer to = new SockAddrBuffer();
            assertTrue(view.destination(to), "the original destination is named");
            assertEquals(dest, to.toSocketAddress());
            assertEquals(-Errno.EAGAIN.number(), view.tryReadFrom(fd, MsgFlag.MSG_DONTWAIT.value()), "two entries");
        }
    }

    /**
     * An AF_UNIX socket has no error queue and ignores MSG_ERRQUEUE, as in C: the read takes an ordinary datagram,
     * says so in its flags, and closes the descriptor the datagram carried instead of leaving it open in the process
     * (the passed socket's last copy goes, so its peer sees the end of the stream). On a stream socket it reads none
     * of the bytes waiting, but Linux hands over the descriptors that came with them, closed likewise. Flags the error
     * queue does not take are refused.
     */
    @Test
    void aSocketWithoutAnErrorQueueReadsADatagramAndLeaksNoDescriptor() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair dgram = fds.unixPair(Posix.SOCK_DGRAM);
            Descriptors.Pair passed = fds.unixPair(Posix.SOCK_STREAM);
            try (Message m = Message.of(ByteBuffer.allocateDirect(1).put(0, (byte) 5))
                    .addControl(ControlMessage.rights(passed.a))) {
                assertEquals(1, Posix.sendmsg(dgram.a, m, 0));
            }
            fds.closeNow(passed.a); // the datagram in flight holds the only other copy
            ErrorQueueEntry view = new ErrorQueueEntry();
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            assertEquals(0, view.tryReadFrom(dgram.b, dontwait), "an ordinary datagram, no data asked for");
            assertFalse(view.isValid(), "no entry");
            assertEquals(0, view.flags() & MsgFlag.MSG_ERRQUEUE.value(), "not the error queue: " + view.flags());
            assertTrue((view.flags() & MsgFlag.MSG_TRUNC.value()) != 0, "its byte was cut off: " + view.flags());
            byte[] one = new byte[1];
            int eof = Integer.MIN_VALUE;
            for (int i = 0; i < 200 && eof != 0; i++) {
                eof = Posix.tryRecv(passed.b, one, 0, 1, dontwait);
                if (eof != 0) {
                    Thread.sleep(5);
                }
            }
            assertEquals(0, eof, "the received copy of the passed socket was closed: its peer sees the end");
            assertEquals(-Errno.EAGAIN.number(), view.tryReadFrom(dgram.b, dontwait), "the datagram was taken");
            for (MsgFlag f : new MsgFlag[] {MsgFlag.MSG_PEEK, MsgFlag.MSG_TRUNC, MsgFlag.MSG_WAITALL}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> view.tryReadFrom(dgram.b, f.value() | dontwait), f.name());
                assertTrue(e.getMessage().contains("MSG_DONTWAIT only"), e.getMessage());
                assertTrue(e.getMessage().contains(": flags " + MsgFlag.toString(f.value() | dontwait) + ": ")
                        && e.getMessage().contains(f.name()), "named as C would: " + e.getMessage());
            }
            assertEquals(-Errno.EAGAIN.number(), view.tryReadFrom(dgram.b, MsgFlag.MSG_ERRQUEUE.value() | dontwait),
                    "MSG_ERRQUEUE may be given");

            Descriptors.Pair stream = fds.unixPair(Posix.SOCK_STREAM);
            Descriptors.Pair passedOnStream = fds.unixPair(Posix.SOCK_STREAM);
            try (Message m = Message.of(ByteBuffer.allocateDirect(1).put(0, (byte) 6))
                    .addControl(ControlMessage.rights(passedOnStream.a))) {
                assertEquals(1, Posix.sendmsg(stream.a, m, 0));
            }
            fds.closeNow(passedOnStream.a);
            assertEquals(0, view.tryReadFrom(stream.b, dontwait), "no data space: no byte read");
            eof = Integer.MIN_VALUE;
            for (int i = 0; i < 200 && eof != 0; i++) {
                eof = Posix.tryRecv(passedOnStream.b, one, 0, 1, dontwait);
                if (eof != 0) {
                    Thread.sleep(5);
                }
            }
            assertEquals(0, eof, "the descriptor handed over with the stream's byte was closed");
            try (Message rest = new Message(64).add(ByteBuffer.allocateDirect(8))) {
                assertEquals(1, Posix.recvmsg(stream.b, rest, dontwait), "the byte is still there");
                assertEquals(6, rest.buffer(0).get(0));
                assertEquals(List.of(), rest.receivedControl(), "without the descriptor, which was handed over");
            }
        }
    }

    /** The process's open pidfds, from /proc/self/fd. */
    private static long openPidfds() throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> fds = java.nio.file.Files.list(
                java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.filter(f -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(f).toString().contains("pidfd");
                } catch (java.io.IOException | UnsupportedOperationException e) {
                    return false; // closed meanwhile (the listing's own descriptor)
                }
            }).count();
        }
    }

    /** Whether {@code fd} is open in this process as a pidfd, from its /proc/self/fd link. */
    private static boolean isPidfd(int fd) {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString()
                    .contains("pidfd");
        } catch (java.io.IOException e) {
            return false; // not open
        }
    }

    /**
     * With SO_PASSPIDFD (Linux 6.5 and later) an AF_UNIX datagram carries the sender's pidfd (SCM_PIDFD): read by
     * mistake through the error-queue view, it is closed too, not left open in the process. A first datagram, read
     * whole, shows the kernel delivers one; without that the count at the end would prove nothing.
     */
    @Test
    void aPassedPidfdIsClosedToo() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        try (Descriptors fds = new Descriptors(); Message whole = new Message(256).add(ByteBuffer.allocate(1))) {
            Descriptors.Pair dgram = fds.unixPair(Posix.SOCK_DGRAM);
            int soPasspidfd = 76; // Linux's SO_PASSPIDFD, from the kernel's ABI
            int scmPidfd = 4; // Linux's SCM_PIDFD at SOL_SOCKET, from the kernel's ABI
            try {
                Posix.setsockopt(dgram.b, Posix.SOL_SOCKET, soPasspidfd, 1);
            } catch (ErrnoException e) {
                assumeTrue(false, "SO_PASSPIDFD needs Linux 6.5: " + e.getMessage());
            }
            long before = openPidfds();
            int dontwait = MsgFlag.MSG_DONTWAIT.value();

            Posix.send(dgram.a, new byte[] {1}, 0, 1, 0);
            assertEquals(1, Posix.recvmsg(dgram.b, whole, dontwait));
            ControlMessage pidfd = null;
            for (ControlMessage c : whole.receivedControl()) {
                if (c.level() == Posix.SOL_SOCKET && c.type() == scmPidfd) {
                    pidfd = c;
                }
            }
            assumeTrue(pidfd != null, "no SCM_PIDFD arrived although SO_PASSPIDFD was accepted: this kernel, or an"
                    + " emulator such as qemu that takes the option, delivers no pidfd (flags " + whole.receivedFlags()
                    + ", control " + whole.receivedControl() + ")");
            assertEquals(Integer.BYTES, pidfd.data().length, pidfd.toString());
            int fd = ByteBuffer.wrap(pidfd.data()).order(java.nio.ByteOrder.nativeOrder()).getInt();
            // only a number shown to be the delivered pidfd is the test's to close
            assertTrue(isPidfd(fd), "descriptor " + fd + " is not a pidfd");
            fds.track(fd);
            assertEquals(before + 1, openPidfds(), "the count sees the delivered pidfd");
            fds.closeNow(fd);
            assertEquals(before, openPidfds());

            Posix.send(dgram.a, new byte[] {1}, 0, 1, 0);
            ErrorQueueEntry view = new ErrorQueueEntry();
            assertEquals(0, view.tryReadFrom(dgram.b, dontwait));
            assertFalse(view.isValid());
            assertEquals(before, openPidfds(), "no pidfd left open");
        }
    }

    @Test
    void aViewWithoutAnEntrySaysSo() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        ErrorQueueEntry view = new ErrorQueueEntry();
        assertFalse(view.isValid());
        assertThrows(IllegalStateException.class, view::errno, "nothing read yet");
        try (Descriptors fds = new Descriptors(); Message in = new Message(128).add(ByteBuffer.allocateDirect(8))) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.send(p.a, new byte[] {1}, 0, 1, 0);
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertFalse(view.read(in), "an ordinary datagram carries no entry");
            assertFalse(view.isValid());
            IllegalStateException e = assertThrows(IllegalStateException.class, view::softwareNanos);
            assertTrue(e.getMessage().contains("no error-queue entry"), e.getMessage());
        }
    }

    /**
     * An entry that too little control space cut short ({@code MSG_CTRUNC}: room for the header, none for the struct)
     * is a raw control message, as a cut-short packet-info message is: no typed accessor meets part of a struct, and
     * the entry view says it read none. With room, the next entry is whole.
     */
    @Test
    void aCutShortEntryArrivesRaw() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        int errqueue = MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT);
        int ctrunc = MsgFlag.MSG_CTRUNC.value();
        try (Descriptors fds = new Descriptors(); Message small = new Message(16).add(ByteBuffer.allocate(64));
                Message room = new Message(512).add(ByteBuffer.allocate(64))) {
            int fd = recvErrSocket(fds, false);
            InetSocketAddress dest = fds.closedUdpPort(false);
            PollSet set = new PollSet(1);
            set.add(fd, Posix.POLLIN);
            ErrorQueueEntry view = new ErrorQueueEntry();
            for (Message m : new Message[] {small, room}) {
                assertEquals(3, Posix.sendto(fd, new byte[] {7, 8, 9}, 0, 3, 0, dest));
                assertEquals(1, readyWithinTwoSeconds(set), "the queued error makes the socket ready");
                assertEquals(3, Posix.recvmsg(fd, m, errqueue));
                ControlMessage c = m.receivedControl().get(0);
                assertEquals(Posix.IP_RECVERR, c.type());
                if (m == small) {
                    assertEquals(ctrunc, m.receivedFlags() & ctrunc, MsgFlag.toString(m.receivedFlags()));
                    assertEquals(ControlMessage.Kind.RAW, c.kind());
                    assertThrows(IllegalStateException.class, c::extendedError);
                    assertFalse(view.read(m), "a cut-short entry is no entry");
                } else {
                    assertEquals(0, m.receivedFlags() & ctrunc, MsgFlag.toString(m.receivedFlags()));
                    assertEquals(ControlMessage.Kind.EXTENDED_ERROR, c.kind());
                    assertEquals(Errno.ECONNREFUSED.number(), c.extendedError().errno());
                    assertTrue(view.read(m));
                    assertEquals(Errno.ECONNREFUSED.number(), view.errno());
                }
            }
        }
    }

    /** A receive timestamp that too little control space cut short is raw too; with room it is whole. */
    @Test
    void aCutShortTimestampArrivesRaw() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_TIMESTAMPNS is Linux's");
        try (Descriptors fds = new Descriptors(); Message small = new Message(16).add(ByteBuffer.allocate(64));
                Message room = new Message(512).add(ByteBuffer.allocate(64))) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPNS, 1);
            for (Message m : new Message[] {small, room}) {
                Posix.send(p.a, new byte[] {1}, 0, 1, 0);
                assertEquals(1, Posix.recvmsg(p.b, m, 0));
                ControlMessage c = m.receivedControl().get(0);
                assertEquals(Posix.SCM_TIMESTAMPNS, c.type());
                assertEquals(m == small ? ControlMessage.Kind.RAW : ControlMessage.Kind.TIMESTAMPNS, c.kind());
                if (m == small) {
                    assertThrows(IllegalStateException.class, c::timestamps);
                } else {
                    assertEquals(1, c.timestamps().length);
                    assertTrue(c.timestamps()[0] > 0);
                }
            }
        }
    }

    @Test
    void otherControlMessagesAreNotEntries() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ControlMessage.ipTtl(3).extendedError());
        assertTrue(e.getMessage().contains("IP_TTL"), e.getMessage());
    }
}

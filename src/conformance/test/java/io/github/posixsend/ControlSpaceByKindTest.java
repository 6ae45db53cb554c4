// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.ControlMessage.Kind;
import io.github.posixsend.internal.ConstantTable;
import io.github.posixsend.internal.Platform;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link ControlMessage#space(Kind)}, C's {@code CMSG_SPACE(sizeof(...))} by kind: the sizes both platforms' tables
 * give, and on the kernel, that a receive into exactly that much control space takes the message whole while one
 * alignment unit less cuts it ({@code MSG_CTRUNC}).
 */
class ControlSpaceByKindTest {
    private static final int DATAGRAM = 8;

    /** {@code CMSG_SPACE} of {@code kind} on the platform whose constants are {@code values}, as space(Kind) does. */
    private static long spaceIn(Kind kind, ToIntFunction<String> values) {
        return ControlMessage.spaceOf(kind.largestPayload(values), values);
    }

    @Test
    void eachKindTakesTheSpaceOfItsStructOnBothPlatforms() {
        // CMSG_SPACE(n) is 16 + n rounded up to 8 on both: Linux's cmsghdr is 16 bytes, NetBSD's 12 aligned to 16
        Map<Kind, Integer> linux = new EnumMap<>(Kind.class);
        linux.put(Kind.IP_PKTINFO, 32); // struct in_pktinfo, 12 bytes
        linux.put(Kind.IPV6_PKTINFO, 40); // struct in6_pktinfo, 20
        linux.put(Kind.UDP_SEGMENT, 24); // uint16_t
        linux.put(Kind.IP_TOS, 24);
        linux.put(Kind.IPV6_TCLASS, 24);
        linux.put(Kind.IP_TTL, 24);
        linux.put(Kind.IPV6_HOPLIMIT, 24);
        linux.put(Kind.EXTENDED_ERROR, 64); // struct sock_extended_err, 16, and a sockaddr_in6, 28
        linux.put(Kind.TIMESTAMPING, 64); // struct scm_timestamping, 48
        linux.put(Kind.TIMESTAMPNS, 32); // struct timespec, 16
        linux.put(Kind.TIMESTAMP, 32); // struct timeval, 16
        linux.put(Kind.UDP_GRO, 24);
        linux.put(Kind.RXQ_OVFL, 24);
        linux.put(Kind.TCP_INQ, 24);
        linux.put(Kind.IPV6_PATHMTU, 48); // struct ip6_mtuinfo, 32
        linux.put(Kind.IPV6_DONTFRAG, 24);
        linux.put(Kind.CREDENTIALS, 32); // struct ucred, 12
        linux.put(Kind.TXTIME, 24); // uint64_t
        Map<Kind, Integer> netbsd = new EnumMap<>(Kind.class);
        netbsd.put(Kind.IP_PKTINFO, 24); // struct in_pktinfo, 8 bytes
        netbsd.put(Kind.IPV6_PKTINFO, 40);
        netbsd.put(Kind.IP_TOS, 24);
        netbsd.put(Kind.IPV6_TCLASS, 24);
        netbsd.put(Kind.IP_TTL, 24);
        netbsd.put(Kind.IPV6_HOPLIMIT, 24);
        netbsd.put(Kind.TIMESTAMP, 32); // struct timeval, 16 (an int tv_usec, padded)
        netbsd.put(Kind.IPV6_PATHMTU, 48); // struct ip6_mtuinfo, 32
        netbsd.put(Kind.IPV6_DONTFRAG, 24);
        for (Os os : new Os[] {Os.LINUX, Os.NETBSD}) {
            ToIntFunction<String> values = name -> ConstantTable.value(name, os);
            Map<Kind, Integer> expected = os == Os.LINUX ? linux : netbsd;
            for (Kind k : Kind.values()) {
                if (k == Kind.RIGHTS || k == Kind.RAW) {
                    assertEquals(-1, k.largestPayload(values), os + ": " + k + " has no one size");
                } else if (expected.containsKey(k)) {
                    assertTrue(k.isSupported(values), os + ": " + k);
                    assertEquals((long) expected.get(k), spaceIn(k, values), os + ": " + k);
                } else {
                    assertFalse(k.isSupported(values), os + " has no " + k);
                }
            }
        }
    }

    @Test
    void theRunningPlatformsSpaceIsItsTablesAndRefusesWhatHasNoOneSize() {
        for (Kind k : Kind.values()) {
            if (k == Kind.RIGHTS || k == Kind.RAW) {
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> ControlMessage.space(k));
                assertTrue(e.getMessage().contains(k.name()) && e.getMessage().contains("space(int)"),
                        e.getMessage());
            } else if (k.isSupported()) {
                int space = ControlMessage.space(k);
                assertEquals(spaceIn(k, name -> ConstantTable.value(name, Platform.os())), space, k.name());
                assertEquals(spaceIn(k, Platform::value), space, k.name() + " from the compiled headers");
            } else {
                assertThrows(UnsupportedOperationException.class, () -> ControlMessage.space(k), k.name());
            }
        }
        // the same as the space of a message of the kind, where a factory makes one with the largest payload
        assertEquals(ControlMessage.ipPktinfo(0, null).space(), ControlMessage.space(Kind.IP_PKTINFO));
        assertEquals(ControlMessage.ipv6Pktinfo(0, null).space(), ControlMessage.space(Kind.IPV6_PKTINFO));
        assertEquals(ControlMessage.ipTtl(1).space(), ControlMessage.space(Kind.IP_TTL));
        assertThrows(NullPointerException.class, () -> ControlMessage.space((Kind) null));
    }

    /** One alignment unit of control space: {@code CMSG_SPACE(1) - CMSG_SPACE(0)}. */
    private static int align() {
        return ControlMessage.space(1) - ControlMessage.space(0);
    }

    /**
     * Receives the next datagram on {@code fd} (or its next error-queue entry, with {@code flags}
     * {@code MSG_ERRQUEUE}) into a message of {@code space} bytes of control space, and says whether the control
     * messages were cut; when they were not, that one of kind {@code kind} arrived and nothing else.
     */
    private static boolean cut(int fd, int flags, int space, Kind kind) throws Exception {
        try (Message in = new Message(space).add(ByteBuffer.allocate(64))) {
            Posix.recvmsg(fd, in, flags);
            if (in.controlTruncated()) {
                return true;
            }
            assertEquals(1, in.receivedControl().size(), kind + " alone");
            assertEquals(kind, in.receivedControl().get(0).kind());
            return false;
        }
    }

    /**
     * Sends two datagrams from {@code p.a} to {@code p.b}, whose option makes each arrive with one control message of
     * {@code kind}: the first fits {@code space(kind)} whole, the second is cut in one alignment unit less.
     */
    private static void fitsExactly(Descriptors.Pair p, Kind kind) throws Exception {
        int space = ControlMessage.space(kind);
        SocketIo.awaitControl(p.a, p.b, kind);
        for (int i = 0; i < 2; i++) {
            assertEquals(DATAGRAM, Posix.send(p.a, new byte[DATAGRAM], 0, DATAGRAM, 0));
        }
        assertFalse(cut(p.b, 0, space, kind), kind + " in " + space + " bytes");
        assertTrue(cut(p.b, 0, space - align(), kind), kind + " in " + (space - align()) + " bytes is cut");
    }

    private static Descriptors.Pair pairWith(Descriptors fds, boolean v6, int level, int option, int value)
            throws Exception {
        Descriptors.Pair p = fds.udpPair(v6);
        Posix.setsockopt(p.b, level, option, value);
        return p;
    }

    @Test
    void aReceiveIntoEachKindsSpaceTakesItWholeAndOneUnitLessCutsIt() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            fitsExactly(pairWith(fds, false, Posix.IPPROTO_IP, Posix.IP_PKTINFO, 1), Kind.IP_PKTINFO);
            fitsExactly(pairWith(fds, true, Posix.IPPROTO_IPV6, Posix.IPV6_RECVPKTINFO, 1), Kind.IPV6_PKTINFO);
            fitsExactly(pairWith(fds, false, Posix.IPPROTO_IP, Posix.IP_RECVTOS, 1), Kind.IP_TOS);
            fitsExactly(pairWith(fds, false, Posix.IPPROTO_IP, Posix.IP_RECVTTL, 1), Kind.IP_TTL);
            fitsExactly(pairWith(fds, true, Posix.IPPROTO_IPV6, Posix.IPV6_RECVTCLASS, 1), Kind.IPV6_TCLASS);
            fitsExactly(pairWith(fds, true, Posix.IPPROTO_IPV6, Posix.IPV6_RECVHOPLIMIT, 1), Kind.IPV6_HOPLIMIT);
            fitsExactly(pairWith(fds, false, Posix.SOL_SOCKET, Posix.SO_TIMESTAMP, 1), Kind.TIMESTAMP);
            if (Os.current() == Os.LINUX) {
                fitsExactly(pairWith(fds, false, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPNS, 1), Kind.TIMESTAMPNS);
                fitsExactly(pairWith(fds, false, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING,
                        Posix.SOF_TIMESTAMPING_RX_SOFTWARE | Posix.SOF_TIMESTAMPING_SOFTWARE), Kind.TIMESTAMPING);
                Descriptors.Pair unix = fds.unixPair(Posix.SOCK_DGRAM);
                Posix.setsockopt(unix.b, Posix.SOL_SOCKET, Posix.SO_PASSCRED, 1);
                fitsExactly(unix, Kind.CREDENTIALS);
            }
        }
    }

    /**
     * An IPv6 error-queue entry of an ICMPv6 port unreachable carries {@code struct sock_extended_err} and the
     * offender's {@code sockaddr_in6}, the largest an entry carries: it fits {@code space(EXTENDED_ERROR)} and is cut
     * in one unit less. An IPv4 entry (a {@code sockaddr_in}) fits too.
     */
    @Test
    void anErrorQueueEntryWithItsOffenderFitsTheExtendedErrorSpace() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        int space = ControlMessage.space(Kind.EXTENDED_ERROR);
        int errqueue = MsgFlag.mask(MsgFlag.MSG_ERRQUEUE);
        try (Descriptors fds = new Descriptors()) {
            for (boolean v6 : new boolean[] {false, true}) {
                int fd = ErrorQueueTest.recvErrSocket(fds, v6);
                InetSocketAddress closed = fds.closedUdpPort(v6);
                PollSet set = new PollSet(1);
                set.add(fd, 0);
                for (int i = 0; i < 2; i++) {
                    Posix.sendto(fd, new byte[DATAGRAM], 0, DATAGRAM, 0, closed);
                    assertEquals(1, ErrorQueueTest.readyWithinTwoSeconds(set), "the refusal reached the error queue");
                    assertTrue((set.revents(0) & Posix.POLLERR) != 0);
                    int given = v6 && i == 1 ? space - align() : space;
                    assertEquals(v6 && i == 1, cut(fd, errqueue, given, Kind.EXTENDED_ERROR),
                            (v6 ? "IPv6" : "IPv4") + " entry in " + given + " bytes");
                }
            }
        }
    }

    /**
     * A received TTL, an {@code int} on Linux, cut to 1 to 3 bytes by too little control space: no value is read from
     * part of it ({@link Message#receivedValue} -1, listed {@link Kind#RAW}), though its bytes are there to read;
     * whole, it is the TTL.
     */
    @Test
    void aReceivedIntCutShortIsNoValue() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "Linux's IP_TTL is an int");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = pairWith(fds, false, Posix.IPPROTO_IP, Posix.IP_RECVTTL, 1);
            int header = ControlMessage.space(0); // CMSG_LEN(0) on Linux
            for (int cut = 1; cut <= Integer.BYTES; cut++) {
                assertEquals(DATAGRAM, Posix.send(p.a, new byte[DATAGRAM], 0, DATAGRAM, 0));
                try (Message in = new Message(header + cut).add(ByteBuffer.allocate(64))) {
                    assertEquals(DATAGRAM, SocketIo.receiveWithin2s(p.b, in));
                    boolean whole = cut == Integer.BYTES;
                    assertEquals(!whole, in.controlTruncated(), cut + " bytes");
                    assertEquals(cut, in.receivedPayload(Posix.IPPROTO_IP, Posix.IP_TTL, new byte[8]), "what came");
                    long ttl = in.receivedValue(Kind.IP_TTL);
                    assertTrue(whole ? ttl >= 1 && ttl <= 255 : ttl == -1, cut + " bytes: " + ttl);
                    assertEquals(whole ? Kind.IP_TTL : Kind.RAW, in.receivedControl().get(0).kind(), cut + " bytes");
                }
            }
        }
    }
}

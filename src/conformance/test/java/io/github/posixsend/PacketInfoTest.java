// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.Loopback;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The UDP server on a wildcard address that answers each datagram from the local address it arrived at: received
 * {@code IP_PKTINFO} / {@code IPV6_PKTINFO} read with a reused {@link PacketInfo}, the reply addressed with
 * {@link Message#destination(SockAddrBuffer)} and sent from there with {@link Message#replyFrom(PacketInfo)}. Two
 * clients alternate, each sending to another local address (127.0.0.1 and 127.0.0.2: Linux answers the whole of
 * 127/8 on lo), so that a reply sent to the previous datagram's sender, or from its local address, shows: each
 * client reads its reply with {@code recvfrom} and checks the source is the address it sent to. With recvmsg and
 * recvmmsg; the whole round allocates nothing once warm.
 */
class PacketInfoTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();
    private static final int EAGAIN = -Errno.EAGAIN.number();
    /** Room for packet info and the other control messages the tests ask for. */
    private static final int CONTROL_SPACE = 256;

    /** Asks {@code fd} for packet info with each datagram: {@code IP_RECVPKTINFO} where it exists (NetBSD). */
    private static void askForPacketInfo(int fd, boolean v6) throws ErrnoException {
        if (v6) {
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_RECVPKTINFO, 1);
        } else {
            int option = Posix.IP_RECVPKTINFO != Posix.UNSUPPORTED ? Posix.IP_RECVPKTINFO : Posix.IP_PKTINFO;
            Posix.setsockopt(fd, Posix.IPPROTO_IP, option, 1);
        }
    }

    /** A UDP socket of the family bound to the wildcard address on an ephemeral port. */
    private static int wildcardServer(Descriptors fds, boolean v6) throws Exception {
        int fd = fds.socket(v6 ? Posix.AF_INET6 : Posix.AF_INET, Posix.SOCK_DGRAM);
        Posix.bind(fd, new InetSocketAddress(InetAddress.getByName(v6 ? "::" : "0.0.0.0"), 0));
        return fd;
    }

    /**
     * The second local address a client sends to: 127.0.0.2 on Linux, whose lo takes all of 127/8; elsewhere (NetBSD's
     * lo has 127.0.0.1 alone) 127.0.0.1 again, so that the test still checks the replies, if not their sources.
     */
    private static InetAddress secondLoopback() throws Exception {
        return InetAddress.getByName(Os.current() == Os.LINUX ? "127.0.0.2" : "127.0.0.1");
    }

    /**
     * Runs {@code call}, a non-blocking receive, until it returns something other than {@code -EAGAIN}: at most 10,000
     * tries 1 ms apart. Returns its last result, {@code -EAGAIN} when nothing came.
     */
    private static long awaitReceive(java.util.function.LongSupplier call) throws InterruptedException {
        long r = EAGAIN;
        for (int i = 0; i < 10_000 && r == EAGAIN; i++) {
            r = call.getAsLong();
            if (r == EAGAIN) {
                Thread.sleep(1);
            }
        }
        return r;
    }

    /** Sleeps 1 ms between the tries of a receive that the test's rounds do not measure. */
    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a datagram", e);
        }
    }

    private static byte[] bytes(InetAddress a) {
        return a.getAddress();
    }

    /** The server's side of one exchange: a datagram received with recvmsg, its packet info read, an echo sent. */
    private static final class Server {
        final int fd;
        final ByteBuffer rx = ByteBuffer.allocateDirect(64);
        /** The echo: the received bytes, sent from the same memory. */
        final ByteBuffer echo = rx.duplicate();
        final Message in = new Message(CONTROL_SPACE).add(rx);
        final Message out = new Message(CONTROL_SPACE).add(echo);
        final PacketInfo info = new PacketInfo();
        final SockAddrBuffer peer = new SockAddrBuffer();

        Server(int fd) {
            this.fd = fd;
        }

        /**
         * Receives with at most 100,000 non-blocking tries, each counted in {@code calls[0]}, and answers; the bytes
         * answered, or -1.
         */
        int answer(long[] calls) throws ErrnoException {
            rx.clear();
            long n = EAGAIN;
            for (int s = 0; s < 100_000 && n == EAGAIN; s++) {
                calls[0]++;
                n = Posix.tryRecvmsg(fd, in, DONTWAIT);
            }
            if (n < 0 || !info.read(in) || !in.source(peer)) {
                return -1;
            }
            echo.limit((int) n).position(0);
            return (int) Posix.sendmsg(fd, out.destination(peer).replyFrom(info), 0);
        }
    }

    /** A client: a socket bound to loopback that sends to one local address of the server's and reads replies. */
    private static final class Client {
        final int fd;
        final byte id;
        final InetAddress to;
        final SockAddr server;
        final ByteBuffer request = ByteBuffer.allocateDirect(8);
        final ByteBuffer reply = ByteBuffer.allocateDirect(64);
        final SockAddrBuffer from = new SockAddrBuffer();
        final byte[] expected;
        final byte[] got = new byte[16];
        final int port;

        Client(Descriptors fds, boolean v6, int id, InetAddress to, int port) throws ErrnoException {
            this.fd = fds.boundUdp(v6);
            this.id = (byte) id;
            this.to = to;
            this.port = port;
            this.server = SockAddr.of(new InetSocketAddress(to, port));
            this.expected = to.getAddress();
        }

        int send(int round) {
            request.clear();
            request.put(0, id).put(1, (byte) round).putShort(2, (short) 0x5aa5).putInt(4, round);
            return Posix.trySendto(fd, request, 0, server);
        }

        /**
         * Reads one reply with at most 10,000 non-blocking tries 1 ms apart with {@code sleep}, else 100,000 without
         * a pause, each counted in {@code calls[0]}: whether it is this client's datagram of {@code round}, from the
         * address it was sent to.
         */
        boolean replied(int round, boolean sleep, long[] calls) {
            reply.clear();
            int n = EAGAIN;
            for (int s = 0; s < (sleep ? 10_000 : 100_000) && n == EAGAIN; s++) {
                calls[0]++;
                n = Posix.tryRecvfrom(fd, reply, DONTWAIT, from);
                if (n == EAGAIN && sleep) {
                    pause();
                }
            }
            return n == 8 && reply.get(0) == id && reply.getInt(4) == round && from.port() == port
                    && fromExpected();
        }

        private boolean fromExpected() {
            int len = from.address(got);
            if (len != expected.length) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (got[i] != expected[i]) {
                    return false;
                }
            }
            return true;
        }

        /** What the last read got, for a failure's message. */
        String lastReply() {
            return reply.position() == 0 ? "nothing" : "client " + reply.get(0) + "'s datagram of round "
                    + reply.getInt(4) + " from " + from.toSocketAddress();
        }
    }

    @Test
    void ipv4RepliesComeFromTheAddressEachClientSentTo() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = wildcardServer(fds, false);
            askForPacketInfo(fd, false);
            int port = Descriptors.addressOf(fd).getPort();
            InetAddress first = InetAddress.getByName("127.0.0.1");
            Client[] clients = {new Client(fds, false, 1, first, port), new Client(fds, false, 2, secondLoopback(),
                    port)};
            Server server = new Server(fd);
            for (int round = 0; round < 6; round++) {
                Client c = clients[round % 2];
                assertEquals(8, c.send(round));
                rxAwait(server);
                PacketInfo info = server.info;
                assertTrue(info.read(server.in), "IP_PKTINFO in round " + round);
                assertTrue(info.isValid());
                assertEquals(Posix.AF_INET, info.family());
                assertTrue(info.interfaceIndex() > 0, "lo's interface index");
                byte[] a = new byte[4];
                assertEquals(4, info.address(a));
                assertArrayEquals(bytes(c.to), a, "ipi_addr: the address the client sent to");
                assertEquals(4, info.specificDestination(a));
                assertArrayEquals(bytes(c.to), a, "ipi_spec_dst: the local address it was routed to");
                // the same as the objects of receivedControl, read at the same offsets
                ControlMessage cm = server.in.receivedControl().get(0);
                assertEquals(ControlMessage.Kind.IP_PKTINFO, cm.kind());
                assertEquals(cm.interfaceIndex(), info.interfaceIndex());
                assertEquals(c.to, cm.specificDestination());
                assertTrue(info.toString().contains(c.to.getHostAddress()), info.toString());

                server.in.source(server.peer);
                server.echo.limit(8).position(0);
                server.out.destination(server.peer).replyFrom(info);
                assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"),
                        Descriptors.addressOf(c.fd).getPort()), server.out.destination().toSocketAddress());
                assertEquals(8, Posix.sendmsg(fd, server.out, 0));
                assertTrue(c.replied(round, true, new long[1]), "client " + c.id + " got its reply of round " + round
                        + " from " + c.to + ", not " + c.lastReply());
                assertEquals(EAGAIN, Posix.tryRecvfrom(clients[(round + 1) % 2].fd, c.reply.clear(), DONTWAIT,
                        c.from), "the other client got nothing");
            }
        }
    }

    /**
     * A server that holds a request to answer after the next one keeps its packet info with {@code copyFrom}: the
     * next read overwrites the view, and each reply still goes from the address its request was sent to.
     */
    @Test
    void aHeldPacketInfoAnswersItsRequestAfterTheNextIsRead() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = wildcardServer(fds, false);
            askForPacketInfo(fd, false);
            int port = Descriptors.addressOf(fd).getPort();
            Client first = new Client(fds, false, 1, InetAddress.getByName("127.0.0.1"), port);
            Client second = new Client(fds, false, 2, secondLoopback(), port);
            Server server = new Server(fd);
            PacketInfo held = new PacketInfo();
            SockAddrBuffer heldPeer = new SockAddrBuffer();
            assertSame(held, held.copyFrom(server.info), "an empty view copies as empty");
            assertFalse(held.isValid());
            assertEquals(8, first.send(0));
            rxAwait(server);
            assertTrue(server.info.read(server.in));
            assertTrue(server.in.source(server.peer));
            held.copyFrom(server.info);
            heldPeer.copyFrom(server.peer);
            assertEquals(8, second.send(1));
            rxAwait(server);
            assertTrue(server.info.read(server.in), "the view now holds the second request's");
            assertTrue(server.in.source(server.peer));
            byte[] a = new byte[4];
            held.specificDestination(a);
            assertArrayEquals(bytes(first.to), a, "the held copy kept the first request's");
            held.address(a);
            assertArrayEquals(bytes(first.to), a, "its ipi_addr too");
            assertEquals(server.info.interfaceIndex(), held.interfaceIndex());
            server.echo.limit(8).position(0).putInt(4, 1).put(0, (byte) 2);
            assertEquals(8, Posix.sendmsg(fd, server.out.destination(server.peer).replyFrom(server.info), 0));
            assertTrue(second.replied(1, true, new long[1]), "the second client's reply, from " + second.to);
            server.echo.limit(8).position(0).putInt(4, 0).put(0, (byte) 1);
            assertEquals(8, Posix.sendmsg(fd, server.out.destination(heldPeer).replyFrom(held), 0));
            assertTrue(first.replied(0, true, new long[1]), "the held request's reply, from " + first.to + ", not "
                    + first.lastReply());
        }
    }

    private static void rxAwait(Server server) throws InterruptedException {
        server.rx.clear();
        long n = awaitReceive(() -> Posix.tryRecvmsg(server.fd, server.in, DONTWAIT));
        assertEquals(8, n, "the server received the request");
    }

    @Test
    void ipv6RepliesComeFromTheAddressTheyWereSentTo() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = wildcardServer(fds, true);
            askForPacketInfo(fd, true);
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_RECVHOPLIMIT, 1);
            int port = Descriptors.addressOf(fd).getPort();
            InetAddress lo6 = InetAddress.getByName("::1");
            Client[] clients = {new Client(fds, true, 1, lo6, port), new Client(fds, true, 2, lo6, port)};
            Server server = new Server(fd);
            for (int round = 0; round < 4; round++) {
                Client c = clients[round % 2];
                assertEquals(8, c.send(round));
                rxAwait(server);
                PacketInfo info = server.info;
                assertTrue(info.read(server.in), "IPV6_PKTINFO in round " + round);
                assertEquals(Posix.AF_INET6, info.family());
                assertTrue(info.interfaceIndex() > 0);
                byte[] a = new byte[16];
                assertEquals(16, info.address(a));
                assertArrayEquals(bytes(lo6), a, "ipi6_addr");
                assertThrows(IllegalStateException.class, () -> info.specificDestination(a), "IPv6 has no spec_dst");
                assertThrows(IllegalArgumentException.class, () -> info.address(new byte[4]), "16 bytes need room");
                assertEquals(2, server.in.receivedControl().size(), "packet info and the hop limit");

                server.in.source(server.peer);
                server.echo.limit(8).position(0);
                assertEquals(8, Posix.sendmsg(fd, server.out.destination(server.peer).replyFrom(info), 0));
                assertTrue(c.replied(round, true, new long[1]), "client " + c.id + " got its reply of round " + round);
            }
        }
    }

    /**
     * An IPv4 datagram to a dual-stack socket carries {@code IPV6_PKTINFO} with the IPv4-mapped address it was sent
     * to, which Linux takes back as the source of the reply to an IPv4-mapped sender.
     */
    @Test
    void aDualStackServerAnswersIpv4FromTheMappedAddress() throws Exception {
        Assumptions.assumeTrue(Os.current() == Os.LINUX, "Linux takes an IPv4-mapped IPV6_PKTINFO source");
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_V6ONLY, 0);
            Posix.bind(fd, new InetSocketAddress(InetAddress.getByName("::"), 0));
            askForPacketInfo(fd, true);
            int port = Descriptors.addressOf(fd).getPort();
            Client c = new Client(fds, false, 7, secondLoopback(), port);
            Server server = new Server(fd);
            assertEquals(8, c.send(0));
            rxAwait(server);
            assertTrue(server.info.read(server.in));
            assertEquals(Posix.AF_INET6, server.info.family());
            byte[] a = new byte[16];
            assertEquals(16, server.info.address(a));
            byte[] mapped = Loopback.mappedIpv4().getAddress();
            System.arraycopy(bytes(c.to), 0, mapped, 12, 4);
            assertArrayEquals(mapped, a, "::ffff: and the address the client sent to");
            server.in.source(server.peer);
            server.echo.limit(8).position(0);
            assertEquals(8, Posix.sendmsg(fd, server.out.destination(server.peer).replyFrom(server.info), 0));
            assertTrue(c.replied(0, true, new long[1]), "the reply came from " + c.to + ", not " + c.lastReply());
        }
    }

    /**
     * A dual-stack socket that asks for both packet infos gets both for an IPv4 datagram: read by kind, each is its
     * own struct (the {@code in_pktinfo} with the IPv4 address and {@code ipi_spec_dst}, the {@code in6_pktinfo} with
     * the mapped one); a control space for one cuts the other.
     */
    @Test
    void aDualStackSocketsTwoPacketInfosAreReadByKind() throws Exception {
        Assumptions.assumeTrue(Os.current() == Os.LINUX, "Linux gives an IPv4 datagram both packet infos");
        try (Descriptors fds = new Descriptors();
                Message in = new Message(ControlMessage.space(ControlMessage.Kind.IP_PKTINFO)
                        + ControlMessage.space(ControlMessage.Kind.IPV6_PKTINFO)).add(ByteBuffer.allocateDirect(8));
                Message small = new Message(ControlMessage.space(ControlMessage.Kind.IPV6_PKTINFO))
                        .add(ByteBuffer.allocateDirect(8))) {
            int fd = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_V6ONLY, 0);
            Posix.bind(fd, new InetSocketAddress(InetAddress.getByName("::"), 0));
            askForPacketInfo(fd, true);
            askForPacketInfo(fd, false);
            int port = Descriptors.addressOf(fd).getPort();
            Client c = new Client(fds, false, 9, secondLoopback(), port);
            PacketInfo info = new PacketInfo();
            byte[] a = new byte[16];
            byte[] mapped = Loopback.mappedIpv4().getAddress();
            System.arraycopy(bytes(c.to), 0, mapped, 12, 4);
            for (int round = 0; round < 2; round++) {
                Message m = round == 0 ? in : small;
                assertEquals(8, c.send(0));
                assertEquals(8, awaitReceive(() -> Posix.tryRecvmsg(fd, m.clearEachBuffer(), DONTWAIT)));
                assertTrue(info.read(m, ControlMessage.Kind.IPV6_PKTINFO), m.receivedControl().toString());
                assertEquals(Posix.AF_INET6, info.family());
                assertEquals(16, info.address(a));
                assertArrayEquals(mapped, a, "::ffff: and the address the client sent to");
                int ifindex = info.interfaceIndex();
                if (m == small) {
                    assertTrue(m.controlTruncated(), "no room for the second");
                    assertFalse(info.read(m, ControlMessage.Kind.IP_PKTINFO), m.receivedControl().toString());
                    assertFalse(info.isValid());
                    continue;
                }
                assertTrue(info.read(m, ControlMessage.Kind.IP_PKTINFO), m.receivedControl().toString());
                assertEquals(Posix.AF_INET, info.family());
                assertEquals(4, info.address(a));
                assertArrayEquals(bytes(c.to), java.util.Arrays.copyOf(a, 4), "the IPv4 address sent to");
                assertEquals(4, info.specificDestination(a));
                assertArrayEquals(bytes(c.to), java.util.Arrays.copyOf(a, 4), "ipi_spec_dst");
                assertEquals(ifindex, info.interfaceIndex(), "one interface, told twice");
                // the one-argument form takes whichever came first: Linux puts IPV6_PKTINFO first
                assertTrue(info.read(m));
                assertEquals(Posix.AF_INET6, info.family());
            }
            assertThrows(IllegalArgumentException.class, () -> info.read(in, ControlMessage.Kind.IP_TTL));
            assertThrows(NullPointerException.class, () -> info.read(in, null));
            assertThrows(NullPointerException.class, () -> info.read(null, ControlMessage.Kind.IP_PKTINFO));
        }
    }

    /**
     * recvmmsg of both clients' datagrams into a batch of two, answered with one sendmmsg of a reply batch whose list
     * never changes: which client's datagram is message 0 alternates, so a reply batch sent again as the last send
     * encoded it (its destination and packet info not described anew) would send to the wrong client.
     */
    @Test
    void recvmmsgBatchesAreAnsweredEachFromItsOwnAddress() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch in = new MessageBatch(2);
                MessageBatch out = new MessageBatch(2)) {
            int fd = wildcardServer(fds, false);
            askForPacketInfo(fd, false);
            Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_RECVTTL, 1);
            int port = Descriptors.addressOf(fd).getPort();
            Client[] clients = {new Client(fds, false, 1, InetAddress.getByName("127.0.0.1"), port),
                new Client(fds, false, 2, secondLoopback(), port)};
            BatchServer server = new BatchServer(fd, in, out);
            for (int round = 0; round < 6; round++) {
                Client firstSender = clients[round % 2];
                Client secondSender = clients[(round + 1) % 2];
                assertEquals(8, firstSender.send(round));
                assertEquals(8, secondSender.send(round));
                assertEquals(2, server.answer(true, new long[1]), "both datagrams of round " + round + " answered");
                byte[] a = new byte[4];
                assertEquals(Posix.AF_INET, server.infos[0].family());
                server.infos[0].specificDestination(a);
                assertArrayEquals(bytes(firstSender.to), a, "message 0 was sent to " + firstSender.to);
                assertTrue(firstSender.replied(round, true, new long[1]), "client " + firstSender.id + ", round "
                        + round + ": its reply from " + firstSender.to + ", not " + firstSender.lastReply());
                assertTrue(secondSender.replied(round, true, new long[1]), "client " + secondSender.id + ", round "
                        + round + ": its reply from " + secondSender.to + ", not " + secondSender.lastReply());
            }
        }
    }

    /** The server's side of a batch exchange: datagrams received with recvmmsg, each answered by sendmmsg. */
    private static final class BatchServer {
        final int fd;
        final MessageBatch in;
        final MessageBatch out;
        final ByteBuffer[] rx;
        final ByteBuffer[] echo;
        final Message[] replies;
        final PacketInfo[] infos;
        final SockAddrBuffer peer = new SockAddrBuffer();

        BatchServer(int fd, MessageBatch in, MessageBatch out) {
            this.fd = fd;
            this.in = in;
            this.out = out;
            int n = in.capacity();
            rx = new ByteBuffer[n];
            echo = new ByteBuffer[n];
            replies = new Message[n];
            infos = new PacketInfo[n];
            for (int i = 0; i < n; i++) {
                rx[i] = ByteBuffer.allocateDirect(64);
                echo[i] = ByteBuffer.allocateDirect(64);
                in.add(new Message(CONTROL_SPACE).add(rx[i]));
                replies[i] = new Message(CONTROL_SPACE).add(echo[i]);
                out.add(replies[i]);
                infos[i] = new PacketInfo();
            }
        }

        /**
         * Receives until the batch's capacity of datagrams came (each call may bring some), with at most 10,000
         * non-blocking tries (1 ms apart with {@code sleep}, else 100,000 tries), each counted in {@code calls[0]},
         * then answers them all with one sendmmsg; returns how many it answered, or -1 when one could not be read.
         */
        int answer(boolean sleep, long[] calls) throws Exception {
            int n = in.capacity();
            int got = 0;
            for (int s = 0; s < (sleep ? 10_000 : 100_000) && got < n; s++) {
                for (ByteBuffer b : rx) {
                    b.clear();
                }
                calls[0]++;
                int r = Posix.tryRecvmmsg(fd, in, DONTWAIT);
                if (r == EAGAIN) {
                    if (sleep) {
                        pause();
                    }
                    continue;
                }
                if (r <= 0 || got + r > n) {
                    return -1;
                }
                for (int i = 0; i < r; i++) {
                    Message m = in.get(i);
                    Message reply = replies[got];
                    PacketInfo info = infos[got];
                    if (!info.read(m) || !m.source(peer)) {
                        return -1;
                    }
                    ByteBuffer e = echo[got];
                    e.clear();
                    e.put(rx[i].flip()).flip();
                    reply.destination(peer).replyFrom(info);
                    got++;
                }
            }
            if (got != n) {
                return -1;
            }
            return Posix.sendmmsg(fd, out, 0);
        }
    }

    @Test
    void noPacketInfoReadsFalseAndOtherControlMessagesArePassedOver() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = wildcardServer(fds, false);
            Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_RECVTTL, 1);
            Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_RECVTOS, 1);
            int port = Descriptors.addressOf(fd).getPort();
            Client c = new Client(fds, false, 1, InetAddress.getByName("127.0.0.1"), port);
            Server server = new Server(fd);
            PacketInfo info = server.info;
            assertFalse(info.isValid(), "nothing read yet");
            assertThrows(IllegalStateException.class, info::family);
            assertThrows(IllegalStateException.class, () -> info.address(new byte[16]));
            assertEquals("PacketInfo[none]", info.toString());

            assertEquals(8, c.send(0));
            rxAwait(server);
            assertFalse(server.in.receivedControl().isEmpty(), "TTL and TOS came");
            assertFalse(info.read(server.in), "no packet info among them");
            assertFalse(info.isValid());
            assertThrows(IllegalStateException.class, info::interfaceIndex);
            assertThrows(IllegalStateException.class, () -> server.out.replyFrom(info), "nothing to reply from");

            // with packet info asked for too, and on Linux a timestamp first: found wherever it is in the list
            askForPacketInfo(fd, false);
            boolean stamped = false;
            if (Posix.SO_TIMESTAMPNS != Posix.UNSUPPORTED) {
                try {
                    Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPNS, 1);
                    stamped = true;
                } catch (ErrnoException e) {
                    // qemu-user translates no SO_TIMESTAMPNS (docs/aarch64-qemu.md): the list is then not reordered
                    assertEquals(Errno.ENOPROTOOPT, e.errno(), e.getMessage());
                }
            }
            assertEquals(8, c.send(1));
            rxAwait(server);
            List<ControlMessage> all = server.in.receivedControl();
            int at = -1;
            for (int k = 0; k < all.size(); k++) {
                if (all.get(k).kind() == ControlMessage.Kind.IP_PKTINFO) {
                    at = k;
                }
            }
            assertTrue(at >= 0 && all.size() >= 3, all.toString());
            if (stamped) {
                assertTrue(at > 0, "the timestamp came first: " + all);
            }
            assertTrue(info.read(server.in));
            assertEquals(all.get(at).interfaceIndex(), info.interfaceIndex());

            // then a datagram without control messages: the view is emptied
            Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_RECVTTL, 0);
            Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_RECVTOS, 0);
            if (stamped) {
                Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPNS, 0);
            }
            int option = Posix.IP_RECVPKTINFO != Posix.UNSUPPORTED ? Posix.IP_RECVPKTINFO : Posix.IP_PKTINFO;
            Posix.setsockopt(fd, Posix.IPPROTO_IP, option, 0);
            assertEquals(8, c.send(2));
            rxAwait(server);
            assertTrue(server.in.receivedControl().isEmpty());
            assertFalse(info.read(server.in));
            assertFalse(info.isValid());

            // and a message that never received anything
            assertFalse(info.read(new Message()));
            assertThrows(NullPointerException.class, () -> info.read(null));
        }
    }

    @Test
    void pktinfoAndDestinationArgumentsAreChecked() throws Exception {
        Message m = new Message(CONTROL_SPACE);
        byte[] four = {127, 0, 0, 1};
        assertThrows(NullPointerException.class, () -> m.pktinfo(0, null, 4));
        assertThrows(IllegalArgumentException.class, () -> m.pktinfo(0, four, 5), "4 or 16 bytes");
        assertThrows(IllegalArgumentException.class, () -> m.pktinfo(0, four, 16), "16 asked, 4 given");
        assertThrows(IllegalArgumentException.class, () -> m.pktinfo(-1, four, 4), "a negative index");
        assertThrows(NullPointerException.class, () -> m.replyFrom(null));
        assertThrows(IllegalStateException.class, () -> m.replyFrom(new PacketInfo()), "nothing was read");
        assertThrows(NullPointerException.class, () -> m.destination((SockAddrBuffer) null));
        assertThrows(IllegalArgumentException.class, () -> m.destination(new SockAddrBuffer()), "no address");
        assertNull(m.destination());

        // the packet info takes its space: a message without room refuses it, and the control messages theirs
        int in6Space = ControlMessage.ipv6Pktinfo(0, null).space();
        assertThrows(IllegalArgumentException.class, () -> new Message(0).pktinfo(0, four, 4));
        Message tight = new Message(in6Space);
        tight.pktinfo(0, new byte[16], 16);
        assertThrows(IllegalArgumentException.class, () -> tight.addControl(ControlMessage.ipTtl(1)));
        assertEquals(0, tight.controlCount(), "packet info is not one of the added control messages");
        tight.pktinfo(0, four, 4); // replaced, not added
        tight.clearControl();
        tight.addControl(ControlMessage.ipv6Pktinfo(0, null));
        assertThrows(IllegalArgumentException.class, () -> tight.pktinfo(0, new byte[16], 16), "the space is used");
    }

    @Test
    void pktinfoChoosesTheSourceAndClearControlRemovesIt() throws Exception {
        Assumptions.assumeTrue(Os.current() == Os.LINUX, "127.0.0.2 is a local address on Linux's lo");
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            int tx = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.bind(tx, new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            ByteBuffer data = ByteBuffer.allocateDirect(4);
            ByteBuffer got = ByteBuffer.allocateDirect(16);
            SockAddrBuffer from = new SockAddrBuffer();
            SockAddrBuffer to = new SockAddrBuffer();
            // a SockAddrBuffer filled by a receive, as a server has it: rx's own address, read back by tx
            int txPort = Descriptors.addressOf(tx).getPort();
            Posix.sendto(rx, ByteBuffer.allocate(1), 0, new InetSocketAddress(InetAddress.getByName("127.0.0.1"),
                    txPort));
            assertEquals(1, awaitReceive(() -> Posix.tryRecvfrom(tx, got.clear(), DONTWAIT, to)));
            Message m = Message.of(data).destination(to);
            assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), Descriptors.addressOf(rx).getPort()),
                    m.destination().toSocketAddress());
            assertSame(m.destination(), m.destination(), "made once, kept while the destination stays");
            byte[] source = InetAddress.getByName("127.0.0.2").getAddress();
            for (int round = 0; round < 4; round++) {
                boolean chosen = round % 2 == 0;
                if (chosen) {
                    m.pktinfo(0, source, 4);
                } else {
                    m.clearControl();
                }
                data.clear();
                assertEquals(4, Posix.sendmsg(tx, m, 0));
                assertEquals(4, awaitReceive(() -> Posix.tryRecvfrom(rx, got.clear(), DONTWAIT, from)));
                byte[] a = new byte[4];
                from.address(a);
                assertEquals(InetAddress.getByName(chosen ? "127.0.0.2" : "127.0.0.1"), InetAddress.getByAddress(a),
                        "round " + round + (chosen ? ": the source set with pktinfo" : ": the kernel's choice"));
            }
        }
    }

    /**
     * The whole round of the server, with recvmsg: two clients send in turn, to 127.0.0.1 and 127.0.0.2; the server
     * receives, reads the packet info and the sender, and echoes from the address each was sent to; each client
     * checks its reply's source. Nothing beyond the budget is allocated per datagram once warm.
     */
    @Test
    void theRecvmsgRoundAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            int fd = wildcardServer(fds, false);
            askForPacketInfo(fd, false);
            int port = Descriptors.addressOf(fd).getPort();
            Client[] clients = {new Client(fds, false, 1, InetAddress.getByName("127.0.0.1"), port),
                new Client(fds, false, 2, secondLoopback(), port)};
            Server server = new Server(fd);
            long[] calls = {0};
            SteadyAllocation.Round round = () -> {
                calls[0] = 0;
                long failures = 0;
                for (int i = 0; i < 400; i++) {
                    Client c = clients[i % 2];
                    calls[0] += 2; // the client's send and the server's reply; the receives count their tries
                    if (c.send(i) != 8) {
                        failures++;
                        continue;
                    }
                    try {
                        if (server.answer(calls) != 8 || !c.replied(i, false, calls)) {
                            failures++;
                        }
                    } catch (ErrnoException e) {
                        failures++;
                    }
                }
                return failures;
            };
            for (int warm = 0; warm < 10; warm++) {
                assertEquals(0, round.run(), "warm-up exchanges all go right");
            }
            MessageAllocationTest.assertWithinBudget(SteadyAllocation.leastBeyond("400 exchanges",
                    () -> AllocationBudget.forDowncalls(calls[0]), round),
                    "400 datagrams received with recvmsg, their packet info read and each answered from its address");
        }
    }

    /** The same with recvmmsg and sendmmsg: both clients' datagrams in a batch, answered by one sendmmsg. */
    @Test
    void theRecvmmsgRoundAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors(); MessageBatch in = new MessageBatch(2);
                MessageBatch out = new MessageBatch(2)) {
            int fd = wildcardServer(fds, false);
            askForPacketInfo(fd, false);
            int port = Descriptors.addressOf(fd).getPort();
            Client[] clients = {new Client(fds, false, 1, InetAddress.getByName("127.0.0.1"), port),
                new Client(fds, false, 2, secondLoopback(), port)};
            BatchServer server = new BatchServer(fd, in, out);
            long[] calls = {0};
            SteadyAllocation.Round round = () -> {
                calls[0] = 0;
                long failures = 0;
                for (int i = 0; i < 200; i++) {
                    Client first = clients[i % 2];
                    Client second = clients[(i + 1) % 2];
                    calls[0] += 3; // the clients' sends and the sendmmsg; the receives count their tries
                    if (first.send(i) != 8 || second.send(i) != 8) {
                        failures++;
                        continue;
                    }
                    try {
                        if (server.answer(false, calls) != 2 || !first.replied(i, false, calls)
                                || !second.replied(i, false, calls)) {
                            failures++;
                        }
                    } catch (Exception e) {
                        failures++;
                    }
                }
                return failures;
            };
            for (int warm = 0; warm < 10; warm++) {
                assertEquals(0, round.run(), "warm-up exchanges all go right");
            }
            MessageAllocationTest.assertWithinBudget(SteadyAllocation.leastBeyond("200 batch exchanges",
                    () -> AllocationBudget.forDowncalls(calls[0]), round),
                    "200 pairs of datagrams received with recvmmsg, read and answered with sendmmsg");
        }
    }

    @Test
    void anIpv6SourceIsSentWithItsInterface() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(true);
            askForPacketInfo(rx, true);
            int tx = fds.boundUdp(true);
            Message m = Message.of(ByteBuffer.allocateDirect(2)).destination(Descriptors.addressOf(rx));
            byte[] lo6 = InetAddress.getByName("::1").getAddress();
            m.pktinfo(0, lo6, 16);
            assertEquals(2, Posix.sendmsg(tx, m, 0));
            Message in = Message.of(ByteBuffer.allocateDirect(8));
            assertEquals(2, awaitReceive(() -> Posix.tryRecvmsg(rx, in, DONTWAIT)));
            PacketInfo info = new PacketInfo();
            assertTrue(info.read(in));
            assertTrue(info.toString().startsWith("IPV6_PKTINFO[ifindex "), info.toString());
            assertTrue(in.source() instanceof InetSocketAddress
                    && ((InetSocketAddress) in.source()).getAddress() instanceof Inet6Address);
            // an interface that does not exist is the kernel's to refuse: the index reaches it
            m.pktinfo(999_999, lo6, 16);
            m.buffer(0).clear();
            assertThrows(ErrnoException.class, () -> Posix.sendmsg(tx, m, 0));
        }
    }
}

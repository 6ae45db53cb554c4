// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** sendmsg gather lists and recvmsg scatter lists on real sockets. */
class SendmsgTest {

    static ByteBuffer direct(byte[] b) {
        ByteBuffer d = ByteBuffer.allocateDirect(b.length);
        d.put(b).flip();
        return d;
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads exactly n bytes from a stream, polling without blocking, for at most 5 s. */
    static byte[] readStream(int fd, int n) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (out.size() < n && System.nanoTime() < deadline) {
            byte[] got = SocketIo.receive(fd, Math.min(1 << 20, n - out.size()), 100);
            if (got != null) {
                out.write(got);
            }
        }
        return out.toByteArray();
    }

    @Test
    void twoBuffersArriveAsOneDatagram() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer heap = ascii("hello ");
            ByteBuffer dir = direct("world".getBytes(StandardCharsets.US_ASCII));
            Message m = Message.of(heap, dir);
            assertEquals(11, Posix.sendmsg(p.a, m, 0));
            assertEquals(6, heap.position());
            assertEquals(5, dir.position());
            assertArrayEquals("hello world".getBytes(StandardCharsets.US_ASCII), SocketIo.receive(p.b, 100, 2000));
        }
    }

    @Test
    void twoBuffersArriveAsOneContiguousStream() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Message m = Message.of(ascii("gather "), direct("stream".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(13, Posix.sendmsg(p.a, m, 0));
            assertEquals("gather stream", new String(readStream(p.b, 13), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void destinationPerMessageOnUnconnectedSocket() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            int tx = fds.boundUdp(false);
            Message m = Message.of(ascii("to"), ascii("-you")).destination(Descriptors.addressOf(rx));
            assertEquals(6, Posix.sendmsg(tx, m, 0));
            assertArrayEquals("to-you".getBytes(StandardCharsets.US_ASCII), SocketIo.receive(rx, 100, 2000));
        }
    }

    @Test
    void ipv6DestinationAndUnixPathDestination() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx6 = fds.boundUdp(true);
            int tx6 = fds.boundUdp(true);
            assertEquals(3, Posix.sendmsg(tx6, Message.of(ascii("v6!")).destination(Descriptors.addressOf(rx6)), 0));
            assertArrayEquals("v6!".getBytes(StandardCharsets.US_ASCII), SocketIo.receive(rx6, 100, 2000));

            int ux = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            java.nio.file.Path path = fds.unixPath("rx.sock");
            Posix.bind(ux, java.net.UnixDomainSocketAddress.of(path));
            int utx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Message m = Message.of(ascii("un"), ascii("ix")).destination(java.net.UnixDomainSocketAddress.of(path));
            assertEquals(4, Posix.sendmsg(utx, m, 0));
            assertArrayEquals("unix".getBytes(StandardCharsets.US_ASCII), SocketIo.receive(ux, 100, 2000));
        }
    }

    @Test
    void a1024BufferGatherListWorks() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Message m = new Message();
            byte[] expected = new byte[1024];
            for (int i = 0; i < 1024; i++) {
                expected[i] = (byte) (i * 7);
                // alternate heap and direct buffers
                m.add(i % 2 == 0 ? ByteBuffer.wrap(new byte[] {expected[i]}) : direct(new byte[] {expected[i]}));
            }
            assertEquals(1024, Posix.IOV_MAX);
            assertEquals(1024, Posix.sendmsg(p.a, m, 0));
            assertArrayEquals(expected, SocketIo.receive(p.b, 2048, 2000));
            for (int i = 0; i < 1024; i++) {
                assertFalse(m.buffer(i).hasRemaining());
            }
        }
    }

    @Test
    void a1025BufferGatherListFailsWithEmsgsize() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Message m = new Message();
            for (int i = 0; i < 1025; i++) {
                m.add(ByteBuffer.wrap(new byte[] {1}));
            }
            MessageTooLongException e = assertThrows(MessageTooLongException.class, () -> Posix.sendmsg(p.a, m, 0));
            assertEquals(Errno.EMSGSIZE, e.errno());
            assertEquals("sendmsg: EMSGSIZE (Message too long)", e.getMessage());
            assertEquals(-Errno.EMSGSIZE.number(), Posix.trySendmsg(p.a, m, 0));
            assertEquals(0, m.buffer(0).position(), "nothing sent, nothing advanced");
        }
    }

    @Test
    void anEmptyGatherListSendsAnEmptyDatagram() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            assertEquals(0, Posix.sendmsg(p.a, new Message(), 0));
            byte[] got = SocketIo.receive(p.b, 100, 2000);
            assertNotNull(got, "an empty datagram arrives");
            assertEquals(0, got.length);
            // and buffers with nothing remaining behave the same
            assertEquals(0, Posix.sendmsg(p.a, Message.of(ByteBuffer.allocate(0), ByteBuffer.allocateDirect(0)), 0));
            assertArrayEquals(new byte[0], SocketIo.receive(p.b, 100, 2000));
        }
    }

    @Test
    void readOnlyBuffersAreSent() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer ro = ascii("read-only").asReadOnlyBuffer();
            ByteBuffer rod = direct("+direct".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
            assertEquals(16, Posix.sendmsg(p.a, Message.of(ro, rod), 0));
            assertEquals("read-only+direct", new String(SocketIo.receive(p.b, 100, 2000), StandardCharsets.US_ASCII));
            assertFalse(ro.hasRemaining());
            assertFalse(rod.hasRemaining());
        }
    }

    @Test
    void partialSendmsgLeavesEachPositionWhereTheKernelStopped() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 32 * 1024);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 32 * 1024);
            Posix.setBlocking(p.a, false);
            int[] sizes = {100_003, 1, 250_000, 77_777};
            ByteBuffer[] bufs = new ByteBuffer[sizes.length];
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            int v = 0;
            for (int i = 0; i < sizes.length; i++) {
                byte[] b = new byte[sizes[i]];
                for (int j = 0; j < b.length; j++) {
                    b[j] = (byte) (v++ * 13 + (v >> 8));
                }
                all.write(b);
                // offsets inside the buffers too: positions must be honoured, not just 0
                ByteBuffer holder = i % 2 == 0 ? ByteBuffer.allocateDirect(b.length + 10)
                        : ByteBuffer.allocate(b.length + 10);
                holder.position(5);
                holder.put(b);
                holder.position(5).limit(5 + b.length);
                bufs[i] = holder;
            }
            Message m = Message.of(bufs);
            long total = 0;
            int partials = 0;
            boolean blocked = false;
            for (int round = 0; round < 10_000 && !blocked; round++) {
                int[] before = new int[bufs.length];
                for (int i = 0; i < bufs.length; i++) {
                    before[i] = bufs[i].position();
                }
                long remaining = m.remaining();
                long r = Posix.trySendmsg(p.a, m, 0);
                if (r < 0) {
                    assertEquals(-Errno.EAGAIN.number(), r);
                    for (int i = 0; i < bufs.length; i++) {
                        assertEquals(before[i], bufs[i].position(), "would-block moves nothing");
                    }
                    blocked = true;
                    break;
                }
                if (r < remaining) {
                    partials++;
                }
                long left = r;
                for (int i = 0; i < bufs.length; i++) {
                    int avail = bufs[i].limit() - before[i];
                    int take = (int) Math.min(left, avail);
                    assertEquals(before[i] + take, bufs[i].position(), "buffer " + i + " after sending " + r);
                    left -= take;
                }
                total += r;
                assertTrue(m.remaining() > 0, "the peer does not read, so 427781 bytes cannot all fit");
            }
            assertTrue(blocked, "the send buffer filled up");
            assertTrue(partials >= 1, "at least one sendmsg was partial");
            assertTrue(total > 0);
            byte[] got = readStream(p.b, (int) total);
            assertArrayEquals(Arrays.copyOf(all.toByteArray(), (int) total), got,
                    "the stream holds exactly the bytes sent");
        }
    }

    @Test
    void recvmsgScattersAndReportsTruncation() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.send(p.a, ascii("0123456789"), 0);
            ByteBuffer h = ByteBuffer.allocate(3);
            ByteBuffer d = ByteBuffer.allocateDirect(4);
            Message m = Message.of(h, d);
            assertEquals(7, Posix.recvmsg(p.b, m, 0));
            assertNotEquals(0, m.receivedFlags() & MsgFlag.MSG_TRUNC.value(), "MSG_TRUNC in msg_flags");
            assertEquals("012", new String(h.array(), StandardCharsets.US_ASCII));
            d.flip();
            byte[] rest = new byte[4];
            d.get(rest);
            assertEquals("3456", new String(rest, StandardCharsets.US_ASCII));
            assertEquals(Posix.getsockname(p.a), m.source());
        }
    }

    @Test
    void recvmsgWithMsgTruncReturnsTheRealLength() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.send(p.a, ascii("abcdefgh"), 0);
            ByteBuffer h = ByteBuffer.allocate(2);
            Message m = Message.of(h, ByteBuffer.allocate(1));
            assertEquals(8, Posix.recvmsg(p.b, m, MsgFlag.MSG_TRUNC.value()));
            assertEquals(2, h.position());
            assertEquals(1, m.buffer(1).position());
        }
    }

    @Test
    void recvmsgOnAStreamAndFromAnUnnamedSocket() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            Posix.send(p.a, ascii("xyz"), 0);
            Message m = Message.of(ByteBuffer.allocateDirect(16));
            assertEquals(3, Posix.recvmsg(p.b, m, 0));
            assertNull(m.source(), "a socketpair end has no name");
            assertTrue(m.receivedControl().isEmpty());
            Posix.setBlocking(p.b, false);
            assertThrows(WouldBlockException.class, () -> Posix.recvmsg(p.b, m, 0));
        }
    }

    /** Sends a datagram from {@code from} (to {@code dest}, unless null) and receives it on {@code to}. */
    private static Message receiveFrom(int from, int to, java.net.SocketAddress dest) throws ErrnoException {
        if (dest == null) {
            Posix.send(from, ascii("hello"), 0);
        } else {
            Posix.sendto(from, ascii("hello"), 0, dest);
        }
        Message m = Message.of(ByteBuffer.allocateDirect(16));
        assertEquals(5, Posix.recvmsg(to, m, 0));
        return m;
    }

    @Test
    void sourceIntoAReusedBufferIsTheAddressSourceGives() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            SockAddrBuffer from = new SockAddrBuffer();
            assertThrows(NullPointerException.class, () -> new Message().source(null));
            for (boolean v6 : new boolean[] {false, true}) {
                int rx = fds.boundUdp(v6);
                int tx = fds.boundUdp(v6);
                Message m = receiveFrom(tx, rx, Descriptors.addressOf(rx));
                assertTrue(m.source(from), "a datagram names its sender");
                assertEquals(Descriptors.addressOf(tx), from.toSocketAddress());
                assertEquals(m.source(), from.toSocketAddress());
                assertEquals(v6 ? Posix.AF_INET6 : Posix.AF_INET, from.family());
                assertEquals(Descriptors.addressOf(tx).getPort(), from.port());
                byte[] ip = new byte[16];
                byte[] expected = Descriptors.addressOf(tx).getAddress().getAddress();
                assertEquals(expected.length, from.address(ip), "sin_addr or sin6_addr");
                assertArrayEquals(expected, java.util.Arrays.copyOf(ip, expected.length));
                assertThrows(IllegalArgumentException.class, () -> from.address(new byte[expected.length - 1]));
            }
            // a path longer than the words the message keeps in fields: the rest of the name comes along too
            java.nio.file.Path txPath = fds.unixPath("sender-" + "x".repeat(40));
            int rx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            int tx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            java.net.UnixDomainSocketAddress rxName = java.net.UnixDomainSocketAddress.of(fds.unixPath("rx"));
            Posix.bind(rx, rxName);
            Posix.bind(tx, java.net.UnixDomainSocketAddress.of(txPath));
            Message m = receiveFrom(tx, rx, rxName);
            assertTrue(m.source(from));
            assertEquals(Posix.AF_UNIX, from.family());
            assertEquals(0, from.address(new byte[16]), "a Unix name has no IP address");
            assertEquals(java.net.UnixDomainSocketAddress.of(txPath), from.toSocketAddress());
            assertEquals(m.source(), from.toSocketAddress());

            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Message unnamed = receiveFrom(p.a, p.b, null);
            assertFalse(unnamed.source(from), "a socketpair end has no name");
            assertEquals(0, from.length(), "the buffer no longer holds the last address");
            assertNull(from.toSocketAddress());
            assertEquals(0, from.address(new byte[16]));
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.io.ByteArrayOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code sendmsg} of a message of one or two direct buffers and at most one control message of a single value, which
 * the message hands to the backend as arguments instead of through its plan: the bytes, positions, destinations,
 * control messages, partial sends and errors are those of the planned call, on real sockets.
 */
class DirectGatherTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A direct buffer holding {@code text} between position 3 and its limit, with other bytes around it. */
    private static ByteBuffer framed(String text) {
        byte[] b = ascii(text);
        ByteBuffer d = ByteBuffer.allocateDirect(b.length + 7);
        d.put(ascii("xxx")).put(b).put(ascii("yyyy"));
        return d.position(3).limit(3 + b.length);
    }

    @Test
    void twoDirectBuffersAtOffsetsArriveAsOneDatagram() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer head = framed("head:");
            ByteBuffer body = framed("body").slice().asReadOnlyBuffer();
            Message m = Message.of(head, body);
            assertEquals(9, Posix.sendmsg(p.a, m, 0));
            assertEquals(8, head.position());
            assertEquals(4, body.position());
            assertArrayEquals(ascii("head:body"), SocketIo.receive(p.b, 100, 2000));

            m.rewind();
            assertEquals(3, head.position());
            assertEquals(0, body.position());
            assertEquals(9, Posix.sendmsg(p.a, m, 0));
            assertArrayEquals(ascii("head:body"), SocketIo.receive(p.b, 100, 2000));
            assertEquals(0, Posix.sendmsg(p.a, m, 0), "both positions at their limits: an empty datagram, as in C");
            assertArrayEquals(new byte[0], SocketIo.receive(p.b, 100, 2000));
        }
    }

    /**
     * A direct buffer whose limit is 0 (nothing to send, nothing before its limit to read) is an empty iovec, as in C,
     * whichever way the message reaches the backend: as arguments, through a plan (a batch), or with another buffer;
     * and a receive into one takes the datagram and stores nothing. Where every direct buffer is checked before the
     * kernel is given its address (JDK 17 without the incubator module, a confined arena's), the check must not
     * read the buffer through its limit.
     */
    @Test
    void directBuffersWithALimitOfZeroAreEmptyIovecs() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(true);
            ByteBuffer none = ByteBuffer.allocateDirect(16).limit(0);
            assertEquals(0, Posix.sendmsg(p.a, Message.of(none), 0));
            assertArrayEquals(new byte[0], SocketIo.receive(p.b, 100, 2000));
            ByteBuffer tail = framed("tail");
            assertEquals(4, Posix.sendmsg(p.a, Message.of(none, tail), 0));
            assertArrayEquals(ascii("tail"), SocketIo.receive(p.b, 100, 2000));
            MessageBatch batch = new MessageBatch(1).add(Message.of(none, framed("planned"), none.duplicate()));
            assertEquals(1, Posix.sendmmsg(p.a, batch, 0));
            assertEquals(7, batch.bytesSent(0));
            assertArrayEquals(ascii("planned"), SocketIo.receive(p.b, 100, 2000));

            assertEquals(3, Posix.send(p.a, ByteBuffer.wrap(ascii("abc")), 0));
            Message into = Message.of(none);
            assertEquals(0, Posix.recvmsg(p.b, into, 0));
            assertTrue(into.truncated(), "the datagram's 3 bytes did not fit in none");
            assertEquals(0, none.position());
        }
    }

    @Test
    void oneDirectBufferIsOneDatagram() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(true);
            ByteBuffer only = framed("alone");
            assertEquals(5, Posix.trySendmsg(p.a, Message.of(only), 0));
            assertEquals(8, only.position());
            assertArrayEquals(ascii("alone"), SocketIo.receive(p.b, 100, 2000));
        }
    }

    @Test
    void destinationsOfEachFamily() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            for (boolean v6 : new boolean[] {false, true}) {
                int rx = fds.boundUdp(v6);
                int tx = fds.socket(v6 ? Posix.AF_INET6 : Posix.AF_INET, Posix.SOCK_DGRAM);
                Message m = Message.of(framed("to "), framed(v6 ? "six" : "four"))
                        .destination(Descriptors.addressOf(rx));
                int expected = v6 ? 6 : 7;
                assertEquals(expected, Posix.sendmsg(tx, m, 0));
                assertArrayEquals(ascii(v6 ? "to six" : "to four"), SocketIo.receive(rx, 100, 2000));
            }
            int ux = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Path path = fds.unixPath("gather.sock");
            Posix.bind(ux, UnixDomainSocketAddress.of(path));
            int utx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Message m = Message.of(framed("un"), framed("ix")).destination(UnixDomainSocketAddress.of(path));
            assertEquals(4, Posix.sendmsg(utx, m, 0));
            assertArrayEquals(ascii("unix"), SocketIo.receive(ux, 100, 2000));
        }
    }

    /** The value of the first received control message of {@code kind}, or -1. */
    private static int received(Message in, ControlMessage.Kind kind) {
        for (ControlMessage c : in.receivedControl()) {
            if (c.kind() == kind) {
                return c.value();
            }
        }
        return -1;
    }

    @Test
    void oneControlMessageOfOneValueGoesWithTheBuffers() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTTL, 1);
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTOS, 1);
            Message m = Message.of(framed("ttl "), framed("seven"));
            assertEquals(9, Posix.sendmsg(p.a, m, 0));
            Message in = Message.of(ByteBuffer.allocateDirect(64));
            assertEquals(9, Posix.recvmsg(p.b, in, 0));
            int defaultTtl = received(in, ControlMessage.Kind.IP_TTL);
            assertTrue(defaultTtl > 0 && defaultTtl != 7, "the socket's own TTL: " + defaultTtl);

            m.addControl(ControlMessage.ipTtl(7)).rewind();
            assertEquals(9, Posix.sendmsg(p.a, m, 0));
            assertEquals(9, Posix.recvmsg(p.b, in.clear().add(ByteBuffer.allocateDirect(64)), 0));
            assertEquals(7, received(in, ControlMessage.Kind.IP_TTL));

            m.clearControl().addControl(ControlMessage.ipTos(0x28)).rewind();
            assertEquals(9, Posix.sendmsg(p.a, m, 0));
            Posix.recvmsg(p.b, in.clear().add(ByteBuffer.allocateDirect(64)), 0);
            assertEquals(0x28, received(in, ControlMessage.Kind.IP_TOS));
            assertEquals(defaultTtl, received(in, ControlMessage.Kind.IP_TTL),
                    "the per-call TTL was for that call only");

            Descriptors.Pair p6 = fds.udpPair(true);
            Posix.setsockopt(p6.b, Posix.IPPROTO_IPV6, Posix.IPV6_RECVHOPLIMIT, 1);
            Message m6 = Message.of(framed("hops")).addControl(ControlMessage.ipv6HopLimit(9));
            assertEquals(4, Posix.sendmsg(p6.a, m6, 0));
            Posix.recvmsg(p6.b, in.clear().add(ByteBuffer.allocateDirect(64)), 0);
            assertEquals(9, received(in, ControlMessage.Kind.IPV6_HOPLIMIT));
        }
    }

    @Test
    void aSegmentSizeSplitsTwoDirectBuffersIntoDatagrams() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer head = ByteBuffer.allocateDirect(1500);
            ByteBuffer tail = ByteBuffer.allocateDirect(1000);
            for (int i = 0; i < 1500; i++) {
                head.put((byte) i);
            }
            for (int i = 0; i < 1000; i++) {
                tail.put((byte) (i + 1500));
            }
            Message m = Message.of(head.flip(), tail.flip()).addControl(ControlMessage.udpSegment(1000));
            assertEquals(2500, Posix.sendmsg(p.a, m, 0));
            int[] sizes = {1000, 1000, 500};
            int at = 0;
            for (int size : sizes) {
                byte[] got = SocketIo.receive(p.b, 2000, 2000);
                assertEquals(size, got.length);
                for (int i = 0; i < size; i++) {
                    assertEquals((byte) (at + i), got[i], "byte " + (at + i));
                }
                at += size;
            }
        }
    }

    @Test
    void theSameMessageMovesBetweenDirectAndStagedBuffers() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Message m = Message.of(framed("a"), framed("b"));
            assertEquals(2, Posix.sendmsg(p.a, m, 0));
            m.buffers(ByteBuffer.wrap(ascii("heap ")), framed("direct")); // a heap buffer: through the plan
            assertEquals(11, Posix.sendmsg(p.a, m, 0));
            m.buffers(framed("x"), framed("y"), framed("z")); // three: through the plan
            assertEquals(3, Posix.sendmsg(p.a, m, 0));
            m.buffers(framed("again"));
            assertEquals(5, Posix.sendmsg(p.a, m, 0));
            assertArrayEquals(ascii("ab"), SocketIo.receive(p.b, 100, 2000));
            assertArrayEquals(ascii("heap direct"), SocketIo.receive(p.b, 100, 2000));
            assertArrayEquals(ascii("xyz"), SocketIo.receive(p.b, 100, 2000));
            assertArrayEquals(ascii("again"), SocketIo.receive(p.b, 100, 2000));
        }
    }

    @Test
    void kernelErrorsAreThoseOfThePlannedCall() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            ByteBuffer a = framed("abc");
            ByteBuffer b = framed("def");
            Message m = Message.of(a, b);
            assertEquals(-Errno.EBADF.number(), Posix.trySendmsg(-1, m, 0));
            assertEquals(3, a.position(), "a failed call moves nothing");
            assertEquals(3, b.position());

            int unconnected = fds.boundUdp(false);
            assertEquals(-Errno.EDESTADDRREQ.number(), Posix.trySendmsg(unconnected, m, 0));

            Descriptors.Pair p = fds.udpPair(false);
            Message big = Message.of(ByteBuffer.allocateDirect(40_000), ByteBuffer.allocateDirect(40_000));
            MessageTooLongException e = assertThrows(MessageTooLongException.class, () -> Posix.sendmsg(p.a, big, 0));
            assertTrue(e.getMessage().startsWith("sendmsg: EMSGSIZE"), e.getMessage());

            Descriptors.Pair full = fds.unixPair(Posix.SOCK_DGRAM);
            Posix.setBlocking(full.a, false);
            SocketIo.fillUntilWouldBlock(full.a, 512, 0, 1_000_000);
            assertEquals(-Errno.EAGAIN.number(), Posix.trySendmsg(full.a, m, 0));
            assertEquals(3, a.position(), "would-block moves nothing");
            assertEquals(3, b.position());
        }
    }

    @Test
    void aPartialSendOnAStreamLeavesEachPositionWhereTheKernelStopped() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair(32 * 1024, 32 * 1024);
            Posix.setBlocking(p.a, false);
            byte[] first = new byte[150_001];
            byte[] second = new byte[200_003];
            for (int i = 0; i < first.length; i++) {
                first[i] = (byte) (i * 7 + 1);
            }
            for (int i = 0; i < second.length; i++) {
                second[i] = (byte) (i * 11 + 3);
            }
            ByteBuffer b0 = ByteBuffer.allocateDirect(first.length + 5).position(5).slice().put(first).flip();
            ByteBuffer b1 = ByteBuffer.allocateDirect(second.length + 9);
            b1.position(9).mark();
            b1.put(second).reset();
            Message m = Message.of(b0, b1);
            long total = 0;
            int partials = 0;
            boolean blocked = false;
            for (int round = 0; round < 10_000 && !blocked; round++) {
                int before0 = b0.position();
                int before1 = b1.position();
                long remaining = m.remaining();
                long r = Posix.trySendmsg(p.a, m, 0);
                if (r < 0) {
                    assertEquals(-Errno.EAGAIN.number(), r);
                    assertEquals(before0, b0.position(), "would-block moves nothing");
                    assertEquals(before1, b1.position(), "would-block moves nothing");
                    blocked = true;
                    break;
                }
                if (r < remaining) {
                    partials++;
                }
                int take0 = (int) Math.min(r, b0.limit() - before0);
                assertEquals(before0 + take0, b0.position(), "first buffer after " + r + " bytes");
                assertEquals(before1 + (int) (r - take0), b1.position(), "second buffer after " + r + " bytes");
                total += r;
            }
            assertTrue(blocked, "the peer does not read, so 350004 bytes cannot all fit");
            assertTrue(partials >= 1, "at least one sendmsg was partial");
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(first);
            all.write(second);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            SocketIo.drain(p.b, got, 300, 100_000);
            assertArrayEquals(Arrays.copyOf(all.toByteArray(), (int) total), got.toByteArray(),
                    "the stream holds exactly the bytes sent");
        }
    }
}

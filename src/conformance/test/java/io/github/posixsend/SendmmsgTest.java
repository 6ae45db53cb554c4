// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** sendmmsg batches on real sockets. */
class SendmmsgTest {

    /** A direct buffer of n bytes, each {@code value}. */
    private static ByteBuffer filled(int n, int value) {
        ByteBuffer b = ByteBuffer.allocateDirect(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) value);
        }
        return b.flip();
    }

    /**
     * A Unix pair of {@code type} whose sender ({@code a}) is non-blocking with an 8 KiB send buffer: a batch of 256
     * datagrams, or a stream message of 200,000 bytes, does not all go.
     */
    private static Descriptors.Pair cuttingPair(Descriptors fds, int type) throws ErrnoException {
        Descriptors.Pair p = fds.unixPair(type);
        Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 8192);
        Posix.setBlocking(p.a, false);
        return p;
    }

    @Test
    void sixtyFourDatagramsArriveInOrderWithTheirLengths() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            MessageBatch batch = new MessageBatch(64);
            for (int i = 0; i < 64; i++) {
                // mixed: two buffers per message, one heap and one direct
                batch.add(Message.of(ByteBuffer.wrap(new byte[] {(byte) i}), filled(i, i)));
            }
            assertEquals(64, Posix.sendmmsg(p.a, batch, 0));
            assertEquals(64, batch.sentCount());
            for (int i = 0; i < 64; i++) {
                assertEquals(i + 1, batch.bytesSent(i));
                assertEquals(0, batch.get(i).remaining(), "message " + i + " advanced");
            }
            for (int i = 0; i < 64; i++) {
                byte[] got = SocketIo.receive(p.b, 1000, 2000);
                assertNotNull(got, "datagram " + i);
                assertEquals(i + 1, got.length, "datagram " + i);
                for (byte b : got) {
                    assertEquals((byte) i, b);
                }
            }
        }
    }

    @Test
    void perMessageDestinationsReachTheirOwnReceivers() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int[] rx = {fds.boundUdp(false), fds.boundUdp(false)};
            SockAddr[] to = {SockAddr.of(Descriptors.addressOf(rx[0])), SockAddr.of(Descriptors.addressOf(rx[1]))};
            int tx = fds.boundUdp(false);
            MessageBatch batch = new MessageBatch(64);
            for (int i = 0; i < 64; i++) {
                batch.add(Message.of(filled(1, i)).destination(to[i % 2]));
            }
            assertEquals(64, Posix.sendmmsg(tx, batch, 0));
            for (int r = 0; r < 2; r++) {
                for (int i = r; i < 64; i += 2) {
                    byte[] got = SocketIo.receive(rx[r], 16, 2000);
                    assertNotNull(got, "receiver " + r + ", datagram " + i);
                    assertArrayEquals(new byte[] {(byte) i}, got, "receiver " + r + " gets only its own datagrams");
                }
                assertNull(SocketIo.receive(rx[r], 16, 20), "nothing else for receiver " + r);
            }
        }
    }

    @Test
    void aFullReceiverGivesAPartialCountAndTheRestGoesAfterDraining() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = cuttingPair(fds, Posix.SOCK_DGRAM);
            int total = 256;
            MessageBatch batch = new MessageBatch(total);
            for (int i = 0; i < total; i++) {
                batch.add(Message.of(filled(200, i)));
            }
            int sent = Posix.sendmmsg(p.a, batch, 0);
            assertTrue(sent > 0 && sent < total, "a partial count, got " + sent);
            assertEquals(sent, batch.sentCount());
            assertEquals(200, batch.bytesSent(sent - 1));
            assertEquals(0, batch.bytesSent(sent));
            assertTrue(batch.sentWhole(sent - 1), "a datagram sent goes whole");
            assertFalse(batch.sentWhole(sent), "one not sent did not");
            assertEquals(200, batch.get(sent).remaining(), "unsent messages keep their positions");
            assertThrows(WouldBlockException.class, () -> Posix.sendmmsg(p.a, batch.removeSent(), 0),
                    "still full: the first message would block");
            int received = 0;
            int rounds = 0;
            while (received < total && rounds++ < 10 * total) {
                byte[] got;
                while ((got = SocketIo.receive(p.b, 1000, 0)) != null) {
                    assertEquals(200, got.length);
                    assertEquals((byte) received, got[0], "in order");
                    received++;
                }
                if (batch.size() > 0) {
                    int n = Posix.trySendmmsg(p.a, batch, 0);
                    assertTrue(n > 0 || n == -Errno.EAGAIN.number(), "count or would-block: " + n);
                    batch.removeSent();
                }
            }
            assertEquals(total, received);
            assertEquals(0, batch.size());
        }
    }

    @Test
    void aHeaderSharedByEveryMessageGoesWithEachWhenAFullReceiverCutsTheBatch() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = cuttingPair(fds, Posix.SOCK_DGRAM);
            int total = 256;
            ByteBuffer header = filled(4, 0x7f);
            MessageBatch batch = new MessageBatch(total);
            for (int i = 0; i < total; i++) {
                batch.add(new Message(0).add(header).add(filled(200, i)));
            }
            int sent = Posix.sendmmsg(p.a, batch, 0);
            assertTrue(sent > 0 && sent < total, "a partial count, got " + sent);
            assertEquals(204, batch.get(sent).remaining(), "the first not sent has its header back");
            int received = 0;
            int offset = sent;
            int rounds = 0;
            while (received < total && rounds++ < 10 * total) {
                byte[] got;
                while ((got = SocketIo.receive(p.b, 1000, 0)) != null) {
                    assertEquals(204, got.length, "datagram " + received + " whole, header included");
                    assertEquals(0x7f, got[0], "datagram " + received + " starts with the header");
                    assertEquals((byte) received, got[4], "in order");
                    received++;
                }
                if (offset < total) {
                    int n = Posix.trySendmmsgAt(p.a, batch, offset, total - offset, 0);
                    assertTrue(n > 0 || n == -Errno.EAGAIN.number(), "count or would-block: " + n);
                    offset += Math.max(n, 0);
                }
            }
            assertEquals(total, received);
            assertEquals(0, header.remaining(), "the last message sent moved the header to its end");
        }
    }

    @Test
    void aMessageListedTwiceAndSentOnceIsWholeForTheCallThatResumes() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int queued = fillAllButOne(p);
            byte[] filler = {1};
            try (Message m = new Message(0).add(filled(3, 9)); MessageBatch batch = new MessageBatch(2).add(m).add(m)) {
                assertEquals(1, Posix.sendmmsg(p.a, batch, 0), "one fits: the message's first listing");
                assertEquals(3, batch.bytesSent(0));
                assertEquals(3, m.remaining(), "its second listing was not sent: the positions are back at the start");
                for (int i = 1; i < queued; i++) {
                    assertArrayEquals(filler, SocketIo.receive(p.b, 16, 2000), "filler " + i);
                }
                assertEquals(1, Posix.sendmmsgAt(p.a, batch, 1, 1, 0));
                assertArrayEquals(new byte[] {9, 9, 9}, SocketIo.receive(p.b, 16, 2000), "the first listing's");
                assertArrayEquals(new byte[] {9, 9, 9}, SocketIo.receive(p.b, 16, 2000), "the resumed one's, whole");
                assertEquals(0, m.remaining());
            }
        }
    }

    /** A Unix datagram pair whose receiver's queue has room for exactly one more datagram; the filler count. */
    private static int fillAllButOne(Descriptors.Pair p) throws Exception {
        Posix.setBlocking(p.a, false);
        byte[] filler = {1};
        int queued = 0;
        while (Posix.trySend(p.a, filler, 0, 1, 0) == 1 && queued < 10_000) {
            queued++;
        }
        assertTrue(queued > 0 && queued < 10_000, "the receiver's queue filled after " + queued);
        assertNotNull(SocketIo.receive(p.b, 16, 2000), "room for one datagram made");
        return queued;
    }

    @Test
    void aBufferSharedWithALaterMessageComesBackPastOneInBetween() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int queued = fillAllButOne(p);
            ByteBuffer x = filled(2, 'x');
            try (Message m0 = new Message(0).add(x); Message m1 = new Message(0).add(filled(2, 'y'));
                    Message m2 = new Message(0).add(x);
                    MessageBatch batch = new MessageBatch(3).add(m0).add(m1).add(m2)) {
                assertEquals(1, Posix.sendmmsg(p.a, batch, 0), "room for m0 only");
                assertEquals(2, m2.remaining(), "m2's buffer, which m0 sent, is back for m2");
                for (int i = 1; i < queued; i++) {
                    assertNotNull(SocketIo.receive(p.b, 16, 2000), "filler " + i);
                }
                assertArrayEquals(new byte[] {'x', 'x'}, SocketIo.receive(p.b, 16, 2000));
                assertEquals(2, Posix.sendmmsgAt(p.a, batch, 1, 2, 0));
                assertArrayEquals(new byte[] {'y', 'y'}, SocketIo.receive(p.b, 16, 2000));
                assertArrayEquals(new byte[] {'x', 'x'}, SocketIo.receive(p.b, 16, 2000), "m2 whole");
            }
        }
    }

    /**
     * A stream send that stops inside a message leaves a buffer it shares with a later message where that message's
     * bytes stopped: resumed, the message sends the rest of its bytes once, its header not again.
     */
    @Test
    void aStreamSendThatStopsInsideAMessageKeepsItsPlaceInASharedBuffer() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = cuttingPair(fds, Posix.SOCK_STREAM);
            ByteBuffer header = filled(4, 0x7f);
            int payload = 200_000;
            try (Message m0 = new Message(0).add(header).add(filled(payload, 1));
                    Message m1 = new Message(0).add(header).add(filled(10, 2));
                    MessageBatch batch = new MessageBatch(2).add(m0).add(m1)) {
                assertEquals(1, Posix.trySendmmsg(p.a, batch, 0), "m0 in part, then would-block");
                long first = batch.bytesSent(0);
                assertTrue(first > 4 && first < 4 + payload, "m0 went in part: " + first);
                assertEquals(4, header.position(), "m0 sent the header: it stays sent");
                assertEquals(4 + payload - first, m0.remaining());
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                byte[] chunk = new byte[65536];
                long deadline = System.nanoTime() + 10_000_000_000L;
                while ((m0.remaining() > 0 || got.size() < 4 + payload) && System.nanoTime() < deadline) {
                    int r = Posix.tryRecv(p.b, chunk, 0, chunk.length, MsgFlag.MSG_DONTWAIT.value());
                    if (r > 0) {
                        got.write(chunk, 0, r);
                    }
                    if (m0.remaining() > 0) {
                        long n = Posix.trySendmsg(p.a, m0, 0);
                        assertTrue(n > 0 || n == -Errno.EAGAIN.number(), "count or would-block: " + n);
                    }
                }
                byte[] bytes = got.toByteArray();
                assertEquals(4 + payload, bytes.length, "m0's bytes, once each");
                for (int i = 0; i < bytes.length; i++) {
                    assertEquals(i < 4 ? 0x7f : 1, bytes[i], "byte " + i);
                }
            }
        }
    }

    /**
     * A stream send that stops inside a message after a whole one: a buffer the whole one shares with a message not
     * sent comes back for it, the one inside keeps its place in its own.
     */
    @Test
    void aStreamSendThatStopsInsideAMessageGivesBackABufferItDoesNotHold() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = cuttingPair(fds, Posix.SOCK_STREAM);
            ByteBuffer header = filled(4, 0x7f);
            ByteBuffer big = filled(200_000, 1);
            try (Message m0 = new Message(0).add(header).add(filled(10, 2));
                    Message m1 = new Message(0).add(big);
                    Message m2 = new Message(0).add(header).add(filled(10, 3));
                    MessageBatch batch = new MessageBatch(3).add(m0).add(m1).add(m2)) {
                assertEquals(2, Posix.trySendmmsg(p.a, batch, 0), "m0 whole, m1 in part, then would-block");
                assertEquals(14, batch.bytesSent(0));
                assertTrue(batch.bytesSent(1) < 200_000, "m1 went in part: " + batch.bytesSent(1));
                assertEquals(batch.bytesSent(1), big.position(), "m1 keeps its place");
                assertEquals(14, m2.remaining(), "m2's header, which m0 sent and m1 does not hold, is back for m2");
                assertTrue(batch.sentWhole(0));
                assertFalse(batch.sentWhole(1), "m1 went in part");
                assertFalse(batch.sentWhole(2), "m2 was not sent");
                batch.removeSent();
                assertEquals(2, batch.size(), "m0 removed, m1 kept: the kernel stopped inside it");
                assertSame(m1, batch.get(0));
                assertSame(m2, batch.get(1));
            }
        }
    }

    /**
     * The loop of {@link Posix#sendmmsgAt}'s description on a stream whose messages share a header: a message sent
     * whole before one the kernel refused has its header back (for the one refused), so its {@code remaining()} is not
     * what tells where to go on; {@link MessageBatch#sentWhole} is, and the stream carries each message once.
     */
    @Test
    void theResumeLoopGoesOnAfterAWholeMessageWhoseSharedHeaderCameBack() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            int notOpen = Descriptors.NEVER_OPEN; // SCM_RIGHTS of it is EBADF
            ByteBuffer header = filled(2, 'H');
            try (Message m0 = new Message(0).add(header).add(filled(3, 'a'));
                    Message m1 = new Message(64).add(header).add(filled(3, 'b'))
                            .addControl(ControlMessage.rights(notOpen));
                    MessageBatch batch = new MessageBatch(2).add(m0).add(m1)) {
                assertEquals(1, Posix.trySendmmsg(p.a, batch, 0), "m0 whole, then m1's EBADF ends the call");
                assertTrue(batch.sentWhole(0));
                assertEquals(2, m0.remaining(), "m0's header is back at its start, for m1");
                m1.clearControl();
                int off = 1;
                int calls = 0;
                while (off < batch.size() && calls++ < 10) {
                    int r = Posix.trySendmmsgAt(p.a, batch, off, batch.size() - off, 0);
                    assertTrue(r > 0, "sent: " + r);
                    off += r;
                    if (!batch.sentWhole(off - 1)) {
                        off--;
                    }
                }
                assertEquals(2, off);
                assertArrayEquals("HHaaaHHbbb".getBytes(StandardCharsets.US_ASCII), SocketIo.receive(p.b, 64, 2000));
            }
        }
    }

    @Test
    void anErrorAfterTheFirstMessageGivesTheCountAndSurfacesOnTheNextCall() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            MessageBatch batch = new MessageBatch(4);
            batch.add(Message.of(filled(10, 1)));
            batch.add(Message.of(filled(10, 2)));
            batch.add(Message.of(ByteBuffer.allocateDirect(65508))); // too long for UDP over IPv4
            batch.add(Message.of(filled(10, 4)));
            assertEquals(2, Posix.sendmmsg(p.a, batch, 0), "the kernel reports the two that went");
            assertEquals(2, batch.sentCount());
            batch.removeSent();
            assertEquals(2, batch.size());
            MessageTooLongException e = assertThrows(MessageTooLongException.class,
                    () -> Posix.sendmmsg(p.a, batch, 0));
            assertEquals("sendmmsg: EMSGSIZE (Message too long)", e.getMessage());
            assertEquals(0, batch.sentCount());
            assertEquals(1, SocketIo.receive(p.b, 100, 2000)[0]);
            assertEquals(2, SocketIo.receive(p.b, 100, 2000)[0]);
            assertNull(SocketIo.receive(p.b, 100, 20), "the refused message and those after it were not sent");
        }
    }

    /**
     * A batch of one message of direct buffers is sent without a plan (its mmsghdr built from arguments): the same
     * datagram, count, length and positions as a planned batch, also for an empty datagram (0 bytes, 1 message), a
     * destination, two buffers and a control message; a heap buffer in it takes the planned way.
     */
    @Test
    void aBatchOfOneIsSentLikeAnyOther() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer head = filled(3, 7);
            ByteBuffer body = filled(5, 9);
            MessageBatch two = new MessageBatch(1).add(Message.of(head, body));
            for (int round = 0; round < 3; round++) {
                head.clear();
                body.clear();
                assertEquals(1, Posix.sendmmsg(p.a, two, 0), "round " + round);
                assertEquals(1, two.sentCount());
                assertEquals(8, two.bytesSent(0));
                assertEquals(0, two.get(0).remaining(), "both buffers advanced");
                assertArrayEquals(new byte[] {7, 7, 7, 9, 9, 9, 9, 9}, SocketIo.receive(p.b, 64, 2000));
            }

            MessageBatch empty = new MessageBatch(1).add(Message.of(ByteBuffer.allocateDirect(0)));
            assertEquals(1, Posix.sendmmsg(p.a, empty, 0), "an empty datagram is a message sent");
            assertEquals(1, empty.sentCount());
            assertEquals(0, empty.bytesSent(0));
            assertArrayEquals(new byte[0], SocketIo.receive(p.b, 64, 2000));

            int rx = fds.boundUdp(false);
            int tx = fds.boundUdp(false);
            MessageBatch addressed = new MessageBatch(1).add(Message.of(filled(2, 4))
                    .destination(SockAddr.of(Descriptors.addressOf(rx))).addControl(ControlMessage.ipTtl(9)));
            assertEquals(1, Posix.sendmmsg(tx, addressed, 0));
            assertEquals(2, addressed.bytesSent(0));
            assertArrayEquals(new byte[] {4, 4}, SocketIo.receive(rx, 64, 2000));

            MessageBatch heap = new MessageBatch(1).add(Message.of(ByteBuffer.wrap(new byte[] {1, 2})));
            assertEquals(1, Posix.sendmmsg(p.a, heap, 0));
            assertEquals(2, heap.bytesSent(0));
            assertArrayEquals(new byte[] {1, 2}, SocketIo.receive(p.b, 64, 2000));

            head.clear();
            body.clear();
            assertEquals(-Errno.EBADF.number(), Posix.trySendmmsg(-1, two, 0));
            assertEquals(0, two.sentCount(), "a failed batch of one sent nothing");
            assertEquals(8, two.get(0).remaining(), "nothing advanced");
            if (MsgFlag.MSG_ZEROCOPY.isSupported()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Posix.trySendmmsg(p.a, heap.rewind(), MsgFlag.MSG_ZEROCOPY.value()));
                assertTrue(e.getMessage().startsWith("sendmmsg"), e.getMessage());
            }
        }
    }

    @Test
    void anEmptyBatchReturnsZeroAndABadDescriptorThrowsEbadf() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            MessageBatch empty = new MessageBatch(8);
            assertEquals(0, Posix.sendmmsg(p.a, empty, 0));
            assertEquals(0, empty.sentCount());
            assertNull(SocketIo.receive(p.b, 100, 20));

            BadDescriptorException e = assertThrows(BadDescriptorException.class, () -> Posix.sendmmsg(-1, empty, 0));
            assertEquals("sendmmsg: EBADF (Bad file descriptor)", e.getMessage());
            MessageBatch one = new MessageBatch(1).add(Message.of(filled(3, 3)));
            int closed = Descriptors.NEVER_OPEN;
            assertThrows(BadDescriptorException.class, () -> Posix.sendmmsg(closed, one, 0));
            assertEquals(-Errno.EBADF.number(), Posix.trySendmmsg(-1, one, 0));
            assertEquals(3, one.get(0).remaining(), "nothing advanced");
        }
    }

    @Test
    void batchesCarryControlMessagesAndRefillCheaply() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair link = fds.unixPair(Posix.SOCK_DGRAM);
            Descriptors.Pair passed = fds.unixPair(Posix.SOCK_STREAM);
            Message withFd = Message.of(filled(1, 9)).addControl(ControlMessage.rights(passed.a));
            Message plain = Message.of(filled(2, 8));
            MessageBatch batch = new MessageBatch(2).add(withFd).add(plain);
            assertEquals(2, Posix.sendmmsg(link.a, batch, 0));
            Message in = Message.of(ByteBuffer.allocate(8));
            assertEquals(1, Posix.recvmsg(link.b, in, 0));
            assertEquals(1, in.receivedControl().size(), in.receivedControl().toString());
            int[] got = in.receivedControl().get(0).fds();
            assertEquals(1, got.length);
            assertNotEquals(passed.a, got[0], "the receiver gets a new number");
            // a round trip through it proves it is the passed socket, and so the test's to close (a wrong number
            // may be one the JVM holds, left alone)
            ControlMessageTest.assertUsable(got[0], passed);
            fds.track(got[0]);
            assertEquals(2, Posix.recvmsg(link.b, in.clear().add(ByteBuffer.allocate(8)), 0));
            assertTrue(in.receivedControl().isEmpty());

            plain.buffer(0).rewind();
            batch.clear().add(plain);
            assertEquals(1, Posix.sendmmsg(link.a, batch, 0));
            assertArrayEquals(new byte[] {8, 8}, SocketIo.receive(link.b, 8, 2000));
        }
    }
}

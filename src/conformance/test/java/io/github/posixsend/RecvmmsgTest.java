// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The receive batch and the rest of the receive side: {@code recvmmsg} reads back a batch sent with one
 * {@code sendmmsg}, byte for byte and with its sources; a batch read again starts afresh (full control space,
 * flags of this call); the timeout reaches the kernel; {@code MSG_TRUNC} and {@code MSG_CTRUNC} are reported per
 * message; {@code tryRecvmsg} and {@code tryRecvmmsg} on an empty socket answer {@code -EAGAIN} and allocate nothing;
 * {@code rewind} sends the same bytes again.
 */
class RecvmmsgTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();
    private static final int EAGAIN = -Errno.EAGAIN.number();

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static MessageBatch batchOf(int n, int bytes, int controlSpace) {
        MessageBatch b = new MessageBatch(n);
        for (int i = 0; i < n; i++) {
            b.add(new Message(controlSpace).add(ByteBuffer.allocateDirect(bytes)));
        }
        return b;
    }

    /** Waits (bounded) until the receiver has something to read. */
    private static void awaitReadable(int fd) throws Exception {
        for (int i = 0; i < 400; i++) {
            byte[] one = new byte[1];
            int r;
            try {
                r = Posix.recv(fd, one, 0, 1, MsgFlag.mask(MsgFlag.MSG_PEEK, MsgFlag.MSG_DONTWAIT));
            } catch (WouldBlockException e) {
                r = -1;
            }
            if (r >= 0) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("nothing arrived in 2 s");
    }

    @Test
    void sixtyFourDatagramsSentInOneCallAreReadBackInOne() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            int tx = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.bind(tx, Descriptors.loopback(false));
            InetSocketAddress from = Descriptors.addressOf(tx);
            SockAddr to = SockAddr.of(Descriptors.addressOf(rx));
            try (MessageBatch out = new MessageBatch(64); MessageBatch in = batchOf(64, 128, 0)) {
                List<byte[]> sent = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    byte[] body = new byte[1 + i];
                    for (int k = 0; k < body.length; k++) {
                        body[k] = (byte) (i * 7 + k);
                    }
                    sent.add(body);
                    out.add(Message.of(ByteBuffer.wrap(body)).destination(to));
                }
                assertEquals(64, Posix.sendmmsg(tx, out, 0));
                awaitReadable(rx);
                assertEquals(64, Posix.recvmmsg(rx, in, DONTWAIT));
                assertEquals(64, in.receivedCount());
                for (int i = 0; i < 64; i++) {
                    Message m = in.get(i);
                    assertEquals(1 + i, in.bytesReceived(i), "message " + i);
                    ByteBuffer got = m.buffer(0).flip();
                    byte[] bytes = new byte[got.remaining()];
                    got.get(bytes);
                    assertArrayEquals(sent.get(i), bytes, "datagram " + i + " byte for byte, in order");
                    assertEquals(from, m.source(), "datagram " + i + " names its sender");
                    assertFalse(m.truncated());
                }
            }
        }
    }

    /**
     * Turns {@code IP_RECVTTL} on for odd rounds and off for even ones ({@code IP_PKTINFO} stays on), so that an odd
     * round's datagrams carry two control messages where the round before carried one: the kernel shortens each
     * header's {@code msg_controllen} to what it wrote, and a reused header that kept the even round's length would
     * cut the {@code IP_TTL} off ({@code MSG_CTRUNC}).
     */
    private static int controlRound(int rx, int round) throws ErrnoException {
        boolean ttl = round % 2 == 1;
        Posix.setsockopt(rx, Posix.IPPROTO_IP, Posix.IP_RECVTTL, ttl ? 1 : 0);
        return ttl ? 2 : 1;
    }

    /** Checks what message {@code m} received in round {@code round}: two bytes, {@code expected} control messages. */
    private static void assertWholeControl(Message m, long bytes, int round, int expected) {
        String at = "round " + round + ": ";
        assertFalse(m.controlTruncated(), at + "MSG_CTRUNC");
        List<ControlMessage> control = m.receivedControl();
        assertEquals(expected, control.size(), at + "pktinfo" + (expected == 2 ? " and ttl: " : ": ") + control);
        assertEquals(ControlMessage.Kind.IP_PKTINFO, control.get(0).kind(), at + control);
        if (expected == 2) {
            assertEquals(ControlMessage.Kind.IP_TTL, control.get(1).kind(), at + control);
        }
        assertEquals(2, bytes, at + "bytes");
    }

    @Test
    void aReusedBatchOffersItsWholeControlSpaceEveryTime() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            int tx = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.setsockopt(rx, Posix.IPPROTO_IP, Posix.IP_PKTINFO, 1);
            InetSocketAddress to = Descriptors.addressOf(rx);
            try (MessageBatch in = batchOf(4, 64, 256)) {
                for (int round = 0; round < 10; round++) {
                    int expected = controlRound(rx, round);
                    for (int i = 0; i < 4; i++) {
                        Posix.sendto(tx, new byte[] {(byte) round, (byte) i}, 0, 2, 0, to);
                    }
                    awaitReadable(rx);
                    int n = 0;
                    for (int tries = 0; n < 4 && tries < 200; tries++) {
                        for (int i = 0; i < in.size(); i++) {
                            in.get(i).buffer(0).clear();
                        }
                        int r = Posix.tryRecvmmsg(rx, in, DONTWAIT);
                        if (r > 0) {
                            for (int i = 0; i < r; i++) {
                                assertWholeControl(in.get(i), in.bytesReceived(i), round, expected);
                            }
                            n += r;
                        } else {
                            Thread.sleep(5);
                        }
                    }
                    assertEquals(4, n, "round " + round);
                }
            }
        }
    }

    /** The same for one reused message and {@code recvmsg}. */
    @Test
    void aReusedMessageOffersItsWholeControlSpaceEveryTime() throws Exception {
        try (Descriptors fds = new Descriptors(); Message m = new Message(256).add(ByteBuffer.allocateDirect(64))) {
            int rx = fds.boundUdp(false);
            int tx = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.setsockopt(rx, Posix.IPPROTO_IP, Posix.IP_PKTINFO, 1);
            InetSocketAddress to = Descriptors.addressOf(rx);
            for (int round = 0; round < 10; round++) {
                int expected = controlRound(rx, round);
                Posix.sendto(tx, new byte[] {(byte) round, 1}, 0, 2, 0, to);
                awaitReadable(rx);
                m.buffer(0).clear();
                assertWholeControl(m, Posix.recvmsg(rx, m, DONTWAIT), round, expected);
            }
        }
    }

    @Test
    void truncationIsReportedPerMessage() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int[] passed = new int[8];
            for (int i = 0; i < passed.length; i++) {
                passed[i] = fds.boundUdp(false);
            }
            try (Message rights = Message.of(ByteBuffer.wrap(new byte[100])).addControl(ControlMessage.rights(passed));
                    MessageBatch in = new MessageBatch(2)) {
                Posix.sendmsg(p.a, rights, 0);
                rights.rewind();
                Posix.sendmsg(p.a, rights, 0);
                // room for two descriptors, and 10 of the 100 bytes
                int small = ControlMessage.rights(1, 2).space();
                in.add(new Message(small).add(ByteBuffer.allocate(10)))
                        .add(new Message(small).add(ByteBuffer.allocate(10)));
                assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
                for (int i = 0; i < 2; i++) {
                    Message m = in.get(i);
                    assertTrue(m.truncated(), "MSG_TRUNC of message " + i);
                    assertTrue(m.controlTruncated(), "MSG_CTRUNC of message " + i);
                    SocketIo.receivedDescriptors(fds, m);
                }
                Posix.sendmsg(p.a, rights.rewind(), 0);
                Message one = new Message(small).add(ByteBuffer.allocate(10));
                assertEquals(10, Posix.recvmsg(p.b, one, DONTWAIT));
                assertTrue(one.truncated() && one.controlTruncated(), "recvmsg reports both too");
                SocketIo.receivedDescriptors(fds, one);
                one.close();
            }
        }
    }

    @Test
    void waitForOneReturnsWhatIsThere() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch in = batchOf(8, 16, 0)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            for (int i = 0; i < 3; i++) {
                Posix.send(p.a, new byte[] {(byte) i}, 0, 1, 0);
            }
            // a blocking socket: without MSG_WAITFORONE this call would wait for eight datagrams
            assertEquals(3, Posix.recvmmsg(p.b, in, MsgFlag.MSG_WAITFORONE.value(), Duration.ofSeconds(5)));
            assertEquals(2, in.get(2).buffer(0).get(0));
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.recvmmsg(p.b, in, DONTWAIT, Duration.ofMillis(-1)));
            assertThrows(WouldBlockException.class, () -> Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(0, in.receivedCount(), "a failed call filled nothing");
        }
    }

    /**
     * Three datagrams queued, a batch of eight, {@code MSG_DONTWAIT}, so that only the timeout can end the call
     * early: Linux's {@code recvmmsg} checks its deadline after each datagram it receives, and stops once the time
     * left is zero or less. A zero timeout sets the deadline to time 0, already past; one of 1 ns is past by the
     * time the first datagram is read. Either call returns exactly 1 and leaves the other two queued; without a
     * timeout, or with 1.5 s (seconds and nanoseconds both non-zero: split wrongly, the kernel would answer
     * {@code EINVAL}), it returns all 3.
     */
    @Test
    void theTimeoutEndsTheBatchAfterTheFirstDatagram() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the deadline after each datagram is Linux's recvmmsg");
        try (Descriptors fds = new Descriptors(); MessageBatch in = batchOf(8, 16, 0)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Duration[] timeouts = {null, Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(1500)};
            int[] expected = {3, 1, 1, 3};
            for (int t = 0; t < timeouts.length; t++) {
                String what = "timeout " + timeouts[t];
                for (int i = 0; i < 3; i++) {
                    Posix.send(p.a, new byte[] {(byte) (10 * t + i)}, 0, 1, 0);
                }
                for (int i = 0; i < in.size(); i++) {
                    in.get(i).buffer(0).clear();
                }
                assertEquals(expected[t], Posix.recvmmsg(p.b, in, DONTWAIT, timeouts[t]), what);
                assertEquals(expected[t], in.receivedCount(), what);
                for (int i = 0; i < expected[t]; i++) {
                    assertEquals(1, in.bytesReceived(i), what);
                    assertEquals(10 * t + i, in.get(i).buffer(0).get(0), what + ": datagram " + i + " in order");
                }
                if (expected[t] < 3) {
                    for (int i = 0; i < in.size(); i++) {
                        in.get(i).buffer(0).clear();
                    }
                    assertEquals(3 - expected[t], Posix.recvmmsg(p.b, in, DONTWAIT), what + ": the rest stayed queued");
                    assertEquals(10 * t + expected[t], in.get(0).buffer(0).get(0), what);
                }
                assertThrows(WouldBlockException.class, () -> Posix.recvmmsg(p.b, in, DONTWAIT), what + ": all read");
            }
        }
    }

    /**
     * A receive batch that holds one message twice is refused before the call: the second datagram's results would
     * overwrite the first's, and descriptors the first carried would be lost open. The datagrams stay queued. A send
     * may hold one message twice (it sends the same bytes twice).
     */
    @Test
    void aMessageTwiceInAReceiveBatchIsRefused() throws Exception {
        try (Descriptors fds = new Descriptors(); Message m = Message.of(ByteBuffer.allocateDirect(16));
                MessageBatch twice = new MessageBatch(2).add(m).add(m); MessageBatch in = batchOf(2, 16, 0)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Posix.send(p.a, ascii("one"), 0);
            Posix.send(p.a, ascii("two"), 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Posix.recvmmsg(p.b, twice, DONTWAIT));
            assertTrue(e.getMessage().contains("message 1 is in the batch twice"), e.getMessage());
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT), "both datagrams are still queued");
            try (Message out = Message.of(ascii("same")); MessageBatch sends = new MessageBatch(2).add(out).add(out)) {
                assertEquals(2, Posix.sendmmsg(p.a, sends, 0));
                assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
                for (int i = 0; i < 2; i++) {
                    assertEquals(4, in.bytesReceived(i), "datagram " + i + " is the message's four bytes");
                }
            }
        }
    }

    @Test
    void rewindSendsTheSameBytesAgain() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            ByteBuffer a = ByteBuffer.wrap(new byte[] {1, 2, 3});
            ByteBuffer b = ByteBuffer.allocateDirect(2).put(new byte[] {4, 5}).flip();
            try (Message m = Message.of(a, b); MessageBatch batch = new MessageBatch(1).add(m)) {
                assertEquals(5, Posix.sendmsg(p.a, m, 0));
                assertEquals(5, Posix.sendmsg(p.a, m.rewind(), 0), "rewound: the same bytes again");
                assertEquals(1, Posix.sendmmsg(p.a, batch.rewind(), 0));
                assertEquals(5, batch.bytesSent(0), "the batch rewinds its messages");
                assertEquals(1, Posix.sendmmsg(p.a, batch, 0));
                assertEquals(0, batch.bytesSent(0), "C semantics: without rewind the positions are at their limits");
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, SocketIo.receive(p.b, 16, 2000), "datagram " + i);
                }
                assertEquals(0, SocketIo.receive(p.b, 16, 2000).length, "an empty datagram");
            }
        }
    }

    @Test
    void emptySocketReadsAllocateNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors(); Message m = Message.of(ByteBuffer.allocateDirect(64));
                MessageBatch batch = batchOf(16, 64, 0)) {
            int rx = fds.boundUdp(false);
            SteadyAllocation.Round reads = () -> {
                long wrong = 0;
                for (int i = 0; i < 20_000; i++) {
                    if (Posix.tryRecvmsg(rx, m, DONTWAIT) != EAGAIN) {
                        wrong++;
                    }
                    if (Posix.tryRecvmmsg(rx, batch, DONTWAIT, null) != EAGAIN) {
                        wrong++;
                    }
                }
                return wrong;
            };
            assertEquals(0, reads.run() + reads.run(), "every read of the empty socket is EAGAIN (warm-up)");
            long beyond = SteadyAllocation.leastBeyond("40,000 reads of an empty socket",
                    () -> AllocationBudget.forDowncalls(40_000), reads);
            assertEquals(0, beyond, "bytes allocated by 40,000 reads beyond the budget on " + Posix.backendName());
        }
    }

    @Test
    void sourcesOfEveryLengthArriveWhole() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            // Unix names of odd and even length, an unnamed sender, then IPv6: the copy of each source is whole
            int rx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.bind(rx, java.net.UnixDomainSocketAddress.of(fds.unixPath("rx")));
            java.net.SocketAddress rxName = Posix.getsockname(rx);
            List<java.net.SocketAddress> names = new ArrayList<>();
            for (String n : new String[] {"a", "ab", "abcdefghijklmnopqrstuvwxyz"}) {
                int tx = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
                Posix.bind(tx, java.net.UnixDomainSocketAddress.of(fds.unixPath(n)));
                names.add(Posix.getsockname(tx));
                Posix.sendto(tx, new byte[] {(byte) names.size()}, 0, 1, 0, rxName);
            }
            int unnamed = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.sendto(unnamed, new byte[] {9}, 0, 1, 0, rxName);
            names.add(null);
            try (MessageBatch in = batchOf(4, 8, 0)) {
                assertEquals(4, Posix.recvmmsg(rx, in, DONTWAIT));
                for (int i = 0; i < 4; i++) {
                    assertEquals(names.get(i), in.get(i).source(), "the source of datagram " + i);
                }
            }
            int rx6 = fds.boundUdp(true);
            int tx6 = fds.boundUdp(true);
            Posix.sendto(tx6, new byte[] {1}, 0, 1, 0, Descriptors.addressOf(rx6));
            awaitReadable(rx6);
            try (MessageBatch in = batchOf(1, 8, 0)) {
                assertEquals(1, Posix.recvmmsg(rx6, in, DONTWAIT));
                assertEquals(Descriptors.addressOf(tx6), in.get(0).source());
            }
        }
    }

    @Test
    void aReadOnlyBufferIsRefusedUntilItLeavesTheMessage() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch in = new MessageBatch(1)) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.send(p.a, new byte[] {5}, 0, 1, 0);
            Message m = Message.of(ByteBuffer.allocateDirect(4), ByteBuffer.allocateDirect(4).asReadOnlyBuffer());
            in.add(m);
            assertThrows(java.nio.ReadOnlyBufferException.class, () -> Posix.recvmmsg(p.b, in, DONTWAIT));
            m.clearBuffers().add(ByteBuffer.allocateDirect(4));
            awaitReadable(p.b);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(1, m.buffer(0).position());
            assertThrows(java.nio.ReadOnlyBufferException.class,
                    () -> Posix.recvmsg(p.b, m.buffers(ByteBuffer.allocate(2).asReadOnlyBuffer()), DONTWAIT));
        }
    }
}

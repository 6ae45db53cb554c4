// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static io.github.posixsend.NumberedDatagrams.at;
import static io.github.posixsend.NumberedDatagrams.buffer;
import static io.github.posixsend.NumberedDatagrams.datagram;
import static io.github.posixsend.NumberedDatagrams.expectDatagram;
import static io.github.posixsend.NumberedDatagrams.receiveBatch;
import static io.github.posixsend.NumberedDatagrams.stamps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * C's {@code msgvec + off} of {@code sendmmsg} and {@code recvmmsg} ({@link Posix#sendmmsgAt},
 * {@link Posix#recvmmsgAt} and their other forms): a sender whose {@code sendmmsg} stopped early (a full Unix datagram
 * socket, a datagram UDP refuses in the middle) goes on from the first message not sent, every datagram arriving once
 * and in order; the batch is kept whole for the next burst and, after {@code rewind()}, sent again without being
 * described again (the messages' encoding stamps); results are by message index; a receive fills messages
 * {@code off..off+vlen-1} and leaves the others as they were; an {@code off} and {@code vlen} that are not a range
 * of the batch are refused before any system call by every entry point; and a loop of offset calls on direct buffers
 * allocates nothing.
 */
class MmsgOffsetTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();
    private static final int EAGAIN = -Errno.EAGAIN.number();

    /** A batch of {@code n} messages, message {@code i} one direct buffer holding datagram {@code i} of {@code len}. */
    private static MessageBatch sendBatch(int n, int len) {
        return NumberedDatagrams.sendBatch(n, i -> len);
    }

    /** Nothing more arrives on {@code fd}. */
    private static void expectNothing(int fd) throws Exception {
        NumberedDatagrams.expectNothing(fd, "the calls sent");
    }

    /**
     * Takes every datagram waiting on {@code fd} (at most 64), each checked to be one of this test's of {@code len}
     * bytes, and notes which it was in {@code ids}.
     */
    private static void drain(int fd, int len, List<Integer> ids) throws Exception {
        byte[] got = new byte[len + 1];
        for (int k = 0; k < 64; k++) {
            long r = Posix.tryRecv(fd, got, 0, got.length, DONTWAIT);
            if (r == EAGAIN) {
                return;
            }
            assertEquals(len, r, "a datagram of " + len + " bytes");
            int id = ((got[0] & 0xFF) / 16);
            assertArrayEquals(datagram(id, len), Arrays.copyOf(got, len), "datagram " + id + " whole");
            ids.add(id);
        }
    }

    /**
     * One burst of the C loop over a full non-blocking Unix datagram socket: {@code trySendmmsgAt} from the first
     * message not sent, draining the receiver at each {@code EAGAIN}. Checks each call's results by index and returns
     * how many calls the kernel cut short (sent some, not all).
     */
    private static int burst(Descriptors.Pair p, MessageBatch out, int n, int len, List<Integer> ids)
            throws Exception {
        int partial = 0;
        int off = 0;
        for (int calls = 0; off < n && calls < 1_000; calls++) {
            int r = Posix.trySendmmsgAt(p.a, out, off, n - off, DONTWAIT);
            if (r == EAGAIN) {
                assertEquals(0, out.sentCount(), "a failed call sends none");
                drain(p.b, len, ids);
                continue;
            }
            assertTrue(r > 0 && r <= n - off, "sent " + r + " of " + (n - off));
            assertEquals(r, out.sentCount());
            for (int i = 0; i < n; i++) {
                boolean sent = i >= off && i < off + r;
                assertEquals(sent ? len : 0, out.bytesSent(i), "bytesSent(" + i + ") after a call from " + off);
                assertEquals(i < off + r ? len : 0, buffer(out, i).position(), "message " + i + "'s position");
            }
            if (r < n - off) {
                partial++;
            }
            off += r;
        }
        assertEquals(n, off, "the burst was sent in 1000 calls");
        drain(p.b, len, ids);
        return partial;
    }

    /**
     * The reported case: a sendmmsg of 16 that the kernel cuts short (a Unix datagram socket whose small send buffer
     * fills after a few), completed from the first message not sent as C completes it, then the next burst after
     * rewind(): every datagram arrives exactly once and in order, and the batch is described once for both bursts.
     */
    @Test
    @Timeout(60)
    void aPartialSendIsCompletedFromAnOffsetAndTheBatchKeptForTheNextBurst() throws Exception {
        int n = 16;
        int len = 1024;
        try (Descriptors fds = new Descriptors(); MessageBatch out = sendBatch(n, len)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 4096);
            List<Integer> ids = new ArrayList<>();
            int partial = burst(p, out, n, len, ids);
            assertTrue(partial > 0, "the kernel sent every call whole: the send buffer did not fill");
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add(i);
            }
            assertEquals(expected, ids, "each datagram once, in order");
            int[] described = stamps(out);

            out.rewind();
            ids.clear();
            assertTrue(burst(p, out, n, len, ids) > 0, "the second burst was cut short too");
            assertEquals(expected, ids, "each datagram once, in order, again");
            assertArrayEquals(described, stamps(out), "the batch was described again for the next burst");
            assertEquals(n, out.size(), "the batch kept whole");
        }
    }

    /** Fails the test with what the reader thread met, if anything. */
    private static void readerOk(Throwable failure) {
        if (failure != null) {
            throw new AssertionError("the reader failed", failure);
        }
    }

    /**
     * The README's poll loop in its offset form: bursts of 64 over a Unix datagram socket that fills, each sent with
     * trySendmmsgAt from the first message not sent and a poll for POLLOUT at each EAGAIN, the next burst after
     * rewind() with new bytes in the same buffers. A reader that starts after the first EAGAIN sees every datagram
     * once and in order; the batch is described once for all the bursts.
     */
    @Test
    @Timeout(120)
    void theReadmePollLoopGoesOnFromAnOffsetBurstAfterBurst() throws Exception {
        int bursts = 10;
        int n = 64;
        try (Descriptors fds = new Descriptors(); MessageBatch batch = new MessageBatch(n)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(10));
            java.util.concurrent.CountDownLatch full = new java.util.concurrent.CountDownLatch(1);
            int[] inOrder = {0};
            Throwable[] failure = {null};
            Thread reader = new Thread(() -> {
                try {
                    full.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    ByteBuffer got = ByteBuffer.allocate(512);
                    for (int k = 0; k < bursts * n; k++) {
                        got.clear();
                        assertEquals(256, Posix.recv(p.b, got, 0)); // bounded by SO_RCVTIMEO
                        assertEquals(k, got.getInt(0), "datagram " + k + " in order");
                        inOrder[0]++;
                    }
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            reader.start();
            ByteBuffer[] data = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                data[i] = ByteBuffer.allocateDirect(256);
                batch.add(Message.of(data[i]));
            }
            PollSet out = new PollSet(1);
            out.add(p.a, Posix.POLLOUT);
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            int eagain = 0;
            int calls = 0;
            int[] described = null;
            for (int b = 0; b < bursts; b++) {
                for (int i = 0; i < n; i++) {
                    data[i].putInt(0, b * n + i); // new bytes, the same span: the description holds
                }
                // the loop of the README
                int off = 0;
                while (off < n) {
                    assertTrue(++calls < 100_000, "the loop is bounded");
                    int r = Posix.trySendmmsgAt(p.a, batch, off, n - off, dontwait);
                    if (r >= 0) {
                        off += r;
                        continue;
                    }
                    if (r != -Errno.EAGAIN.number()) {
                        throw ErrnoException.of("sendmmsg", -r);
                    }
                    eagain++;
                    full.countDown();
                    readerOk(failure[0]); // a reader that stopped would leave the socket full
                    out.poll(1000); // EINTR is retried inside, with the time left
                }
                batch.rewind();
                if (described == null) {
                    described = stamps(batch);
                }
            }
            full.countDown();
            reader.join(60_000);
            assertFalse(reader.isAlive(), "the reader ended");
            readerOk(failure[0]);
            assertEquals(bursts * n, inOrder[0], "every datagram arrived once, in order");
            assertTrue(eagain > 0, "the socket filled up at least once");
            assertArrayEquals(described, stamps(batch), "the batch was described again for a later burst");
        }
    }

    /**
     * A datagram UDP refuses in the middle (70,000 bytes: EMSGSIZE): the call sends the three before it and stops; the
     * call from it fails with its errno and moves nothing; the call after it sends the rest. Datagrams 0, 1, 2, 4 and
     * 5 arrive once, in order. removeSent() then removes the messages the last call sent, from the middle.
     */
    @Test
    @Timeout(60)
    void aMessageTheKernelRefusesInTheMiddleIsSkippedFromAnOffset() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch out = new MessageBatch(6)) {
            Descriptors.Pair p = fds.udpPair(false);
            for (int i = 0; i < 6; i++) {
                int len = i == 3 ? 70_000 : 20;
                out.add(Message.of(ByteBuffer.allocateDirect(len).put(datagram(i, len)).flip()));
            }
            assertEquals(3, Posix.trySendmmsgAt(p.a, out, 0, 6, 0), "the three before the refused one");
            assertEquals(3, out.sentCount());
            for (int i = 0; i < 6; i++) {
                assertEquals(i < 3 ? 20 : 0, out.bytesSent(i), "bytesSent(" + i + ")");
                assertEquals(i < 3 ? 20 : 0, buffer(out, i).position(), "message " + i + "'s position");
            }
            MessageTooLongException e = assertThrows(MessageTooLongException.class,
                    () -> Posix.sendmmsgAt(p.a, out, 3, 3, 0));
            assertEquals("sendmmsg: EMSGSIZE (Message too long)", e.getMessage());
            assertEquals(0, out.sentCount(), "a failed call sends none");
            for (int i = 0; i < 6; i++) {
                assertEquals(0, out.bytesSent(i), "bytesSent(" + i + ") after the failed call");
            }
            assertEquals(0, buffer(out, 3).position(), "the refused message not moved");
            assertEquals(2, Posix.sendmmsgAt(p.a, out, 4, 2, 0));
            assertEquals(2, out.sentCount());
            for (int i = 0; i < 6; i++) {
                assertEquals(i >= 4 ? 20 : 0, out.bytesSent(i), "bytesSent(" + i + ") after the call from 4");
            }
            for (int i : new int[] {0, 1, 2, 4, 5}) {
                expectDatagram(p.b, i, 20);
            }
            expectNothing(p.b);

            Message refused = out.get(3);
            out.removeSent();
            assertEquals(4, out.size(), "messages 4 and 5 removed");
            assertSame(refused, out.get(3), "the refused message stays, after the first three");
            assertEquals(0, out.sentCount());
        }
    }

    /**
     * removeSent() after a call from an offset removes the messages that call sent, wherever they were, and the old
     * loop (send, removeSent, send) goes on from the first message left.
     */
    @Test
    void removeSentRemovesWhatACallFromAnOffsetSent() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch out = sendBatch(6, 12)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Message[] before = new Message[6];
            for (int i = 0; i < 6; i++) {
                before[i] = out.get(i);
            }
            assertEquals(2, Posix.sendmmsgAt(p.a, out, 2, 2, 0));
            expectDatagram(p.b, 2, 12);
            expectDatagram(p.b, 3, 12);
            out.removeSent();
            assertEquals(4, out.size());
            Message[] left = {before[0], before[1], before[4], before[5]};
            for (int i = 0; i < 4; i++) {
                assertSame(left[i], out.get(i), "message " + i + " after removeSent");
            }
            assertEquals(4, Posix.sendmmsg(p.a, out, 0));
            out.removeSent();
            assertEquals(0, out.size());
            for (int i : new int[] {0, 1, 4, 5}) {
                expectDatagram(p.b, i, 12);
            }
            expectNothing(p.b);
        }
    }

    /**
     * recvmmsg from offset 2 with vlen 3 fills messages 2..4 and leaves 0, 1 and 5..7 with everything an earlier
     * receive left in them: flags (MSG_TRUNC), sources and control messages (on UDP, where a second sender and
     * IP_RECVTTL make them differ), positions, where rewind() puts them back; bytesReceived is by message index. A
     * receive again into the same messages is not described again; the timeout form fills the last three.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp", "unix"})
    @Timeout(60)
    void aReceiveFillsMessagesFromTheOffsetAndLeavesTheOthers(String kind) throws Exception {
        boolean udp = kind.equals("udp");
        try (Descriptors fds = new Descriptors(); MessageBatch in = receiveBatch(8, 32)) {
            Descriptors.Pair p = udp ? fds.udpPair(false) : fds.unixPair(Posix.SOCK_DGRAM);
            if (udp) {
                Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTTL, 1);
            }
            for (int i = 0; i < 8; i++) {
                assertEquals(40, Posix.send(p.a, ByteBuffer.wrap(datagram(i, 40)), 0));
            }
            assertEquals(8, Posix.recvmmsgAt(p.b, in, 0, 8, 0));
            InetSocketAddress first = udp ? Descriptors.addressOf(p.a) : null;
            int second = p.a;
            if (udp) {
                Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTTL, 0);
                second = fds.boundUdp(false);
            }
            InetSocketAddress to = udp ? Descriptors.addressOf(p.b) : null;
            for (int i = 0; i < 3; i++) {
                ByteBuffer d = ByteBuffer.wrap(datagram(10 + i, 16));
                assertEquals(16, udp ? Posix.sendto(second, d, 0, to) : Posix.send(second, d, 0));
            }
            for (int i = 0; i < 8; i++) {
                buffer(in, i).clear();
            }
            buffer(in, 6).position(4); // moved by hand: the call leaves it, rewind() undoes it
            assertEquals(3, Posix.tryRecvmmsgAt(p.b, in, 2, 3, DONTWAIT));
            assertEquals(3, in.receivedCount());
            InetSocketAddress from = udp ? Descriptors.addressOf(second) : null;
            for (int i = 0; i < 8; i++) {
                Message m = in.get(i);
                ByteBuffer b = buffer(in, i);
                if (i >= 2 && i < 5) {
                    assertEquals(16, in.bytesReceived(i), "bytesReceived(" + i + ")");
                    assertEquals(16, b.position());
                    byte[] got = new byte[16];
                    b.get(0, got);
                    assertArrayEquals(datagram(10 + i - 2, 16), got, "message " + i + " holds datagram " + (8 + i));
                    assertFalse(m.truncated(), "message " + i + " holds a whole datagram");
                    assertEquals(from, m.source(), "message " + i + "'s source");
                    assertEquals(0, m.receivedControl().size(), "message " + i + ": no IP_RECVTTL any more");
                } else {
                    assertEquals(0, in.bytesReceived(i), "message " + i + " was not filled");
                    assertEquals(i == 6 ? 4 : 0, b.position(), "message " + i + "'s position");
                    assertEquals(at(i, 0), b.get(0), "message " + i + "'s bytes as the first receive left them");
                    assertTrue(m.truncated(), "message " + i + " keeps its flags");
                    assertEquals(first, m.source(), "message " + i + " keeps its source");
                    assertEquals(udp ? 1 : 0, m.receivedControl().size(), "message " + i + " keeps its control");
                }
            }
            in.get(6).rewind();
            assertEquals(0, buffer(in, 6).position(), "back where the receive that filled it found it");

            // the same messages again, as the last call described them: not described again
            for (int i = 2; i < 5; i++) {
                buffer(in, i).clear();
            }
            int[] described = stamps(in);
            assertEquals(EAGAIN, Posix.tryRecvmmsgAt(p.b, in, 2, 3, DONTWAIT));
            assertEquals(0, in.receivedCount());
            for (int i = 0; i < 3; i++) {
                assertEquals(16, Posix.send(p.a, ByteBuffer.wrap(datagram(20 + i, 16)), 0));
            }
            assertEquals(3, Posix.recvmmsgAt(p.b, in, 2, 3, DONTWAIT));
            assertArrayEquals(described, stamps(in), "a receive into the same messages described the batch again");

            // the timeout form into the last three; blocking, it returns once the three are filled
            for (int i = 0; i < 3; i++) {
                assertEquals(16, Posix.send(p.a, ByteBuffer.wrap(datagram(30 + i, 16)), 0));
            }
            assertEquals(3, Posix.recvmmsgAt(p.b, in, 5, 3, 0, Duration.ofSeconds(30)));
            for (int i = 0; i < 8; i++) {
                assertEquals(i >= 5 ? 16 : 0, in.bytesReceived(i), "bytesReceived(" + i + ") after the call from 5");
            }
            byte[] got = new byte[16];
            buffer(in, 7).get(0, got);
            assertArrayEquals(datagram(32, 16), got);
            buffer(in, 2).get(0, got);
            assertArrayEquals(datagram(20, 16), got, "message 2 as the call before left it");
            assertEquals(0, Posix.tryRecvmmsgAt(p.b, in, 8, 0, DONTWAIT, null), "vlen 0 from one past the last");
            assertEquals(EAGAIN, Posix.tryRecvmmsgAt(p.b, in, 0, 8, DONTWAIT));
        }
    }

    /** The calls whose range is refused, each on the batch it takes. */
    private static List<Executable> entryPoints(int fd, MessageBatch out, MessageBatch in, int off, int vlen) {
        return List.of(
            () -> Posix.sendmmsgAt(fd, out, off, vlen, 0),
            () -> Posix.trySendmmsgAt(fd, out, off, vlen, DONTWAIT),
            () -> Posix.recvmmsgAt(fd, in, off, vlen, DONTWAIT),
            () -> Posix.recvmmsgAt(fd, in, off, vlen, DONTWAIT, Duration.ofSeconds(1)),
            () -> Posix.tryRecvmmsgAt(fd, in, off, vlen, DONTWAIT),
            () -> Posix.tryRecvmmsgAt(fd, in, off, vlen, DONTWAIT, null));
    }

    /**
     * An off and vlen that are not a range of the batch (negative, past the size, or whose sum overflows to fit) are
     * refused by every entry point with IllegalArgumentException, before any system call: nothing is sent or taken,
     * nothing moves, the counts stay. The size is the batch's at the call.
     */
    @Test
    void anOffsetAndVlenOutsideTheBatchAreRefusedBeforeAnySystemCall() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch out = sendBatch(8, 12);
                MessageBatch in = receiveBatch(8, 64)) {
            Descriptors.Pair p = fds.udpPair(false);
            Descriptors.Pair back = fds.udpPair(false);
            assertEquals(16, Posix.send(back.a, ByteBuffer.wrap(datagram(9, 16)), 0));
            assertEquals(2, Posix.sendmmsgAt(p.a, out, 1, 2, 0));
            expectDatagram(p.b, 1, 12);
            expectDatagram(p.b, 2, 12);
            out.rewind();
            int max = Integer.MAX_VALUE;
            int min = Integer.MIN_VALUE;
            int[][] bad = {{-1, 0}, {0, -1}, {-1, 9}, {9, 0}, {8, 1}, {1, 8}, {4, 5}, {max, 1}, {1, max}, {max, max},
                {min, 0}, {0, min}, {min, min}, {max, min}, {min, max}};
            for (int[] r : bad) {
                for (Executable call : entryPoints(p.a, out, in, r[0], r[1])) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call,
                            "off " + r[0] + " vlen " + r[1]);
                    String message = e.getMessage();
                    assertTrue(message.startsWith("sendmmsg: ") || message.startsWith("recvmmsg: "), message);
                    assertTrue(r[0] == 0 ? message.contains("vlen " + r[1] + " is outside 0..8")
                            : message.contains("off " + r[0] + " and vlen " + r[1] + " are not a range of the "
                                    + "batch's 8 messages"), message);
                }
            }
            assertEquals("sendmmsg: off 4 and vlen 5 are not a range of the batch's 8 messages (0 <= off, 0 <= vlen, "
                    + "off + vlen <= 8)", assertThrows(IllegalArgumentException.class,
                            () -> Posix.trySendmmsgAt(p.a, out, 4, 5, 0)).getMessage());
            assertEquals(2, out.sentCount(), "a refused call leaves the count as it was");
            assertEquals(12, out.bytesSent(1));
            for (int i = 0; i < 8; i++) {
                assertEquals(0, buffer(out, i).position(), "message " + i + " not moved");
                assertEquals(0, buffer(in, i).position(), "message " + i + " not filled");
            }
            expectNothing(p.b);
            // the datagram waiting for a receive on back.b is still there: no receive reached the kernel
            for (Executable call : entryPoints(back.b, out, in, 8, 1)) {
                assertThrows(IllegalArgumentException.class, call);
            }
            expectDatagram(back.b, 9, 16);

            assertThrows(NullPointerException.class, () -> Posix.sendmmsgAt(p.a, null, 0, 0, 0));
            assertThrows(NullPointerException.class, () -> Posix.tryRecvmmsgAt(p.b, null, 0, 0, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.tryRecvmmsgAt(p.b, in, 0, 1, 0, Duration.ofNanos(-1)), "a negative timeout");
            out.clear();
            assertThrows(IllegalArgumentException.class, () -> Posix.sendmmsgAt(p.a, out, 0, 1, 0), "an empty batch");
            assertThrows(IllegalArgumentException.class, () -> Posix.sendmmsgAt(p.a, out, 1, 0, 0), "an empty batch");
        }
    }

    /**
     * The C loop on reused batches of direct buffers: each burst rewound, sent in chunks of 1 to 3 from the first
     * message not sent, and received in chunks into the messages from the first not filled, allocates nothing once
     * warm, and describes neither batch again: every message's encoding stamp is the same after the measured rounds
     * as before them.
     */
    @Test
    void anOffsetLoopOnDirectBuffersAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        int n = 8;
        try (Descriptors fds = new Descriptors(); MessageBatch out = sendBatch(n, 32);
                MessageBatch in = receiveBatch(n, 64)) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer[] got = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                got[i] = buffer(in, i);
            }
            long[] calls = {0};
            SteadyAllocation.Round round = () -> {
                calls[0] = 0;
                long failures = 0;
                for (int b = 0; b < 100; b++) {
                    int chunk = 1 + b % 3;
                    out.rewind();
                    for (ByteBuffer g : got) {
                        g.clear();
                    }
                    int off = 0;
                    for (int c = 0; off < n && c < n; c++) {
                        calls[0]++;
                        int r = Posix.trySendmmsgAt(p.a, out, off, Math.min(chunk, n - off), 0);
                        if (r <= 0) {
                            failures++;
                            break;
                        }
                        off += r;
                    }
                    if (off != n) {
                        failures++;
                        continue;
                    }
                    int received = 0;
                    // loopback queues the datagrams as they are sent; the spins only bound a late one
                    for (int spin = 0; received < n && spin < 100_000; spin++) {
                        calls[0]++;
                        int r = Posix.tryRecvmmsgAt(p.b, in, received, Math.min(chunk, n - received), DONTWAIT);
                        if (r == EAGAIN) {
                            continue;
                        }
                        if (r <= 0 || r > chunk) {
                            failures++;
                            break;
                        }
                        for (int i = received; i < received + r; i++) {
                            if (in.bytesReceived(i) != 32 || got[i].position() != 32 || got[i].get(0) != at(i, 0)
                                    || got[i].get(31) != at(i, 31)) {
                                failures++;
                            }
                        }
                        received += r;
                        for (int i = received; i < n; i++) {
                            if (got[i].position() != 0) {
                                failures++; // not yet given to the kernel
                            }
                        }
                    }
                    if (received != n) {
                        failures++;
                    }
                }
                return failures;
            };
            for (int warm = 0; warm < 10; warm++) {
                assertEquals(0, round.run(), "warm-up rounds all arrive whole");
            }
            int[] sendStamps = stamps(out);
            int[] receiveStamps = stamps(in);
            MessageAllocationTest.assertWithinBudget(SteadyAllocation.leastBeyond("100 bursts sent from offsets",
                    () -> AllocationBudget.forDowncalls(calls[0]), round),
                    "100 bursts of trySendmmsgAt and tryRecvmmsgAt in chunks of 1..3");
            assertArrayEquals(sendStamps, stamps(out), "the send batch was described again");
            assertArrayEquals(receiveStamps, stamps(in), "the receive batch was described again");
        }
    }
}

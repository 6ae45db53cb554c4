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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * C's {@code vlen} of {@code sendmmsg} and {@code recvmmsg} ({@link Posix#sendmmsg(int, MessageBatch, int, int)},
 * {@link Posix#recvmmsg(int, MessageBatch, int, int)} and their other forms), on a connected UDP loopback pair and on
 * a Unix datagram socketpair: a call gives the kernel the batch's first {@code vlen} messages only and leaves the
 * others as they were (positions, where {@code rewind} puts them back, received flags, sources, control messages);
 * a batch called again with another {@code vlen} is not described again, which the messages' encoding stamps show;
 * {@code vlen} 0 makes C's system call with no message; a {@code vlen} outside 0..size is refused before any system
 * call; and calls with a different {@code vlen} each time on direct buffers allocate nothing.
 */
class MmsgVlenTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();
    private static final int EAGAIN = -Errno.EAGAIN.number();

    /** The link a test runs on: {@code a} sends to {@code b}, both datagram sockets. */
    private static Descriptors.Pair link(Descriptors fds, String kind) throws ErrnoException {
        return kind.equals("udp") ? fds.udpPair(false) : fds.unixPair(Posix.SOCK_DGRAM);
    }

    /** A batch of {@code n} messages, message {@code i} one direct buffer holding datagram {@code i}, 10 + i bytes. */
    private static MessageBatch sendBatch(int n) {
        return NumberedDatagrams.sendBatch(n, i -> 10 + i);
    }

    /** Nothing more arrives on {@code fd}. */
    private static void expectNothing(int fd) throws Exception {
        NumberedDatagrams.expectNothing(fd, "the call's vlen");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp", "unix"})
    void aSendGivesTheKernelTheFirstVlenMessagesAndDescribesTheBatchOnce(String kind) throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch out = sendBatch(8)) {
            Descriptors.Pair p = link(fds, kind);
            assertEquals(3, Posix.sendmmsg(p.a, out, 3, 0));
            assertEquals(3, out.sentCount());
            for (int i = 0; i < 8; i++) {
                assertEquals(i < 3 ? 10 + i : 0, out.bytesSent(i), "bytesSent(" + i + ")");
                ByteBuffer b = buffer(out, i);
                assertEquals(i < 3 ? 10 + i : 0, b.position(), "message " + i + "'s position");
                assertEquals(10 + i, b.limit(), "message " + i + "'s limit");
            }
            for (int i = 0; i < 3; i++) {
                expectDatagram(p.b, i, 10 + i);
            }
            expectNothing(p.b);

            // the same batch with all eight, rewound: described by the call above, so not described again
            int[] described = stamps(out);
            out.rewind();
            for (int i = 0; i < 8; i++) {
                assertEquals(0, buffer(out, i).position(), "message " + i + " rewound");
            }
            assertEquals(8, Posix.trySendmmsg(p.a, out, 8, 0));
            assertArrayEquals(described, stamps(out), "a call with another vlen described the batch again");
            for (int i = 0; i < 8; i++) {
                assertEquals(10 + i, out.bytesSent(i));
                expectDatagram(p.b, i, 10 + i);
            }
            expectNothing(p.b);
            // only the two a call of two sends need rewinding: the others are not looked at
            out.get(0).rewind();
            out.get(1).rewind();
            assertEquals(2, Posix.sendmmsg(p.a, out, 2, 0));
            assertArrayEquals(described, stamps(out), "nor the next with a third vlen");
            expectDatagram(p.b, 0, 10);
            expectDatagram(p.b, 1, 11);
            expectNothing(p.b);

            // messages 2..7 were last sent by the call of eight. A call of one whose first message changed describes
            // the batch again, messages 2..7 included, but leaves them where they are, and rewind() puts them back
            // where the call that sent them found them
            buffer(out, 0).position(0).limit(5);
            buffer(out, 1).rewind();
            assertEquals(1, Posix.sendmmsg(p.a, out, 1, 0));
            assertNotEquals(described[0], out.get(0).encoding(), "the changed message is described again");
            expectDatagram(p.b, 0, 5);
            expectNothing(p.b);
            for (int i = 2; i < 8; i++) {
                assertEquals(10 + i, buffer(out, i).position(), "message " + i + " left where it was");
            }
            out.rewind();
            for (int i = 0; i < 8; i++) {
                assertEquals(0, buffer(out, i).position(), "message " + i + " rewound to the call that sent it");
            }
            assertEquals(8, Posix.sendmmsg(p.a, out, 8, 0));
            expectDatagram(p.b, 0, 5);
            for (int i = 1; i < 8; i++) {
                expectDatagram(p.b, i, 10 + i);
            }
            expectNothing(p.b);
        }
    }

    /**
     * recvmmsg with vlen 2 while 5 datagrams wait fills messages 0 and 1 and leaves 3 queued; messages 2..7 keep
     * everything an earlier receive left in them: flags, sources and control messages (on UDP, where a second
     * sender and {@code IP_RECVTTL} make them differ), buffer positions, and where rewind() puts them back.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp", "unix"})
    @Timeout(60)
    void aReceiveFillsTheFirstVlenMessagesAndLeavesTheRestAsTheyWere(String kind) throws Exception {
        boolean udp = kind.equals("udp");
        try (Descriptors fds = new Descriptors(); MessageBatch in = receiveBatch(8, 32)) {
            Descriptors.Pair p = link(fds, kind);
            if (udp) {
                Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTTL, 1);
            }
            for (int i = 0; i < 8; i++) {
                assertEquals(40, Posix.send(p.a, ByteBuffer.wrap(datagram(i, 40)), 0));
            }
            // blocking, without MSG_WAITFORONE: returns once all eight are filled
            assertEquals(8, Posix.recvmmsg(p.b, in, 8, 0));
            InetSocketAddress first = udp ? Descriptors.addressOf(p.a) : null;
            for (int i = 0; i < 8; i++) {
                Message m = in.get(i);
                assertTrue(m.truncated(), "40 bytes into 32: message " + i);
                assertEquals(first, m.source());
                assertEquals(udp ? 1 : 0, m.receivedControl().size(), "message " + i + "'s control messages");
            }

            int second = p.a;
            if (udp) {
                Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTTL, 0);
                second = fds.boundUdp(false);
            }
            InetSocketAddress to = udp ? Descriptors.addressOf(p.b) : null;
            for (int i = 0; i < 5; i++) {
                ByteBuffer d = ByteBuffer.wrap(datagram(10 + i, 16));
                assertEquals(16, udp ? Posix.sendto(second, d, 0, to) : Posix.send(second, d, 0));
            }
            for (int i = 0; i < 8; i++) {
                buffer(in, i).clear();
            }
            // message 0 changed (a shorter room) so that the batch is described again, messages 2..7 included;
            // message 5 moved by hand, which the call must leave, and which rewind() must undo
            buffer(in, 0).limit(24);
            buffer(in, 5).position(4);
            assertEquals(2, Posix.recvmmsg(p.b, in, 2, 0));
            assertEquals(2, in.receivedCount());
            InetSocketAddress from = udp ? Descriptors.addressOf(second) : null;
            for (int i = 0; i < 8; i++) {
                Message m = in.get(i);
                ByteBuffer b = buffer(in, i);
                if (i < 2) {
                    assertEquals(16, in.bytesReceived(i));
                    assertEquals(16, b.position());
                    assertArrayEquals(datagram(10 + i, 16), java.util.Arrays.copyOf(received(b), 16));
                    assertFalse(m.truncated(), "message " + i + " holds a whole datagram");
                    assertEquals(from, m.source(), "message " + i + "'s source");
                    assertEquals(0, m.receivedControl().size(), "message " + i + ": no IP_RECVTTL any more");
                } else {
                    assertEquals(0, in.bytesReceived(i), "message " + i + " was not filled");
                    assertEquals(i == 5 ? 4 : 0, b.position(), "message " + i + "'s position");
                    assertEquals(32, b.limit(), "message " + i + "'s limit");
                    assertTrue(m.truncated(), "message " + i + " keeps its flags");
                    assertEquals(first, m.source(), "message " + i + " keeps its source");
                    List<ControlMessage> control = m.receivedControl();
                    assertEquals(udp ? 1 : 0, control.size(), "message " + i + " keeps its control messages");
                }
            }
            in.get(5).rewind();
            assertEquals(0, buffer(in, 5).position(), "back where the receive that filled it found it");

            // the three left: exactly three, then nothing (message 0's room as the last call described it)
            for (int i = 0; i < 8; i++) {
                buffer(in, i).clear();
            }
            buffer(in, 0).limit(24);
            int[] described = stamps(in);
            assertEquals(3, Posix.recvmmsg(p.b, in, 3, 0));
            assertArrayEquals(described, stamps(in), "a receive with another vlen described the batch again");
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(datagram(12 + i, 16), java.util.Arrays.copyOf(received(buffer(in, i)), 16));
            }
            assertEquals(0, buffer(in, 3).position());
            for (int i = 0; i < 8; i++) {
                buffer(in, i).clear();
            }
            assertEquals(EAGAIN, Posix.tryRecvmmsg(p.b, in, 8, DONTWAIT));
            assertEquals(0, in.receivedCount(), "a failed call fills none");
            assertEquals(0, buffer(in, 0).position(), "nor moves a buffer");
        }
    }

    /** The bytes a receive put into {@code b}, from 0 to its position. */
    private static byte[] received(ByteBuffer b) {
        byte[] out = new byte[b.position()];
        b.get(0, out);
        return out;
    }

    /**
     * Heap buffers are staged: a call copies in the bytes of the messages it sends only. A later call that sends the
     * others copies theirs, as they are then.
     */
    @Test
    void heapBuffersOfMessagesLeftOutAreStagedWhenSent() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch out = new MessageBatch(4)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            for (int i = 0; i < 4; i++) {
                out.add(Message.of(ByteBuffer.wrap(datagram(i, 20))));
            }
            assertEquals(2, Posix.sendmmsg(p.a, out, 2, 0));
            expectDatagram(p.b, 0, 20);
            expectDatagram(p.b, 1, 20);
            expectNothing(p.b);
            assertEquals(0, buffer(out, 3).position());
            buffer(out, 3).put(0, datagram(9, 20)); // changed after the call that left it out
            out.rewind();
            assertEquals(4, Posix.sendmmsg(p.a, out, 4, 0));
            for (int i = 0; i < 4; i++) {
                expectDatagram(p.b, i == 3 ? 9 : i, 20);
            }
            expectNothing(p.b);

        }
    }

    /**
     * A receive into heap buffers with MSG_TRUNC, which copies staged bytes in first: the first vlen messages only
     * are filled, and each reports its datagram's whole length.
     */
    @Test
    @Timeout(60)
    void aTruncatingReceiveIntoHeapBuffersFillsTheFirstVlenMessages() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch in = new MessageBatch(4)) {
            Descriptors.Pair p = fds.udpPair(false);
            for (int i = 0; i < 4; i++) {
                in.add(Message.of(ByteBuffer.allocate(8)));
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(12, Posix.send(p.a, ByteBuffer.wrap(datagram(i, 12)), 0));
            }
            assertEquals(2, Posix.recvmmsg(p.b, in, 2, MsgFlag.MSG_TRUNC.value()));
            for (int i = 0; i < 4; i++) {
                assertEquals(i < 2 ? 12 : 0, in.bytesReceived(i), "the datagram's length with MSG_TRUNC");
                assertEquals(i < 2 ? 8 : 0, buffer(in, i).position());
                assertEquals(i < 2, in.get(i).truncated());
            }
            assertArrayEquals(datagram(1, 8), received(buffer(in, 1)));
            buffer(in, 0).clear();
            assertEquals(1, Posix.recvmmsg(p.b, in, 1, 0));
            assertArrayEquals(datagram(2, 8), received(buffer(in, 0)));
            assertEquals(EAGAIN, Posix.tryRecvmmsg(p.b, in, 4, DONTWAIT));
        }
    }

    /**
     * vlen 0 is C's: the system call with no message. Measured on Linux: sendmmsg returns 0; recvmmsg returns 0 at
     * once, on a blocking socket too, with or without a timeout.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp", "unix"})
    @Timeout(60)
    void vlenZeroIsTheSystemCallWithNoMessage(String kind) throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch out = sendBatch(4);
                MessageBatch in = receiveBatch(4, 64)) {
            Descriptors.Pair p = link(fds, kind);
            assertEquals(0, Posix.sendmmsg(p.a, out, 0, 0));
            assertEquals(0, out.sentCount());
            assertEquals(0, Posix.trySendmmsg(p.a, out, 0, DONTWAIT));
            expectNothing(p.b);
            for (int i = 0; i < 4; i++) {
                assertEquals(0, buffer(out, i).position(), "message " + i + " not sent");
            }
            // the receiver is blocking: vlen 0 does not wait
            assertEquals(0, Posix.recvmmsg(p.b, in, 0, 0));
            assertEquals(0, Posix.recvmmsg(p.b, in, 0, 0, Duration.ofSeconds(30)));
            assertEquals(0, Posix.tryRecvmmsg(p.b, in, 0, DONTWAIT));
            assertEquals(0, in.receivedCount());
        }
    }

    /**
     * With vlen 0 the kernel still answers for the descriptor, as it does for C: EBADF, ENOTSOCK. (qemu-user does not:
     * it returns 0 for any vlen 0 without making the call.)
     */
    @Test
    void vlenZeroStillAnswersForTheDescriptor() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch out = sendBatch(4);
                MessageBatch in = receiveBatch(4, 64)) {
            assertEquals(-Errno.EBADF.number(), Posix.trySendmmsg(-1, out, 0, 0));
            BadDescriptorException e = assertThrows(BadDescriptorException.class, () -> Posix.sendmmsg(-1, out, 0, 0));
            assertEquals("sendmmsg: EBADF (Bad file descriptor)", e.getMessage());
            int[] pipe = Posix.pipe(0);
            fds.track(pipe[0]);
            fds.track(pipe[1]);
            assertEquals(-Errno.ENOTSOCK.number(), Posix.trySendmmsg(pipe[1], out, 0, 0));
            assertEquals(-Errno.ENOTSOCK.number(), Posix.tryRecvmmsg(pipe[0], in, 0, 0));
            assertEquals(-Errno.EBADF.number(), Posix.tryRecvmmsg(-1, in, 0, 0));
            assertThrows(BadDescriptorException.class, () -> Posix.recvmmsg(Descriptors.NEVER_OPEN, in, 0, 0));
            assertEquals(0, out.sentCount());
            assertEquals(0, in.receivedCount());
        }
    }

    @Test
    @Timeout(60)
    void vlenZeroKeepsADatagramQueued() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch out = sendBatch(2);
                MessageBatch in = receiveBatch(2, 64)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            assertEquals(1, Posix.sendmmsg(p.a, out, 1, 0));
            assertEquals(0, Posix.recvmmsg(p.b, in, 0, 0), "a datagram waits, but vlen 0 takes none");
            assertEquals(0, in.receivedCount());
            assertEquals(0, buffer(in, 0).position());
            expectDatagram(p.b, 0, 10);
        }
    }

    /**
     * On Linux a pending socket error (ICMP port unreachable on a connected UDP socket: ECONNREFUSED) is left
     * pending by sendmmsg with vlen 0, and returned and cleared by recvmmsg with vlen 0, as C's calls do. (qemu-user
     * answers 0 to both.)
     */
    @Test
    @Timeout(60)
    void vlenZeroAndAPendingErrorOnLinux() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "measured on Linux");
        try (Descriptors fds = new Descriptors(); MessageBatch out = sendBatch(2);
                MessageBatch in = receiveBatch(2, 64)) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.connect(fd, fds.closedUdpPort(false));
            PollSet set = new PollSet(1);
            set.add(fd, 0);
            boolean pending = false;
            for (int i = 0; i < 20 && !pending; i++) {
                assertEquals(1, Posix.send(fd, ByteBuffer.wrap(new byte[] {1}), 0));
                pending = set.poll(1_000) == 1 && (set.revents(0) & Posix.POLLERR) != 0;
            }
            assertTrue(pending, "no ICMP port unreachable came back");
            assertEquals(0, Posix.sendmmsg(fd, out, 0, 0), "sendmmsg with vlen 0 reports no pending error");
            assertEquals(1, set.poll(0), "and leaves it pending");
            ConnectionRefusedException e = assertThrows(ConnectionRefusedException.class,
                    () -> Posix.recvmmsg(fd, in, 0, 0));
            assertEquals("recvmmsg: ECONNREFUSED (Connection refused)", e.getMessage());
            assertEquals(0, set.poll(0), "recvmmsg with vlen 0 cleared it");
            assertEquals(0, Posix.recvmmsg(fd, in, 0, 0));
        }
    }

    @Test
    void aVlenOutsideTheBatchIsRefusedBeforeAnySystemCall() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch out = sendBatch(8);
                MessageBatch in = receiveBatch(8, 64)) {
            Descriptors.Pair p = fds.udpPair(false);
            assertEquals(3, Posix.sendmmsg(p.a, out, 3, 0));
            for (int i = 0; i < 3; i++) {
                expectDatagram(p.b, i, 10 + i);
            }
            out.rewind();
            for (int vlen : new int[] {9, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Posix.sendmmsg(p.a, out, vlen, 0));
                assertEquals("sendmmsg: vlen " + vlen + " is outside 0..8, the batch's size", e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> Posix.trySendmmsg(-1, out, vlen, 0));
                e = assertThrows(IllegalArgumentException.class, () -> Posix.recvmmsg(p.b, in, vlen, 0));
                assertEquals("recvmmsg: vlen " + vlen + " is outside 0..8, the batch's size", e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> Posix.tryRecvmmsg(p.b, in, vlen, 0, null));
                assertThrows(IllegalArgumentException.class,
                        () -> Posix.recvmmsg(p.b, in, vlen, 0, Duration.ofSeconds(1)));
            }
            assertEquals(3, out.sentCount(), "a refused call leaves the count as it was");
            for (int i = 0; i < 8; i++) {
                assertEquals(0, buffer(out, i).position(), "message " + i + " not moved");
            }
            expectNothing(p.b);
            // a negative timeout is refused as before, whatever vlen
            assertThrows(IllegalArgumentException.class, () -> Posix.tryRecvmmsg(p.b, in, 1, 0, Duration.ofNanos(-1)));

            // the size is the batch's at the call
            out.clear();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Posix.sendmmsg(p.a, out, 1, 0));
            assertEquals("sendmmsg: vlen 1 is outside 0..0, the batch's size", e.getMessage());
            out.close();
            assertThrows(IllegalStateException.class, () -> Posix.sendmmsg(p.a, out, 0, 0), "a closed batch");
        }
    }

    /**
     * MSG_ZEROCOPY refuses heap bytes the kernel is given; a message left out by vlen is not given to it. Linux
     * without SO_ZEROCOPY sends such a call as a plain one.
     */
    @Test
    void zerocopyLooksOnlyAtTheMessagesSent() throws Exception {
        assumeTrue(MsgFlag.MSG_ZEROCOPY.isSupported(), "MSG_ZEROCOPY is Linux's");
        try (Descriptors fds = new Descriptors(); MessageBatch out = new MessageBatch(2)) {
            Descriptors.Pair p = fds.udpPair(false);
            out.add(Message.of(ByteBuffer.allocateDirect(10).put(datagram(0, 10)).flip()));
            out.add(Message.of(ByteBuffer.wrap(datagram(1, 11))));
            int zerocopy = MsgFlag.MSG_ZEROCOPY.value();
            assertThrows(IllegalArgumentException.class, () -> Posix.trySendmmsg(p.a, out, 2, zerocopy));
            assertEquals(1, Posix.trySendmmsg(p.a, out, 1, zerocopy));
            expectDatagram(p.b, 0, 10);
            expectNothing(p.b);
        }
    }

    /**
     * trySendmmsg and tryRecvmmsg with a different vlen at each call, on reused batches of direct buffers, allocate
     * nothing once warm, and describe neither batch again: every message's encoding stamp is the same after the
     * measured rounds as before them.
     */
    @Test
    void varyingVlenOnDirectBuffersAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        int n = 8;
        try (Descriptors fds = new Descriptors(); MessageBatch out = new MessageBatch(n);
                MessageBatch in = receiveBatch(n, 64)) {
            Descriptors.Pair p = fds.udpPair(false);
            for (int i = 0; i < n; i++) {
                out.add(Message.of(ByteBuffer.allocateDirect(32).put(datagram(i, 32)).flip()));
            }
            ByteBuffer[] got = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                got[i] = buffer(in, i);
            }
            long[] calls = {0};
            SteadyAllocation.Round round = () -> {
                calls[0] = 0;
                long failures = 0;
                for (int b = 0; b < 200; b++) {
                    int vlen = 1 + b % n;
                    out.rewind();
                    calls[0]++;
                    if (Posix.trySendmmsg(p.a, out, vlen, 0) != vlen) {
                        failures++;
                        continue;
                    }
                    int received = 0;
                    // loopback queues the datagrams as they are sent; the spins only bound a late one
                    for (int spin = 0; received < vlen && spin < 100_000; spin++) {
                        for (ByteBuffer g : got) {
                            g.clear();
                        }
                        calls[0]++;
                        int r = Posix.tryRecvmmsg(p.b, in, vlen - received, DONTWAIT);
                        if (r == EAGAIN) {
                            continue;
                        }
                        if (r <= 0 || r > vlen - received) {
                            failures++;
                            break;
                        }
                        for (int i = 0; i < r; i++) {
                            int d = received + i;
                            if (in.bytesReceived(i) != 32 || got[i].position() != 32 || got[i].get(0) != at(d, 0)
                                    || got[i].get(31) != at(d, 31)) {
                                failures++;
                            }
                        }
                        for (int i = r; i < n; i++) {
                            if (got[i].position() != 0) {
                                failures++; // cleared above, and past the call's vlen
                            }
                        }
                        received += r;
                    }
                    if (received != vlen) {
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
            MessageAllocationTest.assertWithinBudget(SteadyAllocation.leastBeyond("200 sendmmsg with vlen 1..8",
                    () -> AllocationBudget.forDowncalls(calls[0]), round),
                    "200 trySendmmsg and their tryRecvmmsg, each with its own vlen");
            assertArrayEquals(sendStamps, stamps(out), "the send batch was described again");
            assertArrayEquals(receiveStamps, stamps(in), "the receive batch was described again");
        }
    }
}

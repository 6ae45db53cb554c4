// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Repeated sendmsg and sendmmsg with reused messages and direct buffers, and recvmmsg of whole batches into reused
 * messages, allocate nothing once warm, measured with the thread's allocated-bytes counter in rounds until one is
 * within the budget ({@link SteadyAllocation}: the least round counts, so that an allocation by the JVM itself cannot
 * fail it). Under the FFM backend a round may also keep the JDK's capture slices ({@link AllocationBudget}).
 */
class MessageAllocationTest {

    /** Fails unless {@code beyond}, the least bytes a round allocated beyond its budget, is 0. */
    static void assertWithinBudget(long beyond, String what) {
        assertEquals(0, beyond, what + ": bytes beyond the budget on " + Posix.backendName());
    }

    private static ByteBuffer direct(int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) i);
        }
        return b.flip();
    }

    private static long sendmsgLoop(int fd, Message m, ByteBuffer a, ByteBuffer b, int calls) {
        return sendmsgLoop(fd, m, a, b, calls, (message, i) -> { });
    }

    /** As above, {@code before} changing the message before each send. */
    private static long sendmsgLoop(int fd, Message m, ByteBuffer a, ByteBuffer b, int calls,
            java.util.function.ObjIntConsumer<Message> before) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            a.rewind();
            b.rewind();
            before.accept(m, i);
            if (Posix.trySendmsg(fd, m, 0) != 48) {
                failures++;
            }
        }
        return failures;
    }

    private static long sendmmsgLoop(int fd, MessageBatch batch, ByteBuffer[] bufs, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            for (ByteBuffer buf : bufs) {
                buf.rewind();
            }
            if (Posix.trySendmmsg(fd, batch, 0) != batch.size()) {
                failures++;
            }
        }
        return failures;
    }

    @Test
    void repeatedSendmsgAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            int tx = fds.boundUdp(false);
            ByteBuffer a = direct(16);
            ByteBuffer b = direct(32);
            Message m = Message.of(a, b).destination(SockAddr.of(Descriptors.addressOf(rx)))
                    .addControl(ControlMessage.ipTtl(64)).addControl(ControlMessage.ipTos(0));
            assertEquals(0, sendmsgLoop(tx, m, a, b, 20_000), "warm-up sends all succeed");
            assertWithinBudget(SteadyAllocation.leastBeyond("10000 sendmsg calls",
                    () -> AllocationBudget.forDowncalls(10_000), () -> sendmsgLoop(tx, m, a, b, 10_000)),
                    "10000 sendmsg calls");
        }
    }

    /** A sender that paces each packet sets its time on the message: 0 B, where a control message per time is not. */
    @Test
    void aTransmitTimePerSendAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        assumeTrue(Os.current() == Os.LINUX, "SCM_TXTIME is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TXTIME, new SockTxtime(Posix.CLOCK_MONOTONIC, 0));
            // loopback sends at once whatever the time; the receiver's queue drops what overflows
            assertChangedPerSendAllocatesNothing(p.a, (message, i) -> message.txtime(i), "time");
        }
    }

    /** A QUIC sender's per-packet choice of segment size and ECN bits, swapped in with factory calls: 0 B once warm. */
    @Test
    void valuesChosenPerSendAllocateNothingOnceAskedFor() throws Exception {
        SteadyAllocation.assumeMeasurable();
        assumeTrue(Os.current() == Os.LINUX, "UDP_SEGMENT is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            // a segment size at least the datagram's leaves it one datagram; 1000 sizes, all met in the warm-up
            assertChangedPerSendAllocatesNothing(p.a, (message, i) -> message.clearControl()
                    .addControl(ControlMessage.udpSegment(48 + i % 1000)).addControl(ControlMessage.ipTos(i & 3)),
                    "values");
        }
    }

    /**
     * Sends of 48 bytes from {@code fd}, each after {@code change} set the message's control for it ({@code what}
     * names what changes): after two warm-up rounds of 10,000, nothing beyond the budget.
     */
    private static void assertChangedPerSendAllocatesNothing(int fd, java.util.function.ObjIntConsumer<Message> change,
            String what) {
        ByteBuffer a = direct(16);
        ByteBuffer b = direct(32);
        Message m = Message.of(a, b);
        SteadyAllocation.Round round = () -> sendmsgLoop(fd, m, a, b, 10_000, change);
        assertEquals(0, round.run() + round.run(), "warm-up sends all succeed");
        assertWithinBudget(SteadyAllocation.leastBeyond("10000 sendmsg calls, each with its own " + what,
                () -> AllocationBudget.forDowncalls(10_000), round), "10000 sendmsg calls with new " + what + " each");
    }

    @Test
    void repeatedSendmmsgAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            int[] rx = {fds.boundUdp(false), fds.boundUdp(false)};
            SockAddr[] to = {SockAddr.of(Descriptors.addressOf(rx[0])), SockAddr.of(Descriptors.addressOf(rx[1]))};
            int tx = fds.boundUdp(false);
            int n = 64;
            ByteBuffer[] bufs = new ByteBuffer[2 * n];
            MessageBatch batch = new MessageBatch(n);
            for (int i = 0; i < n; i++) {
                bufs[2 * i] = direct(8);
                bufs[2 * i + 1] = direct(24);
                batch.add(Message.of(bufs[2 * i], bufs[2 * i + 1]).destination(to[i % 2]));
            }
            // the FFM backend's downcall allocates until C2 has compiled the whole path (some 5,000 calls)
            assertEquals(0, sendmmsgLoop(tx, batch, bufs, 8_000), "warm-up batches all go whole");
            assertWithinBudget(SteadyAllocation.leastBeyond("300 sendmmsg calls",
                    () -> AllocationBudget.forDowncalls(300), () -> sendmmsgLoop(tx, batch, bufs, 300)),
                    "300 sendmmsg calls of 64 messages");
        }
    }

    /**
     * A batch of 1,024 messages whose buffers are listed again before every {@code sendmmsg}, each message its own
     * direct buffer, read back by a batch of 1,024 messages of their own: 2,048 direct buffers looked up at every
     * round, more than the first table of what posix-send records about each direct buffer holds (the records the
     * JDK's foreign API is asked for, on JDK 22 and later). Once the records have grown to them, nothing is allocated.
     */
    @Test
    void aThousandMessagesListedAgainAtEveryCallAllocateNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        int n = MessageBatch.MAX_MESSAGES;
        try (Descriptors fds = new Descriptors(); MessageBatch out = new MessageBatch(n);
                MessageBatch in = new MessageBatch(n)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 1 << 22);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1 << 22);
            Message[] sent = new Message[n];
            ByteBuffer[] bufs = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                sent[i] = new Message(0);
                bufs[i] = direct(8);
                in.add(new Message(0).add(ByteBuffer.allocateDirect(8)));
            }
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            SteadyAllocation.Round round = () -> {
                long wrong = 0;
                for (int call = 0; call < 4; call++) {
                    out.clear();
                    for (int i = 0; i < n; i++) {
                        out.add(sent[i].clearBuffers().add(bufs[i].rewind()));
                    }
                    wrong += Posix.trySendmmsg(p.a, out, 0) == n ? 0 : 1;
                    wrong += Posix.tryRecvmmsg(p.b, in.clearEachBuffer(), dontwait, null) == n ? 0 : 1;
                }
                return wrong;
            };
            for (int warm = 0; warm < 100; warm++) {
                assertEquals(0, round.run(), "warm-up round " + warm + ": every batch went and came back whole");
            }
            assertWithinBudget(SteadyAllocation.leastBeyond("4 sendmmsg and recvmmsg of 1024 messages",
                    () -> AllocationBudget.forDowncalls(8), round), "4 sendmmsg and recvmmsg of 1024 messages");
        }
    }

    @Test
    void heapBuffersAndRecvmsgAllocateNothingEither() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer heap = ByteBuffer.allocate(40);
            ByteBuffer readOnly = ByteBuffer.allocate(8).asReadOnlyBuffer();
            Message out = Message.of(heap, readOnly);
            ByteBuffer in1 = ByteBuffer.allocate(16);
            ByteBuffer in2 = ByteBuffer.allocateDirect(64);
            Message in = Message.of(in1, in2);
            SteadyAllocation.Round pairs = () -> {
                long failures = 0;
                for (int i = 0; i < 10_000; i++) {
                    heap.clear();
                    readOnly.clear();
                    in1.clear();
                    in2.clear();
                    if (Posix.trySendmsg(p.a, out, 0) != 48) {
                        failures++;
                    }
                    try {
                        if (Posix.recvmsg(p.b, in, 0) != 48) {
                            failures++;
                        }
                    } catch (ErrnoException e) {
                        failures++;
                    }
                }
                return failures;
            };
            for (int warm = 0; warm < 4; warm++) {
                assertEquals(0, pairs.run(), "warm-up pairs all go whole");
            }
            assertWithinBudget(SteadyAllocation.leastBeyond("10000 sendmsg and recvmsg pairs",
                    () -> AllocationBudget.forDowncalls(20_000), pairs),
                    "10000 sendmsg and recvmsg pairs with heap buffers");
        }
    }

    /**
     * {@code recvmmsg} that fills whole batches: each round sends 16 datagrams of 32 bytes with one {@code sendmmsg}
     * from an IPv6 loopback socket and reads them back into a reused batch of 16 with {@code MSG_DONTWAIT}, the
     * sender's address kept with each (a {@code sockaddr_in6}, 28 bytes). The calls allocate nothing beyond the budget
     * (the empty socket's reads, in {@link RecvmmsgTest}, never reach the code that takes what arrived).
     */
    @Test
    void recvmmsgOfFullBatchesWithSourcesAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        int n = 16;
        try (Descriptors fds = new Descriptors(); MessageBatch out = new MessageBatch(n);
                MessageBatch in = new MessageBatch(n)) {
            int rx = fds.boundUdp(true);
            int tx = fds.boundUdp(true);
            SockAddr to = SockAddr.of(Descriptors.addressOf(rx));
            ByteBuffer[] sent = new ByteBuffer[n];
            ByteBuffer[] got = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                sent[i] = ByteBuffer.allocateDirect(32);
                for (int k = 0; k < 32; k++) {
                    sent[i].put((byte) (i + k));
                }
                out.add(Message.of(sent[i].flip()).destination(to));
                got[i] = ByteBuffer.allocateDirect(64);
                in.add(new Message(0).add(got[i]));
            }
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            int eagain = -Errno.EAGAIN.number();
            int txPort = Descriptors.addressOf(tx).getPort();
            SockAddrBuffer source = new SockAddrBuffer();
            byte[] ip = new byte[16];
            long[] calls = {0};
            long[] full = {0};
            SteadyAllocation.Round round = () -> {
                calls[0] = 0;
                long failures = 0;
                for (int b = 0; b < 200; b++) {
                    for (ByteBuffer s : sent) {
                        s.rewind();
                    }
                    calls[0]++;
                    if (Posix.trySendmmsg(tx, out, 0) != n) {
                        failures++;
                        continue;
                    }
                    int received = 0;
                    // loopback queues the datagrams as they are sent; the spins only bound a late one
                    for (int spin = 0; received < n && spin < 100_000; spin++) {
                        for (ByteBuffer g : got) {
                            g.clear();
                        }
                        calls[0]++;
                        int r = Posix.tryRecvmmsg(rx, in, dontwait, null);
                        if (r == n) {
                            full[0]++;
                        }
                        if (r == eagain) {
                            continue;
                        }
                        if (r <= 0) {
                            failures++;
                            break;
                        }
                        for (int i = 0; i < r; i++) {
                            int at = received + i;
                            if (in.bytesReceived(i) != 32 || got[i].position() != 32 || got[i].get(0) != (byte) at
                                    || got[i].get(31) != (byte) (at + 31) || in.get(i).truncated()
                                    || !in.get(i).source(source) || source.family() != Posix.AF_INET6
                                    || source.port() != txPort || source.address(ip) != 16 || ip[15] != 1) {
                                failures++;
                            }
                        }
                        received += r;
                    }
                    if (received != n) {
                        failures++;
                    }
                }
                return failures;
            };
            for (int warm = 0; warm < 10; warm++) {
                assertEquals(0, round.run(), "warm-up batches all arrive whole");
            }
            full[0] = 0;
            assertWithinBudget(SteadyAllocation.leastBeyond("200 batches of 16 sent and received",
                    () -> AllocationBudget.forDowncalls(calls[0]), round),
                    "200 sendmmsg and recvmmsg of 16 datagrams, each source read into a SockAddrBuffer");
            assertTrue(full[0] > 0, "some recvmmsg calls filled the whole batch");
            java.net.InetSocketAddress from = Descriptors.addressOf(tx);
            for (int i = 0; i < in.receivedCount(); i++) {
                assertEquals(from, in.get(i).source(), "the source of message " + i);
            }
        }
    }
}

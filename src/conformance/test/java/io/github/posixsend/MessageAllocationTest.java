package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Repeated sendmsg and sendmmsg with reused messages and direct buffers allocate nothing once warm, measured
 * with the thread's allocated-bytes counter in rounds until one is within the budget ({@link SteadyAllocation}: the
 * least round counts, so that an allocation by the JVM itself cannot fail it). Under the FFM backend a round may also
 * keep the JDK's capture slices ({@link AllocationBudget}).
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
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            a.rewind();
            b.rewind();
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
}

package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;

import io.github.posixsend.tools.probe.Descriptors;
import java.lang.management.ManagementFactory;
import io.github.posixsend.testing.AllocationBudget;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Repeated sendmsg and sendmmsg with reused messages and direct buffers allocate nothing once warm, measured
 * with the thread's allocated-bytes counter. Each measurement is taken in rounds (up to six, until one allocates
 * nothing) and the smallest counts, so that an allocation by the JVM itself (a compilation finishing late on a
 * loaded machine) cannot fail it.
 */
class MessageAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Measured rounds, until one allocates nothing. Under the FFM backend a round may also keep the JDK's capture
     * slices (see {@link AllocationBudget}), which a later compilation often removes.
     */
    private static final int ROUNDS = 16;

    /** {@code allocated} is within {@code budget} (0 on JNI and JNR; see {@link AllocationBudget}). */
    static void assertAtMost(long budget, long allocated, String what) {
        assertTrue(allocated <= budget, what + ": " + allocated + ", more than the " + budget + " allowed on "
                + Posix.backendName());
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
        assertTrue(THREADS.isThreadAllocatedMemorySupported());
        THREADS.setThreadAllocatedMemoryEnabled(true);
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            int tx = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            ByteBuffer a = direct(16);
            ByteBuffer b = direct(32);
            Message m = Message.of(a, b).destination(SockAddr.of(Descriptors.addressOf(rx)))
                    .addControl(ControlMessage.ipTtl(64)).addControl(ControlMessage.ipTos(0));
            assertEquals(0, sendmsgLoop(tx, m, a, b, 20_000), "warm-up sends all succeed");
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS && best != 0; round++) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                long failures = sendmsgLoop(tx, m, a, b, 10_000);
                long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                assertEquals(0, failures);
                best = Math.min(best, allocated);
            }
            assertAtMost(AllocationBudget.forMessageCalls(10_000), best, "bytes allocated by 10000 sendmsg calls");
        }
    }

    @Test
    void repeatedSendmmsgAllocatesNothing() throws Exception {
        THREADS.setThreadAllocatedMemoryEnabled(true);
        try (Descriptors fds = new Descriptors()) {
            int[] rx = {fds.boundUdp(false), fds.boundUdp(false)};
            SockAddr[] to = {SockAddr.of(Descriptors.addressOf(rx[0])), SockAddr.of(Descriptors.addressOf(rx[1]))};
            int tx = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
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
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS && best != 0; round++) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                long failures = sendmmsgLoop(tx, batch, bufs, 300);
                long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                assertEquals(0, failures);
                best = Math.min(best, allocated);
            }
            assertAtMost(AllocationBudget.forMessageCalls(300), best,
                    "bytes allocated by 300 sendmmsg calls of 64 messages");
        }
    }

    @Test
    void heapBuffersAndRecvmsgAllocateNothingEither() throws Exception {
        THREADS.setThreadAllocatedMemoryEnabled(true);
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer heap = ByteBuffer.allocate(40);
            ByteBuffer readOnly = ByteBuffer.allocate(8).asReadOnlyBuffer();
            Message out = Message.of(heap, readOnly);
            ByteBuffer in1 = ByteBuffer.allocate(16);
            ByteBuffer in2 = ByteBuffer.allocateDirect(64);
            Message in = Message.of(in1, in2);
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                int calls = round < 2 ? 20_000 : 10_000; // the first two rounds are warm-up
                long before = THREADS.getCurrentThreadAllocatedBytes();
                long failures = 0;
                for (int i = 0; i < calls; i++) {
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
                long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                assertEquals(0, failures);
                if (round >= 2) {
                    best = Math.min(best, allocated);
                }
            }
            assertAtMost(AllocationBudget.forMessageCalls(20_000), best,
                    "bytes allocated by 10000 sendmsg and recvmsg pairs with heap buffers");
        }
    }
}

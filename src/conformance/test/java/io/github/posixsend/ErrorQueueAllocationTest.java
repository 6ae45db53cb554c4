// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading the error queue (Linux) allocates nothing once warm: ICMP errors with their offender, transmit timestamps
 * of sends timestamped by a per-call control message, and zero-copy completions reaped by {@link ZerocopySends},
 * each read with {@link Posix#tryRecvmsg} into a reused {@link Message} and an {@link ErrorQueueEntry} or straight from
 * the socket with {@link ErrorQueueEntry#tryReadFrom} (which {@link ZerocopySends} uses). Measured
 * as {@link MessageAllocationTest} measures: the thread's allocated-bytes counter, in rounds until one allocates
 * nothing beyond its budget ({@link SteadyAllocation}).
 */
class ErrorQueueAllocationTest {
    /** Polls of the error queue one iteration may take before it counts as a failure. */
    private static final int SPINS = 100_000;

    private static int errqueue() {
        return MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT);
    }

    /**
     * The message calls ({@code sendmsg}, {@code recvmsg}) the loops made in the current round, at most: each may keep
     * the FFM backend's capture slice ({@link AllocationBudget}).
     */
    private static long messageCalls;

    /**
     * Runs {@code loop} (which returns its failures) once to warm up, then in rounds; the least a round allocated
     * beyond its {@link AllocationBudget}.
     */
    private static long leastAllocated(IntSupplier warmUp, IntSupplier loop) {
        SteadyAllocation.assumeMeasurable();
        assertEquals(0, warmUp.getAsInt(), "warm-up iterations all succeed");
        return SteadyAllocation.leastBeyond("error-queue loop", () -> AllocationBudget.forDowncalls(messageCalls),
                () -> {
                    messageCalls = 0;
                    return loop.getAsInt();
                });
    }

    /**
     * Reads one error-queue entry into {@code m} and {@code e}, or with {@code m} null straight into {@code e}
     * ({@link ErrorQueueEntry#tryReadFrom}), polling at most {@link #SPINS} times.
     */
    private static boolean readEntry(int fd, Message m, ErrorQueueEntry e, int flags) {
        for (int s = 0; s < SPINS; s++) {
            messageCalls++;
            if (m == null) {
                if (e.tryReadFrom(fd, MsgFlag.MSG_DONTWAIT.value()) >= 0) {
                    return e.isValid();
                }
                continue;
            }
            m.buffer(0).clear();
            if (Posix.tryRecvmsg(fd, m, flags) >= 0) {
                return e.read(m);
            }
        }
        return false;
    }

    @Test
    void icmpErrorsAreReadWithoutAllocating() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        try (Descriptors fds = new Descriptors(); Message m = new Message(256).add(ByteBuffer.allocateDirect(16))) {
            int fd = ErrorQueueTest.recvErrSocket(fds, false);
            SockAddr dest = SockAddr.of(fds.closedUdpPort(false));
            ByteBuffer out = ByteBuffer.allocateDirect(8);
            ErrorQueueEntry e = new ErrorQueueEntry();
            SockAddrBuffer offender = new SockAddrBuffer();
            int flags = errqueue();
            int refused = Errno.ECONNREFUSED.number();
            IntSupplier loop = () -> {
                int failures = 0;
                for (int i = 0; i < 2_000; i++) {
                    out.clear();
                    if (Posix.trySendto(fd, out, 0, dest) != 8 || !readEntry(fd, m, e, flags)
                            || e.errno() != refused || e.origin() != Posix.SO_EE_ORIGIN_ICMP
                            || !e.offender(offender) || offender.family() != Posix.AF_INET) {
                        failures++;
                    }
                }
                return failures;
            };
            assertEquals(0, leastAllocated(loop, loop),
                    "bytes allocated by 2000 sends and error-queue reads, beyond the budget");
            assertEquals(3, e.type(), "destination unreachable: " + e);
            assertEquals(Descriptors.addressOf(fd).getAddress(),
                    ((java.net.InetSocketAddress) e.offender()).getAddress());
        }
    }

    @ParameterizedTest(name = "read straight from the socket: {0}")
    @ValueSource(booleans = {false, true})
    void timestampsAreReadWithoutAllocating(boolean straight) throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_TIMESTAMPING is Linux's");
        try (Descriptors fds = new Descriptors(); Message read = new Message(256).add(ByteBuffer.allocateDirect(16))) {
            Message m = straight ? null : read;
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, Posix.SOF_TIMESTAMPING_SOFTWARE
                    | Posix.SOF_TIMESTAMPING_OPT_ID | Posix.SOF_TIMESTAMPING_OPT_TSONLY);
            ByteBuffer payload = ByteBuffer.allocateDirect(32);
            Message send = Message.of(payload)
                    .addControl(ControlMessage.timestamping(Posix.SOF_TIMESTAMPING_TX_SOFTWARE));
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            ErrorQueueEntry e = new ErrorQueueEntry();
            int flags = errqueue();
            int[] nextId = {0};
            long[] last = {0};
            IntSupplier loop = () -> {
                int failures = 0;
                for (int i = 0; i < 5_000; i++) {
                    payload.clear();
                    in.clear();
                    messageCalls++;
                    if (Posix.trySendmsg(p.a, send, 0) != 32 || Posix.tryRecv(p.b, in, 0) != 32
                            || !readEntry(p.a, m, e, flags) || e.timestampPoint() != TxTimestamp.Point.SENT
                            || e.data() != nextId[0] || e.softwareNanos() < last[0]) {
                        failures++;
                    }
                    nextId[0]++;
                    last[0] = e.isTimestamp() ? e.softwareNanos() : last[0];
                }
                return failures;
            };
            assertEquals(0, leastAllocated(loop, loop),
                    "bytes allocated by 5000 timestamped sends and reads, beyond the budget");
            assertTrue(last[0] > 1_600_000_000_000_000_000L, "a real-time clock reading: " + last[0]);
        }
    }

    @Test
    void zerocopyCompletionsAreReapedWithoutAllocating() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "MSG_ZEROCOPY is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
            ByteBuffer out = ByteBuffer.allocateDirect(4096);
            ByteBuffer in = ByteBuffer.allocateDirect(8192);
            int[] released = {0};
            Consumer<ByteBuffer> count = b -> released[0]++;
            try (ZerocopySends z = new ZerocopySends(p.a, 4)) {
                IntSupplier loop = () -> {
                    int failures = 0;
                    for (int i = 0; i < 2_000; i++) {
                        out.clear();
                        int before = released[0];
                        try {
                            if (z.send(out, 0) != 4096) {
                                failures++;
                            }
                            int got = 0;
                            for (int s = 0; s < SPINS && (got < 4096 || released[0] == before); s++) {
                                in.clear();
                                got += Math.max(0, Posix.tryRecv(p.b, in, MsgFlag.MSG_DONTWAIT.value()));
                                int reaped = released[0];
                                z.reap(count);
                                // at most a recvmsg per completion, and one more that finds the queue empty
                                messageCalls += 1 + released[0] - reaped;
                            }
                            if (got != 4096 || released[0] != before + 1) {
                                failures++;
                            }
                        } catch (ErrnoException e) {
                            failures++;
                        }
                    }
                    return failures;
                };
                assertEquals(0, leastAllocated(loop, loop),
                        "bytes allocated by 2000 zero-copy sends and reaps, beyond the budget");
                assertEquals(0, z.inFlight());
                assertEquals(z.nextId(), z.completedCount(), "every send completed once");
            }
        }
    }

    /**
     * The reap that hands other entries to a second callback allocates nothing either: each zero-copy datagram's
     * completion and its software transmit timestamp, which share the socket's error queue, are both taken.
     */
    @Test
    void completionsAndTimestampsAreReapedTogetherWithoutAllocating() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "MSG_ZEROCOPY is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, Posix.SOF_TIMESTAMPING_TX_SOFTWARE
                    | Posix.SOF_TIMESTAMPING_SOFTWARE | Posix.SOF_TIMESTAMPING_OPT_ID
                    | Posix.SOF_TIMESTAMPING_OPT_TSONLY);
            ByteBuffer out = ByteBuffer.allocateDirect(256);
            ByteBuffer in = ByteBuffer.allocateDirect(512);
            int[] released = {0};
            int[] stamped = {0};
            long[] lastId = {-1};
            Consumer<ByteBuffer> count = b -> released[0]++;
            Consumer<ErrorQueueEntry> stamps = e -> {
                if (e.timestampPoint() == TxTimestamp.Point.SENT) {
                    stamped[0]++;
                    lastId[0] = e.data();
                }
            };
            try (ZerocopySends z = new ZerocopySends(p.a, 4)) {
                IntSupplier loop = () -> {
                    int failures = 0;
                    for (int i = 0; i < 2_000; i++) {
                        out.clear();
                        int id = z.nextId();
                        int releasedBefore = released[0];
                        int stampedBefore = stamped[0];
                        try {
                            if (z.send(out, 0) != 256) {
                                failures++;
                            }
                            in.clear();
                            messageCalls++;
                            if (Posix.tryRecv(p.b, in, 0) != 256) {
                                failures++;
                            }
                            for (int s = 0; s < SPINS
                                    && (released[0] == releasedBefore || stamped[0] == stampedBefore); s++) {
                                int entries = released[0] + stamped[0];
                                z.reap(count, stamps);
                                // a recvmsg per entry, and one more that finds the queue empty
                                messageCalls += 1 + released[0] + stamped[0] - entries;
                            }
                            if (released[0] != releasedBefore + 1 || stamped[0] != stampedBefore + 1
                                    || lastId[0] != id) {
                                failures++;
                            }
                        } catch (ErrnoException e) {
                            failures++;
                        }
                    }
                    return failures;
                };
                assertEquals(0, leastAllocated(loop, loop),
                        "bytes allocated by 2000 zero-copy datagrams whose completions and timestamps were reaped,"
                        + " beyond the budget");
                assertEquals(0, z.inFlight());
                assertEquals(z.nextId(), z.completedCount(), "every send completed once");
            }
        }
    }
}

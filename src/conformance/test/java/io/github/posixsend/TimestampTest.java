// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Transmit timestamps (Linux, software): on loopback TCP each of 100 sends is timestamped when scheduled, sent and
 * acknowledged, in that order; on UDP each datagram when scheduled and sent; a per-call {@code SO_TIMESTAMPING}
 * control message timestamps the one send it comes with; received datagrams carry {@code SCM_TIMESTAMPNS} or, with
 * {@code SO_TIMESTAMPING}'s receive flags, {@code SCM_TIMESTAMPING}, through {@code recvmsg} and {@code recvmmsg}
 * ({@code SO_TIMESTAMP}'s microseconds: {@link SoTimestampTest}).
 */
class TimestampTest {
    private static final int ERRQUEUE = MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT);

    /**
     * Reads error-queue timestamps of {@code fd} into {@code by id} until {@code want} says done or 5 s pass: into a
     * message with {@code recvmsg}, or {@code straight} with {@link ErrorQueueEntry#tryReadFrom}.
     */
    private static void collect(int fd, Map<Integer, Map<TxTimestamp.Point, Long>> byId,
            java.util.function.BooleanSupplier done, boolean straight) throws Exception {
        ErrorQueueEntry e = new ErrorQueueEntry();
        try (Message m = new Message(512).add(ByteBuffer.allocateDirect(64))) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                m.buffer(0).clear();
                if ((straight ? e.tryReadFrom(fd, MsgFlag.MSG_DONTWAIT.value()) : Posix.tryRecvmsg(fd, m, ERRQUEUE))
                        < 0) {
                    Thread.sleep(1);
                    continue;
                }
                TxTimestamp t = straight ? (e.isValid() ? e.toTxTimestamp() : null) : TxTimestamp.from(m);
                assertNotNull(t, "an error-queue entry that is not a timestamp: "
                        + (straight ? e : m.receivedControl()));
                Long before = byId.computeIfAbsent(t.id(), k -> new EnumMap<>(TxTimestamp.Point.class))
                        .put(t.kind(), t.nanos());
                assertEquals(null, before, "one " + t.kind() + " timestamp per send, id " + t.id());
            }
        }
    }

    private static int flags(boolean ack) {
        return Posix.SOF_TIMESTAMPING_TX_SCHED | Posix.SOF_TIMESTAMPING_TX_SOFTWARE
                | (ack ? Posix.SOF_TIMESTAMPING_TX_ACK : 0) | Posix.SOF_TIMESTAMPING_SOFTWARE
                | Posix.SOF_TIMESTAMPING_OPT_ID | Posix.SOF_TIMESTAMPING_OPT_TSONLY;
    }

    @ParameterizedTest(name = "read straight from the socket: {0}")
    @ValueSource(booleans = {false, true})
    void tcpSendsAreScheduledSentAndAcknowledgedInOrder(boolean straight) throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_TIMESTAMPING is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, 1);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, flags(true));
            Map<Integer, Map<TxTimestamp.Point, Long>> byId = new HashMap<>();
            for (int k = 0; k < 100; k++) {
                // one byte a send, each acknowledged before the next: TCP numbers bytes, so send k is id k
                assertEquals(1, Posix.send(p.a, new byte[] {(byte) k}, 0, 1, 0));
                int id = k;
                collect(p.a, byId, () -> byId.containsKey(id) && byId.get(id).size() == 3, straight);
            }
            for (int k = 0; k < 100; k++) {
                Map<TxTimestamp.Point, Long> t = byId.get(k);
                assertNotNull(t, "send " + k + " was timestamped");
                assertEquals(3, t.size(), "send " + k + ": " + t);
                long sched = t.get(TxTimestamp.Point.SCHEDULED);
                long sent = t.get(TxTimestamp.Point.SENT);
                long acked = t.get(TxTimestamp.Point.ACKNOWLEDGED);
                assertTrue(sched <= sent && sent <= acked, "send " + k + ": scheduled <= sent <= acknowledged: " + t);
                assertTrue(sched > 1_600_000_000_000_000_000L, "a real-time clock reading: " + sched);
            }
            Posix.shutdown(p.a, Posix.SHUT_WR);
            assertEquals(100, SocketIo.drain(p.b, null, 2_000, 1_000), "every byte arrived");
        }
    }

    @ParameterizedTest(name = "read straight from the socket: {0}")
    @ValueSource(booleans = {false, true})
    void udpDatagramsAreScheduledAndSent(boolean straight) throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_TIMESTAMPING is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, flags(false));
            for (int k = 0; k < 100; k++) {
                Posix.send(p.a, new byte[] {(byte) k}, 0, 1, 0);
            }
            Map<Integer, Map<TxTimestamp.Point, Long>> byId = new HashMap<>();
            collect(p.a, byId, () -> byId.size() == 100 && byId.values().stream().allMatch(t -> t.size() == 2),
                    straight);
            for (int k = 0; k < 100; k++) {
                Map<TxTimestamp.Point, Long> t = byId.get(k);
                assertNotNull(t, "datagram " + k + " was timestamped");
                assertEquals(2, t.size(), "datagram " + k + ": " + t);
                assertTrue(t.get(TxTimestamp.Point.SCHEDULED) <= t.get(TxTimestamp.Point.SENT), t.toString());
            }
        }
    }

    @Test
    void aPerCallControlMessageTimestampsThatSendAlone() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_TIMESTAMPING is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            // reporting and numbering on the socket, but no send is timestamped unless its call asks
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, Posix.SOF_TIMESTAMPING_SOFTWARE
                    | Posix.SOF_TIMESTAMPING_OPT_ID | Posix.SOF_TIMESTAMPING_OPT_TSONLY);
            Posix.send(p.a, new byte[] {1}, 0, 1, 0);
            try (Message m = Message.of(ByteBuffer.allocateDirect(1))
                    .addControl(ControlMessage.timestamping(Posix.SOF_TIMESTAMPING_TX_SOFTWARE))) {
                Posix.sendmsg(p.a, m, 0);
            }
            Map<Integer, Map<TxTimestamp.Point, Long>> byId = new HashMap<>();
            collect(p.a, byId, () -> !byId.isEmpty(), false);
            // ids count the sends that asked for a timestamp: the one timestamped send is id 0
            assertEquals(java.util.Set.of(0), byId.keySet(), "only the second datagram was timestamped");
            assertEquals(java.util.Set.of(TxTimestamp.Point.SENT), byId.get(0).keySet());
            try (Message m = new Message(512).add(ByteBuffer.allocateDirect(8))) {
                assertEquals(-Errno.EAGAIN.number(), Posix.tryRecvmsg(p.a, m, ERRQUEUE), "nothing more queued");
            }
        }
    }

    /** {@code CLOCK_REALTIME} a second ago, in nanoseconds: the start of the window a received time must lie in. */
    private static long aSecondAgo() {
        return System.currentTimeMillis() * 1_000_000L - 1_000_000_000L;
    }

    /**
     * Each {@code SCM_TSTAMP_*} value a kernel reports names its own point, and a value posix-send does not name (a
     * later kernel's, such as {@code SCM_TSTAMP_COMPLETION}, 3) is {@code OTHER}, never taken for another point.
     */
    @Test
    void aPointNotNamedIsOther() {
        assumeTrue(Os.current() == Os.LINUX, "SO_TIMESTAMPING is Linux's");
        assertEquals(TxTimestamp.Point.SCHEDULED, ErrorQueueEntry.point(Posix.SCM_TSTAMP_SCHED));
        assertEquals(TxTimestamp.Point.SENT, ErrorQueueEntry.point(Posix.SCM_TSTAMP_SND));
        assertEquals(TxTimestamp.Point.ACKNOWLEDGED, ErrorQueueEntry.point(Posix.SCM_TSTAMP_ACK));
        assertEquals(TxTimestamp.Point.OTHER, ErrorQueueEntry.point(3));
        assertEquals(TxTimestamp.Point.OTHER, ErrorQueueEntry.point(-1));
    }

    /** A received time lies after {@code before} and less than a minute after it. */
    private static void assertAboutNow(long before, long t, String what) {
        assertTrue(t > before && t < before + 60_000_000_000L, what + " about now: " + t);
    }

    @Test
    void receivedDatagramsCarryTheirTime() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SCM_TIMESTAMPNS is Linux's");
        try (Descriptors fds = new Descriptors(); Message in = new Message(128).add(ByteBuffer.allocateDirect(8))) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPNS, 1);
            long before = aSecondAgo();
            Posix.send(p.a, new byte[] {5}, 0, 1, 0);
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            ControlMessage c = in.receivedControl().get(0);
            assertEquals(ControlMessage.Kind.TIMESTAMPNS, c.kind());
            long t = c.timestamps()[0];
            assertAboutNow(before, t, "the time");
            assertEquals("TIMESTAMPNS(" + java.time.Instant.ofEpochSecond(t / 1_000_000_000L, t % 1_000_000_000L) + ")",
                    c.toString(), "its time, not its bytes");
            assertThrows(IllegalStateException.class, c::value, "received times are no single value");
            // the same time read in place, and the accessor's refusals
            assertEquals(t, in.receivedNanos(ControlMessage.Kind.TIMESTAMPNS, 0));
            assertEquals(-1, in.receivedNanos(ControlMessage.Kind.TIMESTAMPING, 0), "no SCM_TIMESTAMPING came");
            assertThrows(IllegalArgumentException.class, () -> in.receivedNanos(ControlMessage.Kind.TIMESTAMPNS, 1));
            assertThrows(IllegalArgumentException.class, () -> in.receivedNanos(ControlMessage.Kind.TIMESTAMPING, 3));
            assertThrows(IllegalArgumentException.class, () -> in.receivedNanos(ControlMessage.Kind.TIMESTAMPNS, -1));
            assertThrows(IllegalArgumentException.class, () -> in.receivedNanos(ControlMessage.Kind.IP_TTL, 0));
            assertThrows(NullPointerException.class, () -> in.receivedNanos(null, 0));
            assertThrows(IllegalArgumentException.class, () -> in.receivedValue(ControlMessage.Kind.TIMESTAMPNS));
            // a receive without the time leaves none behind
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPNS, 0);
            Posix.send(p.a, new byte[] {6}, 0, 1, 0);
            in.buffer(0).clear();
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertEquals(-1, in.receivedNanos(ControlMessage.Kind.TIMESTAMPNS, 0));
        }
    }

    @Test
    void receivedDatagramsCarryTheirSoftwareTimestamping() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_TIMESTAMPING is Linux's");
        try (Descriptors fds = new Descriptors(); Message in = new Message(128).add(ByteBuffer.allocateDirect(8))) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING,
                    Posix.SOF_TIMESTAMPING_RX_SOFTWARE | Posix.SOF_TIMESTAMPING_SOFTWARE);
            SocketIo.awaitControl(p.a, p.b, ControlMessage.Kind.TIMESTAMPING);
            long before = aSecondAgo();
            Posix.send(p.a, new byte[] {6}, 0, 1, 0);
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertEquals(1, in.receivedControl().size(), in.receivedControl().toString());
            ControlMessage c = in.receivedControl().get(0);
            assertEquals(ControlMessage.Kind.TIMESTAMPING, c.kind());
            long[] t = c.timestamps();
            assertEquals(3, t.length);
            assertAboutNow(before, t[0], "software time");
            assertEquals(0, t[2], "no hardware time on loopback");
            java.time.Instant software = java.time.Instant.ofEpochSecond(t[0] / 1_000_000_000L, t[0] % 1_000_000_000L);
            assertEquals("TIMESTAMPING(" + software + ", 0, 0)", c.toString(), "its times, not its bytes");
            assertEquals("TIMESTAMPING(" + Posix.SOF_TIMESTAMPING_TX_SOFTWARE + ")",
                    ControlMessage.timestamping(Posix.SOF_TIMESTAMPING_TX_SOFTWARE).toString(), "one to send: flags");
            for (int i = 0; i < 3; i++) {
                assertEquals(t[i], in.receivedNanos(ControlMessage.Kind.TIMESTAMPING, i), "time " + i + " in place");
            }
            assertEquals(-1, in.receivedNanos(ControlMessage.Kind.TIMESTAMPNS, 0), "no SCM_TIMESTAMPNS came");
            assertThrows(IllegalStateException.class, c::value, "received times are no single value");
            assertEquals(Posix.SOF_TIMESTAMPING_TX_SOFTWARE,
                    ControlMessage.timestamping(Posix.SOF_TIMESTAMPING_TX_SOFTWARE).value(), "sent, the flags are");
        }
    }

    /** A receive batch gives each datagram its own time, and asking again resets what the last call found. */
    @Test
    void aReceiveBatchCarriesEachDatagramsTime() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SCM_TIMESTAMPNS is Linux's");
        int n = 4;
        Message[] in = new Message[n];
        try (Descriptors fds = new Descriptors(); MessageBatch batch = new MessageBatch(n)) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPNS, 1);
            for (int i = 0; i < n; i++) {
                in[i] = new Message(64).add(ByteBuffer.allocateDirect(8));
                batch.add(in[i]);
            }
            for (int round = 0; round < 2; round++) {
                long before = aSecondAgo();
                for (int i = 0; i < n; i++) {
                    Posix.send(p.a, new byte[] {(byte) i}, 0, 1, 0);
                }
                for (Message m : in) {
                    m.buffer(0).clear();
                }
                assertEquals(n, Posix.recvmmsg(p.b, batch, MsgFlag.MSG_DONTWAIT.value()));
                for (int i = 0; i < n; i++) {
                    assertEquals(1, in[i].receivedControl().size(), "message " + i + ", round " + round);
                    ControlMessage c = in[i].receivedControl().get(0);
                    assertEquals(ControlMessage.Kind.TIMESTAMPNS, c.kind());
                    long t = c.timestamps()[0];
                    assertAboutNow(before, t, "message " + i);
                    assertEquals(t, in[i].receivedNanos(ControlMessage.Kind.TIMESTAMPNS, 0), "message " + i);
                    assertEquals(i, in[i].buffer(0).get(0), "datagram " + i + " in its own message");
                }
            }
        } finally {
            for (Message m : in) {
                if (m != null) {
                    m.close();
                }
            }
        }
    }

    /**
     * A receive loop that reads each datagram's time in place allocates nothing beyond the downcalls' budget, with
     * {@code SO_TIMESTAMPNS} and with {@code SO_TIMESTAMP}.
     */
    @ParameterizedTest(name = "microseconds={0}")
    @ValueSource(booleans = {false, true})
    void aReceiveLoopReadsItsTimesWithoutAllocating(boolean microseconds) throws Exception {
        assumeTrue(microseconds || Os.current() == Os.LINUX, "SCM_TIMESTAMPNS is Linux's");
        ControlMessage.Kind kind = microseconds ? ControlMessage.Kind.TIMESTAMP : ControlMessage.Kind.TIMESTAMPNS;
        SteadyAllocation.assumeMeasurable();
        int n = 8;
        Message[] in = new Message[n];
        try (Descriptors fds = new Descriptors(); MessageBatch batch = new MessageBatch(n)) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, microseconds ? Posix.SO_TIMESTAMP : Posix.SO_TIMESTAMPNS, 1);
            // until Linux's deferred switch-on of receive times has run, datagrams are given the time of the receive,
            // later than those of datagrams stamped at arrival after it in the same batch
            SocketIo.awaitArrivalTimes(p.a, p.b, kind);
            // the receive waits for all eight, each wait bounded (loopback delivery can trail the sends)
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, java.time.Duration.ofSeconds(2));
            for (int i = 0; i < n; i++) {
                in[i] = new Message(64).add(ByteBuffer.allocateDirect(8));
                batch.add(in[i]);
            }
            ByteBuffer out = ByteBuffer.allocateDirect(1);
            long[] calls = {0};
            SteadyAllocation.Round round = () -> {
                calls[0] = 0;
                long failures = 0;
                for (int r = 0; r < 100; r++) {
                    for (int i = 0; i < n; i++) {
                        calls[0]++;
                        Posix.trySend(p.a, out.clear(), 0);
                        in[i].buffer(0).clear();
                    }
                    calls[0]++;
                    int got = Posix.tryRecvmmsg(p.b, batch, 0);
                    if (got != n) {
                        failures++;
                        continue;
                    }
                    for (int i = 1; i < n; i++) {
                        long t0 = in[i - 1].receivedNanos(kind, 0);
                        if (t0 <= 0 || in[i].receivedNanos(kind, 0) < t0) {
                            failures++;
                        }
                    }
                }
                return failures;
            };
            for (int warm = 0; warm < 10; warm++) {
                assertEquals(0, round.run(), "warm-up rounds all go right");
            }
            MessageAllocationTest.assertWithinBudget(SteadyAllocation.leastBeyond("100 batches of 8",
                    () -> AllocationBudget.forDowncalls(calls[0]), round),
                    "800 datagrams received with recvmmsg and each one's receive time read");
        } finally {
            for (Message m : in) {
                if (m != null) {
                    m.close();
                }
            }
        }
    }
}

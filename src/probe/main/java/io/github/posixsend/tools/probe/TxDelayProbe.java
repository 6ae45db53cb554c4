// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrorQueueEntry;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import io.github.posixsend.TxTimestamp;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.concurrent.locks.LockSupport;

/**
 * Claim 21 (Linux): send returns before its data is acknowledged. Whether it also returns before the data leaves the
 * host depends on the device, and on loopback it mostly does not: the device transmits inside the call, so the
 * driver's timestamp is reported as a finding, the share of sends whose data left while the call ran, and does not
 * decide. Small TCP sends on
 * loopback carry software transmit timestamps ({@code SO_TIMESTAMPING} with {@code TX_SOFTWARE}, {@code TX_ACK},
 * {@code OPT_ID}, {@code OPT_TSONLY}); each timestamp is compared with {@code CLOCK_REALTIME} read just before the
 * call and just after it returned ({@link Instant#now()}, the clock the kernel's software timestamps use). The delay
 * from the return to the acknowledgement decides: a send that waited until its data was on its way would return
 * after it was acknowledged. One delayed ACK covers the sends of tens of milliseconds, whose delays then move together,
 * so the median's interval resamples acknowledgements, not sends ({@link #byAcknowledgement}).
 *
 * <p>The first sends of each connection are not timed, and not only to warm up: a receiver acknowledges a new
 * connection's first segments at once (quick-ACK, Linux's first 16), and on loopback that ACK reaches the sender while
 * its call still holds the socket, so it is processed before {@code send} returns. Those sends are acknowledged before
 * the call returns without the call having waited for it; the timed sends are the ones whose acknowledgement the
 * receiver delays, as it does for most of a connection's life. How many of the untimed ones were acknowledged before
 * their call returned is reported beside the verdict, so that the exception is seen rather than hidden.
 */
final class TxDelayProbe extends BaseProbe {
    private static final int SIZE = 64;
    /** A pause between sends, so that each is a segment of its own and its timestamps are its own. */
    private static final long GAP_NANOS = 200_000;
    /** How long the acknowledgements of the last sends may take (a delayed ACK waits up to 200 ms). */
    private static final long SETTLE_NANOS = 1_000_000_000L;
    /**
     * 1 us either side of 0: the reading after the call comes a few hundred nanoseconds after the return (the way back
     * from the kernel, then Instant.now itself), so a delay within a microsecond of it cannot be told from that lag.
     */
    static final Rule RULE = Rule.aboveBy("median delay from send's return to its acknowledgement (us)", 0, 1);
    /**
     * Acknowledgement timestamps closer than this to the one before belong to one acknowledgement: the kernel stamps
     * each segment an ACK covers as it frees it, microseconds apart, while sends are {@link #GAP_NANOS} apart.
     */
    static final long ONE_ACK_NANOS = 50_000;
    /**
     * The fewest sends left untimed at the start of each connection, whatever the bounds' warm-up: Linux acknowledges
     * up to 16 segments of a new connection at once (quick-ACK), and a few more make room for a first delayed ACK.
     */
    static final int QUICK_ACK_UNTIMED = 24;

    TxDelayProbe() {
        super(21, "tx-delay", "send returns before its data is acked",
                "send returns once the kernel has the data, without waiting for the peer: the acknowledgement of "
                        + "its data comes after the call returned.", RULE.text());
    }

    /** CLOCK_REALTIME in nanoseconds since the epoch, as Java reads it (microseconds or better on Linux). */
    private static long realtimeNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** The delays of one round's timed sends; the arrays are sized for every send and filled by id. */
    private static final class Round {
        final long[] before;
        final long[] after;
        final long[] sent;
        final long[] acked;

        Round(int n) {
            before = new long[n];
            after = new long[n];
            sent = new long[n];
            acked = new long[n];
        }
    }

    /** Reads every waiting timestamp into the round, by the send its id names; returns how many it read. */
    private static int collect(int fd, ErrorQueueEntry e, Round r) {
        int read = 0;
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        while (read < 4 * r.sent.length) {
            if (e.tryReadFrom(fd, dontwait) < 0) {
                break;
            }
            read++;
            if (!e.isValid() || !e.isTimestamp()) {
                continue;
            }
            // TCP numbers bytes from 0: send k's id is the offset of its last byte
            int k = (e.data() + 1) / SIZE - 1;
            if (k < 0 || k >= r.sent.length) {
                continue;
            }
            if (e.timestampPoint() == TxTimestamp.Point.SENT) {
                r.sent[k] = e.softwareNanos();
            } else if (e.timestampPoint() == TxTimestamp.Point.ACKNOWLEDGED) {
                r.acked[k] = e.softwareNanos();
            }
        }
        return read;
    }

    /** The sends not timed at the start of each connection: the warm-up, and at least the quick-ACKed ones. */
    static int untimed(Bounds b) {
        return Math.max(b.warmup, QUICK_ACK_UNTIMED);
    }

    private static Round round(ProbeContext ctx) throws Exception {
        Bounds b = ctx.bounds();
        int total = untimed(b) + b.repetitions;
        Round r = new Round(total);
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            Posix.setsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, true);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, Posix.SOF_TIMESTAMPING_TX_SOFTWARE
                    | Posix.SOF_TIMESTAMPING_TX_ACK | Posix.SOF_TIMESTAMPING_SOFTWARE
                    | Posix.SOF_TIMESTAMPING_OPT_ID | Posix.SOF_TIMESTAMPING_OPT_TSONLY);
            ErrorQueueEntry e = new ErrorQueueEntry();
            ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);
            for (int k = 0; k < total; k++) {
                ctx.checkDeadline("timestamped sends");
                buf.clear();
                r.before[k] = realtimeNanos();
                int n = Posix.send(p.a, buf, 0);
                r.after[k] = realtimeNanos();
                if (n != SIZE) {
                    throw new IllegalStateException("a blocking send of " + SIZE + " bytes sent " + n);
                }
                collect(p.a, e, r);
                LockSupport.parkNanos(GAP_NANOS);
            }
            long until = System.nanoTime() + Math.min(SETTLE_NANOS, ctx.remainingMillis() * 500_000L);
            while (r.acked[total - 1] == 0 && System.nanoTime() - until < 0) {
                if (collect(p.a, e, r) == 0) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
            collect(p.a, e, r);
        }
        return r;
    }

    /** The delays {@code at[k] - after[k]} of the timed sends that got that timestamp. */
    private static long[] delays(long[] at, long[] after, int from) {
        return delays(at, after, from, at.length);
    }

    /** The delays {@code at[k] - after[k]} of the sends {@code from} to {@code to} (exclusive) that got that stamp. */
    private static long[] delays(long[] at, long[] after, int from, int to) {
        long[] out = new long[to - from];
        int n = 0;
        for (int k = from; k < to; k++) {
            if (at[k] != 0) {
                out[n++] = at[k] - after[k];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static int count(long[] delays, boolean positive) {
        int n = 0;
        for (long v : delays) {
            n += (positive ? v > 0 : v <= 0) ? 1 : 0;
        }
        return n;
    }

    /**
     * Adds each timed send's delay from its return to its acknowledgement to {@code delays}, and to {@code acks} the
     * number of the acknowledgement that covered it, counted from {@code firstAck} in the order they came (stamps
     * within {@link #ONE_ACK_NANOS} of the one before are one acknowledgement). The delays of the sends one
     * acknowledgement covered move together, so that acknowledgement is the sample the interval rests on, not each
     * send. Returns the next acknowledgement's number.
     */
    static int byAcknowledgement(long[] acked, long[] after, int from, int firstAck, Samples delays, Samples acks) {
        Integer[] order = new Integer[acked.length - from];
        int n = 0;
        for (int k = from; k < acked.length; k++) {
            if (acked[k] != 0) {
                order[n++] = k;
            }
        }
        Integer[] sends = Arrays.copyOf(order, n);
        Arrays.sort(sends, (x, y) -> Long.compare(acked[x], acked[y]));
        int ack = firstAck - 1;
        long last = 0;
        for (int i = 0; i < sends.length; i++) {
            int k = sends[i];
            if (i == 0 || acked[k] - last > ONE_ACK_NANOS) {
                ack++;
            }
            last = acked[k];
            delays.add(acked[k] - after[k]);
            acks.add(ack);
        }
        return ack + 1;
    }

    /** Timestamps taken while the call ran: between the reading before it and the one after it returned. */
    private static int insideCall(Round r, int from) {
        int n = 0;
        for (int k = from; k < r.sent.length; k++) {
            n += r.sent[k] != 0 && r.sent[k] >= r.before[k] && r.sent[k] <= r.after[k] ? 1 : 0;
        }
        return n;
    }

    private static int[] ints(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Outcome elsewhere = notLinuxWith(Posix.SO_TIMESTAMPING);
        if (elsewhere != null) {
            return elsewhere;
        }
        int from = untimed(ctx.bounds());
        Samples sent = new Samples(256);
        Samples acked = new Samples(256);
        Samples acks = new Samples(256);
        int nextAck = 0;
        int inside = 0;
        int untimedAcked = 0;
        int untimedAckedBefore = 0;
        int done = 0;
        java.util.List<Double> perRound = new java.util.ArrayList<>();
        while (true) {
            long t0 = System.nanoTime();
            Round r = round(ctx);
            for (long v : delays(r.sent, r.after, from)) {
                sent.add(v);
            }
            int ackFrom = acked.count();
            nextAck = byAcknowledgement(r.acked, r.after, from, nextAck, acked, acks);
            if (acked.count() > ackFrom) {
                perRound.add(Estimate.medianOf(acked.since(ackFrom)) / 1e3);
            }
            inside += insideCall(r, from);
            long[] untimed = delays(r.acked, r.after, 0, from);
            untimedAcked += untimed.length;
            untimedAckedBefore += count(untimed, false);
            done++;
            if (acked.count() == 0) {
                throw new IllegalStateException("no send was acknowledged with a timestamp within "
                        + SETTLE_NANOS / 1_000_000 + " ms");
            }
            // every round: a connection's delays fall in one of two regimes (about 17 or 41 ms here), and a look
            // after two rounds of one regime stopped there, so the figure followed the first connections' regime
            if (!Rule.everyRound(ctx, done, System.nanoTime() - t0)) {
                break;
            }
        }
        Estimate.Interval ack = Estimate.acrossRounds(Estimate.medianOfClustersAt(acked.toArray(),
                ints(acks.toArray()), Estimate.LEVEL)[0].scaled(1e-3), perRound);
        Rule.Decision d = Rule.finish(RULE.decide(ack), done);
        long[] s = sent.toArray();
        long[] a = acked.toArray();
        int timed = done * ctx.bounds().repetitions;
        Stats ss = sent.count() == 0 ? null : sent.stats();
        Stats as = acked.stats();
        Outcome o = Outcome.of(d,
                "acked " + Stats.duration(as.median) + " after return (median), " + count(a, true) + "/" + a.length
                        + " after it (of the untimed first sends, " + untimedAckedBefore + "/" + untimedAcked
                        + " acked before it); data left inside the call " + inside + "/" + s.length,
                "TCP sends of " + SIZE + " bytes on loopback (TCP_NODELAY, " + GAP_NANOS / 1000 + " us apart, "
                        + done + " round(s) of " + ctx.bounds().repetitions + " timed sends), each compared with "
                        + "CLOCK_REALTIME read just after send returned (Instant.now(), the clock of the kernel's "
                        + "software timestamps). Driver handoff (SCM_TSTAMP_SND) minus return: "
                        + (ss == null ? "none" : ss.toString()) + ". Finding: " + inside + " of " + s.length
                        + " driver timestamps were taken while the call ran, so on this device "
                        + (s.length > 0 && inside * 2 > s.length ? "the data of a send that goes out at once "
                        + "mostly leaves inside the call (loopback transmits in the caller's context): send returns "
                        + "before its data leaves only when the data waits in the socket, and the claim rests on the "
                        + "acknowledgement. " : "the data mostly leaves after send returned. ")
                        + "Acknowledgement (SCM_TSTAMP_ACK) minus return: " + as + ", from " + nextAck
                        + " acknowledgements (the verdict's interval resamples them, not the sends: the sends one "
                        + "acknowledgement covered move together, and it is widened to each round's own median, "
                        + "from " + Stats.duration((long) (Collections.min(perRound) * 1e3)) + " to "
                        + Stats.duration((long) (Collections.max(perRound) * 1e3)) + ": a connection's delays fall in "
                        + "one of a few regimes); " + count(a, false)
                        + " acknowledged before send returned (an ACK processed when the call released the socket). "
                        + a.length + " of " + timed + " timed sends had an acknowledgement timestamp of their own, "
                        + s.length + " a driver one: the peer delays its ACKs, so once the congestion window is "
                        + "full later sends wait in the socket, TCP joins them into one segment, and they share the "
                        + "timestamps of the last of them (each returned before its data left). The "
                        + from + " untimed sends that begin each connection: " + untimedAckedBefore
                        + " of the " + untimedAcked + " with an acknowledgement timestamp were acknowledged before "
                        + "send returned (" + (untimedAckedBefore > 0 ? "the receiver acknowledges a new connection's "
                        + "first segments at once, quick-ACK, and on loopback the ACK is processed when the call "
                        + "releases the socket: acknowledged inside the call, though the call did not wait for it)"
                        : "none inside the call") + ".")
                .measure(Measurement.of("ack_after_return_us", ack, "us"));
        if (s.length > 0) {
            o.measure(Measurement.of("sent_after_return_us", Estimate.median(s).scaled(1e-3), "us"));
        }
        return o.reading("acked_after_return", count(a, true), "sends")
                .reading("acked_before_return", count(a, false), "sends")
                .reading("untimed_acked_before_return", untimedAckedBefore, "sends")
                .reading("untimed_ack_stamped", untimedAcked, "sends")
                .reading("sent_inside_call", inside, "sends")
                .reading("ack_stamped", a.length, "sends")
                .reading("acknowledgements", nextAck, "acknowledgements")
                .reading("sent_stamped", s.length, "sends")
                .reading("timed_sends", timed, "sends")
                .reading("rounds", done, "rounds");
    }
}

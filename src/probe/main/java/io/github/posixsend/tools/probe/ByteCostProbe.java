// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.ErrnoException;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Locale;

/**
 * Claim 16: the cost per byte of TCP against UDP when each call carries as much as the protocol allows. Each
 * send call is timed together with the receiver's reads that empty its queue right after it: TCP sends on loopback
 * what its window allows within the call and the rest when the receiver's reads return acknowledgements, so a timed
 * send alone would leave part of TCP's delivery (and none of UDP's) outside the timing. Neither protocol ever waits
 * for a reader or drops for lack of one. TCP calls offer 1 MiB on a non-blocking socket and count what was taken;
 * UDP calls carry 65507-byte datagrams. Each round makes {@value #TCP_CALLS} timed TCP calls on each of
 * {@value #TCP_CONNECTIONS} fresh connections, after {@value #TCP_WARMUP} untimed ones on each, and the bounds' volume
 * of UDP datagrams. Rounds of both alternate, so a change in the machine's load hits both alike, as many as the bounds
 * and the deadline allow. TCP's cost is a property of the connection more than of the call (see {@link #TCP_WARMUP}),
 * so the connection is the sample: the interval is widened to cover each connection's own ratio (its median against
 * its round's UDP median), it rests on as many samples as there were connections, and no round is skipped (a look
 * after two rounds settled on six connections of one regime).
 *
 * <p>The verdict compares medians of each call's time per KiB. A ratio of totals (all the time over all the bytes)
 * is the cost per byte by definition, but on a shared machine one call in a round may be preempted for several
 * milliseconds, more than the other calls' time together, so totals follow the machine's other load: in runs on two
 * busy CPUs their interval spanned 0.1 to 2 while the medians' stayed within 0.22 to 0.3. The overall ratio is
 * reported beside the verdict, and the details say when the rule would call it otherwise.
 */
final class ByteCostProbe extends BaseProbe {
    private static final int TCP_CALL = 1 << 20;
    private static final int UDP_CALL = DatagramSizeProbe.MAX_V4;
    /**
     * Timed TCP calls per connection, enough for a connection's own median (with 8 calls in a round, from one
     * connection, its median was the 4th and 5th call, and the verdict flipped between runs), at about 0.3 ms a call.
     */
    static final int TCP_CALLS = 16;
    /**
     * Fresh TCP connections per round: a run whose few connections all landed in one regime (below) gave an interval
     * that excluded the other regime's ratio, as if its calls were independent samples.
     */
    static final int TCP_CONNECTIONS = 3;
    /**
     * Untimed TCP calls first on each connection. A loopback TCP connection runs in one of two regimes, cheap (about
     * 125 ns/KiB on a 2-core machine) or dear (about 265), and moves from the first to the second at a point that
     * varies by connection: a C program making the same calls saw 4 of 8 connections switch within 256 calls of
     * 1 MiB and 4 not at all. So a round's TCP median is either regime's, the ratio came out about 0.45 or about 0.92
     * in different runs of this probe, and with it the verdict (HOLDS or INCONCLUSIVE); a run whose rounds met both
     * shows it as an interval widened across them. The warm-up calls only skip a new connection's first moments.
     */
    static final int TCP_WARMUP = 32;
    /**
     * A margin of 1.5 either way: on a shared machine TCP's cost per byte moves by up to several times between
     * runs (UDP's hardly), so a narrower band would let the verdict follow the machine, not the protocols.
     */
    static final Rule RULE = Rule.below("median UDP ns/KiB / median TCP ns/KiB", 1.0, 1.5);

    ByteCostProbe() {
        super(16, "byte-cost", "UDP costs less per byte than TCP",
                "Per byte, UDP costs less than TCP when each call carries as much as the protocol allows (the "
                        + "common belief: no connection state, no acknowledgements).", RULE.text());
    }

    /** Each timed call's nanoseconds and bytes, and its time per KiB. */
    private static final class Cost {
        final Samples nanos = new Samples(256);
        final Samples bytes = new Samples(256);
        final Samples perKib = new Samples(256);

        long totalBytes() {
            return sum(bytes.toArray());
        }
    }

    static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += x;
        }
        return s;
    }

    /** Makes {@code warm} untimed and then {@code timed} timed calls that take bytes, on a fresh pair. */
    private static void push(ProbeContext ctx, boolean tcp, int warm, int timed, Cost c) throws Exception {
        int call = tcp ? TCP_CALL : UDP_CALL;
        // a call that takes nothing (EAGAIN) is not counted: bounded all the same
        int maxCalls = 4 * (warm + timed) + 16;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = tcp ? d.tcpPair() : d.udpPair(false);
            Posix.setBlocking(p.a, false);
            ByteBuffer out = ByteBuffer.allocateDirect(call);
            ByteBuffer sink = ByteBuffer.allocateDirect(256 * 1024);
            int took = 0;
            for (int calls = 0; took < warm + timed && calls < maxCalls; calls++) {
                ctx.checkDeadline("pushing the volume");
                out.clear();
                long t0 = System.nanoTime();
                int n = Posix.trySend(p.a, out, 0);
                if (n < 0 && -n != Errno.EAGAIN.number()) {
                    throw ErrnoException.of("send", -n);
                }
                emptyQueue(ctx, p.b, sink);
                long t = System.nanoTime() - t0;
                if (n > 0) {
                    if (took >= warm) {
                        c.nanos.add(t);
                        c.bytes.add(n);
                        c.perKib.add(t * 1024 / n);
                    }
                    took++;
                }
            }
        }
    }

    /**
     * Reads {@code fd} until nothing is waiting, with the non-throwing receive (this is inside the timing), at most
     * as many reads as a full buffer of the largest datagrams could need.
     */
    private static void emptyQueue(ProbeContext ctx, int fd, ByteBuffer sink) throws Exception {
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        for (int reads = 0; reads < 4096 && !ctx.expired(); reads++) {
            sink.clear();
            int n = Posix.tryRecv(fd, sink, dontwait);
            if (n == 0 || n == -Errno.EAGAIN.number()) {
                return;
            }
            if (n < 0) {
                throw ErrnoException.of("recv", -n);
            }
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        int udpCalls = (int) Math.max(8, ctx.bounds().volumeBytes / ctx.bounds().maxRounds / UDP_CALL);
        Cost tcp = new Cost();
        Cost udp = new Cost();
        int done = 0;
        java.util.List<Double> perConnection = new java.util.ArrayList<>();
        java.util.List<Double> tcpPerConnection = new java.util.ArrayList<>();
        java.util.List<Double> udpPerRound = new java.util.ArrayList<>();
        java.util.List<Double> perRoundOverall = new java.util.ArrayList<>();
        while (true) {
            long t0 = System.nanoTime();
            int tcpFrom = tcp.perKib.count();
            int udpFrom = udp.perKib.count();
            java.util.List<long[]> connections = new java.util.ArrayList<>();
            // the arms take turns going first, so that a drift within rounds does not favour one of them every time
            boolean tcpFirst = done % 2 == 0;
            for (int arm = 0; arm < 2; arm++) {
                if (tcpFirst == (arm == 0)) {
                    for (int c = 0; c < TCP_CONNECTIONS; c++) {
                        int before = tcp.perKib.count();
                        push(ctx, true, TCP_WARMUP, TCP_CALLS, tcp);
                        connections.add(tcp.perKib.since(before));
                    }
                } else {
                    push(ctx, false, udpCalls / 8, udpCalls, udp);
                }
            }
            done++;
            if (tcp.perKib.count() == tcpFrom || udp.perKib.count() == udpFrom) {
                throw new IllegalStateException("no timed send went through");
            }
            long[] udpRound = udp.perKib.since(udpFrom);
            for (long[] connection : connections) {
                if (connection.length > 0) {
                    perConnection.add(Estimate.ratio(udpRound, connection));
                    tcpPerConnection.add(Estimate.medianOf(connection));
                }
            }
            udpPerRound.add(Estimate.medianOf(udpRound));
            perRoundOverall.add(Estimate.rate(udp.nanos.since(udpFrom), udp.bytes.since(udpFrom))
                    / Estimate.rate(tcp.nanos.since(tcpFrom), tcp.bytes.since(tcpFrom)));
            if (!Rule.everyRound(ctx, done, System.nanoTime() - t0)) {
                break;
            }
        }
        // the connection is the sample: the verdict rests on as many as there were
        Estimate.Interval ratio = Estimate.acrossRounds(Estimate.ratioOfMedians(udp.perKib.toArray(),
                tcp.perKib.toArray()), perConnection).withSamples(perConnection.size());
        Rule.Decision d = Rule.finish(RULE.decide(ratio), done);
        Estimate.Interval overall = Estimate.acrossRounds(Estimate.ratioOfTotalsAt(udp.nanos.toArray(),
                udp.bytes.toArray(), tcp.nanos.toArray(), tcp.bytes.toArray(), Estimate.LEVEL)[0], perRoundOverall);
        Verdict byTotals = RULE.decide(overall).verdict;
        double tcpOverall = Estimate.rate(tcp.nanos.toArray(), tcp.bytes.toArray()) * 1024;
        double udpOverall = Estimate.rate(udp.nanos.toArray(), udp.bytes.toArray()) * 1024;
        // each side's median as widely as its own unit varies: TCP's by connection, UDP's by round
        Estimate.Interval t = Estimate.acrossRounds(Estimate.median(tcp.perKib.toArray()), tcpPerConnection)
                .withSamples(tcpPerConnection.size());
        Estimate.Interval u = Estimate.acrossRounds(Estimate.median(udp.perKib.toArray()), udpPerRound);
        return Outcome.of(d,
                String.format(Locale.ROOT, "TCP %.0f ns/KiB, UDP %.0f ns/KiB (medians per call); UDP/TCP %s "
                                + "[%s, %s]; overall %s", t.value, u.value, Rule.num(ratio.value),
                        Rule.num(ratio.low), Rule.num(ratio.high), Rule.num(overall.value)),
                String.format(Locale.ROOT, "%d round(s) over loopback, the arms in turn, each send timed with the "
                                + "receiver's reads that empty its queue after it. TCP: %d timed calls offering %d "
                                + "bytes (%d on each of %d fresh connections a round, after %d untimed on each) took "
                                + "%.0f KiB each on average. UDP: %d datagrams of %d bytes (%d per round, after %d "
                                + "untimed). Verdict on the ratio of medians per call: 95%% bootstrap interval, "
                                + "widened to cover each connection's own ratio (from %s to %s). Overall, all the "
                                + "timed time over all the bytes: TCP %.0f ns/KiB, UDP %.0f ns/KiB, ratio %s [%s, %s] "
                                + "(bootstrap over calls, widened to cover each round's own)%s",
                        done, tcp.perKib.count(), TCP_CALL, TCP_CALLS, TCP_CONNECTIONS, TCP_WARMUP,
                        tcp.totalBytes() / 1024.0 / tcp.perKib.count(), udp.perKib.count(), UDP_CALL, udpCalls,
                        udpCalls / 8, Rule.num(Collections.min(perConnection)),
                        Rule.num(Collections.max(perConnection)), tcpOverall, udpOverall, Rule.num(overall.value),
                        Rule.num(overall.low), Rule.num(overall.high), byTotals == d.verdict ? "."
                                : ", which the rule would call " + byTotals + ", not " + d.verdict + ": the two "
                                + "disagree when a few calls take far longer than the rest (a preemption, or a pause "
                                + "of the probe's own JVM), which weighs on totals and not on medians."))
                .measure(Measurement.of("tcp_ns_per_kib", t, "ns/KiB"))
                .measure(Measurement.of("udp_ns_per_kib", u, "ns/KiB"))
                .measure(Measurement.of("udp_tcp_ratio", ratio, "ratio"))
                .measure(Measurement.of("udp_tcp_overall_ratio", overall, "ratio"))
                .reading("tcp_overall_ns_per_kib", tcpOverall, "ns/KiB")
                .reading("udp_overall_ns_per_kib", udpOverall, "ns/KiB")
                .reading("rounds", done, "rounds");
    }
}

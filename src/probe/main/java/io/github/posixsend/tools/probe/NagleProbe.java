// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Claim 17: Nagle's algorithm with delayed ACK stalls a write-write-read exchange: the second small write waits
 * for the ACK of the first, which the peer delays because it has nothing to send yet. Exchanges are timed with
 * and without TCP_NODELAY on the writer, after a warm-up that uses up Linux's quick-ACK start, in rounds on
 * fresh connections until both parts of the rule settle.
 */
final class NagleProbe extends BaseProbe {
    private static final int PIECE = 100;
    private static final int REPLY = 100;
    private static final int WARMUP = 10;
    /**
     * A stall is a median exchange of at least 10 ms: a delayed ACK on Linux waits 40 ms at least (TCP_DELACK_MIN)
     * and an exchange over loopback takes microseconds, so a quarter of the shortest stall lies far from both. Both
     * rules have a margin factor of 1: the two sides lie orders of magnitude apart, and a band would add nothing.
     */
    static final Rule STALL = Rule.above("median exchange without TCP_NODELAY in ms", 10, 1);
    /**
     * ... that is several times the exchange with TCP_NODELAY, so that a machine slow with both settings does not pass
     * for a stall: 5, where a stall gives thousands.
     */
    static final Rule FACTOR = Rule.above("median without / median with TCP_NODELAY", 5, 1);

    NagleProbe() {
        super(17, "nagle", "Nagle + delayed ACK stall write-write-read",
                "Nagle's algorithm with delayed ACK stalls a write-write-read exchange (tens of milliseconds on "
                        + "Linux); TCP_NODELAY removes the stall.", STALL.text() + "; and " + FACTOR.text());
    }

    private static void readFully(int fd, ByteBuffer buf, int len) throws Exception {
        buf.clear().limit(len);
        while (buf.hasRemaining()) {
            if (Posix.recv(fd, buf, 0) == 0) {
                throw new IllegalStateException("connection closed mid-exchange");
            }
        }
    }

    /** Times exchanges on a fresh connection into {@code into} (fewer when the deadline nears). */
    private static void exchanges(ProbeContext ctx, boolean nodelay, Samples into) throws Exception {
        int n = ctx.bounds().exchanges;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            Posix.setsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, nodelay);
            d.background("server", () -> {
                ByteBuffer req = ByteBuffer.allocateDirect(2 * PIECE);
                ByteBuffer rep = ByteBuffer.allocateDirect(REPLY);
                for (int i = 0; i < WARMUP + n; i++) {
                    readFully(p.b, req, 2 * PIECE);
                    rep.clear();
                    Posix.send(p.b, rep, 0);
                }
            });
            ByteBuffer piece = ByteBuffer.allocateDirect(PIECE);
            ByteBuffer reply = ByteBuffer.allocateDirect(REPLY);
            for (int i = 0; i < WARMUP + n; i++) {
                // Stop early, keeping time for the other setting and the clean-up.
                if (ctx.remainingMillis() < 400) {
                    break;
                }
                long t0 = System.nanoTime();
                piece.clear();
                Posix.send(p.a, piece, 0);
                piece.clear();
                Posix.send(p.a, piece, 0);
                readFully(p.a, reply, REPLY);
                long t = System.nanoTime() - t0;
                if (i >= WARMUP) {
                    into.add(t);
                }
            }
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Samples nagle = new Samples(64);
        Samples nodelay = new Samples(64);
        Rule.Decision d;
        Estimate.Interval stall;
        Estimate.Interval factor;
        int done = 0;
        java.util.List<Double> roundStall = new java.util.ArrayList<>();
        java.util.List<Double> roundFactor = new java.util.ArrayList<>();
        while (true) {
            long t0 = System.nanoTime();
            int aFrom = nagle.count();
            int bFrom = nodelay.count();
            // the arms take turns going first, so that a drift within rounds does not favour one of them every time
            exchanges(ctx, done % 2 != 0, done % 2 == 0 ? nagle : nodelay);
            exchanges(ctx, done % 2 == 0, done % 2 == 0 ? nodelay : nagle);
            done++;
            if (nagle.count() == aFrom || nodelay.count() == bFrom) {
                // each setting stops with 400 ms left, and an exchange without TCP_NODELAY stalls about 40 ms
                throw new ProbeContext.ProbeTimeoutException("no exchange finished with 400 ms of the deadline left: "
                        + "a deadline of " + ctx.bounds().deadlineMillis + " ms is too short for the warm-up "
                        + "exchanges, which stall about 40 ms each without TCP_NODELAY");
            }
            roundStall.add(Estimate.medianOf(nagle.since(aFrom)) / 1e6);
            roundFactor.add(Estimate.ratio(nagle.since(aFrom), nodelay.since(bFrom)));
            stall = Estimate.acrossRounds(Estimate.median(nagle.toArray()).scaled(1e-6), roundStall);
            Estimate.Interval[] both = Estimate.ratioOfMediansAt(nagle.toArray(), nodelay.toArray(), Estimate.LEVEL,
                    Estimate.EARLY_LEVEL);
            factor = Estimate.acrossRounds(both[0], roundFactor);
            d = Rule.all(STALL.decide(stall), FACTOR.decide(factor));
            Rule.Decision early = Rule.all(
                    STALL.decide(Estimate.acrossRounds(Estimate.median(nagle.toArray(), Estimate.EARLY_LEVEL)
                            .scaled(1e-6), roundStall)),
                    FACTOR.decide(Estimate.acrossRounds(both[1], roundFactor)));
            if (!Rule.anotherRound(ctx, early, done, System.nanoTime() - t0)) {
                break;
            }
        }
        d = Rule.finish(d, done);
        Stats a = nagle.stats();
        Stats b = nodelay.stats();
        return Outcome.of(d,
                "without TCP_NODELAY " + Stats.duration(a.median) + " median, with " + Stats.duration(b.median)
                        + " median (x" + Rule.num(factor.value) + ")",
                String.format(Locale.ROOT, "write %d + write %d + read %d bytes over loopback, after %d untimed "
                                + "exchanges per connection, %d round(s): without TCP_NODELAY %s; with TCP_NODELAY "
                                + "%s. %s", PIECE, PIECE, REPLY, WARMUP, done, a, b,
                        d.verdict == Verdict.HOLDS ? "The delayed-ACK stall shows."
                                : d.verdict == Verdict.DIFFERS ? "No delayed-ACK stall showed on this kernel's "
                                + "loopback." : ""))
                .measure(Measurement.medianNanos("exchange_nagle_ns", nagle.toArray()))
                .measure(Measurement.medianNanos("exchange_nodelay_ns", nodelay.toArray()))
                .measure(Measurement.of("nagle_nodelay_ratio", factor, "ratio"))
                .reading("rounds", done, "rounds")
                .series("exchange without TCP_NODELAY (ns)", Outcome.doubles(nagle.toArray()))
                .series("exchange with TCP_NODELAY (ns)", Outcome.doubles(nodelay.toArray()));
    }
}

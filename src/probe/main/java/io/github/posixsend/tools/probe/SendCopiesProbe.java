package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;
import java.nio.ByteBuffer;

/**
 * Claim 1: a blocking send returns once the data is in the send buffer. A small send to a peer that never reads
 * is timed next to a one-byte round trip through an echo thread: if send waited for the peer, it would cost at
 * least a round trip. Rounds of both, each on fresh connections, until the ratio's interval settles.
 */
final class SendCopiesProbe extends BaseProbe {
    private static final int SIZE = 64;
    static final Rule RULE = Rule.below("median send time / median round trip", 1.0, 2.0);

    SendCopiesProbe() {
        super(1, "send-copies", "blocking send returns once copied",
                "A blocking send returns as soon as the data is copied into the socket's send buffer, without "
                        + "waiting for the peer to read it.", RULE.text());
    }

    /** One round: sends to a silent peer and round trips through an echo thread; false if a send was short. */
    private static boolean round(ProbeContext ctx, Samples sends, Samples rtts) throws Exception {
        Bounds b = ctx.bounds();
        int total = b.warmup + b.repetitions;
        try (Descriptors d = ctx.descriptors()) {
            // The peer never reads: every byte sent stays queued, well inside the default buffers.
            Descriptors.Pair silent = d.tcpPair();
            ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);
            for (int i = 0; i < total; i++) {
                ctx.checkDeadline("timing send");
                buf.clear();
                long t0 = System.nanoTime();
                int n = Posix.send(silent.a, buf, 0);
                long t = System.nanoTime() - t0;
                if (n != SIZE) {
                    return false;
                }
                if (i >= b.warmup) {
                    sends.add(t);
                }
            }

            Descriptors.Pair echo = d.tcpPair();
            Posix.setsockopt(echo.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, true);
            Posix.setsockopt(echo.b, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, true);
            d.background("echo", () -> {
                ByteBuffer one = ByteBuffer.allocateDirect(1);
                for (int i = 0; i < total; i++) {
                    one.clear();
                    if (Posix.recv(echo.b, one, 0) <= 0) {
                        return;
                    }
                    one.flip();
                    Posix.send(echo.b, one, 0);
                }
            });
            ByteBuffer ping = ByteBuffer.allocateDirect(1);
            ByteBuffer pong = ByteBuffer.allocateDirect(1);
            for (int i = 0; i < total; i++) {
                ctx.checkDeadline("timing round trips");
                ping.clear();
                pong.clear();
                long t0 = System.nanoTime();
                Posix.send(echo.a, ping, 0);
                if (Posix.recv(echo.a, pong, 0) != 1) {
                    throw new IllegalStateException("the echo thread ended early: " + d.helperFailure());
                }
                long t = System.nanoTime() - t0;
                if (i >= b.warmup) {
                    rtts.add(t);
                }
            }
        }
        return true;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Samples sends = new Samples(256);
        Samples rtts = new Samples(256);
        Rule.Decision d;
        Estimate.Interval ratio;
        int done = 0;
        java.util.List<Double> perRound = new java.util.ArrayList<>();
        while (true) {
            long t0 = System.nanoTime();
            int sFrom = sends.count();
            int rFrom = rtts.count();
            if (!round(ctx, sends, rtts)) {
                return Outcome.of(false, "a blocking send took part of " + SIZE + " bytes", "")
                        .measure("short_sends", 1, "calls");
            }
            done++;
            perRound.add(Estimate.ratio(sends.since(sFrom), rtts.since(rFrom)));
            Estimate.Interval[] both = Estimate.ratioOfMediansAt(sends.toArray(), rtts.toArray(), Estimate.LEVEL,
                    Estimate.EARLY_LEVEL);
            ratio = Estimate.acrossRounds(both[0], perRound);
            d = RULE.decide(ratio);
            Rule.Decision early = RULE.decide(Estimate.acrossRounds(both[1], perRound));
            if (!Rule.anotherRound(ctx, early, done, System.nanoTime() - t0)) {
                break;
            }
        }
        d = Rule.finish(d, done);
        Stats send = sends.stats();
        Stats rtt = rtts.stats();
        return Outcome.of(d,
                "send " + SIZE + " B: " + Stats.duration(send.median) + " median; round trip: "
                        + Stats.duration(rtt.median) + " median; ratio " + Rule.num(ratio.value) + " ["
                        + Rule.num(ratio.low) + ", " + Rule.num(ratio.high) + "]",
                "blocking send of " + SIZE + " bytes to a peer that never reads: " + send
                        + "; 1-byte round trip through an echo thread (TCP_NODELAY): " + rtt
                        + "; every send returned with the peer still not reading (" + done + " round(s)).")
                .measure(Measurement.medianNanos("send_ns", sends.toArray()))
                .measure(Measurement.medianNanos("round_trip_ns", rtts.toArray()))
                .measure(Measurement.of("send_rtt_ratio", ratio, "ratio"))
                .reading("rounds", done, "rounds");
    }
}

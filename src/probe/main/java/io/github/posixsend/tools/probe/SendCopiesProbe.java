// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.ErrnoException;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Claim 1: a blocking send returns once the data is in the send buffer. A small send to a peer that never reads
 * is timed next to a one-byte round trip through an echo thread: if send waited for the peer, it would cost at
 * least a round trip. Rounds of both, each on fresh connections, until the ratio's interval settles.
 *
 * <p>The sender has {@code TCP_NODELAY}: without it Nagle's algorithm lets a send only queue its bytes behind an
 * unacknowledged segment or send them at once, depending on when ACKs come back, and the timings mix the two. With it
 * every send copies and hands its segment to loopback (the kernel's autocorking may still append one to a segment not
 * gone yet, which costs less, never more), so the time is an upper bound of the copy. It also has {@code SO_SNDTIMEO}:
 * a send that waited for the peer would wait for good, since the peer never reads, and the timeout turns that into the
 * one finding that contradicts the claim, a send still blocked with its buffer nearly empty. A send slower than a
 * round trip that returned did not wait for the read, so the ratio can make the verdict HOLDS or leave it open, not
 * DIFFERS.
 */
final class SendCopiesProbe extends BaseProbe {
    private static final int SIZE = 64;
    /** How long a send may block before it counts as waiting: a copy of 64 bytes takes microseconds. */
    private static final long BLOCKED_MILLIS = 1_000;
    /**
     * Below 0.5: a send that waited for anything from the peer would cost at least a round trip (ratio 1); half of one
     * leaves a send its own work (the copy, and handing its segment to loopback) without calling a wait a copy.
     */
    static final Rule RULE = Rule.below("median send time / median round trip", 1.0, 2.0);

    SendCopiesProbe() {
        super(1, "send-copies", "blocking send returns once copied",
                "A blocking send returns as soon as the data is copied into the socket's send buffer, without "
                        + "waiting for the peer to read it.",
                "HOLDS if every send returns with the peer not reading and the 95% interval of median send time / "
                        + "median round trip (widened to each round's own estimate) lies below 0.5; DIFFERS if a send "
                        + "is still blocked after its timeout (" + BLOCKED_MILLIS + " ms, less when the deadline is "
                        + "near: the details give it) with its send buffer less than a quarter full; else "
                        + "INCONCLUSIVE (a slow send that returned did not wait for the read)");
    }

    /** How a round ended: null when every send took its bytes, else why not and, for a blocked send, the verdict. */
    private static final class Stop {
        final Verdict verdict;
        final String what;

        Stop(Verdict verdict, String what) {
            this.verdict = verdict;
            this.what = what;
        }
    }

    /**
     * A send that blocked past its timeout: DIFFERS when its buffer held less than a quarter of SO_SNDBUF (it waited
     * for the peer, not for room), INCONCLUSIVE when fuller (many small segments' overhead can fill a buffer, and then
     * waiting is claim 2's rule, not a breach of this one).
     */
    static Verdict blocked(long queued, long sndbuf) {
        return queued < sndbuf / 4 ? Verdict.DIFFERS : Verdict.INCONCLUSIVE;
    }

    /** The ratio's decision as this claim's: a ratio above the DIFFERS bound leaves it open (see the class doc). */
    static Rule.Decision fromRatio(Rule.Decision d) {
        if (d.verdict != Verdict.DIFFERS) {
            return d;
        }
        return new Rule.Decision(Verdict.INCONCLUSIVE, "sends cost more than twice a round trip, yet each returned "
                + "with the peer not reading, so none waited for its read; what made them slow, the probe cannot tell");
    }

    /** One round: sends to a silent peer and round trips through an echo thread; a Stop if a send fell short. */
    private static Stop round(ProbeContext ctx, Samples sends, Samples rtts) throws Exception {
        Bounds b = ctx.bounds();
        int total = b.warmup + b.repetitions;
        try (Descriptors d = ctx.descriptors()) {
            // The peer never reads: every byte sent stays queued, well inside the default buffers.
            Descriptors.Pair silent = d.tcpPair();
            Posix.setsockopt(silent.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, true);
            long timeout = Math.max(100, Math.min(BLOCKED_MILLIS, ctx.remainingMillis() / 4));
            Posix.setsockopt(silent.a, Posix.SOL_SOCKET, Posix.SO_SNDTIMEO, Duration.ofMillis(timeout));
            ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);
            for (int i = 0; i < total; i++) {
                ctx.checkDeadline("timing send");
                buf.clear();
                long t0 = System.nanoTime();
                int n = Posix.trySend(silent.a, buf, 0);
                long t = System.nanoTime() - t0;
                // the timeout ends a blocked send with EAGAIN, or with the count of what it took before it
                if (n == -Errno.EAGAIN.number() || (n >= 0 && n < SIZE && t >= timeout * 1_000_000L)) {
                    int sndbuf = Posix.getsockopt(silent.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF);
                    boolean outq = Posix.isSupported(Posix.SIOCOUTQ);
                    long queued = outq ? Posix.ioctlInt(silent.a, Posix.SIOCOUTQ) : (long) i * SIZE;
                    return new Stop(blocked(queued, sndbuf), "send " + (i + 1) + " of " + SIZE + " bytes was still "
                            + "blocked after " + timeout + " ms (" + (n < 0 ? "EAGAIN" : "took " + n + " bytes")
                            + ") with the peer not reading and " + queued + " bytes "
                            + (outq ? "in the send queue (SIOCOUTQ)" : "sent before it") + ", SO_SNDBUF " + sndbuf);
                }
                if (n < 0) {
                    throw ErrnoException.of("send", -n);
                }
                if (n != SIZE) {
                    return new Stop(Verdict.INCONCLUSIVE, "a blocking send took " + n + " of " + SIZE + " bytes");
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
        return null;
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
            Stop stop = round(ctx, sends, rtts);
            if (stop != null) {
                String why = stop.what.startsWith("a blocking send took") ? "a short count on a blocking socket "
                        + "(a signal?) says nothing of what send waits for" : "the send buffer was a quarter full or "
                        + "more, so the send may have waited for room, which is claim 2's rule, not for the peer";
                return (stop.verdict == Verdict.DIFFERS ? new Outcome(stop.what, Verdict.DIFFERS, "")
                        : Outcome.inconclusive(why, stop.what, "")).reading("rounds", done + 1, "rounds");
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
        d = Rule.finish(fromRatio(d), done);
        Stats send = sends.stats();
        Stats rtt = rtts.stats();
        return Outcome.of(d,
                "send " + SIZE + " B: " + Stats.duration(send.median) + " median; round trip: "
                        + Stats.duration(rtt.median) + " median; ratio " + Rule.num(ratio.value) + " ["
                        + Rule.num(ratio.low) + ", " + Rule.num(ratio.high) + "]",
                "blocking send of " + SIZE + " bytes (TCP_NODELAY) to a peer that never reads: " + send
                        + "; 1-byte round trip through an echo thread (TCP_NODELAY): " + rtt
                        + "; every send returned with the peer still not reading (" + done + " round(s)). Each "
                        + "time is the whole call made from Java (System.nanoTime around it), loopback's transmit "
                        + "and receive path and posix-send's own included.")
                .measure(Measurement.medianNanos("send_ns", sends.toArray()))
                .measure(Measurement.medianNanos("round_trip_ns", rtts.toArray()))
                .measure(Measurement.of("send_rtt_ratio", ratio, "ratio"))
                .reading("rounds", done, "rounds");
    }
}

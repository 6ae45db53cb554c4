// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.ErrnoException;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Claim 8: with MSG_NOSIGNAL a send on a connection the peer closed fails with EPIPE and raises no signal; without
 * it, the kernel raises SIGPIPE as well. A JVM catches SIGPIPE with a handler that does nothing (HotSpot's), so the
 * process lives on either way and the signal cannot be seen by its effect. It is seen by its cost: a delivered signal
 * adds a signal frame, the handler and a second system call ({@code rt_sigreturn}) to the failing send, so a send
 * that raised one takes well over a quarter longer than one that did not (2.4 to 3.1 times on a 2-core host). Sends
 * failing with EPIPE are timed in interleaved pairs, with and without the flag, on one connection whose peer has
 * closed, in rounds until the ratio of their medians settles. Where SIGPIPE is ignored (the kernel then drops it as
 * it is raised) the signal has no cost to show, and only the EPIPE half is judged. The disposition is read from
 * /proc/self/status where it exists.
 */
final class NoSignalProbe extends BaseProbe {
    private static final int SIGPIPE = 13;
    private static final int MAX_SENDS = 50;
    private static final int SIZE = 100;
    /**
     * A signal's delivery costs at least one more system call than the failing send alone: above this ratio one was
     * delivered.
     */
    private static final double SIGNALLED_ABOVE = 1.25;
    /** Below this ratio there was no signal to pay for. */
    private static final double UNSIGNALLED_BELOW = 1.1;
    static final Rule SIGNAL_RULE = Rule.aboveBy("median time of a send failing with EPIPE without MSG_NOSIGNAL / "
            + "with it", (SIGNALLED_ABOVE + UNSIGNALLED_BELOW) / 2, (SIGNALLED_ABOVE - UNSIGNALLED_BELOW) / 2);

    NoSignalProbe() {
        super(8, "nosignal", "MSG_NOSIGNAL: EPIPE, no signal",
                "With MSG_NOSIGNAL a send on a connection the peer closed fails with EPIPE and raises no signal; "
                        + "without the flag the kernel raises SIGPIPE too (which the JVM catches and ignores).",
                "HOLDS if a send with MSG_NOSIGNAL to a closed peer fails with EPIPE and the 95% interval of the "
                        + "median time of a send failing with EPIPE without the flag / with it (widened to each "
                        + "round's own estimate) lies above " + Rule.num(SIGNALLED_ABOVE) + " (a signal delivered "
                        + "only without the flag); DIFFERS if the send does not fail with EPIPE or the interval lies "
                        + "below " + Rule.num(UNSIGNALLED_BELOW) + " (no signal's cost either way); else INCONCLUSIVE. "
                        + "Where SIGPIPE is ignored its delivery costs nothing, and only EPIPE is judged; where this "
                        + "process's disposition is unknown, no cost is INCONCLUSIVE");
    }

    /** Sends until the first error after the peer closed; returns "N ok then ERRNO". */
    private static String afterPeerClose(ProbeContext ctx, int flags, String[] errno) throws Exception {
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            d.closeNow(p.b);
            ByteBuffer buf = ByteBuffer.allocateDirect(100);
            int ok = 0;
            boolean resetFirst = false;
            for (int i = 0; i < MAX_SENDS; i++) {
                ctx.checkDeadline("sending to a closed peer");
                buf.clear();
                try {
                    Posix.send(p.a, buf, flags);
                    ok++;
                } catch (ErrnoException e) {
                    errno[0] = Io.errnoName(e);
                    if (e.errno() == Errno.ECONNRESET && !resetFirst) {
                        // the reset was handled before the peer's FIN: that send reports it, the next one EPIPE
                        resetFirst = true;
                        continue;
                    }
                    return ok + " sends ok, then " + (resetFirst ? "ECONNRESET, then " : "") + errno[0];
                }
                // The peer's RST comes back asynchronously; give it a moment before the next send.
                Thread.sleep(1);
            }
            errno[0] = "none";
            return MAX_SENDS + " sends ok, no error";
        }
    }

    /** How this process handles SIGPIPE. */
    enum Handling { IGNORED, CAUGHT, DEFAULT, UNKNOWN }

    /** A SIGPIPE disposition and how the report words it. */
    record Disposition(Handling handling, String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** How this process handles SIGPIPE, from the SigIgn/SigCgt masks of /proc/self/status. */
    static Disposition sigpipeDisposition() {
        Path status = Path.of("/proc/self/status");
        try {
            BigInteger ign = null;
            BigInteger cgt = null;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigIgn:")) {
                    ign = new BigInteger(line.substring(7).trim(), 16);
                } else if (line.startsWith("SigCgt:")) {
                    cgt = new BigInteger(line.substring(7).trim(), 16);
                }
            }
            if (ign == null || cgt == null) {
                return new Disposition(Handling.UNKNOWN, "unknown (no signal masks in /proc/self/status)");
            }
            if (ign.testBit(SIGPIPE - 1)) {
                return new Disposition(Handling.IGNORED, "ignored (SIG_IGN)");
            }
            if (cgt.testBit(SIGPIPE - 1)) {
                return new Disposition(Handling.CAUGHT, "caught by a handler (the JVM's)");
            }
            return new Disposition(Handling.DEFAULT, "default action (terminate)");
        } catch (IOException | NumberFormatException e) {
            return new Disposition(Handling.UNKNOWN, "unknown (" + e.getMessage() + ")");
        }
    }

    /**
     * One round on a connection whose peer has closed: once its sends fail with EPIPE (the first failure may be the
     * peer's reset), pairs of failing sends with and without the flag, which goes first alternating. Returns null, or
     * what a send returned that was not EPIPE.
     */
    private static String timedRound(ProbeContext ctx, Samples with, Samples without) throws Exception {
        Bounds b = ctx.bounds();
        int nosignal = MsgFlag.MSG_NOSIGNAL.value();
        int epipe = -Errno.EPIPE.number();
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            d.closeNow(p.b);
            ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);
            int r = 0;
            for (int i = 0; i < MAX_SENDS && r != epipe; i++) {
                ctx.checkDeadline("sending to a closed peer");
                r = Posix.trySend(p.a, buf.clear(), nosignal);
                if (r != epipe) {
                    Thread.sleep(1); // the peer's reset comes back asynchronously
                }
            }
            if (r != epipe) {
                return "a send with MSG_NOSIGNAL to the closed peer returned " + result(r) + " after " + MAX_SENDS
                        + " tries";
            }
            for (int i = 0; i < b.warmup + b.repetitions; i++) {
                ctx.checkDeadline("timing sends that fail with EPIPE");
                boolean withFirst = (i & 1) == 0;
                long t0 = System.nanoTime();
                int first = Posix.trySend(p.a, buf.clear(), withFirst ? nosignal : 0);
                long t1 = System.nanoTime();
                int second = Posix.trySend(p.a, buf.clear(), withFirst ? 0 : nosignal);
                long t2 = System.nanoTime();
                if (first != epipe || second != epipe) {
                    return "a send to the closed peer returned " + result(first != epipe ? first : second);
                }
                if (i >= b.warmup) {
                    (withFirst ? with : without).add(t1 - t0);
                    (withFirst ? without : with).add(t2 - t1);
                }
            }
        }
        return null;
    }

    private static String result(int r) {
        return r >= 0 ? r + " bytes" : Errno.fromNumber(-r).toString();
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        if (!MsgFlag.MSG_NOSIGNAL.isSupported()) {
            return Outcome.notApplicable("no MSG_NOSIGNAL on this system", "");
        }
        String[] withErr = new String[1];
        String[] withoutErr = new String[1];
        String with = afterPeerClose(ctx, MsgFlag.MSG_NOSIGNAL.value(), withErr);
        Disposition disposition = sigpipeDisposition();
        String without = afterPeerClose(ctx, 0, withoutErr);
        String ownShutdown;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            Posix.shutdown(p.a, Posix.SHUT_WR);
            try {
                Posix.send(p.a, ByteBuffer.allocate(1), MsgFlag.MSG_NOSIGNAL.value());
                ownShutdown = "sent";
            } catch (ErrnoException e) {
                ownShutdown = Io.errnoName(e);
            }
        }
        boolean epipe = "EPIPE".equals(withErr[0]);
        Rule.Decision epipeHalf = new Rule.Decision(epipe ? Verdict.HOLDS : Verdict.DIFFERS, "");
        // an ignored signal is dropped as it is raised, costing nothing: only then is there no timing to make
        boolean ignored = disposition.handling() == Handling.IGNORED;
        String common = "peer closed: with MSG_NOSIGNAL " + with + "; without the flag " + without
                + " and the process lived on, since this JVM's SIGPIPE disposition is " + disposition + ". After the "
                + "sender's own shutdown(SHUT_WR): " + ownShutdown + ".";
        if (!epipe || ignored) {
            Outcome o = Outcome.of(epipeHalf.verdict == Verdict.HOLDS, "MSG_NOSIGNAL: " + withErr[0] + "; without: "
                    + withoutErr[0] + ", JVM alive; SIGPIPE " + disposition + (epipe ? ": the signal half not "
                    + "observable" : ""), common + (epipe ? " A signal this process ignores costs nothing a timing "
                    + "could see, so only the EPIPE half was judged." : ""));
            return withErrnos(o, epipe, withoutErr);
        }
        Samples withFlag = new Samples(256);
        Samples withoutFlag = new Samples(256);
        java.util.List<Double> perRound = new java.util.ArrayList<>();
        Estimate.Interval ratio = null;
        Rule.Decision signal = null;
        int done = 0;
        while (true) {
            long t0 = System.nanoTime();
            int wFrom = withFlag.count();
            int woFrom = withoutFlag.count();
            String odd = timedRound(ctx, withFlag, withoutFlag);
            if (odd != null) {
                return withErrnos(Outcome.inconclusive("the timed sends did not all fail with EPIPE: " + odd,
                        "MSG_NOSIGNAL: " + withErr[0] + "; timing: " + odd, common), epipe, withoutErr);
            }
            done++;
            perRound.add(Estimate.ratio(withoutFlag.since(woFrom), withFlag.since(wFrom)));
            Estimate.Interval[] both = Estimate.ratioOfMediansAt(withoutFlag.toArray(), withFlag.toArray(),
                    Estimate.LEVEL, Estimate.EARLY_LEVEL);
            ratio = Estimate.acrossRounds(both[0], perRound);
            signal = SIGNAL_RULE.decide(ratio);
            Rule.Decision early = SIGNAL_RULE.decide(Estimate.acrossRounds(both[1], perRound));
            if (!Rule.anotherRound(ctx, early, done, System.nanoTime() - t0)) {
                break;
            }
        }
        if (signal.verdict == Verdict.DIFFERS && disposition.handling() == Handling.UNKNOWN) {
            // no cost may be a signal this process ignores, which /proc could not say
            signal = new Rule.Decision(Verdict.INCONCLUSIVE, "no signal's cost either way, and this process's SIGPIPE "
                    + "disposition is " + disposition + ": an ignored signal costs nothing");
        }
        signal = Rule.finish(signal, done);
        Rule.Decision d = Rule.all(epipeHalf, signal);
        Stats w = withFlag.stats();
        Stats wo = withoutFlag.stats();
        Outcome o = Outcome.of(d, "MSG_NOSIGNAL: " + withErr[0] + "; without: " + withoutErr[0] + "; a failing "
                        + "send takes " + Stats.duration(w.median) + " with the flag, " + Stats.duration(wo.median)
                        + " without (ratio " + Rule.num(ratio.value) + " [" + Rule.num(ratio.low) + ", "
                        + Rule.num(ratio.high) + "]: " + (signal.verdict == Verdict.HOLDS ? "a signal delivered only "
                        + "without it" : signal.verdict == Verdict.DIFFERS ? "no signal's cost either way"
                        : "open") + ")",
                common + " Sends of " + SIZE + " bytes failing with EPIPE on one connection, timed in interleaved "
                        + "pairs (" + done + " round" + (done == 1 ? "" : "s") + "): with MSG_NOSIGNAL " + w
                        + "; without " + wo + ". Each time is the whole call made from Java; without the flag it "
                        + "includes the SIGPIPE the kernel raised, delivered to the JVM's handler and returned from "
                        + "with rt_sigreturn.")
                .measure(Measurement.medianNanos("epipe_send_with_nosignal_ns", withFlag.toArray()))
                .measure(Measurement.medianNanos("epipe_send_without_flag_ns", withoutFlag.toArray()))
                .measure(Measurement.of("without_to_with_ratio", ratio, "ratio"))
                .reading("rounds", done, "rounds");
        return withErrnos(o, epipe, withoutErr);
    }

    private static Outcome withErrnos(Outcome o, boolean epipe, String[] withoutErr) {
        return o.measure("epipe_with_nosignal", epipe ? 1 : 0, "boolean")
                .measure("epipe_without_flag", "EPIPE".equals(withoutErr[0]) ? 1 : 0, "boolean");
    }
}

package io.github.posixsend.tools.probe;

import java.util.Locale;

/**
 * A verdict as a test on an estimate and its interval, with a gap that noise cannot cross: a claim that a
 * quantity is below a threshold HOLDS only when the whole interval lies below the threshold less the margin,
 * DIFFERS only when the whole interval lies above the threshold, and is INCONCLUSIVE in between. Going from
 * HOLDS to DIFFERS therefore needs the interval to move by more than its own width plus the margin.
 */
final class Rule {
    /** The verdict and, when it is INCONCLUSIVE, why. */
    static final class Decision {
        final Verdict verdict;
        final String reason;

        Decision(Verdict verdict, String reason) {
            this.verdict = verdict;
            this.reason = reason;
        }

        boolean settled() {
            return verdict == Verdict.HOLDS || verdict == Verdict.DIFFERS;
        }
    }

    private final String quantity;
    private final boolean below;
    private final double threshold;
    private final double margin;

    private Rule(String quantity, boolean below, double threshold, double margin) {
        this.quantity = quantity;
        this.below = below;
        this.threshold = threshold;
        this.margin = margin;
    }

    /** The claim is that {@code quantity} is below {@code threshold} by at least {@code margin} (relative). */
    static Rule below(String quantity, double threshold, double margin) {
        return new Rule(quantity, true, threshold, margin);
    }

    /** The claim is that {@code quantity} is above {@code threshold} by at least {@code margin} (relative). */
    static Rule above(String quantity, double threshold, double margin) {
        return new Rule(quantity, false, threshold, margin);
    }

    private double holdsBound() {
        return below ? threshold * (1 - margin) : threshold * (1 + margin);
    }

    /** "HOLDS if the 95% interval of X lies below 0.95, DIFFERS if it lies above 1; else INCONCLUSIVE". */
    String text() {
        return String.format(Locale.ROOT, "HOLDS if the 95%% interval of %s lies %s %s, DIFFERS if it lies %s %s, "
                        + "else INCONCLUSIVE", quantity, below ? "below" : "above", num(holdsBound()),
                below ? "above" : "below", num(threshold));
    }

    Decision decide(Estimate.Interval i) {
        double hb = holdsBound();
        if (below ? i.high < hb : i.low > hb) {
            return new Decision(Verdict.HOLDS, "");
        }
        if (below ? i.low > threshold : i.high < threshold) {
            return new Decision(Verdict.DIFFERS, "");
        }
        String where = String.format(Locale.ROOT, "%s = %s, interval [%s, %s]", quantity, num(i.value), num(i.low),
                num(i.high));
        if (below ? i.low >= hb && i.high <= threshold : i.high <= hb && i.low >= threshold) {
            return new Decision(Verdict.INCONCLUSIVE, where + " lies within the margin between " + num(hb) + " and "
                    + num(threshold) + ": an effect too small to call");
        }
        return new Decision(Verdict.INCONCLUSIVE, where + " straddles " + (below ? i.low < hb ? num(hb)
                : num(threshold) : i.high > hb ? num(hb) : num(threshold)));
    }

    /** HOLDS when every part holds, DIFFERS when any part differs, else INCONCLUSIVE with the open parts' reasons. */
    static Decision all(Decision... parts) {
        StringBuilder reasons = new StringBuilder();
        boolean allHold = true;
        for (Decision d : parts) {
            if (d.verdict == Verdict.DIFFERS) {
                return d;
            }
            if (d.verdict != Verdict.HOLDS) {
                allHold = false;
                reasons.append(reasons.length() == 0 ? "" : "; ").append(d.reason);
            }
        }
        return allHold ? new Decision(Verdict.HOLDS, "") : new Decision(Verdict.INCONCLUSIVE, reasons.toString());
    }

    /**
     * Whether a timing claim should take another round of samples: its verdict is open, rounds remain, and the
     * deadline leaves room for one more round as long as the last (with half again to spare).
     */
    static boolean anotherRound(ProbeContext ctx, Decision d, int roundsDone, long lastRoundNanos) {
        return !d.settled() && roundsDone < ctx.bounds().maxRounds
                && ctx.remainingMillis() * 1_000_000L > lastRoundNanos * 3 / 2;
    }

    /** The decision after the last round: an open verdict says how many rounds it had. */
    static Decision finish(Decision d, int rounds) {
        return d.settled() ? d : new Decision(d.verdict, d.reason + " after " + rounds + " round"
                + (rounds == 1 ? "" : "s") + " of samples");
    }

    static String num(double v) {
        if (v != 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}

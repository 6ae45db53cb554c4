// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.util.Locale;

/**
 * A verdict as a test on an estimate and its interval, with a gap that noise cannot cross: a claim that a
 * quantity is below a threshold T with a margin factor f HOLDS only when the whole interval lies below T / f,
 * DIFFERS only when the whole interval lies above T * f, and is INCONCLUSIVE otherwise (the interval straddles a
 * bound, or the effect lies within the margin). With f above 1, going from HOLDS to DIFFERS needs the interval to move
 * by more than its own width and the whole margin band; with f = 1 (claim 17's rules, whose two sides lie orders of
 * magnitude apart) there is no band, and only the interval's width keeps noise from flipping the verdict.
 *
 * <p>A timing claim takes rounds of samples ({@link #anotherRound}): it may stop before its last planned round only on
 * a stricter look ({@link Estimate#EARLY_LEVEL}), so that looking after every round does not give noise more chances
 * to settle the verdict than the 95 % interval allows for.
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

    /** Rounds a timing claim takes at the least, when its bounds and deadline allow. */
    static final int MIN_ROUNDS = 2;

    private final String quantity;
    private final boolean below;
    private final double threshold;
    /** The margin: a factor of at least 1, or (additive) an amount of at least 0 on either side. */
    private final double factor;
    private final boolean additive;

    private Rule(String quantity, boolean below, double threshold, double factor, boolean additive) {
        if (additive ? factor < 0 : factor < 1) {
            throw new IllegalArgumentException("margin " + (additive ? "below 0: " : "factor below 1: ") + factor);
        }
        this.quantity = quantity;
        this.below = below;
        this.threshold = threshold;
        this.factor = factor;
        this.additive = additive;
    }

    /** The claim is that {@code quantity} is below {@code threshold}; margin band threshold / f to threshold * f. */
    static Rule below(String quantity, double threshold, double factor) {
        return new Rule(quantity, true, threshold, factor, false);
    }

    /** The claim is that {@code quantity} is above {@code threshold}; margin band threshold / f to threshold * f. */
    static Rule above(String quantity, double threshold, double factor) {
        return new Rule(quantity, false, threshold, factor, false);
    }

    /**
     * The claim is that {@code quantity}, which may be negative (a delay between two clocks' readings), is above
     * {@code threshold}; margin band threshold - margin to threshold + margin.
     */
    static Rule aboveBy(String quantity, double threshold, double margin) {
        return new Rule(quantity, false, threshold, margin, true);
    }

    private double holdsBound() {
        if (additive) {
            return below ? threshold - factor : threshold + factor;
        }
        return below ? threshold / factor : threshold * factor;
    }

    private double differsBound() {
        if (additive) {
            return below ? threshold + factor : threshold - factor;
        }
        return below ? threshold * factor : threshold / factor;
    }

    /**
     * "HOLDS if the 95% interval of X (widened to each round's own estimate) lies below 0.95, DIFFERS if it lies above
     * 1, else INCONCLUSIVE".
     */
    String text() {
        return String.format(Locale.ROOT, "HOLDS if the 95%% interval of %s (widened to each round's own estimate) "
                        + "lies %s %s, DIFFERS if it lies %s %s, else INCONCLUSIVE", quantity,
                below ? "below" : "above", num(holdsBound()), below ? "above" : "below", num(differsBound()));
    }

    Decision decide(Estimate.Interval i) {
        if (i.samples < Estimate.minSamples(i.level)) {
            return new Decision(Verdict.INCONCLUSIVE, String.format(Locale.ROOT, "%s = %s rests on %d sample%s, too few"
                    + " for a %s%% interval", quantity, num(i.value), i.samples, i.samples == 1 ? "" : "s",
                    num(i.level * 100)));
        }
        double hb = holdsBound();
        double db = differsBound();
        if (below ? i.high < hb : i.low > hb) {
            return new Decision(Verdict.HOLDS, "");
        }
        if (below ? i.low > db : i.high < db) {
            return new Decision(Verdict.DIFFERS, "");
        }
        double lowBound = Math.min(hb, db);
        double highBound = Math.max(hb, db);
        String where = String.format(Locale.ROOT, "%s = %s, interval [%s, %s]", quantity, num(i.value), num(i.low),
                num(i.high));
        if (i.low >= lowBound && i.high <= highBound) {
            return new Decision(Verdict.INCONCLUSIVE, where + " lies within the margin between " + num(lowBound)
                    + " and " + num(highBound) + ": an effect too small to call either way");
        }
        boolean straddlesLow = i.low < lowBound && i.high > lowBound;
        boolean straddlesHigh = i.low < highBound && i.high > highBound;
        return new Decision(Verdict.INCONCLUSIVE, where + (straddlesLow && straddlesHigh ? " spans the whole margin, "
                + num(lowBound) + " to " + num(highBound) : " straddles " + num(straddlesLow ? lowBound : highBound)));
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
     * Whether a timing claim should take another round of samples: rounds remain, the deadline leaves room for one
     * more round as long as the last (with half again to spare), and {@code early}, the decision on the
     * {@link Estimate#EARLY_LEVEL} interval of the samples so far, is open. The verdict itself is the decision on the
     * 95 % interval after the last round taken; when the rounds stop early because {@code early} settled, that one
     * agrees with it, as the 99 % interval contains the 95 % one.
     */
    static boolean anotherRound(ProbeContext ctx, Decision early, int roundsDone, long lastRoundNanos) {
        // At least two rounds, so that a drift in the machine's load between them widens the interval.
        return (!early.settled() || roundsDone < MIN_ROUNDS) && roundsDone < ctx.bounds().maxRounds
                && ctx.remainingMillis() * 1_000_000L > lastRoundNanos * 3 / 2;
    }

    /**
     * Whether a claim whose samples come in groups (connections) should take another round: every round the bounds
     * and the deadline allow. The early look cannot serve it: its interval is widened to each group's own estimate,
     * which a stricter level does not widen further, so it would stop as soon as the first few groups agreed.
     */
    static boolean everyRound(ProbeContext ctx, int roundsDone, long lastRoundNanos) {
        return anotherRound(ctx, new Decision(Verdict.INCONCLUSIVE, "every round"), roundsDone, lastRoundNanos);
    }

    /**
     * The decision after the last round: an open verdict says how many rounds it had, and a settled one from fewer than
     * {@link #MIN_ROUNDS} (the deadline left no room for the second) is INCONCLUSIVE: one round cannot show a drift in
     * the machine's load, and a single round's interval has been seen to settle either way on the same machine.
     */
    static Decision finish(Decision d, int rounds) {
        if (d.settled() && rounds < MIN_ROUNDS) {
            return new Decision(Verdict.INCONCLUSIVE, "the interval said " + d.verdict + " after " + rounds
                    + " round of samples, fewer than the " + MIN_ROUNDS + " a timing verdict needs: the deadline left "
                    + "no room for another (--deadline gives more)");
        }
        return d.settled() ? d : new Decision(d.verdict, d.reason + " after " + rounds + " round"
                + (rounds == 1 ? "" : "s") + " of samples");
    }

    /**
     * A figure as the reports print it: three decimals below 10 (ratios near a threshold), fewer above, as no figure
     * here has more than about four significant digits (a ratio of 1985.865 is printed 1986).
     */
    static String num(double v) {
        if (v != 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        int decimals = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 3;
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        if (decimals == 0) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shared statistics and the verdict rule: intervals cover what they should, and noise cannot flip a verdict. */
class EstimateTest {
    /** Timings around {@code center} with spread, and rare long outliers, from a fixed seed. */
    private static long[] noisy(long seed, int n, double center, double spread) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            double v = center * (1 + spread * (r.nextDouble() - 0.5));
            s[i] = (long) (i % 37 == 0 ? v * 50 : v);
        }
        return s;
    }

    @Test
    void medianIntervalLiesAroundTheMedianAndNarrowsWithMoreSamples() {
        Estimate.Interval small = Estimate.median(noisy(1, 30, 1000, 0.4));
        Estimate.Interval large = Estimate.median(noisy(1, 3000, 1000, 0.4));
        assertTrue(small.low <= small.value && small.value <= small.high);
        assertTrue(large.low <= 1000 && 1000 <= large.high, large.low + ".." + large.high);
        assertTrue(large.high - large.low < small.high - small.low);
        assertEquals(3000, large.samples);
        Estimate.Interval one = Estimate.median(new long[] {7});
        assertEquals(7, one.value);
        assertEquals(7, one.low);
        assertEquals(7, one.high);
        assertThrows(IllegalArgumentException.class, () -> Estimate.median(new long[0]));
    }

    /**
     * Fewer than six samples give no 95 % interval: the median's interval is then their range, which covers the median
     * with 94 % at five samples and 50 % at two, so the rule calls it too few, however far from the threshold it lies,
     * and the measurement says it is a range.
     */
    @Test
    void tooFewSamplesDecideNothing() {
        Rule r = Rule.below("x", 1.0, 1.25);
        Rule.Decision five = r.decide(Estimate.median(new long[] {0, 0, 0, 0, 0}));
        assertEquals(Verdict.INCONCLUSIVE, five.verdict);
        assertTrue(five.reason.contains("rests on 5 samples, too few"), five.reason);
        assertEquals(Verdict.INCONCLUSIVE, r.decide(new Estimate.Interval(9, 9, 9, 1)).verdict);
        assertEquals(Verdict.HOLDS, r.decide(Estimate.median(new long[] {0, 0, 0, 0, 0, 0})).verdict);
        assertEquals(Verdict.DIFFERS, r.decide(Estimate.median(new long[] {9, 9, 9, 9, 9, 9})).verdict);
        assertEquals(Measurement.Spread.RANGE, Measurement.medianNanos("t", new long[] {3, 1, 2}).spread);
        assertEquals(Measurement.Spread.CI95, Measurement.medianNanos("t", new long[] {3, 1, 2, 4, 5, 6}).spread);
    }

    @Test
    void ratioOfMediansCoversTheTrueRatioAndIsRepeatable() {
        long[] a = noisy(2, 400, 500, 0.5);
        long[] b = noisy(3, 400, 1000, 0.5);
        Estimate.Interval i = Estimate.ratioOfMedians(a, b);
        assertTrue(i.low <= 0.5 && 0.5 <= i.high, i.low + ".." + i.high);
        assertTrue(i.high < 0.6 && i.low > 0.4, i.low + ".." + i.high);
        Estimate.Interval again = Estimate.ratioOfMedians(a, b);
        assertEquals(i.low, again.low);
        assertEquals(i.high, again.high);
    }

    @Test
    void ruleHoldsDiffersOrSaysWhyNot() {
        Rule r = Rule.below("x", 1.0, 1.25);
        assertEquals(Verdict.HOLDS, r.decide(new Estimate.Interval(0.5, 0.4, 0.6, 100)).verdict);
        assertEquals(Verdict.DIFFERS, r.decide(new Estimate.Interval(1.5, 1.3, 1.7, 100)).verdict);
        Rule.Decision straddle = r.decide(new Estimate.Interval(0.95, 0.7, 1.2, 100));
        assertEquals(Verdict.INCONCLUSIVE, straddle.verdict);
        assertTrue(straddle.reason.endsWith("interval [0.7, 1.2] straddles 0.8"), straddle.reason);
        Rule.Decision upper = r.decide(new Estimate.Interval(1.1, 0.9, 1.4, 100));
        assertTrue(upper.reason.endsWith("interval [0.9, 1.4] straddles 1.25"), upper.reason);
        Rule.Decision both = r.decide(new Estimate.Interval(1, 0.5, 1.5, 100));
        assertEquals(Verdict.INCONCLUSIVE, both.verdict);
        assertTrue(both.reason.endsWith("interval [0.5, 1.5] spans the whole margin, 0.8 to 1.25"), both.reason);
        Rule.Decision margin = r.decide(new Estimate.Interval(0.95, 0.92, 0.98, 100));
        assertEquals(Verdict.INCONCLUSIVE, margin.verdict);
        assertTrue(margin.reason.contains("within the margin between 0.8 and 1.25"), margin.reason);
        assertEquals("HOLDS if the 95% interval of x (widened to each round's own estimate) lies below 0.8, DIFFERS "
                + "if it lies above 1.25, else INCONCLUSIVE", r.text());
        assertThrows(IllegalArgumentException.class, () -> Rule.below("x", 1, 0.5));

        Rule up = Rule.above("y", 5, 1);
        assertEquals(Verdict.HOLDS, up.decide(new Estimate.Interval(8, 6, 9, 10)).verdict);
        assertEquals(Verdict.DIFFERS, up.decide(new Estimate.Interval(2, 1, 3, 10)).verdict);
        assertEquals(Verdict.INCONCLUSIVE, up.decide(new Estimate.Interval(5, 4, 6, 10)).verdict);

        // an additive margin around 0, for a quantity that may be negative
        Rule delay = Rule.aboveBy("d", 0, 1);
        assertEquals(Verdict.HOLDS, delay.decide(new Estimate.Interval(30, 2, 40, 50)).verdict);
        assertEquals(Verdict.DIFFERS, delay.decide(new Estimate.Interval(-5, -8, -2, 50)).verdict);
        Rule.Decision near = delay.decide(new Estimate.Interval(0.2, -0.5, 0.5, 50));
        assertEquals(Verdict.INCONCLUSIVE, near.verdict);
        assertTrue(near.reason.contains("within the margin between -1 and 1"), near.reason);
        assertEquals("HOLDS if the 95% interval of d (widened to each round's own estimate) lies above 1, DIFFERS if "
                + "it lies below -1, else INCONCLUSIVE", delay.text());
        assertThrows(IllegalArgumentException.class, () -> Rule.aboveBy("d", 0, -1));

        Rule.Decision h = new Rule.Decision(Verdict.HOLDS, "");
        Rule.Decision d = new Rule.Decision(Verdict.DIFFERS, "");
        Rule.Decision i = new Rule.Decision(Verdict.INCONCLUSIVE, "open");
        assertEquals(Verdict.HOLDS, Rule.all(h, h).verdict);
        assertEquals(Verdict.DIFFERS, Rule.all(h, i, d).verdict);
        assertEquals("open", Rule.all(h, i).reason);
    }

    @Test
    void equalCostsNeverHoldOrDifferWhateverTheSeed() {
        // Two samples from the same distribution: the rule must not call either way in any of these draws.
        Rule r = ByteCostProbe.RULE;
        int settled = 0;
        for (int seed = 0; seed < 40; seed++) {
            long[] a = noisy(100 + seed, 300, 2000, 0.6);
            long[] b = noisy(200 + seed, 300, 2000, 0.6);
            Verdict v = r.decide(Estimate.ratioOfMedians(a, b)).verdict;
            assertNotEquals(Verdict.HOLDS, v, "equal costs gave HOLDS with seed " + seed);
            settled += v == Verdict.DIFFERS ? 1 : 0;
        }
        assertEquals(0, settled, settled + " of 40 draws of equal costs said DIFFERS");
    }

    @Test
    void roundsThatDisagreeWidenTheInterval() {
        Estimate.Interval pooled = new Estimate.Interval(1.0, 0.95, 1.05, 100);
        Estimate.Interval wide = Estimate.acrossRounds(pooled, java.util.List.of(0.7, 1.0, 1.4));
        assertEquals(0.7, wide.low);
        assertEquals(1.4, wide.high);
        assertEquals(1.0, wide.value);
        Estimate.Interval same = Estimate.acrossRounds(pooled, java.util.List.of(1.0, 1.01));
        assertEquals(0.95, same.low);
        assertEquals(1.05, same.high);
    }

    /**
     * The interval a widened estimate ends with is labelled for what it is, and only 95 % intervals are reported: the
     * stricter one that may end the rounds early decides, but a measurement of it would claim a 95 % it does not have.
     */
    @Test
    void widenedIntervalsAreLabelledAcrossRounds() {
        long[] a = noisy(4, 200, 500, 0.5);
        long[] b = noisy(5, 200, 1000, 0.5);
        Estimate.Interval pooled = Estimate.ratioOfMedians(a, b);
        assertEquals(Measurement.Spread.CI95, Measurement.of("r", pooled, "ratio").spread);
        Estimate.Interval wide = Estimate.acrossRounds(pooled, java.util.List.of(0.45, 0.6));
        Measurement m = Measurement.of("r", wide, "ratio");
        assertEquals(Measurement.Spread.ACROSS_ROUNDS, m.spread);
        assertEquals(0.6, m.high);
        assertEquals(Measurement.Spread.ACROSS_ROUNDS, Measurement.of("r", Estimate.acrossRounds(pooled,
                java.util.List.of(pooled.value)), "ratio").spread, "widened by method, even when no round lies out");
        assertEquals(Measurement.Spread.RANGE, Measurement.of("r", Estimate.acrossRounds(Estimate.median(
                new long[] {1, 2, 3}), java.util.List.of(2.0)), "ns").spread, "too few samples stay a range");
        // the scaled copy keeps its kind
        assertEquals(Measurement.Spread.ACROSS_ROUNDS, Measurement.of("r", wide.scaled(1e-3), "k").spread);
        Estimate.Interval early = Estimate.ratioOfMedians(a, b, Estimate.EARLY_LEVEL);
        assertThrows(IllegalArgumentException.class, () -> Measurement.of("r", early, "ratio"));
        assertThrows(IllegalArgumentException.class, () -> Estimate.median(a, 0.9));
        // and --compare judges it as it judges a 95 % interval
        Measurement x = new Measurement("r", 1, "ratio", 50, 0.9, 1.1, Measurement.Spread.ACROSS_ROUNDS);
        assertTrue(x.movedBeyondSpread(new Measurement("r", 2, "ratio", 50, 1.8, 2.2, Measurement.Spread.CI95)));
        assertFalse(x.movedBeyondSpread(new Measurement("r", 1.05, "ratio", 50, 1, 1.1,
                Measurement.Spread.ACROSS_ROUNDS)));
    }

    /** The early look is stricter: its interval contains the 95 % one, and needs more samples to be an interval. */
    @Test
    void theEarlyLevelIsStricter() {
        long[] a = noisy(6, 300, 500, 0.5);
        long[] b = noisy(7, 300, 1000, 0.5);
        Estimate.Interval r95 = Estimate.ratioOfMedians(a, b);
        Estimate.Interval r99 = Estimate.ratioOfMedians(a, b, Estimate.EARLY_LEVEL);
        assertEquals(r95.value, r99.value);
        assertTrue(r99.low <= r95.low && r95.high <= r99.high, r99.low + ".." + r99.high);
        assertTrue(r99.high - r99.low > r95.high - r95.low, "strictly wider on 300 noisy samples");
        Estimate.Interval[] both = Estimate.ratioOfMediansAt(a, b, Estimate.LEVEL, Estimate.EARLY_LEVEL);
        assertEquals(r95.low, both[0].low);
        assertEquals(r95.high, both[0].high);
        assertEquals(r99.low, both[1].low);
        assertEquals(r99.high, both[1].high);
        assertEquals(Estimate.EARLY_LEVEL, both[1].level);
        Estimate.Interval m95 = Estimate.median(a);
        Estimate.Interval m99 = Estimate.median(a, Estimate.EARLY_LEVEL);
        assertTrue(m99.low <= m95.low && m95.high <= m99.high && m99.high - m99.low > m95.high - m95.low);
        assertEquals(Estimate.MIN_SAMPLES, Estimate.minSamples(Estimate.LEVEL));
        assertEquals(8, Estimate.minSamples(Estimate.EARLY_LEVEL));
        Rule r = Rule.below("x", 1.0, 1.25);
        Rule.Decision seven = r.decide(Estimate.median(new long[] {0, 0, 0, 0, 0, 0, 0}, Estimate.EARLY_LEVEL));
        assertEquals(Verdict.INCONCLUSIVE, seven.verdict);
        assertTrue(seven.reason.endsWith("rests on 7 samples, too few for a 99% interval"), seven.reason);
        assertEquals(Verdict.HOLDS, r.decide(Estimate.median(new long[] {0, 0, 0, 0, 0, 0, 0})).verdict);
    }

    /** Figures print with the digits they have: three decimals below 10, one below 100, none above. */
    @Test
    void figuresPrintWithTheDigitsTheyHave() {
        assertEquals("1986", Rule.num(1985.865));
        assertEquals("44.1", Rule.num(44.123));
        assertEquals("10", Rule.num(10.04));
        assertEquals("0.667", Rule.num(1 / 1.5));
        assertEquals("1.5", Rule.num(1.5));
        assertEquals("-3.25", Rule.num(-3.25));
        assertEquals("0", Rule.num(0));
        assertEquals("2.00e+06", Rule.num(2e6));
        assertEquals("0.000500", Rule.num(5e-4));
    }

    /**
     * A median whose values come in clusters that move together gets its interval from the clusters: as wide as the
     * clusters' spread, where treating each value as a sample gives a narrow one, and it rests on as many samples as
     * there are clusters.
     */
    @Test
    void aClusteredMedianResamplesClustersNotValues() {
        // eight clusters of 25 values each, the clusters' levels spread from 10 to 80
        long[] values = new long[200];
        int[] cluster = new int[200];
        for (int i = 0; i < values.length; i++) {
            cluster[i] = i / 25;
            values[i] = 10 * (cluster[i] + 1) + i % 3;
        }
        Estimate.Interval[] byCluster = Estimate.medianOfClustersAt(values, cluster, Estimate.LEVEL,
                Estimate.EARLY_LEVEL);
        Estimate.Interval byValue = Estimate.median(values);
        assertEquals(8, byCluster[0].samples);
        assertEquals(byValue.value, byCluster[0].value);
        assertTrue(byValue.high - byValue.low <= 10, byValue.low + ".." + byValue.high);
        assertTrue(byCluster[0].low <= 30 && byCluster[0].high >= 60, byCluster[0].low + ".." + byCluster[0].high);
        assertTrue(byCluster[1].low <= byCluster[0].low && byCluster[0].high <= byCluster[1].high);
        // one value a cluster is the plain bootstrap of the median
        Estimate.Interval single = Estimate.medianOfClustersAt(new long[] {5, 1, 4, 2, 3, 6, 7},
                new int[] {0, 1, 2, 3, 4, 5, 6}, Estimate.LEVEL)[0];
        assertEquals(4.0, single.value);
        assertEquals(7, single.samples);
        assertTrue(single.low >= 1 && single.high <= 7 && single.low < 4 && single.high > 4);
        assertThrows(IllegalArgumentException.class,
                () -> Estimate.medianOfClustersAt(new long[] {1, 2}, new int[] {0, 2}, Estimate.LEVEL));
        assertThrows(IllegalArgumentException.class,
                () -> Estimate.medianOfClustersAt(new long[] {1, 2}, new int[] {0}, Estimate.LEVEL));
    }

    /**
     * Claim 21's acknowledgements: stamps within 50 us of the one before are one, sends without a stamp are left out,
     * and the numbering goes on from round to round.
     */
    @Test
    void acknowledgementsGroupTheStampsTheyGave() {
        long ms = 1_000_000;
        long[] after = {0, ms, 2 * ms, 3 * ms, 4 * ms, 5 * ms};
        // sends 1 to 3 acknowledged by one ACK at 40 ms (stamps a few us apart), 4 by another at 80 ms, 5 not stamped
        long[] acked = {0, 40 * ms + 2_000, 40 * ms, 40 * ms + 9_000, 80 * ms, 0};
        Samples delays = new Samples(8);
        Samples acks = new Samples(8);
        assertEquals(7, TxDelayProbe.byAcknowledgement(acked, after, 1, 5, delays, acks));
        assertArrayEquals(new long[] {38 * ms, 39 * ms + 2_000, 37 * ms + 9_000, 76 * ms}, delays.toArray());
        assertArrayEquals(new long[] {5, 5, 5, 6}, acks.toArray());
    }

    /**
     * Rounds stop before the last only when the early (99 %) look settles, and never before two rounds; a verdict the
     * 95 % interval settles while the 99 % one is open takes another round.
     */
    @Test
    void roundsStopEarlyOnlyOnTheStricterLook() {
        ProbeContext ctx = new ProbeContext(Bounds.QUICK);
        Rule.Decision settled = new Rule.Decision(Verdict.HOLDS, "");
        Rule.Decision open = new Rule.Decision(Verdict.INCONCLUSIVE, "straddles");
        assertTrue(Rule.anotherRound(ctx, settled, 1, 0), "at least two rounds");
        assertFalse(Rule.anotherRound(ctx, settled, 2, 0));
        assertTrue(Rule.anotherRound(ctx, open, 2, 0));
        assertFalse(Rule.anotherRound(ctx, open, Bounds.QUICK.maxRounds, 0), "no round past the bounds");
        assertFalse(Rule.anotherRound(ctx, open, 2, 10_000_000_000L), "no round the deadline has no room for");
        assertFalse(Rule.anotherRound(ctx, settled, 1, 10_000_000_000L), "not even the second");
        Rule.Decision oneRound = Rule.finish(settled, 1);
        assertEquals(Verdict.INCONCLUSIVE, oneRound.verdict, "a settled verdict from one round is not kept");
        assertTrue(oneRound.reason.contains("said HOLDS after 1 round"), oneRound.reason);
        assertEquals(Verdict.DIFFERS, Rule.finish(new Rule.Decision(Verdict.DIFFERS, ""), 2).verdict);
        assertTrue(Rule.finish(open, 1).reason.endsWith("straddles after 1 round of samples"));

        // the same samples: settled at 95 %, open at 99 %, so the rounds go on
        long[] a = noisy(8, 60, 900, 0.4);
        long[] b = noisy(9, 60, 1000, 0.4);
        Estimate.Interval r95 = Estimate.ratioOfMedians(a, b);
        Estimate.Interval r99 = Estimate.ratioOfMedians(a, b, Estimate.EARLY_LEVEL);
        Rule between = Rule.below("x", (r95.high + r99.high) / 2, 1.0);
        assertEquals(Verdict.HOLDS, between.decide(r95).verdict);
        assertEquals(Verdict.INCONCLUSIVE, between.decide(r99).verdict);
        assertTrue(Rule.anotherRound(ctx, between.decide(r99), 2, 0));
    }

    /** Totals weigh every call by its time: one long call moves them, where it leaves a median alone. */
    @Test
    void ratioOfTotalsIsTotalTimeOverTotalUnits() {
        Estimate.Interval r = Estimate.ratioOfTotalsAt(new long[] {100, 300}, new long[] {1, 1}, new long[] {50, 50},
                new long[] {1, 1}, Estimate.LEVEL)[0];
        assertEquals(4.0, r.value, 1e-12);
        assertTrue(r.low <= 4.0 && 4.0 <= r.high);
        long[] units = new long[40];
        long[] flat = new long[40];
        long[] preempted = new long[40];
        java.util.Arrays.fill(units, 1024);
        java.util.Arrays.fill(flat, 100_000);
        java.util.Arrays.fill(preempted, 100_000);
        preempted[7] = 8_000_000; // one call preempted for 8 ms
        assertEquals(1.0, Estimate.ratio(preempted, flat), 1e-12);
        Estimate.Interval byTotals = Estimate.ratioOfTotalsAt(preempted, units, flat, units, Estimate.LEVEL)[0];
        assertEquals((39 * 100_000 + 8_000_000) / (40.0 * 100_000), byTotals.value, 1e-9);
        assertTrue(byTotals.high > 2, "the preempted call's weight shows in the interval: " + byTotals.high);
        assertThrows(IllegalArgumentException.class, () -> Estimate.ratioOfTotalsAt(new long[] {1}, new long[0],
                new long[] {1}, new long[] {1}, Estimate.LEVEL));
        assertEquals(200.0, Estimate.rate(new long[] {100, 300}, new long[] {1, 1}), 1e-12);
    }

    @Test
    void measurementsMoveOnlyBeyondBothSpreads() {
        Measurement a = new Measurement("t", 100, "ns", 50, 90, 110, Measurement.Spread.CI95);
        assertFalse(a.movedBeyondSpread(new Measurement("t", 105, "ns", 50, 95, 115, Measurement.Spread.CI95)));
        assertTrue(a.movedBeyondSpread(new Measurement("t", 200, "ns", 50, 180, 220, Measurement.Spread.CI95)));
        assertFalse(a.movedBeyondSpread(new Measurement("t", 150, "ns", 5, 100, 300, Measurement.Spread.RANGE)));
        assertFalse(Measurement.exact("n", 3, "calls").movedBeyondSpread(Measurement.exact("n", 3, "calls")));
        assertTrue(Measurement.exact("n", 3, "calls").movedBeyondSpread(Measurement.exact("n", 4, "calls")));
    }

    @Test
    void textWrapsWithinTheWidth() {
        String text = "a".repeat(5) + " " + "b".repeat(150) + " c d e";
        for (String l : TextReport.wrap(text, 40, "  ")) {
            assertTrue(l.length() <= 40, l);
        }
        assertEquals(java.util.List.of("one two", "  three"), TextReport.wrap("one two three", 8, "  "));
    }

    @Test
    void jsonNumbers() {
        assertEquals("65507", JsonReport.number(65507));
        assertEquals("0.5", JsonReport.number(0.5));
        assertEquals("null", JsonReport.number(Double.NaN));
        assertEquals(1.5e-5, Double.parseDouble(JsonReport.number(1.5e-5)), 1e-12);
    }
}

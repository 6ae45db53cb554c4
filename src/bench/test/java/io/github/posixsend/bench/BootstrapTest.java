// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap interval on synthetic samples whose answer is known. The samples come from generators with fixed
 * seeds and the bootstrap seeds itself from the data, so every assertion here is deterministic; the bounds are
 * chosen with a wide margin on the right answer and none for the plausible wrong ones.
 */
class BootstrapTest {

    /** {@code n} draws of a normal distribution, from a generator seeded with {@code seed}. */
    static List<Double> normal(long seed, int n, double mean, double sd) {
        Random r = new Random(seed);
        List<Double> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(mean + sd * r.nextGaussian());
        }
        return out;
    }

    static List<Double> scaled(List<Double> v, double factor) {
        List<Double> out = new ArrayList<>(v.size());
        for (double x : v) {
            out.add(x * factor);
        }
        return out;
    }

    static List<Double> shifted(List<Double> v, double by) {
        List<Double> out = new ArrayList<>(v.size());
        for (double x : v) {
            out.add(x + by);
        }
        return out;
    }

    private static void assertContains(double[] ci, double x) {
        assertTrue(ci[0] <= x && x <= ci[1], () -> "[" + ci[0] + ", " + ci[1] + "] should contain " + x);
    }

    private static void assertExcludes(double[] ci, double x) {
        assertTrue(x < ci[0] || x > ci[1], () -> "[" + ci[0] + ", " + ci[1] + "] should exclude " + x);
    }

    @Test
    void sameSamplesInAnotherOrderGiveARatioIntervalAroundOne() {
        List<Double> ref = normal(1, 60, 100, 5);
        List<Double> row = new ArrayList<>(ref);
        Collections.shuffle(row, new Random(2));
        double[] ci = Bootstrap.interval(row, ref, 3, true);
        assertContains(ci, 1.0);
        assertTrue(ci[0] < 1.0 && ci[1] > 1.0, "a distribution against itself is not one-sided");
        assertTrue(ci[1] - ci[0] < 0.1, "5 % noise cannot make the ratio's interval 10 % wide");
    }

    @Test
    void twoDrawsOfOneDistributionGiveARatioIntervalAroundOne() {
        double[] ci = Bootstrap.interval(normal(11, 400, 100, 10), normal(12, 400, 100, 10), 4, true);
        assertContains(ci, 1.0);
        assertExcludes(ci, 0.93);
        assertExcludes(ci, 1.07);
    }

    @Test
    void aRowTwiceItsReferenceGivesAnIntervalAroundTwoThatExcludesOne() {
        List<Double> ref = normal(21, 60, 100, 5);
        double[] exact = Bootstrap.interval(scaled(ref, 2), ref, 3, true);
        assertContains(exact, 2.0);
        assertExcludes(exact, 1.0);

        double[] drawn = Bootstrap.interval(normal(13, 400, 200, 20), normal(12, 400, 100, 10), 4, true);
        assertContains(drawn, 2.0);
        assertExcludes(drawn, 1.0);
        assertTrue(drawn[0] > 1.85 && drawn[1] < 2.15, () -> drawn[0] + ".." + drawn[1]);
    }

    @Test
    void theDifferenceIntervalIsAroundTheShift() {
        List<Double> ref = normal(31, 60, 1000, 3);
        double[] ci = Bootstrap.interval(shifted(ref, 25), ref, 3, false);
        assertContains(ci, 25);
        assertExcludes(ci, 0);
        double[] none = Bootstrap.interval(normal(32, 400, 1000, 3), normal(33, 400, 1000, 3), 4, false);
        assertContains(none, 0);
        assertExcludes(none, 25);
    }

    @Test
    void constantSamplesGiveTheExactStatisticAsAZeroWidthInterval() {
        List<Double> ref = Collections.nCopies(9, 100.0);
        assertArrayEquals(new double[] {1.03, 1.03}, Bootstrap.interval(Collections.nCopies(9, 103.0), ref, 3, true));
        assertArrayEquals(new double[] {-4, -4}, Bootstrap.interval(Collections.nCopies(9, 96.0), ref, 3, false));
    }

    /**
     * The level: 1 - 0.05 / 6, for the six looks of --full (3 rounds, then up to 5 extra), so that a verdict settled
     * at any of them is wrong at most 5 % of the time; and intervals of two draws of one distribution hold the true
     * difference, 0, about that often (the two-level bootstrap, which resamples rounds as well as the samples within
     * them, covers more often than its level when the rounds do not differ, as here: at least as often, never less).
     */
    @Test
    void theIntervalHasTheStatedLevel() {
        assertEquals(6, Bootstrap.LOOKS);
        assertEquals(1 - 0.05 / 6, Bootstrap.LEVEL, 1e-12);
        assertEquals("99.2 %", Bootstrap.levelText());
        int pairs = 40;
        int covered = 0;
        for (int s = 0; s < pairs; s++) {
            double[] ci = Bootstrap.interval(normal(2L * s + 1, 100, 100, 10), normal(2L * s + 2, 100, 100, 10), 4,
                    false);
            assertTrue(ci[0] <= ci[1]);
            covered += ci[0] <= 0 && 0 <= ci[1] ? 1 : 0;
        }
        assertTrue(covered >= 39, covered + " of " + pairs + " intervals hold the true difference");
    }

    /**
     * Rounds are drawn alike for the row and its reference: two rows that differ only by noise within rounds, under
     * a shared round effect of +-5 % (the machine's state, which hits both rows of a round), give a ratio interval
     * narrow around 1. Drawn apart, the round effect would widen it to about +-5 %.
     */
    @Test
    void theRoundsOfTheRowAndItsReferenceAreDrawnTogether() {
        Random r = new Random(51);
        List<Double> row = new ArrayList<>();
        List<Double> ref = new ArrayList<>();
        double[] effect = {0.95, 1.0, 1.05, 0.97, 1.04};
        for (double e : effect) {
            for (int i = 0; i < 10; i++) {
                row.add(100 * e * (1 + 0.002 * r.nextGaussian()));
                ref.add(100 * e * (1 + 0.002 * r.nextGaussian()));
            }
        }
        double[] ci = Bootstrap.interval(row, ref, effect.length, true);
        assertContains(ci, 1.0);
        assertTrue(ci[0] > 0.99 && ci[1] < 1.01, () -> ci[0] + ".." + ci[1]);
    }

    @Test
    void theSameSamplesGiveTheSameIntervalEveryTime() {
        List<Double> row = normal(41, 30, 110, 8);
        List<Double> ref = normal(42, 30, 100, 8);
        double[] first = Bootstrap.interval(row, ref, 3, true);
        // seeded from the values, not the lists' identity: a report replayed from its JSON says the same
        assertArrayEquals(first, Bootstrap.interval(new ArrayList<>(row), new ArrayList<>(ref), 3, true));
        assertArrayEquals(first, Bootstrap.interval(row, ref, 3, true));
    }

    @Test
    void blocksSplitIntoRoundsOnlyWhenTheyDivide() {
        List<Double> six = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        assertArrayEquals(new double[][] {{1, 2}, {3, 4}, {5, 6}}, Bootstrap.blocks(six, 3));
        // samples that do not divide into the rounds (another group's samples mixed in) are refused, not pooled
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.blocks(six, 4));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.blocks(List.of(7.0), 3));
        // fewer than three rounds show no spread between rounds
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.blocks(six, 1));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.blocks(six, 2));
    }

    /**
     * Rounds that disagree widen the interval: with each round's samples alike and the rounds at 100, 200 and 300,
     * resampling whole rounds can draw round 1 three times (or round 3), so the ratio's interval spans about 1 to 3
     * (pooled as one round, their median of 200 would barely move).
     */
    @Test
    void roundsAreResampledAsWholes() {
        List<Double> row = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < 20; i++) {
                row.add(round * 100.0 + i * 0.01);
            }
        }
        List<Double> ref = Collections.nCopies(60, 100.0);
        double[] byRound = Bootstrap.interval(row, ref, 3, true);
        assertTrue(byRound[0] < 1.1 && byRound[1] > 2.9, () -> byRound[0] + ".." + byRound[1]);
    }

    @Test
    void aResampledMedianOfOneValueIsThatValue() {
        Random rnd = new Random(1);
        assertEquals(7.0, Bootstrap.resampledMedian(new double[][] {{7}}, new int[] {0}, rnd));
        assertEquals(7.0, Bootstrap.resampledMedian(new double[][] {{7, 7}, {7, 7}}, new int[] {1, 1}, rnd));
        // the rounds drawn are those given: round 1 twice, never round 0's values
        assertEquals(9.0, Bootstrap.resampledMedian(new double[][] {{1, 1}, {9, 9}}, new int[] {1, 1}, rnd));
        // two values drawn from {1, 3}: 1, 2 or 3, never anything else
        for (int i = 0; i < 50; i++) {
            double m = Bootstrap.resampledMedian(new double[][] {{1, 3}}, new int[] {0}, rnd);
            assertTrue(m == 1 || m == 2 || m == 3, "median " + m);
        }
    }
}

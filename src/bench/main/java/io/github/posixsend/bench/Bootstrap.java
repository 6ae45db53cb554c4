// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Confidence intervals for comparing two rows of a group: the ratio (or the difference) of their medians, by a
 * two-level bootstrap that resamples rounds first and then the samples within each chosen round, because samples of
 * one round (one fork, one warm JVM, one state of the machine) are more alike than samples of different rounds. The
 * rounds are paired: a group's rows run interleaved in each round, so what the machine did during a round hit both,
 * and each resample draws the same rounds for the row and its reference. Seeded from the data, so that a report
 * written again from the same samples says the same.
 *
 * <p>The level is {@link #LEVEL}, not 95 %: a group whose verdict is within noise gets more rounds and is judged
 * again, up to {@link #LOOKS} times in all, and a verdict settled at any of those looks must be wrong at most 5 % of
 * the time (Bonferroni: 5 % shared among the looks). A simulation of a ratio exactly on its bound (3 samples a round,
 * 2 % between rounds for each row on its own and 1 % within): at 95 % a look and from 3 rounds it was called met or
 * missed 9.8 % of the time at the first look and 15.5 % across the looks (400 runs); at this level 7.3 % and 10.0 %
 * (1,000 runs), as three rounds show a bootstrap too little of the spread between them; from 5 rounds, 2.0 % and
 * 4.2 % (600 runs).
 */
final class Bootstrap {
    /** Resamples per interval: enough for the tails of {@link #LEVEL} (about 40 resamples beyond each end). */
    static final int RESAMPLES = 10_000;
    /** How many times a group's verdicts may be looked at: after its rounds, and after each extra round of --full. */
    static final int LOOKS = 1 + BenchMain.FULL.extraRounds();
    /** The interval's level at each look: 1 - 0.05 / {@link #LOOKS}. */
    static final double LEVEL = 1 - 0.05 / LOOKS;
    /** The fewest rounds an interval is made from: with fewer, the spread between rounds is not seen at all. */
    static final int MIN_ROUNDS = 3;

    private Bootstrap() {
    }

    /** {@link #LEVEL} as the reports print it: "99.2 %". */
    static String levelText() {
        return String.format(java.util.Locale.ROOT, "%.1f %%", LEVEL * 100);
    }

    /**
     * The {@link #LEVEL} percentile interval of {@code median(row) / median(ref)} ({@code ratio}) or
     * {@code median(row) - median(ref)}, each list holding {@code rounds} rounds of equal size in order.
     *
     * @throws IllegalArgumentException when a list does not divide into {@code rounds} rounds, or there are fewer
     *     than {@link #MIN_ROUNDS}
     */
    static double[] interval(List<Double> row, List<Double> ref, int rounds, boolean ratio) {
        double[][] a = blocks(row, rounds);
        double[][] b = blocks(ref, rounds);
        Random rnd = new Random(31L * row.hashCode() + ref.hashCode());
        double[] stats = new double[RESAMPLES];
        int[] drawn = new int[rounds];
        for (int i = 0; i < RESAMPLES; i++) {
            for (int r = 0; r < rounds; r++) {
                drawn[r] = rnd.nextInt(rounds);
            }
            double ma = resampledMedian(a, drawn, rnd);
            double mb = resampledMedian(b, drawn, rnd);
            stats[i] = ratio ? ma / mb : ma - mb;
        }
        Arrays.sort(stats);
        int tail = (int) ((1 - LEVEL) / 2 * RESAMPLES);
        return new double[] {stats[tail], stats[RESAMPLES - 1 - tail]};
    }

    /**
     * The samples split into {@code rounds} consecutive blocks of equal size.
     *
     * @throws IllegalArgumentException when they do not divide so, or {@code rounds} is below {@link #MIN_ROUNDS}:
     *     taking them as one block would hide the spread between rounds and narrow the interval
     */
    static double[][] blocks(List<Double> samples, int rounds) {
        int n = samples.size();
        if (!makesRounds(n, rounds)) {
            throw new IllegalArgumentException(n + " samples do not make " + rounds + " rounds of equal size"
                    + (rounds < MIN_ROUNDS ? " (an interval needs at least " + MIN_ROUNDS + " rounds)" : ""));
        }
        double[][] out = new double[rounds][n / rounds];
        for (int i = 0; i < n; i++) {
            out[i / (n / rounds)][i % (n / rounds)] = samples.get(i);
        }
        return out;
    }

    /** Whether {@code samples} samples divide into {@code rounds} rounds of equal size, and enough for an interval. */
    static boolean makesRounds(int samples, int rounds) {
        return rounds >= MIN_ROUNDS && samples > 0 && samples % rounds == 0;
    }

    /** The rounds {@code drawn}, then samples within each drawn round with replacement: their median. */
    static double resampledMedian(double[][] blocks, int[] drawn, Random rnd) {
        int per = blocks[0].length;
        double[] v = new double[drawn.length * per];
        for (int r = 0; r < drawn.length; r++) {
            double[] round = blocks[drawn[r]];
            for (int j = 0; j < per; j++) {
                v[r * per + j] = round[rnd.nextInt(per)];
            }
        }
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}

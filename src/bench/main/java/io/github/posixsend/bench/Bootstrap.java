// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Confidence intervals for comparing two rows: the ratio (or the difference) of their medians, by a two-level
 * bootstrap that resamples rounds first and then the samples within each chosen round, because samples of one
 * round (one fork, one warm JVM, one state of the machine) are more alike than samples of different rounds.
 * Seeded from the data, so that a report written again from the same samples says the same.
 */
final class Bootstrap {
    /** Resamples per interval. */
    static final int RESAMPLES = 2000;

    private Bootstrap() {
    }

    /**
     * The 95 % percentile interval of {@code median(row) / median(ref)} ({@code ratio}) or
     * {@code median(row) - median(ref)}, each list holding {@code rounds} rounds of equal size in order (a list that
     * does not divide into rounds is taken as one).
     */
    static double[] interval(List<Double> row, List<Double> ref, int rounds, boolean ratio) {
        double[][] a = blocks(row, rounds);
        double[][] b = blocks(ref, rounds);
        Random rnd = new Random(31L * row.hashCode() + ref.hashCode());
        double[] stats = new double[RESAMPLES];
        for (int i = 0; i < RESAMPLES; i++) {
            double ma = resampledMedian(a, rnd);
            double mb = resampledMedian(b, rnd);
            stats[i] = ratio ? ma / mb : ma - mb;
        }
        Arrays.sort(stats);
        return new double[] {stats[(int) (0.025 * RESAMPLES)], stats[(int) (0.975 * RESAMPLES) - 1]};
    }

    /** The samples split into {@code rounds} consecutive blocks of equal size, or one block. */
    static double[][] blocks(List<Double> samples, int rounds) {
        int n = samples.size();
        int k = rounds > 1 && n % rounds == 0 ? rounds : 1;
        double[][] out = new double[k][n / k];
        for (int i = 0; i < n; i++) {
            out[i / (n / k)][i % (n / k)] = samples.get(i);
        }
        return out;
    }

    /** Rounds drawn with replacement, then samples within each drawn round with replacement: their median. */
    static double resampledMedian(double[][] blocks, Random rnd) {
        int per = blocks[0].length;
        double[] v = new double[blocks.length * per];
        for (int r = 0; r < blocks.length; r++) {
            double[] round = blocks[rnd.nextInt(blocks.length)];
            for (int j = 0; j < per; j++) {
                v[r * per + j] = round[rnd.nextInt(per)];
            }
        }
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}

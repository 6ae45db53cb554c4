// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The statistics every timing claim shares: a median with a distribution-free confidence interval (order
 * statistics), and the ratio of two medians with a percentile-bootstrap interval. Medians, because a busy
 * machine adds rare long outliers that would drag a mean; intervals, because a verdict must rest on an effect
 * that the sampling noise of one run cannot explain.
 */
final class Estimate {
    /** The confidence level of the intervals the reports give and the verdicts rest on. */
    static final double LEVEL = 0.95;
    /**
     * The level of the interval on which a timing claim may stop before its last planned round. Each look at the data
     * that could end the rounds is a chance for noise to settle the verdict, so the early looks spend little of it:
     * with every early look at 99 % and the last at 95 %, the chance that any look lies about one side of the
     * threshold is at most 2.5 % + 0.5 % per early look (3.5 % with the default bounds' two early looks), where
     * stopping at the first 95 % look that settles would allow 2.5 % per look.
     */
    static final double EARLY_LEVEL = 0.99;
    /** Bootstrap resamples: enough for a stable 2.5% and 97.5% percentile. */
    private static final int RESAMPLES = 1_000;
    /** Fixed, so the same samples always give the same interval. */
    private static final long SEED = 0x5EED_5E4DL;
    /**
     * The fewest samples an interval of this class can be called 95 % on: below it the median's interval is the
     * samples' whole range, which covers the median with probability {@code 1 - 2^(1-n)} only (94 % at 5, 50 % at 2),
     * and a bootstrap of so few resamples the same handful; {@link Rule} calls such an interval too few samples.
     */
    static final int MIN_SAMPLES = 6;

    /**
     * A point estimate, its interval, and the sample counts behind it; the level the interval was built for, and
     * whether it was widened to cover each round's own estimate ({@link #acrossRounds}), which makes it wider than an
     * interval at that level and no longer one.
     */
    static final class Interval {
        final double value;
        final double low;
        final double high;
        final int samples;
        final double level;
        final boolean widened;

        /** A 95 % interval. */
        Interval(double value, double low, double high, int samples) {
            this(value, low, high, samples, LEVEL, false);
        }

        Interval(double value, double low, double high, int samples, double level, boolean widened) {
            this.value = value;
            this.low = low;
            this.high = high;
            this.samples = samples;
            this.level = level;
            this.widened = widened;
        }

        /** The same interval resting on {@code n} samples: the groups it was widened over, when they are the unit. */
        Interval withSamples(int n) {
            return new Interval(value, low, high, n, level, widened);
        }

        /** The same interval in another unit: value and bounds times {@code factor} (positive). */
        Interval scaled(double factor) {
            return new Interval(value * factor, low * factor, high * factor, samples, level, widened);
        }
    }

    /**
     * The fewest samples an interval at {@code level} rests on: the fewest n whose range covers the median with
     * probability {@code 1 - 2^(1-n)} of at least the level ({@value #MIN_SAMPLES} at 95 %, 8 at 99 %).
     */
    static int minSamples(double level) {
        int n = 2;
        while (1 - Math.pow(2, 1 - n) < level) {
            n++;
        }
        return n;
    }

    /** The standard normal quantile of a two-sided interval at {@code level}: 1.96 at 95 %, 2.58 at 99 %. */
    private static double z(double level) {
        if (level == LEVEL) {
            return 1.959964;
        }
        if (level == EARLY_LEVEL) {
            return 2.575829;
        }
        throw new IllegalArgumentException("no quantile for level " + level);
    }

    private Estimate() {
    }

    /**
     * The median of {@code s} and the interval between the order statistics that cover the population median
     * with about 95% probability (normal approximation to the binomial; with fewer than {@value #MIN_SAMPLES} samples,
     * min to max, which covers less).
     */
    static Interval median(long[] s) {
        return median(s, LEVEL);
    }

    /** {@link #median(long[])} with an interval at {@code level} ({@link #LEVEL} or {@link #EARLY_LEVEL}). */
    static Interval median(long[] s, double level) {
        if (s.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sorted = s.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double half = z(level) * Math.sqrt(n) / 2;
        int lo = (int) Math.floor(n / 2.0 - half);
        int hi = (int) Math.ceil(n / 2.0 + half);
        lo = Math.max(0, Math.min(n - 1, lo));
        hi = Math.max(0, Math.min(n - 1, hi));
        return new Interval(median(sorted, n), sorted[lo], sorted[hi], n, level, false);
    }

    /**
     * median(a) / median(b) with a 95% percentile-bootstrap interval: both sample sets are resampled with
     * replacement and the ratio recomputed {@value #RESAMPLES} times.
     */
    static Interval ratioOfMedians(long[] a, long[] b) {
        return ratioOfMedians(a, b, LEVEL);
    }

    /**
     * {@link #ratioOfMedians(long[], long[])} with an interval at {@code level}. The resamples are the same at every
     * level (a fixed seed), so a 99 % interval always contains the 95 % one of the same samples.
     */
    static Interval ratioOfMedians(long[] a, long[] b, double level) {
        return ratioOfMediansAt(a, b, level)[0];
    }

    /** {@link #ratioOfMedians(long[], long[], double)} at each of {@code levels}, from one bootstrap. */
    static Interval[] ratioOfMediansAt(long[] a, long[] b, double... levels) {
        for (double level : levels) {
            z(level); // refuses a level the class does not know, as median does
        }
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sa = a.clone();
        long[] sb = b.clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        double point = median(sa, sa.length) / Math.max(1e-9, median(sb, sb.length));
        SplittableRandom rnd = new SplittableRandom(SEED);
        double[] ratios = new double[RESAMPLES];
        long[] ra = new long[a.length];
        long[] rb = new long[b.length];
        for (int i = 0; i < RESAMPLES; i++) {
            for (int j = 0; j < ra.length; j++) {
                ra[j] = a[rnd.nextInt(a.length)];
            }
            for (int j = 0; j < rb.length; j++) {
                rb[j] = b[rnd.nextInt(b.length)];
            }
            Arrays.sort(ra);
            Arrays.sort(rb);
            ratios[i] = median(ra, ra.length) / Math.max(1e-9, median(rb, rb.length));
        }
        return percentiles(ratios, point, Math.min(a.length, b.length), levels);
    }

    /**
     * The ratio of two costs per unit, each its total time over its total units: {@code (sum(ta) / sum(ua)) /
     * (sum(tb) / sum(ub))}, with a percentile-bootstrap interval at each of {@code levels} that resamples each side's
     * calls (a call's time and units together) with replacement {@value #RESAMPLES} times.
     */
    static Interval[] ratioOfTotalsAt(long[] ta, long[] ua, long[] tb, long[] ub, double... levels) {
        for (double level : levels) {
            z(level);
        }
        if (ta.length == 0 || tb.length == 0 || ta.length != ua.length || tb.length != ub.length) {
            throw new IllegalArgumentException("no samples, or times and units that do not pair up");
        }
        double point = rate(ta, ua) / Math.max(1e-12, rate(tb, ub));
        SplittableRandom rnd = new SplittableRandom(SEED);
        double[] ratios = new double[RESAMPLES];
        for (int i = 0; i < RESAMPLES; i++) {
            double t = 0;
            double u = 0;
            for (int j = 0; j < ta.length; j++) {
                int k = rnd.nextInt(ta.length);
                t += ta[k];
                u += ua[k];
            }
            double rateA = t / Math.max(1, u);
            t = 0;
            u = 0;
            for (int j = 0; j < tb.length; j++) {
                int k = rnd.nextInt(tb.length);
                t += tb[k];
                u += ub[k];
            }
            ratios[i] = rateA / Math.max(1e-12, t / Math.max(1, u));
        }
        return percentiles(ratios, point, Math.min(ta.length, tb.length), levels);
    }

    /**
     * The median of {@code values} with a percentile-bootstrap interval at each of {@code levels} that resamples
     * clusters, not values: {@code cluster[i]} (0 to k-1) names the group value i belongs to, whose values move
     * together (the sends one acknowledgement covered), so a cluster is one sample, and the interval's sample count is
     * k. Each resample draws k clusters with replacement, {@value #RESAMPLES} times.
     */
    static Interval[] medianOfClustersAt(long[] values, int[] cluster, double... levels) {
        for (double level : levels) {
            z(level);
        }
        if (values.length == 0 || values.length != cluster.length) {
            throw new IllegalArgumentException("no samples, or values and clusters that do not pair up");
        }
        int k = 0;
        for (int c : cluster) {
            if (c < 0) {
                throw new IllegalArgumentException("cluster " + c);
            }
            k = Math.max(k, c + 1);
        }
        long[][] members = new long[k][];
        int[] size = new int[k];
        for (int c : cluster) {
            size[c]++;
        }
        for (int c = 0; c < k; c++) {
            if (size[c] == 0) {
                throw new IllegalArgumentException("cluster " + c + " of " + k + " has no values");
            }
            members[c] = new long[size[c]];
            size[c] = 0;
        }
        for (int i = 0; i < values.length; i++) {
            members[cluster[i]][size[cluster[i]]++] = values[i];
        }
        double point = medianOf(values);
        SplittableRandom rnd = new SplittableRandom(SEED);
        double[] medians = new double[RESAMPLES];
        long[] drawn = new long[values.length * 4];
        for (int i = 0; i < RESAMPLES; i++) {
            int n = 0;
            for (int j = 0; j < k; j++) {
                long[] m = members[rnd.nextInt(k)];
                if (n + m.length > drawn.length) {
                    drawn = Arrays.copyOf(drawn, Math.max(drawn.length * 2, n + m.length));
                }
                System.arraycopy(m, 0, drawn, n, m.length);
                n += m.length;
            }
            Arrays.sort(drawn, 0, n);
            medians[i] = median(drawn, n);
        }
        return percentiles(medians, point, k, levels);
    }

    /**
     * The percentile intervals of bootstrap {@code ratios} (sorted here) at each of {@code levels}, each widened to
     * hold {@code point}.
     */
    private static Interval[] percentiles(double[] ratios, double point, int samples, double... levels) {
        Arrays.sort(ratios);
        Interval[] out = new Interval[levels.length];
        for (int k = 0; k < levels.length; k++) {
            double tail = (1 - levels[k]) / 2;
            double low = ratios[(int) Math.floor(tail * (RESAMPLES - 1))];
            double high = ratios[(int) Math.ceil((1 - tail) * (RESAMPLES - 1))];
            out[k] = new Interval(point, Math.min(low, point), Math.max(high, point), samples, levels[k], false);
        }
        return out;
    }

    /** Total time over total units. */
    static double rate(long[] times, long[] units) {
        double t = 0;
        double u = 0;
        for (int i = 0; i < times.length; i++) {
            t += times[i];
            u += units[i];
        }
        return t / Math.max(1, u);
    }

    /** median(a) / median(b), without an interval. */
    static double ratio(long[] a, long[] b) {
        long[] sa = a.clone();
        long[] sb = b.clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        return median(sa, sa.length) / Math.max(1e-9, median(sb, sb.length));
    }

    /** The median, without an interval. */
    static double medianOf(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return median(s, s.length);
    }

    /**
     * {@code pooled} widened to cover each round's own estimate: samples within a round are not independent
     * when the machine's load drifts, and rounds that disagree must show as a wider interval. The result is marked
     * widened: it is at least as wide as a confidence interval at {@code pooled}'s level, but not one (the reports
     * call its spread {@link Measurement.Spread#ACROSS_ROUNDS}).
     */
    static Interval acrossRounds(Interval pooled, java.util.Collection<Double> perRound) {
        double low = pooled.low;
        double high = pooled.high;
        for (double v : perRound) {
            low = Math.min(low, v);
            high = Math.max(high, v);
        }
        return new Interval(pooled.value, low, high, pooled.samples, pooled.level, true);
    }

    private static double median(long[] sorted, int n) {
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2;
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.util.Objects;

/**
 * One measured quantity as the JSON report and --compare see it: its value, unit, how many samples it rests
 * on, and its spread as a low and high bound with what they are (a 95% interval, one widened across rounds, min to
 * max, or exact).
 */
final class Measurement {
    /** What the low and high bounds are. */
    enum Spread {
        /** A 95% confidence interval of the value. */
        CI95,
        /**
         * A 95% confidence interval of the value widened to cover each round's own estimate, for a timing claim's
         * verdict quantity: at least as wide as the 95% interval and wider when rounds disagree, so not a 95% interval
         * itself. Like every spread here it is one run's, and understates how much the value moves between runs.
         */
        ACROSS_ROUNDS,
        /** The smallest and largest sample. */
        RANGE,
        /** A count or a reading that does not vary by chance: low = high = value. */
        EXACT,
        /**
         * One reading whose spread is unknown (low = high = value): a timing, or a count or size that varies from run
         * to run by chance; --compare does not judge it.
         */
        SINGLE
    }

    final String name;
    final double value;
    final String unit;
    final int samples;
    final double low;
    final double high;
    final Spread spread;

    Measurement(String name, double value, String unit, int samples, double low, double high, Spread spread) {
        this.name = Objects.requireNonNull(name);
        this.value = value;
        this.unit = Objects.requireNonNull(unit);
        this.samples = samples;
        this.low = low;
        this.high = high;
        this.spread = spread;
    }

    /** A count or single reading. */
    static Measurement exact(String name, double value, String unit) {
        return new Measurement(name, value, unit, 1, value, value, Spread.EXACT);
    }

    /** One timing, or a reading that varies by chance, whose spread is unknown. */
    static Measurement single(String name, double value, String unit) {
        return new Measurement(name, value, unit, 1, value, value, Spread.SINGLE);
    }

    /**
     * An estimate with its 95% interval, or that interval widened across rounds; of fewer than
     * {@link Estimate#MIN_SAMPLES} samples, with their range.
     */
    static Measurement of(String name, Estimate.Interval i, String unit) {
        if (i.level != Estimate.LEVEL) {
            // the spread kinds name 95 % intervals; a stricter one decides when to stop, and is not reported
            throw new IllegalArgumentException(name + ": a " + i.level + " interval");
        }
        return new Measurement(name, i.value, unit, i.samples, i.low, i.high, i.samples < Estimate.MIN_SAMPLES
                ? Spread.RANGE : i.widened ? Spread.ACROSS_ROUNDS : Spread.CI95);
    }

    /** The median of timings in nanoseconds with its 95% interval. */
    static Measurement medianNanos(String name, long[] samples) {
        Estimate.Interval i = Estimate.median(samples);
        // so few samples' interval is their range, not a 95 % one (Estimate.MIN_SAMPLES)
        return new Measurement(name, i.value, "ns", i.samples, i.low, i.high,
                i.samples < Estimate.MIN_SAMPLES ? Spread.RANGE : Spread.CI95);
    }

    /** True when {@code other}'s value lies outside this one's spread and this value outside the other's. */
    boolean movedBeyondSpread(Measurement other) {
        if (spread == Spread.SINGLE || other.spread == Spread.SINGLE) {
            return false;
        }
        return (other.value < low || other.value > high) && (value < other.low || value > other.high);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.util.Arrays;
import java.util.Locale;

/** The median, minimum and maximum of a set of timings in nanoseconds, and how they are written. */
final class Stats {
    final long median;
    final long min;
    final long max;
    final int count;

    private Stats(long median, long min, long max, int count) {
        this.median = median;
        this.min = min;
        this.max = max;
        this.count = count;
    }

    /** The summary of the first {@code n} samples (n at least 1). */
    static Stats of(long[] samples, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("no samples");
        }
        long[] s = Arrays.copyOf(samples, n);
        Arrays.sort(s);
        long median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Stats(median, s[0], s[n - 1], n);
    }

    /** "2.1 us (min 1.8 us, max 40 us, n=200)". */
    @Override
    public String toString() {
        return duration(median) + " (min " + duration(min) + ", max " + duration(max) + ", n=" + count + ")";
    }

    /** A duration in the unit that suits it: ns, us, ms or s (ASCII, so any terminal shows it). */
    static String duration(long nanos) {
        if (nanos < 0 && nanos != Long.MIN_VALUE) {
            return "-" + duration(-nanos);
        }
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** A byte count in the unit that suits it. */
    static String bytes(long n) {
        if (n < 10 * 1024) {
            return n + " B";
        }
        if (n < 10L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
}

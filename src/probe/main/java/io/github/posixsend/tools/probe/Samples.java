// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.util.Arrays;

/** A growable list of timings or counts, so a probe can add rounds of samples until its verdict settles. */
final class Samples {
    private long[] values;
    private int count;

    Samples(int capacity) {
        values = new long[Math.max(8, capacity)];
    }

    void add(long v) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = v;
    }

    int count() {
        return count;
    }

    /** A copy of the samples, in the order they were added. */
    long[] toArray() {
        return Arrays.copyOf(values, count);
    }

    /** The samples added from index {@code from} on (one round's, when {@code from} is the count before it). */
    long[] since(int from) {
        return Arrays.copyOfRange(values, from, count);
    }

    Stats stats() {
        return Stats.of(values, count);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

/**
 * The limits every probe keeps to: its deadline and the sizes of its loops. {@link #DEFAULT} gives steady
 * figures in well under a minute for the whole run; {@link #QUICK} is for tests and a first look.
 */
final class Bounds {
    /** The figures a person running the probe wants. */
    static final Bounds DEFAULT = new Bounds("default", 5_000, 200, 50, 64L << 20, 32L << 20, 1_000, 20, 2_000, 200, 4);
    /** Short bounds for tests: the same checks with fewer repetitions. */
    static final Bounds QUICK = new Bounds("quick", 2_500, 30, 10, 32L << 20, 8L << 20, 400, 8, 500, 60, 3);

    /** The name shown in reports. */
    final String name;
    /** How long one probe may run before the runner aborts it. */
    final long deadlineMillis;
    /** How many timed calls a timing takes (after the warm-up). */
    final int repetitions;
    /** How many untimed calls come first, so the JIT and caches settle. */
    final int warmup;
    /** The most a probe writes while filling a socket buffer. */
    final long fillCapBytes;
    /** How many bytes the per-byte cost probe pushes through each protocol. */
    final long volumeBytes;
    /** How long the MSG_MORE probe waits for the kernel to release held data by itself. */
    final long holdWaitMillis;
    /** Timed write-write-read exchanges of the Nagle probe, per setting. */
    final int exchanges;
    /** Datagrams the silent-drop probe sends at a receiver that does not read. */
    final int datagrams;
    /** How long the peer waits before draining a full buffer in the blocking-send probe. */
    final long drainDelayMillis;
    /** The most rounds of samples a timing claim takes before it settles for INCONCLUSIVE. */
    final int maxRounds;

    Bounds(String name, long deadlineMillis, int repetitions, int warmup, long fillCapBytes, long volumeBytes,
            long holdWaitMillis, int exchanges, int datagrams, long drainDelayMillis, int maxRounds) {
        this.name = name;
        this.deadlineMillis = deadlineMillis;
        this.repetitions = repetitions;
        this.warmup = warmup;
        this.fillCapBytes = fillCapBytes;
        this.volumeBytes = volumeBytes;
        this.holdWaitMillis = holdWaitMillis;
        this.exchanges = exchanges;
        this.datagrams = datagrams;
        this.drainDelayMillis = drainDelayMillis;
        this.maxRounds = maxRounds;
    }

    /** These bounds with another deadline. */
    Bounds withDeadline(long millis) {
        return new Bounds(name, millis, repetitions, warmup, fillCapBytes, volumeBytes, holdWaitMillis, exchanges,
                datagrams, drainDelayMillis, maxRounds);
    }
}

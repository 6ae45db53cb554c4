// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

/** A probe and what it measured, with how long it took. */
final class ProbeResult {
    final Probe probe;
    final Outcome outcome;
    final long elapsedMillis;
    /** The probe's thread when it did not stop after its sockets were shut down, else null. */
    final Thread leftBehind;

    ProbeResult(Probe probe, Outcome outcome, long elapsedMillis) {
        this(probe, outcome, elapsedMillis, null);
    }

    ProbeResult(Probe probe, Outcome outcome, long elapsedMillis, Thread leftBehind) {
        this.probe = probe;
        this.outcome = outcome;
        this.elapsedMillis = elapsedMillis;
        this.leftBehind = leftBehind;
    }
}

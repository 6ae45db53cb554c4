package io.github.posixsend.tools.probe;

/** A probe and what it measured, with how long it took. */
final class ProbeResult {
    final Probe probe;
    final Outcome outcome;
    final long elapsedMillis;

    ProbeResult(Probe probe, Outcome outcome, long elapsedMillis) {
        this.probe = probe;
        this.outcome = outcome;
        this.elapsedMillis = elapsedMillis;
    }
}

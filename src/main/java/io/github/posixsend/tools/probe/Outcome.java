package io.github.posixsend.tools.probe;

import java.util.Objects;

/**
 * What one probe measured: a one-line summary of the figures, the verdict, and details (how it was measured,
 * the raw numbers, or the error).
 */
final class Outcome {
    final String measured;
    final Verdict verdict;
    final String details;

    Outcome(String measured, Verdict verdict, String details) {
        this.measured = Objects.requireNonNull(measured, "measured");
        this.verdict = Objects.requireNonNull(verdict, "verdict");
        this.details = details == null ? "" : details;
    }

    static Outcome of(boolean holds, String measured, String details) {
        return new Outcome(measured, holds ? Verdict.HOLDS : Verdict.DIFFERS, details);
    }

    static Outcome notAvailable(String measured, String details) {
        return new Outcome(measured, Verdict.NOT_AVAILABLE, details);
    }

    static Outcome notApplicable(String measured, String details) {
        return new Outcome(measured, Verdict.NOT_APPLICABLE, details);
    }

    static Outcome error(String measured, String details) {
        return new Outcome(measured, Verdict.ERROR, details);
    }
}

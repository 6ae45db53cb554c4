// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one probe measured: a one-line summary of the figures, the verdict (with the reason when it is
 * INCONCLUSIVE), details (how it was measured, or the error), the measurements as numbers, and the series
 * behind the report's charts.
 */
final class Outcome {
    final String measured;
    final Verdict verdict;
    final String details;
    final String reason;
    private final List<Measurement> measurements = new ArrayList<>();
    private final Map<String, double[]> series = new LinkedHashMap<>();

    Outcome(String measured, Verdict verdict, String details, String reason) {
        this.measured = Objects.requireNonNull(measured, "measured");
        this.verdict = Objects.requireNonNull(verdict, "verdict");
        this.details = details == null ? "" : details;
        this.reason = reason == null ? "" : reason;
    }

    Outcome(String measured, Verdict verdict, String details) {
        this(measured, verdict, details, "");
    }

    static Outcome of(boolean holds, String measured, String details) {
        return new Outcome(measured, holds ? Verdict.HOLDS : Verdict.DIFFERS, details);
    }

    static Outcome of(Rule.Decision d, String measured, String details) {
        return new Outcome(measured, d.verdict, details, d.reason);
    }

    /**
     * A verdict decided elsewhere (a probe's verdict function), with {@code whyOpen} as the reason when it is
     * {@link Verdict#INCONCLUSIVE}.
     */
    static Outcome of(Verdict verdict, String whyOpen, String measured, String details) {
        return new Outcome(measured, verdict, details, verdict == Verdict.INCONCLUSIVE ? whyOpen : "");
    }

    /** A claim the run could not decide, and why. */
    static Outcome inconclusive(String reason, String measured, String details) {
        return new Outcome(measured, Verdict.INCONCLUSIVE, details, reason);
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

    /** A copy of this outcome whose details end with {@code note}. */
    Outcome withNote(String note) {
        Outcome o = new Outcome(measured, verdict, details.isEmpty() ? note : details + " " + note, reason);
        o.measurements.addAll(measurements);
        o.series.putAll(series);
        return o;
    }

    /** Adds a measurement; returns this outcome. */
    Outcome measure(Measurement m) {
        measurements.add(m);
        return this;
    }

    /** Adds an exact reading; returns this outcome. */
    Outcome measure(String name, double value, String unit) {
        return measure(Measurement.exact(name, value, unit));
    }

    /**
     * Adds a reading that varies from run to run by chance (a count of rounds, of retransmissions, the bytes a fill
     * took), whose spread one run cannot give; returns this outcome.
     */
    Outcome reading(String name, double value, String unit) {
        return measure(Measurement.single(name, value, unit));
    }

    /** Keeps a series of numbers for the report's charts; returns this outcome. */
    Outcome series(String name, double[] values) {
        series.put(name, values.clone());
        return this;
    }

    List<Measurement> measurements() {
        return Collections.unmodifiableList(measurements);
    }

    /** The series by name, in the order they were added. */
    Map<String, double[]> series() {
        return Collections.unmodifiableMap(series);
    }

    static double[] doubles(long[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}

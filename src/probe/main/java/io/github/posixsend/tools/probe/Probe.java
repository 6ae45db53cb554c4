// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

/**
 * One claim about {@code send} and the measurement that checks it on the running kernel.
 *
 * <p>A probe opens its sockets through {@link ProbeContext#descriptors()} in try-with-resources, so they close
 * even when it fails, and keeps every loop bounded by {@link ProbeContext#bounds()} and the context's deadline.
 * It returns what it measured; an exception it throws is reported as {@link Verdict#ERROR} by the runner.
 */
interface Probe {
    /** The claim's number (from 1, one per claim), which orders the report and can name it in --only. */
    int number();

    /** A short lower-case name for {@code --only}, such as {@code udp-max-size}. */
    String name();

    /** The claim in a few words, for the text table. */
    String title();

    /** The claim in full, as the literature makes it. */
    String claim();

    /** What makes the claim HOLD or DIFFER, as a test on the measured quantities. */
    String rule();

    /** Measures the claim on this kernel. */
    Outcome run(ProbeContext ctx) throws Exception;
}

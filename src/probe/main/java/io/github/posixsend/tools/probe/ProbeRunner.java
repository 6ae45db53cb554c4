// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs probes one after another, each on its own thread under its deadline; one that fails or overruns is
 * reported as {@link Verdict#ERROR} and the rest still run. A probe whose thread does not stop even after its sockets
 * were shut down is left behind, and every later result measured while it still ran says so in its details: that
 * thread may hold a CPU or sockets the later figures compete with.
 */
final class ProbeRunner {
    /** Extra time past the deadline before the runner steps in, for a probe that is finishing its clean-up. */
    private static final long GRACE_MILLIS = 500;
    /** How long an aborted probe gets to notice and close its sockets. */
    private static final long ABORT_WAIT_MILLIS = 3_000;

    /** Told as probes start and finish, for a progress line. */
    interface Listener {
        void started(int index, int total, Probe probe);

        void finished(ProbeResult result);
    }

    private ProbeRunner() {
    }

    static List<ProbeResult> run(List<Probe> probes, Bounds bounds, Listener listener) {
        List<ProbeResult> results = new ArrayList<>();
        List<ProbeResult> leftBehind = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            if (listener != null) {
                listener.started(i + 1, probes.size(), p);
            }
            List<ProbeResult> running = new ArrayList<>();
            for (ProbeResult earlier : leftBehind) {
                if (earlier.leftBehind.isAlive()) {
                    running.add(earlier);
                }
            }
            ProbeResult r = runOne(p, bounds);
            StringBuilder note = new StringBuilder();
            for (ProbeResult earlier : running) {
                note.append(note.length() == 0 ? "" : " ").append("Note: claim ").append(earlier.probe.number())
                        .append("'s thread (").append(earlier.probe.name()).append("), which did not stop after its "
                        + "deadline, was still running when this probe started: it may have taken CPU time or "
                        + "sockets from these figures.");
            }
            if (note.length() > 0) {
                r = new ProbeResult(r.probe, r.outcome.withNote(note.toString()), r.elapsedMillis, r.leftBehind);
            }
            if (r.leftBehind != null) {
                leftBehind.add(r);
            }
            results.add(r);
            if (listener != null) {
                listener.finished(r);
            }
        }
        return results;
    }

    static ProbeResult runOne(Probe probe, Bounds bounds) {
        ProbeContext ctx = new ProbeContext(bounds);
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean late = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                Outcome returned = probe.run(ctx);
                // past the deadline, waits and drains return "nothing came": what it measured may be cut short
                late.set(ctx.expired());
                outcome.set(returned);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "probe-" + probe.name());
        t.setDaemon(true);
        long t0 = System.nanoTime();
        t.start();
        boolean overran = false;
        try {
            t.join(bounds.deadlineMillis + GRACE_MILLIS);
            if (t.isAlive()) {
                overran = true;
                ctx.abort();
                t.join(ABORT_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.abort();
        }
        long elapsed = (System.nanoTime() - t0) / 1_000_000L;
        Outcome o;
        if (t.isAlive()) {
            o = Outcome.error("did not stop", "still running " + ABORT_WAIT_MILLIS + " ms after its sockets were "
                    + "shut down at the deadline of " + bounds.deadlineMillis + " ms; its thread was left behind");
        } else if (overran) {
            o = Outcome.error("exceeded its deadline", "stopped after its deadline of " + bounds.deadlineMillis
                    + " ms" + (failure.get() != null ? ": " + describe(failure.get()) : ""));
        } else if (failure.get() != null) {
            o = Outcome.error(describe(failure.get()), stackTop(failure.get()));
        } else if (outcome.get() == null) {
            o = Outcome.error("no result", "the probe returned nothing");
        } else if (late.get() && outcome.get().verdict != Verdict.NOT_APPLICABLE
                && outcome.get().verdict != Verdict.NOT_AVAILABLE) {
            o = Outcome.error("ran past its deadline", "it returned " + outcome.get().verdict
                    + " after its deadline of " + bounds.deadlineMillis + " ms, when its waits and drains stop early,"
                    + " so what it measured may be cut short (measured: " + outcome.get().measured
                    + "); --deadline gives it more time");
        } else {
            o = outcome.get();
        }
        return new ProbeResult(probe, o, elapsed, t.isAlive() ? t : null);
    }

    /** The exception as a reader wants it: ErrnoException messages already say "call: ERRNO (text)". */
    static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof io.github.posixsend.ErrnoException) {
            return m;
        }
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String stackTop(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        return st.length == 0 ? describe(e) : describe(e) + " at " + st[0];
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.util.ArrayList;
import java.util.List;

/**
 * What a running probe may use: its bounds, its deadline, and descriptor holders that the runner can wake up.
 *
 * <p>Blocking socket calls do not answer {@link Thread#interrupt()}, so a probe past its deadline is stopped by
 * {@link #abort()}, which shuts down every socket the probe opened: a call blocked on one of them returns, the
 * probe fails, and its try-with-resources closes the descriptors.
 */
final class ProbeContext {
    private final Bounds bounds;
    private final long deadlineNanos;
    private final List<Descriptors> holders = new ArrayList<>();
    private volatile boolean aborted;

    ProbeContext(Bounds bounds) {
        this.bounds = bounds;
        this.deadlineNanos = System.nanoTime() + bounds.deadlineMillis * 1_000_000L;
    }

    Bounds bounds() {
        return bounds;
    }

    /** A new holder for this probe's sockets and helper threads; close it with try-with-resources. */
    Descriptors descriptors() {
        Descriptors d = new Descriptors();
        synchronized (holders) {
            holders.add(d);
            if (aborted) {
                d.shutdownAll();
            }
        }
        return d;
    }

    /** True once the probe's deadline has passed. */
    boolean expired() {
        return aborted || System.nanoTime() - deadlineNanos > 0;
    }

    /** Milliseconds left before the deadline, at least 0. */
    long remainingMillis() {
        return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000L);
    }

    /** Throws when the deadline has passed, so a loop ends with a clear message. */
    void checkDeadline(String what) throws ProbeTimeoutException {
        if (expired()) {
            throw new ProbeTimeoutException(what + ": deadline of " + bounds.deadlineMillis + " ms passed");
        }
    }

    /** Wakes every call blocked on this probe's sockets by shutting them down; they close with their holders. */
    void abort() {
        aborted = true;
        synchronized (holders) {
            for (Descriptors d : holders) {
                d.shutdownAll();
            }
        }
    }

    /** A probe ran past its deadline. */
    static final class ProbeTimeoutException extends Exception {
        private static final long serialVersionUID = 1L;

        ProbeTimeoutException(String message) {
            super(message);
        }
    }
}

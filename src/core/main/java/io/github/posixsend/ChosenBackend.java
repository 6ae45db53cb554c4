// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;

/**
 * The backend the public classes make their calls through, asked of {@link Backends} once (it checks its caller,
 * which costs a stack walk) and kept in a constant the JIT folds.
 */
final class ChosenBackend {
    /** The backend, or null when none is available. */
    private static final Backend BACKEND = Backends.isAvailable() ? Backends.current() : null;

    private ChosenBackend() {
    }

    /**
     * {@return the backend}
     *
     * @throws UnsupportedOperationException when posix-send cannot work in this JVM
     */
    static Backend get() {
        Backend b = BACKEND;
        if (b == null) {
            throw Backends.unavailable();
        }
        return b;
    }
}

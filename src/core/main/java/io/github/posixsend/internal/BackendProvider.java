// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers

package io.github.posixsend.internal;

/**
 * A backend that lives in an artifact of its own (the JNR-FFI backend, {@code posix-send-jnr}), found by
 * {@link Backends} through {@link java.util.ServiceLoader} on the class path or the module path, so the core
 * library needs neither the artifact nor a flag naming it. The module exports this package only to such modules.
 */
public interface BackendProvider {

    /**
     * Loads the backend: called at most once per JVM, when it is chosen or {@code auto} reaches it.
     *
     * @return the backend, ready for calls
     * @throws RuntimeException or {@link LinkageError} when it cannot work here, saying why
     */
    Backend load();
}

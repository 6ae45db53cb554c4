// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers

package io.github.posixsend.internal.jnr;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.BackendProvider;
import io.github.posixsend.internal.LibraryCallers;

/** Makes the JNR-FFI backend findable by the core library's {@link java.util.ServiceLoader} lookup. */
public final class JnrBackendProvider implements BackendProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public JnrBackendProvider() {
    }

    @Override
    public Backend load() {
        LibraryCallers.require(JnrBackendProvider.class, "the JNR backend");
        return JnrBackend.load();
    }
}

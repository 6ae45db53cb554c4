// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jnr;

import io.github.posixsend.Os;
import io.github.posixsend.internal.LibraryCallers;
import io.github.posixsend.internal.libc.LibcBackend;

/**
 * The backend over JNR-FFI: {@link LibcBackend}'s calls made through {@link JnrLibrary}. It serves where the
 * bundled shim does not load and neither does the foreign function API (JDK 17 to 21 on an architecture or system
 * without a bundled library), or when chosen with {@code -Dposixsend.backend=jnr}.
 */
public final class JnrBackend extends LibcBackend {

    private JnrBackend(JnrLibrary library, Os os) {
        super(library, os);
    }

    /**
     * Binds the C library through JNR-FFI.
     *
     * @return the backend
     * @throws UnsatisfiedLinkError when JNR cannot load its own stub or the C library
     * @throws UnsupportedOperationException on a system posix-send has no tables for
     */
    public static JnrBackend load() {
        LibraryCallers.require(JnrBackend.class, "the JNR backend");
        Os os = Os.current();
        return new JnrBackend(JnrLibrary.load(os), os);
    }
}

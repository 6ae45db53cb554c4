// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.ffm;

import io.github.posixsend.Os;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.LibraryCallers;
import io.github.posixsend.internal.libc.LibcBackend;

/**
 * The backend over the JDK's foreign function API: {@link LibcBackend}'s calls made through {@link FfmLibrary}.
 * {@link FfmBackends#load} finds it on JDK 22 and later.
 */
public final class FfmBackend extends LibcBackend {

    private FfmBackend(Os os) {
        super(new FfmLibrary(), os);
    }

    /**
     * Binds the C library through the foreign function API.
     *
     * @return the backend
     * @throws UnsatisfiedLinkError when a C function is not found
     * @throws UnsupportedOperationException on a system posix-send has no tables for
     */
    public static Backend load() {
        LibraryCallers.require(FfmBackend.class, "the FFM backend");
        Os os = Os.current();
        try {
            return new FfmBackend(os);
        } catch (ExceptionInInitializerError e) {
            // the bindings are made once, in FfmLibrary's static initializer: report what failed there
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}

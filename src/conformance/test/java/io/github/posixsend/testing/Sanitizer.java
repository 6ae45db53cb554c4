// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

/**
 * Whether this JVM runs the suite against the shim built with AddressSanitizer: scripts/sanitize preloads gcc's
 * libasan (the JVM itself is not built with it), so its allocator, not glibc's, serves every malloc of the process and
 * its child JVMs.
 */
public final class Sanitizer {
    private Sanitizer() {
    }

    /** True when AddressSanitizer's runtime is in {@code LD_PRELOAD}. */
    public static boolean preloaded() {
        String preload = System.getenv("LD_PRELOAD");
        return preload != null && preload.contains("asan");
    }
}

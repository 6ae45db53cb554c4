// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import io.github.posixsend.Posix;

/**
 * Run in a child JVM by LoaderTest: loads posix-send, makes one real call and says how it went on standard output
 * ({@code backend=...} and {@code ok}, or {@code failed: <class>: <message>} with exit status 3).
 */
public final class LoaderProbe {
    private LoaderProbe() {
    }

    public static void main(String[] args) {
        try {
            System.out.println("backend=" + Posix.backendName());
            int fd = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
            Posix.close(fd);
            System.out.println("ok");
        } catch (Throwable t) {
            Throwable root = t;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.out.println("failed: " + root.getClass().getName() + ": " + root.getMessage());
            System.exit(3);
        }
    }
}

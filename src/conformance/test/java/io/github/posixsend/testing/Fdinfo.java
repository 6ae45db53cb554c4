// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Os;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's own view of a descriptor's close-on-exec flag, apart from {@code fcntl}: the {@code flags:} line of
 * Linux's /proc/self/fdinfo. NetBSD has no such file.
 */
public final class Fdinfo {
    /** Linux's {@code O_CLOEXEC} (x86_64 and aarch64 alike), as /proc/self/fdinfo shows {@code FD_CLOEXEC}. */
    private static final long LINUX_O_CLOEXEC = 02000000;

    private Fdinfo() {
    }

    /** Skips a test on a system without Linux's /proc/self/fdinfo, saying so. */
    public static void assumeAvailable() {
        assumeTrue(Os.current() == Os.LINUX && Files.isDirectory(Path.of("/proc/self/fdinfo")),
                "FD_CLOEXEC is read from Linux's /proc/self/fdinfo, which " + Os.current() + " here lacks");
    }

    /** The {@code O_CLOEXEC} bit of the {@code flags:} line (octal) in /proc/self/fdinfo of {@code fd}. */
    public static boolean closeOnExec(int fd) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd));
        for (String line : lines) {
            if (line.startsWith("flags:")) {
                return (Long.parseLong(line.substring("flags:".length()).trim(), 8) & LINUX_O_CLOEXEC) != 0;
            }
        }
        throw new AssertionError("no flags line in /proc/self/fdinfo/" + fd + ": " + lines);
    }
}

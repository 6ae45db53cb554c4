// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Lines of Linux's {@code /proc/self/status}, as the tests and their child programs read them. */
public final class ProcSelfStatus {
    private ProcSelfStatus() {
    }

    /**
     * What follows {@code key} on its line, trimmed ("Uid:" gives "1000 1000 1000 1000", "VmRSS:" "51234 kB").
     *
     * @param key the line's start, colon included
     * @return the rest of the line, or null when no line starts with {@code key}
     */
    public static String value(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return line.substring(key.length()).trim();
            }
        }
        return null;
    }
}

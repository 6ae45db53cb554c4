// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** What the leak checks compare before and after: the descriptors a test's calls make, from Linux's /proc/self/fd. */
public final class MadeDescriptors {
    private MadeDescriptors() {
    }

    /**
     * The sockets, pipes and other kernel objects without a path (what socket, accept4 and pipe2 make) open in the
     * process, each as its number and what /proc/self/fd links it to; files the JVM may open meanwhile are left out.
     */
    public static Set<String> now() {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : fds) {
                try {
                    String link = Files.readSymbolicLink(p).toString();
                    if (!link.startsWith("/")) {
                        out.add(p.getFileName() + " -> " + link);
                    }
                } catch (IOException gone) {
                    // the directory stream's own descriptor, closed by now
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * The bytes glibc's malloc has handed out and not had back, over all arenas and mmapped chunks, from
 * {@code malloc_info(3)} through jnr-ffi (posix-send has no call for it, and JDK 17 has no command that prints it).
 * Unlike the resident size, it does not count what malloc keeps after a free, which follows the JVM's own traffic
 * through the heap and varies by tens of MiB between runs.
 */
public final class MallocInUse {
    /** The totals malloc_info prints after the last arena's: free in fast bins, free elsewhere, mmapped, arenas. */
    private static final Pattern TOTALS = Pattern.compile("<total type=\"fast\" count=\"\\d+\" size=\"(\\d+)\"/>\\s*"
            + "<total type=\"rest\" count=\"\\d+\" size=\"(\\d+)\"/>\\s*"
            + "<total type=\"mmap\" count=\"\\d+\" size=\"(\\d+)\"/>\\s*<system type=\"current\" size=\"(\\d+)\"/>");

    private final LibC libc = LibraryLoader.create(LibC.class).load("c");
    private final Path report;

    /** The C library calls used, bound by jnr-ffi. */
    public interface LibC {
        Pointer fopen(String path, String mode);

        int malloc_info(int options, Pointer stream);

        int fclose(Pointer stream);
    }

    /** A reader that has malloc_info write to {@code report} (replaced on each read). */
    public MallocInUse(Path report) {
        this.report = report;
    }

    /** The bytes in use now: the arenas' size less what lies free in them, plus the mmapped chunks. */
    public long bytes() throws IOException {
        Pointer stream = libc.fopen(report.toString(), "w");
        if (stream == null) {
            throw new IOException("fopen " + report + " failed");
        }
        int r = libc.malloc_info(0, stream);
        if (libc.fclose(stream) != 0 || r != 0) {
            throw new IOException("malloc_info failed");
        }
        String xml = Files.readString(report, StandardCharsets.US_ASCII);
        Matcher m = TOTALS.matcher(xml.substring(Math.max(0, xml.lastIndexOf("</heap>"))));
        if (!m.find()) {
            throw new IOException("no totals in malloc_info's report: " + xml);
        }
        return Long.parseLong(m.group(4)) - Long.parseLong(m.group(1)) - Long.parseLong(m.group(2))
                + Long.parseLong(m.group(3));
    }
}

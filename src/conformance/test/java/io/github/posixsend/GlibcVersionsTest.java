// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled shims load on every glibc from 2.17 on, as the README's platform table says: the symbol versions each
 * library needs ({@code .gnu.version_r}, read from the ELF file as the dynamic linker reads it) are all libc's and none
 * is later than 2.17. A call bound to a newer default version by a newer build host (as glibc 2.34 gave the
 * thread-specific key calls new ones) would keep the shim from loading on older systems, where nothing here would
 * otherwise show it.
 */
class GlibcVersionsTest {
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;

    /** Each needed version as "file version", from the library bundled for {@code folder}, or null when absent. */
    private static List<String> neededVersions(String folder) throws IOException {
        byte[] elf;
        try (InputStream in = Posix.class.getResourceAsStream("/META-INF/native/" + folder + "/libposixsend.so")) {
            if (in == null) {
                return null;
            }
            elf = in.readAllBytes();
        }
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x464c457f, b.getInt(0), folder + ": an ELF file");
        assertEquals(2, b.get(4), folder + ": 64-bit");
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int sh = Math.toIntExact(shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != SHT_GNU_VERNEED) {
                continue;
            }
            int at = Math.toIntExact(b.getLong(sh + 0x18));
            int strings = Math.toIntExact(shoff + (long) b.getInt(sh + 0x28) * shentsize);
            int names = Math.toIntExact(b.getLong(strings + 0x18));
            int entries = b.getInt(sh + 0x2c);
            for (int e = 0; e < entries; e++) {
                String file = string(elf, names + b.getInt(at + 4));
                int aux = at + b.getInt(at + 8);
                for (int a = 0, n = Short.toUnsignedInt(b.getShort(at + 2)); a < n; a++) {
                    out.add(file + " " + string(elf, names + b.getInt(aux + 8)));
                    aux += b.getInt(aux + 12);
                }
                at += b.getInt(at + 12);
            }
        }
        return out;
    }

    private static String string(byte[] elf, int at) {
        int end = at;
        while (elf[end] != 0) {
            end++;
        }
        return new String(elf, at, end - at, StandardCharsets.US_ASCII);
    }

    private static void assertGlibc217(String folder, List<String> needed) {
        assertFalse(needed.isEmpty(), folder + ": needs no versions at all?");
        for (String n : needed) {
            String[] fileVersion = n.split(" ");
            assertEquals("libc.so.6", fileVersion[0], folder + ": " + needed);
            assertTrue(fileVersion[1].startsWith("GLIBC_2."), folder + ": " + needed);
            String[] parts = fileVersion[1].substring("GLIBC_2.".length()).split("\\.");
            assertTrue(Integer.parseInt(parts[0]) <= 17,
                    folder + " needs " + fileVersion[1] + ", after 2.17: " + needed);
        }
    }

    @Test
    void theShimForThisHostNeedsNoGlibcAfter217() throws IOException {
        assumeTrue(Os.current() == Os.LINUX, "the glibc shims are Linux's");
        String folder = System.getProperty("os.arch").equals("aarch64") ? "linux-aarch64" : "linux-x86_64";
        List<String> needed = neededVersions(folder);
        assertNotNull(needed, "no shim bundled for this host: " + folder);
        assertGlibc217(folder, needed);
    }

    @Test
    void theCrossCompiledShimNeedsNoGlibcAfter217() throws IOException {
        String folder = System.getProperty("os.arch").equals("aarch64") ? "linux-x86_64" : "linux-aarch64";
        List<String> needed = neededVersions(folder);
        assumeTrue(needed != null, folder + " is not bundled in this build (its cross compiler was missing)");
        assertGlibc217(folder, needed);
    }
}

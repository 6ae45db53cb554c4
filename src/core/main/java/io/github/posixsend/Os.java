// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import java.util.Locale;

/**
 * The operating systems whose tables posix-send carries. Flag, errno and constant values differ between them,
 * so every table is kept per system and the running one is chosen at load time.
 */
public enum Os {
    /** Linux with glibc or musl, x86_64 and aarch64. */
    LINUX,
    /** NetBSD 8 to 10, amd64. */
    NETBSD;

    /**
     * {@code os.name} as this class first read it. Read once: the tables, the structure layouts and the refusals of
     * options that would let the kernel write past what it was given all follow the system, and a property any code
     * may set later must not switch them.
     */
    private static final String NAME_AT_START = System.getProperty("os.name", "");
    private static final Os CURRENT = fromName(NAME_AT_START);

    /**
     * The system this JVM runs on, from {@code os.name} as it was when posix-send first asked (later changes to
     * the property change nothing); needs no backend.
     *
     * @return {@link #LINUX} or {@link #NETBSD}
     * @throws UnsupportedOperationException on a system posix-send has no tables for
     */
    public static Os current() {
        if (CURRENT == null) {
            throw new UnsupportedOperationException("posix-send supports Linux and NetBSD, not " + NAME_AT_START);
        }
        return CURRENT;
    }

    /** The system named by an {@code os.name} value, or null when it is neither Linux nor NetBSD. */
    static Os fromName(String osName) {
        String n = osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return LINUX;
        }
        if (n.startsWith("netbsd")) {
            return NETBSD;
        }
        return null;
    }

    /**
     * The system's name as it writes it, for messages: {@code "Linux"} or {@code "NetBSD"} ({@link #name()} gives
     * the constant's).
     *
     * @return that name
     */
    @Override
    public String toString() {
        return this == LINUX ? "Linux" : "NetBSD";
    }
}

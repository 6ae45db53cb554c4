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
     * The system this JVM runs on, from {@code os.name}; needs no backend.
     *
     * @return {@link #LINUX} or {@link #NETBSD}
     * @throws UnsupportedOperationException on a system posix-send has no tables for
     */
    public static Os current() {
        Os os = fromName(System.getProperty("os.name", ""));
        if (os == null) {
            throw new UnsupportedOperationException("posix-send supports Linux and NetBSD, not " + System.getProperty("os.name"));
        }
        return os;
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
}

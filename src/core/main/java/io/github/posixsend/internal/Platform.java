// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import io.github.posixsend.Os;
import java.nio.charset.Charset;
import java.util.Map;

/**
 * The running platform's constants, as the chosen backend reports them; none (every one {@link #UNSUPPORTED}) when no
 * backend is available, so that the classes whose static fields hold them always initialize.
 */
public final class Platform {
    /** The value {@link #value} gives for a constant the platform lacks: the one marker used everywhere. */
    public static final int UNSUPPORTED = ConstantTable.UNSUPPORTED;

    private Platform() {
    }

    private static final class Holder {
        static final Map<String, Integer> CONSTANTS = Backends.isAvailable() ? Backends.chosen().constants() : Map.of();
    }

    /**
     * The system the tables are for.
     *
     * @return the running system
     * @throws UnsupportedOperationException when posix-send has no tables for it
     */
    public static Os os() {
        return Os.current();
    }

    /**
     * The running system's name for messages: {@link #os()}, or {@code os.name} where posix-send has no tables.
     *
     * @return a name that never throws to compute
     */
    public static String osName() {
        try {
            return Os.current().toString();
        } catch (UnsupportedOperationException e) {
            return System.getProperty("os.name", "unknown");
        }
    }

    /** The value of the C constant {@code name} on this platform, or {@link #UNSUPPORTED}. */
    public static int value(String name) {
        Integer v = Holder.CONSTANTS.get(name);
        return v == null ? UNSUPPORTED : v;
    }

    /** Every constant the backend reports, by name. */
    public static Map<String, Integer> all() {
        return Holder.CONSTANTS;
    }

    /**
     * True for the {@code ioctl} requests that write one {@code int}: {@code FIONREAD}, {@code SIOCOUTQ},
     * {@code SIOCOUTQNSD}, {@code SIOCATMARK}.
     */
    public static boolean isIntIoctl(int request) {
        return request != UNSUPPORTED && (request == value("FIONREAD") || request == value("SIOCOUTQ")
                || request == value("SIOCOUTQNSD") || request == value("SIOCATMARK"));
    }

    /**
     * The charset the JDK itself uses for file names ({@code sun.jnu.encoding}), so that a Unix socket path means
     * the same file to posix-send as to {@code java.io.File}; the default charset when it is missing or unknown.
     */
    public static Charset fileNameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}

package io.github.posixsend.internal;

import io.github.posixsend.Os;
import java.util.Map;

/** The running platform's constants, as the chosen backend reports them. */
public final class Platform {
    /** The value {@link #value} gives for a constant the platform lacks. */
    public static final int ABSENT = Integer.MIN_VALUE;

    private Platform() {
    }

    private static final class Holder {
        static final Map<String, Integer> CONSTANTS = Backends.current().constants();
    }

    /** The system the tables are for. */
    public static Os os() {
        return Os.current();
    }

    /** The value of the C constant {@code name} on this platform, or {@link #ABSENT}. */
    public static int value(String name) {
        Integer v = Holder.CONSTANTS.get(name);
        return v == null ? ABSENT : v;
    }

    /** Every constant the backend reports, by name. */
    public static Map<String, Integer> all() {
        return Holder.CONSTANTS;
    }

    /** True for the {@code ioctl} requests that write one {@code int}: {@code FIONREAD}, {@code SIOCOUTQ}, {@code SIOCOUTQNSD}. */
    public static boolean isIntIoctl(int request) {
        return request != ABSENT && (request == value("FIONREAD") || request == value("SIOCOUTQ")
                || request == value("SIOCOUTQNSD"));
    }
}

package io.github.posixsend;

import static io.github.posixsend.internal.ConstantTable.NONE;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;
import java.util.Collection;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.StringJoiner;

/**
 * Every {@code MSG_*} flag of Linux and of NetBSD, under its C name, with its value on each system.
 *
 * <p>The values differ between the systems (only {@code MSG_OOB}, {@code MSG_PEEK} and {@code MSG_DONTROUTE}
 * agree), so flags are always translated through this table, never passed on by number. On the running system
 * {@link #value()} is the number its compiled headers define; a flag the system lacks is
 * {@linkplain #isSupported() unsupported}, and asking for its value throws instead of guessing one.
 *
 * <pre>{@code
 * static final int MORE = MsgFlag.mask(MsgFlag.MSG_MORE, MsgFlag.MSG_NOSIGNAL);
 * Posix.send(fd, header, MORE);
 * }</pre>
 */
public enum MsgFlag {
    MSG_OOB(1, 1, true),
    MSG_PEEK(2, 2, false),
    MSG_DONTROUTE(4, 4, true),
    MSG_CTRUNC(8, 0x20, false),
    MSG_PROXY(0x10, NONE, true),
    MSG_TRUNC(0x20, 0x10, false),
    MSG_DONTWAIT(0x40, 0x80, true),
    MSG_EOR(0x80, 8, true),
    MSG_WAITALL(0x100, 0x40, false),
    MSG_BCAST(NONE, 0x100, false),
    MSG_MCAST(NONE, 0x200, false),
    MSG_FIN(0x200, NONE, true),
    MSG_SYN(0x400, NONE, true),
    MSG_CONFIRM(0x800, NONE, true),
    MSG_RST(0x1000, NONE, true),
    MSG_ERRQUEUE(0x2000, NONE, false),
    MSG_NOSIGNAL(0x4000, 0x400, true),
    MSG_NOTIFICATION(NONE, 0x4000, false),
    MSG_MORE(0x8000, NONE, true),
    MSG_WAITFORONE(0x10000, 0x2000, false),
    MSG_BATCH(0x40000, NONE, true),
    MSG_ZEROCOPY(0x4000000, NONE, true),
    MSG_FASTOPEN(0x20000000, NONE, true),
    MSG_CMSG_CLOEXEC(0x40000000, 0x800, false),
    MSG_NBIO(NONE, 0x1000, true);
    private final int linux;
    private final int netbsd;
    private final boolean sendSide;

    MsgFlag(int linux, int netbsd, boolean sendSide) {
        this.linux = linux;
        this.netbsd = netbsd;
        this.sendSide = sendSide;
    }

    /** The values on the running platform, read once from the backend; {@code NONE} where it lacks the flag. */
    private static final class Running {
        static final int[] VALUES = new int[values().length];

        static {
            for (MsgFlag f : values()) {
                VALUES[f.ordinal()] = Platform.value(f.name());
            }
        }
    }

    /** True when the running platform defines this flag. */
    public boolean isSupported() {
        return Running.VALUES[ordinal()] != Platform.ABSENT;
    }

    /**
     * The flag's value on the running platform.
     *
     * @throws UnsupportedOperationException when the platform has no such flag
     */
    public int value() {
        int v = Running.VALUES[ordinal()];
        if (v == Platform.ABSENT) {
            Backends.requireAvailable();
            throw new UnsupportedOperationException(name() + " is not supported on " + Platform.os());
        }
        return v;
    }

    /** The flag's value on {@code os} according to posix-send's tables, or empty where {@code os} lacks it. */
    public OptionalInt valueOn(Os os) {
        int v = os == Os.LINUX ? linux : netbsd;
        return v == NONE ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /** True for flags that mean something to the send calls; false for those only the receive side uses. */
    public boolean isSendFlag() {
        return sendSide;
    }

    /**
     * The bitwise OR of the flags' values on the running platform.
     *
     * @throws UnsupportedOperationException when any of them is not supported here
     * @throws NullPointerException when a flag is null
     */
    public static int mask(MsgFlag... flags) {
        int m = 0;
        for (MsgFlag f : flags) {
            m |= f.value();
        }
        return m;
    }

    /** As {@link #mask(MsgFlag...)} for a collection. */
    public static int mask(Collection<MsgFlag> flags) {
        int m = 0;
        for (MsgFlag f : flags) {
            m |= f.value();
        }
        return m;
    }

    /**
     * The supported flags whose bits are all set in {@code mask} on the running platform. Bits that no flag
     * accounts for are ignored here; {@link #toString(int)} shows them.
     */
    public static EnumSet<MsgFlag> decode(int mask) {
        EnumSet<MsgFlag> out = EnumSet.noneOf(MsgFlag.class);
        for (MsgFlag f : values()) {
            int v = Running.VALUES[f.ordinal()];
            if (v != Platform.ABSENT && v != 0 && (mask & v) == v) {
                out.add(f);
            }
        }
        return out;
    }

    /** The mask as C would write it, for example {@code MSG_DONTWAIT|MSG_NOSIGNAL|0x100000}; {@code 0} for none. */
    public static String toString(int mask) {
        StringJoiner j = new StringJoiner("|");
        int left = mask;
        for (MsgFlag f : decode(mask)) {
            j.add(f.name());
            left &= ~f.value();
        }
        if (left != 0) {
            j.add("0x" + Integer.toHexString(left));
        }
        return j.length() == 0 ? "0" : j.toString();
    }
}

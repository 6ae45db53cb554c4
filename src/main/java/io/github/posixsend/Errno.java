package io.github.posixsend;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;

/**
 * The errno values the socket calls can produce, under their C names, with their numbers on Linux and NetBSD.
 *
 * <p>Two pairs are aliases on some systems: {@code EWOULDBLOCK} is {@code EAGAIN} on both, and {@code ENOTSUP}
 * is {@code EOPNOTSUPP} on Linux but distinct on NetBSD. A lookup by number returns the first of an alias pair
 * ({@code EAGAIN}, {@code EOPNOTSUPP}).
 */
public enum Errno {
    EPERM(1, 1),
    ENOENT(2, 2),
    EINTR(4, 4),
    EIO(5, 5),
    EBADF(9, 9),
    EAGAIN(11, 35),
    EWOULDBLOCK(11, 35),
    ENOMEM(12, 12),
    EACCES(13, 13),
    EFAULT(14, 14),
    EBUSY(16, 16),
    EEXIST(17, 17),
    ENOTDIR(20, 20),
    EISDIR(21, 21),
    EINVAL(22, 22),
    ENFILE(23, 23),
    EMFILE(24, 24),
    ENOSPC(28, 28),
    EROFS(30, 30),
    EPIPE(32, 32),
    ENAMETOOLONG(36, 63),
    ELOOP(40, 62),
    EPROTO(71, 96),
    EOVERFLOW(75, 84),
    ENOTSOCK(88, 38),
    EDESTADDRREQ(89, 39),
    EMSGSIZE(90, 40),
    EPROTOTYPE(91, 41),
    ENOPROTOOPT(92, 42),
    EPROTONOSUPPORT(93, 43),
    ESOCKTNOSUPPORT(94, 44),
    EOPNOTSUPP(95, 45),
    ENOTSUP(95, 86),
    EPFNOSUPPORT(96, 46),
    EAFNOSUPPORT(97, 47),
    EADDRINUSE(98, 48),
    EADDRNOTAVAIL(99, 49),
    ENETDOWN(100, 50),
    ENETUNREACH(101, 51),
    ENETRESET(102, 52),
    ECONNABORTED(103, 53),
    ECONNRESET(104, 54),
    ENOBUFS(105, 55),
    EISCONN(106, 56),
    ENOTCONN(107, 57),
    ESHUTDOWN(108, 58),
    ETOOMANYREFS(109, 59),
    ETIMEDOUT(110, 60),
    ECONNREFUSED(111, 61),
    EHOSTDOWN(112, 64),
    EHOSTUNREACH(113, 65),
    EALREADY(114, 37),
    EINPROGRESS(115, 36);
    private final int linux;
    private final int netbsd;

    Errno(int linux, int netbsd) {
        this.linux = linux;
        this.netbsd = netbsd;
    }

    /** Numbers and texts on the running platform, read once from the backend. */
    private static final class Running {
        static final int[] NUMBERS = new int[values().length];
        static final String[] TEXTS = new String[values().length];
        static final Errno[] BY_NUMBER;

        static {
            int max = 0;
            for (Errno e : values()) {
                int n = Platform.value(e.name());
                NUMBERS[e.ordinal()] = n;
                max = Math.max(max, n);
            }
            BY_NUMBER = new Errno[max + 1];
            for (Errno e : values()) {
                int n = NUMBERS[e.ordinal()];
                if (n > 0 && BY_NUMBER[n] == null) {
                    BY_NUMBER[n] = e;
                }
                TEXTS[e.ordinal()] = n > 0 ? Backends.current().strerror(n) : "not defined on " + Platform.os();
            }
        }
    }

    /**
     * The number on the running platform, from its compiled headers (or posix-send's table where no headers
     * are compiled in).
     *
     * @throws UnsupportedOperationException when the platform does not define it
     */
    public int number() {
        int n = Running.NUMBERS[ordinal()];
        if (n == Platform.ABSENT) {
            throw new UnsupportedOperationException(name() + " is not defined on " + Platform.os());
        }
        return n;
    }

    /** The number on {@code os} according to posix-send's tables. */
    public int numberOn(Os os) {
        return os == Os.LINUX ? linux : netbsd;
    }

    /** The C library's description on the running platform, as {@code strerror} gives it. */
    public String description() {
        return Running.TEXTS[ordinal()];
    }

    /** The errno with this number on the running platform, or null when posix-send does not know it. */
    public static Errno fromNumber(int number) {
        Errno[] table = Running.BY_NUMBER;
        return number > 0 && number < table.length ? table[number] : null;
    }

    /** The errno with this number on {@code os} according to posix-send's tables, or null. */
    public static Errno fromNumberOn(Os os, int number) {
        for (Errno e : values()) {
            if (e.numberOn(os) == number) {
                return e;
            }
        }
        return null;
    }

    /** The C library's description for any number, known to posix-send or not. */
    static String describe(int number) {
        Errno e = fromNumber(number);
        return e != null ? e.description() : Backends.current().strerror(number);
    }
}

package io.github.posixsend;

import static io.github.posixsend.internal.ConstantTable.UNSUPPORTED;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;

/**
 * Every errno value Linux or NetBSD defines, under its C name, with its numbers on both, so that any error a
 * call reports has a name ({@code ENODEV} rather than "errno 19").
 *
 * <p>Some are defined on one system only ({@code EBADFD} on Linux, {@code EFTYPE} on NetBSD): see
 * {@link #isDefinedOn}. Three pairs are aliases on some systems: {@code EWOULDBLOCK} is {@code EAGAIN} on both,
 * {@code ENOTSUP} is {@code EOPNOTSUPP} on Linux but distinct on NetBSD, and {@code EDEADLOCK} is {@code EDEADLK}
 * on Linux (NetBSD has no {@code EDEADLOCK}). A lookup by number returns the first of an alias pair
 * ({@code EAGAIN}, {@code EOPNOTSUPP}, {@code EDEADLK}).
 */
public enum Errno {
    EPERM(1, 1), ENOENT(2, 2), ESRCH(3, 3), EINTR(4, 4), EIO(5, 5), ENXIO(6, 6), E2BIG(7, 7), ENOEXEC(8, 8),
    EBADF(9, 9), ECHILD(10, 10), EAGAIN(11, 35), EWOULDBLOCK(11, 35), ENOMEM(12, 12), EACCES(13, 13), EFAULT(14, 14),
    ENOTBLK(15, 15), EBUSY(16, 16), EEXIST(17, 17), EXDEV(18, 18), ENODEV(19, 19), ENOTDIR(20, 20), EISDIR(21, 21),
    EINVAL(22, 22), ENFILE(23, 23), EMFILE(24, 24), ENOTTY(25, 25), ETXTBSY(26, 26), EFBIG(27, 27), ENOSPC(28, 28),
    ESPIPE(29, 29), EROFS(30, 30), EMLINK(31, 31), EPIPE(32, 32), EDOM(33, 33), ERANGE(34, 34), EDEADLK(35, 11),
    EDEADLOCK(35, UNSUPPORTED), ENAMETOOLONG(36, 63), ENOLCK(37, 77), ENOSYS(38, 78), ENOTEMPTY(39, 66), ELOOP(40, 62),
    ENOMSG(42, 83), EIDRM(43, 82), ECHRNG(44, UNSUPPORTED), EL2NSYNC(45, UNSUPPORTED), EL3HLT(46, UNSUPPORTED), EL3RST(47, UNSUPPORTED),
    ELNRNG(48, UNSUPPORTED), EUNATCH(49, UNSUPPORTED), ENOCSI(50, UNSUPPORTED), EL2HLT(51, UNSUPPORTED), EBADE(52, UNSUPPORTED), EBADR(53, UNSUPPORTED),
    EXFULL(54, UNSUPPORTED), ENOANO(55, UNSUPPORTED), EBADRQC(56, UNSUPPORTED), EBADSLT(57, UNSUPPORTED), EBFONT(59, UNSUPPORTED), ENOSTR(60, 91),
    ENODATA(61, 89), ETIME(62, 92), ENOSR(63, 90), ENONET(64, UNSUPPORTED), ENOPKG(65, UNSUPPORTED), EREMOTE(66, 71), ENOLINK(67, 95),
    EADV(68, UNSUPPORTED), ESRMNT(69, UNSUPPORTED), ECOMM(70, UNSUPPORTED), EPROTO(71, 96), EMULTIHOP(72, 94), EDOTDOT(73, UNSUPPORTED),
    EBADMSG(74, 88), EOVERFLOW(75, 84), ENOTUNIQ(76, UNSUPPORTED), EBADFD(77, UNSUPPORTED), EREMCHG(78, UNSUPPORTED), ELIBACC(79, UNSUPPORTED),
    ELIBBAD(80, UNSUPPORTED), ELIBSCN(81, UNSUPPORTED), ELIBMAX(82, UNSUPPORTED), ELIBEXEC(83, UNSUPPORTED), EILSEQ(84, 85), ERESTART(85, UNSUPPORTED),
    ESTRPIPE(86, UNSUPPORTED), EUSERS(87, 68), ENOTSOCK(88, 38), EDESTADDRREQ(89, 39), EMSGSIZE(90, 40), EPROTOTYPE(91, 41),
    ENOPROTOOPT(92, 42), EPROTONOSUPPORT(93, 43), ESOCKTNOSUPPORT(94, 44), EOPNOTSUPP(95, 45), ENOTSUP(95, 86),
    EPFNOSUPPORT(96, 46), EAFNOSUPPORT(97, 47), EADDRINUSE(98, 48), EADDRNOTAVAIL(99, 49), ENETDOWN(100, 50),
    ENETUNREACH(101, 51), ENETRESET(102, 52), ECONNABORTED(103, 53), ECONNRESET(104, 54), ENOBUFS(105, 55),
    EISCONN(106, 56), ENOTCONN(107, 57), ESHUTDOWN(108, 58), ETOOMANYREFS(109, 59), ETIMEDOUT(110, 60),
    ECONNREFUSED(111, 61), EHOSTDOWN(112, 64), EHOSTUNREACH(113, 65), EALREADY(114, 37), EINPROGRESS(115, 36),
    ESTALE(116, 70), EUCLEAN(117, UNSUPPORTED), ENOTNAM(118, UNSUPPORTED), ENAVAIL(119, UNSUPPORTED), EISNAM(120, UNSUPPORTED),
    EREMOTEIO(121, UNSUPPORTED), EDQUOT(122, 69), ENOMEDIUM(123, UNSUPPORTED), EMEDIUMTYPE(124, UNSUPPORTED), ECANCELED(125, 87),
    ENOKEY(126, UNSUPPORTED), EKEYEXPIRED(127, UNSUPPORTED), EKEYREVOKED(128, UNSUPPORTED), EKEYREJECTED(129, UNSUPPORTED), EOWNERDEAD(130, 97),
    ENOTRECOVERABLE(131, 98), ERFKILL(132, UNSUPPORTED), EHWPOISON(133, UNSUPPORTED), EPROCLIM(UNSUPPORTED, 67), EBADRPC(UNSUPPORTED, 72),
    ERPCMISMATCH(UNSUPPORTED, 73), EPROGUNAVAIL(UNSUPPORTED, 74), EPROGMISMATCH(UNSUPPORTED, 75), EPROCUNAVAIL(UNSUPPORTED, 76), EFTYPE(UNSUPPORTED, 79),
    EAUTH(UNSUPPORTED, 80), ENEEDAUTH(UNSUPPORTED, 81), ENOATTR(UNSUPPORTED, 93);

    /** The numbers on each system; {@code UNSUPPORTED} where that system does not define it. */
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
                TEXTS[e.ordinal()] = n > 0 ? Backends.current().strerror(n) : "not defined on " + Platform.osName();
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
        if (n == Platform.UNSUPPORTED) {
            Backends.requireAvailable();
            throw new UnsupportedOperationException(name() + " is not defined on " + Platform.os());
        }
        return n;
    }

    /** True when {@code os} defines this errno, according to posix-send's tables. */
    public boolean isDefinedOn(Os os) {
        return (os == Os.LINUX ? linux : netbsd) != UNSUPPORTED;
    }

    /**
     * The number on {@code os} according to posix-send's tables.
     *
     * @throws UnsupportedOperationException when {@code os} does not define it (see {@link #isDefinedOn})
     */
    public int numberOn(Os os) {
        int n = os == Os.LINUX ? linux : netbsd;
        if (n == UNSUPPORTED) {
            throw new UnsupportedOperationException(name() + " is not defined on " + os);
        }
        return n;
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
            if (e.isDefinedOn(os) && e.numberOn(os) == number) {
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

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static io.github.posixsend.internal.ConstantTable.UNSUPPORTED;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;
import java.util.Objects;

/**
 * Every errno value Linux or NetBSD defines, under its C name, with its numbers on both, so that any error a
 * call reports has a name ({@code ENODEV} rather than "errno 19").
 *
 * <p>Some are defined on one system only ({@code EBADFD} on Linux, {@code EFTYPE} on NetBSD): see
 * {@link #isDefinedOn}. Three pairs are aliases on some systems: {@code EWOULDBLOCK} is {@code EAGAIN} on both,
 * {@code ENOTSUP} is {@code EOPNOTSUPP} on Linux but distinct on NetBSD, and {@code EDEADLOCK} is {@code EDEADLK}
 * on Linux (NetBSD has no {@code EDEADLOCK}). A lookup by number returns the first of an alias pair
 * ({@code EAGAIN}, {@code EOPNOTSUPP}, {@code EDEADLK}).
 *
 * <p>The numbers differ between systems, so none is a compile-time constant: C's
 * {@code switch (errno) { case EAGAIN: ... }} after a non-throwing call ports as
 * {@code switch (Errno.fromNumber(-r)) { case EAGAIN: ... }} (null, for a number posix-send does not know, needs a
 * test of its own before the switch), or as a chain of {@code r == -Errno.EAGAIN.number()} tests, which allocates
 * nothing either way.
 */
public enum Errno {
    /**
     * {@code EPERM}: operation not permitted; the caller lacks the privilege or capability the call needs (for example
     * {@code SO_MARK} without {@code CAP_NET_ADMIN}, or a firewall rule refusing a send).
     */
    EPERM(1, 1),

    /** {@code ENOENT}: no such file or directory; a path, such as a Unix socket's, names nothing. */
    ENOENT(2, 2),

    /** {@code ESRCH}: no such process. */
    ESRCH(3, 3),

    /**
     * {@code EINTR}: interrupted system call; a signal arrived before the call completed (posix-send makes most calls
     * again).
     */
    EINTR(4, 4),

    /** {@code EIO}: input/output error; a low-level I/O failure. */
    EIO(5, 5),

    /** {@code ENXIO}: no such device or address. */
    ENXIO(6, 6),

    /** {@code E2BIG}: argument list too long. */
    E2BIG(7, 7),

    /** {@code ENOEXEC}: exec format error; a file is not an executable the system can run. */
    ENOEXEC(8, 8),

    /** {@code EBADF}: bad file descriptor; the descriptor is not open, or not open for the operation. */
    EBADF(9, 9),

    /** {@code ECHILD}: no child processes. */
    ECHILD(10, 10),

    /**
     * {@code EAGAIN}: resource temporarily unavailable; the call would block (a non-blocking socket,
     * {@code MSG_DONTWAIT}, or an expired {@code SO_SNDTIMEO} or {@code SO_RCVTIMEO}).
     */
    EAGAIN(11, 35),

    /**
     * {@code EWOULDBLOCK}: the same number as {@link #EAGAIN} on both systems, under its BSD name; the call would
     * block.
     */
    EWOULDBLOCK(11, 35),

    /** {@code ENOMEM}: cannot allocate memory; the kernel could not get the memory the call needs. */
    ENOMEM(12, 12),

    /**
     * {@code EACCES}: permission denied; a file's or socket's permissions refuse the access, or a broadcast was sent
     * without {@code SO_BROADCAST}.
     */
    EACCES(13, 13),

    /** {@code EFAULT}: bad address; a pointer given to the kernel is outside the process's address space. */
    EFAULT(14, 14),

    /** {@code ENOTBLK}: block device required. */
    ENOTBLK(15, 15),

    /** {@code EBUSY}: device or resource busy. */
    EBUSY(16, 16),

    /** {@code EEXIST}: file exists; the name to create is taken. */
    EEXIST(17, 17),

    /** {@code EXDEV}: invalid cross-device link. */
    EXDEV(18, 18),

    /**
     * {@code ENODEV}: no such device; for example an interface name given to {@code SO_BINDTODEVICE} that does not
     * exist.
     */
    ENODEV(19, 19),

    /** {@code ENOTDIR}: not a directory; a component of a path is not a directory. */
    ENOTDIR(20, 20),

    /** {@code EISDIR}: is a directory. */
    EISDIR(21, 21),

    /**
     * {@code EINVAL}: invalid argument; the kernel refused an argument, such as an unknown flag, a bad option length or
     * an address of the wrong length.
     */
    EINVAL(22, 22),

    /** {@code ENFILE}: too many open files in the system; the system-wide limit is reached. */
    ENFILE(23, 23),

    /** {@code EMFILE}: too many open files; the process's descriptor limit ({@code RLIMIT_NOFILE}) is reached. */
    EMFILE(24, 24),

    /** {@code ENOTTY}: inappropriate ioctl for device; the descriptor does not take the request. */
    ENOTTY(25, 25),

    /** {@code ETXTBSY}: text file busy; an executable in use cannot be written. */
    ETXTBSY(26, 26),

    /** {@code EFBIG}: file too large. */
    EFBIG(27, 27),

    /** {@code ENOSPC}: no space left on device. */
    ENOSPC(28, 28),

    /** {@code ESPIPE}: illegal seek; the descriptor is a pipe, socket or FIFO. */
    ESPIPE(29, 29),

    /** {@code EROFS}: read-only file system. */
    EROFS(30, 30),

    /** {@code EMLINK}: too many links. */
    EMLINK(31, 31),

    /**
     * {@code EPIPE}: broken pipe; the stream is shut down for writing or the peer closed it; the kernel also raises
     * {@code SIGPIPE} unless {@code MSG_NOSIGNAL} (or, on NetBSD, {@code SO_NOSIGPIPE}) stops it.
     */
    EPIPE(32, 32),

    /** {@code EDOM}: numerical argument out of domain. */
    EDOM(33, 33),

    /** {@code ERANGE}: numerical result out of range. */
    ERANGE(34, 34),

    /** {@code EDEADLK}: resource deadlock avoided; taking the lock would deadlock. */
    EDEADLK(35, 11),

    /** {@code EDEADLOCK} (Linux only): the same number as {@link #EDEADLK} on Linux; resource deadlock avoided. */
    EDEADLOCK(35, UNSUPPORTED),

    /** {@code ENAMETOOLONG}: file name too long. */
    ENAMETOOLONG(36, 63),

    /** {@code ENOLCK}: no locks available. */
    ENOLCK(37, 77),

    /** {@code ENOSYS}: function not implemented; the kernel has no such system call. */
    ENOSYS(38, 78),

    /** {@code ENOTEMPTY}: directory not empty. */
    ENOTEMPTY(39, 66),

    /** {@code ELOOP}: too many levels of symbolic links in a path. */
    ELOOP(40, 62),

    /** {@code ENOMSG}: no message of the desired type. */
    ENOMSG(42, 83),

    /** {@code EIDRM}: identifier removed. */
    EIDRM(43, 82),

    /** {@code ECHRNG} (Linux only): channel number out of range. */
    ECHRNG(44, UNSUPPORTED),

    /** {@code EL2NSYNC} (Linux only): level 2 not synchronized. */
    EL2NSYNC(45, UNSUPPORTED),

    /** {@code EL3HLT} (Linux only): level 3 halted. */
    EL3HLT(46, UNSUPPORTED),

    /** {@code EL3RST} (Linux only): level 3 reset. */
    EL3RST(47, UNSUPPORTED),

    /** {@code ELNRNG} (Linux only): link number out of range. */
    ELNRNG(48, UNSUPPORTED),

    /** {@code EUNATCH} (Linux only): protocol driver not attached. */
    EUNATCH(49, UNSUPPORTED),

    /** {@code ENOCSI} (Linux only): no CSI structure available. */
    ENOCSI(50, UNSUPPORTED),

    /** {@code EL2HLT} (Linux only): level 2 halted. */
    EL2HLT(51, UNSUPPORTED),

    /** {@code EBADE} (Linux only): invalid exchange. */
    EBADE(52, UNSUPPORTED),

    /** {@code EBADR} (Linux only): invalid request descriptor. */
    EBADR(53, UNSUPPORTED),

    /** {@code EXFULL} (Linux only): exchange full. */
    EXFULL(54, UNSUPPORTED),

    /** {@code ENOANO} (Linux only): no anode. */
    ENOANO(55, UNSUPPORTED),

    /** {@code EBADRQC} (Linux only): invalid request code. */
    EBADRQC(56, UNSUPPORTED),

    /** {@code EBADSLT} (Linux only): invalid slot. */
    EBADSLT(57, UNSUPPORTED),

    /** {@code EBFONT} (Linux only): bad font file format. */
    EBFONT(59, UNSUPPORTED),

    /** {@code ENOSTR}: device not a stream (STREAMS). */
    ENOSTR(60, 91),

    /** {@code ENODATA}: no data available. */
    ENODATA(61, 89),

    /** {@code ETIME}: timer expired (STREAMS). */
    ETIME(62, 92),

    /** {@code ENOSR}: out of streams resources (STREAMS). */
    ENOSR(63, 90),

    /** {@code ENONET} (Linux only): machine is not on the network. */
    ENONET(64, UNSUPPORTED),

    /** {@code ENOPKG} (Linux only): package not installed. */
    ENOPKG(65, UNSUPPORTED),

    /** {@code EREMOTE}: object is remote. */
    EREMOTE(66, 71),

    /** {@code ENOLINK}: link has been severed. */
    ENOLINK(67, 95),

    /** {@code EADV} (Linux only): advertise error. */
    EADV(68, UNSUPPORTED),

    /** {@code ESRMNT} (Linux only): srmount error. */
    ESRMNT(69, UNSUPPORTED),

    /** {@code ECOMM} (Linux only): communication error on send. */
    ECOMM(70, UNSUPPORTED),

    /** {@code EPROTO}: protocol error. */
    EPROTO(71, 96),

    /** {@code EMULTIHOP}: multihop attempted. */
    EMULTIHOP(72, 94),

    /** {@code EDOTDOT} (Linux only): RFS-specific error. */
    EDOTDOT(73, UNSUPPORTED),

    /** {@code EBADMSG}: bad message. */
    EBADMSG(74, 88),

    /** {@code EOVERFLOW}: value too large for the data type that must hold it. */
    EOVERFLOW(75, 84),

    /** {@code ENOTUNIQ} (Linux only): name not unique on network. */
    ENOTUNIQ(76, UNSUPPORTED),

    /** {@code EBADFD} (Linux only): file descriptor in bad state. */
    EBADFD(77, UNSUPPORTED),

    /** {@code EREMCHG} (Linux only): remote address changed. */
    EREMCHG(78, UNSUPPORTED),

    /** {@code ELIBACC} (Linux only): cannot access a needed shared library. */
    ELIBACC(79, UNSUPPORTED),

    /** {@code ELIBBAD} (Linux only): accessing a corrupted shared library. */
    ELIBBAD(80, UNSUPPORTED),

    /** {@code ELIBSCN} (Linux only): {@code .lib} section in {@code a.out} corrupted. */
    ELIBSCN(81, UNSUPPORTED),

    /** {@code ELIBMAX} (Linux only): attempting to link in too many shared libraries. */
    ELIBMAX(82, UNSUPPORTED),

    /** {@code ELIBEXEC} (Linux only): cannot exec a shared library directly. */
    ELIBEXEC(83, UNSUPPORTED),

    /** {@code EILSEQ}: invalid or incomplete multibyte or wide character. */
    EILSEQ(84, 85),

    /** {@code ERESTART} (Linux only): interrupted system call should be restarted. */
    ERESTART(85, UNSUPPORTED),

    /** {@code ESTRPIPE} (Linux only): streams pipe error. */
    ESTRPIPE(86, UNSUPPORTED),

    /** {@code EUSERS}: too many users. */
    EUSERS(87, 68),

    /** {@code ENOTSOCK}: socket operation on non-socket; the descriptor is open but not a socket. */
    ENOTSOCK(88, 38),

    /** {@code EDESTADDRREQ}: destination address required; a send on an unconnected socket gave no address. */
    EDESTADDRREQ(89, 39),

    /**
     * {@code EMSGSIZE}: message too long; the datagram is larger than the socket can send at once, or a message has
     * more than {@code IOV_MAX} buffers; nothing was sent.
     */
    EMSGSIZE(90, 40),

    /** {@code EPROTOTYPE}: protocol wrong type for socket. */
    EPROTOTYPE(91, 41),

    /** {@code ENOPROTOOPT}: protocol not available; the socket option is unknown at that level. */
    ENOPROTOOPT(92, 42),

    /** {@code EPROTONOSUPPORT}: protocol not supported. */
    EPROTONOSUPPORT(93, 43),

    /** {@code ESOCKTNOSUPPORT}: socket type not supported. */
    ESOCKTNOSUPPORT(94, 44),

    /**
     * {@code EOPNOTSUPP}: operation not supported on the socket, such as a {@code MSG_*} flag its type does not take
     * ({@code MSG_OOB} on a datagram socket).
     */
    EOPNOTSUPP(95, 45),

    /**
     * {@code ENOTSUP}: operation not supported; the same number as {@link #EOPNOTSUPP} on Linux, a distinct one on
     * NetBSD.
     */
    ENOTSUP(95, 86),

    /** {@code EPFNOSUPPORT}: protocol family not supported. */
    EPFNOSUPPORT(96, 46),

    /**
     * {@code EAFNOSUPPORT}: address family not supported by protocol; for example an IPv6 address on an IPv4 socket.
     */
    EAFNOSUPPORT(97, 47),

    /** {@code EADDRINUSE}: address already in use; another socket is bound to the address. */
    EADDRINUSE(98, 48),

    /**
     * {@code EADDRNOTAVAIL}: cannot assign requested address; the address is not local, or no ephemeral port is free.
     */
    EADDRNOTAVAIL(99, 49),

    /** {@code ENETDOWN}: network is down. */
    ENETDOWN(100, 50),

    /** {@code ENETUNREACH}: network is unreachable; no route to the destination's network. */
    ENETUNREACH(101, 51),

    /** {@code ENETRESET}: network dropped connection on reset. */
    ENETRESET(102, 52),

    /** {@code ECONNABORTED}: software caused connection abort; the connection was aborted on this host. */
    ECONNABORTED(103, 53),

    /** {@code ECONNRESET}: connection reset by peer; the peer sent a reset (TCP RST). */
    ECONNRESET(104, 54),

    /** {@code ENOBUFS}: no buffer space available; the kernel ran out of buffers, or a device queue is full. */
    ENOBUFS(105, 55),

    /**
     * {@code EISCONN}: transport endpoint is already connected; for example a second {@code connect} on a connected
     * stream socket.
     */
    EISCONN(106, 56),

    /**
     * {@code ENOTCONN}: transport endpoint is not connected; a send or receive on a stream socket that has no
     * connection.
     */
    ENOTCONN(107, 57),

    /** {@code ESHUTDOWN}: cannot send after transport endpoint shutdown. */
    ESHUTDOWN(108, 58),

    /** {@code ETOOMANYREFS}: too many references; cannot splice. */
    ETOOMANYREFS(109, 59),

    /**
     * {@code ETIMEDOUT}: connection timed out; the peer stopped answering (retransmissions, keepalive or
     * {@code TCP_USER_TIMEOUT} ran out).
     */
    ETIMEDOUT(110, 60),

    /**
     * {@code ECONNREFUSED}: connection refused; nothing listens at the address (for a connected datagram socket, an
     * ICMP port unreachable arrived).
     */
    ECONNREFUSED(111, 61),

    /** {@code EHOSTDOWN}: host is down. */
    EHOSTDOWN(112, 64),

    /** {@code EHOSTUNREACH}: no route to host. */
    EHOSTUNREACH(113, 65),

    /** {@code EALREADY}: operation already in progress; a non-blocking connect is still under way. */
    EALREADY(114, 37),

    /**
     * {@code EINPROGRESS}: operation now in progress; a non-blocking connect has started; poll for {@code POLLOUT} and
     * read {@code SO_ERROR}.
     */
    EINPROGRESS(115, 36),

    /** {@code ESTALE}: stale file handle. */
    ESTALE(116, 70),

    /** {@code EUCLEAN} (Linux only): structure needs cleaning. */
    EUCLEAN(117, UNSUPPORTED),

    /** {@code ENOTNAM} (Linux only): not a XENIX named type file. */
    ENOTNAM(118, UNSUPPORTED),

    /** {@code ENAVAIL} (Linux only): no XENIX semaphores available. */
    ENAVAIL(119, UNSUPPORTED),

    /** {@code EISNAM} (Linux only): is a named type file. */
    EISNAM(120, UNSUPPORTED),

    /** {@code EREMOTEIO} (Linux only): remote I/O error. */
    EREMOTEIO(121, UNSUPPORTED),

    /** {@code EDQUOT}: disk quota exceeded. */
    EDQUOT(122, 69),

    /** {@code ENOMEDIUM} (Linux only): no medium found. */
    ENOMEDIUM(123, UNSUPPORTED),

    /** {@code EMEDIUMTYPE} (Linux only): wrong medium type. */
    EMEDIUMTYPE(124, UNSUPPORTED),

    /** {@code ECANCELED}: operation canceled. */
    ECANCELED(125, 87),

    /** {@code ENOKEY} (Linux only): required key not available. */
    ENOKEY(126, UNSUPPORTED),

    /** {@code EKEYEXPIRED} (Linux only): key has expired. */
    EKEYEXPIRED(127, UNSUPPORTED),

    /** {@code EKEYREVOKED} (Linux only): key has been revoked. */
    EKEYREVOKED(128, UNSUPPORTED),

    /** {@code EKEYREJECTED} (Linux only): key was rejected by service. */
    EKEYREJECTED(129, UNSUPPORTED),

    /** {@code EOWNERDEAD}: owner died; the holder of a robust mutex ended while holding it. */
    EOWNERDEAD(130, 97),

    /** {@code ENOTRECOVERABLE}: state not recoverable. */
    ENOTRECOVERABLE(131, 98),

    /** {@code ERFKILL} (Linux only): operation not possible due to RF-kill. */
    ERFKILL(132, UNSUPPORTED),

    /** {@code EHWPOISON} (Linux only): memory page has hardware error. */
    EHWPOISON(133, UNSUPPORTED),

    /** {@code EPROCLIM} (NetBSD only): too many processes. */
    EPROCLIM(UNSUPPORTED, 67),

    /** {@code EBADRPC} (NetBSD only): RPC struct is bad. */
    EBADRPC(UNSUPPORTED, 72),

    /** {@code ERPCMISMATCH} (NetBSD only): RPC version wrong. */
    ERPCMISMATCH(UNSUPPORTED, 73),

    /** {@code EPROGUNAVAIL} (NetBSD only): RPC program not available. */
    EPROGUNAVAIL(UNSUPPORTED, 74),

    /** {@code EPROGMISMATCH} (NetBSD only): program version wrong. */
    EPROGMISMATCH(UNSUPPORTED, 75),

    /** {@code EPROCUNAVAIL} (NetBSD only): bad procedure for program. */
    EPROCUNAVAIL(UNSUPPORTED, 76),

    /** {@code EFTYPE} (NetBSD only): inappropriate file type or format. */
    EFTYPE(UNSUPPORTED, 79),

    /** {@code EAUTH} (NetBSD only): authentication error. */
    EAUTH(UNSUPPORTED, 80),

    /** {@code ENEEDAUTH} (NetBSD only): need authenticator. */
    ENEEDAUTH(UNSUPPORTED, 81),

    /** {@code ENOATTR} (NetBSD only): attribute not found. */
    ENOATTR(UNSUPPORTED, 93);

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
                TEXTS[e.ordinal()] = n > 0 ? ChosenBackend.get().strerror(n) : "not defined on " + Platform.osName();
            }
        }
    }

    /**
     * The number on the running platform, from its compiled headers (or posix-send's table where no headers
     * are compiled in).
     *
     * @return the positive errno number
     * @throws UnsupportedOperationException when the platform does not define it, or posix-send cannot work in
     *     this JVM
     */
    public int number() {
        int n = Running.NUMBERS[ordinal()];
        if (n == Platform.UNSUPPORTED) {
            Backends.requireAvailable();
            throw new UnsupportedOperationException(name() + " is not defined on " + Platform.os());
        }
        return n;
    }

    /**
     * Whether {@code os} defines this errno, according to posix-send's tables; needs no backend.
     *
     * @param os the system to ask about
     * @return true when {@code os} has a number for it
     * @throws NullPointerException when {@code os} is null
     */
    public boolean isDefinedOn(Os os) {
        return (Objects.requireNonNull(os, "os") == Os.LINUX ? linux : netbsd) != UNSUPPORTED;
    }

    /**
     * The number on {@code os} according to posix-send's tables; needs no backend.
     *
     * @param os the system to ask about
     * @return the positive errno number on {@code os}
     * @throws UnsupportedOperationException when {@code os} does not define it (see {@link #isDefinedOn})
     * @throws NullPointerException when {@code os} is null
     */
    public int numberOn(Os os) {
        int n = Objects.requireNonNull(os, "os") == Os.LINUX ? linux : netbsd;
        if (n == UNSUPPORTED) {
            throw new UnsupportedOperationException(name() + " is not defined on " + os);
        }
        return n;
    }

    /**
     * {@return the C library's description on the running platform, as {@code strerror} gives it} For an errno
     * the platform does not define, a text that says so.
     */
    public String description() {
        return Running.TEXTS[ordinal()];
    }

    /**
     * The errno with this number on the running platform. Of an alias pair, the first ({@code EAGAIN}, not
     * {@code EWOULDBLOCK}).
     *
     * @param number an errno number as the running platform's kernel reports it
     * @return the errno, or null when posix-send does not know the number
     */
    public static Errno fromNumber(int number) {
        Errno[] table = Running.BY_NUMBER;
        return number > 0 && number < table.length ? table[number] : null;
    }

    /**
     * The C name of errno {@code number} on the running platform, for a message or a log line where C would print
     * {@code strerrorname_np(err)}: {@code "ECONNREFUSED"}; {@code "0"} for 0, the "no error" that
     * {@link Posix#SO_ERROR} reads after a connect that succeeded (where {@link #fromNumber(int)} gives null); the
     * number in decimal for one posix-send does not know. Of an alias pair, the first ({@code EAGAIN}).
     *
     * @param number an errno number as the running platform's kernel reports it, or 0
     * @return its name, {@code "0"}, or the number
     */
    public static String nameOf(int number) {
        Errno e = fromNumber(number);
        return e != null ? e.name() : Integer.toString(number);
    }

    /**
     * The errno with this number on {@code os} according to posix-send's tables; needs no backend.
     *
     * @param os the system whose numbering {@code number} follows
     * @param number an errno number on {@code os}
     * @return the errno, the first of an alias pair, or null when the tables have no such number for {@code os}
     * @throws NullPointerException when {@code os} is null
     */
    public static Errno fromNumberOn(Os os, int number) {
        Objects.requireNonNull(os, "os");
        for (Errno e : values()) {
            if (e.isDefinedOn(os) && e.numberOn(os) == number) {
                return e;
            }
        }
        return null;
    }

    /**
     * The C library's description for any number, known to posix-send or not; "errno N" where no backend loaded (an
     * exception read back from elsewhere must still say what it is).
     */
    static String describe(int number) {
        Errno e = fromNumber(number);
        if (e != null) {
            return e.description();
        }
        return Backends.isAvailable() ? ChosenBackend.get().strerror(number) : "errno " + number;
    }
}

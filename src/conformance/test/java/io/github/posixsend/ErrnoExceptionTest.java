// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errno to exception: one class per errno, the message format, unknown numbers, and lookup by number. */
class ErrnoExceptionTest {
    /** The kind the issue asks for, per errno; every Errno must be listed (checked below). */
    private static final Map<Errno, Class<? extends ErrnoException>> KIND = new EnumMap<>(Errno.class);

    static {
        KIND.put(Errno.EAGAIN, WouldBlockException.class);
        KIND.put(Errno.EWOULDBLOCK, WouldBlockException.class);
        KIND.put(Errno.EMSGSIZE, MessageTooLongException.class);
        KIND.put(Errno.EPIPE, BrokenPipeException.class);
        KIND.put(Errno.ESHUTDOWN, BrokenPipeException.class);
        KIND.put(Errno.ECONNRESET, ConnectionResetException.class);
        KIND.put(Errno.ECONNABORTED, ConnectionResetException.class);
        KIND.put(Errno.ENETRESET, ConnectionResetException.class);
        KIND.put(Errno.ECONNREFUSED, ConnectionRefusedException.class);
        KIND.put(Errno.ENOTCONN, NotConnectedException.class);
        KIND.put(Errno.EDESTADDRREQ, NotConnectedException.class);
        KIND.put(Errno.EBADF, BadDescriptorException.class);
        KIND.put(Errno.ENOTSOCK, BadDescriptorException.class);
        KIND.put(Errno.ENOBUFS, NoBufferSpaceException.class);
        KIND.put(Errno.ENOMEM, NoBufferSpaceException.class);
        KIND.put(Errno.EHOSTUNREACH, UnreachableException.class);
        KIND.put(Errno.ENETUNREACH, UnreachableException.class);
        KIND.put(Errno.EHOSTDOWN, UnreachableException.class);
        KIND.put(Errno.ENETDOWN, UnreachableException.class);
        KIND.put(Errno.EACCES, PermissionDeniedException.class);
        KIND.put(Errno.EPERM, PermissionDeniedException.class);
        KIND.put(Errno.EINVAL, InvalidArgumentException.class);
        KIND.put(Errno.EFAULT, InvalidArgumentException.class);
        KIND.put(Errno.EOPNOTSUPP, NotSupportedException.class);
        KIND.put(Errno.ENOTSUP, NotSupportedException.class);
        KIND.put(Errno.EAFNOSUPPORT, NotSupportedException.class);
        KIND.put(Errno.EPFNOSUPPORT, NotSupportedException.class);
        KIND.put(Errno.EPROTONOSUPPORT, NotSupportedException.class);
        KIND.put(Errno.ESOCKTNOSUPPORT, NotSupportedException.class);
        KIND.put(Errno.EPROTOTYPE, NotSupportedException.class);
        KIND.put(Errno.ENOPROTOOPT, NotSupportedException.class);
        KIND.put(Errno.ENOSYS, NotSupportedException.class);
        KIND.put(Errno.EADDRINUSE, AddressUnavailableException.class);
        KIND.put(Errno.EADDRNOTAVAIL, AddressUnavailableException.class);
        for (Errno e : new Errno[] {Errno.ENOENT, Errno.EINTR, Errno.EIO, Errno.EBUSY, Errno.EEXIST, Errno.ENOTDIR,
                Errno.EISDIR, Errno.ENFILE, Errno.EMFILE, Errno.ENOSPC, Errno.EROFS, Errno.ENAMETOOLONG, Errno.ELOOP,
                Errno.EPROTO, Errno.EOVERFLOW, Errno.EISCONN, Errno.ETOOMANYREFS, Errno.ETIMEDOUT, Errno.EALREADY,
                Errno.EINPROGRESS}) {
            KIND.put(e, ErrnoException.class);
        }
        // the rest of every errno the systems define: no kind of their own
        for (String name : ("ESRCH ENXIO E2BIG ENOEXEC ECHILD ENOTBLK EXDEV ENODEV ENOTTY ETXTBSY EFBIG ESPIPE EMLINK"
                + " EDOM ERANGE EDEADLK EDEADLOCK ENOLCK ENOTEMPTY ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG"
                + " EUNATCH ENOCSI EL2HLT EBADE EBADR EXFULL ENOANO EBADRQC EBADSLT EBFONT ENOSTR ENODATA ETIME ENOSR"
                + " ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EMULTIHOP EDOTDOT EBADMSG ENOTUNIQ EBADFD EREMCHG"
                + " ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ ERESTART ESTRPIPE EUSERS ESTALE EUCLEAN ENOTNAM"
                + " ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED"
                + " EKEYREJECTED EOWNERDEAD ENOTRECOVERABLE ERFKILL EHWPOISON EPROCLIM EBADRPC ERPCMISMATCH"
                + " EPROGUNAVAIL EPROGMISMATCH EPROCUNAVAIL EFTYPE EAUTH ENEEDAUTH ENOATTR").split(" ")) {
            assertNull(KIND.put(Errno.valueOf(name), ErrnoException.class), name + " listed twice");
        }
    }

    @Test
    void everyErrnoHasExactlyOneKind() {
        assertEquals(Errno.values().length, KIND.size(), "the test's table must list every Errno");
        for (Errno e : Errno.values()) {
            if (!e.isDefinedOn(Os.current())) {
                assertThrows(UnsupportedOperationException.class, e::number, e.name());
                continue;
            }
            ErrnoException x = ErrnoException.of("send", e.number());
            Errno canonical = Errno.fromNumber(e.number());
            // aliases share a number and so an exception: EWOULDBLOCK is EAGAIN, Linux's ENOTSUP is EOPNOTSUPP
            assertSame(KIND.get(canonical), x.getClass(), e.name());
            assertSame(KIND.get(e), KIND.get(canonical), e + " and its alias " + canonical + " differ in kind");
            assertSame(canonical, x.errno());
            assertEquals(e.number(), x.errnoNumber());
            assertEquals("send", x.call());
            assertTrue(x instanceof SocketException);
            assertSame(x.getClass(), ErrnoException.of("sendto", e.number()).getClass(),
                    "the same errno, another class");
        }
    }

    @Test
    void lookupByNumberIsTheFirstOfAnAliasPair() {
        assertSame(Errno.EAGAIN, Errno.fromNumber(Errno.EWOULDBLOCK.number()));
        assertSame(Errno.EOPNOTSUPP, Errno.fromNumber(Errno.EOPNOTSUPP.number()));
        assertSame(Errno.EDEADLK, Errno.fromNumberOn(Os.LINUX, 35));
        assertSame(Errno.EAGAIN, Errno.fromNumberOn(Os.LINUX, 11));
        assertSame(Errno.EDEADLK, Errno.fromNumberOn(Os.NETBSD, 11));
        assertSame(Errno.EFTYPE, Errno.fromNumberOn(Os.NETBSD, 79));
        assertNull(Errno.fromNumberOn(Os.NETBSD, 133), "EHWPOISON is Linux's alone");
        for (Errno e : Errno.values()) {
            if (!e.isDefinedOn(Os.current())) {
                continue;
            }
            Errno back = Errno.fromNumber(e.number());
            assertNotNull(back, e.name());
            assertEquals(e.number(), back.number());
            assertFalse(e.description().isEmpty(), e.name());
        }
        assertNull(Errno.fromNumber(0));
        assertNull(Errno.fromNumber(-1));
        assertNull(Errno.fromNumber(Integer.MAX_VALUE));
        assertSame(Errno.ENOTSUP, Errno.fromNumberOn(Os.NETBSD, 86));
        assertSame(Errno.EAGAIN, Errno.fromNumberOn(Os.NETBSD, 35));
        assertNull(Errno.fromNumberOn(Os.LINUX, 9999));
        // names for a log line, as C's strerrorname_np: 0 and unknown numbers as numbers
        assertEquals("ECONNREFUSED", Errno.nameOf(Errno.ECONNREFUSED.number()));
        assertEquals("EAGAIN", Errno.nameOf(Errno.EWOULDBLOCK.number()));
        assertEquals("0", Errno.nameOf(0));
        assertEquals("-1", Errno.nameOf(-1));
        assertEquals(Integer.toString(Integer.MAX_VALUE), Errno.nameOf(Integer.MAX_VALUE));
    }

    @Test
    void messageNamesCallSymbolAndText() {
        ErrnoException e = ErrnoException.of("sendto", Errno.EMSGSIZE.number());
        assertSame(MessageTooLongException.class, e.getClass());
        assertEquals("sendto: EMSGSIZE (" + Errno.EMSGSIZE.description() + ")", e.getMessage());
        if (Os.current() == Os.LINUX || Os.current() == Os.NETBSD) {
            // both C libraries use the POSIX wording for these
            assertEquals("sendto: EMSGSIZE (Message too long)", e.getMessage());
            assertEquals("send: EPIPE (Broken pipe)", ErrnoException.of("send", Errno.EPIPE.number()).getMessage());
        }
    }

    @Test
    void unknownNumberIsAPlainErrnoException() {
        for (int n : new int[] {4000, 0, -5, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            ErrnoException e = ErrnoException.of("send", n);
            assertSame(ErrnoException.class, e.getClass());
            assertNull(e.errno());
            assertEquals(n, e.errnoNumber());
            assertTrue(e.getMessage().startsWith("send: errno " + n + " ("), e.getMessage());
            assertTrue(e.getMessage().endsWith(")"), e.getMessage());
        }
    }

    @Test
    void wouldBlockHasNoStackTraceOthersDo() {
        assertEquals(0, ErrnoException.of("send", Errno.EAGAIN.number()).getStackTrace().length);
        assertTrue(ErrnoException.of("send", Errno.EPIPE.number()).getStackTrace().length > 0);
    }
}

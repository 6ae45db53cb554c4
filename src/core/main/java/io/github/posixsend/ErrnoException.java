// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import java.net.SocketException;

/**
 * A system call failed; carries the call's name and its errno.
 *
 * <p>The message reads as C programmers write it: {@code sendto: EMSGSIZE (Message too long)}, and for a socket
 * option or an {@code ioctl} with what the call was given:
 * {@code setsockopt(SOL_SOCKET, SO_LINGER): EINVAL (Invalid argument)},
 * {@code ioctl(SIOCOUTQ): EOPNOTSUPP (Operation not supported)}. It is put together when first asked for (only
 * those names are looked up as the call fails), so creating the exception costs little. Each errno maps to at most
 * one subclass ({@link WouldBlockException}, {@link MessageTooLongException}, ...) so that callers can catch by
 * kind; errno values without a kind of their own, and numbers posix-send does not know, arrive as this class.
 */
public class ErrnoException extends SocketException {
    private static final long serialVersionUID = 1L;

    /** The C name of the call that failed, such as {@code sendto}. */
    private final String call;
    /** The errno number as the running platform reported it. */
    private final int number;
    /** The errno of {@link #number}, or null when posix-send does not know the number. */
    private final Errno errno;
    /** What the call was given, as C shows it ({@code SOL_SOCKET, SO_LINGER}), or null when the name says enough. */
    private String arguments;

    /**
     * For subclasses; use {@link #of(String, int)} to get the right class for an errno.
     *
     * @param call the C name of the call that failed
     * @param number the errno number on the running platform
     * @param errno the errno, or null when posix-send does not know the number
     */
    protected ErrnoException(String call, int number, Errno errno) {
        this.call = call;
        this.number = number;
        this.errno = errno;
    }

    /**
     * The exception of the right kind for the errno {@code number} of the running platform, returned for the
     * caller to throw.
     *
     * @param call the C name of the call that failed, such as {@code sendto}
     * @param number the errno number on the running platform (positive, as {@code errno} holds it)
     * @return a new exception: the subclass for the errno's kind, or this class for an errno without one
     */
    public static ErrnoException of(String call, int number) {
        Errno e = Errno.fromNumber(number);
        if (e == null) {
            return new ErrnoException(call, number, null);
        }
        switch (e) {
            case EAGAIN:
            case EWOULDBLOCK:
                return new WouldBlockException(call, number, e);
            case EMSGSIZE:
                return new MessageTooLongException(call, number, e);
            case EPIPE:
            case ESHUTDOWN:
                return new BrokenPipeException(call, number, e);
            case ECONNRESET:
            case ECONNABORTED:
            case ENETRESET:
                return new ConnectionResetException(call, number, e);
            case ECONNREFUSED:
                return new ConnectionRefusedException(call, number, e);
            case ENOTCONN:
            case EDESTADDRREQ:
                return new NotConnectedException(call, number, e);
            case EBADF:
            case ENOTSOCK:
                return new BadDescriptorException(call, number, e);
            case ENOBUFS:
            case ENOMEM:
                return new NoBufferSpaceException(call, number, e);
            case EHOSTUNREACH:
            case ENETUNREACH:
            case EHOSTDOWN:
            case ENETDOWN:
                return new UnreachableException(call, number, e);
            case EACCES:
            case EPERM:
                return new PermissionDeniedException(call, number, e);
            case EINVAL:
            case EFAULT:
                return new InvalidArgumentException(call, number, e);
            case EOPNOTSUPP:
            case ENOTSUP:
            case EAFNOSUPPORT:
            case EPFNOSUPPORT:
            case EPROTONOSUPPORT:
            case ESOCKTNOSUPPORT:
            case EPROTOTYPE:
            case ENOPROTOOPT:
            case ENOSYS:
                return new NotSupportedException(call, number, e);
            case EADDRINUSE:
            case EADDRNOTAVAIL:
                return new AddressUnavailableException(call, number, e);
            default:
                return new ErrnoException(call, number, e);
        }
    }

    /** Adds what the call was given to the message, before the exception is thrown; returns this exception. */
    ErrnoException withArguments(String shown) {
        arguments = shown;
        return this;
    }

    /** {@return the errno, or null when the number is not one posix-send knows (see {@link #errnoNumber()})} */
    public Errno errno() {
        return errno;
    }

    /** {@return the errno number as the running platform reported it} */
    public int errnoNumber() {
        return number;
    }

    /** {@return the C name of the call that failed, such as {@code sendto}} */
    public String call() {
        return call;
    }

    @Override
    public String getMessage() {
        String symbol = errno != null ? errno.name() : "errno " + number;
        String shown = arguments == null ? call : call + "(" + arguments + ")";
        return shown + ": " + symbol + " (" + Errno.describe(number) + ")";
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers

package io.github.posixsend.internal.jnr.binding;

import jnr.ffi.types.size_t;
import jnr.ffi.types.socklen_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.uintptr_t;

/**
 * The C library functions the JNR-FFI backend calls, as JNR binds them. <b>Internal, not API</b>: the module exports
 * this package (and only this one) to every module because JNR-FFI defines the implementation in a class loader of
 * its own, whose unnamed module must see the interface; it declares the libc functions and holds nothing else, so
 * it gives no more than jnr-ffi itself gives any code.
 *
 * <p>Every pointer is a native address ({@code @uintptr_t long}) into memory the backend owns, never a Java
 * array or object: with only primitive parameters JNR takes its fast path, which allocates nothing per call and
 * never pins the Java heap while the kernel may block. The library is loaded with errno saving on, so
 * {@code Runtime.getLastError()} gives the errno of the last call on the same thread.
 *
 * <p>No function here takes more than five arguments: JNR's x86_64 stub compiler passes a wrong sixth argument
 * (in 2.3.4 it reads the stack slot below the argument's, the return address), which for {@code recvfrom} would
 * be a pointer the kernel writes to. {@code sendto} and {@code recvfrom} are called through jffi's invoker
 * instead ({@code SixArgumentCalls}). They are not made as {@code sendmsg} and {@code recvmsg}: the kernel
 * checks those differently (Linux refuses {@code MSG_CMSG_COMPAT} in their flags with {@code EINVAL} before it
 * looks at the descriptor), so the same mistake would give another errno than the JNI shim's real call.
 *
 * <p>{@code fcntl} is variadic in C; the third argument is declared as an int, which the x86_64 and aarch64
 * calling conventions pass exactly as the variadic form reads it. On NetBSD {@code socket} is the symbol
 * {@code __socket30} (its headers rename it); the loader maps it.
 */
public interface LibC {
    /** socket(2): a new descriptor, or -1. */
    int socket(int domain, int type, int protocol);

    /** socketpair(2) into the two ints at {@code sv}. */
    int socketpair(int domain, int type, int protocol, @uintptr_t long sv);

    /** bind(2) to the sockaddr at {@code sa}. */
    int bind(int fd, @uintptr_t long sa, @socklen_t int salen);

    /** connect(2) to the sockaddr at {@code sa}. */
    int connect(int fd, @uintptr_t long sa, @socklen_t int salen);

    /** listen(2). */
    int listen(int fd, int backlog);

    /** accept(2); the peer's sockaddr and its length are written at {@code sa} and {@code salen}. */
    int accept(int fd, @uintptr_t long sa, @uintptr_t long salen);

    /** accept4(2): accept(2) with {@code SOCK_NONBLOCK} and {@code SOCK_CLOEXEC} in {@code flags}. */
    int accept4(int fd, @uintptr_t long sa, @uintptr_t long salen, int flags);

    /** getsockname(2) into {@code sa}; {@code salen} holds its room, then its length. */
    int getsockname(int fd, @uintptr_t long sa, @uintptr_t long salen);

    /** getpeername(2), as getsockname. */
    int getpeername(int fd, @uintptr_t long sa, @uintptr_t long salen);

    /** shutdown(2). */
    int shutdown(int fd, int how);

    /** close(2). */
    int close(int fd);

    /** setsockopt(2) with {@code len} bytes at {@code value}. */
    int setsockopt(int fd, int level, int name, @uintptr_t long value, @socklen_t int len);

    /** getsockopt(2) into {@code value}; {@code len} holds its room, then its length. */
    int getsockopt(int fd, int level, int name, @uintptr_t long value, @uintptr_t long len);

    /** fcntl(2) with an int argument (F_GETFL, F_SETFL, F_GETFD, F_SETFD). */
    int fcntl(int fd, int cmd, int arg);

    /** pipe2(2) into the two ints at {@code fds}. */
    int pipe2(@uintptr_t long fds, int flags);


    /** send(2) of {@code len} bytes at {@code buf}. */
    @ssize_t long send(int fd, @uintptr_t long buf, @size_t long len, int flags);

    /** recv(2) into {@code len} bytes at {@code buf}. */
    @ssize_t long recv(int fd, @uintptr_t long buf, @size_t long len, int flags);

    /** read(2) into {@code len} bytes at {@code buf}. */
    @ssize_t long read(int fd, @uintptr_t long buf, @size_t long len);

    /** write(2) of {@code len} bytes at {@code buf}. */
    @ssize_t long write(int fd, @uintptr_t long buf, @size_t long len);

    /**
     * Linux's sendfile(2) of up to {@code count} bytes from the {@code off_t} at {@code offset} (0: the file position).
     * The library lacks it on NetBSD, where jnr-ffi binds the method to one that throws, and nothing calls it.
     */
    @ssize_t long sendfile(int outFd, int inFd, @uintptr_t long offset, @size_t long count);

    /** sendmsg(2) of the struct msghdr at {@code msghdr}. */
    @ssize_t long sendmsg(int fd, @uintptr_t long msghdr, int flags);

    /** recvmsg(2) into the struct msghdr at {@code msghdr}. */
    @ssize_t long recvmsg(int fd, @uintptr_t long msghdr, int flags);

    /**
     * sendmmsg(2) of {@code vlen} {@code struct mmsghdr} at {@code vec}. {@code vlen} is an {@code unsigned int}
     * on both systems and {@code flags} an {@code int} on Linux but an {@code unsigned int} on NetBSD; both are
     * passed as 32-bit values whose bits the callee reads alike.
     */
    int sendmmsg(int fd, @uintptr_t long vec, int vlen, int flags);

    /** recvmmsg(2) into {@code vlen} {@code struct mmsghdr} at {@code vec}; {@code timeout}: a timespec, or 0. */
    int recvmmsg(int fd, @uintptr_t long vec, int vlen, int flags, @uintptr_t long timeout);

    /** strerror(3): the C library's text for an errno number. */
    String strerror(int errnum);

    /**
     * poll(2) of {@code nfds} {@code struct pollfd} at {@code fds}. {@code nfds_t} is an {@code unsigned long} on
     * Linux and an {@code unsigned int} on NetBSD; passed as 64 bits, whose low half the callee reads alike.
     */
    int poll(@uintptr_t long fds, @size_t long nfds, int timeout);

    /**
     * ioctl(2) with a pointer argument. Variadic in C; the pointer is passed as the variadic form reads it on
     * x86_64 and aarch64, as for {@code fcntl}. The request is an {@code unsigned long} on both systems.
     */
    int ioctl(int fd, @size_t long request, @uintptr_t long arg);

    /** clock_gettime(2) into the {@code struct timespec} at {@code ts}; {@code clockid_t} is an {@code int}. */
    int clock_gettime(int clock, @uintptr_t long ts);
}

package io.github.posixsend.internal.jnr;

import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.socklen_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.uintptr_t;

/**
 * The C library functions the JNR-FFI backend calls, as JNR binds them.
 *
 * <p>Every pointer is a native address ({@code @uintptr_t long}) into memory the backend owns, never a Java
 * array or object: with only primitive parameters JNR takes its fast path, which allocates nothing per call and
 * never pins the Java heap while the kernel may block. The library is loaded with errno saving on, so
 * {@code Runtime.getLastError()} gives the errno of the last call on the same thread.
 *
 * <p>No function here takes more than five arguments: JNR's x86_64 stub compiler passes a wrong sixth argument
 * (jnr-ffi issue 181, still open in 2.3.x), which for {@code recvfrom} would be a pointer the kernel writes to.
 * So {@code sendto} and {@code recvfrom} are made as {@code sendmsg} and {@code recvmsg} with one iovec and
 * {@code msg_name} set, which the kernel treats exactly alike (on Linux both go through the same sendmsg path).
 *
 * <p>{@code fcntl} is variadic in C; the third argument is declared as an int, which the x86_64 and aarch64
 * calling conventions pass exactly as the variadic form reads it. On NetBSD {@code socket} is the symbol
 * {@code __socket30} (its headers rename it); the loader maps it.
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int socketpair(int domain, int type, int protocol, @uintptr_t long sv);

    int bind(int fd, @uintptr_t long sa, @socklen_t int salen);

    int connect(int fd, @uintptr_t long sa, @socklen_t int salen);

    int listen(int fd, int backlog);

    int accept(int fd, @uintptr_t long sa, @uintptr_t long salen);

    int getsockname(int fd, @uintptr_t long sa, @uintptr_t long salen);

    int getpeername(int fd, @uintptr_t long sa, @uintptr_t long salen);

    int shutdown(int fd, int how);

    int close(int fd);

    int setsockopt(int fd, int level, int name, @uintptr_t long value, @socklen_t int len);

    int getsockopt(int fd, int level, int name, @uintptr_t long value, @uintptr_t long len);

    int fcntl(int fd, int cmd, int arg);

    @off_t long lseek(int fd, @off_t long offset, int whence);

    @ssize_t long send(int fd, @uintptr_t long buf, @size_t long len, int flags);

    @ssize_t long recv(int fd, @uintptr_t long buf, @size_t long len, int flags);

    @ssize_t long sendmsg(int fd, @uintptr_t long msghdr, int flags);

    @ssize_t long recvmsg(int fd, @uintptr_t long msghdr, int flags);

    String strerror(int errnum);
}

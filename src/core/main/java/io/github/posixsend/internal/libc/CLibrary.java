// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.Errno;
import io.github.posixsend.Os;
import java.nio.ByteBuffer;

/**
 * The C library's calls as {@link LibcBackend} makes them from Java, one implementation per way of reaching it
 * (JNR-FFI, the JDK's foreign function API). Pointers are plain addresses ({@code long}); every address passed
 * lies in memory the caller owns and keeps reachable until the call has returned. A call returns what C returns
 * when it succeeds and, when it fails, minus its errno ({@link #failed}), as the JNI shim's natives do: the errno is
 * read by the call itself, on its own thread, so nothing between the call and that read can change it.
 *
 * <p>Each thread's errno is its own. What implementations share between threads are the bindings and tables
 * that remember facts about buffers (a direct buffer's address, an array span's segment); a call allocates only
 * when it meets a buffer or a size it has not seen.
 */
public interface CLibrary {

    /** The backend's short name: {@code jnr} or {@code ffm}. */
    String name();

    /**
     * What a failed call returns: minus the errno the C library set, or minus {@code EIO} when it set none, so that
     * a failure never reads as a count.
     */
    static int failed(int errno) {
        return errno > 0 ? -errno : -Errno.EIO.numberOn(Os.current());
    }

    /** The C library's text for an errno number, or null. */
    String strerror(int errno);

    /** The native address of a direct buffer's first byte (its index 0, not its position); 0 when unknown. */
    long addressOf(ByteBuffer direct);

    /**
     * Whether {@link #sendInPlace} and {@link #recvInPlace} pass a Java array to the kernel where it lies, without
     * copying it. Only a call that cannot block may do so: the collector cannot move the array, nor run, until it
     * returns.
     */
    default boolean passesArraysInPlace() {
        return false;
    }

    /**
     * {@code send(fd, a + off, len, flags)} with the array itself as the buffer; only called when
     * {@link #passesArraysInPlace()} is true, with {@code MSG_DONTWAIT} in {@code flags} and {@code [off, off+len)}
     * checked within {@code a}. Returns as {@link #send} does.
     */
    default long sendInPlace(int fd, byte[] a, int off, int len, int flags) {
        throw new UnsupportedOperationException("send of a Java array in place");
    }

    /** {@code recv(fd, a + off, len, flags)} into the array itself, called as {@link #sendInPlace} is. */
    default long recvInPlace(int fd, byte[] a, int off, int len, int flags) {
        throw new UnsupportedOperationException("recv into a Java array in place");
    }

    /** {@code malloc(len)}: native memory for one large call, or 0; released with {@link #free}. */
    long allocate(long len);

    /** {@code free(address)}. */
    void free(long address);

    /** Copies {@code a[off .. off+len)} to {@code address} (memory from {@link #allocate}). */
    void copyIn(long address, byte[] a, int off, int len);

    /** Copies {@code len} bytes at {@code address} (memory from {@link #allocate}) into {@code a[off ..]}. */
    void copyOut(long address, byte[] a, int off, int len);

    int socket(int domain, int type, int protocol);

    int socketpair(int domain, int type, int protocol, long sv);

    int bind(int fd, long sa, int salen);

    int connect(int fd, long sa, int salen);

    int listen(int fd, int backlog);

    int accept(int fd, long sa, long salen);

    int accept4(int fd, long sa, long salen, int flags);

    int getsockname(int fd, long sa, long salen);

    int getpeername(int fd, long sa, long salen);

    int shutdown(int fd, int how);

    int close(int fd);

    int setsockopt(int fd, int level, int name, long value, int len);

    int getsockopt(int fd, int level, int name, long value, long len);

    int fcntl(int fd, int cmd, int arg);

    /**
     * Linux's {@code sendfile}: {@code offset} is the address of an {@code off_t} the call reads and advances, or 0
     * for none (the file position is used).
     */
    long sendfile(int outFd, int inFd, long offset, long count);

    /** {@code pipe2} into the two ints at {@code fds}. */
    int pipe2(long fds, int flags);

    long send(int fd, long buf, long len, int flags);

    long sendto(int fd, long buf, long len, int flags, long sa, int salen);

    long recv(int fd, long buf, long len, int flags);

    long recvfrom(int fd, long buf, long len, int flags, long sa, long salen);

    long read(int fd, long buf, long len);

    long write(int fd, long buf, long len);

    long sendmsg(int fd, long msghdr, int flags);

    long recvmsg(int fd, long msghdr, int flags);

    int sendmmsg(int fd, long vec, int vlen, int flags);

    int recvmmsg(int fd, long vec, int vlen, int flags, long timeout);

    int poll(long fds, long nfds, int timeout);

    /** {@code ioctl} with a request zero-extended from 32 bits and a pointer argument. */
    int ioctl(int fd, long request, long arg);

    /** {@code clock_gettime} into the {@code struct timespec} at {@code ts} (NetBSD's {@code __clock_gettime50}). */
    int clockGettime(int clock, long ts);
}

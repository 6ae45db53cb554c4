// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jnr;

import com.kenai.jffi.MemoryIO;
import io.github.posixsend.Os;
import io.github.posixsend.internal.BufferRecords;
import io.github.posixsend.internal.DirectBuffers;
import io.github.posixsend.internal.jnr.binding.LibC;
import io.github.posixsend.internal.libc.CLibrary;
import java.nio.ByteBuffer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

/**
 * The C library through JNR-FFI: {@link LibC}'s bindings, {@link SixArgumentCalls} for {@code sendto} and
 * {@code recvfrom}, jffi's {@link MemoryIO} for addresses and large copies, and JNR's saved last error as errno.
 */
final class JnrLibrary implements CLibrary {
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    /** Before JDK 22: each buffer's address as jffi gave it the first time. */
    private static final BufferRecords ADDRESSES = new BufferRecords(
            direct -> new BufferRecords.Record(direct, DirectBuffers.CHECKED, MEMORY.getDirectBufferAddress(direct)));

    private final LibC libc;
    private final SixArgumentCalls six;
    private final jnr.ffi.Runtime runtime;

    private JnrLibrary(LibC libc, SixArgumentCalls six) {
        this.libc = libc;
        this.six = six;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
    }

    /** Loads the bindings; JNR's failure to load its stub surfaces here, not at the first call. */
    static JnrLibrary load(Os os) {
        LibraryLoader<LibC> loader = LibraryLoader.create(LibC.class)
                .option(LibraryOption.SaveError, Boolean.TRUE)
                .option(LibraryOption.LoadNow, Boolean.TRUE);
        if (os == Os.NETBSD) {
            loader.map("socket", "__socket30"); // NetBSD's sys/socket.h renames it
            loader.map("clock_gettime", "__clock_gettime50"); // and time.h this one, for its 64-bit time_t
        }
        JnrLibrary library = new JnrLibrary(loader.load("c"), SixArgumentCalls.load());
        library.runtime.getLastError(); // JNR reports a stub it could not load only on first use: fail here
        return library;
    }

    @Override
    public String name() {
        return "jnr";
    }

    /** A call's result, or minus the errno JNR saved when it failed (read at once, on the calling thread). */
    private int result(int r) {
        return r < 0 ? CLibrary.failed(runtime.getLastError()) : r;
    }

    /** {@link #result(int)} for the calls that return a {@code ssize_t}. */
    private long result(long r) {
        return r < 0 ? CLibrary.failed(runtime.getLastError()) : r;
    }

    @Override
    public String strerror(int errno) {
        return libc.strerror(errno);
    }

    /**
     * Asked of the JDK where it can say it (22 and later), else of jffi by a native call; either way once per buffer
     * (a direct buffer's address never changes), not at every call.
     */
    @Override
    public long addressOf(ByteBuffer direct) {
        return DirectBuffers.remembersAddresses() ? DirectBuffers.baseAddress(direct) : ADDRESSES.of(direct).base;
    }

    @Override
    public long allocate(long len) {
        return MEMORY.allocateMemory(len, false);
    }

    @Override
    public void free(long address) {
        MEMORY.freeMemory(address);
    }

    @Override
    public void copyIn(long address, byte[] a, int off, int len) {
        MEMORY.putByteArray(address, a, off, len);
    }

    @Override
    public void copyOut(long address, byte[] a, int off, int len) {
        MEMORY.getByteArray(address, a, off, len);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return result(libc.socket(domain, type, protocol));
    }

    @Override
    public int socketpair(int domain, int type, int protocol, long sv) {
        return result(libc.socketpair(domain, type, protocol, sv));
    }

    @Override
    public int bind(int fd, long sa, int salen) {
        return result(libc.bind(fd, sa, salen));
    }

    @Override
    public int connect(int fd, long sa, int salen) {
        return result(libc.connect(fd, sa, salen));
    }

    @Override
    public int listen(int fd, int backlog) {
        return result(libc.listen(fd, backlog));
    }

    @Override
    public int accept(int fd, long sa, long salen) {
        return result(libc.accept(fd, sa, salen));
    }

    @Override
    public int accept4(int fd, long sa, long salen, int flags) {
        return result(libc.accept4(fd, sa, salen, flags));
    }

    @Override
    public int getsockname(int fd, long sa, long salen) {
        return result(libc.getsockname(fd, sa, salen));
    }

    @Override
    public int getpeername(int fd, long sa, long salen) {
        return result(libc.getpeername(fd, sa, salen));
    }

    @Override
    public int shutdown(int fd, int how) {
        return result(libc.shutdown(fd, how));
    }

    @Override
    public int close(int fd) {
        return result(libc.close(fd));
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int len) {
        return result(libc.setsockopt(fd, level, name, value, len));
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long len) {
        return result(libc.getsockopt(fd, level, name, value, len));
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        return result(libc.fcntl(fd, cmd, arg));
    }

    @Override
    public int pipe2(long fds, int flags) {
        return result(libc.pipe2(fds, flags));
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        return result(libc.send(fd, buf, len, flags));
    }

    @Override
    public long sendto(int fd, long buf, long len, int flags, long sa, int salen) {
        return result(six.sendto(fd, buf, len, flags, sa, salen));
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        return result(libc.recv(fd, buf, len, flags));
    }

    @Override
    public long recvfrom(int fd, long buf, long len, int flags, long sa, long salen) {
        return result(six.recvfrom(fd, buf, len, flags, sa, salen));
    }

    @Override
    public long read(int fd, long buf, long len) {
        return result(libc.read(fd, buf, len));
    }

    @Override
    public long write(int fd, long buf, long len) {
        return result(libc.write(fd, buf, len));
    }

    @Override
    public long sendfile(int outFd, int inFd, long offset, long count) {
        return result(libc.sendfile(outFd, inFd, offset, count));
    }

    @Override
    public long sendmsg(int fd, long msghdr, int flags) {
        return result(libc.sendmsg(fd, msghdr, flags));
    }

    @Override
    public long recvmsg(int fd, long msghdr, int flags) {
        return result(libc.recvmsg(fd, msghdr, flags));
    }

    @Override
    public int sendmmsg(int fd, long vec, int vlen, int flags) {
        return result(libc.sendmmsg(fd, vec, vlen, flags));
    }

    @Override
    public int recvmmsg(int fd, long vec, int vlen, int flags, long timeout) {
        return result(libc.recvmmsg(fd, vec, vlen, flags, timeout));
    }

    @Override
    public int poll(long fds, long nfds, int timeout) {
        return result(libc.poll(fds, nfds, timeout));
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        return result(libc.ioctl(fd, request, arg));
    }

    @Override
    public int clockGettime(int clock, long ts) {
        return result(libc.clock_gettime(clock, ts));
    }
}

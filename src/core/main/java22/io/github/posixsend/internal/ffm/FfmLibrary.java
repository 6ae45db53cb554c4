// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.posixsend.Os;
import io.github.posixsend.internal.DirectBuffers;
import io.github.posixsend.internal.PerThread;
import io.github.posixsend.internal.libc.CLibrary;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;

/**
 * The C library through the foreign function API: one downcall method handle per function, made once, in static
 * final fields, so the JIT calls them as it would a native method.
 *
 * <p>Every pointer parameter is declared as a {@code long} ({@code JAVA_LONG}): on the LP64 platforms served
 * (Linux x86_64/aarch64, NetBSD amd64) a pointer and a 64-bit integer travel in the same registers, and plain
 * addresses spare a {@code MemorySegment} per argument. {@code size_t} and {@code ssize_t} are {@code long},
 * {@code socklen_t} is {@code int}; {@code fcntl} and {@code ioctl} are declared variadic after their second
 * argument, as C declares them.
 *
 * <p>errno: every call that can fail is linked with {@code captureCallState("errno")}, which writes errno, right
 * after the call, into a segment passed as the first argument. Each thread has its own segment ({@link PerThread}:
 * made on the thread's first call, freed by the collector once the thread is gone and, if it was the last made,
 * another thread has called), so concurrent calls never share one and a call allocates nothing. A failed call reads
 * errno back from the segment it was given, before returning it negated: a second lookup could find another (a
 * pool that clears its worker's thread-locals between tasks leaves the first one out of the thread's map).
 */
final class FfmLibrary implements CLibrary {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET =
            STATE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final PerThread<MemorySegment> STATE =
            new PerThread<>(() -> Arena.ofAuto().allocate(STATE_LAYOUT));

    private static final ValueLayout INT = JAVA_INT;
    private static final ValueLayout LONG = JAVA_LONG;
    /** A pointer passed as its address. */
    private static final ValueLayout PTR = JAVA_LONG;

    private static final MethodHandle SOCKET;
    private static final MethodHandle SOCKETPAIR;
    private static final MethodHandle BIND;
    private static final MethodHandle CONNECT;
    private static final MethodHandle LISTEN;
    private static final MethodHandle ACCEPT;
    private static final MethodHandle ACCEPT4;
    private static final MethodHandle GETSOCKNAME;
    private static final MethodHandle GETPEERNAME;
    private static final MethodHandle SHUTDOWN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle SETSOCKOPT;
    private static final MethodHandle GETSOCKOPT;
    private static final MethodHandle FCNTL;
    private static final MethodHandle PIPE2;
    private static final MethodHandle SEND;
    private static final MethodHandle SEND_IN_PLACE;
    private static final MethodHandle RECV_IN_PLACE;
    private static final MethodHandle SENDTO;
    private static final MethodHandle RECV;
    private static final MethodHandle RECVFROM;
    private static final MethodHandle READ;
    private static final MethodHandle WRITE;
    /** Linux's {@code sendfile}; null on NetBSD, which has none (posix-send refuses the call there first). */
    private static final MethodHandle SENDFILE;
    private static final MethodHandle SENDMSG;
    private static final MethodHandle RECVMSG;
    private static final MethodHandle SENDMMSG;
    private static final MethodHandle RECVMMSG;
    private static final MethodHandle POLL;
    private static final MethodHandle IOCTL;
    private static final MethodHandle CLOCK_GETTIME;
    private static final MethodHandle STRERROR;
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;

    static {
        Os os = Os.current();
        SymbolLookup libc = LINKER.defaultLookup();
        // NetBSD's sys/socket.h renames socket() to keep its old ABI for old binaries
        SOCKET = failing(libc, os == Os.NETBSD ? "__socket30" : "socket", FunctionDescriptor.of(INT, INT, INT, INT));
        SOCKETPAIR = failing(libc, "socketpair", FunctionDescriptor.of(INT, INT, INT, INT, PTR));
        BIND = failing(libc, "bind", FunctionDescriptor.of(INT, INT, PTR, INT));
        CONNECT = failing(libc, "connect", FunctionDescriptor.of(INT, INT, PTR, INT));
        LISTEN = failing(libc, "listen", FunctionDescriptor.of(INT, INT, INT));
        ACCEPT = failing(libc, "accept", FunctionDescriptor.of(INT, INT, PTR, PTR));
        ACCEPT4 = failing(libc, "accept4", FunctionDescriptor.of(INT, INT, PTR, PTR, INT));
        GETSOCKNAME = failing(libc, "getsockname", FunctionDescriptor.of(INT, INT, PTR, PTR));
        GETPEERNAME = failing(libc, "getpeername", FunctionDescriptor.of(INT, INT, PTR, PTR));
        SHUTDOWN = failing(libc, "shutdown", FunctionDescriptor.of(INT, INT, INT));
        CLOSE = failing(libc, "close", FunctionDescriptor.of(INT, INT));
        SETSOCKOPT = failing(libc, "setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
        GETSOCKOPT = failing(libc, "getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, PTR));
        FCNTL = failing(libc, "fcntl", FunctionDescriptor.of(INT, INT, INT, INT), Linker.Option.firstVariadicArg(2));
        PIPE2 = failing(libc, "pipe2", FunctionDescriptor.of(INT, PTR, INT));
        SEND = failing(libc, "send", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT));
        // critical calls: only made where they cannot block (see passesArraysInPlace)
        SEND_IN_PLACE = failing(libc, "send", FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG, INT),
                Linker.Option.critical(true));
        RECV_IN_PLACE = failing(libc, "recv", FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG, INT),
                Linker.Option.critical(true));
        SENDTO = failing(libc, "sendto", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, INT));
        RECV = failing(libc, "recv", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT));
        RECVFROM = failing(libc, "recvfrom", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, PTR));
        READ = failing(libc, "read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
        WRITE = failing(libc, "write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
        SENDFILE = os == Os.LINUX ? failing(libc, "sendfile", FunctionDescriptor.of(LONG, INT, INT, PTR, LONG)) : null;
        SENDMSG = failing(libc, "sendmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
        RECVMSG = failing(libc, "recvmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
        // NetBSD declares the flags unsigned: the same register either way
        SENDMMSG = failing(libc, "sendmmsg", FunctionDescriptor.of(INT, INT, PTR, INT, INT));
        RECVMMSG = failing(libc, "recvmmsg", FunctionDescriptor.of(INT, INT, PTR, INT, INT, PTR));
        POLL = failing(libc, "poll", FunctionDescriptor.of(INT, PTR, LONG, INT));
        IOCTL = failing(libc, "ioctl", FunctionDescriptor.of(INT, INT, LONG, PTR), Linker.Option.firstVariadicArg(2));
        CLOCK_GETTIME = failing(libc, os == Os.NETBSD ? "__clock_gettime50" : "clock_gettime",
                FunctionDescriptor.of(INT, INT, PTR));
        AddressLayout cString = ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE,
                JAVA_BYTE));
        STRERROR = plain(libc, "strerror", FunctionDescriptor.of(cString, INT));
        MALLOC = plain(libc, "malloc", FunctionDescriptor.of(PTR, LONG));
        FREE = plain(libc, "free", FunctionDescriptor.ofVoid(PTR));
    }

    /** A function that reports failure through errno: its handle takes the thread's state segment first. */
    private static MethodHandle failing(SymbolLookup libc, String name, FunctionDescriptor d, Linker.Option... more) {
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(more, 0, options, 1, more.length);
        return LINKER.downcallHandle(find(libc, name), d, options);
    }

    private static MethodHandle plain(SymbolLookup libc, String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(find(libc, name), d);
    }

    private static MemorySegment find(SymbolLookup libc, String name) {
        return libc.find(name).orElseThrow(() -> new UnsatisfiedLinkError("posix-send: " + name
                + " not found in the C library by the foreign function API's default lookup"));
    }

    /** The thread's errno segment. */
    private static MemorySegment state() {
        return STATE.get();
    }

    /** What a downcall can throw is unchecked; anything else would be a JDK defect. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    @Override
    public String name() {
        return "ffm";
    }

    /** A call's result, or minus the errno captured in the segment that call was given when it failed. */
    private static int result(int r, MemorySegment state) {
        return r < 0 ? CLibrary.failed(state.get(JAVA_INT, ERRNO_OFFSET)) : r;
    }

    /** {@link #result(int, MemorySegment)} for the calls that return a {@code ssize_t}. */
    private static long result(long r, MemorySegment state) {
        return r < 0 ? CLibrary.failed(state.get(JAVA_INT, ERRNO_OFFSET)) : r;
    }

    @Override
    public String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.address() == 0 ? null : s.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Found once per buffer and remembered ({@link DirectBuffers}): a direct buffer's address never changes. */
    @Override
    public long addressOf(ByteBuffer direct) {
        return DirectBuffers.baseAddress(direct);
    }

    @Override
    public long allocate(long len) {
        try {
            return (long) MALLOC.invokeExact(len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void free(long address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void copyIn(long address, byte[] a, int off, int len) {
        MemorySegment.copy(a, off, MemorySegment.ofAddress(address).reinterpret(len), JAVA_BYTE, 0, len);
    }

    @Override
    public void copyOut(long address, byte[] a, int off, int len) {
        MemorySegment.copy(MemorySegment.ofAddress(address).reinterpret(len), JAVA_BYTE, 0, a, off, len);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        try {
            MemorySegment state = state();
            return result((int) SOCKET.invokeExact(state, domain, type, protocol), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int socketpair(int domain, int type, int protocol, long sv) {
        try {
            MemorySegment state = state();
            return result((int) SOCKETPAIR.invokeExact(state, domain, type, protocol, sv), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int bind(int fd, long sa, int salen) {
        try {
            MemorySegment state = state();
            return result((int) BIND.invokeExact(state, fd, sa, salen), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int connect(int fd, long sa, int salen) {
        try {
            MemorySegment state = state();
            return result((int) CONNECT.invokeExact(state, fd, sa, salen), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int listen(int fd, int backlog) {
        try {
            MemorySegment state = state();
            return result((int) LISTEN.invokeExact(state, fd, backlog), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int accept(int fd, long sa, long salen) {
        try {
            MemorySegment state = state();
            return result((int) ACCEPT.invokeExact(state, fd, sa, salen), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int accept4(int fd, long sa, long salen, int flags) {
        try {
            MemorySegment state = state();
            return result((int) ACCEPT4.invokeExact(state, fd, sa, salen, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getsockname(int fd, long sa, long salen) {
        try {
            MemorySegment state = state();
            return result((int) GETSOCKNAME.invokeExact(state, fd, sa, salen), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getpeername(int fd, long sa, long salen) {
        try {
            MemorySegment state = state();
            return result((int) GETPEERNAME.invokeExact(state, fd, sa, salen), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int shutdown(int fd, int how) {
        try {
            MemorySegment state = state();
            return result((int) SHUTDOWN.invokeExact(state, fd, how), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int close(int fd) {
        try {
            MemorySegment state = state();
            return result((int) CLOSE.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int len) {
        try {
            MemorySegment state = state();
            return result((int) SETSOCKOPT.invokeExact(state, fd, level, name, value, len), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long len) {
        try {
            MemorySegment state = state();
            return result((int) GETSOCKOPT.invokeExact(state, fd, level, name, value, len), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        try {
            MemorySegment state = state();
            return result((int) FCNTL.invokeExact(state, fd, cmd, arg), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int pipe2(long fds, int flags) {
        try {
            MemorySegment state = state();
            return result((int) PIPE2.invokeExact(state, fds, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean passesArraysInPlace() {
        return true;
    }

    @Override
    public long sendInPlace(int fd, byte[] a, int off, int len, int flags) {
        try {
            MemorySegment state = state();
            MemorySegment bytes = ArraySlices.of(a, off, len);
            return result((long) SEND_IN_PLACE.invokeExact(state, fd, bytes, (long) len, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long recvInPlace(int fd, byte[] a, int off, int len, int flags) {
        try {
            MemorySegment state = state();
            MemorySegment bytes = ArraySlices.of(a, off, len);
            return result((long) RECV_IN_PLACE.invokeExact(state, fd, bytes, (long) len, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        try {
            MemorySegment state = state();
            return result((long) SEND.invokeExact(state, fd, buf, len, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long sendto(int fd, long buf, long len, int flags, long sa, int salen) {
        try {
            MemorySegment state = state();
            return result((long) SENDTO.invokeExact(state, fd, buf, len, flags, sa, salen), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        try {
            MemorySegment state = state();
            return result((long) RECV.invokeExact(state, fd, buf, len, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long recvfrom(int fd, long buf, long len, int flags, long sa, long salen) {
        try {
            MemorySegment state = state();
            return result((long) RECVFROM.invokeExact(state, fd, buf, len, flags, sa, salen), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long read(int fd, long buf, long len) {
        try {
            MemorySegment state = state();
            return result((long) READ.invokeExact(state, fd, buf, len), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long sendfile(int outFd, int inFd, long offset, long count) {
        if (SENDFILE == null) {
            throw new UnsupportedOperationException("sendfile: " + Os.current() + " has no sendfile");
        }
        try {
            MemorySegment state = state();
            return result((long) SENDFILE.invokeExact(state, outFd, inFd, offset, count), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long write(int fd, long buf, long len) {
        try {
            MemorySegment state = state();
            return result((long) WRITE.invokeExact(state, fd, buf, len), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long sendmsg(int fd, long msghdr, int flags) {
        try {
            MemorySegment state = state();
            return result((long) SENDMSG.invokeExact(state, fd, msghdr, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long recvmsg(int fd, long msghdr, int flags) {
        try {
            MemorySegment state = state();
            return result((long) RECVMSG.invokeExact(state, fd, msghdr, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int sendmmsg(int fd, long vec, int vlen, int flags) {
        try {
            MemorySegment state = state();
            return result((int) SENDMMSG.invokeExact(state, fd, vec, vlen, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int recvmmsg(int fd, long vec, int vlen, int flags, long timeout) {
        try {
            MemorySegment state = state();
            return result((int) RECVMMSG.invokeExact(state, fd, vec, vlen, flags, timeout), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int poll(long fds, long nfds, int timeout) {
        try {
            MemorySegment state = state();
            return result((int) POLL.invokeExact(state, fds, nfds, timeout), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        try {
            MemorySegment state = state();
            return result((int) IOCTL.invokeExact(state, fd, request, arg), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int clockGettime(int clock, long ts) {
        try {
            MemorySegment state = state();
            return result((int) CLOCK_GETTIME.invokeExact(state, clock, ts), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}

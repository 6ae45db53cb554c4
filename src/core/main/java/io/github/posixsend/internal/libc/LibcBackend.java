// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.Errno;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Os;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.internal.OptionValues;
import io.github.posixsend.internal.PerThread;
import io.github.posixsend.internal.Platform;
import io.github.posixsend.internal.ConstantTable;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A backend that calls the C library from Java: the same calls as the JNI shim, made through a {@link CLibrary}
 * (JNR-FFI's, or the JDK's foreign function API's). It serves where the bundled shim does not load (an
 * architecture or system without a bundled library) or when chosen with {@code -Dposixsend.backend=jnr} or
 * {@code ffm}.
 *
 * <p>It behaves as the shim does: one system call per method, {@code EINTR} retried (except {@code connect} and
 * {@code close}; on a timed socket as {@link InterruptedCalls} says), the count or {@code -errno} returned, the same
 * {@code -errno} for the same bad argument, the same sockaddr images ({@link Sockaddrs}), the same message plans read,
 * checked and written back ({@link LibcMessages}). Heap arrays and sockaddrs are copied into the thread's native memory
 * ({@link NativeScratch}) and direct buffers are passed by address, so a call the kernel may block in never pins the
 * Java heap (only FFM's non-blocking calls pass an array in place), and the send and receive calls allocate nothing
 * after a thread's first call. Constants come from posix-send's tables ({@link TableConstants}); errno as each call
 * returns it ({@link CLibrary}).
 *
 * <p>The C library sees only raw addresses, and an address does not keep its owner alive: once the JIT sees no
 * further use of a direct buffer (or of the thread's {@link NativeScratch}), the collector may free its memory
 * while the kernel still reads or writes it. So every method that hands an object's memory to a call ends with
 * {@link Reference#reachabilityFence} on that object, after the call has returned.
 */
public class LibcBackend implements Backend {
    private final CLibrary c;
    private final PerThread<NativeScratch> scratch;
    private final Sockaddrs sockaddrs;
    private final Map<String, Integer> constants;
    private final ChannelDescriptors descriptors;
    private final LibcMessages messages;
    private final InterruptedCalls interrupted;
    private final int eintr;
    private final int einval;
    private final int enomem;
    private final int eoverflow;
    /** Where {@code struct timespec}'s {@code tv_sec} (a 64-bit {@code time_t}) and {@code tv_nsec} lie. */
    private final int timespecSec;
    private final int timespecNsec;
    private final int afUnspec;
    private final int fGetfl;
    private final int fSetfl;
    private final int oNonblock;
    private final int fGetfd;
    private final int fSetfd;
    private final int fdCloexec;
    private final int msgTrunc;
    private final int msgDontwait;
    /** {@code MSG_ZEROCOPY}, or 0 where the system has none. */
    private final int msgZerocopy;

    /**
     * A backend over {@code c} with the tables and structure layouts of {@code os}.
     *
     * @param c the C library's calls
     * @param os the running system
     */
    protected LibcBackend(CLibrary c, Os os) {
        this.c = c;
        this.scratch = new PerThread<>(() -> new NativeScratch(c, this::letGoOfEndedScratch));
        this.sockaddrs = new Sockaddrs(SockaddrLayout.of(os));
        this.constants = TableConstants.forOs(os);
        this.descriptors = new ChannelDescriptors(this, sockaddrs);
        this.interrupted = new InterruptedCalls(c, os);
        this.messages = new LibcMessages(c, scratch, interrupted, os);
        this.eintr = Errno.EINTR.numberOn(os);
        this.einval = Errno.EINVAL.numberOn(os);
        this.enomem = Errno.ENOMEM.numberOn(os);
        this.eoverflow = Errno.EOVERFLOW.numberOn(os);
        this.timespecSec = ConstantTable.value("OFFSETOF_TIMESPEC_SEC", os);
        this.timespecNsec = ConstantTable.value("OFFSETOF_TIMESPEC_NSEC", os);
        this.afUnspec = ConstantTable.value("AF_UNSPEC", os);
        this.fGetfl = ConstantTable.value("F_GETFL", os);
        this.fSetfl = ConstantTable.value("F_SETFL", os);
        this.oNonblock = ConstantTable.value("O_NONBLOCK", os);
        this.fGetfd = ConstantTable.value("F_GETFD", os);
        this.fSetfd = ConstantTable.value("F_SETFD", os);
        this.fdCloexec = ConstantTable.value("FD_CLOEXEC", os);
        this.msgTrunc = MsgFlag.MSG_TRUNC.valueOn(os).orElse(0);
        this.msgDontwait = MsgFlag.MSG_DONTWAIT.valueOn(os).orElse(0);
        this.msgZerocopy = MsgFlag.MSG_ZEROCOPY.valueOn(os).orElse(0);
    }

    /** Lets go of the scratch of threads that ended: for a scratch whose data area could not grow. */
    private boolean letGoOfEndedScratch() {
        return scratch.letGoOfEnded();
    }

    /** The C library's calls this backend makes. */
    CLibrary library() {
        return c;
    }

    /** This thread's native scratch. */
    private NativeScratch scratch() {
        return scratch.get();
    }

    /** The address of {@code [pos, pos+len)} in a direct buffer, or 0 when not direct or out of range. */
    private long directRange(ByteBuffer buf, int pos, int len) {
        if (buf == null || !buf.isDirect() || !Backend.rangeOk(pos, len, buf.capacity())) {
            return 0;
        }
        long base = c.addressOf(buf);
        return base == 0 ? 0 : base + pos;
    }

    @Override
    public String name() {
        return c.name();
    }

    @Override
    public Map<String, Integer> constants() {
        return constants;
    }

    @Override
    public String strerror(int errno) {
        String s = c.strerror(errno);
        return s != null ? s : "Unknown error";
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return c.socket(domain, type, protocol);
    }

    @Override
    public int socketpair(int domain, int type, int protocol, int[] fds) {
        if (fds == null || fds.length < 2) {
            return -einval;
        }
        NativeScratch s = scratch();
        try {
            int rc = c.socketpair(domain, type, protocol, s.controlAddress + NativeScratch.INTS);
            if (rc < 0) {
                return rc;
            }
            return pairOut(s, fds);
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    /** Hands back the two descriptors a socketpair or pipe2 wrote at the scratch's ints, in fds[0] and fds[1]; 0. */
    private static int pairOut(NativeScratch s, int[] fds) {
        fds[0] = s.control.getInt(NativeScratch.INTS);
        fds[1] = s.control.getInt(NativeScratch.INTS + 4);
        return 0;
    }

    @Override
    public int bind(int fd, byte[] sa, int salen) {
        if (!sockaddrs.imageOk(sa, salen)) {
            return -einval;
        }
        NativeScratch s = scratch();
        s.putSockaddr(sa, salen);
        try {
            return c.bind(fd, s.controlAddress + NativeScratch.SA, salen);
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int connect(int fd, byte[] sa, int salen) {
        if (!sockaddrs.imageOk(sa, salen)) {
            return -einval;
        }
        NativeScratch s = scratch();
        s.putSockaddr(sa, salen);
        try {
            // Not retried on EINTR: the connection goes on in the background and a second connect says EALREADY.
            return c.connect(fd, s.controlAddress + NativeScratch.SA, salen);
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int disconnect(int fd) {
        NativeScratch s = scratch();
        byte[] unspec = new byte[SockaddrLayout.SOCKADDR];
        sockaddrs.layout().putHeader(unspec, afUnspec, 0); // all zero: the family is 0, the BSD length left 0
        s.putSockaddr(unspec, unspec.length);
        try {
            return c.connect(fd, s.controlAddress + NativeScratch.SA, unspec.length);
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int listen(int fd, int backlog) {
        return c.listen(fd, backlog);
    }

    /** Zeroes the sockaddr area and sets its length to a whole {@code sockaddr_storage}, ready for the kernel. */
    private static void prepareName(NativeScratch s) {
        for (int i = 0; i < SockaddrLayout.STORAGE; i += 8) {
            s.control.putLong(NativeScratch.SA + i, 0L);
        }
        s.control.putInt(NativeScratch.SALEN, SockaddrLayout.STORAGE);
    }

    /** Copies the sockaddr the kernel wrote into {@code out}: its length, or -EINVAL when {@code out} is too small. */
    private int nameToJava(NativeScratch s, byte[] out) {
        if (out == null) {
            return -einval;
        }
        // a socklen_t: unsigned, as the shim compares it (an emulator's odd value must not turn negative)
        int n = (int) Math.min(Integer.toUnsignedLong(s.control.getInt(NativeScratch.SALEN)), SockaddrLayout.STORAGE);
        if (out.length < n) {
            return -einval;
        }
        s.getSockaddr(out, n);
        return n;
    }

    @Override
    public int accept(int fd, byte[] sa, int[] salen) {
        return accept(fd, false, 0, sa, salen);
    }

    @Override
    public int accept4(int fd, int flags, byte[] sa, int[] salen) {
        return accept(fd, true, flags, sa, salen);
    }

    /** {@code accept}, or {@code accept4} with {@code flags} when {@code four}, as the shim's one body does both. */
    private int accept(int fd, boolean four, int flags, byte[] sa, int[] salen) {
        // checked before the call: a connection accepted and then refused for want of room would be lost
        if (sa != null && (salen == null || salen.length < 1 || sa.length < SockaddrLayout.STORAGE)) {
            return -einval;
        }
        NativeScratch s = scratch();
        try {
            int nfd;
            long retry = InterruptedCalls.FIRST;
            while (true) {
                prepareName(s);
                // no room asked for: NULL, NULL, as C's accept(fd, NULL, NULL), so the kernel writes no address
                long name = sa == null ? 0 : s.controlAddress + NativeScratch.SA;
                long nameLength = sa == null ? 0 : s.controlAddress + NativeScratch.SALEN;
                nfd = four ? c.accept4(fd, name, nameLength, flags) : c.accept(fd, name, nameLength);
                if (nfd >= 0) {
                    break;
                }
                if (nfd != -eintr || (retry = interrupted.again(fd, false, retry)) == InterruptedCalls.EXPIRED) {
                    return (int) interrupted.result(retry, nfd);
                }
            }
            if (sa != null) {
                int got = nameToJava(s, sa);
                if (got < 0) {
                    c.close(nfd);
                    return got;
                }
                salen[0] = got;
            }
            return nfd;
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int socketName(int fd, boolean peer, byte[] sa) {
        NativeScratch s = scratch();
        prepareName(s);
        long addr = s.controlAddress + NativeScratch.SA;
        long len = s.controlAddress + NativeScratch.SALEN;
        try {
            int rc = peer ? c.getpeername(fd, addr, len) : c.getsockname(fd, addr, len);
            return rc < 0 ? rc : nameToJava(s, sa);
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int shutdown(int fd, int how) {
        return c.shutdown(fd, how);
    }

    @Override
    public int close(int fd) {
        // Never retried: on Linux the descriptor is gone even when close reports EINTR.
        return c.close(fd);
    }

    @Override
    public int setsockoptInt(int fd, int level, int name, int value) {
        if (!OptionValues.passAsInt(level, name)) {
            return -einval;
        }
        NativeScratch s = scratch();
        s.control.putInt(NativeScratch.INTS, value);
        try {
            return c.setsockopt(fd, level, name, s.controlAddress + NativeScratch.INTS, 4);
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int getsockoptInt(int fd, int level, int name, int[] out) {
        if (out == null || out.length < 1 || !OptionValues.passAsInt(level, name)) {
            return -einval;
        }
        NativeScratch s = scratch();
        s.control.putInt(NativeScratch.OPTION_INT, 0);
        s.control.putInt(NativeScratch.OPTLEN, 4);
        try {
            int rc = c.getsockopt(fd, level, name, s.controlAddress + NativeScratch.OPTION_INT,
                    s.controlAddress + NativeScratch.OPTLEN);
            if (rc < 0) {
                return rc;
            }
            // an option the kernel writes as one byte is that byte, as in the shim
            // (the same int on little-endian hosts)
            out[0] = s.control.getInt(NativeScratch.OPTLEN) == 1 ? s.control.get(NativeScratch.OPTION_INT) & 0xff
                    : s.control.getInt(NativeScratch.OPTION_INT);
            return 0;
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int setBlocking(int fd, boolean blocking) {
        return changeFlag(fd, fGetfl, fSetfl, oNonblock, !blocking);
    }

    @Override
    public int isBlocking(int fd) {
        int nonblocking = hasFlag(fd, fGetfl, oNonblock);
        return nonblocking < 0 ? nonblocking : 1 - nonblocking;
    }

    /** Sets ({@code on}) or clears {@code bit} in the flags {@code get} reads and {@code set} writes, as the shim. */
    private int changeFlag(int fd, int get, int set, int bit, boolean on) {
        int fl = c.fcntl(fd, get, 0);
        if (fl < 0) {
            return fl;
        }
        int want = on ? fl | bit : fl & ~bit;
        if (want == fl) {
            return 0;
        }
        int rc = c.fcntl(fd, set, want);
        return rc < 0 ? rc : 0;
    }

    /** 1 when {@code bit} is set in the flags {@code get} reads, 0 when not, or {@code -errno}. */
    private int hasFlag(int fd, int get, int bit) {
        int fl = c.fcntl(fd, get, 0);
        if (fl < 0) {
            return fl;
        }
        return (fl & bit) != 0 ? 1 : 0;
    }

    @Override
    public int pipe(int flags, int[] fds) {
        if (fds == null || fds.length < 2) {
            return -einval;
        }
        NativeScratch s = scratch();
        try {
            int rc = c.pipe2(s.controlAddress + NativeScratch.INTS, flags);
            if (rc < 0) {
                return rc;
            }
            return pairOut(s, fds);
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public long sendfile(int outFd, int inFd, boolean atOffset, long offset, long count) {
        NativeScratch s = scratch();
        try {
            long off = 0;
            if (atOffset) {
                s.control.putLong(NativeScratch.OFF_T, offset);
                off = s.controlAddress + NativeScratch.OFF_T;
            }
            long n;
            long retry = InterruptedCalls.FIRST;
            do {
                n = c.sendfile(outFd, inFd, off, count);
            } while (n == -eintr && (retry = interrupted.again(outFd, true, retry)) != InterruptedCalls.EXPIRED);
            return interrupted.result(retry, n);
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int setCloseOnExec(int fd, boolean on) {
        return changeFlag(fd, fGetfd, fSetfd, fdCloexec, on);
    }

    @Override
    public int isCloseOnExec(int fd) {
        return hasFlag(fd, fGetfd, fdCloexec);
    }

    // ---- send and receive: primitive calls only, EINTR retried ------------------------------------------------

    private int send(int fd, long p, int len, int flags) {
        long n;
        long retry = InterruptedCalls.FIRST;
        do {
            n = c.send(fd, p, len, flags);
        } while (n == -eintr && (retry = interrupted.again(fd, true, retry)) != InterruptedCalls.EXPIRED);
        return (int) interrupted.result(retry, n);
    }

    /**
     * send(2) from or recv(2) into an array where it lies: a call with {@code MSG_DONTWAIT} cannot block, so the
     * collector is held off only while the kernel copies the bytes, and for a large array that is cheaper than
     * copying them through native memory (see {@link Backend#IN_PLACE_MIN}).
     */
    private int arrayInPlace(boolean receive, int fd, byte[] a, int off, int len, int flags) {
        long n;
        long retry = InterruptedCalls.FIRST;
        do {
            n = receive ? c.recvInPlace(fd, a, off, len, flags) : c.sendInPlace(fd, a, off, len, flags);
        } while (n == -eintr && (retry = interrupted.again(fd, !receive, retry)) != InterruptedCalls.EXPIRED);
        return (int) interrupted.result(retry, n);
    }

    /** sendto(2) itself (see {@link SixArgumentCalls}): the sockaddr is already in the control area. */
    private int sendto(NativeScratch s, int fd, long p, int len, int flags, int salen) {
        long n;
        long retry = InterruptedCalls.FIRST;
        do {
            n = c.sendto(fd, p, len, flags, s.controlAddress + NativeScratch.SA, salen);
        } while (n == -eintr && (retry = interrupted.again(fd, true, retry)) != InterruptedCalls.EXPIRED);
        return (int) interrupted.result(retry, n);
    }

    @Override
    public int sendDirect(int fd, ByteBuffer buf, int pos, int len, int flags) {
        long p = directRange(buf, pos, len);
        if (p == 0) {
            return -einval;
        }
        try {
            return send(fd, p, len, flags);
        } finally {
            Reference.reachabilityFence(buf); // its cleaner frees the memory the kernel is reading
        }
    }

    @Override
    public int sendArray(int fd, byte[] a, int off, int len, int flags) {
        if (a == null || !Backend.rangeOk(off, len, a.length) || (flags & msgZerocopy) != 0) {
            return -einval; // zero copy: the kernel would read the copy's or the array's memory after the call
        }
        if (c.passesArraysInPlace() && Backend.inPlace(fd, flags, msgDontwait, len)) {
            return arrayInPlace(false, fd, a, off, len, flags);
        }
        NativeScratch s = scratch();
        try {
            long p = s.data(len);
            if (p != 0) {
                s.copyIn(p, a, off, len);
                return send(fd, p, len, flags);
            }
            p = c.allocate(len);
            if (p == 0) {
                return -enomem;
            }
            try {
                s.copyIn(p, a, off, len);
                return send(fd, p, len, flags);
            } finally {
                c.free(p);
            }
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int sendtoDirect(int fd, ByteBuffer buf, int pos, int len, int flags, byte[] sa, int salen) {
        long p = directRange(buf, pos, len);
        if (p == 0 || !sockaddrs.imageOk(sa, salen)) {
            return -einval;
        }
        NativeScratch s = scratch();
        s.putSockaddr(sa, salen);
        try {
            return sendto(s, fd, p, len, flags, salen);
        } finally {
            Reference.reachabilityFence(buf);
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int sendtoArray(int fd, byte[] a, int off, int len, int flags, byte[] sa, int salen) {
        if (!sockaddrs.imageOk(sa, salen) || a == null || !Backend.rangeOk(off, len, a.length)
                || (flags & msgZerocopy) != 0) {
            return -einval; // zero copy from a copy or an array: see sendArray
        }
        NativeScratch s = scratch();
        s.putSockaddr(sa, salen);
        try {
            long p = s.data(len);
            if (p != 0) {
                s.copyIn(p, a, off, len);
                return sendto(s, fd, p, len, flags, salen);
            }
            p = c.allocate(len);
            if (p == 0) {
                return -enomem;
            }
            try {
                s.copyIn(p, a, off, len);
                return sendto(s, fd, p, len, flags, salen);
            } finally {
                c.free(p);
            }
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    /** recv, or recvfrom when {@code sa} is not null (the sender's address into it, its length into salen[0]). */
    private int receive(NativeScratch s, int fd, long p, int len, int flags, byte[] sa, int[] salen) {
        // checked before the call: a datagram received and then refused for want of room would be lost
        if (sa != null && (salen == null || salen.length < 1 || sa.length < SockaddrLayout.STORAGE)) {
            return -einval;
        }
        long n;
        long retry = InterruptedCalls.FIRST;
        while (true) {
            if (sa == null) {
                n = c.recv(fd, p, len, flags);
            } else {
                prepareName(s);
                n = c.recvfrom(fd, p, len, flags, s.controlAddress + NativeScratch.SA,
                        s.controlAddress + NativeScratch.SALEN);
            }
            if (n >= 0) {
                break;
            }
            if (n != -eintr || (retry = interrupted.again(fd, false, retry)) == InterruptedCalls.EXPIRED) {
                return (int) interrupted.result(retry, n);
            }
        }
        if (sa != null) {
            int got = nameToJava(s, sa);
            if (got < 0) {
                return got;
            }
            salen[0] = got;
        }
        return (int) n;
    }

    @Override
    public int recvDirect(int fd, ByteBuffer buf, int pos, int len, int flags, byte[] sa, int[] salen) {
        long p = directRange(buf, pos, len);
        if (p == 0) {
            return -einval;
        }
        NativeScratch s = scratch();
        try {
            return receive(s, fd, p, len, flags, sa, salen);
        } finally {
            Reference.reachabilityFence(buf); // its cleaner frees the memory the kernel is writing
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int recvArray(int fd, byte[] a, int off, int len, int flags, byte[] sa, int[] salen) {
        if (a == null || !Backend.rangeOk(off, len, a.length)) {
            return -einval;
        }
        if (sa == null && c.passesArraysInPlace() && Backend.inPlace(fd, flags, msgDontwait, len)) {
            return arrayInPlace(true, fd, a, off, len, flags);
        }
        NativeScratch s = scratch();
        long p = s.data(len);
        boolean own = p == 0;
        if (own) {
            p = c.allocate(len);
            if (p == 0) {
                return -enomem;
            }
        }
        try {
            if ((flags & msgTrunc) != 0) {
                // A stream socket counts the bytes it discards without storing them, and the count is copied
                // back below: the native memory must then hold the array's own bytes, not a previous call's.
                s.copyIn(p, a, off, len);
            }
            int rc = receive(s, fd, p, len, flags, sa, salen);
            if (rc > 0) {
                // MSG_TRUNC on a datagram socket reports the real length, which may exceed what was stored.
                s.copyOut(p, a, off, Math.min(rc, len));
            }
            return rc;
        } finally {
            if (own) {
                c.free(p);
            }
            Reference.reachabilityFence(s);
        }
    }

    // ---- read and write on any descriptor: a socket, a pipe, a file ---------------------------------------------

    /** read(2) or write(2) of {@code len} bytes at {@code p}, made again while a signal interrupts it. */
    private int readOrWrite(boolean read, int fd, long p, int len) {
        long n;
        long retry = InterruptedCalls.FIRST;
        do {
            n = read ? c.read(fd, p, len) : c.write(fd, p, len);
        } while (n == -eintr && (retry = interrupted.again(fd, !read, retry)) != InterruptedCalls.EXPIRED);
        return (int) interrupted.result(retry, n);
    }

    @Override
    public int readDirect(int fd, ByteBuffer buf, int pos, int len) {
        return directReadOrWrite(true, fd, buf, pos, len);
    }

    @Override
    public int writeDirect(int fd, ByteBuffer buf, int pos, int len) {
        return directReadOrWrite(false, fd, buf, pos, len);
    }

    /** read into or write from {@code buf[pos .. pos+len)} of a direct buffer, by its address. */
    private int directReadOrWrite(boolean read, int fd, ByteBuffer buf, int pos, int len) {
        long p = directRange(buf, pos, len);
        if (p == 0) {
            return -einval;
        }
        try {
            return readOrWrite(read, fd, p, len);
        } finally {
            Reference.reachabilityFence(buf); // its cleaner frees the memory the kernel is using
        }
    }

    @Override
    public int readArray(int fd, byte[] a, int off, int len) {
        return arrayThroughCopy(true, fd, a, off, len);
    }

    @Override
    public int writeArray(int fd, byte[] a, int off, int len) {
        return arrayThroughCopy(false, fd, a, off, len);
    }

    /**
     * read into or write from {@code a[off .. off+len)} through the thread's native memory (or memory of its own for
     * this call, when larger): the array is never passed in place, as either call may block.
     */
    private int arrayThroughCopy(boolean read, int fd, byte[] a, int off, int len) {
        if (a == null || !Backend.rangeOk(off, len, a.length)) {
            return -einval;
        }
        NativeScratch s = scratch();
        long p = s.data(len);
        boolean own = p == 0;
        if (own && (p = c.allocate(len)) == 0) {
            return -enomem;
        }
        try {
            if (!read) {
                s.copyIn(p, a, off, len);
            }
            int rc = readOrWrite(read, fd, p, len);
            if (read && rc > 0) {
                s.copyOut(p, a, off, rc);
            }
            return rc;
        } finally {
            if (own) {
                c.free(p);
            }
            Reference.reachabilityFence(s);
        }
    }

    // ---- addresses and descriptors -----------------------------------------------------------------------------

    @Override
    public int sockaddrInet(byte[] out, byte[] ip, int port, int scopeId, int flowinfo) {
        return sockaddrs.inet(out, ip, port, scopeId, flowinfo);
    }

    @Override
    public int sockaddrUnix(byte[] out, byte[] path, boolean abstractName) {
        return sockaddrs.unix(out, path, abstractName);
    }

    @Override
    public int sockaddrDecode(byte[] sa, int salen, int[] info, byte[] data) {
        return sockaddrs.decode(sa, salen, info, data);
    }

    @Override
    public int descriptorOf(Object channelOrFileDescriptor) {
        return descriptors.of(channelOrFileDescriptor);
    }

    // ---- sendmsg, sendmmsg, recvmsg over a message plan (LibcMessages) ------------------------------------------

    @Override
    public long directAddress(ByteBuffer direct) {
        return direct != null && direct.isDirect() ? c.addressOf(direct) : 0;
    }

    @Override
    public long sendmsg(int fd, MessagePlan plan, int flags) {
        return messages.sendmsg(fd, plan, flags);
    }

    @Override
    public long sendmsgDirect(int fd, boolean oneOfBatch, ByteBuffer buf0, int pos0, int len0, ByteBuffer buf1,
            int pos1, int len1, byte[] sa, int salen, int cmsgLevel, int cmsgType, int cmsgKind, int cmsgValue,
            int flags) {
        long base0 = directRange(buf0, pos0, len0);
        long base1 = buf1 == null ? 0 : directRange(buf1, pos1, len1);
        if (base0 == 0 || (buf1 != null && base1 == 0) || (sa != null && !sockaddrs.imageOk(sa, salen))) {
            return -einval;
        }
        try {
            return messages.sendmsgDirect(fd, oneOfBatch, base0, len0, buf1 == null ? 0 : 1, base1, len1, sa, salen,
                    cmsgLevel, cmsgType, cmsgKind, cmsgValue, flags);
        } finally {
            // the kernel reads the buffers' memory, which their cleaners free
            Reference.reachabilityFence(buf0);
            Reference.reachabilityFence(buf1);
        }
    }

    @Override
    public int sendmmsg(int fd, MessagePlan plan, int off, int vlen, int flags) {
        return messages.sendmmsg(fd, plan, off, vlen, flags);
    }

    @Override
    public long recvmsg(int fd, MessagePlan plan, int flags) {
        return messages.recvmsg(fd, plan, flags);
    }

    @Override
    public int recvmmsg(int fd, MessagePlan plan, int off, int vlen, int flags, long timeoutNanos) {
        return messages.recvmmsg(fd, plan, off, vlen, flags, timeoutNanos);
    }

    @Override
    public int recvErrqueue(int fd, int flags, byte[] record) {
        return messages.recvErrqueue(fd, flags, record);
    }

    /**
     * The kernel-side search alone, without reading private fields; for tests on every JDK.
     *
     * @param channelOrFileDescriptor a channel or descriptor
     * @return its number, or {@code -errno}
     */
    public int descriptorByKernel(Object channelOrFileDescriptor) {
        return descriptors.byKernel(channelOrFileDescriptor);
    }

    // ---- poll, ioctl, options of any shape ---------------------------------------------------------------------

    @Override
    public int poll(ByteBuffer fds, int nfds, int timeoutMillis) {
        Integer size = constants.get("SIZEOF_POLLFD");
        if (fds == null || !fds.isDirect() || size == null || nfds < 0 || nfds > fds.capacity() / size) {
            return -einval;
        }
        long address = c.addressOf(fds);
        if (address == 0 || address % 4 != 0) {
            return -einval;
        }
        // A signal must not make the caller wait longer in total than asked: retry with what is left.
        long deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000L : 0;
        int wait = timeoutMillis;
        try {
            while (true) {
                int n = c.poll(address, nfds, wait);
                if (n != -eintr) {
                    return n;
                }
                if (timeoutMillis > 0) {
                    long left = deadline - System.nanoTime();
                    wait = left <= 0 ? 0 : (int) ((left + 999_999) / 1_000_000);
                }
            }
        } finally {
            Reference.reachabilityFence(fds); // its cleaner frees the memory the kernel writes revents into
        }
    }

    @Override
    public int ioctlInt(int fd, int request, int[] out) {
        // only requests known to write one int: another could write a larger struct past the int's room
        if (out == null || out.length < 1 || !Platform.isIntIoctl(request)) {
            return -einval;
        }
        NativeScratch s = scratch();
        s.control.putInt(NativeScratch.INTS, 0);
        try {
            // zero-extended: a BSD request with its top bit set must not become a 64-bit negative number
            int rc = c.ioctl(fd, request & 0xffff_ffffL, s.controlAddress + NativeScratch.INTS);
            if (rc < 0) {
                return rc;
            }
            out[0] = s.control.getInt(NativeScratch.INTS);
            return 0;
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int ioctlStamp(int fd, int request, long[] out) {
        boolean timeval = request != Platform.UNSUPPORTED && request == Platform.value("SIOCGSTAMP");
        boolean timespec = request != Platform.UNSUPPORTED && request == Platform.value("SIOCGSTAMPNS");
        if (out == null || out.length < 1 || !(timeval || timespec)) {
            return -einval; // another request's struct could be larger than the room below
        }
        NativeScratch s = scratch();
        ByteBuffer room = s.control;
        for (int i = 0; i < 16; i += 8) {
            room.putLong(NativeScratch.SA + i, 0);
        }
        try {
            int rc = c.ioctl(fd, request & 0xffff_ffffL, s.controlAddress + NativeScratch.SA);
            if (rc < 0) {
                return rc;
            }
            // both structs lead with a 64-bit tv_sec on the 64-bit platforms posix-send runs on
            long sec = room.getLong(NativeScratch.SA + Platform.value("OFFSETOF_TIMEVAL_SEC"));
            out[0] = timeval
                    ? sec * 1_000_000_000L + room.getLong(NativeScratch.SA + Platform.value("OFFSETOF_TIMEVAL_USEC"))
                            * 1_000L
                    : sec * 1_000_000_000L + room.getLong(NativeScratch.SA + Platform.value("OFFSETOF_TIMESPEC_NSEC"));
            return 0;
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int setsockoptFilter(int fd, int level, int name, int[] program, int count) {
        if (!OptionValues.takesProgram(level, name) || program == null || count < 0 || count > 0xffff
                || program.length / 4 < count) {
            return -einval;
        }
        // the struct sock_fprog and its instructions in one area: the fprog's pointer is that area's address + its size
        int fprog = Platform.value("SIZEOF_SOCK_FPROG");
        int insn = Platform.value("SIZEOF_SOCK_FILTER");
        int len = fprog + Math.max(1, count) * insn;
        long p = c.allocate(len);
        if (p == 0) {
            return -enomem;
        }
        try {
            ByteBuffer image = ByteBuffer.allocate(len).order(java.nio.ByteOrder.nativeOrder());
            image.putShort(Platform.value("OFFSETOF_SOCK_FPROG_LEN"), (short) count);
            image.putLong(Platform.value("OFFSETOF_SOCK_FPROG_FILTER"), p + fprog);
            for (int i = 0; i < count; i++) {
                int code = program[4 * i];
                int jt = program[4 * i + 1];
                int jf = program[4 * i + 2];
                if (code < 0 || code > 0xffff || jt < 0 || jt > 0xff || jf < 0 || jf > 0xff) {
                    return -einval;
                }
                int at = fprog + i * insn;
                image.putShort(at + Platform.value("OFFSETOF_SOCK_FILTER_CODE"), (short) code);
                image.put(at + Platform.value("OFFSETOF_SOCK_FILTER_JT"), (byte) jt);
                image.put(at + Platform.value("OFFSETOF_SOCK_FILTER_JF"), (byte) jf);
                image.putInt(at + Platform.value("OFFSETOF_SOCK_FILTER_K"), program[4 * i + 3]);
            }
            c.copyIn(p, image.array(), 0, len);
            return c.setsockopt(fd, level, name, p, fprog);
        } finally {
            c.free(p);
        }
    }

    @Override
    public long clockGettime(int clock) {
        NativeScratch s = scratch();
        try {
            int rc = c.clockGettime(clock, s.controlAddress + NativeScratch.SA);
            if (rc < 0) {
                return rc;
            }
            long sec = s.control.getLong(NativeScratch.SA + timespecSec);
            long nsec = s.control.getLong(NativeScratch.SA + timespecNsec);
            // a time before the epoch would read as -errno, one past 2262 would wrap
            return sec < 0 || sec > (Long.MAX_VALUE - 999_999_999L) / 1_000_000_000L ? -eoverflow
                    : sec * 1_000_000_000L + nsec;
        } finally {
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int setsockoptBytes(int fd, int level, int name, byte[] value, int len) {
        if (value == null || !Backend.rangeOk(0, len, value.length) || !OptionValues.passAsBytes(level, name)) {
            return -einval;
        }
        NativeScratch s = scratch();
        long p = s.data(len);
        boolean own = p == 0;
        if (own && (p = c.allocate(len)) == 0) {
            return -enomem;
        }
        try {
            s.copyIn(p, value, 0, len);
            return c.setsockopt(fd, level, name, p, len);
        } finally {
            if (own) {
                c.free(p);
            }
            Reference.reachabilityFence(s);
        }
    }

    @Override
    public int getsockoptBytes(int fd, int level, int name, byte[] out, int len) {
        if (out == null || !Backend.rangeOk(0, len, out.length) || !OptionValues.readAsBytes(level, name)) {
            return -einval;
        }
        NativeScratch s = scratch();
        long p = s.data(len);
        boolean own = p == 0;
        if (own && (p = c.allocate(len)) == 0) {
            return -enomem;
        }
        try {
            s.copyIn(p, out, 0, len); // the value's input too, as C passes its buffer: never what the area held
            s.control.putInt(NativeScratch.OPTLEN, len);
            int rc = c.getsockopt(fd, level, name, p, s.controlAddress + NativeScratch.OPTLEN);
            if (rc < 0) {
                return rc;
            }
            int got = (int) Math.min(Integer.toUnsignedLong(s.control.getInt(NativeScratch.OPTLEN)), len);
            s.copyOut(p, out, 0, got);
            return got;
        } finally {
            if (own) {
                c.free(p);
            }
            Reference.reachabilityFence(s);
        }
    }
}

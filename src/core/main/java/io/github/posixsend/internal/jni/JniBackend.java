// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import io.github.posixsend.Errno;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.LibraryCallers;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.internal.NativeLibraryLoader;
import io.github.posixsend.internal.OptionValues;
import io.github.posixsend.internal.PerThread;
import io.github.posixsend.internal.Platform;
import io.github.posixsend.internal.PowerOfTwo;
import java.lang.annotation.Native;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The backend over the project's own JNI shim, which is built from native/ and bundled in the jar. */
public final class JniBackend implements Backend {
    /** EINVAL, the same number on Linux and NetBSD. */
    private static final int EINVAL = Errno.EINVAL.numberOn(Platform.os());

    /**
     * The shim reads a direct buffer's address and capacity fields without asking the JVM for its class again (that
     * JNI call is a VM transition on every send and receive): only a buffer that is direct may reach it. Every
     * {@code ByteBuffer} whose {@code isDirect()} is true is a {@code java.nio.DirectByteBuffer}, as only java.nio
     * can subclass {@code ByteBuffer}; this check is the one the shim relies on.
     */
    private static boolean isDirect(ByteBuffer buf) {
        return buf != null && buf.isDirect();
    }

    /**
     * The version of the contract between this code and the shim, compiled into the shim from this constant
     * ({@code javac -h}); a library built from other sources is refused. 7: the shim relies on {@link #isDirect}
     * instead of checking a direct buffer's class itself; 8: {@code sendmsg0} and {@code recvmsg0} take the plan's and
     * the first listed buffers' numbers as arguments; 9: {@code recvmmsg0} takes the plan's id and generation, and
     * keeps what it built for the next call with the same two; 10: {@code sendArrayInPlace0} and
     * {@code recvArrayInPlace0}; 11: {@code sendmsgDirect0}; 12: with one value-only control message; 13: the send
     * natives take a short destination as words ({@link JniNative#SOCKADDR_WORDS}); 14: {@code recvErrqueue0}; 15:
     * {@code sendmsgDirect0} takes {@code oneOfBatch}; 16: {@code sendmmsg0} takes the plan's id and generation and
     * keeps what it built, as {@code recvmmsg0} does; 17: {@code readDirect0}, {@code readArray0}, {@code writeDirect0}
     * and {@code writeArray0}; 18: {@code accept40}; 19: {@code pipe20}, {@code setCloseOnExec0} and
     * {@code isCloseOnExec0}; 20: {@code sendmmsg0} and {@code recvmmsg0} take C's {@code vlen}; 21: received
     * {@code UDP_GRO} and {@code SO_RXQ_OVFL} decoded as {@code KIND_INT}, which this jar's {@code ControlMessage}
     * tells apart by level; 22: {@code sendmmsg0} and {@code recvmmsg0} take C's {@code off} ({@code msgvec + off})
     * before {@code vlen}; 23: {@code ioctlStamp0} and {@code setsockoptFilter0}, and a received {@code TCP_CM_INQ}
     * decoded as {@code KIND_INT}; 24: {@code clockGettime0}; 25: the received control length written into the plan;
     * 26: {@code sendmmsg0} and {@code recvmmsg0} keep their batches in the thread's memory from Java
     * ({@code keptBatchesSize0}), and {@code sendfile0}; 27: that memory is sized by need ({@code keptLayout0}).
     */
    @Native static final int ABI_VERSION = 27;

    /**
     * Arrays up to this many bytes reach the kernel through the thread's {@link #arrayCopies} buffer, copied in Java;
     * larger ones through the shim's own copy. The shim copies an array with two JNI calls that each enter the VM
     * ({@code GetArrayLength}, then {@code Get/SetByteArrayRegion}), which cost more than the copy of a small array.
     */
    static final int JAVA_COPY_MAX = 8192;

    private final Map<String, Integer> constants;
    private final int msgDontwait;
    /** {@code MSG_ZEROCOPY}, or 0 where the system has none. */
    private final int msgZerocopy;
    private final int msgTrunc;
    /** The smallest copy buffer made. */
    private static final int LEAST_COPY = 256;
    /**
     * Each thread's direct buffer for the arrays it sends and receives (in an array of one, which the thread's map
     * holds as it is): made at the first such call, as large as that call's array rounded up to a power of two, and
     * grown by a larger one, up to {@link #JAVA_COPY_MAX} bytes.
     */
    private final PerThread<ByteBuffer[]> arrayCopies = new PerThread<>(() -> new ByteBuffer[1]);
    /**
     * Each thread's memory where the shim keeps the structs of its last batch sent ({@link JniNative#sendmmsg0}), made
     * at its first {@code sendmmsg} and grown to what its batches need. The memory is this copy of the classes' own, so
     * it goes with this backend when a redeployed application's class loader is collected, even from a thread that
     * lives on; it is in a {@link KeptBatches} rather than in the thread's map directly, which would keep it there.
     */
    private final PerThread<KeptBatches> keptSends;
    /** The same for the last batch received into ({@link JniNative#recvmmsg0}). */
    private final PerThread<KeptBatches> keptReceives;

    private JniBackend(Map<String, Integer> constants, int[] keptLayout) {
        this.constants = constants;
        this.keptSends = new PerThread<>(() -> new KeptBatches(keptLayout, 0));
        this.keptReceives = new PerThread<>(() -> new KeptBatches(keptLayout, 0));
        this.msgDontwait = constants.getOrDefault("MSG_DONTWAIT", 0);
        this.msgZerocopy = constants.getOrDefault("MSG_ZEROCOPY", 0);
        this.msgTrunc = constants.getOrDefault("MSG_TRUNC", 0);
    }

    /** The thread's copy buffer with {@code a[off .. off+len)} copied to its start ({@link #javaCopies} checked). */
    private ByteBuffer copiedIn(byte[] a, int off, int len) {
        ByteBuffer copy = copyBuffer(len);
        copy.put(0, a, off, len);
        return copy;
    }

    /** The thread's copy buffer, made or grown to hold {@code len} bytes ({@link #javaCopies} checked). */
    private ByteBuffer copyBuffer(int len) {
        ByteBuffer[] held = arrayCopies.get();
        ByteBuffer copy = held[0];
        if (copy == null || copy.capacity() < len) {
            copy = ByteBuffer.allocateDirect(len <= LEAST_COPY ? LEAST_COPY : PowerOfTwo.atLeast(len));
            held[0] = copy;
        }
        return copy;
    }

    /** Whether {@code a[off .. off+len)} is an array's range that the thread's copy buffer holds. */
    private static boolean javaCopies(byte[] a, int off, int len) {
        return a != null && len <= JAVA_COPY_MAX && Backend.rangeOk(off, len, a.length);
    }

    /**
     * Loads the shim and reads the platform's constants from it.
     *
     * @throws UnsatisfiedLinkError when the library cannot be loaded or is not the version this code needs
     * @throws IllegalCallerException when called from outside the library ({@link LibraryCallers})
     */
    public static JniBackend load() {
        LibraryCallers.require(JniBackend.class, "the JNI backend");
        NativeLibraryLoader.load();
        String[] names = JniNative.constantNames0();
        int[] values = JniNative.constantValues0();
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        Integer abi = map.get("PS_ABI_VERSION");
        if (abi == null || abi != ABI_VERSION) {
            throw new UnsatisfiedLinkError("posix-send: the loaded native library has ABI version " + abi
                    + " but this jar needs " + ABI_VERSION + "; a library from another release is on the path");
        }
        return new JniBackend(Collections.unmodifiableMap(map), JniNative.keptLayout0());
    }

    @Override
    public String name() {
        return "jni";
    }

    @Override
    public Map<String, Integer> constants() {
        return constants;
    }

    @Override
    public String strerror(int errno) {
        return JniNative.strerror0(errno);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return JniNative.socket0(domain, type, protocol);
    }

    @Override
    public int socketpair(int domain, int type, int protocol, int[] fds) {
        return JniNative.socketpair0(domain, type, protocol, fds);
    }

    @Override
    public int bind(int fd, byte[] sa, int salen) {
        return JniNative.bind0(fd, sa, salen);
    }

    @Override
    public int connect(int fd, byte[] sa, int salen) {
        return JniNative.connect0(fd, sa, salen);
    }

    @Override
    public int disconnect(int fd) {
        return JniNative.connectUnspec0(fd);
    }

    @Override
    public int listen(int fd, int backlog) {
        return JniNative.listen0(fd, backlog);
    }

    @Override
    public int accept(int fd, byte[] sa, int[] salen) {
        return JniNative.accept0(fd, sa, salen);
    }

    @Override
    public int accept4(int fd, int flags, byte[] sa, int[] salen) {
        return JniNative.accept40(fd, flags, sa, salen);
    }

    @Override
    public int socketName(int fd, boolean peer, byte[] sa) {
        return JniNative.socketName0(fd, peer, sa);
    }

    @Override
    public int shutdown(int fd, int how) {
        return JniNative.shutdown0(fd, how);
    }

    @Override
    public int close(int fd) {
        return JniNative.close0(fd);
    }

    @Override
    public int setsockoptInt(int fd, int level, int name, int value) {
        if (!OptionValues.passAsInt(level, name)) {
            return -EINVAL;
        }
        return JniNative.setsockoptInt0(fd, level, name, value);
    }

    @Override
    public int getsockoptInt(int fd, int level, int name, int[] out) {
        if (!OptionValues.passAsInt(level, name)) {
            return -EINVAL;
        }
        return JniNative.getsockoptInt0(fd, level, name, out);
    }

    @Override
    public int setBlocking(int fd, boolean blocking) {
        return JniNative.setBlocking0(fd, blocking);
    }

    @Override
    public int isBlocking(int fd) {
        return JniNative.isBlocking0(fd);
    }

    @Override
    public int pipe(int flags, int[] fds) {
        return JniNative.pipe20(flags, fds);
    }

    @Override
    public int setCloseOnExec(int fd, boolean on) {
        return JniNative.setCloseOnExec0(fd, on);
    }

    @Override
    public int isCloseOnExec(int fd) {
        return JniNative.isCloseOnExec0(fd);
    }

    @Override
    public int sendDirect(int fd, ByteBuffer buf, int pos, int len, int flags) {
        if (!isDirect(buf)) {
            return -EINVAL;
        }
        return JniNative.sendDirect0(fd, buf, pos, len, flags);
    }

    @Override
    public int sendArray(int fd, byte[] a, int off, int len, int flags) {
        if ((flags & msgZerocopy) != 0) {
            return -EINVAL; // the kernel would read the copy's or the array's memory after the call, as the shim says
        }
        if (Backend.inPlace(fd, flags, msgDontwait, len)) {
            return JniNative.sendArrayInPlace0(fd, a, off, len, flags);
        }
        if (javaCopies(a, off, len)) {
            return JniNative.sendDirect0(fd, copiedIn(a, off, len), 0, len, flags);
        }
        return JniNative.sendArray0(fd, a, off, len, flags);
    }

    @Override
    public int sendtoDirect(int fd, ByteBuffer buf, int pos, int len, int flags, byte[] sa, int salen) {
        if (!isDirect(buf)) {
            return -EINVAL;
        }
        if (sa == null) {
            return -EINVAL; // for the shim a null array means the destination is in the words
        }
        if (SockaddrWords.fit(sa, salen)) {
            return JniNative.sendtoDirect0(fd, buf, pos, len, flags, null, salen, SockaddrWords.word(sa, 0, salen),
                    SockaddrWords.word(sa, 1, salen), SockaddrWords.word(sa, 2, salen),
                    SockaddrWords.word(sa, 3, salen));
        }
        return JniNative.sendtoDirect0(fd, buf, pos, len, flags, sa, salen, 0, 0, 0, 0);
    }

    @Override
    public int sendtoArray(int fd, byte[] a, int off, int len, int flags, byte[] sa, int salen) {
        if (sa == null || (flags & msgZerocopy) != 0) {
            return -EINVAL; // zero copy from a copy or an array: see sendArray
        }
        if (javaCopies(a, off, len)) {
            return sendtoDirect(fd, copiedIn(a, off, len), 0, len, flags, sa, salen);
        }
        if (SockaddrWords.fit(sa, salen)) {
            return JniNative.sendtoArray0(fd, a, off, len, flags, null, salen, SockaddrWords.word(sa, 0, salen),
                    SockaddrWords.word(sa, 1, salen), SockaddrWords.word(sa, 2, salen),
                    SockaddrWords.word(sa, 3, salen));
        }
        return JniNative.sendtoArray0(fd, a, off, len, flags, sa, salen, 0, 0, 0, 0);
    }

    @Override
    public int recvDirect(int fd, ByteBuffer buf, int pos, int len, int flags, byte[] sa, int[] salen) {
        if (!isDirect(buf)) {
            return -EINVAL;
        }
        return JniNative.recvDirect0(fd, buf, pos, len, flags, sa, salen);
    }

    @Override
    public int recvArray(int fd, byte[] a, int off, int len, int flags, byte[] sa, int[] salen) {
        if (sa == null && Backend.inPlace(fd, flags, msgDontwait, len)) {
            return JniNative.recvArrayInPlace0(fd, a, off, len, flags);
        }
        if (javaCopies(a, off, len)) {
            // a stream socket counts the bytes MSG_TRUNC discards without storing them: those copied back must be the
            // array's own
            ByteBuffer copy = (flags & msgTrunc) != 0 ? copiedIn(a, off, len) : copyBuffer(len);
            int n = JniNative.recvDirect0(fd, copy, 0, len, flags, sa, salen);
            if (n > 0) {
                // MSG_TRUNC on a datagram socket reports the datagram's whole length, which may exceed the room
                copy.get(0, a, off, Math.min(n, len));
            }
            return n;
        }
        return JniNative.recvArray0(fd, a, off, len, flags, sa, salen);
    }

    @Override
    public int sockaddrInet(byte[] out, byte[] ip, int port, int scopeId, int flowinfo) {
        return JniNative.sockaddrInet0(out, ip, port, scopeId, flowinfo);
    }

    @Override
    public int sockaddrUnix(byte[] out, byte[] path, boolean abstractName) {
        return JniNative.sockaddrUnix0(out, path, abstractName);
    }

    @Override
    public int sockaddrDecode(byte[] sa, int salen, int[] info, byte[] data) {
        return JniNative.sockaddrDecode0(sa, salen, info, data);
    }

    @Override
    public int descriptorOf(Object channelOrFileDescriptor) {
        return JniNative.descriptorOf0(channelOrFileDescriptor);
    }

    @Override
    public long directAddress(ByteBuffer direct) {
        return JniNative.directAddress0(direct);
    }

    // The shim reaches the plan and its listed buffers by the numbers in plan.ranges(); the plan references all of
    // them, so the fence keeps that memory alive until the call has returned.

    @Override
    public long sendmsg(int fd, MessagePlan plan, int flags) {
        try {
            long[] r = plan.ranges();
            int listed = plan.listed();
            // r holds at least two listed buffers' numbers; past `listed` the shim ignores them
            return listed <= JniNative.ARG_BUFFERS
                    ? JniNative.sendmsg0(fd, r[0], r[1], listed, r[2], r[3], r[4], r[5], null, flags)
                    : JniNative.sendmsg0(fd, r[0], r[1], listed, 0, 0, 0, 0, r, flags);
        } finally {
            Reference.reachabilityFence(plan);
        }
    }

    @Override
    public long sendmsgDirect(int fd, boolean oneOfBatch, ByteBuffer buf0, int pos0, int len0, ByteBuffer buf1,
            int pos1, int len1, byte[] sa, int salen, int cmsgLevel, int cmsgType, int cmsgKind, int cmsgValue,
            int flags) {
        int batch = oneOfBatch ? 1 : 0;
        if (!isDirect(buf0) || (buf1 != null && !buf1.isDirect())) {
            return -EINVAL;
        }
        if (sa != null && salen <= 0) {
            return -EINVAL; // as the Java-side backends answer; for the shim no array and length 0 is no address
        }
        if (sa == null || SockaddrWords.fit(sa, salen)) {
            int n = sa == null ? 0 : salen;
            return JniNative.sendmsgDirect0(fd, batch, buf0, pos0, len0, buf1, pos1, len1, null, n,
                    SockaddrWords.word(sa, 0, n), SockaddrWords.word(sa, 1, n), SockaddrWords.word(sa, 2, n),
                    SockaddrWords.word(sa, 3, n), cmsgLevel, cmsgType, cmsgKind, cmsgValue, flags);
        }
        return JniNative.sendmsgDirect0(fd, batch, buf0, pos0, len0, buf1, pos1, len1, sa, salen, 0, 0, 0, 0,
                cmsgLevel, cmsgType, cmsgKind, cmsgValue, flags);
    }

    @Override
    public int sendmmsg(int fd, MessagePlan plan, int off, int vlen, int flags) {
        try {
            return JniNative.sendmmsg0(fd, keptSends.get().memory(), plan.id(), plan.generation(), plan.ranges(),
                    plan.listed(), off, vlen, flags);
        } finally {
            Reference.reachabilityFence(plan);
        }
    }

    @Override
    public long recvmsg(int fd, MessagePlan plan, int flags) {
        try {
            long[] r = plan.ranges();
            int listed = plan.listed();
            return listed <= JniNative.ARG_BUFFERS
                    ? JniNative.recvmsg0(fd, r[0], r[1], listed, r[2], r[3], r[4], r[5], null, flags)
                    : JniNative.recvmsg0(fd, r[0], r[1], listed, 0, 0, 0, 0, r, flags);
        } finally {
            Reference.reachabilityFence(plan);
        }
    }

    @Override
    public int recvmmsg(int fd, MessagePlan plan, int off, int vlen, int flags, long timeoutNanos) {
        try {
            return JniNative.recvmmsg0(fd, keptReceives.get().memory(), plan.id(), plan.generation(), plan.ranges(),
                    plan.listed(), off, vlen, flags, timeoutNanos);
        } finally {
            Reference.reachabilityFence(plan);
        }
    }

    @Override
    public int recvErrqueue(int fd, int flags, byte[] record) {
        return JniNative.recvErrqueue0(fd, flags, record);
    }

    @Override
    public long sendfile(int outFd, int inFd, boolean atOffset, long offset, long count) {
        return JniNative.sendfile0(outFd, inFd, atOffset ? 1 : 0, offset, count);
    }

    @Override
    public int poll(ByteBuffer fds, int nfds, int timeoutMillis) {
        if (!isDirect(fds)) {
            return -EINVAL;
        }
        return JniNative.poll0(fds, nfds, timeoutMillis);
    }

    @Override
    public int ioctlInt(int fd, int request, int[] out) {
        return JniNative.ioctlInt0(fd, request, out);
    }

    @Override
    public int ioctlStamp(int fd, int request, long[] out) {
        return JniNative.ioctlStamp0(fd, request, out);
    }

    @Override
    public long clockGettime(int clock) {
        return JniNative.clockGettime0(clock);
    }

    @Override
    public int setsockoptFilter(int fd, int level, int name, int[] program, int count) {
        return JniNative.setsockoptFilter0(fd, level, name, program, count);
    }

    @Override
    public int setsockoptBytes(int fd, int level, int name, byte[] value, int len) {
        if (!OptionValues.passAsBytes(level, name)) {
            return -EINVAL;
        }
        return JniNative.setsockoptBytes0(fd, level, name, value, len);
    }

    @Override
    public int getsockoptBytes(int fd, int level, int name, byte[] out, int len) {
        if (!OptionValues.readAsBytes(level, name)) {
            return -EINVAL;
        }
        return JniNative.getsockoptBytes0(fd, level, name, out, len);
    }

    @Override
    public int readDirect(int fd, ByteBuffer buf, int pos, int len) {
        if (!isDirect(buf)) {
            return -EINVAL;
        }
        return JniNative.readDirect0(fd, buf, pos, len);
    }

    @Override
    public int readArray(int fd, byte[] a, int off, int len) {
        if (javaCopies(a, off, len)) {
            ByteBuffer copy = copyBuffer(len);
            int n = JniNative.readDirect0(fd, copy, 0, len);
            if (n > 0) {
                copy.get(0, a, off, n);
            }
            return n;
        }
        return JniNative.readArray0(fd, a, off, len);
    }

    @Override
    public int writeDirect(int fd, ByteBuffer buf, int pos, int len) {
        if (!isDirect(buf)) {
            return -EINVAL;
        }
        return JniNative.writeDirect0(fd, buf, pos, len);
    }

    @Override
    public int writeArray(int fd, byte[] a, int off, int len) {
        if (javaCopies(a, off, len)) {
            return JniNative.writeDirect0(fd, copiedIn(a, off, len), 0, len);
        }
        return JniNative.writeArray0(fd, a, off, len);
    }
}

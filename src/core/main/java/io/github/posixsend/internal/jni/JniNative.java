// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import io.github.posixsend.internal.MessagePlan;

import java.lang.annotation.Native;
import java.nio.ByteBuffer;

/**
 * The JNI shim's entry points (native/*.c). Primitive-typed, each one system call at most, each returning a
 * count or {@code -errno}. Only {@link JniBackend} calls them.
 */
final class JniNative {
    private JniNative() {
    }

    /**
     * {@return the layout of a thread's memory for a kept batch} The direct buffer handed to {@link #sendmmsg0} or
     * {@link #recvmmsg0} as {@code kept} ({@link KeptBatches}): its alignment, the bytes of the head the shim keeps at
     * its start, and the offset in that head of the {@code int} (native byte order) where the shim notes how many bytes
     * of area after the head the batch it built last wanted.
     */
    static native int[] keptLayout0();

    static native String[] constantNames0();

    static native int[] constantValues0();

    static native String strerror0(int errnum);

    static native int socket0(int domain, int type, int protocol);

    static native int socketpair0(int domain, int type, int protocol, int[] fds);

    static native int bind0(int fd, byte[] sa, int salen);

    static native int connect0(int fd, byte[] sa, int salen);

    static native int connectUnspec0(int fd);

    static native int listen0(int fd, int backlog);

    static native int accept0(int fd, byte[] sa, int[] salen);

    /** {@code accept0} made as {@code accept4} with {@code flags}. */
    static native int accept40(int fd, int flags, byte[] sa, int[] salen);

    static native int socketName0(int fd, boolean peer, byte[] sa);

    static native int shutdown0(int fd, int how);

    static native int close0(int fd);

    static native int setsockoptInt0(int fd, int level, int name, int value);

    static native int getsockoptInt0(int fd, int level, int name, int[] out);

    // ---- descriptors of any kind (native/ps_fd.c) -------------------------------------------------------------

    /** {@code pipe2(fds, flags)}: the read end into {@code fds[0]}, the write end into {@code fds[1]}. */
    static native int pipe20(int flags, int[] fds);

    static native int setBlocking0(int fd, boolean blocking);

    static native int isBlocking0(int fd);

    static native int setCloseOnExec0(int fd, boolean on);

    static native int isCloseOnExec0(int fd);

    // ---- send, sendto, recv and recvfrom (native/ps_send.c) ---------------------------------------------------------

    static native int sendDirect0(int fd, ByteBuffer buf, int pos, int len, int flags);

    static native int sendArray0(int fd, byte[] a, int off, int len, int flags);

    /** {@code sendArray0} with the array in place; the shim copies unless flags hold MSG_DONTWAIT and not MSG_MORE. */
    static native int sendArrayInPlace0(int fd, byte[] a, int off, int len, int flags);

    /** {@code recv} into the array in place; the shim receives through a copy unless flags hold MSG_DONTWAIT. */
    static native int recvArrayInPlace0(int fd, byte[] a, int off, int len, int flags);

    /**
     * How many words of a destination's sockaddr image the send natives take as arguments: enough for IPv4 and IPv6
     * (28 bytes). A destination in words ({@code sa} null, {@code w0..w3} its image in native byte order, as
     * {@link SockaddrWords} reads them) costs the shim no call back into the JVM to copy an array; a longer one (a Unix
     * path) comes as the array {@code sa} and the words are 0.
     */
    @Native static final int SOCKADDR_WORDS = 4;

    static native int sendtoDirect0(int fd, ByteBuffer buf, int pos, int len, int flags, byte[] sa, int salen,
            long w0, long w1, long w2, long w3);

    static native int sendtoArray0(int fd, byte[] a, int off, int len, int flags, byte[] sa, int salen, long w0,
            long w1, long w2, long w3);

    static native int recvDirect0(int fd, ByteBuffer buf, int pos, int len, int flags, byte[] sa, int[] salen);

    static native int recvArray0(int fd, byte[] a, int off, int len, int flags, byte[] sa, int[] salen);

    static native int sockaddrInet0(byte[] out, byte[] ip, int port, int scopeId, int flowinfo);

    static native int sockaddrUnix0(byte[] out, byte[] path, boolean abstractName);

    static native int sockaddrDecode0(byte[] sa, int salen, int[] info, byte[] data);

    static native int descriptorOf0(Object channelOrFileDescriptor);

    /** A direct buffer's address (native/ps_buffers.c); 0 for anything else. */
    static native long directAddress0(ByteBuffer buf);

    // ---- sendmsg, sendmmsg, recvmsg (native/ps_msg.c, ps_plan.c, ps_cmsg.c) -----------------------------------
    // ranges and listed are MessagePlan.ranges() and listed(): the plan and its listed buffers as numbers. The
    // single-message calls take the plan's range and up to ARG_BUFFERS listed buffers' as arguments, which the
    // shim reads without a JNI call, and ranges (else null) only when more are listed.

    /** How many listed buffers sendmsg0 and recvmsg0 take as arguments (ps_plan.h: PS_PLAN_ARG_BUFFERS). */
    @Native static final int ARG_BUFFERS = 2;

    static native long sendmsg0(int fd, long plan, long planCapacity, int listed, long address0, long capacity0,
            long address1, long capacity1, long[] ranges, int flags);

    /** {@link io.github.posixsend.internal.Backend#NO_CONTROL}, for the shim. */
    @Native static final int NO_CONTROL = io.github.posixsend.internal.Backend.NO_CONTROL;

    /**
     * {@code sendmsg} of one or two direct buffers ({@code buf1} null for one) and at most one value-only control
     * message, without a plan (native/ps_msg_direct.c); no destination when {@code sa} is null and {@code salen} 0,
     * else one as for {@link #sendtoDirect0}; a {@code sendmmsg} of that one message when {@code oneOfBatch} is
     * not 0 (its result as {@link io.github.posixsend.internal.Backend#sendmsgDirect} says).
     */
    static native long sendmsgDirect0(int fd, int oneOfBatch, ByteBuffer buf0, int pos0, int len0, ByteBuffer buf1,
            int pos1, int len1, byte[] sa, int salen, long w0, long w1, long w2, long w3, int cmsgLevel, int cmsgType,
            int cmsgKind, int cmsgValue, int flags);

    /**
     * {@code kept}: the calling thread's direct buffer for sends, laid out as {@link #keptLayout0} says
     * ({@code -EINVAL} for null, a buffer not aligned so or one too small for the head and its last aligned unit),
     * where the shim keeps the structs it built for the last batch this thread sent when they fit, and sends them
     * again for a call with the same {@code planId} and {@code generation} (as for {@link #recvmmsg0}), without
     * reading the plan's records; {@code planId} 0 keeps nothing. {@code off} and {@code vlen}: C's
     * {@code msgvec + off} and {@code vlen}, which of the plan's messages the kernel is given (the shim builds them
     * all); when they are not a range of the plan's message count, {@code -EINVAL} without a system call.
     */
    static native int sendmmsg0(int fd, ByteBuffer kept, long planId, long generation, long[] ranges, int listed,
            int off, int vlen, int flags);

    static native long recvmsg0(int fd, long plan, long planCapacity, int listed, long address0, long capacity0,
            long address1, long capacity1, long[] ranges, int flags);

    /**
     * {@code timeoutNanos} below 0: no timeout (a NULL timespec). {@code planId} and {@code generation} are
     * {@link MessagePlan#id()} and {@link MessagePlan#generation()}: the shim keeps the structs it built for the last
     * batch this thread received into in {@code kept}, its direct buffer for receives (as for {@link #sendmmsg0}), and
     * uses them again for a call with the same two numbers, without reading the plan's records; {@code planId} 0 keeps
     * nothing. {@code off} and {@code vlen} as for {@link #sendmmsg0}.
     */
    static native int recvmmsg0(int fd, ByteBuffer kept, long planId, long generation, long[] ranges, int listed,
            int off, int vlen, int flags, long timeoutNanos);

    /** {@link io.github.posixsend.internal.Backend#recvErrqueue} (native/ps_errqueue.c). */
    static native int recvErrqueue0(int fd, int flags, byte[] record);
    // ---- poll, ioctl, options of any shape (native/ps_poll.c, ps_ioctl.c, ps_sockopt.c) -----------------------

    /** Linux's {@code sendfile}, from {@code offset} when {@code atOffset} is not 0 (native/ps_sendfile.c). */
    static native long sendfile0(int outFd, int inFd, int atOffset, long offset, long count);

    static native int poll0(ByteBuffer fds, int nfds, int timeoutMillis);

    static native int ioctlInt0(int fd, int request, int[] out);

    static native int ioctlStamp0(int fd, int request, long[] out);

    /** {@link io.github.posixsend.internal.Backend#clockGettime} (native/ps_clock.c). */
    static native long clockGettime0(int clock);

    static native int setsockoptFilter0(int fd, int level, int name, int[] program, int count);

    static native int setsockoptBytes0(int fd, int level, int name, byte[] value, int len);

    static native int getsockoptBytes0(int fd, int level, int name, byte[] out, int len);

    // ---- read and write on any descriptor: a socket, a pipe, a file (native/ps_rw.c) --------------------------

    static native int readDirect0(int fd, ByteBuffer buf, int pos, int len);

    static native int readArray0(int fd, byte[] a, int off, int len);

    static native int writeDirect0(int fd, ByteBuffer buf, int pos, int len);

    static native int writeArray0(int fd, byte[] a, int off, int len);
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * What the public {@code Posix} API needs from a way of reaching the C library: the JNI shim or JNR-FFI.
 *
 * <p>Every call is one system call (or none) and returns a count, a descriptor or 0 on success and
 * {@code -errno} on failure; it never throws for a kernel error. Arguments have been checked by the caller,
 * but implementations still refuse ranges outside an array or buffer with {@code -EINVAL} rather than touch
 * memory they were not given. Sockaddr arguments are byte images built by {@link #sockaddrInet} and
 * {@link #sockaddrUnix} of the same backend.
 */
public interface Backend {

    /** The short name users select it by: {@code jni}, {@code ffm} or {@code jnr}. */
    String name();

    /** The platform's constants by C name; a name the platform lacks is absent. */
    Map<String, Integer> constants();

    /** The C library's text for an errno number. */
    String strerror(int errno);

    int socket(int domain, int type, int protocol);

    /** Fills {@code fds[0..1]}. */
    int socketpair(int domain, int type, int protocol, int[] fds);

    int bind(int fd, byte[] sa, int salen);

    int connect(int fd, byte[] sa, int salen);

    /** {@code connect} with {@code AF_UNSPEC}: dissolves a datagram socket's association. */
    int disconnect(int fd);

    int listen(int fd, int backlog);

    /**
     * The new descriptor; when {@code sa} is not null (it must hold a {@code sockaddr_storage}) the peer's address
     * goes there and its length into {@code salen[0]}.
     */
    int accept(int fd, byte[] sa, int[] salen);

    /**
     * {@code accept4}: as {@link #accept} with {@code flags} ({@code SOCK_NONBLOCK}, {@code SOCK_CLOEXEC}) passed to
     * the kernel. Not the same call as {@code accept} with no flags: NetBSD's {@code accept} gives the new socket the
     * listener's {@code O_NONBLOCK}, and its {@code accept4} only what {@code flags} asks for.
     */
    int accept4(int fd, int flags, byte[] sa, int[] salen);

    /** The length of the socket's own ({@code peer == false}) or its peer's address, written into {@code sa}. */
    int socketName(int fd, boolean peer, byte[] sa);

    int shutdown(int fd, int how);

    int close(int fd);

    int setsockoptInt(int fd, int level, int name, int value);

    /** Writes the value into {@code out[0]}. */
    int getsockoptInt(int fd, int level, int name, int[] out);

    int setBlocking(int fd, boolean blocking);

    /** 1 when blocking, 0 when non-blocking. */
    int isBlocking(int fd);

    /**
     * {@code pipe2} with {@code flags} ({@code O_NONBLOCK}, {@code O_CLOEXEC}) passed to the kernel: the read end
     * into {@code fds[0]}, the write end into {@code fds[1]}. A short {@code fds} is refused before the call.
     */
    int pipe(int flags, int[] fds);

    /** Sets ({@code on}) or clears {@code FD_CLOEXEC} with {@code fcntl} {@code F_GETFD}, then {@code F_SETFD}. */
    int setCloseOnExec(int fd, boolean on);

    /** 1 when {@code FD_CLOEXEC} is set, 0 when not. */
    int isCloseOnExec(int fd);

    /** {@code send} of {@code len} bytes at {@code pos} of a direct buffer. */
    int sendDirect(int fd, ByteBuffer buf, int pos, int len, int flags);

    /**
     * The smallest array a {@code send} or {@code recv} that cannot block ({@code MSG_DONTWAIT}) passes to the kernel
     * in place where the backend can: from here the copy it saves was measured to cost more than holding the
     * collector off while the kernel reads or fills the array (docs/bench-history.md, "Heap arrays passed in place").
     */
    int IN_PLACE_MIN = 8192;

    /**
     * Whether an array of {@code len} bytes may be passed in place to a call on {@code fd}: the call cannot wait for
     * data or room ({@code flags} has {@code dontwait}, the platform's {@code MSG_DONTWAIT}) and does not cork
     * ({@code MSG_MORE}, which takes a UDP socket's lock), the array is large enough to gain, and the socket takes
     * no lock that another thread may hold long ({@link InPlaceSockets}).
     *
     * @param fd the descriptor, whose domain, type and protocol the library's own backend is asked the first time
     * @param flags the call's {@code MSG_*} flags
     * @param dontwait {@code MSG_DONTWAIT}'s bit on this platform
     * @param len the bytes to send or room to receive into
     * @return true where a backend that can pass arrays in place should
     */
    static boolean inPlace(int fd, int flags, int dontwait, int len) {
        return (flags & dontwait) != 0 && len >= IN_PLACE_MIN && !InPlaceSockets.corks(flags)
                && InPlaceSockets.allows(fd);
    }

    /**
     * The shim's {@code ps_range_ok}: whether {@code [off, off+len)} lies inside {@code [0, size)}, without overflow.
     *
     * @param off the first index
     * @param len the length
     * @param size the size of what is indexed
     * @return true when the range lies inside
     */
    static boolean rangeOk(long off, long len, long size) {
        return off >= 0 && len >= 0 && size >= 0 && off <= size && len <= size - off;
    }

    /**
     * {@code send} of {@code a[off .. off+len)}; the array is copied, never pinned while the call may block (with
     * {@code MSG_DONTWAIT} and from {@link #IN_PLACE_MIN} bytes it may be passed in place).
     */
    int sendArray(int fd, byte[] a, int off, int len, int flags);

    int sendtoDirect(int fd, ByteBuffer buf, int pos, int len, int flags, byte[] sa, int salen);

    int sendtoArray(int fd, byte[] a, int off, int len, int flags, byte[] sa, int salen);

    /**
     * {@code recv}, or {@code recvfrom} when {@code sa} is not null (it must hold a {@code sockaddr_storage}; the
     * sender's address length goes into {@code salen[0]}). A short {@code sa} is refused before anything is received.
     */
    int recvDirect(int fd, ByteBuffer buf, int pos, int len, int flags, byte[] sa, int[] salen);

    /**
     * {@link #recvDirect} into {@code a[off .. off+len)}, through a copy, never pinned while the call may block (a
     * plain {@code recv} with {@code MSG_DONTWAIT} from {@link #IN_PLACE_MIN} bytes may fill the array in place).
     */
    int recvArray(int fd, byte[] a, int off, int len, int flags, byte[] sa, int[] salen);

    /**
     * Builds a {@code sockaddr_in} (4-byte {@code ip}) or {@code sockaddr_in6} (16 bytes) into {@code out};
     * returns its length.
     */
    int sockaddrInet(byte[] out, byte[] ip, int port, int scopeId, int flowinfo);

    /** Builds a {@code sockaddr_un} for a path, or a Linux abstract name; returns its length. */
    int sockaddrUnix(byte[] out, byte[] path, boolean abstractName);

    /**
     * Reads a sockaddr image: {@code info} gets family, port, scope id and the count of bytes written to
     * {@code data} (the 4 or 16 address bytes, or the Unix path or abstract name).
     */
    int sockaddrDecode(byte[] sa, int salen, int[] info, byte[] data);

    /** The descriptor number inside a java.nio channel or a {@code java.io.FileDescriptor}. */
    int descriptorOf(Object channelOrFileDescriptor);

    /**
     * The address of a direct buffer's first byte (its address, not its position's), or 0 when it has none: what
     * {@link MessagePlan#addBuffer} records for the buffers a message call lists.
     */
    long directAddress(ByteBuffer direct);

    // ---- sendmsg, sendmmsg, recvmsg ----------------------------------------------------------------------------
    // The message calls take a MessagePlan, whose class comment defines the plan's layout and what a backend must
    // check, build and write back. Only the building of struct msghdr / mmsghdr / iovec / cmsghdr differs.

    /**
     * {@code sendmsg} of the plan's single message (message count must be 1). Returns the count sent, or
     * {@code -errno} ({@code -EINVAL} for a malformed plan); writes nothing back into the plan.
     */
    long sendmsg(int fd, MessagePlan plan, int flags);

    /** The {@code cmsgKind} of a {@link #sendmsgDirect} without a control message. */
    int NO_CONTROL = -1;

    /**
     * {@code sendmsg} of one or two direct buffers ({@code buf1} null for one), to the sockaddr image {@code sa}
     * (null for none), with at most one control message whose payload is a single value, without a plan: the
     * message call of the common gather, a header and a body, whose plan would cost more memory touched than the
     * call itself needs. The control message is {@code cmsgLevel}, {@code cmsgType} and {@code cmsgValue} as an
     * {@code int} ({@link MessagePlan#KIND_INT}) or a {@code uint16_t} ({@link MessagePlan#KIND_UINT16}) payload, or
     * none ({@link #NO_CONTROL}); any other kind is refused. Ranges are checked against each buffer's capacity, as
     * {@link #sendDirect} checks its one; returns the count sent, or {@code -errno}. With {@code oneOfBatch} the call
     * is a {@code sendmmsg} of that one message (a batch of one needs no plan either) and returns 0 when the kernel
     * sent no message, 1 + its {@code msg_len} when it sent it, or {@code -errno}.
     */
    long sendmsgDirect(int fd, boolean oneOfBatch, ByteBuffer buf0, int pos0, int len0, ByteBuffer buf1, int pos1,
            int len1, byte[] sa, int salen, int cmsgLevel, int cmsgType, int cmsgKind, int cmsgValue, int flags);

    /**
     * {@code sendmmsg} of {@code vlen} of the plan's 0..1024 messages from message {@code off}, C's
     * {@code sendmmsg(fd, msgvec + off, vlen, flags)}: the whole plan is checked and built, so that a later call with
     * another range finds it built, but the kernel is given only messages {@code off..off+vlen-1}, from the header
     * {@code off} of the vector built. An {@code off} and {@code vlen} that are not a range of the plan's message count
     * {@code n} as the backend read it ({@code 0 <= off}, {@code 0 <= vlen}, {@code off <= n - vlen}, compared so that
     * nothing overflows) are {@code -EINVAL} without a system call. Writes each sent message's {@code msg_len} into its
     * out-bytes field, message {@code off + i} for the kernel's {@code i}th (the others' are not read). Returns the
     * number of messages sent, or {@code -errno} when message {@code off} failed. A backend may send again what it
     * built for the last call with the same plan {@link MessagePlan#id() id} and {@link MessagePlan#generation()
     * generation} on this thread.
     */
    int sendmmsg(int fd, MessagePlan plan, int off, int vlen, int flags);

    /**
     * {@code recvmsg} into the plan's single message: its name field is room for the sender's address, its
     * control space is offered to the kernel. Writes out-bytes, {@code msg_flags}, {@code msg_namelen} and the
     * parsed control messages. Returns the count received, or {@code -errno}.
     */
    long recvmsg(int fd, MessagePlan plan, int flags);

    /**
     * {@code recvmmsg} into {@code vlen} of the plan's 0..1024 messages from message {@code off}, each prepared as for
     * {@link #recvmsg}, {@code off} and {@code vlen} checked and the plan built as for {@link #sendmmsg};
     * {@code timeoutNanos} below 0 means no timeout. Writes each filled message's out fields, message {@code off + i}
     * for the kernel's {@code i}th (the others' are not read). Returns the number of messages received, or
     * {@code -errno} when none was.
     */
    int recvmmsg(int fd, MessagePlan plan, int off, int vlen, int flags, long timeoutNanos);

    /**
     * One {@code recvmsg(fd, &m, flags)} for the error queue ({@code flags} includes {@code MSG_ERRQUEUE}) with no
     * data space, {@link ErrorQueueRecord#CONTROL_SPACE} bytes of control space and room for the original
     * destination, filling {@code record} ({@link ErrorQueueRecord#SIZE} bytes or more) as that class lays it out.
     * Returns recvmsg's count (0: the data is not asked for) or {@code -errno}; {@code -EINVAL} for a short record.
     */
    int recvErrqueue(int fd, int flags, byte[] record);
    // ---- around the sends: poll, ioctl, options of any shape ----------------------------------------------------

    /**
     * {@code poll} over the first {@code nfds} {@code struct pollfd} in a direct buffer laid out with the
     * platform's {@code SIZEOF_POLLFD} and {@code OFFSETOF_POLLFD_*}. {@code EINTR} is retried with the time left
     * of {@code timeoutMillis} (negative: no limit). Returns the number of entries with events, or {@code -errno}
     * ({@code -EINVAL} for a buffer that is not direct, too small or misaligned).
     */
    int poll(ByteBuffer fds, int nfds, int timeoutMillis);

    /** {@code ioctl} with a request that writes one int, which goes into {@code out[0]}; 0 or {@code -errno}. */
    int ioctlInt(int fd, int request, int[] out);

    /**
     * {@code ioctl} with {@code SIOCGSTAMP} (a {@code struct timeval}) or {@code SIOCGSTAMPNS} (a
     * {@code struct timespec}): the last received datagram's arrival time in nanoseconds into {@code out[0]}; 0 or
     * {@code -errno} ({@code -EINVAL} for another request).
     */
    int ioctlStamp(int fd, int request, long[] out);

    /**
     * {@code clock_gettime} of {@code clock}: its time in nanoseconds, or {@code -errno} ({@code -EOVERFLOW} for a
     * time before 1970 or after 2262, which a {@code long} of nanoseconds cannot hold as a time).
     */
    long clockGettime(int clock);

    /**
     * {@code setsockopt} of {@code SO_ATTACH_FILTER} or {@code SO_ATTACH_REUSEPORT_CBPF} at {@code SOL_SOCKET} with a
     * {@code struct sock_fprog} of {@code count} classic BPF instructions, instruction {@code i} being
     * {@code program[4i .. 4i+3]} = code, jt, jf, k; 0 or {@code -errno} ({@code -EINVAL} for another option, a count
     * outside 0..65535 or the array, or a code or jump out of its field's range).
     */
    int setsockoptFilter(int fd, int level, int name, int[] program, int count);

    /**
     * {@code setsockopt} with the value {@code value[0 .. len)}; {@code -EINVAL} for an option not passed as bytes
     * ({@link OptionValues#passAsBytes}).
     */
    int setsockoptBytes(int fd, int level, int name, byte[] value, int len);

    /**
     * {@code getsockopt} offering {@code len} bytes, {@code out[0 .. len)} as they are (some options read an input
     * there); the value goes into {@code out[0 ..)}. Returns its length as the kernel reports it (at most
     * {@code len}), or {@code -errno} ({@code -EINVAL} for an option not read as bytes:
     * {@link OptionValues#readAsBytes}).
     */
    int getsockoptBytes(int fd, int level, int name, byte[] out, int len);

    // ---- read and write on any descriptor: a socket, a pipe, a file ---------------------------------------------

    /** {@code read} into {@code len} bytes at {@code pos} of a direct buffer: the count (0 at end of file). */
    int readDirect(int fd, ByteBuffer buf, int pos, int len);

    /** {@link #readDirect} into {@code a[off .. off+len)}, through a copy: never pinned, as a read may block. */
    int readArray(int fd, byte[] a, int off, int len);

    /** {@code write} of {@code len} bytes at {@code pos} of a direct buffer. */
    int writeDirect(int fd, ByteBuffer buf, int pos, int len);

    /** {@link #writeDirect} of {@code a[off .. off+len)}, through a copy: never pinned, as a write may block. */
    int writeArray(int fd, byte[] a, int off, int len);

    /**
     * Linux's {@code sendfile} of up to {@code count} bytes (not negative) of {@code inFd} to {@code outFd}: from
     * {@code offset} (C's {@code off_t}, the file position left alone) when {@code atOffset}, else from the file
     * position (a NULL offset). The count sent, or {@code -errno}.
     */
    long sendfile(int outFd, int inFd, boolean atOffset, long offset, long count);
}

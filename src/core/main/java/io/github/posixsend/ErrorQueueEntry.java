// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.ErrorQueueRecord;
import io.github.posixsend.internal.Platform;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reusable, mutable view of the error-queue entry (Linux) that the last {@code recvmsg} with
 * {@link MsgFlag#MSG_ERRQUEUE} returned into a {@link Message}: the fields of its {@code struct sock_extended_err}
 * and, when the entry is a transmit timestamp, its {@code struct scm_timestamping}. {@link #read(Message)} fills it
 * from the message without making any object, so a loop that reads zero-copy completions, timestamps or ICMP
 * errors with {@link Posix#tryRecvmsg} into one reused message and one reused entry allocates nothing.
 * {@link ExtendedError} and {@link TxTimestamp} are the same information as immutable values.
 *
 * <pre>{@code
 * Message m = new Message(256).add(ByteBuffer.allocateDirect(64));
 * ErrorQueueEntry e = new ErrorQueueEntry();
 * int flags = MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT);
 * while (Posix.tryRecvmsg(fd, m, flags) >= 0) {    // -EAGAIN: the queue is empty
 *     if (e.read(m) && e.isTimestamp()) {
 *         record(e.data(), e.timestampPoint(), e.softwareNanos());
 *     }
 *     m.buffer(0).clear();
 * }
 * }</pre>
 *
 * <p>{@link #tryReadFrom(int, int)} makes that {@code recvmsg} itself, with no data space and no message: the
 * shortest way to read completions and timestamps, which carry no data ({@code SOF_TIMESTAMPING_OPT_TSONLY}), and
 * ICMP errors whose returned datagram is not needed.
 *
 * <pre>{@code
 * ErrorQueueEntry e = new ErrorQueueEntry();
 * while (e.tryReadFrom(fd, MsgFlag.MSG_DONTWAIT.value()) >= 0) {    // -EAGAIN: the queue is empty
 *     if (e.isValid() && e.isTimestamp()) {
 *         record(e.data(), e.timestampPoint(), e.softwareNanos());
 *     }
 * }
 * }</pre>
 *
 * <p>The accessors of the entry's fields ({@link #errno()}, {@link #origin()}, {@link #data()},
 * {@link #isTimestamp()}, {@link #offender()} and the rest) throw {@link IllegalStateException} while no entry was
 * read into the view ({@link #isValid()} false).
 *
 * <p>Not safe for use by several threads at once. NetBSD has no error queue: there {@link #read(Message)} and
 * {@link #tryReadFrom(int, int)} throw {@link UnsupportedOperationException}.
 */
public final class ErrorQueueEntry {
    /** {@code sizeof(struct sock_extended_err)}: also the least a received entry must hold to be typed one. */
    static final int SIZE = Platform.value("SIZEOF_SOCK_EXTENDED_ERR");
    private static final int ERRNO = Platform.value("OFFSETOF_EE_ERRNO");
    private static final int ORIGIN = Platform.value("OFFSETOF_EE_ORIGIN");
    private static final int TYPE = Platform.value("OFFSETOF_EE_TYPE");
    private static final int CODE = Platform.value("OFFSETOF_EE_CODE");
    private static final int INFO = Platform.value("OFFSETOF_EE_INFO");
    private static final int DATA = Platform.value("OFFSETOF_EE_DATA");
    /** Where {@code struct sock_ee_data_rfc4884}'s fields sit in {@code ee_data}, which it overlays. */
    private static final int RFC4884_LEN = inData("OFFSETOF_EE_RFC4884_LEN");
    private static final int RFC4884_FLAGS = inData("OFFSETOF_EE_RFC4884_FLAGS");
    private static final int FAMILY = Platform.value("OFFSETOF_SA_FAMILY");
    private static final int FAMILY_SIZE = Platform.value("SIZEOF_SA_FAMILY");
    private static final int SOCKADDR_IN = Platform.value("SIZEOF_SOCKADDR_IN");
    private static final int SOCKADDR_IN6 = Platform.value("SIZEOF_SOCKADDR_IN6");
    /** {@code sizeof(struct timespec)}, the unit of the received timestamps. */
    static final int TIMESPEC = Platform.value("SIZEOF_TIMESPEC");
    private static final int NSEC = Platform.value("OFFSETOF_TIMESPEC_NSEC");
    /** {@code sizeof(struct timeval)}, the payload of {@code SCM_TIMESTAMP}. */
    static final int TIMEVAL = Platform.value("SIZEOF_TIMEVAL");
    private static final int TV_SEC = Platform.value("OFFSETOF_TIMEVAL_SEC");
    private static final int TV_SEC_SIZE = Platform.value("SIZEOF_TV_SEC");
    private static final int TV_USEC = Platform.value("OFFSETOF_TIMEVAL_USEC");
    private static final int TV_USEC_SIZE = Platform.value("SIZEOF_TV_USEC");
    private static final int ERRQUEUE = MsgFlag.MSG_ERRQUEUE.isSupported() ? MsgFlag.MSG_ERRQUEUE.value() : 0;
    // tolerant of a JVM where posix-send cannot work: the constructor then throws what every call does
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.isSupported() ? MsgFlag.MSG_DONTWAIT.value() : 0;
    private static final int CLOEXEC = MsgFlag.MSG_CMSG_CLOEXEC.isSupported() ? MsgFlag.MSG_CMSG_CLOEXEC.value() : 0;

    private boolean valid;
    private int errno;
    private int origin;
    private int type;
    private int code;
    private int info;
    private int data;
    private final byte[] offender = new byte[Math.max(0, Platform.value("SIZEOF_SOCKADDR_STORAGE"))];
    private int offenderLength;
    private boolean timed;
    /** See {@link #unparsed()}. */
    private int unparsed = -1;
    private long software;
    private long hardware;
    /** What the last {@link #tryReadFrom} received ({@link ErrorQueueRecord}); made once, filled by the backend. */
    private final byte[] record = new byte[ErrorQueueRecord.SIZE];
    private final ByteBuffer recordView = ByteBuffer.wrap(record).order(ByteOrder.nativeOrder());
    private int readFlags;
    private int destinationLength;

    /**
     * An empty entry: {@link #isValid()} is false until a {@link #read(Message)} finds one.
     *
     * @throws UnsupportedOperationException when posix-send cannot work in this JVM, with the cause
     */
    public ErrorQueueEntry() {
        Backends.requireAvailable();
    }

    /**
     * Reads the next entry of {@code fd}'s error queue into this view: one {@code recvmsg(fd, &msg,
     * MSG_ERRQUEUE | flags)} offering no data space, {@value ErrorQueueRecord#CONTROL_SPACE} bytes of control space
     * and room for the original destination, {@code EINTR} retried. The entry's first extended error
     * ({@code IP_RECVERR} / {@code IPV6_RECVERR}, a packet socket's {@code PACKET_TX_TIMESTAMP}) and first
     * {@code SCM_TIMESTAMPING} fill the view as {@link #read(Message)} does; other control messages are not kept.
     * Allocates nothing (on the FFM backend, the JIT may keep the JDK's errno slice on the call: see {@link Posix}).
     *
     * <p>A socket without an error queue (an {@code AF_UNIX} one) ignores {@code MSG_ERRQUEUE}, as it does in C: the
     * call then reads and discards an ordinary datagram or blocks for one, {@link #flags()} lacks
     * {@code MSG_ERRQUEUE} and {@link #isValid()} is false; a stream socket with bytes waiting returns 0 at once and
     * reads none of them (no data space was offered), so a loop until {@code -EAGAIN} would never end there, but Linux
     * hands over the descriptors that came with those bytes all the same, as a C caller's control buffer would get
     * them. Descriptors such a datagram or stream carried are closed, not leaked ({@code MSG_CMSG_CLOEXEC} is added
     * for that): they are lost to the program, so read the error queue only of a socket that has one. A
     * packet socket refuses that flag ({@code EINVAL}) and carries no descriptors: there the read is made again
     * without it, so each read of its queue is two calls.
     *
     * @param fd the socket's descriptor; it must have asked for such entries ({@code IP_RECVERR},
     *     {@code SO_TIMESTAMPING}, {@code SO_ZEROCOPY})
     * @param flags {@code MSG_DONTWAIT} or 0 ({@code MSG_ERRQUEUE} is added and may be given): the error queue takes
     *     no other flag
     * @return {@code recvmsg}'s count, 0 here as no data is asked for (a returned datagram is cut off: see
     *     {@link #flags()}), or {@code -errno}: {@code -EAGAIN} when the queue is empty (a non-blocking read; on an
     *     IP socket a blocking read of the error queue does not wait either). After a failure {@link #isValid()} is
     *     false; after a read it is false only when the entry carried no extended error
     * @throws IllegalArgumentException for a flag other than {@code MSG_DONTWAIT} and {@code MSG_ERRQUEUE}
     * @throws UnsupportedOperationException where the platform has no error queue
     */
    public int tryReadFrom(int fd, int flags) {
        int r = readHeld(fd, flags);
        unparsed = -1;
        return r;
    }

    /**
     * {@link #tryReadFrom(int, int)} that keeps the entry read as {@link #unparsed()} until {@link #release()}: the
     * entry has left the queue, so until its reader is done with it (a {@link StackOverflowError} anywhere on the
     * way), {@link #finishUnparsed()} gives it again rather than lose it.
     */
    int readHeld(int fd, int flags) {
        requireSupported();
        if ((flags & ~(DONTWAIT | ERRQUEUE)) != 0) {
            throw new IllegalArgumentException("recvmsg(MSG_ERRQUEUE): flags " + MsgFlag.toString(flags)
                    + ": a read of the error queue takes MSG_DONTWAIT only");
        }
        int r = ChosenBackend.get().recvErrqueue(fd, flags | ERRQUEUE | CLOEXEC, record);
        if (r == -Errno.EINVAL.number() && CLOEXEC != 0) {
            // Linux's packet sockets take no MSG_CMSG_CLOEXEC, and checking flags is the first thing they do
            r = ChosenBackend.get().recvErrqueue(fd, flags | ERRQUEUE, record);
        }
        valid = false;
        timed = false;
        if (r < 0) {
            readFlags = 0;
            destinationLength = 0;
            return r;
        }
        // the entry has left the queue: until it is taken from the record, the record is all there is of it
        unparsed = r;
        parseRecord();
        return r;
    }

    /** Ends the hold {@link #readHeld} put on the entry read: its reader is done with it. */
    void release() {
        unparsed = -1;
    }

    /**
     * The count of a read whose reader was not done with it (a {@link StackOverflowError} part way; see
     * {@link #readHeld}), or -1: {@link ZerocopySends} finishes such a read before it reads another, so that no
     * completion is lost.
     */
    int unparsed() {
        return unparsed;
    }

    /** Takes the record of the read {@link #unparsed()} names into the fields again, still held; returns its count. */
    int finishUnparsed() {
        int r = unparsed;
        valid = false;
        timed = false;
        parseRecord();
        return r;
    }

    /** Fills the fields from the record a successful read left. */
    private void parseRecord() {
        readFlags = ErrorQueueRecord.getInt(record, ErrorQueueRecord.H_FLAGS);
        if ((readFlags & ERRQUEUE) == 0) {
            destinationLength = 0; // not the error queue: an ordinary datagram of a socket that has none
            return;
        }
        destinationLength = clamp(ErrorQueueRecord.getInt(record, ErrorQueueRecord.H_NAMELEN),
                Math.min(ErrorQueueRecord.NAME_SIZE, offender.length));
        int eeLen = clamp(ErrorQueueRecord.getInt(record, ErrorQueueRecord.H_EE_LEN), ErrorQueueRecord.EE_SIZE);
        if (eeLen >= SIZE) {
            load(recordView, ErrorQueueRecord.EE, eeLen);
            int tsLen = clamp(ErrorQueueRecord.getInt(record, ErrorQueueRecord.H_TS_LEN), ErrorQueueRecord.TS_SIZE);
            timed = tsLen >= TIMESPEC;
            software = timed ? timespecNanos(recordView, ErrorQueueRecord.TS) : 0;
            hardware = tsLen >= 3 * TIMESPEC ? timespecNanos(recordView, ErrorQueueRecord.TS + 2 * TIMESPEC) : 0;
        }
    }

    /**
     * {@link #tryReadFrom(int, int)}, throwing the kernel's error: {@link WouldBlockException} when the queue is
     * empty.
     *
     * @param fd the socket's descriptor
     * @param flags {@code MSG_DONTWAIT} or 0
     * @return {@code recvmsg}'s count (0: no data is asked for)
     * @throws ErrnoException when the call fails, as the subclass of its errno
     * @throws IllegalArgumentException for a flag other than {@code MSG_DONTWAIT} and {@code MSG_ERRQUEUE}
     * @throws UnsupportedOperationException where the platform has no error queue
     */
    public int readFrom(int fd, int flags) throws ErrnoException {
        int r = tryReadFrom(fd, flags);
        if (r < 0) {
            throw ErrnoException.of("recvmsg(MSG_ERRQUEUE)", -r);
        }
        return r;
    }

    /**
     * The {@code msg_flags} of the last successful {@link #tryReadFrom}: {@code MSG_ERRQUEUE}, {@code MSG_TRUNC}
     * when the entry returned a datagram (not kept), {@code MSG_CTRUNC} when its control messages did not fit, and
     * {@code MSG_CMSG_CLOEXEC}, which the read asks for and Linux reports back (test bits, not the whole value); 0
     * before any, after a failed one and after {@link #read(Message)} (the message has them:
     * {@link Message#receivedFlags()}).
     *
     * @return the flags, as {@link MsgFlag} bits
     */
    public int flags() {
        return readFlags;
    }

    /**
     * Copies the original destination of the datagram the entry is about, as the last successful
     * {@link #tryReadFrom} received it (the {@code msg_name} of the read): Linux names it for errors about a datagram,
     * from ICMP or local ({@code EMSGSIZE}), not for timestamps or zero-copy completions. Allocates nothing.
     *
     * @param into where the address goes; cleared when there is none
     * @return whether there was one
     * @throws NullPointerException when {@code into} is null
     */
    public boolean destination(SockAddrBuffer into) {
        java.util.Objects.requireNonNull(into, "into");
        if (destinationLength == 0) {
            into.clear();
            return false;
        }
        System.arraycopy(record, ErrorQueueRecord.NAME, into.image, 0, destinationLength);
        into.length[0] = destinationLength;
        return true;
    }

    private static int clamp(int len, int max) {
        return Math.max(0, Math.min(len, max));
    }

    /**
     * Fills this entry from the control messages {@code received} got in its last receive: the first
     * {@link ControlMessage.Kind#EXTENDED_ERROR} and, if one came with it, the first
     * {@link ControlMessage.Kind#TIMESTAMPING}. Allocates nothing.
     *
     * @param received a message that {@link Posix#recvmsg} or {@link Posix#tryRecvmsg} filled, usually with
     *     {@code MSG_ERRQUEUE}
     * @return true when the message carried an error-queue entry; false (and {@link #isValid()} false) otherwise,
     *     also when too little control space cut its {@code struct sock_extended_err} short ({@code MSG_CTRUNC} in
     *     its flags). An entry cut short in the offender's address after the struct reads without it
     *     ({@link #hasOffender()} false).
     * @throws UnsupportedOperationException where the platform has no error queue
     * @throws NullPointerException when {@code received} is null
     */
    public boolean read(Message received) {
        java.util.Objects.requireNonNull(received, "received");
        requireSupported();
        readFlags = 0;
        destinationLength = 0;
        ReceivedControl rc = received.receivedControlCopy();
        int e = rc.find(ControlMessage.Kind.EXTENDED_ERROR);
        if (e < 0) {
            valid = false;
            timed = false;
            return false;
        }
        load(rc.payload(), rc.offset(e), rc.length(e));
        int t = rc.find(ControlMessage.Kind.TIMESTAMPING); // found only whole: three times
        timed = t >= 0;
        software = timed ? timespecNanos(rc.payload(), rc.offset(t)) : 0;
        hardware = timed ? timespecNanos(rc.payload(), rc.offset(t) + 2 * TIMESPEC) : 0;
        return true;
    }

    /** Fills the {@code sock_extended_err} fields and the offender from {@code len} payload bytes at {@code off}. */
    void load(ByteBuffer b, int off, int len) {
        requireSupported();
        if (len < SIZE) {
            valid = false;
            throw new IllegalArgumentException("an extended error takes " + SIZE + " bytes, not " + len);
        }
        errno = b.getInt(off + ERRNO);
        origin = Byte.toUnsignedInt(b.get(off + ORIGIN));
        type = Byte.toUnsignedInt(b.get(off + TYPE));
        code = Byte.toUnsignedInt(b.get(off + CODE));
        info = b.getInt(off + INFO);
        data = b.getInt(off + DATA);
        // an offender is a sockaddr after the structure; family 0 (AF_UNSPEC) means the kernel named none, and one
        // that too little control space cut short (MSG_CTRUNC) is not kept: it names no address
        int rest = Math.min(len - SIZE, offender.length);
        offenderLength = 0;
        if (rest >= FAMILY + FAMILY_SIZE) {
            int family = FAMILY_SIZE == 2 ? Short.toUnsignedInt(b.getShort(off + SIZE + FAMILY))
                    : Byte.toUnsignedInt(b.get(off + SIZE + FAMILY));
            int whole = family == Posix.AF_INET ? SOCKADDR_IN : family == Posix.AF_INET6 ? SOCKADDR_IN6 : 0;
            if (family != 0 && rest >= whole) {
                b.get(off + SIZE, offender, 0, rest);
                offenderLength = rest;
            }
        }
        valid = true;
        timed = false;
    }

    /** A {@code struct timespec} at {@code at} of {@code b}, in nanoseconds. */
    static long timespecNanos(ByteBuffer b, int at) {
        return b.getLong(at) * 1_000_000_000L + b.getLong(at + NSEC);
    }

    /** A {@code struct timeval} at {@code at} of {@code b}, in nanoseconds (NetBSD's {@code tv_usec} is an int). */
    static long timevalNanos(ByteBuffer b, int at) {
        return Posix.getSized(b, at + TV_SEC, TV_SEC_SIZE) * 1_000_000_000L
                + Posix.getSized(b, at + TV_USEC, TV_USEC_SIZE) * 1_000L;
    }

    private static void requireSupported() {
        if (SIZE == Platform.UNSUPPORTED) {
            throw new UnsupportedOperationException("the error queue (struct sock_extended_err) is Linux's; "
                    + Platform.osName() + " has none");
        }
    }

    /** {@return true when the last {@link #read(Message)} or {@link #tryReadFrom} found an entry} */
    public boolean isValid() {
        return valid;
    }

    private void requireValid() {
        if (!valid) {
            throw new IllegalStateException("no error-queue entry was read into this view");
        }
    }

    /**
     * {@return {@code ee_errno}: {@code ECONNREFUSED} for a port unreachable, 0 for zero-copy completions,
     * {@code ENOMSG} for transmit timestamps (Linux marks them so)}
     */
    public int errno() {
        requireValid();
        return errno;
    }

    /** {@return {@link #errno()} as the {@link Errno} it names, or null for 0 or a number the table lacks} */
    public Errno errnoName() {
        return errno() == 0 ? null : Errno.fromNumber(errno);
    }

    /** {@return {@code ee_origin}: {@link Posix#SO_EE_ORIGIN_ICMP}, {@code _ZEROCOPY}, {@code _TIMESTAMPING}, ...} */
    public int origin() {
        requireValid();
        return origin;
    }

    /** {@return {@code ee_type}: the ICMP type, or 0} */
    public int type() {
        requireValid();
        return type;
    }

    /** {@return {@code ee_code}: the ICMP code, or an origin's own code such as {@code SO_EE_CODE_ZEROCOPY_COPIED}} */
    public int code() {
        requireValid();
        return code;
    }

    /**
     * {@return {@code ee_info}: the first id of a zero-copy range, the point of a timestamp
     * ({@code SCM_TSTAMP_*}), ...}
     */
    public int info() {
        requireValid();
        return info;
    }

    /** {@return {@code ee_data}: the last id of a zero-copy range, the id of a timestamped send, ...} */
    public int data() {
        requireValid();
        return data;
    }

    /**
     * {@return {@code ee_rfc4884.len}, which overlays {@link #data()}: on a socket with
     * {@link Posix#IP_RECVERR_RFC4884} (or {@link Posix#IPV6_RECVERR_RFC4884}), the offset in the returned datagram
     * at which an ICMP error's RFC 4884 extension structure starts, 0 when it carried none}
     *
     * @throws UnsupportedOperationException where the headers posix-send was built against have no such field
     */
    public int rfc4884Length() {
        requireValid();
        return rfc4884Length(data);
    }

    /**
     * {@return {@code ee_rfc4884.flags}, which overlays {@link #data()}: {@link Posix#SO_EE_RFC4884_FLAG_INVALID}
     * when the extension structure failed the kernel's checks}
     *
     * @throws UnsupportedOperationException where the headers posix-send was built against have no such field
     */
    public int rfc4884Flags() {
        requireValid();
        return rfc4884Flags(data);
    }

    /** {@code ee_rfc4884.len} of an {@code ee_data} read in the native order. */
    static int rfc4884Length(int data) {
        return overlaid(data, RFC4884_LEN, Short.BYTES);
    }

    /** {@code ee_rfc4884.flags} of an {@code ee_data} read in the native order. */
    static int rfc4884Flags(int data) {
        return overlaid(data, RFC4884_FLAGS, Byte.BYTES);
    }

    /** The offset in {@code ee_data} of the field whose offset in the struct is {@code name}, or -1 without one. */
    private static int inData(String name) {
        int at = Platform.value(name);
        return at == Platform.UNSUPPORTED || DATA == Platform.UNSUPPORTED ? -1 : at - DATA;
    }

    /** The unsigned field of {@code size} bytes at byte {@code at} of the native-order int {@code data}. */
    private static int overlaid(int data, int at, int size) {
        if (at < 0 || at + size > Integer.BYTES) {
            throw new UnsupportedOperationException("struct sock_ee_data_rfc4884 is not in the headers posix-send was"
                    + " built against");
        }
        int shift = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 8 * at : 8 * (Integer.BYTES - at - size);
        return (data >>> shift) & ((1 << (8 * size)) - 1);
    }

    /**
     * {@return true for a completion of {@code MSG_ZEROCOPY} sends: ids {@link #info()} to {@link #data()},
     * inclusive}
     */
    public boolean isZerocopyCompletion() {
        return origin() == Posix.SO_EE_ORIGIN_ZEROCOPY;
    }

    /**
     * {@return true for a zero-copy completion whose data the kernel copied after all
     * ({@code SO_EE_CODE_ZEROCOPY_COPIED})}
     */
    public boolean zerocopyCopied() {
        return isZerocopyCompletion() && (code & Posix.SO_EE_CODE_ZEROCOPY_COPIED) != 0;
    }

    /** {@return true for a transmit timestamp ({@code SO_EE_ORIGIN_TIMESTAMPING}) that came with its times} */
    public boolean isTimestamp() {
        return origin() == Posix.SO_EE_ORIGIN_TIMESTAMPING && timed;
    }

    /**
     * {@return true when the entry came with times (an {@code SCM_TIMESTAMPING} message beside it)} Every transmit
     * timestamp does; so does any other entry on a socket whose {@code SO_TIMESTAMPING} asks for software receive
     * times ({@link Posix#SOF_TIMESTAMPING_RX_SOFTWARE} and {@link Posix#SOF_TIMESTAMPING_SOFTWARE}): an ICMP error's
     * times are when its ICMP message arrived, as C reads them from the same {@code recvmsg}.
     */
    public boolean isTimed() {
        return valid && timed;
    }

    /**
     * {@return which point of a transmit timestamp's way it marks, from {@link #info()}:
     * {@link TxTimestamp.Point#OTHER} for a value posix-send does not name (a later kernel's); null if the entry is
     * not a timestamp}
     *
     * @throws IllegalStateException when no entry was read into this view
     */
    public TxTimestamp.Point timestampPoint() {
        return isTimestamp() ? point(info) : null;
    }

    /** The point an {@code ee_info} of a timestamp names; an unknown one is not taken for a known one. */
    static TxTimestamp.Point point(int info) {
        return info == Posix.SCM_TSTAMP_SND ? TxTimestamp.Point.SENT
                : info == Posix.SCM_TSTAMP_SCHED ? TxTimestamp.Point.SCHEDULED
                : info == Posix.SCM_TSTAMP_ACK ? TxTimestamp.Point.ACKNOWLEDGED : TxTimestamp.Point.OTHER;
    }

    /**
     * The software time the entry came with, in nanoseconds since the epoch ({@code CLOCK_REALTIME}): of a transmit
     * timestamp, when the kernel took it; of another entry (see {@link #isTimed()}), when the packet that caused it
     * arrived.
     *
     * @return the time the kernel took the timestamp
     *
     * @throws IllegalStateException unless {@link #isTimed()}
     */
    public long softwareNanos() {
        int from = origin(); // no entry read: its own IllegalStateException
        if (!timed) {
            throw new IllegalStateException("this error-queue entry came with no timestamp (origin " + from + ")");
        }
        return software;
    }

    /**
     * The raw hardware time the entry came with ({@code SOF_TIMESTAMPING_RAW_HARDWARE}).
     *
     * @return the time in nanoseconds, 0 when there is none
     * @throws IllegalStateException unless {@link #isTimed()}
     */
    public long hardwareNanos() {
        softwareNanos();
        return hardware;
    }

    /**
     * {@return true when the entry names the host that reported the error ({@code SO_EE_OFFENDER})} For a transmit
     * timestamp with {@link Posix#SOF_TIMESTAMPING_OPT_CMSG} (and on IPv6 raw sockets) Linux fills the same place
     * with the sent packet's source address.
     */
    public boolean hasOffender() {
        requireValid();
        return offenderLength > 0;
    }

    /**
     * Copies the offender's address into {@code into}, without allocating; {@code into} is cleared when there is
     * none.
     *
     * @param into where the address goes
     * @return {@link #hasOffender()}
     */
    public boolean offender(SockAddrBuffer into) {
        java.util.Objects.requireNonNull(into, "into");
        if (!hasOffender()) {
            into.clear();
            return false;
        }
        System.arraycopy(offender, 0, into.image, 0, offenderLength);
        into.length[0] = offenderLength;
        return true;
    }

    /** {@return the offender's address as an object (allocates), or null when there is none} */
    public SocketAddress offender() {
        return hasOffender() ? SockAddr.fromImage(offender, offenderLength).toSocketAddress() : null;
    }

    /**
     * {@return this entry's transmit timestamp as an immutable {@link TxTimestamp} (allocates): its id
     * ({@link #data()}), point and software time; null when the entry is not a timestamp}
     *
     * @throws IllegalStateException when no entry was read into this view
     */
    public TxTimestamp toTxTimestamp() {
        return isTimestamp() ? new TxTimestamp(data, timestampPoint(), software) : null;
    }

    /** {@return this entry as an immutable {@link ExtendedError} (allocates)} */
    public ExtendedError toExtendedError() {
        return new ExtendedError(errno(), origin, type, code, info, data, offender());
    }

    @Override
    public String toString() {
        return valid ? toExtendedError().toString() + (timed ? "[software " + software + " ns]" : "")
                : "ErrorQueueEntry[none]";
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.annotation.Native;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The message plan: how {@code Message} and {@code MessageBatch} describe a {@code sendmsg}, {@code sendmmsg}
 * or {@code recvmsg} call to a backend, in plain numbers, so that only the building of the platform's structs
 * differs between backends (a {@code sendmsg} of one or two direct buffers and at most one single-value control message
 * needs none: {@link Backend#sendmsgDirect}). A plan owns one direct buffer, the <b>plan</b> ({@link #buffer()}),
 * written by Java in native byte order and read (and partly written back) by the backend, laid out below; it grows when
 * a call needs more and is then reused, so calls after warm-up allocate nothing. Beside it the plan lists the direct
 * buffers the call sends from or receives into ({@link #addBuffer}): iov records name them by index, never by address.
 * The plan alone turns a listed buffer into numbers, its address (asked of the backend when the buffer is first
 * listed at that index, then remembered) and its capacity, kept in {@link #ranges()}, an array that only this
 * class writes and that no plan bytes can reach; a backend checks every iov range against the capacity there, so
 * it reaches only memory that a listed buffer owns, and those buffers stay referenced by the plan for the whole
 * call. The backend builds {@code struct msghdr} or {@code struct mmsghdr[]}, {@code struct iovec[]} and the
 * control buffers in memory of its own that Java cannot write.
 *
 * <p>Only {@code Message} and {@code MessageBatch} can make a plan, and a plan is used by one thread at a time
 * ({@link #acquire}, {@link #release}); {@link #close} frees its memory at once, or when the call under way
 * returns. Every constant below is {@code @Native}: {@code javac -h} writes them into the header the shim
 * includes, so Java and C share one definition.
 *
 * <p>Plan layout; offsets in bytes from the plan's start, {@code int} is 32-bit and {@code long} 64-bit:
 * <pre>
 * header (HEADER = 32 bytes)
 *   0 int version (VERSION)    4 int message count n    8 int message table offset   12 int iov table offset
 *  16 int iov record count    20 int cmsg table offset 24 int cmsg record count     28 int reserved
 * message record i at (message table offset + i * MSG), MSG = 56 bytes
 *   0 int name offset: the sockaddr image (destination, or room for the sender's address on recvmsg)
 *   4 int name length: 0 = no address (msg_name NULL)
 *   8 int first iov record   12 int iov count
 *  16 int first cmsg record  20 int cmsg count (recvmsg: how many records the backend may fill)
 *  24 int control copy offset (recvmsg only: where received payloads are copied)
 *  28 int control space: sendmsg: the most the built control buffer may take; recvmsg: msg_controllen
 *  32 long out: bytes sent by sendmmsg (msg_len, 0 for messages not sent) or received (recvmsg, recvmmsg);
 *     sendmsg returns its count and leaves this field alone
 *  40 int out: msg_flags (recvmsg)   44 int out: msg_namelen (recvmsg)   48 int out: cmsgs parsed (recvmsg)
 *  52 int out: msg_controllen (recvmsg): the control bytes the kernel wrote, at most the control space
 * iov record j at (iov table offset + j * IOV), IOV = 24 bytes
 *   0 int index of the listed direct buffer ({@link #addBuffer}), or STAGED (-1) when the bytes are inside the plan
 *   4 int reserved   8 int offset: in the direct buffer (its position), or in the plan for staged bytes
 *  12 int length   16 8 bytes reserved
 * cmsg record k at (cmsg table offset + k * CMSG), CMSG = 40 bytes
 *   0 int cmsg_level   4 int cmsg_type   8 int kind (KIND_*)   12 int data offset in the plan   16 int data length
 *  20 int value   24 16 bytes of address
 * </pre>
 * Kinds say how the payload after {@code CMSG_DATA} is laid out; level and type always come from the record:
 * {@link #KIND_RAW} the data bytes; {@link #KIND_RIGHTS} the data as {@code int fds[]} (length a multiple of 4);
 * {@link #KIND_IN_PKTINFO} a {@code struct in_pktinfo} with {@code ipi_ifindex} = value and the 4 address
 * bytes as source ({@code ipi_spec_dst} on Linux, {@code ipi_addr} on NetBSD); {@link #KIND_IN6_PKTINFO} a
 * {@code struct in6_pktinfo} with {@code ipi6_ifindex} = value and {@code ipi6_addr} = the 16 bytes;
 * {@link #KIND_UINT16} a {@code uint16_t} value ({@code UDP_SEGMENT}); {@link #KIND_INT} an {@code int} value.
 * The payload takes {@code CMSG_SPACE(len)} bytes; {@code cmsg_len} is {@code CMSG_LEN(len)}.
 *
 * <p>What a backend does: read each header and record once into memory of its own and use only that copy;
 * check everything it reads (version; tables inside the plan; record ranges inside their tables; staged bytes,
 * names and data inside the plan; buffer indexes below {@link #listed()} and direct ranges inside that
 * buffer's capacity in {@link #ranges()}; name length at most {@code sizeof(struct sockaddr_storage)}, and for
 * a receive 0 or exactly that; control space at most {@link #MAX_CONTROL_SPACE} and the built control buffer
 * within it) and return {@code -EINVAL} instead of
 * touching memory it was not given; retry {@code EINTR}; write the out fields. For {@code recvmsg} it also parses the
 * control messages the kernel returned (at most the record's cmsg count) into cmsg records from the first one, with
 * level, type, kind ({@code RIGHTS} for {@code SCM_RIGHTS}, {@code IN_PKTINFO}/{@code IN6_PKTINFO} with value =
 * interface index and address = {@code ipi_addr}/{@code ipi6_addr}, {@code UINT16} for {@code UDP_SEGMENT},
 * {@code INT} for {@code IP_TOS}, {@code IP_TTL}, {@code IPV6_TCLASS} and {@code IPV6_HOPLIMIT} (a one-byte
 * payload read as unsigned), otherwise {@code RAW}) and copies each payload to the control copy area, each
 * copy starting at an 8-aligned offset from that area's start.
 *
 * <p>A backend may keep what it built from a plan (its copies of the records and the structs) and use it again for
 * a later call with the same {@link #id()} and {@link #generation()}: the records and listed buffers are then
 * those it built from. Only what the kernel shortens must be set again, as a C caller resets a reused
 * {@code mmsghdr}: the name and control lengths. The kernel writes the byte count and flags of every message it
 * fills, and a receive's out fields are read only for those, so they need no reset.
 */
public final class MessagePlan {
    /** Plan format version; the backend refuses any other. */
    @Native public static final int VERSION = 2;
    /** sendmmsg sends at most this many messages in one call (the kernel's own limit). */
    @Native public static final int MAX_MESSAGES = 1024;
    /** The largest control space of one message. */
    @Native public static final int MAX_CONTROL_SPACE = 1 << 20;
    /** The buffer index of an iov record whose bytes are staged inside the plan. */
    @Native public static final int STAGED = -1;

    @Native public static final int HEADER = 32;
    @Native public static final int MSG = 56;
    @Native public static final int IOV = 24;
    @Native public static final int CMSG = 40;

    @Native public static final int H_VERSION = 0;
    @Native public static final int H_MESSAGES = 4;
    @Native public static final int H_MSG_OFF = 8;
    @Native public static final int H_IOV_OFF = 12;
    @Native public static final int H_IOV_COUNT = 16;
    @Native public static final int H_CMSG_OFF = 20;
    @Native public static final int H_CMSG_COUNT = 24;

    @Native public static final int M_NAME_OFF = 0;
    @Native public static final int M_NAME_LEN = 4;
    @Native public static final int M_IOV_FIRST = 8;
    @Native public static final int M_IOV_COUNT = 12;
    @Native public static final int M_CMSG_FIRST = 16;
    @Native public static final int M_CMSG_COUNT = 20;
    @Native public static final int M_CTL_OFF = 24;
    @Native public static final int M_CTL_SPACE = 28;
    @Native public static final int M_OUT_LEN = 32;
    @Native public static final int M_OUT_FLAGS = 40;
    @Native public static final int M_OUT_NAMELEN = 44;
    @Native public static final int M_OUT_CMSGS = 48;
    @Native public static final int M_OUT_CONTROLLEN = 52;

    @Native public static final int I_BUFFER = 0;
    @Native public static final int I_OFF = 8;
    @Native public static final int I_LEN = 12;

    @Native public static final int C_LEVEL = 0;
    @Native public static final int C_TYPE = 4;
    @Native public static final int C_KIND = 8;
    @Native public static final int C_DATA_OFF = 12;
    @Native public static final int C_DATA_LEN = 16;
    @Native public static final int C_VALUE = 20;
    @Native public static final int C_ADDRESS = 24;

    @Native public static final int KIND_RAW = 0;
    @Native public static final int KIND_RIGHTS = 1;
    @Native public static final int KIND_IN_PKTINFO = 2;
    @Native public static final int KIND_IN6_PKTINFO = 3;
    @Native public static final int KIND_UINT16 = 4;
    @Native public static final int KIND_INT = 5;

    /**
     * A plan buffer above this size is freed when the call that needed it returns, not kept for the next; the sizes
     * kept are those {@link BlockPool} keeps for reuse on JDK 22 and later when a message or batch is closed.
     */
    static final int RETAIN_LIMIT = BlockPool.LARGEST;

    private static final int IDLE = 0;
    private static final int BUSY = 1;
    private static final int BUSY_CLOSING = 2;
    private static final int CLOSED = 3;

    private final String owner;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private DirectMemory.Block block;
    private ByteBuffer plan;
    /**
     * The buffers listed at each index by the last call to list one there. The plan references them until it is
     * closed or lists others in their place, so the memory of a call stays alive while it runs; kept after the
     * call, so that listing the same buffer at the same index again costs one comparison.
     */
    private ByteBuffer[] buffers = new ByteBuffer[4];
    /**
     * The {@link DirectBuffers#treatment} of the buffer listed at each index, found from that buffer when it was
     * listed there: a buffer's treatment never changes, so the checks before each call need not look it up again.
     */
    private int[] treatments = new int[4];
    /** How many buffers this call listed whose memory is probed before each call ({@link DirectBuffers#CHECKED}). */
    private int checkedListed;
    /** The plan's and each listed buffer's address and capacity: see {@link #ranges()}. */
    private long[] ranges = new long[2 + 2 * 4];
    private int bufferCount;
    /** How many iovs of the call begun last are staged. */
    private int stagedIovs;
    private int msgOff;
    private int iovOff;
    private int cmsgOff;
    /**
     * The records {@link #begin} made room for: a record is written only inside its own table, so that a message
     * whose lists another thread changes during its encoding cannot write over another table's records (an iov
     * record's position and length over a checked control message's level and type).
     */
    private int messageRecords;
    private int iovRecords;
    private int cmsgRecords;
    private int dataTop;
    private int dataEnd;
    /** Changes whenever the records may have changed: at every {@link #begin} and when the memory is freed. */
    private long generation;
    private static final AtomicLong IDS = new AtomicLong();
    private final long id = IDS.incrementAndGet();

    /**
     * A plan for {@code owner} ("message", "message batch"), named in the exceptions it throws.
     *
     * @throws IllegalCallerException unless called by posix-send's own classes ({@link LibraryCallers}): a plan lets
     *     a backend write into the buffers it lists, so only the classes that check those buffers may make one
     */
    public MessagePlan(String owner) {
        LibraryCallers.require(MessagePlan.class, "message plans");
        this.owner = owner;
    }

    /**
     * Starts a call: from here to {@link #release} this thread alone uses the plan.
     *
     * @throws IllegalStateException when the plan is closed, or another thread is in a call with it
     */
    public void acquire() {
        int s = state.compareAndExchange(IDLE, BUSY);
        if (s != IDLE) {
            throw new IllegalStateException(s == CLOSED ? "this " + owner + " is closed"
                    : "this " + owner + " is in a call on another thread; it is not safe for use by several threads"
                            + " at once");
        }
    }

    /**
     * Ends a call: frees a plan buffer that grew beyond {@link #RETAIN_LIMIT}, and frees everything when
     * {@link #close} was called during the call.
     */
    public void release() {
        if (block != null && block.capacity() > RETAIN_LIMIT) {
            freePlan();
        }
        if (!state.compareAndSet(BUSY, IDLE)) {
            freePlan(); // close() came while the call ran
            state.set(CLOSED);
        }
    }

    /**
     * Starts a change of what the plan's owner lists (not of the plan itself): refused while a call is under way, so
     * that the call's results go to the list it was made with. Returns whether the plan was taken, to hand to
     * {@link #endChange}; a closed plan is not taken, since no call can start on it.
     *
     * @throws IllegalStateException when another thread is in a call with the plan
     */
    public boolean beginChange() {
        int s = state.compareAndExchange(IDLE, BUSY);
        if (s == BUSY || s == BUSY_CLOSING) {
            throw new IllegalStateException("this " + owner + " is in a call on another thread; it is not safe for "
                    + "use by several threads at once");
        }
        return s == IDLE;
    }

    /** Ends a change that {@link #beginChange} started; {@code taken} is what it returned. */
    public void endChange(boolean taken) {
        if (taken) {
            release();
        }
    }

    /** Frees the plan's memory now, or when the call under way returns; later calls throw. Idempotent. */
    public void close() {
        while (true) {
            int s = state.get();
            if (s == IDLE && state.compareAndSet(IDLE, CLOSED)) {
                freePlan();
                return;
            }
            if (s == BUSY && state.compareAndSet(BUSY, BUSY_CLOSING)) {
                return;
            }
            if (s == BUSY_CLOSING || s == CLOSED) {
                return;
            }
        }
    }

    private void freePlan() {
        generation++;
        if (block != null) {
            plan = null;
            ranges[0] = 0;
            ranges[1] = 0;
            Arrays.fill(buffers, null);
            DirectMemory.Block b = block;
            block = null;
            b.free();
        }
    }

    /**
     * {@return a number that changes whenever the plan's records and listed buffers may have changed} While it is
     * the same as after an owner wrote a plan, the plan still holds what that owner wrote and the owner may call
     * again without writing it again: the records, the data area's layout and the listed buffers are kept.
     */
    public long generation() {
        return generation;
    }

    /**
     * {@return a number no other plan of these classes has, never 0} With {@link #generation()} it names what the plan
     * holds: a backend may keep what it built from a plan and use it again for the same two numbers. Another class
     * loader's copy of the classes numbers its plans from 1 too, so what is kept by these numbers must not be shared
     * with it: each backend keeps it in memory its own copy allocated.
     */
    public long id() {
        return id;
    }

    /** The plan buffer (native byte order, position and limit unused); only between acquire and release. */
    public ByteBuffer buffer() {
        return plan;
    }

    /**
     * The numbers a backend reaches memory by, written only here: {@code [0]} the plan buffer's address and
     * {@code [1]} its capacity, then for each listed buffer {@code k < }{@link #listed()} its address at
     * {@code [2 + 2k]} and capacity at {@code [3 + 2k]}. Only between acquire and release.
     */
    public long[] ranges() {
        return ranges;
    }

    /** How many direct buffers this call listed. */
    public int listed() {
        return bufferCount;
    }

    /** How many iov records of the call begun last are staged so far ({@link #iovStaged}). */
    public int stagedIovs() {
        return stagedIovs;
    }

    /**
     * Lists a direct buffer for this call; returns its index for {@link #iovDirect}. The buffer's address is asked
     * of the backend only when another buffer (or none) was listed at this index before.
     *
     * @throws IllegalArgumentException when the buffer is not direct
     */
    public int addBuffer(ByteBuffer direct) {
        int k = bufferCount;
        if (k == buffers.length) {
            ByteBuffer[] moreBuffers = Arrays.copyOf(buffers, k * 2);
            int[] moreTreatments = Arrays.copyOf(treatments, k * 2);
            long[] moreRanges = Arrays.copyOf(ranges, 2 + 4 * k);
            // all or none: an OutOfMemoryError between them would leave the plan's tables of unequal lengths
            buffers = moreBuffers;
            treatments = moreTreatments;
            ranges = moreRanges;
        }
        if (buffers[k] != direct) {
            if (!direct.isDirect()) {
                throw new IllegalArgumentException("message plan: a listed buffer must be direct");
            }
            int t = DirectBuffers.treatment(direct);
            if (t == DirectBuffers.STAGED) {
                // only a message changed by another thread during the call asks this: the memory could be freed
                // while the kernel holds its address
                throw new IllegalStateException("message plan: a buffer whose memory another thread may free is"
                        + " staged, never listed by address (was the message changed during the call?)");
            }
            buffers[k] = null; // the old numbers must not outlive a failed lookup
            ranges[2 + 2 * k] = Backends.chosen().directAddress(direct);
            ranges[3 + 2 * k] = direct.capacity();
            treatments[k] = t;
            buffers[k] = direct;
        }
        if (treatments[k] == DirectBuffers.CHECKED) {
            checkedListed++;
        }
        bufferCount = k + 1;
        return k;
    }

    /**
     * {@code CMSG_SPACE(len)} from the platform's {@code CMSG_SPACE(0)} and {@code CMSG_SPACE(1)}, computed without
     * overflow: a length whose space exceeds {@code Integer.MAX_VALUE} gives {@code Integer.MAX_VALUE}, which no
     * control space holds.
     */
    public static int cmsgSpace(int len) {
        long align = Layout.CMSG_ALIGN;
        long space = Layout.CMSG_SPACE_0 + ((long) len + align - 1) / align * align;
        return (int) Math.min(space, Integer.MAX_VALUE);
    }

    /** The platform's structure sizes, looked up when the first plan is sized. */
    private static final class Layout {
        static final int CMSG_SPACE_0 = Platform.value("CMSG_SPACE_0");
        static final int CMSG_ALIGN = Platform.value("CMSG_SPACE_1") - CMSG_SPACE_0;
    }

    /**
     * Starts a plan of {@code messages} messages with {@code iovs} iov records and {@code cmsgs} cmsg records in
     * total and {@code dataBytes} of data (names, staged bytes, payloads; each item rounded up to 8); grows the
     * buffer when needed and writes the header. Call between {@link #acquire} and {@link #release}.
     */
    public void begin(int messages, int iovs, int cmsgs, long dataBytes) {
        long msgTable = HEADER;
        long iovTable = msgTable + (long) messages * MSG;
        long cmsgTable = iovTable + (long) iovs * IOV;
        long data = cmsgTable + (long) cmsgs * CMSG;
        long end = data + dataBytes;
        int size = checkedSize(end, "plan");
        if (plan == null || plan.capacity() < size) {
            freePlan();
            block = DirectMemory.allocate(grow(size));
            plan = block.buffer().order(ByteOrder.nativeOrder());
            ranges[0] = Backends.chosen().directAddress(plan);
            ranges[1] = plan.capacity();
        }
        generation++;
        bufferCount = 0;
        checkedListed = 0;
        stagedIovs = 0;
        msgOff = (int) msgTable;
        iovOff = (int) iovTable;
        cmsgOff = (int) cmsgTable;
        messageRecords = messages;
        iovRecords = iovs;
        cmsgRecords = cmsgs;
        dataTop = (int) data;
        dataEnd = size;
        plan.putInt(H_VERSION, VERSION);
        plan.putInt(H_MESSAGES, messages);
        plan.putInt(H_MSG_OFF, msgOff);
        plan.putInt(H_IOV_OFF, iovOff);
        plan.putInt(H_IOV_COUNT, iovs);
        plan.putInt(H_CMSG_OFF, cmsgOff);
        plan.putInt(H_CMSG_COUNT, cmsgs);
    }

    /** Takes {@code len} bytes of the data area, 8-aligned; returns their offset in the plan. */
    public int data(int len) {
        int off = dataTop;
        long next = off + align8(len);
        if (len < 0 || next > dataEnd) {
            throw new IllegalStateException("message plan: data area overrun (" + len + " bytes at " + off + ")");
        }
        dataTop = (int) next;
        return off;
    }

    /** Bytes {@code len} takes in the data area. */
    public static long align8(long len) {
        return (len + 7) & ~7L;
    }

    /** Offset of message record {@code i}. */
    public int messageRecord(int i) {
        return msgOff + i * MSG;
    }

    /** Offset of cmsg record {@code k}. */
    public int cmsgRecord(int k) {
        return cmsgOff + k * CMSG;
    }

    /**
     * Writes message record {@code i}. Its out fields are left as they are: a backend writes them for each message
     * the call reaches, and only those are read.
     */
    public void message(int i, int nameOff, int nameLen, int iovFirst, int iovCount, int cmsgFirst, int cmsgCount,
            int ctlOff, int ctlSpace) {
        int r = messageRecord(within(i, messageRecords, "message"));
        // in pairs: a buffer store costs its checks, whatever its width
        plan.putLong(r + M_NAME_OFF, pair(nameOff, nameLen));
        plan.putLong(r + M_IOV_FIRST, pair(iovFirst, iovCount));
        plan.putLong(r + M_CMSG_FIRST, pair(cmsgFirst, cmsgCount));
        plan.putLong(r + M_CTL_OFF, pair(ctlOff, ctlSpace));
    }

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    /** A byte array's bytes as native-order longs, as the plan holds them. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    static {
        // message() and iovDirect() write these fields in pairs
        if (M_NAME_LEN != M_NAME_OFF + 4 || M_IOV_COUNT != M_IOV_FIRST + 4 || M_CMSG_COUNT != M_CMSG_FIRST + 4
                || M_CTL_SPACE != M_CTL_OFF + 4 || I_LEN != I_OFF + 4) {
            throw new AssertionError("message plan: paired fields are not adjacent");
        }
    }

    /** Two adjacent ints, {@code first} at the lower address, as one native-order long. */
    private static long pair(int first, int second) {
        long lo = LITTLE_ENDIAN ? first : second;
        long hi = LITTLE_ENDIAN ? second : first;
        return (hi << 32) | (lo & 0xFFFF_FFFFL);
    }

    /** Writes iov record {@code j}: {@code len} bytes at {@code pos} of listed buffer {@code buffer}. */
    public void iovDirect(int j, int buffer, int pos, int len) {
        int r = iovOff + within(j, iovRecords, "iov") * IOV;
        plan.putInt(r + I_BUFFER, buffer);
        plan.putLong(r + I_OFF, pair(pos, len));
    }

    /** Writes iov record {@code j}: {@code len} bytes staged at {@code off} of the plan. */
    public void iovStaged(int j, int off, int len) {
        iovDirect(j, STAGED, off, len);
        stagedIovs++;
    }

    /**
     * Checks, just before the backend is called, every buffer the plan lists as the kernel will be given it, each by
     * its own treatment, found from it when it was listed ({@link #addBuffer}): a buffer over an arena's memory has
     * a byte read ({@link DirectBuffers#requireMemory}); one whose memory lasts while it is reachable is not touched.
     * The message's own checks read its buffer list, which another thread may change between them and the call; this
     * reads what the call will use, which only the thread in the call (holding {@link #acquire}) lists.
     *
     * @return whether the call stages no bytes and every listed buffer's memory stays while the buffer is reachable
     *     ({@link DirectBuffers#lastsWhileReachable}), as {@code MSG_ZEROCOPY} needs
     * @throws IllegalStateException when a listed buffer's memory is gone, or may be freed during the call
     */
    public boolean requireListedMemory() {
        return requireListedMemory(0, bufferCount, stagedIovs);
    }

    /**
     * {@link #requireListedMemory()} of what the kernel is given of a batch sent or received with C's {@code off} and
     * {@code vlen} ({@code msgs + off}): the buffers listed at {@code fromListed..toListed-1} and {@code staged} staged
     * iovs, which a batch notes after encoding each message ({@link #listed()}, {@link #stagedIovs()}): its messages
     * list their buffers in order, so a run of messages lists a run of indexes. The messages outside those are not
     * handed to the kernel, so their buffers are neither checked nor counted.
     *
     * @return as for {@link #requireListedMemory()}, of those buffers and iovs
     * @throws IllegalStateException as for {@link #requireListedMemory()}, of those buffers
     */
    public boolean requireListedMemory(int fromListed, int toListed, int staged) {
        boolean lasting = staged == 0;
        if (checkedListed == 0) {
            return lasting; // every listed buffer goes by address as it is (DirectBuffers.BY_ADDRESS)
        }
        for (int k = Math.max(0, fromListed), n = Math.min(toListed, bufferCount); k < n; k++) {
            if (treatments[k] == DirectBuffers.CHECKED) {
                ByteBuffer listed = buffers[k];
                DirectBuffers.requireWholeMemory(listed, DirectBuffers.CHECKED);
                lasting &= DirectBuffers.lastsWhileReachable(DirectBuffers.CHECKED);
            }
        }
        return lasting;
    }

    /** Writes cmsg record {@code k}; {@code address} (null, 4 or 16 bytes) fills the 16 address bytes. */
    public void cmsg(int k, int level, int type, int kind, int dataOff, int dataLen, int value, byte[] address) {
        int r = cmsgRecord(within(k, cmsgRecords, "cmsg"));
        plan.putInt(r + C_LEVEL, level);
        plan.putInt(r + C_TYPE, type);
        plan.putInt(r + C_KIND, kind);
        plan.putInt(r + C_DATA_OFF, dataOff);
        plan.putInt(r + C_DATA_LEN, dataLen);
        plan.putInt(r + C_VALUE, value);
        plan.putLong(r + C_ADDRESS, 0L);
        plan.putLong(r + C_ADDRESS + 8, 0L);
        if (address != null) {
            plan.put(r + C_ADDRESS, address, 0, Math.min(16, address.length));
        }
    }

    /**
     * Copies {@code len} bytes at {@code off} of the plan into {@code dst} from {@code dstOff}, in 8-byte words: the
     * bulk copy of a ByteBuffer costs more than the few bytes of an address or a control message.
     */
    public void copyOut(int off, byte[] dst, int dstOff, int len) {
        int w = 0;
        for (; w + 8 <= len; w += 8) {
            LONGS.set(dst, dstOff + w, plan.getLong(off + w));
        }
        for (; w < len; w++) {
            dst[dstOff + w] = plan.get(off + w);
        }
    }

    /** The out field "bytes" of message {@code i}. */
    public long outLen(int i) {
        return plan.getLong(messageRecord(i) + M_OUT_LEN);
    }

    /** An int field of message record {@code i} ({@code M_*}). */
    public int messageInt(int i, int field) {
        return plan.getInt(messageRecord(i) + field);
    }

    /** An int field of cmsg record {@code k} ({@code C_*}). */
    public int cmsgInt(int k, int field) {
        return plan.getInt(cmsgRecord(k) + field);
    }

    /** {@code index}, checked to be one of the {@code records} records of its table. */
    private static int within(int index, int records, String table) {
        if (index < 0 || index >= records) {
            throw new IllegalStateException("message plan: " + table + " record " + index + " of " + records
                    + " (was a message changed during the call?)");
        }
        return index;
    }

    private static int grow(int size) {
        int cap = 4096;
        while (cap < size && cap < (1 << 30)) {
            cap <<= 1;
        }
        return Math.max(cap, size);
    }

    private static int checkedSize(long n, String what) {
        if (n > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("message " + what + " of " + n + " bytes is larger than 2 GiB");
        }
        return (int) n;
    }

}

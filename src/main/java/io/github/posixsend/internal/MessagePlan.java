package io.github.posixsend.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The message plan: how {@code Message} and {@code MessageBatch} describe a {@code sendmsg}, {@code sendmmsg}
 * or {@code recvmsg} call to a backend, in plain numbers, so that only the building of the platform's structs
 * differs between backends. Each plan owns two direct buffers that grow when a call needs more and are then
 * reused, so calls after warm-up allocate nothing:
 *
 * <ul>
 *   <li>the <b>plan</b> ({@link #buffer()}), written by Java in native byte order and read (and partly
 *       written back) by the backend, laid out below;
 *   <li>the <b>scratch</b> ({@link #scratch()}), raw memory where the backend builds {@code struct msghdr} or
 *       {@code struct mmsghdr[]}, {@code struct iovec[]} and the control buffers with the platform's
 *       {@code CMSG_*} macros. Java sizes it from the platform's {@code SIZEOF_*} constants (see
 *       {@link #scratchBytes}) and never reads it. Each piece a backend takes from it is aligned to 16 bytes.
 * </ul>
 *
 * <p>Plan layout; offsets in bytes from the plan's start, {@code int} is 32-bit and {@code long} 64-bit:
 * <pre>
 * header (HEADER = 32 bytes)
 *   0 int version (VERSION)    4 int message count n    8 int message table offset   12 int iov table offset
 *  16 int iov record count    20 int cmsg table offset 24 int cmsg record count     28 int reserved (0)
 * message record i at (message table offset + i * MSG), MSG = 56 bytes
 *   0 int name offset: the sockaddr image (destination, or room for the sender's address on recvmsg)
 *   4 int name length: 0 = no address (msg_name NULL)
 *   8 int first iov record   12 int iov count
 *  16 int first cmsg record  20 int cmsg count (recvmsg: how many records the backend may fill)
 *  24 int control copy offset (recvmsg only: where received payloads are copied)
 *  28 int control space: sendmsg: the most the built control buffer may take; recvmsg: msg_controllen
 *  32 long out: bytes sent (sendmsg; sendmmsg: msg_len, 0 for messages not sent) or received (recvmsg)
 *  40 int out: msg_flags (recvmsg)   44 int out: msg_namelen (recvmsg)   48 int out: cmsgs parsed (recvmsg)
 *  52 int reserved
 * iov record j at (iov table offset + j * IOV), IOV = 24 bytes
 *   0 long address of a direct buffer's memory, or 0 when the bytes are staged inside the plan
 *   8 int offset: in the direct buffer (its position), or in the plan for staged bytes
 *  12 int length   16 int the direct buffer's capacity (unused for staged bytes)   20 int reserved
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
 * <p>What a backend does: check everything it reads (version; tables inside the plan; record ranges inside
 * their tables; staged bytes, names and data inside the plan; direct ranges inside the recorded capacity;
 * name length at most {@code sizeof(struct sockaddr_storage)}; the built control buffer within the control
 * space; everything it builds within the scratch) and return {@code -EINVAL} instead of touching memory it
 * was not given; retry {@code EINTR}; write the out fields. For {@code recvmsg} it also parses the control
 * messages the kernel returned (at most the record's cmsg count) into cmsg records from the first one, with
 * level, type, kind ({@code RIGHTS} for {@code SCM_RIGHTS}, {@code IN_PKTINFO}/{@code IN6_PKTINFO} with value =
 * interface index and address = {@code ipi_addr}/{@code ipi6_addr}, {@code UINT16} for {@code UDP_SEGMENT},
 * {@code INT} for {@code IP_TOS}, {@code IP_TTL}, {@code IPV6_TCLASS} and {@code IPV6_HOPLIMIT} (a one-byte
 * payload read as unsigned), otherwise {@code RAW}) and copies each payload to the control copy area, each
 * copy starting at an 8-aligned offset from that area's start.
 */
public final class MessagePlan {
    /** Plan format version; the backend refuses any other. */
    public static final int VERSION = 1;
    /** sendmmsg sends at most this many messages in one call (the kernel's own limit). */
    public static final int MAX_MESSAGES = 1024;

    public static final int HEADER = 32;
    public static final int MSG = 56;
    public static final int IOV = 24;
    public static final int CMSG = 40;

    public static final int H_VERSION = 0;
    public static final int H_MESSAGES = 4;
    public static final int H_MSG_OFF = 8;
    public static final int H_IOV_OFF = 12;
    public static final int H_IOV_COUNT = 16;
    public static final int H_CMSG_OFF = 20;
    public static final int H_CMSG_COUNT = 24;

    public static final int M_NAME_OFF = 0;
    public static final int M_NAME_LEN = 4;
    public static final int M_IOV_FIRST = 8;
    public static final int M_IOV_COUNT = 12;
    public static final int M_CMSG_FIRST = 16;
    public static final int M_CMSG_COUNT = 20;
    public static final int M_CTL_OFF = 24;
    public static final int M_CTL_SPACE = 28;
    public static final int M_OUT_LEN = 32;
    public static final int M_OUT_FLAGS = 40;
    public static final int M_OUT_NAMELEN = 44;
    public static final int M_OUT_CMSGS = 48;

    public static final int I_ADDRESS = 0;
    public static final int I_OFF = 8;
    public static final int I_LEN = 12;
    public static final int I_CAP = 16;

    public static final int C_LEVEL = 0;
    public static final int C_TYPE = 4;
    public static final int C_KIND = 8;
    public static final int C_DATA_OFF = 12;
    public static final int C_DATA_LEN = 16;
    public static final int C_VALUE = 20;
    public static final int C_ADDRESS = 24;

    public static final int KIND_RAW = 0;
    public static final int KIND_RIGHTS = 1;
    public static final int KIND_IN_PKTINFO = 2;
    public static final int KIND_IN6_PKTINFO = 3;
    public static final int KIND_UINT16 = 4;
    public static final int KIND_INT = 5;

    private static final int SIZEOF_MMSGHDR = Platform.value("SIZEOF_MMSGHDR");
    private static final int SIZEOF_IOVEC = Platform.value("SIZEOF_IOVEC");
    private static final int CMSG_SPACE_0 = Platform.value("CMSG_SPACE_0");
    private static final int CMSG_ALIGN = Platform.value("CMSG_SPACE_1") - CMSG_SPACE_0;

    /** Alignment of each piece a backend takes from the scratch, with room to spare. */
    private static final int PIECE_PAD = 32;

    private ByteBuffer plan = allocate(4096);
    private ByteBuffer scratch = allocate(4096);
    private int msgOff;
    private int iovOff;
    private int cmsgOff;
    private int dataTop;
    private int dataEnd;

    /** The plan buffer (native byte order, position and limit unused). */
    public ByteBuffer buffer() {
        return plan;
    }

    /** The scratch buffer the backend builds the platform's structs in. */
    public ByteBuffer scratch() {
        return scratch;
    }

    /**
     * The scratch a call needs: {@code messages} message headers, {@code iovs} iovecs in total, and
     * {@code controlBytes} of control buffers in total, each piece padded for alignment.
     */
    public static int scratchBytes(int messages, int iovs, long controlBytes) {
        long n = (long) Math.max(messages, 1) * SIZEOF_MMSGHDR + (long) iovs * SIZEOF_IOVEC + controlBytes
                + (2L * messages + 2) * PIECE_PAD;
        return checkedSize(n, "scratch");
    }

    /** {@code CMSG_SPACE(len)} from the platform's {@code CMSG_SPACE(0)} and {@code CMSG_SPACE(1)}. */
    public static int cmsgSpace(int len) {
        return CMSG_SPACE_0 + (len + CMSG_ALIGN - 1) / CMSG_ALIGN * CMSG_ALIGN;
    }

    /**
     * Starts a plan of {@code messages} messages with {@code iovs} iov records and {@code cmsgs} cmsg records in
     * total, {@code dataBytes} of data (names, staged bytes, payloads; each item rounded up to 8) and a scratch
     * of {@code scratchBytes}; grows the buffers when needed and writes the header.
     */
    public void begin(int messages, int iovs, int cmsgs, long dataBytes, int scratchBytes) {
        long msgTable = HEADER;
        long iovTable = msgTable + (long) messages * MSG;
        long cmsgTable = iovTable + (long) iovs * IOV;
        long data = cmsgTable + (long) cmsgs * CMSG;
        long end = data + dataBytes;
        int size = checkedSize(end, "plan");
        if (plan.capacity() < size) {
            plan = allocate(grow(size));
        }
        if (scratch.capacity() < scratchBytes) {
            scratch = allocate(grow(scratchBytes));
        }
        msgOff = (int) msgTable;
        iovOff = (int) iovTable;
        cmsgOff = (int) cmsgTable;
        dataTop = (int) data;
        dataEnd = size;
        plan.putInt(H_VERSION, VERSION);
        plan.putInt(H_MESSAGES, messages);
        plan.putInt(H_MSG_OFF, msgOff);
        plan.putInt(H_IOV_OFF, iovOff);
        plan.putInt(H_IOV_COUNT, iovs);
        plan.putInt(H_CMSG_OFF, cmsgOff);
        plan.putInt(H_CMSG_COUNT, cmsgs);
        plan.putInt(28, 0);
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

    /** Writes message record {@code i}; out fields are cleared. */
    public void message(int i, int nameOff, int nameLen, int iovFirst, int iovCount, int cmsgFirst, int cmsgCount,
            int ctlOff, int ctlSpace) {
        int r = messageRecord(i);
        plan.putInt(r + M_NAME_OFF, nameOff);
        plan.putInt(r + M_NAME_LEN, nameLen);
        plan.putInt(r + M_IOV_FIRST, iovFirst);
        plan.putInt(r + M_IOV_COUNT, iovCount);
        plan.putInt(r + M_CMSG_FIRST, cmsgFirst);
        plan.putInt(r + M_CMSG_COUNT, cmsgCount);
        plan.putInt(r + M_CTL_OFF, ctlOff);
        plan.putInt(r + M_CTL_SPACE, ctlSpace);
        plan.putLong(r + M_OUT_LEN, 0);
        plan.putInt(r + M_OUT_FLAGS, 0);
        plan.putInt(r + M_OUT_NAMELEN, 0);
        plan.putInt(r + M_OUT_CMSGS, 0);
        plan.putInt(r + 52, 0);
    }

    /** Writes iov record {@code j}: {@code len} bytes at {@code pos} of a direct buffer at {@code address}. */
    public void iovDirect(int j, long address, int pos, int len, int capacity) {
        int r = iovOff + j * IOV;
        plan.putLong(r + I_ADDRESS, address);
        plan.putInt(r + I_OFF, pos);
        plan.putInt(r + I_LEN, len);
        plan.putInt(r + I_CAP, capacity);
        plan.putInt(r + 20, 0);
    }

    /** Writes iov record {@code j}: {@code len} bytes staged at {@code off} of the plan. */
    public void iovStaged(int j, int off, int len) {
        iovDirect(j, 0L, off, len, 0);
    }

    /** Writes cmsg record {@code k}; {@code address} (null, 4 or 16 bytes) fills the 16 address bytes. */
    public void cmsg(int k, int level, int type, int kind, int dataOff, int dataLen, int value, byte[] address) {
        int r = cmsgRecord(k);
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

    private static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }
}

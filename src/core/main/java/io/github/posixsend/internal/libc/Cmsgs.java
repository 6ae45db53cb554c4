// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.ConstantTable;
import io.github.posixsend.internal.ErrorQueueRecord;
import io.github.posixsend.internal.MessagePlan;
import java.nio.ByteBuffer;
import java.util.function.IntConsumer;

/**
 * Control messages for the backends that call the C library from Java, as the shim's {@code ps_cmsg.c} makes them: the
 * space a message's cmsg records need, the {@code cmsghdr}s and payloads laid out in scratch ({@link CmsgLayout}), and
 * the control messages the kernel returned parsed back into plan records with their payloads copied into the plan.
 */
final class Cmsgs {
    private static final int UNSUPPORTED = ConstantTable.UNSUPPORTED;

    private final CmsgLayout layout;
    private final MsghdrLayout msghdr;
    private final int solSocket;
    private final int scmRights;
    private final int ipprotoIp;
    private final int ipPktinfo;
    private final int ipTos;
    private final int ipTtl;
    private final int ipprotoIpv6;
    private final int ipv6Pktinfo;
    private final int ipv6Tclass;
    private final int ipv6Hoplimit;
    /** NetBSD's type of a received TTL (one byte); UNSUPPORTED elsewhere, where the type is IP_TTL. */
    private final int receivedTtl;
    private final int ipprotoUdp;
    private final int udpSegment;
    private final int udpGro;
    private final int soRxqOvfl;
    private final int ipprotoTcp;
    private final int tcpCmInq;
    private final int ipRecverr;
    private final int ipv6Recverr;
    /** A packet socket's extended error: {@code SOL_PACKET}, {@code PACKET_TX_TIMESTAMP} (UNSUPPORTED elsewhere). */
    private final int solPacket;
    private final int packetTxTimestamp;
    private final int scmTimestamping;
    /**
     * Linux's {@code SCM_PIDFD} (6.5 and later, with {@code SO_PASSPIDFD}): a descriptor too; by number, as the shim
     * names it. UNSUPPORTED elsewhere.
     */
    private final int scmPidfd;

    Cmsgs(CmsgLayout layout, MsghdrLayout msghdr) {
        this.layout = layout;
        this.msghdr = msghdr;
        solSocket = ConstantTable.value("SOL_SOCKET", layout.os);
        scmRights = ConstantTable.value("SCM_RIGHTS", layout.os);
        ipprotoIp = ConstantTable.value("IPPROTO_IP", layout.os);
        ipPktinfo = ConstantTable.value("IP_PKTINFO", layout.os);
        ipTos = ConstantTable.value("IP_TOS", layout.os);
        ipTtl = ConstantTable.value("IP_TTL", layout.os);
        ipprotoIpv6 = ConstantTable.value("IPPROTO_IPV6", layout.os);
        ipv6Pktinfo = ConstantTable.value("IPV6_PKTINFO", layout.os);
        ipv6Tclass = ConstantTable.value("IPV6_TCLASS", layout.os);
        ipv6Hoplimit = ConstantTable.value("IPV6_HOPLIMIT", layout.os);
        receivedTtl = layout.os == io.github.posixsend.Os.NETBSD ? ConstantTable.value("IP_RECVTTL", layout.os)
                : UNSUPPORTED;
        ipprotoUdp = ConstantTable.value("IPPROTO_UDP", layout.os);
        udpSegment = ConstantTable.value("UDP_SEGMENT", layout.os);
        udpGro = ConstantTable.value("UDP_GRO", layout.os);
        soRxqOvfl = ConstantTable.value("SO_RXQ_OVFL", layout.os);
        ipprotoTcp = ConstantTable.value("IPPROTO_TCP", layout.os);
        tcpCmInq = ConstantTable.value("TCP_CM_INQ", layout.os);
        ipRecverr = ConstantTable.value("IP_RECVERR", layout.os);
        ipv6Recverr = ConstantTable.value("IPV6_RECVERR", layout.os);
        solPacket = ConstantTable.value("SOL_PACKET", layout.os);
        packetTxTimestamp = ConstantTable.value("PACKET_TX_TIMESTAMP", layout.os);
        scmTimestamping = ConstantTable.value("SCM_TIMESTAMPING", layout.os);
        scmPidfd = layout.os == io.github.posixsend.Os.LINUX ? 4 : UNSUPPORTED;
    }

    /** Payload bytes after {@code CMSG_DATA} of the record at {@code rec}, or -1 when it is malformed. */
    private long payloadLen(PlanReader p, int rec) {
        return payloadLen(p, p.getInt(rec + MessagePlan.C_KIND), p.getInt(rec + MessagePlan.C_DATA_OFF),
                p.getInt(rec + MessagePlan.C_DATA_LEN));
    }

    /**
     * Payload bytes after {@code CMSG_DATA} of a record of {@code kind} whose raw data is {@code dataLen} bytes at
     * {@code dataOff} of the plan, or -1 when it is malformed: the values as the caller read them, once.
     */
    private long payloadLen(PlanReader p, int kind, int dataOff, int dataLen) {
        switch (kind) {
            case MessagePlan.KIND_RAW:
                return Backend.rangeOk(dataOff, dataLen, p.cap) ? dataLen : -1;
            case MessagePlan.KIND_RIGHTS:
                return Backend.rangeOk(dataOff, dataLen, p.cap) && dataLen % 4 == 0 ? dataLen : -1;
            case MessagePlan.KIND_IN_PKTINFO:
                return ipPktinfo != UNSUPPORTED ? layout.inPktinfo : -1;
            case MessagePlan.KIND_IN6_PKTINFO:
                return ipv6Pktinfo != UNSUPPORTED ? CmsgLayout.IN6_PKTINFO : -1;
            default:
                return valueLen(kind);
        }
    }

    /** Payload bytes of a kind whose payload is the record's value alone, or -1 for any other kind. */
    private static int valueLen(int kind) {
        return kind == MessagePlan.KIND_INT ? 4 : kind == MessagePlan.KIND_UINT16 ? 2 : -1;
    }

    /** Writes {@code value} at {@code d} as the payload of a kind {@link #valueLen} accepted. */
    private static void putValuePayload(ByteBuffer s, int d, int kind, int value) {
        if (kind == MessagePlan.KIND_UINT16) {
            s.putShort(d, (short) value);
        } else {
            s.putInt(d, value);
        }
    }

    /**
     * The control space ({@code CMSG_SPACE} of each payload, summed) records {@code [first, first+count)} need,
     * or -1 when one is malformed or the sum passes {@code INT32_MAX}. The caller checked the record range.
     */
    long space(PlanReader p, int first, int count) {
        long total = 0;
        for (int k = 0; k < count; k++) {
            long len = payloadLen(p, p.cmsgRecord(first + k));
            if (len < 0) {
                return -1;
            }
            total += CmsgLayout.space(len);
            if (total > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return total;
    }

    /**
     * Lays out records {@code [first, first+count)} in {@code space} bytes of scratch at {@code at} (as
     * {@link #space} computed) and points the {@code msghdr} at {@code hdrAt} of {@code hdr} at them. Returns
     * false when a record is malformed or would not fit.
     */
    boolean build(PlanReader p, int first, int count, int at, int space, ByteBuffer hdr, int hdrAt) {
        ByteBuffer s = p.scratch;
        p.zeroScratch(at, space);
        msghdr.putControl(hdr, hdrAt, p.scratchAddress + at, space);
        int c = at;
        int end = at + space;
        for (int k = 0; k < count; k++) {
            int rec = p.cmsgRecord(first + k);
            // each field read once: the length is checked and the payload copied from the same values
            int kind = p.getInt(rec + MessagePlan.C_KIND);
            int dataOff = p.getInt(rec + MessagePlan.C_DATA_OFF);
            long len = payloadLen(p, kind, dataOff, p.getInt(rec + MessagePlan.C_DATA_LEN));
            if (len < 0 || CmsgLayout.space(len) > end - c) {
                return false;
            }
            putLen(s, c, CmsgLayout.DATA + len);
            s.putInt(c + layout.level, p.getInt(rec + MessagePlan.C_LEVEL));
            s.putInt(c + layout.type, p.getInt(rec + MessagePlan.C_TYPE));
            int d = c + CmsgLayout.DATA;
            int value = p.getInt(rec + MessagePlan.C_VALUE);
            int addr = rec + MessagePlan.C_ADDRESS;
            switch (kind) {
                case MessagePlan.KIND_RAW:
                case MessagePlan.KIND_RIGHTS:
                    s.put(d, p.plan, dataOff, (int) len);
                    break;
                case MessagePlan.KIND_IN_PKTINFO:
                    s.putInt(d + layout.inIfindex, value);
                    s.put(d + layout.inSource, p.plan, addr, 4);
                    break;
                case MessagePlan.KIND_IN6_PKTINFO:
                    s.put(d + CmsgLayout.IN6_ADDR, p.plan, addr, 16);
                    s.putInt(d + CmsgLayout.IN6_IFINDEX, value);
                    break;
                case MessagePlan.KIND_UINT16:
                case MessagePlan.KIND_INT:
                    putValuePayload(s, d, kind, value);
                    break;
                default:
                    return false;
            }
            c += (int) CmsgLayout.space(len); // CMSG_NXTHDR of a well-formed, zeroed buffer
        }
        return true;
    }

    /**
     * Writes the control buffer of one message whose payload is a single value ({@link MessagePlan#KIND_INT} or
     * {@link MessagePlan#KIND_UINT16}) at {@code at} of {@code b}, as the shim's {@code sendmsgDirect0} builds it,
     * and returns its {@code CMSG_SPACE}; -1 for any other kind, with nothing written.
     */
    int putValue(ByteBuffer b, int at, int level, int type, int kind, int value) {
        int len = valueLen(kind);
        if (len < 0) {
            return -1;
        }
        int space = (int) CmsgLayout.space(len);
        for (int i = 0; i < space; i += 4) {
            b.putInt(at + i, 0);
        }
        putLen(b, at, CmsgLayout.DATA + len);
        b.putInt(at + layout.level, level);
        b.putInt(at + layout.type, type);
        putValuePayload(b, at + CmsgLayout.DATA, kind, value);
        return space;
    }

    private void putLen(ByteBuffer s, int c, long len) {
        if (layout.lenSize == 8) {
            s.putLong(c, len);
        } else {
            s.putInt(c, (int) len);
        }
    }

    /** {@code cmsg_len} of the header at {@code c}, unsigned. */
    private long getLen(ByteBuffer s, int c) {
        return layout.lenSize == 8 ? s.getLong(c) : Integer.toUnsignedLong(s.getInt(c));
    }

    /**
     * {@code CMSG_NXTHDR}: the header after the one at {@code c} in a control buffer ending at {@code end}, or -1.
     * glibc's checks that the current message fits; NetBSD's that a next header fits.
     */
    private int next(ByteBuffer s, int c, int end) {
        long len = getLen(s, c);
        long rest = end - c;
        if (layout.glibcNext) {
            long padding = (CmsgLayout.ALIGN - (len & (CmsgLayout.ALIGN - 1))) & (CmsgLayout.ALIGN - 1);
            long needed = layout.sizeofCmsghdr + padding;
            if (Long.compareUnsigned(len, layout.sizeofCmsghdr) < 0 || rest < needed
                    || Long.compareUnsigned(rest - needed, len) < 0) {
                return -1;
            }
            return (int) (c + CmsgLayout.align(len));
        }
        if (len > Integer.MAX_VALUE || CmsgLayout.align(len) + CmsgLayout.DATA > rest) {
            return -1;
        }
        return (int) (c + CmsgLayout.align(len));
    }

    /**
     * Parses the control messages the kernel left in the {@code msghdr} at {@code hdrAt} of {@code hdr} into
     * records {@code [first, first+capacity)}, copying each payload into the plan at
     * {@code [copyOff, copyOff+copyCap)} at 8-aligned offsets from {@code copyOff}. Returns the number of records
     * written. The record range and the control buffer were checked and built before the call. Descriptors that no
     * record reports (in messages past the records, or past the copy room) go to {@code close}, as in the shim.
     */
    int parse(PlanReader p, ByteBuffer hdr, int hdrAt, int first, int capacity, int copyOff, int copyCap,
            IntConsumer close) {
        long control = hdr.getLong(hdrAt + MsghdrLayout.CONTROL);
        if (control == 0) {
            return 0;
        }
        if (capacity < 0 || !Backend.rangeOk(copyOff, copyCap, p.cap)) {
            capacity = 0; // nothing is recorded or copied, but what arrived is still walked for its descriptors
        }
        ByteBuffer s = p.scratch;
        // the kernel only ever shrinks msg_controllen; an emulator is trusted no further than what was offered
        long controllen = Math.min(msghdr.getControllen(hdr, hdrAt), Math.max(copyCap, 0));
        int at = (int) (control - p.scratchAddress);
        // and never read past the scratch whatever it says
        int end = (int) Math.min(at + Math.max(controllen, 0), p.scratchCap);
        int c = controllen >= layout.sizeofCmsghdr ? at : -1;
        int n = 0;
        int used = 0;
        while (c >= 0 && n < capacity) {
            int d = c + CmsgLayout.DATA;
            int len = payloadLength(getLen(s, c), d, end);
            if (len < 0) {
                break;
            }
            int level = s.getInt(c + layout.level);
            int type = s.getInt(c + layout.type);
            if (len > copyCap - used) {
                int whole = len;
                len = copyCap - used;
                if (carriesDescriptors(level, type)) {
                    closeDescriptors(s, d, len / 4 * 4, whole, close);
                }
            }
            int rec = p.cmsgRecord(first + n);
            int kind = decode(p, rec, level, type, d, len);
            p.plan.put(copyOff + used, s, d, len);
            p.putInt(rec + MessagePlan.C_LEVEL, level);
            p.putInt(rec + MessagePlan.C_TYPE, type);
            p.putInt(rec + MessagePlan.C_KIND, kind);
            p.putInt(rec + MessagePlan.C_DATA_OFF, copyOff + used);
            p.putInt(rec + MessagePlan.C_DATA_LEN, len);
            // keep each copy 8-aligned so Java reads descriptors at aligned offsets
            long step = CmsgLayout.align(len);
            used = step > copyCap - used ? copyCap : used + (int) step;
            n++;
            c = next(s, c, end);
        }
        for (; c >= 0; c = next(s, c, end)) {
            int len = payloadLength(getLen(s, c), c + CmsgLayout.DATA, end);
            if (len < 0) {
                break;
            }
            if (carriesDescriptors(s.getInt(c + layout.level), s.getInt(c + layout.type))) {
                closeDescriptors(s, c + CmsgLayout.DATA, 0, len, close);
            }
        }
        return n;
    }

    /** {@code SCM_RIGHTS} or {@code SCM_PIDFD}: a message whose payload is descriptors the process now holds. */
    private boolean carriesDescriptors(int level, int type) {
        return level == solSocket && (type == scmRights || (type == scmPidfd && type != UNSUPPORTED));
    }

    /** Hands the whole ints of the payload at {@code d} from byte {@code from} to {@code to} to {@code close}. */
    private static void closeDescriptors(ByteBuffer s, int d, int from, int to, IntConsumer close) {
        for (int k = from; k + 4 <= to; k += 4) {
            close.accept(s.getInt(d + k));
        }
    }

    /**
     * The payload length of a control message whose {@code cmsg_len} is {@code cmsgLen} (unsigned) and whose data
     * starts at {@code d}, never past {@code end}; -1 when the message is malformed.
     */
    private static int payloadLength(long cmsgLen, int d, int end) {
        if (Long.compareUnsigned(cmsgLen, CmsgLayout.DATA) < 0 || d > end) {
            return -1;
        }
        long len = cmsgLen - CmsgLayout.DATA;
        return Long.compareUnsigned(len, end - d) > 0 ? end - d : (int) len;
    }

    /**
     * Copies the payloads of the extended error and of {@code SCM_TIMESTAMPING} from the {@code controllen} bytes
     * of control messages at {@code at} of {@code s} into {@code record}, with their lengths, as
     * {@link ErrorQueueRecord} lays them out (as the shim's {@code ps_errqueue.c}); the first of each counts. A socket
     * without an error queue reads an ordinary datagram instead: descriptors it carried ({@code SCM_RIGHTS},
     * {@code SCM_PIDFD}) go to {@code close}.
     */
    void copyErrorQueue(ByteBuffer s, int at, int controllen, byte[] record, IntConsumer close) {
        int end = at + controllen;
        int eeLen = 0;
        int tsLen = 0;
        for (int c = controllen >= layout.sizeofCmsghdr ? at : -1; c >= 0; c = next(s, c, end)) {
            int d = c + CmsgLayout.DATA;
            int len = payloadLength(getLen(s, c), d, end);
            if (len < 0) {
                break;
            }
            int level = s.getInt(c + layout.level);
            int type = s.getInt(c + layout.type);
            boolean extendedError = (level == ipprotoIp && type == ipRecverr && type != UNSUPPORTED)
                    || (level == ipprotoIpv6 && type == ipv6Recverr && type != UNSUPPORTED)
                    || (level == solPacket && type == packetTxTimestamp && type != UNSUPPORTED);
            if (eeLen == 0 && extendedError) {
                eeLen = Math.min(len, ErrorQueueRecord.EE_SIZE);
                s.get(d, record, ErrorQueueRecord.EE, eeLen);
            } else if (tsLen == 0 && level == solSocket && type == scmTimestamping && type != UNSUPPORTED) {
                tsLen = Math.min(len, ErrorQueueRecord.TS_SIZE);
                s.get(d, record, ErrorQueueRecord.TS, tsLen);
            } else if (carriesDescriptors(level, type)) {
                closeDescriptors(s, d, 0, len, close);
            }
        }
        ErrorQueueRecord.putInt(record, ErrorQueueRecord.H_EE_LEN, eeLen);
        ErrorQueueRecord.putInt(record, ErrorQueueRecord.H_TS_LEN, tsLen);
    }

    /**
     * Linux's received counts ({@code UDP_GRO}, {@code SO_RXQ_OVFL}, {@code TCP_CM_INQ}): always a whole int, else
     * left raw.
     */
    private boolean intOnly(int level, int type) {
        return (level == ipprotoUdp && type == udpGro && type != UNSUPPORTED)
                || (level == solSocket && type == soRxqOvfl && type != UNSUPPORTED)
                || (level == ipprotoTcp && type == tcpCmInq && type != UNSUPPORTED);
    }

    /**
     * The kind a received control message is decoded as; writes the record's value and 16 address bytes (zero
     * where the kind has none).
     */
    private int decode(PlanReader p, int rec, int level, int type, int d, int len) {
        ByteBuffer s = p.scratch;
        int addr = rec + MessagePlan.C_ADDRESS;
        p.putLong(addr, 0L);
        p.putLong(addr + 8, 0L);
        int value = 0;
        int kind;
        boolean intValued = (level == ipprotoIp && (type == ipTos || type == ipTtl || type == receivedTtl))
                || (level == ipprotoIpv6 && (type == ipv6Tclass || type == ipv6Hoplimit) && type != UNSUPPORTED);
        if (level == solSocket && type == scmRights) {
            kind = MessagePlan.KIND_RIGHTS;
        } else if (ipPktinfo != UNSUPPORTED && level == ipprotoIp && type == ipPktinfo && len >= layout.inPktinfo) {
            value = s.getInt(d + layout.inIfindex);
            p.plan.put(addr, s, d + layout.inAddr, 4); // the packet's destination address, on every system
            kind = MessagePlan.KIND_IN_PKTINFO;
        } else if (ipv6Pktinfo != UNSUPPORTED && level == ipprotoIpv6 && type == ipv6Pktinfo
                && len >= CmsgLayout.IN6_PKTINFO) {
            value = s.getInt(d + CmsgLayout.IN6_IFINDEX);
            p.plan.put(addr, s, d + CmsgLayout.IN6_ADDR, 16);
            kind = MessagePlan.KIND_IN6_PKTINFO;
        } else if (udpSegment != UNSUPPORTED && level == ipprotoUdp && type == udpSegment && len >= 2) {
            value = s.getShort(d) & 0xffff;
            kind = MessagePlan.KIND_UINT16;
        } else if ((intValued || intOnly(level, type)) && len >= 4) {
            value = s.getInt(d);
            kind = MessagePlan.KIND_INT;
        } else if (intValued && len >= 1) {
            value = s.get(d) & 0xff; // Linux reports a received IP_TOS as one byte
            kind = MessagePlan.KIND_INT;
        } else {
            kind = MessagePlan.KIND_RAW;
        }
        p.putInt(rec + MessagePlan.C_VALUE, value);
        return kind;
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * One control message (ancillary data) of {@code sendmsg}/{@code recvmsg}: a level, a type and a payload.
 *
 * <p>The typed factories cover the common kinds; the shim lays out their payloads with the platform's own
 * structs ({@code struct in_pktinfo}, ...) and {@code CMSG_*} macros, so the same Java code is right on every
 * platform. {@link #raw} sends any other kind as exact bytes. Control messages are immutable: build one once and
 * add it to as many messages as needed. The factories of one number ({@link #udpSegment}, {@link #ipTos},
 * {@link #ipv6Tclass}, {@link #ipTtl}, {@link #ipv6HopLimit}, {@link #ipv6Dontfrag}) return one shared object per
 * value, made at the first call with it, so a sender that picks the value per packet (a segment size that follows
 * the path MTU, ECN bits) may call them per packet and allocates nothing once each value has been asked for.
 * {@link Posix#recvmsg} returns the control messages it received as values of this class too, typed where
 * posix-send knows the kind and {@link Kind#RAW} otherwise.
 *
 * <p>A factory whose level or type the running platform lacks ({@code UDP_SEGMENT} on NetBSD) throws
 * {@link UnsupportedOperationException}.
 */
public final class ControlMessage {
    /**
     * {@code sizeof(struct ip6_mtuinfo)}, where its {@code ip6m_mtu} lies, and its first member {@code ip6m_addr}'s
     * {@code sin6_scope_id}.
     */
    private static final int MTUINFO = Platform.value("SIZEOF_IP6_MTUINFO");
    private static final int MTU = Platform.value("OFFSETOF_IP6M_MTU");
    private static final int SCOPE_ID = Platform.value("OFFSETOF_SIN6_SCOPE_ID");

    /** What a control message carries. */
    public enum Kind {
        /** {@code SOL_SOCKET}/{@code SCM_RIGHTS}: file descriptors passed over an {@code AF_UNIX} socket. */
        RIGHTS("SOL_SOCKET", "SCM_RIGHTS"),
        /** {@code IPPROTO_IP}/{@code IP_PKTINFO}: IPv4 interface and address. */
        IP_PKTINFO("IPPROTO_IP", "IP_PKTINFO", "SIZEOF_IN_PKTINFO"),
        /** {@code IPPROTO_IPV6}/{@code IPV6_PKTINFO}: IPv6 interface and address. */
        IPV6_PKTINFO("IPPROTO_IPV6", "IPV6_PKTINFO", "SIZEOF_IN6_PKTINFO"),
        /** {@code SOL_UDP}/{@code UDP_SEGMENT} (Linux): segment size for UDP generic segmentation offload. */
        UDP_SEGMENT("SOL_UDP", "UDP_SEGMENT"),
        /** {@code IPPROTO_IP}/{@code IP_TOS}: the type-of-service byte. */
        IP_TOS("IPPROTO_IP", "IP_TOS"),
        /** {@code IPPROTO_IPV6}/{@code IPV6_TCLASS}: the traffic class. */
        IPV6_TCLASS("IPPROTO_IPV6", "IPV6_TCLASS"),
        /** {@code IPPROTO_IP}/{@code IP_TTL}: the time to live. */
        IP_TTL("IPPROTO_IP", "IP_TTL"),
        /** {@code IPPROTO_IPV6}/{@code IPV6_HOPLIMIT}: the hop limit. */
        IPV6_HOPLIMIT("IPPROTO_IPV6", "IPV6_HOPLIMIT"),
        /**
         * {@code IPPROTO_IP}/{@code IP_RECVERR}, {@code IPPROTO_IPV6}/{@code IPV6_RECVERR} or, on a packet socket,
         * {@code SOL_PACKET}/{@code PACKET_TX_TIMESTAMP} (Linux): an entry of the socket's error queue, read with
         * {@link #extendedError()}; received only.
         */
        EXTENDED_ERROR("IPPROTO_IP", "IP_RECVERR", "SIZEOF_SOCK_EXTENDED_ERR", "SIZEOF_SOCKADDR_IN6"),
        /**
         * {@code SOL_SOCKET}/{@code SO_TIMESTAMPING} (Linux): sent, the timestamping flags of one {@code sendmsg}
         * ({@link #timestamping(int)}); received ({@code SCM_TIMESTAMPING}), the three times of
         * {@code struct scm_timestamping} ({@link #timestamps()}).
         */
        TIMESTAMPING("SOL_SOCKET", "SO_TIMESTAMPING", "SIZEOF_SCM_TIMESTAMPING"),
        /** {@code SOL_SOCKET}/{@code SCM_TIMESTAMPNS} (Linux): when a datagram was received ({@link #timestamps()}). */
        TIMESTAMPNS("SOL_SOCKET", "SCM_TIMESTAMPNS", "SIZEOF_TIMESPEC"),
        /**
         * {@code SOL_SOCKET}/{@code SCM_TIMESTAMP}: when a datagram was received, to the microsecond, a
         * {@code struct timeval} ({@link #timestamps()}), on a socket with {@link Posix#SO_TIMESTAMP} set; Linux's
         * and NetBSD's. Received only.
         */
        TIMESTAMP("SOL_SOCKET", "SCM_TIMESTAMP", "SIZEOF_TIMEVAL"),
        /**
         * {@code SOL_UDP}/{@code UDP_GRO} (Linux): on a socket with {@link Posix#UDP_GRO} set, the segment size of a
         * datagram the kernel received as several and hands over as one ({@link #value()}); received only.
         */
        UDP_GRO("SOL_UDP", "UDP_GRO"),
        /**
         * {@code SOL_SOCKET}/{@code SO_RXQ_OVFL} (Linux): on a socket with {@link Posix#SO_RXQ_OVFL} set, how many
         * datagrams the socket had dropped when this one was queued, a {@code uint32_t} ({@link #value()}, read
         * unsigned); Linux adds it only once the count is not 0. Received only.
         */
        RXQ_OVFL("SOL_SOCKET", "SO_RXQ_OVFL"),
        /**
         * {@code SOL_TCP}/{@code TCP_CM_INQ} (Linux): on a TCP socket with {@link Posix#TCP_INQ} set, the bytes still
         * waiting to be read after this receive ({@link #value()}); received only.
         */
        TCP_INQ("IPPROTO_TCP", "TCP_CM_INQ"),
        /**
         * {@code IPPROTO_IPV6}/{@code IPV6_PATHMTU}: on a socket with {@link Posix#IPV6_RECVPATHMTU} set, the path MTU
         * a send found too small for its datagram, a {@code struct ip6_mtuinfo}: the MTU ({@link #value()}) and the
         * destination ({@link #address()}); received only, on the receive after the send failed with
         * {@code EMSGSIZE}.
         */
        IPV6_PATHMTU("IPPROTO_IPV6", "IPV6_PATHMTU", "SIZEOF_IP6_MTUINFO"),
        /**
         * {@code IPPROTO_IPV6}/{@code IPV6_DONTFRAG}: whether one IPv6 datagram may be fragmented by the sender
         * ({@link #ipv6Dontfrag(boolean)}); sent only.
         */
        IPV6_DONTFRAG("IPPROTO_IPV6", "IPV6_DONTFRAG"),
        /**
         * {@code SOL_SOCKET}/{@code SCM_CREDENTIALS} (Linux): a process, user and group over an {@code AF_UNIX}
         * socket, a {@code struct ucred} ({@link #credentials(Ucred)} to send, {@link #credentials()} when
         * received); every message a socket with {@link Posix#SO_PASSCRED} set receives carries the sender's.
         */
        CREDENTIALS("SOL_SOCKET", "SCM_CREDENTIALS", "SIZEOF_UCRED"),
        /**
         * {@code SOL_SOCKET}/{@code SCM_TXTIME} (Linux): when one packet may leave, or its deadline, in nanoseconds of
         * the clock {@link Posix#SO_TXTIME} chose ({@link #txtime(long)}); sent only.
         */
        TXTIME("SOL_SOCKET", "SCM_TXTIME"),
        /** Any other level and type, as bytes. */
        RAW;

        /** The names of the constants the kind needs: level, type and any layout size. */
        private final String[] needs;

        Kind(String... needs) {
            this.needs = needs;
        }

        /**
         * Whether the running platform has this kind of control message: false for those it lacks (on NetBSD
         * {@link #UDP_SEGMENT}, {@link #EXTENDED_ERROR}, {@link #TIMESTAMPING}, {@link #TIMESTAMPNS},
         * {@link #UDP_GRO}, {@link #RXQ_OVFL}, {@link #TCP_INQ}, {@link #CREDENTIALS} and {@link #TXTIME}), whose
         * factories throw {@link UnsupportedOperationException} and which no receive reports. {@link #RAW} is always
         * supported; its level and type may not be.
         *
         * @return true when every constant the kind needs is defined here
         */
        public boolean isSupported() {
            return isSupported(Platform::value);
        }

        /**
         * The payload bytes of the largest message of this kind a platform sends or receives, as C sizes it (the
         * struct, or the {@code int} the kernel writes where it also takes less), from that platform's
         * {@code values}, in which the kind {@link #isSupported(ToIntFunction) is supported}; -1
         * for the kinds whose payload has no one size ({@link #RIGHTS}, {@link #RAW}).
         */
        long largestPayload(ToIntFunction<String> values) {
            // no default: a new kind does not compile until it says its size
            return switch (this) {
                case IP_PKTINFO -> values.applyAsInt("SIZEOF_IN_PKTINFO");
                case IPV6_PKTINFO -> values.applyAsInt("SIZEOF_IN6_PKTINFO");
                // the offender's address follows the struct: a sockaddr_in, or for IPV6_RECVERR a sockaddr_in6
                case EXTENDED_ERROR -> (long) values.applyAsInt("SIZEOF_SOCK_EXTENDED_ERR")
                        + values.applyAsInt("SIZEOF_SOCKADDR_IN6");
                case TIMESTAMPING -> values.applyAsInt("SIZEOF_SCM_TIMESTAMPING");
                case TIMESTAMPNS -> values.applyAsInt("SIZEOF_TIMESPEC");
                case TIMESTAMP -> values.applyAsInt("SIZEOF_TIMEVAL");
                case IPV6_PATHMTU -> values.applyAsInt("SIZEOF_IP6_MTUINFO");
                case CREDENTIALS -> values.applyAsInt("SIZEOF_UCRED");
                case TXTIME -> Long.BYTES;
                case UDP_SEGMENT -> Short.BYTES;
                case IP_TOS, IPV6_TCLASS, IP_TTL, IPV6_HOPLIMIT, UDP_GRO, RXQ_OVFL, TCP_INQ, IPV6_DONTFRAG ->
                        Integer.BYTES;
                case RIGHTS, RAW -> -1;
            };
        }

        /** Whether every constant the kind needs has a value in {@code values}; for the tables' own tests. */
        boolean isSupported(ToIntFunction<String> values) {
            for (String name : needs) {
                if (values.applyAsInt(name) == Platform.UNSUPPORTED) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Kind kind;
    private final int level;
    private final int type;
    private final int planKind;
    private final int value;
    /** The address bytes (4 or 16) of a packet-info message, else null. */
    private final byte[] address;
    /** The payload bytes: raw data, or the descriptors as native {@code int}s, or what was received. */
    private final byte[] data;
    private final int[] fds;
    /** Bytes of payload after {@code CMSG_DATA}; its space is {@code CMSG_SPACE(payloadLength)}. */
    private final int payloadLength;
    /** {@code CMSG_SPACE(payloadLength)}, at most {@link Message#MAX_CONTROL_SPACE}. */
    private final int space;

    private ControlMessage(Kind kind, int level, int type, int planKind, int value, byte[] address, byte[] data,
            int[] fds, int payloadLength) {
        this.space = checkedSpace(payloadLength);
        this.kind = kind;
        this.level = level;
        this.type = type;
        this.planKind = planKind;
        this.value = value;
        this.address = address;
        this.data = data;
        this.fds = fds;
        this.payloadLength = payloadLength;
    }

    /**
     * {@code SCM_RIGHTS} with these descriptors (the sender keeps its own copies open; the receiver gets new
     * numbers it must close). Linux accepts at most 253 in one message ({@code EINVAL} beyond); a descriptor
     * that is not open fails the send with {@code EBADF}.
     *
     * @param fds the descriptors to pass, copied
     * @return the control message
     * @throws IllegalArgumentException when so many descriptors would not fit in any message's control space
     */
    public static ControlMessage rights(int... fds) {
        Objects.requireNonNull(fds, "fds");
        checkedSpace((long) fds.length * Integer.BYTES);
        int[] copy = fds.clone();
        ByteBuffer b = ByteBuffer.allocate(copy.length * Integer.BYTES).order(ByteOrder.nativeOrder());
        for (int fd : copy) {
            b.putInt(fd);
        }
        return new ControlMessage(Kind.RIGHTS, supported("SOL_SOCKET"), supported("SCM_RIGHTS"),
                MessagePlan.KIND_RIGHTS, 0, null, b.array(), copy, b.capacity());
    }

    /**
     * {@code IP_PKTINFO}: send an IPv4 datagram from {@code source} (which must be a local address; null or
     * 0.0.0.0 lets the kernel choose) out of interface {@code ifindex} (0: routing decides). On Linux the source
     * goes into {@code ipi_spec_dst}, on NetBSD into {@code ipi_addr}. A received {@code IP_PKTINFO} added to a
     * message is sent as this factory's message of its {@link #interfaceIndex()} and {@link #address()} (the
     * packet's destination, {@code ipi_addr}), not as the bytes it arrived with; a server that answers from the
     * address a packet reached it at, as C servers copy {@code ipi_spec_dst} back, sends
     * {@code ipPktinfo(0, received.specificDestination())}, or, without making an object per reply, sets the reply's
     * own packet info with {@link Message#replyFrom(PacketInfo)} or {@link Message#pktinfo(int, byte[], int)}.
     *
     * @param ifindex the interface index, or 0
     * @param source the IPv4 source address, or null
     * @return the control message
     * @throws IllegalArgumentException when {@code source} is not IPv4 or {@code ifindex} is negative
     */
    public static ControlMessage ipPktinfo(int ifindex, InetAddress source) {
        if (source != null && !(source instanceof Inet4Address)) {
            throw new IllegalArgumentException("IP_PKTINFO needs an IPv4 address, not " + source);
        }
        requireIndex(ifindex);
        byte[] a = source == null ? new byte[4] : source.getAddress();
        return new ControlMessage(Kind.IP_PKTINFO, supported("IPPROTO_IP"), supported("IP_PKTINFO"),
                MessagePlan.KIND_IN_PKTINFO, ifindex, a, null, null, supported("SIZEOF_IN_PKTINFO"));
    }

    /**
     * {@code IPV6_PKTINFO}: send an IPv6 datagram from {@code source} (null or :: lets the kernel choose) out
     * of interface {@code ifindex} (0: routing decides). An IPv4 {@code source} is taken as its IPv4-mapped address
     * ({@code ::ffff:a.b.c.d}), which a dual-stack socket sends an IPv4 datagram from: {@code java.net} makes the
     * text {@code "::ffff:127.0.0.1"} an {@code Inet4Address}.
     *
     * @param ifindex the interface index, or 0
     * @param source the IPv6 source address (an IPv4 one: its mapped address), or null
     * @return the control message
     * @throws IllegalArgumentException when {@code ifindex} is negative
     */
    public static ControlMessage ipv6Pktinfo(int ifindex, InetAddress source) {
        requireIndex(ifindex);
        byte[] a = new byte[16];
        if (source instanceof Inet6Address) {
            a = source.getAddress();
        } else if (source != null) {
            a[10] = (byte) 0xff; // ::ffff:a.b.c.d
            a[11] = (byte) 0xff;
            System.arraycopy(source.getAddress(), 0, a, 12, 4);
        }
        return new ControlMessage(Kind.IPV6_PKTINFO, supported("IPPROTO_IPV6"), supported("IPV6_PKTINFO"),
                MessagePlan.KIND_IN6_PKTINFO, ifindex, a, null, null, supported("SIZEOF_IN6_PKTINFO"));
    }

    /**
     * {@code UDP_SEGMENT} (Linux 4.18+): the kernel splits one large UDP send into datagrams of
     * {@code segmentSize} bytes (the last may be shorter). What the kernel refuses, as measured on Linux 6.18: more
     * segments than {@code UDP_MAX_SEGMENTS} (128 there; older kernels took 64) with {@code EINVAL}, a total above
     * 65535 bytes or, on IPv6, a segment above the path MTU ({@code IPV6_MTU}) with {@code EMSGSIZE}, and
     * segmentation on a UDP-Lite socket with {@code EIO}. The socket option ({@link Posix#UDP_SEGMENT}, an
     * {@code int}) sets the size for every send; this message, a {@code uint16_t}, for one. Each size's message is
     * made once and shared (see the class description): about 56 bytes a size asked for, and 1 KiB for each 256
     * sizes begun, so all 65,536 sizes would keep some 4 MiB for the life of the class.
     *
     * @param segmentSize the payload bytes of each datagram, 0..65535
     * @return the control message, the same object for the same size
     * @throws IllegalArgumentException when the size is outside 0..65535
     * @throws UnsupportedOperationException on platforms without UDP segmentation offload (NetBSD)
     */
    public static ControlMessage udpSegment(int segmentSize) {
        if (segmentSize >= 0 && segmentSize <= 0xffff) {
            ControlMessage shared = Shared.UDP_SEGMENT.get(segmentSize);
            if (shared != null) {
                return shared;
            }
        }
        int level = supported("SOL_UDP");
        int type = supported("UDP_SEGMENT");
        if (segmentSize < 0 || segmentSize > 0xffff) {
            throw new IllegalArgumentException("UDP_SEGMENT size " + segmentSize + " is outside 0..65535");
        }
        return Shared.UDP_SEGMENT.keep(segmentSize, new ControlMessage(Kind.UDP_SEGMENT, level, type,
                MessagePlan.KIND_UINT16, segmentSize, null, null, null, Short.BYTES));
    }

    /**
     * {@code IP_TOS} for one IPv4 datagram. On an IPv6 socket that is not limited to IPv6, Linux applies it to a
     * datagram for an IPv4-mapped destination and ignores it, without an error, for an IPv6 one; and it ignores
     * {@link #ipv6Tclass} for a mapped destination: each datagram takes the one of its destination's family.
     *
     * @param tos the type-of-service byte, 0..255
     * @return the control message
     * @throws IllegalArgumentException when {@code tos} is outside 0..255
     */
    public static ControlMessage ipTos(int tos) {
        return intValued(Kind.IP_TOS, "IPPROTO_IP", "IP_TOS", tos, 0);
    }

    /**
     * {@code IPV6_DONTFRAG} for one IPv6 datagram, whatever the socket's {@link Posix#IPV6_DONTFRAG} says: with
     * {@code true}, a datagram larger than the path MTU fails with {@code EMSGSIZE} instead of leaving in fragments
     * (and, with {@link Posix#IPV6_RECVPATHMTU}, the next receive reports the MTU: {@link Kind#IPV6_PATHMTU}).
     *
     * @param dontfrag true to forbid fragmenting this datagram, false to allow it
     * @return the control message
     */
    public static ControlMessage ipv6Dontfrag(boolean dontfrag) {
        return intValued(Kind.IPV6_DONTFRAG, "IPPROTO_IPV6", "IPV6_DONTFRAG", dontfrag ? 1 : 0, 0);
    }

    /**
     * {@code IPV6_TCLASS} for one IPv6 datagram; ignored, without an error, for an IPv4-mapped destination, which takes
     * {@link #ipTos} (see there).
     *
     * @param tclass the traffic class, 0..255, or -1, passed on as C passes it: older Linux took -1 as the socket's
     *     own class, Linux 6.18 sends the datagram with class 0xff (C's call alike)
     * @return the control message
     * @throws IllegalArgumentException when {@code tclass} is outside -1..255
     */
    public static ControlMessage ipv6Tclass(int tclass) {
        return intValued(Kind.IPV6_TCLASS, "IPPROTO_IPV6", "IPV6_TCLASS", tclass, -1);
    }

    /**
     * {@code IP_TTL} for one IPv4 datagram.
     *
     * @param ttl the time to live, 1..255 (0 is accepted here; the kernel refuses it with {@code EINVAL})
     * @return the control message
     * @throws IllegalArgumentException when {@code ttl} is outside 0..255
     */
    public static ControlMessage ipTtl(int ttl) {
        return intValued(Kind.IP_TTL, "IPPROTO_IP", "IP_TTL", ttl, 0);
    }

    /**
     * {@code IPV6_HOPLIMIT} for one IPv6 datagram.
     *
     * @param hops the hop limit, 0..255, or -1 for the socket's default
     * @return the control message
     * @throws IllegalArgumentException when {@code hops} is outside -1..255
     */
    public static ControlMessage ipv6HopLimit(int hops) {
        return intValued(Kind.IPV6_HOPLIMIT, "IPPROTO_IPV6", "IPV6_HOPLIMIT", hops, -1);
    }

    /**
     * Any control message, as its exact payload bytes (in the byte order and layout the kernel expects for
     * {@code level} and {@code type}). The bytes are copied. A message sends those of {@code SOL_SOCKET},
     * {@code IPPROTO_IP}, {@code IPPROTO_IPV6}, {@code IPPROTO_TCP}, {@code IPPROTO_UDP} and SCTP, and on Linux
     * AF_ALG's ({@code SOL_ALG}) and kernel TLS's ({@code SOL_TLS}); {@link Message#addControl} refuses any other
     * level, since some carry addresses the kernel reads and writes through (RDS's), which no check of the bytes
     * can make safe.
     *
     * @param level {@code cmsg_level}, the running platform's value (such as {@link Posix#SOL_SOCKET})
     * @param type {@code cmsg_type}, the running platform's value
     * @param data the payload after {@code CMSG_DATA}
     * @return the control message, of kind {@link Kind#RAW}
     * @throws UnsupportedOperationException when {@code level} or {@code type} is {@link Posix#UNSUPPORTED}
     * @throws IllegalArgumentException when {@code CMSG_SPACE} of the payload is above
     *     {@link Message#MAX_CONTROL_SPACE}: no message could hold it
     */
    public static ControlMessage raw(int level, int type, byte[] data) {
        Objects.requireNonNull(data, "data");
        checkedSpace(data.length);
        if (level == Posix.UNSUPPORTED || type == Posix.UNSUPPORTED) {
            Backends.requireAvailable();
            throw new UnsupportedOperationException("control message level or type not supported on " + Platform.os());
        }
        return new ControlMessage(Kind.RAW, level, type, MessagePlan.KIND_RAW, 0, null, data.clone(), null,
                data.length);
    }

    /**
     * Any control message whose payload is one C {@code int}, as C writes it at {@code CMSG_DATA} (in the native
     * byte order): {@link #raw(int, int, byte[])} of those four bytes, for the types posix-send does not type (on
     * Linux {@code SO_MARK} and {@code SO_PRIORITY} as control messages, for example).
     *
     * @param level {@code cmsg_level}, the running platform's value (such as {@link Posix#SOL_SOCKET})
     * @param type {@code cmsg_type}, the running platform's value
     * @param value the {@code int} payload
     * @return the control message, of kind {@link Kind#RAW}, four bytes of data
     * @throws UnsupportedOperationException when {@code level} or {@code type} is {@link Posix#UNSUPPORTED}
     */
    public static ControlMessage raw(int level, int type, int value) {
        byte[] data = new byte[Integer.BYTES];
        ByteBuffer.wrap(data).order(ByteOrder.nativeOrder()).putInt(0, value);
        return raw(level, type, data);
    }

    private static ControlMessage intValued(Kind kind, String level, String type, int value, int min) {
        if (value < min || value > 255) {
            throw new IllegalArgumentException(type + " value " + value + " is outside " + min + "..255");
        }
        SharedValues values = Shared.INT_VALUED[kind.ordinal()];
        ControlMessage shared = values.get(value);
        return shared != null ? shared : values.keep(value, new ControlMessage(kind, supported(level),
                supported(type), MessagePlan.KIND_INT, value, null, null, null, Integer.BYTES));
    }

    /**
     * The value messages made so far, one per kind and value, so that choosing one per packet allocates nothing
     * once warm (see {@link SharedValues}); made at the first such call.
     */
    private static final class Shared {
        static final SharedValues UDP_SEGMENT = new SharedValues(0, 0xffff);
        /** By kind, the values {@link #intValued} takes (-1..255), for its kinds only. */
        static final SharedValues[] INT_VALUED = new SharedValues[Kind.values().length];

        static {
            for (Kind k : new Kind[] {Kind.IP_TOS, Kind.IPV6_DONTFRAG, Kind.IPV6_TCLASS, Kind.IP_TTL,
                    Kind.IPV6_HOPLIMIT}) {
                INT_VALUED[k.ordinal()] = new SharedValues(-1, 255);
            }
        }
    }

    private static void requireIndex(int ifindex) {
        if (ifindex < 0) {
            throw new IllegalArgumentException("interface index " + ifindex + " is negative");
        }
    }

    private static int supported(String name) {
        int v = Platform.value(name);
        if (v == Platform.UNSUPPORTED) {
            Backends.requireAvailable();
            throw new UnsupportedOperationException(name + " is not supported on " + Platform.os());
        }
        return v;
    }

    /** Received control message {@code k} of the last receive into a message, as an object. */
    static ControlMessage received(ReceivedControl rc, int k) {
        int level = rc.level(k);
        int type = rc.type(k);
        int planKind = rc.planKind(k);
        int off = rc.offset(k);
        int len = rc.length(k);
        int value = rc.value(k);
        ByteBuffer p = rc.payload();
        byte[] bytes = new byte[len];
        p.get(off, bytes, 0, len);
        Kind kind = receivedKind(level, type, planKind, len);
        switch (kind) {
            case RIGHTS: {
                int[] fds = new int[len / Integer.BYTES];
                for (int i = 0; i < fds.length; i++) {
                    fds[i] = p.getInt(off + i * Integer.BYTES);
                }
                return new ControlMessage(kind, level, type, planKind, 0, null, bytes, fds, len);
            }
            case IP_PKTINFO:
            case IPV6_PKTINFO: {
                byte[] a = new byte[kind == Kind.IP_PKTINFO ? 4 : 16];
                rc.address(k, a, a.length);
                int size = Platform.value(kind == Kind.IP_PKTINFO ? "SIZEOF_IN_PKTINFO" : "SIZEOF_IN6_PKTINFO");
                return new ControlMessage(kind, level, type, planKind, value, a, bytes, null, size);
            }
            case UDP_SEGMENT:
                return new ControlMessage(kind, level, type, planKind, value, null, bytes, null, Short.BYTES);
            case IP_TOS:
            case IP_TTL:
            case IPV6_TCLASS:
            case IPV6_HOPLIMIT:
            case UDP_GRO:
            case RXQ_OVFL:
            case TCP_INQ:
                // a received IP_TOS is one byte; sent again it is laid out as an int
                return new ControlMessage(kind, level, type, planKind, value, null, bytes, null, Integer.BYTES);
            case IPV6_PATHMTU: {
                // struct ip6_mtuinfo: the destination's sockaddr_in6, then the MTU, a uint32_t
                byte[] a = new byte[16];
                p.get(off + Platform.value("OFFSETOF_SIN6_ADDR"), a, 0, 16);
                int mtu = pathMtu(p, off);
                return new ControlMessage(kind, level, type, MessagePlan.KIND_RAW, mtu, a, bytes, null, len);
            }
            default:
                return new ControlMessage(kind, level, type, MessagePlan.KIND_RAW, 0, null, bytes, null, len);
        }
    }

    /**
     * The kind of a received control message from its level, type, how the backend decoded it and its payload's
     * length: an error-queue entry or a timestamp that too little control space cut short ({@code MSG_CTRUNC}) is
     * {@link Kind#RAW}, as a cut-short packet-info message is, so that no typed accessor meets a part of its struct.
     */
    static Kind receivedKind(int level, int type, int planKind, int len) {
        switch (planKind) {
            case MessagePlan.KIND_RIGHTS:
                return Kind.RIGHTS;
            case MessagePlan.KIND_IN_PKTINFO:
                return Kind.IP_PKTINFO;
            case MessagePlan.KIND_IN6_PKTINFO:
                return Kind.IPV6_PKTINFO;
            case MessagePlan.KIND_UINT16:
                return Kind.UDP_SEGMENT;
            case MessagePlan.KIND_INT: {
                Kind k = intKind(level, type);
                // an int the kernel sends whole, cut short by too little control space: its first byte is no value
                boolean wholeInt = k == Kind.IPV6_TCLASS || k == Kind.IPV6_HOPLIMIT
                        || k == Kind.IP_TTL && type == Posix.IP_TTL;
                return wholeInt && len < Integer.BYTES ? Kind.RAW : k;
            }
            default:
                return isExtendedError(level, type) && len >= ErrorQueueEntry.SIZE ? Kind.EXTENDED_ERROR
                        : level == Posix.SOL_SOCKET && type == Posix.SCM_TIMESTAMPING && type != Posix.UNSUPPORTED
                                && len >= 3 * ErrorQueueEntry.TIMESPEC ? Kind.TIMESTAMPING
                        : level == Posix.SOL_SOCKET && type == Posix.SCM_TIMESTAMPNS && type != Posix.UNSUPPORTED
                                && len >= ErrorQueueEntry.TIMESPEC ? Kind.TIMESTAMPNS
                        : level == Posix.SOL_SOCKET && type == Posix.SCM_TIMESTAMP && type != Posix.UNSUPPORTED
                                && len >= ErrorQueueEntry.TIMEVAL ? Kind.TIMESTAMP
                        : level == Posix.IPPROTO_IPV6 && type == Posix.IPV6_PATHMTU && type != Posix.UNSUPPORTED
                                && len >= MTUINFO ? Kind.IPV6_PATHMTU
                        : level == Posix.SOL_SOCKET && type == Posix.SCM_CREDENTIALS && type != Posix.UNSUPPORTED
                                && len >= Ucred.size() ? Kind.CREDENTIALS
                        : Kind.RAW;
        }
    }

    /** The MTU, {@code ip6m_mtu}, of the {@code struct ip6_mtuinfo} at {@code at} of a received payload. */
    static int pathMtu(ByteBuffer payload, int at) {
        return payload.getInt(at + MTU);
    }

    private static boolean isExtendedError(int level, int type) {
        return (level == Posix.IPPROTO_IP && type == Posix.IP_RECVERR && type != Posix.UNSUPPORTED)
                || (level == Posix.IPPROTO_IPV6 && type == Posix.IPV6_RECVERR && type != Posix.UNSUPPORTED)
                || (level == Posix.SOL_PACKET && type == Posix.PACKET_TX_TIMESTAMP && type != Posix.UNSUPPORTED);
    }

    /**
     * {@code SO_TIMESTAMPING} for one {@code sendmsg} (Linux 4.13+): the {@code SOF_TIMESTAMPING_TX_*} flags this
     * send is timestamped with, whatever the socket's option says. The reporting flags stay the socket's: without
     * {@code SOF_TIMESTAMPING_SOFTWARE} set there the error-queue entry carries no time, and without
     * {@code SOF_TIMESTAMPING_OPT_ID} no send id (it reads 0).
     *
     * @param flags {@code SOF_TIMESTAMPING_TX_*} bits, such as {@link Posix#SOF_TIMESTAMPING_TX_SOFTWARE}
     * @return the control message
     * @throws UnsupportedOperationException where the platform has no {@code SO_TIMESTAMPING}
     */
    public static ControlMessage timestamping(int flags) {
        return new ControlMessage(Kind.TIMESTAMPING, supported("SOL_SOCKET"), supported("SO_TIMESTAMPING"),
                MessagePlan.KIND_INT, flags, null, null, null, Integer.BYTES);
    }

    /**
     * The times a received {@link Kind#TIMESTAMPING}, {@link Kind#TIMESTAMPNS} or {@link Kind#TIMESTAMP} message
     * carries, in nanoseconds since the epoch ({@code CLOCK_REALTIME}): for {@code SCM_TIMESTAMPING} the three of
     * {@code struct scm_timestamping} (index 0 is the software time; 1 is unused; 2 the raw hardware time, 0 when
     * there is none), for {@code SCM_TIMESTAMPNS} one, for {@code SCM_TIMESTAMP} one, whole microseconds.
     *
     * @return the times, a new array
     * @throws IllegalStateException for any other kind, or one built to be sent
     */
    public long[] timestamps() {
        if ((kind != Kind.TIMESTAMPING && kind != Kind.TIMESTAMPNS && kind != Kind.TIMESTAMP) || data == null) {
            throw new IllegalStateException(kind + " carries no received times");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        if (kind == Kind.TIMESTAMP) {
            return new long[] {ErrorQueueEntry.timevalNanos(b, 0)};
        }
        int size = ErrorQueueEntry.TIMESPEC;
        long[] out = new long[data.length / size];
        for (int i = 0; i < out.length; i++) {
            out[i] = ErrorQueueEntry.timespecNanos(b, i * size);
        }
        return out;
    }

    /**
     * {@code SCM_CREDENTIALS} (Linux) with these credentials, for a {@code sendmsg} over an {@code AF_UNIX} socket.
     * The kernel checks them: a process may send its own pid, its real, effective or saved user and group ids;
     * others need {@code CAP_SYS_ADMIN} (pid), {@code CAP_SETUID} (uid) or {@code CAP_SETGID} (gid), and the send fails
     * with {@code EPERM} without them (with {@code CAP_SYS_ADMIN}, {@code ESRCH} for a pid no process has;
     * {@code EINVAL} for a user or group of -1). A receiver that set {@link Posix#SO_PASSCRED} gets the sender's
     * credentials with every message whether or not it sends any. Java has no {@code getuid()}: a process's own pid,
     * effective user and effective group, what the kernel adds, are {@link Posix#getsockoptPeerCred(int)} of one end
     * of a {@link Posix#socketpair} it made (or {@code ProcessHandle.current().pid()} for the pid alone).
     *
     * @param credentials the process, user and group to send
     * @return the control message
     * @throws UnsupportedOperationException where the platform has no {@code SCM_CREDENTIALS} (NetBSD)
     */
    public static ControlMessage credentials(Ucred credentials) {
        Objects.requireNonNull(credentials, "credentials");
        int level = supported("SOL_SOCKET");
        int type = supported("SCM_CREDENTIALS");
        int size = supported("SIZEOF_UCRED");
        return new ControlMessage(Kind.CREDENTIALS, level, type, MessagePlan.KIND_RAW, 0, null, credentials.image(),
                null, size);
    }

    /**
     * {@code SCM_TXTIME} (Linux 4.19+) for one {@code sendmsg}: the time its packet may leave (the {@code fq}
     * queueing discipline holds it until then) or its deadline ({@code etf} with
     * {@link Posix#SOF_TXTIME_DEADLINE_MODE}), in nanoseconds of the clock the socket's {@link Posix#SO_TXTIME} names
     * ({@link Posix#clockGettime(int)} of that clock, plus the wait; HotSpot's {@link System#nanoTime()} on Linux
     * reads {@code CLOCK_MONOTONIC} too, which Java does not promise). A socket without {@code SO_TXTIME} set
     * fails the send with {@code EINVAL}; a device without such a discipline (loopback's) sends at once. Each call
     * makes a new control message: a sender that gives each packet its own time sets it on the message instead,
     * with {@link Message#txtime(long)}, which allocates nothing.
     *
     * @param nanos the time, a {@code uint64_t} in C
     * @return the control message
     * @throws UnsupportedOperationException where the platform has no {@code SCM_TXTIME} (NetBSD)
     */
    public static ControlMessage txtime(long nanos) {
        int level = supported("SOL_SOCKET");
        int type = supported("SCM_TXTIME");
        byte[] data = new byte[Long.BYTES];
        ByteBuffer.wrap(data).order(ByteOrder.nativeOrder()).putLong(0, nanos);
        return new ControlMessage(Kind.TXTIME, level, type, MessagePlan.KIND_RAW, 0, null, data, null, Long.BYTES);
    }

    /**
     * The credentials a received, or built, {@link Kind#CREDENTIALS} message carries.
     *
     * @return the process, user and group
     * @throws IllegalStateException for any other kind (an {@code SCM_CREDENTIALS} message cut short by too little
     *     control space arrives as {@link Kind#RAW})
     */
    public Ucred credentials() {
        if (kind != Kind.CREDENTIALS) {
            throw new IllegalStateException(kind + " carries no credentials");
        }
        return Ucred.read(data, 0);
    }

    /**
     * The error-queue entry this control message carries.
     *
     * @return the entry, read from its {@code struct sock_extended_err} and the offender address after it
     * @throws IllegalStateException unless {@link #kind()} is {@link Kind#EXTENDED_ERROR} (an entry that too little
     *     control space cut short arrives as {@link Kind#RAW})
     */
    public ExtendedError extendedError() {
        if (kind != Kind.EXTENDED_ERROR) {
            throw new IllegalStateException(kind == Kind.RAW
                    ? "a RAW message is not a whole error-queue entry (one cut short by too little control space, "
                            + "MSG_CTRUNC, arrives as RAW)"
                    : kind + " is not an error-queue entry");
        }
        return ExtendedError.parse(data);
    }

    /**
     * The kind of a received message a backend decoded as one {@code int}: the backends decode only the levels and
     * types of the kinds below so, which the level alone tells apart except within IP and IPv6.
     */
    private static Kind intKind(int level, int type) {
        if (level == Posix.IPPROTO_IP) {
            return type == Posix.IP_TOS ? Kind.IP_TOS : Kind.IP_TTL;
        }
        if (level == Posix.SOL_SOCKET) {
            return Kind.RXQ_OVFL;
        }
        if (level == Posix.IPPROTO_UDP) {
            return Kind.UDP_GRO;
        }
        if (level == Posix.IPPROTO_TCP) {
            return Kind.TCP_INQ;
        }
        return type == Posix.IPV6_TCLASS ? Kind.IPV6_TCLASS : Kind.IPV6_HOPLIMIT;
    }

    /** {@return the kind: typed, or {@link Kind#RAW}} */
    public Kind kind() {
        return kind;
    }

    /** {@return {@code cmsg_level}, the running platform's value} */
    public int level() {
        return level;
    }

    /** {@return {@code cmsg_type}, the running platform's value} */
    public int type() {
        return type;
    }

    /**
     * {@return the descriptors of a {@link Kind#RIGHTS} message (a copy)} Received ones are the caller's to close.
     *
     * @throws IllegalStateException for any other kind
     */
    public int[] fds() {
        if (fds == null) {
            throw new IllegalStateException(kind + " carries no descriptors");
        }
        return fds.clone();
    }

    /**
     * The address of a packet-info message: the source asked for when sending; when received, the packet's
     * destination address ({@code ipi_addr}, {@code ipi6_addr}); of a received {@code IPV6_PATHMTU}, the destination
     * whose path it measured.
     *
     * @return the IPv4 or IPv6 address
     * @throws IllegalStateException unless the kind is {@link Kind#IP_PKTINFO}, {@link Kind#IPV6_PKTINFO} or a
     *     received {@link Kind#IPV6_PATHMTU}
     */
    public InetAddress address() {
        if (address == null) {
            throw new IllegalStateException(kind + " carries no address");
        }
        try {
            // an IPv6 one stays IPv6 when it is IPv4-mapped, so that it can be sent back as IPV6_PKTINFO; the
            // destination of a path-MTU report is a whole sockaddr_in6, whose scope a link-local one needs
            int scope = kind == Kind.IPV6_PATHMTU
                    ? ByteBuffer.wrap(data).order(ByteOrder.nativeOrder()).getInt(SCOPE_ID) : 0;
            return address.length == 16 ? SockAddr.inet6(address, scope) : InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The {@code ipi_spec_dst} of a received {@code IP_PKTINFO} message: on Linux the local address the packet was
     * routed to, which a server answering from the address it was reached at sends its reply from (C code passes it
     * back as {@code ipi_spec_dst} of {@code ipPktinfo}); {@link #address()} is the destination in the packet's
     * header, which differs for a packet sent to a broadcast or multicast address. NetBSD's {@code in_pktinfo} has
     * no such field (its {@code ipi_spec_dst} is {@code ipi_addr}), so there this is the same as {@link #address()}.
     * Read at the offset of the platform's compiled headers; {@link PacketInfo} reads it without allocating.
     *
     * @return the IPv4 address
     * @throws IllegalStateException unless this is an {@link Kind#IP_PKTINFO} message received by a call
     */
    public InetAddress specificDestination() {
        if (kind != Kind.IP_PKTINFO || data == null) {
            throw new IllegalStateException("only a received IP_PKTINFO carries ipi_spec_dst, not " + kind
                    + (data == null ? " built to be sent" : ""));
        }
        int at = Platform.value("OFFSETOF_IPI_SPEC_DST");
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(data, at, at + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@return the interface index of a packet-info message}
     *
     * @throws IllegalStateException unless the kind is {@link Kind#IP_PKTINFO} or {@link Kind#IPV6_PKTINFO}
     */
    public int interfaceIndex() {
        if (kind != Kind.IP_PKTINFO && kind != Kind.IPV6_PKTINFO) {
            throw new IllegalStateException(kind + " carries no interface index");
        }
        return value;
    }

    /**
     * {@return the number a {@code UDP_SEGMENT}, {@code IP_TOS}, {@code IPV6_TCLASS}, {@code IP_TTL},
     * {@code IPV6_HOPLIMIT}, {@code UDP_GRO}, {@code SO_RXQ_OVFL} (a {@code uint32_t}: read it with
     * {@link Integer#toUnsignedLong}), {@code TCP_CM_INQ} or sent {@code SO_TIMESTAMPING} message carries, or the MTU
     * of a received {@code IPV6_PATHMTU}}
     *
     * @throws IllegalStateException for a kind that carries no single number: rights, packet info, raw, an
     *     extended error ({@link #extendedError()}), received times ({@link #timestamps()})
     */
    public int value() {
        if (kind == Kind.IPV6_PATHMTU && data != null) {
            return value; // a received struct ip6_mtuinfo's MTU
        }
        if (!isValueOnly()) { // the kinds whose payload is one number, sent or received, and no other
            throw new IllegalStateException(kind + " carries no single value");
        }
        return value;
    }

    /**
     * {@return the payload bytes after {@code CMSG_DATA} as sent (raw, rights) or as received (every kind); a copy}
     *
     * @throws IllegalStateException for a message built by a typed factory other than {@link #rights}
     */
    public byte[] data() {
        if (data == null) {
            throw new IllegalStateException(kind + " built by a typed factory has no byte image; the shim lays it out");
        }
        return data.clone();
    }

    /**
     * C's {@code CMSG_SPACE(payloadLength)} on the running platform: the control space a message of that many payload
     * bytes takes, header and padding included, for sizing a {@link Message}'s control space as C sizes
     * {@code msg_control} (two descriptors: {@code space(2 * Integer.BYTES)}). For a struct the platform lays out,
     * take a message of that kind's own {@link #space()}: {@code ipPktinfo(0, null).space()} is
     * {@code CMSG_SPACE(sizeof(struct in_pktinfo))}, 32 on Linux and 24 on NetBSD.
     *
     * @param payloadLength the bytes after {@code CMSG_DATA}
     * @return {@code CMSG_SPACE(payloadLength)}
     * @throws IllegalArgumentException when {@code payloadLength} is negative or its space is above
     *     {@link Message#MAX_CONTROL_SPACE}, more than any message holds
     */
    public static int space(int payloadLength) {
        return checkedSpace(payloadLength);
    }

    /**
     * C's {@code CMSG_LEN(payloadLength)} on the running platform: a control message's {@code cmsg_len}, its header
     * and payload without the padding after it. A received message's {@code cmsg_len} is
     * {@code length(data().length)}. C programs also size {@code msg_control} with it, to leave room for exactly
     * that payload and no padding: on Linux {@code new Message(length(Integer.BYTES))} receives one descriptor of
     * several, where {@code space(Integer.BYTES)} pads to room for two on 64-bit platforms. NetBSD hands over an
     * {@code SCM_RIGHTS} message whole or not at all, and lays it out in its {@code CMSG_SPACE}: there a control
     * space of {@code length(n)} receives none of it ({@code MSG_CTRUNC}).
     *
     * @param payloadLength the bytes after {@code CMSG_DATA}
     * @return {@code CMSG_LEN(payloadLength)}
     * @throws IllegalArgumentException when {@code payloadLength} is negative or its length is above
     *     {@link Message#MAX_CONTROL_SPACE}, more than any message holds
     */
    public static int length(int payloadLength) {
        requirePayloadLength(payloadLength);
        long length = Platform.value("CMSG_LEN_0") + (long) payloadLength;
        if (length > Message.MAX_CONTROL_SPACE) {
            throw new IllegalArgumentException("a control message with " + payloadLength + " bytes of payload has a "
                    + "cmsg_len of " + length + ", more than any Message's control space (" + Message.MAX_CONTROL_SPACE
                    + ", Message.MAX_CONTROL_SPACE)");
        }
        return (int) length;
    }

    /**
     * C's {@code CMSG_SPACE(sizeof(...))} for one control message of {@code kind} on the running platform, its size
     * from the compiled headers: {@code space(Kind.TIMESTAMPNS)} is {@code CMSG_SPACE(sizeof(struct timespec))},
     * {@code space(Kind.TIMESTAMPING)} is {@code CMSG_SPACE(sizeof(struct scm_timestamping))},
     * {@code space(Kind.IP_PKTINFO)} is {@code CMSG_SPACE(sizeof(struct in_pktinfo))},
     * {@code space(Kind.EXTENDED_ERROR)} is
     * {@code CMSG_SPACE(sizeof(struct sock_extended_err) + sizeof(struct sockaddr_in6))} (an entry with the
     * offender's address, IPv4 or IPv6), and the kinds whose payload is a number ({@link Kind#IP_TOS},
     * {@link Kind#IP_TTL}, {@link Kind#IPV6_TCLASS}, {@link Kind#IPV6_HOPLIMIT}, {@link Kind#UDP_GRO},
     * {@link Kind#RXQ_OVFL}, {@link Kind#UDP_SEGMENT}) take the space of the {@code int} (or {@code uint16_t}) C
     * sizes them as. Where one kind has two sizes (sent {@code SO_TIMESTAMPING} flags and the received
     * {@code struct scm_timestamping}), the larger. Add the spaces of the kinds a message may receive, as C adds
     * its {@code CMSG_SPACE}s: {@code new Message(space(Kind.TIMESTAMPING) + space(Kind.EXTENDED_ERROR))}.
     *
     * @param kind what the control message carries
     * @return its {@code CMSG_SPACE}
     * @throws IllegalArgumentException for {@link Kind#RIGHTS} and {@link Kind#RAW}, whose payloads have no one size
     *     ({@link #space(int)} takes theirs: {@code space(n * Integer.BYTES)} for {@code n} descriptors)
     * @throws UnsupportedOperationException for a kind the running platform lacks ({@link Kind#isSupported()} false)
     */
    public static int space(Kind kind) {
        Objects.requireNonNull(kind, "kind");
        Backends.requireAvailable();
        if (!kind.isSupported()) {
            throw new UnsupportedOperationException("control messages of kind " + kind + " are not supported on "
                    + Platform.os());
        }
        long payload = kind.largestPayload(Platform::value);
        if (payload < 0) {
            throw new IllegalArgumentException("control messages of kind " + kind + " have no one size: give "
                    + "space(int) their payload length");
        }
        return checkedSpace(payload);
    }

    /** {@return {@code CMSG_SPACE} of the payload: what this message takes of a {@link Message}'s control space} */
    public int space() {
        return space;
    }

    /**
     * {@code CMSG_SPACE(payloadLength)} from the platform's {@code CMSG_SPACE(0)} and alignment, in {@code long}
     * so that no length near 2 GiB wraps it to a small number.
     */
    static long spaceOf(long payloadLength) {
        return spaceOf(payloadLength, Platform::value);
    }

    /** {@code CMSG_SPACE(payloadLength)} on the platform whose constants are {@code values}. */
    static long spaceOf(long payloadLength, ToIntFunction<String> values) {
        long space0 = values.applyAsInt("CMSG_SPACE_0");
        long align = values.applyAsInt("CMSG_SPACE_1") - space0;
        return space0 + (payloadLength + align - 1) / align * align;
    }

    /** What CMSG_SPACE and CMSG_LEN both need: the platform's values, and a payload length that is not negative. */
    private static void requirePayloadLength(long payloadLength) {
        Backends.requireAvailable();
        if (payloadLength < 0) {
            throw new IllegalArgumentException("a control message's payload length is negative: " + payloadLength);
        }
    }

    /** The space of a payload that some {@link Message} can hold, else IllegalArgumentException. */
    private static int checkedSpace(long payloadLength) {
        requirePayloadLength(payloadLength);
        long space = spaceOf(payloadLength);
        if (space > Message.MAX_CONTROL_SPACE) {
            throw new IllegalArgumentException("a control message with " + payloadLength + " bytes of payload needs "
                    + space + " bytes of control space, more than any Message has (" + Message.MAX_CONTROL_SPACE
                    + ", Message.MAX_CONTROL_SPACE)");
        }
        return (int) space;
    }

    // ---- for Message: how the plan describes it -------------------------------------------------------------

    int planKind() {
        return planKind;
    }

    /** Whether the payload is one value, carried as an argument where a message needs no plan. */
    boolean isValueOnly() {
        return planKind == MessagePlan.KIND_INT || planKind == MessagePlan.KIND_UINT16;
    }

    int planValue() {
        return value;
    }

    byte[] planAddress() {
        return address;
    }

    /** Bytes staged in the plan's data area: raw data or the descriptors; 0 for kinds carried in the record. */
    int planDataLength() {
        return planKind == MessagePlan.KIND_RAW || planKind == MessagePlan.KIND_RIGHTS ? data.length : 0;
    }

    byte[] planData() {
        return data;
    }

    /** The descriptors {@link #toString()} lists before it gives only the count. */
    private static final int RIGHTS_SHOWN = 8;

    @Override
    public String toString() {
        switch (kind) {
            case RIGHTS:
                // a message may carry thousands; the first few and the count say which it is
                return fds.length <= RIGHTS_SHOWN ? "SCM_RIGHTS" + Arrays.toString(fds)
                        : "SCM_RIGHTS" + Arrays.toString(Arrays.copyOf(fds, RIGHTS_SHOWN)).replace("]", ", ... ("
                        + fds.length + " descriptors)]");
            case IP_PKTINFO:
            case IPV6_PKTINFO:
                return kind + "(ifindex " + value + ", " + InetText.ntop(address.length == 16, address) + ")";
            case RAW:
                return "cmsg(level " + level + ", type " + type + ", " + payloadLength + " bytes)";
            case CREDENTIALS: {
                Ucred c = credentials();
                return "SCM_CREDENTIALS(pid " + c.pid() + ", uid " + Integer.toUnsignedLong(c.uid()) + ", gid "
                        + Integer.toUnsignedLong(c.gid()) + ")";
            }
            case EXTENDED_ERROR:
                return kind + "(" + extendedError() + ")";
            case TIMESTAMPNS:
            case TIMESTAMP:
            case TIMESTAMPING:
                if (data != null) { // received: its times (one built to be sent holds its flags)
                    StringBuilder sb = new StringBuilder().append(kind).append('(');
                    long[] times = timestamps();
                    for (int i = 0; i < times.length; i++) {
                        sb.append(i == 0 ? "" : ", ").append(times[i] == 0 ? "0" : instant(times[i]).toString());
                    }
                    return sb.append(')').toString();
                }
                return kind + "(" + value + ")";
            default:
                return kind + "(" + (isValueOnly() ? String.valueOf(value) : payloadLength + " bytes") + ")";
        }
    }

    /** A time in nanoseconds since the epoch as an instant, for printing. */
    private static java.time.Instant instant(long nanos) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L));
    }
}

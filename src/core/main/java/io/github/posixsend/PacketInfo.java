// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.internal.Platform;
import java.util.Objects;

/**
 * A reusable, mutable view of the packet-info control message ({@code IP_PKTINFO}'s {@code struct in_pktinfo} or
 * {@code IPV6_PKTINFO}'s {@code struct in6_pktinfo}) that the last receive into a {@link Message} returned: which
 * interface a datagram came in on and which local address it was sent to. {@link #read(Message)} fills it from the
 * message without making any object, as C's loop over {@code CMSG_FIRSTHDR}/{@code CMSG_NXTHDR} reads the struct in
 * place, so a server on a wildcard address that answers each datagram from the address it arrived at allocates
 * nothing per datagram: the reply takes the sender with {@link Message#destination(SockAddrBuffer)} and this
 * address with {@link Message#replyFrom(PacketInfo)}, both copied into storage the reply owns.
 *
 * <pre>{@code
 * Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_PKTINFO, 1);   // NetBSD: IP_RECVPKTINFO
 * Message in = new Message(64).add(ByteBuffer.allocateDirect(1500));
 * Message out = new Message(64).add(answer);                       // a direct buffer
 * PacketInfo info = new PacketInfo();
 * SockAddrBuffer peer = new SockAddrBuffer();
 * while (running) {
 *     Posix.recvmsg(fd, in, 0);
 *     in.source(peer);
 *     out.destination(peer);
 *     if (info.read(in)) {
 *         out.replyFrom(info);     // ipi_spec_dst, or ipi6_addr and ipi6_ifindex
 *     }
 *     // ... fill answer ...
 *     Posix.sendmsg(fd, out, 0);
 *     in.buffer(0).clear();
 * }
 * }</pre>
 *
 * <p>The accessors throw {@link IllegalStateException} while no packet info was read into the view
 * ({@link #isValid()} false). The addresses are copied into arrays the caller gives, in network byte order as
 * {@link java.net.InetAddress#getAddress()} has them. {@link ControlMessage#address()},
 * {@link ControlMessage#specificDestination()} and {@link ControlMessage#interfaceIndex()} of
 * {@link Message#receivedControl()} are the same information as objects. Not safe for use by several threads at once.
 */
public final class PacketInfo {
    /**
     * Where {@code ipi_spec_dst} lies in a received {@code struct in_pktinfo}, from the compiled headers: NetBSD's
     * struct has no such field and names {@code ipi_addr} so (offset 0).
     */
    private static final int SPEC_DST = Platform.value("OFFSETOF_IPI_SPEC_DST");

    private boolean valid;
    private int family;
    private int ifindex;
    /** {@code ipi_addr} or {@code ipi6_addr}: the packet's destination. */
    private final byte[] address = new byte[16];
    /** {@code ipi_spec_dst} of an IPv4 one. */
    private final byte[] specificDestination = new byte[4];

    /**
     * An empty view: {@link #isValid()} is false until a {@link #read(Message)} finds packet info.
     *
     * @throws UnsupportedOperationException when posix-send cannot work in this JVM, with the cause
     */
    public PacketInfo() {
        Backends.requireAvailable();
    }

    /**
     * Fills this view from the first {@code IP_PKTINFO} or {@code IPV6_PKTINFO} among the control messages
     * {@code received} got in its last receive ({@link Posix#recvmsg}, or {@link Posix#recvmmsg} of a batch holding
     * it), whichever came first; other control messages are passed over. Allocates nothing. A dual-stack socket that
     * asked for both gets both for an IPv4 datagram, {@code IPV6_PKTINFO} first on Linux (its address the mapped
     * {@code ::ffff:a.b.c.d}); {@link #read(Message, ControlMessage.Kind)} takes the one asked for, and the control
     * space must then hold both ({@code ControlMessage.space(Kind.IP_PKTINFO) + space(Kind.IPV6_PKTINFO)}).
     *
     * <p>Set the option before datagrams arrive: Linux records a datagram's packet info as it queues it, and one
     * queued before the option was set is still reported with one, interface 0 and addresses 0.0.0.0 (as C sees it);
     * a reply from that {@code ipi_spec_dst} goes from the address the kernel picks.
     *
     * @param received the message a receive filled; the socket asked for packet info with {@code IP_PKTINFO}
     *     ({@code IP_RECVPKTINFO} on NetBSD) or {@code IPV6_RECVPKTINFO}
     * @return true when the message carried packet info; false (and {@link #isValid()} false) otherwise, also when
     *     too little control space cut it short ({@code MSG_CTRUNC})
     * @throws NullPointerException when {@code received} is null
     */
    public boolean read(Message received) {
        return read(received, true, true);
    }

    /**
     * {@link #read(Message)} of the first packet info of one kind: {@link ControlMessage.Kind#IP_PKTINFO} (the
     * {@code struct in_pktinfo}, with {@code ipi_spec_dst}) or {@link ControlMessage.Kind#IPV6_PKTINFO}, passing
     * over the other, as C's loop tests {@code cmsg_level} and {@code cmsg_type}. Allocates nothing.
     *
     * @param received the message a receive filled
     * @param kind which packet info to read
     * @return true when the message carried packet info of that kind, whole; false (and {@link #isValid()} false)
     *     otherwise
     * @throws NullPointerException when {@code received} or {@code kind} is null
     * @throws IllegalArgumentException when {@code kind} is not a packet-info kind
     */
    public boolean read(Message received, ControlMessage.Kind kind) {
        if (Objects.requireNonNull(kind, "kind") != ControlMessage.Kind.IP_PKTINFO
                && kind != ControlMessage.Kind.IPV6_PKTINFO) {
            throw new IllegalArgumentException(kind + " is no packet info: IP_PKTINFO or IPV6_PKTINFO");
        }
        return read(received, kind == ControlMessage.Kind.IP_PKTINFO, kind == ControlMessage.Kind.IPV6_PKTINFO);
    }

    /** The first whole packet info of the families asked for ({@code v4}: {@code in_pktinfo}, {@code v6}). */
    private boolean read(Message received, boolean v4, boolean v6) {
        Objects.requireNonNull(received, "received");
        ReceivedControl rc = received.receivedControlCopy();
        for (int k = 0; k < rc.count(); k++) {
            // the backend types a packet-info message only when its whole struct arrived (ControlMessage.receivedKind)
            int planKind = rc.planKind(k);
            if (v4 && planKind == MessagePlan.KIND_IN_PKTINFO && SPEC_DST >= 0 && rc.length(k) >= SPEC_DST + 4) {
                family = Posix.AF_INET;
                ifindex = rc.value(k);
                rc.address(k, address, 4);
                rc.payload().get(rc.offset(k) + SPEC_DST, specificDestination, 0, 4);
                valid = true;
                return true;
            }
            if (v6 && planKind == MessagePlan.KIND_IN6_PKTINFO) {
                family = Posix.AF_INET6;
                ifindex = rc.value(k);
                rc.address(k, address, 16);
                valid = true;
                return true;
            }
        }
        valid = false;
        return false;
    }

    /**
     * Makes this view hold what {@code src} holds, as C copies a {@code struct in_pktinfo} (to answer a datagram
     * later, from a view the next receive does not overwrite). Allocates nothing.
     *
     * @param src the view to copy; this one when it is the same, which changes nothing
     * @return this view
     * @throws NullPointerException when {@code src} is null
     */
    public PacketInfo copyFrom(PacketInfo src) {
        Objects.requireNonNull(src, "src");
        family = src.family;
        ifindex = src.ifindex;
        System.arraycopy(src.address, 0, address, 0, address.length);
        System.arraycopy(src.specificDestination, 0, specificDestination, 0, specificDestination.length);
        valid = src.valid;
        return this;
    }

    /** {@return true when the last {@link #read(Message)} found packet info} */
    public boolean isValid() {
        return valid;
    }

    private void requireValid() {
        if (!valid) {
            throw new IllegalStateException("no IP_PKTINFO or IPV6_PKTINFO was read into this view");
        }
    }

    /**
     * {@return {@link Posix#AF_INET} for an {@code IP_PKTINFO}, {@link Posix#AF_INET6} for an {@code IPV6_PKTINFO}
     * (also for an IPv4 datagram to an IPv6 socket, whose address is then IPv4-mapped)}
     *
     * @throws IllegalStateException when no packet info was read into this view
     */
    public int family() {
        requireValid();
        return family;
    }

    /**
     * {@return {@code ipi_ifindex} or {@code ipi6_ifindex}: the interface the datagram came in on}
     *
     * @throws IllegalStateException when no packet info was read into this view
     */
    public int interfaceIndex() {
        requireValid();
        return ifindex;
    }

    /**
     * Copies {@code ipi_addr} or {@code ipi6_addr}, the destination address in the datagram's header, into
     * {@code into}, without allocating.
     *
     * @param into room for 4 bytes (IPv4) or 16 (IPv6)
     * @return the bytes copied: 4 for {@code IP_PKTINFO}, 16 for {@code IPV6_PKTINFO}
     * @throws IllegalStateException when no packet info was read into this view
     * @throws IllegalArgumentException when {@code into} is shorter than the address
     */
    public int address(byte[] into) {
        requireValid();
        return SockAddrBuffer.copyAddress(address, 0, family == Posix.AF_INET ? 4 : 16, into);
    }

    /**
     * Copies {@code ipi_spec_dst} of an {@code IP_PKTINFO} into {@code into}, without allocating: on Linux the local
     * address the datagram was routed to, which a reply is sent from ({@link Message#replyFrom(PacketInfo)}); it
     * differs from {@link #address(byte[])} for a datagram sent to a broadcast or multicast address. NetBSD's
     * {@code in_pktinfo} has no such field, so there it is {@code ipi_addr}. Read at the offset of the platform's
     * compiled headers.
     *
     * @param into room for 4 bytes
     * @return 4, the bytes copied
     * @throws IllegalStateException when no packet info was read into this view, or it is an {@code IPV6_PKTINFO},
     *     which has no such field
     * @throws IllegalArgumentException when {@code into} is shorter than 4 bytes
     */
    public int specificDestination(byte[] into) {
        requireValid();
        if (family != Posix.AF_INET) {
            throw new IllegalStateException("only IP_PKTINFO carries ipi_spec_dst, not IPV6_PKTINFO");
        }
        return SockAddrBuffer.copyAddress(specificDestination, 0, 4, into);
    }

    /**
     * The local address a reply to this datagram is sent from, as C servers answer: {@code ipi_spec_dst} of an
     * {@code IP_PKTINFO}, {@code ipi6_addr} of an {@code IPV6_PKTINFO}; for {@link Message#replyFrom(PacketInfo)}.
     */
    byte[] replySource() {
        requireValid();
        return family == Posix.AF_INET ? specificDestination : address;
    }

    @Override
    public String toString() {
        if (!valid) {
            return "PacketInfo[none]";
        }
        StringBuilder s = new StringBuilder(family == Posix.AF_INET ? "IP_PKTINFO[ifindex " : "IPV6_PKTINFO[ifindex ")
                .append(ifindex).append(", addr ");
        appendAddress(s, address, family == Posix.AF_INET ? 4 : 16);
        if (family == Posix.AF_INET) {
            s.append(", spec_dst ");
            appendAddress(s, specificDestination, 4);
        }
        return s.append(']').toString();
    }

    private static void appendAddress(StringBuilder s, byte[] a, int n) {
        s.append(InetText.ntop(n == 16, a)); // as C's inet_ntop writes it
    }
}

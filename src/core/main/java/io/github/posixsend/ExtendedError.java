// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One entry of a socket's error queue (Linux): C's {@code struct sock_extended_err}, read from a control message
 * of level {@code IPPROTO_IP} and type {@code IP_RECVERR}, or {@code IPPROTO_IPV6}/{@code IPV6_RECVERR}, that
 * {@link Posix#recvmsg} returned with {@link MsgFlag#MSG_ERRQUEUE}. The socket must have asked for such entries
 * with {@code setsockopt(fd, IPPROTO_IP, IP_RECVERR, 1)} (or {@code IPV6_RECVERR}); while an entry waits,
 * {@code poll} reports {@code POLLERR} on the socket. For an error that came from the network (an ICMP message), the
 * datagram that caused it is the message's data and its original destination the message's
 * {@link Message#source()}, and {@link #offender()} names the host that reported it.
 *
 * <p>The layout comes from the compiled headers ({@code SIZEOF_SOCK_EXTENDED_ERR}, {@code OFFSETOF_EE_*}).
 * NetBSD has no error queue: no control message received there is of kind
 * {@link ControlMessage.Kind#EXTENDED_ERROR}, so {@link ControlMessage#extendedError()} throws
 * {@link IllegalStateException} as for any other kind, and {@link ErrorQueueEntry}'s reads throw
 * {@link UnsupportedOperationException} ("the error queue ... is Linux's"). Each entry read this way is a new
 * object; {@link ErrorQueueEntry} reads the same fields into one reused view without allocating.
 *
 * @param errno the error number ({@code ee_errno}): {@code ECONNREFUSED} for a port unreachable, 0 for a
 *     zero-copy completion, {@code ENOMSG} for a transmit timestamp (Linux marks them so)
 * @param origin where it came from ({@code ee_origin}): {@link Posix#SO_EE_ORIGIN_LOCAL}, {@code _ICMP},
 *     {@code _ICMP6}, {@code _ZEROCOPY}, {@code _TIMESTAMPING}
 * @param type the ICMP type ({@code ee_type}), or 0
 * @param code the ICMP code, or an origin's own code such as {@code SO_EE_CODE_ZEROCOPY_COPIED} ({@code ee_code})
 * @param info {@code ee_info}: the path MTU for {@code EMSGSIZE}, the first id of a zero-copy range, ...
 * @param data {@code ee_data}: the last id of a zero-copy range, the id of a timestamped send, ...
 * @param offender the address of the host that reported the error ({@code SO_EE_OFFENDER}), or null when there
 *     is none (a local error) or too little control space cut it off (the receive's {@code MSG_CTRUNC})
 */
public record ExtendedError(int errno, int origin, int type, int code, int info, int data, SocketAddress offender) {

    /**
     * {@return true for a completion of {@code MSG_ZEROCOPY} sends: ids {@link #info()} to {@link #data()},
     * inclusive}
     */
    public boolean isZerocopyCompletion() {
        return origin == Posix.SO_EE_ORIGIN_ZEROCOPY && origin != Posix.UNSUPPORTED;
    }

    /**
     * For a zero-copy completion: true when the kernel copied the data after all ({@code SO_EE_CODE_ZEROCOPY_COPIED},
     * which is what Linux does on loopback), so zero copy saved nothing for these sends.
     *
     * @return true for a completion whose data was copied; false for one sent without a copy, or another entry
     */
    public boolean zerocopyCopied() {
        return isZerocopyCompletion() && (code & Posix.SO_EE_CODE_ZEROCOPY_COPIED) != 0;
    }

    /**
     * {@return {@code ee_rfc4884.len}, which overlays {@link #data()}: with {@link Posix#IP_RECVERR_RFC4884}, the
     * offset in the returned datagram at which an ICMP error's RFC 4884 extension structure starts, 0 when none}
     *
     * @throws UnsupportedOperationException where the headers posix-send was built against have no such field
     */
    public int rfc4884Length() {
        return ErrorQueueEntry.rfc4884Length(data);
    }

    /**
     * {@return {@code ee_rfc4884.flags}, which overlays {@link #data()}: {@link Posix#SO_EE_RFC4884_FLAG_INVALID}
     * when the extension structure failed the kernel's checks}
     *
     * @throws UnsupportedOperationException where the headers posix-send was built against have no such field
     */
    public int rfc4884Flags() {
        return ErrorQueueEntry.rfc4884Flags(data);
    }

    /** {@return the errno as the {@link Errno} it names, or null for 0 or a number the table lacks} */
    public Errno errnoName() {
        return errno == 0 ? null : Errno.fromNumber(errno);
    }

    /**
     * {@code ExtendedError[errno=ECONNREFUSED(111), origin=ICMP(2), type=3, code=3, info=0, data=0,
     * offender=127.0.0.1:0]}: the fields, the errno and origin also by their C names, the offender as
     * {@link SockAddr#toString()} writes an address.
     */
    @Override
    public String toString() {
        Errno e = errnoName();
        return "ExtendedError[errno=" + (e == null ? Integer.toString(errno) : e.name() + "(" + errno + ")")
                + ", origin=" + originName() + "(" + origin + "), type=" + type + ", code=" + code + ", info=" + info
                + ", data=" + data + ", offender=" + (offender instanceof InetSocketAddress
                        ? SockAddr.text((InetSocketAddress) offender) : String.valueOf(offender)) + "]";
    }

    /** The origin's name without {@code SO_EE_ORIGIN_}: LOCAL, ICMP, ICMP6, ZEROCOPY, TIMESTAMPING, TXTIME, NONE. */
    private String originName() {
        String[] names = {"NONE", "LOCAL", "ICMP", "ICMP6", "ZEROCOPY", "TIMESTAMPING", "TXTIME"};
        int[] values = {Posix.SO_EE_ORIGIN_NONE, Posix.SO_EE_ORIGIN_LOCAL, Posix.SO_EE_ORIGIN_ICMP,
            Posix.SO_EE_ORIGIN_ICMP6, Posix.SO_EE_ORIGIN_ZEROCOPY, Posix.SO_EE_ORIGIN_TIMESTAMPING,
            Posix.SO_EE_ORIGIN_TXTIME};
        for (int i = 0; i < values.length; i++) {
            if (values[i] == origin && origin != Posix.UNSUPPORTED) {
                return names[i];
            }
        }
        return "?";
    }

    /**
     * Reads an entry from the payload of an {@code IP_RECVERR} or {@code IPV6_RECVERR} control message.
     *
     * @throws IllegalArgumentException when the payload is shorter than the structure
     * @throws UnsupportedOperationException where the platform has no error queue
     */
    static ExtendedError parse(byte[] payload) {
        ErrorQueueEntry e = new ErrorQueueEntry();
        e.load(ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()), 0, payload.length);
        return e.toExtendedError();
    }
}

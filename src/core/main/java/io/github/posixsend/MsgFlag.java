// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static io.github.posixsend.internal.ConstantTable.UNSUPPORTED;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.StringJoiner;

/**
 * Every {@code MSG_*} flag of Linux and of NetBSD, under its C name, with its value on each system.
 *
 * <p>The values differ between the systems (only {@code MSG_OOB}, {@code MSG_PEEK} and {@code MSG_DONTROUTE}
 * agree), so flags are always translated through this table, never passed on by number. On the running system
 * {@link #value()} is the number its compiled headers define; a flag the system lacks is
 * {@linkplain #isSupported() unsupported}, and asking for its value throws instead of guessing one.
 *
 * <pre>{@code
 * static final int MORE = MsgFlag.mask(MsgFlag.MSG_MORE, MsgFlag.MSG_NOSIGNAL);
 * Posix.send(fd, header, MORE);
 * }</pre>
 */
public enum MsgFlag {
    /**
     * Out-of-band data: on a TCP socket (and a Linux {@code AF_UNIX} stream socket) a send marks the last byte of its
     * buffer urgent, and a receive reads that one byte ({@code EINVAL} when none is pending, or when
     * {@code SO_OOBINLINE} leaves it in the stream, where {@code SIOCATMARK} finds it); a send with it on other
     * sockets fails with {@code EOPNOTSUPP} (a UDP receive ignores it).
     */
    MSG_OOB(1, 1, true),
    /** Receive: return the data without removing it from the queue. */
    MSG_PEEK(2, 2, false),
    /** Send: bypass routing, to a host on a directly connected network only. */
    MSG_DONTROUTE(4, 4, true),
    /** Received: control data was cut short for lack of control space. */
    MSG_CTRUNC(8, 0x20, false),
    /** Linux only: an old flag the headers keep for compatibility; not for application sends. */
    MSG_PROXY(0x10, UNSUPPORTED, true),
    /**
     * Receive on a datagram socket: return the datagram's real length even when it did not fit; received: the
     * datagram was cut short. On a Linux TCP socket a receive with it discards the bytes it counts instead of copying
     * them (the buffer's position still moves over them, as C's count does).
     */
    MSG_TRUNC(0x20, 0x10, false),
    /** Only this call is non-blocking: it fails with {@code EAGAIN} instead of waiting. */
    MSG_DONTWAIT(0x40, 0x80, true),
    /**
     * End of record, on sockets that keep records ({@code SOCK_SEQPACKET}). Linux's {@code AF_UNIX} sockets accept it
     * and do nothing with it: every send there is a record of its own, and no receive reports the flag.
     */
    MSG_EOR(0x80, 8, true),
    /** Receive: wait until the whole request is filled (or an error, a signal or the end of the stream). */
    MSG_WAITALL(0x100, 0x40, false),
    /** NetBSD only, received: the datagram came as a link-layer broadcast. */
    MSG_BCAST(UNSUPPORTED, 0x100, false),
    /** NetBSD only, received: the datagram came as a link-layer multicast. */
    MSG_MCAST(UNSUPPORTED, 0x200, false),
    /** Linux only: defined by the headers for the kernel's own TCP use; not for application sends. */
    MSG_FIN(0x200, UNSUPPORTED, true),
    /** Linux only: defined by the headers for the kernel's own TCP use; not for application sends. */
    MSG_SYN(0x400, UNSUPPORTED, true),
    /**
     * Linux only, send: tell the link layer the neighbour answered, so it need not probe it again (datagram and raw
     * sockets).
     */
    MSG_CONFIRM(0x800, UNSUPPORTED, true),
    /** Linux only: defined by the headers for the kernel's own TCP use; not for application sends. */
    MSG_RST(0x1000, UNSUPPORTED, true),
    /** Linux only, receive: read a queued error (and its control message) from the socket's error queue. */
    MSG_ERRQUEUE(0x2000, UNSUPPORTED, false),
    /** Send: no {@code SIGPIPE} when the peer has gone; the call still fails with {@code EPIPE}. */
    MSG_NOSIGNAL(0x4000, 0x400, true),
    /** NetBSD only, received: an SCTP notification, not data. */
    MSG_NOTIFICATION(UNSUPPORTED, 0x4000, false),
    /**
     * Linux only, send: more data follows; TCP holds the bytes back as {@code TCP_CORK} does, UDP joins the sends into
     * one datagram. What ends the hold: on TCP, the next send without it that carries data, clearing
     * {@code TCP_CORK}, or about 200 ms (a send of zero bytes does not push them out); on UDP, the next send without
     * it, a zero-byte one included, which sends the joined datagram.
     */
    MSG_MORE(0x8000, UNSUPPORTED, true),
    /** recvmmsg: once one message has arrived, do not wait for more. */
    MSG_WAITFORONE(0x10000, 0x2000, false),
    /** Linux only, send: more messages follow at once; a hint the kernel uses inside {@code sendmmsg}. */
    MSG_BATCH(0x40000, UNSUPPORTED, true),
    /**
     * Linux only, send: the kernel sends from the buffer itself, not a copy, and reports completion on the error queue;
     * needs {@code SO_ZEROCOPY}. Until that completion the buffer is the kernel's, as in C: keep it reachable and
     * untouched (a dropped direct buffer is freed by the collector while the kernel may still send from it).
     * {@link ZerocopySends} keeps each buffer until its completion; heap memory and a shared or confined arena's
     * are refused (an automatic or global arena's lasts while its buffer is reachable).
     */
    MSG_ZEROCOPY(0x4000000, UNSUPPORTED, true),
    /**
     * Linux only, send: TCP Fast Open, {@code sendto} of an unconnected TCP socket connects it and sends the data in
     * the SYN once the client has the server's cookie (net.ipv4.tcp_fastopen with 0x1 set; the server needs 0x2 and
     * {@link Posix#TCP_FASTOPEN} on its listener). The first connection to a server gets the cookie: its data goes
     * after the handshake (blocking), or not at all ({@code EINPROGRESS}, to be sent again once connected, on a
     * non-blocking socket); {@link TcpInfo#options()} has {@link Posix#TCPI_OPT_SYN_DATA} when the SYN's data was
     * taken. {@link Posix#TCP_FASTOPEN_CONNECT} does the same through {@code connect} and a first send.
     */
    MSG_FASTOPEN(0x20000000, UNSUPPORTED, true),
    /** Receive: descriptors received with {@code SCM_RIGHTS} are opened close-on-exec. */
    MSG_CMSG_CLOEXEC(0x40000000, 0x800, false),
    /** NetBSD only: non-blocking for this call, the kernel's own counterpart of {@code MSG_DONTWAIT}. */
    MSG_NBIO(UNSUPPORTED, 0x1000, true);
    private final int linux;
    private final int netbsd;
    private final boolean sendSide;

    MsgFlag(int linux, int netbsd, boolean sendSide) {
        this.linux = linux;
        this.netbsd = netbsd;
        this.sendSide = sendSide;
    }

    /** The values on the running platform, read once from the backend; {@code UNSUPPORTED} where it lacks the flag. */
    private static final class Running {
        static final int[] VALUES = new int[values().length];

        static {
            for (MsgFlag f : values()) {
                VALUES[f.ordinal()] = Platform.value(f.name());
            }
        }
    }

    /** {@return true when the running platform defines this flag} */
    public boolean isSupported() {
        return Running.VALUES[ordinal()] != Platform.UNSUPPORTED;
    }

    /**
     * The flag's value on the running platform.
     *
     * @return the flag's bit (or bits) on the running platform
     * @throws UnsupportedOperationException when the platform has no such flag
     */
    public int value() {
        int v = Running.VALUES[ordinal()];
        if (v == Platform.UNSUPPORTED) {
            Backends.requireAvailable();
            throw new UnsupportedOperationException(name() + " is not supported on " + Platform.os());
        }
        return v;
    }

    /**
     * The flag's value on {@code os} according to posix-send's tables; needs no backend.
     *
     * @param os the system to ask about
     * @return the value, or empty where {@code os} lacks the flag
     * @throws NullPointerException when {@code os} is null
     */
    public OptionalInt valueOn(Os os) {
        int v = Objects.requireNonNull(os, "os") == Os.LINUX ? linux : netbsd;
        return v == UNSUPPORTED ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /** {@return true for flags that mean something to the send calls; false for those only the receive side uses} */
    public boolean isSendFlag() {
        return sendSide;
    }

    /**
     * The bitwise OR of the flags' values on the running platform. Each call makes its varargs array, which the JIT
     * removes only where it inlines this method: in a loop that must not allocate, compute the mask once into a
     * constant, or OR the flags' {@link #value()}s ({@code MSG_WAITALL.value() | MSG_DONTWAIT.value()} makes nothing).
     *
     * @param flags the flags; none gives 0
     * @return the mask to pass as a call's {@code flags}
     * @throws UnsupportedOperationException when any of them is not supported here
     * @throws NullPointerException when the array or a flag is null
     */
    public static int mask(MsgFlag... flags) {
        int m = 0;
        for (MsgFlag f : Objects.requireNonNull(flags, "flags")) {
            m |= Objects.requireNonNull(f, "flag").value();
        }
        return m;
    }

    /**
     * As {@link #mask(MsgFlag...)} for a collection.
     *
     * @param flags the flags; an empty collection gives 0
     * @return the mask to pass as a call's {@code flags}
     * @throws UnsupportedOperationException when any of them is not supported here
     * @throws NullPointerException when the collection or a flag is null
     */
    public static int mask(Collection<MsgFlag> flags) {
        int m = 0;
        for (MsgFlag f : Objects.requireNonNull(flags, "flags")) {
            m |= Objects.requireNonNull(f, "flag").value();
        }
        return m;
    }

    /**
     * The supported flags whose bits are all set in {@code mask} on the running platform. Bits that no flag
     * accounts for are ignored here; {@link #toString(int)} shows them.
     *
     * @param mask a flags value of the running platform, such as {@link Message#receivedFlags()}
     * @return a new set of the flags found
     */
    public static EnumSet<MsgFlag> decode(int mask) {
        EnumSet<MsgFlag> out = EnumSet.noneOf(MsgFlag.class);
        for (MsgFlag f : values()) {
            int v = Running.VALUES[f.ordinal()];
            if (v != Platform.UNSUPPORTED && v != 0 && (mask & v) == v) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The mask as C would write it, for example {@code MSG_DONTWAIT|MSG_NOSIGNAL|0x100000}.
     *
     * @param mask a flags value of the running platform
     * @return the names of its flags joined by {@code |}, then any bits left over in hex; {@code 0} for none
     */
    public static String toString(int mask) {
        StringJoiner j = new StringJoiner("|");
        int left = mask;
        for (MsgFlag f : decode(mask)) {
            j.add(f.name());
            left &= ~f.value();
        }
        if (left != 0) {
            j.add("0x" + Integer.toHexString(left));
        }
        return j.length() == 0 ? "0" : j.toString();
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A snapshot of Linux's {@code struct tcp_info} ({@code getsockopt(fd, IPPROTO_TCP, TCP_INFO)}), with the fields
 * people measure a connection by. Read with {@link Posix#getsockoptTcpInfo(int)}; the field offsets come from the
 * compiled kernel header. Times are in microseconds, windows in segments, as the kernel gives them.
 *
 * <p>A field the running kernel does not fill (it returned a shorter structure) reads as -1: the older kernels
 * lack {@link #notsentBytes()} (before 4.6), {@link #minRtt()} (4.6), {@link #deliveryRate()} (4.9),
 * {@link #bytesRetrans()}, {@link #dsackDups()} and {@link #reordSeen()} (4.19), and {@link #rcvOoopack()} (5.4).
 */
public final class TcpInfo {
    private static final String[] LINUX_STATES = {
        "0", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT",
        "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
    };

    private final int length;
    private final int state;
    private final int caState;
    private final int retransmits;
    private final int probes;
    private final int backoff;
    private final long rto;
    private final long sndMss;
    private final long rcvMss;
    private final long unacked;
    private final long lost;
    private final long retrans;
    private final long pmtu;
    private final long rtt;
    private final long rttvar;
    private final long sndSsthresh;
    private final long sndCwnd;
    private final long reordering;
    private final long totalRetrans;
    private final long bytesAcked;
    private final long notsentBytes;
    private final long minRtt;
    private final long deliveryRate;
    private final long bytesRetrans;
    private final long dsackDups;
    private final long reordSeen;
    private final long rcvOoopack;

    /** The field of the layout that ends last, a {@code __u32}. */
    private static final String LAST_FIELD = "OFFSETOF_TCPI_rcv_ooopack";

    /** The bytes the typed read offers the kernel: up to the end of the last field it reads. */
    static int size() {
        return Platform.value(LAST_FIELD) + 4;
    }

    /** True when the platform's layout is known (Linux). */
    static boolean isAvailable() {
        return Platform.value(LAST_FIELD) != Platform.UNSUPPORTED;
    }

    /** Reads the first {@code length} bytes of a {@code struct tcp_info} the kernel wrote. */
    TcpInfo(byte[] raw, int length) {
        ByteBuffer b = ByteBuffer.wrap(raw, 0, length).order(ByteOrder.nativeOrder());
        this.length = length;
        state = u8(b, "state");
        caState = u8(b, "ca_state");
        retransmits = u8(b, "retransmits");
        probes = u8(b, "probes");
        backoff = u8(b, "backoff");
        rto = u32(b, "rto");
        sndMss = u32(b, "snd_mss");
        rcvMss = u32(b, "rcv_mss");
        unacked = u32(b, "unacked");
        lost = u32(b, "lost");
        retrans = u32(b, "retrans");
        pmtu = u32(b, "pmtu");
        rtt = u32(b, "rtt");
        rttvar = u32(b, "rttvar");
        sndSsthresh = u32(b, "snd_ssthresh");
        sndCwnd = u32(b, "snd_cwnd");
        reordering = u32(b, "reordering");
        totalRetrans = u32(b, "total_retrans");
        bytesAcked = u64(b, "bytes_acked");
        notsentBytes = u32(b, "notsent_bytes");
        minRtt = u32(b, "min_rtt");
        deliveryRate = u64(b, "delivery_rate");
        bytesRetrans = u64(b, "bytes_retrans");
        dsackDups = u32(b, "dsack_dups");
        reordSeen = u32(b, "reord_seen");
        rcvOoopack = u32(b, "rcv_ooopack");
    }

    private int offset(String field, int size) {
        int off = Platform.value("OFFSETOF_TCPI_" + field);
        return off == Platform.UNSUPPORTED || off + size > length ? -1 : off;
    }

    private int u8(ByteBuffer b, String field) {
        int off = offset(field, 1);
        return off < 0 ? -1 : b.get(off) & 0xff;
    }

    private long u32(ByteBuffer b, String field) {
        int off = offset(field, 4);
        return off < 0 ? -1 : Integer.toUnsignedLong(b.getInt(off));
    }

    private long u64(ByteBuffer b, String field) {
        int off = offset(field, 8);
        return off < 0 ? -1 : b.getLong(off);
    }

    /** {@return how many bytes of the structure the kernel returned} */
    public int length() {
        return length;
    }

    /** {@return {@code tcpi_state}: the connection's state, {@link Posix#TCP_ESTABLISHED} once established} */
    public int state() {
        return state;
    }

    /**
     * {@return the C name of {@link #state()} without its {@code TCP_} prefix ({@code ESTABLISHED}, {@code CLOSE_WAIT},
     * ...)}
     */
    public String stateName() {
        return state >= 0 && state < LINUX_STATES.length ? LINUX_STATES[state] : Integer.toString(state);
    }

    /** {@return true when {@link #state()} is {@link Posix#TCP_ESTABLISHED}} */
    public boolean isEstablished() {
        return state == Posix.TCP_ESTABLISHED;
    }

    /**
     * {@return {@code tcpi_ca_state}: the congestion-avoidance state (0 open, 1 disorder, 2 CWR, 3 recovery, 4 loss)}
     */
    public int caState() {
        return caState;
    }

    /** {@return {@code tcpi_retransmits}: retransmissions of the current unacknowledged segment (timeouts in a row)} */
    public int retransmits() {
        return retransmits;
    }

    /** {@return {@code tcpi_probes}: unanswered zero-window or keep-alive probes} */
    public int probes() {
        return probes;
    }

    /** {@return {@code tcpi_backoff}: the exponential backoff of the retransmission timer} */
    public int backoff() {
        return backoff;
    }

    /** {@return {@code tcpi_rto}: the retransmission timeout, in microseconds} */
    public long rto() {
        return rto;
    }

    /** {@return {@code tcpi_snd_mss}: the sending maximum segment size, in bytes} */
    public long sndMss() {
        return sndMss;
    }

    /** {@return {@code tcpi_rcv_mss}: the receiving side's estimate of the peer's segment size, in bytes} */
    public long rcvMss() {
        return rcvMss;
    }

    /** {@return {@code tcpi_unacked}: segments sent and not yet acknowledged} */
    public long unacked() {
        return unacked;
    }

    /** {@return {@code tcpi_lost}: segments presumed lost} */
    public long lost() {
        return lost;
    }

    /** {@return {@code tcpi_retrans}: segments being retransmitted now} */
    public long retrans() {
        return retrans;
    }

    /** {@return {@code tcpi_pmtu}: the path MTU, in bytes} */
    public long pmtu() {
        return pmtu;
    }

    /** {@return {@code tcpi_rtt}: the smoothed round-trip time, in microseconds} */
    public long rtt() {
        return rtt;
    }

    /** {@return {@code tcpi_rttvar}: the round-trip time's variation, in microseconds} */
    public long rttvar() {
        return rttvar;
    }

    /** {@return {@code tcpi_snd_ssthresh}: the slow-start threshold, in segments} */
    public long sndSsthresh() {
        return sndSsthresh;
    }

    /** {@return {@code tcpi_snd_cwnd}: the congestion window, in segments} */
    public long sndCwnd() {
        return sndCwnd;
    }

    /** {@return {@code tcpi_total_retrans}: every retransmission of the connection's life} */
    public long totalRetrans() {
        return totalRetrans;
    }

    /** {@return {@code tcpi_bytes_acked}: bytes the peer has acknowledged; -1 when the kernel does not say} */
    public long bytesAcked() {
        return bytesAcked;
    }

    /** {@return {@code tcpi_notsent_bytes}: bytes queued and not yet sent; -1 when the kernel does not say} */
    public long notsentBytes() {
        return notsentBytes;
    }

    /**
     * {@return {@code tcpi_min_rtt}: the least round-trip time seen, in microseconds; -1 when the kernel does not say}
     */
    public long minRtt() {
        return minRtt;
    }

    /**
     * {@return {@code tcpi_delivery_rate}: the latest delivery rate, in bytes per second; -1 when the kernel does not
     * say}
     */
    public long deliveryRate() {
        return deliveryRate;
    }

    /**
     * {@return {@code tcpi_reordering}: how far out of order, in segments, the sender believes the path may deliver
     * before it counts a segment lost (the sysctl {@code tcp_reordering}, 3 by default, until it sees more)}
     */
    public long reordering() {
        return reordering;
    }

    /**
     * {@return {@code tcpi_bytes_retrans}: bytes retransmitted over the connection's life; -1 when the kernel does not
     * say}
     */
    public long bytesRetrans() {
        return bytesRetrans;
    }

    /**
     * {@return {@code tcpi_dsack_dups}: segments the peer reported receiving twice (D-SACK), that is retransmissions
     * that were not needed; -1 when the kernel does not say}
     */
    public long dsackDups() {
        return dsackDups;
    }

    /** {@return {@code tcpi_reord_seen}: times the sender detected reordering; -1 when the kernel does not say} */
    public long reordSeen() {
        return reordSeen;
    }

    /**
     * {@return {@code tcpi_rcv_ooopack}: segments this end received out of order; -1 when the kernel does not say}
     */
    public long rcvOoopack() {
        return rcvOoopack;
    }

    @Override
    public String toString() {
        return "TcpInfo[state=" + stateName() + ", rtt=" + rtt + "us, rttvar=" + rttvar + "us, snd_cwnd=" + sndCwnd
                + ", unacked=" + unacked + ", retransmits=" + retransmits + ", total_retrans=" + totalRetrans
                + ", notsent_bytes=" + notsentBytes + ", delivery_rate=" + deliveryRate + "B/s, reord_seen=" + reordSeen
                + ", dsack_dups=" + dsackDups + ", rcv_ooopack=" + rcvOoopack + "]";
    }
}

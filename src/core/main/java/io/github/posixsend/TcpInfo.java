// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A snapshot of Linux's {@code struct tcp_info} ({@code getsockopt(fd, IPPROTO_TCP, TCP_INFO)}), with the fields
 * people measure a connection by. Read with {@link Posix#getsockoptTcpInfo(int)}; the field offsets come from the
 * compiled kernel header. As the kernel gives them: round-trip times and timeouts in microseconds, the times since the
 * last data or acknowledgement in milliseconds, the congestion window and slow-start threshold in segments, the other
 * windows and sizes in bytes.
 *
 * <p>A field the running kernel does not fill (it returned a shorter structure) reads as -1: the older kernels
 * lack {@link #pacingRate()} and {@link #maxPacingRate()} (before 3.15), {@link #bytesReceived()} (4.1),
 * {@link #segsOut()} and {@link #segsIn()} (4.2), {@link #notsentBytes()}, {@link #minRtt()}, {@link #dataSegsIn()}
 * and {@link #dataSegsOut()} (4.6), {@link #deliveryRate()} (4.9), {@link #busyTime()}, {@link #rwndLimited()} and
 * {@link #sndbufLimited()} (4.10), {@link #delivered()} and {@link #deliveredCe()} (4.18), {@link #bytesSent()},
 * {@link #bytesRetrans()}, {@link #dsackDups()} and {@link #reordSeen()} (4.19), and {@link #rcvOoopack()} and
 * {@link #sndWnd()} (5.4). The bit fields ({@link #sndWscale()}, {@link #rcvWscale()},
 * {@link #deliveryRateAppLimited()}, {@link #fastopenClientFail()}) are read where the compiler put them, which the
 * shim finds at load time (offsetof cannot say); the Java backends use gcc's little-endian places and report -1 on
 * a big-endian machine. {@code tcpi_last_ack_sent}, which Linux never fills, and {@code tcpi_fackets}, 0 since Linux
 * 4.18, are not read.
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
    private final int options;
    private final long ato;
    private final long sacked;
    private final long lastDataSent;
    private final long lastDataRecv;
    private final long lastAckRecv;
    private final long rcvSsthresh;
    private final long advmss;
    private final long rcvRtt;
    private final long rcvSpace;
    private final long pacingRate;
    private final long maxPacingRate;
    private final long bytesReceived;
    private final long segsOut;
    private final long segsIn;
    private final long dataSegsIn;
    private final long dataSegsOut;
    private final long busyTime;
    private final long rwndLimited;
    private final long sndbufLimited;
    private final long delivered;
    private final long deliveredCe;
    private final long bytesSent;
    private final long sndWnd;
    private final int sndWscale;
    private final int rcvWscale;
    private final int deliveryRateAppLimited;
    private final int fastopenClientFail;

    /** The field of the layout that ends last, a {@code __u32}. */
    private static final String LAST_FIELD = "OFFSETOF_TCPI_snd_wnd";

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
        options = u8(b, "options");
        ato = u32(b, "ato");
        sacked = u32(b, "sacked");
        lastDataSent = u32(b, "last_data_sent");
        lastDataRecv = u32(b, "last_data_recv");
        lastAckRecv = u32(b, "last_ack_recv");
        rcvSsthresh = u32(b, "rcv_ssthresh");
        advmss = u32(b, "advmss");
        rcvRtt = u32(b, "rcv_rtt");
        rcvSpace = u32(b, "rcv_space");
        pacingRate = u64(b, "pacing_rate");
        maxPacingRate = u64(b, "max_pacing_rate");
        bytesReceived = u64(b, "bytes_received");
        segsOut = u32(b, "segs_out");
        segsIn = u32(b, "segs_in");
        dataSegsIn = u32(b, "data_segs_in");
        dataSegsOut = u32(b, "data_segs_out");
        busyTime = u64(b, "busy_time");
        rwndLimited = u64(b, "rwnd_limited");
        sndbufLimited = u64(b, "sndbuf_limited");
        delivered = u32(b, "delivered");
        deliveredCe = u32(b, "delivered_ce");
        bytesSent = u64(b, "bytes_sent");
        sndWnd = u32(b, "snd_wnd");
        sndWscale = bits(b, "snd_wscale");
        rcvWscale = bits(b, "rcv_wscale");
        deliveryRateAppLimited = bits(b, "delivery_rate_app_limited");
        fastopenClientFail = bits(b, "fastopen_client_fail");
    }

    /**
     * A bit field where the compiler put it (from the compiled header at load time, or gcc's little-endian places
     * in the Java backends' table): -1 where that place is unknown, past what the kernel wrote, or on a big-endian
     * machine, where the table's places would be wrong.
     */
    private int bits(ByteBuffer b, String field) {
        int pos = Platform.value("BITPOS_TCPI_" + field);
        int width = Platform.value("BITS_TCPI_" + field);
        if (pos < 0 || width <= 0 || width > 8 || (pos + width + 7) / 8 > length
                || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < width; i++) {
            int bit = pos + i;
            v |= ((b.get(bit / 8) >> (bit % 8)) & 1) << i;
        }
        return v;
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

    /**
     * {@return {@code tcpi_snd_wscale}: the window scale the peer announced, which scales the windows it sends (0 to
     * 14; 0 without window scaling), -1 where unknown}
     */
    public int sndWscale() {
        return sndWscale;
    }

    /** {@return {@code tcpi_rcv_wscale}: the window scale this end announced (0 to 14), -1 where unknown} */
    public int rcvWscale() {
        return rcvWscale;
    }

    /**
     * {@return {@code tcpi_delivery_rate_app_limited}: 1 when {@link #deliveryRate()} was measured while the sender
     * had too little data to fill the path (so the rate understates it), 0 otherwise, -1 where unknown}
     */
    public int deliveryRateAppLimited() {
        return deliveryRateAppLimited;
    }

    /**
     * {@return {@code tcpi_fastopen_client_fail} (Linux 5.5+): why a Fast Open client's SYN carried no data, 0 when
     * it did or was not asked to, 1 no cookie yet, 2 the SYN's data was not acknowledged, 3 the SYN-ACK was lost;
     * -1 where unknown}
     */
    public int fastopenClientFail() {
        return fastopenClientFail;
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

    /**
     * {@return {@code tcpi_unacked}: segments sent and not yet acknowledged; on a listening socket, the connections
     * waiting to be accepted}
     */
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

    /**
     * {@return {@code tcpi_options}: the options the handshake agreed, {@code TCPI_OPT_*} bits ({@link
     * Posix#TCPI_OPT_TIMESTAMPS} 1, {@link Posix#TCPI_OPT_SACK} 2, {@link Posix#TCPI_OPT_WSCALE} 4,
     * {@link Posix#TCPI_OPT_ECN} 8, {@link Posix#TCPI_OPT_ECN_SEEN} 16, {@link Posix#TCPI_OPT_SYN_DATA} 32; newer
     * kernels than the headers posix-send names them from also set 64, {@code TCPI_OPT_USEC_TS}, microsecond
     * timestamps, and 128, {@code TCPI_OPT_TFO_CHILD}, a connection a Fast Open listener accepted with data in its
     * SYN)}
     */
    public int options() {
        return options;
    }

    /** {@return {@code tcpi_ato}: the delayed-acknowledgement timeout, in microseconds} */
    public long ato() {
        return ato;
    }

    /**
     * {@return {@code tcpi_sacked}: segments the peer acknowledged selectively (SACK); on a listening socket, its
     * backlog}
     */
    public long sacked() {
        return sacked;
    }

    /** {@return {@code tcpi_last_data_sent}: milliseconds since data was last sent} */
    public long lastDataSent() {
        return lastDataSent;
    }

    /** {@return {@code tcpi_last_data_recv}: milliseconds since data was last received} */
    public long lastDataRecv() {
        return lastDataRecv;
    }

    /** {@return {@code tcpi_last_ack_recv}: milliseconds since an acknowledgement was last received} */
    public long lastAckRecv() {
        return lastAckRecv;
    }

    /** {@return {@code tcpi_rcv_ssthresh}: the receive window's current clamp while it grows, in bytes} */
    public long rcvSsthresh() {
        return rcvSsthresh;
    }

    /** {@return {@code tcpi_advmss}: the segment size this end advertised, in bytes} */
    public long advmss() {
        return advmss;
    }

    /**
     * {@return {@code tcpi_rcv_rtt}: the receiver's estimate of the round-trip time, in microseconds (0 before it has
     * one)}
     */
    public long rcvRtt() {
        return rcvRtt;
    }

    /** {@return {@code tcpi_rcv_space}: the receive buffer space the receiver auto-tunes towards, in bytes} */
    public long rcvSpace() {
        return rcvSpace;
    }

    /**
     * {@return {@code tcpi_pacing_rate}: the pacing rate, in bytes per second; C's {@code ~0}, no limit, reads as -1,
     * as a kernel without the field does (before 3.15)}
     */
    public long pacingRate() {
        return pacingRate;
    }

    /**
     * {@return {@code tcpi_max_pacing_rate}: the most {@code SO_MAX_PACING_RATE} allows, in bytes per second; C's
     * {@code ~0}, no limit, reads as -1, as a kernel without the field does (before 3.15)}
     */
    public long maxPacingRate() {
        return maxPacingRate;
    }

    /**
     * {@return {@code tcpi_bytes_received}: bytes received and acknowledged by this end; -1 when the kernel does not
     * say}
     */
    public long bytesReceived() {
        return bytesReceived;
    }

    /**
     * {@return {@code tcpi_segs_out}: segments sent, retransmissions and pure acknowledgements included; -1 when the
     * kernel does not say}
     */
    public long segsOut() {
        return segsOut;
    }

    /**
     * {@return {@code tcpi_segs_in}: segments received, pure acknowledgements included; -1 when the kernel does not
     * say}
     */
    public long segsIn() {
        return segsIn;
    }

    /** {@return {@code tcpi_data_segs_in}: segments received that carried data; -1 when the kernel does not say} */
    public long dataSegsIn() {
        return dataSegsIn;
    }

    /** {@return {@code tcpi_data_segs_out}: segments sent that carried data; -1 when the kernel does not say} */
    public long dataSegsOut() {
        return dataSegsOut;
    }

    /** {@return {@code tcpi_busy_time}: microseconds this end had data to send; -1 when the kernel does not say} */
    public long busyTime() {
        return busyTime;
    }

    /**
     * {@return {@code tcpi_rwnd_limited}: microseconds of {@link #busyTime()} the peer's receive window held sending
     * back; -1 when the kernel does not say}
     */
    public long rwndLimited() {
        return rwndLimited;
    }

    /**
     * {@return {@code tcpi_sndbuf_limited}: microseconds of {@link #busyTime()} the send buffer held sending back; -1
     * when the kernel does not say}
     */
    public long sndbufLimited() {
        return sndbufLimited;
    }

    /**
     * {@return {@code tcpi_delivered}: segments delivered to the peer, retransmissions counted once; -1 when the kernel
     * does not say}
     */
    public long delivered() {
        return delivered;
    }

    /**
     * {@return {@code tcpi_delivered_ce}: of {@link #delivered()}, those the peer reported marked with ECN congestion;
     * -1 when the kernel does not say}
     */
    public long deliveredCe() {
        return deliveredCe;
    }

    /** {@return {@code tcpi_bytes_sent}: bytes sent, retransmissions included; -1 when the kernel does not say} */
    public long bytesSent() {
        return bytesSent;
    }

    /**
     * {@return {@code tcpi_snd_wnd}: the peer's advertised receive window, scaled, in bytes; -1 when the kernel does
     * not say}
     */
    public long sndWnd() {
        return sndWnd;
    }

    @Override
    public String toString() {
        return "TcpInfo[state=" + stateName() + ", rtt=" + rtt + "us, rttvar=" + rttvar + "us, snd_cwnd=" + sndCwnd
                + ", unacked=" + unacked + ", retransmits=" + retransmits + ", total_retrans=" + totalRetrans
                + ", notsent_bytes=" + notsentBytes + ", delivery_rate=" + deliveryRate + "B/s, reord_seen=" + reordSeen
                + ", dsack_dups=" + dsackDups + ", rcv_ooopack=" + rcvOoopack + ", bytes_sent=" + bytesSent
                + ", bytes_received=" + bytesReceived + ", segs_out=" + segsOut + ", segs_in=" + segsIn + ", snd_wnd="
                + sndWnd + ", wscale=" + sndWscale + "/" + rcvWscale + "]";
    }
}

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
 * windows and sizes in bytes. One made with {@link #TcpInfo()} is read into again and again
 * ({@link #tryRead(int)}), allocating nothing, and is not safe for use by several threads at once; one
 * {@link Posix#getsockoptTcpInfo(int)} made is read once and never changes, but its fields are not final: hand it
 * to another thread as any mutable object is handed (a final or volatile field, a lock, a concurrent collection),
 * not through a data race.
 *
 * <p>A field the running kernel does not fill (it returned a shorter structure) reads as -1: the older kernels
 * lack {@link #pacingRate()} and {@link #maxPacingRate()} (before 3.15), {@link #bytesReceived()} (4.1),
 * {@link #segsOut()} and {@link #segsIn()} (4.2), {@link #notsentBytes()}, {@link #minRtt()}, {@link #dataSegsIn()}
 * and {@link #dataSegsOut()} (4.6), {@link #deliveryRate()} (4.9), {@link #busyTime()}, {@link #rwndLimited()} and
 * {@link #sndbufLimited()} (4.10), {@link #delivered()} and {@link #deliveredCe()} (4.18), {@link #bytesSent()},
 * {@link #bytesRetrans()}, {@link #dsackDups()} and {@link #reordSeen()} (4.19), and {@link #rcvOoopack()} and
 * {@link #sndWnd()} (5.4). The bit fields ({@link #sndWscale()}, {@link #rcvWscale()},
 * {@link #deliveryRateAppLimited()}, {@link #fastopenClientFail()}) are read where the compiler put them, which the
 * shim finds at load time (offsetof cannot say); the Java backends use gcc's little-endian places. Every backend
 * reports them as -1 on a big-endian machine, where a field's bits run the other way across bytes (posix-send is
 * built for none). {@code tcpi_last_ack_sent}, which Linux never fills, and {@code tcpi_fackets}, 0 since Linux
 * 4.18, are not read.
 */
public final class TcpInfo {
    private static final String[] LINUX_STATES = {
        "0", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT",
        "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
    };

    /** The room a reused snapshot reads into, and its native-order view; null for one read once. */
    private final byte[] raw;
    private final ByteBuffer view;
    private int length;
    private int state;
    private int caState;
    private int retransmits;
    private int probes;
    private int backoff;
    private long rto;
    private long sndMss;
    private long rcvMss;
    private long unacked;
    private long lost;
    private long retrans;
    private long pmtu;
    private long rtt;
    private long rttvar;
    private long sndSsthresh;
    private long sndCwnd;
    private long reordering;
    private long totalRetrans;
    private long bytesAcked;
    private long notsentBytes;
    private long minRtt;
    private long deliveryRate;
    private long bytesRetrans;
    private long dsackDups;
    private long reordSeen;
    private long rcvOoopack;
    private int options;
    private long ato;
    private long sacked;
    private long lastDataSent;
    private long lastDataRecv;
    private long lastAckRecv;
    private long rcvSsthresh;
    private long advmss;
    private long rcvRtt;
    private long rcvSpace;
    private long pacingRate;
    private long maxPacingRate;
    private long bytesReceived;
    private long segsOut;
    private long segsIn;
    private long dataSegsIn;
    private long dataSegsOut;
    private long busyTime;
    private long rwndLimited;
    private long sndbufLimited;
    private long delivered;
    private long deliveredCe;
    private long bytesSent;
    private long sndWnd;
    private int sndWscale;
    private int rcvWscale;
    private int deliveryRateAppLimited;
    private int fastopenClientFail;

    /** Where the Java backends' table places the bit fields holds only on a little-endian machine. */
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final int O_STATE = Platform.value("OFFSETOF_TCPI_state");
    private static final int O_CA_STATE = Platform.value("OFFSETOF_TCPI_ca_state");
    private static final int O_RETRANSMITS = Platform.value("OFFSETOF_TCPI_retransmits");
    private static final int O_PROBES = Platform.value("OFFSETOF_TCPI_probes");
    private static final int O_BACKOFF = Platform.value("OFFSETOF_TCPI_backoff");
    private static final int O_RTO = Platform.value("OFFSETOF_TCPI_rto");
    private static final int O_SND_MSS = Platform.value("OFFSETOF_TCPI_snd_mss");
    private static final int O_RCV_MSS = Platform.value("OFFSETOF_TCPI_rcv_mss");
    private static final int O_UNACKED = Platform.value("OFFSETOF_TCPI_unacked");
    private static final int O_LOST = Platform.value("OFFSETOF_TCPI_lost");
    private static final int O_RETRANS = Platform.value("OFFSETOF_TCPI_retrans");
    private static final int O_PMTU = Platform.value("OFFSETOF_TCPI_pmtu");
    private static final int O_RTT = Platform.value("OFFSETOF_TCPI_rtt");
    private static final int O_RTTVAR = Platform.value("OFFSETOF_TCPI_rttvar");
    private static final int O_SND_SSTHRESH = Platform.value("OFFSETOF_TCPI_snd_ssthresh");
    private static final int O_SND_CWND = Platform.value("OFFSETOF_TCPI_snd_cwnd");
    private static final int O_REORDERING = Platform.value("OFFSETOF_TCPI_reordering");
    private static final int O_TOTAL_RETRANS = Platform.value("OFFSETOF_TCPI_total_retrans");
    private static final int O_BYTES_ACKED = Platform.value("OFFSETOF_TCPI_bytes_acked");
    private static final int O_NOTSENT_BYTES = Platform.value("OFFSETOF_TCPI_notsent_bytes");
    private static final int O_MIN_RTT = Platform.value("OFFSETOF_TCPI_min_rtt");
    private static final int O_DELIVERY_RATE = Platform.value("OFFSETOF_TCPI_delivery_rate");
    private static final int O_BYTES_RETRANS = Platform.value("OFFSETOF_TCPI_bytes_retrans");
    private static final int O_DSACK_DUPS = Platform.value("OFFSETOF_TCPI_dsack_dups");
    private static final int O_REORD_SEEN = Platform.value("OFFSETOF_TCPI_reord_seen");
    private static final int O_RCV_OOOPACK = Platform.value("OFFSETOF_TCPI_rcv_ooopack");
    private static final int O_OPTIONS = Platform.value("OFFSETOF_TCPI_options");
    private static final int O_ATO = Platform.value("OFFSETOF_TCPI_ato");
    private static final int O_SACKED = Platform.value("OFFSETOF_TCPI_sacked");
    private static final int O_LAST_DATA_SENT = Platform.value("OFFSETOF_TCPI_last_data_sent");
    private static final int O_LAST_DATA_RECV = Platform.value("OFFSETOF_TCPI_last_data_recv");
    private static final int O_LAST_ACK_RECV = Platform.value("OFFSETOF_TCPI_last_ack_recv");
    private static final int O_RCV_SSTHRESH = Platform.value("OFFSETOF_TCPI_rcv_ssthresh");
    private static final int O_ADVMSS = Platform.value("OFFSETOF_TCPI_advmss");
    private static final int O_RCV_RTT = Platform.value("OFFSETOF_TCPI_rcv_rtt");
    private static final int O_RCV_SPACE = Platform.value("OFFSETOF_TCPI_rcv_space");
    private static final int O_PACING_RATE = Platform.value("OFFSETOF_TCPI_pacing_rate");
    private static final int O_MAX_PACING_RATE = Platform.value("OFFSETOF_TCPI_max_pacing_rate");
    private static final int O_BYTES_RECEIVED = Platform.value("OFFSETOF_TCPI_bytes_received");
    private static final int O_SEGS_OUT = Platform.value("OFFSETOF_TCPI_segs_out");
    private static final int O_SEGS_IN = Platform.value("OFFSETOF_TCPI_segs_in");
    private static final int O_DATA_SEGS_IN = Platform.value("OFFSETOF_TCPI_data_segs_in");
    private static final int O_DATA_SEGS_OUT = Platform.value("OFFSETOF_TCPI_data_segs_out");
    private static final int O_BUSY_TIME = Platform.value("OFFSETOF_TCPI_busy_time");
    private static final int O_RWND_LIMITED = Platform.value("OFFSETOF_TCPI_rwnd_limited");
    private static final int O_SNDBUF_LIMITED = Platform.value("OFFSETOF_TCPI_sndbuf_limited");
    private static final int O_DELIVERED = Platform.value("OFFSETOF_TCPI_delivered");
    private static final int O_DELIVERED_CE = Platform.value("OFFSETOF_TCPI_delivered_ce");
    private static final int O_BYTES_SENT = Platform.value("OFFSETOF_TCPI_bytes_sent");
    private static final int O_SND_WND = Platform.value("OFFSETOF_TCPI_snd_wnd");
    private static final int BITPOS_SND_WSCALE = Platform.value("BITPOS_TCPI_snd_wscale");
    private static final int BITS_SND_WSCALE = Platform.value("BITS_TCPI_snd_wscale");
    private static final int BITPOS_RCV_WSCALE = Platform.value("BITPOS_TCPI_rcv_wscale");
    private static final int BITS_RCV_WSCALE = Platform.value("BITS_TCPI_rcv_wscale");
    private static final int BITPOS_DELIVERY_RATE_APP_LIMITED = Platform.value("BITPOS_TCPI_delivery_rate_app_limited");
    private static final int BITS_DELIVERY_RATE_APP_LIMITED = Platform.value("BITS_TCPI_delivery_rate_app_limited");
    private static final int BITPOS_FASTOPEN_CLIENT_FAIL = Platform.value("BITPOS_TCPI_fastopen_client_fail");
    private static final int BITS_FASTOPEN_CLIENT_FAIL = Platform.value("BITS_TCPI_fastopen_client_fail");

    /** The bytes the typed read offers the kernel: up to the end of the last field it reads. */
    static int size() {
        return O_SND_WND + 4; // snd_wnd, a __u32, ends the layout last
    }

    /** True when the platform's layout is known (Linux). */
    static boolean isAvailable() {
        return O_SND_WND != Platform.UNSUPPORTED;
    }

    /** Reads the first {@code length} bytes of a {@code struct tcp_info} the kernel wrote. */
    TcpInfo(byte[] raw, int length) {
        this.raw = null;
        this.view = null;
        load(ByteBuffer.wrap(raw, 0, length).order(ByteOrder.nativeOrder()), length);
    }

    /**
     * An empty snapshot to read into again and again with {@link #tryRead(int)} or {@link #read(int)}, allocating
     * nothing after this (its fields read -1 until then).
     *
     * @throws UnsupportedOperationException on a platform whose {@code struct tcp_info} posix-send does not lay out
     *     (NetBSD), and where posix-send cannot work, with the cause
     */
    public TcpInfo() {
        io.github.posixsend.internal.Backends.requireAvailable();
        requireLayout("TcpInfo");
        raw = new byte[size()];
        view = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        load(view, 0);
    }

    /**
     * {@code getsockopt(fd, IPPROTO_TCP, TCP_INFO)} into this snapshot, without exceptions for kernel errors and
     * without allocating, for a loop that watches a connection: 0 with every field read anew, or {@code -errno}, the
     * fields then as they were.
     *
     * @param fd a TCP socket's descriptor
     * @return 0, or {@code -errno} ({@code -ENOPROTOOPT} or {@code -EOPNOTSUPP} on a socket that is not TCP)
     * @throws IllegalStateException for a snapshot {@link Posix#getsockoptTcpInfo(int)} made, which has no room of
     *     its own: read into one made with {@link #TcpInfo()}
     */
    public int tryRead(int fd) {
        if (raw == null) {
            throw new IllegalStateException("a snapshot from getsockoptTcpInfo is read once; new TcpInfo() reads"
                    + " again");
        }
        int n = ChosenBackend.get().getsockoptBytes(fd, Posix.IPPROTO_TCP, Posix.TCP_INFO, raw, raw.length);
        if (n >= 0) {
            load(view, n);
            return 0;
        }
        return n;
    }

    /**
     * {@link #tryRead(int)}, throwing the kernel's error.
     *
     * @param fd a TCP socket's descriptor
     * @return this snapshot
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno
     * @throws IllegalStateException for a snapshot {@link Posix#getsockoptTcpInfo(int)} made
     */
    public TcpInfo read(int fd) throws ErrnoException {
        int r = tryRead(fd);
        if (r < 0) {
            throw ErrnoException.of("getsockopt", -r).withArguments(OptionNames.option(Posix.IPPROTO_TCP,
                    Posix.TCP_INFO));
        }
        return this;
    }

    /**
     * Reads a {@code struct tcp_info} the kernel wrote somewhere else: the payload of a sock_diag reply's
     * {@code INET_DIAG_INFO} attribute ({@link Posix#NETLINK_SOCK_DIAG}, as {@code ss} reads every socket's), from
     * {@code src}'s position to its limit, up to the structure's size. As with a {@code getsockopt}, the fields past
     * what it holds read -1. Neither the buffer's position nor its limit moves; allocates nothing.
     *
     * @param src the structure's bytes, as the kernel wrote them (in the machine's byte order)
     * @return this snapshot
     * @throws NullPointerException when {@code src} is null
     * @throws IllegalStateException for a snapshot {@link Posix#getsockoptTcpInfo(int)} made
     */
    public TcpInfo read(ByteBuffer src) {
        java.util.Objects.requireNonNull(src, "src");
        if (raw == null) {
            throw new IllegalStateException("a snapshot from getsockoptTcpInfo is read once; new TcpInfo() reads"
                    + " again");
        }
        int at = src.position();
        int n = Math.min(Math.max(src.limit() - at, 0), raw.length);
        src.get(at, raw, 0, n);
        java.util.Arrays.fill(raw, n, raw.length, (byte) 0);
        load(view, n);
        return this;
    }

    /** Refuses the typed read where the layout is unknown. */
    static void requireLayout(String call) {
        if (!isAvailable() || Posix.TCP_INFO == Platform.UNSUPPORTED) {
            throw new UnsupportedOperationException(call + ": the typed TCP_INFO read knows Linux's struct tcp_info"
                    + " only, not that of " + Platform.os() + "; getsockopt(fd, IPPROTO_TCP, TCP_INFO, byte[]) gives"
                    + " the raw bytes");
        }
    }

    /** Reads every field from the first {@code length} bytes of {@code b}. */
    private void load(ByteBuffer b, int length) {
        this.length = length;
        state = u8(b, O_STATE);
        caState = u8(b, O_CA_STATE);
        retransmits = u8(b, O_RETRANSMITS);
        probes = u8(b, O_PROBES);
        backoff = u8(b, O_BACKOFF);
        rto = u32(b, O_RTO);
        sndMss = u32(b, O_SND_MSS);
        rcvMss = u32(b, O_RCV_MSS);
        unacked = u32(b, O_UNACKED);
        lost = u32(b, O_LOST);
        retrans = u32(b, O_RETRANS);
        pmtu = u32(b, O_PMTU);
        rtt = u32(b, O_RTT);
        rttvar = u32(b, O_RTTVAR);
        sndSsthresh = u32(b, O_SND_SSTHRESH);
        sndCwnd = u32(b, O_SND_CWND);
        reordering = u32(b, O_REORDERING);
        totalRetrans = u32(b, O_TOTAL_RETRANS);
        bytesAcked = u64(b, O_BYTES_ACKED);
        notsentBytes = u32(b, O_NOTSENT_BYTES);
        minRtt = u32(b, O_MIN_RTT);
        deliveryRate = u64(b, O_DELIVERY_RATE);
        bytesRetrans = u64(b, O_BYTES_RETRANS);
        dsackDups = u32(b, O_DSACK_DUPS);
        reordSeen = u32(b, O_REORD_SEEN);
        rcvOoopack = u32(b, O_RCV_OOOPACK);
        options = u8(b, O_OPTIONS);
        ato = u32(b, O_ATO);
        sacked = u32(b, O_SACKED);
        lastDataSent = u32(b, O_LAST_DATA_SENT);
        lastDataRecv = u32(b, O_LAST_DATA_RECV);
        lastAckRecv = u32(b, O_LAST_ACK_RECV);
        rcvSsthresh = u32(b, O_RCV_SSTHRESH);
        advmss = u32(b, O_ADVMSS);
        rcvRtt = u32(b, O_RCV_RTT);
        rcvSpace = u32(b, O_RCV_SPACE);
        pacingRate = u64(b, O_PACING_RATE);
        maxPacingRate = u64(b, O_MAX_PACING_RATE);
        bytesReceived = u64(b, O_BYTES_RECEIVED);
        segsOut = u32(b, O_SEGS_OUT);
        segsIn = u32(b, O_SEGS_IN);
        dataSegsIn = u32(b, O_DATA_SEGS_IN);
        dataSegsOut = u32(b, O_DATA_SEGS_OUT);
        busyTime = u64(b, O_BUSY_TIME);
        rwndLimited = u64(b, O_RWND_LIMITED);
        sndbufLimited = u64(b, O_SNDBUF_LIMITED);
        delivered = u32(b, O_DELIVERED);
        deliveredCe = u32(b, O_DELIVERED_CE);
        bytesSent = u64(b, O_BYTES_SENT);
        sndWnd = u32(b, O_SND_WND);
        sndWscale = bits(b, BITPOS_SND_WSCALE, BITS_SND_WSCALE);
        rcvWscale = bits(b, BITPOS_RCV_WSCALE, BITS_RCV_WSCALE);
        deliveryRateAppLimited = bits(b, BITPOS_DELIVERY_RATE_APP_LIMITED, BITS_DELIVERY_RATE_APP_LIMITED);
        fastopenClientFail = bits(b, BITPOS_FASTOPEN_CLIENT_FAIL, BITS_FASTOPEN_CLIENT_FAIL);
    }

    /**
     * A bit field where the compiler put it (from the compiled header at load time, or gcc's little-endian places
     * in the Java backends' table): -1 where that place is unknown, past what the kernel wrote, or on a big-endian
     * machine, where the table's places are wrong and a field's higher bits lie in the byte before.
     */
    private int bits(ByteBuffer b, int pos, int width) {
        if (pos < 0 || width <= 0 || width > 8 || (pos + width + 7) / 8 > length || !LITTLE_ENDIAN) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < width; i++) {
            int bit = pos + i;
            v |= ((b.get(bit / 8) >> (bit % 8)) & 1) << i;
        }
        return v;
    }

    private int offset(int off, int size) {
        return off == Platform.UNSUPPORTED || off + size > length ? -1 : off;
    }

    private int u8(ByteBuffer b, int field) {
        int off = offset(field, 1);
        return off < 0 ? -1 : b.get(off) & 0xff;
    }

    private long u32(ByteBuffer b, int field) {
        int off = offset(field, 4);
        return off < 0 ? -1 : Integer.toUnsignedLong(b.getInt(off));
    }

    private long u64(ByteBuffer b, int field) {
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

    /**
     * {@return how many bytes of the structure were read: what {@code getsockopt} returned, or of a
     * {@link #read(ByteBuffer)}, the bytes given up to the end of {@code tcpi_snd_wnd}, the last field read (a newer
     * kernel's attribute may hold more, which no field here reads)}
     */
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

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Claim 4: how much a TCP sender can write before send would block, when the receiver stops reading, next to
 * the sender's SO_SNDBUF plus the receiver's SO_RCVBUF; then the same with a small SO_SNDBUF. The options are
 * read after the fill, since Linux tunes both as the connection runs. Where the ioctls exist (Linux), each fill
 * also shows where the written bytes are, and each buffer's part is judged against that buffer: the sender's queue
 * at EAGAIN ({@code SIOCOUTQ}: unacknowledged, of them not yet sent {@code SIOCOUTQNSD}) against SO_SNDBUF, the
 * bytes unread at the receiver ({@code FIONREAD}) against SO_RCVBUF. The sent but unacknowledged bytes are in both
 * parts, so the total written is the sum of the parts less those: it can fall well short of SNDBUF + RCVBUF while
 * each part fills its own buffer. The receiver's part has a floor only where its window is what stopped the
 * sender, which then still held bytes it had not sent: with the small SO_SNDBUF the send stops on the sender's queue
 * of sent, unacknowledged bytes (one skb awaiting a delayed ACK) before the window closes, and the receiver holds
 * whatever had been acknowledged by then, however large its buffer. Elsewhere (NetBSD) only the totals are judged,
 * the written bytes at least the sender's floor.
 */
final class BufferFillProbe extends BaseProbe {
    private static final int CHUNK = 64 * 1024;
    private static final int SMALL_SNDBUF = 8 * 1024;
    /**
     * The most payload one skb holds on loopback: lo's gso_max_size (65536) bounds TCP's size goal. Linux checks
     * SO_SNDBUF (and TCP_NOTSENT_LOWAT, claim 19) only before it starts a new skb and fills the tail one up to that
     * goal unchecked, so a queue may exceed its limit by this much.
     */
    static final int ONE_SKB = 64 * 1024;
    /**
     * The least share of SO_SNDBUF the sender holds at EAGAIN. The send is refused once the queue's skb memory
     * reaches SO_SNDBUF, and that memory is the payload plus about 0.5 KiB of struct and header room per skb
     * (x0.993 measured, with 64 KiB skbs): 0.75 allows for skbs down to 1.5 KiB.
     */
    static final double SNDBUF_SHARE = 0.75;
    /**
     * The least share of SO_RCVBUF the receiver holds when its window stopped the fill. It takes bytes up to the
     * window it offered, which is SO_RCVBUF times 1 - 2^-tcp_adv_win_scale before Linux 6.6 (1/2 at the default 1)
     * and times the payload-to-truesize ratio of what arrives since (1/2 until measured; x0.86 here); 0.4 is a fifth
     * under half.
     */
    static final double RCVBUF_SHARE = 0.4;

    BufferFillProbe() {
        super(4, "buffer-fill", "writable before blocking ~ SNDBUF+RCVBUF",
                "A TCP sender can write about its SO_SNDBUF plus the receiver's SO_RCVBUF before send would "
                        + "block when the receiver stops reading; setting SO_SNDBUF smaller lowers that amount.",
                String.format(Locale.ROOT, "HOLDS if, for the fill with default buffers and the one with "
                        + "SO_SNDBUF=%d: where the ioctls exist, the sender's queue at EAGAIN (SIOCOUTQ) lies "
                        + "within %.2f x SO_SNDBUF and SO_SNDBUF + %d, and the bytes unread at the receiver "
                        + "(FIONREAD) at most SO_RCVBUF and, when the sender still held unsent bytes (SIOCOUTQNSD: "
                        + "the receiver's window stopped it), at least %.1f x SO_RCVBUF; the bytes written lie "
                        + "within that floor or %.2f x SO_SNDBUF, the larger, and SO_SNDBUF + SO_RCVBUF + %d; and "
                        + "the small SO_SNDBUF writes less; DIFFERS otherwise", SMALL_SNDBUF, SNDBUF_SHARE, ONE_SKB,
                        RCVBUF_SHARE, SNDBUF_SHARE, ONE_SKB));
    }

    /** One fill: what was written, the two options afterwards, and where the bytes are (-1 where unknown). */
    private static final class Round {
        long written;
        double[] cumulative;
        int sndbuf;
        int rcvbuf;
        /** FIONREAD on the receiver: arrived, not read. */
        long unread = -1;
        /** SIOCOUTQ on the sender right at EAGAIN: its queue, not yet acknowledged (Linux). */
        long unacked = -1;
        /** SIOCOUTQNSD on the sender: not yet sent (Linux). */
        long unsent = -1;

        long sum() {
            return (long) sndbuf + rcvbuf;
        }

        double ratio() {
            return written / (double) sum();
        }

        List<String> misses() {
            return BufferFillProbe.misses(written, sndbuf, rcvbuf, unacked, unsent, unread);
        }
    }

    /**
     * The bounds one fill misses, each as a phrase (empty when it meets them all): {@code unacked} is the sender's
     * queue at EAGAIN, {@code unsent} the part of it not yet sent and {@code unread} the receiver's, all -1 where the
     * ioctls are missing, when only the totals are judged. The receiver's floor holds only when the sender had unsent
     * bytes, so that the receiver's window, not the sender's queue, stopped it. The total's floor follows from the
     * parts': it is at least the larger part, as the bytes in both (sent, unacknowledged) are at most the smaller.
     */
    static List<String> misses(long written, long sndbuf, long rcvbuf, long unacked, long unsent, long unread) {
        List<String> out = new ArrayList<>();
        if (unacked >= 0) {
            within(out, "the sender's queue", unacked, SNDBUF_SHARE * sndbuf, sndbuf + ONE_SKB);
        }
        double receiverFloor = unsent > 0 ? RCVBUF_SHARE * rcvbuf : 0;
        if (unread >= 0) {
            within(out, "the unread bytes", unread, receiverFloor, rcvbuf);
        }
        within(out, "the bytes written", written, Math.max(SNDBUF_SHARE * sndbuf, receiverFloor),
                sndbuf + rcvbuf + ONE_SKB);
        return out;
    }

    private static void within(List<String> out, String what, long value, double low, double high) {
        if (value < low || value > high) {
            out.add(String.format(Locale.ROOT, "%s (%d) outside %.0f-%.0f", what, value, low, high));
        }
    }

    private static Round fill(ProbeContext ctx, int clientSndbuf) throws Exception {
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair(clientSndbuf, 0);
            Posix.setBlocking(p.a, false);
            Io.Fill f = Io.fill(ctx, p.a, CHUNK, ctx.bounds().fillCapBytes);
            if (!f.wouldBlock) {
                throw new IllegalStateException("send never blocked within " + Stats.bytes(f.total));
            }
            Round r = new Round();
            r.written = f.total;
            if (Posix.isSupported(Posix.SIOCOUTQ) && Posix.isSupported(Posix.SIOCOUTQNSD)) {
                whereTheBytesAre(p, r);
            }
            r.cumulative = Outcome.doubles(f.cumulative.toArray());
            r.sndbuf = Posix.getsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF);
            r.rcvbuf = Posix.getsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF);
            return r;
        }
    }

    /**
     * Reads the sender's queue first, right at EAGAIN: that queue refused the send, and the delayed ACK for the bytes
     * sent last (on loopback about 40 ms after they arrived) empties it of them later. Then the unread and unsent
     * bytes, until together they are the bytes written (at most 50 tries 10 ms apart), as a busy machine may run
     * loopback's delivery late; unread first, since bytes only move from unsent to unread.
     */
    private static void whereTheBytesAre(Descriptors.Pair p, Round r) throws Exception {
        r.unacked = Posix.ioctlInt(p.a, Posix.SIOCOUTQ);
        for (int i = 0; i < 50; i++) {
            r.unread = Posix.ioctlInt(p.b, Posix.FIONREAD);
            r.unsent = Posix.ioctlInt(p.a, Posix.SIOCOUTQNSD);
            if (r.unread + r.unsent >= r.written) {
                return;
            }
            Thread.sleep(10);
        }
    }

    private static String parts(Round r) {
        if (r.unacked < 0) {
            return "";
        }
        return String.format(Locale.ROOT, "sender %s (x%.2f SNDBUF), receiver %s (x%.2f RCVBUF), ",
                Stats.bytes(r.unacked), r.unacked / (double) r.sndbuf, Stats.bytes(r.unread),
                r.unread / (double) r.rcvbuf);
    }

    private static String where(String fill, Round r) {
        return String.format(Locale.ROOT, " %s: of the %d bytes written, %d arrived unread at the receiver and "
                + "%d are not yet sent (unread + unsent - written = %d); the sender's queue at EAGAIN held %d not yet "
                + "acknowledged, %d of them sent (they have arrived: their ACK is still to come).", fill, r.written,
                r.unread, r.unsent, r.unread + r.unsent - r.written, r.unacked, r.unacked - r.unsent);
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Round dflt = fill(ctx, 0);
        Round small = fill(ctx, SMALL_SNDBUF);
        List<String> missed = new ArrayList<>();
        for (String m : dflt.misses()) {
            missed.add("default: " + m);
        }
        for (String m : small.misses()) {
            missed.add("small SO_SNDBUF: " + m);
        }
        boolean smaller = small.written < dflt.written;
        String measured = String.format(Locale.ROOT,
                "default: %s%s written vs %s sum (x%.2f); SO_SNDBUF=%d: %s%s written vs %s (x%.2f)",
                parts(dflt), Stats.bytes(dflt.written), Stats.bytes(dflt.sum()), dflt.ratio(), SMALL_SNDBUF,
                parts(small), Stats.bytes(small.written), Stats.bytes(small.sum()), small.ratio());
        String details = String.format(Locale.ROOT,
                "non-blocking sends of %d bytes until EAGAIN, receiver not reading. Default buffers: wrote %d "
                        + "bytes; afterwards SO_SNDBUF=%d, peer SO_RCVBUF=%d. With setsockopt(SO_SNDBUF, %d) before "
                        + "connect: wrote %d bytes; SO_SNDBUF=%d (Linux doubles the value set), peer SO_RCVBUF=%d. "
                        + "%s; the smaller SO_SNDBUF %s the amount.",
                CHUNK, dflt.written, dflt.sndbuf, dflt.rcvbuf, SMALL_SNDBUF, small.written, small.sndbuf,
                small.rcvbuf, missed.isEmpty() ? "Every bound of the rule is met" : "Missed: "
                        + String.join("; ", missed), smaller ? "lowered" : "did not lower");
        if (dflt.unacked >= 0) {
            details += " Where the bytes are (FIONREAD, SIOCOUTQ, SIOCOUTQNSD)." + where("Default", dflt)
                    + where("Small SO_SNDBUF", small);
        } else {
            details += " Without SIOCOUTQ and SIOCOUTQNSD only the totals are judged.";
        }
        Outcome o = Outcome.of(missed.isEmpty() && smaller, measured, details);
        if (dflt.unacked >= 0) {
            o.reading("unread_at_receiver_bytes", dflt.unread, "B")
                    .reading("unacknowledged_at_sender_bytes", dflt.unacked, "B")
                    .reading("unsent_at_sender_bytes", dflt.unsent, "B")
                    .reading("in_flight_bytes", dflt.unacked - dflt.unsent, "B")
                    .reading("unread_plus_unsent_minus_written_bytes", dflt.unread + dflt.unsent - dflt.written, "B")
                    .reading("unread_at_receiver_small_sndbuf_bytes", small.unread, "B")
                    .reading("unacknowledged_at_sender_small_sndbuf_bytes", small.unacked, "B")
                    .reading("unsent_at_sender_small_sndbuf_bytes", small.unsent, "B")
                    .reading("in_flight_small_sndbuf_bytes", small.unacked - small.unsent, "B")
                    .reading("unread_plus_unsent_minus_written_small_sndbuf_bytes",
                            small.unread + small.unsent - small.written, "B");
        }
        return o
                .reading("written_default_bytes", dflt.written, "B")
                // Linux tunes both default buffers as the connection runs: readings, not exact values
                .reading("sndbuf_default_bytes", dflt.sndbuf, "B")
                .reading("peer_rcvbuf_default_bytes", dflt.rcvbuf, "B")
                .reading("written_to_sum_ratio", dflt.ratio(), "ratio")
                .reading("written_small_sndbuf_bytes", small.written, "B")
                .measure("sndbuf_small_bytes", small.sndbuf, "B")
                .reading("peer_rcvbuf_small_sndbuf_bytes", small.rcvbuf, "B")
                .reading("written_to_sum_ratio_small_sndbuf", small.ratio(), "ratio")
                .series("accepted, default buffers (B)", dflt.cumulative)
                .series("accepted, SO_SNDBUF=" + SMALL_SNDBUF + " (B)", small.cumulative);
    }
}

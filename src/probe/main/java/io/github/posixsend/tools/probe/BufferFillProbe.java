// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;
import java.util.Locale;

/**
 * Claim 4: how much a TCP sender can write before send would block, when the receiver stops reading, next to
 * the sender's SO_SNDBUF plus the receiver's SO_RCVBUF; then the same with a small SO_SNDBUF. The options are
 * read after the fill, since Linux tunes both as the connection runs. Where the ioctls exist (Linux), it also
 * shows where the written bytes are: unread at the receiver ({@code FIONREAD}), unacknowledged at the sender
 * ({@code SIOCOUTQ}) and of those not yet sent ({@code SIOCOUTQNSD}).
 */
final class BufferFillProbe extends BaseProbe {
    private static final int CHUNK = 64 * 1024;
    private static final int SMALL_SNDBUF = 8 * 1024;
    /** How far from SO_SNDBUF + SO_RCVBUF the amount may be and still count as "about the sum". */
    private static final double TOLERANCE = 2.0;

    BufferFillProbe() {
        super(4, "buffer-fill", "writable before blocking ~ SNDBUF+RCVBUF",
                "A TCP sender can write about its SO_SNDBUF plus the receiver's SO_RCVBUF before send would "
                        + "block when the receiver stops reading; setting SO_SNDBUF smaller lowers that amount.",
                "HOLDS if the bytes written before EAGAIN lie within a factor of 2 of SO_SNDBUF + peer SO_RCVBUF, "
                        + "and a smaller SO_SNDBUF lowers them; DIFFERS otherwise");
    }

    /** One fill: what was written, the two options afterwards, and where the bytes are (-1 where unknown). */
    private static final class Round {
        long written;
        double[] cumulative;
        int sndbuf;
        int rcvbuf;
        /** FIONREAD on the receiver: arrived, not read. */
        long unread = -1;
        /** SIOCOUTQ on the sender: not yet acknowledged (Linux). */
        long unacked = -1;
        /** SIOCOUTQNSD on the sender: not yet sent (Linux). */
        long unsent = -1;

        long sum() {
            return (long) sndbuf + rcvbuf;
        }

        double ratio() {
            return written / (double) sum();
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
            r.cumulative = Outcome.doubles(f.cumulative.toArray());
            r.sndbuf = Posix.getsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF);
            r.rcvbuf = Posix.getsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF);
            if (Posix.isSupported(Posix.SIOCOUTQ) && Posix.isSupported(Posix.SIOCOUTQNSD)) {
                whereTheBytesAre(p, r);
            }
            return r;
        }
    }

    /**
     * Reads the queues once they stand still (two readings 10 ms apart agree, at most 50 tries): the bytes written are
     * then those unread at the receiver plus those the sender has not sent yet (the sent but unacknowledged ones have
     * arrived, and are among the unread). Standing still is not settled: the receiver's delayed ACK for the last of
     * them may still be due (on loopback about 40 ms after they arrived), which is why they are reported apart.
     */
    private static void whereTheBytesAre(Descriptors.Pair p, Round r) throws Exception {
        long last = -1;
        for (int i = 0; i < 50; i++) {
            r.unread = Posix.ioctlInt(p.b, Posix.FIONREAD);
            r.unacked = Posix.ioctlInt(p.a, Posix.SIOCOUTQ);
            r.unsent = Posix.ioctlInt(p.a, Posix.SIOCOUTQNSD);
            long now = r.unread * 31 + r.unacked;
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(10);
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Round dflt = fill(ctx, 0);
        Round small = fill(ctx, SMALL_SNDBUF);
        boolean aboutSum = dflt.ratio() >= 1 / TOLERANCE && dflt.ratio() <= TOLERANCE;
        boolean smaller = small.written < dflt.written;
        String measured = String.format(Locale.ROOT,
                "default: %s written vs %s sum (x%.2f); SO_SNDBUF=%d: %s written vs %s (x%.2f)",
                Stats.bytes(dflt.written), Stats.bytes(dflt.sum()), dflt.ratio(), SMALL_SNDBUF,
                Stats.bytes(small.written), Stats.bytes(small.sum()), small.ratio());
        String details = String.format(Locale.ROOT,
                "non-blocking sends of %d bytes until EAGAIN, receiver not reading. Default buffers: wrote %d "
                        + "bytes; afterwards SO_SNDBUF=%d, peer SO_RCVBUF=%d. With setsockopt(SO_SNDBUF, %d) before "
                        + "connect: wrote %d bytes; SO_SNDBUF=%d (Linux doubles the value set), peer SO_RCVBUF=%d. "
                        + "\"About the sum\" means within a factor of %.0f: %s; the smaller SO_SNDBUF %s the amount.",
                CHUNK, dflt.written, dflt.sndbuf, dflt.rcvbuf, SMALL_SNDBUF, small.written, small.sndbuf,
                small.rcvbuf, TOLERANCE, aboutSum ? "yes" : "no", smaller ? "lowered" : "did not lower");
        if (dflt.unacked >= 0) {
            long inFlight = dflt.unacked - dflt.unsent;
            details += String.format(Locale.ROOT, " Where the %d bytes are (FIONREAD, SIOCOUTQ, SIOCOUTQNSD): %d "
                    + "arrived and unread at the receiver, %d not yet sent by the sender, and %d sent but not yet "
                    + "acknowledged (they have arrived: their ACK is still to come); unread + unsent = %d, %s.",
                    dflt.written, dflt.unread, dflt.unsent, inFlight, dflt.unread + dflt.unsent,
                    dflt.unread + dflt.unsent == dflt.written ? "exactly the bytes written"
                            : "not the bytes written (acknowledgements moved while the queues were read)");
        }
        Outcome o = Outcome.of(aboutSum && smaller, measured, details);
        if (dflt.unacked >= 0) {
            o.reading("unread_at_receiver_bytes", dflt.unread, "B")
                    .reading("unacknowledged_at_sender_bytes", dflt.unacked, "B")
                    .reading("unsent_at_sender_bytes", dflt.unsent, "B")
                    .reading("in_flight_bytes", dflt.unacked - dflt.unsent, "B")
                    .reading("unread_plus_unsent_minus_written_bytes", dflt.unread + dflt.unsent - dflt.written, "B");
        }
        return o
                .reading("written_default_bytes", dflt.written, "B")
                // Linux tunes both default buffers as the connection runs: readings, not exact values
                .reading("sndbuf_default_bytes", dflt.sndbuf, "B")
                .reading("peer_rcvbuf_default_bytes", dflt.rcvbuf, "B")
                .reading("written_to_sum_ratio", dflt.ratio(), "ratio")
                .reading("written_small_sndbuf_bytes", small.written, "B")
                .measure("sndbuf_small_bytes", small.sndbuf, "B")
                .series("accepted, default buffers (B)", dflt.cumulative)
                .series("accepted, SO_SNDBUF=" + SMALL_SNDBUF + " (B)", small.cumulative);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;
import io.github.posixsend.TcpInfo;
import java.nio.ByteBuffer;

/**
 * Claim 24 (Linux): loopback TCP never retransmits. Blocking sends of 1 MiB on a loopback TCP connection whose peer a
 * helper thread reads; the sender's {@code tcpi_total_retrans} after them decides. Loopback loses nothing, but with
 * two CPUs it can reorder: each segment goes through the receive backlog of the CPU that transmitted it, and a large
 * send can be transmitted partly by the sending thread and partly from ACK processing on the reader's CPU. The two
 * ends' order counters (the reader's {@code tcpi_rcv_ooopack}, the sender's {@code tcpi_reord_seen} and
 * {@code tcpi_dsack_dups}) say whether it did.
 *
 * <p>No volume proves "never", so the probe fixes the one it calls enough: {@link #FULL_SENDS} sends of 1 MiB, the
 * default bounds' volume. None retransmitted nor reordered in fewer (--quick plans a quarter of it; on a slow machine
 * the time budget may stop the sends sooner) is INCONCLUSIVE. A retransmission, or a segment either end counted out
 * of order (the claim's premise failing), decides DIFFERS at any volume. The buffer is page-aligned, as a C
 * sender's would be: where the buffer starts changes how the kernel splits the send, and a C sender on two CPUs saw
 * retransmissions in 12 runs of 12 from an aligned buffer but none in 4 of 16 from one 16 bytes past a page.
 */
final class LoopbackRetransmitProbe extends BaseProbe {
    private static final int SIZE = 1 << 20;
    /** The sends the verdict HOLDS on: the default bounds' plan, 2 GiB. */
    static final int FULL_SENDS = plannedSends(Bounds.DEFAULT);

    LoopbackRetransmitProbe() {
        super(24, "loopback-tcp-retransmits", "Loopback TCP never retransmits",
                "Loopback neither loses nor reorders packets, so a TCP connection over it never retransmits a "
                        + "segment, however much it sends.",
                "HOLDS if the sender's tcpi_total_retrans and both ends' reordering counters are 0 after "
                        + FULL_SENDS + " sends of 1 MiB; DIFFERS if TCP retransmitted any segment or either end "
                        + "counted one out of order; INCONCLUSIVE if neither happened in fewer sends (--quick plans "
                        + plannedSends(Bounds.QUICK) + "; a slow machine's time budget may stop them sooner)");
    }

    /** The volume the bounds plan, 64 times the per-byte probe's: 2 GiB by default, long enough for TCP to show it. */
    static int plannedSends(Bounds b) {
        return (int) Math.min(Integer.MAX_VALUE, b.volumeBytes * 64 / SIZE);
    }

    /**
     * The verdict for {@code retransmitted} segments and {@code reordered} out-of-order counts over {@code made}
     * sends (see the class doc).
     */
    static Verdict decide(long retransmitted, long reordered, int made) {
        return retransmitted > 0 || reordered > 0 ? Verdict.DIFFERS
                : made >= FULL_SENDS ? Verdict.HOLDS : Verdict.INCONCLUSIVE;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Outcome elsewhere = notLinuxWith(Posix.TCP_INFO);
        if (elsewhere != null) {
            return elsewhere;
        }
        int sends = plannedSends(ctx.bounds());
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            d.background("drain", () -> {
                ByteBuffer in = ByteBuffer.allocateDirect(SIZE);
                while (!ctx.expired()) {
                    in.clear();
                    int n = Posix.recv(p.b, in, 0);
                    if (n <= 0) {
                        return;
                    }
                }
            });
            ByteBuffer out = ByteBuffer.allocateDirect(SIZE + 4096).alignedSlice(4096).limit(SIZE);
            int made = 0;
            long start = System.nanoTime();
            // half the deadline at most: a slow machine judges fewer sends rather than none
            long budget = ctx.bounds().deadlineMillis * 500_000L;
            while (made < sends && (made == 0 || System.nanoTime() - start < budget)) {
                ctx.checkDeadline("1 MiB sends over loopback TCP");
                out.clear();
                while (out.hasRemaining()) {
                    Posix.send(p.a, out, 0);
                }
                made++;
            }
            long elapsed = System.nanoTime() - start;
            TcpInfo info = Posix.getsockoptTcpInfo(p.a);
            TcpInfo reader = Posix.getsockoptTcpInfo(p.b);
            long retransmitted = info.totalRetrans();
            long reordered = Math.max(0, reader.rcvOoopack()) + Math.max(0, info.reordSeen());
            int cpus = Runtime.getRuntime().availableProcessors();
            Verdict v = decide(retransmitted, reordered, made);
            String why = v != Verdict.INCONCLUSIVE ? "" : "none in " + made + " sends of 1 MiB, fewer than the "
                    + FULL_SENDS + " the verdict needs (" + (made < sends ? "the time budget of half the deadline "
                    + "stopped the " + sends + " planned" : "these bounds plan " + sends) + ")";
            String measured = retransmitted + " segments retransmitted over " + made + " sends of 1 MiB ("
                    + cpus + (cpus == 1 ? " CPU" : " CPUs") + "); " + orderCounts(info, reader);
            Outcome o = new Outcome(measured, v,
                    made + " blocking sends of " + SIZE + " bytes on a loopback TCP connection in "
                            + Stats.duration(elapsed) + ", read by a helper thread; afterwards the sender's TCP_INFO "
                            + "showed " + retransmitted + " retransmitted segments, a congestion window of "
                            + info.sndCwnd() + " segments and an rtt of " + info.rtt() + " us. Loopback loses nothing"
                            + (retransmitted > 0 ? ", so these retransmissions were not for lost segments: "
                            + cause(info, reader) : reordered > 0 ? "; nothing was retransmitted, but " + cause(info,
                            reader) : "."), why)
                    .reading("sends", made, "sends")
                    .reading("total_retrans", retransmitted, "segments")
                    .reading("snd_cwnd", info.sndCwnd(), "segments")
                    .measure("cpus", cpus, "cpus");
            readingIfKnown(o, "rcv_ooopack", reader.rcvOoopack(), "segments");
            readingIfKnown(o, "reord_seen", info.reordSeen(), "events");
            readingIfKnown(o, "dsack_dups", info.dsackDups(), "segments");
            return o;
        }
    }

    /** The order counters both ends keep, as one phrase; a counter the kernel lacks (before 4.19 or 5.4) is "?". */
    private static String orderCounts(TcpInfo sender, TcpInfo reader) {
        return known(reader.rcvOoopack()) + " taken out of order, reordering seen " + known(sender.reordSeen())
                + " times, " + known(sender.dsackDups()) + " reported as duplicates";
    }

    /** A counter as a reading, left out where the kernel lacks it (-1) rather than reported as a value. */
    private static void readingIfKnown(Outcome o, String name, long counter, String unit) {
        if (counter >= 0) {
            o.reading(name, counter, unit);
        }
    }

    private static String known(long counter) {
        return counter < 0 ? "?" : Long.toString(counter);
    }

    /**
     * What the counters say caused the retransmissions: segments that arrived out of order make the receiver send
     * duplicate ACKs, which the sender takes for loss; D-SACKs then report the copies as not needed.
     */
    private static String cause(TcpInfo sender, TcpInfo reader) {
        String counts = "the reader took " + known(reader.rcvOoopack()) + " segments out of order (tcpi_rcv_ooopack), "
                + "the sender detected reordering " + known(sender.reordSeen()) + " times (tcpi_reord_seen) and "
                + "learned from D-SACKs that " + known(sender.dsackDups()) + " of its retransmissions were "
                + "duplicates the reader already had (tcpi_dsack_dups). ";
        if (reader.rcvOoopack() > 0 || sender.reordSeen() > 0) {
            return counts + "So segments did arrive out of order, and the sender took the gaps for losses. On loopback "
                    + "each segment goes through the receive backlog of the CPU that transmitted it, and a large send "
                    + "can be transmitted partly by the sending thread and partly from ACK processing on the reader's "
                    + "CPU.";
        }
        return counts + "No reordering was counted, so the likely cause is a retransmission timer that fired while "
                + "the busy machine delayed the reader or its acknowledgements.";
    }
}

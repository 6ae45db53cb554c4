// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;
import io.github.posixsend.TcpInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Claim 24 (Linux): loopback TCP never retransmits. Blocking sends of 1 MiB on a loopback TCP connection whose peer a
 * helper thread reads; the sender's {@code tcpi_total_retrans} after them decides. Loopback loses nothing (the host's
 * drop counters are read around the sends to show it), but with two CPUs it can reorder: each segment goes through
 * the receive backlog of the CPU that transmitted it, and a large send can be transmitted partly by the sending
 * thread and partly from ACK processing on the reader's CPU. The two ends' order counters (the reader's
 * {@code tcpi_rcv_ooopack}, the sender's {@code tcpi_reord_seen} and {@code tcpi_dsack_dups}) say whether it did.
 *
 * <p>No volume proves "never", so the probe fixes the one it calls enough: {@link #FULL_SENDS} sends of 1 MiB, the
 * default bounds' volume, on each of {@link #CONNECTIONS} connections in turn. Whether a connection reorders is a
 * matter of chance, not of volume: on a 2-core machine a C sender saw one connection of that volume in about six go
 * through clean, so a single clean connection would say HOLDS on a machine where the claim mostly fails. None
 * retransmitted nor reordered in fewer (--quick plans a quarter of the volume; on a slow machine the time budget may
 * stop the sends sooner) is INCONCLUSIVE. A retransmission, or a segment either end counted out of order (the claim's
 * premise failing), decides DIFFERS at any volume, and ends the probe there. The buffer is page-aligned, as
 * {@code posix_memalign} or {@code mmap} gives a C sender (glibc's {@code malloc} puts a block this large 16 bytes
 * past a page): where the buffer starts changes how the kernel splits the send, and a C sender on two CPUs saw
 * retransmissions in 12 runs of 12 from an aligned buffer but none in 4 of 16 from malloc's. A claim of "never" is
 * put where it is likeliest to fail, and the report says where the buffer starts.
 */
final class LoopbackRetransmitProbe extends BaseProbe {
    private static final int SIZE = 1 << 20;
    /** The sends on each connection the verdict HOLDS on: the default bounds' plan, 2 GiB. */
    static final int FULL_SENDS = plannedSends(Bounds.DEFAULT);
    /** The connections that must each take {@link #FULL_SENDS} sends with nothing counted for HOLDS. */
    static final int CONNECTIONS = 3;

    LoopbackRetransmitProbe() {
        super(24, "loopback-tcp-retransmits", "Loopback TCP never retransmits",
                "Loopback neither loses nor reorders packets, so a TCP connection over it never retransmits a "
                        + "segment, however much it sends.",
                "HOLDS if the sender's tcpi_total_retrans and both ends' reordering counters are 0 after "
                        + FULL_SENDS + " sends of 1 MiB on each of " + CONNECTIONS + " connections; DIFFERS if TCP "
                        + "retransmitted any segment or either end counted one out of order; INCONCLUSIVE if neither "
                        + "happened in fewer sends (--quick plans " + plannedSends(Bounds.QUICK) + " a connection; a "
                        + "slow machine's time budget may stop them sooner)");
    }

    /** The volume the bounds plan, 64 times the per-byte probe's: 2 GiB by default, long enough for TCP to show it. */
    static int plannedSends(Bounds b) {
        return (int) Math.min(Integer.MAX_VALUE, b.volumeBytes * 64 / SIZE);
    }

    /**
     * The verdict for {@code retransmitted} segments and {@code reordered} out-of-order counts over all connections,
     * of which {@code full} took {@link #FULL_SENDS} sends (see the class doc).
     */
    static Verdict decide(long retransmitted, long reordered, int full) {
        return retransmitted > 0 || reordered > 0 ? Verdict.DIFFERS
                : full >= CONNECTIONS ? Verdict.HOLDS : Verdict.INCONCLUSIVE;
    }

    /** What one connection's sends came to: how many, how long, and both ends' counters after them. */
    private static final class Connection {
        final int made;
        final long elapsed;
        final TcpInfo sender;
        final TcpInfo reader;

        Connection(int made, long elapsed, TcpInfo sender, TcpInfo reader) {
            this.made = made;
            this.elapsed = elapsed;
            this.sender = sender;
            this.reader = reader;
        }

        long retransmitted() {
            return sender.totalRetrans();
        }

        long reordered() {
            return Math.max(0, reader.rcvOoopack()) + Math.max(0, sender.reordSeen());
        }
    }

    /** Up to {@code sends} sends of 1 MiB on a fresh connection, while {@code until} (System.nanoTime) is ahead. */
    private static Connection connection(ProbeContext ctx, int sends, long until) throws Exception {
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
            while (made < sends && (made == 0 || System.nanoTime() - until < 0)) {
                ctx.checkDeadline("1 MiB sends over loopback TCP");
                out.clear();
                while (out.hasRemaining()) {
                    Posix.send(p.a, out, 0);
                }
                made++;
            }
            long elapsed = System.nanoTime() - start;
            return new Connection(made, elapsed, Posix.getsockoptTcpInfo(p.a), Posix.getsockoptTcpInfo(p.b));
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Outcome elsewhere = notLinuxWith(Posix.TCP_INFO);
        if (elsewhere != null) {
            return elsewhere;
        }
        int sends = plannedSends(ctx.bounds());
        long dropsBefore = ProcNet.tcpDrops();
        // half the deadline at most, for all connections: a slow machine judges fewer sends rather than none
        long until = System.nanoTime() + ctx.bounds().deadlineMillis * 500_000L;
        List<Connection> done = new ArrayList<>();
        int made = 0;
        int full = 0;
        long elapsed = 0;
        Connection last;
        do {
            last = connection(ctx, sends, until);
            done.add(last);
            made += last.made;
            elapsed += last.elapsed;
            full += last.made >= FULL_SENDS ? 1 : 0;
        } while (last.retransmitted() == 0 && last.reordered() == 0 && last.made == sends
                && done.size() < CONNECTIONS && System.nanoTime() - until < 0);
        long dropsAfter = ProcNet.tcpDrops();
        long dropped = dropsBefore < 0 || dropsAfter < 0 ? -1 : dropsAfter - dropsBefore;
        // the connections stop at the first that counted anything, so the last one's counters are the totals
        long retransmitted = last.retransmitted();
        long reordered = last.reordered();
        TcpInfo info = last.sender;
        TcpInfo reader = last.reader;
        int cpus = Runtime.getRuntime().availableProcessors();
        Verdict v = decide(retransmitted, reordered, full);
        String why = v != Verdict.INCONCLUSIVE ? "" : "none in " + made + " sends of 1 MiB on " + done.size()
                + " connection" + (done.size() == 1 ? "" : "s") + ", where the verdict needs " + FULL_SENDS
                + " on each of " + CONNECTIONS + " (" + (sends < FULL_SENDS ? "these bounds plan " + sends
                + " a connection" : "the time budget of half the deadline stopped them") + ")";
        String measured = retransmitted + " segments retransmitted over " + made + " sends of 1 MiB on "
                + done.size() + " connection" + (done.size() == 1 ? "" : "s") + " (" + cpus
                + (cpus == 1 ? " CPU" : " CPUs") + "); " + orderCounts(info, reader)
                + (retransmitted == 0 && reordered > 0 ? ": reordered, which decides" : "");
        Outcome o = new Outcome(measured, v,
                made + " blocking sends of " + SIZE + " bytes from a page-aligned buffer on "
                        + (done.size() == 1 ? "a loopback TCP connection" : done.size()
                        + " loopback TCP connections in turn (" + sendsPerConnection(done) + ")") + " in "
                        + Stats.duration(elapsed) + ", read by a helper thread; afterwards the "
                        + (done.size() == 1 ? "" : "last ") + "sender's TCP_INFO showed " + retransmitted
                        + " retransmitted segments, a congestion window of " + info.sndCwnd()
                        + " segments and an rtt of " + info.rtt() + " us. " + drops(dropped)
                        + (retransmitted > 0 ? (dropped == 0 ? ", so these retransmissions were not for lost "
                        + "segments: " : "; ") + cause(info, reader) : reordered > 0 ? "; nothing was retransmitted, "
                        + "but " + cause(info, reader) : "."), why)
                .reading("sends", made, "sends")
                .reading("connections", done.size(), "connections")
                .reading("total_retrans", retransmitted, "segments")
                .reading("snd_cwnd", info.sndCwnd(), "segments")
                .measure("cpus", cpus, "cpus");
        readingIfKnown(o, "host_tcp_drops", dropped, "packets");
        readingIfKnown(o, "rcv_ooopack", reader.rcvOoopack(), "segments");
        readingIfKnown(o, "reord_seen", info.reordSeen(), "events");
        readingIfKnown(o, "dsack_dups", info.dsackDups(), "segments");
        return o;
    }

    /** Each connection's sends, as "2048 + 2048 + 17". */
    private static String sendsPerConnection(List<Connection> done) {
        StringBuilder b = new StringBuilder();
        for (Connection c : done) {
            b.append(b.length() == 0 ? "" : " + ").append(c.made);
        }
        return b.toString();
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
    /** What the host's drop counters ({@link ProcNet#tcpDrops}) said of the sends: {@code dropped} is their rise. */
    static String drops(long dropped) {
        String which = "the host's drop counters (TcpExt " + String.join(", ", ProcNet.TCP_DROPS)
                + " and softnet_stat's backlog drops)";
        if (dropped < 0) {
            return "Whether loopback lost anything is not known: " + which + " could not be read";
        }
        return dropped == 0 ? "Loopback lost nothing: " + which + " did not rise during the sends"
                : Character.toUpperCase(which.charAt(0)) + which.substring(1) + " rose by " + dropped
                        + " during the sends (they count the whole host, other traffic too)";
    }

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

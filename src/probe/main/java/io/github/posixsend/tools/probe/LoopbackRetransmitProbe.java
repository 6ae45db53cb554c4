package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;
import io.github.posixsend.TcpInfo;
import java.nio.ByteBuffer;

/**
 * Claim 24 (Linux): loopback TCP never retransmits. Blocking sends of 1 MiB on a loopback TCP connection whose peer a
 * helper thread reads; the sender's {@code tcpi_total_retrans} after them decides. Loopback loses nothing, but with
 * two CPUs it can reorder: each segment goes through the receive backlog of the CPU that transmitted it, and a large
 * send can be transmitted partly by the sending thread and partly from ACK processing on the reader's CPU.
 */
final class LoopbackRetransmitProbe extends BaseProbe {
    private static final int SIZE = 1 << 20;

    LoopbackRetransmitProbe() {
        super(24, "loopback-tcp-retransmits", "Loopback TCP never retransmits",
                "Loopback neither loses nor reorders packets, so a TCP connection over it never retransmits a "
                        + "segment, however much it sends.",
                "HOLDS if the sender's tcpi_total_retrans is 0 after the sends; DIFFERS if TCP retransmitted any "
                        + "segment");
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Outcome elsewhere = notLinuxWith(Posix.TCP_INFO);
        if (elsewhere != null) {
            return elsewhere;
        }
        // the volume the per-byte probe pushes, 64 times over: 2 GiB by default, long enough for TCP to show it
        int sends = (int) Math.min(Integer.MAX_VALUE, ctx.bounds().volumeBytes * 64 / SIZE);
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
            ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
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
            long retransmitted = info.totalRetrans();
            int cpus = Runtime.getRuntime().availableProcessors();
            return Outcome.of(retransmitted == 0,
                    retransmitted + " segments retransmitted over " + made + " sends of 1 MiB ("
                            + cpus + (cpus == 1 ? " CPU" : " CPUs") + ")",
                    made + " blocking sends of " + SIZE + " bytes on a loopback TCP connection in "
                            + Stats.duration(elapsed) + ", read by a helper thread; afterwards the sender's TCP_INFO "
                            + "showed " + retransmitted + " retransmitted segments, a congestion window of "
                            + info.sndCwnd() + " segments and an rtt of " + info.rtt() + " us. Loopback loses nothing"
                            + (retransmitted == 0 ? "." : ", so these retransmissions were not for lost segments. The"
                            + " likely cause, which this probe does not measure: each segment goes through the"
                            + " receive backlog of the CPU that transmitted it, and a large send can be transmitted"
                            + " partly by the sending thread and partly from ACK processing on the reader's CPU, so"
                            + " with two CPUs segments can arrive out of order and the receiver's duplicate ACKs make"
                            + " the sender retransmit; a retransmission timer that fires while a busy machine delays"
                            + " the reader would retransmit too."))
                    .reading("sends", made, "sends")
                    .reading("total_retrans", retransmitted, "segments")
                    .reading("snd_cwnd", info.sndCwnd(), "segments")
                    .measure("cpus", cpus, "cpus");
        }
    }
}

package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;

/**
 * Claim 15: the per-datagram cost of send against sendmmsg batches and UDP_SEGMENT. The send and UDP_SEGMENT
 * parts are measured now (UDP_SEGMENT is a socket option that plain send honours); the sendmmsg part needs
 * sendmmsg, so the verdict stays NOT_AVAILABLE until it lands.
 *
 * <p>To fill in when posix-send has sendmmsg: time sendmmsg of {@link #SEGMENTS} datagrams of {@link #SIZE}
 * bytes per call the same way as {@link #timeGso}, report its per-datagram median next to the two below, and
 * give HOLDS when sendmmsg's per-datagram cost is below send's.
 */
final class BatchCostProbe extends BaseProbe {
    private static final int SIZE = 1_000;
    private static final int SEGMENTS = 64;

    BatchCostProbe() {
        super(15, "batch-cost", "sendmmsg / UDP_SEGMENT cut per-datagram cost",
                "sendmmsg batches (and UDP_SEGMENT) mitigate the per-call cost: a datagram costs less sent in a "
                        + "batch than with one send each.");
    }

    /** The median time of one plain send of a {@link #SIZE}-byte datagram; the receiver is drained untimed. */
    private static Stats timeSend(ProbeContext ctx) throws Exception {
        Bounds b = ctx.bounds();
        long[] nanos = new long[b.repetitions];
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.udpPair(false);
            ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);
            for (int i = 0; i < b.warmup + b.repetitions; i++) {
                ctx.checkDeadline("timing send");
                buf.clear();
                long t0 = System.nanoTime();
                int n = Posix.trySend(p.a, buf, 0);
                long t = System.nanoTime() - t0;
                if (n != SIZE) {
                    throw ErrnoException.of("send", n < 0 ? -n : 0);
                }
                if (i >= b.warmup) {
                    nanos[i - b.warmup] = t;
                }
                if (i % 32 == 31) {
                    Io.drain(ctx, p.b, SIZE);
                }
            }
        }
        return Stats.of(nanos, b.repetitions);
    }

    /** The median time of one send carrying {@link #SEGMENTS} datagrams under UDP_SEGMENT, per datagram. */
    private static Stats timeGso(ProbeContext ctx, String[] check) throws Exception {
        Bounds b = ctx.bounds();
        int reps = Math.max(10, b.repetitions / 4);
        long[] nanos = new long[reps];
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.udpPair(false);
            Posix.setsockopt(p.a, Posix.SOL_UDP, Posix.UDP_SEGMENT, SIZE);
            ByteBuffer buf = ByteBuffer.allocateDirect(SIZE * SEGMENTS);
            Posix.send(p.a, buf, 0);
            ByteBuffer in = ByteBuffer.allocateDirect(SIZE * SEGMENTS);
            int first = Io.receive(ctx, p.b, in, 0, 1_000);
            long[] rest = Io.drain(ctx, p.b, SIZE * SEGMENTS);
            check[0] = "one send of " + (SIZE * SEGMENTS) + " B arrived as " + (first < 0 ? 0 : 1 + rest[0])
                    + " datagrams of " + first + " B";
            for (int i = 0; i < b.warmup / 4 + reps; i++) {
                ctx.checkDeadline("timing UDP_SEGMENT");
                buf.clear();
                long t0 = System.nanoTime();
                int n = Posix.trySend(p.a, buf, 0);
                long t = System.nanoTime() - t0;
                if (n != SIZE * SEGMENTS) {
                    throw ErrnoException.of("send", n < 0 ? -n : 0);
                }
                if (i >= b.warmup / 4) {
                    nanos[i - b.warmup / 4] = t / SEGMENTS;
                }
                Io.drain(ctx, p.b, SIZE * SEGMENTS);
            }
        }
        return Stats.of(nanos, reps);
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Stats send = timeSend(ctx);
        String gso;
        String gsoDetails;
        if (Posix.isSupported(Posix.UDP_SEGMENT) && Posix.isSupported(Posix.SOL_UDP)) {
            String[] check = {""};
            try {
                Stats g = timeGso(ctx, check);
                gso = Stats.duration(g.median) + "/datagram";
                gsoDetails = "UDP_SEGMENT=" + SIZE + ", " + SEGMENTS + " datagrams per send (" + check[0]
                        + "), per datagram: " + g;
            } catch (ErrnoException e) {
                gso = e.getMessage();
                gsoDetails = "UDP_SEGMENT failed: " + e.getMessage();
            }
        } else {
            gso = "not on this system";
            gsoDetails = "no UDP_SEGMENT here";
        }
        return Outcome.notAvailable(
                "send " + Stats.duration(send.median) + "/datagram; UDP_SEGMENT " + gso
                        + "; sendmmsg not built yet",
                "loopback UDP, " + SIZE + "-byte datagrams, receiver drained between timed calls. One send per "
                        + "datagram: " + send + ". " + gsoDetails + ". The sendmmsg part needs sendmmsg, not built "
                        + "yet, so no verdict.");
    }
}

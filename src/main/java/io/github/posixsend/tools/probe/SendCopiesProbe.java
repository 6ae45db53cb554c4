package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;
import java.nio.ByteBuffer;

/**
 * Claim 1: a blocking send returns once the data is in the send buffer. A small send to a peer that never reads
 * is timed next to a one-byte round trip through an echo thread: if send waited for the peer, it would cost at
 * least a round trip.
 */
final class SendCopiesProbe extends BaseProbe {
    private static final int SIZE = 64;

    SendCopiesProbe() {
        super(1, "send-copies", "blocking send returns once copied",
                "A blocking send returns as soon as the data is copied into the socket's send buffer, without "
                        + "waiting for the peer to read it.");
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Bounds b = ctx.bounds();
        int total = b.warmup + b.repetitions;
        long[] sendNanos = new long[b.repetitions];
        long[] rttNanos = new long[b.repetitions];
        try (Descriptors d = ctx.descriptors()) {
            // The peer never reads: every byte sent stays queued, well inside the default buffers.
            Descriptors.Pair silent = d.tcpPair();
            ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);
            for (int i = 0; i < total; i++) {
                ctx.checkDeadline("timing send");
                buf.clear();
                long t0 = System.nanoTime();
                int n = Posix.send(silent.a, buf, 0);
                long t = System.nanoTime() - t0;
                if (n != SIZE) {
                    return Outcome.of(false, "a blocking send took " + n + " of " + SIZE + " bytes", "");
                }
                if (i >= b.warmup) {
                    sendNanos[i - b.warmup] = t;
                }
            }

            Descriptors.Pair echo = d.tcpPair();
            Posix.setsockopt(echo.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, true);
            Posix.setsockopt(echo.b, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, true);
            d.background("echo", () -> {
                ByteBuffer one = ByteBuffer.allocateDirect(1);
                for (int i = 0; i < total; i++) {
                    one.clear();
                    if (Posix.recv(echo.b, one, 0) <= 0) {
                        return;
                    }
                    one.flip();
                    Posix.send(echo.b, one, 0);
                }
            });
            ByteBuffer ping = ByteBuffer.allocateDirect(1);
            ByteBuffer pong = ByteBuffer.allocateDirect(1);
            for (int i = 0; i < total; i++) {
                ctx.checkDeadline("timing round trips");
                ping.clear();
                pong.clear();
                long t0 = System.nanoTime();
                Posix.send(echo.a, ping, 0);
                if (Posix.recv(echo.a, pong, 0) != 1) {
                    throw new IllegalStateException("the echo thread ended early: " + d.helperFailure());
                }
                long t = System.nanoTime() - t0;
                if (i >= b.warmup) {
                    rttNanos[i - b.warmup] = t;
                }
            }
        }
        Stats send = Stats.of(sendNanos, b.repetitions);
        Stats rtt = Stats.of(rttNanos, b.repetitions);
        boolean holds = send.median < rtt.median;
        return Outcome.of(holds,
                "send " + SIZE + " B: " + Stats.duration(send.median) + " median; round trip: "
                        + Stats.duration(rtt.median) + " median",
                "blocking send of " + SIZE + " bytes to a peer that never reads: " + send
                        + "; 1-byte round trip through an echo thread (TCP_NODELAY): " + rtt
                        + "; every send returned with the peer still not reading.");
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Claim 2: a blocking send waits while the send buffer is full, until the peer drains it. The buffer is filled
 * without blocking, then a blocking send is made while a helper thread starts reading only after a delay; the
 * send must return after the reading began.
 */
final class SendWaitsProbe extends BaseProbe {
    private static final int CHUNK = 64 * 1024;

    SendWaitsProbe() {
        super(2, "send-waits", "blocking send waits for space",
                "A blocking send waits while the socket's send buffer is full, until the peer drains it.",
                "HOLDS if a blocking send on a full buffer returns only after the peer began to read; DIFFERS if "
                        + "it returns before");
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Bounds b = ctx.bounds();
        try (Descriptors d = ctx.descriptors()) {
            // Small buffers fill quickly; the kernel still rounds them up to its minimum.
            Descriptors.Pair p = d.tcpPair(16 * 1024, 16 * 1024);
            Posix.setBlocking(p.a, false);
            Io.Fill fill = Io.fill(ctx, p.a, CHUNK, b.fillCapBytes);
            if (!fill.wouldBlock) {
                return Outcome.of(false, "the send buffer never filled (" + Stats.bytes(fill.total) + " taken)", "");
            }
            Posix.setBlocking(p.a, true);
            long target = fill.total + CHUNK;
            AtomicLong drainStart = new AtomicLong();
            AtomicLong drained = new AtomicLong();
            d.background("drain", () -> {
                Thread.sleep(b.drainDelayMillis);
                drainStart.set(System.nanoTime());
                ByteBuffer in = ByteBuffer.allocateDirect(CHUNK);
                while (drained.get() < target && !ctx.expired()) {
                    in.clear();
                    int n = Posix.recv(p.b, in, 0);
                    if (n <= 0) {
                        return;
                    }
                    drained.addAndGet(n);
                }
            });
            ByteBuffer out = ByteBuffer.allocateDirect(CHUNK);
            long t0 = System.nanoTime();
            int n = Posix.send(p.a, out, 0);
            long t1 = System.nanoTime();
            long started = drainStart.get();
            long held = t1 - t0;
            boolean holds = started != 0 && t1 - started >= 0;
            String measured = "held " + Stats.duration(held) + " (peer began draining after "
                    + (started == 0 ? "never" : Stats.duration(started - t0)) + ")";
            Outcome o = Outcome.of(holds, measured,
                    "filled " + Stats.bytes(fill.total) + " without blocking until EAGAIN, then a blocking send of "
                            + CHUNK + " bytes returned " + n + " after " + Stats.duration(held)
                            + "; the peer slept " + b.drainDelayMillis + " ms before reading.")
                    .measure(Measurement.single("blocked_send_ns", held, "ns"))
                    .reading("filled_bytes", fill.total, "B");
            if (started != 0) { // a peer that never began has no start to report (a -1 would read as one)
                o.measure(Measurement.single("drain_began_after_ns", started - t0, "ns"));
            }
            return o;
        }
    }
}

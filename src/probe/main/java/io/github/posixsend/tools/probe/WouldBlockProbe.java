// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;

/**
 * Claim 6: on a full buffer a non-blocking socket, and MSG_DONTWAIT on a blocking one, fail with EAGAIN at once
 * instead of blocking. Both are timed: the failing call should cost microseconds.
 */
final class WouldBlockProbe extends BaseProbe {
    private static final int CHUNK = 64 * 1024;
    /** Past the peer's delayed ACK (40 ms at least on Linux): then a full buffer stays full while nobody reads. */
    private static final int ACK_SETTLE_MILLIS = 250;

    WouldBlockProbe() {
        super(6, "would-block", "non-blocking / MSG_DONTWAIT: EAGAIN",
                "A non-blocking socket, and MSG_DONTWAIT on a blocking one, fail with EAGAIN instead of blocking "
                        + "when the send buffer is full.",
                "HOLDS if every send on the full buffer, non-blocking or with MSG_DONTWAIT, fails with EAGAIN; "
                        + "DIFFERS otherwise");
    }

    /** Tries {@code count} sends; returns how many failed with EAGAIN, timing each into {@code nanos}. */
    private static int attempts(ProbeContext ctx, int fd, int flags, long[] nanos, int count) throws Exception {
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        int eagain = 0;
        for (int i = 0; i < count; i++) {
            ctx.checkDeadline("sending on a full buffer");
            buf.clear();
            long t0 = System.nanoTime();
            int n = Posix.trySend(fd, buf, flags);
            nanos[i] = System.nanoTime() - t0;
            if (n < 0 && -n == Errno.EAGAIN.number()) {
                eagain++;
            }
        }
        return eagain;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Bounds b = ctx.bounds();
        int count = Math.min(b.repetitions, 100);
        long[] nb = new long[count];
        long[] dw = new long[count];
        int nbEagain;
        int dwEagain;
        long filled;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair(16 * 1024, 16 * 1024);
            Posix.setBlocking(p.a, false);
            Io.Fill fill = Io.fill(ctx, p.a, CHUNK, b.fillCapBytes);
            if (!fill.wouldBlock) {
                return Outcome.of(false, "no EAGAIN within " + Stats.bytes(fill.total), "");
            }
            // the peer's delayed ACK (about 40 ms) can still make room; a send stalled past it would then succeed
            Thread.sleep(ACK_SETTLE_MILLIS);
            Io.Fill rest = Io.fill(ctx, p.a, CHUNK, b.fillCapBytes);
            if (!rest.wouldBlock) {
                return Outcome.of(false, "no EAGAIN within " + Stats.bytes(fill.total + rest.total), "");
            }
            filled = fill.total + rest.total;
            nbEagain = attempts(ctx, p.a, 0, nb, count);
            Posix.setBlocking(p.a, true);
            // If MSG_DONTWAIT were ignored this send would block: the runner's deadline would then end the probe.
            dwEagain = attempts(ctx, p.a, MsgFlag.MSG_DONTWAIT.value(), dw, count);
        }
        Stats nbs = Stats.of(nb, count);
        Stats dws = Stats.of(dw, count);
        boolean holds = nbEagain == count && dwEagain == count;
        return Outcome.of(holds,
                "non-blocking: " + nbEagain + "/" + count + " EAGAIN in " + Stats.duration(nbs.median)
                        + "; MSG_DONTWAIT: " + dwEagain + "/" + count + " EAGAIN in " + Stats.duration(dws.median),
                "TCP send buffer filled (" + Stats.bytes(filled) + ") with the peer not reading, the last of it "
                        + ACK_SETTLE_MILLIS + " ms after the first EAGAIN, past the peer's delayed ACK; then " + count
                        + " sends of " + CHUNK + " bytes on the non-blocking socket: " + nbs
                        + "; the same socket made blocking, " + count + " sends with MSG_DONTWAIT: " + dws
                        + ". Each time is the whole call made from Java (System.nanoTime around it): the system "
                        + "call and posix-send's own path, which a C program does not pay.")
                .measure("nonblocking_eagain", nbEagain, "calls")
                .measure("dontwait_eagain", dwEagain, "calls")
                .measure("attempts", count, "calls")
                .measure(Measurement.medianNanos("nonblocking_eagain_ns", nb))
                .measure(Measurement.medianNanos("dontwait_eagain_ns", dw));
    }
}

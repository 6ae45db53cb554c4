// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.NoBufferSpaceException;
import io.github.posixsend.Posix;
import io.github.posixsend.ZerocopySends;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Claim 22 (Linux): MSG_ZEROCOPY on loopback copies anyway. Sends of 64 KiB with {@code MSG_ZEROCOPY} on a loopback
 * TCP connection, read by a helper thread, each reaped from the error queue with {@link ZerocopySends}; the share of
 * completed sends reported as copied ({@code SO_EE_CODE_ZEROCOPY_COPIED}) decides.
 */
final class ZerocopyCopiesProbe extends BaseProbe {
    private static final int SIZE = 64 * 1024;
    private static final int BUFFERS = 8;

    ZerocopyCopiesProbe() {
        super(22, "zerocopy-loopback", "MSG_ZEROCOPY on loopback copies",
                "MSG_ZEROCOPY does not avoid the copy on loopback: the kernel copies the data when it delivers it "
                        + "locally and says so in each completion (SO_EE_CODE_ZEROCOPY_COPIED). What the attempt costs "
                        + "in time is not measured here (see the benchmarks' zero-copy rows).",
                "HOLDS if every zero-copy send completes and every completion is reported as copied; DIFFERS if "
                        + "any completed send was not copied");
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Outcome elsewhere = notLinuxWith(Posix.SO_ZEROCOPY);
        if (elsewhere != null) {
            return elsewhere;
        }
        int sends = ctx.bounds().repetitions;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            try {
                Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
            } catch (ErrnoException e) {
                return Outcome.notApplicable("SO_ZEROCOPY: " + Io.errnoName(e), "this kernel has no MSG_ZEROCOPY");
            }
            AtomicLong received = new AtomicLong();
            long expected = (long) sends * SIZE;
            d.background("drain", () -> {
                ByteBuffer in = ByteBuffer.allocateDirect(SIZE);
                while (received.get() < expected && !ctx.expired()) {
                    in.clear();
                    int n = Posix.recv(p.b, in, 0);
                    if (n <= 0) {
                        return;
                    }
                    received.addAndGet(n);
                }
            });
            ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
            for (int i = 0; i < BUFFERS; i++) {
                pool.add(ByteBuffer.allocateDirect(SIZE));
            }
            int made = 0;
            int refused = 0;
            int shortSends = 0;
            ZerocopySends z = new ZerocopySends(p.a, BUFFERS);
            try {
                while (made < sends) {
                    ctx.checkDeadline("zero-copy sends");
                    z.reap(pool::add);
                    ByteBuffer b = pool.poll();
                    if (b == null) {
                        LockSupport.parkNanos(100_000);
                        continue;
                    }
                    b.clear();
                    try {
                        // a blocking send takes all 64 KiB; a buffer comes back once per send call
                        if (z.send(b, 0) != SIZE) {
                            shortSends++;
                        }
                        made++;
                    } catch (NoBufferSpaceException e) {
                        refused++; // too many notifications wait: reap, then again
                        pool.add(b);
                        LockSupport.parkNanos(100_000);
                    }
                }
                while (z.inFlight() > 0) {
                    ctx.checkDeadline("waiting for zero-copy completions");
                    if (z.reap(pool::add) == 0) {
                        LockSupport.parkNanos(100_000);
                    }
                }
                long completed = z.completedCount();
                long copied = z.copiedCount();
                long calls = z.nextId();
                boolean holds = completed == calls && copied == completed && shortSends == 0;
                double share = completed == 0 ? 0 : (double) copied / completed;
                return Outcome.of(holds,
                        copied + " of " + completed + " completed zero-copy sends reported copied ("
                                + Math.round(share * 100) + "%)",
                        sends + " sends of " + SIZE + " bytes with MSG_ZEROCOPY on a loopback TCP connection ("
                                + calls + " send calls, " + refused + " refused with ENOBUFS and retried, " + shortSends
                                + " short), "
                                + BUFFERS + " buffers reused as their completions came back; the peer read "
                                + Stats.bytes(received.get()) + ". Loopback delivers to a local socket, so the kernel "
                                + "copies the pages instead of lending them and marks the completion as copied.")
                        .reading("completed_sends", completed, "sends")
                        .reading("copied_sends", copied, "sends")
                        .measure("copied_share", share, "ratio")
                        .reading("send_calls", calls, "calls");
            } finally {
                if (z.inFlight() > 0) {
                    // the probe failed (its deadline, say) with sends in flight: their socket is closed next, so no
                    // completion will come, and close() would refuse and keep the object for good
                    z.abandon(b -> { });
                } else {
                    z.close();
                }
            }
        }
    }
}

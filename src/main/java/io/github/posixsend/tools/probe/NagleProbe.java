package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Claim 17: Nagle's algorithm with delayed ACK stalls a write-write-read exchange: the second small write waits
 * for the ACK of the first, which the peer delays because it has nothing to send yet. Exchanges are timed with
 * and without TCP_NODELAY on the writer, after a warm-up that uses up Linux's quick-ACK start.
 */
final class NagleProbe extends BaseProbe {
    private static final int PIECE = 100;
    private static final int REPLY = 100;
    private static final int WARMUP = 10;
    /** A stall shows as a median of at least this much, and several times the NODELAY median. */
    private static final long STALL_NANOS = 10_000_000L;

    NagleProbe() {
        super(17, "nagle", "Nagle + delayed ACK stall write-write-read",
                "Nagle's algorithm with delayed ACK stalls a write-write-read exchange (tens of milliseconds on "
                        + "Linux); TCP_NODELAY removes the stall.");
    }

    private static void readFully(int fd, ByteBuffer buf, int len) throws Exception {
        buf.clear().limit(len);
        while (buf.hasRemaining()) {
            if (Posix.recv(fd, buf, 0) == 0) {
                throw new IllegalStateException("connection closed mid-exchange");
            }
        }
    }

    /** Times exchanges on a fresh connection; returns their stats (fewer when the deadline nears). */
    private static Stats exchanges(ProbeContext ctx, boolean nodelay) throws Exception {
        int n = ctx.bounds().exchanges;
        long[] nanos = new long[n];
        int done = 0;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            Posix.setsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, nodelay);
            d.background("server", () -> {
                ByteBuffer req = ByteBuffer.allocateDirect(2 * PIECE);
                ByteBuffer rep = ByteBuffer.allocateDirect(REPLY);
                for (int i = 0; i < WARMUP + n; i++) {
                    readFully(p.b, req, 2 * PIECE);
                    rep.clear();
                    Posix.send(p.b, rep, 0);
                }
            });
            ByteBuffer piece = ByteBuffer.allocateDirect(PIECE);
            ByteBuffer reply = ByteBuffer.allocateDirect(REPLY);
            long half = ctx.bounds().deadlineMillis / 2;
            for (int i = 0; i < WARMUP + n; i++) {
                // Keep half the deadline for the other setting: stop early and report fewer exchanges.
                if (ctx.remainingMillis() < (nodelay ? 300 : half)) {
                    break;
                }
                long t0 = System.nanoTime();
                piece.clear();
                Posix.send(p.a, piece, 0);
                piece.clear();
                Posix.send(p.a, piece, 0);
                readFully(p.a, reply, REPLY);
                long t = System.nanoTime() - t0;
                if (i >= WARMUP) {
                    nanos[done++] = t;
                }
            }
        }
        if (done == 0) {
            throw new ProbeContext.ProbeTimeoutException("no exchange finished before the deadline");
        }
        return Stats.of(nanos, done);
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Stats nagle = exchanges(ctx, false);
        Stats nodelay = exchanges(ctx, true);
        boolean stall = nagle.median >= STALL_NANOS && nagle.median >= 5 * nodelay.median;
        return Outcome.of(stall,
                "without TCP_NODELAY " + Stats.duration(nagle.median) + " median, with "
                        + Stats.duration(nodelay.median) + " median",
                String.format(Locale.ROOT, "write %d + write %d + read %d bytes over loopback, after %d untimed "
                                + "exchanges: without TCP_NODELAY %s; with TCP_NODELAY %s. %s", PIECE, PIECE, REPLY,
                        WARMUP, nagle, nodelay, stall ? "The delayed-ACK stall shows."
                                : "No delayed-ACK stall showed on this kernel's loopback."));
    }
}

package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.ErrnoException;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Claim 16: the cost per byte of TCP against UDP when each call carries as much as the protocol allows. Each
 * send call is timed on its own and the receiver is drained between calls, untimed, so neither protocol ever
 * waits for a reader or drops for lack of one: the figure is the kernel's cost of taking the bytes in one call
 * (on loopback that includes queueing them at the receiver). TCP calls offer 1 MiB on a non-blocking socket and
 * count what was taken; UDP calls carry 65507-byte datagrams. The common belief, that UDP is the cheaper per
 * byte, is what the verdict checks, on the median cost per KiB of a call.
 */
final class ByteCostProbe extends BaseProbe {
    private static final int TCP_CALL = 1 << 20;
    private static final int UDP_CALL = DatagramSizeProbe.MAX_V4;

    ByteCostProbe() {
        super(16, "byte-cost", "UDP costs less per byte than TCP",
                "Per byte, UDP costs less than TCP when each call carries as much as the protocol allows (the "
                        + "common belief: no connection state, no acknowledgements).");
    }

    /** Sums of timed calls: nanoseconds, bytes, calls; and each call's time per KiB for the median. */
    private static final class Cost {
        long nanos;
        long bytes;
        int calls;
        long[] perKib;

        double nsPerKib() {
            return nanos * 1024.0 / bytes;
        }
    }

    private static Cost push(ProbeContext ctx, boolean tcp, long volume) throws Exception {
        int call = tcp ? TCP_CALL : UDP_CALL;
        int maxCalls = (int) Math.min(100_000, 4 * (volume / call) + 16);
        Cost c = new Cost();
        c.perKib = new long[maxCalls];
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = tcp ? d.tcpPair() : d.udpPair(false);
            Posix.setBlocking(p.a, false);
            ByteBuffer out = ByteBuffer.allocateDirect(call);
            long warm = volume / 8;
            long done = 0;
            while (done < warm + volume && c.calls < maxCalls) {
                ctx.checkDeadline("pushing the volume");
                out.clear();
                long t0 = System.nanoTime();
                int n = Posix.trySend(p.a, out, 0);
                long t = System.nanoTime() - t0;
                if (n < 0 && -n != Errno.EAGAIN.number()) {
                    throw ErrnoException.of("send", -n);
                }
                if (n > 0) {
                    if (done >= warm) {
                        c.nanos += t;
                        c.bytes += n;
                        c.perKib[c.calls++] = t * 1024 / n;
                    }
                    done += n;
                }
                Io.drain(ctx, p.b, 256 * 1024);
            }
        }
        if (c.calls == 0) {
            throw new IllegalStateException("no timed send went through");
        }
        return c;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        long volume = ctx.bounds().volumeBytes;
        Cost tcp = push(ctx, true, volume);
        Cost udp = push(ctx, false, volume);
        Stats tcpCall = Stats.of(tcp.perKib, tcp.calls);
        Stats udpCall = Stats.of(udp.perKib, udp.calls);
        // Medians: a call the scheduler preempted (the machine may be busy) must not decide the verdict.
        boolean holds = udpCall.median < tcpCall.median;
        return Outcome.of(holds,
                String.format(Locale.ROOT, "TCP %d ns/KiB, UDP %d ns/KiB (medians per call; UDP/TCP x%.2f)",
                        tcpCall.median, udpCall.median, udpCall.median / (double) tcpCall.median),
                String.format(Locale.ROOT, "%s through each over loopback, send calls timed alone, receiver drained "
                                + "between calls (untimed), after a warm-up of an eighth of that. TCP: %d calls "
                                + "offering %d bytes took %.0f KiB each on average; per call %s per KiB; %.0f ns/KiB "
                                + "overall. UDP: %d datagrams of %d bytes; per call %s per KiB; %.0f ns/KiB overall.",
                        Stats.bytes(volume), tcp.calls, TCP_CALL, tcp.bytes / 1024.0 / tcp.calls, tcpCall,
                        tcp.nsPerKib(), udp.calls, UDP_CALL, udpCall, udp.nsPerKib()));
    }
}

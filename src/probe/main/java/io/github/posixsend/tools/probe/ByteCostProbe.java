package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.ErrnoException;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Claim 16: the cost per byte of TCP against UDP when each call carries as much as the protocol allows. Each
 * send call is timed together with the receiver's reads that empty its queue right after it: TCP sends on loopback
 * what its window allows within the call and the rest when the receiver's reads return acknowledgements, so a timed
 * send alone would leave part of TCP's delivery (and none of UDP's) outside the timing. Neither protocol ever waits
 * for a reader or drops for lack of one. TCP calls offer 1 MiB on a non-blocking socket and count what was taken;
 * UDP calls carry 65507-byte datagrams. Rounds of both alternate, so a change in the machine's load hits both alike,
 * until the ratio's interval settles the verdict or the bounds run out.
 */
final class ByteCostProbe extends BaseProbe {
    private static final int TCP_CALL = 1 << 20;
    private static final int UDP_CALL = DatagramSizeProbe.MAX_V4;
    /**
     * A margin of 1.5 either way: on a shared machine TCP's cost per byte moves by up to several times between
     * runs (UDP's hardly), so a narrower band would let the verdict follow the machine, not the protocols.
     */
    static final Rule RULE = Rule.below("median UDP ns/KiB / median TCP ns/KiB", 1.0, 1.5);

    ByteCostProbe() {
        super(16, "byte-cost", "UDP costs less per byte than TCP",
                "Per byte, UDP costs less than TCP when each call carries as much as the protocol allows (the "
                        + "common belief: no connection state, no acknowledgements).", RULE.text());
    }

    /** Sums of timed calls: nanoseconds, bytes, calls; and each call's time per KiB. */
    private static final class Cost {
        long nanos;
        long bytes;
        final Samples perKib = new Samples(1024);

        double nsPerKib() {
            return nanos * 1024.0 / bytes;
        }
    }

    private static void push(ProbeContext ctx, boolean tcp, long volume, Cost c) throws Exception {
        int call = tcp ? TCP_CALL : UDP_CALL;
        int maxCalls = (int) Math.min(100_000, 4 * (volume / call) + 16);
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = tcp ? d.tcpPair() : d.udpPair(false);
            Posix.setBlocking(p.a, false);
            ByteBuffer out = ByteBuffer.allocateDirect(call);
            ByteBuffer sink = ByteBuffer.allocateDirect(256 * 1024);
            long warm = volume / 8;
            long done = 0;
            int calls = 0;
            while (done < warm + volume && calls < maxCalls) {
                ctx.checkDeadline("pushing the volume");
                out.clear();
                long t0 = System.nanoTime();
                int n = Posix.trySend(p.a, out, 0);
                if (n < 0 && -n != Errno.EAGAIN.number()) {
                    throw ErrnoException.of("send", -n);
                }
                emptyQueue(ctx, p.b, sink);
                long t = System.nanoTime() - t0;
                calls++;
                if (n > 0) {
                    if (done >= warm) {
                        c.nanos += t;
                        c.bytes += n;
                        c.perKib.add(t * 1024 / n);
                    }
                    done += n;
                }
            }
        }
    }

    /**
     * Reads {@code fd} until nothing is waiting, with the non-throwing receive (this is inside the timing), at most
     * as many reads as a full buffer of the largest datagrams could need.
     */
    private static void emptyQueue(ProbeContext ctx, int fd, ByteBuffer sink) throws Exception {
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        for (int reads = 0; reads < 4096 && !ctx.expired(); reads++) {
            sink.clear();
            int n = Posix.tryRecv(fd, sink, dontwait);
            if (n == 0 || n == -Errno.EAGAIN.number()) {
                return;
            }
            if (n < 0) {
                throw ErrnoException.of("recv", -n);
            }
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        int rounds = ctx.bounds().maxRounds;
        long volume = Math.max(UDP_CALL * 8L, ctx.bounds().volumeBytes / rounds);
        Cost tcp = new Cost();
        Cost udp = new Cost();
        Rule.Decision d;
        Estimate.Interval ratio;
        int done = 0;
        java.util.List<Double> perRound = new java.util.ArrayList<>();
        while (true) {
            long t0 = System.nanoTime();
            int tcpFrom = tcp.perKib.count();
            int udpFrom = udp.perKib.count();
            // the arms take turns going first, so that a drift within rounds does not favour one of them every time
            push(ctx, done % 2 == 0, volume, done % 2 == 0 ? tcp : udp);
            push(ctx, done % 2 != 0, volume, done % 2 == 0 ? udp : tcp);
            done++;
            if (tcp.perKib.count() == tcpFrom || udp.perKib.count() == udpFrom) {
                throw new IllegalStateException("no timed send went through");
            }
            perRound.add(Estimate.ratio(udp.perKib.since(udpFrom), tcp.perKib.since(tcpFrom)));
            Estimate.Interval[] both = Estimate.ratioOfMediansAt(udp.perKib.toArray(), tcp.perKib.toArray(),
                    Estimate.LEVEL, Estimate.EARLY_LEVEL);
            ratio = Estimate.acrossRounds(both[0], perRound);
            d = RULE.decide(ratio);
            Rule.Decision early = RULE.decide(Estimate.acrossRounds(both[1], perRound));
            if (!Rule.anotherRound(ctx, early, done, System.nanoTime() - t0)) {
                break;
            }
        }
        d = Rule.finish(d, done);
        Estimate.Interval t = Estimate.median(tcp.perKib.toArray());
        Estimate.Interval u = Estimate.median(udp.perKib.toArray());
        return Outcome.of(d,
                String.format(Locale.ROOT, "TCP %.0f ns/KiB, UDP %.0f ns/KiB (medians per call); UDP/TCP %s "
                                + "[%s, %s]", t.value, u.value, Rule.num(ratio.value), Rule.num(ratio.low),
                        Rule.num(ratio.high)),
                String.format(Locale.ROOT, "%d round(s) of %s through each over loopback, the arms in turn, each send "
                                + "timed with the receiver's reads that empty its queue after it, each after a "
                                + "warm-up of an eighth of that. TCP: %d timed calls offering %d bytes took %.0f KiB each on "
                                + "average; %.0f ns/KiB overall. UDP: %d datagrams of %d bytes; %.0f ns/KiB overall. "
                                + "Interval: 95%% bootstrap of the ratio of medians, widened to cover each "
                                + "round's own ratio.",
                        done, Stats.bytes(volume), tcp.perKib.count(), TCP_CALL,
                        tcp.bytes / 1024.0 / tcp.perKib.count(), tcp.nsPerKib(), udp.perKib.count(), UDP_CALL,
                        udp.nsPerKib()))
                .measure(Measurement.of("tcp_ns_per_kib", t, "ns/KiB"))
                .measure(Measurement.of("udp_ns_per_kib", u, "ns/KiB"))
                .measure(Measurement.of("udp_tcp_ratio", ratio, "ratio"))
                .reading("rounds", done, "rounds");
    }
}

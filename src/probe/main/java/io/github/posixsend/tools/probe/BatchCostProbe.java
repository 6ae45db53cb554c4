// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.Message;
import io.github.posixsend.MessageBatch;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Claim 15: the per-datagram cost of send against sendmmsg batches and UDP_SEGMENT.
 *
 * <p>Every way of sending is timed the same way, on its own connected loopback UDP pair: one sample is the time of
 * the calls that carry {@link #HEADLINE} datagrams (64 sends, 8 sendmmsg of 8, one sendmmsg of 64, one send under
 * UDP_SEGMENT) or of one call carrying more (sendmmsg of 256), divided by the datagrams; the figure is the median
 * sample. Each way's samples are means over the same number of datagrams, so the medians compare like with like (a
 * median of single sends would sit below a median of 64-datagram means of the same times, which are skewed). The
 * receiver of every pair has the same {@code SO_RCVBUF} and is drained, untimed, after every sample, and the probe
 * counts what it received, so a receiver that overflowed shows in the report. Buffers are direct and the Message
 * and MessageBatch objects are built once per way, as a program that cares about the cost would; the Java side of
 * posix-send is part of what is timed. The verdict compares sendmmsg with {@link #HEADLINE} datagrams per call
 * with one send per datagram, in rounds of both until the ratio's interval settles; the other ways are timed
 * once, for the report.
 */
final class BatchCostProbe extends BaseProbe {
    private static final int SIZE = 1_000;
    /** The sendmmsg batch sizes timed. */
    private static final int[] BATCHES = {8, 64, 256};
    /** The batch size the verdict rests on. */
    private static final int HEADLINE = 64;
    /** Datagrams per send under UDP_SEGMENT. */
    private static final int SEGMENTS = 64;
    /** The receive buffer asked for (the kernel caps it at net.core.rmem_max), so that 256 datagrams fit. */
    private static final int RCVBUF = 1 << 20;
    /** Datagrams sent untimed first, in every way, so the JIT and caches settle; times the bounds' warm-up. */
    private static final int WARMUP_DATAGRAMS_PER_UNIT = 64;
    /**
     * Below 1 with a margin of 1.1: on loopback the receiving side's work runs inside the sender's call and batching
     * cannot save it, only the per-call part. The ratio came out 0.79 to 0.81 over nine runs on a 2-core machine, and a
     * C program making the same calls measured 0.81 with almost no spread, so a saving of a tenth is well clear of
     * the drift between runs; the margin of 1.25 this had before sat on the measured saving and left every run
     * INCONCLUSIVE. Where each system call flushes the TLB (page-table isolation without PCID) the per-call part is
     * most of the cost, and the ratio is lower still: 0.35 and 0.36 in two runs on such a 2-core host.
     */
    static final Rule RULE = Rule.below("median per-datagram time of sendmmsg x" + HEADLINE + " / of send", 1.0,
            1.1);

    BatchCostProbe() {
        super(15, "batch-cost", "sendmmsg cuts per-datagram cost",
                "sendmmsg batches mitigate the per-call cost: a datagram costs less sent in a batch than with one send "
                        + "each (UDP_SEGMENT, timed beside them, is shown, not judged).", RULE.text());
    }

    /**
     * One way of sending: {@link #reset} readies the buffers (untimed), {@link #call} makes the timed calls of one
     * sample.
     */
    private interface Sender {
        void reset();

        /** Datagrams the calls sent, or the first failing call's -errno. */
        long call();
    }

    /** What timing one way gave. */
    private static final class Timing {
        Stats perDatagram;
        long[] samples;
        long sent;
        long received;

        String receivedText() {
            return received + "/" + sent;
        }
    }

    /** A connected pair whose receiver has the probe's receive buffer; returns it and records the size set. */
    private static Descriptors.Pair pair(Descriptors d, int[] rcvbuf) throws ErrnoException {
        Descriptors.Pair p = d.udpPair(false);
        Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, RCVBUF);
        rcvbuf[0] = Posix.getsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF);
        return p;
    }

    /** Datagrams in one sample of a way that sends {@code perCall} per call: {@link #HEADLINE}, or one call's. */
    private static int perSample(int perCall) {
        return Math.max(perCall, HEADLINE);
    }

    /**
     * Times {@code s}, whose calls carry {@code perSample} datagrams per sample, on {@code p}. Fails on an error or a
     * short count (a blocking UDP socket sends all or fails).
     */
    private static Timing time(ProbeContext ctx, Descriptors.Pair p, String what, int perSample, Sender s)
            throws Exception {
        Bounds b = ctx.bounds();
        int samples = Math.max(10, b.repetitions / 4);
        int warmup = Math.max(2, b.warmup * WARMUP_DATAGRAMS_PER_UNIT / perSample);
        long[] nanos = new long[samples];
        ByteBuffer sink = ByteBuffer.allocateDirect(SIZE * SEGMENTS);
        String deadlineText = "timing " + what;
        Timing r = new Timing();
        for (int i = 0; i < warmup + samples; i++) {
            ctx.checkDeadline(deadlineText);
            s.reset();
            long t0 = System.nanoTime();
            long n = s.call();
            long t = System.nanoTime() - t0;
            if (n < 0) {
                throw ErrnoException.of(what, (int) -n);
            }
            if (n != perSample) {
                throw new IllegalStateException(what + " sent " + n + " of " + perSample + " datagrams on a "
                        + "blocking socket");
            }
            if (i >= warmup) {
                nanos[i - warmup] = t / perSample;
            }
            r.sent += perSample;
            r.received += Io.drain(ctx, p.b, sink)[0];
        }
        r.perDatagram = Stats.of(nanos, samples);
        r.samples = nanos;
        return r;
    }

    /** {@code n} slices of {@link #SIZE} bytes of one direct buffer. */
    private static ByteBuffer[] slices(int n) {
        ByteBuffer backing = ByteBuffer.allocateDirect(SIZE * n);
        ByteBuffer[] slices = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            slices[i] = backing.duplicate().position(i * SIZE).limit((i + 1) * SIZE).slice();
        }
        return slices;
    }

    private static void clear(ByteBuffer[] buffers) {
        for (ByteBuffer buf : buffers) {
            buf.clear();
        }
    }

    /** One send per datagram. */
    private static Timing timeSend(ProbeContext ctx, int[] rcvbuf) throws Exception {
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = pair(d, rcvbuf);
            ByteBuffer[] bufs = slices(perSample(1));
            return time(ctx, p, "send", bufs.length, new Sender() {
                @Override
                public void reset() {
                    clear(bufs);
                }

                @Override
                public long call() {
                    for (ByteBuffer buf : bufs) {
                        int n = Posix.trySend(p.a, buf, 0);
                        if (n != SIZE) {
                            return n < 0 ? n : 0;
                        }
                    }
                    return bufs.length;
                }
            });
        }
    }

    /**
     * Closes the messages and batches given to it, last first, however far building them got: their native memory
     * goes when the probe is done with them, not when the collector finds them.
     */
    private static final class Owned implements AutoCloseable {
        private final java.util.ArrayDeque<Runnable> closers = new java.util.ArrayDeque<>();

        Message add(Message m) {
            closers.push(m::close);
            return m;
        }

        MessageBatch add(MessageBatch b) {
            closers.push(b::close);
            return b;
        }

        @Override
        public void close() {
            while (!closers.isEmpty()) {
                closers.pop().run();
            }
        }
    }

    /** sendmmsg of {@code k} datagrams per call, each message one slice of one direct buffer. */
    private static Timing timeSendmmsg(ProbeContext ctx, int k, int[] rcvbuf) throws Exception {
        try (Descriptors d = ctx.descriptors(); Owned owned = new Owned()) {
            Descriptors.Pair p = pair(d, rcvbuf);
            ByteBuffer[] bufs = slices(perSample(k));
            MessageBatch[] batches = new MessageBatch[bufs.length / k];
            for (int j = 0; j < batches.length; j++) {
                batches[j] = owned.add(new MessageBatch(k));
                for (int i = 0; i < k; i++) {
                    batches[j].add(owned.add(new Message(0)).add(bufs[j * k + i]));
                }
            }
            return time(ctx, p, "sendmmsg", bufs.length, new Sender() {
                @Override
                public void reset() {
                    clear(bufs);
                }

                @Override
                public long call() {
                    long sent = 0;
                    for (MessageBatch batch : batches) {
                        int n = Posix.trySendmmsg(p.a, batch, 0);
                        if (n != k) {
                            return n < 0 ? n : sent + n;
                        }
                        sent += n;
                    }
                    return sent;
                }
            });
        }
    }

    /** One send of {@link #SEGMENTS} datagrams' bytes under UDP_SEGMENT; {@code check} gets how the first arrived. */
    private static Timing timeGso(ProbeContext ctx, int[] rcvbuf, String[] check) throws Exception {
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = pair(d, rcvbuf);
            Posix.setsockopt(p.a, Posix.SOL_UDP, Posix.UDP_SEGMENT, SIZE);
            ByteBuffer buf = ByteBuffer.allocateDirect(SIZE * SEGMENTS);
            Posix.send(p.a, buf, 0);
            ByteBuffer in = ByteBuffer.allocateDirect(SIZE * SEGMENTS);
            int first = Io.receive(ctx, p.b, in, 0, 1_000);
            long[] rest = Io.drain(ctx, p.b, in);
            check[0] = "one send of " + (SIZE * SEGMENTS) + " B arrived as " + (first < 0 ? 0 : 1 + rest[0])
                    + " datagrams of " + first + " B";
            return time(ctx, p, "send with UDP_SEGMENT", perSample(SEGMENTS), new Sender() {
                @Override
                public void reset() {
                    buf.clear();
                }

                @Override
                public long call() {
                    int n = Posix.trySend(p.a, buf, 0);
                    return n == SIZE * SEGMENTS ? SEGMENTS : n < 0 ? n : 0;
                }
            });
        }
    }

    /** Adds {@code next}'s samples and counts to {@code acc}; returns the sum. */
    private static Timing merge(Timing acc, Timing next) {
        if (acc == null) {
            return next;
        }
        Timing m = new Timing();
        m.samples = java.util.Arrays.copyOf(acc.samples, acc.samples.length + next.samples.length);
        System.arraycopy(next.samples, 0, m.samples, acc.samples.length, next.samples.length);
        m.perDatagram = Stats.of(m.samples, m.samples.length);
        m.sent = acc.sent + next.sent;
        m.received = acc.received + next.received;
        return m;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        int[] rcvbuf = {0};
        Timing send = null;
        Timing headline = null;
        Rule.Decision decision;
        Estimate.Interval ratioCi;
        int rounds = 0;
        java.util.List<Double> perRound = new java.util.ArrayList<>();
        while (true) {
            long t0 = System.nanoTime();
            // the arms take turns going first, so that a drift within rounds does not favour one of them every time
            Timing s;
            Timing h;
            if (rounds % 2 == 0) {
                s = timeSend(ctx, rcvbuf);
                h = timeSendmmsg(ctx, HEADLINE, rcvbuf);
            } else {
                h = timeSendmmsg(ctx, HEADLINE, rcvbuf);
                s = timeSend(ctx, rcvbuf);
            }
            send = merge(send, s);
            headline = merge(headline, h);
            rounds++;
            perRound.add(Estimate.ratio(h.samples, s.samples));
            Estimate.Interval[] both = Estimate.ratioOfMediansAt(headline.samples, send.samples, Estimate.LEVEL,
                    Estimate.EARLY_LEVEL);
            ratioCi = Estimate.acrossRounds(both[0], perRound);
            decision = RULE.decide(ratioCi);
            Rule.Decision early = RULE.decide(Estimate.acrossRounds(both[1], perRound));
            // after the rounds come the timings for the report (x8, x256, UDP_SEGMENT: about 2.5 rounds' worth), so
            // another round needs room for itself and for them, or a verdict already reached would end in ERROR
            if (!Rule.anotherRound(ctx, early, rounds, (System.nanoTime() - t0) * 4)) {
                break;
            }
        }
        decision = Rule.finish(decision, rounds);
        Timing[] batches = new Timing[BATCHES.length];
        for (int i = 0; i < BATCHES.length; i++) {
            batches[i] = BATCHES[i] == HEADLINE ? headline : timeSendmmsg(ctx, BATCHES[i], rcvbuf);
        }
        double[] batchSizes = new double[BATCHES.length + 1];
        double[] batchCost = new double[BATCHES.length + 1];
        batchSizes[0] = 1;
        batchCost[0] = send.perDatagram.median;
        for (int i = 0; i < BATCHES.length; i++) {
            batchSizes[i + 1] = BATCHES[i];
            batchCost[i + 1] = batches[i].perDatagram.median;
        }

        StringBuilder measured = new StringBuilder("per datagram: send ")
                .append(Stats.duration(send.perDatagram.median)).append("; sendmmsg");
        StringBuilder details = new StringBuilder("Loopback UDP over IPv4, " + SIZE + "-byte datagrams from direct "
                + "buffers, Message/MessageBatch built once. A sample is the time of the calls that carry " + HEADLINE
                + " datagrams (one call for batches of more) divided by the datagrams; figures are medians. Receiver "
                + "SO_RCVBUF " + rcvbuf[0] + " B (asked " + RCVBUF + "), drained untimed after every sample; "
                + "received/sent is counted "
                + "over warm-up and timed calls. On loopback the receiving side's protocol work runs inside the "
                + "sender's call, so every figure includes delivery, which batching does not save. "
                + "send, 1 per call, " + HEADLINE + " calls per sample: " + send.perDatagram + ", received "
                + send.receivedText() + ".");
        boolean dropped = send.received != send.sent;
        for (int i = 0; i < BATCHES.length; i++) {
            measured.append(i == 0 ? " x" : ", x").append(BATCHES[i]).append(' ')
                    .append(Stats.duration(batches[i].perDatagram.median));
            details.append(" sendmmsg, ").append(BATCHES[i]).append(" per call: ").append(batches[i].perDatagram)
                    .append(", received ").append(batches[i].receivedText()).append('.');
            dropped |= batches[i].received != batches[i].sent;
        }

        long gsoMedian = -1;
        long[] gsoSamples = null;
        if (Posix.isSupported(Posix.UDP_SEGMENT) && Posix.isSupported(Posix.SOL_UDP)) {
            String[] check = {""};
            try {
                Timing g = timeGso(ctx, rcvbuf, check);
                measured.append("; UDP_SEGMENT x").append(SEGMENTS).append(' ')
                        .append(Stats.duration(g.perDatagram.median));
                details.append(" send with UDP_SEGMENT=").append(SIZE).append(", ").append(SEGMENTS)
                        .append(" datagrams per call (").append(check[0]).append("): ").append(g.perDatagram)
                        .append(", received ").append(g.receivedText()).append('.');
                dropped |= g.received != g.sent;
                gsoMedian = g.perDatagram.median;
                gsoSamples = g.samples;
            } catch (ErrnoException e) {
                measured.append("; UDP_SEGMENT ").append(Io.errnoName(e));
                details.append(" UDP_SEGMENT failed: ").append(e.getMessage()).append('.');
            }
        } else {
            measured.append("; UDP_SEGMENT not on this system");
        }
        if (dropped) {
            details.append(" Some receiver overflowed (received < sent): those figures include the kernel "
                    + "dropping datagrams.");
        }
        String ratio = Rule.num(ratioCi.value);
        measured.append(" (sendmmsg x").append(HEADLINE).append("/send ").append(ratio).append(" [")
                .append(Rule.num(ratioCi.low)).append(", ").append(Rule.num(ratioCi.high)).append("])");
        details.append(" Verdict from ").append(rounds).append(" round(s) of send and sendmmsg x").append(HEADLINE)
                .append(": ratio of medians ").append(ratio)
                .append(", 95% bootstrap interval widened to each round's ratio [")
                .append(Rule.num(ratioCi.low)).append(", ").append(Rule.num(ratioCi.high)).append("].");
        Outcome o = Outcome.of(decision, measured.toString(), details.toString())
                .measure(Measurement.medianNanos("send_ns_per_datagram", send.samples));
        for (int i = 0; i < BATCHES.length; i++) {
            o.measure(Measurement.medianNanos("sendmmsg_x" + BATCHES[i] + "_ns_per_datagram", batches[i].samples));
        }
        if (gsoSamples != null) {
            o.measure(Measurement.medianNanos("udp_segment_x" + SEGMENTS + "_ns_per_datagram", gsoSamples));
        }
        o.measure(Measurement.of("sendmmsg_send_ratio", ratioCi, "ratio"))
                .reading("rounds", rounds, "rounds")
                .series("batch size", batchSizes)
                .series("sendmmsg ns per datagram", batchCost);
        if (gsoMedian >= 0) {
            o.series("udp_segment batch size", new double[] {1, SEGMENTS})
                    .series("udp_segment ns per datagram", new double[] {send.perDatagram.median, gsoMedian});
        }
        return o;
    }
}

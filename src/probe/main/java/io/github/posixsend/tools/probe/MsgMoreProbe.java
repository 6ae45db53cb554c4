package io.github.posixsend.tools.probe;

import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Claim 7: MSG_MORE joins UDP sends into one datagram, and on TCP holds data back until a send without it;
 * and how long the kernel holds TCP data by itself when no such send comes.
 */
final class MsgMoreProbe extends BaseProbe {
    private static final int PART = 100;

    MsgMoreProbe() {
        super(7, "msg-more", "MSG_MORE joins UDP sends, holds TCP data",
                "MSG_MORE on UDP joins several sends into one datagram; on TCP it holds data back until a send "
                        + "without it (and the kernel releases held data by itself after a while).",
                "HOLDS if four UDP sends with MSG_MORE arrive as one datagram, TCP data sent with MSG_MORE is not "
                        + "readable at once, and arrives whole after a send without it; DIFFERS otherwise");
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        if (!MsgFlag.MSG_MORE.isSupported()) {
            return Outcome.notApplicable("no MSG_MORE on this system", "");
        }
        int more = MsgFlag.MSG_MORE.value();
        String udp;
        boolean udpOk;
        boolean tcpHeld;
        boolean tcpTogether;
        String tcp;
        String selfRelease;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.udpPair(false);
            Posix.send(p.a, bytes("one,"), more);
            Posix.send(p.a, bytes("two,"), more);
            Posix.send(p.a, bytes("three,"), more);
            Posix.send(p.a, bytes("four"), 0);
            ByteBuffer in = ByteBuffer.allocate(256);
            int first = Io.receive(ctx, p.b, in, 0, 1_000);
            String got = first < 0 ? "" : new String(in.array(), 0, first, StandardCharsets.US_ASCII);
            long[] rest = Io.drain(ctx, p.b, 256);
            udpOk = got.equals("one,two,three,four") && rest[0] == 0;
            udp = "4 sends -> " + (first < 0 ? "nothing" : "\"" + got + "\"") + " + " + rest[0] + " more datagrams";
        }
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            Posix.send(p.a, ByteBuffer.allocate(PART), more);
            ByteBuffer in = ByteBuffer.allocate(4 * PART);
            // Right away: held data is not readable (the kernel would release it only after many milliseconds).
            int early = Io.receive(ctx, p.b, in, 0, 0);
            tcpHeld = early < 0;
            Posix.send(p.a, ByteBuffer.allocate(PART), 0);
            int first = Io.receive(ctx, p.b, in, 0, 1_000);
            tcpTogether = first == 2 * PART;
            tcp = "right after a MSG_MORE send the peer read " + (early < 0 ? "nothing" : early + " B")
                    + "; after a plain send its first read got " + first + " of " + (2 * PART) + " B";
        }
        // The hold-back time, a few times on fresh connections while the deadline leaves room for a full wait.
        long wait = ctx.bounds().holdWaitMillis;
        Samples heldNanos = new Samples(4);
        int stillHeld = 0;
        int tries = 0;
        while (tries < ctx.bounds().maxRounds - 1 && (tries == 0 || ctx.remainingMillis() > wait + 500)) {
            tries++;
            try (Descriptors d = ctx.descriptors()) {
                Descriptors.Pair p = d.tcpPair();
                Posix.send(p.a, ByteBuffer.allocate(PART), more);
                long t0 = System.nanoTime();
                int got = Io.receive(ctx, p.b, ByteBuffer.allocate(PART), 0, wait);
                long held = System.nanoTime() - t0;
                if (got < 0) {
                    stillHeld++;
                } else {
                    heldNanos.add(held);
                }
            }
        }
        selfRelease = heldNanos.count() == 0 ? "still held after " + wait + " ms"
                : "released by the kernel after " + Stats.duration(heldNanos.stats().median)
                        + (tries > 1 ? " (median of " + heldNanos.count() + ")" : "");
        boolean holds = udpOk && tcpHeld && tcpTogether;
        return Outcome.of(holds,
                "UDP: " + (udpOk ? "one datagram" : "not joined") + "; TCP: " + (tcpHeld ? "held" : "not held")
                        + (tcpTogether ? ", released whole" : ", not released whole") + "; alone: " + selfRelease,
                "UDP: " + udp + ". TCP: " + tcp + ". A lone " + PART + "-byte MSG_MORE send with no follow-up: "
                        + selfRelease + " (polled every 1 ms, " + tries + " tries, " + stillHeld + " still held after "
                        + wait + " ms).")
                .measure("udp_joined", udpOk ? 1 : 0, "boolean")
                .measure("tcp_held", tcpHeld ? 1 : 0, "boolean")
                .measure("tcp_released_whole", tcpTogether ? 1 : 0, "boolean")
                .measure(heldNanos.count() == 0 ? Measurement.single("self_release_ns", -1, "ns")
                        : Measurement.medianNanos("self_release_ns", heldNanos.toArray()))
                .series("hold-back time (ns)", Outcome.doubles(heldNanos.toArray()));
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Claim 7: MSG_MORE joins UDP sends into one datagram, and on TCP holds data back until a send without it; and the
 * kernel sends TCP data held so by itself after a while. "Held" is judged against a control: on a fresh connection
 * a plain send's data must be readable within {@value #HELD_MILLIS} ms, polled, while on another the same sent with
 * MSG_MORE stays unreadable for as long; then a plain send must bring both parts. A lone MSG_MORE send with no
 * follow-up, on fresh connections, must then be released by the kernel within the bounds' hold wait.
 */
final class MsgMoreProbe extends BaseProbe {
    private static final int PART = 100;
    /**
     * How long the MSG_MORE data must stay unreadable, and the control's readable within: loopback delivers a plain
     * send in microseconds, and the kernel releases held data only after about 200 ms.
     */
    static final long HELD_MILLIS = 50;

    MsgMoreProbe() {
        super(7, "msg-more", "MSG_MORE joins UDP sends, holds TCP data",
                "MSG_MORE on UDP joins several sends into one datagram; on TCP it holds data back until a send "
                        + "without it, and the kernel sends held data by itself after a while (tcp(7) gives "
                        + "TCP_CORK, which MSG_MORE mimics, a 200 ms ceiling).",
                "HOLDS if four UDP sends with MSG_MORE arrive as one datagram; TCP data sent with MSG_MORE stays "
                        + "unreadable for " + HELD_MILLIS + " ms while a plain send's is readable within them, and "
                        + "arrives whole after a send without it; and a lone MSG_MORE send is released by the kernel "
                        + "within the hold wait (" + Bounds.DEFAULT.holdWaitMillis + " ms, "
                        + Bounds.QUICK.holdWaitMillis + " with --quick: twice the ceiling or more); INCONCLUSIVE if "
                        + "the plain send's data is not "
                        + "readable within " + HELD_MILLIS + " ms (held data could not be told from late data); "
                        + "DIFFERS otherwise");
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
        // the control: the same send without the flag is readable at once
        long controlNanos;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            long t0 = System.nanoTime();
            Posix.send(p.a, ByteBuffer.allocate(PART), 0);
            int got = Io.receive(ctx, p.b, ByteBuffer.allocate(PART), 0, HELD_MILLIS);
            controlNanos = got < 0 ? -1 : System.nanoTime() - t0;
        }
        boolean controlOk = controlNanos >= 0;
        boolean tcpHeld;
        boolean tcpTogether;
        String tcp;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            Posix.send(p.a, ByteBuffer.allocate(PART), more);
            ByteBuffer in = ByteBuffer.allocate(4 * PART);
            int early = Io.receive(ctx, p.b, in, 0, HELD_MILLIS);
            tcpHeld = early < 0;
            Posix.send(p.a, ByteBuffer.allocate(PART), 0);
            int first = Io.receive(ctx, p.b, in, 0, 1_000);
            tcpTogether = first == 2 * PART;
            tcp = "a plain send was readable " + (controlOk ? "after " + Stats.duration(controlNanos)
                    : "not within " + HELD_MILLIS + " ms") + "; a MSG_MORE send " + (early < 0
                    ? "stayed unreadable for " + HELD_MILLIS + " ms"
                    : "was readable (" + early + " B) within " + HELD_MILLIS + " ms")
                    + "; after a plain send the first read got " + first + " of " + (2 * PART) + " B";
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
        boolean released = stillHeld == 0;
        String selfRelease = heldNanos.count() == 0 ? "still held after " + wait + " ms"
                : "released by the kernel after " + Stats.duration(heldNanos.stats().median)
                        + (tries > 1 ? " (median of " + heldNanos.count() + ")" : "")
                        + (stillHeld > 0 ? ", " + stillHeld + " still held after " + wait + " ms" : "");
        boolean differs = !udpOk || (controlOk && !tcpHeld) || !tcpTogether || !released;
        String measured = "UDP: " + (udpOk ? "one datagram" : "not joined") + "; TCP: "
                + (!controlOk ? "control late" : tcpHeld ? "held" : "not held")
                + (tcpTogether ? ", released whole" : ", not released whole") + "; alone: " + selfRelease;
        String details = "UDP: " + udp + ". TCP: " + tcp + ". A lone " + PART + "-byte MSG_MORE send with no "
                + "follow-up: " + selfRelease + " (polled every 1 ms, " + tries + " tries, " + stillHeld
                + " still held after " + wait + " ms).";
        Outcome o = differs ? new Outcome(measured, Verdict.DIFFERS, details)
                : !controlOk ? Outcome.inconclusive("a plain send's data was not readable within " + HELD_MILLIS
                        + " ms, so data held back could not be told from data late", measured, details)
                : new Outcome(measured, Verdict.HOLDS, details);
        o.measure("udp_joined", udpOk ? 1 : 0, "boolean")
                .measure("tcp_held", tcpHeld ? 1 : 0, "boolean")
                .measure("tcp_released_whole", tcpTogether ? 1 : 0, "boolean")
                .measure("self_released", released ? 1 : 0, "boolean");
        if (controlOk) {
            o.measure(Measurement.single("control_readable_ns", controlNanos, "ns"));
        }
        if (heldNanos.count() > 0) { // none released: no hold-back time to report (a -1 would read as one)
            o.measure(Measurement.medianNanos("self_release_ns", heldNanos.toArray()));
        }
        return o.series("hold-back time (ns)", Outcome.doubles(heldNanos.toArray()));
    }
}

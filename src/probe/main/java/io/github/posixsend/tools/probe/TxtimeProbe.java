// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ControlMessage;
import io.github.posixsend.ErrnoException;
import io.github.posixsend.Message;
import io.github.posixsend.PollSet;
import io.github.posixsend.Posix;
import io.github.posixsend.SockTxtime;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * Claim 25: with {@code SO_TXTIME}, a packet given a transmit time ({@code SCM_TXTIME}) leaves at that time, not
 * before. The kernel keeps the time with the packet; what holds it is the queueing discipline of the device it leaves
 * by ({@code fq} until its time, {@code etf} by its deadline), and loopback has none by default ({@code noqueue}).
 * Each datagram is sent on connected loopback UDP with a time {@link #HOLD_MILLIS} ahead on {@code CLOCK_MONOTONIC}
 * (which {@code System.nanoTime()} reads on Linux), and its arrival is timed from the return of its send.
 */
final class TxtimeProbe extends BaseProbe {
    /** How far ahead each datagram is timed. */
    static final long HOLD_MILLIS = 200;
    private static final int COUNT = 5;
    /** The longest a datagram is waited for. */
    private static final int WAIT_MILLIS = 1_000;

    TxtimeProbe() {
        super(25, "txtime-holds", "SO_TXTIME holds a packet until its time",
                "A packet sent with a transmit time (SO_TXTIME and an SCM_TXTIME control message) leaves at that "
                        + "time, not before: the socket option and the control message are enough.",
                "HOLDS if every datagram arrived at least 90% of its " + HOLD_MILLIS + " ms hold after its send "
                        + "returned; DIFFERS if every one arrived within half of it; INCONCLUSIVE otherwise (some held "
                        + "and some not, or one not within " + WAIT_MILLIS + " ms)");
    }

    /** The verdict from each datagram's delay in nanoseconds, -1 for one that did not arrive. */
    static Verdict verdict(long[] delays) {
        long hold = HOLD_MILLIS * 1_000_000L;
        boolean allHeld = true;
        boolean noneHeld = true;
        for (long d : delays) {
            if (d < 0) {
                return Verdict.INCONCLUSIVE;
            }
            allHeld &= d >= hold * 9 / 10;
            noneHeld &= d < hold / 2;
        }
        return allHeld ? Verdict.HOLDS : noneHeld ? Verdict.DIFFERS : Verdict.INCONCLUSIVE;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        if (!ControlMessage.Kind.TXTIME.isSupported() || Posix.SO_TXTIME == Posix.UNSUPPORTED) {
            return Outcome.notApplicable("no SO_TXTIME on this system", "");
        }
        long[] delays = new long[COUNT];
        try (Descriptors d = ctx.descriptors();
                Message m = new Message(ControlMessage.space(ControlMessage.Kind.TXTIME))) {
            Descriptors.Pair p = d.udpPair(false);
            try {
                Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TXTIME, new SockTxtime(Posix.CLOCK_MONOTONIC, 0));
            } catch (ErrnoException e) {
                return Outcome.notAvailable("setsockopt SO_TXTIME: " + Io.errnoName(e) + " (Linux 4.19 and later)", "");
            }
            PollSet readable = new PollSet(1);
            readable.add(p.b, Posix.POLLIN);
            ByteBuffer in = ByteBuffer.allocateDirect(16);
            for (int i = 0; i < COUNT; i++) {
                ctx.checkDeadline("timing SO_TXTIME sends");
                long now = System.nanoTime();
                m.clear().add(ByteBuffer.wrap(new byte[] {(byte) i}))
                        .addControl(ControlMessage.txtime(now + HOLD_MILLIS * 1_000_000L));
                Posix.sendmsg(p.a, m, 0);
                long sent = System.nanoTime();
                delays[i] = readable.poll(WAIT_MILLIS) == 1 ? System.nanoTime() - sent : -1;
                if (delays[i] < 0) {
                    break;
                }
                in.clear();
                Posix.recv(p.b, in, 0);
            }
        }
        long[] arrived = Arrays.stream(delays).filter(x -> x >= 0).sorted().toArray();
        String range = arrived.length == 0 ? "-" : millis(arrived[0]) + " to " + millis(arrived[arrived.length - 1])
                + " (median " + millis(arrived[arrived.length / 2]) + ")";
        String qdisc = HostFacts.loopbackQdisc();
        // the device's queueing discipline decides, so the verdict's line names it
        String measured = String.format(Locale.ROOT, "%d of %d datagrams timed %d ms ahead arrived, after %s; "
                + "loopback's root qdisc: %s", arrived.length, COUNT, HOLD_MILLIS, range,
                qdisc == null ? "unknown" : qdisc + (qdisc.equals("fq") || qdisc.equals("etf") ? ""
                        : " (only fq and etf hold a packet)"));
        String details = COUNT + " datagrams of 1 byte on connected loopback UDP, SO_TXTIME set to CLOCK_MONOTONIC, "
                + "each sendmsg carrying an SCM_TXTIME of its start + " + HOLD_MILLIS + " ms, its arrival timed by "
                + "poll from the send's return. The time travels with the packet; fq holds a packet until it and etf "
                + "by its deadline, while a device without such a queueing discipline sends at once: loopback has "
                + "none unless one was added (tc qdisc show dev lo"
                + (qdisc == null ? "" : ": its root is " + qdisc + " here") + ").";
        Outcome o = Outcome.of(verdict(delays), "some datagrams were held and some not, or one did not come within "
                + WAIT_MILLIS + " ms", measured, details);
        if (arrived.length > 0) {
            o.reading("median_delay", arrived[arrived.length / 2] / 1e6, "ms"); // a few us, as the run went
        }
        return o.measure("arrived", arrived.length, "datagrams");
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}

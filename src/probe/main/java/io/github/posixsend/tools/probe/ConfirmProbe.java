// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Claim 20: MSG_CONFIRM on UDP is accepted and changes nothing a sender can observe on loopback (it only tells
 * the neighbour cache that the peer answered, and loopback has no neighbour to ask). Datagrams sent with and
 * without it are compared: the count send returns, what arrives, and the order; and what TCP does with the flag.
 */
final class ConfirmProbe extends BaseProbe {
    private static final int COUNT = 8;
    private static final int SIZE = 300;

    ConfirmProbe() {
        super(20, "msg-confirm", "MSG_CONFIRM on UDP: accepted, no effect",
                "MSG_CONFIRM on a UDP socket is accepted and changes nothing a sender can observe on loopback.",
                "HOLDS if UDP sends with MSG_CONFIRM return the full count and their datagrams arrive whole, in "
                        + "order and alike to those sent without it; INCONCLUSIVE if a datagram does not arrive within "
                        + "1 s and all that came fits; DIFFERS otherwise");
    }

    /**
     * Sends COUNT datagrams, alternating the flag; returns {full counts, arrived whole and in order, received, 1 when a
     * receive's wait ran out}.
     */
    private static int[] udp(ProbeContext ctx, int confirm, StringBuilder note) throws Exception {
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.udpPair(false);
            int full = 0;
            for (int i = 0; i < COUNT; i++) {
                byte[] payload = new byte[SIZE];
                Arrays.fill(payload, (byte) i);
                try {
                    full += Posix.send(p.a, ByteBuffer.wrap(payload), i % 2 == 0 ? confirm : 0) == SIZE ? 1 : 0;
                } catch (ErrnoException e) {
                    note.append(" send ").append(i).append(": ").append(Io.errnoName(e)).append('.');
                }
            }
            int good = 0;
            int received = 0;
            ByteBuffer in = ByteBuffer.allocate(SIZE + 16);
            for (int i = 0; i < COUNT; i++) {
                int n = Io.receive(ctx, p.b, in, 0, 1_000);
                if (n < 0) {
                    // the rest would wait a second each: one wait that ran out is enough to leave it open
                    return new int[] {full, good, received, 1};
                }
                received++;
                if (n == SIZE && in.get(0) == (byte) i && in.get(SIZE - 1) == (byte) i) {
                    good++;
                }
            }
            return new int[] {full, good, received, 0};
        }
    }

    /**
     * The verdict from {@link #udp}'s counts: a datagram that did not come within its wait leaves it open, if every
     * send was full and all that came fit.
     */
    static Verdict verdict(int[] r) {
        if (r[0] == COUNT && r[1] == COUNT) {
            return Verdict.HOLDS;
        }
        return r[3] == 1 && r[0] == COUNT && r[1] == r[2] ? Verdict.INCONCLUSIVE : Verdict.DIFFERS;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        if (!MsgFlag.MSG_CONFIRM.isSupported()) {
            return Outcome.notApplicable("no MSG_CONFIRM on this system", "");
        }
        int confirm = MsgFlag.MSG_CONFIRM.value();
        StringBuilder note = new StringBuilder();
        int[] r = udp(ctx, confirm, note);
        String tcp;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            try {
                int n = Posix.send(p.a, ByteBuffer.allocate(SIZE), confirm);
                int got = Io.receive(ctx, p.b, ByteBuffer.allocate(SIZE), 0, 1_000);
                tcp = "sent " + n + ", peer read " + (got < 0 ? "nothing within 1 s" : String.valueOf(got));
            } catch (ErrnoException e) {
                tcp = Io.errnoName(e);
            }
        }
        String measured = "UDP, every other send with MSG_CONFIRM: " + r[0] + "/" + COUNT + " full counts, " + r[1]
                + "/" + COUNT + " arrived whole in order" + (r[3] == 1 ? " (datagram " + (r[2] + 1) + " not within 1 s)"
                : "") + "; TCP with MSG_CONFIRM: " + tcp;
        String details = COUNT + " datagrams of " + SIZE + " bytes on connected loopback UDP, the even ones with "
                + "MSG_CONFIRM, each filled with its index; the receiver checked each, waiting up to 1 s for it. On "
                + "TCP the flag is not meant for the socket type; what the kernel did with it is shown." + note;
        return Outcome.of(verdict(r), "datagram " + (r[2] + 1) + " did not arrive within 1 s, and all that came "
                + "fits the claim", measured, details)
                .measure("udp_full_counts", r[0], "calls")
                .measure("udp_arrived_in_order", r[1], "datagrams");
    }
}

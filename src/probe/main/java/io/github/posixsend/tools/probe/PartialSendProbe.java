// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;

/**
 * Claim 3: TCP may take part of a buffer; UDP takes a datagram whole or not at all. A non-blocking TCP sender
 * writes large chunks at a peer that does not read until would-block, watching for a count below the chunk;
 * a non-blocking UDP sender sends large datagrams at a receiver that does not read, and every count must be
 * the whole datagram or an error.
 */
final class PartialSendProbe extends BaseProbe {
    private static final int TCP_CHUNK = 256 * 1024;
    private static final int UDP_SIZE = 60_000;

    PartialSendProbe() {
        super(3, "partial-send", "TCP partial, UDP all or nothing",
                "TCP may accept only part of a buffer (a partial count on a non-blocking socket); UDP takes a "
                        + "datagram whole or not at all.",
                "HOLDS if a non-blocking TCP send returns a count below the chunk offered and no UDP send returns "
                        + "a count other than the whole datagram; INCONCLUSIVE when no UDP datagram is taken at all; "
                        + "DIFFERS otherwise");
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Bounds b = ctx.bounds();
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair tcp = d.tcpPair();
            Posix.setBlocking(tcp.a, false);
            Io.Fill fill = Io.fill(ctx, tcp.a, TCP_CHUNK, b.fillCapBytes);

            Descriptors.Pair udp = d.udpPair(false);
            Posix.setBlocking(udp.a, false);
            ByteBuffer dgram = ByteBuffer.allocateDirect(UDP_SIZE);
            int whole = 0;
            int partial = 0;
            int wouldBlock = 0;
            int otherErrors = 0;
            String other = "";
            int attempts = Math.max(50, b.repetitions);
            for (int i = 0; i < attempts && !ctx.expired(); i++) {
                dgram.clear();
                int n = Posix.trySend(udp.a, dgram, 0);
                if (n == UDP_SIZE) {
                    whole++;
                } else if (n >= 0) {
                    partial++;
                } else if (-n == Errno.EAGAIN.number()) {
                    wouldBlock++;
                } else {
                    otherErrors++;
                    other = Io.errnoName(n);
                }
            }
            boolean tcpPartial = fill.firstPartial >= 0;
            boolean udpWhole = partial == 0;
            String measured = "TCP: " + (tcpPartial
                    ? "partial count " + fill.firstPartial + " of " + TCP_CHUNK
                    : "no partial count") + "; UDP: " + whole + " whole, " + partial + " partial, "
                    + wouldBlock + " EAGAIN" + (otherErrors > 0 ? ", " + otherErrors + " " + other : "");
            String details = "non-blocking TCP, " + TCP_CHUNK + "-byte sends to a peer that does not read: "
                    + fill.calls + " calls took " + Stats.bytes(fill.total) + " before "
                    + (fill.wouldBlock ? "EAGAIN" : "the cap") + "; non-blocking UDP, " + attempts
                    + " sends of " + UDP_SIZE + " bytes to a receiver that does not read.";
            // UDP's half rests on datagrams the kernel took: with none taken, nothing showed it whole or partial
            Outcome o = tcpPartial && udpWhole && whole == 0
                    ? Outcome.inconclusive("no UDP datagram of " + UDP_SIZE + " bytes was taken, so none could "
                            + "show whether UDP takes one whole", measured, details)
                    : Outcome.of(tcpPartial && udpWhole, measured, details);
            if (tcpPartial) { // without a partial count there is no size to report (a -1 would read as one)
                o.reading("tcp_first_partial_bytes", fill.firstPartial, "B");
            }
            return o
                    .reading("udp_whole", whole, "calls")
                    .reading("udp_partial", partial, "calls")
                    .reading("udp_eagain", wouldBlock, "calls");
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.MessageTooLongException;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;

/**
 * Claim 5: a UDP datagram above 65507 bytes (IPv4) or 65527 (IPv6) fails with EMSGSIZE and nothing is sent.
 * The oversized send comes first and the largest legal one second, so the first datagram the receiver gets
 * shows whether the oversized one went anywhere.
 */
final class DatagramSizeProbe extends BaseProbe {
    static final int MAX_V4 = 65_507;
    static final int MAX_V6 = 65_527;

    DatagramSizeProbe() {
        super(5, "udp-max-size", "UDP > 65507 (v4) / 65527 (v6): EMSGSIZE",
                "A UDP datagram above 65507 bytes (IPv4) or 65527 bytes (IPv6) fails with EMSGSIZE, and nothing "
                        + "is sent.",
                "HOLDS if a datagram one byte above the limit fails with EMSGSIZE and the first datagram received "
                        + "is the largest legal one; DIFFERS otherwise");
    }

    /** The result for one family, or null when the family cannot be used here. */
    private static String family(ProbeContext ctx, boolean v6, int max, boolean[] ok) throws Exception {
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p;
            try {
                p = d.udpPair(v6);
            } catch (ErrnoException e) {
                return null;
            }
            String over;
            try {
                int n = Posix.send(p.a, ByteBuffer.allocateDirect(max + 1), 0);
                over = (max + 1) + " B sent " + n;
                ok[0] = false;
            } catch (ErrnoException e) {
                over = (max + 1) + " B: " + Io.errnoName(e);
                if (!(e instanceof MessageTooLongException)) {
                    ok[0] = false;
                }
            }
            int n = Posix.send(p.a, ByteBuffer.allocateDirect(max), 0);
            ByteBuffer in = ByteBuffer.allocateDirect(max + 16);
            int got = Io.receive(ctx, p.b, in, 0, 1_000);
            if (n != max || got != max) {
                ok[0] = false;
            }
            return over + ", " + max + " B sent " + n + ", first received " + (got < 0 ? "nothing" : got + " B");
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        boolean[] ok = {true};
        String v4 = family(ctx, false, MAX_V4, ok);
        String v6 = family(ctx, true, MAX_V6, ok);
        if (v4 == null) {
            return Outcome.error("IPv4 loopback unusable", "");
        }
        String measured = "IPv4: " + v4 + "; IPv6: " + (v6 == null ? "no ::1 here" : v6);
        Outcome o = Outcome.of(ok[0], measured,
                "on connected loopback sockets, the oversized datagram was sent first and the largest legal one "
                        + "second; receiving the legal one first shows the oversized one was not sent."
                        + (v6 == null ? " IPv6 could not be used (no ::1), so only IPv4 was checked." : ""))
                .measure("ipv4_limit_bytes", MAX_V4, "B")
                .measure("checks_passed", ok[0] ? 1 : 0, "boolean");
        if (v6 != null) { // without ::1 there is no IPv6 limit to report (a -1 would read as a value)
            o.measure("ipv6_limit_bytes", MAX_V6, "B");
        }
        return o;
    }
}

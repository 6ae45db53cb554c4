// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.ErrnoException;
import io.github.posixsend.Posix;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Claim 11: send reports no delivery failure. A datagram to a loopback port nobody listens on is sent without
 * error; on a connected UDP socket the ICMP port-unreachable that comes back surfaces on a later call as
 * ECONNREFUSED.
 */
final class NoDeliveryErrorProbe extends BaseProbe {
    private static final int MAX_SENDS = 50;

    NoDeliveryErrorProbe() {
        super(11, "no-delivery-error", "no delivery error; ECONNREFUSED later",
                "send reports no delivery failure: a datagram to a port nobody listens on succeeds, and on a "
                        + "connected UDP socket the refusal surfaces on a later call as ECONNREFUSED.",
                "HOLDS if sends to a port with no listener succeed and a connected socket's later send fails with "
                        + "ECONNREFUSED; INCONCLUSIVE if no refusal surfaces within " + MAX_SENDS + " sends 2 ms "
                        + "apart; DIFFERS otherwise");
    }

    /**
     * The verdict from the two unconnected sends' counts, the connected sends that succeeded and the error that ended
     * them ("none" when none did): sends that all succeeded while the refusal never came back are a wait that ran out,
     * not a finding.
     */
    static Verdict verdict(int u1, int u2, int okBefore, String error) {
        if (u1 != 10 || u2 != 10) {
            return Verdict.DIFFERS;
        }
        if ("none".equals(error)) {
            return Verdict.INCONCLUSIVE;
        }
        return okBefore >= 1 && Errno.ECONNREFUSED.name().equals(error) ? Verdict.HOLDS : Verdict.DIFFERS;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        try (Descriptors d = ctx.descriptors()) {
            InetSocketAddress nobody = d.closedUdpPort(false);
            int unconnected = d.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            int u1 = Posix.sendto(unconnected, ByteBuffer.allocate(10), 0, nobody);
            Thread.sleep(5);
            int u2 = Posix.sendto(unconnected, ByteBuffer.allocate(10), 0, nobody);

            int connected = d.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.connect(connected, nobody);
            int okBefore = 0;
            String error = "none";
            for (int i = 0; i < MAX_SENDS; i++) {
                ctx.checkDeadline("sending to a closed port");
                try {
                    Posix.send(connected, ByteBuffer.allocate(10), 0);
                    okBefore++;
                } catch (ErrnoException e) {
                    error = Io.errnoName(e);
                    break;
                }
                // The refusal comes back as ICMP after the send returned.
                Thread.sleep(2);
            }
            int whole = (u1 == 10 ? 1 : 0) + (u2 == 10 ? 1 : 0);
            String measured = "unconnected sendto: " + whole + " of 2 sent whole; connected: " + okBefore
                    + " sent, then " + ("none".equals(error) ? "no error" : error);
            String details = "to 127.0.0.1:" + nobody.getPort() + " with no listener: two sendto on an unconnected "
                    + "socket returned " + u1 + " and " + u2 + "; on a connected socket " + okBefore + " send(s) "
                    + "returned the full count, 2 ms apart, before " + ("none".equals(error) ? "the probe stopped "
                    + "waiting for the refusal" : "a later one failed with " + error) + ".";
            return Outcome.of(verdict(u1, u2, okBefore, error), "no refusal surfaced within " + MAX_SENDS
                    + " sends 2 ms apart: the ICMP error may not have come back yet", measured, details)
                    .reading("sends_before_error", okBefore, "calls")
                    .measure("econnrefused", Errno.ECONNREFUSED.name().equals(error) ? 1 : 0, "boolean");
        }
    }
}

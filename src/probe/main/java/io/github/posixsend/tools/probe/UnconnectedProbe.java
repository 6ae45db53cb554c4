// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Os;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;

/**
 * Claim 13: send without a destination fails: EDESTADDRREQ on an unconnected datagram socket, EPIPE on an
 * unconnected TCP socket (NetBSD: ENOTCONN); and sendto with an address on a connected UDP socket sends there on
 * Linux (NetBSD: EISCONN).
 */
final class UnconnectedProbe extends BaseProbe {
    UnconnectedProbe() {
        super(13, "unconnected", "unconnected send: EDESTADDRREQ / EPIPE",
                "send on an unconnected datagram socket fails with EDESTADDRREQ; on an unconnected TCP socket with "
                        + "EPIPE (NetBSD: ENOTCONN); sendto with an address on a connected UDP socket sends on "
                        + "Linux (NetBSD: EISCONN).",
                "HOLDS if the errnos and the sendto destination are those the claim names for this system; "
                        + "DIFFERS otherwise");
    }

    private static String attempt(int fd, int flags) {
        try {
            return "sent " + Posix.send(fd, ByteBuffer.allocate(4), flags);
        } catch (ErrnoException e) {
            return Io.errnoName(e);
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        boolean linux = Os.current() == Os.LINUX;
        // MSG_NOSIGNAL keeps the EPIPE case free of SIGPIPE; it does not change the errno.
        int nosignal = MsgFlag.MSG_NOSIGNAL.isSupported() ? MsgFlag.MSG_NOSIGNAL.value() : 0;
        try (Descriptors d = ctx.descriptors()) {
            String udp = attempt(d.socket(Posix.AF_INET, Posix.SOCK_DGRAM), 0);
            String tcp = attempt(d.socket(Posix.AF_INET, Posix.SOCK_STREAM), nosignal);

            Descriptors.Pair p = d.udpPair(false);
            int other = d.boundUdp(false);
            String redirected;
            int toOther = -1;
            int toPeer = -1;
            try {
                int n = Posix.sendto(p.a, ByteBuffer.allocate(7), 0, Descriptors.addressOf(other));
                toOther = Io.receive(ctx, other, ByteBuffer.allocate(64), 0, 1_000);
                toPeer = Io.receive(ctx, p.b, ByteBuffer.allocate(64), 0, 0);
                redirected = "sent " + n + ", " + (toOther == 7 ? "arrived at the given address" : "not at the given "
                        + "address") + (toPeer >= 0 ? ", and at the connected peer" : "");
            } catch (ErrnoException e) {
                redirected = Io.errnoName(e);
            }
            String tcpExpected = linux ? "EPIPE" : "ENOTCONN";
            boolean sendtoOk = linux ? toOther == 7 && toPeer < 0 : redirected.equals("EISCONN");
            boolean holds = udp.equals("EDESTADDRREQ") && tcp.equals(tcpExpected) && sendtoOk;
            return Outcome.of(holds, "UDP send: " + udp + "; TCP send: " + tcp + "; sendto on connected UDP: "
                            + redirected,
                    "expected on " + Os.current() + ": EDESTADDRREQ, " + tcpExpected + ", and "
                            + (linux ? "the datagram going to the address given" : "EISCONN")
                            + ". The TCP send used MSG_NOSIGNAL so that EPIPE raises no signal.")
                    .measure("checks_passed", holds ? 1 : 0, "boolean");
        }
    }
}

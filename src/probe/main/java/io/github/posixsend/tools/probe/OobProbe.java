// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.ErrnoException;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Claim 9: MSG_OOB on TCP sends one urgent byte (the last of the buffer); on UDP it fails with EOPNOTSUPP.
 * The peer reads the urgent byte with recv(MSG_OOB) and the rest in line.
 */
final class OobProbe extends BaseProbe {
    OobProbe() {
        super(9, "oob", "MSG_OOB: one urgent byte; UDP EOPNOTSUPP",
                "MSG_OOB on TCP sends one urgent byte (the last byte of the buffer); on UDP it fails with EOPNOTSUPP.",
                "HOLDS if send(\"abc\", MSG_OOB) on TCP makes 'c' the urgent byte with \"ab\" in line, and "
                        + "MSG_OOB on UDP fails with EOPNOTSUPP; INCONCLUSIVE if the wait for the urgent byte or the "
                        + "rest runs out (1 s) and what came fits; DIFFERS otherwise");
    }

    /** What {@link #urgent} returns when no urgent byte came within its second. */
    private static final int TIMED_OUT = -2;

    /**
     * Polls for the urgent byte: before it arrives, recv(MSG_OOB) fails with EINVAL or EAGAIN. Returns the byte, -1
     * when a read returned other than one byte, or {@link #TIMED_OUT}.
     */
    private static int urgent(ProbeContext ctx, int fd) throws Exception {
        int flags = MsgFlag.MSG_OOB.value() | MsgFlag.MSG_DONTWAIT.value();
        long end = System.nanoTime() + 1_000_000_000L;
        ByteBuffer one = ByteBuffer.allocate(8);
        while (true) {
            one.clear();
            try {
                int n = Posix.recv(fd, one, flags);
                return n == 1 ? one.get(0) & 0xff : -1;
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINVAL && e.errno() != Errno.EAGAIN) {
                    throw e;
                }
                if (System.nanoTime() - end > 0 || ctx.expired()) {
                    return TIMED_OUT;
                }
                Thread.sleep(1);
            }
        }
    }

    /**
     * The verdict from send's count {@code n}, the urgent byte {@code u} (or {@link #TIMED_OUT}), the in-line read's
     * count {@code normal} (-1 when nothing came within its wait) and text, and the UDP half: a wait that ran out is
     * INCONCLUSIVE, as long as what did come fits the claim.
     */
    static Verdict verdict(int n, int u, int normal, String inline, boolean udpOk) {
        boolean tcpOk = n == 3 && u == 'c' && normal == 2 && inline.equals("ab");
        if (tcpOk && udpOk) {
            return Verdict.HOLDS;
        }
        boolean late = (u == TIMED_OUT || normal < 0) && n == 3 && (u == TIMED_OUT || u == 'c')
                && (normal < 0 || inline.equals("ab"));
        return udpOk && late ? Verdict.INCONCLUSIVE : Verdict.DIFFERS;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        int oob = MsgFlag.MSG_OOB.value();
        String tcp;
        boolean tcpOk;
        int[] counts;
        String inline;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            int n = Posix.send(p.a, ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)), oob);
            int u = urgent(ctx, p.b);
            ByteBuffer in = ByteBuffer.allocate(16);
            int normal = Io.receive(ctx, p.b, in, 0, 1_000);
            inline = normal < 0 ? "" : new String(in.array(), 0, normal, StandardCharsets.US_ASCII);
            tcpOk = n == 3 && u == 'c' && inline.equals("ab");
            counts = new int[] {n, u, normal};
            tcp = "send(\"abc\", MSG_OOB) = " + n + "; urgent byte " + (u == TIMED_OUT ? "none within 1 s"
                    : u < 0 ? "none" : "'" + (char) u + "'") + ", in line " + (normal < 0 ? "nothing within 1 s"
                    : "\"" + inline + "\"");
        }
        String udp;
        boolean udpOk;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.udpPair(false);
            try {
                int n = Posix.send(p.a, ByteBuffer.allocate(1), oob);
                udp = "sent " + n;
                udpOk = false;
            } catch (ErrnoException e) {
                udp = Io.errnoName(e);
                udpOk = e.errno() == Errno.EOPNOTSUPP;
            }
        }
        String measured = "TCP: " + tcp + "; UDP: " + udp;
        String details = "the TCP peer read the urgent byte with recv(MSG_OOB|MSG_DONTWAIT), polled for up to 1 s, "
                + "and the rest with a plain recv, polled as long; the UDP send used a connected loopback socket.";
        return Outcome.of(verdict(counts[0], counts[1], counts[2], inline, udpOk), "the TCP peer's wait for the "
                + "urgent byte or the rest ran out, and nothing that came contradicts the claim", measured, details)
                .measure("tcp_checks_passed", tcpOk ? 1 : 0, "boolean")
                .measure("udp_eopnotsupp", udpOk ? 1 : 0, "boolean");
    }
}

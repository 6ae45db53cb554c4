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
                        + "MSG_OOB on UDP fails with EOPNOTSUPP; DIFFERS otherwise");
    }

    /** Polls for the urgent byte: before it arrives, recv(MSG_OOB) fails with EINVAL or EAGAIN. */
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
                    return -1;
                }
                Thread.sleep(1);
            }
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        int oob = MsgFlag.MSG_OOB.value();
        String tcp;
        boolean tcpOk;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            int n = Posix.send(p.a, ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)), oob);
            int u = urgent(ctx, p.b);
            ByteBuffer in = ByteBuffer.allocate(16);
            int normal = Io.receive(ctx, p.b, in, 0, 1_000);
            String inline = normal < 0 ? "" : new String(in.array(), 0, normal, StandardCharsets.US_ASCII);
            tcpOk = n == 3 && u == 'c' && inline.equals("ab");
            tcp = "send(\"abc\", MSG_OOB) = " + n + "; urgent byte " + (u < 0 ? "none" : "'" + (char) u + "'")
                    + ", in line \"" + inline + "\"";
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
        return Outcome.of(tcpOk && udpOk, "TCP: " + tcp + "; UDP: " + udp,
                "the TCP peer read the urgent byte with recv(MSG_OOB|MSG_DONTWAIT) and the rest with a plain recv; "
                        + "the UDP send used a connected loopback socket.")
                .measure("tcp_checks_passed", tcpOk ? 1 : 0, "boolean")
                .measure("udp_eopnotsupp", udpOk ? 1 : 0, "boolean");
    }
}

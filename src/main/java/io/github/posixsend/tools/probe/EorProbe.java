package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;

/**
 * Claim 10: MSG_EOR on an AF_UNIX SOCK_SEQPACKET socket keeps record boundaries. Records of different sizes
 * are sent with MSG_EOR and read with a buffer larger than all of them together: each read must return exactly
 * one record. The same is done without MSG_EOR, to show whether the flag is what keeps them.
 */
final class EorProbe extends BaseProbe {
    private static final int[] SIZES = {3, 500, 1, 4096};

    EorProbe() {
        super(10, "eor", "MSG_EOR keeps SEQPACKET records",
                "MSG_EOR on an AF_UNIX SOCK_SEQPACKET socket keeps record boundaries: each record arrives whole "
                        + "and alone.");
    }

    /** Sends the records with {@code flags}; returns the sizes read, comma-separated, or the error. */
    private static String records(ProbeContext ctx, int flags, boolean[] whole) throws Exception {
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.unixPair(Posix.SOCK_SEQPACKET);
            for (int size : SIZES) {
                try {
                    Posix.send(p.a, ByteBuffer.allocate(size), flags);
                } catch (ErrnoException e) {
                    whole[0] = false;
                    return "send: " + Io.errnoName(e);
                }
            }
            StringBuilder sizes = new StringBuilder();
            ByteBuffer in = ByteBuffer.allocate(16 * 1024);
            for (int i = 0; i < SIZES.length + 1; i++) {
                int n = Io.receive(ctx, p.b, in, 0, i < SIZES.length ? 1_000 : 0);
                if (n < 0) {
                    break;
                }
                if (i >= SIZES.length || n != SIZES[i]) {
                    whole[0] = false;
                }
                sizes.append(sizes.length() == 0 ? "" : ",").append(n);
            }
            return "reads of " + sizes;
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        if (!Posix.isSupported(Posix.SOCK_SEQPACKET)) {
            return Outcome.notApplicable("no SOCK_SEQPACKET here", "");
        }
        boolean[] eorWhole = {true};
        boolean[] plainWhole = {true};
        String eor = records(ctx, MsgFlag.MSG_EOR.value(), eorWhole);
        String plain = records(ctx, 0, plainWhole);
        StringBuilder sent = new StringBuilder();
        for (int s : SIZES) {
            sent.append(sent.length() == 0 ? "" : ",").append(s);
        }
        return Outcome.of(eorWhole[0], "records " + sent + " with MSG_EOR: " + eor + "; without: " + plain,
                "records of " + sent + " bytes on a socketpair(AF_UNIX, SOCK_SEQPACKET), read with a 16 KiB buffer; "
                        + "without MSG_EOR the records were " + (plainWhole[0] ? "kept as well" : "not kept")
                        + ", so on this kernel " + (plainWhole[0] ? "every send is a record" : "the flag matters")
                        + ".");
    }
}

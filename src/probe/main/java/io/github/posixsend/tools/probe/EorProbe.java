// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;

/**
 * Claim 10: MSG_EOR is what marks record boundaries on an AF_UNIX SOCK_SEQPACKET socket. The verdict rests on
 * what the flag changes: records of different sizes are sent with MSG_EOR and again without it, and read with a
 * buffer larger than all of them together. The claim holds only if the boundaries are kept with the flag and
 * lost without it. On Linux every send on SOCK_SEQPACKET is a record whatever the flags, so the flag changes
 * nothing there: that is the finding.
 */
final class EorProbe extends BaseProbe {
    private static final int[] SIZES = {3, 500, 1, 4096};

    EorProbe() {
        super(10, "eor", "MSG_EOR is what keeps SEQPACKET records",
                "MSG_EOR on an AF_UNIX SOCK_SEQPACKET socket is what keeps record boundaries: records sent with it "
                        + "arrive whole and alone, records sent without it may be joined.",
                "HOLDS if records sent with MSG_EOR arrive one per read and records sent without it do not; "
                        + "DIFFERS if the flag changes nothing (records kept, or lost, either way) or is refused");
    }

    /** How {@link #records} begins its answer when the kernel refused a send. */
    private static final String REFUSED = "send: ";

    /** Sends the records with {@code flags}; returns the sizes read, comma-separated, or the error. */
    private static String records(ProbeContext ctx, int flags, boolean[] whole) throws Exception {
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.unixPair(Posix.SOCK_SEQPACKET);
            for (int size : SIZES) {
                try {
                    Posix.send(p.a, ByteBuffer.allocate(size), flags);
                } catch (ErrnoException e) {
                    whole[0] = false;
                    return REFUSED + Io.errnoName(e);
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
        // a refused send is not records joined: the rule calls it DIFFERS whichever call was refused
        boolean refused = eor.startsWith(REFUSED) || plain.startsWith(REFUSED);
        boolean flagMatters = !refused && eorWhole[0] && !plainWhole[0];
        String finding = refused ? "a send was refused"
                : eorWhole[0] && plainWhole[0]
                ? "MSG_EOR changes nothing here: SOCK_SEQPACKET keeps record boundaries with or without it, "
                        + "every send is one record"
                : flagMatters ? "the boundaries are kept only with MSG_EOR"
                : "records were not kept even with MSG_EOR";
        return Outcome.of(flagMatters, "records " + sent + " with MSG_EOR: " + eor + "; without: " + plain + "; "
                        + (flagMatters ? "the flag keeps them" : refused ? "refused" : "the flag changes nothing"),
                "records of " + sent + " bytes on a socketpair(AF_UNIX, SOCK_SEQPACKET), read with a 16 KiB buffer; "
                        + finding + ".")
                .measure("records_kept_with_eor", eorWhole[0] ? 1 : 0, "boolean")
                .measure("records_kept_without_eor", plainWhole[0] ? 1 : 0, "boolean");
    }
}

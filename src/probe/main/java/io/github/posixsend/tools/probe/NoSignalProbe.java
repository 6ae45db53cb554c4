// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Claim 8: with MSG_NOSIGNAL a send on a connection the peer closed fails with EPIPE and no signal ends the
 * process; without it, the JVM's own SIGPIPE disposition decides (HotSpot handles and ignores the signal). The
 * disposition is read from /proc/self/status where it exists.
 */
final class NoSignalProbe extends BaseProbe {
    private static final int SIGPIPE = 13;
    private static final int MAX_SENDS = 50;

    NoSignalProbe() {
        super(8, "nosignal", "MSG_NOSIGNAL: EPIPE, no signal",
                "With MSG_NOSIGNAL a send on a connection the peer closed fails with EPIPE and no signal ends the "
                        + "process; without the flag the process gets SIGPIPE (what the JVM does with it is measured).",
                "HOLDS if a send with MSG_NOSIGNAL to a closed peer fails with EPIPE and the JVM lives on; "
                        + "DIFFERS otherwise (the JVM ignores SIGPIPE whatever the flag, so the signal half is "
                        + "reported, not tested)");
    }

    /** Sends until the first error after the peer closed; returns "N ok then ERRNO". */
    private static String afterPeerClose(ProbeContext ctx, int flags, String[] errno) throws Exception {
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            d.closeNow(p.b);
            ByteBuffer buf = ByteBuffer.allocateDirect(100);
            for (int i = 0; i < MAX_SENDS; i++) {
                ctx.checkDeadline("sending to a closed peer");
                buf.clear();
                try {
                    Posix.send(p.a, buf, flags);
                } catch (ErrnoException e) {
                    errno[0] = Io.errnoName(e);
                    return i + " sends ok, then " + errno[0];
                }
                // The peer's RST comes back asynchronously; give it a moment before the next send.
                Thread.sleep(1);
            }
            errno[0] = "none";
            return MAX_SENDS + " sends ok, no error";
        }
    }

    /** How this process handles SIGPIPE, from the SigIgn/SigCgt masks of /proc/self/status. */
    static String sigpipeDisposition() {
        Path status = Path.of("/proc/self/status");
        try {
            BigInteger ign = null;
            BigInteger cgt = null;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigIgn:")) {
                    ign = new BigInteger(line.substring(7).trim(), 16);
                } else if (line.startsWith("SigCgt:")) {
                    cgt = new BigInteger(line.substring(7).trim(), 16);
                }
            }
            if (ign == null || cgt == null) {
                return "unknown (no signal masks in /proc/self/status)";
            }
            if (ign.testBit(SIGPIPE - 1)) {
                return "ignored (SIG_IGN)";
            }
            if (cgt.testBit(SIGPIPE - 1)) {
                return "caught by a handler (the JVM's)";
            }
            return "default action (terminate)";
        } catch (IOException | NumberFormatException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        if (!MsgFlag.MSG_NOSIGNAL.isSupported()) {
            return Outcome.notApplicable("no MSG_NOSIGNAL on this system", "");
        }
        String[] withErr = new String[1];
        String[] withoutErr = new String[1];
        String with = afterPeerClose(ctx, MsgFlag.MSG_NOSIGNAL.value(), withErr);
        String disposition = sigpipeDisposition();
        String without = afterPeerClose(ctx, 0, withoutErr);
        String ownShutdown;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            Posix.shutdown(p.a, Posix.SHUT_WR);
            try {
                Posix.send(p.a, ByteBuffer.allocate(1), MsgFlag.MSG_NOSIGNAL.value());
                ownShutdown = "sent";
            } catch (ErrnoException e) {
                ownShutdown = Io.errnoName(e);
            }
        }
        boolean holds = "EPIPE".equals(withErr[0]);
        return Outcome.of(holds,
                "MSG_NOSIGNAL: " + withErr[0] + "; without: " + withoutErr[0] + ", JVM alive; SIGPIPE "
                        + disposition,
                "peer closed: with MSG_NOSIGNAL " + with + "; without the flag " + without
                        + " and the process lived on, since this JVM's SIGPIPE disposition is " + disposition
                        + " (HotSpot installs a handler that ignores it). After the sender's own shutdown(SHUT_WR): "
                        + ownShutdown + ".")
                .measure("epipe_with_nosignal", holds ? 1 : 0, "boolean")
                .measure("epipe_without_flag", "EPIPE".equals(withoutErr[0]) ? 1 : 0, "boolean");
    }
}

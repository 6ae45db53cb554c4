// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.ErrnoException;
import io.github.posixsend.Posix;

/**
 * Claim 19: SO_SNDLOWAT cannot be changed on Linux (setsockopt fails with ENOPROTOOPT; it reads as 1), and
 * TCP_NOTSENT_LOWAT limits the bytes a writable socket may hold unsent. With the peer not reading, a
 * non-blocking sender fills until EAGAIN with and without TCP_NOTSENT_LOWAT: the kernel counts the socket
 * writable only while its unsent bytes are below the mark, so the fill with the mark stops that much sooner.
 * (The unsent count itself is SIOCOUTQNSD, which claim 4 reads; the two fills' totals are enough here.)
 */
final class LowatProbe extends BaseProbe {
    private static final int CHUNK = 1_024;
    private static final int LOWAT = 16 * 1024;

    LowatProbe() {
        super(19, "lowat", "SO_SNDLOWAT fixed; TCP_NOTSENT_LOWAT caps",
                "SO_SNDLOWAT cannot be changed on Linux (ENOPROTOOPT), and TCP_NOTSENT_LOWAT limits the unsent "
                        + "bytes a writable socket holds.",
                "HOLDS if setting SO_SNDLOWAT fails with ENOPROTOOPT and a fill with TCP_NOTSENT_LOWAT=" + LOWAT
                        + " stops (EAGAIN) sooner than one without, by more than the mark; DIFFERS otherwise");
    }

    private static long fill(ProbeContext ctx, int lowat) throws Exception {
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            if (lowat > 0) {
                Posix.setsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_NOTSENT_LOWAT, lowat);
            }
            Posix.setBlocking(p.a, false);
            Io.Fill f = Io.fill(ctx, p.a, CHUNK, ctx.bounds().fillCapBytes);
            if (!f.wouldBlock) {
                throw new IllegalStateException("send never blocked within " + Stats.bytes(f.total));
            }
            return f.total;
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Outcome elsewhere = notLinuxWith(Posix.TCP_NOTSENT_LOWAT);
        if (elsewhere != null) {
            return elsewhere;
        }
        String set;
        int read;
        try (Descriptors d = ctx.descriptors()) {
            int fd = d.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            try {
                Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_SNDLOWAT, 4096);
                set = "accepted";
            } catch (ErrnoException e) {
                set = Io.errnoName(e);
            }
            read = Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_SNDLOWAT);
        }
        long plain = fill(ctx, 0);
        long capped = fill(ctx, LOWAT);
        boolean fixed = Errno.ENOPROTOOPT.name().equals(set);
        boolean caps = plain - capped > LOWAT;
        return Outcome.of(fixed && caps,
                "set SO_SNDLOWAT: " + set + " (reads " + read + "); filled " + Stats.bytes(plain) + " without, "
                        + Stats.bytes(capped) + " with TCP_NOTSENT_LOWAT=" + LOWAT,
                "setsockopt(SO_SNDLOWAT, 4096) then getsockopt on a TCP socket; then non-blocking " + CHUNK
                        + "-byte sends until EAGAIN to a peer that does not read, with default buffers, without and "
                        + "with TCP_NOTSENT_LOWAT. The sysctl net.ipv4.tcp_notsent_lowat is "
                        + RunInfo.sysctl("net.ipv4.tcp_notsent_lowat") + ".")
                .measure("sndlowat_set_enoprotoopt", fixed ? 1 : 0, "boolean")
                .measure("sndlowat_read", read, "B")
                .reading("filled_without_lowat", plain, "B")
                .reading("filled_with_lowat", capped, "B");
    }
}

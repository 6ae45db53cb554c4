// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.ErrnoException;
import io.github.posixsend.Posix;
import java.util.Locale;

/**
 * Claim 19: SO_SNDLOWAT cannot be changed on Linux (setsockopt fails with ENOPROTOOPT; it reads as 1), and
 * TCP_NOTSENT_LOWAT limits the bytes a writable socket may hold unsent. With the peer not reading, a
 * non-blocking sender fills until EAGAIN with and without TCP_NOTSENT_LOWAT, and its unsent bytes
 * ({@code SIOCOUTQNSD}) are read right at EAGAIN. Linux refuses a new skb once the unsent bytes reach the mark, and
 * fills the tail skb up to TCP's size goal without looking at the mark, so with the mark the unsent bytes lie
 * between the mark and the mark plus one skb ({@link BufferFillProbe#ONE_SKB}); without it only SO_SNDBUF, which
 * Linux grows to megabytes here, stops the fill, and they lie above that.
 */
final class LowatProbe extends BaseProbe {
    private static final int CHUNK = 1_024;
    private static final int LOWAT = 16 * 1024;
    /** The most unsent bytes a send refused by the mark leaves: the mark plus the tail skb's payload. */
    private static final long CAP = LOWAT + BufferFillProbe.ONE_SKB;

    LowatProbe() {
        super(19, "lowat", "SO_SNDLOWAT fixed; TCP_NOTSENT_LOWAT caps",
                "SO_SNDLOWAT cannot be changed on Linux (ENOPROTOOPT), and TCP_NOTSENT_LOWAT limits the unsent "
                        + "bytes a writable socket holds.",
                "HOLDS if setting SO_SNDLOWAT fails with ENOPROTOOPT, and the bytes not yet sent (SIOCOUTQNSD) "
                        + "when send would block lie within TCP_NOTSENT_LOWAT=" + LOWAT + " and " + CAP
                        + " (the mark plus one skb) with the mark set, and above " + CAP + " without it; "
                        + "INCONCLUSIVE when the sysctl net.ipv4.tcp_notsent_lowat is itself at most " + CAP
                        + " (it caps the fill without the option too); DIFFERS otherwise");
    }

    /** One fill: the bytes written and those not yet sent at EAGAIN. */
    private static long[] fill(ProbeContext ctx, int lowat) throws Exception {
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
            // at once: a window update from the receiver sends some of them later (seen here 300 ms on)
            return new long[] {f.total, Posix.ioctlInt(p.a, Posix.SIOCOUTQNSD)};
        }
    }

    /** Whether the mark capped the unsent bytes: within the mark and {@link #CAP} with it, above that without. */
    static boolean caps(long cappedUnsent, long plainUnsent) {
        return withinMark(cappedUnsent) && plainUnsent > CAP;
    }

    /** Whether the fill with the mark left as many unsent bytes as a send the mark refused does. */
    private static boolean withinMark(long cappedUnsent) {
        return cappedUnsent >= LOWAT && cappedUnsent <= CAP;
    }

    /**
     * The verdict from whether SO_SNDLOWAT is fixed and the two fills' unsent bytes at EAGAIN: HOLDS when the mark
     * capped them (see {@link #caps}); INCONCLUSIVE when the fill with the mark was capped as it should be but the
     * one without was capped too and the sysctl {@code net.ipv4.tcp_notsent_lowat} (every socket's mark unless it sets
     * its own) is itself at most {@link #CAP}, which explains it; else DIFFERS.
     */
    static Verdict verdict(boolean fixed, long cappedUnsent, long plainUnsent, String sysctl) {
        if (!fixed) {
            return Verdict.DIFFERS;
        }
        if (caps(cappedUnsent, plainUnsent)) {
            return Verdict.HOLDS;
        }
        boolean systemCaps = sysctl != null && sysctl.matches("\\d{1,9}") && Long.parseLong(sysctl) <= CAP;
        return withinMark(cappedUnsent) && plainUnsent <= CAP && systemCaps ? Verdict.INCONCLUSIVE : Verdict.DIFFERS;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Outcome elsewhere = notLinuxWith(Posix.TCP_NOTSENT_LOWAT);
        if (elsewhere == null) {
            elsewhere = notLinuxWith(Posix.SIOCOUTQNSD);
        }
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
        long[] plain = fill(ctx, 0);
        long[] capped = fill(ctx, LOWAT);
        boolean fixed = Errno.ENOPROTOOPT.name().equals(set);
        boolean caps = caps(capped[1], plain[1]);
        String sysctl = RunInfo.sysctl("net.ipv4.tcp_notsent_lowat");
        return Outcome.of(verdict(fixed, capped[1], plain[1], sysctl), "net.ipv4.tcp_notsent_lowat is " + sysctl
                + ", a mark every socket without its own has, so the fill without the option is capped as well",
                String.format(Locale.ROOT, "set SO_SNDLOWAT: %s (reads %d); unsent at EAGAIN %s with "
                        + "TCP_NOTSENT_LOWAT=%d (x%.2f the mark), %s without; filled %s with, %s without", set, read,
                        Stats.bytes(capped[1]), LOWAT, capped[1] / (double) LOWAT, Stats.bytes(plain[1]),
                        Stats.bytes(capped[0]), Stats.bytes(plain[0])),
                "setsockopt(SO_SNDLOWAT, 4096) then getsockopt on a TCP socket; then non-blocking " + CHUNK
                        + "-byte sends until EAGAIN to a peer that does not read, with default buffers, without and "
                        + "with TCP_NOTSENT_LOWAT, and SIOCOUTQNSD right at EAGAIN: " + capped[1] + " bytes unsent "
                        + "with the mark, " + plain[1] + " without; the mark " + (caps ? "capped" : "did not cap")
                        + " them (" + LOWAT + " to " + CAP + " with it, above " + CAP + " without). The sysctl "
                        + "net.ipv4.tcp_notsent_lowat, the mark of a socket without its own, is " + sysctl + ".")
                .measure("sndlowat_set_enoprotoopt", fixed ? 1 : 0, "boolean")
                .measure("sndlowat_read", read, "B")
                .reading("filled_without_lowat", plain[0], "B")
                .reading("filled_with_lowat", capped[0], "B")
                .reading("unsent_without_lowat", plain[1], "B")
                .reading("unsent_with_lowat", capped[1], "B");
    }
}

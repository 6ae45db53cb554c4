// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.Os;
import io.github.posixsend.Posix;

/**
 * Claim 18: setting SO_SNDBUF to n gives a buffer of 2n on Linux (the kernel doubles the value for its own
 * bookkeeping), clamped below by a floor and above by net.core.wmem_max (doubled as well); NetBSD keeps n. Each
 * size is set on a fresh TCP socket and read back.
 */
final class SndbufProbe extends BaseProbe {
    /** Sizes set between the floor and the ceiling: read back doubled on Linux. */
    private static final int[] MIDDLE = {8_192, 65_536, 262_144};
    /**
     * The least floor counted as one: Linux's SOCK_MIN_SNDBUF is twice a minimal skb's truesize (2048 bytes of data
     * and the struct, 4608 on x86_64 since 3.x; 2048 before), so 1 byte must read back at least this, not 2.
     */
    static final int FLOOR_AT_LEAST = 2048;

    SndbufProbe() {
        super(18, "sndbuf-double", "SO_SNDBUF n reads back 2n (Linux)",
                "Setting SO_SNDBUF to n gives a buffer of 2n on Linux, between a floor and twice "
                        + "net.core.wmem_max; on NetBSD the buffer is n.",
                "Linux: HOLDS if every size between floor and ceiling reads back doubled, 1 byte reads back a "
                        + "floor of at least " + FLOOR_AT_LEAST + ", and 4 x net.core.wmem_max reads back 2 x "
                        + "wmem_max (neither the size set nor its double); NetBSD: HOLDS if sizes read back "
                        + "unchanged; DIFFERS otherwise");
    }

    private static int setAndRead(ProbeContext ctx, int n) throws ErrnoException {
        try (Descriptors d = ctx.descriptors()) {
            int fd = d.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_SNDBUF, n);
            return Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_SNDBUF);
        }
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        boolean linux = Os.current() == Os.LINUX;
        String wmemText = RunInfo.sysctl("net.core.wmem_max");
        long wmemMax = -1;
        try {
            wmemMax = wmemText == null ? -1 : Long.parseLong(wmemText);
        } catch (NumberFormatException e) {
            wmemMax = -1;
        }
        StringBuilder pairs = new StringBuilder();
        boolean doubled = true;
        boolean unchanged = true;
        int[] reads = new int[MIDDLE.length];
        for (int i = 0; i < MIDDLE.length; i++) {
            int n = MIDDLE[i];
            int got = setAndRead(ctx, n);
            reads[i] = got;
            boolean inRange = wmemMax < 0 || n <= wmemMax;
            doubled &= !inRange || got == 2 * n;
            unchanged &= got == n;
            pairs.append(pairs.length() == 0 ? "" : ", ").append(n).append(" -> ").append(got);
        }
        int floor = setAndRead(ctx, 1);
        // four times the ceiling: read back as 2 x wmem_max, which neither a kept value nor its double would be
        long above = wmemMax > 0 && wmemMax <= Integer.MAX_VALUE / 4 ? wmemMax * 4 : -1;
        int ceiling = above > 0 ? setAndRead(ctx, (int) above) : -1;
        boolean floorOk = floor >= FLOOR_AT_LEAST;
        boolean ceilingOk = above < 0 || ceiling == 2 * wmemMax;
        boolean holds = linux ? doubled && floorOk && ceilingOk : unchanged;
        String measured = "set -> read: " + pairs + "; 1 -> " + floor + " (floor)"
                + (above > 0 ? "; " + above + " -> " + ceiling + " (ceiling; wmem_max " + wmemMax + ")"
                        : "; wmem_max unreadable");
        Outcome o = Outcome.of(holds, measured,
                "setsockopt(SO_SNDBUF, n) then getsockopt on fresh IPv4 TCP sockets. "
                        + (linux ? "Linux stores 2n (the doubled part pays for its bookkeeping), at least its "
                        + "floor, at most 2 x net.core.wmem_max; SO_SNDBUFFORCE (privileged) passes the ceiling."
                        : "NetBSD keeps the value set."));
        for (int i = 0; i < MIDDLE.length; i++) {
            o.measure("sndbuf_set_" + MIDDLE[i], reads[i], "B");
        }
        o.measure("sndbuf_floor", floor, "B");
        if (above > 0) { // without wmem_max no size above it was set: left out rather than reported as -1
            o.measure("sndbuf_ceiling", ceiling, "B");
        }
        if (wmemMax >= 0) { // unreadable (no /proc here): left out rather than reported as -1
            o.measure("wmem_max", wmemMax, "B");
        }
        return o;
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.MsgFlag;
import io.github.posixsend.PollSet;
import io.github.posixsend.Posix;
import io.github.posixsend.SockAddr;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;

/**
 * Claim 26: datagrams sent to a port that several {@code SO_REUSEPORT} sockets are bound to are spread across those
 * sockets, each source's to one socket. Linux picks a group's socket by a hash of the datagram's addresses and ports
 * (unless a reuseport program picks it), so each source stays on one socket and the sources spread evenly; the BSDs
 * give a unicast datagram to one socket of the group. {@link #SOURCES} sockets, each its own source port on
 * 127.0.0.1, send {@link #PER_SOURCE} datagrams each to a group of {@link #SOCKETS}.
 */
final class ReuseportProbe extends BaseProbe {
    static final int SOCKETS = 4;
    static final int SOURCES = 128;
    static final int PER_SOURCE = 2;
    /** The longest the datagrams of a round are waited for. */
    private static final int WAIT_MILLIS = 2_000;
    /** Sources sent before the group is drained, well within the sockets' receive buffers. */
    private static final int ROUND = 16;

    ReuseportProbe() {
        super(26, "reuseport-spreads", "SO_REUSEPORT spreads datagrams across its sockets",
                "Datagrams sent to a port that several SO_REUSEPORT sockets are bound to are spread across those "
                        + "sockets, each source's to one socket.",
                "HOLDS if every source's datagrams went to one socket and each of the " + SOCKETS + " sockets took "
                        + "between a quarter of and twice its even share of the " + SOURCES + " sources; DIFFERS if "
                        + "one socket took every source or some source's datagrams were split; INCONCLUSIVE otherwise "
                        + "(a share outside those bounds, or datagrams that did not come within " + WAIT_MILLIS
                        + " ms)");
    }

    /**
     * The verdict from the sources each socket took (by the first datagram of each), whether every source's datagrams
     * went to one socket, and whether every datagram came. A fair hash puts a share outside a quarter to twice the
     * even one (8 to 64 of 128 over 4) about once in ten million runs; from half (16), it was once in 1,700.
     */
    static Verdict verdict(int[] sourcesPerSocket, boolean eachSourceOnOne, boolean allCame) {
        if (!allCame) {
            return Verdict.INCONCLUSIVE;
        }
        if (!eachSourceOnOne) {
            return Verdict.DIFFERS;
        }
        int total = Arrays.stream(sourcesPerSocket).sum();
        if (Arrays.stream(sourcesPerSocket).anyMatch(n -> n == total)) {
            return Verdict.DIFFERS;
        }
        double even = total / (double) sourcesPerSocket.length;
        boolean within = Arrays.stream(sourcesPerSocket).allMatch(n -> n >= even / 4 && n <= even * 2);
        return within ? Verdict.HOLDS : Verdict.INCONCLUSIVE;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        int[] owner = new int[SOURCES]; // the socket that took each source's first datagram, -1 before it came
        Arrays.fill(owner, -1);
        int[] perSocket = new int[SOCKETS];
        int split = 0;
        int received = 0;
        int stray = 0;
        try (Descriptors d = ctx.descriptors()) {
            int[] group = new int[SOCKETS];
            InetSocketAddress at = null;
            PollSet readable = new PollSet(SOCKETS);
            for (int i = 0; i < SOCKETS; i++) {
                group[i] = d.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
                Posix.setsockopt(group[i], Posix.SOL_SOCKET, Posix.SO_REUSEPORT, 1);
                Posix.bind(group[i], at == null ? Descriptors.loopback(false) : at);
                if (at == null) {
                    at = Descriptors.addressOf(group[0]);
                }
                readable.add(group[i], Posix.POLLIN);
            }
            SockAddr to = SockAddr.of(at);
            byte[] b = new byte[8];
            for (int first = 0; first < SOURCES; first += ROUND) {
                ctx.checkDeadline("sending to the reuseport group");
                for (int s = first; s < first + ROUND; s++) {
                    int source = d.boundUdp(false);
                    for (int k = 0; k < PER_SOURCE; k++) {
                        Posix.sendto(source, new byte[] {(byte) s, (byte) (s >> 8)}, 0, 2, 0, to);
                    }
                    d.closeNow(source);
                }
                int expected = (first + ROUND) * PER_SOURCE;
                long end = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
                while (received < expected && System.nanoTime() < end && readable.poll(100) >= 0) {
                    for (int i = 0; i < SOCKETS; i++) {
                        for (int n = 0; n < ROUND * PER_SOURCE
                                && Posix.tryRecv(group[i], b, 0, b.length, MsgFlag.MSG_DONTWAIT.value()) == 2; n++) {
                            int s = (b[0] & 0xff) | (b[1] & 0xff) << 8;
                            if (s >= SOURCES) { // another local program's datagram to the group's port
                                stray++;
                                continue;
                            }
                            received++;
                            if (owner[s] < 0) {
                                owner[s] = i;
                                perSocket[i]++;
                            } else if (owner[s] != i) {
                                split++;
                            }
                        }
                    }
                }
            }
        }
        boolean allCame = received == SOURCES * PER_SOURCE;
        String shares = Arrays.toString(perSocket).replaceAll("[\\[\\]]", "");
        String measured = String.format(Locale.ROOT, "%d sources over %d sockets took %s sources each; %s", SOURCES,
                SOCKETS, shares, split == 0 ? "every source's datagrams on one socket"
                        : split + " datagrams on another socket than their source's first");
        String details = SOCKETS + " UDP sockets with SO_REUSEPORT bound to one 127.0.0.1 port; " + SOURCES
                + " sources, each a socket of its own port, sent " + PER_SOURCE + " datagrams of 2 bytes naming the "
                + "source, in rounds of " + ROUND + " sources drained before the next. Linux hashes a datagram's "
                + "addresses and ports to pick the group's socket (a program set with SO_ATTACH_REUSEPORT_CBPF picks "
                + "it instead); the BSDs hand a unicast datagram to one socket of the group. " + received + " of "
                + SOURCES * PER_SOURCE + " datagrams came" + (stray == 0 ? "." : ", and " + stray
                        + " that named no source (sent by another program) were left out.");
        Outcome o = Outcome.of(verdict(perSocket, split == 0, allCame), allCame
                ? "a socket's share is below a quarter of the even one or above twice it"
                : "not every datagram came within " + WAIT_MILLIS + " ms", measured, details);
        // the kernel's hash spreads the sources differently each run: readings, which --compare does not judge
        return o.reading("fewest_sources", Arrays.stream(perSocket).min().orElse(0), "sources")
                .reading("most_sources", Arrays.stream(perSocket).max().orElse(0), "sources")
                .measure("split_datagrams", split, "datagrams")
                .measure("received", received, "datagrams");
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.Message;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;

/**
 * Claim 14: sendmsg with more than IOV_MAX iovecs fails with EMSGSIZE.
 *
 * <p>On a connected loopback UDP pair: a sendmsg of IOV_MAX one-byte iovecs (expect IOV_MAX bytes sent and one
 * datagram of IOV_MAX bytes received, in gather order), then of IOV_MAX + 1 (expect EMSGSIZE), then a one-byte
 * marker with plain send. Datagrams on loopback keep their order, so when the marker is the next datagram the
 * receiver gets, the refused call sent nothing; no waiting for an absence is needed. Every iovec is a one-byte
 * slice of one direct buffer, so the gather list costs no copies.
 */
final class IovMaxProbe extends BaseProbe {
    /** Above this, one byte per iovec would not fit in one UDP datagram and the check means nothing. */
    private static final int LARGEST_CHECKED = DatagramSizeProbe.MAX_V4 - 1;
    private static final long RECEIVE_MILLIS = 1_000;

    IovMaxProbe() {
        super(14, "iov-max", "sendmsg > IOV_MAX iovecs: EMSGSIZE",
                "sendmsg with more than IOV_MAX iovecs fails with EMSGSIZE.",
                "HOLDS if IOV_MAX iovecs go as one datagram in gather order and IOV_MAX + 1 fail with EMSGSIZE "
                        + "sending nothing; DIFFERS otherwise");
    }

    /** The byte of iovec {@code i}: a pattern, so the receiver can check the gather order. */
    private static byte pattern(int i) {
        return (byte) (i * 7 + 1);
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        int max = Posix.IOV_MAX;
        if (max < 1 || max > LARGEST_CHECKED) {
            return Outcome.notApplicable("IOV_MAX is " + max,
                    "IOV_MAX + 1 one-byte iovecs do not fit in one UDP datagram here, so the check cannot run.");
        }
        ByteBuffer backing = ByteBuffer.allocateDirect(max + 1);
        for (int i = 0; i <= max; i++) {
            backing.put(i, pattern(i));
        }
        boolean holds = true;
        String first;
        String second;
        // the messages' native memory goes with the descriptors, not when the collector finds them, also when building
        // them fails
        try (Descriptors d = ctx.descriptors(); Message atMax = new Message(0); Message overMax = new Message(0)) {
            for (int i = 0; i <= max; i++) {
                ByteBuffer one = backing.duplicate().position(i).limit(i + 1).slice();
                if (i < max) {
                    atMax.add(one);
                }
                // Separate slice objects, so the refused message's positions say by themselves that nothing went.
                overMax.add(backing.duplicate().position(i).limit(i + 1).slice());
            }
            Descriptors.Pair p = d.udpPair(false);
            ByteBuffer in = ByteBuffer.allocateDirect(max + 16);

            long sent = Posix.trySendmsg(p.a, atMax, 0);
            int got = Io.receive(ctx, p.b, in, 0, RECEIVE_MILLIS);
            boolean inOrder = got == max;
            for (int i = 0; inOrder && i < max; i++) {
                inOrder = in.get(i) == pattern(i);
            }
            first = max + " iovecs: " + (sent < 0 ? Io.errnoName((int) sent) : "sent " + sent + " B")
                    + ", received " + (got < 0 ? "nothing" : "one datagram of " + got + " B")
                    + (got == max ? (inOrder ? " in gather order" : " out of gather order") : "");
            holds &= sent == max && got == max && inOrder;

            long over = Posix.trySendmsg(p.a, overMax, 0);
            ByteBuffer marker = ByteBuffer.allocateDirect(1);
            Posix.send(p.a, marker, 0);
            int next = Io.receive(ctx, p.b, in, 0, RECEIVE_MILLIS);
            String after = next == 1 ? "nothing received"
                    : next < 0 ? "the marker did not arrive" : "a datagram of " + next + " B received";
            second = (max + 1) + " iovecs: " + (over < 0 ? Io.errnoName((int) over) : "sent " + over + " B")
                    + ", " + after;
            holds &= over == -Errno.EMSGSIZE.number() && next == 1 && overMax.buffer(0).position() == 0;
        }
        return Outcome.of(holds, first + "; " + second,
                "IOV_MAX here is " + max + ". Connected loopback UDP over IPv4, one-byte iovecs sliced from one "
                        + "direct buffer. After the " + (max + 1) + "-iovec call a one-byte marker was sent with "
                        + "plain send; the marker being the next datagram received shows the refused call sent "
                        + "nothing.")
                .measure("iov_max", max, "iovecs")
                .measure("checks_passed", holds ? 1 : 0, "boolean");
    }
}

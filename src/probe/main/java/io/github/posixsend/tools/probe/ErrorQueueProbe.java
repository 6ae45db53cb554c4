// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.ErrorQueueEntry;
import io.github.posixsend.Message;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.PollSet;
import io.github.posixsend.Posix;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * Claim 23 (Linux): a UDP send to a closed port succeeds and the error waits on the error queue. Beside
 * claim 11 (the refusal surfaces on a later call of a connected socket), an unconnected socket with
 * {@code IP_RECVERR} sends a datagram to a loopback port nobody listens on: the send must return the full count,
 * {@code poll} then report {@code POLLERR}, and {@code recvmsg(MSG_ERRQUEUE)} return the datagram with an extended
 * error of ICMP origin, {@code ECONNREFUSED}, naming the host that reported it. On loopback the ICMP answer is made
 * and queued within the send itself (a C program polling with a timeout of 0 right after each send found it there
 * in 150 of 150), so the first poll does not wait; the error is still not the send's result.
 */
final class ErrorQueueProbe extends BaseProbe {
    private static final int SIZE = 10;
    /** Polls of up to 100 ms each for POLLERR. */
    private static final int POLLS = 20;

    ErrorQueueProbe() {
        super(23, "udp-error-queue", "UDP refusal waits on the error queue",
                "With IP_RECVERR a UDP send to a port nobody listens on still succeeds; the refusal waits on the "
                        + "socket's error queue instead (on loopback it is there when the send returns): poll reports "
                        + "POLLERR and recvmsg(MSG_ERRQUEUE) returns an ICMP-origin ECONNREFUSED naming the host that "
                        + "sent it.",
                "HOLDS if the send returns the full count, poll then reports POLLERR, and the error queue holds the "
                        + "datagram with an ICMP-origin ECONNREFUSED and an offender; INCONCLUSIVE if poll reports "
                        + "nothing within " + POLLS + " waits of 100 ms; DIFFERS otherwise");
    }

    /**
     * The verdict from the send's count, what poll returned last (0: nothing within its waits) and whether every check
     * passed: a poll that never returned ready may have waited too little on a busy machine, which proves nothing.
     */
    static Verdict verdict(int sent, int ready, boolean allPassed) {
        return allPassed ? Verdict.HOLDS : sent == SIZE && ready == 0 ? Verdict.INCONCLUSIVE : Verdict.DIFFERS;
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Outcome elsewhere = notLinuxWith(Posix.IP_RECVERR);
        if (elsewhere != null) {
            return elsewhere;
        }
        try (Descriptors d = ctx.descriptors(); Message m = new Message(256).add(ByteBuffer.allocateDirect(64))) {
            InetSocketAddress nobody = d.closedUdpPort(false);
            int fd = d.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.bind(fd, Descriptors.loopback(false));
            Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_RECVERR, 1);

            PollSet set = new PollSet(1); // made before the send, so that its time is not the error's
            set.add(fd, Posix.POLLIN);
            ByteBuffer payload = ByteBuffer.allocate(SIZE);
            int sent = Posix.sendto(fd, payload, 0, nobody);
            long t0 = System.nanoTime();
            int ready = set.poll(0); // loopback answers within the send: the first look, not waiting, finds it
            boolean atReturn = ready == 1;
            for (int i = 0; i < POLLS && ready == 0; i++) {
                ctx.checkDeadline("polling for POLLERR");
                ready = set.poll(100);
            }
            long waited = System.nanoTime() - t0;
            boolean pollerr = ready == 1 && set.isReady(0, Posix.POLLERR);

            long got = Posix.tryRecvmsg(fd, m, MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT));
            ErrorQueueEntry e = new ErrorQueueEntry();
            boolean entry = got >= 0 && e.read(m);
            boolean icmp = entry && e.origin() == Posix.SO_EE_ORIGIN_ICMP;
            boolean refused = entry && e.errnoName() == Errno.ECONNREFUSED;
            SocketAddress offender = entry ? e.offender() : null;
            String queue = got < 0 ? "recvmsg(MSG_ERRQUEUE): " + Errno.fromNumber((int) -got)
                    : !entry ? "no extended error"
                    : e.errnoName() + " of origin " + (icmp ? "SO_EE_ORIGIN_ICMP" : String.valueOf(e.origin()))
                            + " (ICMP type " + e.type() + " code " + e.code() + "), offender "
                            + (offender == null ? "none"
                                    : ((InetSocketAddress) offender).getAddress().getHostAddress());
            boolean holds = sent == SIZE && pollerr && icmp && refused && offender != null && got == SIZE;
            String measured = "send: " + sent + " of " + SIZE + " B; " + (pollerr ? "POLLERR" : ready == 0
                    ? "nothing" : "no POLLERR") + (atReturn ? " already when the send returned" : " within "
                    + Stats.duration(waited) + " of its return") + "; error queue: " + queue;
            String details = "an unconnected UDP socket with IP_RECVERR sent " + SIZE + " bytes to 127.0.0.1:"
                    + nobody.getPort() + " (no listener); the send returned " + sent + "; poll on POLLIN "
                    + (atReturn ? "with a timeout of 0 right after it" : "waiting up to " + POLLS + " x 100 ms")
                    + " returned " + ready + " with revents " + (ready == 1 ? set.revents(0) : 0)
                    + "; recvmsg(MSG_ERRQUEUE) returned " + got + " bytes of the datagram back and " + queue
                    + ". Claim 11 shows the same refusal on a connected socket without IP_RECVERR.";
            return Outcome.of(verdict(sent, ready, holds), "poll reported nothing within " + POLLS
                    + " waits of 100 ms: the refusal may not have come back yet", measured, details)
                    .measure("sent_bytes", sent, "B")
                    // an upper bound on when the error was there, not its arrival: the time includes the polls'
                    // own, and where the first look found it, that look's time is all it is
                    .measure(Measurement.single("pollerr_seen_within_ns", waited, "ns"))
                    .measure("pollerr", pollerr ? 1 : 0, "boolean")
                    .measure("pollerr_at_return", atReturn && pollerr ? 1 : 0, "boolean")
                    .measure("icmp_econnrefused", icmp && refused ? 1 : 0, "boolean")
                    .measure("offender", offender != null ? 1 : 0, "boolean");
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Errno;
import io.github.posixsend.Posix;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Claim 12: Linux does not return ENOBUFS when a receiver's queue is full; datagrams are dropped silently. A
 * sender sends a bounded number of datagrams at a receiver with a small SO_RCVBUF that does not read; the sent,
 * the received and the kernel's drop counters are compared.
 */
final class SilentDropProbe extends BaseProbe {
    private static final int SIZE = 1_000;

    SilentDropProbe() {
        super(12, "silent-drop", "full receiver: silent drops, no ENOBUFS",
                "Linux does not return ENOBUFS when a UDP receiver's queue is full: the datagrams are dropped "
                        + "silently, and only the kernel's drop counters show it.",
                "HOLDS if datagrams are lost at a full receiver while no send fails (no ENOBUFS) and the socket's "
                        + "drop counter counts them; DIFFERS if a send fails or the counter disagrees; INCONCLUSIVE "
                        + "if none is lost or the counter cannot be read");
    }

    @Override
    public Outcome run(ProbeContext ctx) throws Exception {
        Outcome elsewhere = notLinux();
        if (elsewhere != null) {
            return elsewhere;
        }
        int count = ctx.bounds().datagrams;
        try (Descriptors d = ctx.descriptors()) {
            int rx = d.boundUdp(false);
            Posix.setsockopt(rx, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 4096);
            InetSocketAddress at = Descriptors.addressOf(rx);
            int tx = d.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.connect(tx, at);
            long snmpBefore = ProcNet.snmpUdp("RcvbufErrors");
            long dropsBefore = ProcNet.udpDrops(at);
            ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);
            int sent = 0;
            int enobufs = 0;
            int other = 0;
            String otherName = "";
            for (int i = 0; i < count; i++) {
                ctx.checkDeadline("sending to a full receiver");
                buf.clear();
                int n = Posix.trySend(tx, buf, 0);
                if (n == SIZE) {
                    sent++;
                } else if (n < 0 && -n == Errno.ENOBUFS.number()) {
                    enobufs++;
                } else {
                    other++;
                    otherName = n < 0 ? Io.errnoName(n) : "short count " + n;
                }
            }
            // Loopback delivery may finish after send returns (a busy machine defers it to ksoftirqd): read, and
            // read the drop counter after, until every datagram sent is received or counted dropped, for at most
            // half a second, so that one still on its way is counted neither lost nor missing from the drops.
            ByteBuffer sink = ByteBuffer.allocateDirect(SIZE + 16);
            long settled = System.nanoTime() + 500_000_000L;
            long received = 0;
            long drops;
            do {
                Thread.sleep(received == 0 ? 20 : 10);
                received += Io.drain(ctx, rx, sink)[0];
                long dropsAfter = ProcNet.udpDrops(at);
                drops = dropsBefore >= 0 && dropsAfter >= 0 ? dropsAfter - dropsBefore : -1;
            } while (drops >= 0 && received + drops < sent && System.nanoTime() < settled && !ctx.expired());
            long snmpAfter = ProcNet.snmpUdp("RcvbufErrors");
            int rcvbuf = Posix.getsockopt(rx, Posix.SOL_SOCKET, Posix.SO_RCVBUF);
            long lost = sent - received;
            long snmp = snmpBefore >= 0 && snmpAfter >= 0 ? snmpAfter - snmpBefore : -1;
            boolean dropped = lost > 0;
            boolean failed = enobufs > 0 || other > 0;
            String measured = sent + "/" + count + " sent, " + enobufs + " ENOBUFS, " + received + " received; "
                    + "socket drops " + (drops < 0 ? "unreadable" : String.valueOf(drops))
                    + ", RcvbufErrors +" + (snmp < 0 ? "?" : String.valueOf(snmp));
            String details =
                    count + " datagrams of " + SIZE + " bytes on connected loopback UDP to a receiver with "
                            + "SO_RCVBUF=" + rcvbuf + " that read nothing until the end; " + lost
                            + " were lost without any error at the sender" + (other > 0 ? " (other results: "
                            + other + " x " + otherName + ")" : "") + ". The drops column of /proc/net/udp for the "
                            + "receiving socket is its own count; Udp RcvbufErrors in /proc/net/snmp is system-wide"
                            + " (other traffic may add to it)." + (dropped ? "" : " No datagram was lost, so the "
                            + "queue never filled: the claim could not be checked.");
            // a send that failed decides it; otherwise it needs losses and the socket's own count of them
            Outcome o = failed ? Outcome.of(false, measured, details)
                    : !dropped ? Outcome.inconclusive("no datagram was lost: the receiver's queue never filled",
                            measured, details)
                    : drops < 0 ? Outcome.inconclusive("the receiving socket's drop counter could not be read "
                            + "from /proc/net/udp", measured, details)
                    : Outcome.of(drops == lost, measured, details);
            o.measure("sent", sent, "datagrams")
                    .reading("received", received, "datagrams")
                    .measure("enobufs", enobufs, "calls");
            if (drops >= 0) { // an unreadable counter is left out (a -1 would read as a count)
                o.reading("socket_drops", drops, "datagrams");
            }
            return o;
        }
    }
}

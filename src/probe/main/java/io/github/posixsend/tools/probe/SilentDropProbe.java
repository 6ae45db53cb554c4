// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ControlMessage;
import io.github.posixsend.Errno;
import io.github.posixsend.Message;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Claim 12: Linux does not return ENOBUFS when a receiver's queue is full; datagrams are dropped silently. A
 * sender sends a bounded number of datagrams at a receiver with a small SO_RCVBUF that does not read; the sent,
 * the received and the kernel's drop counters are compared: the socket's line of /proc/net/udp, and the count the
 * receiver itself is handed with SO_RXQ_OVFL on the first datagram queued after the drops.
 */
final class SilentDropProbe extends BaseProbe {
    private static final int SIZE = 1_000;

    SilentDropProbe() {
        super(12, "silent-drop", "full receiver: silent drops, no ENOBUFS",
                "Linux does not return ENOBUFS when a UDP receiver's queue is full: the datagrams are dropped "
                        + "silently, and only the kernel's drop counters show it.",
                "HOLDS if datagrams are lost at a full receiver while no send fails (no ENOBUFS) and the socket's "
                        + "drop counters (/proc/net/udp, and SO_RXQ_OVFL on the next datagram) count them; DIFFERS "
                        + "if a send fails or a counter disagrees; INCONCLUSIVE if none is lost or neither counter "
                        + "can be read");
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
            Posix.setsockopt(rx, Posix.SOL_SOCKET, Posix.SO_RXQ_OVFL, 1);
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
            long ownCount = countOnNextDatagram(ctx, tx, rx);
            long snmpAfter = ProcNet.snmpUdp("RcvbufErrors");
            int rcvbuf = Posix.getsockopt(rx, Posix.SOL_SOCKET, Posix.SO_RCVBUF);
            long lost = sent - received;
            long snmp = snmpBefore >= 0 && snmpAfter >= 0 ? snmpAfter - snmpBefore : -1;
            boolean dropped = lost > 0;
            boolean failed = enobufs > 0 || other > 0;
            String measured = sent + "/" + count + " sent, " + enobufs + " ENOBUFS, " + received + " received; "
                    + "socket drops " + (drops < 0 ? "unreadable" : String.valueOf(drops))
                    + ", SO_RXQ_OVFL " + (ownCount < 0 ? "unread" : String.valueOf(ownCount))
                    + ", RcvbufErrors +" + (snmp < 0 ? "?" : String.valueOf(snmp));
            String details =
                    count + " datagrams of " + SIZE + " bytes on connected loopback UDP to a receiver with "
                            + "SO_RCVBUF=" + rcvbuf + " that read nothing until the end; " + lost
                            + " were lost without any error at the sender" + (other > 0 ? " (other results: "
                            + other + " x " + otherName + ")" : "") + ". The drops column of /proc/net/udp for the "
                            + "receiving socket is its own count, as is the SO_RXQ_OVFL count a datagram sent after "
                            + "the others had been read carried (Linux adds none while it is 0); Udp RcvbufErrors "
                            + "in /proc/net/snmp is system-wide (other traffic may add to it)."
                            + (ownCount < 0 ? " The datagram after them did not arrive within 2 s." : "")
                            + (dropped ? "" : " No datagram was lost, so the queue never filled: the claim could "
                            + "not be checked.");
            // a send that failed decides it; otherwise it needs losses and the socket's own counts of them, each
            // that could be read agreeing
            Outcome o = failed ? Outcome.of(false, measured, details)
                    : !dropped ? Outcome.inconclusive("no datagram was lost: the receiver's queue never filled",
                            measured, details)
                    : drops < 0 && ownCount < 0 ? Outcome.inconclusive("the receiving socket's drop counter could "
                            + "be read neither from /proc/net/udp nor with SO_RXQ_OVFL", measured, details)
                    : Outcome.of((drops < 0 || drops == lost) && (ownCount < 0 || ownCount == lost), measured,
                            details);
            o.measure("sent", sent, "datagrams")
                    .reading("received", received, "datagrams")
                    .measure("enobufs", enobufs, "calls");
            if (drops >= 0) { // an unreadable counter is left out (a -1 would read as a count)
                o.reading("socket_drops", drops, "datagrams");
            }
            if (ownCount >= 0) {
                o.reading("rxq_ovfl", ownCount, "datagrams");
            }
            return o;
        }
    }

    /**
     * Sends one byte from {@code tx} to {@code rx}, whose queue the caller has emptied, and reads it back: the drop
     * count SO_RXQ_OVFL gave it (0 when it gave none, as Linux does until a datagram is dropped), or -1 when it did
     * not arrive within 2 s.
     */
    private static long countOnNextDatagram(ProbeContext ctx, int tx, int rx) throws Exception {
        ByteBuffer one = ByteBuffer.allocateDirect(1);
        if (Posix.trySend(tx, one, 0) != 1) {
            return -1;
        }
        int eagain = -Errno.EAGAIN.number();
        try (Message in = new Message(ControlMessage.space(ControlMessage.Kind.RXQ_OVFL))
                .add(ByteBuffer.allocateDirect(SIZE))) {
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (!ctx.expired() && System.nanoTime() < deadline) {
                in.buffer(0).clear();
                long n = Posix.tryRecvmsg(rx, in, MsgFlag.MSG_DONTWAIT.value());
                if (n == 1) {
                    return Math.max(0, in.receivedValue(ControlMessage.Kind.RXQ_OVFL));
                }
                if (n != eagain && n < 0) {
                    return -1;
                }
                Thread.sleep(n == eagain ? 5 : 0); // a late datagram of the burst is read and passed over
            }
            return -1;
        }
    }
}

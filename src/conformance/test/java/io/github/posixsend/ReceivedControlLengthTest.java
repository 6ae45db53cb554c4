// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link Message#receivedControlLength()} is C's {@code msg_controllen} after the receive: the control bytes the
 * kernel filled, each message's {@code CMSG_SPACE}, the last cut to the room left. On Linux's 64-bit ABIs a
 * {@code cmsghdr} takes 16 bytes and payloads are padded to 8, so the C values are written out here.
 */
class ReceivedControlLengthTest {

    /** C's {@code CMSG_SPACE(n)} on this platform, and on Linux's 64-bit ABIs the value written out. */
    private static int space(int n, int linux64) {
        int s = ControlMessage.space(n);
        if (Os.current() == Os.LINUX) {
            assertEquals(linux64, s, "CMSG_SPACE(" + n + ")");
        }
        return s;
    }

    /** A one-byte datagram passing {@code count} (1 or 3) descriptors of a pipe that {@code fds} closes. */
    private static Message passing(Descriptors fds, int count) throws ErrnoException {
        int[] pipe = Posix.pipe(0);
        fds.track(pipe[0]);
        fds.track(pipe[1]);
        ControlMessage rights = count == 1 ? ControlMessage.rights(pipe[1])
                : ControlMessage.rights(pipe[0], pipe[1], pipe[0]);
        return Message.of(ByteBuffer.wrap(new byte[] {(byte) count})).addControl(rights);
    }

    @Test
    void passedDescriptorsFillTheirSpace() throws Exception {
        try (Descriptors fds = new Descriptors(); Message in = new Message(64).add(ByteBuffer.allocateDirect(8))) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            try (Message one = passing(fds, 1); Message three = passing(fds, 3)) {
                assertEquals(1, Posix.sendmsg(p.a, one, 0));
                assertEquals(1, SocketIo.receiveWithin2s(p.b, in));
                SocketIo.receivedDescriptors(fds, in);
                assertEquals(space(Integer.BYTES, 24), in.receivedControlLength(), "one descriptor");

                assertEquals(1, Posix.sendmsg(p.a, three, 0));
                assertEquals(1, SocketIo.receiveWithin2s(p.b, in));
                SocketIo.receivedDescriptors(fds, in);
                assertEquals(space(3 * Integer.BYTES, 32), in.receivedControlLength(), "three descriptors");
            }
            // a datagram without control messages: 0, where the last receive had some
            assertEquals(1, Posix.send(p.a, new byte[] {4}, 0, 1, 0));
            assertEquals(1, SocketIo.receiveWithin2s(p.b, in));
            assertEquals(0, in.receivedControlLength());
            assertFalse(in.controlTruncated());
        }
    }

    /** Too little room: the kernel fills what was offered (or, with none, nothing) and says {@code MSG_CTRUNC}. */
    @Test
    void aCutListFillsWhatWasOffered() throws Exception {
        try (Descriptors fds = new Descriptors();
                Message cut = new Message(ControlMessage.space(2 * Integer.BYTES)).add(ByteBuffer.allocateDirect(8));
                Message none = new Message(0).add(ByteBuffer.allocateDirect(8))) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            try (Message one = passing(fds, 1); Message three = passing(fds, 3)) {
                // room for two of three: the kernel passes two and fills the space
                assertEquals(1, Posix.sendmsg(p.a, three, 0));
                assertEquals(1, SocketIo.receiveWithin2s(p.b, cut));
                SocketIo.receivedDescriptors(fds, cut);
                assertTrue(cut.controlTruncated());
                assertEquals(cut.controlSpace(), cut.receivedControlLength(), "all that was offered");
                assertEquals(space(2 * Integer.BYTES, 24), cut.receivedControlLength());

                // no control space: msg_control NULL, nothing filled
                assertEquals(1, Posix.sendmsg(p.a, one, 0));
                assertEquals(1, SocketIo.receiveWithin2s(p.b, none));
                assertTrue(none.controlTruncated(), "the descriptor had no room");
                assertEquals(0, none.receivedControlLength());
            }
        }
        int pktinfo = space(12, 32); // struct in_pktinfo
        try (Descriptors fds = new Descriptors();
                Message first = new Message(pktinfo).add(ByteBuffer.allocateDirect(16));
                MessageBatch batch = new MessageBatch(1).add(first)) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_PKTINFO, 1);
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTOS, 1);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(2));
            assertEquals(2, Posix.send(p.a, new byte[] {1, 2}, 0, 2, 0));
            assertEquals(1, Posix.recvmmsg(p.b, batch, 0), "waits, within its timeout, for the datagram");
            assertTrue(first.controlTruncated(), "no room for IP_TOS");
            assertEquals(pktinfo, first.receivedControlLength(), "IP_PKTINFO alone");
        }
    }

    @Test
    void eachMessageOfABatchKeepsItsOwnAndAFailedReceiveChangesNothing() throws Exception {
        int pktinfo = space(12, 32); // struct in_pktinfo
        int both = pktinfo + space(1, 24); // and IP_TOS, which arrives as one byte
        try (Descriptors fds = new Descriptors();
                Message first = new Message(128).add(ByteBuffer.allocateDirect(16));
                Message second = new Message(128).add(ByteBuffer.allocateDirect(16));
                MessageBatch batch = new MessageBatch(2).add(first).add(second)) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_PKTINFO, 1);
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTOS, 1);
            // a blocking receive waits for each datagram, within this timeout: loopback delivery may trail the send
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(2));
            for (int i = 0; i < 2; i++) {
                assertEquals(2, Posix.send(p.a, new byte[] {1, 2}, 0, 2, 0));
            }
            assertEquals(2, Posix.recvmmsg(p.b, batch, 0));
            assertEquals(both, first.receivedControlLength(), "IP_PKTINFO and IP_TOS");
            assertEquals(both, second.receivedControlLength());

            // the first message alone, with IP_PKTINFO only: the second keeps what it had
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_RECVTOS, 0);
            first.clearEachBuffer();
            assertEquals(2, Posix.send(p.a, new byte[] {3, 4}, 0, 2, 0));
            assertEquals(1, Posix.recvmmsg(p.b, batch, 1, 0));
            assertEquals(pktinfo, first.receivedControlLength(), "IP_PKTINFO alone");
            assertEquals(both, second.receivedControlLength(), "not in the call");

            assertEquals(-Errno.EAGAIN.number(), Posix.tryRecvmsg(p.b, first, MsgFlag.MSG_DONTWAIT.value()));
            assertEquals(pktinfo, first.receivedControlLength(), "as the last successful receive left it");
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A message sent or received again is taken as it is at each call, whatever its earlier calls described to the
 * backend: positions and limits, the buffer list, the destination, the control messages, the bytes of heap buffers,
 * a call of the other kind in between, and the message's use in a batch.
 */
class ReusedMessageTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();

    /**
     * The next datagram on {@code fd}, as bytes, waiting for it at most 2 s (loopback UDP queues it a little later).
     */
    private static byte[] next(int fd) throws Exception {
        byte[] got = SocketIo.receive(fd, 64, 2000);
        assertNotNull(got, "nothing arrived in 2 s");
        return got;
    }

    private static ByteBuffer direct(int... bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        for (int v : bytes) {
            b.put((byte) v);
        }
        return b.flip();
    }

    @Test
    void aResentMessageSendsWhatItHoldsAtEachCall() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            ByteBuffer first = direct(1, 2, 3, 4);
            Message m = Message.of(first);
            for (int round = 0; round < 3; round++) {
                first.clear();
                assertEquals(4, Posix.sendmsg(p.a, m, 0));
                assertArrayEquals(new byte[] {1, 2, 3, 4}, next(p.b), "round " + round);
            }
            first.position(1).limit(3);
            assertEquals(2, Posix.sendmsg(p.a, m, 0));
            assertArrayEquals(new byte[] {2, 3}, next(p.b), "from the position and to the limit of this call");
            first.position(1).limit(3);
            assertEquals(2, Posix.sendmsg(p.a, m, 0));
            assertArrayEquals(new byte[] {2, 3}, next(p.b));

            first.clear();
            m.add(direct(5));
            assertEquals(5, Posix.sendmsg(p.a, m, 0));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, next(p.b), "the added buffer is gathered");
            m.buffers(direct(6, 7));
            assertEquals(2, Posix.sendmsg(p.a, m, 0));
            assertArrayEquals(new byte[] {6, 7}, next(p.b), "the replaced list is sent");

            // heap bytes are copied at every call: a change of them is sent even with nothing else changed
            byte[] heap = {8, 9};
            ByteBuffer wrapped = ByteBuffer.wrap(heap);
            m.buffers(wrapped);
            assertEquals(2, Posix.sendmsg(p.a, m, 0));
            assertArrayEquals(new byte[] {8, 9}, next(p.b));
            heap[1] = 10;
            wrapped.clear();
            assertEquals(2, Posix.sendmsg(p.a, m, 0));
            assertArrayEquals(new byte[] {8, 10}, next(p.b), "the heap bytes as they are at this call");
        }
    }

    @Test
    void aChangedDestinationOrControlIsSent() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int tx = fds.boundUdp(false);
            int rx1 = fds.boundUdp(false);
            int rx2 = fds.boundUdp(false);
            ByteBuffer body = direct(1);
            InetSocketAddress to1 = Descriptors.addressOf(rx1);
            Message m = Message.of(body).destination(to1);
            assertEquals(1, Posix.sendmsg(tx, m, 0));
            body.clear();
            m.destination(Descriptors.addressOf(rx2));
            assertEquals(1, Posix.sendmsg(tx, m, 0));
            assertArrayEquals(new byte[] {1}, next(rx1));
            assertArrayEquals(new byte[] {1}, next(rx2), "sent to the destination of this call");

            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Descriptors.Pair passed = fds.unixPair(Posix.SOCK_STREAM);
            Message withRights = Message.of(direct(2)).addControl(ControlMessage.rights(passed.a));
            Message in = new Message(256).add(ByteBuffer.allocateDirect(8));
            assertEquals(1, Posix.sendmsg(p.a, withRights, 0));
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertEquals(1, in.receivedControl().size());
            fds.track(in.receivedControl().get(0).fds()[0]);

            withRights.buffer(0).clear();
            withRights.clearControl();
            assertEquals(1, Posix.sendmsg(p.a, withRights, 0));
            in.buffer(0).clear();
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertEquals(0, in.receivedControl().size(), "the control messages were cleared before this call");

            withRights.buffer(0).clear();
            withRights.addControl(ControlMessage.rights(passed.b));
            assertEquals(1, Posix.sendmsg(p.a, withRights, 0));
            in.buffer(0).clear();
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertEquals(1, in.receivedControl().size(), "the control message added before this call");
            fds.track(in.receivedControl().get(0).fds()[0]);
        }
    }

    @Test
    void callsOfTheOtherKindOrInABatchInBetweenAreSeen() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch batch = new MessageBatch(1)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            ByteBuffer buf = ByteBuffer.allocateDirect(8);
            Message m = new Message(0).add(buf);

            Posix.send(p.a, new byte[] {1, 2}, 0, 2, 0);
            assertEquals(2, Posix.recvmsg(p.b, m, 0));
            buf.clear().put(new byte[] {3, 4, 5}).flip();
            assertEquals(3, Posix.sendmsg(p.b, m, 0));
            assertArrayEquals(new byte[] {3, 4, 5}, next(p.a), "a send after a receive sends");

            buf.clear();
            Posix.send(p.a, new byte[] {6}, 0, 1, 0);
            assertEquals(1, Posix.recvmsg(p.b, m, 0));
            assertEquals(1, buf.position(), "a receive after a send receives into the whole buffer");
            assertEquals(6, buf.get(0));

            // received into through a batch from position 4, then at 4 again alone: its own plan says 0
            buf.position(4);
            batch.add(m);
            Posix.send(p.a, new byte[] {7}, 0, 1, 0);
            assertEquals(1, Posix.recvmmsg(p.b, batch, DONTWAIT));
            assertEquals(7, buf.get(4));
            buf.position(4);
            Posix.send(p.a, new byte[] {9}, 0, 1, 0);
            assertEquals(1, Posix.recvmsg(p.b, m, 0));
            assertEquals(9, buf.get(4), "received from the position of this call");
            assertEquals(6, buf.get(0));
            assertNull(SocketIo.receive(p.b, 64, 20), "nothing more was queued");
        }
    }

    @Test
    void aSendAndAReceiveOfTheSameSpanStayASendAndAReceive() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int x = fds.boundUdp(false);
            int y = fds.boundUdp(false);
            InetSocketAddress toY = Descriptors.addressOf(y);
            ByteBuffer buf = ByteBuffer.allocateDirect(8);
            Message m = new Message(0).add(buf).destination(toY);
            for (int round = 0; round < 3; round++) {
                // the same buffer span each time: only the kind of call differs from the last one
                buf.clear();
                assertEquals(8, Posix.sendmsg(x, m, 0), "round " + round);
                assertEquals(8, next(y).length);
                buf.clear();
                Posix.sendto(y, new byte[] {(byte) round}, 0, 1, 0, Descriptors.addressOf(x));
                assertEquals(1, Posix.recvmsg(x, m, 0));
                assertEquals(toY, m.source(), "round " + round + ": a receive names its sender");
                assertEquals(round, buf.get(0));
            }
        }
    }
}

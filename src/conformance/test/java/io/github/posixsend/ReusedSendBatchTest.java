// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A send batch called again with nothing changed sends what its last call described to the backend again, without
 * describing it anew; every change since must still be sent: a direct buffer's bytes, a buffer's position or limit,
 * a buffer list, a destination, a control message, a heap buffer's bytes, the batch's list, the message sent alone
 * or through another batch, a receive into the same batch, a message closed. Each test sends over loopback UDP and
 * checks what arrived.
 */
class ReusedSendBatchTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();

    private static ByteBuffer direct(int... bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        for (int x : bytes) {
            b.put((byte) x);
        }
        return b.flip();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** The next datagram on {@code fd} (bounded wait). */
    private static byte[] next(int fd) throws Exception {
        byte[] got = SocketIo.receive(fd, 256, 5_000);
        assertNotNull(got, "no datagram arrived");
        return got;
    }

    /** Sends the batch, expecting all of its messages sent. */
    private static void sendAll(int fd, MessageBatch batch) throws ErrnoException {
        assertEquals(batch.size(), Posix.sendmmsg(fd, batch, 0));
    }

    @Test
    void theSameBatchRewoundSendsTheBuffersCurrentBytes() throws Exception {
        ByteBuffer one = direct(1, 2, 3);
        ByteBuffer two = direct(4, 5);
        try (Descriptors fds = new Descriptors(); Message a = Message.of(one); Message b = Message.of(two);
                MessageBatch batch = new MessageBatch(2).add(a).add(b)) {
            Descriptors.Pair p = fds.udpPair(false);
            for (int round = 0; round < 10; round++) {
                one.put(0, (byte) (10 + round));
                two.put(1, (byte) (20 + round));
                sendAll(p.a, batch);
                assertEquals(one.limit(), one.position(), "the call advanced the position");
                assertArrayEquals(bytes(10 + round, 2, 3), next(p.b), "round " + round);
                assertArrayEquals(bytes(4, 20 + round), next(p.b), "round " + round);
                a.rewind();
                b.rewind();
            }
        }
    }

    @Test
    void everyChangeToAMessageIsSent() throws Exception {
        ByteBuffer buf = direct(1, 2, 3, 4, 5, 6);
        ByteBuffer other = direct(7, 8);
        ByteBuffer second = direct(42);
        try (Descriptors fds = new Descriptors(); Message m = Message.of(buf); Message n = Message.of(second);
                MessageBatch batch = new MessageBatch(2).add(m).add(n)) {
            Descriptors.Pair p = fds.udpPair(false);
            int elsewhere = fds.boundUdp(false);
            sendAll(p.a, batch);
            assertArrayEquals(bytes(1, 2, 3, 4, 5, 6), next(p.b));
            assertArrayEquals(bytes(42), next(p.b));

            // a shorter span: position and limit moved
            buf.position(1).limit(3);
            second.rewind();
            sendAll(p.a, batch);
            assertArrayEquals(bytes(2, 3), next(p.b));
            next(p.b);

            // the same span again, then the buffer list replaced
            buf.position(1).limit(3);
            second.rewind();
            sendAll(p.a, batch);
            assertArrayEquals(bytes(2, 3), next(p.b));
            next(p.b);
            m.buffers(other);
            second.rewind();
            sendAll(p.a, batch);
            assertArrayEquals(bytes(7, 8), next(p.b));
            next(p.b);

            // a second buffer added: gathered into one datagram
            other.rewind();
            second.rewind();
            m.add(direct(9));
            sendAll(p.a, batch);
            assertArrayEquals(bytes(7, 8, 9), next(p.b));
            next(p.b);

            // a destination set on the connected socket's message: the datagram goes there
            m.rewind();
            second.rewind();
            try (Message toElsewhere = Message.of(direct(5, 5));
                    MessageBatch unconnected = new MessageBatch(1).add(toElsewhere)) {
                int tx = fds.boundUdp(false);
                toElsewhere.destination(Descriptors.addressOf(p.b));
                sendAll(tx, unconnected);
                assertArrayEquals(bytes(5, 5), next(p.b));
                toElsewhere.rewind();
                toElsewhere.destination(Descriptors.addressOf(elsewhere));
                sendAll(tx, unconnected);
                assertArrayEquals(bytes(5, 5), next(elsewhere), "sent to the new destination");
                toElsewhere.rewind();
                sendAll(tx, unconnected);
                assertArrayEquals(bytes(5, 5), next(elsewhere), "and there again");
            }
        }
    }

    @Test
    void aHeapBufferIsCopiedAtEveryCall() throws Exception {
        byte[] array = {1, 2, 3};
        ByteBuffer heap = ByteBuffer.wrap(array);
        try (Descriptors fds = new Descriptors(); Message m = Message.of(heap); Message d = Message.of(direct(4));
                MessageBatch batch = new MessageBatch(2).add(m).add(d)) {
            Descriptors.Pair p = fds.udpPair(false);
            for (int round = 0; round < 3; round++) {
                array[1] = (byte) (50 + round);
                sendAll(p.a, batch);
                assertArrayEquals(bytes(1, 50 + round, 3), next(p.b));
                assertArrayEquals(bytes(4), next(p.b));
                m.rewind();
                d.rewind();
            }
        }
    }

    @Test
    void aControlMessageAddedOrRemovedIsSent() throws Exception {
        try (Descriptors fds = new Descriptors(); Message m = new Message().add(direct(1, 2, 3, 4));
                MessageBatch batch = new MessageBatch(2).add(m).add(Message.of(direct(6)))) {
            Descriptors.Pair p = fds.udpPair(false);
            sendAll(p.a, batch);
            next(p.b);
            next(p.b);
            // UDP_SEGMENT of 2 bytes: the 4 bytes arrive as two datagrams; removed, as one again
            m.rewind();
            batch.clear().add(m);
            m.addControl(ControlMessage.udpSegment(2));
            sendAll(p.a, batch);
            assertArrayEquals(bytes(1, 2), next(p.b));
            assertArrayEquals(bytes(3, 4), next(p.b));
            m.rewind();
            m.clearControl();
            sendAll(p.a, batch);
            assertArrayEquals(bytes(1, 2, 3, 4), next(p.b));
        }
    }

    @Test
    void theBatchListAndOtherCallsWithItsMessagesAreSeen() throws Exception {
        ByteBuffer x = direct(1);
        ByteBuffer y = direct(2);
        try (Descriptors fds = new Descriptors(); Message a = Message.of(x); Message b = Message.of(y);
                MessageBatch batch = new MessageBatch(2).add(a).add(b);
                MessageBatch other = new MessageBatch(1).add(b)) {
            Descriptors.Pair p = fds.udpPair(false);
            sendAll(p.a, batch);
            assertArrayEquals(bytes(1), next(p.b));
            assertArrayEquals(bytes(2), next(p.b));

            // the list changed: one message
            x.rewind();
            batch.clear().add(b);
            y.rewind();
            sendAll(p.a, batch);
            assertArrayEquals(bytes(2), next(p.b));

            // the message sent through another batch and alone in between, with other spans
            y.rewind();
            sendAll(p.a, other);
            assertArrayEquals(bytes(2), next(p.b));
            y.put(0, (byte) 3).rewind();
            assertEquals(1, Posix.sendmsg(p.a, b, 0));
            assertArrayEquals(bytes(3), next(p.b));
            y.rewind();
            sendAll(p.a, batch);
            assertArrayEquals(bytes(3), next(p.b));

            // the batch received into, then sent again
            y.clear();
            Posix.sendto(p.b, bytes(8), 0, 1, 0, Descriptors.addressOf(p.a));
            int rx = 0;
            for (int i = 0; i < 5_000 && rx == 0; i++) {
                rx = Math.max(0, Posix.tryRecvmmsg(p.a, batch, DONTWAIT, null));
                if (rx == 0) {
                    Thread.sleep(1);
                }
            }
            assertEquals(1, rx);
            assertEquals(8, y.get(0));
            y.flip();
            sendAll(p.a, batch);
            assertArrayEquals(bytes(8), next(p.b));
        }
    }

    @Test
    void aClosedMessageIsRefusedWhenTheBatchIsSentAgain() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch batch = new MessageBatch(2)) {
            Descriptors.Pair p = fds.udpPair(false);
            Message a = Message.of(direct(1));
            Message b = Message.of(direct(2));
            batch.add(a).add(b);
            sendAll(p.a, batch);
            a.rewind();
            b.rewind();
            b.close();
            assertThrows(IllegalStateException.class, () -> Posix.sendmmsg(p.a, batch, 0));
            a.close();
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A receive batch called again with nothing changed reuses what its last call described to the backend; every
 * change since must still be seen: a buffer's position or limit, a buffer list, the batch's list, the message
 * received into alone or through another batch, the batch sent with, a message closed. Each test receives over a
 * Unix datagram socket pair (what is sent is queued at once) and checks where the bytes landed.
 */
class ReusedReceiveBatchTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();

    /** Sends one datagram of {@code bytes} from {@code fd}. */
    private static void send(int fd, int... bytes) throws ErrnoException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        assertEquals(b.length, Posix.send(fd, b, 0, b.length, 0));
    }

    /** The bytes of {@code buf} from 0 to {@code n}, whatever its position and limit. */
    private static byte[] head(ByteBuffer buf, int n) {
        byte[] out = new byte[n];
        buf.duplicate().clear().get(0, out);
        return out;
    }

    /** A receive call made elsewhere than through the batch under test. */
    private interface Receive {
        long call() throws ErrnoException;
    }

    /**
     * Receives {@code first} into {@code buf} from position {@code at} through {@code elsewhere}, then, the buffer
     * cleared, {@code second} through {@code in}: each must land where its own call found the buffer.
     */
    private static void elsewhereThenBatch(Descriptors.Pair p, ByteBuffer buf, int at, int first, Receive elsewhere,
            int second, MessageBatch in) throws ErrnoException {
        buf.clear().position(at);
        send(p.a, first);
        assertEquals(1, elsewhere.call());
        assertEquals(first, head(buf, at + 1)[at]);
        buf.clear();
        send(p.a, second);
        assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
        assertEquals(second, head(buf, 1)[0]);
    }

    private static Message direct(int bytes) {
        return new Message(0).add(ByteBuffer.allocateDirect(bytes));
    }

    /**
     * A receive loop that reads each buffer the java.nio way ({@code flip()}) cuts the next datagram at that limit
     * after {@code rewind()}, which moves positions only; {@code clearEachBuffer()} offers every buffer whole again.
     */
    @Test
    void clearEachBufferOffersEachBufferWholeWhereRewindKeepsAFlippedLimit() throws Exception {
        try (Descriptors fds = new Descriptors(); Message a = direct(8);
                Message b = new Message(0).add(ByteBuffer.allocateDirect(4)).add(ByteBuffer.allocate(4));
                MessageBatch in = new MessageBatch(2).add(a).add(b)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            send(p.a, 1, 2);
            send(p.a, 3);
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
            a.buffer(0).flip();
            b.buffer(0).flip();
            send(p.a, 4, 5, 6, 7);
            send(p.a, 8, 9);
            assertEquals(2, Posix.recvmmsg(p.b, in.rewind(), DONTWAIT));
            assertTrue(a.truncated(), "four bytes into a limit of two");
            assertEquals(2, in.bytesReceived(0));
            assertArrayEquals(new byte[] {4, 5}, head(a.buffer(0), 2));
            // the first buffer stops at its flipped limit of one; the rest goes on into the second
            assertTrue(!b.truncated(), "two bytes into a limit of one, then a second buffer of four");
            assertEquals(8, head(b.buffer(0), 1)[0]);
            assertEquals(9, head(b.buffer(1), 1)[0]);

            send(p.a, 10, 11, 12, 13, 14, 15, 16, 17);
            send(p.a, 18, 19, 20, 21, 22, 23, 24, 25);
            assertSame(in, in.clearEachBuffer());
            assertEquals(0, b.buffer(1).position());
            assertEquals(4, b.buffer(1).limit());
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertTrue(!a.truncated() && !b.truncated(), "each datagram whole");
            assertArrayEquals(new byte[] {10, 11, 12, 13, 14, 15, 16, 17}, head(a.buffer(0), 8));
            assertArrayEquals(new byte[] {18, 19, 20, 21}, head(b.buffer(0), 4));
            assertArrayEquals(new byte[] {22, 23, 24, 25}, head(b.buffer(1), 4));
            assertEquals(8, a.buffer(0).position());
            assertSame(a, a.clearEachBuffer());
            assertEquals(0, a.buffer(0).position());
            assertEquals(8, a.buffer(0).limit());
        }
    }

    @Test
    void positionsAndLimitsAreTakenAsTheyAreAtEachCall() throws Exception {
        try (Descriptors fds = new Descriptors(); Message a = direct(8); Message b = direct(8);
                MessageBatch in = new MessageBatch(2).add(a).add(b)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            ByteBuffer bufA = a.buffer(0);
            ByteBuffer bufB = b.buffer(0);
            send(p.a, 1, 2, 3);
            send(p.a, 4, 5);
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(3, bufA.position());
            assertEquals(2, bufB.position());

            // the same batch, positions left where the call put them: each datagram lands after the last one
            send(p.a, 6);
            send(p.a, 7);
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertArrayEquals(new byte[] {1, 2, 3, 6}, head(bufA, 4));
            assertArrayEquals(new byte[] {4, 5, 7}, head(bufB, 3));

            // cleared: back at 0, as the first call found them
            bufA.clear();
            bufB.clear();
            send(p.a, 8);
            send(p.a, 9);
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(8, head(bufA, 1)[0]);
            assertEquals(9, head(bufB, 1)[0]);

            // the same positions as the last call but a shorter limit: the datagram is cut there
            bufA.clear().limit(2);
            bufB.clear();
            send(p.a, 10, 11, 12, 13);
            send(p.a, 14);
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(2, bufA.position());
            assertTrue(a.truncated(), "cut at the limit the buffer has now");
            assertArrayEquals(new byte[] {10, 11}, head(bufA, 2));
            assertEquals(3, head(bufA, 3)[2], "nothing written past the limit");

            // unchanged since the last call (same positions and limits): the same places again
            bufA.clear().limit(2);
            bufB.clear();
            send(p.a, 15, 16, 17);
            send(p.a, 18);
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertArrayEquals(new byte[] {15, 16, 3}, head(bufA, 3));
            assertEquals(18, head(bufB, 1)[0]);

            // rewound: back where the last call found them, each limit kept, and described as before
            int stampA = a.encoding();
            in.rewind();
            assertEquals(0, bufA.position());
            assertEquals(2, bufA.limit());
            assertEquals(0, bufB.position());
            send(p.a, 19, 20, 21);
            send(p.a, 22);
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertArrayEquals(new byte[] {19, 20}, head(bufA, 2));
            assertEquals(22, head(bufB, 1)[0]);
            assertEquals(stampA, a.encoding(), "a rewound batch receives as it was described");
        }
    }

    @Test
    void aChangedBufferListOrBatchListIsSeen() throws Exception {
        try (Descriptors fds = new Descriptors(); Message a = direct(4); Message b = direct(4);
                MessageBatch in = new MessageBatch(2).add(a)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            send(p.a, 1);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
            ByteBuffer first = a.buffer(0).clear();

            ByteBuffer replacement = ByteBuffer.allocateDirect(4);
            a.buffers(replacement);
            send(p.a, 2);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(2, head(replacement, 1)[0], "into the buffer the list holds now");
            assertEquals(1, head(first, 1)[0], "not into the one it held before");

            replacement.clear();
            ByteBuffer second = ByteBuffer.allocateDirect(4);
            a.add(second);
            send(p.a, 3, 4, 5, 6, 7);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertArrayEquals(new byte[] {3, 4, 5, 6}, head(replacement, 4));
            assertEquals(7, head(second, 1)[0], "scattered into the added buffer");

            // another message in the batch's place
            a.buffers(replacement.clear());
            in.clear().add(b);
            send(p.a, 8);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(8, head(b.buffer(0), 1)[0]);
            assertEquals(3, head(replacement, 1)[0], "the message that left the batch is not written");

            // one more message: the batch receives into both
            b.buffer(0).clear();
            in.add(a);
            send(p.a, 9);
            send(p.a, 10);
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(9, head(b.buffer(0), 1)[0]);
            assertEquals(10, head(replacement, 1)[0]);
        }
    }

    @Test
    void aMessageUsedElsewhereSinceIsDescribedAgain() throws Exception {
        try (Descriptors fds = new Descriptors(); Message a = direct(8);
                MessageBatch in = new MessageBatch(1).add(a); MessageBatch other = new MessageBatch(1).add(a)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            ByteBuffer buf = a.buffer(0);
            send(p.a, 1);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));

            // received into alone, from position 4, then cleared: the batch must not take position 4 from it
            elsewhereThenBatch(p, buf, 4, 2, () -> Posix.recvmsg(p.b, a, DONTWAIT), 3, in);

            // received into alone from position 4 again, and put back there: the batch must not take 0 from its
            // own last call either
            buf.clear().position(4);
            send(p.a, 20);
            assertEquals(1, Posix.recvmsg(p.b, a, DONTWAIT));
            buf.position(4);
            send(p.a, 21);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(21, head(buf, 5)[4]);
            assertEquals(3, head(buf, 1)[0]);

            // the same through another batch
            elsewhereThenBatch(p, buf, 6, 4, () -> Posix.recvmmsg(p.b, other, DONTWAIT), 5, in);

            // the batch itself sent with: its plan then describes a send
            ByteBuffer out = buf.clear().put(new byte[] {42, 43}).flip();
            assertEquals(1, Posix.sendmmsg(p.b, in, 0));
            byte[] echoed = new byte[4];
            assertEquals(2, Posix.recv(p.a, echoed, 0, 4, DONTWAIT));
            assertEquals(42, echoed[0]);
            out.clear();
            send(p.a, 6, 7, 8);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(3, in.bytesReceived(0));
            assertArrayEquals(new byte[] {6, 7, 8}, head(buf, 3));
        }
    }

    @Test
    void aTwinMessageInTheSamePlaceIsStillAnotherMessage() throws Exception {
        // two messages built and used alike, so that nothing but their identity tells them apart
        try (Descriptors fds = new Descriptors(); Message a = direct(4); Message b = direct(4);
                MessageBatch in = new MessageBatch(2).add(a); MessageBatch other = new MessageBatch(2).add(b)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            send(p.a, 1);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
            send(p.a, 2);
            assertEquals(1, Posix.recvmmsg(p.b, other, DONTWAIT));
            a.buffer(0).clear();
            b.buffer(0).clear();
            in.clear().add(b);
            send(p.a, 3);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(3, head(b.buffer(0), 1)[0], "into the message the batch holds now");
            assertEquals(1, head(a.buffer(0), 1)[0]);

            // a message added after the last call, one that was never used: both receive
            b.buffer(0).clear();
            Message added = direct(4);
            in.add(added);
            send(p.a, 4);
            send(p.a, 5);
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT), "a datagram for each message, the new one too");
            assertEquals(4, head(b.buffer(0), 1)[0]);
            assertEquals(5, head(added.buffer(0), 1)[0]);

            // the first message leaves (as sent messages do): what is left receives from the first place
            b.buffer(0).clear().put((byte) 7).flip();
            assertEquals(1, Posix.sendmmsg(p.b, in.clear().add(b), 0));
            assertEquals(1, Posix.recv(p.a, new byte[4], 0, 4, DONTWAIT));
            b.buffer(0).clear();
            in.add(a);
            send(p.a, 8);
            send(p.a, 9);
            assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT));
            a.buffer(0).clear();
            assertSame(a, in.removeSent().get(0));
            send(p.a, 10);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
            assertEquals(10, head(a.buffer(0), 1)[0]);
            assertEquals(8, head(b.buffer(0), 1)[0], "the message that left is not written");
        }
    }

    @Test
    void aBatchHandedBetweenThreadsReceivesAsItIsOnEach() throws Exception {
        // each thread may keep what it built for the batch's last call on it: a call on another thread in between
        // changes the batch, and the first thread's next call must see that
        try (Descriptors fds = new Descriptors(); Message a = direct(8); MessageBatch in = new MessageBatch(1).add(a)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            ByteBuffer buf = a.buffer(0);
            java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                send(p.a, 1);
                assertEquals(1, (int) other.submit(() -> Posix.recvmmsg(p.b, in, DONTWAIT)).get());
                buf.position(4);
                send(p.a, 2);
                assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
                assertEquals(2, head(buf, 5)[4]);
                buf.clear();
                send(p.a, 3);
                assertEquals(1, (int) other.submit(() -> Posix.recvmmsg(p.b, in, DONTWAIT)).get());
                assertEquals(3, head(buf, 1)[0]);
                buf.position(4);
                send(p.a, 4);
                assertEquals(1, (int) other.submit(() -> Posix.recvmmsg(p.b, in, DONTWAIT)).get());
                assertEquals(4, head(buf, 5)[4]);
            } finally {
                other.shutdownNow();
            }
        }
    }

    @Test
    void otherMessageCallsInBetweenLeaveAnUnchangedBatchWhole() throws Exception {
        // a backend may keep what it built for the batch; calls with other messages on the same thread build theirs
        try (Descriptors fds = new Descriptors(); Message a = direct(8); Message b = direct(8);
                MessageBatch in = new MessageBatch(2).add(a).add(b);
                Message other = new Message(256).add(ByteBuffer.allocateDirect(16)).add(ByteBuffer.allocateDirect(16));
                MessageBatch otherBatch = new MessageBatch(3)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            for (int i = 0; i < 3; i++) {
                otherBatch.add(Message.of(ByteBuffer.allocateDirect(32)));
            }
            for (int round = 0; round < 4; round++) {
                a.buffer(0).clear();
                b.buffer(0).clear();
                send(p.a, round, 1);
                send(p.a, round, 2, 3);
                assertEquals(2, Posix.recvmmsg(p.b, in, DONTWAIT), "round " + round);
                assertArrayEquals(new byte[] {(byte) round, 1}, head(a.buffer(0), 2));
                assertArrayEquals(new byte[] {(byte) round, 2, 3}, head(b.buffer(0), 3));
                assertEquals(2, in.bytesReceived(0));
                assertEquals(3, in.bytesReceived(1));

                // a message sent, one received and a batch sent, all on this thread
                other.buffer(0).clear();
                other.buffer(1).clear();
                assertEquals(32, Posix.sendmsg(p.b, other, 0));
                other.buffer(0).clear();
                other.buffer(1).clear();
                assertEquals(32, Posix.recvmsg(p.a, other, 0));
                otherBatch.rewind();
                for (int i = 0; i < 3; i++) {
                    otherBatch.get(i).buffer(0).clear();
                }
                assertEquals(3, Posix.sendmmsg(p.b, otherBatch, 0));
                for (int i = 0; i < 3; i++) {
                    assertEquals(32, Posix.recv(p.a, new byte[64], 0, 64, DONTWAIT));
                }
            }
        }
    }

    @Test
    void aMessageClosedSinceTheLastCallIsRefused() throws Exception {
        try (Descriptors fds = new Descriptors(); MessageBatch in = new MessageBatch(1)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Message a = direct(4);
            in.add(a);
            send(p.a, 1);
            assertEquals(1, Posix.recvmmsg(p.b, in, DONTWAIT));
            a.buffer(0).clear();
            a.close();
            send(p.a, 2);
            assertThrows(IllegalStateException.class, () -> Posix.recvmmsg(p.b, in, DONTWAIT));
            byte[] got = new byte[4];
            assertEquals(1, Posix.recv(p.b, got, 0, 4, DONTWAIT), "the datagram is still queued");
            assertEquals(2, got[0]);
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.Arenas;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A direct buffer over a {@code java.lang.foreign} segment whose arena is closed keeps its address but loses its
 * memory; handing that address to the kernel (above all to recv, which writes) could corrupt the JVM's heap. Each
 * call must throw {@link IllegalStateException} first, as java.nio does. The foreign memory API is final since
 * JDK 22 and the tests compile for 17, so it is reached by reflection ({@code testing.Arenas}).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a refusal that fails would block in recv
class ClosedSegmentTest {

    /** A 64-byte buffer of an arena ({@code Arena}'s factory of that name) that is already closed. */
    private static ByteBuffer closedSegmentBuffer(String arenaFactory) throws Exception {
        Object[] arenaAndBuffer = segmentBuffer(arenaFactory);
        ((AutoCloseable) arenaAndBuffer[0]).close();
        return (ByteBuffer) arenaAndBuffer[1];
    }

    /** A new arena ({@code Arena}'s factory of that name) and a 64-byte buffer of it. */
    private static Object[] segmentBuffer(String arenaFactory) throws Exception {
        assumeTrue(Arenas.available(), "java.lang.foreign is final from JDK 22; this is " + Runtime.version());
        Object arena = Arenas.arena(arenaFactory);
        return new Object[] {arena, Arenas.buffer(arena, 64)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"ofConfined", "ofShared"})
    void aMessageThatUsedASegmentRefusesItOnceItsArenaIsClosed(String arenaFactory) throws Exception {
        Object[] sendArena = segmentBuffer(arenaFactory);
        Object[] receiveArena = segmentBuffer(arenaFactory);
        ByteBuffer out = (ByteBuffer) sendArena[1];
        ByteBuffer in = (ByteBuffer) receiveArena[1];
        try (Descriptors fds = new Descriptors(); Message tx = new Message(0).add(out);
                Message rx = new Message(0).add(in)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            assertEquals(64, Posix.sendmsg(p.a, tx, 0));
            assertEquals(64, Posix.recvmsg(p.b, rx, 0));
            // nothing about the messages changes but the memory behind their buffers: the next calls must look
            ((AutoCloseable) sendArena[0]).close();
            ((AutoCloseable) receiveArena[0]).close();
            out.clear();
            in.clear();
            assertThrows(IllegalStateException.class, () -> Posix.sendmsg(p.a, tx, 0));
            assertNull(SocketIo.receive(p.b, 100, 20), "something was sent from freed memory");
            Posix.send(p.a, new byte[] {3}, 0, 1, 0);
            assertThrows(IllegalStateException.class, () -> Posix.recvmsg(p.b, rx, 0));
            byte[] got = new byte[4];
            assertEquals(1, Posix.recv(p.b, got, 0, 4, MsgFlag.MSG_DONTWAIT.value()), "the datagram is still queued");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ofConfined", "ofShared"})
    void aBatchThatReceivedIntoASegmentRefusesItOnceItsArenaIsClosed(String arenaFactory) throws Exception {
        Object[] arenaAndBuffer = segmentBuffer(arenaFactory);
        ByteBuffer buf = (ByteBuffer) arenaAndBuffer[1];
        try (Descriptors fds = new Descriptors(); MessageBatch in = new MessageBatch(1).add(new Message(0).add(buf))) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Posix.send(p.a, new byte[] {1, 2}, 0, 2, 0);
            assertEquals(1, Posix.recvmmsg(p.b, in, MsgFlag.MSG_DONTWAIT.value()));
            // nothing about the batch changes but the memory behind its buffer: the next call must still look
            ((AutoCloseable) arenaAndBuffer[0]).close();
            buf.clear();
            Posix.send(p.a, new byte[] {3}, 0, 1, 0);
            assertThrows(IllegalStateException.class, () -> Posix.recvmmsg(p.b, in, MsgFlag.MSG_DONTWAIT.value()));
            byte[] got = new byte[4];
            assertEquals(1, Posix.recv(p.b, got, 0, 4, MsgFlag.MSG_DONTWAIT.value()), "the datagram is still queued");
            assertEquals(3, got[0]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ofConfined", "ofShared"})
    void aBatchThatSentASegmentRefusesItOnceItsArenaIsClosed(String arenaFactory) throws Exception {
        Object[] arenaAndBuffer = segmentBuffer(arenaFactory);
        ByteBuffer buf = (ByteBuffer) arenaAndBuffer[1];
        Message m = new Message(0).add(buf);
        try (Descriptors fds = new Descriptors(); MessageBatch out = new MessageBatch(2).add(m)
                .add(Message.of(ByteBuffer.allocateDirect(2)))) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            // twice, unchanged: the second call sends the batch as the first described it
            for (int call = 0; call < 2; call++) {
                out.rewind();
                assertEquals(2, Posix.sendmmsg(p.a, out, 0));
                assertEquals(64, SocketIo.receive(p.b, 100, 5000).length);
                assertEquals(2, SocketIo.receive(p.b, 100, 5000).length);
            }
            // nothing about the batch changes but the memory behind its buffer: the next call must still look
            ((AutoCloseable) arenaAndBuffer[0]).close();
            out.rewind();
            assertThrows(IllegalStateException.class, () -> Posix.sendmmsg(p.a, out, 0));
            assertNull(SocketIo.receive(p.b, 100, 20), "something was sent from freed memory");
        } finally {
            m.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ofConfined", "ofShared"})
    void everyCallRefusesABufferWhoseArenaIsClosed(String arenaFactory) throws Exception {
        ByteBuffer dead = closedSegmentBuffer(arenaFactory);
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            InetSocketAddress to = Descriptors.addressOf(p.b);
            assertThrows(IllegalStateException.class, () -> Posix.send(p.a, dead, 0));
            assertThrows(IllegalStateException.class, () -> Posix.trySend(p.a, dead, 0));
            assertThrows(IllegalStateException.class, () -> Posix.sendto(p.a, dead, 0, to));
            assertThrows(IllegalStateException.class, () -> Posix.trySendto(p.a, dead, 0, SockAddr.of(to)));
            assertNull(SocketIo.receive(p.b, 100, 20), "something was sent from freed memory");

            // a datagram is waiting; receiving it into freed memory must be refused and leave it queued
            Posix.send(p.a, new byte[] {1, 2, 3}, 0, 3, 0);
            assertThrows(IllegalStateException.class, () -> Posix.recv(p.b, dead, 0));
            assertThrows(IllegalStateException.class, () -> Posix.recvfrom(p.b, dead, 0));
            assertThrows(IllegalStateException.class, () -> Posix.tryRecv(p.b, dead, 0));
            assertThrows(IllegalStateException.class, () -> Posix.tryRecvfrom(p.b, dead, 0, new SockAddrBuffer()));
            byte[] got = SocketIo.receive(p.b, 100, 5000);
            assertNotNull(got);
            assertEquals(3, got.length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ofConfined", "ofShared"})
    void messageCallsRefuseABufferWhoseArenaIsClosed(String arenaFactory) throws Exception {
        ByteBuffer dead = closedSegmentBuffer(arenaFactory);
        ByteBuffer alive = ByteBuffer.allocateDirect(8);
        try (Descriptors fds = new Descriptors(); Message m = Message.of(alive, dead);
                MessageBatch batch = new MessageBatch(2)) {
            Descriptors.Pair p = fds.udpPair(false);
            // the buffer was added while its memory was gone: every call must look again, not trust the list
            assertThrows(IllegalStateException.class, () -> Posix.sendmsg(p.a, m, 0));
            assertThrows(IllegalStateException.class, () -> Posix.trySendmsg(p.a, m, 0));
            batch.add(Message.of(ByteBuffer.allocateDirect(4))).add(m);
            assertThrows(IllegalStateException.class, () -> Posix.sendmmsg(p.a, batch, 0));
            assertThrows(IllegalStateException.class, () -> Posix.trySendmmsg(p.a, batch, 0));
            assertNull(SocketIo.receive(p.b, 100, 20), "something was sent from freed memory");

            Posix.send(p.a, new byte[] {1, 2, 3}, 0, 3, 0);
            Message in = Message.of(ByteBuffer.allocateDirect(1), dead);
            assertThrows(IllegalStateException.class, () -> Posix.recvmsg(p.b, in, 0));
            assertThrows(IllegalStateException.class, () -> Posix.tryRecvmsg(p.b, in, 0));
            try (MessageBatch inBatch = new MessageBatch(2).add(Message.of(ByteBuffer.allocateDirect(4))).add(in)) {
                assertThrows(IllegalStateException.class, () -> Posix.recvmmsg(p.b, inBatch, 0));
            }
            byte[] got = SocketIo.receive(p.b, 100, 5000);
            assertNotNull(got, "the datagram is still queued");
            assertEquals(3, got.length);

            // the message itself is not spoilt: without the dead buffer it works again
            m.buffers(alive);
            assertEquals(8, Posix.sendmsg(p.a, m, 0));
        }
    }
}

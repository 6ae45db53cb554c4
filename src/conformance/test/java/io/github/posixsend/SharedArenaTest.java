// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.Arenas;
import io.github.posixsend.testing.Blocked;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A shared arena ({@code Arena.ofShared()}, JDK 22 and later) may be closed by any thread, also while another thread
 * is in a posix-send call over one of its buffers. Had the kernel been given that memory, a receive would write into
 * the freed chunk (glibc then aborts the JVM) and a send would read it. Such buffers go through posix-send's own
 * memory instead: a call blocked in the kernel outlives the arena, and a receive ends with
 * {@link IllegalStateException} when it copies the bytes in.
 */
class SharedArenaTest {
    private static final int LEN = 64;

    /** An open shared arena and a buffer over {@code size} bytes of it: {arena, buffer}. */
    private static Object[] sharedBuffer(int size) throws Exception {
        assumeTrue(Arenas.available(), "java.lang.foreign is final from JDK 22; this is " + Runtime.version());
        Object arena = Arenas.arena("ofShared");
        return new Object[] {arena, Arenas.buffer(arena, size)};
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + 7 * i);
        }
        return b;
    }

    /** A call over one buffer of the arena: a send from it or a receive into it. */
    @FunctionalInterface
    private interface BufferCall {
        Object call(int fd, ByteBuffer buf) throws Exception;
    }

    /**
     * Runs {@code call} (a receive into the arena's buffer) until it blocks, closes the arena, sends a datagram,
     * and checks that the call then ends with IllegalStateException and that it had taken the datagram (so the
     * arena was closed during the call, not before it).
     */
    private static void blockedReceiveOutlivesTheArena(BufferCall call) throws Exception {
        Object[] arenaAndBuffer = sharedBuffer(LEN);
        ByteBuffer buf = (ByteBuffer) arenaAndBuffer[1];
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Blocked blocked = new Blocked(fds, "shared-arena-call", () -> call.call(p.b, buf));
            ((AutoCloseable) arenaAndBuffer[0]).close(); // nothing holds the arena: the kernel has none of it
            Posix.send(p.a, pattern(LEN, 1), 0, LEN, 0);
            Object outcome = blocked.outcome();
            assertInstanceOf(IllegalStateException.class, outcome, "the call ended with " + outcome);
            assertNull(SocketIo.receive(p.b, LEN, 20), "the blocked call did not take the datagram");
        }
    }

    @Test
    void aBlockedRecvOutlivesItsArenaBeingClosed() throws Exception {
        blockedReceiveOutlivesTheArena((fd, buf) -> Posix.recv(fd, buf, 0));
    }

    @Test
    void aBlockedTryRecvfromOutlivesItsArenaBeingClosed() throws Exception {
        blockedReceiveOutlivesTheArena((fd, buf) -> Posix.tryRecvfrom(fd, buf, 0, new SockAddrBuffer()));
    }

    @Test
    void aBlockedRecvmsgOutlivesItsArenaBeingClosed() throws Exception {
        blockedReceiveOutlivesTheArena((fd, buf) -> {
            try (Message m = new Message(0).add(ByteBuffer.allocateDirect(8)).add(buf)) {
                return Posix.recvmsg(fd, m, 0);
            }
        });
    }

    @Test
    void aBlockedRecvmmsgOutlivesItsArenaBeingClosed() throws Exception {
        blockedReceiveOutlivesTheArena((fd, buf) -> {
            try (MessageBatch batch = new MessageBatch(1).add(new Message(0).add(buf))) {
                return Posix.recvmmsg(fd, batch, 0);
            }
        });
    }

    /**
     * A send blocked on a full socket, its arena closed meanwhile: once the peer reads, the datagram arrives with the
     * bytes the buffer held at the call (the kernel never read the freed chunk, whose first bytes free() rewrites).
     */
    private static void blockedSendOutlivesTheArena(BufferCall call) throws Exception {
        Object[] arenaAndBuffer = sharedBuffer(LEN);
        ByteBuffer buf = (ByteBuffer) arenaAndBuffer[1];
        byte[] sent = pattern(LEN, 5);
        buf.put(0, sent);
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            long queued = SocketIo.fillUntilWouldBlock(p.a, LEN, MsgFlag.MSG_DONTWAIT.value(), 1_000_000);
            Blocked blocked = new Blocked(fds, "shared-arena-call", () -> call.call(p.a, buf));
            ((AutoCloseable) arenaAndBuffer[0]).close();
            for (long i = 0; i < queued / LEN; i++) {
                assertEquals(LEN, Posix.recv(p.b, new byte[LEN], 0, LEN, 0));
            }
            assertEquals(LEN, ((Number) blocked.outcome()).intValue());
            byte[] got = new byte[LEN];
            assertEquals(LEN, Posix.recv(p.b, got, 0, LEN, MsgFlag.MSG_DONTWAIT.value()));
            assertArrayEquals(sent, got, "the datagram carries other bytes than the buffer held");
        }
    }

    @Test
    void aBlockedSendOutlivesItsArenaBeingClosed() throws Exception {
        blockedSendOutlivesTheArena((fd, buf) -> Posix.send(fd, buf, 0));
    }

    @Test
    void aBlockedSendmsgOutlivesItsArenaBeingClosed() throws Exception {
        blockedSendOutlivesTheArena((fd, buf) -> {
            try (Message m = Message.of(buf)) {
                return Posix.sendmsg(fd, m, 0);
            }
        });
    }

    @Test
    void sharedDirectBuffersCarryTheirBytesBothWays() throws Exception {
        Object[] out = sharedBuffer(LEN);
        Object[] in = sharedBuffer(LEN);
        ByteBuffer tx = (ByteBuffer) out[1];
        ByteBuffer rx = (ByteBuffer) in[1];
        byte[] bytes = pattern(LEN, 9);
        try (Descriptors fds = new Descriptors(); AutoCloseable a = (AutoCloseable) out[0];
                AutoCloseable b = (AutoCloseable) in[0]) {
            Descriptors.Pair p = fds.udpPair(false);
            InetSocketAddress to = Descriptors.addressOf(p.b);
            tx.put(0, bytes).position(8);
            assertEquals(LEN - 8, Posix.send(p.a, tx, 0));
            assertEquals(LEN, tx.position());
            rx.position(4);
            assertEquals(LEN - 8, Posix.recv(p.b, rx, 0));
            assertEquals(LEN - 4, rx.position());
            for (int i = 0; i < LEN - 8; i++) {
                assertEquals(bytes[8 + i], rx.get(4 + i), "byte " + i);
            }

            tx.clear();
            rx.clear();
            assertEquals(LEN, Posix.sendto(p.a, tx, 0, to));
            SockAddrBuffer from = new SockAddrBuffer();
            assertEquals(LEN, Posix.tryRecvfrom(p.b, rx, 0, from));
            assertEquals(Descriptors.addressOf(p.a).getPort(), from.port());
            byte[] got = new byte[LEN];
            rx.get(0, got);
            assertArrayEquals(bytes, got);

            tx.clear();
            rx.clear().put(0, new byte[LEN]);
            try (Message m = Message.of(tx); Message r = new Message(0).add(rx)) {
                assertEquals(LEN, Posix.sendmsg(p.a, m, 0));
                assertEquals(LEN, Posix.recvmsg(p.b, r, 0));
            }
            rx.get(0, got);
            assertArrayEquals(bytes, got);
            assertEquals(LEN, rx.position());
        }
    }

    @Test
    void msgTruncOnAStreamLeavesASharedArenaBufferAsItWas() throws Exception {
        Object[] in = sharedBuffer(LEN);
        ByteBuffer rx = (ByteBuffer) in[1];
        byte[] before = pattern(LEN, 3);
        rx.put(0, before);
        try (Descriptors fds = new Descriptors(); AutoCloseable a = (AutoCloseable) in[0]) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.send(p.a, new byte[16], 0, 16, 0);
            int n = Posix.recv(p.b, rx, MsgFlag.MSG_TRUNC.value());
            assertTrue(n > 0 && n <= 16, "discarded " + n);
            byte[] after = new byte[LEN];
            rx.get(0, after);
            assertArrayEquals(before, after, "MSG_TRUNC on TCP stores nothing");
        }
    }

    @Test
    void zeroCopyRefusesASharedArenaBuffer() throws Exception {
        assumeTrue(MsgFlag.MSG_ZEROCOPY.isSupported(), "MSG_ZEROCOPY is Linux's");
        Object[] out = sharedBuffer(LEN);
        ByteBuffer tx = (ByteBuffer) out[1];
        int zerocopy = MsgFlag.MSG_ZEROCOPY.value();
        try (Descriptors fds = new Descriptors(); AutoCloseable a = (AutoCloseable) out[0];
                Message m = Message.of(tx)) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
            assertThrows(IllegalArgumentException.class, () -> Posix.send(p.a, tx, zerocopy));
            assertThrows(IllegalArgumentException.class, () -> Posix.trySend(p.a, tx, zerocopy));
            assertThrows(IllegalArgumentException.class, () -> Posix.sendmsg(p.a, m, zerocopy));
            assertEquals(0, tx.position(), "nothing was sent");
        }
    }
}

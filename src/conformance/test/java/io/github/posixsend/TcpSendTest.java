// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sends on a TCP connection whose peer does not read. Would-block ends a non-blocking
 * send (or one with {@code MSG_DONTWAIT}); what is accepted is counted exactly, and partial counts advance the
 * buffer by what was sent.
 */
class TcpSendTest {
    private static final int BIG = 8 << 20;

    /**
     * Bounded buffers: the sender's is fixed (which also stops Linux growing it), the receiver's kept small, so
     * the connection fills after a few hundred kilobytes at most, far below {@link #BIG}.
     */
    private static void boundBuffers(Descriptors.Pair p) throws Exception {
        Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 64 * 1024);
        Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 64 * 1024);
    }

    private static ByteBuffer patterned(int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(n);
        for (int i = 0; i < n; i++) {
            b.put(i, (byte) (i % 251));
        }
        return b;
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void nonBlockingSendFillsUntilWouldBlockWithPartialCounts() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            boundBuffers(p);
            Posix.setBlocking(p.a, false);
            assertTrue(!Posix.isBlocking(p.a));
            ByteBuffer big = patterned(BIG);

            // a large send into bounded room accepts part of it and says how much
            int first = Posix.send(p.a, big, 0);
            assertTrue(first > 0 && first < BIG, "partial count expected, got " + first);
            assertEquals(first, big.position());

            // the rest until would-block; the total is what the kernel reported, no more
            long total = first;
            boolean blocked = false;
            for (int i = 0; i < 10_000 && !blocked; i++) {
                try {
                    int n = Posix.send(p.a, big, 0);
                    assertTrue(n > 0, "send returned " + n);
                    total += n;
                } catch (WouldBlockException e) {
                    assertEquals(Errno.EAGAIN, e.errno());
                    blocked = true;
                }
            }
            assertTrue(blocked, "no would-block with a peer that does not read");
            assertTrue(total > 0 && total < BIG);
            assertEquals(total, big.position(), "the position must advance by exactly the counts reported");

            // the peer reads what it has, which opens room: a large send into the nearly full buffer is partial
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            SocketIo.drain(p.b, received, 50, 100_000);
            assertTrue(received.size() > 0, "the peer found nothing to read");
            int before = big.position();
            int partial = -1;
            for (int i = 0; i < 5_000 && partial < 0; i++) {
                try {
                    partial = Posix.send(p.a, big, 0);
                } catch (WouldBlockException e) {
                    Thread.sleep(1);
                }
            }
            assertTrue(partial > 0, "the socket never became writable again");
            assertTrue(partial < BIG - before, "expected a partial count, all " + partial + " bytes went");
            assertEquals(before + partial, big.position());
            total += partial;

            // everything counted arrives, in order, and nothing else
            Posix.shutdown(p.a, Posix.SHUT_WR);
            SocketIo.drain(p.b, received, 5_000, 1_000_000);
            assertEquals(total, received.size(), "bytes received differ from the counts send reported");
            byte[] expect = new byte[(int) total];
            big.get(0, expect);
            assertArrayEquals(expect, received.toByteArray());
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void dontWaitOnBlockingSocketGivesWouldBlock() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            boundBuffers(p);
            assertTrue(Posix.isBlocking(p.a));
            int dontWait = MsgFlag.MSG_DONTWAIT.value();
            long total = SocketIo.fillUntilWouldBlock(p.a, 64 * 1024, dontWait, 10_000);
            assertTrue(total > 0, "nothing was accepted before would-block");

            // the buffer is full: a blocking socket would wait here, MSG_DONTWAIT must not. Acknowledgements
            // still arriving can free a little room, so a few more bytes may go first; each try returns at once.
            ByteBuffer one = null;
            WouldBlockException e = null;
            for (int i = 0; i < 100_000 && e == null; i++) {
                one = ByteBuffer.allocate(1);
                try {
                    total += Posix.send(p.a, one, dontWait);
                } catch (WouldBlockException w) {
                    e = w;
                }
            }
            assertNotNull(e, "MSG_DONTWAIT never answered would-block");
            assertEquals(Errno.EAGAIN, e.errno());
            assertEquals(0, one.position());
            assertEquals(0, e.getStackTrace().length, "would-block carries no stack trace");
            int r = 1;
            for (int i = 0; i < 100_000 && r > 0; i++) {
                r = Posix.trySend(p.a, new byte[1], 0, 1, dontWait);
                total += Math.max(r, 0);
            }
            assertEquals(-Errno.EAGAIN.number(), r);
            assertTrue(Posix.isBlocking(p.a), "MSG_DONTWAIT must not change the socket's mode");

            // and what was accepted is what arrives
            Posix.shutdown(p.a, Posix.SHUT_WR);
            assertEquals(total, SocketIo.drain(p.b, null, 5_000, 1_000_000));
        }
    }
}

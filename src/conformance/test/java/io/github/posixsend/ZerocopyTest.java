package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code MSG_ZEROCOPY} (Linux): 1,000 zero-copy sends on a loopback TCP connection are all reported complete, each
 * id once, and on loopback every one is reported as copied (Linux copies there); heap buffers are refused.
 */
class ZerocopyTest {

    @Test
    void everySendCompletesOnceAndLoopbackCopies() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "MSG_ZEROCOPY is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
            AtomicLong received = new AtomicLong();
            Thread reader = new Thread(() -> {
                byte[] sink = new byte[1 << 16];
                try {
                    int n;
                    while ((n = Posix.recv(p.b, sink, 0, sink.length, 0)) > 0) {
                        received.addAndGet(n);
                    }
                } catch (ErrnoException e) {
                    // the test closes the socket at the end
                }
            });
            reader.start();
            ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
            for (int i = 0; i < 64; i++) {
                pool.add(ByteBuffer.allocateDirect(4096));
            }
            Map<ByteBuffer, Integer> outstanding = new IdentityHashMap<>();
            long sent = 0;
            try (ZerocopySends z = new ZerocopySends(p.a, 64)) {
                long deadline = System.nanoTime() + 20_000_000_000L;
                int sends = 0;
                while (sends < 1000 && System.nanoTime() < deadline) {
                    if (pool.isEmpty()) {
                        z.reap(b -> {
                            outstanding.merge(b, -1, Integer::sum);
                            pool.add(b);
                        });
                        if (pool.isEmpty()) {
                            Thread.sleep(1);
                        }
                        continue;
                    }
                    ByteBuffer b = pool.poll().clear();
                    try {
                        sent += z.send(b, 0);
                    } catch (NoBufferSpaceException e) {
                        pool.add(b); // too many notifications waiting: reap, then again
                        continue;
                    }
                    outstanding.merge(b, 1, Integer::sum);
                    sends++;
                }
                assertEquals(1000, sends, "1,000 sends within 20 s");
                while (z.inFlight() > 0 && System.nanoTime() < deadline) {
                    if (z.reap(b -> outstanding.merge(b, -1, Integer::sum)) == 0) {
                        Thread.sleep(1);
                    }
                }
                assertEquals(0, z.inFlight(), "every send completed");
                assertEquals(1000, z.completedCount(), "each id covered exactly once");
                assertEquals(1000, z.copiedCount(), "on loopback Linux copies every zero-copy send");
                assertEquals(1000, z.nextId());
                for (int n : outstanding.values()) {
                    assertEquals(0, n, "each buffer handed back as often as it was sent");
                }
            }
            Posix.shutdown(p.a, Posix.SHUT_WR);
            reader.join(10_000);
            assertEquals(sent, received.get(), "the peer got every byte");
        }
    }

    @Test
    void heapBuffersAreRefused() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "MSG_ZEROCOPY is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            int zc = MsgFlag.MSG_ZEROCOPY.value();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Posix.send(p.a, ByteBuffer.allocate(8), zc));
            assertTrue(e.getMessage().startsWith("send: MSG_ZEROCOPY needs direct buffers"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Posix.send(p.a, new byte[8], 0, 8, zc));
            assertThrows(IllegalArgumentException.class, () -> Posix.sendto(p.a, new byte[8], 0, 8, zc,
                    Descriptors.addressOf(p.b)));
            try (Message m = Message.of(ByteBuffer.allocate(8))) {
                assertThrows(IllegalArgumentException.class, () -> Posix.sendmsg(p.a, m, zc));
                assertThrows(IllegalArgumentException.class, () -> Posix.sendmmsg(p.a, new MessageBatch(1).add(m), zc));
            }
            try (ZerocopySends z = new ZerocopySends(p.a, 4)) {
                assertThrows(IllegalArgumentException.class, () -> z.send(ByteBuffer.allocate(8), 0));
                assertEquals(0, z.inFlight());
            }
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code MSG_ZEROCOPY} (Linux): 1,000 zero-copy sends on a loopback TCP connection are all reported complete, each
 * id once, and on loopback every one is reported as copied (Linux copies there); {@code sendto}, {@code sendmsg} and
 * {@code sendmmsg} send zero-copy datagrams, one id each; heap buffers are refused.
 */
class ZerocopyTest {
    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Os.current() == Os.LINUX, "MSG_ZEROCOPY is Linux's");
    }

    /** A connected loopback UDP pair of {@code fds}, {@code SO_ZEROCOPY} set on its first end. */
    private static Descriptors.Pair zerocopyUdpPair(Descriptors fds) throws Exception {
        Descriptors.Pair p = fds.udpPair(false);
        Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
        return p;
    }

    /** A connected loopback TCP pair of {@code fds}, {@code SO_ZEROCOPY} set on its first end. */
    private static Descriptors.Pair zerocopyPair(Descriptors fds) throws Exception {
        Descriptors.Pair p = fds.tcpPair();
        Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
        return p;
    }

    @Test
    void everySendCompletesOnceAndLoopbackCopies() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyPair(fds);
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

    /**
     * A non-blocking sender's loop, as C writes it: a short send, EAGAIN as a number, then the rest from the same
     * buffer; the buffer comes back once, after both sends completed, and the notices are counted.
     */
    @Test
    void theRestOfAShortSendIsKeptWithItAndEagainIsANumber() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyPair(fds);
            Posix.setBlocking(p.a, false);
            Posix.setBlocking(p.b, false);
            ByteBuffer big = ByteBuffer.allocateDirect(16 << 20);
            ByteBuffer sink = ByteBuffer.allocateDirect(1 << 20);
            int[] back = new int[1];
            long deadline = System.nanoTime() + 20_000_000_000L;
            try (ZerocopySends z = new ZerocopySends(p.a, 8)) {
                int first = z.trySend(big, 0);
                assertTrue(first > 0 && first < big.capacity(), "a short send: " + first);
                assertEquals(-Errno.EAGAIN.number(), z.trySend(big, 0), "the socket is full: a number, no exception");
                assertEquals(1, z.inFlight(), "a refused send is not in flight");
                int rest = 0;
                while (rest <= 0 && System.nanoTime() < deadline) { // drain the peer until the rest goes in part
                    Posix.tryRecv(p.b, sink.clear(), 0);
                    rest = z.trySend(big, 0);
                    assertTrue(rest > 0 || rest == -Errno.EAGAIN.number(), "send: " + rest);
                }
                assertTrue(rest > 0, "the rest went within 20 s");
                assertEquals(2, z.inFlight());
                assertEquals(first + rest, big.position());
                while (z.inFlight() > 0 && System.nanoTime() < deadline) {
                    Posix.tryRecv(p.b, sink.clear(), 0);
                    z.reap(b -> {
                        assertSame(big, b);
                        back[0]++;
                    });
                }
                assertEquals(0, z.inFlight(), "both sends completed within 20 s");
                assertEquals(1, back[0], "the buffer comes back once, after its last send");
                assertEquals(2, z.completedCount());
                assertTrue(z.notificationCount() >= 1 && z.notificationCount() <= 2, "notices: "
                        + z.notificationCount());
            }
            // abandoned with both sends in flight (the socket closed first), the buffer is given up once
            Descriptors.Pair q = zerocopyPair(fds);
            Posix.setBlocking(q.a, false);
            ZerocopySends z = new ZerocopySends(q.a, 8);
            big.clear();
            assertTrue(z.trySend(big, 0) > 0);
            int rest = -1;
            while (rest < 0 && System.nanoTime() < deadline) {
                Posix.tryRecv(q.b, sink.clear(), 0);
                rest = z.trySend(big, 0);
            }
            assertTrue(rest > 0, "the rest went within 20 s");
            int[] held = new int[1];
            fds.closeNow(q.a);
            assertEquals(2, z.abandon(b -> held[0]++), "two sends given up");
            assertEquals(1, held[0], "their one buffer, once");
        }
    }

    /**
     * Sends from one buffer that follow each other are one lot, handed back once; a buffer sent again after another
     * buffer's send is a lot of its own, handed back for each.
     */
    @Test
    void consecutiveSendsFromOneBufferComeBackOnce() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyUdpPair(fds);
            ByteBuffer b = ByteBuffer.allocateDirect(100);
            ByteBuffer c = ByteBuffer.allocateDirect(100);
            Map<ByteBuffer, Integer> back = new IdentityHashMap<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            try (ZerocopySends z = new ZerocopySends(p.a, 8)) {
                for (ByteBuffer next : new ByteBuffer[] {b, b, b, c, b}) {
                    assertEquals(100, z.send(next.clear(), 0));
                }
                while (z.inFlight() > 0 && System.nanoTime() < deadline) {
                    if (z.reap(done -> back.merge(done, 1, Integer::sum)) == 0) {
                        Thread.sleep(1);
                    }
                }
                assertEquals(0, z.inFlight(), "all five completed within 10 s");
                assertEquals(5, z.completedCount());
                assertEquals(2, back.get(b), "b: once for its three sends in a row, once for its last");
                assertEquals(1, back.get(c));
            }
        }
    }

    /**
     * A send racing a close on another thread is refused or makes the close refuse, never taken by a closed object
     * (whose buffer no reap or abandon would then hand back): 20,000 rounds or 10 s.
     */
    @Test
    void aSendRacingACloseIsNeverTakenByTheClosedObject() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyUdpPair(fds);
            ByteBuffer buf = ByteBuffer.allocateDirect(64);
            ZerocopySends[] current = new ZerocopySends[1];
            java.util.concurrent.atomic.AtomicInteger go = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            int[] sent = new int[1];
            Thread sender = new Thread(() -> {
                for (int seen = 0; ; ) {
                    int g;
                    while ((g = go.get()) == seen) {
                        Thread.onSpinWait();
                    }
                    if (g < 0) {
                        return;
                    }
                    seen = g;
                    try {
                        sent[0] = current[0].trySend(buf.clear(), 0);
                    } catch (IllegalStateException e) {
                        sent[0] = -1; // closed, or the close under way: refused either way
                    }
                    done.incrementAndGet();
                }
            });
            sender.setDaemon(true);
            sender.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            int taken = 0;
            int rounds = 0;
            for (; rounds < 20_000 && System.nanoTime() < deadline; rounds++) {
                ZerocopySends z = new ZerocopySends(p.a, 4);
                current[0] = z;
                go.incrementAndGet();
                boolean closed;
                try {
                    z.close();
                    closed = true;
                } catch (IllegalStateException e) {
                    closed = false; // the send came first (or was under way)
                }
                while (done.get() != rounds + 1 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                if (closed && sent[0] >= 0) {
                    taken++;
                }
                if (!closed) {
                    // the send came first; each object numbers from 0 on a socket the kernel numbers on, so its
                    // completion is not this object's to match: give the send up, as for a closed socket
                    z.abandon(b -> { });
                }
                while (Posix.tryRecv(p.b, ByteBuffer.allocate(64), MsgFlag.MSG_DONTWAIT.value()) > 0) {
                    // the datagrams the sends put there
                }
            }
            go.set(-1);
            sender.join(5_000);
            assertEquals(0, taken, "sends taken by a closed object in " + rounds + " rounds");
        }
    }

    @Test
    void completionsOutOfOrderHandEachBufferBackOnceAndNeverBlockASend() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyPair(fds);
            Thread reader = fds.background("reader", () -> {
                byte[] sink = new byte[1 << 16];
                while (Posix.recv(p.b, sink, 0, sink.length, 0) > 0) {
                    // drained
                }
            });
            // 16 KiB sends with few buffers, as the benchmark makes them: on loopback some completions overtake
            // others, and a send must still find a slot while fewer than the capacity are in flight
            ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
            for (int i = 0; i < 8; i++) {
                pool.add(ByteBuffer.allocateDirect(16 * 1024));
            }
            Map<ByteBuffer, Integer> outstanding = new IdentityHashMap<>();
            java.util.function.Consumer<ByteBuffer> back = b -> {
                assertEquals(1, outstanding.merge(b, -1, Integer::sum) + 1, "handed back while not in flight");
                pool.add(b);
            };
            long deadline = System.nanoTime() + 20_000_000_000L;
            try (ZerocopySends z = new ZerocopySends(p.a, 8)) {
                int sends = 0;
                while (sends < 30000 && System.nanoTime() < deadline) {
                    z.reap(back);
                    ByteBuffer b = pool.poll();
                    if (b == null) {
                        Thread.sleep(0, 100_000);
                        continue;
                    }
                    try {
                        z.send(b.clear(), 0);
                    } catch (NoBufferSpaceException e) {
                        pool.add(b);
                        continue;
                    }
                    outstanding.merge(b, 1, Integer::sum);
                    sends++;
                }
                assertEquals(30000, sends, "30,000 sends within 20 s");
                while (z.inFlight() > 0 && System.nanoTime() < deadline) {
                    if (z.reap(back) == 0) {
                        Thread.sleep(1);
                    }
                }
                assertEquals(0, z.inFlight(), "every send completed");
                assertEquals(z.nextId(), z.completedCount(), "each id covered exactly once");
                assertEquals(8, pool.size(), "every buffer back");
            }
            Posix.shutdown(p.a, Posix.SHUT_WR);
            reader.join(10_000);
        }
    }

    /** Completions that arrive, one per send, once the peer reads: reaped until {@code n} came back. */
    private static int reapUntil(ZerocopySends z, int n, java.util.function.Consumer<ByteBuffer> released)
            throws Exception {
        return reapUntil(n, () -> z.reap(released));
    }

    /** One reap: the buffers it handed back. */
    private interface Reap {
        int reap() throws Exception;
    }

    /** Reaps with {@code reap} until {@code n} buffers came back or 10 s passed; the count that came back. */
    private static int reapUntil(int n, Reap reap) throws Exception {
        int got = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (got < n && System.nanoTime() < deadline) {
            int k = reap.reap();
            got += k;
            if (k == 0) {
                Thread.sleep(1);
            }
        }
        return got;
    }

    /** The capacity counts sends in flight: a full object refuses the next, the non-throwing form too. */
    @Test
    void aFullObjectRefusesASendUntilReaped() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyPair(fds);
            try (ZerocopySends z = new ZerocopySends(p.a, 2)) {
                assertEquals(2, z.capacity());
                ByteBuffer a = ByteBuffer.allocateDirect(64);
                ByteBuffer b = ByteBuffer.allocateDirect(64);
                ByteBuffer c = ByteBuffer.allocateDirect(64);
                assertEquals(64, z.trySend(a, 0));
                assertEquals(64, z.trySend(b, 0));
                assertEquals(z.capacity(), z.inFlight());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> z.trySend(c, 0));
                assertTrue(e.getMessage().startsWith("2 zero-copy sends are in flight"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> z.send(c, 0));
                assertEquals(2, z.nextId(), "a refused send takes no id");
                assertEquals(64, c.remaining(), "nor anything of its buffer");
                assertEquals(2, reapUntil(z, 2, done -> { }));
                assertEquals(64, z.trySend(c, 0), "room again once reaped");
                assertEquals(1, reapUntil(z, 1, done -> { }));
            }
        }
    }

    @Test
    void oneThreadAtATimeNothingSentOfNothingAndNoCloseWhileInFlight() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyPair(fds);
            ZerocopySends z = new ZerocopySends(p.a, 4);
            ByteBuffer a = ByteBuffer.allocateDirect(64);
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            ByteBuffer c = ByteBuffer.allocateDirect(64);
            assertThrows(IllegalArgumentException.class, () -> z.send(a.position(64), 0), "nothing remaining");
            assertEquals(0, z.nextId(), "a refused send takes no id");
            assertEquals(64, z.send(a.clear(), 0));
            assertEquals(64, z.send(b, 0));
            assertThrows(IllegalStateException.class, z::close, "two sends in flight");
            // from the callback: another thread is refused, this one may send again (its slot keeps its own id)
            java.util.List<ByteBuffer> back = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicReference<Throwable> other =
                    new java.util.concurrent.atomic.AtomicReference<>();
            int got = reapUntil(z, 2, done -> {
                back.add(done);
                if (done == a) {
                    Thread t = new Thread(() -> {
                        try {
                            z.send(ByteBuffer.allocateDirect(8), 0);
                        } catch (Throwable e) {
                            other.set(e);
                        }
                    });
                    t.start();
                    try {
                        t.join(10_000);
                        assertEquals(64, z.send(c, 0));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            assertTrue(got >= 2, "a and b came back: " + got);
            assertSame(a, back.get(0), "in id order");
            assertSame(b, back.get(1), "in id order");
            assertTrue(other.get() instanceof IllegalStateException, "the other thread's send: " + other.get());
            assertEquals(3, z.nextId(), "the refused send took no id");
            assertEquals(3 - got, z.inFlight(), "c, sent from the callback, unless its completion came in that reap");
            assertEquals(3 - got, reapUntil(z, 3 - got, back::add));
            assertSame(c, back.get(2));
            // a throwing consumer: the completion's buffers are all handed back, then its exception comes
            assertEquals(64, z.send(c.clear(), 0));
            RuntimeException boom = new RuntimeException("consumer failed");
            RuntimeException e = assertThrows(RuntimeException.class, () -> reapUntil(z, 1, done -> {
                throw boom;
            }));
            assertEquals(boom, e);
            assertEquals(0, z.inFlight(), "c was handed back before the exception");
            z.close();
        }
    }

    /** An {@link Error} of the test's own, thrown by a callback. */
    private static final class CallbackFailure extends AssertionError {
        private static final long serialVersionUID = 1L;

        CallbackFailure(String message) {
            super(message);
        }
    }

    /**
     * {@code n} zero-copy sends of 64 bytes made while {@code TCP_CORK} holds them, then let go: they join one
     * segment, whose one notice covers them all.
     */
    private static java.util.List<ByteBuffer> corkedSends(int fd, ZerocopySends z, int n) throws Exception {
        java.util.List<ByteBuffer> sent = new java.util.ArrayList<>();
        Posix.setsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_CORK, 1);
        for (int i = 0; i < n; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            assertEquals(64, z.send(b, 0));
            sent.add(b);
        }
        Posix.setsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_CORK, 0);
        return sent;
    }

    /** Reaps until {@code released} throws or 10 s pass; returns what it threw, or null. */
    private static Throwable reapUntilThrown(ZerocopySends z, java.util.function.Consumer<ByteBuffer> released)
            throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (z.reap(released) == 0) {
                    Thread.sleep(1);
                }
            } catch (RuntimeException | Error e) {
                return e;
            }
        }
        return null;
    }

    /**
     * A callback that throws on a completion covering several sends, an {@link Error} on its first buffer, or the
     * same exception again on each: the completion's notice is read and gone, so every one of its buffers is still
     * handed back before the first throwable comes; nothing stays in flight, and the object closes.
     */
    @Test
    void aThrowingCallbackStillGetsEveryBufferOfItsCompletion() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyPair(fds);
            ZerocopySends z = new ZerocopySends(p.a, 8);
            Map<ByteBuffer, Integer> back = new IdentityHashMap<>();

            java.util.List<ByteBuffer> sent = corkedSends(p.a, z, 4);
            CallbackFailure failure = new CallbackFailure("the callback's own error");
            int[] calls = {0};
            Throwable thrown = reapUntilThrown(z, b -> {
                back.merge(b, 1, Integer::sum);
                if (calls[0]++ == 0) {
                    throw failure;
                }
            });
            assertSame(failure, thrown, "the callback's Error, as it was thrown");
            assertTrue(calls[0] >= 2, "every buffer of the corked sends' completion came back, not only the first: "
                    + calls[0]);
            assertEquals(4 - calls[0], z.inFlight());
            assertEquals(4 - calls[0], reapUntil(z, 4 - calls[0], b -> back.merge(b, 1, Integer::sum)));

            sent.addAll(corkedSends(p.a, z, 3));
            RuntimeException boom = new IllegalStateException("thrown for every buffer");
            calls[0] = 0;
            thrown = reapUntilThrown(z, b -> {
                back.merge(b, 1, Integer::sum);
                calls[0]++;
                throw boom;
            });
            assertSame(boom, thrown, "the one exception, thrown for each buffer, comes out as it is");
            assertTrue(calls[0] >= 2, "every buffer of the completion came back: " + calls[0]);
            assertEquals(3 - calls[0], z.inFlight());
            assertEquals(3 - calls[0], reapUntil(z, 3 - calls[0], b -> back.merge(b, 1, Integer::sum)));

            assertEquals(sent.size(), back.size(), "every buffer sent came back");
            for (ByteBuffer b : sent) {
                assertEquals(1, back.get(b), "once");
            }
            assertEquals(7, z.completedCount());
            z.close();
        }
    }

    /** What {@code others} was handed: the fields of one error-queue entry, copied out during the callback. */
    private record Other(int origin, int errno, int id, TxTimestamp.Point point) {
        static Other of(ErrorQueueEntry e) {
            return new Other(e.origin(), e.errno(), e.data(), e.timestampPoint());
        }
    }

    /** A connected loopback UDP pair whose sender has {@code SO_ZEROCOPY} and software transmit timestamps. */
    private static Descriptors.Pair stampedUdpPair(Descriptors fds, int txFlags) throws Exception {
        Descriptors.Pair p = fds.udpPair(false);
        Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
        Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, txFlags | Posix.SOF_TIMESTAMPING_SOFTWARE
                | Posix.SOF_TIMESTAMPING_OPT_ID | Posix.SOF_TIMESTAMPING_OPT_TSONLY);
        return p;
    }

    /**
     * A socket with {@code SO_ZEROCOPY} and {@code SO_TIMESTAMPING} queues both on its one error queue: the
     * two-callback reap hands back every buffer and gives every timestamp, in the kernel's own terms, to the
     * second callback; an ICMP error of a socket with {@code IP_RECVERR} goes there too.
     */
    @Test
    void timestampsAndErrorsBetweenTheCompletionsGoToTheSecondCallback() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = stampedUdpPair(fds, Posix.SOF_TIMESTAMPING_TX_SOFTWARE);
            java.util.List<ByteBuffer> sent = new java.util.ArrayList<>();
            Map<ByteBuffer, Integer> back = new IdentityHashMap<>();
            java.util.List<Other> others = new java.util.ArrayList<>();
            try (ZerocopySends z = new ZerocopySends(p.a, 16)) {
                for (int i = 0; i < 8; i++) {
                    ByteBuffer b = ByteBuffer.allocateDirect(100);
                    assertEquals(100, z.send(b, 0));
                    sent.add(b);
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while ((z.inFlight() > 0 || others.size() < 8) && System.nanoTime() < deadline) {
                    if (z.reap(b -> back.merge(b, 1, Integer::sum), e -> others.add(Other.of(e))) == 0) {
                        Thread.sleep(1);
                    }
                }
                assertEquals(0, z.inFlight(), "every send completed");
                assertEquals(8, z.completedCount());
                for (ByteBuffer b : sent) {
                    assertEquals(1, back.get(b), "each buffer handed back once");
                }
                assertEquals(8, others.size(), "one timestamp a datagram: " + others);
                for (int i = 0; i < 8; i++) {
                    Other o = others.get(i);
                    assertEquals(Posix.SO_EE_ORIGIN_TIMESTAMPING, o.origin(), o.toString());
                    assertEquals(TxTimestamp.Point.SENT, o.point(), o.toString());
                    assertEquals(i, o.id(), "datagrams numbered from 0, in order: " + others);
                    assertEquals(Errno.ENOMSG.number(), o.errno(), "Linux marks a timestamp ENOMSG: " + o);
                }
            }
            for (int i = 0; i < 8; i++) {
                assertEquals(100, SocketIo.receive(p.b, 200, 2000).length, "datagram " + i + " arrived");
            }

            // a datagram to a port nobody listens on: its ICMP error comes between the completions too
            int c = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.setsockopt(c, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
            Posix.setsockopt(c, Posix.IPPROTO_IP, Posix.IP_RECVERR, 1);
            Posix.connect(c, fds.closedUdpPort(false));
            others.clear();
            try (ZerocopySends z = new ZerocopySends(c, 2)) {
                ByteBuffer b = ByteBuffer.allocateDirect(10);
                assertEquals(10, z.send(b, 0));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while ((z.inFlight() > 0 || others.isEmpty()) && System.nanoTime() < deadline) {
                    if (z.reap(done -> back.merge(done, 1, Integer::sum), e -> others.add(Other.of(e))) == 0) {
                        Thread.sleep(1);
                    }
                }
                assertEquals(0, z.inFlight(), "the send completed");
                assertEquals(1, back.get(b));
                assertEquals(1, others.size(), others.toString());
                assertEquals(Posix.SO_EE_ORIGIN_ICMP, others.get(0).origin(), others.toString());
                assertEquals(Errno.ECONNREFUSED.number(), others.get(0).errno(), others.toString());
                assertEquals(null, others.get(0).point(), "not a timestamp");
            }
        }
    }

    /**
     * The one-callback reap on a socket that also asks for timestamps: the first entry that is not a completion (a
     * datagram's timestamps are taken on its way out, before its pages are let go) stops it with an
     * IllegalStateException that names it; the completion behind it is not lost, and the next reap gets it.
     */
    @Test
    void theOneCallbackReapNamesAnEntryItCannotHandOn() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = stampedUdpPair(fds, Posix.SOF_TIMESTAMPING_TX_SCHED
                    | Posix.SOF_TIMESTAMPING_TX_SOFTWARE);
            try (ZerocopySends z = new ZerocopySends(p.a, 2)) {
                ByteBuffer b = ByteBuffer.allocateDirect(100);
                assertEquals(100, z.send(b, 0));
                PollSet set = new PollSet(1);
                set.add(p.a, 0); // POLLERR is reported unasked
                for (int i = 0; i < 100 && set.poll(100) == 0; i++) {
                    // until an entry waits
                }
                Thread.sleep(50); // and the rest of them behind it
                java.util.List<ByteBuffer> back = new java.util.ArrayList<>();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> z.reap(back::add));
                assertTrue(e.getMessage().contains("not a zero-copy completion")
                        && e.getMessage().contains("origin=TIMESTAMPING(" + Posix.SO_EE_ORIGIN_TIMESTAMPING + ")")
                        && e.getMessage().contains("reap(released, others)"), e.getMessage());
                assertEquals(1, z.inFlight(), "the completion waits behind the timestamps");
                java.util.List<Other> others = new java.util.ArrayList<>();
                // a busy machine may queue it late
                assertEquals(1, reapUntil(1, () -> z.reap(back::add, o -> others.add(Other.of(o)))));
                assertEquals(java.util.List.of(b), back);
                assertEquals(1, others.size(), "the other timestamp: " + others);
            }
        }
    }

    /**
     * An object dropped with a send in flight is not collected, nor is the buffer it holds: the kernel may send from
     * it until its completion. Closed, the object is the caller's again.
     */
    @Test
    void aDroppedObjectKeepsItsBufferInFlightUntilClosed() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyPair(fds);
            java.lang.ref.WeakReference<?>[] dropped = sendAndDrop(p.a);
            for (int i = 0; i < 3; i++) { // a full collection clears weak references to what nothing else holds
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(dropped[1].get() != null, "the buffer in flight was collected");
            ZerocopySends z = (ZerocopySends) dropped[0].get();
            assertTrue(z != null, "the object holding it was collected");
            assertEquals(1, reapUntil(z, 1, done -> { }));
            z.close();
            z = null;
            for (int i = 0; i < 50 && (dropped[0].get() != null || dropped[1].get() != null); i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(dropped[0].get() == null && dropped[1].get() == null, "closed, both are collected again");
        }
    }

    /**
     * A send that fails while nothing is in flight (a socket never connected: EPIPE) leaves the kernel holding nothing
     * of the object's, so the library lets it go: dropped without closing, it is collected.
     */
    @Test
    void anObjectWhoseOnlySendFailedIsCollected() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int idle = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            Posix.setsockopt(idle, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
            assertCollected(failOnlySend(idle), "an object with nothing in flight was kept after its send failed");
        }
    }

    /** Collects until {@code ref} is cleared, at most 50 times 20 ms apart; fails with {@code why} if it is not. */
    private static void assertCollected(java.lang.ref.WeakReference<?> ref, String why) throws InterruptedException {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(ref.get() == null, why);
    }

    /** A ZerocopySends whose one send failed, known only through a weak reference once this returns. */
    private static java.lang.ref.WeakReference<ZerocopySends> failOnlySend(int fd) throws Exception {
        ZerocopySends z = new ZerocopySends(fd, 4);
        int r = z.trySend(ByteBuffer.allocateDirect(16), MsgFlag.MSG_NOSIGNAL.value());
        assertTrue(r == -Errno.EPIPE.number() || r == -Errno.ENOTCONN.number(), "an unconnected socket's send: " + r);
        assertEquals(0, z.inFlight());
        return new java.lang.ref.WeakReference<>(z);
    }

    /**
     * A socket closed with sends in flight, the usual error path: its completions can never be read, so close()
     * refuses; abandon() ends the object, hands over each buffer still in flight once, and lets the collector have
     * the object again. The sends stay in flight because the peer never reads: what its window cannot take waits
     * unsent, and data that was not sent is not complete.
     */
    @Test
    void aSocketClosedWithSendsInFlightIsAbandoned() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            assertCollected(abandonAfterClose(fds), "the library kept the abandoned object");
        }
    }

    /** The test above up to the collection: the abandoned object, known only through a weak reference. */
    private static java.lang.ref.WeakReference<ZerocopySends> abandonAfterClose(Descriptors fds) throws Exception {
        Descriptors.Pair p = fds.tcpPair(64 * 1024, 16 * 1024);
        Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
        ZerocopySends z = new ZerocopySends(p.a, 64);
        java.util.List<ByteBuffer> sent = new java.util.ArrayList<>();
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        try {
            for (int i = 0; i < 64; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(16 * 1024);
                z.send(b, dontwait);
                sent.add(b);
            }
        } catch (WouldBlockException | NoBufferSpaceException full) {
            // the socket's buffer is full: what it holds cannot complete while the peer does not read
        }
        java.util.List<ByteBuffer> back = new java.util.ArrayList<>();
        long quietSince = System.nanoTime();
        for (int i = 0; i < 1000 && System.nanoTime() - quietSince < 200_000_000L; i++) {
            if (z.reap(back::add) > 0) {
                quietSince = System.nanoTime(); // what the peer's buffer took completes; the rest waits
            }
            Thread.sleep(1);
        }
        int stuck = z.inFlight();
        assertTrue(stuck > 0, "sends wait while the peer does not read: " + sent.size() + " sent, " + back.size()
                + " back");
        fds.closeNow(p.a);
        IllegalStateException refused = assertThrows(IllegalStateException.class, z::close);
        assertTrue(refused.getMessage().contains("abandon"), refused.getMessage());

        java.util.List<ByteBuffer> held = new java.util.ArrayList<>();
        assertEquals(stuck, z.abandon(held::add));
        assertEquals(stuck, held.size());
        Map<ByteBuffer, Integer> seen = new IdentityHashMap<>();
        for (ByteBuffer b : back) {
            seen.merge(b, 1, Integer::sum);
        }
        for (ByteBuffer b : held) {
            seen.merge(b, 1, Integer::sum);
        }
        assertEquals(sent.size(), seen.size(), "every buffer sent came back or was held");
        for (ByteBuffer b : sent) {
            assertEquals(1, seen.get(b), "once");
        }
        assertEquals(0, z.inFlight());
        assertThrows(IllegalStateException.class, () -> z.send(ByteBuffer.allocateDirect(8), 0));
        assertThrows(IllegalStateException.class, () -> z.reap(b -> { }));
        z.close();
        assertEquals(0, z.abandon(b -> { }), "abandoned once");
        return new java.lang.ref.WeakReference<>(z);
    }

    /** A ZerocopySends and a 64-byte buffer it sent, known only through weak references once this returns. */
    private static java.lang.ref.WeakReference<?>[] sendAndDrop(int fd) throws Exception {
        ZerocopySends z = new ZerocopySends(fd, 2);
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        assertEquals(64, z.send(b, 0));
        return new java.lang.ref.WeakReference<?>[] {new java.lang.ref.WeakReference<>(z),
            new java.lang.ref.WeakReference<>(b)};
    }

    /**
     * close() takes the object as send and reap do: another thread's close while this one is in a call (here in the
     * callback of the last completion, with nothing in flight) is refused; after close every call is.
     */
    @Test
    void closeWaitsForNoCallAndEndsTheObject() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyPair(fds);
            ZerocopySends z = new ZerocopySends(p.a, 2);
            ByteBuffer a = ByteBuffer.allocateDirect(64);
            assertEquals(64, z.send(a, 0));
            java.util.concurrent.atomic.AtomicReference<Throwable> closing =
                    new java.util.concurrent.atomic.AtomicReference<>();
            int[] inFlightThen = {-1};
            assertEquals(1, reapUntil(z, 1, done -> {
                inFlightThen[0] = z.inFlight();
                Thread t = new Thread(() -> {
                    try {
                        z.close();
                    } catch (Throwable e) {
                        closing.set(e);
                    }
                });
                t.start();
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertEquals(0, inFlightThen[0], "nothing was in flight during the callback");
            assertTrue(closing.get() instanceof IllegalStateException, "the other thread's close: " + closing.get());
            assertEquals(64, z.send(a.clear(), 0), "still open");
            assertEquals(1, reapUntil(z, 1, done -> { }));
            z.close();
            z.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> z.send(a.clear(), 0));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> z.reap(done -> { }));
        }
    }

    /**
     * What the class description says of arenas: an automatic or the global arena's buffer is sent and handed back,
     * a shared or a confined arena's is refused before anything is sent (JDK 22 and later, where arenas are final).
     */
    @Test
    void arenaBuffersAreSentOnlyWhereNoCloseCanFreeThem() throws Exception {
        assumeTrue(io.github.posixsend.testing.Arenas.available(), "arenas are final from JDK 22");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyPair(fds);
            try (ZerocopySends z = new ZerocopySends(p.a, 4)) {
                for (String kind : new String[] {"ofShared", "ofConfined"}) {
                    Object arena = io.github.posixsend.testing.Arenas.arena(kind);
                    try {
                        ByteBuffer b = io.github.posixsend.testing.Arenas.buffer(arena, 64);
                        assertThrows(IllegalArgumentException.class, () -> z.send(b, 0), kind);
                        assertEquals(0, z.nextId(), kind + ": nothing was sent");
                    } finally {
                        ((AutoCloseable) arena).close();
                    }
                }
                java.util.List<ByteBuffer> back = new java.util.ArrayList<>();
                ByteBuffer auto = io.github.posixsend.testing.Arenas.buffer(
                        io.github.posixsend.testing.Arenas.arena("ofAuto"), 64);
                ByteBuffer global = io.github.posixsend.testing.Arenas.buffer(
                        io.github.posixsend.testing.Arenas.arena("global"), 64);
                assertEquals(64, z.send(auto, 0));
                assertEquals(64, z.send(global, 0));
                assertEquals(2, reapUntil(z, 2, back::add));
                // completions may overtake each other: both come back, in either order
                assertTrue((back.get(0) == auto && back.get(1) == global)
                        || (back.get(0) == global && back.get(1) == auto), back.toString());
            }
        }
    }

    /**
     * A socket that reports no completions is refused before anything is sent: one without {@code SO_ZEROCOPY}
     * (Linux would send as usual and never report, so every send would stay in flight), an {@code AF_UNIX} one (no
     * error queue: a reap would read its peer's data); a descriptor that is not open fails the option's read.
     */
    @Test
    void aSocketWithoutCompletionsIsRefused() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair tcp = fds.tcpPair();
            IllegalArgumentException off = assertThrows(IllegalArgumentException.class,
                    () -> new ZerocopySends(tcp.a, 4));
            assertTrue(off.getMessage().contains("SO_ZEROCOPY 0"), off.getMessage());
            Descriptors.Pair unix = fds.unixPair(Posix.SOCK_STREAM);
            assertThrows(IllegalArgumentException.class, () -> new ZerocopySends(unix.a, 4));
            BadDescriptorException bad = assertThrows(BadDescriptorException.class, () -> new ZerocopySends(-1, 4));
            assertEquals("getsockopt", bad.call());
            assertTrue(bad.getMessage().startsWith("getsockopt(SOL_SOCKET, SO_ZEROCOPY): EBADF"), bad.getMessage());
            assertEquals(Errno.EBADF, bad.errno());
            Posix.setsockopt(tcp.a, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
            new ZerocopySends(tcp.a, 4).close();
        }
    }

    /** A direct buffer holding {@code bytes}. */
    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    /** {@code n} bytes, counting up from a start that {@code seed} sets. */
    private static byte[] numbered(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    /**
     * Reads {@code fd}'s error queue until the zero-copy completions on it have covered {@code n} ids or 10 s passed,
     * then until it stays empty for 100 ms: how often each id 0..n-1 was covered, and at index {@code n} how many
     * completions named an id beyond. Any other entry fails the test.
     */
    private static int[] completedIds(int fd, int n) throws Exception {
        int[] times = new int[n + 1];
        ErrorQueueEntry e = new ErrorQueueEntry();
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        int eagain = -Errno.EAGAIN.number();
        int covered = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline && (covered < n || System.nanoTime() - quietSince < 100_000_000L)) {
            int r = e.tryReadFrom(fd, dontwait);
            if (r == eagain) {
                Thread.sleep(1);
                continue;
            }
            quietSince = System.nanoTime();
            assertTrue(r >= 0, "error-queue read: " + r);
            assertTrue(e.isZerocopyCompletion(), "only zero-copy completions are queued: " + e);
            assertEquals(0, e.errno(), e.toString());
            long first = Integer.toUnsignedLong(e.info());
            long last = Integer.toUnsignedLong(e.data());
            assertTrue(first <= last, "a range of ids: " + e);
            for (long id = first; id <= last && id < n; id++) {
                times[(int) id]++;
                covered++;
            }
            if (last >= n) {
                times[n]++;
            }
        }
        return times;
    }

    /**
     * {@code MSG_ZEROCOPY} through the other sends, on a loopback UDP socket with {@code SO_ZEROCOPY} and direct
     * buffers (the memory zero-copy takes): {@code sendto}; {@code sendmsg} of one buffer and of three (the backends
     * build these two differently); {@code sendmmsg} of one message and of four (likewise). Each call succeeds, each
     * datagram arrives byte for byte, and since UDP gives each datagram its own id, {@code sendmmsg}'s each too, the
     * completions read from the error queue cover ids 0..7 (the eight datagrams) once each, and no other.
     */
    @Test
    void sendtoSendmsgAndSendmmsgSendZeroCopyDatagrams() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            int tx = fds.boundUdp(false);
            Posix.setsockopt(tx, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
            java.net.InetSocketAddress to = Descriptors.addressOf(rx);
            SockAddr dest = SockAddr.of(to);
            int zc = MsgFlag.MSG_ZEROCOPY.value();
            java.util.List<byte[]> sent = new java.util.ArrayList<>();
            // the kernel may read the buffers until their completion: all are kept until then
            java.util.List<ByteBuffer> held = new java.util.ArrayList<>();

            byte[] one = numbered(100, 0);
            ByteBuffer b = direct(one);
            held.add(b);
            assertEquals(100, Posix.sendto(tx, b, zc, to), "sendto");
            sent.add(one);

            byte[] two = numbered(200, 1);
            try (Message m = Message.of(direct(two)).destination(dest)) {
                held.add(m.buffer(0));
                assertEquals(200, Posix.sendmsg(tx, m, zc), "sendmsg of one buffer");
            }
            sent.add(two);

            byte[][] parts = {numbered(10, 2), numbered(300, 3), numbered(7, 4)};
            try (Message m = Message.of(direct(parts[0]), direct(parts[1]), direct(parts[2])).destination(dest)) {
                for (int i = 0; i < 3; i++) {
                    held.add(m.buffer(i));
                }
                assertEquals(317, Posix.sendmsg(tx, m, zc), "sendmsg of three buffers");
            }
            java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
            for (byte[] part : parts) {
                whole.write(part);
            }
            sent.add(whole.toByteArray());

            for (int size : new int[] {1, 4}) {
                try (MessageBatch batch = new MessageBatch(size)) {
                    for (int i = 0; i < size; i++) {
                        byte[] body = numbered(50 + 100 * i, 5 + sent.size());
                        Message m = Message.of(direct(body)).destination(dest);
                        held.add(m.buffer(0));
                        batch.add(m);
                        sent.add(body);
                    }
                    assertEquals(size, Posix.sendmmsg(tx, batch, zc), "sendmmsg of " + size);
                    for (int i = 0; i < size; i++) {
                        assertEquals(50 + 100 * i, batch.bytesSent(i), "sendmmsg of " + size + ", message " + i);
                    }
                }
            }

            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), SocketIo.receive(rx, 1024, 2000), "datagram " + i + " byte for byte");
            }
            int[] times = completedIds(tx, sent.size());
            for (int id = 0; id < sent.size(); id++) {
                assertEquals(1, times[id], "completions of id " + id + ": " + java.util.Arrays.toString(times));
            }
            assertEquals(0, times[sent.size()], "completions naming ids beyond " + (sent.size() - 1));
            java.lang.ref.Reference.reachabilityFence(held);
        }
    }

    @Test
    void heapBuffersAreRefused() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = zerocopyPair(fds);
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
            if (io.github.posixsend.testing.Arenas.available()) {
                // a confined arena's memory: its owner's close frees it while the kernel may still read it
                Object arena = io.github.posixsend.testing.Arenas.arena("ofConfined");
                try {
                    ByteBuffer confined = io.github.posixsend.testing.Arenas.buffer(arena, 64);
                    assertThrows(IllegalArgumentException.class, () -> Posix.send(p.a, confined, zc));
                    try (Message m = Message.of(confined); Message three = Message.of(confined.duplicate(),
                            ByteBuffer.allocateDirect(8), ByteBuffer.allocateDirect(8))) {
                        assertThrows(IllegalArgumentException.class, () -> Posix.sendmsg(p.a, m, zc));
                        assertThrows(IllegalArgumentException.class, () -> Posix.sendmsg(p.a, three, zc));
                        assertThrows(IllegalArgumentException.class,
                                () -> Posix.sendmmsg(p.a, new MessageBatch(1).add(three), zc));
                    }
                    assertEquals(64, Posix.send(p.a, confined, 0), "without MSG_ZEROCOPY it is sent");
                } finally {
                    ((AutoCloseable) arena).close();
                }
            }
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.testing.Arenas;
import io.github.posixsend.testing.Blocked;
import io.github.posixsend.tools.probe.Descriptors;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A message changed by another thread between its checks and its use, as a racing {@code buffers(...)} can leave
 * it: a buffer over a shared arena's memory (which any thread may free during the call) in a slot whose recorded
 * treatment is "by address". The call refuses it at the point where an address would be taken, and the kernel is
 * never given the memory. The racing state is made here directly, so every run reaches it. And two threads whose
 * first calls with a new message race share one plan, whose lock then excludes one of them.
 */
class ChangedDuringCallTest {
    private static final int EAGAIN = -Errno.EAGAIN.number();

    @Test
    void aPlanNeverListsASharedArenaBufferByAddress() throws Exception {
        assumeTrue(Arenas.available(), "shared arenas are final from JDK 22");
        Object arena = Arenas.arena("ofShared");
        try {
            ByteBuffer shared = Arenas.buffer(arena, 64);
            MessagePlan p = TestPlans.create();
            p.acquire();
            try {
                p.begin(1, 1, 0, 64);
                assertThrows(IllegalStateException.class, () -> p.addBuffer(shared));
                assertEquals(0, p.addBuffer(ByteBuffer.allocateDirect(8)), "a plain direct buffer is listed");
            } finally {
                p.release();
            }
        } finally {
            ((AutoCloseable) arena).close();
        }
    }

    @Test
    void aSharedArenaBufferSwappedInIsNeverSentOrReceivedByAddress() throws Exception {
        assumeTrue(Arenas.available(), "shared arenas are final from JDK 22");
        Object arena = Arenas.arena("ofShared");
        try {
            refusedBothWays(Arenas.buffer(arena, 64));
        } finally {
            ((AutoCloseable) arena).close();
        }
    }

    @Test
    void aClosedConfinedArenasBufferSwappedInIsRefusedBeforeTheKernel() throws Exception {
        assumeTrue(Arenas.available(), "confined arenas are final from JDK 22");
        Object arena = Arenas.arena("ofConfined");
        ByteBuffer confined = Arenas.buffer(arena, 64);
        ((AutoCloseable) arena).close(); // its memory is freed: only a read of it tells
        refusedBothWays(confined);
    }

    /**
     * {@code swapped} put into slot 0 of messages of one, two (unplanned sends) and three plain buffers, with the
     * plain buffer's recorded treatment: a send and a receive each throw before the kernel is called.
     */
    private static void refusedBothWays(ByteBuffer swapped) throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            for (int count = 1; count <= 3; count++) {
                ByteBuffer[] plain = new ByteBuffer[count];
                for (int i = 0; i < count; i++) {
                    plain[i] = ByteBuffer.allocateDirect(8);
                }
                try (Message m = Message.of(plain); Message in = Message.of(plain)) {
                    swapIn(m, swapped);
                    assertThrows(IllegalStateException.class, () -> Posix.sendmsg(p.a, m, 0), count + " buffers");
                    assertEquals(EAGAIN, Posix.tryRecv(p.b, ByteBuffer.allocateDirect(64),
                            MsgFlag.MSG_DONTWAIT.value()), "nothing was sent");
                    Posix.send(p.a, new byte[] {1, 2, 3}, 0, 3, 0);
                    swapIn(in, swapped);
                    assertThrows(IllegalStateException.class, () -> Posix.recvmsg(p.b, in, 0), count + " buffers");
                    assertEquals(3, Posix.tryRecv(p.b, ByteBuffer.allocateDirect(64), MsgFlag.MSG_DONTWAIT.value()),
                            "the datagram is still queued");
                }
            }
        }
    }

    @Test
    void twoThreadsFirstCallsShareOnePlan() throws Exception {
        Method plan = Message.class.getDeclaredMethod("plan");
        plan.setAccessible(true);
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 1000; i++) {
                Message m = new Message(0);
                CyclicBarrier start = new CyclicBarrier(2);
                Callable<Object> first = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return plan.invoke(m);
                };
                Future<Object> a = two.submit(first);
                Future<Object> b = two.submit(first);
                assertSame(a.get(10, TimeUnit.SECONDS), b.get(10, TimeUnit.SECONDS), "round " + i);
                m.close();
            }
        } finally {
            two.shutdownNow();
        }
    }

    /**
     * A batch whose messages another thread empties and refills while one thread sends ranges of it with
     * {@code sendmmsgAt}: the calls may send a message's old bytes or an empty datagram, or throw, but every datagram
     * that arrives holds the bytes of a buffer some message was given. A batch that laid a message's records after
     * its buffer count read again, once another thread had changed it, sent the room of a message the call left out,
     * whose heap bytes it never copied in (the plan's own memory: records, other messages' bytes). A race of two
     * seconds: the old layout sent tens of such datagrams on JNI in that time and hundreds on JNR.
     */
    @Test
    void aBatchWhoseMessagesChangeDuringItsCallsSendsOnlyTheirBytes() throws Exception {
        int n = 16;
        try (Descriptors fds = new Descriptors(); MessageBatch batch = new MessageBatch(n)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Posix.setBlocking(p.a, false);
            Posix.setBlocking(p.b, false);
            Message[] messages = new Message[n];
            for (int i = 0; i < n; i++) {
                messages[i] = Message.of(payload(i));
                batch.add(messages[i]);
            }
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong foreign = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicReference<String> firstForeign =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
            Thread drain = fds.background("drain", () -> {
                byte[] in = new byte[64];
                while (!stop.get()) {
                    int got = Posix.tryRecv(p.b, in, 0, in.length, 0);
                    if (got < 0) {
                        Thread.onSpinWait();
                        continue;
                    }
                    received.incrementAndGet();
                    // a message's bytes are "m" and its number in two digits; an empty datagram is an emptied one
                    boolean known = got == 0 || (got == 3 && in[0] == 'm' && Character.isDigit(in[1])
                            && Character.isDigit(in[2]));
                    if (!known && foreign.incrementAndGet() == 1) {
                        firstForeign.set(java.util.HexFormat.of().formatHex(in, 0, got));
                    }
                }
            });
            Thread mutate = fds.background("mutate", () -> {
                java.util.Random r = new java.util.Random(2);
                while (!stop.get()) {
                    Message m = messages[r.nextInt(n)];
                    try {
                        if (r.nextBoolean()) {
                            m.clearBuffers();
                        } else {
                            m.buffers(payload(r.nextInt(n)));
                        }
                    } catch (RuntimeException refused) {
                        // a change the message refuses while a call uses it
                    }
                }
            });
            java.util.Random r = new java.util.Random(1);
            long calls = 0;
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < deadline) {
                int off = r.nextInt(n + 1);
                int vlen = r.nextInt(n - off + 1);
                try {
                    batch.rewind();
                    Posix.trySendmmsgAt(p.a, batch, off, vlen, 0);
                    calls++;
                } catch (RuntimeException changedMeanwhile) {
                    // the calls may refuse what another thread changed under them
                }
            }
            stop.set(true);
            mutate.join(10_000);
            drain.join(10_000);
            assertTrue(calls > 0 && received.get() > 0, calls + " calls, " + received + " datagrams");
            assertEquals(0, foreign.get(), "datagrams no message held, the first: " + firstForeign.get() + " ("
                    + received + " received in " + calls + " calls)");
        }
    }

    /**
     * A message whose buffers another thread replaces while a blocked {@code recvmmsg} holds its batch: the call says
     * so with an {@link IllegalStateException} naming the message, instead of moving the new buffer's position over
     * bytes it never received (an {@code IllegalArgumentException} from {@code ByteBuffer.position}, or an index
     * exception); the message's control messages are taken all the same, so the descriptor the datagram carried is
     * the caller's to close, not lost; and a direct buffer the message had holds the bytes. The replacement must come
     * while the call waits: an attempt whose change came first (the call then encodes the new buffer and receives
     * into it) is made again, each waiting longer, at most ten times.
     */
    @Test
    void aMessageChangedDuringABlockedRecvmmsgIsReportedAndItsControlTaken() throws Exception {
        changedDuringABlockedReceive(true, true);
    }

    /** As above with a heap buffer, whose bytes posix-send would copy in after the call: they are not. */
    @Test
    void aHeapBufferMessageChangedDuringABlockedRecvmmsgIsReportedAndItsControlTaken() throws Exception {
        changedDuringABlockedReceive(false, true);
    }

    /** The same for a message's own {@code recvmsg}, where a batch's call with it would encode it again. */
    @Test
    void aMessageChangedDuringItsOwnBlockedRecvmsgIsReportedAndItsControlTaken() throws Exception {
        changedDuringABlockedReceive(true, false);
        changedDuringABlockedReceive(false, false);
    }

    private static void changedDuringABlockedReceive(boolean direct, boolean inBatch) throws Exception {
        byte[] datagram = "changed under the call".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int[] pipe = Posix.pipe(0);
            fds.track(pipe[0]);
            fds.track(pipe[1]);
            for (int attempt = 1; attempt <= 10; attempt++) {
                ByteBuffer before = direct ? ByteBuffer.allocateDirect(64) : ByteBuffer.allocate(64);
                ByteBuffer after = ByteBuffer.allocateDirect(64);
                try (Message m = Message.of(before); MessageBatch batch = new MessageBatch(1).add(m);
                        Message out = Message.of(ByteBuffer.wrap(datagram))
                                .addControl(ControlMessage.rights(pipe[0]))) {
                    ExecutorService receiver = Executors.newSingleThreadExecutor();
                    try {
                        Future<Long> call = receiver.submit(() -> inBatch ? Posix.recvmmsg(p.b, batch, 0)
                                : Posix.recvmsg(p.b, m, 0));
                        Thread.sleep(20L * attempt); // let the call reach the kernel and wait there
                        m.buffers(after);
                        Posix.sendmsg(p.a, out, 0);
                        Throwable failure = null;
                        try {
                            assertEquals(inBatch ? 1L : datagram.length, (long) call.get(10, TimeUnit.SECONDS));
                        } catch (java.util.concurrent.ExecutionException e) {
                            failure = e.getCause();
                        }
                        int[] passed = m.receivedControl().stream().filter(c -> c.kind() == ControlMessage.Kind.RIGHTS)
                                .findFirst().orElseThrow(() -> new AssertionError("no SCM_RIGHTS taken: "
                                        + m.receivedControl())).fds();
                        assertEquals(1, passed.length);
                        fds.track(passed[0]); // the received descriptor, the caller's to close
                        if (failure == null) {
                            assertEquals(datagram.length, after.position(), "the change came first: received"
                                    + " into the new buffer");
                            continue;
                        }
                        assertSame(IllegalStateException.class, failure.getClass(), String.valueOf(failure));
                        assertTrue(failure.getMessage().contains(inBatch
                                ? "recvmmsg: message 0 of the batch was changed by another thread"
                                : "recvmsg: the message was changed, or used in a batch's call, by another thread"),
                                failure.getMessage());
                        assertEquals(0, after.position(), "the new buffer received nothing");
                        if (inBatch) {
                            assertEquals(datagram.length, batch.bytesReceived(0));
                        }
                        if (direct) {
                            byte[] got = new byte[datagram.length];
                            before.get(0, got);
                            assertEquals(new String(datagram, java.nio.charset.StandardCharsets.US_ASCII),
                                    new String(got, java.nio.charset.StandardCharsets.US_ASCII),
                                    "the datagram is in the direct buffer the message had when the call began");
                        }
                        return;
                    } finally {
                        receiver.shutdownNow();
                        receiver.awaitTermination(10, TimeUnit.SECONDS);
                    }
                }
            }
            throw new AssertionError("in 10 attempts the change never came while the call waited");
        }
    }

    /**
     * A send whose message's buffers another thread replaces while the call waits for room sends the bytes of the
     * buffers it had; the new ones sent nothing and do not move (the old ones, out of the list, do not either).
     */
    @Test
    void aMessageChangedDuringABlockedSendMovesNoBufferItDidNotSendFrom() throws Exception {
        for (boolean inBatch : new boolean[] {false, true}) {
            for (boolean direct : new boolean[] {true, false}) {
                changedDuringABlockedSend(inBatch, direct);
            }
        }
    }

    private static void changedDuringABlockedSend(boolean inBatch, boolean direct) throws Exception {
        String what = (inBatch ? "sendmmsg" : "sendmsg") + (direct ? ", direct buffers" : ", heap buffers");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            byte[] filler = new byte[64];
            int queued = 0;
            while (Posix.trySend(p.a, filler, 0, filler.length, dontwait) > 0) {
                assertTrue(++queued < 100_000, "the socket never filled");
            }
            ByteBuffer old1 = direct ? ByteBuffer.allocateDirect(100) : ByteBuffer.allocate(100);
            ByteBuffer old2 = direct ? ByteBuffer.allocateDirect(100) : ByteBuffer.allocate(100);
            byte[] oldBytes = new byte[100];
            java.util.Arrays.fill(oldBytes, (byte) 'o');
            old1.put(0, oldBytes);
            old2.put(0, oldBytes);
            ByteBuffer new1 = ByteBuffer.allocateDirect(100);
            ByteBuffer new2 = ByteBuffer.allocateDirect(100);
            try (Message m = Message.of(old1, old2); MessageBatch batch = new MessageBatch(1).add(m)) {
                Blocked blocked = new Blocked(fds, "blocked-send", () -> inBatch ? Posix.sendmmsg(p.a, batch, 0)
                        : Posix.sendmsg(p.a, m, 0));
                m.buffers(new1, new2);
                byte[] got = new byte[400];
                int n = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (int read = 0; n != 200 && read <= queued && System.nanoTime() < deadline; ) {
                    n = Posix.tryRecv(p.b, got, 0, got.length, dontwait);
                    if (n == EAGAIN) {
                        Thread.sleep(1); // the blocked send has not been woken yet
                    } else {
                        read++;
                    }
                }
                assertEquals(200, n, what + ": the blocked send's datagram arrived");
                assertEquals(inBatch ? 1 : 200, ((Number) blocked.outcome()).intValue(), what);
                for (int i = 0; i < 200; i++) {
                    assertEquals('o', got[i], what + ": byte " + i + " is the old buffers'");
                }
                assertEquals(0, new1.position(), what + ": the new buffers sent nothing and did not move");
                assertEquals(0, new2.position(), what);
                assertEquals(0, old1.position(), what + ": the buffers sent from are no longer the message's");
                assertEquals(0, old2.position(), what);
                m.buffers(old1, old2);
                assertEquals(inBatch ? 1 : 200, inBatch ? Posix.sendmmsg(p.a, batch, 0) : Posix.sendmsg(p.a, m, 0));
                assertEquals(100, old1.position(), what + ": a send with nothing changed moves them");
                assertEquals(100, old2.position(), what);
            }
        }
    }

    /** Three heap bytes "m" and {@code i} in two digits, as a message's only buffer. */
    private static ByteBuffer payload(int i) {
        return ByteBuffer.wrap(String.format("m%02d", i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Puts {@code buf} in slot 0 without the treatment {@code add} records for it. */
    private static void swapIn(Message m, ByteBuffer buf) throws ReflectiveOperationException {
        Field buffers = Message.class.getDeclaredField("buffers");
        buffers.setAccessible(true);
        ((ByteBuffer[]) buffers.get(m))[0] = buf;
    }
}

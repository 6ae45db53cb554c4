// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.DirectPool;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What a backend keeps for each thread that sends a small batch is sized by that batch: many threads (as a server's
 * thread per connection, or virtual threads) that each send batches of 8 keep a few KiB each, where JNI once kept
 * 28 KiB for every thread's sends whatever the batch. Counted in the JDK's direct memory still reachable while every
 * thread lives, their batches made and sent once beforehand on this thread, so only what the threads themselves keep
 * counts (on JNR, which keeps some of it in memory from {@code malloc}, only part of it; on FFM, whose segments the
 * pool counts, all of it).
 */
class BatchThreadMemoryTest {
    private static final int THREADS = 200;
    private static final int MESSAGES = 8;
    /**
     * The bound per thread. Measured on JDK 17 and 25: JNI 2,559 B (its kept batch, 2 KiB of area; 28 KiB before it
     * was sized by need), JNR 3,870-4,096 B (and memory from {@code malloc} besides), FFM 4,063 B.
     */
    private static final long BOUND = 8 << 10;
    /**
     * The bound per thread for a send of 64 bytes from an array. Measured: JNI 254-256 B (its copy buffer; 8 KiB
     * before), JNR 1,034 B and FFM 1,042 B (the control area and a data area of 256 B; 4 KiB more before).
     */
    private static final long ARRAY_BOUND = 4 << 10;

    /** What each thread does once: its send, which must succeed. */
    private interface Send {
        void run(int thread) throws Exception;
    }

    @Test
    void aThreadThatSendsASmallBatchKeepsMemoryForThatBatch() throws Exception {
        MessageBatch[] batches = new MessageBatch[THREADS];
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            for (int i = 0; i < THREADS; i++) {
                batches[i] = new MessageBatch(MESSAGES);
                for (int m = 0; m < MESSAGES; m++) {
                    batches[i].add(Message.of(ByteBuffer.allocateDirect(16)));
                }
                assertEquals(MESSAGES, Posix.sendmmsg(p.a, batches[i].rewind(), 0));
            }
            long perThread = keptByEachThread("a batch of " + MESSAGES + " twice", i -> {
                // twice, as a thread that sends batches does: memory sized by the first is made before the second.
                // The receiver is never read: datagrams past its buffer are dropped, and the sends succeed
                for (int k = 0; k < 2; k++) {
                    int n = Posix.sendmmsg(p.a, batches[i].rewind(), 0);
                    if (n != MESSAGES) {
                        throw new AssertionError(n + " of " + MESSAGES + " sent");
                    }
                }
            });
            assertTrue(perThread < BOUND, perThread + " B of direct memory a thread, over " + BOUND);
        } finally {
            for (MessageBatch b : batches) {
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    /** A send of a small array is copied through memory of the thread's, sized by that array. */
    @Test
    void aThreadThatSendsASmallArrayKeepsMemoryForThatArray() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            byte[] data = new byte[64];
            long perThread = keptByEachThread("64 bytes from an array", i -> {
                int n = Posix.send(p.a, data, 0, data.length, 0);
                if (n != data.length) {
                    throw new AssertionError(n + " of " + data.length + " sent");
                }
            });
            assertTrue(perThread < ARRAY_BOUND, perThread + " B of direct memory a thread, over " + ARRAY_BOUND);
        }
    }

    /**
     * Starts {@link #THREADS} threads that each make {@code send} once and then wait, all alive while the direct memory
     * still reachable is counted; returns what it grew by a thread.
     */
    private static long keptByEachThread(String what, Send send) throws Exception {
        Thread[] threads = new Thread[THREADS];
        CountDownLatch sent = new CountDownLatch(THREADS);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try {
            long before = DirectPool.reachable();
            for (int i = 0; i < THREADS; i++) {
                int thread = i;
                threads[i] = new Thread(() -> {
                    try {
                        send.run(thread);
                    } catch (Throwable t) {
                        failed.compareAndSet(null, t);
                    }
                    sent.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "sender " + i);
                threads[i].start();
            }
            assertTrue(sent.await(60, TimeUnit.SECONDS), "every thread sent");
            long grown = DirectPool.reachable() - before;
            if (failed.get() != null) {
                throw new AssertionError("a thread's send failed", failed.get());
            }
            long perThread = grown / THREADS;
            System.out.println(Posix.backendName() + ": " + THREADS + " threads that each sent " + what
                    + " grew the direct memory reachable by " + grown + " B, " + perThread + " B a thread");
            return perThread;
        } finally {
            release.countDown();
            for (Thread t : threads) {
                if (t != null) {
                    t.join(60_000);
                }
            }
        }
    }
}

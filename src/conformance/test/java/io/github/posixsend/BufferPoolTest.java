// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pools of direct buffers used in turn by several threads at once, each pool replaced by new buffers now and then
 * (the old ones left to the collector): what a backend remembers about a buffer (its address) is shared by all
 * threads, so every datagram is checked byte for byte against the buffer it was sent from. A record handed to the
 * wrong buffer would send another buffer's bytes, or another thread's.
 */
class BufferPoolTest {
    private static final int THREADS = 4;
    private static final int POOL = 8;
    private static final int ROUNDS = 60;
    private static final int SIZE = 32;

    /** Byte {@code i} of buffer {@code b} of generation {@code gen} of thread {@code t}. */
    private static byte expected(int t, int gen, int b, int i) {
        return (byte) (t * 61 + gen * 17 + b * 5 + i);
    }

    /** Fills buffer {@code b} of generation {@code gen} of thread {@code t} with its bytes. */
    private static void fill(ByteBuffer buf, int t, int gen, int b) {
        for (int i = 0; i < SIZE; i++) {
            buf.put(i, expected(t, gen, b, i));
        }
    }

    /** One thread's sends: returns the number of datagrams that arrived wrong or did not arrive. */
    private static int sendPools(int t) throws Exception {
        int wrong = 0;
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            ByteBuffer in = ByteBuffer.allocateDirect(2 * SIZE);
            ByteBuffer[] pool = new ByteBuffer[POOL];
            int gen = -1;
            for (int round = 0; round < ROUNDS; round++) {
                if (round % 10 == 0) {
                    gen++;
                    for (int b = 0; b < POOL; b++) {
                        pool[b] = ByteBuffer.allocateDirect(SIZE);
                        fill(pool[b], t, gen, b);
                    }
                    if (t == 0) {
                        System.gc(); // the last generation's buffers and their records' referents go
                    }
                }
                for (int b = 0; b < POOL; b++) {
                    if (Posix.trySend(p.a, pool[b].clear(), 0) != SIZE) {
                        wrong++;
                        continue;
                    }
                    in.clear();
                    if (Posix.tryRecv(p.b, in, 0) != SIZE) {
                        wrong++;
                        continue;
                    }
                    for (int i = 0; i < SIZE; i++) {
                        if (in.get(i) != expected(t, gen, b, i)) {
                            wrong++;
                            break;
                        }
                    }
                }
            }
        }
        return wrong;
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyDatagramCarriesItsOwnBuffersBytes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                results.add(pool.submit(() -> sendPools(id)));
            }
            for (int t = 0; t < THREADS; t++) {
                assertEquals(0, results.get(t).get(50, TimeUnit.SECONDS),
                        "datagrams of thread " + t + " that did not carry their buffer's bytes");
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}

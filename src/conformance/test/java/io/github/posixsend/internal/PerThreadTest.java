// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A per-thread value found first in the one made last must still be each thread's own: a thread's scratch memory or
 * errno segment handed to another would mix two calls' bytes.
 */
class PerThreadTest {

    @Test
    void eachThreadGetsItsOwnValueWhoeverMadeOneLast() throws Exception {
        AtomicInteger made = new AtomicInteger();
        PerThread<int[]> values = new PerThread<>(() -> new int[] {made.incrementAndGet()});
        int[] mine = values.get();
        assertSame(mine, values.get(), "found again, not made again");
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            int[] theirs = other.submit(values::get).get(10, TimeUnit.SECONDS); // now the one made last
            assertNotSame(mine, theirs);
            for (int round = 0; round < 1000; round++) {
                Future<int[]> again = other.submit(values::get);
                assertSame(mine, values.get(), "round " + round);
                assertSame(theirs, again.get(10, TimeUnit.SECONDS), "round " + round);
            }
            assertEquals(2, made.get(), "one value per thread");
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aLivingThreadsValueOutlivesCollectionsAndAFinishedThreadsGoes() throws Exception {
        PerThread<int[]> values = new PerThread<>(() -> new int[1 << 16]);
        int hash = System.identityHashCode(values.get());
        AtomicReference<WeakReference<int[]>> theirs = new AtomicReference<>();
        // the finished thread's value is the one made last, not this thread's
        Thread finished = new Thread(() -> theirs.set(new WeakReference<>(values.get())));
        finished.start();
        finished.join(10_000);
        assertNotNull(theirs.get().get(), "made");
        finished = null; // the thread is kept no more, so its entry may go
        for (int round = 0; round < 200 && theirs.get().get() != null; round++) {
            System.gc();
            // found through this thread's map, whose reference to it is weak: it must still be there
            assertEquals(hash, System.identityHashCode(values.get()), "round " + round);
            Thread.sleep(5);
        }
        assertTrue(theirs.get().get() == null, "the value of a thread that has ended is kept");
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** A value of a class that is not the JDK's, as the backends' scratch is: held by the PerThread, not the map. */
    static final class Box {
        final int[] room;

        Box(int size) {
            room = new int[size];
        }
    }

    /** Values of the JDK's classes (an array) and of others' (a {@link Box}), each {@code size} ints. */
    private static PerThread<Object> values(boolean jdks, int size, List<WeakReference<Object>> made) {
        return new PerThread<>(() -> {
            Object v = jdks ? new int[size] : new Box(size);
            made.add(new WeakReference<>(v));
            return v;
        });
    }

    @ParameterizedTest(name = "jdk class={0}")
    @ValueSource(booleans = {true, false})
    void aLivingThreadsValueOutlivesCollectionsAndAFinishedThreadsGoes(boolean jdks) throws Exception {
        List<WeakReference<Object>> made = Collections.synchronizedList(new ArrayList<>());
        PerThread<Object> values = values(jdks, 1 << 16, made);
        int hash = System.identityHashCode(values.get());
        // the finished thread's value is the one made last, not this thread's
        Thread finished = new Thread(values::get);
        finished.start();
        finished.join(10_000);
        assertEquals(2, made.size(), "one each");
        WeakReference<Object> theirs = made.get(1);
        finished = null; // the thread is kept no more, so its entry may go
        for (int round = 0; round < 200 && theirs.get() != null; round++) {
            System.gc();
            Thread.sleep(5);
            // found through this thread's map: it must still be there
            assertEquals(hash, System.identityHashCode(values.get()), "round " + round);
        }
        assertTrue(theirs.get() == null, "the value of a thread that has ended is kept");
    }

    /**
     * A pool that clears its workers' thread-locals between tasks (the common pool's workers do) makes each worker
     * a new value after the clearing; the ones it made before must go then, though the worker lives on.
     */
    @ParameterizedTest(name = "jdk class={0}")
    @ValueSource(booleans = {true, false})
    void aThreadWhoseThreadLocalsAreClearedKeepsNoEarlierValues(boolean jdks) throws Exception {
        List<WeakReference<Object>> made = Collections.synchronizedList(new ArrayList<>());
        PerThread<Object> values = values(jdks, 1024, made);
        ForkJoinPool pool = ForkJoinPool.commonPool();
        for (int round = 0; round < 300; round++) {
            List<ForkJoinTask<?>> tasks = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                tasks.add(pool.submit(() -> {
                    values.get();
                }));
            }
            Thread other = new Thread(values::get); // another thread's value is the one made last
            other.start();
            other.join(10_000);
            for (ForkJoinTask<?> t : tasks) {
                t.get(10, TimeUnit.SECONDS);
            }
            values.get();
        }
        // this thread's, the last other thread's until it is found gone, the one the fast path's field names (a
        // worker's earlier one, if the pool cleared its map since), and one per worker of the pool
        int workers = Math.max(pool.getParallelism(), pool.getPoolSize());
        // the clearing happened: workers made values again (300 others, this thread and one per worker otherwise)
        assertTrue(made.size() > 300 + 1 + workers, made.size() + " values made, " + workers + " workers");
        long alive = Long.MAX_VALUE;
        for (int i = 0; i < 100 && alive > 3 + workers; i++) {
            System.gc();
            Thread.sleep(5);
            values.get(); // a lookup lets go of what the collector found gone
            synchronized (made) {
                alive = made.stream().filter(r -> r.get() != null).count();
            }
        }
        assertTrue(alive <= 3 + workers, alive + " of " + made.size() + " values are still held, " + workers
                + " workers");
    }

    /** A caller that failed to allocate lets go at once of the values the collector found unused. */
    @Test
    void endedThreadsValuesCanBeLetGoOfWithoutALookup() throws Exception {
        List<WeakReference<Object>> made = Collections.synchronizedList(new ArrayList<>());
        PerThread<Object> values = values(false, 1024, made);
        for (int k = 0; k < 20; k++) {
            Thread t = new Thread(values::get);
            t.start();
            t.join(10_000);
        }
        boolean went = false;
        for (int i = 0; i < 100 && !went; i++) {
            System.gc();
            Thread.sleep(5);
            went = values.letGoOfEnded();
        }
        assertTrue(went, "the ended threads' values were let go");
        assertFalse(values.letGoOfEnded(), "nothing more to let go of");
        long alive = Long.MAX_VALUE;
        for (int i = 0; i < 100 && alive > 1; i++) {
            System.gc();
            Thread.sleep(5);
            values.letGoOfEnded();
            synchronized (made) {
                alive = made.stream().filter(r -> r.get() != null).count();
            }
        }
        assertTrue(alive <= 1, alive + " of 20 still held (the last one made stays in the field until a lookup)");
    }
}

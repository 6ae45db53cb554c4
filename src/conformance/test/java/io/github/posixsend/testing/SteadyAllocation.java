// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What a loop of calls allocates on the calling thread once the JIT has compiled it: rounds of the loop run until one
 * allocates no more than its budget (nothing, but for downcalls through FFM), and the least round counts.
 *
 * <p>Why rounds until then, and not a fixed number: what a loop allocates depends on which compiler's code runs it,
 * and on a loaded 2-core machine C2's queue can leave a path in C1's code for long. A CI run saw it under the FFM
 * backend: 40 bytes per call in all of sixteen rounds of 10,000 polls, which allocation samples placed in the JDK's
 * slice of the errno capture segment, made by C1's compilation of the backend's {@code poll} (C2 inlines it and
 * removes it). Since some C2 compilations keep that slice too, FFM rounds are allowed it and nothing more
 * ({@link AllocationBudget}). The rounds go on until one is within its budget, for at most {@link #MAX_TIME_NANOS}
 * and {@link #MAX_ROUNDS} rounds. An allocation the JVM makes once (a recompilation's bookkeeping) does not fail a
 * test, since the least round counts; an allocation that compiled code makes at every call does, since it costs at
 * least one object per call in every round.
 */
public final class SteadyAllocation {
    /** The most time the rounds of one measurement take, unless the first is longer. */
    public static final long MAX_TIME_NANOS = 8_000_000_000L;
    /** The most rounds of one measurement. */
    public static final int MAX_ROUNDS = 2_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One round of calls. */
    @FunctionalInterface
    public interface Round {
        /**
         * Makes the round's calls.
         *
         * @return how many of them did not do what the test expects
         */
        long run();
    }

    private SteadyAllocation() {
    }

    /**
     * A round of {@code n} calls of {@code call}, each expected to return {@code expected}.
     *
     * @param n the calls in a round
     * @param call one call
     * @param expected what each call must return
     * @return the round, which reports how many calls returned something else
     */
    public static Round calls(int n, IntSupplier call, int expected) {
        return () -> {
            long wrong = 0;
            for (int i = 0; i < n; i++) {
                if (call.getAsInt() != expected) {
                    wrong++;
                }
            }
            return wrong;
        };
    }

    /** Skips the calling test where this JVM cannot count a thread's allocation; turns the counting on. */
    public static void assumeMeasurable() {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported(), "this JVM cannot measure a thread's allocation");
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    /**
     * Runs {@code round} until a round allocates no more than its budget, or the bounds are reached, and fails the
     * test at the first round whose calls did not all go right.
     *
     * @param what what a round does, for the failure message
     * @param budget the bytes the round just made may allocate, asked after each round (0 but for downcalls through
     *     FFM, {@link AllocationBudget})
     * @param round the calls of one round
     * @return the least bytes a round allocated beyond its budget: 0 when one stayed within it
     */
    public static long leastBeyond(String what, LongSupplier budget, Round round) {
        assumeMeasurable();
        long least = Long.MAX_VALUE;
        long start = System.nanoTime();
        for (int r = 0; r < MAX_ROUNDS && least > 0 && (r == 0 || System.nanoTime() - start < MAX_TIME_NANOS); r++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            long wrong = round.run();
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertEquals(0, wrong, what + ": calls that went wrong in round " + r);
            least = Math.min(least, Math.max(0, allocated - budget.getAsLong()));
        }
        return least;
    }
}

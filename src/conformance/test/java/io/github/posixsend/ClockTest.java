// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@code clock_gettime}: each clock read as nanoseconds, against the clocks Java reads itself, a packet's receive
 * time and the process's own CPU time; its errors and its allocation.
 */
class ClockTest {
    private static final long MILLI = 1_000_000L;

    @Test
    void theRealtimeClockIsTheWallClockJavaReads() throws Exception {
        long before = System.currentTimeMillis() * MILLI; // the wall clock cut to the millisecond below
        long t = Posix.clockGettime(Posix.CLOCK_REALTIME);
        long after = (System.currentTimeMillis() + 1) * MILLI;
        assertTrue(before <= t && t <= after, before + " <= " + t + " <= " + after);
    }

    @Test
    void theMonotonicClockNeverGoesBackAndIsNanoTimesOnLinux() throws Exception {
        long last = Posix.clockGettime(Posix.CLOCK_MONOTONIC);
        for (int i = 0; i < 1_000; i++) {
            long t = Posix.tryClockGettime(Posix.CLOCK_MONOTONIC);
            assertTrue(t >= last, "read " + i + ": " + t + " after " + last);
            last = t;
        }
        assumeTrue(Os.current() == Os.LINUX, "HotSpot reads CLOCK_MONOTONIC for nanoTime on Linux");
        long a = System.nanoTime();
        long t = Posix.clockGettime(Posix.CLOCK_MONOTONIC);
        long b = System.nanoTime();
        assertTrue(a <= t && t <= b, a + " <= " + t + " <= " + b);
    }

    /** The clock a received timestamp is in: the packet arrived between two reads of CLOCK_REALTIME around it. */
    @Test
    void aDatagramsReceiveTimeLiesBetweenTwoReadsOfTheWallClock() throws Exception {
        try (Descriptors fds = new Descriptors();
                Message in = new Message(ControlMessage.space(ControlMessage.Kind.TIMESTAMP))
                        .add(ByteBuffer.allocateDirect(8))) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMP, 1);
            long before = Posix.clockGettime(Posix.CLOCK_REALTIME) / 1_000 * 1_000; // a timeval's microseconds
            Posix.send(p.a, new byte[] {1}, 0, 1, 0);
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            long after = Posix.clockGettime(Posix.CLOCK_REALTIME);
            long arrived = in.receivedNanos(ControlMessage.Kind.TIMESTAMP, 0);
            assertTrue(before <= arrived && arrived <= after, before + " <= " + arrived + " <= " + after);
        }
    }

    @Test
    void taiIsTheWallClockPlusTheLeapSecondsOnLinux() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "CLOCK_TAI is Linux's");
        long before = Posix.clockGettime(Posix.CLOCK_REALTIME);
        long tai = Posix.clockGettime(Posix.CLOCK_TAI);
        long after = Posix.clockGettime(Posix.CLOCK_REALTIME);
        // the kernel's TAI offset: 0 until time synchronisation sets it, 37 s since 2017
        long offset = 37_000 * MILLI;
        assertTrue(tai >= before && tai <= after + offset, before + " <= " + tai + " <= " + after + " + 37 s");
        for (int clock : new int[] {Posix.CLOCK_MONOTONIC_RAW, Posix.CLOCK_BOOTTIME}) {
            assertTrue(Posix.clockGettime(clock) > 0, "clock " + clock);
        }
        long monotonic = Posix.clockGettime(Posix.CLOCK_MONOTONIC);
        assertTrue(Posix.clockGettime(Posix.CLOCK_BOOTTIME) >= monotonic, "boot time counts suspended time too");
    }

    @Test
    void theThreadsCpuClockAdvancesWithItsWork() throws Exception {
        long start = Posix.clockGettime(Posix.CLOCK_THREAD_CPUTIME_ID);
        long deadline = System.nanoTime() + 2_000 * MILLI;
        long now = start;
        long spins = 0;
        while (now - start < MILLI && System.nanoTime() < deadline) {
            for (int i = 0; i < 10_000; i++) {
                spins += i ^ spins;
            }
            now = Posix.clockGettime(Posix.CLOCK_THREAD_CPUTIME_ID);
        }
        assertTrue(now - start >= MILLI, "1 ms of work in 2 s of wall time: " + (now - start) + " ns (" + spins + ")");
        assertTrue(Posix.clockGettime(Posix.CLOCK_PROCESS_CPUTIME_ID) >= now, "the process ran this thread");
    }

    @Test
    void aClockTheKernelLacksIsEinval() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> Posix.clockGettime(1_000));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().startsWith("clock_gettime: EINVAL"), e.getMessage());
        assertEquals(-Errno.EINVAL.number(), Posix.tryClockGettime(1_000));
        assertThrows(UnsupportedOperationException.class, () -> Posix.tryClockGettime(Posix.UNSUPPORTED));
        assertThrows(UnsupportedOperationException.class, () -> Posix.clockGettime(Posix.UNSUPPORTED));
    }

    @Test
    void readingAClockAllocatesNothing() {
        SteadyAllocation.assumeMeasurable();
        SteadyAllocation.Round reads = () -> {
            long wrong = 0;
            for (int i = 0; i < 10_000; i++) {
                wrong += Posix.tryClockGettime(Posix.CLOCK_MONOTONIC) > 0 ? 0 : 1;
            }
            return wrong;
        };
        assertEquals(0, reads.run() + reads.run(), "every read gave a time (warm-up)");
        assertEquals(0, SteadyAllocation.leastBeyond("10,000 clock reads", () -> AllocationBudget.forDowncalls(10_000),
                reads), "bytes allocated beyond the budget");
    }
}

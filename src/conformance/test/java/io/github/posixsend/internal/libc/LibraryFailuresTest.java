// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.Os;
import io.github.posixsend.Posix;
import io.github.posixsend.internal.ConstantTable;
import io.github.posixsend.internal.ffm.FfmBackends;
import io.github.posixsend.internal.jnr.JnrBackend;
import io.github.posixsend.testing.Blocked;
import io.github.posixsend.testing.ChildJvm;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the Java-side libraries return when a call fails: minus its errno, read by the call itself, so each thread
 * sees its own errno whatever other threads do between its call and its result, including on a pool that clears
 * its workers' thread-locals between tasks while other threads make their first calls.
 *
 * <p>The case that once failed on FFM, where a thread whose thread-locals were cleared is blocked in a call that will
 * fail while another thread makes its first call (the errno was then looked up again afterwards, and found in a new,
 * zeroed segment), runs in a child JVM ({@link #main}), which may open {@code java.lang} to clear them.
 */
class LibraryFailuresTest {
    private static final int EBADF = Errno.EBADF.numberOn(Os.current());

    /** The library named: JNR's on every JDK, FFM's where the JDK has the foreign function API. */
    private static CLibrary library(String name) {
        if (name.equals("ffm")) {
            assumeTrue(FfmBackends.jdkHasForeignApi(), "java.lang.foreign is final from JDK 22; this is "
                    + Runtime.version());
            return ((LibcBackend) FfmBackends.load()).library();
        }
        return ((LibcBackend) JnrBackend.load()).library();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jnr", "ffm"})
    void aFailedCallReturnsMinusItsErrnoAndASucceededOneWhatCReturns(String name) {
        CLibrary c = library(name);
        assertEquals(-EBADF, c.close(-1), "close(-1)");
        assertEquals(-EBADF, c.send(-1, 0, 0, 0), "send(-1, NULL, 0, 0)");
        assertEquals(-EBADF, c.fcntl(-1, ConstantTable.value("F_GETFL", Os.current()), 0), "fcntl(-1, F_GETFL)");
        assertEquals(-Errno.EAFNOSUPPORT.numberOn(Os.current()), c.socket(-1, Posix.SOCK_DGRAM, 0),
                "socket(-1, SOCK_DGRAM, 0)");
        int fd = c.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
        assertTrue(fd >= 0, "socket(AF_INET, SOCK_DGRAM, 0) gave " + fd);
        assertEquals(0, c.close(fd), "close of a socket");
        assertEquals(-EBADF, c.close(fd), "close of the same descriptor again");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jnr", "ffm"})
    void eachThreadGetsItsOwnErrnoOnAPoolThatClearsThreadLocals(String name) throws Exception {
        CLibrary c = library(name);
        int eafnosupport = Errno.EAFNOSUPPORT.numberOn(Os.current());
        AtomicInteger wrong = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        // threads that each make their first call: each makes this library's per-thread state anew
        Thread newcomers = new Thread(() -> {
            for (int i = 0; i < 400 && !done.get(); i++) {
                Thread t = new Thread(() -> {
                    if (c.socket(-1, Posix.SOCK_DGRAM, 0) != -eafnosupport) {
                        wrong.incrementAndGet();
                    }
                });
                t.start();
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        newcomers.start();
        try {
            // the common pool clears a worker's thread-locals after each task on the JDKs that do so; on others these
            // are plain workers, and each failure must be EBADF all the same
            List<ForkJoinTask<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                tasks.add(ForkJoinPool.commonPool().submit(() -> {
                    for (int k = 0; k < 5; k++) {
                        if (c.close(-1) != -EBADF) {
                            wrong.incrementAndGet();
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (ForkJoinTask<?> t : tasks) {
                t.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            done.set(true);
            newcomers.join(10_000);
        }
        assertEquals(0, wrong.get(), "failed calls that returned another errno than their own");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jnr", "ffm"})
    void aThreadWhoseThreadLocalsWereClearedGetsItsErrnoWhileAnotherMakesItsFirstCall(String name) throws Exception {
        library(name); // skips FFM before JDK 22
        ChildJvm.Result r = ChildJvm.of(LibraryFailuresTest.class, name)
                .jvm("--add-opens=java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED")
                .timeoutSeconds(60)
                .run();
        assertTrue(r.endedNormally(), r.toString());
        assertEquals(0, r.exitCode(), r.toString());
    }

    /**
     * A thread makes a call, has its thread-locals cleared (as the common pool clears a worker's), then blocks in a
     * {@code recv} that fails with {@code EAGAIN} after its three-second {@code SO_RCVTIMEO}; once its stack shows it
     * inside C, a new thread makes its first call. Exits 0 when the blocked call returned {@code -EAGAIN} after the
     * newcomer's call ended (else the race this is about did not happen, and it exits 1 saying so).
     */
    public static void main(String[] args) throws Exception {
        CLibrary c = library(args[0]);
        int fd = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
        Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(3));
        long buf = c.allocate(1);
        CountDownLatch aboutToBlock = new CountDownLatch(1);
        AtomicLong got = new AtomicLong(Long.MIN_VALUE);
        Thread blocked = new Thread(() -> {
            c.close(-1); // this thread's per-thread state is made
            try {
                Field maps = Thread.class.getDeclaredField("threadLocals");
                maps.setAccessible(true);
                maps.set(Thread.currentThread(), null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            aboutToBlock.countDown();
            got.set(c.recv(fd, buf, 1, 0));
        });
        blocked.start();
        aboutToBlock.await();
        // inside C on two looks in a row: the recv (its close came before the latch), not Java on its way to it; a
        // wait that runs out makes no race, which the exit status below reports
        Blocked.awaitInsideC(blocked, 2_000, () -> false);
        Thread newcomer = new Thread(() -> c.close(-1));
        newcomer.start();
        newcomer.join();
        boolean raced = got.get() == Long.MIN_VALUE; // the recv still waiting when the newcomer's call had ended
        blocked.join(10_000);
        c.free(buf);
        Posix.close(fd);
        int eagain = Errno.EAGAIN.numberOn(Os.current());
        System.out.println(args[0] + ": the blocked recv returned " + got.get() + ", -EAGAIN is " + -eagain
                + (raced ? "" : "; but it returned before the newcomer's call ended: no race was made"));
        System.exit(got.get() == -eagain && raced ? 0 : 1);
    }
}

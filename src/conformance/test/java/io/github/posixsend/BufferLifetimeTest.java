// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Memory a call hands to the kernel stays alive until the call returns, even when nothing but its raw address
 * is used after the call starts. A read-only heap buffer has no array to copy from, so its bytes go through a
 * temporary direct buffer; above the cached size that buffer is referenced by no one but the call. Rounds
 * alternate between send (on a Unix stream socketpair) and sendto (on loopback TCP, to the peer's address). While a
 * blocking send of it waits for a slow reader, the collector runs again and again: if the buffer became
 * unreachable, its memory would be freed under the kernel, and the send would stop short with {@code EFAULT} or
 * carry bytes that were never sent. Every byte received is compared with what was sent, in several rounds,
 * each after the send path has been warmed up so that compiled code (which drops dead references) runs it.
 *
 * <p>The rounds run in a child JVM whose C library returns every large block to the system when it is freed
 * ({@code MALLOC_MMAP_THRESHOLD_}): glibc otherwise raises its threshold after the first large free, later blocks
 * come from the heap, and a freed block still holding the right bytes would let a lost buffer pass unseen.
 */
class BufferLifetimeTest {
    private static final int SIZE = 8 << 20;
    private static final int ROUNDS = 12;
    private static final long ROUND_LIMIT_SECONDS = 30;
    private static final int CHUNK = 32 << 10;

    /** How a round sends: send on a Unix stream socketpair, or sendto (to the peer's address) on loopback TCP. */
    private enum Mode {
        SEND, SENDTO;

        Descriptors.Pair pair(Descriptors fds) throws Exception {
            return this == SEND ? fds.unixPair(Posix.SOCK_STREAM) : fds.tcpPair();
        }

        int send(Descriptors.Pair p, ByteBuffer buf, int flags) throws Exception {
            return this == SEND ? Posix.send(p.a, buf, flags) : Posix.sendto(p.a, buf, flags, Posix.getpeername(p.a));
        }
    }

    /** What one round saw. */
    private record Round(int index, Mode mode, long sent, String sendError, long received, long wrongBytes,
            long firstWrong) {
        boolean ok() {
            return sendError == null && sent == SIZE && received == SIZE && wrongBytes == 0;
        }

        @Override
        public String toString() {
            return "round " + index + " (" + mode + "): sent " + sent
                    + (sendError == null ? "" : " (" + sendError + ")")
                    + ", received " + received + ", wrong bytes " + wrongBytes
                    + (firstWrong < 0 ? "" : " from offset " + firstWrong);
        }
    }

    /** Sends small read-only heap buffers many times, so that the JIT compiles the path the large send takes. */
    private static void warmUp(Descriptors fds, Mode mode) throws Exception {
        Descriptors.Pair p = mode.pair(fds);
        try {
            warmUp(p, mode);
        } finally {
            fds.closeNow(p.a);
            fds.closeNow(p.b);
        }
    }

    private static void warmUp(Descriptors.Pair p, Mode mode) throws Exception {
        ByteBuffer small = ByteBuffer.wrap(new byte[256]).asReadOnlyBuffer();
        byte[] sink = new byte[256];
        for (int i = 0; i < 20_000; i++) {
            small.clear();
            int n = mode.send(p, small, 0);
            check(n == 256, "warm-up send returned " + n);
            int got = 0;
            for (int j = 0; j < 16 && got < n; j++) {
                got += Posix.recv(p.b, sink, 0, sink.length, 0);
            }
            check(got == n, "warm-up received " + got + " of " + n);
        }
    }

    private static Round round(Descriptors fds, int index, Mode mode, ScheduledExecutorService timer) throws Exception {
        Descriptors.Pair p = mode.pair(fds);
        byte[] data = new byte[SIZE];
        new Random(0x5eed + index).nextBytes(data);
        ByteBuffer readOnly = ByteBuffer.wrap(data).asReadOnlyBuffer();

        AtomicLong received = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        AtomicLong firstWrong = new AtomicLong(-1);
        AtomicBoolean done = new AtomicBoolean();

        // Reads slowly, so that the send blocks many times while the collector runs.
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[CHUNK];
            long at = 0;
            try {
                while (at < SIZE) {
                    int n = Posix.recv(p.b, buf, 0, buf.length, 0);
                    if (n == 0) {
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != data[(int) (at + i)]) {
                            wrong.incrementAndGet();
                            firstWrong.compareAndSet(-1, at + i);
                        }
                    }
                    at += n;
                    received.set(at);
                    Thread.sleep(0, 200_000);
                }
            } catch (Exception e) {
                // the watchdog shut the socket down; the count received tells the rest
            }
        }, "slow-reader");
        Thread collector = new Thread(() -> {
            for (int i = 0; i < 100_000 && !done.get(); i++) {
                System.gc();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "collector");

        // Ends a round that hangs: the sender then gets EPIPE and the reader end of stream.
        ScheduledFuture<?> watchdog = timer.schedule(() -> {
            try {
                Posix.shutdown(p.b, Posix.SHUT_RDWR);
            } catch (ErrnoException e) {
                // already closed
            }
        }, ROUND_LIMIT_SECONDS, TimeUnit.SECONDS);

        reader.start();
        collector.start();
        long sent = 0;
        String error = null;
        try {
            sent = mode.send(p, readOnly, MsgFlag.MSG_NOSIGNAL.value());
        } catch (ErrnoException e) {
            error = e.getMessage();
        } finally {
            done.set(true);
            Posix.shutdown(p.a, Posix.SHUT_WR); // a short send ends the reader at end of stream
        }
        reader.join(TimeUnit.SECONDS.toMillis(ROUND_LIMIT_SECONDS + 5));
        collector.join(TimeUnit.SECONDS.toMillis(5));
        watchdog.cancel(false);
        check(!reader.isAlive(), "the reader did not finish");
        fds.closeNow(p.a);
        fds.closeNow(p.b);
        return new Round(index, mode, sent, error, received.get(), wrong.get(), firstWrong.get());
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    /** Runs the rounds; exits with the number of rounds that went wrong. */
    public static void main(String[] args) throws Exception {
        List<Round> rounds = new ArrayList<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (Descriptors fds = new Descriptors()) {
            for (int i = 0; i < ROUNDS; i++) {
                Mode mode = Mode.values()[i % 2];
                warmUp(fds, mode); // again each round: a round may have sent compiled code back to the interpreter
                Round r = round(fds, i, mode, timer);
                rounds.add(r);
                System.out.println((r.ok() ? "ok     " : "WRONG  ") + r);
            }
        } finally {
            timer.shutdownNow();
        }
        long bad = rounds.stream().filter(r -> !r.ok()).count();
        System.out.println("backend " + Posix.backendName() + ": " + bad + " of " + ROUNDS + " rounds wrong");
        System.exit((int) bad);
    }

    @Test
    void readOnlyHeapCopySurvivesCollectionDuringBlockingSend() throws Exception {
        ChildJvm.Result r = ChildJvm.of(BufferLifetimeTest.class)
                .jvm("--enable-native-access=ALL-UNNAMED")
                .env("MALLOC_MMAP_THRESHOLD_", "131072")
                .timeoutSeconds(ROUNDS * (ROUND_LIMIT_SECONDS + 10))
                .run();
        assertTrue(r.endedNormally(), r.toString());
        assertEquals(0, r.exitCode(), "rounds lost or corrupted the temporary copy; " + r);
    }
}

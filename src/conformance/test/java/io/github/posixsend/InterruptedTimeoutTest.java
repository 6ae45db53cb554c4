// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.tools.probe.Descriptors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call a stream of signals keeps interrupting: on a socket with a timeout, which the kernel never restarts, the
 * call is made again only until the timeout has passed since the first interruption, then fails with {@code EAGAIN};
 * without one, it waits on as the kernel's own restart would. The signals come from {@code signal_thread}
 * ({@code src/conformance/test/c/signal_thread.c}, built with the suite), aimed at the calling thread alone, every
 * 20 ms for up to 20 s (a signal the JVM handles and ignores, {@code SIGPIPE}); the timed call must have ended while
 * they were still coming, which a call that waited its whole timeout again at each interruption never does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptedTimeoutTest {
    private static final Path SIGNALLER = Path.of("target/conformance/same-calls/signal_thread");
    private static final int SIGPIPE = 13; // the same on Linux's architectures
    private static final int PERIOD_MS = 20;
    private static final int SIGNALS = 1_000;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private static void assumeSignaller() {
        assumeTrue(Os.current() == Os.LINUX, "tgkill is Linux's");
        assertTrue(Files.isExecutable(SIGNALLER), SIGNALLER + " is missing: the conformance module's build compiles"
                + " src/conformance/test/c/signal_thread.c with gcc (mvn test-compile)");
    }

    /** The kernel's id of the thread named {@code name} in this process (the JVM names its threads so). */
    private static long threadId(String name) throws IOException, InterruptedException {
        for (int tries = 0; tries < 5_000; tries++) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        if (Files.readString(task.resolve("comm")).trim().equals(name)) {
                            return Long.parseLong(task.getFileName().toString());
                        }
                    } catch (IOException gone) {
                        // a thread that ended meanwhile
                    }
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no thread named " + name);
    }

    /** What a call made while signals kept coming returned, and whether they were still coming when it did. */
    private record Outcome(int result, boolean signalsStillComing, String signallerOutput) {
    }

    /**
     * Makes {@code call} on a thread of its own while {@code signal_thread} signals that thread; waits for the call
     * to return, or for the signals to stop and then the call.
     */
    private static Outcome underSignals(IntSupplier call) throws Exception {
        String name = "ps-eintr-" + THREADS.incrementAndGet(); // at most 15 characters: Linux keeps no more
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread t = new Thread(() -> result.complete(call.getAsInt()), name);
        t.setDaemon(true);
        t.start();
        long tid = threadId(name);
        Process signaller = new ProcessBuilder(SIGNALLER.toString(), Long.toString(ProcessHandle.current().pid()),
                Long.toString(tid), Integer.toString(SIGPIPE), Integer.toString(PERIOD_MS), Integer.toString(SIGNALS))
                .redirectErrorStream(true).start();
        try {
            int r = result.get(SIGNALS * PERIOD_MS / 1000 + 30, TimeUnit.SECONDS);
            boolean coming = signaller.isAlive();
            String out = coming ? "still signalling"
                    : new String(signaller.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return new Outcome(r, coming, out);
        } finally {
            signaller.destroyForcibly();
            t.join(10_000);
        }
    }

    private static void assertTimedOutWhileSignalled(Outcome o, String call) {
        assertEquals(-Errno.EAGAIN.number(), o.result(), call + ": the timeout's expiry, on " + Posix.backendName());
        assertTrue(o.signalsStillComing(), call + " returned only after the signals stopped (" + o.signallerOutput()
                + "): each interruption made it wait its whole timeout again, on " + Posix.backendName());
    }

    @Test
    void aTimedReceiveEndsWhileSignalsKeepComing() throws Exception {
        assumeSignaller();
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.boundUdp(false);
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofMillis(200));
            ByteBuffer direct = ByteBuffer.allocateDirect(64);
            assertTimedOutWhileSignalled(underSignals(() -> Posix.tryRecv(fd, direct, 0)), "recv");
            assertTimedOutWhileSignalled(underSignals(() -> Posix.tryRecv(fd, new byte[64], 0, 64, 0)), "recv array");
            SockAddrBuffer from = new SockAddrBuffer();
            assertTimedOutWhileSignalled(underSignals(() -> Posix.tryRecvfrom(fd, direct.clear(), 0, from)),
                    "recvfrom");
            Message m = Message.of(ByteBuffer.allocateDirect(64));
            assertTimedOutWhileSignalled(underSignals(() -> (int) Posix.tryRecvmsg(fd, m, 0)), "recvmsg");
            MessageBatch batch = new MessageBatch(2).add(Message.of(ByteBuffer.allocateDirect(64)));
            assertTimedOutWhileSignalled(underSignals(() -> Posix.tryRecvmmsg(fd, batch, 0)), "recvmmsg");
            assertTimedOutWhileSignalled(underSignals(() -> Posix.tryRead(fd, direct.clear())), "read");
        }
    }

    @Test
    void aTimedAcceptEndsWhileSignalsKeepComing() throws Exception {
        assumeSignaller();
        try (Descriptors fds = new Descriptors()) {
            int listener = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            Posix.bind(listener, Descriptors.loopback(false));
            Posix.listen(listener, 1);
            Posix.setsockopt(listener, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofMillis(200));
            assertTimedOutWhileSignalled(underSignals(() -> Posix.tryAccept(listener, 0, null)), "accept");
        }
    }

    @Test
    void aTimedSendEndsWhileSignalsKeepComing() throws Exception {
        assumeSignaller();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            byte[] chunk = new byte[4096];
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            for (int i = 0; i < 100_000 && Posix.trySend(p.a, chunk, 0, chunk.length, dontwait) > 0; i++) {
                // fill the pair until a send would block
            }
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDTIMEO, Duration.ofMillis(200));
            ByteBuffer direct = ByteBuffer.allocateDirect(4096);
            assertTimedOutWhileSignalled(underSignals(() -> Posix.trySend(p.a, direct, 0)), "send");
            assertTimedOutWhileSignalled(underSignals(() -> Posix.trySend(p.a, chunk, 0, chunk.length, 0)),
                    "send array");
            Message m = Message.of(ByteBuffer.allocateDirect(4096), ByteBuffer.allocateDirect(4096));
            assertTimedOutWhileSignalled(underSignals(() -> (int) Posix.trySendmsg(p.a, m, 0)), "sendmsg");
            MessageBatch batch = new MessageBatch(1).add(Message.of(ByteBuffer.allocateDirect(4096)));
            assertTimedOutWhileSignalled(underSignals(() -> Posix.trySendmmsg(p.a, batch, 0)), "sendmmsg");
            assertTimedOutWhileSignalled(underSignals(() -> Posix.tryWrite(p.a, direct.clear())), "write");
        }
    }

    /** Without a timeout the call waits on through the signals, and returns what finally arrives. */
    @Test
    void anUntimedReceiveWaitsThroughTheSignals() throws Exception {
        assumeSignaller();
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.boundUdp(false);
            int tx = fds.boundUdp(false);
            SockAddr to = SockAddr.of(Descriptors.addressOf(fd));
            String name = "ps-eintr-" + THREADS.incrementAndGet();
            CompletableFuture<Integer> result = new CompletableFuture<>();
            Thread t = new Thread(() -> result.complete(Posix.tryRecv(fd, ByteBuffer.allocateDirect(8), 0)), name);
            t.setDaemon(true);
            t.start();
            Process signaller = new ProcessBuilder(SIGNALLER.toString(),
                    Long.toString(ProcessHandle.current().pid()), Long.toString(threadId(name)),
                    Integer.toString(SIGPIPE), Integer.toString(PERIOD_MS), "25").redirectErrorStream(true).start();
            assertTrue(signaller.waitFor(30, TimeUnit.SECONDS), "the signals end");
            String out = new String(signaller.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals("sent 25", out, "every signal reached the waiting thread");
            assertTrue(!result.isDone(), "the untimed receive still waits: " + result);
            assertEquals(3, Posix.trySendto(tx, new byte[3], 0, 3, 0, to));
            assertEquals(3, result.get(30, TimeUnit.SECONDS), "it returns the datagram");
            t.join(10_000);
        }
    }
}

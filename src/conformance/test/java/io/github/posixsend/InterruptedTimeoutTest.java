// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.Blocked;
import io.github.posixsend.testing.ProcSelfStatus;
import io.github.posixsend.testing.SideBySide;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

    private static void assumeSignaller() throws IOException {
        assumeTrue(Os.current() == Os.LINUX, "tgkill is Linux's");
        assertTrue(Files.isExecutable(SIGNALLER), SIGNALLER + " is missing: the conformance module's build compiles"
                + " src/conformance/test/c/signal_thread.c with gcc (mvn test-compile)");
        // only a signal a handler catches interrupts a call (EINTR); one ignored or blocked would let a timed call
        // end at its timeout whatever posix-send does with EINTR
        assertTrue(caught(SIGPIPE), "the JVM catches SIGPIPE with a handler, so the signals interrupt the calls");
    }

    /** Whether this process catches {@code signal} with a handler: its bit in /proc/self/status's SigCgt mask. */
    private static boolean caught(int signal) throws IOException {
        String mask = ProcSelfStatus.value("SigCgt:");
        if (mask == null) {
            throw new AssertionError("/proc/self/status has no SigCgt line");
        }
        return (Long.parseUnsignedLong(mask, 16) >>> (signal - 1) & 1) != 0;
    }

    /** What a call made while signals kept coming returned, and whether they were still coming when it did. */
    private record Outcome(int result, boolean signalsStillComing, String signallerOutput) {
    }

    /** A thread that learns its kernel id, waits until its signals have started, then makes one call. */
    private static final class Caller extends Thread {
        final CompletableFuture<Long> id = new CompletableFuture<>();
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        final CountDownLatch signalled = new CountDownLatch(1);
        private final IntSupplier call;

        Caller(IntSupplier call) {
            super("ps-eintr-caller");
            this.call = call;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            try {
                // /proc/thread-self names this thread: <pid>/task/<tid>
                id.complete(Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName()
                        .toString()));
                signalled.await();
                result.complete(call.getAsInt());
            } catch (Throwable t) {
                id.completeExceptionally(t);
                result.completeExceptionally(t);
            }
        }

        /** Starts signal_thread on this thread, {@code count} signals, then lets the call go. */
        Process signal(int count) throws Exception {
            Process p = signaller(count);
            signalled.countDown();
            return p;
        }

        /**
         * Lets the call go, waits until it is inside C (two looks in a row, bounded in time), then starts
         * signal_thread on this thread: every signal then finds the call under way.
         */
        Process signalOnceInsideC(int count) throws Exception {
            id.get(30, TimeUnit.SECONDS);
            signalled.countDown();
            if (!Blocked.awaitInsideC(this, 10_000, result::isDone)) {
                assertFalse(result.isDone(), "the call returned before any signal: " + result);
                throw new AssertionError("the call never reached C: " + Arrays.toString(getStackTrace()));
            }
            return signaller(count);
        }

        private Process signaller(int count) throws Exception {
            return new ProcessBuilder(SIGNALLER.toString(), Long.toString(ProcessHandle.current().pid()),
                    Long.toString(id.get(30, TimeUnit.SECONDS)), Integer.toString(SIGPIPE),
                    Integer.toString(PERIOD_MS), Integer.toString(count)).redirectErrorStream(true).start();
        }
    }

    /**
     * Makes {@code call} on a thread of its own once {@code signal_thread} signals that thread; waits for the call to
     * return, or for the signals to stop and then the call.
     */
    private static Outcome underSignals(IntSupplier call) throws Exception {
        Caller caller = new Caller(call);
        Process signaller = caller.signal(SIGNALS);
        try {
            int r = caller.result.get(SIGNALS * PERIOD_MS / 1000 + 30, TimeUnit.SECONDS);
            boolean alive = signaller.isAlive();
            String out = alive ? "still signalling"
                    : new String(signaller.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            // a signaller that sent fewer than all stopped because the caller's thread was gone: the call had
            // returned while signals were still due, and the thread ended before this thread looked
            return new Outcome(r, alive || sentFewerThanAll(out), out);
        } finally {
            signaller.destroyForcibly();
            caller.join(10_000);
        }
    }

    /** Whether {@code signal_thread} printed that it sent fewer than {@link #SIGNALS}; false for any other output. */
    private static boolean sentFewerThanAll(String signallerOutput) {
        Matcher m = Pattern.compile("sent (\\d+)").matcher(signallerOutput);
        return m.matches() && Long.parseLong(m.group(1)) < SIGNALS;
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
    void aTimedSendEndsWhileSignalsKeepComing(@TempDir Path tmp) throws Exception {
        assumeSignaller();
        Path file = Files.write(tmp.resolve("file"), new byte[4096]);
        try (Descriptors fds = new Descriptors(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            byte[] chunk = new byte[4096];
            SocketIo.fillUntilWouldBlock(p.a, chunk.length, MsgFlag.MSG_DONTWAIT.value(), 100_000);
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
            int in = SideBySide.descriptorOf(ch);
            assertTimedOutWhileSignalled(underSignals(() -> (int) Posix.trySendfile(p.a, in, 0, 4096)), "sendfile");
        }
    }

    /**
     * Without a timeout the call waits on through the signals, and returns what finally arrives. The signals start
     * once the call is inside C, so each of them interrupts the receive itself.
     */
    @Test
    void anUntimedReceiveWaitsThroughTheSignals() throws Exception {
        assumeSignaller();
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.boundUdp(false);
            int tx = fds.boundUdp(false);
            SockAddr to = SockAddr.of(Descriptors.addressOf(fd));
            ByteBuffer into = ByteBuffer.allocateDirect(8);
            Caller caller = new Caller(() -> Posix.tryRecv(fd, into, 0));
            Process signaller = caller.signalOnceInsideC(25);
            assertTrue(signaller.waitFor(30, TimeUnit.SECONDS), "the signals end");
            String out = new String(signaller.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals("sent 25", out, "every signal reached the waiting thread");
            assertFalse(caller.result.isDone(), "the untimed receive still waits: " + caller.result);
            assertEquals(3, Posix.trySendto(tx, new byte[3], 0, 3, 0, to));
            assertEquals(3, caller.result.get(30, TimeUnit.SECONDS), "it returns the datagram");
            caller.join(10_000);
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jnr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.posixsend.Errno;
import io.github.posixsend.Posix;
import io.github.posixsend.SockAddr;
import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The JNR backend's hot paths allocate nothing per call once the thread is warm: send and sendto with a direct
 * buffer, with an array (copied through the thread's native memory), and the non-throwing Posix forms on top
 * (those on whichever backend this run selected, so the JNI shim is measured too).
 * Measured with the thread's allocation counter over many real sends on a loopback UDP socket.
 */
class JnrAllocationTest {
    private static final int WARM_UP = 30_000;
    private static final int CALLS = 20_000;

    /** Publishes each figure measured with the test's report. */
    private TestReporter reporter;

    @BeforeEach
    void reporter(TestReporter r) {
        reporter = r;
    }

    /**
     * Bytes allocated per call of {@code body} after a warm-up long enough for the JIT to compile it: the least of
     * rounds run until one allocates nothing beyond its budget ({@link SteadyAllocation}), so that a one-off allocation
     * in the JVM's own machinery during one round (class loading, a compiled method replacing the interpreted one) is
     * not taken for a per-call cost. A cost per call shows in every round.
     *
     * @param budget the bytes a call may allocate ({@link AllocationBudget}: 0 but for a downcall through FFM)
     * @return the bytes per call beyond the budget
     */
    private double bytesPerCall(long budget, String what, Runnable body) {
        SteadyAllocation.assumeMeasurable();
        for (int i = 0; i < WARM_UP; i++) {
            body.run();
        }
        long least = SteadyAllocation.leastBeyond(what, () -> budget * CALLS, () -> {
            for (int i = 0; i < CALLS; i++) {
                body.run();
            }
            return 0; // each body counts its own wrong results, asserted by the test
        });
        double perCall = least / (double) CALLS;
        reporter.publishEntry("allocation, " + what, String.format("%.3f bytes per call beyond %d", perCall, budget));
        return perCall;
    }

    @Test
    void sendsAllocateNothing() throws Exception {
        JnrBackend jnr = BothBackends.jnr();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            int receiverBuffer = 4096; // a small receive buffer: the kernel drops what does not fit, sends succeed
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, receiverBuffer);
            int rx = p.b;
            SockAddr to = SockAddr.of(Descriptors.addressOf(rx));
            int unconnected = fds.boundUdp(false);
            ByteBuffer direct = ByteBuffer.allocateDirect(64);
            byte[] array = new byte[64];
            byte[] image = sockaddrImage(jnr, to);
            int[] sink = new int[1];
            int ebadf = -Errno.EBADF.number();

            assertEquals(0.0, bytesPerCall(0, "JnrBackend send, direct",
                    () -> sink[0] += jnr.sendDirect(p.a, direct, 0, 64, 0) == 64 ? 0 : 1), "send, direct");
            assertEquals(0.0, bytesPerCall(0, "JnrBackend send, array",
                    () -> sink[0] += jnr.sendArray(p.a, array, 0, 64, 0) == 64 ? 0 : 1), "send, array");
            assertEquals(0.0, bytesPerCall(0, "JnrBackend sendto, direct",
                    () -> sink[0] += jnr.sendtoDirect(unconnected, direct, 0, 64, 0, image,
                            image.length) == 64 ? 0 : 1), "sendto, direct");
            assertEquals(0.0, bytesPerCall(0, "JnrBackend sendto, array",
                    () -> sink[0] += jnr.sendtoArray(unconnected, array, 0, 64, 0, image,
                            image.length) == 64 ? 0 : 1), "sendto, array");
            assertEquals(0.0, bytesPerCall(0, "JnrBackend send failing with EBADF",
                    () -> sink[0] += jnr.sendArray(-1, array, 0, 64, 0) == ebadf ? 0 : 1), "send failing with EBADF");
            assertEquals(0, sink[0], "every send went whole, every bad descriptor gave EBADF");
        }
    }

    @Test
    void posixTrySendAllocatesNothingOnEitherBackend() throws Exception {
        long oneDowncall = AllocationBudget.forDowncalls(1);
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 4096);
            SockAddr to = SockAddr.of(Descriptors.addressOf(p.b));
            int unconnected = fds.boundUdp(false);
            ByteBuffer direct = ByteBuffer.allocateDirect(64);
            ByteBuffer heap = ByteBuffer.allocate(64);
            byte[] array = new byte[64];
            int[] wrong = new int[1];
            String on = "Posix." + Posix.backendName() + " ";
            assertEquals(0.0, bytesPerCall(oneDowncall, on + "trySend, direct",
                    () -> wrong[0] += Posix.trySend(p.a, direct.clear(), 0) == 64 ? 0 : 1), "trySend, direct");
            assertEquals(0.0, bytesPerCall(oneDowncall, on + "trySend, heap",
                    () -> wrong[0] += Posix.trySend(p.a, heap.clear(), 0) == 64 ? 0 : 1), "trySend, heap");
            assertEquals(0.0, bytesPerCall(oneDowncall, on + "trySend, array",
                    () -> wrong[0] += Posix.trySend(p.a, array, 0, 64, 0) == 64 ? 0 : 1), "trySend, array");
            assertEquals(0.0, bytesPerCall(oneDowncall, on + "trySendto, direct",
                    () -> wrong[0] += Posix.trySendto(unconnected, direct.clear(), 0, to) == 64 ? 0 : 1),
                    "trySendto, direct");
            assertEquals(0.0, bytesPerCall(oneDowncall, on + "trySendto, array",
                    () -> wrong[0] += Posix.trySendto(unconnected, array, 0, 64, 0, to) == 64 ? 0 : 1),
                    "trySendto, array");
            // a send that failed (an error, or fewer bytes) measured another path than the one named
            assertEquals(0, wrong[0], "every send went whole");
        }
    }

    private static byte[] sockaddrImage(JnrBackend jnr, SockAddr to) throws Exception {
        java.net.InetSocketAddress isa = (java.net.InetSocketAddress) to.toSocketAddress();
        byte[] out = new byte[28];
        int n = jnr.sockaddrInet(out, isa.getAddress().getAddress(), isa.getPort(), 0, 0);
        return java.util.Arrays.copyOf(out, n);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Arrays sent and received without {@code MSG_DONTWAIT} go through a copy: on JNI up to 8 KiB through the thread's
 * own direct buffer, copied in Java, and above that through the shim's copy; JNR and FFM through their scratch. On
 * each side of that size, with an offset, each call carries exactly its span's bytes and writes nothing outside the
 * span it was given, and threads sending at once never see each other's bytes.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SmallArrayCopyTest {
    private static byte[] randomBytes(long seed, int n) {
        byte[] a = new byte[n];
        new Random(seed).nextBytes(a);
        return a;
    }

    private static Descriptors.Pair pair(Descriptors fds) throws Exception {
        Descriptors.Pair p = fds.udpPair(false);
        Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 1 << 20);
        Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1 << 20);
        return p;
    }

    /** Waits (bounded) until a datagram is queued on {@code fd}. */
    private static void awaitReadable(int fd) throws Exception {
        PollSet set = new PollSet(1);
        set.add(fd, Posix.POLLIN);
        assertEquals(1, set.tryPoll(5_000), "nothing arrived");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64, 8191, 8192, 8193, 20_000})
    void sendAndSendtoCarryTheirSpan(int len) throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = pair(fds);
            byte[] a = randomBytes(len, len + 7);
            assertEquals(len, Posix.send(p.a, a, 3, len, 0));
            byte[] got = SocketIo.receive(p.b, len + 64, 5_000);
            assertNotNull(got, "the send never arrived");
            assertArrayEquals(Arrays.copyOfRange(a, 3, 3 + len), got, "send of " + len);

            int unconnected = fds.boundUdp(false);
            assertEquals(len, Posix.sendto(unconnected, a, 4, len, 0, Descriptors.addressOf(p.b)));
            got = SocketIo.receive(p.b, len + 64, 5_000);
            assertNotNull(got, "the sendto never arrived");
            assertArrayEquals(Arrays.copyOfRange(a, 4, 4 + len), got, "sendto of " + len);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64, 8191, 8192, 8193, 20_000})
    void recvAndRecvfromFillOnlyTheirSpan(int len) throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = pair(fds);
            byte[] data = randomBytes(len + 1, len);
            byte[] into = new byte[len + 10];

            Posix.send(p.a, data, 0, len, 0);
            awaitReadable(p.b);
            Arrays.fill(into, (byte) 0x5a);
            assertEquals(len, Posix.recv(p.b, into, 5, len, 0));
            assertArrayEquals(data, Arrays.copyOfRange(into, 5, 5 + len), "recv of " + len);
            assertUntouched(into, 0, 5);
            assertUntouched(into, 5 + len, into.length);

            Posix.send(p.a, data, 0, len, 0);
            awaitReadable(p.b);
            Arrays.fill(into, (byte) 0x5a);
            ByteBuffer heap = ByteBuffer.wrap(into, 2, len);
            SocketAddress from = Posix.recvfrom(p.b, heap, 0);
            assertEquals(Descriptors.addressOf(p.a).getPort(), ((InetSocketAddress) from).getPort(), "the sender");
            assertEquals(2 + len, heap.position());
            assertArrayEquals(data, Arrays.copyOfRange(into, 2, 2 + len), "recvfrom of " + len);
            assertUntouched(into, 0, 2);
            assertUntouched(into, 2 + len, into.length);
        }
    }

    private static void assertUntouched(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            assertEquals((byte) 0x5a, a[i], "byte " + i + " outside the span was written");
        }
    }

    /** A TCP receive with {@code MSG_TRUNC} counts bytes it stores nowhere: the array keeps its own bytes. */
    @Test
    void msgTruncOnAStreamLeavesTheArrayAsItWas() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            // the thread's copy buffer first holds other bytes, which must not reach the array
            Posix.send(p.a, randomBytes(9, 64), 0, 64, 0);
            byte[] drained = new byte[64];
            int got = 0;
            for (int i = 0; i < 100 && got < 64; i++) {
                got += Posix.recv(p.b, drained, got, 64 - got, 0);
            }
            Posix.send(p.a, new byte[16], 0, 16, 0);
            byte[] array = new byte[32];
            Arrays.fill(array, (byte) 3);
            int n = Posix.recv(p.b, array, 0, 32, MsgFlag.MSG_TRUNC.value());
            assertTrue(n > 0 && n <= 16, "discarded " + n);
            byte[] threes = new byte[32];
            Arrays.fill(threes, (byte) 3);
            assertArrayEquals(threes, array, "MSG_TRUNC on TCP stores nothing");
        }
    }

    /** Threads sending small arrays at once, each through its own copy: every datagram carries its sender's bytes. */
    @Test
    void threadsSendingAtOnceKeepTheirBytes() throws Exception {
        int threads = 4;
        int rounds = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair[] pairs = new Descriptors.Pair[threads];
            for (int t = 0; t < threads; t++) {
                pairs[t] = pair(fds);
            }
            Future<?>[] done = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                Descriptors.Pair p = pairs[t];
                int id = t;
                done[t] = pool.submit(() -> {
                    byte[] out = new byte[100];
                    byte[] in = new byte[200];
                    for (int r = 0; r < rounds; r++) {
                        Arrays.fill(out, (byte) (id * 50 + r % 50));
                        assertEquals(100, Posix.send(p.a, out, 0, 100, 0));
                        awaitReadable(p.b);
                        assertEquals(100, Posix.recv(p.b, in, 0, 200, 0));
                        assertArrayEquals(out, Arrays.copyOf(in, 100), "thread " + id + ", round " + r);
                    }
                    return null;
                });
            }
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A byte[] sent with {@code MSG_DONTWAIT}, a call that cannot block: the JNI and FFM backends pass a large one
 * in place (from 8 KiB; smaller ones, and JNR, copy it), FFM remembering the segment it made for each span.
 * Whatever the backend does, each datagram carries exactly the bytes of its span at the time of the call: another span of
 * the same array, another array at the same span, changed contents, an array collected and a new one in its place,
 * more arrays than the backend remembers, and threads sending at once.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DontwaitArraySendTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();
    /** Above the size from which the JNI and FFM backends pass an array in place, below the largest UDP datagram. */
    private static final int LARGE = 40_000;

    private static byte[] randomBytes(long seed, int n) {
        byte[] a = new byte[n];
        new Random(seed).nextBytes(a);
        return a;
    }

    /** Sends {@code a[off .. off+len)} from {@code p.a} and checks what {@code p.b} receives. */
    private static void sendAndCheck(Descriptors.Pair p, byte[] a, int off, int len) throws Exception {
        byte[] expected = Arrays.copyOfRange(a, off, off + len);
        assertEquals(len, Posix.trySend(p.a, a, off, len, DONTWAIT), "send of [" + off + ", +" + len + ")");
        byte[] got = SocketIo.receive(p.b, LARGE, 5_000);
        assertNotNull(got, "the datagram of [" + off + ", +" + len + ") never arrived");
        assertArrayEquals(expected, got, "the bytes of [" + off + ", +" + len + ")");
    }

    private static Descriptors.Pair pair(Descriptors fds) throws Exception {
        Descriptors.Pair p = fds.udpPair(false);
        Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 1 << 20);
        Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1 << 20);
        return p;
    }

    @Test
    void eachSpanOfEachArraySendsItsOwnBytes() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = pair(fds);
            byte[] a = randomBytes(1, LARGE);
            byte[] twin = randomBytes(2, LARGE);
            sendAndCheck(p, a, 0, LARGE);
            sendAndCheck(p, a, 0, LARGE); // the same span again
            sendAndCheck(p, a, 1, LARGE - 1); // another start
            sendAndCheck(p, a, 0, LARGE - 1); // another length
            sendAndCheck(p, a, 12_345, 9_000); // inside
            sendAndCheck(p, twin, 12_345, 9_000); // another array, the same span
            sendAndCheck(p, twin, 0, 100); // small: copied by every backend
            a[12_345] ^= 0x5a; // contents changed between two sends of the same span
            a[12_345 + 8_999] ^= 0x5a;
            sendAndCheck(p, a, 12_345, 9_000);
            assertEquals(-Errno.EBADF.number(), Posix.trySend(-1, a, 0, LARGE, DONTWAIT));
        }
    }

    @Test
    void moreArraysThanAreRememberedAndArraysCollectedInBetween() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = pair(fds);
            byte[][] arrays = new byte[7][];
            for (int i = 0; i < arrays.length; i++) {
                arrays[i] = randomBytes(10 + i, 10_000 + i);
            }
            for (int round = 0; round < 3; round++) {
                for (byte[] a : arrays) {
                    sendAndCheck(p, a, round, a.length - round);
                }
            }
            for (int i = 0; i < 5; i++) {
                // the arrays sent before are garbage now; a new one of the same size takes the same span
                sendAndCheck(p, randomBytes(100 + i, 10_000), 0, 10_000);
                System.gc();
            }
        }
    }

    @Test
    void threadsSendingTheirOwnArraysAtOnce() throws Exception {
        int perThread = 50;
        int eagain = -Errno.EAGAIN.number();
        try (Descriptors fds = new Descriptors()) {
            // a Unix datagram pair: a full receiver makes the sender wait (EAGAIN here), it never drops a datagram
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int threads = 2;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] senders = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                byte[] mine = new byte[9_000];
                Arrays.fill(mine, (byte) (t + 1)); // every byte names its thread
                senders[t] = new Thread(() -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            int n = eagain;
                            for (int tries = 0; n == eagain && tries < 5_000; tries++) {
                                n = Posix.trySend(p.a, mine, i, mine.length - i, DONTWAIT);
                                if (n == eagain) {
                                    Thread.sleep(1);
                                }
                            }
                            if (n != mine.length - i) {
                                throw new AssertionError("send " + i + " returned " + n);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                senders[t].start();
            }
            int[] seen = new int[threads];
            for (int i = 0; i < threads * perThread; i++) {
                byte[] got = SocketIo.receive(p.b, LARGE, 5_000);
                assertNotNull(got, "datagram " + i + " never arrived");
                int owner = got[0] - 1;
                for (byte b : got) {
                    assertEquals(owner + 1, b, "a datagram mixes the bytes of two threads' arrays");
                }
                seen[owner]++;
            }
            for (Thread t : senders) {
                t.join(10_000);
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertArrayEquals(new int[] {perThread, perThread}, seen);
        }
    }
}

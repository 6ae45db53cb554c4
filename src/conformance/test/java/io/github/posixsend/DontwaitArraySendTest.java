// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A byte[] sent with {@code MSG_DONTWAIT}, a call that cannot block: the JNI and FFM backends pass a large one
 * to an internet socket in place (from 8 KiB; smaller ones, other sockets', and JNR copy it), FFM remembering the
 * segment it made for each span.
 * Whatever the backend does, each datagram carries exactly the bytes of its span at the time of the call: another span
 * of the same array, another array at the same span, changed contents, an array collected and a new one in its place,
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

    /**
     * Two threads send spans of their own arrays at once, each to a receiver of its own: over UDP, whose sockets the
     * JNI and FFM backends pass arrays in place, and over a Unix datagram socket, which is never passed one in
     * place (the copy path). Every byte of an array differs from its neighbours and from the other array's, and send
     * i is [i, length - 2i), both ends moving (above the in-place size throughout), so a wrong start, length or
     * array, or a span remembered from an earlier send, gives other bytes. A sender has at most {@code WINDOW}
     * datagrams in flight, so UDP, which drops what its receiver has no room for, drops none.
     */
    @ParameterizedTest(name = "udp={0}")
    @ValueSource(booleans = {true, false})
    void threadsSendingTheirOwnArraysAtOnce(boolean udp) throws Exception {
        int perThread = 50;
        int threads = 2;
        int window = 4;
        int eagain = -Errno.EAGAIN.number();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair[] pairs = new Descriptors.Pair[threads];
            byte[][] arrays = new byte[threads][];
            Semaphore[] room = new Semaphore[threads];
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] senders = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                Descriptors.Pair p = udp ? pair(fds) : fds.unixPair(Posix.SOCK_DGRAM);
                byte[] mine = randomBytes(20 + t, 9_000);
                Semaphore free = new Semaphore(window);
                pairs[t] = p;
                arrays[t] = mine;
                room[t] = free;
                senders[t] = new Thread(() -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            if (!free.tryAcquire(10, TimeUnit.SECONDS)) {
                                throw new AssertionError("send " + i + ": nothing received for 10 s");
                            }
                            int len = span(mine, i);
                            int n = eagain;
                            for (int tries = 0; n == eagain && tries < 5_000; tries++) {
                                n = Posix.trySend(p.a, mine, i, len, DONTWAIT);
                                if (n == eagain) {
                                    Thread.sleep(1);
                                }
                            }
                            if (n != len) {
                                throw new AssertionError("send " + i + " returned " + n);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                senders[t].start();
            }
            // a datagram's length names its send; its bytes must be exactly that span of its sender's array
            boolean[][] seen = new boolean[threads][perThread];
            int received = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received < threads * perThread && failure.get() == null && System.nanoTime() < deadline) {
                boolean any = false;
                for (int t = 0; t < threads; t++) {
                    byte[] got = SocketIo.receive(pairs[t].b, LARGE, 0);
                    if (got == null) {
                        continue;
                    }
                    int i = (arrays[t].length - got.length) / 2;
                    String which = "a datagram of " + got.length + " bytes from sender " + t;
                    assertTrue(i >= 0 && i < perThread && span(arrays[t], i) == got.length,
                            which + ": no span's length");
                    assertFalse(seen[t][i], which + ": its span [" + i + ", +" + got.length + ") came twice");
                    assertArrayEquals(Arrays.copyOfRange(arrays[t], i, i + got.length), got,
                            which + ": not the bytes of its span [" + i + ", +" + got.length + ")");
                    seen[t][i] = true;
                    received++;
                    room[t].release();
                    any = true;
                }
                if (!any) {
                    Thread.sleep(1);
                }
            }
            for (Thread t : senders) {
                t.join(10_000);
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertEquals(threads * perThread, received, "datagrams received");
            for (int t = 0; t < threads; t++) {
                assertNull(SocketIo.receive(pairs[t].b, LARGE, 20), "no datagram beyond the spans sent");
            }
        }
    }

    /** The length of a sender's send {@code i}, which starts at {@code i}. */
    private static int span(byte[] a, int i) {
        return a.length - 2 * i;
    }
}

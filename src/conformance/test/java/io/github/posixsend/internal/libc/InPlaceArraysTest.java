// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Os;
import io.github.posixsend.Posix;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.ffm.FfmBackends;
import io.github.posixsend.internal.jnr.JnrBackend;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Where a Java-side backend passes a byte[] to the kernel in place: only the FFM library can, only for a send or a
 * plain recv with {@code MSG_DONTWAIT} (a call that cannot block, as the collector waits for it), and only from
 * {@link Backend#IN_PLACE_MIN} bytes up; every other call copies. The routing is watched through a library that
 * counts the in-place calls it passes on to the real one.
 */
class InPlaceArraysTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();

    private static void assumeForeignApi() {
        assumeTrue(FfmBackends.jdkHasForeignApi(), "java.lang.foreign is final from JDK 22; this is "
                + Runtime.version());
    }

    /** {@code real}, with each call of {@code sendInPlace} and {@code recvInPlace} counted. */
    private static CLibrary counting(CLibrary real, AtomicInteger inPlace) {
        return (CLibrary) Proxy.newProxyInstance(CLibrary.class.getClassLoader(), new Class<?>[] {CLibrary.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendInPlace") || method.getName().equals("recvInPlace")) {
                        inPlace.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A backend over the FFM library, with its in-place calls counted. */
    private static LibcBackend countingFfm(AtomicInteger inPlace) {
        return new LibcBackend(counting(((LibcBackend) FfmBackends.load()).library(), inPlace), Os.current());
    }

    private static byte[] pattern(int n, int step) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) (i * step + 7);
        }
        return a;
    }

    @Test
    void onlyTheForeignFunctionLibraryPassesArraysInPlace() {
        CLibrary jnr = ((LibcBackend) JnrBackend.load()).library();
        assertFalse(jnr.passesArraysInPlace(), "JNR copies every array");
        assumeForeignApi();
        assertTrue(((LibcBackend) FfmBackends.load()).library().passesArraysInPlace());
    }

    @Test
    void onlyLargeNonBlockingSendsGoInPlaceAndEachCarriesItsBytes() throws Exception {
        assumeForeignApi();
        AtomicInteger inPlace = new AtomicInteger();
        LibcBackend backend = countingFfm(inPlace);
        int large = Backend.IN_PLACE_MIN + 100;
        byte[] a = pattern(large, 31);
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            int[][] cases = {
                // {offset, length, flags, in place}
                {0, large, 0, 0}, // may block: copied
                {0, Backend.IN_PLACE_MIN - 1, DONTWAIT, 0}, // too small to gain: copied
                {0, Backend.IN_PLACE_MIN, DONTWAIT, 1},
                {100, Backend.IN_PLACE_MIN, DONTWAIT, 1},
                {1, large - 1, DONTWAIT | MsgFlag.MSG_NOSIGNAL.value(), 1},
            };
            for (int[] c : cases) {
                int before = inPlace.get();
                String what = "[" + c[0] + ", +" + c[1] + ") flags " + c[2];
                assertEquals(c[1], backend.sendArray(p.a, a, c[0], c[1], c[2]), what);
                assertEquals(c[3], inPlace.get() - before, what + ": in place or not");
                byte[] got = SocketIo.receive(p.b, large, 5_000);
                assertNotNull(got, what + ": nothing arrived");
                assertArrayEquals(Arrays.copyOfRange(a, c[0], c[0] + c[1]), got, what);
            }
            // a corked send takes a UDP socket's lock: copied, and its bytes lead the datagram the next send ends
            if (MsgFlag.MSG_MORE.isSupported()) {
                int more = DONTWAIT | MsgFlag.MSG_MORE.value();
                int before = inPlace.get();
                assertEquals(Backend.IN_PLACE_MIN, backend.sendArray(p.a, a, 0, Backend.IN_PLACE_MIN, more));
                assertEquals(0, inPlace.get() - before, "MSG_MORE: copied");
                assertEquals(1, backend.sendArray(p.a, a, Backend.IN_PLACE_MIN, 1, DONTWAIT));
                assertArrayEquals(Arrays.copyOfRange(a, 0, Backend.IN_PLACE_MIN + 1),
                        SocketIo.receive(p.b, large, 5_000), "the corked datagram");
            }
            // a stream socket's calls wait for its lock, which another thread's send may hold long: copied
            Descriptors.Pair tcp = fds.tcpPair();
            int beforeTcp = inPlace.get();
            assertEquals(Backend.IN_PLACE_MIN, backend.sendArray(tcp.a, a, 0, Backend.IN_PLACE_MIN, DONTWAIT));
            assertEquals(0, inPlace.get() - beforeTcp, "TCP: copied");
            // a descriptor that is no socket of the internet or local domains is never passed an array in place
            int before = inPlace.get();
            assertEquals(-Errno.EBADF.number(), backend.sendArray(-1, a, 0, large, DONTWAIT));
            assertEquals(0, inPlace.get() - before, "no socket: copied");
            assertEquals(-Errno.EINVAL.number(), backend.sendArray(p.a, a, 1, large, DONTWAIT), "out of range");
            assertEquals(0, inPlace.get() - before, "a range outside the array never reaches the library");
            // a failure in place is -errno, as a copied send's
            assertEquals(-Errno.EDESTADDRREQ.number(),
                    backend.sendArray(fds.boundUdp(false), a, 0, large, DONTWAIT),
                    "an unconnected socket");
            assertEquals(1, inPlace.get() - before, "the unconnected socket's send went in place");
        }
    }

    @Test
    void onlyLargeNonBlockingPlainReceivesGoInPlaceAndFillOnlyTheirSpan() throws Exception {
        assumeForeignApi();
        AtomicInteger inPlace = new AtomicInteger();
        LibcBackend backend = countingFfm(inPlace);
        int large = Backend.IN_PLACE_MIN + 100;
        byte[] datagram = pattern(large, 13);
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setBlocking(p.b, false);
            int[][] cases = {
                // {offset, length, flags, with the source address, in place}
                {0, large, 0, 0, 0}, // may block (as far as the flags say): copied
                {0, large, DONTWAIT, 1, 0}, // recvfrom: copied
                {0, Backend.IN_PLACE_MIN - 1, DONTWAIT, 0, 0}, // too small to gain: copied
                {0, large, DONTWAIT, 0, 1},
                {50, large, DONTWAIT, 0, 1},
            };
            for (int[] c : cases) {
                String what = "[" + c[0] + ", +" + c[1] + ") flags " + c[2] + (c[3] == 1 ? " recvfrom" : "");
                assertEquals(large, Posix.trySend(p.a, datagram, 0, large, 0), what + ": the datagram sent");
                byte[] into = new byte[large + 100];
                Arrays.fill(into, (byte) 0x77);
                byte[] sa = c[3] == 1 ? new byte[256] : null;
                int[] salen = c[3] == 1 ? new int[1] : null;
                int eagain = -Errno.EAGAIN.number();
                int got = eagain;
                int calls = 0;
                // the receiver is non-blocking, so flags 0 cannot block here either; the datagram may be on its way
                for (int tries = 0; tries < 5_000 && got == eagain; tries++) {
                    int before = inPlace.get();
                    got = backend.recvArray(p.b, into, c[0], c[1], c[2], sa, salen);
                    calls = inPlace.get() - before;
                    if (got == eagain) {
                        Thread.sleep(1);
                    }
                }
                assertEquals(c[4], calls, what + ": in place or not");
                // without MSG_TRUNC a receive returns what it stored: the datagram, or as much as the span holds
                assertEquals(Math.min(large, c[1]), got, what + ": received");
                assertArrayEquals(Arrays.copyOf(datagram, got), Arrays.copyOfRange(into, c[0], c[0] + got), what);
                for (int i = 0; i < into.length; i++) {
                    if (i < c[0] || i >= c[0] + got) {
                        assertEquals((byte) 0x77, into[i], what + ": byte " + i + " outside the span");
                    }
                }
            }
            // an empty socket: -EAGAIN in place too, and nothing stored
            byte[] into = new byte[large];
            int before = inPlace.get();
            assertEquals(-Errno.EAGAIN.number(), backend.recvArray(p.b, into, 0, large, DONTWAIT, null, null));
            assertEquals(1, inPlace.get() - before);
            assertArrayEquals(new byte[large], into);
            assertEquals(-Errno.EINVAL.number(), backend.recvArray(p.b, into, 1, large, DONTWAIT, null, null));
            assertEquals(1, inPlace.get() - before, "a range outside the array never reaches the library");
            // a stream socket's receive takes its lock: copied
            Descriptors.Pair tcp = fds.tcpPair();
            assertEquals(-Errno.EAGAIN.number(), backend.recvArray(tcp.b, into, 0, large, DONTWAIT, null, null));
            assertEquals(1, inPlace.get() - before, "TCP: copied");
        }
    }
}

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
 * Where a Java-side backend passes a byte[] to the kernel in place: only the FFM library can, only for a send with
 * {@code MSG_DONTWAIT} (a call that cannot block, as the collector waits for it), and only from
 * {@link Backend#SEND_IN_PLACE_MIN} bytes up; every other send copies. The routing is watched through a library that
 * counts the in-place calls it passes on to the real one.
 */
class InPlaceSendTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();

    private static void assumeForeignApi() {
        assumeTrue(FfmBackends.jdkHasForeignApi(), "java.lang.foreign is final from JDK 22; this is "
                + Runtime.version());
    }

    /** {@code real}, with each call of {@code sendInPlace} counted. */
    private static CLibrary counting(CLibrary real, AtomicInteger inPlace) {
        return (CLibrary) Proxy.newProxyInstance(CLibrary.class.getClassLoader(), new Class<?>[] {CLibrary.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendInPlace")) {
                        inPlace.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void onlyTheForeignFunctionLibraryPassesArraysInPlace() {
        CLibrary jnr = ((LibcBackend) JnrBackend.load()).library();
        assertFalse(jnr.sendsInPlace(), "JNR copies every array");
        assumeForeignApi();
        assertTrue(((LibcBackend) FfmBackends.load()).library().sendsInPlace());
    }

    @Test
    void onlyLargeNonBlockingSendsGoInPlaceAndEachCarriesItsBytes() throws Exception {
        assumeForeignApi();
        AtomicInteger inPlace = new AtomicInteger();
        LibcBackend backend = new LibcBackend(counting(((LibcBackend) FfmBackends.load()).library(), inPlace),
                Os.current());
        int large = Backend.SEND_IN_PLACE_MIN + 100;
        byte[] a = new byte[large];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i * 31 + 7);
        }
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            int[][] cases = {
                // {offset, length, flags, in place}
                {0, large, 0, 0}, // may block: copied
                {0, Backend.SEND_IN_PLACE_MIN - 1, DONTWAIT, 0}, // too small to gain: copied
                {0, Backend.SEND_IN_PLACE_MIN, DONTWAIT, 1},
                {100, Backend.SEND_IN_PLACE_MIN, DONTWAIT, 1},
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
            // a failure in place is -errno, as a copied send's
            int before = inPlace.get();
            assertEquals(-Errno.EBADF.number(), backend.sendArray(-1, a, 0, large, DONTWAIT));
            assertEquals(1, inPlace.get() - before);
            assertEquals(-Errno.EINVAL.number(), backend.sendArray(p.a, a, 1, large, DONTWAIT), "out of range");
            assertEquals(1, inPlace.get() - before, "a range outside the array never reaches the library");
            assertEquals(-Errno.EDESTADDRREQ.number(),
                    backend.sendArray(fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM), a, 0, large, DONTWAIT),
                    "an unconnected socket");
        }
    }
}

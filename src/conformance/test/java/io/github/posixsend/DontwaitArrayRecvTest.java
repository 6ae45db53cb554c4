// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.tools.probe.Descriptors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A plain {@code recv} into a byte[] with {@code MSG_DONTWAIT}, a call that cannot block: the JNI and FFM backends
 * let the kernel fill a large span in place (from 8 KiB; smaller ones, and JNR, receive through a copy). Whatever the
 * backend does, the bytes land in the span and nowhere else: a whole datagram, a truncated one (with and without
 * {@code MSG_TRUNC}, which reports the datagram's real length), nothing on an empty socket, and {@code MSG_TRUNC}
 * on TCP, where Linux discards the bytes without storing them.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DontwaitArrayRecvTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();
    private static final int EAGAIN = -Errno.EAGAIN.number();
    private static final byte UNTOUCHED = 0x5c;

    private static byte[] pattern(int n, int seed) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) (i * seed + 1);
        }
        return a;
    }

    /** recv with {@code flags | MSG_DONTWAIT}, waiting (bounded) while the socket is empty. */
    private static int receive(int fd, byte[] into, int off, int len, int flags) throws Exception {
        int r = EAGAIN;
        for (int tries = 0; tries < 5_000 && r == EAGAIN; tries++) {
            r = Posix.tryRecv(fd, into, off, len, flags | DONTWAIT);
            if (r == EAGAIN) {
                Thread.sleep(1);
            }
        }
        return r;
    }

    /** Every byte of {@code into} outside {@code [off, off+stored)} is still {@link #UNTOUCHED}. */
    private static void assertOnlySpanWritten(byte[] into, int off, int stored, String what) {
        for (int i = 0; i < into.length; i++) {
            if (i < off || i >= off + stored) {
                assertEquals(UNTOUCHED, into[i], what + ": byte " + i + " outside the span was written");
            }
        }
    }

    @Test
    void datagramsLandInTheirSpanOnly() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1 << 20);
            byte[] datagram = pattern(20_000, 7);
            int trunc = MsgFlag.MSG_TRUNC.value();
            int[][] cases = {
                // {offset, length, flags, expected return, bytes stored}
                {0, 20_000, 0, 20_000, 20_000},
                {123, 20_000, 0, 20_000, 20_000},
                {7, 10_000, 0, 10_000, 10_000}, // truncated: the count of bytes stored
                {7, 10_000, trunc, 20_000, 10_000}, // MSG_TRUNC: the datagram's own length
                {0, 100, 0, 100, 100}, // small: through a copy on every backend
            };
            for (int[] c : cases) {
                String what = "[" + c[0] + ", +" + c[1] + ") flags " + c[2];
                assertEquals(datagram.length, Posix.trySend(p.a, datagram, 0, datagram.length, 0), what);
                byte[] into = new byte[20_200];
                Arrays.fill(into, UNTOUCHED);
                assertEquals(c[3], receive(p.b, into, c[0], c[1], c[2]), what);
                assertArrayEquals(Arrays.copyOf(datagram, c[4]), Arrays.copyOfRange(into, c[0], c[0] + c[4]), what);
                assertOnlySpanWritten(into, c[0], c[4], what);
            }
            byte[] into = new byte[20_000];
            Arrays.fill(into, UNTOUCHED);
            assertEquals(EAGAIN, Posix.tryRecv(p.b, into, 0, into.length, DONTWAIT), "an empty socket");
            assertOnlySpanWritten(into, 0, 0, "an empty socket");
        }
    }

    @Test
    void truncOnTcpDiscardsWithoutStoring() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            byte[] data = pattern(12_000, 3);
            assertEquals(data.length, Posix.send(p.a, data, 0, data.length, 0));
            byte[] into = new byte[12_000];
            Arrays.fill(into, UNTOUCHED);
            int discarded = 0;
            for (int i = 0; i < 100 && discarded < data.length; i++) {
                int r = receive(p.b, into, 0, into.length, MsgFlag.MSG_TRUNC.value());
                assertTrue(r > 0, "recv(MSG_TRUNC) returned " + r);
                discarded += r;
            }
            assertEquals(data.length, discarded, "every byte counted");
            assertOnlySpanWritten(into, 0, 0, "MSG_TRUNC on TCP");
            // and what follows is received as usual
            assertEquals(data.length, Posix.send(p.a, data, 0, data.length, 0));
            int got = 0;
            for (int i = 0; i < 100 && got < data.length; i++) {
                int r = receive(p.b, into, got, into.length - got, 0);
                assertTrue(r > 0, "recv returned " + r);
                got += r;
            }
            assertArrayEquals(data, into);
        }
    }
}

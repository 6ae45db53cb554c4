// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.Posix;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A destination passed to the shim as the words of its image: the words are the image's bytes in native order, and
 * the shim takes the destination from them (or from the array for a longer one), refusing a length no sockaddr has.
 */
class SockaddrWordsTest {
    private static final int EINVAL = -Errno.EINVAL.number();

    @Test
    void wordsAreTheImageInNativeOrderPaddedWithZeros() {
        byte[] image = new byte[28];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (0x81 + i);
        }
        for (int len : new int[] {0, 2, 16, 28}) {
            ByteBuffer padded = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder()).put(image, 0, len);
            for (int k = 0; k < JniNative.SOCKADDR_WORDS; k++) {
                assertEquals(padded.getLong(8 * k), SockaddrWords.word(image, k, len), "word " + k + " of " + len);
            }
        }
        assertTrue(SockaddrWords.fit(image, 28));
        assertFalse(SockaddrWords.fit(image, 29), "longer than the image");
        assertFalse(SockaddrWords.fit(new byte[110], 33), "longer than the words");
        assertFalse(SockaddrWords.fit(image, -1));
        assertFalse(SockaddrWords.fit(null, 16), "no image");
    }

    @Test
    void theShimSendsToTheWordsAndRefusesImpossibleLengths() throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        try (Descriptors fds = new Descriptors()) {
            for (boolean v6 : new boolean[] {false, true}) {
                int rx = fds.boundUdp(v6);
                int tx = fds.boundUdp(v6);
                InetSocketAddress to = Descriptors.addressOf(rx);
                byte[] image = new byte[128];
                int len = JniNative.sockaddrInet0(image, to.getAddress().getAddress(), to.getPort(), 0, 0);
                assertEquals(v6 ? 28 : 16, len);
                long[] w = new long[JniNative.SOCKADDR_WORDS];
                for (int k = 0; k < w.length; k++) {
                    w[k] = SockaddrWords.word(image, k, len);
                }
                ByteBuffer data = ByteBuffer.allocateDirect(8).put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
                byte[] heap = {9, 10, 11};
                assertEquals(8, JniNative.sendtoDirect0(tx, data, 0, 8, 0, null, len, w[0], w[1], w[2], w[3]));
                assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, SocketIo.receive(rx, 64, 5000));
                assertEquals(3, JniNative.sendtoArray0(tx, heap, 0, 3, 0, null, len, w[0], w[1], w[2], w[3]));
                assertArrayEquals(heap, SocketIo.receive(rx, 64, 5000));
                assertEquals(5, JniNative.sendmsgDirect0(tx, 0, data, 3, 5, null, 0, 0, null, len, w[0], w[1], w[2],
                        w[3], 0, 0, Backend.NO_CONTROL, 0, 0));
                assertArrayEquals(new byte[] {4, 5, 6, 7, 8}, SocketIo.receive(rx, 64, 5000));
                // as a sendmmsg of that one message: 1 + its msg_len
                assertEquals(6, JniNative.sendmsgDirect0(tx, 1, data, 3, 5, null, 0, 0, null, len, w[0], w[1], w[2],
                        w[3], 0, 0, Backend.NO_CONTROL, 0, 0));
                assertArrayEquals(new byte[] {4, 5, 6, 7, 8}, SocketIo.receive(rx, 64, 5000));
                // the same destination as the array: the words are then not read
                assertEquals(2, JniNative.sendtoDirect0(tx, data, 0, 2, 0, Arrays.copyOf(image, len), len, -1, -1,
                        -1, -1));
                assertArrayEquals(new byte[] {1, 2}, SocketIo.receive(rx, 64, 5000));
                for (int bad : new int[] {-1, 0, 1, 33, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                    assertEquals(EINVAL, JniNative.sendtoDirect0(tx, data, 0, 8, 0, null, bad, w[0], w[1], w[2], w[3]),
                            "length " + bad);
                    assertEquals(EINVAL, JniNative.sendtoArray0(tx, heap, 0, 3, 0, null, bad, w[0], w[1], w[2], w[3]),
                            "length " + bad);
                    if (bad != 0) { // 0 without an array: no destination
                        assertEquals(EINVAL, JniNative.sendmsgDirect0(tx, 0, data, 0, 8, null, 0, 0, null, bad, w[0],
                                w[1], w[2], w[3], 0, 0, Backend.NO_CONTROL, 0, 0), "length " + bad);
                    }
                }
                assertEquals(-Errno.EDESTADDRREQ.number(), JniNative.sendmsgDirect0(tx, 0, data, 0, 8, null, 0, 0, null,
                        0, 0, 0, 0, 0, 0, 0, Backend.NO_CONTROL, 0, 0), "no destination on an unconnected socket");
            }
        }
    }
}

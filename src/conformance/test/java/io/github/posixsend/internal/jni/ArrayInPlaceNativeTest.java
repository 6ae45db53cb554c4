// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The shim's send of an array in place, called as the backend never would: it checks the range itself, and without
 * {@code MSG_DONTWAIT} (a call that may block, during which the collector must not wait) it copies the array as the
 * plain array send does. Either way the datagram carries the span's bytes.
 */
class ArrayInPlaceNativeTest {
    private static final int EINVAL = -Errno.EINVAL.number();
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();

    @Test
    void rangesAreCheckedOnBothPaths() throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            byte[] a = new byte[16];
            for (int flags : new int[] {0, DONTWAIT}) {
                assertEquals(EINVAL, JniNative.sendArrayInPlace0(p.a, null, 0, 0, flags), "null, flags " + flags);
                assertEquals(EINVAL, JniNative.sendArrayInPlace0(p.a, a, 0, 17, flags));
                assertEquals(EINVAL, JniNative.sendArrayInPlace0(p.a, a, 10, 7, flags));
                assertEquals(EINVAL, JniNative.sendArrayInPlace0(p.a, a, -1, 4, flags));
                assertEquals(EINVAL, JniNative.sendArrayInPlace0(p.a, a, 0, -1, flags));
                assertEquals(EINVAL, JniNative.sendArrayInPlace0(p.a, a, Integer.MAX_VALUE, 1, flags));
                assertEquals(-Errno.EBADF.number(), JniNative.sendArrayInPlace0(-1, a, 0, 16, flags));
            }
            assertEquals(null, SocketIo.receive(p.b, 64, 50), "nothing was sent");
        }
    }

    @Test
    void eachPathSendsTheSpan() throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            byte[] a = new byte[20_000];
            for (int i = 0; i < a.length; i++) {
                a[i] = (byte) (i % 251);
            }
            int[][] spans = {{0, 20_000}, {3, 9_000}, {19_999, 1}};
            for (int flags : new int[] {0, DONTWAIT}) {
                for (int[] s : spans) {
                    String what = "[" + s[0] + ", +" + s[1] + ") flags " + flags;
                    assertEquals(s[1], JniNative.sendArrayInPlace0(p.a, a, s[0], s[1], flags), what);
                    byte[] got = SocketIo.receive(p.b, 20_000, 5_000);
                    assertNotNull(got, what + ": nothing arrived");
                    assertArrayEquals(Arrays.copyOfRange(a, s[0], s[0] + s[1]), got, what);
                }
            }
        }
    }
}

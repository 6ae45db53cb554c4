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
 * The shim's send from and receive into an array in place, called as the backend never would: each checks the range
 * itself, and without {@code MSG_DONTWAIT} (a call that may block, during which the collector must not wait) goes
 * through a copy as the plain array calls do. Either way the datagram carries the span's bytes, and a receive
 * writes nothing outside its span.
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
                assertEquals(EINVAL, JniNative.recvArrayInPlace0(p.b, null, 0, 0, flags), "null, flags " + flags);
                assertEquals(EINVAL, JniNative.recvArrayInPlace0(p.b, a, 0, 17, flags));
                assertEquals(EINVAL, JniNative.recvArrayInPlace0(p.b, a, 10, 7, flags));
                assertEquals(EINVAL, JniNative.recvArrayInPlace0(p.b, a, -1, 4, flags));
                assertEquals(EINVAL, JniNative.recvArrayInPlace0(p.b, a, 0, -1, flags));
                assertEquals(EINVAL, JniNative.recvArrayInPlace0(p.b, a, Integer.MAX_VALUE, 1, flags));
                assertEquals(-Errno.EBADF.number(), JniNative.recvArrayInPlace0(-1, a, 0, 16, flags));
            }
            assertEquals(null, SocketIo.receive(p.b, 64, 50), "nothing was sent");
        }
    }

    @Test
    void noArrayIsSentZeroCopy() throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        assumeTrue(MsgFlag.MSG_ZEROCOPY.isSupported(), "MSG_ZEROCOPY is Linux's");
        try (Descriptors fds = new Descriptors()) {
            // without SO_ZEROCOPY the kernel would send the flag's calls as ordinary ones (so would qemu-user, which
            // has no SO_ZEROCOPY): a refusal can only be the shim's
            Descriptors.Pair p = fds.tcpPair();
            int zerocopy = MsgFlag.MSG_ZEROCOPY.value();
            byte[] a = new byte[16_384];
            // the kernel would read the copy's or the array's pages after the call, whatever they hold by then
            assertEquals(EINVAL, JniNative.sendArray0(p.a, a, 0, a.length, zerocopy));
            assertEquals(EINVAL, JniNative.sendArrayInPlace0(p.a, a, 0, a.length, zerocopy | DONTWAIT));
            assertEquals(EINVAL, JniNative.sendtoArray0(p.a, a, 0, a.length, zerocopy, null, 16, 0, 0, 0, 0));
            assertEquals(a.length, JniNative.sendArray0(p.a, a, 0, a.length, 0), "without the flag it sends");
        }
    }

    @Test
    void eachPathSendsAndReceivesTheSpan() throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setBlocking(p.b, false);
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
                    // and received back into the same span of a fresh array, on the same path (the receiver is
                    // non-blocking, so flags 0 does not wait either)
                    assertEquals(s[1], JniNative.sendArrayInPlace0(p.a, a, s[0], s[1], flags), what);
                    byte[] into = new byte[a.length];
                    int eagain = -Errno.EAGAIN.number();
                    int r = eagain;
                    for (int tries = 0; tries < 5_000 && r == eagain; tries++) {
                        r = JniNative.recvArrayInPlace0(p.b, into, s[0], s[1], flags);
                        if (r == eagain) {
                            Thread.sleep(1);
                        }
                    }
                    assertEquals(s[1], r, what + ": received");
                    assertArrayEquals(Arrays.copyOfRange(a, s[0], s[0] + s[1]),
                            Arrays.copyOfRange(into, s[0], s[0] + s[1]), what + ": received into the span");
                    assertArrayEquals(new byte[a.length - s[1]], concat(Arrays.copyOfRange(into, 0, s[0]),
                            Arrays.copyOfRange(into, s[0] + s[1], into.length)), what + ": nothing outside the span");
                }
            }
        }
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] r = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }
}

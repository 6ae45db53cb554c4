// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.posixsend.Errno;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The JNI backend's direct-buffer calls, reached as code on the class path could reach them: a buffer that is not
 * direct is refused with -EINVAL by the backend (the shim reads a direct buffer's fields and relies on that check),
 * and a range outside the buffer by the shim (ps_direct_range), before the kernel sees any address.
 */
class DirectBufferCheckTest {
    private static final int EINVAL = Errno.EINVAL.number();

    private static Backend jni() {
        Backend b = Backends.current();
        Assumptions.assumeTrue("jni".equals(b.name()), "these checks are the JNI shim's");
        return b;
    }

    @Test
    void heapBufferIsRefusedByTheDirectCall() throws Exception {
        Backend b = jni();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            assertEquals(-EINVAL, b.sendDirect(p.a, ByteBuffer.allocate(16), 0, 16, 0));
            assertEquals(-EINVAL, b.sendDirect(p.a, ByteBuffer.allocate(16).asReadOnlyBuffer(), 0, 16, 0));
            assertEquals(-EINVAL, b.sendDirect(p.a, null, 0, 0, 0));
            assertEquals(-EINVAL, b.sendtoDirect(p.a, ByteBuffer.allocate(16), 0, 16, 0, new byte[128], 16));
            ByteBuffer d = ByteBuffer.allocateDirect(16);
            int none = Backend.NO_CONTROL;
            assertEquals(-EINVAL, b.sendmsgDirect(p.a, false, ByteBuffer.allocate(16), 0, 16, null, 0, 0, null, 0,
                    0, 0, none, 0, 0));
            assertEquals(-EINVAL, b.sendmsgDirect(p.a, false, d, 0, 16, ByteBuffer.allocate(16), 0, 16, null, 0,
                    0, 0, none, 0, 0));
            assertEquals(-EINVAL, b.sendmsgDirect(p.a, false, null, 0, 0, d, 0, 16, null, 0,
                    0, 0, Backend.NO_CONTROL, 0, 0));
            assertEquals(-EINVAL, b.recvDirect(p.b, ByteBuffer.allocate(16), 0, 16, 0, null, null));
            assertEquals(-EINVAL, b.recvDirect(p.b, ByteBuffer.allocate(16).asReadOnlyBuffer(), 0, 16, 0, null, null));
            assertEquals(-EINVAL, b.poll(ByteBuffer.allocate(64), 1, 0));
            assertEquals(-EINVAL, b.poll(null, 0, 0));
        }
    }

    @Test
    void rangesOutsideTheBufferAreRefused() throws Exception {
        Backend b = jni();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer d = ByteBuffer.allocateDirect(16);
            assertEquals(-EINVAL, b.sendDirect(p.a, d, 0, 17, 0));
            assertEquals(-EINVAL, b.sendDirect(p.a, d, 10, 7, 0));
            assertEquals(-EINVAL, b.sendDirect(p.a, d, -1, 4, 0));
            assertEquals(-EINVAL, b.sendDirect(p.a, d, 0, -1, 0));
            assertEquals(-EINVAL, b.sendDirect(p.a, d, Integer.MAX_VALUE, 1, 0));
            // a slice has its own address and capacity: its range is checked against them
            ByteBuffer slice = d.position(8).slice();
            assertEquals(-EINVAL, b.sendDirect(p.a, slice, 0, 9, 0));
            assertEquals(8, b.sendDirect(p.a, slice, 0, 8, 0));
        }
    }

    @Test
    void directSlicesAndReadOnlyDirectBuffersSendTheirOwnBytes() throws Exception {
        Backend b = jni();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer d = ByteBuffer.allocateDirect(12);
            d.put("abcdefghijkl".getBytes(StandardCharsets.US_ASCII)).clear();
            ByteBuffer slice = d.position(4).slice();
            assertEquals(3, b.sendDirect(p.a, slice, 1, 3, 0));
            assertArrayEquals("fgh".getBytes(StandardCharsets.US_ASCII), SocketIo.receive(p.b, 64, 2000));
            ByteBuffer ro = d.clear().asReadOnlyBuffer();
            assertEquals(2, b.sendDirect(p.a, ro, 10, 2, 0));
            assertArrayEquals("kl".getBytes(StandardCharsets.US_ASCII), SocketIo.receive(p.b, 64, 2000));
            // sendmsg of the two, each by its own address and capacity
            assertEquals(5, b.sendmsgDirect(p.a, false, slice, 1, 3, ro, 10, 2, null, 0,
                    0, 0, Backend.NO_CONTROL, 0, 0));
            assertArrayEquals("fghkl".getBytes(StandardCharsets.US_ASCII), SocketIo.receive(p.b, 64, 2000));
            assertEquals(-EINVAL, b.sendmsgDirect(p.a, false, slice, 1, 3, slice, 5, 4, null, 0,
                    0, 0, Backend.NO_CONTROL, 0, 0));
            // the receive side uses the same check: no byte may land past the buffer's end
            assertEquals(-EINVAL, b.recvDirect(p.b, ByteBuffer.allocateDirect(8), 4, 5, 0, null, null));
        }
    }
}

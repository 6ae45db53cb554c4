// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MSG_MORE holds data back until a send without it, on UDP (one datagram) and on TCP. */
class MsgMoreTest {

    @BeforeEach
    void linuxOnly() {
        assumeTrue(MsgFlag.MSG_MORE.isSupported(),
                "MSG_MORE exists only on Linux; " + Os.current() + " has no such flag");
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void udpPartsBecomeOneDatagram() throws Exception {
        int more = MsgFlag.MSG_MORE.value();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            assertEquals(4, Posix.send(p.a, ascii("one-"), more));
            assertEquals(4, Posix.send(p.a, ascii("two-"), more));
            assertEquals(6, Posix.send(p.a, ascii("three-"), more));
            // a corked UDP socket keeps the datagram open for as long as it takes: nothing may have left
            assertNull(SocketIo.receive(p.b, 1000, 50), "a datagram left before the last part");
            assertEquals(4, Posix.send(p.a, ascii("four"), 0));
            byte[] got = SocketIo.receive(p.b, 1000, 5000);
            assertNotNull(got, "the joined datagram did not arrive");
            assertEquals("one-two-three-four", new String(got, StandardCharsets.US_ASCII));
            assertNull(SocketIo.receive(p.b, 1000, 20), "more than one datagram arrived");
        }
    }

    @Test
    void tcpDataIsHeldUntilASendWithoutMore() throws Exception {
        int more = MsgFlag.MSG_MORE.value();
        // Linux also releases held TCP data by itself after about 200 ms. If this thread is descheduled that long
        // between the send and the check, the data is there legitimately; a fresh connection then tries again.
        String lastFailure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Descriptors fds = new Descriptors()) {
                Descriptors.Pair p = fds.tcpPair();
                assertEquals(6, Posix.send(p.a, ascii("hello "), more));
                assertEquals(4, Posix.send(p.a, ascii("big "), more));
                byte[] early = SocketIo.receive(p.b, 100, 0);
                if (early != null) {
                    lastFailure = "attempt " + attempt + ": the peer read '"
                            + new String(early, StandardCharsets.US_ASCII) + "' while MSG_MORE should hold it";
                    continue;
                }
                assertEquals(5, Posix.send(p.a, ascii("world"), 0));
                byte[] got = SocketIo.receive(p.b, 100, 5000);
                assertNotNull(got, "nothing arrived after the send without MSG_MORE");
                // one read returns all three parts: they left together
                assertEquals("hello big world", new String(got, StandardCharsets.US_ASCII));
                return;
            }
        }
        throw new AssertionError(lastFailure);
    }

    @Test
    void tcpWithoutMoreIsSentAtOnce() throws Exception {
        // the control: the same first send without MSG_MORE is readable right away (within a bounded wait)
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            assertEquals(6, Posix.send(p.a, ascii("hello "), 0));
            byte[] got = SocketIo.receive(p.b, 100, 5000);
            assertNotNull(got);
            assertTrue(new String(got, StandardCharsets.US_ASCII).startsWith("hello"));
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** MSG_OOB sends one urgent byte on TCP; on UDP it is not supported. */
class OobTest {

    @Test
    void urgentByteIsReadAsSuch() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            assertEquals(2, Posix.send(p.a, "ab".getBytes(StandardCharsets.US_ASCII), 0, 2, 0));
            assertEquals(1, Posix.send(p.a, ByteBuffer.wrap(new byte[] {'!'}), MsgFlag.MSG_OOB.value()));

            // the urgent byte, read as urgent data; before it arrives recv(MSG_OOB) says EAGAIN or EINVAL
            int flags = MsgFlag.mask(MsgFlag.MSG_OOB, MsgFlag.MSG_DONTWAIT);
            ByteBuffer urgent = ByteBuffer.allocate(1);
            int n = -1;
            for (int i = 0; i < 5_000 && n < 0; i++) {
                try {
                    n = Posix.recv(p.b, urgent, flags);
                } catch (WouldBlockException | InvalidArgumentException notYet) {
                    Thread.sleep(1);
                }
            }
            assertEquals(1, n, "the urgent byte never arrived");
            assertEquals('!', urgent.get(0));

            // it is not part of the ordinary stream
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            Posix.shutdown(p.a, Posix.SHUT_WR);
            SocketIo.drain(p.b, stream, 5_000, 10_000);
            assertEquals("ab", stream.toString(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void withOobInlineTheUrgentByteStaysInTheStream() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_OOBINLINE, true);
            assertEquals(1, Posix.getsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_OOBINLINE));
            Posix.send(p.a, "ab".getBytes(StandardCharsets.US_ASCII), 0, 2, 0);
            Posix.send(p.a, "!".getBytes(StandardCharsets.US_ASCII), 0, 1, MsgFlag.MSG_OOB.value());
            Posix.shutdown(p.a, Posix.SHUT_WR);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            SocketIo.drain(p.b, stream, 5_000, 10_000);
            assertEquals("ab!", stream.toString(StandardCharsets.US_ASCII));
        }
    }

    /** SIOCATMARK (C's sockatmark): 0 before the mark, 1 once the bytes before it are read. */
    @Test
    void siocatmarkSaysWhenTheNextByteIsTheMark() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_OOBINLINE, true);
            assertEquals(0, Posix.ioctlInt(p.b, Posix.SIOCATMARK), "no mark yet");
            Posix.send(p.a, "abc".getBytes(StandardCharsets.US_ASCII), 0, 3, 0);
            Posix.send(p.a, "!".getBytes(StandardCharsets.US_ASCII), 0, 1, MsgFlag.MSG_OOB.value());
            PollSet set = new PollSet(1);
            set.add(p.b, Posix.POLLPRI);
            assertEquals(1, set.poll(5000), "the urgent byte arrives");
            assertEquals(0, Posix.ioctlInt(p.b, Posix.SIOCATMARK), "three bytes before the mark");
            byte[] b = new byte[8];
            // a read stops at the mark, as TCP's urgent pointer tells
            assertEquals(3, Posix.recv(p.b, b, 0, b.length, 0));
            assertEquals(1, Posix.ioctlInt(p.b, Posix.SIOCATMARK), "at the mark");
            assertEquals(1, Posix.recv(p.b, b, 0, b.length, 0));
            assertEquals('!', b[0]);
            assertEquals(0, Posix.ioctlInt(p.b, Posix.SIOCATMARK), "past it");
        }
    }

    @Test
    void oobOnUdpIsNotSupported() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            NotSupportedException e = assertThrows(NotSupportedException.class,
                    () -> Posix.send(p.a, ByteBuffer.wrap(new byte[] {1}), MsgFlag.MSG_OOB.value()));
            assertEquals(Errno.EOPNOTSUPP, e.errno());
        }
    }
}

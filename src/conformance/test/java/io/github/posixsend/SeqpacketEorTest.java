// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** MSG_EOR on an AF_UNIX SOCK_SEQPACKET pair; every record arrives whole, one per recv. */
class SeqpacketEorTest {

    private static byte[] record(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i);
        }
        return b;
    }

    @Test
    void recordsArriveWholeAndSeparate() throws Exception {
        int eor = MsgFlag.MSG_EOR.value();
        int[] lengths = {1, 3, 1000, 7, 20_000};
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_SEQPACKET);
            for (int i = 0; i < lengths.length; i++) {
                assertEquals(lengths[i], Posix.send(p.a, ByteBuffer.wrap(record(lengths[i], i)), eor));
            }
            // all are queued before the first read: each recv still returns exactly one record
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            for (int i = 0; i < lengths.length; i++) {
                in.clear();
                assertEquals(lengths[i], Posix.recv(p.b, in, MsgFlag.MSG_DONTWAIT.value()), "record " + i);
                byte[] got = new byte[in.flip().remaining()];
                in.get(got);
                assertArrayEquals(record(lengths[i], i), got, "record " + i);
            }
            assertThrows(WouldBlockException.class, () -> Posix.recv(p.b, in.clear(), MsgFlag.MSG_DONTWAIT.value()));
        }
    }

    @Test
    void aShortReadConsumesTheWholeRecord() throws Exception {
        int eor = MsgFlag.MSG_EOR.value();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_SEQPACKET);
            Posix.send(p.a, record(10, 0), 0, 10, eor);
            Posix.send(p.a, record(4, 100), 0, 4, eor);
            byte[] small = new byte[3];
            // MSG_TRUNC makes the kernel report the record's real length although only 3 bytes were stored
            assertEquals(10, Posix.recv(p.b, small, 0, 3, MsgFlag.MSG_TRUNC.value() | MsgFlag.MSG_DONTWAIT.value()));
            assertArrayEquals(record(3, 0), small);
            // the rest of the first record is gone: the next read is the second record
            byte[] next = SocketIo.receive(p.b, 100, 5000);
            assertArrayEquals(record(4, 100), next);
            assertNull(SocketIo.receive(p.b, 100, 0));
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.posixsend.testing.SocketIo;
import java.nio.ByteBuffer;
import java.util.function.IntUnaryOperator;

/**
 * Datagrams numbered so that each byte says which datagram it belongs to, the batches that send and receive them,
 * and the checks of what arrived, for the tests of the batch calls' ranges (MmsgVlenTest, MmsgOffsetTest).
 */
final class NumberedDatagrams {
    private NumberedDatagrams() {
    }

    /** Byte {@code k} of datagram {@code i}. */
    static byte at(int i, int k) {
        return (byte) (16 * i + k);
    }

    /** Datagram {@code i}: {@code len} bytes, each {@link #at}. */
    static byte[] datagram(int i, int len) {
        byte[] d = new byte[len];
        for (int k = 0; k < len; k++) {
            d[k] = at(i, k);
        }
        return d;
    }

    /** A batch of {@code n} messages, message {@code i} one direct buffer holding datagram {@code i}. */
    static MessageBatch sendBatch(int n, IntUnaryOperator lengthOf) {
        MessageBatch batch = new MessageBatch(n);
        for (int i = 0; i < n; i++) {
            int len = lengthOf.applyAsInt(i);
            batch.add(Message.of(ByteBuffer.allocateDirect(len).put(datagram(i, len)).flip()));
        }
        return batch;
    }

    /** A batch of {@code n} messages to receive into, each one direct buffer of {@code bytes}. */
    static MessageBatch receiveBatch(int n, int bytes) {
        MessageBatch batch = new MessageBatch(n);
        for (int i = 0; i < n; i++) {
            batch.add(new Message().add(ByteBuffer.allocateDirect(bytes)));
        }
        return batch;
    }

    /** Each message's encoding stamp: unchanged while the batch is not described again. */
    static int[] stamps(MessageBatch batch) {
        int[] s = new int[batch.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = batch.get(i).encoding();
        }
        return s;
    }

    /** Message {@code i}'s first buffer. */
    static ByteBuffer buffer(MessageBatch batch, int i) {
        return batch.get(i).buffer(0);
    }

    /** The next datagram on {@code fd} (waited for, bounded) is datagram {@code i} of {@code len} bytes. */
    static void expectDatagram(int fd, int i, int len) throws Exception {
        byte[] got = SocketIo.receive(fd, 256, 5_000);
        assertNotNull(got, "datagram " + i + " did not arrive");
        assertArrayEquals(datagram(i, len), got, "datagram " + i);
    }

    /** Nothing more arrives on {@code fd}: the calls sent no more than {@code limit} says. */
    static void expectNothing(int fd, String limit) throws Exception {
        assertNull(SocketIo.receive(fd, 256, 50), "a datagram more than " + limit + " arrived");
    }
}

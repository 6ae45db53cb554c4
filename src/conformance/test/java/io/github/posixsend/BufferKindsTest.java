// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.Arenas;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * send with every kind of buffer: heap, direct, read-only heap and direct, slices (whose data does not start at
 * the array's index 0), at sizes that take each copying path (the C stack, malloc, the scratch buffer and its
 * one-off large form). The receiver checks every byte, so an offset mistake cannot pass.
 */
class BufferKindsTest {
    enum Kind {
        HEAP(b -> ByteBuffer.wrap(b.clone())),
        DIRECT(b -> ByteBuffer.allocateDirect(b.length).put(b).flip()),
        READ_ONLY_HEAP(b -> ByteBuffer.wrap(b.clone()).asReadOnlyBuffer()),
        READ_ONLY_DIRECT(b -> ByteBuffer.allocateDirect(b.length).put(b).flip().asReadOnlyBuffer()),
        HEAP_SLICE(b -> {
            byte[] big = new byte[b.length + 37];
            System.arraycopy(b, 0, big, 37, b.length);
            return ByteBuffer.wrap(big).position(37).slice();
        }),
        DIRECT_SLICE(b -> {
            ByteBuffer d = ByteBuffer.allocateDirect(b.length + 11);
            d.position(11);
            d.put(b);
            return d.position(11).slice();
        });

        final Function<byte[], ByteBuffer> make;

        Kind(Function<byte[], ByteBuffer> make) {
            this.make = make;
        }
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void datagramsOfEverySizeClass(Kind kind) throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1 << 18);
            // 0 and 1; around the C stack copy's 8192; past the scratch buffer's first 4096; the UDP maximum
            for (int n : new int[] {0, 1, 4096, 4097, 8192, 8193, 30_000, 65_507}) {
                byte[] data = pattern(n, n);
                ByteBuffer buf = kind.make.apply(data);
                // start one byte in, where there is one, so the position is honoured too
                int from = n > 0 ? 1 : 0;
                buf.position(from);
                assertEquals(n - from, Posix.send(p.a, buf, 0), kind + " " + n);
                assertEquals(n, buf.position(), kind + " " + n);
                byte[] got = SocketIo.receive(p.b, 1 << 17, 5000);
                assertNotNull(got, kind + " " + n + ": nothing arrived");
                assertArrayEquals(Arrays.copyOfRange(data, from, n), got, kind + " " + n);
            }
        }
    }

    /**
     * A stream of several megabytes (past the scratch buffer's largest cached size) through a non-blocking socket:
     * send and receive alternate, each send taking what it can; every partial count must move the position exactly.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void largeStreamWithPartialSends(Kind kind) throws Exception {
        int n = 3 << 20;
        byte[] data = pattern(n, 5);
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setBlocking(p.a, false);
            ByteBuffer buf = kind.make.apply(data);
            ByteArrayOutputStream got = new ByteArrayOutputStream(n);
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            for (int i = 0; i < 200_000 && got.size() < n; i++) {
                if (buf.hasRemaining()) {
                    int before = buf.position();
                    int r = Posix.trySend(p.a, buf, 0);
                    if (r >= 0) {
                        assertEquals(before + r, buf.position());
                    } else {
                        assertEquals(-Errno.EAGAIN.number(), r);
                        assertEquals(before, buf.position());
                    }
                }
                in.clear();
                try {
                    int r = Posix.recv(p.b, in, dontwait);
                    got.write(in.array(), 0, r);
                } catch (WouldBlockException e) {
                    // nothing yet
                }
            }
            assertEquals(n, got.size(), kind + ": not everything arrived");
            assertArrayEquals(data, got.toByteArray(), kind.name());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8192, 8193, 65_507})
    void arrayRangesSendExactlyThatRange(int len) throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1 << 18);
            byte[] data = pattern(len + 20, 3);
            assertEquals(len, Posix.send(p.a, data, 13, len, 0));
            byte[] got = SocketIo.receive(p.b, 1 << 17, 5000);
            assertNotNull(got);
            assertArrayEquals(Arrays.copyOfRange(data, 13, 13 + len), got);
        }
    }

    @Test
    void receiveIntoHeapAndDirectFromPosition() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            for (ByteBuffer in : new ByteBuffer[] {ByteBuffer.allocate(20), ByteBuffer.allocateDirect(20),
                    ByteBuffer.wrap(new byte[40]).position(10).slice()}) {
                Posix.send(p.a, new byte[] {1, 2, 3, 4}, 0, 4, 0);
                in.position(5);
                int dontwait = MsgFlag.MSG_DONTWAIT.value();
                int r = -1;
                for (int i = 0; i < 5_000 && r < 0; i++) {
                    try {
                        r = Posix.recv(p.b, in, dontwait);
                    } catch (WouldBlockException e) {
                        Thread.sleep(1);
                    }
                }
                assertEquals(4, r);
                assertEquals(9, in.position());
                for (int i = 0; i < 4; i++) {
                    assertEquals(i + 1, in.get(5 + i));
                }
                // a datagram larger than the room: MSG_TRUNC reports its real length, the position moves by what fit
                Posix.send(p.a, new byte[30], 0, 30, 0);
                in.clear().position(15);
                r = -1;
                for (int i = 0; i < 5_000 && r < 0; i++) {
                    try {
                        r = Posix.recv(p.b, in, dontwait | MsgFlag.MSG_TRUNC.value());
                    } catch (WouldBlockException e) {
                        Thread.sleep(1);
                    }
                }
                assertEquals(30, r);
                assertEquals(in.limit(), in.position());
                assertTrue(!in.hasRemaining());
            }
        }
    }
    /**
     * With {@code MSG_TRUNC} a TCP socket counts bytes without storing them: a message's or a batch's heap buffer,
     * which the kernel sees as a staged copy, keeps its own bytes, not what the staging area held from an earlier
     * call (here the message's own send, staged elsewhere in the area: the receive's copy starts after the room for
     * the sender's address, so without the copy in it came back as zeros).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void msgTruncOnAStreamLeavesAMessagesHeapBufferAsItWas(boolean inBatch) throws Exception {
        byte[] array = new byte[32];
        ByteBuffer heap = ByteBuffer.wrap(array);
        try (Descriptors fds = new Descriptors(); Message m = new Message(0).add(heap);
                MessageBatch batch = new MessageBatch(1).add(m)) {
            Descriptors.Pair p = fds.tcpPair();
            Arrays.fill(array, (byte) 7);
            assertEquals(32, inBatch ? sendAll(p.a, batch) : Posix.sendmsg(p.a, m, 0));
            assertEquals(32, SocketIo.receive(p.b, 32, 5000).length, "the first bytes read past the message");
            Arrays.fill(array, (byte) 3);
            heap.clear();
            Posix.send(p.a, new byte[16], 0, 16, 0);
            int trunc = MsgFlag.MSG_TRUNC.value();
            long n = inBatch ? (Posix.recvmmsg(p.b, batch, trunc) == 1 ? batch.bytesReceived(0) : -1)
                    : Posix.recvmsg(p.b, m, trunc);
            assertTrue(n > 0 && n <= 16, "discarded " + n);
            byte[] threes = new byte[32];
            Arrays.fill(threes, (byte) 3);
            assertArrayEquals(threes, array, "MSG_TRUNC on TCP stores nothing");
            assertEquals(n, heap.position(), "the position moves by the bytes counted, as for recv");
        }
    }

    private static long sendAll(int fd, MessageBatch batch) throws ErrnoException {
        assertEquals(1, Posix.sendmmsg(fd, batch, 0));
        return batch.bytesSent(0);
    }

    /**
     * A direct buffer at address 0 ({@code MemorySegment.NULL}'s) is no memory: every call refuses it with
     * {@code EINVAL}, as the Posix class says, where an empty {@code allocateDirect(0)} sends an empty datagram.
     */
    @Test
    void aDirectBufferAtAddressZeroIsRefusedAndAnEmptyOneSends() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            int einval = -Errno.EINVAL.number();
            if (Arenas.available()) {
                ByteBuffer nul = Arenas.nullBuffer();
                assertTrue(nul.isDirect() && nul.capacity() == 0);
                assertEquals(einval, Posix.trySend(p.a, nul, 0));
                assertEquals(einval, Posix.tryWrite(p.a, nul));
                assertEquals(einval, Posix.tryRecv(p.b, nul, MsgFlag.MSG_DONTWAIT.value()));
                try (Message m = Message.of(nul)) {
                    assertEquals(einval, Posix.trySendmsg(p.a, m, 0));
                }
                InvalidArgumentException e =
                        assertThrows(InvalidArgumentException.class, () -> Posix.send(p.a, nul, 0));
                assertTrue(e.getMessage().startsWith("send: EINVAL"), e.getMessage());
            }
            assertEquals(0, Posix.trySend(p.a, ByteBuffer.allocateDirect(0), 0));
            assertArrayEquals(new byte[0], SocketIo.receive(p.b, 16, 2000), "one empty datagram, and only it");
            assertNull(SocketIo.receive(p.b, 16, 50));
        }
    }
}

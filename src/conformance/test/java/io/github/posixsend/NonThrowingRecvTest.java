// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code tryRecv} and {@code tryRecvfrom}: the count or {@code -errno}, and no allocation in a receive loop. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NonThrowingRecvTest {
    private static final int EAGAIN = -Errno.EAGAIN.number();

    @Test
    void countOrMinusErrno() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setBlocking(p.b, false);
            ByteBuffer direct = ByteBuffer.allocateDirect(8);
            assertEquals(EAGAIN, Posix.tryRecv(p.b, direct, 0), "nothing to read");
            assertEquals(0, direct.position(), "a failure leaves the position");
            assertEquals(EAGAIN, Posix.tryRecv(p.b, new byte[4], 0, 4, 0));

            Posix.send(p.a, new byte[] {1, 2, 3}, 0, 3, 0);
            assertEquals(3, Posix.tryRecv(p.b, direct, 0));
            assertEquals(3, direct.position());
            Posix.send(p.a, new byte[] {4, 5}, 0, 2, 0);
            ByteBuffer heap = ByteBuffer.allocate(8).position(1);
            assertEquals(2, Posix.tryRecv(p.b, heap, 0));
            assertEquals(3, heap.position());
            assertEquals(5, heap.get(2));
            Posix.send(p.a, new byte[] {6, 7, 8}, 0, 3, 0);
            byte[] array = new byte[5];
            assertEquals(3, Posix.tryRecv(p.b, array, 1, 4, 0));
            assertArrayEquals(new byte[] {0, 6, 7, 8, 0}, array);

            assertEquals(-Errno.EBADF.number(), Posix.tryRecv(-1, direct.clear(), 0));
            assertEquals(-Errno.EBADF.number(), Posix.tryRecvfrom(-1, new byte[1], 0, 1, 0, new SockAddrBuffer()));
        }
    }

    @Test
    void recvfromWritesTheSenderIntoTheBuffer() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            int tx = fds.boundUdp(false);
            InetSocketAddress sender = Descriptors.addressOf(tx);
            SockAddr to = SockAddr.of(Descriptors.addressOf(rx));
            Posix.setBlocking(rx, false);
            SockAddrBuffer from = new SockAddrBuffer();
            assertFalse(from.hasAddress());
            assertEquals(-1, from.family());
            assertNull(from.toSocketAddress());

            assertEquals(EAGAIN, Posix.tryRecvfrom(rx, ByteBuffer.allocate(4), 0, from));
            assertFalse(from.hasAddress(), "a failure writes no address");

            Posix.sendto(tx, new byte[] {9, 8}, 0, 2, 0, to);
            ByteBuffer buf = ByteBuffer.allocateDirect(4);
            assertEquals(2, Posix.tryRecvfrom(rx, buf, 0, from));
            assertEquals(2, buf.position());
            assertTrue(from.hasAddress());
            assertEquals(Posix.AF_INET, from.family());
            assertEquals(sender.getPort(), from.port());
            assertEquals(sender, from.toSocketAddress());
            assertEquals(SockAddr.of(sender), from.toSockAddr());

            int other = fds.boundUdp(false);
            Posix.sendto(other, new byte[] {1}, 0, 1, 0, to);
            byte[] array = new byte[4];
            assertEquals(1, Posix.tryRecvfrom(rx, array, 0, 4, 0, from));
            assertEquals(Descriptors.addressOf(other).getPort(), from.port(), "the second sender replaces the first");
            SockAddrBuffer last = new SockAddrBuffer().copyFrom(from);
            assertTrue(last.sameAddress(from), "a copy is the same address");
            assertEquals(from.toSocketAddress(), last.toSocketAddress());
            Posix.sendto(tx, new byte[] {1, 2, 3}, 0, 3, 0, to);
            assertEquals(3, Posix.recvfrom(rx, ByteBuffer.allocate(4), 0, from), "the throwing form");
            assertEquals(sender, from.toSocketAddress());
            assertTrue(from.sameAddress(SockAddr.of(sender)), "the received sender is the known one, byte for byte");
            assertFalse(from.sameAddress(SockAddr.of(Descriptors.addressOf(other))));
            assertTrue(new SockAddrBuffer().copyFrom(SockAddr.of(sender)).sameAddress(from), "a SockAddr copied in");
            assertFalse(last.sameAddress(from), "another sender");
            assertFalse(from.sameAddress(last));
            assertEquals(Descriptors.addressOf(other), last.toSocketAddress(), "the copy kept the earlier sender");
            assertTrue(from.sameAddress(from));
            from.clear();
            assertEquals(0, from.length());
            assertFalse(from.sameAddress(last), "no address is not an address");
            assertTrue(from.sameAddress(new SockAddrBuffer()), "two buffers without an address");
            assertEquals(0, last.copyFrom(from).length(), "copying no address");
            assertThrows(NullPointerException.class, () -> from.sameAddress((SockAddrBuffer) null));
            assertThrows(NullPointerException.class, () -> from.copyFrom((SockAddrBuffer) null));
            assertThrows(NullPointerException.class, () -> from.sameAddress((SockAddr) null));
            assertThrows(NullPointerException.class, () -> from.copyFrom((SockAddr) null));
        }
    }

    /** Tracking the last sender (compare, copy) allocates nothing, as C's memcmp and memcpy of the storage. */
    @Test
    void comparingAndCopyingAddressesAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            Posix.setBlocking(rx, false);
            SockAddr to = SockAddr.of(Descriptors.addressOf(rx));
            int[] senders = {fds.boundUdp(false), fds.boundUdp(false)};
            SockAddrBuffer from = new SockAddrBuffer();
            SockAddrBuffer last = new SockAddrBuffer();
            ByteBuffer buf = ByteBuffer.allocateDirect(8);
            ByteBuffer one = ByteBuffer.allocateDirect(1);
            long[] calls = {0};
            SteadyAllocation.Round round = () -> {
                calls[0] = 0;
                long changes = 0;
                for (int i = 0; i < 200; i++) {
                    calls[0] += 2;
                    Posix.trySendto(senders[(i / 2) % 2], one.clear(), 0, to);
                    long n;
                    for (int tries = 0; (n = Posix.tryRecvfrom(rx, buf.clear(), 0, from)) == EAGAIN
                            && tries < 100_000; tries++) {
                        calls[0]++; // loopback delivery trailing the send
                    }
                    if (n != 1) {
                        return -1;
                    }
                    if (!from.sameAddress(last)) {
                        changes++;
                        last.copyFrom(from);
                    }
                }
                return changes == 100 ? 0 : changes; // the sender changes every second datagram
            };
            for (int warm = 0; warm < 10; warm++) {
                assertEquals(0, round.run(), "warm-up rounds all go right");
            }
            MessageAllocationTest.assertWithinBudget(SteadyAllocation.leastBeyond(
                    "200 datagrams", () -> AllocationBudget.forDowncalls(calls[0]), round),
                    "200 datagrams received, each sender compared with the last and copied when it changed");
        }
    }

    @Test
    void aConnectedStreamNamesNoSender() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.send(p.a, new byte[] {1}, 0, 1, 0);
            SockAddrBuffer from = new SockAddrBuffer();
            assertEquals(1, Posix.tryRecvfrom(p.b, ByteBuffer.allocate(4), 0, from));
            assertFalse(from.hasAddress());
            assertNull(from.toSocketAddress());
        }
    }

    @Test
    void argumentsAreCheckedInJava() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.boundUdp(false);
            assertThrows(ReadOnlyBufferException.class,
                    () -> Posix.tryRecv(fd, ByteBuffer.allocate(4).asReadOnlyBuffer(), 0));
            assertThrows(NullPointerException.class, () -> Posix.tryRecvfrom(fd, ByteBuffer.allocate(4), 0, null));
            assertThrows(NullPointerException.class, () -> Posix.tryRecv(fd, (ByteBuffer) null, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> Posix.tryRecv(fd, new byte[4], 2, 3, 0));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> Posix.tryRecvfrom(fd, new byte[4], -1, 1, 0, new SockAddrBuffer()));
        }
    }

    @Test
    void anEmptyNonBlockingSocketCostsNoAllocation() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.boundUdp(false);
            Posix.setBlocking(fd, false);
            ByteBuffer direct = ByteBuffer.allocateDirect(1024);
            ByteBuffer heap = ByteBuffer.allocate(1024);
            byte[] array = new byte[1024];
            // above the size from which the JNI and FFM backends receive in place with MSG_DONTWAIT
            byte[] large = new byte[16 * 1024];
            byte[] otherLarge = new byte[16 * 1024];
            int[] turn = {0};
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            SockAddrBuffer from = new SockAddrBuffer();
            IntSupplier[] calls = {
                () -> Posix.tryRecv(fd, direct.clear(), 0),
                () -> Posix.tryRecv(fd, heap.clear(), 0),
                () -> Posix.tryRecv(fd, array, 0, array.length, 0),
                () -> Posix.tryRecvfrom(fd, direct.clear(), 0, from),
                () -> Posix.tryRecvfrom(fd, heap.clear(), 0, from),
                () -> Posix.tryRecvfrom(fd, array, 0, array.length, 0, from),
                () -> Posix.tryRecv(fd, large, 0, large.length, dontwait),
                () -> Posix.tryRecv(fd, (turn[0] ^= 1) == 0 ? large : otherLarge, 1, large.length - 1, dontwait),
            };
            for (IntSupplier c : calls) {
                assertEquals(0, SteadyAllocation.calls(20_000, c, EAGAIN).run(), "warm-up receives all would block");
            }
            for (int i = 0; i < calls.length; i++) {
                long bytes = SteadyAllocation.leastBeyond("call " + i, () -> AllocationBudget.forDowncalls(10_000),
                        SteadyAllocation.calls(10_000, calls[i], EAGAIN));
                assertEquals(0, bytes,
                        "call " + i + ": bytes allocated by 10,000 would-block receives beyond the budget");
            }
        }
    }

    @Test
    void aReceiveLoopWithTheSendersAddressCostsNoAllocation() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            // a lost datagram would make the receive fail with would-block after 5 s instead of hanging
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, java.time.Duration.ofSeconds(5));
            ByteBuffer out = ByteBuffer.allocateDirect(32);
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            SockAddrBuffer from = new SockAddrBuffer();
            int port = Descriptors.addressOf(p.a).getPort();
            // one datagram out, the same one back in, its sender read without objects
            IntSupplier roundTrip = () -> {
                Posix.trySend(p.a, out.clear(), 0);
                int n = Posix.tryRecvfrom(p.b, in.clear(), 0, from);
                return n == 32 && from.port() == port ? 1 : 0;
            };
            assertEquals(0, SteadyAllocation.calls(20_000, roundTrip, 1).run(), "warm-up round trips all arrive whole");
            long bytes = SteadyAllocation.leastBeyond("round trips", () -> AllocationBudget.forDowncalls(20_000),
                    SteadyAllocation.calls(10_000, roundTrip, 1));
            assertEquals(0, bytes, "bytes allocated by 10,000 send and tryRecvfrom round trips beyond the budget");
        }
    }
}

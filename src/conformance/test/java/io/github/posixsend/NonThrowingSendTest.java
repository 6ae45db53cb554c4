// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.Arenas;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The non-throwing forms: the count or {@code -errno}, never an exception for a kernel error, and no allocation
 * on the would-block path of a hot loop.
 */
class NonThrowingSendTest {

    @Test
    void countOrMinusErrno() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer buf = ByteBuffer.allocateDirect(3);
            assertEquals(3, Posix.trySend(p.a, buf, 0));
            assertEquals(3, buf.position(), "the position advances by the count");
            assertEquals(2, Posix.trySend(p.a, new byte[] {1, 2, 3}, 1, 2, 0));
            SockAddr to = SockAddr.of(Descriptors.addressOf(p.b));
            int lone = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            assertEquals(4, Posix.trySendto(lone, ByteBuffer.allocate(4), 0, to));
            assertEquals(1, Posix.trySendto(lone, new byte[1], 0, 1, 0, to));
            // failures come back as -errno, and leave the buffer where it was
            ByteBuffer big = ByteBuffer.allocate(70_000);
            assertEquals(-Errno.EMSGSIZE.number(), Posix.trySend(p.a, big, 0));
            assertEquals(0, big.position());
            assertEquals(-Errno.EDESTADDRREQ.number(), Posix.trySend(lone, new byte[1], 0, 1, 0));
            assertEquals(-Errno.EBADF.number(), Posix.trySendto(-1, new byte[1], 0, 1, 0, to));
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void wouldBlockPathAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 16 * 1024);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 16 * 1024);
            Posix.setBlocking(p.a, false);
            SocketIo.fillUntilWouldBlock(p.a, 64 * 1024, 0, 10_000);

            ByteBuffer direct = ByteBuffer.allocateDirect(1024);
            ByteBuffer heap = ByteBuffer.allocate(1024);
            byte[] array = new byte[1024];
            // above the size from which the JNI and FFM backends pass an array in place
            byte[] large = new byte[16 * 1024];
            byte[] otherLarge = new byte[16 * 1024];
            int[] turn = {0};
            // a pool of buffers used in turn, as the buffers of zero-copy sends in flight are: each one's address is
            // remembered, not asked for (and recorded) again at every call
            ByteBuffer[] pool = new ByteBuffer[16];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = ByteBuffer.allocateDirect(1024);
            }
            int[] next = {0};
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            // a connected TCP socket ignores sendto's address, so this is sendto's would-block path
            InetSocketAddress plain = Descriptors.addressOf(p.b);
            SockAddr to = SockAddr.of(plain);
            int fd = p.a;
            IntSupplier[] calls = {
                () -> Posix.trySend(fd, direct.clear(), 0),
                () -> Posix.trySend(fd, heap.clear(), 0),
                () -> Posix.trySend(fd, array, 0, array.length, 0),
                () -> Posix.trySendto(fd, direct.clear(), 0, to),
                () -> Posix.trySendto(fd, heap.clear(), 0, to),
                () -> Posix.trySendto(fd, array, 0, array.length, 0, to),
                // calls that cannot block: small arrays are copied, large ones JNI and FFM pass in place
                () -> Posix.trySend(fd, array, 0, array.length, dontwait),
                () -> Posix.trySendto(fd, array, 0, array.length, dontwait, to),
                () -> Posix.trySend(fd, large, 0, large.length, dontwait),
                () -> Posix.trySend(fd, (turn[0] ^= 1) == 0 ? large : otherLarge, 1, large.length - 1, dontwait),
                // the same InetSocketAddress object again and again: converted once, then remembered
                () -> Posix.trySendto(fd, direct.clear(), 0, plain),
                () -> Posix.trySend(fd, pool[next[0]++ & (pool.length - 1)].clear(), 0),
            };
            if (Arenas.available()) {
                ByteBuffer shared = Arenas.buffer(Arenas.arena("ofShared"), 1024); // never closed
                // JDK 22+: a shared arena's buffer goes through posix-send's own memory; alternating with another
                // buffer, each one's kind is remembered, not asked of the foreign API again
                calls = java.util.Arrays.copyOf(calls, calls.length + 3);
                calls[calls.length - 3] = () -> Posix.trySend(fd, shared.clear(), 0);
                calls[calls.length - 2] = () -> Posix.trySendto(fd, shared.clear(), 0, to);
                calls[calls.length - 1] = () -> Posix.trySend(fd, ((turn[0] ^= 1) == 0 ? shared : direct).clear(), 0);
            }
            int eagain = -Errno.EAGAIN.number();
            for (IntSupplier c : calls) {
                // warm-up: class loading and the interpreter's first runs
                assertEquals(0, SteadyAllocation.calls(20_000, c, eagain).run(),
                        "some calls did not report would-block");
            }
            for (int i = 0; i < calls.length; i++) {
                long bytes = SteadyAllocation.leastBeyond("call " + i, () -> AllocationBudget.forDowncalls(10_000),
                        SteadyAllocation.calls(10_000, calls[i], eagain));
                assertTrue(bytes == 0, "call " + i + " allocated " + bytes
                        + " bytes beyond the budget over 10,000 would-block calls");
            }
        }
    }
}

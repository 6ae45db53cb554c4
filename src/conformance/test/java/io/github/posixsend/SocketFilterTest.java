// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Classic BPF programs (Linux): {@code SO_ATTACH_FILTER} decides which datagrams a socket takes and how much of
 * each, {@code SO_ATTACH_REUSEPORT_CBPF} which socket of a reuseport group takes each; the program given as C's
 * {@code struct sock_filter} rows, the {@code struct sock_fprog} built by posix-send. Over a Unix datagram pair (a
 * filtered datagram is dropped without an error to the sender) and loopback UDP.
 */
class SocketFilterTest {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();
    private static final int EAGAIN = -Errno.EAGAIN.number();
    /** BPF_LD|BPF_B|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K. */
    private static final int LDB_ABS = 0x30;
    private static final int JEQ_K = 0x15;
    private static final int RET_K = 0x06;
    /** Takes a datagram whose first byte is 0x42, whole; drops the rest. */
    private static final int[][] FIRST_BYTE_0X42 = {{LDB_ABS, 0, 0, 0}, {JEQ_K, 0, 1, 0x42}, {RET_K, 0, 0, 0xffffffff},
        {RET_K, 0, 0, 0}};

    /** The next datagram waiting on {@code fd}, or null when none is. */
    private static byte[] next(int fd) {
        byte[] b = new byte[64];
        long n = Posix.tryRecv(fd, b, 0, b.length, DONTWAIT);
        assertEquals(true, n >= 0 || n == EAGAIN, "recv: " + n);
        return n < 0 ? null : Arrays.copyOf(b, (int) n);
    }

    private static void send(int fd, int... bytes) throws ErrnoException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        assertEquals(b.length, Posix.send(fd, b, 0, b.length, 0), "a filtered datagram is sent all the same");
    }

    @Test
    void aFilterChoosesAndCutsDatagrams() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "socket filters are Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Posix.setsockoptFilter(p.b, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, FIRST_BYTE_0X42);
            send(p.a, 0x41, 1, 2);
            send(p.a, 0x42, 3, 4);
            assertArrayEquals(new byte[] {0x42, 3, 4}, next(p.b));
            assertEquals(null, next(p.b), "0x41 was dropped");

            // a program that takes two bytes of each: attaching again replaces the first
            Posix.setsockoptFilter(p.b, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, new int[][] {{RET_K, 0, 0, 2}});
            send(p.a, 0x41, 5, 6, 7, 8);
            assertArrayEquals(new byte[] {0x41, 5}, next(p.b));

        }
    }

    /** The kernel's checks: an empty program, an unknown code, a jump past the end; a refused one replaces nothing. */
    @Test
    void theKernelRefusesWhatIsNoProgram() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "socket filters are Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Posix.setsockoptFilter(p.b, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, new int[][] {{RET_K, 0, 0, 2}});
            for (int[][] bad : new int[][][] {{}, {{0xffff, 0, 0, 0}}, {{JEQ_K, 5, 0, 1}, {RET_K, 0, 0, 0}}}) {
                ErrnoException e = assertThrows(ErrnoException.class,
                        () -> Posix.setsockoptFilter(p.b, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, bad));
                assertEquals(Errno.EINVAL, e.errno(), Arrays.deepToString(bad));
            }
            send(p.a, 0x41, 5, 6, 7, 8);
            assertArrayEquals(new byte[] {0x41, 5}, next(p.b), "a refused program replaced nothing");
        }
    }

    /** A detached filter lets everything through again; a locked one stays. */
    @Test
    void aDetachedFilterLetsAllThroughAndALockedOneStays() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "socket filters are Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Posix.setsockoptFilter(p.b, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, new int[][] {{RET_K, 0, 0, 2}});
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_DETACH_FILTER, 0);
            send(p.a, 0x41, 9, 10);
            assertArrayEquals(new byte[] {0x41, 9, 10}, next(p.b));
            assertEquals(-Errno.ENOENT.number(), Posix.trySetsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_DETACH_FILTER, 0),
                    "no filter left to detach");

            // locked, the filter stays
            Posix.setsockoptFilter(p.b, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, FIRST_BYTE_0X42);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_LOCK_FILTER, 1);
            ErrnoException locked = assertThrows(ErrnoException.class, () -> Posix.setsockoptFilter(p.b,
                    Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, new int[][] {{RET_K, 0, 0, 0xffffffff}}));
            assertEquals(Errno.EPERM, locked.errno());
            assertEquals(-Errno.EPERM.number(), Posix.trySetsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_DETACH_FILTER, 0));
            send(p.a, 0x41);
            send(p.a, 0x42);
            assertArrayEquals(new byte[] {0x42}, next(p.b));
            assertEquals(null, next(p.b));
        }
    }

    @Test
    void whatIsNoProgramIsRefusedBeforeTheKernel() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "socket filters are Linux's");
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            int[][] ok = {{RET_K, 0, 0, 0}};
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.setsockoptFilter(fd, Posix.SOL_SOCKET, Posix.SO_RCVBUF, ok), "not a program's option");
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.setsockoptFilter(fd, Posix.IPPROTO_IP, Posix.SO_ATTACH_FILTER, ok), "another level");
            for (int[] insn : new int[][] {{RET_K, 0, 0}, {RET_K, 0, 0, 0, 0}, {0x10000, 0, 0, 0}, {-1, 0, 0, 0},
                {JEQ_K, 256, 0, 0}, {JEQ_K, 0, -1, 0}}) {
                assertThrows(IllegalArgumentException.class, () -> Posix.setsockoptFilter(fd, Posix.SOL_SOCKET,
                        Posix.SO_ATTACH_FILTER, new int[][] {insn}), Arrays.toString(insn));
            }
            assertThrows(IllegalArgumentException.class, () -> Posix.setsockoptFilter(fd, Posix.SOL_SOCKET,
                    Posix.SO_ATTACH_FILTER, new int[65536][]), "more than sock_fprog counts");
            assertThrows(NullPointerException.class, () -> Posix.setsockoptFilter(fd, Posix.SOL_SOCKET,
                    Posix.SO_ATTACH_FILTER, new int[][] {null}));
            assertThrows(IllegalArgumentException.class, () -> Posix.setsockopt(fd, Posix.SOL_SOCKET,
                    Posix.SO_ATTACH_FILTER, new byte[16]), "never as bytes: the value holds an address");
            // the backend refuses what Java would, should a call reach it: a count past the array, a code too wide
            io.github.posixsend.internal.Backend b = io.github.posixsend.internal.Backends.current();
            assertEquals(-Errno.EINVAL.number(), b.setsockoptFilter(fd, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER,
                    new int[] {RET_K, 0, 0, 0}, 2));
            assertEquals(-Errno.EINVAL.number(), b.setsockoptFilter(fd, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER,
                    new int[] {0x10000, 0, 0, 0}, 1));
            assertEquals(-Errno.EINVAL.number(), b.setsockoptFilter(fd, Posix.SOL_SOCKET, Posix.SO_RCVBUF,
                    new int[] {RET_K, 0, 0, 0}, 1));
            assertEquals(-Errno.EINVAL.number(), b.setsockoptFilter(fd, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER,
                    null, 0));
        }
    }

    /** A reuseport group's program picks the socket by its place in the group, in the order they were bound. */
    @Test
    void aReuseportProgramPicksTheSocket() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "reuseport programs are Linux's");
        try (Descriptors fds = new Descriptors()) {
            int first = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            int second = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.setsockopt(first, Posix.SOL_SOCKET, Posix.SO_REUSEPORT, 1);
            Posix.setsockopt(second, Posix.SOL_SOCKET, Posix.SO_REUSEPORT, 1);
            Posix.bind(first, Descriptors.loopback(false));
            InetSocketAddress at = Descriptors.addressOf(first);
            Posix.bind(second, at);
            int client = fds.boundUdp(false);
            SockAddr to = SockAddr.of(at);
            int[] sockets = {first, second};
            for (int pick : new int[] {1, 0, 1}) {
                Posix.setsockoptFilter(first, Posix.SOL_SOCKET, Posix.SO_ATTACH_REUSEPORT_CBPF,
                        new int[][] {{RET_K, 0, 0, pick}});
                for (int i = 0; i < 8; i++) {
                    assertEquals(1, Posix.sendto(client, new byte[] {(byte) i}, 0, 1, 0, to));
                }
                int[] got = new int[2];
                for (int s = 0; s < 2; s++) {
                    PollSet set = new PollSet(1);
                    set.add(sockets[s], Posix.POLLIN);
                    if (s == pick) {
                        assertEquals(1, set.poll(5000), "socket " + s + " takes them");
                    }
                    while (next(sockets[s]) != null && got[s] < 100) {
                        got[s]++;
                        if (got[s] < 8 && s == pick) {
                            set.poll(1000); // loopback delivers at once; bounded all the same
                        }
                    }
                }
                assertEquals(8, got[pick], "all eight to socket " + pick + ": " + Arrays.toString(got));
                assertEquals(0, got[1 - pick], Arrays.toString(got));
            }
            Posix.setsockopt(first, Posix.SOL_SOCKET, Posix.SO_DETACH_REUSEPORT_BPF, 0);
            assertEquals(-Errno.ENOENT.number(),
                    Posix.trySetsockopt(first, Posix.SOL_SOCKET, Posix.SO_DETACH_REUSEPORT_BPF, 0), "none left");
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Os;
import io.github.posixsend.Posix;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.ErrorQueueRecord;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import io.github.posixsend.testing.SideBySide;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * poll, ioctlInt and the byte-shaped socket options give the same answers on the JNI shim and each Java-side backend
 * (JNR, FFM), including the {@code -EINVAL} each gives for an array, buffer or count it must not touch.
 */
@ParameterizedClass
@FieldSource("io.github.posixsend.testing.SideBySide#JAVA_SIDE")
class PortingCallsMatchTest {
    private final Backend jni = SideBySide.jni();
    /** The Java-side backend compared with the shim. */
    private final Backend other;

    PortingCallsMatchTest(String backend) {
        this.other = SideBySide.javaSide(backend);
    }

    private static final int EINVAL = -Errno.EINVAL.number();

    private void same(String what, int expected, java.util.function.ToIntFunction<Backend> call) {
        assertEquals(expected, call.applyAsInt(jni), what + " on jni");
        assertEquals(expected, call.applyAsInt(other), what + " on " + other.name());
    }

    @Test
    void pollRefusesBuffersItMustNotTouch() throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        direct.putInt(0, -1).putInt(8, -1); // two entries, both switched off
        same("two ignored entries", 0, b -> b.poll(direct, 2, 0));
        same("no entries", 0, b -> b.poll(direct, 0, 0));
        same("one entry too many", EINVAL, b -> b.poll(direct, 3, 0));
        same("a negative count", EINVAL, b -> b.poll(direct, -1, 0));
        same("a count whose size overflows", EINVAL, b -> b.poll(direct, Integer.MAX_VALUE, 0));
        same("a heap buffer", EINVAL, b -> b.poll(ByteBuffer.allocate(16), 1, 0));
        same("no buffer", EINVAL, b -> b.poll(null, 1, 0));
        ByteBuffer odd = ByteBuffer.allocateDirect(32).position(1).slice();
        same("a misaligned buffer", EINVAL, b -> b.poll(odd, 1, 0));
    }

    @Test
    void ioctlAndOptionsAgree() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.send(p.a, new byte[37], 0, 37, 0);
            int[] out = new int[1];
            same("FIONREAD", 0, b -> b.ioctlInt(p.b, Posix.FIONREAD, out));
            assertEquals(37, out[0]);
            same("EBADF", -Errno.EBADF.number(), b -> b.ioctlInt(-1, Posix.FIONREAD, out));
            same("no out", EINVAL, b -> b.ioctlInt(p.b, Posix.FIONREAD, new int[0]));

            byte[] a = new byte[8];
            byte[] c = new byte[8];
            assertEquals(4, jni.getsockoptBytes(p.a, Posix.SOL_SOCKET, Posix.SO_TYPE, a, 8));
            assertEquals(4, other.getsockoptBytes(p.a, Posix.SOL_SOCKET, Posix.SO_TYPE, c, 8));
            assertArrayEquals(a, c);
            same("length beyond the array", EINVAL,
                    b -> b.getsockoptBytes(p.a, Posix.SOL_SOCKET, Posix.SO_TYPE, new byte[4], 5));
            same("negative length", EINVAL,
                    b -> b.getsockoptBytes(p.a, Posix.SOL_SOCKET, Posix.SO_TYPE, new byte[4], -1));
            same("no array", EINVAL, b -> b.getsockoptBytes(p.a, Posix.SOL_SOCKET, Posix.SO_TYPE, null, 4));
            same("set beyond the array", EINVAL,
                    b -> b.setsockoptBytes(p.a, Posix.SOL_SOCKET, Posix.SO_RCVBUF, new byte[2], 4));
            same("set with no array", EINVAL, b -> b.setsockoptBytes(p.a, Posix.SOL_SOCKET, Posix.SO_RCVBUF, null, 4));
            same("a short int option", EINVAL,
                    b -> b.setsockoptBytes(p.a, Posix.SOL_SOCKET, Posix.SO_RCVBUF, new byte[2], 2));
            byte[] small = Arrays.copyOf(new byte[] {1}, 4);
            same("truncated to the room offered", 1,
                    b -> b.getsockoptBytes(p.a, Posix.SOL_SOCKET, Posix.SO_TYPE, small, 1));
        }
    }

    /** clock_gettime: one clock read through each in turn runs forward; a clock the kernel lacks is EINVAL on both. */
    @Test
    void clocksAgree() {
        for (int clock : new int[] {Posix.CLOCK_REALTIME, Posix.CLOCK_MONOTONIC, Posix.CLOCK_THREAD_CPUTIME_ID}) {
            long first = jni.clockGettime(clock);
            long second = other.clockGettime(clock);
            long third = jni.clockGettime(clock);
            assertTrue(0 < first && first <= second && second <= third,
                    "clock " + clock + ": " + first + " <= " + second + " <= " + third);
        }
        assertEquals(EINVAL, jni.clockGettime(1_000));
        assertEquals(EINVAL, other.clockGettime(1_000));
        // NetBSD's struct timespec is laid out as this machine's: the same backend on NetBSD's tables reads it alike
        LibcBackend netbsd = new LibcBackend(((LibcBackend) other).library(), Os.NETBSD);
        long first = jni.clockGettime(Posix.CLOCK_MONOTONIC);
        long second = netbsd.clockGettime(Posix.CLOCK_MONOTONIC);
        assertTrue(0 < first && first <= second && second <= jni.clockGettime(Posix.CLOCK_MONOTONIC),
                first + " <= " + second + " on NetBSD's tables");
    }

    /** The receive-time ioctls and classic BPF programs (Linux): the same answers, the same times, the same filters. */
    @Test
    void stampsAndFiltersAgree() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Os.current() == Os.LINUX, "both are Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            long[] t = new long[1];
            same("nothing received", -Errno.ENOENT.number(), b -> b.ioctlStamp(p.b, Posix.SIOCGSTAMPNS, t));
            Posix.send(p.a, new byte[3], 0, 3, 0);
            Posix.recv(p.b, new byte[8], 0, 8, 0);
            long[] u = new long[1];
            assertEquals(0, jni.ioctlStamp(p.b, Posix.SIOCGSTAMPNS, t));
            assertEquals(0, other.ioctlStamp(p.b, Posix.SIOCGSTAMPNS, u));
            assertEquals(t[0], u[0], "the same arrival");
            assertEquals(0, other.ioctlStamp(p.b, Posix.SIOCGSTAMP, u));
            assertEquals(t[0] / 1_000 * 1_000, u[0], "in whole microseconds");
            same("an int's request", EINVAL, b -> b.ioctlStamp(p.b, Posix.FIONREAD, t));
            same("EBADF", -Errno.EBADF.number(), b -> b.ioctlStamp(-1, Posix.SIOCGSTAMP, t));

            // a filter that takes one byte of each datagram, attached through either backend (a Unix datagram's
            // bytes start at its data, where UDP's filter would see its header first)
            Descriptors.Pair unix = fds.unixPair(Posix.SOCK_DGRAM);
            int[] oneByte = {0x06, 0, 0, 1};
            for (Backend b : new Backend[] {jni, other}) {
                assertEquals(0, b.setsockoptFilter(unix.b, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, oneByte, 1));
                Posix.send(unix.a, new byte[] {7, 8, 9}, 0, 3, 0);
                assertEquals(1, Posix.recv(unix.b, new byte[8], 0, 8, 0), b.getClass().getSimpleName());
                Posix.setsockopt(unix.b, Posix.SOL_SOCKET, Posix.SO_DETACH_FILTER, 0);
            }
            same("an empty program", EINVAL,
                    b -> b.setsockoptFilter(p.b, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, new int[0], 0));
            same("an unknown code", EINVAL,
                    b -> b.setsockoptFilter(p.b, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, new int[] {0xffff, 0, 0, 0},
                            1));
            same("a count past the array", EINVAL,
                    b -> b.setsockoptFilter(p.b, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, oneByte, 2));
            same("EBADF", -Errno.EBADF.number(),
                    b -> b.setsockoptFilter(-1, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, oneByte, 1));
        }
    }

    @Test
    void optionsWhoseValueHoldsAnAddressAreRefused() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            byte[] value = new byte[64];
            if (Os.current() == Os.LINUX) {
                // SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF, TCP_ZEROCOPY_RECEIVE, iptables' and ip6tables' first
                int[][] refused = {{Posix.SOL_SOCKET, 26}, {Posix.SOL_SOCKET, 51}, {Posix.IPPROTO_TCP, 35},
                    {Posix.IPPROTO_IP, 64}, {Posix.IPPROTO_IP, 128}, {Posix.IPPROTO_IPV6, 64}};
                for (int[] o : refused) {
                    String what = "level " + o[0] + " option " + o[1];
                    same("set " + what, EINVAL, b -> b.setsockoptBytes(p.a, o[0], o[1], value, 16));
                    same("get " + what, EINVAL, b -> b.getsockoptBytes(p.a, o[0], o[1], value, 64));
                }
                // netfilter's replacements read a whole structure wherever the value lies, and SO_GET_FILTER writes a
                // whole program into it: refused from an int too
                int[][] structures = {{Posix.IPPROTO_IP, 64}, {Posix.IPPROTO_IP, 128}, {Posix.IPPROTO_IP, 1152},
                    {Posix.IPPROTO_IPV6, 64}, {283, 4}, {Posix.SOL_SOCKET, 26}, {Posix.SOL_SOCKET, 51}};
                for (int[] o : structures) {
                    same("set from an int, level " + o[0] + " option " + o[1], EINVAL,
                            b -> b.setsockoptInt(p.a, o[0], o[1], 1));
                    same("get into an int, level " + o[0] + " option " + o[1], EINVAL,
                            b -> b.getsockoptInt(p.a, o[0], o[1], new int[1]));
                }
            }
            if (Os.current() == Os.LINUX) {
                // MCAST_MSFILTER and IP_MSFILTER: read with as many sources as the value's count asks
                same("get MCAST_MSFILTER", EINVAL, b -> b.getsockoptBytes(p.a, Posix.IPPROTO_IPV6, 48, value, 64));
                same("get IP_MSFILTER", EINVAL, b -> b.getsockoptBytes(p.a, Posix.IPPROTO_IP, 41, value, 64));
                same("get TCP_AO_GET_KEYS", EINVAL, b -> b.getsockoptBytes(p.a, Posix.IPPROTO_TCP, 41, value, 64));
            }
            // SOL_XDP (283): options posix-send does not know, one of them a memory region's address
            same("an unknown level", EINVAL, b -> b.getsockoptBytes(p.a, 283, 4, value, 4));
            same("a known level", 4, b -> b.getsockoptBytes(p.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, value, 4));
        }
    }

    /**
     * The next error-queue entry of {@code fd} read by {@code b} into a record whose every byte starts as 0x5a (the
     * call must zero what it does not write), waiting up to 2 s for it.
     */
    private static byte[] readRecord(Backend b, int fd) throws InterruptedException {
        int errqueue = MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT);
        int eagain = -Errno.EAGAIN.number();
        byte[] r = new byte[ErrorQueueRecord.SIZE];
        Arrays.fill(r, (byte) 0x5a);
        int n = eagain;
        for (int i = 0; i < 400 && n == eagain; i++) {
            n = b.recvErrqueue(fd, errqueue, r);
            if (n == eagain) {
                Thread.sleep(5);
            }
        }
        assertEquals(0, n, b.name());
        return r;
    }

    /**
     * An ICMP port-unreachable and a transmit timestamp read straight from the error queue fill the same record,
     * byte for byte, on the shim and on the Java side; both refuse a short record and report an empty queue alike.
     */
    @Test
    void errorQueueRecordsAgree() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the error queue is Linux's");
        int errqueue = MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT);
        int eagain = -Errno.EAGAIN.number();
        try (Descriptors fds = new Descriptors()) {
            InetSocketAddress dest = fds.closedUdpPort(false);
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.bind(fd, Descriptors.loopback(false));
            Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_RECVERR, 1);
            same("an empty queue", eagain, b -> b.recvErrqueue(fd, errqueue, new byte[ErrorQueueRecord.SIZE]));
            same("a short record", EINVAL, b -> b.recvErrqueue(fd, errqueue, new byte[ErrorQueueRecord.SIZE - 1]));
            same("no record", EINVAL, b -> b.recvErrqueue(fd, errqueue, null));
            same("EBADF", -Errno.EBADF.number(), b -> b.recvErrqueue(-1, errqueue, new byte[ErrorQueueRecord.SIZE]));
            byte[][] records = new byte[2][];
            Backend[] both = {jni, other};
            for (int k = 0; k < 2; k++) {
                Posix.sendto(fd, new byte[] {1, 2, 3}, 0, 3, 0, dest);
                records[k] = readRecord(both[k], fd);
            }
            assertArrayEquals(records[0], records[1], "the ICMP error's record");

            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, Posix.SOF_TIMESTAMPING_SOFTWARE
                    | Posix.SOF_TIMESTAMPING_TX_SOFTWARE | Posix.SOF_TIMESTAMPING_OPT_TSONLY);
            for (int k = 0; k < 2; k++) {
                Posix.send(p.a, new byte[] {4}, 0, 1, 0);
                records[k] = readRecord(both[k], p.a);
            }
            // the times differ; everything else, the timestamp's length included, must not
            int ts = ErrorQueueRecord.TS;
            assertEquals(48, ErrorQueueRecord.getInt(records[0], ErrorQueueRecord.H_TS_LEN), "three timespecs");
            assertArrayEquals(Arrays.copyOf(records[0], ts), Arrays.copyOf(records[1], ts), "the timestamp's record");
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.OptionalProtocols;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Socket options beside int: struct linger, struct timeval, raw bytes, names, and a typed TCP_INFO. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SockoptShapesTest {

    @Test
    void optionsWhoseValueHoldsAnAddressAreNotPassedAsBytes() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the options are Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.send(p.a, new byte[100], 0, 100, 0);
            // a struct tcp_zerocopy_receive naming a copy buffer at an address Java never gave: refused before the
            // kernel would copy the 100 queued bytes there
            byte[] zerocopy = new byte[64];
            ByteBuffer.wrap(zerocopy).order(ByteOrder.nativeOrder()).putLong(24, 0x10000).putInt(32, 4096);
            assertThrows(IllegalArgumentException.class, () -> Posix.getsockopt(p.b, Posix.IPPROTO_TCP, 35, zerocopy));
            assertThrows(IllegalArgumentException.class, () -> Posix.setsockopt(p.b, Posix.IPPROTO_TCP, 35, zerocopy));
            // SO_ATTACH_FILTER (a struct sock_fprog: a length and the address of the instructions) in every shape
            byte[] fprog = new byte[16];
            assertThrows(IllegalArgumentException.class, () -> Posix.setsockopt(p.a, Posix.SOL_SOCKET, 26, fprog));
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.setsockopt(p.a, Posix.SOL_SOCKET, 26, Duration.ofSeconds(1, 5000)));
            assertThrows(IllegalArgumentException.class, () -> Posix.getsockoptTimeval(p.a, Posix.SOL_SOCKET, 26));
            assertThrows(IllegalArgumentException.class, () -> Posix.setsockopt(p.a, Posix.SOL_SOCKET, 26, Linger.OFF));
            assertThrows(IllegalArgumentException.class, () -> Posix.getsockoptLinger(p.a, Posix.SOL_SOCKET, 51));
            assertThrows(IllegalArgumentException.class, () -> Posix.setsockopt(p.a, Posix.SOL_SOCKET, 51, "x"));
            // iptables' table replacement (its value holds the address of the counters), and a level not known
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.setsockopt(p.a, Posix.IPPROTO_IP, 64, new byte[96]));
            // ... from an int too: the kernel reads a whole struct ipt_replace from where the int lies; so for
            // arptables (96), ebtables (128), IPVS (1152) and ip6tables (64 at IPv6), while multicast routing's int
            // options (MRT_INIT, 200) still reach the kernel, which refuses them on a TCP socket
            for (int[] o : new int[][] {{Posix.IPPROTO_IP, 64}, {Posix.IPPROTO_IP, 96}, {Posix.IPPROTO_IP, 128},
                {Posix.IPPROTO_IP, 1152}, {Posix.IPPROTO_IPV6, 64}}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Posix.setsockopt(p.a, o[0], o[1], 1), "level " + o[0] + " option " + o[1]);
                assertTrue(e.getMessage().contains("netfilter"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> Posix.setsockopt(p.a, o[0], o[1], true));
            }
            assertThrows(ErrnoException.class, () -> Posix.setsockopt(p.a, Posix.IPPROTO_IP, 200, 1));
            // as bytes too: multicast routing's values (an int, a struct vifctl or mfcctl) hold no address, so
            // MRT_INIT (200) to MRT_FLUSH (212) reach the kernel, which refuses them on a TCP socket; the names
            // either side of them are netfilter's
            assertThrows(ErrnoException.class, () -> Posix.setsockopt(p.a, Posix.IPPROTO_IP, 200, new byte[4]));
            assertThrows(ErrnoException.class, () -> Posix.setsockopt(p.a, Posix.IPPROTO_IP, 202, new byte[16]));
            assertThrows(ErrnoException.class, () -> Posix.setsockopt(p.a, Posix.IPPROTO_IP, 212, new byte[4]));
            assertThrows(ErrnoException.class, () -> Posix.getsockopt(p.a, Posix.IPPROTO_IP, 206, new byte[4]));
            for (int name : new int[] {199, 213}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Posix.setsockopt(p.a, Posix.IPPROTO_IP, name, new byte[4]), "option " + name);
                assertTrue(e.getMessage().contains("netfilter"), e.getMessage());
                assertThrows(IllegalArgumentException.class,
                        () -> Posix.getsockopt(p.a, Posix.IPPROTO_IP, name, new byte[4]), "option " + name);
            }
            // AF_XDP's memory registration (SOL_XDP 283, XDP_UMEM_REG 4) read an address and a length from where the
            // int lies on Linux 4.18-5.3; ebtables' reads (IPPROTO_IP 128) copy a whole struct before the length
            assertThrows(IllegalArgumentException.class, () -> Posix.setsockopt(p.a, 283, 4, 1));
            assertThrows(IllegalArgumentException.class, () -> Posix.getsockopt(p.a, Posix.IPPROTO_IP, 128));
            assertThrows(IllegalArgumentException.class, () -> Posix.getsockopt(p.a, Posix.IPPROTO_IPV6, 64));
            assertThrows(ErrnoException.class, () -> Posix.getsockopt(p.a, Posix.IPPROTO_IP, 206), "MRT_VERSION");
            // SO_GET_FILTER (26) counts the length offered in 8-byte instructions: into an int it would write a
            // program of up to four; SO_ATTACH_REUSEPORT_CBPF (51) takes a program too
            for (int name : new int[] {26, 51}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Posix.getsockopt(p.a, Posix.SOL_SOCKET, name));
                assertTrue(e.getMessage().contains("classic BPF"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> Posix.setsockopt(p.a, Posix.SOL_SOCKET, name, 1));
            }
            // SOL_XDP (283): a level whose options posix-send does not know, one of them a memory region's address
            assertThrows(IllegalArgumentException.class, () -> Posix.getsockopt(p.a, 283, 4, new byte[32]));
            if (Os.current() == Os.LINUX) { // a packet fanout's classic BPF program is a struct sock_fprog
                assertThrows(IllegalArgumentException.class,
                        () -> Posix.setsockopt(p.a, Posix.SOL_PACKET, Posix.PACKET_FANOUT_DATA, new byte[16]));
            }
            // a struct group_filter read (MCAST_MSFILTER): Linux writes as many sources as its count asks, 128 bytes
            // each, past the 144 bytes offered; IP_MSFILTER the same
            byte[] groupFilter = new byte[144];
            ByteBuffer.wrap(groupFilter).order(ByteOrder.nativeOrder()).putInt(140, 64);
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.getsockopt(p.a, Posix.IPPROTO_IPV6, 48, groupFilter));
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.getsockopt(p.a, Posix.IPPROTO_IP, 48, groupFilter));
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.getsockopt(p.a, Posix.IPPROTO_IP, 41, groupFilter));
            // TCP_AO_GET_KEYS (Linux 6.7): one record per key its value asks for, past the length offered
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.getsockopt(p.a, Posix.IPPROTO_TCP, 41, new byte[8192]));
            assertEquals(100, SocketIo.receive(p.b, 200, 5000).length, "the queued bytes are still there to read");
            // the int form of every option stays as it was: four bytes hold no address
            assertEquals(4, Posix.getsockopt(p.a, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, new byte[4]));
        }
    }

    @Test
    void theRefusalsFollowTheSystemNotALaterOsNameProperty() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the refused options are Linux's");
        String name = System.getProperty("os.name");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            // any code may set the property: were the system read from it again, NetBSD's tables (which have no
            // SO_ATTACH_FILTER or TCP_ZEROCOPY_RECEIVE) would let a program of classic BPF or a copy address through
            System.setProperty("os.name", "NetBSD");
            assertEquals(Os.LINUX, Os.current());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Posix.getsockopt(p.a, Posix.SOL_SOCKET, 26, new byte[2000]));
            assertTrue(e.getMessage().contains("not passed as bytes"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Posix.getsockopt(p.a, Posix.SOL_SOCKET, 26));
            assertThrows(IllegalArgumentException.class, () -> Posix.getsockopt(p.b, Posix.IPPROTO_TCP, 35,
                    new byte[64]));
            assertThrows(IllegalArgumentException.class, () -> Posix.setsockopt(p.a, Posix.IPPROTO_IP, 64, 1));
            assertEquals(1, Posix.getsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TYPE), "SOCK_STREAM, as Linux numbers it");
        } finally {
            System.setProperty("os.name", name);
        }
    }

    @Test
    void getsockoptOffersTheArraysBytesAsInput() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            byte[] out = {9, 9, 9, 9, 9, 9, 9, 9};
            assertEquals(4, Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE, out));
            assertEquals(Posix.SOCK_DGRAM, ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).getInt(0));
            assertArrayEquals(new byte[] {9, 9, 9, 9}, java.util.Arrays.copyOfRange(out, 4, 8),
                    "bytes past the value's length are the array's own");
        }
    }

    @Test
    void lingerRoundTrips() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            assertEquals(Linger.OFF, Posix.getsockoptLinger(fd, Posix.SOL_SOCKET, Posix.SO_LINGER));
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, Linger.on(5));
            assertEquals(new Linger(true, 5), Posix.getsockoptLinger(fd, Posix.SOL_SOCKET, Posix.SO_LINGER));
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, Linger.OFF);
            assertFalse(Posix.getsockoptLinger(fd, Posix.SOL_SOCKET, Posix.SO_LINGER).onOff());
            assertThrows(IllegalArgumentException.class, () -> Linger.on(-1));
            assertThrows(NullPointerException.class,
                    () -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, (Linger) null));
        }
    }

    /** The non-throwing form sets what the throwing one sets, returns the kernel's errno, and allocates nothing. */
    @Test
    void lingerSetWithoutExceptionsAllocatesNothing() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            assertEquals(0, Posix.trySetsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, Linger.on(7)));
            assertEquals(new Linger(true, 7), Posix.getsockoptLinger(fd, Posix.SOL_SOCKET, Posix.SO_LINGER));
            assertEquals(0, Posix.trySetsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, Linger.OFF));
            assertFalse(Posix.getsockoptLinger(fd, Posix.SOL_SOCKET, Posix.SO_LINGER).onOff());
            assertEquals(-Errno.EBADF.number(), Posix.trySetsockopt(-1, Posix.SOL_SOCKET, Posix.SO_LINGER, Linger.OFF));
            assertThrows(NullPointerException.class,
                    () -> Posix.trySetsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, (Linger) null));
            Linger reset = Linger.on(0);
            long beyond = SteadyAllocation.leastBeyond("trySetsockopt(SO_LINGER)",
                    () -> AllocationBudget.forDowncalls(1000),
                    SteadyAllocation.calls(1000,
                            () -> Posix.trySetsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, reset), 0));
            assertEquals(0, beyond, "bytes per 1000 calls beyond the backend's budget");
            assertEquals(reset, Posix.getsockoptLinger(fd, Posix.SOL_SOCKET, Posix.SO_LINGER));
        }
    }

    /**
     * A C caller's negative {@code l_linger} (Linux's longest linger time) reads back from the kernel as a negative
     * number; the typed read gives the longest time, not 0, which would mean a reset.
     */
    @Test
    void theLongestLingerTimeReadsAsTheLongestNotAsAReset() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "Linux's reading of a negative l_linger");
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            byte[] raw = new byte[8];
            ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder()).putInt(1).putInt(-1);
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, raw);
            byte[] back = new byte[8];
            assertEquals(8, Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, back));
            int kernels = ByteBuffer.wrap(back).order(ByteOrder.nativeOrder()).getInt(4);
            assertTrue(kernels < 0, "the kernel's l_linger " + kernels);
            assertEquals(new Linger(true, Integer.MAX_VALUE),
                    Posix.getsockoptLinger(fd, Posix.SOL_SOCKET, Posix.SO_LINGER));
            // what reads back can be set again, and lingers as long
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, Linger.on(Integer.MAX_VALUE));
            assertTrue(Posix.getsockoptLinger(fd, Posix.SOL_SOCKET, Posix.SO_LINGER).seconds() > 1_000_000);
        }
    }

    @Test
    void lingerOnWithZeroSecondsMakesCloseReset() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_LINGER, Linger.on(0));
            fds.closeNow(p.a);
            PollSet set = new PollSet(1);
            set.add(p.b, Posix.POLLIN);
            assertEquals(1, set.poll(5000), "the reset arrives");
            ConnectionResetException e = assertThrows(ConnectionResetException.class,
                    () -> Posix.recv(p.b, new byte[16], 0, 16, 0));
            assertEquals(Errno.ECONNRESET, e.errno());
        }
    }

    @Test
    void timeoutsAreDurations() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.boundUdp(false);
            assertEquals(Duration.ZERO, Posix.getsockoptTimeval(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO), "no timeout");
            // whole seconds: the kernel keeps timeouts in clock ticks, which any tick rate divides exactly
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(2));
            assertEquals(Duration.ofSeconds(2), Posix.getsockoptTimeval(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO));
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_SNDTIMEO, Duration.ofSeconds(3));
            assertEquals(Duration.ofSeconds(3), Posix.getsockoptTimeval(fd, Posix.SOL_SOCKET, Posix.SO_SNDTIMEO));
            // below a microsecond is rounded up, never down to "no timeout"
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofNanos(1));
            assertFalse(Posix.getsockoptTimeval(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO).isZero());
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ZERO);
            assertEquals(Duration.ZERO, Posix.getsockoptTimeval(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO));
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofMillis(-1)));
        }
    }

    /**
     * A structure read of an option whose value has another shape (an int's 4 bytes, a longer structure's first bytes,
     * which the kernel cuts to the room offered) is refused, where reading it as the structure would make up a value.
     */
    @Test
    void aStructureReadOfAnOptionOfAnotherShapeIsRefused() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int udp = fds.boundUdp(false);
            Descriptors.Pair tcp = fds.tcpPair();
            Posix.setsockopt(tcp.a, Posix.SOL_SOCKET, Posix.SO_LINGER, new Linger(true, 7));
            Posix.setsockopt(udp, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(3));
            IllegalArgumentException intAsTimeval = assertThrows(IllegalArgumentException.class,
                    () -> Posix.getsockoptTimeval(udp, Posix.SOL_SOCKET, Posix.SO_SNDBUF));
            assertTrue(intAsTimeval.getMessage().startsWith("getsockopt(SOL_SOCKET, SO_SNDBUF) gave 4 bytes"),
                    intAsTimeval.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.getsockoptTimeval(tcp.a, Posix.SOL_SOCKET, Posix.SO_LINGER), "shorter");
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.getsockoptLinger(udp, Posix.SOL_SOCKET, Posix.SO_TYPE), "an int");
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.getsockoptLinger(udp, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO), "longer, cut short");
            if (Os.current() == Os.LINUX) {
                assertThrows(IllegalArgumentException.class,
                        () -> Posix.getsockoptTxtime(udp, Posix.SOL_SOCKET, Posix.SO_SNDBUF), "an int");
            }
            // the options themselves still read
            assertEquals(new Linger(true, 7), Posix.getsockoptLinger(tcp.a, Posix.SOL_SOCKET, Posix.SO_LINGER));
            assertEquals(Duration.ofSeconds(3), Posix.getsockoptTimeval(udp, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO));
        }
    }

    @Test
    void aReceiveTimeoutMakesABlockingRecvFailWithWouldBlock() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.boundUdp(false);
            assertTrue(Posix.isBlocking(fd));
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofMillis(50));
            WouldBlockException e = assertThrows(WouldBlockException.class,
                    () -> Posix.recv(fd, ByteBuffer.allocate(8), 0));
            assertEquals(Errno.EAGAIN, e.errno());
            assertEquals(-Errno.EAGAIN.number(), Posix.tryRecv(fd, ByteBuffer.allocateDirect(8), 0));
        }
    }

    @Test
    void rawBytesInAndOut() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            byte[] out = new byte[16];
            assertEquals(4, Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE, out), "an int option is 4 bytes");
            assertEquals(Posix.SOCK_STREAM, ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).getInt(0));

            byte[] one = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 1).array();
            Posix.setsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, one);
            assertEquals(1, Posix.getsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY));
            byte[] got = new byte[4];
            assertEquals(4, Posix.getsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, got));
            assertArrayEquals(one, got);

            assertThrows(InvalidArgumentException.class,
                    () -> Posix.setsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, new byte[1]),
                    "an int option given 1 byte: EINVAL");
            assertThrows(BadDescriptorException.class,
                    () -> Posix.getsockopt(-1, Posix.SOL_SOCKET, Posix.SO_TYPE, out));
            assertThrows(UnsupportedOperationException.class,
                    () -> Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.UNSUPPORTED, out));
            assertThrows(NullPointerException.class,
                    () -> Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE, (byte[]) null));
        }
    }

    /** The non-throwing byte forms pass what the throwing ones pass, return the kernel's errno, allocate nothing. */
    @Test
    void rawBytesWithoutExceptions() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            byte[] out = new byte[16];
            assertEquals(4, Posix.tryGetsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE, out));
            assertEquals(Posix.SOCK_STREAM, ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).getInt(0));
            byte[] one = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 1).array();
            assertEquals(0, Posix.trySetsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, one));
            assertEquals(1, Posix.getsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY));
            assertEquals(-Errno.EINVAL.number(), Posix.trySetsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY,
                    new byte[1]), "an int option given 1 byte");
            assertEquals(-Errno.EBADF.number(), Posix.tryGetsockopt(-1, Posix.SOL_SOCKET, Posix.SO_TYPE, out));
            assertEquals(-Errno.EBADF.number(), Posix.trySetsockopt(-1, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, one));
            assertThrows(UnsupportedOperationException.class,
                    () -> Posix.tryGetsockopt(fd, Posix.SOL_SOCKET, Posix.UNSUPPORTED, out));
            assertThrows(NullPointerException.class,
                    () -> Posix.tryGetsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE, (byte[]) null));
            assertThrows(NullPointerException.class,
                    () -> Posix.trySetsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, (byte[]) null));
            if (Os.current() == Os.LINUX) {
                // a struct sock_fprog holds an address: refused before the kernel, as by the throwing forms
                assertThrows(IllegalArgumentException.class,
                        () -> Posix.trySetsockopt(fd, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, new byte[16]));
                // IP_MSFILTER (41): its read writes as many sources as the value asks, past the length offered
                assertThrows(IllegalArgumentException.class,
                        () -> Posix.tryGetsockopt(fd, Posix.IPPROTO_IP, 41, new byte[64]));
                // a Unix server's check of each connection's peer: struct ucred, this process
                Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
                byte[] cred = new byte[12];
                assertEquals(12, Posix.tryGetsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_PEERCRED, cred));
                assertEquals(ProcessHandle.current().pid(),
                        ByteBuffer.wrap(cred).order(ByteOrder.nativeOrder()).getInt(0));
                assertEquals(Posix.getsockoptPeerCred(p.b), Ucred.read(cred, 0));
                long beyond = SteadyAllocation.leastBeyond("tryGetsockopt(SO_PEERCRED)",
                        () -> AllocationBudget.forDowncalls(1000),
                        SteadyAllocation.calls(1000,
                                () -> Posix.tryGetsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_PEERCRED, cred), 12));
                assertEquals(0, beyond, "bytes per 1000 calls beyond the backend's budget");
            }
            long beyond = SteadyAllocation.leastBeyond("trySetsockopt(TCP_NODELAY, bytes)",
                    () -> AllocationBudget.forDowncalls(1000),
                    SteadyAllocation.calls(1000, () -> Posix.trySetsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY,
                            one), 0));
            assertEquals(0, beyond, "bytes per 1000 calls beyond the backend's budget");
        }
    }

    /**
     * UDP-Lite's level passes bytes as UDP's does: the checksum coverage options, which no installed header names
     * (C programs define {@code UDPLITE_SEND_CSCOV} 10 and {@code UDPLITE_RECV_CSCOV} 11, the kernel's numbers), are
     * ints, read back as C reads them, and a 2-byte value is the kernel's {@code EINVAL}.
     */
    @Test
    void udpLiteOptionsPassAsBytesAtTheirLevel() throws Exception {
        assumeTrue(Posix.IPPROTO_UDPLITE != Posix.UNSUPPORTED, "this system has no UDP-Lite");
        int sendCoverage = 10;
        try (Descriptors fds = new Descriptors()) {
            int fd = OptionalProtocols.socket(fds, Posix.AF_INET, Posix.SOCK_DGRAM, Posix.IPPROTO_UDPLITE,
                    "UDP-Lite (not built in, or removed)");
            byte[] twenty = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 20).array();
            Posix.setsockopt(fd, Posix.IPPROTO_UDPLITE, sendCoverage, twenty);
            byte[] got = new byte[8];
            assertEquals(4, Posix.getsockopt(fd, Posix.IPPROTO_UDPLITE, sendCoverage, got), "an int's length");
            assertEquals(20, ByteBuffer.wrap(got).order(ByteOrder.nativeOrder()).getInt(0));
            assertEquals(20, Posix.getsockopt(fd, Posix.IPPROTO_UDPLITE, sendCoverage));
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> Posix.setsockopt(fd, Posix.IPPROTO_UDPLITE, sendCoverage, new byte[2]));
            assertTrue(e.getMessage().startsWith("setsockopt(IPPROTO_UDPLITE, "), e.getMessage());
        }
    }

    @Test
    void bindToDeviceTakesAName() throws Exception {
        assumeTrue(Posix.isSupported(Posix.SO_BINDTODEVICE), "Linux only");
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            assertEquals("", Posix.getsockoptString(fd, Posix.SOL_SOCKET, Posix.SO_BINDTODEVICE));
            try {
                Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_BINDTODEVICE, "lo");
            } catch (PermissionDeniedException e) {
                assumeTrue(false, "binding to a device needs CAP_NET_RAW here: " + e.getMessage());
            }
            assertEquals("lo", Posix.getsockoptString(fd, Posix.SOL_SOCKET, Posix.SO_BINDTODEVICE));
            assertThrows(ErrnoException.class,
                    () -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_BINDTODEVICE, "no-such-if0"));
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_BINDTODEVICE, "");
            assertEquals("", Posix.getsockoptString(fd, Posix.SOL_SOCKET, Posix.SO_BINDTODEVICE));
        }
    }

    @Test
    void tcpInfoOfAnEstablishedLoopbackConnection() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the typed read is Linux's struct tcp_info");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            // every blocking receive below is bounded: it fails with would-block after 5 s
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(5));
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(5));
            byte[] data = new byte[64 * 1024];
            byte[] back = new byte[data.length];
            for (int round = 0; round < 20; round++) { // traffic both ways gives the kernel round-trip samples
                Posix.send(p.a, data, 0, data.length, 0);
                int got = 0;
                for (int reads = 0; got < data.length; reads++) {
                    assertTrue(reads < 10_000, "bounded");
                    int n = Posix.recv(p.b, back, got, back.length - got, 0);
                    assertTrue(n > 0, "no end of stream yet");
                    got += n;
                }
                Posix.send(p.b, data, 0, 1, 0);
                Posix.recv(p.a, back, 0, 1, 0);
            }
            TcpInfo info = Posix.getsockoptTcpInfo(p.a);
            assertEquals(Posix.TCP_ESTABLISHED, info.state(), info.toString());
            assertTrue(info.isEstablished());
            assertEquals("ESTABLISHED", info.stateName());
            assertTrue(info.rtt() > 0, "a round-trip time after traffic: " + info);
            assertTrue(info.sndCwnd() > 0, info.toString());
            assertTrue(info.sndMss() > 0, info.toString());
            assertTrue(info.length() >= 104, "at least the fields glibc's header has: " + info.length());
            assertTrue(info.bytesAcked() >= 20L * data.length, info.toString());
            assertEquals(0, info.notsentBytes(), "everything was sent");
            assertEquals(0, info.retransmits());
            // the counters of what went out of order and was sent again agree with each other
            assertTrue(info.reordering() >= 1 && info.reordering() <= 1024, info.toString());
            if (info.length() >= 224) { // 4.19 and later
                assertEquals(info.totalRetrans() == 0, info.bytesRetrans() == 0, info.toString());
                assertTrue(info.dsackDups() >= 0 && info.dsackDups() <= info.totalRetrans(), info.toString());
                assertTrue(info.reordSeen() >= 0, info.toString());
            }
            assertEquals(info.length() >= 228, info.rcvOoopack() >= 0, "5.4 and later: " + info);
            // what each end counted of the 20 rounds: 64 KiB one way, one byte back, in segments and bytes
            long sent = 20L * (data.length + 1);
            TcpInfo peer = Posix.getsockoptTcpInfo(p.b);
            assertTrue(info.segsOut() > 20 && peer.segsIn() > 20, info + " " + peer);
            assertTrue(info.dataSegsOut() >= 20 && info.dataSegsOut() <= info.segsOut(), info.toString());
            assertTrue(peer.dataSegsIn() >= 20 && peer.dataSegsIn() <= peer.segsIn(), peer.toString());
            assertEquals(20L, peer.dataSegsOut(), "one segment per one-byte reply: " + peer);
            assertEquals(20L * data.length, peer.bytesReceived(), peer.toString());
            assertEquals(20L, info.bytesReceived(), "the replies");
            assertTrue(info.advmss() > 0 && info.rcvSpace() > 0 && info.ato() >= 0, info.toString());
            assertTrue(info.lastDataSent() >= 0 && info.lastDataSent() < 60_000, "ms since: " + info);
            assertTrue(info.busyTime() >= 0 && info.rwndLimited() >= 0 && info.sndbufLimited() >= 0, info.toString());
            assertTrue(info.delivered() >= info.dataSegsOut(), info.toString());
            assertEquals(0, info.deliveredCe(), "no congestion marks on loopback");
            assertTrue(info.bytesSent() >= 20L * data.length, info.toString());
            assertEquals(info.totalRetrans() == 0, info.bytesSent() == 20L * data.length, info.toString());
            assertEquals(info.length() >= 232, info.sndWnd() > 0, "5.4 and later: " + info);
            // the handshake's options follow the sysctls, loopback answering both ways
            boolean timestamps = !java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_timestamps")).trim().equals("0");
            assertEquals(timestamps, (info.options() & Posix.TCPI_OPT_TIMESTAMPS) != 0, "timestamps " + info.options());
            assertEquals(0, info.options() & Posix.TCPI_OPT_SYN_DATA, "no data in this connection's SYN");
            // the bit fields: the scale each end announced is the one the other end reads as its peer's
            boolean scaling = !java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_window_scaling")).trim().equals("0");
            assertEquals(scaling, (info.options() & Posix.TCPI_OPT_WSCALE) != 0, "window scaling " + info.options());
            assertEquals(info.sndWscale(), peer.rcvWscale(), "the server's announced scale");
            assertEquals(info.rcvWscale(), peer.sndWscale(), "the client's announced scale");
            assertTrue(info.rcvWscale() >= 0 && info.rcvWscale() <= 14 && info.sndWscale() >= 0
                    && info.sndWscale() <= 14, info.rcvWscale() + " " + info.sndWscale());
            assertTrue(scaling || info.rcvWscale() == 0 && info.sndWscale() == 0, "no scaling, no scale");
            assertTrue(info.deliveryRateAppLimited() == 0 || info.deliveryRateAppLimited() == 1, info.toString());
            assertEquals(0, info.fastopenClientFail(), "no Fast Open was asked for");

            // the same read into a reused snapshot, without allocating
            TcpInfo reused = new TcpInfo();
            assertEquals(-1, reused.rtt(), "nothing read yet");
            assertEquals(0, reused.tryRead(p.b));
            assertEquals(peer.bytesReceived(), reused.bytesReceived());
            assertEquals(peer.rcvWscale(), reused.rcvWscale());
            assertEquals(Posix.TCP_ESTABLISHED, reused.state());
            assertEquals(-Errno.EBADF.number(), reused.tryRead(-1));
            assertEquals(peer.bytesReceived(), reused.bytesReceived(), "a failed read leaves the fields");
            assertThrows(BadDescriptorException.class, () -> reused.read(-1));
            assertThrows(IllegalStateException.class, () -> info.tryRead(p.a), "a one-off snapshot");
            assertEquals(20L * data.length, reused.read(p.b).bytesReceived());

            // fields past what the kernel wrote read as -1, not as zeros or stale bytes
            byte[] raw = new byte[TcpInfo.size()];
            java.util.Arrays.fill(raw, (byte) 7);
            TcpInfo older = new TcpInfo(raw, 104); // a 4.5 kernel's struct: up to tcpi_total_retrans
            assertEquals(0x07070707L, older.totalRetrans());
            assertEquals(-1, older.notsentBytes());
            assertEquals(-1, older.bytesRetrans());
            assertEquals(-1, older.dsackDups());
            assertEquals(-1, older.reordSeen());
            assertEquals(-1, older.rcvOoopack());
            assertEquals(-1, older.pacingRate(), "at 104, past the 104 bytes");
            assertEquals(-1, older.bytesReceived());
            assertEquals(-1, older.sndWnd());
            assertEquals(0x07070707L, older.lastDataRecv());
            assertEquals(7, older.options());
            // the bit fields of bytes 6 and 7, each 0b111: the scales' low and high nibbles, then 1 bit and 2 bits
            assertEquals(7, older.sndWscale());
            assertEquals(0, older.rcvWscale());
            assertEquals(1, older.deliveryRateAppLimited());
            assertEquals(3, older.fastopenClientFail());
            TcpInfo tiny = new TcpInfo(raw, 7); // up to the scales' byte, not the next
            assertEquals(7, tiny.sndWscale());
            assertEquals(-1, tiny.fastopenClientFail(), "past the 7 bytes");

            fds.closeNow(p.b);
            PollSet set = new PollSet(1);
            set.add(p.a, Posix.POLLRDHUP);
            assertEquals(1, set.poll(5000));
            assertEquals("CLOSE_WAIT", Posix.getsockoptTcpInfo(p.a).stateName(), "after the peer's FIN");
            assertEquals(Posix.TCP_CLOSE_WAIT, Posix.getsockoptTcpInfo(p.a).state());
            int listening = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            assertEquals(Posix.TCP_CLOSE, Posix.getsockoptTcpInfo(listening).state(), "a new socket");
            Posix.bind(listening, Descriptors.loopback(false));
            Posix.listen(listening, 1);
            assertEquals(Posix.TCP_LISTEN, Posix.getsockoptTcpInfo(listening).state());

            // each state constant names the state TcpInfo names for its value (tcpi_state is the struct's first byte)
            String[] names = {"TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1", "TCP_FIN_WAIT2",
                "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK", "TCP_LISTEN", "TCP_CLOSING"};
            for (String name : names) {
                int value = Posix.class.getField(name).getInt(null);
                byte[] image = new byte[TcpInfo.size()];
                image[0] = (byte) value;
                assertEquals(name.substring("TCP_".length()), new TcpInfo(image, 104).stateName(), name);
            }
        }
    }

    /** Sets each {level, name, value} of {@code roundTrips} on {@code fd} and reads the value back. */
    private static void assertRoundTrips(int fd, int[][] roundTrips) throws ErrnoException {
        for (int[] r : roundTrips) {
            Posix.setsockopt(fd, r[0], r[1], r[2]);
            assertEquals(r[2], Posix.getsockopt(fd, r[0], r[1]), "option " + r[1] + " at level " + r[0]);
        }
    }

    @Test
    void theNewIntOptionsReachTheKernel() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "most of them are Linux's");
        try (Descriptors fds = new Descriptors()) {
            int tcp = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            int[][] roundTrips = {
                {Posix.IPPROTO_TCP, Posix.TCP_KEEPIDLE, 77},
                {Posix.IPPROTO_TCP, Posix.TCP_KEEPINTVL, 11},
                {Posix.IPPROTO_TCP, Posix.TCP_KEEPCNT, 4},
                {Posix.IPPROTO_TCP, Posix.TCP_USER_TIMEOUT, 1234},
                {Posix.SOL_SOCKET, Posix.SO_PRIORITY, 3},
                {Posix.IPPROTO_IP, Posix.IP_FREEBIND, 1},
            };
            assertRoundTrips(tcp, roundTrips);
            Descriptors.Pair udp = fds.udpPair(false);
            // the loopback device's MTU (65536 by default), which IPv4 caps at 65535
            assertEquals(65535, Posix.getsockopt(udp.a, Posix.IPPROTO_IP, Posix.IP_MTU), "the path MTU over loopback");
            Posix.setsockopt(udp.a, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPNS, true);
            assertEquals(1, Posix.getsockopt(udp.a, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPNS));
        }
    }

    /** More of the options ported C code sets and reads, each seen doing what it says. */
    @Test
    void moreOptionsAPortNeedsReachTheKernel() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "most of them are Linux's");
        try (Descriptors fds = new Descriptors()) {
            int tcp = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            int[][] roundTrips = {
                {Posix.IPPROTO_TCP, Posix.TCP_SYNCNT, 3},
                {Posix.IPPROTO_TCP, Posix.TCP_LINGER2, 17},
                {Posix.IPPROTO_TCP, Posix.TCP_THIN_LINEAR_TIMEOUTS, 1},
                {Posix.IPPROTO_IP, Posix.IP_BIND_ADDRESS_NO_PORT, 1},
                {Posix.IPPROTO_IP, Posix.IP_MULTICAST_ALL, 0},
            };
            assertRoundTrips(tcp, roundTrips);
            // the congestion control by name: reno is built into every kernel
            Posix.setsockopt(tcp, Posix.IPPROTO_TCP, Posix.TCP_CONGESTION, "reno");
            assertEquals("reno", Posix.getsockoptString(tcp, Posix.IPPROTO_TCP, Posix.TCP_CONGESTION));

            int listener = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            assertEquals(0, Posix.getsockopt(listener, Posix.SOL_SOCKET, Posix.SO_ACCEPTCONN));
            Posix.bind(listener, Descriptors.loopback(false));
            Posix.listen(listener, 1);
            assertEquals(1, Posix.getsockopt(listener, Posix.SOL_SOCKET, Posix.SO_ACCEPTCONN));

            // each socket's cookie is its own 64-bit number
            byte[] c1 = new byte[8];
            byte[] c2 = new byte[8];
            assertEquals(8, Posix.getsockopt(tcp, Posix.SOL_SOCKET, Posix.SO_COOKIE, c1));
            assertEquals(8, Posix.getsockopt(listener, Posix.SOL_SOCKET, Posix.SO_COOKIE, c2));
            assertFalse(java.util.Arrays.equals(c1, c2), "two sockets, two cookies");

            // UDP_CORK joins the sends into one datagram, sent when the cork comes out
            Descriptors.Pair udp = fds.udpPair(false);
            Posix.setsockopt(udp.a, Posix.IPPROTO_UDP, Posix.UDP_CORK, 1);
            Posix.send(udp.a, new byte[] {1, 2}, 0, 2, 0);
            Posix.send(udp.a, new byte[] {3}, 0, 1, 0);
            Posix.setsockopt(udp.a, Posix.IPPROTO_UDP, Posix.UDP_CORK, 0);
            assertArrayEquals(new byte[] {1, 2, 3}, SocketIo.receive(udp.b, 16, 2000), "one datagram of both sends");

            // IP_RECVORIGDSTADDR: each datagram carries where it was sent, a sockaddr_in
            Posix.setsockopt(udp.b, Posix.IPPROTO_IP, Posix.IP_RECVORIGDSTADDR, 1);
            Posix.send(udp.a, new byte[] {4}, 0, 1, 0);
            try (Message in = new Message(64).add(ByteBuffer.allocate(8))) {
                Posix.recvmsg(udp.b, in, 0);
                ControlMessage dst = in.receivedControl().get(0);
                assertEquals(Posix.IPPROTO_IP, dst.level());
                assertEquals(Posix.IP_ORIGDSTADDR, dst.type());
                SockAddr sa = SockAddr.fromImage(dst.data(), dst.data().length);
                assertEquals(Descriptors.addressOf(udp.b), sa.toSocketAddress());
            }

            // what a latency-minded TCP service sets: each reaches the kernel and reads back
            int fresh = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            assertRoundTrips(fresh, new int[][] {{Posix.IPPROTO_TCP, Posix.TCP_FASTOPEN_CONNECT, 1},
                {Posix.IPPROTO_TCP, Posix.TCP_FASTOPEN_NO_COOKIE, 1}, {Posix.IPPROTO_TCP, Posix.TCP_SAVE_SYN, 1},
                {Posix.IPPROTO_TCP, Posix.TCP_INQ, 1}, {Posix.IPPROTO_TCP, Posix.TCP_TX_DELAY, 100},
                {Posix.SOL_SOCKET, Posix.SO_PREFER_BUSY_POLL, 1}});
            assertEquals(0, Posix.getsockopt(fresh, Posix.SOL_SOCKET, Posix.SO_INCOMING_NAPI_ID), "nothing came in");
            ErrnoException noTls = assertThrows(ErrnoException.class,
                    () -> Posix.setsockopt(fresh, Posix.IPPROTO_TCP, Posix.TCP_ULP, "tls"));
            assertTrue(noTls.errno() == Errno.ENOTCONN || noTls.errno() == Errno.ENOENT, noTls.getMessage()
                    + ": tls needs an established connection (ENOENT without the module)");

            // a 64-bit option: 5 GB/s of pacing is more than 32 bits can say
            long fast = 5_000_000_000L;
            Posix.setsockopt(fresh, Posix.SOL_SOCKET, Posix.SO_MAX_PACING_RATE, fast);
            assertEquals(fast, Posix.getsockoptLong(fresh, Posix.SOL_SOCKET, Posix.SO_MAX_PACING_RATE));
            assertEquals(-1, Posix.getsockopt(fresh, Posix.SOL_SOCKET, Posix.SO_MAX_PACING_RATE), "C's 0xffffffff");
            Posix.setsockopt(fresh, Posix.SOL_SOCKET, Posix.SO_MAX_PACING_RATE, 1_000_000);
            assertEquals(1_000_000L, Posix.getsockoptLong(fresh, Posix.SOL_SOCKET, Posix.SO_MAX_PACING_RATE));
            assertEquals(1L, Posix.getsockoptLong(fresh, Posix.IPPROTO_TCP, Posix.TCP_INQ), "an int option's 4 bytes");
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.setsockopt(fresh, Posix.SOL_SOCKET, Posix.SO_ATTACH_FILTER, 0L), "holds an address");

            // IPV6_FREEBIND (Linux 4.15+): IP_FREEBIND's IPv6 twin
            int v6free = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            assertRoundTrips(v6free, new int[][] {{Posix.IPPROTO_IPV6, Posix.IPV6_FREEBIND, 1}});

            // IPV6_DONTFRAG, one NetBSD has too: set and read back
            int v6 = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(v6, Posix.IPPROTO_IPV6, Posix.IPV6_DONTFRAG, 1);
            assertEquals(1, Posix.getsockopt(v6, Posix.IPPROTO_IPV6, Posix.IPV6_DONTFRAG));
        }
    }

    /** Every path-MTU mode of IPv4 and IPv6 reaches the kernel, which refuses the number after the last. */
    @Test
    void eachPathMtuModeIsTheKernels() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "IP_MTU_DISCOVER is Linux's");
        try (Descriptors fds = new Descriptors()) {
            int v4 = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            int v6 = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            int[] ip = {Posix.IP_PMTUDISC_DONT, Posix.IP_PMTUDISC_WANT, Posix.IP_PMTUDISC_DO, Posix.IP_PMTUDISC_PROBE,
                Posix.IP_PMTUDISC_INTERFACE, Posix.IP_PMTUDISC_OMIT};
            int[] ip6 = {Posix.IPV6_PMTUDISC_DONT, Posix.IPV6_PMTUDISC_WANT, Posix.IPV6_PMTUDISC_DO,
                Posix.IPV6_PMTUDISC_PROBE, Posix.IPV6_PMTUDISC_INTERFACE, Posix.IPV6_PMTUDISC_OMIT};
            for (int i = 0; i < ip.length; i++) {
                assertRoundTrips(v4, new int[][] {{Posix.IPPROTO_IP, Posix.IP_MTU_DISCOVER, ip[i]}});
                assertRoundTrips(v6, new int[][] {{Posix.IPPROTO_IPV6, Posix.IPV6_MTU_DISCOVER, ip6[i]}});
            }
            assertEquals(-Errno.EINVAL.number(),
                    Posix.trySetsockopt(v4, Posix.IPPROTO_IP, Posix.IP_MTU_DISCOVER, Posix.IP_PMTUDISC_OMIT + 1));
            assertEquals(-Errno.EINVAL.number(),
                    Posix.trySetsockopt(v6, Posix.IPPROTO_IPV6, Posix.IPV6_MTU_DISCOVER, Posix.IPV6_PMTUDISC_OMIT + 1));
            assertEquals(Posix.IP_PMTUDISC_OMIT, Posix.getsockopt(v4, Posix.IPPROTO_IP, Posix.IP_MTU_DISCOVER),
                    "a refused value leaves the option as it was");
        }
    }

    /** The non-throwing setsockopt answers with the kernel's 0 or -errno, and refuses what the throwing one does. */
    @Test
    void trySetsockoptAnswersAsTheKernelDoes() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int udp = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            assertEquals(0, Posix.trySetsockopt(udp, Posix.SOL_SOCKET, Posix.SO_BROADCAST, 1));
            assertEquals(1, Posix.getsockopt(udp, Posix.SOL_SOCKET, Posix.SO_BROADCAST));
            assertEquals(0, Posix.trySetsockopt(udp, Posix.SOL_SOCKET, Posix.SO_BROADCAST, 0));
            assertEquals(0, Posix.getsockopt(udp, Posix.SOL_SOCKET, Posix.SO_BROADCAST));
            assertEquals(-Errno.ENOPROTOOPT.number(), Posix.trySetsockopt(udp, Posix.SOL_SOCKET, 0x7777, 1));
            assertEquals(-Errno.EBADF.number(), Posix.trySetsockopt(-1, Posix.SOL_SOCKET, Posix.SO_BROADCAST, 1));
            assertThrows(UnsupportedOperationException.class,
                    () -> Posix.trySetsockopt(udp, Posix.UNSUPPORTED, Posix.SO_BROADCAST, 1));
            if (Os.current() == Os.LINUX) {
                // a netfilter name at IPPROTO_IP: refused before the kernel, as setsockopt refuses it
                assertThrows(IllegalArgumentException.class, () -> Posix.trySetsockopt(udp, Posix.IPPROTO_IP, 64, 0));
            }
        }
    }

    /** A reused TcpInfo reads a connection again and again without allocating. */
    /** SO_MEMINFO's counters, read as bytes and indexed by SK_MEMINFO_*: what waits, the buffer, no drops. */
    @Test
    void soMeminfoCountsWhatWaits() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_MEMINFO is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            byte[] raw = new byte[Posix.SK_MEMINFO_VARS * Integer.BYTES];
            assertEquals(raw.length, Posix.getsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_MEMINFO, raw));
            ByteBuffer mi = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
            assertEquals(0, mi.getInt(Posix.SK_MEMINFO_RMEM_ALLOC * Integer.BYTES), "nothing waits yet");
            assertEquals(Posix.getsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF),
                    mi.getInt(Posix.SK_MEMINFO_RCVBUF * Integer.BYTES));
            for (int i = 0; i < 3; i++) {
                Posix.send(p.a, new byte[100], 0, 100, 0);
            }
            assertArrayEquals(new byte[100], SocketIo.receive(p.b, 100, 5000), "the first arrived");
            Posix.getsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_MEMINFO, raw);
            assertTrue(mi.getInt(Posix.SK_MEMINFO_RMEM_ALLOC * Integer.BYTES) >= 2 * 100, "two datagrams wait");
            assertEquals(0, mi.getInt(Posix.SK_MEMINFO_DROPS * Integer.BYTES));
        }
    }

    @Test
    void aReusedTcpInfoReadsWithoutAllocating() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the typed read is Linux's struct tcp_info");
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.send(p.a, new byte[100], 0, 100, 0);
            assertArrayEquals(new byte[100], SocketIo.receive(p.b, 100, 5000));
            TcpInfo reused = new TcpInfo();
            SteadyAllocation.Round reads = () -> {
                long wrong = 0;
                for (int i = 0; i < 10_000; i++) {
                    wrong += reused.tryRead(p.b) == 0 && reused.bytesReceived() == 100 ? 0 : 1;
                }
                return wrong;
            };
            assertEquals(0, reads.run() + reads.run(), "every read saw the 100 bytes (warm-up)");
            assertEquals(0, SteadyAllocation.leastBeyond("10,000 TCP_INFO reads",
                    () -> AllocationBudget.forDowncalls(10_000), reads),
                    "bytes allocated beyond the budget");
        }
    }

    /**
     * Linux's SO_PEERPIDFD (77) makes a descriptor and copies out as much of its number as the room offered holds:
     * its byte reads are refused (a short one would leave a descriptor no one learns of), its int read gives it whole.
     */
    @Test
    void soPeerpidfdIsReadWholeOrNotAtAll() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_PEERPIDFD is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            for (int room : new int[] {0, 1, 4}) {
                assertThrows(IllegalArgumentException.class,
                        () -> Posix.getsockopt(p.a, Posix.SOL_SOCKET, 77, new byte[room]), room + " bytes");
            }
            assertThrows(IllegalArgumentException.class, () -> Posix.getsockoptString(p.a, Posix.SOL_SOCKET, 77));
            int[] out = {-1};
            int r = Posix.tryGetsockopt(p.a, Posix.SOL_SOCKET, 77, out);
            if (r == 0) { // Linux 6.5 and later
                assertTrue(out[0] >= 0, "a descriptor: " + out[0]);
                fds.track(out[0]);
            } else {
                assertEquals(-Errno.ENOPROTOOPT.number(), r, "a kernel before 6.5");
            }
        }
    }
}

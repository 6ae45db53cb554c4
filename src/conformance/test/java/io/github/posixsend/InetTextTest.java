// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code inet_ntop} and {@code inet_pton} as the C library writes and reads addresses: each text of the corpus below
 * read and written back as glibc 2.36 did it (recorded from a C program making those two calls), the texts glibc
 * refuses refused, random addresses written and read back to the same bytes, and the addresses' {@code toString}s in
 * that form.
 */
class InetTextTest {
    /** An IPv6 text, and what glibc's inet_ntop wrote for what its inet_pton read; null where inet_pton gave 0. */
    private static final String[][] IPV6 = {
        {"::", "::"}, {"::1", "::1"}, {"::2", "::2"}, {"::1:2", "::0.1.0.2"}, {"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
        {"::ffff:0:1.2.3.4", "::ffff:0:102:304"}, {"1:0:0:1:0:0:0:1", "1:0:0:1::1"}, {"1:0:0:0:1:0:0:1", "1::1:0:0:1"},
        {"1::0:1", "1::1"}, {"fe80::1", "fe80::1"}, {"0:0:1::", "0:0:1::"}, {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
        {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"}, {"::0.0.0.0", "::"}, {"::ffff:0.0.0.0", "::ffff:0.0.0.0"},
        {"64:ff9b::1.2.3.4", "64:ff9b::102:304"}, {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
        {"::1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7"}, {"ABCD::EF", "abcd::ef"}, {"::1.2.3.4", "::1.2.3.4"},
        {"0::0:ffff:102:304", "::ffff:1.2.3.4"}, {"1:0::0:1", "1::1"}, {"1:0:0:2:0:0:3:4", "1::2:0:0:3:4"},
        {"0:0:1:0:0:0:2:3", "0:0:1::2:3"}, {"1:2:0:0:3:4:0:0", "1:2::3:4:0:0"}, {"::ffff:7f00:1", "::ffff:127.0.0.1"},
        {"::7f00:1", "::127.0.0.1"}, {"0:0:0:0:0:1:7f00:1", "::1:7f00:1"}, {"ffff::", "ffff::"}, {"::ffff", "::ffff"},
        {"1:0:0:0:0:0:0:0", "1::"}, {"0:0:0:0:0:0:0:1", "::1"}, {"2001:db8::ff00:42:8329", "2001:db8::ff00:42:8329"},
        {"0:0:0:0:ffff:0:0:1", "::ffff:0:0:1"}, {"::ffff:255.255.255.255", "::ffff:255.255.255.255"},
        {"::ffff:0:0", "::ffff:0.0.0.0"}, {"1::1.2.3.4", "1::102:304"}, {"0001::", "1::"},
        {"f:f:f:f:f:f:f:f", "f:f:f:f:f:f:f:f"},
        {"1::2::3", null}, {"12345::", null}, {"1:2:3:4:5:6:7:8:9", null}, {"::ffff:1.2.3", null}, {":::", null},
        {"1:", null}, {"::1.2.3.04", null}, {"1:2:3:4:5:6:7:1.2.3.4", null}, {"::1.2.3.4.5", null},
        {"1::2:3:4:5:6:7:8", null}, {"1:2:3:4:5:6:7:8::", null}, {"::1:2:3:4:5:6:7:8", null}, {"[::1]", null},
        {"::1%lo", null}, {"fe80::1 ", null}, {"0x1::", null}, {"00001::", null}, {"::g", null}, {"", null},
        {":", null}, {":1", null}, {"1.2.3.4", null},
    };

    /** IPv4 texts and what glibc's inet_pton said (1 read, 0 refused). */
    private static final Object[][] IPV4 = {
        {"1.2.3.4", 1}, {"0.0.0.0", 1}, {"255.255.255.255", 1}, {"127.0.0.1", 1}, {"01.2.3.4", 0}, {"1.2.3", 0},
        {"256.1.1.1", 0}, {"1.2.3.4.5", 0}, {" 1.2.3.4", 0}, {"0x1.2.3.4", 0}, {"1.2.3.04", 0}, {"1..2.3", 0},
        {"1.2.3.", 0}, {"", 0}, {"::1", 0},
    };

    @Test
    void theCorpusReadsAndWritesAsGlibcDid() {
        for (String[] c : IPV6) {
            byte[] out = new byte[16];
            Arrays.fill(out, (byte) 0x5a);
            int r = Posix.inetPton(Posix.AF_INET6, c[0], out);
            assertEquals(c[1] != null ? 1 : 0, r, "inet_pton(AF_INET6, \"" + c[0] + "\")");
            if (c[1] == null) {
                byte[] untouched = new byte[16];
                Arrays.fill(untouched, (byte) 0x5a);
                assertArrayEquals(untouched, out, "a refused text leaves out as it was: " + c[0]);
            } else {
                assertEquals(c[1], Posix.inetNtop(Posix.AF_INET6, out), "inet_ntop of \"" + c[0] + "\"");
            }
        }
        for (Object[] c : IPV4) {
            byte[] out = new byte[4];
            int r = Posix.inetPton(Posix.AF_INET, (String) c[0], out);
            assertEquals(c[1], r, "inet_pton(AF_INET, \"" + c[0] + "\")");
            if (r == 1) {
                assertEquals(c[0], Posix.inetNtop(Posix.AF_INET, out));
            }
        }
    }

    /** A NUL ends the text, as it ends C's string; reading allocates nothing. */
    @Test
    void aNulEndsTheTextAndReadingAllocatesNothing() throws Exception {
        byte[] out = new byte[16];
        assertEquals(1, Posix.inetPton(Posix.AF_INET, "1.2.3.4\0junk", out));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Arrays.copyOf(out, 4));
        assertEquals(1, Posix.inetPton(Posix.AF_INET6, "::1\0:::", out));
        assertEquals("::1", Posix.inetNtop(Posix.AF_INET6, out));
        assertEquals(0, Posix.inetPton(Posix.AF_INET6, "\0::1", out), "an empty string");
        io.github.posixsend.testing.SteadyAllocation.assumeMeasurable();
        byte[] v4 = new byte[4];
        io.github.posixsend.testing.SteadyAllocation.Round reads = () -> {
            long wrong = 0;
            for (int i = 0; i < 10_000; i++) {
                wrong += Posix.inetPton(Posix.AF_INET6, "2001:db8::ffff:1.2.3.4", out) == 1 ? 0 : 1;
                wrong += Posix.inetPton(Posix.AF_INET, "192.168.10.200", v4) == 1 ? 0 : 1;
                wrong += Posix.inetPton(Posix.AF_INET6, "1::2::3", out) == 0 ? 0 : 1;
            }
            return wrong;
        };
        assertEquals(0, reads.run() + reads.run(), "warm-up");
        assertEquals(0, io.github.posixsend.testing.SteadyAllocation.leastBeyond("30,000 inet_pton", () -> 0, reads),
                "bytes allocated");
    }

    /** Random addresses, with runs of zero groups as often as not, are written and read back to the same bytes. */
    @Test
    void randomAddressesRoundTrip() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] back = new byte[16];
        for (int n = 0; n < 20_000; n++) {
            byte[] a = new byte[16];
            for (int w = 0; w < 8; w++) {
                int v = random.nextInt(3) == 0 ? random.nextInt(0x10000) : random.nextInt(4) == 0 ? 0xffff : 0;
                a[2 * w] = (byte) (v >> 8);
                a[2 * w + 1] = (byte) v;
            }
            String text = Posix.inetNtop(Posix.AF_INET6, a);
            int at = n % 7;
            byte[] inside = new byte[at + 16 + 3];
            System.arraycopy(a, 0, inside, at, 16);
            assertEquals(text, Posix.inetNtop(Posix.AF_INET6, inside, at), "the same address at offset " + at);
            assertEquals(Posix.inetNtop(Posix.AF_INET, a), Posix.inetNtop(Posix.AF_INET, inside, at));
            assertEquals(1, Posix.inetPton(Posix.AF_INET6, text, back), text + ", seed " + seed);
            assertArrayEquals(a, back, text + ", seed " + seed);
            // java.net reads the same address from it
            byte[] viaJava = InetAddress.getByName(text).getAddress();
            byte[] mappedTail = Arrays.copyOfRange(a, 12, 16);
            assertArrayEquals(viaJava.length == 4 ? mappedTail : a, viaJava, text + ", seed " + seed);
            byte[] v4 = Arrays.copyOf(a, 4);
            String dotted = Posix.inetNtop(Posix.AF_INET, v4);
            assertEquals(InetAddress.getByAddress(v4).getHostAddress(), dotted);
            assertEquals(1, Posix.inetPton(Posix.AF_INET, dotted, back));
            assertArrayEquals(v4, Arrays.copyOf(back, 4));
        }
    }

    @Test
    void wrongFamiliesAndShortArraysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Posix.inetNtop(Posix.AF_UNIX, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> Posix.inetPton(Posix.AF_UNIX, "::1", new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> Posix.inetNtop(Posix.AF_INET6, new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> Posix.inetNtop(Posix.AF_INET, new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> Posix.inetPton(Posix.AF_INET6, "::1", new byte[4]));
        assertThrows(NullPointerException.class, () -> Posix.inetPton(Posix.AF_INET6, null, new byte[16]));
        assertEquals("1.2.3.4", Posix.inetNtop(Posix.AF_INET, new byte[] {1, 2, 3, 4, 5}), "C reads the first 4");
        assertEquals("2.3.4.5", Posix.inetNtop(Posix.AF_INET, new byte[] {1, 2, 3, 4, 5}, 1), "from an offset");
        assertThrows(IndexOutOfBoundsException.class, () -> Posix.inetNtop(Posix.AF_INET, new byte[5], 2));
        assertThrows(IndexOutOfBoundsException.class, () -> Posix.inetNtop(Posix.AF_INET6, new byte[16], -1));
        assertThrows(IllegalArgumentException.class, () -> Posix.inetNtop(Posix.AF_UNIX, new byte[16], 0));
        assertThrows(NullPointerException.class, () -> Posix.inetNtop(Posix.AF_INET, null, 0));
    }

    /**
     * A mapped address read with inet_pton stays IPv6 through {@link SockAddr#inet}, so a dual-stack socket binds
     * it, where {@code java.net} makes it an IPv4 address the socket refuses; the addresses print as C prints them.
     */
    @Test
    void aMappedAddressStaysIpv6AndAddressesPrintAsInC() throws Exception {
        byte[] mapped = new byte[16];
        assertEquals(1, Posix.inetPton(Posix.AF_INET6, "::ffff:127.0.0.1", mapped));
        SockAddr sa = SockAddr.inet(mapped, 53);
        assertEquals(Posix.AF_INET6, sa.family());
        assertEquals(53, sa.port());
        assertEquals("[::ffff:127.0.0.1]:53", sa.toString());
        assertEquals(Posix.AF_INET, SockAddr.of(new InetSocketAddress("::ffff:127.0.0.1", 53)).family(),
                "java.net's own reading of the text, the trap inet_pton avoids");
        assertEquals("[::1]:53", SockAddr.of(new InetSocketAddress("::1", 53)).toString());
        assertEquals("127.0.0.1:7", SockAddr.inet(new byte[] {127, 0, 0, 1}, 7).toString());
        assertEquals(SockAddr.of(new InetSocketAddress("127.0.0.1", 7)), SockAddr.inet(new byte[] {127, 0, 0, 1}, 7));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.inet(new byte[5], 1));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.inet(new byte[4], 65536));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.inet(new byte[4], -1));
        try (Descriptors fds = new Descriptors()) {
            int dual = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(dual, Posix.IPPROTO_IPV6, Posix.IPV6_V6ONLY, 0);
            Posix.bind(dual, SockAddr.inet(mapped, 0));
            SockAddrBuffer name = new SockAddrBuffer();
            Posix.getsockname(dual, name);
            assertEquals(Posix.AF_INET6, name.family());
            assertEquals("SockAddrBuffer[[::ffff:127.0.0.1]:" + name.port() + "]", name.toString());
        }
    }
}

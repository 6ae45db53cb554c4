// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Os;
import io.github.posixsend.internal.ConstantTable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-platform structures give the bytes the platforms' headers define, checked against images written out
 * by hand from the facts sheet. No native code runs: NetBSD's layouts are checked on any host.
 */
class LayoutTest {
    private static final Sockaddrs LINUX = new Sockaddrs(SockaddrLayout.LINUX);
    private static final Sockaddrs NETBSD = new Sockaddrs(SockaddrLayout.NETBSD);

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static byte[] image(Sockaddrs s, byte[] ip, int port, int scope, int flow) {
        byte[] out = new byte[28];
        int n = s.inet(out, ip, port, scope, flow);
        assertTrue(n > 0, "result " + n);
        return Arrays.copyOf(out, n);
    }

    @Test
    void netbsdSockaddrInHasItsLengthByte() {
        assertArrayEquals(bytes(0x10, 0x02, 0x00, 0x50, 0x7f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
                image(NETBSD, bytes(127, 0, 0, 1), 80, 0, 0));
    }

    @Test
    void linuxSockaddrInHasA16BitFamily() {
        assertArrayEquals(bytes(0x02, 0x00, 0x00, 0x50, 0x7f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
                image(LINUX, bytes(127, 0, 0, 1), 80, 0, 0));
    }

    @Test
    void sockaddrIn6OnBoth() {
        byte[] loop6 = new byte[16];
        loop6[15] = 1;
        byte[] tail = bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x03, 0, 0, 0);
        byte[] netbsd = new byte[28];
        System.arraycopy(bytes(0x1c, 0x18, 0x01, 0xbb, 0x00, 0x0a, 0xbc, 0xde), 0, netbsd, 0, 8);
        System.arraycopy(tail, 0, netbsd, 8, 20);
        assertArrayEquals(netbsd, image(NETBSD, loop6, 443, 3, 0xabcde));
        byte[] linux = netbsd.clone();
        linux[0] = 0x0a;
        linux[1] = 0x00;
        assertArrayEquals(linux, image(LINUX, loop6, 443, 3, 0xabcde));
    }

    @Test
    void netbsdSockaddrUnCountsItsNulAndHasNoAbstractNames() {
        byte[] out = new byte[106];
        int n = NETBSD.unix(out, "/tmp/s".getBytes(StandardCharsets.US_ASCII), false);
        assertEquals(2 + 6 + 1, n);
        assertArrayEquals(bytes(9, 1, '/', 't', 'm', 'p', '/', 's', 0), Arrays.copyOf(out, n));
        assertEquals(-47, NETBSD.unix(out, new byte[3], true), "EAFNOSUPPORT on NetBSD");
        assertEquals(2 + 103 + 1, NETBSD.unix(out, new byte[103], false), "sun_path[104] keeps 103 bytes and the NUL");
        assertEquals(-63, NETBSD.unix(out, new byte[104], false), "ENAMETOOLONG on NetBSD");
    }

    @Test
    void linuxSockaddrUnAndAbstractNames() {
        byte[] out = new byte[110];
        int n = LINUX.unix(out, "/tmp/s".getBytes(StandardCharsets.US_ASCII), false);
        assertArrayEquals(bytes(1, 0, '/', 't', 'm', 'p', '/', 's', 0), Arrays.copyOf(out, n));
        n = LINUX.unix(out, "ab".getBytes(StandardCharsets.US_ASCII), true);
        assertArrayEquals(bytes(1, 0, 0, 'a', 'b'), Arrays.copyOf(out, n), "abstract: a leading NUL, no trailing one");
        assertEquals(2 + 107 + 1, LINUX.unix(out, new byte[107], false));
        assertEquals(-36, LINUX.unix(out, new byte[108], false), "ENAMETOOLONG on Linux");
        assertEquals(2 + 1 + 107, LINUX.unix(out, new byte[107], true));
        assertEquals(-36, LINUX.unix(out, new byte[108], true));
    }

    @Test
    void netbsdDecodeReadsTheFamilyAfterTheLengthByte() {
        int[] info = new int[4];
        byte[] data = new byte[16];
        assertEquals(0,
                NETBSD.decode(bytes(0x10, 0x02, 0x1f, 0x90, 10, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0), 16, info, data));
        assertArrayEquals(new int[] {2, 8080, 0, 4}, info);
        assertArrayEquals(bytes(10, 0, 0, 7), Arrays.copyOf(data, 4));
        byte[] sun = new byte[106];
        assertEquals(9, NETBSD.unix(sun, "/tmp/s".getBytes(StandardCharsets.US_ASCII), false));
        assertEquals(0, NETBSD.decode(sun, 9, info, data));
        assertArrayEquals(new int[] {1, 0, 0, 6}, info);
        byte[] six = image(NETBSD, new byte[16], 53, 5, 0);
        assertEquals(0, NETBSD.decode(six, six.length, info, data));
        assertArrayEquals(new int[] {0x18, 53, 5, 16}, info);
        assertEquals(-22, NETBSD.decode(six, 27, info, data), "EINVAL for a short sockaddr_in6");
    }

    @Test
    void msghdrLayouts() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        MsghdrLayout.LINUX.put(b, 0, 0x1111, 16, 0x2222, 3);
        assertEquals(0x1111, b.getLong(0));
        assertEquals(16, b.getInt(8));
        assertEquals(0x2222, b.getLong(16));
        assertEquals(3, b.getLong(24), "msg_iovlen is a size_t on Linux");
        assertEquals(0, b.getLong(32));
        assertEquals(0, b.getLong(40));
        assertEquals(0, b.getInt(48));
        assertEquals(56, MsghdrLayout.LINUX.size);
        assertEquals(64, MsghdrLayout.LINUX.sizeofMmsghdr);
        assertEquals(16, MsghdrLayout.LINUX.sizeofCmsghdr);

        b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 64; i++) {
            b.put(i, (byte) 0x77);
        }
        MsghdrLayout.NETBSD.put(b, 0, 0x1111, 16, 0x2222, 3);
        assertEquals(3, b.getInt(24), "msg_iovlen is an int on NetBSD");
        assertEquals(0, b.getInt(40), "msg_controllen is a socklen_t at 40");
        assertEquals(0, b.getInt(44), "msg_flags at 44");
        assertEquals(0x77, b.get(48), "nothing written past the 48 bytes");
        assertEquals(56, MsghdrLayout.NETBSD.sizeofMmsghdr);
        assertEquals(48, MsghdrLayout.NETBSD.mmsgLen);
        assertEquals(12, MsghdrLayout.NETBSD.sizeofCmsghdr);
    }

    @Test
    void netbsdConstantsComeFromTheTables() {
        Map<String, Integer> c = TableConstants.forOs(Os.NETBSD);
        assertEquals(106, c.get("SIZEOF_SOCKADDR_UN"));
        assertEquals(104, c.get("SIZEOF_SUN_PATH"));
        assertEquals(0x400, c.get("MSG_NOSIGNAL"));
        assertEquals(35, c.get("EAGAIN"));
        assertEquals(0xffff, c.get("SOL_SOCKET"));
        assertEquals(0x18, c.get("AF_INET6"));
        assertFalse(c.containsKey("MSG_MORE"));
        assertFalse(c.containsKey("TCP_CORK"));
        for (String name : ConstantTable.names()) {
            int v = ConstantTable.value(name, Os.NETBSD);
            assertEquals(v != ConstantTable.UNSUPPORTED, c.containsKey(name), name);
        }
        for (MsgFlag f : MsgFlag.values()) {
            assertEquals(f.valueOn(Os.NETBSD).isPresent(), c.containsKey(f.name()), f.name());
        }
        for (Errno e : Errno.values()) {
            assertEquals(e.isDefinedOn(Os.NETBSD) ? (Integer) e.numberOn(Os.NETBSD) : null, c.get(e.name()), e.name());
        }
    }

    /**
     * The NetBSD layouts against the libc.* rows of {@code netbsd10-headers.tsv}, each the size or offset NetBSD 10's
     * headers give: {@code libc.<Class>.<field>} is a field of {@code <Class>.NETBSD} or a static constant of
     * the class.
     */
    @Test
    void netbsdLayoutsAreNetbsd10sHeaders() throws IOException, ReflectiveOperationException {
        int checked = 0;
        try (InputStream in = LayoutTest.class.getResourceAsStream("/netbsd10-headers.tsv")) {
            assertNotNull(in, "netbsd10-headers.tsv is missing from the test resources");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\n")) {
                if (!line.startsWith("libc.")) {
                    continue;
                }
                String[] cells = line.split("\\t", -1);
                String[] name = cells[0].split("\\.");
                assertEquals(3, name.length, cells[0]);
                Class<?> c = Class.forName(LayoutTest.class.getPackageName() + "." + name[1]);
                Field f = c.getDeclaredField(name[2]);
                f.setAccessible(true);
                Object owner = null;
                if (!Modifier.isStatic(f.getModifiers())) {
                    Field netbsd = c.getDeclaredField("NETBSD");
                    netbsd.setAccessible(true);
                    owner = netbsd.get(null);
                }
                assertEquals(cells[1], String.valueOf(f.get(owner)), cells[0] + " on NetBSD: " + cells[2]);
                checked++;
            }
        }
        assertTrue(checked >= 40, "only " + checked + " layout values checked");
    }
}

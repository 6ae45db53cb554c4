// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.Errno;
import io.github.posixsend.internal.ConstantTable;

/**
 * Builds and reads sockaddr byte images in Java from a {@link SockaddrLayout}, with the same results as the
 * JNI shim's native/ps_sockaddr.c for the same input: the same bytes, the same lengths, and the same
 * {@code -errno} for the same mistake. Each instance serves one platform.
 */
final class Sockaddrs {
    private final SockaddrLayout layout;
    private final int afInet;
    private final int afInet6;
    private final int afUnix;
    private final int einval;
    private final int enametoolong;
    private final int eafnosupport;

    Sockaddrs(SockaddrLayout layout) {
        this.layout = layout;
        this.afInet = ConstantTable.value("AF_INET", layout.os);
        this.afInet6 = ConstantTable.value("AF_INET6", layout.os);
        this.afUnix = ConstantTable.value("AF_UNIX", layout.os);
        this.einval = Errno.EINVAL.numberOn(layout.os);
        this.enametoolong = Errno.ENAMETOOLONG.numberOn(layout.os);
        this.eafnosupport = Errno.EAFNOSUPPORT.numberOn(layout.os);
    }

    SockaddrLayout layout() {
        return layout;
    }

    /** As {@code Backend.sockaddrInet}: the image's length, or {@code -errno}. */
    int inet(byte[] out, byte[] ip, int port, int scopeId, int flowinfo) {
        if (ip == null || port < 0 || port > 65535) {
            return -einval;
        }
        if (ip.length == 4) {
            byte[] sin = new byte[layout.sizeofIn];
            layout.putHeader(sin, afInet, sin.length);
            putBigEndian16(sin, SockaddrLayout.PORT, port);
            System.arraycopy(ip, 0, sin, SockaddrLayout.IN_ADDR, 4);
            return store(out, sin, sin.length);
        }
        if (ip.length == 16) {
            byte[] sin6 = new byte[layout.sizeofIn6];
            layout.putHeader(sin6, afInet6, sin6.length);
            putBigEndian16(sin6, SockaddrLayout.PORT, port);
            putBigEndian32(sin6, SockaddrLayout.IN6_FLOWINFO, flowinfo);
            System.arraycopy(ip, 0, sin6, SockaddrLayout.IN6_ADDR, 16);
            putLittleEndian32(sin6, SockaddrLayout.IN6_SCOPE_ID, scopeId);
            return store(out, sin6, sin6.length);
        }
        return -eafnosupport;
    }

    /** As {@code Backend.sockaddrUnix}: the image's length, or {@code -errno}. */
    int unix(byte[] out, byte[] path, boolean abstractName) {
        if (path == null) {
            return -einval;
        }
        int room = layout.sunPathSize;
        int start = 0;
        if (abstractName) {
            if (!layout.abstractUnix) {
                return -eafnosupport;
            }
            start = 1; // the leading NUL
        } else {
            room -= 1; // the terminating NUL
        }
        int n = path.length;
        if (n > room - start) {
            return -enametoolong;
        }
        int len = SockaddrLayout.SUN_PATH + start + n;
        if (!abstractName && n > 0) {
            len += 1; // the NUL counts, as SUN_LEN counts it
        }
        byte[] sun = new byte[layout.sizeofUn];
        System.arraycopy(path, 0, sun, SockaddrLayout.SUN_PATH + start, n);
        layout.putHeader(sun, afUnix, len);
        return store(out, sun, len);
    }

    /** True when {@code sa[0..salen)} can be handed to the kernel as a sockaddr (ps_sockaddr_from_java's check). */
    boolean imageOk(byte[] sa, int salen) {
        return sa != null && salen >= SockaddrLayout.SA_DATA && salen <= SockaddrLayout.STORAGE && sa.length >= salen;
    }

    /** As {@code Backend.sockaddrDecode}: 0, or {@code -errno}. */
    int decode(byte[] sa, int salen, int[] info, byte[] data) {
        if (!imageOk(sa, salen)) {
            return -einval;
        }
        if (info == null || info.length < 4) {
            return -einval;
        }
        byte[] ss = new byte[SockaddrLayout.STORAGE]; // zero past salen, as the shim's storage is
        System.arraycopy(sa, 0, ss, 0, salen);
        int family = layout.family(ss);
        int port = 0;
        int scope = 0;
        int stored = 0;
        if (family == afInet) {
            if (salen < layout.sizeofIn) {
                return -einval;
            }
            port = bigEndian16(ss, SockaddrLayout.PORT);
            stored = store(data, ss, SockaddrLayout.IN_ADDR, 4);
        } else if (family == afInet6) {
            if (salen < layout.sizeofIn6) {
                return -einval;
            }
            port = bigEndian16(ss, SockaddrLayout.PORT);
            scope = littleEndian32(ss, SockaddrLayout.IN6_SCOPE_ID);
            stored = store(data, ss, SockaddrLayout.IN6_ADDR, 16);
        } else if (family == afUnix) {
            int n = Math.max(0, salen - SockaddrLayout.SUN_PATH);
            n = Math.min(n, layout.sunPathSize);
            if (n > 0 && ss[SockaddrLayout.SUN_PATH] != 0) {
                int end = 0;
                while (end < n && ss[SockaddrLayout.SUN_PATH + end] != 0) {
                    end++;
                }
                n = end; // a path ends at its first NUL; an abstract name is every byte the kernel gave
            }
            stored = store(data, ss, SockaddrLayout.SUN_PATH, n);
        }
        if (stored < 0) {
            return stored;
        }
        info[0] = family;
        info[1] = port;
        info[2] = scope;
        info[3] = stored;
        return 0;
    }

    private int store(byte[] out, byte[] src, int n) {
        return store(out, src, 0, n);
    }

    private int store(byte[] out, byte[] src, int from, int n) {
        if (out == null || out.length < n) {
            return -einval;
        }
        System.arraycopy(src, from, out, 0, n);
        return n;
    }

    private static void putBigEndian16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void putBigEndian32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void putLittleEndian32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static int bigEndian16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static int littleEndian32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}

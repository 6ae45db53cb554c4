// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.Os;

/**
 * Where the fields of {@code struct sockaddr}, {@code sockaddr_in}, {@code sockaddr_in6} and {@code sockaddr_un}
 * lie on one platform. The Java-side backends (JNR, FFM) have no compiled headers, so these are declared here per
 * platform and checked by tests against the JNI shim's images (Linux) and known NetBSD images.
 *
 * <p>Linux (x86_64 and aarch64) starts every sockaddr with a 16-bit {@code sa_family}. NetBSD (amd64) starts it
 * with an 8-bit {@code sa_len} and an 8-bit {@code sa_family}, has a shorter {@code sun_path}, and no abstract
 * Unix namespace. Ports, IPv4 addresses and the IPv6 flow label are in network byte order; the family and the
 * IPv6 scope id in the host's (little-endian on every platform served).
 */
final class SockaddrLayout {
    /** Linux x86_64 and aarch64 (glibc and musl share the kernel's layout). */
    public static final SockaddrLayout LINUX = new SockaddrLayout(Os.LINUX, false, 2, 16, 28, 110, 108, true);
    /** NetBSD amd64. */
    public static final SockaddrLayout NETBSD = new SockaddrLayout(Os.NETBSD, true, 1, 16, 28, 106, 104, false);

    /** {@code sizeof(struct sockaddr_storage)}: 128 on both. */
    public static final int STORAGE = 128;
    /** {@code sizeof(struct sockaddr)}: 16 on both. */
    public static final int SOCKADDR = 16;
    /** {@code offsetof(struct sockaddr, sa_data)}: what the family (and length byte) take, 2 on both. */
    public static final int SA_DATA = 2;
    /** Offset of {@code sin_port} and {@code sin6_port}. */
    public static final int PORT = 2;
    /** Offset of {@code sin_addr}. */
    public static final int IN_ADDR = 4;
    /** Offset of {@code sin6_flowinfo}. */
    public static final int IN6_FLOWINFO = 4;
    /** Offset of {@code sin6_addr}. */
    public static final int IN6_ADDR = 8;
    /** Offset of {@code sin6_scope_id}. */
    public static final int IN6_SCOPE_ID = 24;
    /** Offset of {@code sun_path}. */
    public static final int SUN_PATH = 2;

    /** The platform. */
    public final Os os;
    /** True when byte 0 is {@code sa_len} (BSD). */
    public final boolean hasLen;
    /** Bytes of {@code sa_family}: 2 (u16 at 0) or 1 (u8 at 1, after {@code sa_len}). */
    public final int familySize;
    /** {@code sizeof(struct sockaddr_in)}. */
    public final int sizeofIn;
    /** {@code sizeof(struct sockaddr_in6)}. */
    public final int sizeofIn6;
    /** {@code sizeof(struct sockaddr_un)}. */
    public final int sizeofUn;
    /** {@code sizeof(sun_path)}. */
    public final int sunPathSize;
    /** True when a leading NUL in {@code sun_path} names the abstract namespace (Linux). */
    public final boolean abstractUnix;

    private SockaddrLayout(Os os, boolean hasLen, int familySize, int sizeofIn, int sizeofIn6, int sizeofUn,
            int sunPathSize, boolean abstractUnix) {
        this.os = os;
        this.hasLen = hasLen;
        this.familySize = familySize;
        this.sizeofIn = sizeofIn;
        this.sizeofIn6 = sizeofIn6;
        this.sizeofUn = sizeofUn;
        this.sunPathSize = sunPathSize;
        this.abstractUnix = abstractUnix;
    }

    /** The layout of {@code os}. */
    public static SockaddrLayout of(Os os) {
        return os == Os.LINUX ? LINUX : NETBSD;
    }

    /** Writes the family (and on BSD the length byte) at the start of {@code image}. */
    void putHeader(byte[] image, int family, int length) {
        if (hasLen) {
            image[0] = (byte) length;
            image[1] = (byte) family;
        } else {
            image[0] = (byte) family; // u16 in little-endian order
            image[1] = (byte) (family >>> 8);
        }
    }

    /** The family of a sockaddr image of at least {@link #SA_DATA} bytes. */
    int family(byte[] image) {
        return hasLen ? image[1] & 0xff : (image[0] & 0xff) | (image[1] & 0xff) << 8;
    }
}

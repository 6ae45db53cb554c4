// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.Os;

/**
 * Where the fields of {@code struct cmsghdr}, {@code struct in_pktinfo} and {@code struct in6_pktinfo} lie on one
 * platform, and how its {@code CMSG_*} macros compute lengths. The JNI shim gets all this from the headers; the
 * Java-side backends (JNR, FFM) write the same bytes from these numbers (checked against the shim by {@code LayoutTest}
 * and {@code PlansMatchJniTest} on Linux).
 *
 * <p>{@code cmsghdr}: Linux (x86_64, aarch64) {@code {size_t cmsg_len; int cmsg_level; int cmsg_type;}}, 16
 * bytes; NetBSD amd64 {@code {socklen_t cmsg_len; int cmsg_level; int cmsg_type;}}, 12 bytes. Both align control
 * messages to 8 bytes ({@code sizeof(size_t)} on Linux, {@code __ALIGNBYTES + 1} on NetBSD amd64), so on both
 * {@code CMSG_DATA} is 16 bytes past the header, {@code CMSG_LEN(n) = 16 + n} and
 * {@code CMSG_SPACE(n) = 16 + align8(n)}.
 *
 * <p>{@code in_pktinfo}: Linux (linux/in.h, glibc netinet/in.h)
 * {@code {int ipi_ifindex; struct in_addr ipi_spec_dst; struct in_addr ipi_addr;}}, 12 bytes, and the kernel takes
 * a sent packet's source from {@code ipi_spec_dst}; NetBSD (netinet/in.h, since 8.0)
 * {@code {struct in_addr ipi_addr; unsigned int ipi_ifindex;}}, 8 bytes, the source taken from {@code ipi_addr}.
 * On receipt both report the packet's destination in {@code ipi_addr}. {@code in6_pktinfo} is
 * {@code {struct in6_addr ipi6_addr; unsigned int ipi6_ifindex;}}, 20 bytes, on both.
 */
final class CmsgLayout {
    /** Linux x86_64 and aarch64 (glibc). */
    static final CmsgLayout LINUX = new CmsgLayout(Os.LINUX, 16, 8, 8, 12, 12, 0, 4, 8, true);
    /** NetBSD amd64. */
    static final CmsgLayout NETBSD = new CmsgLayout(Os.NETBSD, 12, 4, 4, 8, 8, 4, 0, 0, false);

    /** {@code CMSG_DATA(c) - c}, {@code CMSG_LEN(0)} and {@code CMSG_SPACE(0)}: 16 on both. */
    static final int DATA = 16;
    /** Control messages are aligned to this many bytes ({@code CMSG_ALIGN}). */
    static final int ALIGN = 8;
    /** {@code sizeof(struct in6_pktinfo)}. */
    static final int IN6_PKTINFO = 20;
    /** Offset of {@code ipi6_addr} (16 bytes). */
    static final int IN6_ADDR = 0;
    /** Offset of {@code ipi6_ifindex}. */
    static final int IN6_IFINDEX = 16;

    /** The platform. */
    final Os os;
    /** {@code sizeof(struct cmsghdr)}: what {@code CMSG_FIRSTHDR} asks of {@code msg_controllen}. */
    final int sizeofCmsghdr;
    /** Bytes of {@code cmsg_len} (at offset 0): 8 ({@code size_t}) or 4 ({@code socklen_t}). */
    final int lenSize;
    /** Offset of {@code cmsg_level}. */
    final int level;
    /** Offset of {@code cmsg_type}. */
    final int type;
    /** {@code sizeof(struct in_pktinfo)}. */
    final int inPktinfo;
    /** Offset of {@code ipi_ifindex}. */
    final int inIfindex;
    /** Offset of the address the kernel takes a sent packet's source from. */
    final int inSource;
    /** Offset of {@code ipi_addr}: a received packet's destination. */
    final int inAddr;
    /** True for glibc's {@code CMSG_NXTHDR} (checks room for the current message), false for NetBSD's. */
    final boolean glibcNext;

    private CmsgLayout(Os os, int sizeofCmsghdr, int lenSize, int level, int type, int inPktinfo, int inIfindex,
            int inSource, int inAddr, boolean glibcNext) {
        this.os = os;
        this.sizeofCmsghdr = sizeofCmsghdr;
        this.lenSize = lenSize;
        this.level = level;
        this.type = type;
        this.inPktinfo = inPktinfo;
        this.inIfindex = inIfindex;
        this.inSource = inSource;
        this.inAddr = inAddr;
        this.glibcNext = glibcNext;
    }

    /** The layout of {@code os}. */
    static CmsgLayout of(Os os) {
        return os == Os.LINUX ? LINUX : NETBSD;
    }

    /** {@code CMSG_ALIGN(n)}. */
    static long align(long n) {
        return (n + ALIGN - 1) & ~(long) (ALIGN - 1);
    }

    /** {@code CMSG_SPACE(n)}. */
    static long space(long n) {
        return DATA + align(n);
    }
}

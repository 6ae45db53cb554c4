// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.github.posixsend.Os;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The C structures the send family uses, as {@link MemoryLayout}s per platform: Linux x86_64/aarch64 (glibc) and
 * NetBSD amd64, from their headers as the facts sheet lists them. They restate, field by field, the numbers the
 * Java-side backends build structures with ({@code internal.libc}); {@link #describe} turns them into the names
 * the JNI shim reports from compiled headers ({@code SIZEOF_*}, {@code OFFSETOF_*}), and the tests check them
 * against the shim (on the host) and posix-send's tables (both platforms).
 */
final class FfmLayouts {
    private static final ValueLayout POINTER = ValueLayout.ADDRESS;

    /** {@code struct msghdr}. */
    final StructLayout msghdr;
    /** {@code struct mmsghdr}. */
    final StructLayout mmsghdr;
    /** {@code struct iovec}. */
    final StructLayout iovec;
    /** {@code struct cmsghdr}, without its data. */
    final StructLayout cmsghdr;
    /** {@code struct sockaddr_in}. */
    final StructLayout sockaddrIn;
    /** {@code struct sockaddr_in6}. */
    final StructLayout sockaddrIn6;
    /** {@code struct sockaddr_un}. */
    final StructLayout sockaddrUn;
    /** {@code struct pollfd}. */
    final StructLayout pollfd;
    /** {@code struct linger}. */
    final StructLayout linger;
    /** {@code struct timeval}. */
    final StructLayout timeval;
    /** {@code struct timespec}. */
    final StructLayout timespec;

    private FfmLayouts(Os os) {
        boolean linux = os == Os.LINUX;
        // Linux: msg_iovlen and msg_controllen are size_t; NetBSD: int and socklen_t, then msg_flags follows at once
        msghdr = linux
                ? structLayout(POINTER.withName("msg_name"), JAVA_INT.withName("msg_namelen"), paddingLayout(4),
                        POINTER.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
                        POINTER.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
                        JAVA_INT.withName("msg_flags"), paddingLayout(4))
                : structLayout(POINTER.withName("msg_name"), JAVA_INT.withName("msg_namelen"), paddingLayout(4),
                        POINTER.withName("msg_iov"), JAVA_INT.withName("msg_iovlen"), paddingLayout(4),
                        POINTER.withName("msg_control"), JAVA_INT.withName("msg_controllen"),
                        JAVA_INT.withName("msg_flags"));
        mmsghdr = structLayout(msghdr.withName("msg_hdr"), JAVA_INT.withName("msg_len"), paddingLayout(4));
        iovec = structLayout(POINTER.withName("iov_base"), JAVA_LONG.withName("iov_len"));
        // Linux: size_t cmsg_len; NetBSD: socklen_t cmsg_len
        cmsghdr = linux
                ? structLayout(JAVA_LONG.withName("cmsg_len"), JAVA_INT.withName("cmsg_level"),
                        JAVA_INT.withName("cmsg_type"))
                : structLayout(JAVA_INT.withName("cmsg_len"), JAVA_INT.withName("cmsg_level"),
                        JAVA_INT.withName("cmsg_type"));
        // Linux: u16 sa_family; NetBSD: u8 sa_len, u8 sa_family
        MemoryLayout[] family = linux
                ? new MemoryLayout[] {JAVA_SHORT.withName("sa_family")}
                : new MemoryLayout[] {JAVA_BYTE.withName("sa_len"), JAVA_BYTE.withName("sa_family")};
        sockaddrIn = structLayout(concat(family, JAVA_SHORT.withName("sin_port"), JAVA_INT.withName("sin_addr"),
                sequenceLayout(8, JAVA_BYTE).withName("sin_zero")));
        sockaddrIn6 = structLayout(concat(family, JAVA_SHORT.withName("sin6_port"),
                JAVA_INT.withName("sin6_flowinfo"), sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
                JAVA_INT.withName("sin6_scope_id")));
        sockaddrUn = structLayout(concat(family, sequenceLayout(linux ? 108 : 104, JAVA_BYTE).withName("sun_path")));
        pollfd = structLayout(JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));
        linger = structLayout(JAVA_INT.withName("l_onoff"), JAVA_INT.withName("l_linger"));
        // NetBSD: suseconds_t tv_usec is an int, padded to the struct's 8-byte alignment
        timeval = linux
                ? structLayout(JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_usec"))
                : structLayout(JAVA_LONG.withName("tv_sec"), JAVA_INT.withName("tv_usec"), paddingLayout(4));
        timespec = structLayout(JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));
    }

    private static MemoryLayout[] concat(MemoryLayout[] head, MemoryLayout... tail) {
        MemoryLayout[] all = new MemoryLayout[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** The layouts of {@code os}. */
    static FfmLayouts of(Os os) {
        return new FfmLayouts(os);
    }

    /**
     * Sizes and offsets under the names the JNI shim reports them by.
     *
     * @param os the platform
     * @return {@code SIZEOF_*} and {@code OFFSETOF_*} values, by name
     */
    static Map<String, Integer> describe(Os os) {
        FfmLayouts l = of(os);
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("SIZEOF_MSGHDR", size(l.msghdr));
        m.put("OFFSETOF_MSGHDR_NAMELEN", offset(l.msghdr, "msg_namelen"));
        m.put("OFFSETOF_MSGHDR_IOV", offset(l.msghdr, "msg_iov"));
        m.put("OFFSETOF_MSGHDR_IOVLEN", offset(l.msghdr, "msg_iovlen"));
        m.put("OFFSETOF_MSGHDR_CONTROL", offset(l.msghdr, "msg_control"));
        m.put("OFFSETOF_MSGHDR_CONTROLLEN", offset(l.msghdr, "msg_controllen"));
        m.put("OFFSETOF_MSGHDR_FLAGS", offset(l.msghdr, "msg_flags"));
        m.put("SIZEOF_MMSGHDR", size(l.mmsghdr));
        m.put("OFFSETOF_MMSGHDR_LEN", offset(l.mmsghdr, "msg_len"));
        m.put("SIZEOF_IOVEC", size(l.iovec));
        m.put("OFFSETOF_IOVEC_LEN", offset(l.iovec, "iov_len"));
        m.put("SIZEOF_CMSGHDR", size(l.cmsghdr));
        m.put("OFFSETOF_CMSGHDR_LEVEL", offset(l.cmsghdr, "cmsg_level"));
        m.put("OFFSETOF_CMSGHDR_TYPE", offset(l.cmsghdr, "cmsg_type"));
        m.put("SIZEOF_SOCKADDR_IN", size(l.sockaddrIn));
        m.put("SIZEOF_SOCKADDR_IN6", size(l.sockaddrIn6));
        m.put("SIZEOF_SOCKADDR_UN", size(l.sockaddrUn));
        m.put("SIZEOF_SUN_PATH", (int) l.sockaddrUn.select(groupElement("sun_path")).byteSize());
        m.put("OFFSETOF_SA_FAMILY", offset(l.sockaddrIn, "sa_family"));
        m.put("SIZEOF_SA_FAMILY", (int) l.sockaddrIn.select(groupElement("sa_family")).byteSize());
        m.put("OFFSETOF_SIN_PORT", offset(l.sockaddrIn, "sin_port"));
        m.put("OFFSETOF_SIN6_PORT", offset(l.sockaddrIn6, "sin6_port"));
        m.put("OFFSETOF_SIN_ADDR", offset(l.sockaddrIn, "sin_addr"));
        m.put("OFFSETOF_SIN6_ADDR", offset(l.sockaddrIn6, "sin6_addr"));
        m.put("OFFSETOF_SIN6_SCOPE_ID", offset(l.sockaddrIn6, "sin6_scope_id"));
        m.put("SIZEOF_POLLFD", size(l.pollfd));
        m.put("OFFSETOF_POLLFD_FD", offset(l.pollfd, "fd"));
        m.put("OFFSETOF_POLLFD_EVENTS", offset(l.pollfd, "events"));
        m.put("OFFSETOF_POLLFD_REVENTS", offset(l.pollfd, "revents"));
        m.put("SIZEOF_LINGER", size(l.linger));
        m.put("OFFSETOF_LINGER_ONOFF", offset(l.linger, "l_onoff"));
        m.put("OFFSETOF_LINGER_LINGER", offset(l.linger, "l_linger"));
        m.put("SIZEOF_TIMEVAL", size(l.timeval));
        m.put("OFFSETOF_TIMEVAL_SEC", offset(l.timeval, "tv_sec"));
        m.put("OFFSETOF_TIMEVAL_USEC", offset(l.timeval, "tv_usec"));
        m.put("SIZEOF_TV_SEC", (int) l.timeval.select(groupElement("tv_sec")).byteSize());
        m.put("SIZEOF_TV_USEC", (int) l.timeval.select(groupElement("tv_usec")).byteSize());
        m.put("SIZEOF_TIMESPEC", size(l.timespec));
        m.put("OFFSETOF_TIMESPEC_SEC", offset(l.timespec, "tv_sec"));
        m.put("OFFSETOF_TIMESPEC_NSEC", offset(l.timespec, "tv_nsec"));
        return m;
    }

    private static int size(MemoryLayout l) {
        return (int) l.byteSize();
    }

    private static int offset(StructLayout l, String field) {
        return (int) l.byteOffset(groupElement(field));
    }
}

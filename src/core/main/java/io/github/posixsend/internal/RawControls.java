// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import io.github.posixsend.Os;

/**
 * The levels whose control messages posix-send sends as raw bytes: those whose control messages carry values only.
 * Some levels' carry addresses the kernel then reads and writes through (RDS's {@code RDS_CMSG_RDMA_MAP} writes a
 * cookie to one, its {@code RDS_CMSG_RDMA_ARGS} reads an iovec array from another), and no check of the bytes can
 * make such an address safe; so, as for socket options ({@link OptionValues}), a level posix-send does not know is
 * refused.
 */
public final class RawControls {
    /** {@code IPPROTO_SCTP}, {@code SOL_SCTP} on Linux: the same number on both systems. */
    private static final int SCTP = 132;
    /** Linux's {@code SOL_ALG} (AF_ALG's IV, operation and associated data length). */
    private static final int LINUX_SOL_ALG = 279;
    /** Linux's {@code SOL_TLS} (kernel TLS's record type). */
    private static final int LINUX_SOL_TLS = 282;

    private RawControls() {
    }

    /**
     * Whether raw control messages of {@code level} may be sent.
     *
     * @param level the {@code cmsg_level}
     * @return true for {@code SOL_SOCKET}, {@code IPPROTO_IP}, {@code IPPROTO_IPV6}, {@code IPPROTO_TCP},
     *     {@code IPPROTO_UDP} and SCTP's, and on Linux AF_ALG's and kernel TLS's; false for any other
     */
    public static boolean sendable(int level) {
        if (level == Platform.UNSUPPORTED) {
            return false;
        }
        return level == Platform.value("SOL_SOCKET") || level == Platform.value("IPPROTO_IP")
                || level == Platform.value("IPPROTO_IPV6") || level == Platform.value("IPPROTO_TCP")
                || level == Platform.value("IPPROTO_UDP") || level == SCTP
                || (Platform.os() == Os.LINUX && (level == LINUX_SOL_ALG || level == LINUX_SOL_TLS));
    }
}

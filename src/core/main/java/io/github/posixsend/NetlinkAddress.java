// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Platform;
import java.lang.invoke.VarHandle;

/**
 * Linux's {@code struct sockaddr_nl} as bytes: built for {@link SockAddr#netlink(int, int)} and read back by
 * {@link SockAddr} and {@link SockAddrBuffer}, at the offsets the compiled header gives.
 */
final class NetlinkAddress {
    private static final VarHandle NATIVE_INT = LinuxSockaddr.NATIVE_INT;

    private NetlinkAddress() {
    }

    /** The address's bytes, exactly {@code sizeof(struct sockaddr_nl)} long; refused where there is no netlink. */
    static byte[] image(int portId, int groups) {
        byte[] image = LinuxSockaddr.blank(Posix.AF_NETLINK, "SIZEOF_SOCKADDR_NL", "netlink addresses");
        NATIVE_INT.set(image, Platform.value("OFFSETOF_SOCKADDR_NL_PID"), portId);
        NATIVE_INT.set(image, Platform.value("OFFSETOF_SOCKADDR_NL_GROUPS"), groups);
        return image;
    }

    /**
     * {@code nl_pid} or {@code nl_groups} (the field at {@code offsetName}) of an address of {@code family}
     * {@code length} bytes long in {@code image}.
     *
     * @throws IllegalStateException when the address is not a whole netlink address
     */
    static int field(byte[] image, int length, int family, String offsetName) {
        int at = Platform.value(offsetName);
        if (family != Posix.AF_NETLINK || family == Platform.UNSUPPORTED || length < at + Integer.BYTES) {
            throw new IllegalStateException("not a netlink address: family " + family + ", " + length + " bytes");
        }
        return (int) NATIVE_INT.get(image, at);
    }
}

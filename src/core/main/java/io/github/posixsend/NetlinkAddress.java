// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Linux's {@code struct sockaddr_nl} as bytes: built for {@link SockAddr#netlink(int, int)} and read back by
 * {@link SockAddr} and {@link SockAddrBuffer}, at the offsets the compiled header gives.
 */
final class NetlinkAddress {
    private static final VarHandle NATIVE_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle NATIVE_SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());

    private NetlinkAddress() {
    }

    /** The address's bytes, exactly {@code sizeof(struct sockaddr_nl)} long; refused where there is no netlink. */
    static byte[] image(int portId, int groups) {
        Backends.requireAvailable();
        int size = Platform.value("SIZEOF_SOCKADDR_NL");
        if (Posix.AF_NETLINK == Platform.UNSUPPORTED || size == Platform.UNSUPPORTED) {
            throw new UnsupportedOperationException("netlink addresses exist only on Linux, not " + Platform.os());
        }
        byte[] image = new byte[size];
        int familyAt = Platform.value("OFFSETOF_SA_FAMILY");
        if (Platform.value("SIZEOF_SA_FAMILY") == 2) {
            NATIVE_SHORT.set(image, familyAt, (short) Posix.AF_NETLINK);
        } else {
            image[familyAt] = (byte) Posix.AF_NETLINK;
        }
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

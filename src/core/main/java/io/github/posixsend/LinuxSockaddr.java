// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What the images of Linux's own address families ({@link NetlinkAddress}, {@link PacketAddress}) share: the
 * native-order views their fields are written and read through, and a blank image of the family's size with the
 * family written, refused where the platform has no such family.
 */
final class LinuxSockaddr {
    static final VarHandle NATIVE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    static final VarHandle NATIVE_SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());

    private LinuxSockaddr() {
    }

    /**
     * A zeroed image {@code sizeName} ({@code SIZEOF_SOCKADDR_*}) long with {@code family} in its {@code sa_family}
     * (two bytes on Linux, the only system these families exist on).
     *
     * @param what the addresses, for the refusal ("netlink addresses")
     * @throws UnsupportedOperationException where the family or its structure is not supported
     */
    static byte[] blank(int family, String sizeName, String what) {
        Backends.requireAvailable();
        int size = Platform.value(sizeName);
        if (family == Platform.UNSUPPORTED || size == Platform.UNSUPPORTED) {
            throw new UnsupportedOperationException(what + " exist only on Linux, not " + Platform.os());
        }
        byte[] image = new byte[size];
        NATIVE_SHORT.set(image, Platform.value("OFFSETOF_SA_FAMILY"), (short) family);
        return image;
    }
}

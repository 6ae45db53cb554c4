// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Platform;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Linux's {@code struct sockaddr_ll} as bytes: built for {@link SockAddr#packet(int, int, byte[])} and read back by
 * {@link SockAddr} and {@link SockAddrBuffer}, at the offsets the compiled header gives.
 */
final class PacketAddress {
    private static final VarHandle NATIVE_INT = LinuxSockaddr.NATIVE_INT;
    private static final VarHandle NATIVE_SHORT = LinuxSockaddr.NATIVE_SHORT;
    private static final VarHandle NETWORK_SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private PacketAddress() {
    }

    /** The address's bytes, exactly {@code sizeof(struct sockaddr_ll)} long; refused where there are none. */
    static byte[] image(int interfaceIndex, int protocol, byte[] hardwareAddress) {
        byte[] image = LinuxSockaddr.blank(Posix.AF_PACKET, "SIZEOF_SOCKADDR_LL", "packet sockets");
        if (protocol < 0 || protocol > 0xffff) {
            throw new IllegalArgumentException("protocol out of range (an ethertype, 0 to 0xffff): " + protocol);
        }
        int room = Platform.value("SIZEOF_SLL_ADDR");
        byte[] hw = hardwareAddress.clone();
        if (hw.length > room) {
            throw new IllegalArgumentException("a hardware address of " + hw.length + " bytes is longer than the "
                    + room + " of sll_addr");
        }
        NETWORK_SHORT.set(image, Platform.value("OFFSETOF_SLL_PROTOCOL"), (short) protocol);
        NATIVE_INT.set(image, Platform.value("OFFSETOF_SLL_IFINDEX"), interfaceIndex);
        image[Platform.value("OFFSETOF_SLL_HALEN")] = (byte) hw.length;
        System.arraycopy(hw, 0, image, Platform.value("OFFSETOF_SLL_ADDR"), hw.length);
        return image;
    }

    /**
     * Refuses an address that is not a packet address with its fixed part whole: the kernel reports one as long as
     * that part and its {@code sll_halen} bytes ({@code getsockname}: 18 on loopback), a received one whole.
     */
    static void require(int length, int family) {
        if (family != Posix.AF_PACKET || family == Platform.UNSUPPORTED
                || length < Platform.value("OFFSETOF_SLL_ADDR")) {
            throw new IllegalStateException("not a packet address: family " + family + ", " + length + " bytes");
        }
    }

    /** {@code sll_ifindex}. */
    static int interfaceIndex(byte[] image, int length, int family) {
        require(length, family);
        return (int) NATIVE_INT.get(image, Platform.value("OFFSETOF_SLL_IFINDEX"));
    }

    /** {@code ntohs(sll_protocol)}. */
    static int protocol(byte[] image, int length, int family) {
        require(length, family);
        return Short.toUnsignedInt((short) NETWORK_SHORT.get(image, Platform.value("OFFSETOF_SLL_PROTOCOL")));
    }

    /** {@code sll_pkttype}. */
    static int packetType(byte[] image, int length, int family) {
        require(length, family);
        return image[Platform.value("OFFSETOF_SLL_PKTTYPE")] & 0xff;
    }

    /** {@code sll_hatype}. */
    static int hardwareType(byte[] image, int length, int family) {
        require(length, family);
        return Short.toUnsignedInt((short) NATIVE_SHORT.get(image, Platform.value("OFFSETOF_SLL_HATYPE")));
    }

    /** The first {@code sll_halen} bytes of {@code sll_addr} (no more than it holds), copied. */
    static byte[] hardwareAddress(byte[] image, int length, int family) {
        int n = hardwareLength(image, length, family);
        int at = Platform.value("OFFSETOF_SLL_ADDR");
        return Arrays.copyOfRange(image, at, at + n);
    }

    /** Copies as much of the hardware address as {@code into} holds; returns its whole length. */
    static int copyHardwareAddress(byte[] image, int length, int family, byte[] into) {
        int n = hardwareLength(image, length, family);
        System.arraycopy(image, Platform.value("OFFSETOF_SLL_ADDR"), into, 0, Math.min(n, into.length));
        return n;
    }

    /** {@code sll_halen}, no more than {@code sll_addr} and the address's length hold. */
    private static int hardwareLength(byte[] image, int length, int family) {
        require(length, family);
        int at = Platform.value("OFFSETOF_SLL_ADDR");
        return Math.min(image[Platform.value("OFFSETOF_SLL_HALEN")] & 0xff,
                Math.min(Platform.value("SIZEOF_SLL_ADDR"), Math.min(length, image.length) - at));
    }

    /** "packet:if 1, protocol 0x88b5, 00:00:00:00:00:00 (host)". */
    static String toString(byte[] image, int length, int family) {
        StringBuilder b = new StringBuilder("packet:if ").append(interfaceIndex(image, length, family))
                .append(", protocol 0x").append(Integer.toHexString(protocol(image, length, family)));
        byte[] hw = hardwareAddress(image, length, family);
        for (int i = 0; i < hw.length; i++) {
            b.append(i == 0 ? ", " : ":").append(String.format("%02x", hw[i] & 0xff));
        }
        return b.append(", type ").append(packetType(image, length, family)).toString();
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Reusable room for the address a receive or accept call reports, C's {@code struct sockaddr_storage} with its
 * {@code socklen_t}: {@link Posix#tryRecvfrom(int, java.nio.ByteBuffer, int, SockAddrBuffer)} writes the sender's
 * address here, and {@link Posix#tryAccept(int, int, SockAddrBuffer)} the new connection's peer, instead of allocating
 * one, so a receive or accept loop allocates nothing. Reading {@link #family()} and {@link #port()} allocates nothing
 * either; {@link #toSockAddr()} and {@link #toSocketAddress()} make objects.
 *
 * <p>A buffer is not safe for use by several threads at once.
 */
public final class SockAddrBuffer {
    private static final int FAMILY_OFFSET = Platform.value("OFFSETOF_SA_FAMILY");
    private static final int FAMILY_SIZE = Platform.value("SIZEOF_SA_FAMILY");
    private static final int SIN_PORT = Platform.value("OFFSETOF_SIN_PORT");
    private static final int SIN6_PORT = Platform.value("OFFSETOF_SIN6_PORT");
    private static final int SIN_ADDR = Platform.value("OFFSETOF_SIN_ADDR");
    private static final int SIN6_ADDR = Platform.value("OFFSETOF_SIN6_ADDR");
    private static final int SIN6_SCOPE_ID = Platform.value("OFFSETOF_SIN6_SCOPE_ID");
    private static final VarHandle NATIVE_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle NATIVE_SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final int UNIX_PATH_OFFSET =
            Platform.value("SIZEOF_SOCKADDR_UN") - Platform.value("SIZEOF_SUN_PATH");

    final byte[] image;
    final int[] length = new int[1];

    /** An empty buffer. */
    public SockAddrBuffer() {
        Backends.requireAvailable();
        image = new byte[Platform.value("SIZEOF_SOCKADDR_STORAGE")];
    }

    /** Forgets the address: {@link #length()} becomes 0. */
    public void clear() {
        length[0] = 0;
    }

    /** {@return the length of the address the last call wrote ({@code socklen_t}); 0 before any, or when cleared} */
    public int length() {
        return length[0];
    }

    /**
     * {@return true when the last call named a sender or peer} A connected stream, or an unnamed Unix socket, gives
     * no address (the kernel writes only the family, or nothing).
     */
    public boolean hasAddress() {
        return length[0] > UNIX_PATH_OFFSET;
    }

    /**
     * The length of the address to send to, read once, so that the caller uses what was checked: a call that sends
     * to the buffer's address ({@link Message#destination(SockAddrBuffer)}, {@code Posix.sendto}) passes this many
     * bytes of {@link #image}.
     *
     * @throws IllegalArgumentException when the buffer holds no address ({@link #hasAddress()} false)
     */
    int destinationLength() {
        int n = length[0];
        if (n <= UNIX_PATH_OFFSET) {
            throw new IllegalArgumentException("the SockAddrBuffer holds no address to send to (length " + n + ")");
        }
        return Math.min(n, image.length);
    }

    /**
     * {@return the address's family ({@code Posix.AF_INET}, {@code AF_INET6}, {@code AF_UNIX}, or the number of
     * another family the kernel reported), or -1 when there is none} An unnamed Unix socket's name, which is only its
     * family (C reads {@code AF_UNIX} in {@code ss_family} and a length of 2), counts as none, as in
     * {@link #hasAddress()}: {@link #length()} tells it from no name at all.
     */
    public int family() {
        return hasAddress() ? familyInImage() : -1;
    }

    /** The family field of the image, whatever the length says. */
    private int familyInImage() {
        return FAMILY_SIZE == 2 ? ((short) NATIVE_SHORT.get(image, FAMILY_OFFSET)) & 0xffff
                : image[FAMILY_OFFSET] & 0xff;
    }

    /** {@return the port of an internet address; 0 for other families, -1 when there is no address} */
    public int port() {
        int family = family();
        if (family < 0) {
            return -1;
        }
        int at = portOffset(family);
        return at < 0 ? 0 : (image[at] & 0xff) << 8 | (image[at + 1] & 0xff); // network byte order
    }

    /**
     * {@return {@code nl_pid} of the netlink address held: 0 when the kernel sent the message, a socket's port id
     * otherwise} Allocates nothing; the check C makes on each reply ({@code if (sa.nl_pid != 0)}) before trusting it.
     * The bits of C's {@code __u32}: a port id the kernel chose at autobind may be above 2^31 and read negative here
     * ({@link Integer#toUnsignedLong} gives the number; test {@code != 0}, not {@code > 0}).
     *
     * @throws IllegalStateException when the buffer holds no netlink address
     */
    public int netlinkPortId() {
        return NetlinkAddress.field(image, length[0], family(), "OFFSETOF_SOCKADDR_NL_PID");
    }

    /**
     * {@return {@code nl_groups} of the netlink address held: the multicast group a message was sent to, as a bit}
     *
     * @throws IllegalStateException when the buffer holds no netlink address
     */
    public int netlinkGroups() {
        return NetlinkAddress.field(image, length[0], family(), "OFFSETOF_SOCKADDR_NL_GROUPS");
    }

    /**
     * {@return {@code sll_ifindex} of the packet address held: the interface a frame came from} Allocates nothing.
     *
     * @throws IllegalStateException when the buffer holds no packet address
     */
    public int packetInterfaceIndex() {
        return PacketAddress.interfaceIndex(image, length[0], family());
    }

    /**
     * {@return {@code sll_protocol} of the packet address held, in the machine's order: the frame's ethertype}
     * Allocates nothing.
     *
     * @throws IllegalStateException when the buffer holds no packet address
     */
    public int packetProtocol() {
        return PacketAddress.protocol(image, length[0], family());
    }

    /**
     * {@return {@code sll_pkttype} of the packet address held: {@link Posix#PACKET_HOST},
     * {@link Posix#PACKET_OUTGOING} and the others} Allocates nothing.
     *
     * @throws IllegalStateException when the buffer holds no packet address
     */
    public int packetType() {
        return PacketAddress.packetType(image, length[0], family());
    }

    /**
     * {@return {@code sll_hatype} of the packet address held: the link's {@code ARPHRD_*} type (772 for loopback)}
     * Allocates nothing.
     *
     * @throws IllegalStateException when the buffer holds no packet address
     */
    public int packetHardwareType() {
        return PacketAddress.hardwareType(image, length[0], family());
    }

    /**
     * Copies the packet address's hardware address ({@code sll_addr}, {@code sll_halen} bytes of it) into
     * {@code into}, without allocating, as much as fits.
     *
     * @param into where the bytes go, from index 0
     * @return {@code sll_halen} (no more than {@code sll_addr} holds): how many bytes the address has, which may be
     *     more than {@code into} took
     * @throws NullPointerException when {@code into} is null
     * @throws IllegalStateException when the buffer holds no packet address
     */
    public int packetHardwareAddress(byte[] into) {
        Objects.requireNonNull(into, "into");
        return PacketAddress.copyHardwareAddress(image, length[0], family(), into);
    }

    /** Where {@code sin_port} or {@code sin6_port} lies for an address of {@code family}; -1 for another family. */
    private static int portOffset(int family) {
        return family == Posix.AF_INET ? SIN_PORT : family == Posix.AF_INET6 ? SIN6_PORT : -1;
    }

    /**
     * Sets the port of the internet address held, as C writes {@code sin_port} or {@code sin6_port} of a received
     * {@code struct sockaddr_storage} (in network byte order) before using it again. Allocates nothing.
     *
     * @param port 0 to 65535
     * @return this buffer
     * @throws IllegalArgumentException for a port out of range
     * @throws IllegalStateException when the buffer holds no {@code AF_INET} or {@code AF_INET6} address
     */
    public SockAddrBuffer setPort(int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        int at = portOffset(family());
        if (at < 0) {
            throw new IllegalStateException("no internet address to set a port in: " + this);
        }
        image[at] = (byte) (port >> 8);
        image[at + 1] = (byte) port;
        return this;
    }

    /**
     * {@return the {@code sin6_scope_id} of an IPv6 address (the interface index of a link-local peer, 0 for most);
     * 0 for other families, -1 when there is no address} Allocates nothing.
     */
    public int scopeId() {
        int family = family();
        if (family < 0) {
            return -1;
        }
        return family == Posix.AF_INET6 && length[0] >= SIN6_SCOPE_ID + 4 ? (int) NATIVE_INT.get(image, SIN6_SCOPE_ID)
                : 0;
    }

    /**
     * Copies the IP address of an internet address into {@code into}, in network byte order as
     * {@link java.net.InetAddress#getAddress()} gives it ({@code sin_addr}, {@code sin6_addr}), without allocating.
     *
     * @param into room for 4 bytes (IPv4) or 16 (IPv6)
     * @return the bytes copied: 4 for {@code AF_INET}, 16 for {@code AF_INET6}; 0 for another family or no address
     * @throws IllegalArgumentException when {@code into} is shorter than the address
     */
    public int address(byte[] into) {
        int family = family();
        int n = family == Posix.AF_INET ? 4 : family == Posix.AF_INET6 ? 16 : 0;
        if (n == 0) {
            return 0;
        }
        return copyAddress(image, n == 4 ? SIN_ADDR : SIN6_ADDR, n, into);
    }

    /**
     * Copies the name of a Unix address, C's {@code sun_path} as far as the reported length covers it, into
     * {@code into}, as much as fits, without allocating: a path's bytes up to the NUL that ends it (which Linux
     * counts in the length), or a Linux abstract name with its leading 0 byte, as {@code sun_path} holds it. For a
     * reply, the buffer itself is the destination ({@code Posix.sendto}); this is for what C does with
     * {@code sun_path} besides (a log line, a table of clients).
     *
     * @param into where the bytes go, from index 0
     * @return how many bytes the name has, which may be more than {@code into} took; 0 for an unnamed sender (an
     *     unbound Unix socket, whose address Linux reports as empty) or no address at all
     * @throws NullPointerException when {@code into} is null
     * @throws IllegalStateException when the buffer holds an address of another family
     */
    public int unixPath(byte[] into) {
        Objects.requireNonNull(into, "into");
        int n = Math.min(length[0], image.length) - UNIX_PATH_OFFSET; // the length read once
        if (n <= 0) {
            return 0;
        }
        if (familyInImage() != Posix.AF_UNIX) {
            throw new IllegalStateException("no Unix address to read a path from: " + this);
        }
        if (image[UNIX_PATH_OFFSET] != 0) { // a path, not an abstract name: it ends at its NUL
            for (int i = 0; i < n; i++) {
                if (image[UNIX_PATH_OFFSET + i] == 0) {
                    n = i;
                    break;
                }
            }
        }
        System.arraycopy(image, UNIX_PATH_OFFSET, into, 0, Math.min(n, into.length));
        return n;
    }

    /**
     * Copies the {@code n} address bytes at {@code from[off]} into {@code into}, as the allocation-free address
     * readers hand them out ({@link PacketInfo} too); returns {@code n}.
     */
    static int copyAddress(byte[] from, int off, int n, byte[] into) {
        Objects.requireNonNull(into, "into");
        if (into.length < n) {
            throw new IllegalArgumentException("an address of " + n + " bytes does not fit " + into.length);
        }
        System.arraycopy(from, off, into, 0, n);
        return n;
    }

    /**
     * Whether {@code other} holds the same address, as C compares two: the same length and the same bytes up to it
     * ({@code sl == ol && memcmp(&ss, &os, sl) == 0}); two buffers without an address (length 0) are the same.
     * Allocates nothing.
     *
     * @param other another buffer
     * @return true when both lengths and the bytes they cover are equal
     * @throws NullPointerException when {@code other} is null
     */
    public boolean sameAddress(SockAddrBuffer other) {
        int n = length[0];
        int bytes = Math.min(n, image.length); // a length the kernel reported beyond the room covers no more bytes
        return n == other.length[0] && java.util.Arrays.equals(image, 0, bytes, other.image, 0, bytes);
    }

    /**
     * Whether this buffer holds {@code address}, compared as {@link #sameAddress(SockAddrBuffer)} compares two
     * buffers: a received sender against a known one ({@code sl == sizeof sa && memcmp(&ss, &sa, sl) == 0}).
     * Allocates nothing.
     *
     * @param address the address to compare with
     * @return true when the lengths and the bytes they cover are equal
     * @throws NullPointerException when {@code address} is null
     */
    public boolean sameAddress(SockAddr address) {
        byte[] other = address.image();
        int n = length[0];
        return n == other.length && java.util.Arrays.equals(image, 0, Math.min(n, image.length), other, 0,
                Math.min(n, image.length));
    }

    /**
     * Makes this buffer hold {@code address}, as C copies a known {@code struct sockaddr} into the storage a call
     * then reads (or to compare received ones with it). Allocates nothing.
     *
     * @param address the address to copy
     * @return this buffer
     * @throws NullPointerException when {@code address} is null
     */
    public SockAddrBuffer copyFrom(SockAddr address) {
        byte[] src = address.image();
        int n = Math.min(src.length, image.length);
        System.arraycopy(src, 0, image, 0, n);
        length[0] = n;
        return this;
    }

    /**
     * Makes this buffer hold {@code src}'s address, as C copies a {@code struct sockaddr_storage} and its length (to
     * keep the last sender while the next receive writes into {@code src}). Allocates nothing.
     *
     * @param src the buffer to copy; this one when it is the same, which changes nothing
     * @return this buffer
     * @throws NullPointerException when {@code src} is null
     */
    public SockAddrBuffer copyFrom(SockAddrBuffer src) {
        int n = src.length[0];
        System.arraycopy(src.image, 0, image, 0, Math.min(n, image.length));
        length[0] = n;
        return this;
    }

    /** {@return the address as a {@link SockAddr} (a copy), or null when there is none} */
    public SockAddr toSockAddr() {
        return hasAddress() ? SockAddr.fromImage(image, length[0]) : null;
    }

    /**
     * {@return the address as {@link Posix#recvfrom(int, java.nio.ByteBuffer, int)} gives it, or null when there is
     * none}
     */
    public SocketAddress toSocketAddress() {
        SockAddr sa = toSockAddr();
        return sa == null ? null : sa.toSocketAddress();
    }

    @Override
    public String toString() {
        SockAddr sa = toSockAddr();
        return sa == null ? "SockAddrBuffer[no address]" : "SockAddrBuffer[" + sa + "]";
    }
}

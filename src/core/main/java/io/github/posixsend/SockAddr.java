// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.Objects;

/**
 * A socket address already converted to the platform's {@code struct sockaddr}: a prepared destination.
 *
 * <p>The send calls accept any {@link SocketAddress}, but an {@link InetSocketAddress} or
 * {@link UnixDomainSocketAddress} is converted on every call. Convert it once with {@link #of(SocketAddress)}
 * and pass the {@code SockAddr} instead: the call then allocates nothing. (The last address converted is
 * remembered by identity, so passing the same {@code InetSocketAddress} object again also allocates nothing.)
 * A {@code SockAddr} is immutable and
 * can be shared between threads.
 *
 * <p>It also names what {@code java.net} cannot: a Linux abstract Unix socket name ({@link #abstractUnix}), a
 * Linux netlink address ({@link #netlink}), the kernel's end of a netlink socket, and a Linux link-layer address
 * ({@link #packet}) for packet sockets. An address of a family posix-send has no factory for, as
 * {@code getsockname} or a receive reports it, is kept as the kernel's bytes and is taken back as it is by the send
 * calls, {@code bind} and {@code connect}.
 *
 * <p>Serialized, a {@code SockAddr} is the address it names (an {@link InetSocketAddress}, a
 * {@link UnixDomainSocketAddress} path or an abstract name), never its {@code struct sockaddr} bytes, which differ
 * between platforms; reading it back converts that address again, with the checks {@link #of} and
 * {@link #abstractUnix} make, so a stream cannot make a destination the factories would refuse. A netlink or packet
 * address, or one of another family (one {@code recvmsg} reported), cannot be serialized. A stream that holds a
 * {@code SockAddr}'s fields instead is refused; code that reads such a stream leniently (catching the refusal) can
 * still be handed the object unfilled, and then every method that needs its address, here and in {@link Posix},
 * throws {@link IllegalArgumentException} saying so (it prints as {@code sockaddr(unfilled)}).
 */
public final class SockAddr extends SocketAddress {
    private static final long serialVersionUID = 1L;
    private static final Charset FILE_NAMES = Platform.fileNameCharset();

    /** The sockaddr image, exactly as long as the structure the kernel is given. */
    private final byte[] image;
    /** The family, {@code sa_family}, as the running platform numbers it. */
    private final int family;
    /** The port of an internet address, in host byte order; 0 for other families. */
    private final int port;

    private SockAddr(byte[] image, int family, int port) {
        this.image = image;
        this.family = family;
        this.port = port;
    }

    /**
     * Converts an address: an {@link InetSocketAddress} (IPv4, or IPv6 with its scope id), a
     * {@link UnixDomainSocketAddress} path, or a {@code SockAddr} (returned as it is).
     *
     * @param address the address to convert
     * @return the converted address
     * @throws NullPointerException when {@code address} is null
     * @throws UnresolvedAddressException when an {@code InetSocketAddress} is unresolved
     * @throws UnsupportedAddressTypeException for any other kind of {@code SocketAddress}
     * @throws IllegalArgumentException when a Unix path is longer than the platform's {@code sun_path} allows
     */
    public static SockAddr of(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof SockAddr) {
            return (SockAddr) address;
        }
        Converted last = lastConverted;
        if (last != null && last.source() == address) {
            return last.converted();
        }
        Backends.requireAvailable();
        SockAddr converted = convert(address);
        lastConverted = new Converted(address, converted);
        return converted;
    }

    /**
     * The last address {@link #of} converted, so that a caller sending to the same {@code InetSocketAddress} object
     * again and again (as java.nio's {@code DatagramChannel.send} users do) allocates nothing after the first
     * call. Both classes are immutable, so an identity match is the same address.
     */
    private static volatile Converted lastConverted;

    /** An address {@link #of} converted, and what it gave. */
    private record Converted(SocketAddress source, SockAddr converted) {
    }

    private static SockAddr convert(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress isa = (InetSocketAddress) address;
            if (isa.isUnresolved()) {
                throw new UnresolvedAddressException();
            }
            InetAddress ip = isa.getAddress();
            int scope = ip instanceof Inet6Address ? ((Inet6Address) ip).getScopeId() : 0;
            return inet(ip.getAddress(), isa.getPort(), scope, address);
        }
        if (address instanceof UnixDomainSocketAddress) {
            byte[] path = ((UnixDomainSocketAddress) address).getPath().toString().getBytes(FILE_NAMES);
            int room = Platform.value("SIZEOF_SUN_PATH") - 1; // room for the terminating NUL
            if (path.length > room) {
                throw new IllegalArgumentException("Unix socket path of " + path.length + " bytes is longer than the "
                        + room + " this platform allows: " + address);
            }
            return unix(path, false, address);
        }
        throw new UnsupportedAddressTypeException();
    }

    /**
     * An internet address from its bytes: 4 make a {@code sockaddr_in}, 16 a {@code sockaddr_in6} (scope id 0), as
     * C fills {@code sin_addr} or {@code sin6_addr}, so that an IPv4-mapped address ({@code ::ffff:a.b.c.d}, from
     * {@link Posix#inetPton}) stays IPv6 for an {@code AF_INET6} socket, where
     * {@code new InetSocketAddress("::ffff:127.0.0.1", port)} is an IPv4 address ({@code java.net} turns mapped
     * addresses into IPv4 ones) that a dual-stack socket's {@code bind} refuses.
     *
     * @param address the address in network byte order, 4 or 16 bytes
     * @param port the port, 0 to 65535
     * @return the address
     * @throws IllegalArgumentException for another length or a port out of range
     */
    public static SockAddr inet(byte[] address, int port) {
        Objects.requireNonNull(address, "address");
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an internet address is 4 or 16 bytes, not " + address.length);
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Backends.requireAvailable();
        return inet(address.clone(), port, 0, null);
    }

    /** The {@code sockaddr_in} or {@code sockaddr_in6} of {@code ip} (4 or 16 bytes), built by the backend. */
    private static SockAddr inet(byte[] ip, int port, int scope, SocketAddress source) {
        byte[] out = new byte[Platform.value("SIZEOF_SOCKADDR_IN6")];
        return fromImage(out, check(backend().sockaddrInet(out, ip, port, scope, 0), source));
    }

    /**
     * A Linux abstract-namespace Unix address: {@code name} is the bytes after the leading NUL, in the platform's
     * file name encoding. Abstract names are not files and vanish with the last socket bound to them.
     *
     * @param name the name, without the leading NUL
     * @return the address
     * @throws UnsupportedOperationException on systems without an abstract namespace (NetBSD)
     * @throws IllegalArgumentException when the name is longer than {@code sun_path} allows after the NUL
     */
    public static SockAddr abstractUnix(String name) {
        return abstractUnix(Objects.requireNonNull(name, "name").getBytes(FILE_NAMES));
    }

    /**
     * As {@link #abstractUnix(String)}, with the name's exact bytes.
     *
     * @param name the name's bytes after the leading NUL, copied
     * @return the address
     * @throws UnsupportedOperationException on systems without an abstract namespace (NetBSD)
     * @throws IllegalArgumentException when the name is longer than {@code sun_path} allows after the NUL
     */
    public static SockAddr abstractUnix(byte[] name) {
        Objects.requireNonNull(name, "name");
        Backends.requireAvailable();
        if (Platform.os() != Os.LINUX) {
            throw new UnsupportedOperationException("abstract Unix socket names exist only on Linux, not "
                    + Platform.os());
        }
        int room = Platform.value("SIZEOF_SUN_PATH") - 1; // the leading NUL takes one byte
        if (name.length > room) {
            throw new IllegalArgumentException("abstract Unix name of " + name.length + " bytes is longer than the "
                    + room + " this platform allows");
        }
        return unix(name.clone(), true, null);
    }

    /**
     * A Linux netlink address, C's {@code struct sockaddr_nl}: {@code netlink(0, 0)} is the kernel, the destination
     * of a request ({@code sendto}, or a {@link Message#destination}); for {@code bind}, the port id the socket
     * takes (0: the kernel picks one, which {@code getsockname} then reports) and the multicast groups it joins, one
     * bit each for groups 1 to 32 ({@link Posix#NETLINK_ADD_MEMBERSHIP} joins any).
     *
     * @param portId {@code nl_pid}: 0 for the kernel, or a socket's port id (as C's {@code __u32}, bit for bit)
     * @param groups {@code nl_groups}: the multicast groups' bit mask, 0 for none
     * @return the address
     * @throws UnsupportedOperationException on systems without netlink (NetBSD)
     */
    public static SockAddr netlink(int portId, int groups) {
        byte[] image = NetlinkAddress.image(portId, groups);
        return fromImage(image, image.length);
    }

    /**
     * {@return {@code nl_pid} of a netlink address: 0 for the kernel, another number for a socket} A received
     * message's sender is checked with it, as C checks that a reply came from the kernel. The bits of C's
     * {@code __u32}: {@link Integer#toUnsignedLong} gives the number.
     *
     * @throws IllegalStateException for an address of another family
     */
    public int netlinkPortId() {
        byte[] i = image();
        return NetlinkAddress.field(i, i.length, family, "OFFSETOF_SOCKADDR_NL_PID");
    }

    /**
     * {@return {@code nl_groups} of a netlink address: the multicast groups' bit mask}
     *
     * @throws IllegalStateException for an address of another family
     */
    public int netlinkGroups() {
        byte[] i = image();
        return NetlinkAddress.field(i, i.length, family, "OFFSETOF_SOCKADDR_NL_GROUPS");
    }

    /**
     * A Linux link-layer address, C's {@code struct sockaddr_ll}, for a packet socket ({@link Posix#AF_PACKET}):
     * where a frame goes ({@code sendto}; a {@code SOCK_DGRAM} packet socket builds the link header from the
     * protocol and hardware address, a {@code SOCK_RAW} one sends the frame as given on the interface), or what a
     * socket hears ({@code bind}: the interface, 0 for all, and the protocol, 0 for none until bound again).
     *
     * @param interfaceIndex {@code sll_ifindex}: the interface's index, C's {@code if_nametoindex(name)}, which
     *     {@code java.net.NetworkInterface.getByName(name).getIndex()} gives (loopback is 1 in each network namespace)
     * @param protocol {@code sll_protocol} as an ethertype in the machine's order ({@link Posix#ETH_P_IP},
     *     {@link Posix#ETH_P_ALL}), never through {@link Posix#htons}: the address holds it in network byte order,
     *     as C's {@code sll_protocol = htons(ETH_P_ALL)} puts it, so C's line ports as {@code ETH_P_ALL} here, while
     *     {@code socket}'s protocol argument does take {@code Posix.htons(ETH_P_ALL)}, as in C
     * @param hardwareAddress {@code sll_addr}, its length {@code sll_halen}: a {@code SOCK_DGRAM} send's destination
     *     (six bytes on Ethernet and loopback), empty for a bind or a {@code SOCK_RAW} send; copied
     * @return the address
     * @throws UnsupportedOperationException on systems without packet sockets (NetBSD)
     * @throws IllegalArgumentException for a protocol past 16 bits or a hardware address longer than {@code sll_addr}
     */
    public static SockAddr packet(int interfaceIndex, int protocol, byte[] hardwareAddress) {
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        byte[] image = PacketAddress.image(interfaceIndex, protocol, hardwareAddress);
        return fromImage(image, image.length);
    }

    /**
     * {@return {@code sll_ifindex} of a packet address: the interface a frame came from or goes to}
     *
     * @throws IllegalStateException for an address of another family
     */
    public int packetInterfaceIndex() {
        byte[] i = image();
        return PacketAddress.interfaceIndex(i, i.length, family);
    }

    /**
     * {@return {@code sll_protocol} of a packet address, in the machine's order: the frame's ethertype}
     *
     * @throws IllegalStateException for an address of another family
     */
    public int packetProtocol() {
        byte[] i = image();
        return PacketAddress.protocol(i, i.length, family);
    }

    /**
     * {@return {@code sll_pkttype} of a received frame's address: {@link Posix#PACKET_HOST},
     * {@link Posix#PACKET_OUTGOING} and the others}
     *
     * @throws IllegalStateException for an address of another family
     */
    public int packetType() {
        byte[] i = image();
        return PacketAddress.packetType(i, i.length, family);
    }

    /**
     * {@return {@code sll_hatype} of a received frame's address: the link's {@code ARPHRD_*} type (1 for Ethernet,
     * 772 for loopback)}
     *
     * @throws IllegalStateException for an address of another family
     */
    public int packetHardwareType() {
        byte[] i = image();
        return PacketAddress.hardwareType(i, i.length, family);
    }

    /**
     * {@return the first {@code sll_halen} bytes of {@code sll_addr}: a received frame's source hardware address, a
     * new array}
     *
     * @throws IllegalStateException for an address of another family
     */
    public byte[] packetHardwareAddress() {
        byte[] i = image();
        return PacketAddress.hardwareAddress(i, i.length, family);
    }

    private static SockAddr unix(byte[] path, boolean abstractName, SocketAddress source) {
        byte[] out = new byte[Platform.value("SIZEOF_SOCKADDR_UN")];
        int len = check(backend().sockaddrUnix(out, path, abstractName), source);
        return fromImage(out, len);
    }

    /** A {@code SockAddr} over the first {@code len} bytes of a sockaddr the kernel or a backend filled in. */
    static SockAddr fromImage(byte[] buf, int len) {
        byte[] image = Arrays.copyOf(buf, len);
        int[] info = new int[4];
        byte[] data = new byte[Math.max(16, len)];
        check(backend().sockaddrDecode(image, len, info, data), null);
        return new SockAddr(image, info[0], info[1]);
    }

    private static int check(int result, SocketAddress source) {
        if (result < 0) {
            Errno e = Errno.fromNumber(-result);
            throw new IllegalArgumentException("cannot convert " + (source != null ? source : "the address") + ": "
                    + (e != null ? e.name() : "errno " + -result) + " (" + Errno.describe(-result) + ")");
        }
        return result;
    }

    private static Backend backend() {
        return ChosenBackend.get();
    }


    /**
     * The image's bytes; the send calls hand them to the kernel. Not copied: callers never change it.
     *
     * @throws IllegalArgumentException when this object was not made by the factories: a forged stream can have
     *     {@code readObject} refuse it and still hand it on, unfilled, to code that reads the stream leniently
     */
    byte[] image() {
        byte[] i = image;
        if (i == null) {
            throw new IllegalArgumentException("a SockAddr that no factory made (a serialized stream was refused"
                    + " part way and the object read from it anyway)");
        }
        return i;
    }

    /**
     * {@return the family: {@code Posix.AF_INET}, {@code AF_INET6}, {@code AF_UNIX}, or the number of another family
     * the kernel reported}
     */
    public int family() {
        return family;
    }

    /** {@return the port of an internet address; 0 for every other family} */
    public int port() {
        return port;
    }

    /** {@return the length of the {@code struct sockaddr} the kernel is given} */
    public int length() {
        return image().length;
    }

    /** {@return true for a Linux abstract Unix name} */
    public boolean isAbstractUnix() {
        byte[] i = image();
        return family == Posix.AF_UNIX && i.length > unixPathOffset() && i[unixPathOffset()] == 0;
    }

    private static int unixPathOffset() {
        return Platform.value("SIZEOF_SOCKADDR_UN") - Platform.value("SIZEOF_SUN_PATH");
    }

    /**
     * The address as {@code java.net} names it: an {@link InetSocketAddress} (with the IPv6 scope id), a
     * {@link UnixDomainSocketAddress}, or this object itself for an abstract name, a path whose bytes are not a name in
     * the platform's file-name encoding ({@code sun.jnu.encoding}; a {@code UnixDomainSocketAddress} of it would name
     * another file) or that fills {@code sun_path} with no room for a NUL, or a family {@code java.net} has no type
     * for. The family is kept: an {@code AF_INET6} address
     * is always an {@link Inet6Address}, an IPv4-mapped one ({@code ::ffff:127.0.0.1}, which a dual-stack socket
     * reports for an IPv4 peer) too, so that it can be handed back to the socket it came from. java.nio shows such a
     * name as IPv4 instead, so a channel's {@code getLocalAddress()} and this library's {@code getsockname} of its
     * descriptor can differ in that way.
     *
     * @return the address, a new object at each call (except for this object itself)
     */
    public SocketAddress toSocketAddress() {
        int[] info = new int[4];
        byte[] i = image();
        byte[] data = new byte[Math.max(16, i.length)];
        check(backend().sockaddrDecode(i, i.length, info, data), null);
        int n = info[3];
        try {
            if (family == Posix.AF_INET && n == 4) {
                return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOf(data, 4)), info[1]);
            }
            if (family == Posix.AF_INET6 && n == 16) {
                return new InetSocketAddress(inet6(Arrays.copyOf(data, 16), info[2]), info[1]);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("the kernel returned a malformed address", e);
        }
        if (family == Posix.AF_UNIX && !isAbstractUnix()) {
            String path = fileName(data, n);
            if (path != null) {
                return UnixDomainSocketAddress.of(path);
            }
        }
        return this;
    }

    /**
     * The path's bytes as a name in the file-name encoding, or null when they are not one that encodes back to the
     * same bytes (a name decoded with replacement characters would name another file, or none), or when they fill
     * {@code sun_path} with no room for a NUL, as a C peer may bind (a {@code UnixDomainSocketAddress} of it could not
     * be sent to: {@link #of} refuses it).
     */
    private static String fileName(byte[] data, int n) {
        if (n > Platform.value("SIZEOF_SUN_PATH") - 1) {
            return null;
        }
        try {
            String name = FILE_NAMES.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, 0, n)).toString();
            byte[] back = name.getBytes(FILE_NAMES);
            return Arrays.equals(back, 0, back.length, data, 0, n) ? name : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SockAddr && Arrays.equals(image, ((SockAddr) o).image);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(image);
    }

    /**
     * {@code 127.0.0.1:53}, {@code [::1]:53} (the address as C's {@code inet_ntop} writes it, a scope id after
     * {@code %}), {@code unix:/run/x.sock}, {@code unix:@name} (abstract), {@code netlink:0} (the kernel; a
     * socket's port id, then any groups: {@code netlink:4242/groups 0x1}), {@code packet:if 1, protocol 0x88b5,
     * 00:00:00:00:00:00, type 0} (the interface, ethertype, hardware address and packet type) or
     * {@code sockaddr(family 42, 20 bytes)}.
     */
    @Override
    public String toString() {
        if (image == null) {
            return "sockaddr(unfilled)"; // see image()
        }
        if (isAbstractUnix()) {
            int off = unixPathOffset() + 1;
            return "unix:@" + new String(image, off, image.length - off, FILE_NAMES);
        }
        SocketAddress a = toSocketAddress();
        if (a instanceof UnixDomainSocketAddress) {
            return "unix:" + ((UnixDomainSocketAddress) a).getPath();
        }
        if (a instanceof InetSocketAddress) {
            return text((InetSocketAddress) a);
        }
        if (family == Posix.AF_NETLINK && family != Platform.UNSUPPORTED
                && image.length >= Platform.value("SIZEOF_SOCKADDR_NL")) {
            return "netlink:" + Integer.toUnsignedString(netlinkPortId()) + (netlinkGroups() == 0 ? ""
                    : "/groups 0x" + Integer.toHexString(netlinkGroups()));
        }
        if (family == Posix.AF_PACKET && family != Platform.UNSUPPORTED
                && image.length >= Platform.value("OFFSETOF_SLL_ADDR")) {
            return PacketAddress.toString(image, image.length, family);
        }
        return "sockaddr(family " + family + ", " + image.length + " bytes)";
    }

    /** An IP address and port as {@link #toString()} writes them: {@code 127.0.0.1:53}, {@code [::1%2]:53}. */
    static String text(InetSocketAddress isa) {
        InetAddress ip = isa.getAddress();
        if (ip == null) {
            return isa.toString(); // unresolved: only a name, which a received address never is
        }
        if (ip instanceof Inet6Address) {
            int scope = ((Inet6Address) ip).getScopeId();
            return "[" + InetText.ntop(true, ip.getAddress()) + (scope != 0 ? "%" + scope : "") + "]:"
                    + isa.getPort();
        }
        return InetText.ntop(false, ip.getAddress()) + ":" + isa.getPort();
    }

    // ---- serialization: the address, never the image ----------------------------------------------------------

    /**
     * Writes the address this object names instead of its fields.
     *
     * @return the serialized form
     * @throws ObjectStreamException a {@link NotSerializableException} for an address of a family that has no
     *     portable form (one {@code recvmsg} reported)
     */
    private Object writeReplace() throws ObjectStreamException {
        if (image == null) {
            throw new NotSerializableException("SockAddr: an unfilled one (see image()) names no address to write");
        }
        return new Serialized(this);
    }

    /**
     * A stream that holds a {@code SockAddr}'s own fields was not written by this class: its image is not trusted.
     *
     * @param in the stream, not read
     * @throws InvalidObjectException always
     */
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a SockAddr is read back only from its serialized form (the address it"
                + " names), not from a struct sockaddr image");
    }

    /**
     * The 16 bytes of an IPv6 address as an {@link Inet6Address}, with {@code scope} unless it is 0. An IPv4-mapped
     * address ({@code ::ffff:a.b.c.d}) stays IPv6, as C has it: {@link InetAddress#getByAddress(byte[])} would make it
     * an {@code Inet4Address}, whose sockaddr an {@code AF_INET6} socket refuses to connect or reply to. A negative
     * scope is how {@code Inet6Address} is told there is none (no {@code %0} in its name).
     */
    static InetAddress inet6(byte[] ip, int scope) throws UnknownHostException {
        return Inet6Address.getByAddress(null, ip, scope != 0 ? scope : -1);
    }

    /** The serialized form: the address as {@code java.net} names it, or an abstract Unix name. */
    private static final class Serialized implements Serializable {
        private static final long serialVersionUID = 1L;

        /** An InetSocketAddress or UnixDomainSocketAddress; null for an abstract name. */
        private final SocketAddress address;
        /** The bytes of an abstract Unix name after its leading NUL; null otherwise. */
        private final byte[] abstractName;

        Serialized(SockAddr a) throws NotSerializableException {
            if (a.isAbstractUnix()) {
                address = null;
                byte[] i = a.image();
                abstractName = Arrays.copyOfRange(i, unixPathOffset() + 1, i.length);
                return;
            }
            SocketAddress named = a.toSocketAddress();
            if (named == a) {
                throw new NotSerializableException("SockAddr: a sockaddr of family " + a.family
                        + " has no portable form");
            }
            address = named;
            abstractName = null;
        }

        private Object readResolve() throws ObjectStreamException {
            try {
                if (address == null && abstractName != null) {
                    return abstractUnix(abstractName);
                }
                if (abstractName == null && (address instanceof InetSocketAddress
                        || address instanceof UnixDomainSocketAddress)) {
                    return of(address);
                }
                throw new IllegalArgumentException("neither an internet or Unix address nor an abstract name");
            } catch (RuntimeException e) {
                InvalidObjectException x = new InvalidObjectException("SockAddr: " + e);
                x.initCause(e);
                throw x;
            }
        }
    }
}

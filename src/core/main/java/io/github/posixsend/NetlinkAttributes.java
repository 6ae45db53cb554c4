// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Netlink attributes read in place from the caller's bytes, as C walks them with {@code nla_ok} and
 * {@code nla_next}: each a {@code struct nlattr} (its length, header included, and its type) followed by its value,
 * the next one {@code NLA_ALIGNTO} (4) bytes aligned. Linux gives the counters of a TCP send's
 * {@link Posix#SCM_TIMESTAMPING_OPT_STATS} so ({@code TCP_NLA_*}), and the attributes of netlink route and
 * sock_diag messages after their fixed headers ({@code rtattr} has the same layout).
 *
 * <pre>{@code
 * byte[] stats = new byte[1024];                    // reused: nothing below allocates
 * int n = message.receivedPayload(Posix.SOL_SOCKET, Posix.SCM_TIMESTAMPING_OPT_STATS, stats);
 * if (n > 0) {
 *     long cwnd = NetlinkAttributes.unsigned(stats, 0, Math.min(n, stats.length), Posix.TCP_NLA_SND_CWND);
 *     long sent = NetlinkAttributes.unsigned(stats, 0, Math.min(n, stats.length), Posix.TCP_NLA_BYTES_SENT);
 * }
 * }</pre>
 *
 * <p>{@link #first}, {@link #next} and {@link #type} visit every attribute in order, as C's
 * {@code nla_for_each_attr} does:
 *
 * <pre>{@code
 * for (int v = NetlinkAttributes.first(b, from, to); v >= 0; v = NetlinkAttributes.next(b, v, to)) {
 *     print(NetlinkAttributes.type(b, v), NetlinkAttributes.valueLength(b, v));
 * }
 * }</pre>
 *
 * <p>The methods read a {@code byte[]}. A netlink reply walked in place is received into a heap buffer over the
 * array, wrapped once and cleared before each receive ({@code Posix.recv(fd, wrapped.clear(), 0)}: allocates
 * nothing, and the reply starts at index 0); one received into a direct
 * buffer is copied out first ({@code buf.get(0, bytes, 0, n)}).
 *
 * <p>A walk stops at the first attribute whose length is less than its header or reaches past the range, as the
 * kernel's {@code nla_ok} does: what follows is not read. Types are compared and returned without the
 * {@code NLA_F_NESTED} and {@code NLA_F_NET_BYTEORDER} bits, as the kernel's {@code nla_type} gives them (a C loop
 * over {@code rtattr}s that compares {@code rta_type} whole would not match a flagged one). Values are in the
 * machine's byte order but where {@code NLA_F_NET_BYTEORDER} says otherwise. Kernels newer than the headers
 * posix-send was built with send types it has no constant for (Linux 6.18 adds {@code TCP_NLA_REHASH}, 27, to
 * every {@code OPT_STATS}): a walk visits them like any other. Linux only: elsewhere every method throws
 * {@link UnsupportedOperationException}.
 */
public final class NetlinkAttributes {
    private static final int HEADER = Platform.value("NLA_HDRLEN");
    private static final int LEN = Platform.value("OFFSETOF_NLA_LEN");
    private static final int TYPE = Platform.value("OFFSETOF_NLA_TYPE");
    private static final int ALIGN = Platform.value("NLA_ALIGNTO");
    private static final int NET_BYTEORDER = Platform.value("NLA_F_NET_BYTEORDER");
    /** The type bits of the 16-bit {@code nla_type}: all but {@code NLA_F_NESTED} and {@code NLA_F_NET_BYTEORDER}. */
    private static final int TYPE_MASK = Platform.value("NLA_TYPE_MASK") & 0xffff;
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle SHORTS_BE = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS_BE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    private NetlinkAttributes() {
    }

    /**
     * The offset of the value of the first attribute of {@code type} among the attributes at
     * {@code attributes[from..to)}, or -1 when none is there. Allocates nothing.
     *
     * @param attributes the bytes, such as what {@link Message#receivedPayload} copied
     * @param from where the first attribute starts (0 for a control message's payload; after the fixed header for a
     *     netlink message)
     * @param to where the attributes end (the payload's length, at most the array's)
     * @param type the attribute's type, 0 to 16383, such as {@link Posix#TCP_NLA_SND_CWND}
     * @return the value's offset in {@code attributes}; its length is {@link #valueLength}
     * @throws IndexOutOfBoundsException when {@code from..to} is not a range of the array
     * @throws IllegalArgumentException when {@code type} is outside 0..16383
     * @throws NullPointerException when {@code attributes} is null
     * @throws UnsupportedOperationException where the platform has no netlink
     */
    public static int find(byte[] attributes, int from, int to, int type) {
        long found = locate(attributes, from, to, type);
        return found < 0 ? -1 : (int) (found >>> 32) + HEADER;
    }

    /**
     * The first attribute of {@code type}: its header's offset in the high 32 bits, its {@code nla_len} and
     * {@code nla_type} as the walk read them (once: another thread may be changing the bytes) in the low 32; or -1.
     */
    private static long locate(byte[] attributes, int from, int to, int type) {
        requireRange(attributes, from, to);
        if (type < 0 || type > TYPE_MASK) {
            throw new IllegalArgumentException("a netlink attribute's type is 0 to " + TYPE_MASK + ", not " + type);
        }
        for (int at = from, length; (length = wellFormed(attributes, at, to)) >= 0; at = following(at, length)) {
            int rawType = Short.toUnsignedInt((short) SHORTS.get(attributes, at + TYPE));
            if ((rawType & TYPE_MASK) == type) {
                return (long) at << 32 | (long) length << 16 | rawType;
            }
        }
        return -1; // a malformed attribute ends the walk, as the end of the range does
    }

    /**
     * The offset of the value of the first attribute at {@code attributes[from..to)}, or -1 when there is none or it
     * is malformed. Allocates nothing.
     *
     * @param attributes the bytes
     * @param from where the first attribute starts
     * @param to where the attributes end
     * @return the value's offset
     * @throws IndexOutOfBoundsException when {@code from..to} is not a range of the array
     * @throws NullPointerException when {@code attributes} is null
     * @throws UnsupportedOperationException where the platform has no netlink
     */
    public static int first(byte[] attributes, int from, int to) {
        requireRange(attributes, from, to);
        return wellFormed(attributes, from, to) < 0 ? -1 : from + HEADER;
    }

    /**
     * The offset of the value of the attribute after the one whose value is at {@code valueOffset}, or -1 when that
     * one ends the range or the next is malformed. Allocates nothing.
     *
     * @param attributes the bytes
     * @param valueOffset what {@link #first}, {@link #next} or {@link #find} returned for this range, not -1
     * @param to where the attributes end, as given to them
     * @return the next value's offset
     * @throws IndexOutOfBoundsException when {@code valueOffset..to} is not a range of the array with an attribute
     *     header before it
     * @throws NullPointerException when {@code attributes} is null
     * @throws UnsupportedOperationException where the platform has no netlink
     */
    public static int next(byte[] attributes, int valueOffset, int to) {
        requireRange(attributes, valueOffset - HEADER, to);
        int at = valueOffset - HEADER;
        int length = wellFormed(attributes, at, to);
        if (length < 0) {
            return -1;
        }
        int following = following(at, length);
        return wellFormed(attributes, following, to) >= 0 ? following + HEADER : -1;
    }

    /**
     * The type of the attribute whose value is at {@code valueOffset}, without the {@code NLA_F_NESTED} and
     * {@code NLA_F_NET_BYTEORDER} bits (the kernel's {@code nla_type}).
     *
     * @param attributes the bytes
     * @param valueOffset what {@link #first}, {@link #next} or {@link #find} returned, not -1
     * @return the type, 0 to 16383
     * @throws IndexOutOfBoundsException when no attribute header precedes {@code valueOffset} in the array
     * @throws NullPointerException when {@code attributes} is null
     * @throws UnsupportedOperationException where the platform has no netlink
     */
    public static int type(byte[] attributes, int valueOffset) {
        requireRange(attributes, valueOffset - HEADER, valueOffset);
        return Short.toUnsignedInt((short) SHORTS.get(attributes, valueOffset - HEADER + TYPE)) & TYPE_MASK;
    }

    /**
     * The {@code nla_len} of the attribute at {@code at} when it is well formed inside {@code ..to}, else -1 (also
     * when {@code at} is past {@code to}: nothing is read there).
     */
    private static int wellFormed(byte[] attributes, int at, int to) {
        if (to - at < HEADER) {
            return -1;
        }
        int length = Short.toUnsignedInt((short) SHORTS.get(attributes, at + LEN));
        return length < HEADER || length > to - at ? -1 : length; // as nla_ok
    }

    /** Where the attribute after the one at {@code at} of {@code length} bytes starts: {@code NLA_ALIGN} on. */
    private static int following(int at, int length) {
        return at + ((length + ALIGN - 1) & -ALIGN);
    }

    /**
     * The length of the value whose offset {@link #find}, {@link #first} or {@link #next} returned: its attribute's
     * {@code nla_len} less the header, read from the array now (negative for an offset none of them returned, whose
     * header is not one).
     *
     * @param attributes the bytes {@link #find} was given
     * @param valueOffset what it returned, not -1
     * @return the value's length in bytes
     * @throws IndexOutOfBoundsException when no attribute header precedes {@code valueOffset} in the array
     * @throws NullPointerException when {@code attributes} is null
     * @throws UnsupportedOperationException where the platform has no netlink
     */
    public static int valueLength(byte[] attributes, int valueOffset) {
        requireRange(attributes, valueOffset - HEADER, valueOffset);
        return Short.toUnsignedInt((short) SHORTS.get(attributes, valueOffset - HEADER + LEN)) - HEADER;
    }

    /**
     * The value of the first attribute of {@code type} as an unsigned number: a {@code u8}, {@code u16},
     * {@code u32} or {@code u64} by its length, as {@code nla_get_u8} to {@code nla_get_u64} read it. Allocates
     * nothing.
     *
     * @param attributes the bytes
     * @param from where the first attribute starts
     * @param to where the attributes end
     * @param type the attribute's type, 0 to 16383
     * @return the value, or -1 when no such attribute is there (a {@code u64} of all ones reads as -1 too, and one
     *     of 2<sup>63</sup> or more as negative: {@link #find} tells them apart, {@link Long#toUnsignedString} prints
     *     them)
     * @throws IllegalArgumentException when {@code type} is outside 0..16383, or the attribute's value is not 1, 2,
     *     4 or 8 bytes long
     * @throws IndexOutOfBoundsException when {@code from..to} is not a range of the array
     * @throws NullPointerException when {@code attributes} is null
     * @throws UnsupportedOperationException where the platform has no netlink
     */
    public static long unsigned(byte[] attributes, int from, int to, int type) {
        long found = locate(attributes, from, to, type);
        if (found < 0) {
            return -1;
        }
        // the length and flags the walk checked, not the array's bytes again: they stay inside from..to
        int at = (int) (found >>> 32) + HEADER;
        int length = (int) (found >>> 16 & 0xffff) - HEADER;
        boolean network = (found & NET_BYTEORDER) != 0;
        switch (length) {
            case 1:
                return Byte.toUnsignedLong(attributes[at]);
            case 2:
                return Short.toUnsignedLong((short) (network ? SHORTS_BE : SHORTS).get(attributes, at));
            case 4:
                return Integer.toUnsignedLong((int) (network ? INTS_BE : INTS).get(attributes, at));
            case 8:
                return (long) (network ? LONGS_BE : LONGS).get(attributes, at);
            default:
                throw new IllegalArgumentException("netlink attribute " + type + " holds " + length
                        + " bytes: not a u8, u16, u32 or u64");
        }
    }

    /** The checks every method makes first: the platform has netlink attributes, and from..to lies in the array. */
    private static void requireRange(byte[] attributes, int from, int to) {
        requireSupported();
        Objects.requireNonNull(attributes, "attributes");
        Objects.checkFromToIndex(from, to, attributes.length);
    }

    private static void requireSupported() {
        if (HEADER == Platform.UNSUPPORTED) {
            Backends.requireAvailable(); // where nothing loaded, the constants are missing for that reason
            throw new UnsupportedOperationException("netlink attributes are Linux's; " + Os.current() + " has none");
        }
    }
}

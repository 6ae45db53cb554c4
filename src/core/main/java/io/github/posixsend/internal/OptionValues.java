// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import io.github.posixsend.Os;

/**
 * Which socket options posix-send passes as bytes ({@code setsockopt} and {@code getsockopt} with a value of any
 * shape): only those whose value the kernel takes as it is. A few options carry an address inside their value (a
 * classic BPF program's instructions for {@code SO_ATTACH_FILTER}, a zero-copy receive's buffers for
 * {@code TCP_ZEROCOPY_RECEIVE}, a netfilter table's counters), through which the kernel would read or write memory
 * Java never gave it; no check of a byte array can make such an address safe, so those are refused, and so is any
 * level whose options posix-send does not know (packet, SCTP, XDP and the like have such options too). The raw-socket
 * levels, {@code IPPROTO_ICMPV6} and Linux's {@code SOL_RAW}, pass: their options ({@code ICMP6_FILTER},
 * {@code ICMP_FILTER}, {@code IPV6_CHECKSUM}, {@code IPV6_HDRINCL}) are filters and ints, copied to and from a
 * value no longer than the kernel's struct, and no other family numbers a level so. Linux's {@code SOL_NETLINK}
 * passes too: its options are {@code int}s, and the one longer read ({@code NETLINK_LIST_MEMBERSHIPS}) writes no
 * more than the length offered; and so does Linux's {@code SOL_PACKET}, whose structures (a membership's
 * {@code packet_mreq}, a ring's {@code tpacket_req}, the statistics) hold no address, but for
 * {@code PACKET_FANOUT_DATA}, whose classic BPF program is a {@code struct sock_fprog}. And a read
 * of the multicast source filters ({@code IP_MSFILTER}, {@code MCAST_MSFILTER}) takes its length from the count in
 * the value rather than from the length offered, so the kernel writes past any buffer the count outgrows: those are
 * not read as bytes (setting them checks the length, and stays allowed).
 *
 * <p>At {@code IPPROTO_IP} on Linux, names from 64 up are not IP's own: the kernel hands each name it does not know
 * itself to netfilter, whose tables (iptables from 64, arptables from 96, ebtables from 128, IPVS from 1152) take
 * values that hold addresses, and to whatever module registers a range there. Of those names only IPv4 multicast
 * routing's, {@code MRT_BASE} (200) to {@code MRT_FLUSH} (212, the last Linux has), pass as bytes: their values
 * (an {@code int}, a {@code struct vifctl} or {@code struct mfcctl}) hold no address, and a read writes at most an
 * {@code int}, cut to the length offered. A set copies no more than the length given, save on old kernels, whose
 * {@code MRT_ASSERT} and {@code MRT_PIM} read an {@code int} whatever the length: the value is posix-send's own copy
 * (as for every option), so a shorter one makes them read bytes of that copy's room, never memory of the caller's. A
 * name after 212 is not multicast routing's on any Linux so far, so it goes to netfilter, and is refused with the
 * rest.
 */
public final class OptionValues {
    /**
     * On Linux, names from this one up at {@code IPPROTO_IP} are not IP's own but netfilter's and IPVS's (iptables,
     * arptables and ebtables tables, some of whose values hold addresses); IP's own end below it.
     */
    private static final int LINUX_IP_NETFILTER_FIRST = 64;
    /** Linux's {@code MRT_BASE}: IPv4 multicast routing's options, int-valued or length-checked, from here. */
    private static final int LINUX_IP_MROUTE_FIRST = 200;
    /** Linux's {@code MRT_FLUSH} ({@code MRT_MAX} since 4.13): the last multicast routing option. */
    private static final int LINUX_IP_MROUTE_LAST = 212;
    /** From here up at {@code IPPROTO_IP}, IPVS's names ({@code IP_VS_BASE_CTL} is 1152) on Linux. */
    private static final int LINUX_IP_VS_FIRST = 1024;
    /** Linux's {@code SOL_XDP} and its {@code XDP_UMEM_REG}, numbers from the kernel's ABI. */
    private static final int LINUX_SOL_XDP = 283;
    private static final int LINUX_XDP_UMEM_REG = 4;
    /**
     * Linux's {@code TCP_AO_GET_KEYS} (6.7 and later), whose read writes one record per key the value asks for,
     * spaced by the length offered, past it. Named here since the headers the shim is built with may predate it
     * while the kernel it runs on has it: a refusal must not depend on them.
     */
    private static final int LINUX_TCP_AO_GET_KEYS = 41;
    /**
     * Linux's {@code SO_PEERPIDFD} (6.5 and later): its read installs a descriptor and copies out as much of its
     * number as the length offered holds, so a short byte read would leave a descriptor no one learns of; it is
     * read whole through the {@code int} form. The number is the same on every Linux architecture that has it.
     */
    private static final int LINUX_SO_PEERPIDFD = 77;

    private OptionValues() {
    }

    /**
     * Whether option {@code name} of {@code level} may be read as bytes ({@code getsockopt}).
     *
     * @param level the option's level
     * @param name the option
     * @return {@link #passAsBytes}, less the options whose read writes as many bytes as their value asks, and
     *     Linux's {@code SO_PEERPIDFD}, whose read makes a descriptor
     */
    public static boolean readAsBytes(int level, int name) {
        if (!passAsBytes(level, name)) {
            return false;
        }
        boolean ip = level == Platform.value("IPPROTO_IP") || level == Platform.value("IPPROTO_IPV6");
        boolean linux = Platform.os() == Os.LINUX;
        return !(ip && (name == known("MCAST_MSFILTER")
                || (level == Platform.value("IPPROTO_IP") && name == known("IP_MSFILTER"))))
                && !(linux && level == Platform.value("IPPROTO_TCP") && name == LINUX_TCP_AO_GET_KEYS)
                && !(linux && level == Platform.value("SOL_SOCKET") && name == LINUX_SO_PEERPIDFD);
    }

    /**
     * Whether option {@code name} of {@code level} may be passed as bytes ({@code setsockopt}).
     *
     * @param level the option's level
     * @param name the option
     * @return true for options of {@code SOL_SOCKET}, {@code IPPROTO_IP}, {@code IPPROTO_IPV6}, {@code IPPROTO_TCP},
     *     {@code IPPROTO_UDP}, Linux's {@code IPPROTO_UDPLITE} ({@code SOL_UDPLITE}), {@code IPPROTO_ICMPV6},
     *     {@code SOL_RAW}, {@code SOL_NETLINK} and {@code SOL_PACKET}, and Linux's {@code SOL_MPTCP} options 1 to 3
     *     ({@code MPTCP_INFO}, {@code MPTCP_TCPINFO}, {@code MPTCP_SUBFLOW_ADDRS}), other than those whose value
     *     holds an address ({@code PACKET_FANOUT_DATA}): on Linux, not the classic BPF programs' at
     *     {@code SOL_SOCKET}, {@code TCP_ZEROCOPY_RECEIVE}, the names at {@code IPPROTO_IP} from 64 up but multicast
     *     routing's (200 to 212; see the class description), nor ip6tables' at {@code IPPROTO_IPV6}
     */
    public static boolean passAsBytes(int level, int name) {
        if (level == Platform.UNSUPPORTED || name == Platform.UNSUPPORTED) {
            return false;
        }
        boolean linux = Platform.os() == Os.LINUX;
        if (level == Platform.value("SOL_SOCKET")) {
            return !isClassicBpf(name);
        }
        if (level == Platform.value("IPPROTO_TCP")) {
            return name != known("TCP_ZEROCOPY_RECEIVE");
        }
        if (level == Platform.value("IPPROTO_UDP") || level == Platform.value("IPPROTO_UDPLITE")) {
            return true; // UDP-Lite's level reaches the same options as UDP's (ints; Linux's UDPLITE_*_CSCOV too)
        }
        if (level == Platform.value("IPPROTO_IP")) {
            return !linux || name < LINUX_IP_NETFILTER_FIRST
                    || (name >= LINUX_IP_MROUTE_FIRST && name <= LINUX_IP_MROUTE_LAST);
        }
        if (level == Platform.value("IPPROTO_IPV6")) {
            return !linux || !isIp6tables(name);
        }
        if (level == Platform.value("SOL_PACKET")) {
            return name != known("PACKET_FANOUT_DATA");
        }
        if (linux && level == known("SOL_MPTCP")) {
            // MPTCP_INFO, MPTCP_TCPINFO and MPTCP_SUBFLOW_ADDRS hold no address, and their reads write within the
            // length offered (a header the caller fills, then records of the size it names while they fit); not
            // MPTCP_FULL_INFO (the next number, a later kernel's), whose value holds the addresses of two arrays the
            // kernel fills, nor any later one
            return name >= known("MPTCP_INFO") && name <= known("MPTCP_SUBFLOW_ADDRS");
        }
        return level == Platform.value("IPPROTO_ICMPV6") || level == Platform.value("SOL_RAW")
                || level == Platform.value("SOL_NETLINK");
    }

    /**
     * Whether option {@code name} of {@code level} may be set from, or read into, a 4-byte {@code int}
     * ({@code setsockopt}, {@code getsockopt}). Almost every option checks the length it is given first; a few
     * whose values are structures do not: netfilter's table replacements (and ebtables' reads) copy a whole
     * structure from wherever the value lies, kernels before 2024 then as many bytes as its size field says, with
     * the address of its counters; AF_XDP's {@code XDP_UMEM_REG} on Linux 4.18 to 5.3 read a memory region's
     * address and length, which the kernel then writes frames into. And a read of {@code SO_GET_FILTER} (the same
     * number as {@code SO_ATTACH_FILTER}) takes the length offered as a count of 8-byte instructions: a socket with a
     * classic BPF program of up to 4 instructions gets up to 32 bytes written into 4. A 4-byte value would hand them
     * the memory after it.
     *
     * @param level the option's level
     * @param name the option
     * @return false on Linux for netfilter's and IPVS's names at {@code IPPROTO_IP} (64 to 199, 1024 up; the
     *     multicast routing options at 200 stay), ip6tables' at {@code IPPROTO_IPV6}, {@code XDP_UMEM_REG} at
     *     {@code SOL_XDP} and the classic BPF programs' at {@code SOL_SOCKET} ({@code SO_ATTACH_FILTER} and
     *     {@code SO_GET_FILTER}, {@code SO_ATTACH_REUSEPORT_CBPF}); true otherwise
     */
    public static boolean passAsInt(int level, int name) {
        if (Platform.os() != Os.LINUX || level == Platform.UNSUPPORTED) {
            return true;
        }
        if (level == Platform.value("SOL_SOCKET")) {
            return !isClassicBpf(name);
        }
        if (level == Platform.value("IPPROTO_IP")) {
            return name < LINUX_IP_NETFILTER_FIRST || (name >= LINUX_IP_MROUTE_FIRST && name < LINUX_IP_VS_FIRST);
        }
        if (level == Platform.value("IPPROTO_IPV6")) {
            return !isIp6tables(name);
        }
        return !(level == LINUX_SOL_XDP && name == LINUX_XDP_UMEM_REG);
    }

    /**
     * Whether option {@code name} of {@code level} takes a classic BPF program ({@code SO_ATTACH_FILTER},
     * {@code SO_ATTACH_REUSEPORT_CBPF} at {@code SOL_SOCKET}): the options {@link #passAsBytes} and
     * {@link #passAsInt} refuse, set instead through a {@code struct sock_fprog} the call itself builds.
     *
     * @param level the option's level
     * @param name the option
     * @return true for those two
     */
    public static boolean takesProgram(int level, int name) {
        return level != Platform.UNSUPPORTED && name != Platform.UNSUPPORTED && level == Platform.value("SOL_SOCKET")
                && isClassicBpf(name);
    }

    /**
     * The names at {@code SOL_SOCKET} whose value is a classic BPF program ({@code SO_ATTACH_FILTER}, which is
     * {@code SO_GET_FILTER} when read, and {@code SO_ATTACH_REUSEPORT_CBPF}): a {@code struct sock_fprog} holding
     * the instructions' address, and read back as the instructions themselves.
     */
    private static boolean isClassicBpf(int name) {
        return name == known("SO_ATTACH_FILTER") || name == known("SO_ATTACH_REUSEPORT_CBPF");
    }

    /** The names IPv6 leaves to ip6tables on Linux (64 replaces a table, with an address of its counters). */
    private static boolean isIp6tables(int name) {
        return name == 64 || name == 65 || name == 68 || name == 69;
    }

    /**
     * A refused option's number from posix-send's own table for this system, not from the headers the shim was
     * built with, which may lack an option the running kernel has: a refusal never depends on them.
     */
    private static int known(String name) {
        return ConstantTable.value(name, Platform.os());
    }
}

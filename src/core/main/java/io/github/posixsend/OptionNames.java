// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.ConstantTable;
import io.github.posixsend.internal.Platform;
import java.util.List;
import java.util.Map;

/**
 * The C names of a socket option (its level and name) and of an {@code ioctl} request, for the message of a call
 * that failed: {@code setsockopt(SOL_SOCKET, SO_LINGER): EINVAL (Invalid argument)}. Option names of different levels
 * share numbers, so a name is looked for only among its level's options; a number without a name is shown as one.
 * Built only when a call has failed.
 */
final class OptionNames {
    /** Each level's C name and the prefixes of its options' names. */
    private static final List<List<String>> LEVELS = List.of(
            List.of("SOL_SOCKET", "SO_"),
            List.of("IPPROTO_IP", "IP_", "MCAST_"),
            List.of("IPPROTO_IPV6", "IPV6_", "MCAST_"),
            List.of("IPPROTO_TCP", "TCP_"),
            List.of("IPPROTO_UDP", "UDP_"),
            List.of("IPPROTO_UDPLITE", "UDP_"),
            List.of("SOL_MPTCP", "MPTCP_"),
            List.of("SOL_PACKET", "PACKET_"),
            List.of("SOL_NETLINK", "NETLINK_"),
            List.of("SOL_RAW", "ICMP_FILTER"),
            List.of("SOL_ICMPV6", "ICMP6_FILTER"));

    /**
     * Constants that share an option prefix but are not options (values of an option, of a structure's field, or of a
     * netlink attribute), which would otherwise name an option by a number they share with it.
     */
    private static final List<String> NOT_OPTIONS = List.of("SO_EE_", "IP_PMTUDISC_", "IPV6_PMTUDISC_", "TCP_NLA_",
            "MPTCP_INFO_FLAG_", "PACKET_MR_", "PACKET_HOST", "PACKET_BROADCAST", "PACKET_MULTICAST",
            "PACKET_OTHERHOST", "PACKET_OUTGOING", "NETLINK_ROUTE", "NETLINK_SOCK_DIAG", "TCP_ESTABLISHED",
            "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1", "TCP_FIN_WAIT2", "TCP_TIME_WAIT", "TCP_CLOSE",
            "TCP_CLOSE_WAIT", "TCP_LAST_ACK", "TCP_LISTEN", "TCP_CLOSING");

    /** The {@code ioctl} requests posix-send makes, in the order a shared number is named by. */
    private static final List<String> IOCTLS = List.of("FIONREAD", "SIOCOUTQ", "SIOCOUTQNSD", "SIOCATMARK",
            "SIOCGSTAMP", "SIOCGSTAMPNS");

    private OptionNames() {
    }

    /** {@return the arguments of a failed option call as C shows them: {@code SOL_SOCKET, SO_LINGER}} */
    static String option(int level, int name) {
        return option(Platform.all(), level, name);
    }

    /**
     * As {@link #option(int, int)} with the constants of {@code values}: a level without a name, or an option its
     * level does not name, as its number.
     */
    static String option(Map<String, Integer> values, int level, int name) {
        for (List<String> l : LEVELS) {
            Integer v = values.get(l.get(0));
            if (v != null && v == level) {
                String option = optionOf(values, l.subList(1, l.size()), name);
                return l.get(0) + ", " + (option != null ? option : "option " + name);
            }
        }
        return "level " + level + ", option " + name;
    }

    /** The first constant, in the table's order, with one of the prefixes and the value, that is an option. */
    static String optionOf(Map<String, Integer> values, List<String> prefixes, int name) {
        for (String constant : ConstantTable.names()) { // the table's order, where the backend's map may have none
            Integer v = values.get(constant);
            if (v != null && v == name && isOption(constant, prefixes)) {
                return constant;
            }
        }
        return null;
    }

    /** Whether the constant {@code constant} names an option of a level whose options have these prefixes. */
    static boolean isOption(String constant, List<String> prefixes) {
        for (String p : NOT_OPTIONS) {
            if (constant.startsWith(p)) {
                return false;
            }
        }
        for (String p : prefixes) {
            if (constant.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The levels' names and their options' prefixes, for the test that no two options of a level share a number. */
    static List<List<String>> levels() {
        return LEVELS;
    }

    /** {@return the request of a failed {@code ioctl} as C names it, or its number in hex} */
    static String ioctl(int request) {
        for (String name : IOCTLS) {
            if (Platform.value(name) == request) {
                return name;
            }
        }
        return "0x" + Integer.toHexString(request);
    }
}

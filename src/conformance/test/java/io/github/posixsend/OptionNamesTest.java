// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.internal.ConstantTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The option and request names in the messages of failed option calls and ioctls: each level's options looked up
 * among that level's only, the values and fields that share their prefixes left out, on both platforms' columns,
 * and the messages of real failures.
 */
class OptionNamesTest {
    /** Options of one level that share a number: each pair names one option and its control message's type. */
    private static final Set<List<String>> ALIASES = Set.of(List.of("IP_RECVORIGDSTADDR", "IP_ORIGDSTADDR"),
            List.of("IPV6_RECVORIGDSTADDR", "IPV6_ORIGDSTADDR"), List.of("TCP_INQ", "TCP_CM_INQ"));

    @Test
    void noTwoOptionsOfALevelShareANumberButKnownAliases() {
        for (Os os : Os.values()) {
            Map<String, Integer> values = ConstantTable.forOs(os);
            for (List<String> level : OptionNames.levels()) {
                List<String> prefixes = level.subList(1, level.size());
                Map<Integer, List<String>> byValue = new LinkedHashMap<>();
                for (Map.Entry<String, Integer> e : values.entrySet()) {
                    if (OptionNames.isOption(e.getKey(), prefixes)) {
                        byValue.computeIfAbsent(e.getValue(), v -> new ArrayList<>()).add(e.getKey());
                    }
                }
                for (List<String> shared : byValue.values()) {
                    assertTrue(shared.size() == 1 || ALIASES.contains(shared),
                            os + " " + level.get(0) + ": " + shared + " share a number; name one of them as not an"
                                    + " option in OptionNames, or as an alias here");
                }
            }
        }
    }

    @Test
    void optionsAreNamedByTheirLevelsOwnNames() {
        Map<String, Integer> linux = ConstantTable.forOs(Os.LINUX);
        assertEquals("SOL_SOCKET, SO_LINGER", OptionNames.option(linux, 1, 0xd));
        // the number of TCP_ESTABLISHED and of a netlink attribute, but an option of its level first
        assertEquals("IPPROTO_TCP, TCP_NODELAY", OptionNames.option(linux, 6, 1));
        // not IP_PMTUDISC_WANT, a value of IP_MTU_DISCOVER
        assertEquals("IPPROTO_IP, IP_TOS", OptionNames.option(linux, 0, 1));
        assertEquals("IPPROTO_IP, IP_RECVORIGDSTADDR", OptionNames.option(linux, 0, 20));
        assertEquals("IPPROTO_TCP, TCP_INQ", OptionNames.option(linux, 6, 36));
        assertEquals("SOL_MPTCP, MPTCP_INFO", OptionNames.option(linux, 284, 1));
        assertEquals("SOL_SOCKET, option 9999", OptionNames.option(linux, 1, 9999));
        assertEquals("level 12345, option 1", OptionNames.option(linux, 12345, 1));
        Map<String, Integer> netbsd = ConstantTable.forOs(Os.NETBSD);
        assertEquals("SOL_SOCKET, SO_LINGER", OptionNames.option(netbsd, 0xffff, 0x80));
        assertEquals("level 284, option 1", OptionNames.option(netbsd, 284, 1), "NetBSD has no SOL_MPTCP");
    }

    @Test
    void aFailedOptionCallOrIoctlSaysWhatItWasGiven() {
        ErrnoException set = assertThrows(BadDescriptorException.class,
                () -> Posix.setsockopt(-1, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 4096));
        assertEquals("setsockopt(SOL_SOCKET, SO_SNDBUF): EBADF (" + Errno.describe(Errno.EBADF.number()) + ")",
                set.getMessage());
        assertEquals("setsockopt", set.call(), "the call's own name stays the C name");
        ErrnoException get = assertThrows(BadDescriptorException.class,
                () -> Posix.getsockopt(-1, Posix.IPPROTO_TCP, Posix.TCP_NODELAY));
        assertTrue(get.getMessage().startsWith("getsockopt(IPPROTO_TCP, TCP_NODELAY): EBADF"), get.getMessage());
        ErrnoException info = assertThrows(BadDescriptorException.class, () -> Posix.getsockoptTcpInfo(-1));
        assertTrue(info.getMessage().startsWith("getsockopt(IPPROTO_TCP, TCP_INFO): EBADF"), info.getMessage());
        ErrnoException bytes = assertThrows(BadDescriptorException.class,
                () -> Posix.getsockopt(-1, Posix.SOL_SOCKET, Posix.SO_LINGER, new byte[8]));
        assertTrue(bytes.getMessage().startsWith("getsockopt(SOL_SOCKET, SO_LINGER): EBADF"), bytes.getMessage());
        ErrnoException ioctl = assertThrows(BadDescriptorException.class, () -> Posix.ioctlInt(-1, Posix.FIONREAD));
        assertTrue(ioctl.getMessage().startsWith("ioctl(FIONREAD): EBADF"), ioctl.getMessage());
        // the other calls keep their plain form
        ErrnoException send = assertThrows(BadDescriptorException.class, () -> Posix.send(-1, new byte[1], 0, 1, 0));
        assertTrue(send.getMessage().startsWith("send: EBADF"), send.getMessage());
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The kernel's own UDP and TCP counters, from /proc/net on Linux; -1 wherever they cannot be read. */
final class ProcNet {
    private ProcNet() {
    }

    /**
     * The {@code drops} column of /proc/net/udp for the IPv4 socket bound to {@code local}, or -1 when the file
     * or the socket's line is not there.
     */
    static long udpDrops(InetSocketAddress local) {
        if (!(local.getAddress() instanceof Inet4Address)) {
            return -1;
        }
        byte[] ip = local.getAddress().getAddress();
        // The kernel prints the address as a 32-bit number in the host's order, the port in hex.
        int asInt = java.nio.ByteBuffer.wrap(ip).order(java.nio.ByteOrder.nativeOrder()).getInt();
        String key = String.format(Locale.ROOT, "%08X:%04X", asInt, local.getPort());
        List<String> lines = read(Path.of("/proc/net/udp"));
        if (lines == null || lines.isEmpty()) {
            return -1;
        }
        String[] header = lines.get(0).trim().split("\\s+");
        if (!"drops".equals(header[header.length - 1])) {
            return -1;
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && f[1].equalsIgnoreCase(key)) {
                try {
                    return Long.parseLong(f[f.length - 1]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** A field of the {@code Udp:} lines of /proc/net/snmp (such as {@code RcvbufErrors}), or -1. */
    static long snmpUdp(String field) {
        return counter(Path.of("/proc/net/snmp"), "Udp:", field);
    }

    /**
     * The TCP counters of packets the host dropped that loopback TCP could lose (TcpExt {@code TCPBacklogDrop},
     * {@code TCPRcvQDrop}, {@code TCPOFODrop}, {@code TCPZeroWindowDrop}, and the per-CPU input backlog's drops of
     * /proc/net/softnet_stat that loopback's packets pass through), summed over the host, those an older kernel lacks
     * left out; -1 when softnet_stat or all of TcpExt's cannot be read.
     */
    static long tcpDrops() {
        long sum = softnetDrops();
        if (sum < 0) {
            return -1;
        }
        boolean any = false;
        for (String field : TCP_DROPS) {
            long n = counter(Path.of("/proc/net/netstat"), "TcpExt:", field);
            if (n >= 0) {
                sum += n;
                any = true;
            }
        }
        return any ? sum : -1;
    }

    /** The fields {@link #tcpDrops} adds up from TcpExt. */
    static final List<String> TCP_DROPS = List.of("TCPBacklogDrop", "TCPRcvQDrop", "TCPOFODrop", "TCPZeroWindowDrop");

    /** The second column (packets dropped from a full input backlog, hexadecimal) of softnet_stat, all CPUs. */
    private static long softnetDrops() {
        List<String> lines = read(Path.of("/proc/net/softnet_stat"));
        if (lines == null || lines.isEmpty()) {
            return -1;
        }
        long sum = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            try {
                sum += Long.parseLong(f[1], 16);
            } catch (RuntimeException e) {
                return -1;
            }
        }
        return sum;
    }

    /**
     * A field of a /proc/net table in the snmp and netstat shape (a line of names after {@code prefix}, then a line
     * of values after it), or -1.
     */
    private static long counter(Path file, String prefix, String field) {
        List<String> lines = read(file);
        if (lines == null) {
            return -1;
        }
        String[] names = null;
        for (String line : lines) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (names == null) {
                names = f;
                continue;
            }
            for (int i = 1; i < names.length && i < f.length; i++) {
                if (names[i].equals(field)) {
                    try {
                        return Long.parseLong(f[i]);
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
            }
            return -1;
        }
        return -1;
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}

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

/** The kernel's own UDP counters, from /proc/net on Linux; -1 wherever they cannot be read. */
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
        List<String> lines = read(Path.of("/proc/net/snmp"));
        if (lines == null) {
            return -1;
        }
        String[] names = null;
        for (String line : lines) {
            if (!line.startsWith("Udp:")) {
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

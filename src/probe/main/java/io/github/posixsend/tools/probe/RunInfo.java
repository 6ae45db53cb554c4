// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the probes ran: system, JVM, backend and bounds, for the head of every report; and the settings that
 * shape the figures: the default socket buffer sizes and the sysctls behind them.
 */
final class RunInfo {
    /** The sysctls that set or cap what the probes measure, read from /proc/sys where it exists. */
    static final String[] SYSCTLS = {"net.core.wmem_default", "net.core.wmem_max", "net.core.rmem_default",
            "net.core.rmem_max", "net.core.optmem_max", "net.ipv4.tcp_wmem", "net.ipv4.tcp_rmem",
            "net.ipv4.tcp_notsent_lowat", "net.ipv4.tcp_autocorking", "net.ipv4.udp_mem",
            "net.ipv4.tcp_congestion_control", "net.core.default_qdisc"};

    final String os;
    final String kernel;
    final String arch;
    final String java;
    final String backend;
    final String bounds;
    /** Each probe's deadline in milliseconds: the bounds' own, or the one {@code --deadline} gave. */
    final long deadlineMillis;
    final String version;
    /** Default SO_SNDBUF and SO_RCVBUF of fresh TCP and UDP sockets, in bytes (-1 when unreadable). */
    final Map<String, Integer> socketBuffers;
    /** Sysctl name to its value as the kernel prints it, whitespace collapsed; absent when unreadable. */
    final Map<String, String> sysctls;
    /** The CPU, online CPUs, clocksource and loopback MTU and qdisc ({@link HostFacts}); absent when unreadable. */
    final Map<String, String> host;

    RunInfo(String os, String kernel, String arch, String java, String backend, String bounds, long deadlineMillis,
            String version, Map<String, Integer> socketBuffers, Map<String, String> sysctls, Map<String, String> host) {
        this.os = os;
        this.kernel = kernel;
        this.arch = arch;
        this.java = java;
        this.backend = backend;
        this.bounds = bounds;
        this.deadlineMillis = deadlineMillis;
        this.version = version;
        this.socketBuffers = Collections.unmodifiableMap(new LinkedHashMap<>(socketBuffers));
        this.sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
        this.host = Collections.unmodifiableMap(new LinkedHashMap<>(host));
    }

    /** This JVM's system and posix-send's backend (which loads the native library). */
    static RunInfo current(Bounds bounds) {
        String backend = Posix.backendName();
        return new RunInfo(System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), System.getProperty("java.version") + " ("
                        + System.getProperty("java.vm.name") + ")", backend, bounds.name, bounds.deadlineMillis,
                ProbeMain.version(),
                socketBuffers(), sysctls(), HostFacts.read());
    }

    private static Map<String, Integer> socketBuffers() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (boolean tcp : new boolean[] {true, false}) {
            String p = tcp ? "tcp" : "udp";
            int fd = -1;
            try {
                fd = Posix.socket(Posix.AF_INET, tcp ? Posix.SOCK_STREAM : Posix.SOCK_DGRAM, 0);
                m.put(p + "_sndbuf", Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_SNDBUF));
                m.put(p + "_rcvbuf", Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVBUF));
            } catch (ErrnoException e) {
                m.putIfAbsent(p + "_sndbuf", -1);
                m.putIfAbsent(p + "_rcvbuf", -1);
            } finally {
                if (fd >= 0) {
                    try {
                        Posix.close(fd);
                    } catch (ErrnoException ignored) {
                        // Nothing was sent on it; a failed close loses nothing.
                    }
                }
            }
        }
        return m;
    }

    private static Map<String, String> sysctls() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : SYSCTLS) {
            String v = sysctl(name);
            if (v != null) {
                m.put(name, v);
            }
        }
        return m;
    }

    /** A sysctl from /proc/sys, whitespace collapsed to single spaces, or null where it cannot be read. */
    static String sysctl(String name) {
        try {
            // Line by line: Files.readString trusts the size procfs reports and can return a truncated value.
            return String.join(" ", Files.readAllLines(Path.of("/proc/sys", name.split("\\.")))).trim()
                    .replaceAll("\\s+", " ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * "Linux 6.1.0 amd64, Java 17.0.15 (OpenJDK 64-Bit Server VM), backend jni, default bounds, 5000 ms deadline".
     */
    String line() {
        return os + " " + kernel + " " + arch + ", Java " + java + ", backend " + backend + ", " + bounds + " bounds, "
                + deadlineMillis + " ms deadline";
    }

    /**
     * "AMD EPYC, CPUs 0-1, clocksource tsc, lo MTU 65536 qdisc noqueue, TCP bbr", with page-table isolation where the
     * kernel has it on; "" when nothing was read.
     */
    String hostLine() {
        StringBuilder b = new StringBuilder();
        append(b, "", host.get("cpu"));
        if ("yes".equals(host.get("hypervisor"))) {
            append(b, "", "under a hypervisor");
        }
        append(b, "CPUs ", host.get("onlineCpus"));
        append(b, "load ", host.get("loadAverage"));
        append(b, "clocksource ", host.get("clocksource"));
        String pti = host.get("pageTableIsolation");
        if ("PTI without PCID".equals(pti)) {
            append(b, "", "PTI without PCID (each system call flushes the TLB)");
        } else if ("PTI with PCID".equals(pti)) {
            append(b, "", pti);
        }
        append(b, "lo MTU ", host.get("loopbackMtu"));
        if (host.containsKey("loopbackQdisc")) {
            b.append(host.containsKey("loopbackMtu") ? " qdisc " : b.length() == 0 ? "lo qdisc " : ", lo qdisc ")
                    .append(host.get("loopbackQdisc"));
        }
        append(b, "TCP ", sysctls.get("net.ipv4.tcp_congestion_control"));
        return b.toString();
    }

    private static void append(StringBuilder b, String label, String value) {
        if (value != null) {
            b.append(b.length() == 0 ? "" : ", ").append(label).append(value);
        }
    }
}

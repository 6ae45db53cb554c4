// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The host facts beside the kernel that shape what the probes time: the CPU, how many run, the clock the kernel
 * reads, whether the kernel isolates its page tables (x86's Meltdown mitigation, PTI: without the CPU's PCID each
 * system call then flushes the TLB, and the caller finds its code and data again page by page after it), and the
 * loopback device's MTU and queueing discipline (loopback has none by default, which is why a txtime or pacing claim
 * sees no hold-back). Each is absent where it cannot be read; none is guessed.
 */
final class HostFacts {
    /** How long {@code tc} may take to name the loopback queueing discipline before it is left out. */
    private static final long TC_WAIT_MILLIS = 2000;

    private HostFacts() {
    }

    /**
     * The facts this host gives, in a fixed order: cpu, hypervisor, onlineCpus, loadAverage, clocksource,
     * pageTableIsolation, loopbackMtu, loopbackQdisc.
     */
    static Map<String, String> read() {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> cpuinfo = cpuinfo();
        put(m, "cpu", cpuModel(cpuinfo));
        put(m, "hypervisor", hypervisor(cpuinfo));
        put(m, "onlineCpus", firstLine(Path.of("/sys/devices/system/cpu/online")));
        put(m, "loadAverage", loadAverage(firstLine(Path.of("/proc/loadavg"))));
        put(m, "clocksource", firstLine(Path.of("/sys/devices/system/clocksource/clocksource0/current_clocksource")));
        put(m, "pageTableIsolation",
                pageTableIsolation(firstLine(Path.of("/sys/devices/system/cpu/vulnerabilities/meltdown")), cpuinfo));
        put(m, "loopbackMtu", firstLine(Path.of("/sys/class/net/lo/mtu")));
        put(m, "loopbackQdisc", loopbackQdisc());
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }

    /** /proc/cpuinfo's lines, none where it cannot be read. */
    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * "yes" when the first "flags" line of cpuinfo has x86's {@code hypervisor} flag (a virtual machine, whose
     * timings another guest's load can stretch), "no" when it lacks it, null without such a line (other CPUs).
     */
    static String hypervisor(List<String> cpuinfo) {
        List<String> flags = flags(cpuinfo);
        return flags == null ? null : flags.contains("hypervisor") ? "yes" : "no";
    }

    /**
     * "PTI with PCID" or "PTI without PCID" when the kernel's Meltdown line (its first line of
     * /sys/devices/system/cpu/vulnerabilities/meltdown) names PTI, by whether cpuinfo's first "flags" line has
     * {@code pcid}; "off" for any other line (not affected, or the mitigation turned off); null without the line
     * (kernels before 4.15, CPUs other than x86) or, with PTI, without a flags line.
     */
    static String pageTableIsolation(String meltdown, List<String> cpuinfo) {
        if (meltdown == null) {
            return null;
        }
        if (!List.of(meltdown.split("[\\s:;,]+")).contains("PTI")) {
            return "off";
        }
        List<String> flags = flags(cpuinfo);
        return flags == null ? null : flags.contains("pcid") ? "PTI with PCID" : "PTI without PCID";
    }

    /** The words of cpuinfo's first "flags" line (x86), or null without one. */
    private static List<String> flags(List<String> cpuinfo) {
        for (String l : cpuinfo) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equals("flags")) {
                return List.of(l.substring(colon + 1).trim().split("\\s+"));
            }
        }
        return null;
    }

    /** The 1, 5 and 15 minute load averages of /proc/loadavg's line, as "0.52 0.61 0.70", or null. */
    static String loadAverage(String loadavg) {
        if (loadavg == null) {
            return null;
        }
        String[] w = loadavg.trim().split("\\s+");
        return w.length >= 3 ? w[0] + " " + w[1] + " " + w[2] : null;
    }

    /** The first "model name" (x86), else the board's "Model", else the first "CPU part" (arm64) of cpuinfo. */
    static String cpuModel(List<String> cpuinfo) {
        String[] preferred = {"model name", "Model", "CPU part"};
        String[] found = new String[preferred.length];
        for (String l : cpuinfo) {
            int colon = l.indexOf(':');
            String key = colon < 0 ? "" : l.substring(0, colon).trim();
            String value = colon < 0 ? "" : l.substring(colon + 1).trim().replaceAll("\\s+", " ");
            for (int i = 0; i < preferred.length; i++) {
                if (found[i] == null && key.equals(preferred[i]) && !value.isEmpty()) {
                    found[i] = value;
                }
            }
        }
        for (String f : found) {
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static String firstLine(Path p) {
        try {
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            return lines.isEmpty() ? null : lines.get(0).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The root qdisc of lo as {@code tc qdisc show dev lo} names it, or null without tc or within its wait. */
    static String loopbackQdisc() {
        Process p;
        try {
            p = new ProcessBuilder("tc", "qdisc", "show", "dev", "lo").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        try {
            if (!p.waitFor(TC_WAIT_MILLIS, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                return null;
            }
            return rootQdisc(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            p.destroyForcibly();
        }
    }

    /** The kind of the qdisc tc lists as root ("qdisc noqueue 0: root refcnt 2" gives "noqueue"). */
    static String rootQdisc(String tcOutput) {
        for (String l : tcOutput.split("\n")) {
            String[] w = l.trim().split("\\s+");
            if (w.length >= 2 && w[0].equals("qdisc") && List.of(w).contains("root")) {
                return w[1];
            }
        }
        return null;
    }
}

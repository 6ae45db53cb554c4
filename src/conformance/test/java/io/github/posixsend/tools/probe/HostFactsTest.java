// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostFactsTest {
    @Test
    void cpuModelIsTheFirstModelNameAndFallsBackToArmsModelLine() {
        assertEquals("AMD EPYC 7B13 64-Core Processor", HostFacts.cpuModel(List.of("processor\t: 0",
                "vendor_id\t: AuthenticAMD", "model\t\t: 1", "model name\t: AMD  EPYC 7B13 64-Core Processor",
                "processor\t: 1", "model name\t: Other")));
        assertEquals("Raspberry Pi 4 Model B Rev 1.4", HostFacts.cpuModel(List.of("processor\t: 0",
                "CPU part\t: 0xd08", "", "Model\t\t: Raspberry Pi 4 Model B Rev 1.4")));
        assertEquals("0xd0c", HostFacts.cpuModel(List.of("processor\t: 0", "CPU part\t: 0xd0c")));
        assertNull(HostFacts.cpuModel(List.of("processor\t: 0", "model name\t:", "flags\t: fpu")));
    }

    @Test
    void aHypervisorIsNamedByX86sFlagAndTheLoadByLoadavg() {
        assertEquals("yes", HostFacts.hypervisor(List.of("processor\t: 0", "flags\t\t: fpu vme hypervisor lahf_lm",
                "flags\t\t: fpu")));
        assertEquals("no", HostFacts.hypervisor(List.of("flags\t\t: fpu vme hypervisorx lahf_lm")));
        assertNull(HostFacts.hypervisor(List.of("processor\t: 0", "Features\t: fp asimd", "CPU part\t: 0xd08")));
        assertEquals("0.52 0.61 0.70", HostFacts.loadAverage("0.52 0.61 0.70 2/345 6789\n"));
        assertNull(HostFacts.loadAverage("0.52"));
        assertNull(HostFacts.loadAverage(null));
    }

    @Test
    void pageTableIsolationIsTheMeltdownLinesPtiWithOrWithoutPcid() {
        List<String> withPcid = List.of("processor\t: 0", "flags\t\t: fpu pcid hypervisor", "flags\t\t: fpu");
        List<String> withoutPcid = List.of("processor\t: 0", "flags\t\t: fpu pcidx invpcid_single hypervisor");
        assertEquals("PTI with PCID", HostFacts.pageTableIsolation("Mitigation: PTI", withPcid));
        assertEquals("PTI without PCID", HostFacts.pageTableIsolation("Mitigation: PTI", withoutPcid));
        assertEquals("off", HostFacts.pageTableIsolation("Not affected", withPcid));
        assertEquals("off", HostFacts.pageTableIsolation("Vulnerable", withoutPcid));
        assertEquals("off", HostFacts.pageTableIsolation("Mitigation: PTIX", withoutPcid));
        assertNull(HostFacts.pageTableIsolation(null, withPcid), "no Meltdown line: unknown");
        assertNull(HostFacts.pageTableIsolation("Mitigation: PTI", List.of("processor\t: 0", "Features\t: fp")),
                "PTI but no flags line: whether PCID is there is unknown");
    }

    @Test
    void theHostLineSaysWhenEachSystemCallFlushesTheTlb() {
        Map<String, String> host = new LinkedHashMap<>();
        host.put("cpu", "AMD EPYC");
        host.put("clocksource", "kvm-clock");
        host.put("pageTableIsolation", "PTI without PCID");
        assertEquals("AMD EPYC, clocksource kvm-clock, PTI without PCID (each system call flushes the TLB)",
                info(host).hostLine());
        host.put("pageTableIsolation", "PTI with PCID");
        assertEquals("AMD EPYC, clocksource kvm-clock, PTI with PCID", info(host).hostLine());
        host.put("pageTableIsolation", "off");
        assertEquals("AMD EPYC, clocksource kvm-clock", info(host).hostLine());
    }

    private static RunInfo info(Map<String, String> host) {
        return new RunInfo("Linux", "6.1.0", "amd64", "17", "jni", "default", 5000, "0", Map.of(), Map.of(), host);
    }

    @Test
    void rootQdiscIsTheKindOfTheRootLine() {
        assertEquals("noqueue", HostFacts.rootQdisc("qdisc noqueue 0: root refcnt 2 \n"));
        assertEquals("etf", HostFacts.rootQdisc("qdisc etf 8001: root refcnt 2 clockid TAI delta 100000 offload off"
                + "\nqdisc fq 0: parent 8001:1 limit 10000p\n"));
        assertEquals("mq", HostFacts.rootQdisc("qdisc fq 0: parent :1 limit 10000p\nqdisc mq 0: root\n"));
        assertNull(HostFacts.rootQdisc("Cannot find device \"lo\"\n"));
        assertNull(HostFacts.rootQdisc(""));
    }
}

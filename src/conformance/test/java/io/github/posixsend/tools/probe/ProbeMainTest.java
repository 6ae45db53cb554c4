// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command line, called in process with its output captured. Runs only fast, certain probes. */
class ProbeMainTest {
    /** One run's exit status and output. */
    private static final class Run {
        final int status;
        final String out;
        final String err;

        Run(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ProbeMain.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void listNamesEveryProbeAndRunsNothing() {
        Run r = run("--list");
        assertEquals(0, r.status, r.err);
        assertEquals(Probes.all().size(), r.out.lines().count());
        for (Probe p : Probes.all()) {
            assertTrue(r.out.contains(" " + p.name() + " "), p.name());
        }
        assertEquals("", r.err);
    }

    @Test
    void onlyWithACommaListGivesThoseProbesAsJsonInClaimOrder() throws Exception {
        Run r = run("--quick", "--json", "--only", "would-block,udp-max-size");
        assertEquals(0, r.status, r.err);
        // Not a terminal: no progress line.
        assertEquals("", r.err);
        JsonNode root = new ObjectMapper().readTree(r.out);
        assertEquals(2, root.get("results").size());
        assertEquals("udp-max-size", root.get("results").get(0).get("name").asText());
        assertEquals("HOLDS", root.get("results").get(0).get("verdict").asText());
        assertEquals("would-block", root.get("results").get(1).get("name").asText());
        assertEquals("HOLDS", root.get("results").get(1).get("verdict").asText());
        assertEquals(io.github.posixsend.Posix.backendName(), root.get("context").get("backend").asText(),
                "the backend this run selected (jni, or jnr in the jnr-conformance run)");
        assertEquals("quick", root.get("context").get("bounds").asText());
        assertEquals(Bounds.QUICK.deadlineMillis, root.get("context").get("deadlineMillis").asLong());
        // the host facts are this host's, as its own files give them
        JsonNode host = root.get("context").get("host");
        Path mtu = Path.of("/sys/class/net/lo/mtu");
        if (java.nio.file.Files.isReadable(mtu)) {
            assertEquals(java.nio.file.Files.readString(mtu).trim(), host.get("loopbackMtu").asText(), host.toString());
        }
        Path clock = Path.of("/sys/devices/system/clocksource/clocksource0/current_clocksource");
        if (java.nio.file.Files.isReadable(clock)) {
            assertEquals(java.nio.file.Files.readString(clock).trim(), host.get("clocksource").asText(),
                    host.toString());
        }
        Path meltdown = Path.of("/sys/devices/system/cpu/vulnerabilities/meltdown");
        if (java.nio.file.Files.isReadable(meltdown) && java.nio.file.Files.isReadable(Path.of("/proc/cpuinfo"))) {
            String line = java.nio.file.Files.readString(meltdown).trim();
            String pti = host.path("pageTableIsolation").asText(null);
            if (line.endsWith(": PTI")) {
                assertTrue("PTI with PCID".equals(pti) || "PTI without PCID".equals(pti), line + ": " + host);
            } else {
                assertEquals("off", pti, line + ": " + host);
            }
        }
    }

    @Test
    void onlyRepeatedAndByNumber() {
        Run r = run("--quick", "--only", "13", "--only", "eor");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("\n10  "), r.out);
        assertTrue(r.out.contains("\n13  "), r.out);
        assertTrue(r.out.contains("2 probes in "), r.out);
    }

    @Test
    void markdownReport() {
        Run r = run("--quick", "--markdown", "--only", "oob");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.startsWith("# posix-send kernel probe"), r.out);
        assertTrue(r.out.contains("| 9 | MSG_OOB on TCP"), r.out);
        assertTrue(r.out.contains("**HOLDS**"), r.out);
    }

    @Test
    void aTimingFindingExitsZeroWhateverItsVerdict() {
        // batch-cost's verdict rests on timing, so it may be any of three; the exit status must not depend on it,
        // and an open verdict must say why.
        Run r = run("--quick", "--only", "batch-cost");
        assertEquals(0, r.status, r.err);
        assertFalse(r.out.contains("ERROR"), r.out); // whose details may name the verdict it returned too late
        assertTrue(r.out.contains("HOLDS") || r.out.contains("DIFFERS")
                || (r.out.contains("INCONCLUSIVE") && r.out.contains("why: ")), r.out);
    }

    @Test
    void badArgumentsExitNonZeroWithAMessage() {
        Run unknownOption = run("--bogus");
        assertEquals(2, unknownOption.status);
        assertTrue(unknownOption.err.contains("Unknown option: '--bogus'"), unknownOption.err);

        Run unknownProbe = run("--only", "no-such-probe");
        assertEquals(2, unknownProbe.status);
        assertTrue(unknownProbe.err.contains("no probe 'no-such-probe': give a name or a number from 1 to "),
                unknownProbe.err);

        Run unknownNumber = run("--only", "99");
        assertEquals(2, unknownNumber.status);
        assertTrue(unknownNumber.err.contains("no probe '99': give a name or a number from 1 to "), unknownNumber.err);
        assertTrue(unknownNumber.err.contains("16 byte-cost"), unknownNumber.err);

        assertEquals("", unknownProbe.out);
        for (String other : new String[] {"--only=eor", "--quick", "--deadline=1000", "--details"}) {
            Run compareAndRun = run("--compare", "a.json", "b.json", other);
            assertEquals(2, compareAndRun.status, other);
            assertTrue(compareAndRun.err.contains("--compare takes no other option"), compareAndRun.err);
            assertEquals("", compareAndRun.out, other);
        }

        for (String nothing : new String[] {" , ", ",", ""}) {
            Run empty = run("--list", "--only", nothing);
            assertEquals(2, empty.status, "--only '" + nothing + "': " + empty.out);
            assertTrue(empty.err.contains("--only names no probe"), empty.err);
            assertEquals("", empty.out, nothing);
        }

        Run both = run("--json", "--markdown", "--only", "eor");
        assertEquals(2, both.status);
        assertTrue(both.err.contains("choose one of --json and --markdown"), both.err);

        Run deadline = run("--deadline", "5", "--only", "eor");
        assertEquals(2, deadline.status);

        Run notANumber = run("--deadline", "soon");
        assertEquals(2, notANumber.status);
    }

    @Test
    void aLibraryThatCannotLoadExitsSixWithTheReason() throws Exception {
        // A separate JVM, since this one has posix-send loaded already; a bogus backend makes loading fail.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dposixsend.backend=nope", "-cp", System.getProperty("java.class.path"),
                ProbeMain.class.getName(), "--only", "eor")
                .redirectErrorStream(true)
                .start();
        String output;
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the probe JVM did not end");
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        assertEquals(6, p.exitValue(), output); // not 1: picocli's and java's status for any unexpected failure
        assertTrue(output.contains("probe: cannot run, posix-send did not load"), output);
        assertTrue(output.contains("nope"), output);
    }

    @Test
    void aLoadFailureIsExplainedInTheLibrarysOwnWords() {
        Throwable missing = new ClassNotFoundException("io.github.posixsend.internal.ffm.FfmBackend");
        Throwable library = new UnsupportedOperationException("posix-send: the FFM backend's classes are missing",
                missing);
        Throwable outer = new ExceptionInInitializerError(new IllegalStateException("loading failed", library));
        assertEquals(library, ProbeMain.explanation(outer));
        Throwable plain = new IllegalStateException("outer", new java.io.IOException("inner"));
        assertEquals(plain.getCause(), ProbeMain.explanation(plain), "without the library's words: the last cause");
    }

    @Test
    void listAsJsonIsJson() throws Exception {
        Run r = run("--list", "--json");
        assertEquals(0, r.status, r.err);
        JsonNode root = new ObjectMapper().readTree(r.out);
        assertEquals(Probes.all().size(), root.get("probes").size());
        JsonNode first = root.get("probes").get(0);
        assertEquals(1, first.get("number").asInt());
        assertEquals("send-copies", first.get("name").asText());
        assertFalse(first.get("rule").asText().isEmpty());
    }

    @Test
    void namesAndNumbersSelectTheSameProbe() {
        assertEquals("byte-cost", Probes.select(java.util.List.of("16")).get(0).name());
        assertEquals(17, Probes.select(java.util.List.of("nagle")).get(0).number());
        assertEquals("nagle", Probes.select(java.util.List.of(" 17 ")).get(0).name());
    }

    @Test
    void versionComesFromTheBuild() {
        Run r = run("--version");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.startsWith("posix-send probe "), r.out);
        String v = r.out.lines().findFirst().orElseThrow().substring("posix-send probe ".length());
        assertTrue(v.matches("\\d+\\.\\d+\\.\\d+.*"), "a version, not a placeholder: " + v);
        assertEquals(v, ProbeMain.version());
    }

    @Test
    void compareNamesChangedVerdictsAndMovedMeasurements(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Run r = run("--quick", "--json", "--only", "eor,udp-max-size");
        assertEquals(0, r.status, r.err);
        ObjectMapper mapper = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode b = (com.fasterxml.jackson.databind.node.ObjectNode)
                mapper.readTree(r.out);
        java.nio.file.Files.writeString(dir.resolve("a.json"), r.out);
        com.fasterxml.jackson.databind.node.ObjectNode eor =
                (com.fasterxml.jackson.databind.node.ObjectNode) b.get("results").get(1);
        assertEquals("eor", eor.get("name").asText());
        eor.put("verdict", "HOLDS");
        com.fasterxml.jackson.databind.node.ObjectNode size =
                (com.fasterxml.jackson.databind.node.ObjectNode) b.get("results").get(0).get("measurements").get(0);
        // a whole number prints in full: 4194560 would read 4.19e+06 at three significant digits
        size.put("value", 4194560).put("low", 4194560).put("high", 4194560);
        // a measurement B lacks is a change too, not an unchanged claim
        com.fasterxml.jackson.databind.node.ArrayNode eorMeasures =
                (com.fasterxml.jackson.databind.node.ArrayNode) eor.get("measurements");
        String dropped = eorMeasures.get(0).get("name").asText();
        eorMeasures.remove(0);
        java.nio.file.Files.writeString(dir.resolve("b.json"), mapper.writeValueAsString(b));

        Run same = run("--compare", dir.resolve("a.json").toString(), dir.resolve("a.json").toString());
        assertEquals(0, same.status, same.err);
        assertTrue(same.out.contains("2 claims in both: 0 changed verdict, 0 measurements moved"), same.out);
        assertFalse(same.out.contains("warning:"), same.out);
        assertTrue(same.out.contains("note: each spread is one run's own"), same.out);

        Run c = run("--compare", dir.resolve("a.json").toString(), dir.resolve("b.json").toString());
        assertEquals(0, c.status, c.err);
        assertTrue(c.out.contains("verdict DIFFERS -> HOLDS"), c.out);
        assertTrue(c.out.contains("ipv4_limit_bytes: 65507 [65507, 65507] -> 4194560 [4194560, 4194560] B"), c.out);
        assertTrue(c.out.contains("    " + dropped + ": only in A"), c.out);
        assertTrue(c.out.contains("2 claims in both: 1 changed verdict, 2 measurements moved"), c.out);

        assertFalse(c.out.contains("warning:"), "the same context: " + c.out);

        // runs made with other bounds, another backend or another version are compared with a warning for each
        com.fasterxml.jackson.databind.node.ObjectNode ctx = (com.fasterxml.jackson.databind.node.ObjectNode)
                b.get("context");
        String backend = io.github.posixsend.Posix.backendName();
        String otherBackend = backend.equals("jni") ? "ffm" : "jni";
        ctx.put("bounds", "default").put("backend", otherBackend).put("kernel", "6.1.0-test")
                .put("deadlineMillis", 100);
        ((com.fasterxml.jackson.databind.node.ObjectNode) ctx.get("host")).put("clocksource", "clock-test");
        b.put("version", "0.0.1");
        java.nio.file.Files.writeString(dir.resolve("c.json"), mapper.writeValueAsString(b));
        Run other = run("--compare", dir.resolve("a.json").toString(), dir.resolve("c.json").toString());
        assertEquals(0, other.status, other.err);
        assertTrue(other.out.contains("warning: the runs differ in bounds (A quick, B default)"), other.out);
        assertTrue(other.out.contains("warning: the runs differ in backend (A " + backend + ", B " + otherBackend
                + ")"), other.out);
        assertTrue(other.out.contains("warning: the runs differ in kernel (A "), other.out);
        assertTrue(other.out.contains("warning: the runs differ in posix-send version (A " + ProbeMain.version()
                + ", B 0.0.1)"), other.out);
        assertTrue(other.out.contains("warning: the runs differ in clocksource (A "), other.out);
        assertTrue(other.out.contains("warning: the runs differ in deadline (ms) (A " + Bounds.QUICK.deadlineMillis
                + ", B 100)"), other.out);
        assertEquals(6, other.out.lines().filter(l -> l.startsWith("warning: ")).count(), other.out);
        // a report from before the host facts were kept is compared without a warning for their absence
        com.fasterxml.jackson.databind.node.ObjectNode older = (com.fasterxml.jackson.databind.node.ObjectNode)
                mapper.readTree(dir.resolve("a.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) older.get("context")).remove(java.util.List.of("host",
                "deadlineMillis"));
        java.nio.file.Files.writeString(dir.resolve("d.json"), mapper.writeValueAsString(older));
        Run old = run("--compare", dir.resolve("a.json").toString(), dir.resolve("d.json").toString());
        assertEquals(0, old.status, old.err);
        assertFalse(old.out.contains("warning:"), old.out);

        Run missing = run("--compare", dir.resolve("a.json").toString(), dir.resolve("nope.json").toString());
        assertEquals(3, missing.status);
        assertTrue(missing.err.contains("probe: cannot compare"), missing.err);
    }

    /** A verdict quantity widened across rounds is compared as any interval is: moved only beyond both spreads. */
    @Test
    void compareJudgesIntervalsWidenedAcrossRounds(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Run r = run("--quick", "--json", "--only", "eor");
        assertEquals(0, r.status, r.err);
        ObjectMapper mapper = new ObjectMapper();
        String[] names = {"a.json", "near.json", "far.json"};
        double[][] ratios = {{1, 0.9, 1.1}, {1.05, 1, 1.12}, {2, 1.8, 2.2}};
        for (int i = 0; i < names.length; i++) {
            com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
                    mapper.readTree(r.out);
            ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("results").get(0).get("measurements"))
                    .addObject().put("name", "ratio").put("value", ratios[i][0]).put("unit", "ratio")
                    .put("samples", 64).put("low", ratios[i][1]).put("high", ratios[i][2])
                    .put("spread", "ACROSS_ROUNDS");
            assertEquals(java.util.List.of(), Reports.schemaErrors(root), "the schema knows the kind");
            java.nio.file.Files.writeString(dir.resolve(names[i]), mapper.writeValueAsString(root));
        }
        Run near = run("--compare", dir.resolve("a.json").toString(), dir.resolve("near.json").toString());
        assertEquals(0, near.status, near.err);
        assertTrue(near.out.contains("1 claims in both: 0 changed verdict, 0 measurements moved"), near.out);
        Run far = run("--compare", dir.resolve("a.json").toString(), dir.resolve("far.json").toString());
        assertEquals(0, far.status, far.err);
        assertTrue(far.out.contains("    ratio: 1 [0.9, 1.1] -> 2 [1.8, 2.2] ratio"), far.out);
        assertTrue(far.out.contains("1 claims in both: 0 changed verdict, 1 measurements moved"), far.out);
    }

    @Test
    void helpExitsZero() {
        Run r = run("--help");
        assertEquals(0, r.status);
        assertTrue(r.out.contains("--only"), r.out);
        assertTrue(r.out.contains("Exit status"), r.out);
    }
}

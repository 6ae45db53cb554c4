// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --compare A.json B.json}: which claims changed verdict between two JSON reports, and which measurements
 * moved beyond their spread (B's value outside A's low..high and A's value outside B's). It warns when the runs differ
 * in what shapes the figures (bounds, backend, kernel, system, architecture, Java, posix-send's version), and says
 * that a spread is one run's own: within a run the samples share the machine's state, so the spreads understate how
 * far a figure moves from run to run, and a move is a lead to confirm with more runs rather than a finding.
 */
final class Compare {
    /** What a comparison found, for the exit status and tests. */
    static final class Result {
        int verdictChanges;
        int moved;
        int claims;
        int warnings;
    }

    /**
     * What the runs' context may differ in, as JSON paths under the report's root, with the name a warning uses.
     * Those after the version are in newer reports only, and are compared only where both runs have them.
     */
    private static final String[][] CONTEXT = {
        {"bounds", "context", "bounds"},
        {"backend", "context", "backend"},
        {"kernel", "context", "kernel"},
        {"system", "context", "os"},
        {"architecture", "context", "arch"},
        {"Java", "context", "java"},
        {"posix-send version", "version", null},
        {"CPU", "context", "host", "cpu"},
        {"online CPUs", "context", "host", "onlineCpus"},
        {"clocksource", "context", "host", "clocksource"},
        {"page-table isolation", "context", "host", "pageTableIsolation"},
        {"loopback qdisc", "context", "host", "loopbackQdisc"},
        {"TCP congestion control", "context", "sysctls", "net.ipv4.tcp_congestion_control"},
        {"deadline (ms)", "context", "deadlineMillis"},
    };
    /** The first row of {@link #CONTEXT} after posix-send's version (the row without a context path). */
    private static final int NEWER_ONLY_FROM = afterVersion();

    private Compare() {
    }

    private static int afterVersion() {
        for (int i = 0; i < CONTEXT.length; i++) {
            if (CONTEXT[i][1].equals("version")) {
                return i + 1;
            }
        }
        throw new IllegalStateException("CONTEXT has no version row");
    }

    static Result run(Path a, Path b, PrintWriter out) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode ra = mapper.readTree(a.toFile());
        JsonNode rb = mapper.readTree(b.toFile());
        check(ra, a);
        check(rb, b);
        Map<String, JsonNode> before = byName(ra);
        Map<String, JsonNode> after = byName(rb);
        Result res = new Result();
        out.println("compare A=" + a + " B=" + b);
        out.println("A: " + context(ra));
        out.println("B: " + context(rb));
        for (int i = 0; i < CONTEXT.length; i++) {
            String[] c = CONTEXT[i];
            String x = field(ra, c);
            String y = field(rb, c);
            boolean optional = i >= NEWER_ONLY_FROM;
            if (!x.equals(y) && !(optional && (x.isEmpty() || y.isEmpty()))) {
                res.warnings++;
                out.println("warning: the runs differ in " + c[0] + " (A " + x + ", B " + y + "): a change below may "
                        + "come from that rather than from what the claims measure");
            }
        }
        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
            JsonNode x = e.getValue();
            JsonNode y = after.get(e.getKey());
            String head = String.format("%2d %s", x.path("number").asInt(), e.getKey());
            if (y == null) {
                out.println(head + ": only in A");
                continue;
            }
            res.claims++;
            String va = x.path("verdict").asText();
            String vb = y.path("verdict").asText();
            StringBuilder lines = new StringBuilder();
            if (!va.equals(vb)) {
                res.verdictChanges++;
                lines.append("    verdict ").append(va).append(" -> ").append(vb).append('\n');
            }
            Map<String, Measurement> ma = measurements(x);
            Map<String, Measurement> mb = measurements(y);
            for (Map.Entry<String, Measurement> m : ma.entrySet()) {
                Measurement p = m.getValue();
                Measurement q = mb.get(m.getKey());
                // a measurement one run has and the other lacks (or could not give a number for) is a change too
                if (q == null || Double.isNaN(p.value) != Double.isNaN(q.value)) {
                    res.moved++;
                    lines.append("    ").append(p.name).append(": ").append(q == null ? "only in A"
                            : Double.isNaN(p.value) ? "no value in A" : "no value in B").append('\n');
                    continue;
                }
                if (p.movedBeyondSpread(q)) {
                    res.moved++;
                    lines.append("    ").append(p.name).append(": ").append(num(p.value)).append(" [")
                            .append(num(p.low)).append(", ").append(num(p.high)).append("] -> ")
                            .append(num(q.value)).append(" [").append(num(q.low)).append(", ")
                            .append(num(q.high)).append("] ").append(p.unit).append('\n');
                }
            }
            for (String name : mb.keySet()) {
                if (!ma.containsKey(name)) {
                    res.moved++;
                    lines.append("    ").append(name).append(": only in B\n");
                }
            }
            out.println(head + ": " + (lines.length() == 0 ? va + ", unchanged" : va.equals(vb) ? va : "changed"));
            out.print(lines);
        }
        for (String name : after.keySet()) {
            if (!before.containsKey(name)) {
                out.println(String.format("%2d %s: only in B", after.get(name).path("number").asInt(), name));
            }
        }
        out.println(res.claims + " claims in both: " + res.verdictChanges + " changed verdict, " + res.moved
                + " measurements moved beyond their spread or found in one report only");
        out.println("note: each spread is one run's own (its 95% interval, one widened across rounds, or its range), "
                + "which understates how far a figure moves from run to run: a move is a lead to confirm with more "
                + "runs, not a finding by itself");
        out.flush();
        return res;
    }

    private static void check(JsonNode root, Path p) throws IOException {
        if (!root.path("results").isArray() || !"posix-send probe".equals(root.path("tool").asText())) {
            throw new IOException(p + " is not a JSON report of the probe (scripts/probe --json)");
        }
    }

    private static String field(JsonNode root, String[] path) {
        JsonNode n = root;
        for (int i = 1; i < path.length && path[i] != null; i++) {
            n = n.path(path[i]);
        }
        return n.asText("");
    }

    private static String context(JsonNode root) {
        JsonNode c = root.path("context");
        return c.path("os").asText() + " " + c.path("kernel").asText() + ", Java " + c.path("java").asText()
                + ", backend " + c.path("backend").asText() + ", " + c.path("bounds").asText() + " bounds"
                + (c.has("deadlineMillis") ? ", " + c.path("deadlineMillis").asText() + " ms deadline" : "");
    }

    private static Map<String, JsonNode> byName(JsonNode root) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode r : root.path("results")) {
            m.put(r.path("name").asText(), r);
        }
        return m;
    }

    /**
     * A value as the comparison prints it: a whole number in full (a limit that moved from 4194304 to 4194560 must
     * not print as 4.19e+06 both times), anything else as the reports print it.
     */
    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Rule.num(v);
    }

    private static Map<String, Measurement> measurements(JsonNode result) {
        Map<String, Measurement> m = new LinkedHashMap<>();
        for (JsonNode n : result.path("measurements")) {
            double v = n.path("value").asDouble(Double.NaN);
            Measurement.Spread spread;
            try {
                spread = Measurement.Spread.valueOf(n.path("spread").asText());
            } catch (IllegalArgumentException e) {
                spread = Measurement.Spread.EXACT;
            }
            m.put(n.path("name").asText(), new Measurement(n.path("name").asText(), v, n.path("unit").asText(),
                    n.path("samples").asInt(), n.path("low").asDouble(v), n.path("high").asDouble(v), spread));
        }
        return m;
    }
}

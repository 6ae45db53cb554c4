package io.github.posixsend.tools.probe;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** The report as one JSON object, for machines: the run's system, then one object per probe. */
final class JsonReport {
    private JsonReport() {
    }

    static void write(PrintWriter out, RunInfo info, List<ProbeResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"tool\": \"posix-send probe\",\n  \"system\": {");
        field(b, "os", info.os, true);
        field(b, "kernel", info.kernel, false);
        field(b, "arch", info.arch, false);
        field(b, "java", info.java, false);
        field(b, "backend", info.backend, false);
        field(b, "bounds", info.bounds, false);
        b.append("},\n  \"results\": [");
        for (int i = 0; i < results.size(); i++) {
            ProbeResult r = results.get(i);
            b.append(i == 0 ? "\n    {" : ",\n    {");
            b.append("\"number\": ").append(r.probe.number());
            field(b, "name", r.probe.name(), false);
            field(b, "title", r.probe.title(), false);
            field(b, "claim", r.probe.claim(), false);
            field(b, "verdict", r.outcome.verdict.name(), false);
            field(b, "measured", r.outcome.measured, false);
            field(b, "details", r.outcome.details, false);
            b.append(", \"elapsedMillis\": ").append(r.elapsedMillis).append('}');
        }
        b.append("\n  ],\n  \"summary\": {");
        boolean first = true;
        for (Map.Entry<Verdict, Integer> e : TextReport.counts(results).entrySet()) {
            b.append(first ? "" : ", ").append(quote(e.getKey().name())).append(": ").append(e.getValue());
            first = false;
        }
        b.append("}\n}");
        out.println(b);
        out.flush();
    }

    private static void field(StringBuilder b, String name, String value, boolean first) {
        b.append(first ? "" : ", ").append(quote(name)).append(": ").append(value == null ? "null" : quote(value));
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}

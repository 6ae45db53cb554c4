// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one JSON object, for machines: the run's context, then per claim its verdict, rule and every
 * measurement as numbers. docs/probe-report.schema.json describes it; the tests validate it against that.
 */
final class JsonReport {
    /** Bumped when a field changes meaning or goes away. */
    static final int FORMAT = 1;

    private JsonReport() {
    }

    static void write(PrintWriter out, RunInfo info, List<ProbeResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"tool\": \"posix-send probe\", \"format\": ").append(FORMAT);
        field(b, "version", info.version, false);
        b.append(",\n  \"context\": {");
        field(b, "os", info.os, true);
        field(b, "kernel", info.kernel, false);
        field(b, "arch", info.arch, false);
        field(b, "java", info.java, false);
        field(b, "backend", info.backend, false);
        field(b, "bounds", info.bounds, false);
        b.append(", \"deadlineMillis\": ").append(info.deadlineMillis);
        b.append(",\n    \"socketBuffers\": {");
        boolean first = true;
        for (Map.Entry<String, Integer> e : info.socketBuffers.entrySet()) {
            b.append(first ? "" : ", ").append(quote(e.getKey())).append(": ").append(e.getValue());
            first = false;
        }
        b.append("},\n    \"sysctls\": {");
        first = true;
        for (Map.Entry<String, String> e : info.sysctls.entrySet()) {
            field(b, e.getKey(), e.getValue(), first);
            first = false;
        }
        b.append("},\n    \"host\": {");
        first = true;
        for (Map.Entry<String, String> e : info.host.entrySet()) {
            field(b, e.getKey(), e.getValue(), first);
            first = false;
        }
        b.append("}},\n  \"results\": [");
        for (int i = 0; i < results.size(); i++) {
            ProbeResult r = results.get(i);
            b.append(i == 0 ? "\n    {" : ",\n    {");
            b.append("\"number\": ").append(r.probe.number());
            field(b, "name", r.probe.name(), false);
            field(b, "title", r.probe.title(), false);
            field(b, "claim", r.probe.claim(), false);
            field(b, "rule", r.probe.rule(), false);
            field(b, "verdict", r.outcome.verdict.name(), false);
            field(b, "reason", r.outcome.reason, false);
            field(b, "measured", r.outcome.measured, false);
            field(b, "details", r.outcome.details, false);
            b.append(", \"elapsedMillis\": ").append(r.elapsedMillis);
            b.append(",\n     \"measurements\": [");
            List<Measurement> ms = r.outcome.measurements();
            for (int j = 0; j < ms.size(); j++) {
                Measurement m = ms.get(j);
                b.append(j == 0 ? "\n      {" : ",\n      {");
                field(b, "name", m.name, true);
                b.append(", \"value\": ").append(number(m.value));
                field(b, "unit", m.unit, false);
                b.append(", \"samples\": ").append(m.samples);
                b.append(", \"low\": ").append(number(m.low));
                b.append(", \"high\": ").append(number(m.high));
                field(b, "spread", m.spread.name(), false);
                b.append('}');
            }
            b.append(ms.isEmpty() ? "]}" : "\n     ]}");
        }
        b.append("\n  ],\n  \"summary\": {");
        first = true;
        for (Map.Entry<Verdict, Integer> e : TextReport.counts(results).entrySet()) {
            b.append(first ? "" : ", ").append(quote(e.getKey().name())).append(": ").append(e.getValue());
            first = false;
        }
        b.append("}\n}");
        out.println(b);
        out.flush();
    }

    /** The probes and their claims and rules, for --list --json. */
    static void writeList(PrintWriter out, List<Probe> probes) {
        StringBuilder b = new StringBuilder("{\"tool\": \"posix-send probe\", \"format\": " + FORMAT
                + ", \"probes\": [");
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            b.append(i == 0 ? "\n  {" : ",\n  {").append("\"number\": ").append(p.number());
            field(b, "name", p.name(), false);
            field(b, "title", p.title(), false);
            field(b, "claim", p.claim(), false);
            field(b, "rule", p.rule(), false);
            b.append('}');
        }
        b.append("\n]}");
        out.println(b);
        out.flush();
    }

    /** A JSON number: integers without a fraction, others with up to 6 significant digits; null if not finite. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e")
                .replaceAll("\\.$", "");
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

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The default report, no wider than {@value #WIDTH} columns: one row per claim (number, claim, verdict), the
 * measured figures wrapped under it, the reason of an INCONCLUSIVE verdict, then a tally.
 */
final class TextReport {
    /** The widest line the report prints. */
    static final int WIDTH = 100;
    private static final String INDENT = "    ";

    private TextReport() {
    }

    static void write(PrintWriter out, RunInfo info, List<ProbeResult> results, boolean details) {
        for (String l : wrap("posix-send kernel probe: " + info.line(), WIDTH, "  ")) {
            out.println(l);
        }
        if (!info.hostLine().isEmpty()) {
            for (String l : wrap("host: " + info.hostLine(), WIDTH, "  ")) {
                out.println(l);
            }
        }
        int titleWidth = "claim".length();
        for (ProbeResult r : results) {
            titleWidth = Math.max(titleWidth, r.probe.title().length());
        }
        titleWidth = Math.min(titleWidth, WIDTH - 4 - 2 - 14);
        String row = "%2s  %-" + titleWidth + "s  %s%n";
        out.printf(row, "#", "claim", "verdict");
        for (ProbeResult r : results) {
            String title = r.probe.title();
            if (title.length() > titleWidth) {
                title = title.substring(0, titleWidth - 3) + "...";
            }
            out.printf(row, r.probe.number(), title, r.outcome.verdict);
            print(out, r.outcome.measured, "");
            if (!r.outcome.reason.isEmpty()) {
                print(out, r.outcome.reason, "why: ");
            }
            if ((details || r.outcome.verdict == Verdict.ERROR) && !r.outcome.details.isEmpty()) {
                print(out, r.outcome.details, "details: ");
            }
            if (details && !r.probe.rule().isEmpty()) {
                print(out, r.probe.rule(), "rule: ");
            }
        }
        for (String l : wrap(tally(results), WIDTH, "  ")) {
            out.println(l);
        }
        out.flush();
    }

    private static void print(PrintWriter out, String text, String label) {
        for (String l : wrap(label + text, WIDTH - INDENT.length(), "  ")) {
            out.println(INDENT + l);
        }
    }

    /**
     * {@code text} in lines of at most {@code width} characters, broken at spaces (a word longer than a line
     * is cut); lines after the first start with {@code continuation}.
     */
    static List<String> wrap(String text, int width, String continuation) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        boolean empty = true;
        for (String word : text.trim().split("\\s+")) {
            String w = word;
            while (!w.isEmpty()) {
                int room = width - line.length() - (empty ? 0 : 1);
                if (w.length() <= room) {
                    line.append(empty ? "" : " ").append(w);
                    empty = false;
                    break;
                }
                if (!empty) {
                    lines.add(line.toString());
                    line = new StringBuilder(continuation);
                    empty = true;
                    continue;
                }
                // A word longer than a whole line: cut it.
                int cut = Math.max(1, room);
                line.append(w, 0, cut);
                lines.add(line.toString());
                line = new StringBuilder(continuation);
                w = w.substring(cut);
            }
        }
        if (!empty) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** "17 probes in 12.3 s: 12 HOLDS, 2 DIFFERS, ...". */
    static String tally(List<ProbeResult> results) {
        Map<Verdict, Integer> counts = counts(results);
        long ms = 0;
        for (ProbeResult r : results) {
            ms += r.elapsedMillis;
        }
        StringBuilder b = new StringBuilder(results.size() + (results.size() == 1 ? " probe in " : " probes in ")
                + Stats.duration(ms * 1_000_000L) + ":");
        String sep = " ";
        for (Map.Entry<Verdict, Integer> e : counts.entrySet()) {
            b.append(sep).append(e.getValue()).append(' ').append(e.getKey());
            sep = ", ";
        }
        return b.toString();
    }

    /** How many results have each verdict, in the verdicts' order, leaving out verdicts with none. */
    static Map<Verdict, Integer> counts(List<ProbeResult> results) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (ProbeResult r : results) {
            counts.merge(r.outcome.verdict, 1, Integer::sum);
        }
        return counts;
    }
}

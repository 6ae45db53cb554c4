package io.github.posixsend.tools.probe;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The default report: one row per claim (number, claim, verdict, what was measured), then a tally. */
final class TextReport {
    private TextReport() {
    }

    static void write(PrintWriter out, RunInfo info, List<ProbeResult> results, boolean details) {
        out.println("posix-send kernel probe: " + info.line());
        int titleWidth = "claim".length();
        for (ProbeResult r : results) {
            titleWidth = Math.max(titleWidth, r.probe.title().length());
        }
        String row = "%2s  %-" + titleWidth + "s  %-14s  %s%n";
        out.printf(row, "#", "claim", "verdict", "measured");
        for (ProbeResult r : results) {
            out.printf(row, r.probe.number(), r.probe.title(), r.outcome.verdict, r.outcome.measured);
            if ((details || r.outcome.verdict == Verdict.ERROR) && !r.outcome.details.isEmpty()) {
                out.println("    " + r.outcome.details);
            }
        }
        out.println(tally(results));
        out.flush();
    }

    /** "17 probes in 12.3 s: 12 HOLDS, 2 DIFFERS, ...". */
    static String tally(List<ProbeResult> results) {
        Map<Verdict, Integer> counts = counts(results);
        long ms = 0;
        for (ProbeResult r : results) {
            ms += r.elapsedMillis;
        }
        StringBuilder b = new StringBuilder(results.size() + " probes in " + Stats.duration(ms * 1_000_000L) + ":");
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

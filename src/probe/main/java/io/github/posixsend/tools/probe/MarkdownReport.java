// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.io.PrintWriter;
import java.util.List;

/** The report as Markdown: a table of claims and verdicts, then each probe's details. */
final class MarkdownReport {
    private MarkdownReport() {
    }

    static void write(PrintWriter out, RunInfo info, List<ProbeResult> results) {
        out.println("# posix-send kernel probe");
        out.println();
        out.println(cell(info.line()) + ".");
        if (!info.hostLine().isEmpty()) {
            out.println("Host: " + cell(info.hostLine()) + ".");
        }
        out.println();
        out.println("| # | claim | measured | verdict |");
        out.println("|---|---|---|---|");
        for (ProbeResult r : results) {
            out.println("| " + r.probe.number() + " | " + cell(r.probe.claim()) + " | " + cell(r.outcome.measured)
                    + (r.outcome.reason.isEmpty() ? "" : " (why: " + cell(r.outcome.reason) + ")")
                    + " | **" + r.outcome.verdict + "** |");
        }
        out.println();
        out.println(TextReport.tally(results) + ".");
        out.println();
        out.println("## Details");
        out.println();
        for (ProbeResult r : results) {
            out.println("- **" + r.probe.number() + ". " + r.probe.name() + "** (" + r.outcome.verdict + ", "
                    + r.elapsedMillis + " ms): " + cell(r.outcome.details.isEmpty() ? r.outcome.measured
                    : r.outcome.details) + (r.probe.rule().isEmpty() ? "" : " Rule: " + cell(r.probe.rule()) + "."));
        }
        out.flush();
    }

    /** Text safe inside a table cell: pipes escaped, line breaks flattened. */
    static String cell(String s) {
        return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}

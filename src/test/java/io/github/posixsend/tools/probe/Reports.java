package io.github.posixsend.tools.probe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** The three reports as strings, for tests. */
final class Reports {
    private Reports() {
    }

    static String json(RunInfo info, List<ProbeResult> results) {
        StringWriter s = new StringWriter();
        JsonReport.write(new PrintWriter(s), info, results);
        return s.toString();
    }

    static String markdown(RunInfo info, List<ProbeResult> results) {
        StringWriter s = new StringWriter();
        MarkdownReport.write(new PrintWriter(s), info, results);
        return s.toString();
    }

    static String text(RunInfo info, List<ProbeResult> results, boolean details) {
        StringWriter s = new StringWriter();
        TextReport.write(new PrintWriter(s), info, results, details);
        return s.toString();
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.io.PrintWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Properties;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line of the kernel-behaviour probe ({@code scripts/probe}): runs the probes on loopback and
 * prints what this kernel did for each claim about {@code send}.
 *
 * <p>Exit status: 0 when the probes ran, whatever their verdicts (a claim that differs is a finding); 2 for bad
 * arguments; 3 when a file could not be read or written (--compare, --report); 6 when the probe could not run
 * (posix-send's native library did not load). 1 is left to failures that are not the probe's verdict: an
 * exception it did not expect (picocli prints its stack trace and exits 1) and java's own (no jar, no JVM).
 */
@Command(name = "probe", mixinStandardHelpOptions = true, versionProvider = ProbeMain.Version.class,
        sortOptions = false,
        description = {"Measures, on loopback and through posix-send's own API, what this kernel does for each "
                + "claim that manuals and well-known answers make about send(2).", ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the probes ran (DIFFERS is a finding, not a failure)",
                "1:an unexpected failure: an exception the probe did not expect (its stack trace is printed), "
                        + "or java could not start",
                "2:bad arguments",
                "3:a file could not be read or written (--compare, --report)",
                "6:the probe could not run: posix-send did not load (the native library)"})
public final class ProbeMain implements Callable<Integer> {
    /** The exit status when posix-send does not load: not 1, which picocli and java give any unexpected failure. */
    static final int CANNOT_LOAD = 6;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the report as JSON.")
    private boolean json;

    @Option(names = "--markdown", description = "Print the report as Markdown.")
    private boolean markdown;

    @Option(names = "--only", split = ",", paramLabel = "NAME",
            description = "Run only these probes (names or claim numbers; repeat the option or separate with commas).")
    private List<String> only;

    @Option(names = "--list", description = "List the probes, their claims and rules, and run nothing (as JSON "
            + "with --json).")
    private boolean list;

    @Option(names = "--quick", description = "Short bounds (fewer repetitions, shorter waits): a first look in a "
            + "few seconds.")
    private boolean quick;

    @Option(names = "--deadline", paramLabel = "MS",
            description = "Each probe's deadline in milliseconds (default: 5000, or 2500 with --quick).")
    private Long deadline;

    @Option(names = "--details", description = "In the text report, show each probe's details under its row.")
    private boolean details;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Also write DIR/index.html: the verdict table and charts (PNG files beside it).")
    private Path report;

    @Option(names = "--compare", arity = "2", paramLabel = "REPORT.json",
            description = "Compare two --json reports: which claims changed verdict and which measurements moved "
                    + "beyond their spread or are in one report only. Runs no probe.")
    private List<Path> compare;

    private PrintWriter out;
    private PrintWriter err;

    private ProbeMain() {
    }

    /** Runs the probe and exits with its status. */
    public static void main(String[] args) {
        int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(status);
    }

    /** Runs the probe with these arguments, printing to {@code out} and {@code err}; returns the exit status. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        ProbeMain main = new ProbeMain();
        main.out = out;
        main.err = err;
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public Integer call() {
        if (json && markdown) {
            throw new ParameterException(spec.commandLine(), "choose one of --json and --markdown");
        }
        if (deadline != null && (deadline < 100 || deadline > 600_000)) {
            throw new ParameterException(spec.commandLine(), "--deadline must be between 100 and 600000 ms");
        }
        if (compare != null) {
            if (list || only != null || report != null || json || markdown || quick || deadline != null || details) {
                throw new ParameterException(spec.commandLine(), "--compare takes no other option");
            }
            try {
                Compare.run(compare.get(0), compare.get(1), out);
                return 0;
            } catch (IOException | RuntimeException e) {
                err.println("probe: cannot compare: " + ProbeRunner.describe(e));
                err.flush();
                return 3;
            }
        }
        List<Probe> probes;
        try {
            probes = Probes.select(only);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (list && json) {
            JsonReport.writeList(out, probes);
            return 0;
        }
        if (list) {
            for (Probe p : probes) {
                out.printf("%2d  %-18s %s%n", p.number(), p.name(), p.claim());
            }
            out.flush();
            return 0;
        }
        Bounds bounds = quick ? Bounds.QUICK : Bounds.DEFAULT;
        if (deadline != null) {
            bounds = bounds.withDeadline(deadline);
        }
        RunInfo info;
        try {
            info = RunInfo.current(bounds);
        } catch (Throwable e) {
            // The first use of Posix loads the native library: without it nothing can be measured.
            err.println("probe: cannot run, posix-send did not load: " + ProbeRunner.describe(explanation(e)));
            err.flush();
            return CANNOT_LOAD;
        }
        ProgressLine progress = interactive() ? new ProgressLine(err) : null;
        List<ProbeResult> results = ProbeRunner.run(probes, bounds, progress);
        if (progress != null) {
            progress.clear();
        }
        if (json) {
            JsonReport.write(out, info, results);
        } else if (markdown) {
            MarkdownReport.write(out, info, results);
        } else {
            TextReport.write(out, info, results, details);
        }
        if (report != null) {
            try {
                Path page = HtmlReport.write(report, info, results);
                err.println("probe: report written to " + page);
            } catch (IOException | RuntimeException | LinkageError e) {
                err.println("probe: cannot write the report in " + report + ": " + ProbeRunner.describe(e));
                err.flush();
                return 3;
            }
            err.flush();
        }
        return 0;
    }

    /**
     * The exception in {@code e}'s chain that says best why posix-send could not load: the first in the library's own
     * words (its message begins {@code posix-send:}), else the last.
     */
    static Throwable explanation(Throwable e) {
        Throwable c = e;
        // bounded: a chain of causes may loop through several exceptions
        for (int depth = 0; depth < 32; depth++) {
            String m = c.getMessage();
            // the library's own words say what is missing; a cause below them (ClassNotFoundException) says less
            if ((m != null && m.startsWith("posix-send:")) || c.getCause() == null || c.getCause() == c) {
                return c;
            }
            c = c.getCause();
        }
        return c;
    }

    /**
     * True on a terminal. JDK 22 and later return a Console even when the streams are redirected, and say
     * whether it is a terminal with {@code isTerminal()}, which JDK 17 lacks: it is called where it exists.
     */
    private static boolean interactive() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method m = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** A single line on stderr that shows which probe is running, erased at the end. */
    private static final class ProgressLine implements ProbeRunner.Listener {
        private final PrintWriter err;
        private int width;

        ProgressLine(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void started(int index, int total, Probe probe) {
            String line = "probe [" + index + "/" + total + "] " + probe.name() + " ...";
            err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            err.flush();
            width = line.length();
        }

        @Override
        public void finished(ProbeResult result) {
        }

        void clear() {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
        }
    }

    /**
     * The version the build wrote into version.properties, else the jar manifest's Implementation-Version, else
     * "unknown" (classes compiled outside Maven).
     */
    static String version() {
        try (InputStream in = ProbeMain.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // Fall through to the manifest.
        }
        String v = ProbeMain.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /** "posix-send probe 0.1.0", and the JVM it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"posix-send probe " + version(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}

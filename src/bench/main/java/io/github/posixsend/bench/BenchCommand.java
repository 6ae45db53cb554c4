// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line of {@link BenchMain}: what to measure and where the report goes, or an earlier run's report
 * written again. {@code scripts/bench} passes {@code --c-binary} and {@code --out} before the user's own options,
 * so an option given twice takes its last value.
 */
@Command(name = "scripts/bench", usageHelpAutoWidth = true, sortOptions = false,
        description = {"Benchmarks posix-send against the same system calls made from C, java.nio and Netty's epoll "
                + "transport, C and Java rows interleaved group by group and round by round, and writes results.md, "
                + "results.json and two charts.", ""})
final class BenchCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--full", description = "Full mode: longer iterations and more extra rounds (quick mode, the "
            + "default: 5 rounds of short iterations and up to 3 more for groups within noise).")
    boolean full;

    @Option(names = "--quick", description = "Quick mode (the default).")
    boolean quick;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of every group before the extra rounds "
            + "(default: the mode's, 5; at least 3).")
    Integer rounds;

    @Option(names = "--only", paramLabel = "REGEX", description = "Only the groups whose id this finds, e.g. "
            + "'send|ebadf'.")
    Pattern only = Pattern.compile(".*");

    @Option(names = "--out", paramLabel = "DIR", description = "Where the report, logs and C floor go (default: "
            + "${DEFAULT-VALUE}).")
    Path out = Paths.get("target/bench");

    @Option(names = "--report-from", paramLabel = "RESULTS.json", description = "Write the report of an earlier run "
            + "again from its JSON (same samples, current rendering) into --out, measuring nothing.")
    Path reportFrom;

    @Option(names = "--c-binary", paramLabel = "PATH", description = "The compiled send_floor.c (scripts/bench "
            + "builds it and passes it).")
    Path cBinary;

    @Spec
    CommandSpec spec;

    /** {@return the command line, which takes an option's last value when it is given twice} */
    static CommandLine commandLine() {
        return new CommandLine(new BenchCommand()).setOverwrittenOptionsAllowed(true);
    }

    @Override
    public Integer call() throws Exception {
        if (reportFrom != null) {
            Report.replay(reportFrom, out);
            return 0;
        }
        if (cBinary == null) {
            throw new ParameterException(spec.commandLine(), "--c-binary is required (scripts/bench builds it)");
        }
        if (full && quick) {
            throw new ParameterException(spec.commandLine(), "--full and --quick exclude each other");
        }
        if (rounds != null && rounds < Bootstrap.MIN_ROUNDS) {
            throw new ParameterException(spec.commandLine(), "--rounds must be at least " + Bootstrap.MIN_ROUNDS
                    + ", not " + rounds + ": a verdict's interval needs the spread between rounds");
        }
        BenchMain.Mode mode = full ? BenchMain.FULL : BenchMain.QUICK;
        if (rounds != null) {
            mode = new BenchMain.Mode(mode.name(), rounds, mode.extraRounds(), mode.warmups(), mode.iterations(),
                    mode.iterationMillis());
        }
        BenchMain.run(mode, out, cBinary, only);
        return 0;
    }
}

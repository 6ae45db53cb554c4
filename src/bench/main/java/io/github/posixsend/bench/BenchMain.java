// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.posixsend.bench.Catalogue.Group;
import io.github.posixsend.bench.Catalogue.Impl;
import io.github.posixsend.bench.Catalogue.Row;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the whole comparison: for every group of {@link Catalogue}, round after round, the C case of
 * send_floor and the JMH forks of the Java rows, one after the other, so that whatever the machine does
 * meanwhile hits both. Then {@link Report} writes the table, JSON and chart.
 *
 * <p>Its command line is {@link BenchCommand}'s ({@code --help} lists it); {@code scripts/bench} builds what it
 * measures and gives it the C floor.
 */
public final class BenchMain {
    private static final String PACKAGE = "io.github.posixsend.bench.";

    /**
     * Iteration settings of one mode, the same for the C program and JMH: {@code rounds} for every group, then up to
     * {@code extraRounds} more for the groups where a target's verdict is still within noise.
     */
    record Mode(String name, int rounds, int extraRounds, int warmups, int iterations, int iterationMillis) {
    }

    /**
     * Five rounds before the first look: with three, the bootstrap saw too little of the spread between rounds, and a
     * ratio on its bound was called met or missed 7 % of the time at that look alone in a simulation (2 % at five).
     */
    static final Mode QUICK = new Mode("quick", 5, 3, 2, 3, 300);
    static final Mode FULL = new Mode("full", 5, 5, 3, 5, 1000);

    private final Mode mode;
    private final Path out;
    private final Path cBinary;
    private final Path jniFloor;
    /** Measured ns/op samples of every row, by row key; and bytes allocated per op (JMH gc profiler). */
    final Map<String, List<Double>> samples = new LinkedHashMap<>();
    final Map<String, List<Double>> allocations = new LinkedHashMap<>();
    /** Of the TCP rows: segments their senders retransmitted and the sends made meanwhile, per round, by row key. */
    final Map<String, List<Report.Retransmits>> retransmits = new LinkedHashMap<>();
    private int jmhRun;

    private BenchMain(Mode mode, Path out, Path cBinary) {
        this.mode = mode;
        this.out = out;
        this.cBinary = cBinary;
        this.jniFloor = cBinary.resolveSibling("libjnifloor.so");
    }

    /** Parses the command line ({@link BenchCommand}) and runs it; exits with picocli's status. */
    public static void main(String[] args) {
        System.exit(BenchCommand.commandLine().execute(args));
    }

    /**
     * Measures: every group of {@link Catalogue} whose id {@code only} finds, {@code mode.rounds()} rounds and then
     * the extra rounds of the groups within noise, and writes the report into {@code out}.
     */
    static void run(Mode mode, Path out, Path cBinary, Pattern only) throws Exception {
        List<Group> groups = new ArrayList<>();
        for (Group g : Catalogue.GROUPS) {
            if (only.matcher(g.id()).find()) {
                groups.add(g);
            }
        }
        Files.createDirectories(out.resolve("logs"));
        BenchMain bench = new BenchMain(mode, out, cBinary);
        Report.Meta meta = Report.Meta.describe(mode.name(), mode.rounds(), mode.warmups(), mode.iterations(),
                mode.iterationMillis(), Loopback.RECEIVER);
        Instant start = Instant.now();
        Map<String, Integer> roundsRun = new LinkedHashMap<>();
        for (int round = 0; round < mode.rounds(); round++) {
            for (Group g : groups) {
                bench.round(g, round, start, roundsRun);
            }
        }
        // A verdict within noise gets more rounds (the whole group, C and Java interleaved as before), up to the bound.
        extraRounds(groups, mode.extraRounds(), g -> Report.withinNoise(g, bench.samples, roundsRun.get(g.id())),
                g -> bench.round(g, roundsRun.get(g.id()), start, roundsRun));
        meta.finish();
        new Report(meta, groups, bench.samples, bench.allocations, bench.retransmits, roundsRun).write(out);
    }

    /** One more round of a group. */
    interface RoundRunner {
        void run(Group g) throws Exception;
    }

    /**
     * Up to {@code bound} extra rounds: in each, every group still {@code open} (within noise, asked of every group
     * before any of them runs) runs one more round, so no group runs more than {@code bound} extra rounds.
     */
    static void extraRounds(List<Group> groups, int bound, Predicate<Group> open, RoundRunner round) throws Exception {
        for (int extra = 0; extra < bound; extra++) {
            List<Group> now = new ArrayList<>();
            for (Group g : groups) {
                if (open.test(g)) {
                    now.add(g);
                }
            }
            for (Group g : now) {
                round.run(g);
            }
        }
    }

    /** One round of a group: its C and Java rows, in an order that alternates from round to round. */
    private void round(Group g, int round, Instant start, Map<String, Integer> roundsRun) throws Exception {
        // neither side always runs on a machine just warmed by the other
        boolean cFirst = round % 2 == 0;
        if (cFirst) {
            runC(g);
        }
        runJava(g, cFirst);
        if (!cFirst) {
            runC(g);
        }
        roundsRun.merge(g.id(), 1, Integer::sum);
        System.err.printf("bench: round %d of %s done (%ds so far)%n", round + 1, g.id(),
                java.time.Duration.between(start, Instant.now()).toSeconds());
    }

    static String key(Row row, String backend) {
        return row.impl().name() + ":" + (backend != null ? backend + ":" : "") + row.source();
    }

    private void runC(Group g) throws IOException, InterruptedException {
        // the group's floor and any diagnostic C rows, in one run of the program
        Map<String, Row> cRows = new LinkedHashMap<>();
        for (Row r : g.rows()) {
            if (r.impl() == Impl.C) {
                cRows.put(r.source(), r);
            }
        }
        String cases = String.join(" ", cRows.keySet());
        List<String> cmd = new ArrayList<>(List.of(cBinary.toString(), "--warmup", String.valueOf(mode.warmups()),
                "--iterations", String.valueOf(mode.iterations()),
                "--time-ms", String.valueOf(mode.iterationMillis())));
        cmd.addAll(cRows.keySet());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        long limit = (long) cRows.size() * (mode.warmups() + mode.iterations()) * mode.iterationMillis() * 4 + 30_000;
        if (!p.waitFor(limit, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("send_floor " + cases + " did not finish in " + limit + " ms");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("send_floor " + cases + " failed with exit " + p.exitValue());
        }
        for (String line : lines) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            Row c = cRows.get(o.get("case").getAsString());
            if (o.has("eagain") && o.get("eagain").getAsLong() > 0) {
                System.err.printf("bench: warning: C %s found a full send buffer %d times in %d calls%n",
                        c.source(), o.get("eagain").getAsLong(), o.get("calls").getAsLong());
            }
            List<Double> s = samples.computeIfAbsent(key(c, null), k -> new ArrayList<>());
            if (o.has("retransmits")) {
                retransmits.computeIfAbsent(key(c, null), k -> new ArrayList<>()).add(
                        new Report.Retransmits(o.get("retransmits").getAsLong(), o.get("calls").getAsLong()));
            }
            for (JsonElement e : o.getAsJsonArray("samples")) {
                s.add(e.getAsDouble());
            }
        }
    }

    /** posix-send's rows once per backend (each in forks started with that backend), and the peers; in either order. */
    private void runJava(Group g, boolean oursFirst) throws Exception {
        if (!oursFirst) {
            runPeers(g);
        }
        for (String backend : Catalogue.BACKENDS) {
            List<Row> rows = new ArrayList<>();
            for (Row r : g.rows()) {
                if (r.impl() == Impl.OURS && r.available()) {
                    rows.add(r);
                }
            }
            runJmh(rows, backend);
        }
        if (oursFirst) {
            runPeers(g);
        }
    }

    private void runPeers(Group g) throws Exception {
        List<Row> peers = new ArrayList<>();
        for (Row r : g.rows()) {
            if (r.impl() != Impl.C && r.impl() != Impl.OURS && r.available()) {
                peers.add(r);
            }
        }
        runJmh(peers, null);
    }

    @SuppressWarnings("rawtypes") // JMH's RunResult.getSecondaryResults() is a map of raw Result
    private void runJmh(List<Row> rows, String backend) throws Exception {
        if (rows.isEmpty()) {
            return;
        }
        Path log = out.resolve("logs").resolve("jmh-" + (++jmhRun) + ".txt");
        ChainedOptionsBuilder o = new OptionsBuilder()
                .forks(1)
                .warmupIterations(mode.warmups())
                .warmupTime(TimeValue.milliseconds(mode.iterationMillis()))
                .measurementIterations(mode.iterations())
                .measurementTime(TimeValue.milliseconds(mode.iterationMillis()))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .output(log.toString())
                // the opens let JNR and FFM find a file channel's descriptor (Posix.fd) on JDK 24 and later, for
                // the sendfile row; the send paths do not use them
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                        "--add-opens=java.base/java.io=ALL-UNNAMED",
                        "-Dposixsend.backend=" + (backend != null ? backend : "jni"),
                        "-Dposixsend.bench.jnifloor=" + jniFloor.toAbsolutePath());
        Map<String, Row> byName = new LinkedHashMap<>();
        for (Row r : rows) {
            o.include("^" + Pattern.quote(PACKAGE + r.source()) + "$");
            byName.put(PACKAGE + r.source(), r);
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        for (RunResult rr : results) {
            Row row = byName.get(rr.getParams().getBenchmark());
            if (row == null) {
                continue;
            }
            String k = key(row, row.perBackend() ? backend : null);
            List<Double> s = samples.computeIfAbsent(k, x -> new ArrayList<>());
            Report.Retransmits fork = null; // a fork keeps its regime: one count per fork, as C has one per run
            for (BenchmarkResult br : rr.getBenchmarkResults()) {
                for (IterationResult ir : br.getIterationResults()) {
                    s.add(ir.getPrimaryResult().getScore());
                    // per iteration, as ns/op: the row's B/op is then the median of the measured iterations, which a
                    // first iteration still running interpreted code (and allocating as it does) cannot pull up alone
                    for (var e : ir.getSecondaryResults().entrySet()) {
                        if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                            allocations.computeIfAbsent(k, x -> new ArrayList<>()).add(e.getValue().getScore());
                        } else if (e.getKey().equals("retransmits")) { // TcpRetransmits: the iteration's calls
                            Report.Retransmits it = new Report.Retransmits((long) e.getValue().getScore(),
                                    ir.getMetadata().getAllOps());
                            fork = fork == null ? it : fork.plus(it);
                        }
                    }
                }
            }
            if (fork != null) {
                retransmits.computeIfAbsent(k, x -> new ArrayList<>()).add(fork);
            }
        }
    }
}

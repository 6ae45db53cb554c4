// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import com.google.gson.GsonBuilder;
import io.github.posixsend.bench.Catalogue.Group;
import io.github.posixsend.bench.Catalogue.Impl;
import io.github.posixsend.bench.Catalogue.Row;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Turns the samples of a run into one table (Markdown, also printed), a JSON file and a bar chart (PNG) under
 * the output folder: median, min and max ns per op over all measured iterations of all rounds, the ratio to
 * the group's C row and to its java.nio and Netty rows, and bytes allocated per op.
 */
final class Report {

    /** Where and how the numbers were taken. */
    static final class Meta {
        String date;
        String finished;
        String mode;
        int rounds;
        String iterations;
        String receiver;
        String machine;
        String kernel;
        String jdk;
        String loadBefore;
        String loadAfter;

        static Meta describe(String mode, int rounds, int warmups, int iterations, int millis, String receiver) {
            Meta m = new Meta();
            m.date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            m.mode = mode;
            m.rounds = rounds;
            m.iterations = String.format(Locale.ROOT, "%d warm-up + %d measured iterations of %d ms per row and round",
                    warmups, iterations, millis);
            m.receiver = "bound 127.0.0.1 UDP socket, " + ("unread".equals(receiver)
                    ? "not read (the kernel drops datagrams once its buffer is full), the same for C, posix-send, NIO"
                            + " and Netty"
                    : receiver);
            m.machine = cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
            m.kernel = firstLine("/proc/sys/kernel/ostype") + " " + firstLine("/proc/sys/kernel/osrelease");
            m.jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
            m.loadBefore = firstLine("/proc/loadavg");
            return m;
        }

        void finish() {
            finished = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            loadAfter = firstLine("/proc/loadavg");
        }

        private static String cpu() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            } catch (IOException e) {
                // fall through: the description just says less
            }
            return System.getProperty("os.arch");
        }

        private static String firstLine(String file) {
            try {
                List<String> lines = Files.readAllLines(Path.of(file));
                return lines.isEmpty() ? "?" : lines.get(0).trim();
            } catch (IOException e) {
                return "?";
            }
        }
    }

    /** One line of the table, as it also goes into the JSON file. */
    static final class Line {
        String group;
        String operation;
        String per;
        String impl;
        String label;
        String backend;
        String status;
        Double medianNs;
        Double minNs;
        Double maxNs;
        Integer samples;
        Double ratioC;
        Double ratioNio;
        Double ratioNetty;
        Double bytesPerOp;
        /** Of a TCP row, per round: segments retransmitted over its measured iterations, and the sends made then. */
        List<Retransmits> retransmits;
        String target;
        Boolean targetMet;
        /** MET, MISSED, WITHIN_NOISE or NOT_JUDGED: the target's verdict from the interval of each part. */
        String verdict;
        String targetVerdict;
        /** Rounds the row's group ran (the bootstrap resamples them). */
        Integer rounds;
        List<Double> samplesNs;
    }

    /** Segments a TCP row's sender retransmitted over a round's measured iterations, and the sends made meanwhile. */
    record Retransmits(long segments, long sends) {
        Retransmits plus(Retransmits other) {
            return new Retransmits(segments + other.segments, sends + other.sends);
        }

        double perSend() {
            return sends == 0 ? 0 : (double) segments / sends;
        }
    }

    /** One colour per {@link Impl}, the same in every chart. */
    private static final Color[] COLOURS = {
        new Color(0x4c72b0), new Color(0xdd8452), new Color(0x8172b3), new Color(0x55a868), new Color(0x937860),
        new Color(0xc44e52)};

    private final Meta meta;
    private final List<Line> lines = new ArrayList<>();

    Report(Meta meta, List<Group> groups, Map<String, List<Double>> samples, Map<String, List<Double>> allocations,
            Map<String, List<Retransmits>> retransmits, Map<String, Integer> roundsByGroup) {
        this.meta = meta;
        for (Group g : groups) {
            int rounds = roundsByGroup.getOrDefault(g.id(), meta.rounds);
            Catalogue.Refs refs = refs(g, samples, rounds);
            Stats c = Stats.of(refs.c());
            Stats nio = Stats.of(refs.nio());
            Stats netty = Stats.of(refs.netty());
            for (Row r : g.rows()) {
                List<String> backends = r.perBackend() ? Catalogue.BACKENDS : Collections.singletonList(null);
                for (String backend : backends) {
                    Line l = new Line();
                    l.group = g.id();
                    l.operation = g.title();
                    l.per = g.per();
                    l.impl = r.impl().label;
                    l.label = r.label();
                    l.backend = backend;
                    Stats s = r.available() ? Stats.of(samples.get(BenchMain.key(r, backend))) : null;
                    if (s == null) {
                        l.status = r.available() ? "not measured" : r.note();
                    } else {
                        l.status = "measured";
                        l.medianNs = s.median;
                        l.minNs = s.min;
                        l.maxNs = s.max;
                        l.samples = s.count;
                        l.samplesNs = samples.get(BenchMain.key(r, backend));
                        l.ratioC = c != null && r != g.cRow() ? s.median / c.median : null;
                        l.ratioNio = nio != null && r.impl() != Impl.NIO ? s.median / nio.median : null;
                        l.ratioNetty = netty != null && r.impl() != Impl.NETTY ? s.median / netty.median : null;
                        List<Double> a = allocations.get(BenchMain.key(r, backend));
                        l.bytesPerOp = a == null || a.isEmpty() ? null : Stats.of(a).median;
                        l.retransmits = retransmits.get(BenchMain.key(r, backend));
                        Catalogue.Target t = r.target(backend);
                        l.rounds = rounds;
                        if (t != null) {
                            List<Double> mine = samples.get(BenchMain.key(r, backend));
                            Catalogue.Verdict v = t.judge(mine, refs);
                            l.target = t.fullText();
                            l.targetMet = v == Catalogue.Verdict.MET ? Boolean.TRUE
                                    : v == Catalogue.Verdict.MISSED ? Boolean.FALSE : null;
                            l.verdict = v.name();
                            l.targetVerdict = t.verdict(mine, refs);
                        }
                    }
                    lines.add(l);
                }
            }
        }
    }

    /**
     * Writes the table, JSON and charts again from a results.json of an earlier run (its samples and meta), with
     * the current rendering and targets: nothing is measured.
     */
    static void replay(Path json, Path out) throws IOException {
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(
                Files.readString(json, StandardCharsets.UTF_8)).getAsJsonObject();
        com.google.gson.Gson gson = new com.google.gson.Gson();
        Meta meta = gson.fromJson(o.get("meta"), Meta.class);
        Map<String, Line> old = new LinkedHashMap<>();
        for (com.google.gson.JsonElement e : o.getAsJsonArray("rows")) {
            Line l = gson.fromJson(e, Line.class);
            old.put(l.group + "|" + l.impl + "|" + l.label + "|" + l.backend, l);
        }
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        Map<String, List<Double>> allocations = new LinkedHashMap<>();
        Map<String, List<Retransmits>> retransmits = new LinkedHashMap<>();
        List<Group> groups = new ArrayList<>();
        for (Group g : Catalogue.GROUPS) {
            boolean any = false;
            for (Row r : g.rows()) {
                List<String> backends = r.perBackend() ? Catalogue.BACKENDS : Collections.singletonList(null);
                for (String backend : backends) {
                    Line l = old.get(g.id() + "|" + r.impl().label + "|" + r.label() + "|" + backend);
                    if (l == null) {
                        continue;
                    }
                    any = true;
                    if (l.samplesNs != null) {
                        samples.put(BenchMain.key(r, backend), l.samplesNs);
                    }
                    if (l.bytesPerOp != null) {
                        allocations.put(BenchMain.key(r, backend), List.of(l.bytesPerOp));
                    }
                    if (l.retransmits != null) {
                        retransmits.put(BenchMain.key(r, backend), l.retransmits);
                    }
                }
            }
            if (any) {
                groups.add(g);
            }
        }
        Map<String, Integer> rounds = new LinkedHashMap<>();
        for (Line l : old.values()) {
            if (l.rounds != null) {
                rounds.put(l.group, l.rounds);
            }
        }
        new Report(meta, groups, samples, allocations, retransmits, rounds).write(out);
    }

    /** The reference samples of a group's targets. */
    static Catalogue.Refs refs(Group g, Map<String, List<Double>> samples, int rounds) {
        List<Double> nio = null;
        List<Double> netty = null;
        Map<String, List<Double>> bySource = new LinkedHashMap<>();
        for (Row r : g.rows()) {
            List<Double> once = r.available() && !r.perBackend() ? samples.get(BenchMain.key(r, null)) : null;
            if (once == null || once.isEmpty()) {
                continue;
            }
            if (r.impl() == Impl.NIO) {
                nio = once;
            } else if (r.impl() == Impl.NETTY) {
                netty = once;
            }
            bySource.put(r.source(), once);
        }
        return new Catalogue.Refs(samples.get(BenchMain.key(g.cRow(), null)), nio, netty, bySource, rounds);
    }

    /** True when some target of the group is within noise on the samples so far: another round may settle it. */
    static boolean withinNoise(Group g, Map<String, List<Double>> samples, int rounds) {
        Catalogue.Refs refs = refs(g, samples, rounds);
        for (Row r : g.rows()) {
            List<String> backends = r.perBackend() ? Catalogue.BACKENDS : Collections.singletonList(null);
            for (String backend : backends) {
                Catalogue.Target t = r.available() ? r.target(backend) : null;
                List<Double> mine = samples.get(BenchMain.key(r, backend));
                if (t != null && mine != null && !mine.isEmpty()
                        && t.judge(mine, refs) == Catalogue.Verdict.WITHIN_NOISE) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Median, min and max of a row's samples. */
    record Stats(double median, double min, double max, int count) {
        static Stats of(List<Double> values) {
            if (values == null || values.isEmpty()) {
                return null;
            }
            List<Double> v = new ArrayList<>(values);
            Collections.sort(v);
            int n = v.size();
            double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
            return new Stats(median, v.get(0), v.get(n - 1), n);
        }
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        String md = markdown();
        Files.writeString(dir.resolve("results.md"), md, StandardCharsets.UTF_8);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("meta", meta);
        json.put("rows", lines);
        Files.writeString(dir.resolve("results.json"),
                new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json),
                StandardCharsets.UTF_8);
        chart(dir.resolve("results-datagram.png"), "datagram");
        chart(dir.resolve("results-call.png"), "call");
        System.out.println(md);
        System.out.println("bench: wrote " + dir.resolve("results.md")
                + ", results.json, results-datagram.png and results-call.png");
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# posix-send benchmarks\n\n");
        b.append("- date: ").append(meta.date).append(" to ").append(meta.finished).append(" (UTC)\n");
        b.append("- machine: ").append(meta.machine).append("; ").append(meta.kernel).append("; ").append(meta.jdk)
                .append('\n');
        b.append("- mode: ").append(meta.mode).append(", ").append(meta.rounds).append(" rounds, ")
                .append(meta.iterations).append("; C and Java rows interleaved per group and round\n");
        b.append("- receiver: ").append(meta.receiver).append('\n');
        b.append("- load average before / after: ").append(meta.loadBefore).append(" / ").append(meta.loadAfter)
                .append('\n');
        b.append("- ns/op is per datagram for sends and recvmmsg (per message for batches), per call for would-block, ")
                .append("EBADF, poll and the empty-socket recv; ")
                .append("B/op from JMH's gc profiler (gc.alloc.rate.norm), the median of the measured iterations ")
                .append("as for ns/op, per datagram where ns/op is: JMH's own bookkeeping, a few kilobytes an ")
                .append("iteration spread over its operations, shows as up to about 0.1 B/op on rows of a few ")
                .append("microseconds, while a row that allocates on every call shows at least 1 B divided by its ")
                .append("datagrams a call (FFM's 40-byte slice of the errno segment is 0.16 B/op on a batch of 256)\n");
        b.append("- x C, x NIO, x Netty: the row's median over the median of the group's C, java.nio and Netty row; ")
                .append("\"bare JNI\" rows are a diagnostic (a primitive-only native that checks nothing, ")
                .append("src/bench/c/jni_floor.c), the floor of any JNI binding, ")
                .append("and \"bare FFM\" rows (JDK 22+) the same for the foreign function API ")
                .append("(one downcall handle of libc, errno captured); ")
                .append("a second C row in a group is a diagnostic too; ")
                .append("targets are the project's, ")
                .append("per backend (JNR: <= 1.05x C on the send path, <= 1.35x C on the EBADF floor; ")
                .append("FFM, on JDK 22 and later: <= 1.03x C on the send path, the EBADF floor no slower than the ")
                .append("bare-JNI unchecked row, and 0 B/op, which the B/op column shows and no verdict judges); ")
                .append("\"in-JVM floor\" rows make the system call 1000 times in one native call, ")
                .append("from C code in the JVM's thread: the reference of the poll and empty-recv targets ")
                .append("(\"<= in-JVM floor + 25 ns\"), ")
                .append("as a system call costs more in the JVM's process than in the small C program\n");
        b.append("- target verdicts: the row's median over (or minus) its reference's, with a ")
                .append(Bootstrap.levelText()).append(" interval from a two-level bootstrap (rounds, the row's and ")
                .append("its reference's drawn together as they ran interleaved, then samples within a round; ")
                .append(Bootstrap.RESAMPLES).append(" resamples): **met** when the whole interval is within the ")
                .append("bound, **missed** when it is all outside, **within noise** when it straddles the bound; a ")
                .append("group with a verdict within noise ran extra rounds, up to the mode's bound, and was judged ")
                .append("again: the level is 1 - 5 % / ").append(Bootstrap.LOOKS).append(" so that a verdict ")
                .append("settled at any of up to ").append(Bootstrap.LOOKS).append(" looks is wrong at most 5 % of ")
                .append("the time\n");
        b.append("- retx/send, on the TCP rows: segments the sender retransmitted (tcpi_total_retrans of TCP_INFO, ")
                .append("read around each measured iteration) per send, over all of the row's rounds, then the lowest ")
                .append("and highest of one round (a process or JMH fork); loopback TCP on two CPUs settles into a ")
                .append("regime that retransmits much or hardly at all (probe claim 24, docs/bench-history.md), and a ")
                .append("row's time is that regime's as much as the binding's\n\n");
        targets(b);
        b.append("## Every row\n\n");
        b.append("| operation | implementation | row | median ns/op | min | max | x C | x NIO | x Netty | B/op ")
                .append("| retx/send | target |\n");
        b.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        String last = null;
        for (Line l : lines) {
            String op = l.group.equals(last) ? "" : l.operation;
            last = l.group;
            String impl = l.impl + (l.backend != null ? " (" + l.backend + ")" : "");
            if (!"measured".equals(l.status)) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | | | | | | | | |%n", op, impl, l.label,
                        l.status));
                continue;
            }
            String target = l.targetVerdict == null ? "" : l.targetVerdict;
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f | %s | %s | %s | %s | %s | %s |%n",
                    op, impl, l.label, l.medianNs, l.minNs, l.maxNs, ratio(l.ratioC), ratio(l.ratioNio),
                    ratio(l.ratioNetty), l.bytesPerOp == null ? "-" : bytes(l.bytesPerOp),
                    perSend(l), target));
        }
        return b.toString();
    }

    /**
     * The rows that carry a target, one line per operation and row with a column per backend (its median and its
     * verdict with the interval), beside the group's C median: the short table a summary (the README's) takes whole.
     */
    private void targets(StringBuilder b) {
        Map<String, Line> cLine = new LinkedHashMap<>();
        Map<String, Map<String, Line>> byRow = new LinkedHashMap<>();
        List<String> backends = new ArrayList<>();
        for (Line l : lines) {
            if ("C".equals(l.impl) && l.medianNs != null) {
                cLine.putIfAbsent(l.group, l);
            }
            if (l.targetVerdict != null) {
                String backend = l.backend == null ? "" : l.backend;
                byRow.computeIfAbsent(l.group + "\u0000" + l.label, k -> new LinkedHashMap<>()).put(backend, l);
                if (!backends.contains(backend)) {
                    backends.add(backend);
                }
            }
        }
        b.append("## Targets\n\n");
        if (byRow.isEmpty()) {
            b.append("No row of this run has a target.\n\n");
            return;
        }
        b.append("Each cell: the row's median in ns/op, then its target and verdict (the ratio or difference and its ")
                .append(Bootstrap.levelText()).append(" interval).\n\n");
        b.append("| operation | row | C |");
        for (String backend : backends) {
            b.append(' ').append(backend.isEmpty() ? "posix-send" : backend).append(" |");
        }
        b.append("\n|---|---|---:|");
        b.append("---|".repeat(backends.size())).append('\n');
        String last = null;
        for (Map<String, Line> row : byRow.values()) {
            Line any = row.values().iterator().next();
            boolean first = !any.group.equals(last);
            last = any.group;
            Line c = cLine.get(any.group);
            b.append("| ").append(first ? any.operation : "").append(" | ").append(any.label).append(" | ");
            if (first && c != null) {
                b.append(String.format(Locale.ROOT, "%.0f", c.medianNs));
                String retransmitted = perSend(c);
                if (!retransmitted.isEmpty()) {
                    b.append("; ").append(retransmitted).append(" retx/send");
                }
            }
            b.append(" |");
            for (String backend : backends) {
                Line l = row.get(backend);
                b.append(' ');
                if (l != null) {
                    b.append(String.format(Locale.ROOT, "%.0f: %s", l.medianNs, l.targetVerdict));
                    if (l.bytesPerOp != null && l.bytesPerOp != 0) {
                        b.append("; ").append(bytes(l.bytesPerOp)).append(" B/op");
                    }
                    String retransmitted = perSend(l);
                    if (!retransmitted.isEmpty()) {
                        b.append("; ").append(retransmitted).append(" retx/send");
                    }
                }
                b.append(" |");
            }
            b.append('\n');
        }
        b.append('\n');
    }

    /**
     * A TCP row's segments retransmitted per send over all its rounds, and the lowest and highest of a round where
     * they differ (a connection's regime shows as a round far from the others); empty for the other rows.
     */
    private static String perSend(Line l) {
        if (l.retransmits == null || l.retransmits.isEmpty()) {
            return "";
        }
        Retransmits all = new Retransmits(0, 0);
        double low = Double.MAX_VALUE;
        double high = 0;
        for (Retransmits round : l.retransmits) {
            all = all.plus(round);
            low = Math.min(low, round.perSend());
            high = Math.max(high, round.perSend());
        }
        String s = String.format(Locale.ROOT, "%.3f", all.perSend());
        String range = String.format(Locale.ROOT, "%.3f-%.3f", low, high);
        return range.equals(s + "-" + s) ? s : s + " (rounds " + range + ")";
    }

    /**
     * Bytes allocated per operation: "0" only for none, two decimals below 10 (a batch's rows are per datagram, so a
     * 40-byte allocation per call of 256 datagrams is 0.16), whole bytes above.
     */
    static String bytes(double perOp) {
        return perOp == 0 ? "0" : String.format(Locale.ROOT, perOp < 10 ? "%.2f" : "%.0f", perOp);
    }

    private static String ratio(Double r) {
        return r == null ? "" : String.format(Locale.ROOT, "%.2f", r);
    }

    /**
     * A bar per measured row (its median), one colour per implementation; rows of the given unit only, as
     * sends cost microseconds per datagram and refused calls a hundred nanoseconds per call.
     */
    private void chart(Path png, String per) throws IOException {
        List<String> names = new ArrayList<>();
        for (Line l : lines) {
            if ("measured".equals(l.status) && l.per.equals(per)) {
                names.add(l.group + ": " + l.label + (l.backend != null ? " [" + l.backend + "]" : ""));
            }
        }
        if (names.isEmpty()) {
            return; // XChart cannot draw an empty category chart; a run of --only may measure no row of this unit
        }
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(1000, 60 * names.size())).height(800)
                .title("posix-send: ns per " + per + " (median; " + meta.mode + " run, " + meta.date + ")")
                .xAxisTitle("").yAxisTitle("ns/op").build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        for (Impl impl : Impl.values()) {
            List<Double> y = new ArrayList<>();
            boolean any = false;
            for (Line l : lines) {
                if ("measured".equals(l.status) && l.per.equals(per)) {
                    boolean mine = l.impl.equals(impl.label);
                    y.add(mine ? l.medianNs : null);
                    any |= mine;
                }
            }
            if (any) {
                chart.addSeries(impl.label, names, y).setFillColor(COLOURS[impl.ordinal()]);
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}

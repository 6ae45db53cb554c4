// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import static io.github.posixsend.bench.TargetVerdictTest.mix;
import static io.github.posixsend.bench.TargetVerdictTest.same;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.bench.Catalogue.Group;
import io.github.posixsend.bench.Catalogue.Impl;
import io.github.posixsend.bench.Catalogue.Row;
import io.github.posixsend.bench.Catalogue.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which groups {@link Report#withinNoise} sends to another round, and how the tables show a target's verdict. */
class ReportTest {
    static final Row C = Row.c("send");
    /** A posix-send row with a target on JNI (at most 1.03x C) and on JNR (at most 1.05x C). */
    static final Row OURS = Row.ours("send direct ByteBuffer", "PosixSendBench.sendDirect", Target.ratio(1.03),
            Target.ratio(1.05));
    static final Row NIO = Row.peer(Impl.NIO, "DatagramChannel.write", "NioBench.write");
    static final Group GROUP = new Group("send", "send 64 B, connected UDP", "datagram", List.of(C, OURS, NIO));

    static String c() {
        return BenchMain.key(C, null);
    }

    static String ours(String backend) {
        return BenchMain.key(OURS, backend);
    }

    static Map<String, List<Double>> samples(List<Double> c, List<Double> jni, List<Double> jnr) {
        Map<String, List<Double>> m = new HashMap<>();
        if (c != null) {
            m.put(c(), c);
        }
        if (jni != null) {
            m.put(ours("jni"), jni);
        }
        if (jnr != null) {
            m.put(ours("jnr"), jnr);
        }
        return m;
    }

    @Test
    void aGroupIsWithinNoiseWhenOneOfItsTargetsIs() {
        List<Double> c = same(12, 100);
        assertTrue(Report.withinNoise(GROUP, samples(c, mix(7, 103, 5, 120), null), 3));
        assertTrue(Report.withinNoise(GROUP, samples(c, same(12, 100), mix(7, 100, 5, 110)), 3));
        assertFalse(Report.withinNoise(GROUP, samples(c, same(12, 100), same(12, 100)), 3), "both met");
        assertFalse(Report.withinNoise(GROUP, samples(c, same(12, 120), null), 3), "missed");
        assertFalse(Report.withinNoise(GROUP, samples(c, same(12, 120), same(12, 100)), 3), "missed and met");
        assertFalse(Report.withinNoise(GROUP, samples(null, mix(7, 103, 5, 120), null), 3), "no C row: not judged");
        assertFalse(Report.withinNoise(GROUP, samples(c, List.of(), List.of()), 3), "rows without samples");
        assertFalse(Report.withinNoise(GROUP, samples(c, null, null), 3), "rows not measured");
    }

    @Test
    void aRowWithoutATargetCannotHoldTheGroupOpen() {
        Map<String, List<Double>> s = samples(same(12, 100), same(12, 100), null);
        s.put(BenchMain.key(NIO, null), mix(7, 103, 5, 120));
        assertFalse(Report.withinNoise(GROUP, s, 3));
        Group noTargets = new Group("send", "send", "datagram", List.of(C,
                Row.ours("send heap", "PosixSendBench.sendDirect", null, null)));
        assertFalse(Report.withinNoise(noTargets, samples(same(12, 100), mix(7, 103, 5, 120), null), 3));
    }

    /** A row as fast as Netty misses "< Netty" for good: no extra round can change that. */
    @Test
    void aTargetMissedAtAStrictBoundHoldsNoGroupOpen() {
        Row netty = Row.peer(Impl.NETTY, "EpollDatagramChannel", "NettyChannelBench.flush64");
        Row ours = Row.ours("sendmmsg", "PosixMessageBench.sendmmsg64", Target.belowNetty(), null);
        Group g = new Group("sendmmsg_64", "sendmmsg", "datagram", List.of(Row.c("sendmmsg_64"), ours, netty));
        Map<String, List<Double>> s = new HashMap<>();
        s.put(BenchMain.key(g.cRow(), null), same(12, 90));
        s.put(BenchMain.key(netty, null), same(12, 100));
        s.put(BenchMain.key(ours, "jni"), same(12, 100));
        assertFalse(Report.withinNoise(g, s, 3));
        s.put(BenchMain.key(ours, "jni"), TargetVerdictTest.mix(7, 100, 5, 95));
        assertTrue(Report.withinNoise(g, s, 3));
    }

    /**
     * Three rounds of 18 samples at 100, 103 and 106 ns against C at 100: resampled by round, the ratio's interval
     * is 1.00-1.06 and straddles 1.05. The rounds the group ran are the bootstrap's, before the run's; fewer than
     * three, or a count the samples do not divide into, is not judged rather than pooled into one round.
     */
    @Test
    void theRoundsTheGroupRanAreTheBootstrapsRounds() {
        List<Double> jnr = new ArrayList<>();
        for (double v : new double[] {100, 103, 106}) {
            jnr.addAll(same(18, v));
        }
        Map<String, List<Double>> s = samples(same(60, 100), same(60, 100), jnr);
        assertTrue(Report.withinNoise(GROUP, s, 3));
        assertFalse(Report.withinNoise(GROUP, s, 1), "not judged: no round to add can change that");
        String open = "within noise (1.03x, 99.2% 1.00-1.06)";
        assertTrue(report(s, Map.of("send", 3), 2).markdown().contains(open));
        String refused = report(s, Map.of("send", 2), 3).markdown();
        assertTrue(refused.contains("not judged (54 and 60 samples do not make the 2 rounds the group ran, nor the 3 "
                + "a verdict needs)"), refused);
        // a group missing from the rounds run (a replayed report of an older JSON): the run's rounds
        assertTrue(report(s, Map.of(), 3).markdown().contains(open));
    }

    static Report report(Map<String, List<Double>> samples, Map<String, Integer> rounds, int metaRounds) {
        Report.Meta meta = new Report.Meta();
        meta.date = "2026-01-01T00:00:00Z";
        meta.finished = "2026-01-01T00:20:00Z";
        meta.mode = "quick";
        meta.rounds = metaRounds;
        meta.iterations = "3 measured iterations";
        return new Report(meta, List.of(GROUP), samples, Map.of(), Map.of(), rounds);
    }

    /** The verdict with its interval, in the targets table (after the row's median) and in the row's line. */
    @Test
    void theTablesShowTheVerdictWithItsInterval() {
        Map<String, List<Double>> s = samples(same(12, 100), same(12, 103), mix(7, 100, 5, 110));
        s.put(BenchMain.key(NIO, null), same(12, 200));
        String md = report(s, Map.of("send", 3), 3).markdown();
        String jni = "<= 1.03x C: met (1.03x, 99.2% 1.03-1.03)";
        String jnr = "<= 1.05x C: within noise (1.00x, 99.2% 1.00-1.10)";
        assertTrue(md.contains("| operation | row | C | jni | jnr |\n"), md);
        assertTrue(md.contains("| send 64 B, connected UDP | send direct ByteBuffer | 100 | 103: " + jni + " | 100: "
                + jnr + " |\n"), md);
        assertTrue(md.contains("|  | posix-send (jni) | send direct ByteBuffer | 103.0 | 103.0 | 103.0 | 1.03 | 0.52 "
                + "|  | - |  | " + jni + " |\n"), md);
        assertTrue(md.contains("|  | posix-send (jnr) | send direct ByteBuffer | 100.0 | 100.0 | 110.0 | 1.00 | 0.50 "
                + "|  | - |  | " + jnr + " |\n"), md);
        // a row without a target has an empty target cell
        assertTrue(md.contains("|  | java.nio | DatagramChannel.write | 200.0 | 200.0 | 200.0 | 2.00 |  |  | - |  "
                + "|  |\n"), md);
    }

    /**
     * Every row's samples are its own group's: two groups naming one C case or one benchmark would pour both groups'
     * samples into one list, which then makes neither group's rounds.
     */
    @Test
    void noTwoGroupsShareARowsSamples() {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Group g : Catalogue.GROUPS) {
            for (Row r : g.rows()) {
                if (!r.available()) {
                    continue;
                }
                List<String> backends = r.perBackend() ? Catalogue.BACKENDS : java.util.Collections.singletonList(null);
                for (String backend : backends) {
                    String k = BenchMain.key(r, backend);
                    assertTrue(keys.add(k), k + " of group " + g.id() + " is another group's too");
                }
            }
        }
    }

    /** Allocation is never rounded to nothing: "0" is none; a batch's 40 bytes a call of 256 datagrams shows. */
    @Test
    void bytesPerOperationShowWhatIsThere() {
        org.junit.jupiter.api.Assertions.assertEquals("0", Report.bytes(0));
        org.junit.jupiter.api.Assertions.assertEquals("0.16", Report.bytes(40.0 / 256));
        org.junit.jupiter.api.Assertions.assertEquals("0.01", Report.bytes(0.01));
        org.junit.jupiter.api.Assertions.assertEquals("46", Report.bytes(46));
    }

    @Test
    void aRunWithoutVerdictsSaysSo() {
        String md = report(samples(same(12, 100), null, null), Map.of("send", 3), 3).markdown();
        assertTrue(md.contains("No row of this run has a target."), md);
        assertTrue(md.contains("|  | posix-send (jni) | send direct ByteBuffer | not measured | | | | | | | | |\n"),
                md);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.posixsend.bench.Catalogue.Judgement;
import io.github.posixsend.bench.Catalogue.Refs;
import io.github.posixsend.bench.Catalogue.Target;
import io.github.posixsend.bench.Catalogue.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each kind of target judged on constructed samples whose interval is known: constant samples give a zero-width
 * interval at the exact ratio or difference (103 / 100 is the double 1.03, as is the literal), and a row of six
 * values a and five values b against a constant reference gives an interval with one end at a and the other at b
 * (the resampled median is a about 60 % of the time, b the rest: both well inside the 2.5 % tails).
 */
class TargetVerdictTest {
    private static final String FLOOR = "JniFloorBench.badDescriptor";

    static List<Double> same(int n, double v) {
        return Collections.nCopies(n, v);
    }

    /** {@code a} values x and {@code b} values y, interleaved. */
    static List<Double> mix(int a, double x, int b, double y) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a, b); i++) {
            if (i < a) {
                out.add(x);
            }
            if (i < b) {
                out.add(y);
            }
        }
        return out;
    }

    static Refs c(List<Double> c) {
        return new Refs(c, null, null, Map.of(), 3);
    }

    static Refs row(String source, List<Double> samples) {
        return new Refs(same(12, 1.0), null, null, Map.of(source, samples), 3);
    }

    static Refs netty(List<Double> netty) {
        return new Refs(same(12, 1.0), null, netty, Map.of(), 3);
    }

    static Refs nio(List<Double> nio) {
        return new Refs(same(12, 1.0), nio, null, Map.of(), 3);
    }

    @Test
    void ratioOfC() {
        Target t = Target.ratio(1.03);
        assertEquals("<= 1.03x C", t.fullText());
        Refs refs = c(same(12, 100));
        assertEquals(Verdict.MET, t.judge(same(12, 90), refs));
        assertEquals("<= 1.03x C: met (0.90x, 99.2% 0.90-0.90)", t.verdict(same(12, 90), refs));
        assertEquals(Verdict.MISSED, t.judge(same(12, 110), refs));
        assertEquals("<= 1.03x C: **missed** (1.10x, 99.2% 1.10-1.10)", t.verdict(same(12, 110), refs));
        List<Double> straddles = mix(9, 98, 9, 108);
        assertEquals(Verdict.WITHIN_NOISE, t.judge(straddles, c(same(18, 100))));
        assertEquals("<= 1.03x C: within noise (1.03x, 99.2% 0.98-1.08)", t.verdict(straddles, c(same(18, 100))));
    }

    @Test
    void anIntervalEndingAtARatioBoundIsOnItsSide() {
        Target t = Target.ratio(1.03);
        Refs refs = c(same(12, 100));
        // [1.03, 1.03]: the bound is "at most", so a ratio of exactly 1.03 meets it
        assertEquals(Verdict.MET, t.judge(same(12, 103), refs));
        assertEquals("<= 1.03x C: met (1.03x, 99.2% 1.03-1.03)", t.verdict(same(12, 103), refs));
        // [0.90, 1.03]: all of it within the bound
        assertEquals(Verdict.MET, t.judge(mix(7, 103, 5, 90), refs));
        // [1.03, 1.20]: its low end meets the bound, so it is not all outside: within noise, not missed
        assertEquals(Verdict.WITHIN_NOISE, t.judge(mix(7, 103, 5, 120), refs));
        assertEquals("<= 1.03x C: within noise (1.03x, 99.2% 1.03-1.20)", t.verdict(mix(7, 103, 5, 120), refs));
        // [1.03, 1.20] against 1.02: all outside
        assertEquals(Verdict.MISSED, Target.ratio(1.02).judge(mix(7, 103, 5, 120), refs));
    }

    @Test
    void plusNanosecondsOfC() {
        Target t = Target.plus(25);
        assertEquals("<= C + 25 ns", t.fullText());
        Refs refs = c(same(12, 100));
        assertEquals(Verdict.MET, t.judge(same(12, 125), refs));
        assertEquals("<= C + 25 ns: met (+25 ns, 99.2% +25..+25)", t.verdict(same(12, 125), refs));
        assertEquals(Verdict.MET, t.judge(same(12, 90), refs));
        assertEquals("<= C + 25 ns: met (-10 ns, 99.2% -10..-10)", t.verdict(same(12, 90), refs));
        assertEquals(Verdict.MISSED, t.judge(same(12, 126), refs));
        // [25, 40]: from the bound upward
        assertEquals(Verdict.WITHIN_NOISE, t.judge(mix(7, 125, 5, 140), refs));
        assertEquals("<= C + 25 ns: within noise (+25 ns, 99.2% +25..+40)", t.verdict(mix(7, 125, 5, 140), refs));
    }

    /** "<= bare JNI unchecked + 0 ns", FFM's EBADF target: a difference of exactly 0 meets it. */
    @Test
    void plusZeroNanosecondsOfARow() {
        Target t = Target.plusRow(0, FLOOR, "bare JNI unchecked");
        assertEquals("<= bare JNI unchecked + 0 ns", t.fullText());
        Refs refs = row(FLOOR, same(12, 50));
        assertEquals(Verdict.MET, t.judge(same(12, 50), refs));
        assertEquals("<= bare JNI unchecked + 0 ns: met (+0 ns, 99.2% +0..+0)", t.verdict(same(12, 50), refs));
        assertEquals(Verdict.MET, t.judge(mix(7, 50, 5, 40), refs));
        assertEquals(Verdict.WITHIN_NOISE, t.judge(mix(7, 50, 5, 60), refs));
        assertEquals("<= bare JNI unchecked + 0 ns: within noise (+0 ns, 99.2% +0..+10)",
                t.verdict(mix(7, 50, 5, 60), refs));
        assertEquals(Verdict.MISSED, t.judge(same(12, 51), refs));
        // the C row is not this target's reference
        assertEquals(Verdict.MET, t.judge(same(12, 50), new Refs(same(12, 1), null, null, Map.of(FLOOR, same(12, 50)),
                3)));
    }

    @Test
    void ratioOfARow() {
        Target t = Target.ratioRow(1.05, "JniFloorTcpBench.send16k", "in-JVM floor");
        assertEquals("<= 1.05x in-JVM floor", t.fullText());
        Refs refs = row("JniFloorTcpBench.send16k", same(12, 1000));
        assertEquals(Verdict.MET, t.judge(same(12, 1050), refs));
        assertEquals("<= 1.05x in-JVM floor: met (1.05x, 99.2% 1.05-1.05)", t.verdict(same(12, 1050), refs));
        assertEquals(Verdict.MISSED, t.judge(same(12, 1060), refs));
        assertEquals(Verdict.WITHIN_NOISE, t.judge(mix(7, 1000, 5, 1100), refs));
    }

    @Test
    void belowNetty() {
        Target t = Target.belowNetty();
        Refs refs = netty(same(12, 100));
        assertEquals(Verdict.MET, t.judge(same(12, 90), refs));
        assertEquals("< Netty (channel, see its row): met (0.90x, 99.2% 0.90-0.90)", t.verdict(same(12, 90), refs));
        assertEquals(Verdict.MISSED, t.judge(same(12, 110), refs));
        // [0.90, 1.00]: the bound is strict, so an interval reaching 1 is not all below it
        assertEquals(Verdict.WITHIN_NOISE, t.judge(mix(7, 100, 5, 90), refs));
        assertEquals(Verdict.WITHIN_NOISE, t.judge(mix(7, 90, 5, 110), refs));
    }

    /** [1.00, 1.00] and [1.00, 1.10]: under a strict bound, an interval from the bound up is all outside it. */
    @Test
    void anIntervalFromTheStrictBoundUpMissesIt() {
        Target t = Target.belowNetty();
        Refs refs = netty(same(12, 100));
        assertEquals(Verdict.MISSED, t.judge(same(12, 100), refs));
        assertEquals("< Netty (channel, see its row): **missed** (1.00x, 99.2% 1.00-1.00)",
                t.verdict(same(12, 100), refs));
        assertEquals(Verdict.MISSED, t.judge(mix(7, 100, 5, 110), refs));
    }

    /**
     * ">= 3.5x NIO datagrams/s": judged as the row's time over NIO's at most 1 / 3.5, shown as NIO's time over the
     * row's, the interval's ends swapped so that it still reads low to high.
     */
    @Test
    void timesNio() {
        Target t = Target.timesNio(3.5);
        assertEquals(">= 3.5x NIO datagrams/s", t.fullText());
        Refs refs = nio(same(18, 350));
        assertEquals(Verdict.MET, t.judge(same(18, 100), refs));
        assertEquals(">= 3.5x NIO datagrams/s: met (3.50x, 99.2% 3.50-3.50)", t.verdict(same(18, 100), refs));
        assertEquals(Verdict.MET, t.judge(same(18, 50), refs));
        assertEquals(Verdict.MISSED, t.judge(same(18, 101), refs));
        assertEquals(">= 3.5x NIO datagrams/s: **missed** (3.47x, 99.2% 3.47-3.47)", t.verdict(same(18, 101), refs));
        // the row's time over NIO's in [95 / 350, 105 / 350], around 1 / 3.5
        assertEquals(Verdict.WITHIN_NOISE, t.judge(mix(9, 95, 9, 105), refs));
        assertEquals(">= 3.5x NIO datagrams/s: within noise (3.50x, 99.2% 3.33-3.68)",
                t.verdict(mix(9, 95, 9, 105), refs));
    }

    @Test
    void withoutSamplesOfTheRowOrItsReferenceNothingIsJudged() {
        String notJudged = "not judged (no reference row)";
        List<Double> some = same(12, 100);
        assertEquals(Verdict.NOT_JUDGED, Target.ratio(1.03).judge(some, c(null)));
        assertEquals(Verdict.NOT_JUDGED, Target.ratio(1.03).judge(some, c(List.of())));
        assertEquals(Verdict.NOT_JUDGED, Target.ratio(1.03).judge(List.of(), c(some)));
        assertEquals("<= 1.03x C: " + notJudged, Target.ratio(1.03).verdict(List.of(), c(some)));
        assertEquals(Verdict.NOT_JUDGED, Target.plus(25).judge(some, c(null)));
        assertEquals(Verdict.NOT_JUDGED, Target.plusRow(0, FLOOR, "bare JNI").judge(some, row("Other.row", some)));
        assertEquals("<= bare JNI + 0 ns: " + notJudged,
                Target.plusRow(0, FLOOR, "bare JNI").verdict(some, row("Other.row", some)));
        assertEquals(Verdict.NOT_JUDGED, Target.belowNetty().judge(some, netty(null)));
        assertEquals(Verdict.NOT_JUDGED, Target.timesNio(3.5).judge(some, nio(null)));
    }

    /**
     * One sample of each, or samples that do not make the rounds the group ran (a report replayed from a trimmed or
     * mixed JSON could have them): not judged, and the table says why, rather than judged as one round, whose
     * zero-width interval would give as definite a verdict as many rounds.
     */
    @Test
    void samplesThatDoNotMakeTheRoundsAreNotJudged() {
        assertEquals(Verdict.NOT_JUDGED, Target.ratio(1.03).judge(List.of(103.0), c(List.of(100.0))));
        Refs threeRounds = new Refs(same(6, 100), null, null, Map.of(), 3);
        assertEquals("<= C + 25 ns: not judged (1 and 6 samples do not make the 3 rounds the group ran)",
                Target.plus(25).verdict(List.of(103.0), threeRounds));
        Refs oneRound = new Refs(same(6, 100), null, null, Map.of(), 1);
        assertEquals("<= C + 25 ns: not judged (6 and 6 samples do not make the 1 rounds the group ran, nor the 3 a "
                + "verdict needs)", Target.plus(25).verdict(same(6, 103), oneRound));
    }

    /** The parts of a target joined by "and": missed wins, then not judged, then within noise; met needs all. */
    @Test
    void partsJoinedByAnd() {
        Target both = Target.ratio(1.03).and(Target.ratioRow(1.03, "JniFloorBench.sendInC", "in-JVM floor"));
        assertEquals("<= 1.03x C and <= 1.03x in-JVM floor", both.fullText());
        List<Double> row = same(12, 103);
        assertEquals(Verdict.MET, both.judge(row, refs(same(12, 100), same(12, 100))));
        assertEquals(Verdict.WITHIN_NOISE, both.judge(row, refs(same(12, 100), mix(7, 95, 5, 105))));
        assertEquals(Verdict.WITHIN_NOISE, both.judge(row, refs(mix(7, 95, 5, 105), same(12, 100))));
        assertEquals(Verdict.MISSED, both.judge(row, refs(same(12, 90), same(12, 100))));
        assertEquals(Verdict.MISSED, both.judge(row, refs(same(12, 100), same(12, 90))));
        assertEquals(Verdict.MISSED, both.judge(row, refs(mix(7, 95, 5, 105), same(12, 90))));
        assertEquals(Verdict.NOT_JUDGED, both.judge(row, refs(same(12, 100), null)));
        assertEquals(Verdict.NOT_JUDGED, both.judge(row, refs(null, mix(7, 95, 5, 105))));
        assertEquals(Verdict.MISSED, both.judge(row, refs(null, same(12, 90))));
        assertEquals("<= 1.03x C: met (1.03x, 99.2% 1.03-1.03); <= 1.03x in-JVM floor: **missed** (1.14x, 99.2% "
                + "1.14-1.14)", both.verdict(row, refs(same(12, 100), same(12, 90))));
    }

    /** sendmmsg_64's target on JNI: three parts, the last two chained; a verdict within noise in the third counts. */
    @Test
    void threePartsJudgeEveryPart() {
        Target t = Target.ratio(1.03).and(Target.belowNetty().and(Target.ratioRow(1.03, "S", "in-JVM floor")));
        assertEquals("<= 1.03x C and < Netty (channel, see its row) and <= 1.03x in-JVM floor", t.fullText());
        List<Double> row = same(12, 100);
        Refs allMet = new Refs(same(12, 100), null, same(12, 200), Map.of("S", same(12, 100)), 3);
        assertEquals(Verdict.MET, t.judge(row, allMet));
        Refs lastOpen = new Refs(same(12, 100), null, same(12, 200), Map.of("S", mix(7, 95, 5, 105)), 3);
        assertEquals(Verdict.WITHIN_NOISE, t.judge(row, lastOpen));
        assertEquals("<= 1.03x C: met (1.00x, 99.2% 1.00-1.00); < Netty (channel, see its row): met (0.50x, 99.2% "
                + "0.50-0.50); <= 1.03x in-JVM floor: within noise (1.05x, 99.2% 0.95-1.05)", t.verdict(row, lastOpen));
        Refs nettyFaster = new Refs(same(12, 100), null, same(12, 50), Map.of("S", same(12, 100)), 3);
        assertEquals(Verdict.MISSED, t.judge(row, nettyFaster));
    }

    /**
     * An end of the interval (or the statistic) near the bound, which two decimals or whole ns would print as the
     * bound itself, gets the decimals that show which side of it it lies: "missed (1.03x, 99.2% 1.03-1.10)" against
     * "<= 1.03x C" would contradict itself.
     */
    @Test
    void aNumberNearTheBoundIsNotPrintedAsTheBound() {
        Refs refs = c(same(12, 100));
        Target t = Target.ratio(1.03);
        assertEquals("<= 1.03x C: **missed** (1.032x, 99.2% 1.032-1.10)", t.verdict(mix(7, 103.2, 5, 110), refs));
        assertEquals("<= 1.03x C: within noise (1.028x, 99.2% 1.028-1.10)", t.verdict(mix(7, 102.8, 5, 110), refs));
        assertEquals("<= 1.03x C: met (1.028x, 99.2% 0.90-1.028)", t.verdict(mix(7, 102.8, 5, 90), refs));
        assertEquals("<= 1.05x C: met (1.0496x, 99.2% 1.0496-1.0496)",
                Target.ratio(1.05).verdict(same(12, 104.96), refs));
        assertEquals("<= C + 25 ns: **missed** (+25.4 ns, 99.2% +25.4..+40)",
                Target.plus(25).verdict(mix(7, 125.4, 5, 140), refs));
        assertEquals("<= bare JNI + 0 ns: **missed** (+0.3 ns, 99.2% +0.3..+10)",
                Target.plusRow(0, FLOOR, "bare JNI").verdict(mix(7, 50.3, 5, 60), row(FLOOR, same(12, 50))));
        assertEquals(">= 3.5x NIO datagrams/s: **missed** (3.497x, 99.2% 3.497-3.497)",
                Target.timesNio(3.5).verdict(same(18, 100.1), nio(same(18, 350))));
    }

    /** A verdict's text: ratios to two decimals, differences in whole signed nanoseconds, whatever the locale. */
    @Test
    void judgementText() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY); // a decimal comma, were the text formatted in the default locale
        try {
            assertEquals("met (1.01x, 99.2% 1.00-1.02)",
                    new Judgement(Verdict.MET, 1.0123, 0.999, 1.0249, true, 1.03).text());
            assertEquals("**missed** (1.20x, 99.2% 1.10-1.31)",
                    new Judgement(Verdict.MISSED, 1.2, 1.1, 1.31, true, 1.05).text());
            assertEquals("within noise (1.04x, 99.2% 1.029-1.0304)",
                    new Judgement(Verdict.WITHIN_NOISE, 1.04, 1.029, 1.0304, true, 1.03).text());
            assertEquals("within noise (+12 ns, 99.2% -4..+21)",
                    new Judgement(Verdict.WITHIN_NOISE, 12.4, -3.5, 20.6, false, 25).text());
            assertEquals("**missed** (+1234 ns, 99.2% +1000..+2000)",
                    new Judgement(Verdict.MISSED, 1234, 1000, 2000, false, 25).text());
            assertEquals("**missed** (+13 ns, 99.2% +12.4..+20)",
                    new Judgement(Verdict.MISSED, 13, 12.4, 20, false, 12).text());
            assertEquals("not judged (no reference row)",
                    new Judgement(Verdict.NOT_JUDGED, 1, 2, 3, true, 1.03).text());
            assertEquals("not judged (no reference row)", new Judgement(Verdict.NOT_JUDGED, 1, 2, 3, false, 0).text());
        } finally {
            Locale.setDefault(before);
        }
    }

    private static Refs refs(List<Double> c, List<Double> inJvm) {
        return new Refs(c, null, null, inJvm == null ? Map.of() : Map.of("JniFloorBench.sendInC", inJvm), 3);
    }
}

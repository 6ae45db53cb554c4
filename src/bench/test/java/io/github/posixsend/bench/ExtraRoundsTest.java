// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import static io.github.posixsend.bench.TargetVerdictTest.same;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.posixsend.bench.Catalogue.Group;
import io.github.posixsend.bench.Catalogue.Row;
import io.github.posixsend.bench.Catalogue.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The extra rounds of {@link BenchMain}: only for groups within noise, and never more than the mode's bound. */
class ExtraRoundsTest {
    static Group group(String id) {
        return new Group(id, id, "call", List.of(Row.c(id), Row.ours(id, "Bench." + id, Target.ratio(1.03), null)));
    }

    static final Group A = group("a");
    static final Group B = group("b");

    @Test
    void theModesBoundTheExtraRounds() {
        assertEquals(3, BenchMain.QUICK.extraRounds());
        assertEquals(5, BenchMain.FULL.extraRounds());
    }

    @Test
    void aGroupAlwaysOpenRunsTheBoundAndNoMore() throws Exception {
        for (int bound : new int[] {0, 1, 3, 5}) {
            Map<String, Integer> ran = new HashMap<>();
            BenchMain.extraRounds(List.of(A, B), bound, g -> true, g -> ran.merge(g.id(), 1, Integer::sum));
            assertEquals(bound == 0 ? Map.of() : Map.of("a", bound, "b", bound), ran, "bound " + bound);
        }
    }

    @Test
    void aSettledGroupRunsNoMore() throws Exception {
        Map<String, Integer> ran = new HashMap<>();
        // a settles after two extra rounds, b is settled from the start
        BenchMain.extraRounds(List.of(A, B), 5, g -> g == A && ran.getOrDefault("a", 0) < 2,
                g -> ran.merge(g.id(), 1, Integer::sum));
        assertEquals(Map.of("a", 2), ran);
    }

    /** Every group is asked before any runs: a round of one group cannot change whether another gets one. */
    @Test
    void eachExtraRoundAsksEveryGroupFirst() throws Exception {
        List<String> log = new ArrayList<>();
        BenchMain.extraRounds(List.of(A, B), 2, g -> log.add("ask " + g.id()), g -> log.add("run " + g.id()));
        assertEquals(List.of("ask a", "ask b", "run a", "run b", "ask a", "ask b", "run a", "run b"), log);
    }

    /**
     * As BenchMain runs them: {@link Report#withinNoise} on the samples so far decides, and each round adds the
     * group's samples. Group a's rounds always straddle its bound (98 and 108 ns against C's 100, target 1.03x):
     * it runs the whole bound. Group b meets its target from the first round: it runs no extra round.
     */
    @Test
    void withinNoiseForeverStopsAtTheBound() throws Exception {
        for (BenchMain.Mode mode : List.of(BenchMain.QUICK, BenchMain.FULL)) {
            Map<String, List<Double>> samples = new LinkedHashMap<>();
            Map<String, Integer> roundsRun = new LinkedHashMap<>();
            BenchMain.RoundRunner round = g -> {
                Row c = g.rows().get(0);
                Row ours = g.rows().get(1);
                samples.computeIfAbsent(BenchMain.key(c, null), k -> new ArrayList<>()).addAll(same(4, 100));
                samples.computeIfAbsent(BenchMain.key(ours, "jni"), k -> new ArrayList<>())
                        .addAll(g == A ? List.of(98.0, 108.0, 98.0, 108.0) : same(4, 95));
                roundsRun.merge(g.id(), 1, Integer::sum);
            };
            for (int r = 0; r < mode.rounds(); r++) {
                round.run(A);
                round.run(B);
            }
            BenchMain.extraRounds(List.of(A, B), mode.extraRounds(),
                    g -> Report.withinNoise(g, samples, roundsRun.get(g.id())), round);
            assertEquals(Map.of("a", mode.rounds() + mode.extraRounds(), "b", mode.rounds()), roundsRun, mode.name());
            // and a is still within noise: the bound, not a verdict, ended its rounds
            assertEquals(Catalogue.Verdict.WITHIN_NOISE, Target.ratio(1.03).judge(
                    samples.get(BenchMain.key(A.rows().get(1), "jni")), Report.refs(A, samples, roundsRun.get("a"))));
        }
    }
}

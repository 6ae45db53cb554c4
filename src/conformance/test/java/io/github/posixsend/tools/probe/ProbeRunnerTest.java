// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import static org.junit.jupiter.api.Assertions.*;

import io.github.posixsend.BadDescriptorException;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runner: a failing probe is reported and the rest still run; an overrunning one is stopped and cleaned up. */
class ProbeRunnerTest {
    /** A probe whose measurement is given as a lambda. */
    private static final class Fake extends BaseProbe {
        interface Body {
            Outcome run(ProbeContext ctx) throws Exception;
        }

        private final Body body;

        Fake(int number, String name, Body body) {
            super(number, name, name, "a test claim");
            this.body = body;
        }

        @Override
        public Outcome run(ProbeContext ctx) throws Exception {
            return body.run(ctx);
        }
    }

    private static void assertClosed(int fd) {
        assertThrows(BadDescriptorException.class, () -> Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE));
    }

    @Test
    void aFailingProbeIsAnErrorAndTheNextStillRuns() {
        AtomicInteger fd = new AtomicInteger(-1);
        List<ProbeResult> results = ProbeRunner.run(List.of(
                new Fake(1, "fails", ctx -> {
                    try (Descriptors d = ctx.descriptors()) {
                        fd.set(d.udpPair(false).a);
                        Posix.send(d.boundUdp(false), ByteBuffer.allocate(1), 0);
                        return Outcome.of(true, "unreachable", "");
                    }
                }),
                new Fake(2, "works", ctx -> Outcome.of(true, "fine", ""))), Bounds.QUICK, null);
        assertEquals(2, results.size());
        assertEquals(Verdict.ERROR, results.get(0).outcome.verdict);
        assertEquals("send: EDESTADDRREQ (Destination address required)", results.get(0).outcome.measured);
        assertEquals(Verdict.HOLDS, results.get(1).outcome.verdict);
        assertClosed(fd.get());
    }

    /**
     * A probe that returns a verdict after its deadline (within the runner's grace) is an error: past the deadline the
     * probes' waits and drains return "nothing came", so its figures may be cut short. One that returns in time keeps
     * its verdict, and a claim that does not apply is not made an error by the time it took to say so.
     */
    @Test
    void aVerdictReturnedPastTheDeadlineIsAnError() {
        Probe late = new Fake(1, "late", ctx -> {
            while (!ctx.expired()) {
                Thread.sleep(5);
            }
            return Outcome.of(true, "nothing came", "");
        });
        ProbeResult r = ProbeRunner.runOne(late, Bounds.QUICK.withDeadline(100));
        assertEquals(Verdict.ERROR, r.outcome.verdict);
        assertEquals("ran past its deadline", r.outcome.measured);
        assertTrue(r.outcome.details.contains("returned HOLDS after its deadline of 100 ms"), r.outcome.details);
        assertTrue(r.outcome.details.contains("nothing came"), r.outcome.details);

        Probe inapplicable = new Fake(2, "elsewhere", ctx -> {
            while (!ctx.expired()) {
                Thread.sleep(5);
            }
            return Outcome.notApplicable("not here", "");
        });
        assertEquals(Verdict.NOT_APPLICABLE,
                ProbeRunner.runOne(inapplicable, Bounds.QUICK.withDeadline(100)).outcome.verdict);
        assertEquals(Verdict.HOLDS, ProbeRunner.runOne(new Fake(3, "quick", ctx -> Outcome.of(true, "fine", "")),
                Bounds.QUICK.withDeadline(100)).outcome.verdict);
    }

    @Test
    void aProbeBlockedPastItsDeadlineIsWokenAndItsSocketsClosed() {
        AtomicInteger fd = new AtomicInteger(-1);
        Probe blocked = new Fake(1, "blocks", ctx -> {
            try (Descriptors d = ctx.descriptors()) {
                Descriptors.Pair p = d.tcpPair();
                fd.set(p.b);
                // Nobody sends: this blocks until the runner shuts the socket down.
                Posix.recv(p.b, ByteBuffer.allocate(1), 0);
                return Outcome.of(true, "returned", "");
            }
        });
        ProbeResult r = ProbeRunner.runOne(blocked, Bounds.QUICK.withDeadline(200));
        assertEquals(Verdict.ERROR, r.outcome.verdict);
        // Not "did not stop": the shutdown woke the blocked recv and the probe closed its sockets.
        assertEquals("exceeded its deadline", r.outcome.measured, r.outcome.details);
        assertClosed(fd.get());
    }

    /**
     * A probe whose thread does not stop even once its sockets are shut down is left behind, and the results measured
     * while it still runs say so.
     */
    @Test
    void resultsAfterAProbeLeftRunningSaySo() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        Probe stuck = new Fake(1, "stuck", ctx -> {
            // ignores its deadline and has no socket to be woken through
            while (!release.get()) {
                Thread.sleep(5);
            }
            return Outcome.of(true, "too late", "");
        });
        List<ProbeResult> results;
        try {
            results = ProbeRunner.run(List.of(stuck, new Fake(2, "next", ctx -> Outcome.of(true, "fine", "as usual"))),
                    Bounds.QUICK.withDeadline(100), null);
        } finally {
            release.set(true);
        }
        assertEquals("did not stop", results.get(0).outcome.measured);
        assertNotNull(results.get(0).leftBehind);
        ProbeResult next = results.get(1);
        assertEquals(Verdict.HOLDS, next.outcome.verdict);
        assertEquals("fine", next.outcome.measured);
        assertTrue(next.outcome.details.startsWith("as usual Note: claim 1's thread (stuck), which did not stop after "
                + "its deadline, was still running when this probe started"), next.outcome.details);
        results.get(0).leftBehind.join(5_000);
        assertFalse(results.get(0).leftBehind.isAlive());

        // a probe that stops leaves nothing behind, and nothing is noted
        List<ProbeResult> calm = ProbeRunner.run(List.of(new Fake(1, "one", ctx -> Outcome.of(true, "a", "x")),
                new Fake(2, "two", ctx -> Outcome.of(true, "b", "y"))), Bounds.QUICK, null);
        assertNull(calm.get(0).leftBehind);
        assertEquals("y", calm.get(1).outcome.details);
    }

    @Test
    void helperThreadsAreWokenAndJoinedOnClose() throws Exception {
        ProbeContext ctx = new ProbeContext(Bounds.QUICK);
        Thread helper;
        int fd;
        try (Descriptors d = ctx.descriptors()) {
            Descriptors.Pair p = d.tcpPair();
            fd = p.b;
            helper = d.background("reader", () -> Posix.recv(p.b, ByteBuffer.allocate(1), 0));
            Thread.sleep(20);
            assertTrue(helper.isAlive());
        }
        assertFalse(helper.isAlive());
        assertClosed(fd);
    }

    @Test
    void statsSummariseAndFormat() {
        Stats odd = Stats.of(new long[] {5, 1, 3}, 3);
        assertEquals(3, odd.median);
        assertEquals(1, odd.min);
        assertEquals(5, odd.max);
        assertEquals(2, Stats.of(new long[] {4, 1, 3, 0}, 2).median, "median of the first two: 1 and 4 -> 2");
        assertEquals("850 ns", Stats.duration(850));
        assertEquals("12.3 us", Stats.duration(12_340));
        assertEquals("40.0 ms", Stats.duration(40_000_000));
        assertEquals("1.50 s", Stats.duration(1_500_000_000));
        assertThrows(IllegalArgumentException.class, () -> Stats.of(new long[0], 0));
    }

    @Test
    void jsonStringsAreEscaped() throws Exception {
        String nasty = "a \"quoted\" \\ path\nnew line\ttab \u0001";
        String parsed = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(JsonReport.quote(nasty), String.class);
        assertEquals(nasty, parsed);
    }

    @Test
    void kernelCountersAreReadable() throws Exception {
        assertTrue(ProcNet.snmpUdp("RcvbufErrors") >= 0);
        assertEquals(-1, ProcNet.snmpUdp("NoSuchCounter"));
        long drops = ProcNet.tcpDrops();
        assertTrue(drops >= 0, "the TCP drop counters are readable: " + drops);
        assertTrue(LoopbackRetransmitProbe.drops(0).startsWith("Loopback lost nothing: the host's drop counters "
                + "(TcpExt TCPBacklogDrop,"), LoopbackRetransmitProbe.drops(0));
        assertTrue(LoopbackRetransmitProbe.drops(3).contains(" rose by 3 during the sends"));
        assertTrue(LoopbackRetransmitProbe.drops(-1).startsWith("Whether loopback lost anything is not known"));
        try (Descriptors d = new ProbeContext(Bounds.QUICK).descriptors()) {
            int fd = d.boundUdp(false);
            assertEquals(0, ProcNet.udpDrops(Descriptors.addressOf(fd)));
        }
    }
}

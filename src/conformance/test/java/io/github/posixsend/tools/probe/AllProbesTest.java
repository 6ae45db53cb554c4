// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posixsend.Posix;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every probe once with the quick bounds on this machine's kernel and checks the report's structure and
 * the outcomes that are certain on Linux. Timing-based claims may legitimately go either way, so for them only
 * a finished measurement (HOLDS or DIFFERS) is required.
 */
class AllProbesTest {
    private static List<ProbeResult> results;

    @BeforeAll
    static void runAll() {
        // Quick loops, but a generous deadline: a busy build machine must not turn a slow probe into an ERROR.
        results = ProbeRunner.run(Probes.all(), Bounds.QUICK.withDeadline(15_000), null);
    }

    private static ProbeResult result(String name) {
        for (ProbeResult r : results) {
            if (r.probe.name().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no result for " + name);
    }

    /** Skips a test of a Linux-only claim elsewhere; {@code why} names what only Linux has. */
    private static void assumeLinux(String why) {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.github.posixsend.Os.current() == io.github.posixsend.Os.LINUX,
                why);
    }

    private static void assertVerdict(Verdict expected, String name) {
        ProbeResult r = result(name);
        assertEquals(expected, r.outcome.verdict, () -> name + ": " + r.outcome.measured + " / " + r.outcome.details);
    }

    @Test
    void everyClaimIsReportedOnceInOrderWithAVerdict() {
        assertEquals(26, results.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < results.size(); i++) {
            ProbeResult r = results.get(i);
            assertEquals(i + 1, r.probe.number());
            assertTrue(names.add(r.probe.name()), "duplicate name " + r.probe.name());
            assertTrue(r.probe.name().matches("[a-z0-9-]+"), r.probe.name());
            assertFalse(r.probe.title().isBlank());
            assertFalse(r.probe.claim().isBlank());
            assertNotNull(r.outcome.verdict);
            assertFalse(r.outcome.measured.isBlank(), r.probe.name());
            assertNotEquals(Verdict.ERROR, r.outcome.verdict,
                    () -> r.probe.name() + " failed: " + r.outcome.measured + " / " + r.outcome.details);
            // Every part of posix-send the probes need is built now.
            assertNotEquals(Verdict.NOT_AVAILABLE, r.outcome.verdict, r.probe.name());
        }
    }

    @Test
    void oversizedDatagramsFailWithEmsgsize() {
        assertVerdict(Verdict.HOLDS, "udp-max-size");
        assertTrue(result("udp-max-size").outcome.measured.startsWith("IPv4: 65508 B: EMSGSIZE, 65507 B sent 65507"),
                result("udp-max-size").outcome.measured);
    }

    @Test
    void fullBufferGivesEagainWithoutBlocking() {
        assertVerdict(Verdict.HOLDS, "would-block");
    }

    @Test
    void unconnectedSendsFailAsDocumentedForLinux() {
        assertVerdict(Verdict.HOLDS, "unconnected");
        String m = result("unconnected").outcome.measured;
        assertTrue(m.startsWith("UDP send: EDESTADDRREQ; TCP send: EPIPE;"), m);
    }

    @Test
    void msgMoreJoinsUdpSendsAndHoldsTcpData() {
        assertVerdict(Verdict.HOLDS, "msg-more");
        assertTrue(result("msg-more").outcome.measured.startsWith("UDP: one datagram; TCP: held, released whole"));
        // "held" is judged against a plain send that was readable within the same wait, and the kernel's own release
        // of a lone MSG_MORE send is part of the rule
        Map<String, Double> m = measurements("msg-more");
        assertTrue(m.get("control_readable_ns") < MsgMoreProbe.HELD_MILLIS * 1e6, m.toString());
        assertEquals(1.0, m.get("self_released"), m.toString());
        assertTrue(m.get("self_release_ns") > 0 && m.get("self_release_ns") < Bounds.QUICK.holdWaitMillis * 1e6,
                m.toString());
        assertTrue(result("msg-more").probe.rule().contains("released by the kernel within the hold wait"));
        assertTrue(result("msg-more").outcome.details.contains("a MSG_MORE send stayed unreadable for "
                + MsgMoreProbe.HELD_MILLIS + " ms"), result("msg-more").outcome.details);
    }

    @Test
    void oobSendsOneUrgentByteAndFailsOnUdp() {
        assertVerdict(Verdict.HOLDS, "oob");
        assertTrue(result("oob").outcome.measured.endsWith("UDP: EOPNOTSUPP"), result("oob").outcome.measured);
    }

    /**
     * EPIPE with and without the flag; the JVM catches SIGPIPE, so the signal shows in the failing send's cost, which
     * only the send without the flag pays (a signal frame, the handler, rt_sigreturn: two to three times the send).
     */
    @Test
    void brokenPipeIsEpipeWithAndWithoutTheFlagAndOnlyTheSendWithoutItPaysForASignal() {
        assertVerdict(Verdict.HOLDS, "nosignal");
        String m = result("nosignal").outcome.measured;
        assertTrue(m.startsWith("MSG_NOSIGNAL: EPIPE; without: EPIPE; a failing send takes "), m);
        assertTrue(m.endsWith(": a signal delivered only without it)"), m);
        Map<String, Double> x = measurements("nosignal");
        assertTrue(x.get("without_to_with_ratio") > 1.25, x.toString());
        assertTrue(x.get("epipe_send_without_flag_ns") > x.get("epipe_send_with_nosignal_ns"), x.toString());
    }

    @Test
    void noSignalRuleNeedsASignalsCost() {
        Rule r = NoSignalProbe.SIGNAL_RULE;
        assertEquals(Verdict.HOLDS, r.decide(new Estimate.Interval(2.5, 2.1, 2.9, 60)).verdict);
        assertEquals(Verdict.DIFFERS, r.decide(new Estimate.Interval(1.0, 0.95, 1.05, 60)).verdict, "no signal");
        assertEquals(Verdict.INCONCLUSIVE, r.decide(new Estimate.Interval(1.2, 1.05, 1.4, 60)).verdict);
    }

    @Test
    void msgEorChangesNothingOnLinuxSeqpacket() {
        // Linux keeps SEQPACKET records with or without MSG_EOR: the flag is not what keeps them.
        assertVerdict(Verdict.DIFFERS, "eor");
        assertTrue(result("eor").outcome.measured.endsWith("the flag changes nothing"), result("eor").outcome.measured);
        assertTrue(result("eor").outcome.details.contains("with or without it"), result("eor").outcome.details);
    }

    @Test
    void sndbufIsDoubledBetweenFloorAndCeiling() {
        assertVerdict(Verdict.HOLDS, "sndbuf-double");
        assertTrue(result("sndbuf-double").outcome.measured.startsWith(
                "set -> read: 8192 -> 16384, 65536 -> 131072, 262144 -> 524288; 1 -> "),
                result("sndbuf-double").outcome.measured);
        Map<String, Double> m = measurements("sndbuf-double");
        assertTrue(m.get("sndbuf_floor") >= SndbufProbe.FLOOR_AT_LEAST, m.toString());
        if (m.containsKey("sndbuf_ceiling")) {
            assertEquals(2 * m.get("wmem_max"), m.get("sndbuf_ceiling"), m.toString());
            assertTrue(result("sndbuf-double").outcome.measured.contains("; " + (long) (4 * m.get("wmem_max"))
                    + " -> " + (long) (2 * m.get("wmem_max")) + " (ceiling"), result("sndbuf-double").outcome.measured);
        }
    }

    @Test
    void sndlowatIsFixedAndNotsentLowatCapsTheFill() {
        assertVerdict(Verdict.HOLDS, "lowat");
        assertTrue(result("lowat").outcome.measured.startsWith("set SO_SNDLOWAT: ENOPROTOOPT (reads 1)"),
                result("lowat").outcome.measured);
        // the verdict rests on the unsent bytes at EAGAIN, not on how soon the fill stopped
        Map<String, Double> m = measurements("lowat");
        assertTrue(m.get("unsent_with_lowat") >= 16384 && m.get("unsent_with_lowat") <= 16384 + 65536, m.toString());
        assertTrue(m.get("unsent_without_lowat") > 16384 + 65536, m.toString());
        assertTrue(result("lowat").probe.rule().contains("bytes not yet sent (SIOCOUTQNSD)"));
    }

    /** The mark caps the unsent bytes at EAGAIN: from the mark to one skb above it with it, above that without. */
    @Test
    void lowatRuleComparesTheUnsentBytesWithTheMark() {
        assertTrue(LowatProbe.caps(36_352, 4_071_424), "as measured on Linux 6.18");
        assertTrue(LowatProbe.caps(16_384, 81_921));
        assertTrue(LowatProbe.caps(81_920, 4_071_424), "the mark plus one full skb");
        assertFalse(LowatProbe.caps(81_921, 4_071_424), "over the mark by more than one skb");
        assertFalse(LowatProbe.caps(8_192, 4_071_424), "stopped below the mark: not the mark's doing");
        assertFalse(LowatProbe.caps(36_352, 81_920), "without the mark as few unsent: something else capped both");
        assertFalse(LowatProbe.caps(4_071_424, 4_071_424), "the mark ignored");

        String none = "4294967295";
        assertEquals(Verdict.HOLDS, LowatProbe.verdict(true, 36_352, 4_071_424, none));
        assertEquals(Verdict.DIFFERS, LowatProbe.verdict(true, 36_352, 40_000, none), "capped without the mark");
        assertEquals(Verdict.DIFFERS, LowatProbe.verdict(false, 36_352, 4_071_424, none), "SO_SNDLOWAT settable");
        assertEquals(Verdict.INCONCLUSIVE, LowatProbe.verdict(true, 36_352, 40_000, "16384"),
                "the sysctl caps the fill without the option");
        assertEquals(Verdict.DIFFERS, LowatProbe.verdict(true, 4_071_424, 40_000, "16384"),
                "the socket's own mark did not cap: the sysctl explains nothing of that");
        assertEquals(Verdict.DIFFERS, LowatProbe.verdict(true, 36_352, 40_000, "131072"), "a sysctl above the cap");
        assertEquals(Verdict.DIFFERS, LowatProbe.verdict(true, 36_352, 40_000, null), "no sysctl to blame");
    }

    @Test
    void msgConfirmOnUdpChangesNothingVisible() {
        assertVerdict(Verdict.HOLDS, "msg-confirm");
        assertTrue(result("msg-confirm").outcome.measured.startsWith(
                "UDP, every other send with MSG_CONFIRM: 8/8 full counts, 8/8 arrived whole in order; TCP"),
                result("msg-confirm").outcome.measured);
    }

    /**
     * Loopback has no queueing discipline by default, so SO_TXTIME holds nothing there: every datagram timed 200 ms
     * ahead arrives at once (a machine whose lo had fq added would say HOLDS, and this test would say so too).
     */
    @Test
    void txtimeHoldsNothingOnLoopback() {
        assumeLinux("SO_TXTIME is Linux's");
        assertVerdict(Verdict.DIFFERS, "txtime-holds");
        String m = result("txtime-holds").outcome.measured;
        assertTrue(m.startsWith("5 of 5 datagrams timed 200 ms ahead arrived, after "), m);
        assertTrue(m.contains("; loopback's root qdisc: "), m);
    }

    /** Linux hashes each source to one socket of a reuseport group, and 128 sources spread over four. */
    @Test
    void reuseportSpreadsSourcesOnLinux() {
        assumeLinux("the BSDs hand a unicast datagram to one socket of the group");
        assertVerdict(Verdict.HOLDS, "reuseport-spreads");
        String m = result("reuseport-spreads").outcome.measured;
        assertTrue(m.startsWith("128 sources over 4 sockets took ") && m.endsWith("every source's datagrams on one "
                + "socket"), m);
        // how the hash spread them changes from run to run: readings, not exact values --compare would judge
        for (Measurement x : result("reuseport-spreads").outcome.measurements()) {
            if (x.name.endsWith("_sources")) {
                assertEquals(Measurement.Spread.SINGLE, x.spread, x.name);
            }
        }
    }

    @Test
    void reuseportVerdicts() {
        assertEquals(Verdict.HOLDS, ReuseportProbe.verdict(new int[] {30, 34, 32, 32}, true, true));
        assertEquals(Verdict.HOLDS, ReuseportProbe.verdict(new int[] {8, 56, 32, 32}, true, true), "at the bound");
        assertEquals(Verdict.HOLDS, ReuseportProbe.verdict(new int[] {8, 64, 28, 28}, true, true), "at both bounds");
        assertEquals(Verdict.INCONCLUSIVE, ReuseportProbe.verdict(new int[] {7, 57, 32, 32}, true, true));
        assertEquals(Verdict.INCONCLUSIVE, ReuseportProbe.verdict(new int[] {10, 65, 27, 26}, true, true));
        assertEquals(Verdict.DIFFERS, ReuseportProbe.verdict(new int[] {0, 128, 0, 0}, true, true), "one takes all");
        assertEquals(Verdict.DIFFERS, ReuseportProbe.verdict(new int[] {30, 34, 32, 32}, false, true), "split");
        assertEquals(Verdict.INCONCLUSIVE, ReuseportProbe.verdict(new int[] {30, 34, 32, 32}, true, false), "lost");
    }

    @Test
    void txtimeVerdicts() {
        long held = TxtimeProbe.HOLD_MILLIS * 1_000_000L;
        assertEquals(Verdict.HOLDS, TxtimeProbe.verdict(new long[] {held, held + 5}));
        assertEquals(Verdict.HOLDS, TxtimeProbe.verdict(new long[] {held * 9 / 10}));
        assertEquals(Verdict.DIFFERS, TxtimeProbe.verdict(new long[] {30_000, 80_000}));
        assertEquals(Verdict.INCONCLUSIVE, TxtimeProbe.verdict(new long[] {30_000, held}), "one held, one not");
        assertEquals(Verdict.INCONCLUSIVE, TxtimeProbe.verdict(new long[] {30_000, -1}), "one never came");
        assertEquals(Verdict.INCONCLUSIVE, TxtimeProbe.verdict(new long[] {held * 3 / 4}), "between the bounds");
    }

    @Test
    void refusalSurfacesLaterAsEconnrefused() {
        assertVerdict(Verdict.HOLDS, "no-delivery-error");
    }

    @Test
    void udpRefusalWaitsOnTheErrorQueue() {
        assumeLinux("the error queue is Linux's");
        assertVerdict(Verdict.HOLDS, "udp-error-queue");
        String m = result("udp-error-queue").outcome.measured;
        assertTrue(m.startsWith("send: 10 of 10 B; POLLERR already when the send returned; ")
                || m.startsWith("send: 10 of 10 B; POLLERR within "), m);
        assertTrue(m.endsWith("error queue: ECONNREFUSED of origin SO_EE_ORIGIN_ICMP (ICMP type 3 code 3), offender "
                + "127.0.0.1"), m);
    }

    @Test
    void zerocopyOnLoopbackCopiesEverySend() {
        assumeLinux("MSG_ZEROCOPY is Linux's");
        assertVerdict(Verdict.HOLDS, "zerocopy-loopback");
        Map<String, Double> m = measurements("zerocopy-loopback");
        assertEquals(Bounds.QUICK.repetitions, m.get("completed_sends"), m.toString());
        assertEquals(1.0, m.get("copied_share"), m.toString());
    }

    @Test
    void loopbackTcpRetransmitsOnlyWhenItSaysSo() {
        assumeLinux("the typed TCP_INFO is Linux's");
        ProbeResult r = result("loopback-tcp-retransmits");
        Verdict v = r.outcome.verdict;
        // whether loopback reorders depends on the CPUs and the scheduler: both verdicts are findings, but none seen
        // in fewer sends than the full volume (the quick bounds plan a quarter) proves nothing
        Map<String, Double> m = measurements("loopback-tcp-retransmits");
        double reorderedCount = m.getOrDefault("rcv_ooopack", 0.0) + m.getOrDefault("reord_seen", 0.0);
        assertEquals(m.get("total_retrans") > 0 || reorderedCount > 0 ? Verdict.DIFFERS : Verdict.INCONCLUSIVE, v,
                r.outcome.measured);
        long connections = m.get("connections").longValue();
        assertEquals(v == Verdict.INCONCLUSIVE, r.outcome.reason.startsWith("none in " + m.get("sends").longValue()
                + " sends of 1 MiB on " + connections + " connection" + (connections == 1 ? "" : "s")
                + ", where the verdict needs 2048 on each of 3 (these bounds plan 512 a connection)"),
                r.outcome.reason);
        // a clean connection is not enough: each of three must take the full volume with nothing counted
        assertEquals(Verdict.INCONCLUSIVE, LoopbackRetransmitProbe.decide(0, 0, 0));
        assertEquals(Verdict.INCONCLUSIVE, LoopbackRetransmitProbe.decide(0, 0, 2));
        assertEquals(Verdict.HOLDS, LoopbackRetransmitProbe.decide(0, 0, 3));
        assertEquals(Verdict.DIFFERS, LoopbackRetransmitProbe.decide(3, 0, 0));
        assertEquals(Verdict.DIFFERS, LoopbackRetransmitProbe.decide(0, 4, 3), "reordered, not retransmitted");
        assertEquals(2048, LoopbackRetransmitProbe.FULL_SENDS);
        assertEquals(3, LoopbackRetransmitProbe.CONNECTIONS);
        // the connections stop at the first that counts a retransmission or a reordering
        assertTrue(connections >= 1 && connections <= 3 && (v == Verdict.DIFFERS || connections == 3
                || m.get("sends") < 3 * 512), m.toString());
        assertTrue(m.get("sends") >= connections && m.get("sends") <= connections * 512, m.toString());
        assertTrue(m.get("snd_cwnd") >= 1, m.toString());
        assertEquals(Runtime.getRuntime().availableProcessors(), m.get("cpus"), m.toString());
        assertTrue(r.outcome.measured.startsWith(m.get("total_retrans").longValue() + " segments retransmitted over "
                + m.get("sends").longValue() + " sends of 1 MiB on " + connections + " connection"),
                r.outcome.measured);
        // the order counters (reord_seen and dsack_dups from Linux 4.19, rcv_ooopack from 5.4) explain the
        // retransmissions: copies D-SACK reported are among them, and retransmissions the counters cannot put down
        // to reordering are named as such
        boolean counted = m.containsKey("rcv_ooopack");
        assertEquals(m.containsKey("reord_seen"), m.containsKey("dsack_dups"), m.toString());
        assertTrue(!counted || m.containsKey("reord_seen"), "a 5.4 kernel has the 4.19 counters: " + m);
        if (counted) {
            assertTrue(m.get("dsack_dups") <= m.get("total_retrans"), m.toString());
            assertTrue(m.get("rcv_ooopack") >= 0 && m.get("reord_seen") >= 0, m.toString());
        }
        if (counted && v == Verdict.DIFFERS) {
            boolean reordered = m.get("rcv_ooopack") > 0 || m.get("reord_seen") > 0;
            assertEquals(reordered, r.outcome.details.contains("did arrive out of order"), r.outcome.details);
            assertEquals(!reordered, r.outcome.details.contains("No reordering was counted"), r.outcome.details);
        }
        // counts that vary from run to run by chance are readings --compare does not judge; the CPU count is exact
        for (Measurement x : r.outcome.measurements()) {
            Measurement.Spread expected = x.name.equals("cpus") ? Measurement.Spread.EXACT : Measurement.Spread.SINGLE;
            assertEquals(expected, x.spread, x.name);
        }
    }

    @Test
    void txTimestampsAreComparedWithTheReturnOfSend() {
        assumeLinux("SO_TIMESTAMPING is Linux's");
        ProbeResult r = result("tx-delay");
        Verdict v = r.outcome.verdict;
        assertTrue(v == Verdict.HOLDS || v == Verdict.DIFFERS || v == Verdict.INCONCLUSIVE,
                v + " " + r.outcome.details);
        assertEquals(v == Verdict.INCONCLUSIVE, !r.outcome.reason.isEmpty(), r.outcome.reason);
        Map<String, Double> m = measurements("tx-delay");
        // each acknowledgement timestamp counted once, before or after its call returned; sends that TCP joined
        // into one segment share the last one's timestamps, so some sends may have none of their own
        assertEquals(m.get("ack_stamped"), m.get("acked_after_return") + m.get("acked_before_return"), m.toString());
        assertTrue(m.get("ack_stamped") >= 1 && m.get("ack_stamped") <= m.get("timed_sends"), m.toString());
        assertTrue(m.get("sent_inside_call") <= m.get("sent_stamped"), m.toString());
        // the verdict's interval rests on the acknowledgements, each covering one or more sends
        assertTrue(m.get("acknowledgements") >= 1 && m.get("acknowledgements") <= m.get("ack_stamped"), m.toString());
        for (Measurement x : r.outcome.measurements()) {
            if (x.name.equals("ack_after_return_us")) {
                assertEquals(m.get("acknowledgements").intValue(), x.samples, r.outcome.details);
            }
        }
        // the untimed first sends of each connection are reported, acknowledged before the return or not
        double untimed = m.get("untimed_ack_stamped");
        assertTrue(untimed >= 0 && untimed <= m.get("rounds") * TxDelayProbe.untimed(Bounds.QUICK)
                && m.get("untimed_acked_before_return") <= untimed, m.toString());
        assertTrue(r.outcome.measured.contains(" after it (of the untimed first sends, "
                + m.get("untimed_acked_before_return").longValue() + "/" + (long) untimed + " acked before it); "),
                r.outcome.measured);
        assertTrue(r.probe.rule().startsWith("HOLDS if the 95% interval of median delay"), r.probe.rule());
        // the title says what decides; where the data left is a finding in the details
        assertEquals("send returns before its data is acked", r.probe.title());
        assertTrue(r.outcome.details.contains("Finding: " + m.get("sent_inside_call").longValue() + " of "
                + m.get("sent_stamped").longValue() + " driver timestamps were taken while the call ran"),
                r.outcome.details);
        assertTrue(r.outcome.measured.endsWith("data left inside the call " + m.get("sent_inside_call").longValue()
                + "/" + m.get("sent_stamped").longValue()), r.outcome.measured);
    }

    private static Map<String, Double> measurements(String name) {
        Map<String, Double> m = new java.util.HashMap<>();
        for (Measurement x : result(name).outcome.measurements()) {
            m.put(x.name, x.value);
        }
        return m;
    }

    @Test
    void fullReceiverDropsSilently() {
        assertVerdict(Verdict.HOLDS, "silent-drop");
        assertTrue(result("silent-drop").outcome.measured.contains(" 0 ENOBUFS"));
        // the receiver's own count (SO_RXQ_OVFL) and the socket's line of /proc/net/udp: both the datagrams lost
        Map<String, Double> m = measurements("silent-drop");
        double lost = m.get("sent") - m.get("received");
        assertTrue(lost > 0, m.toString());
        assertEquals(lost, m.get("rxq_ovfl"), m.toString());
        assertEquals(lost, m.get("socket_drops"), m.toString());
    }

    @Test
    void moreThanIovMaxIovecsFailWithEmsgsizeAndSendNothing() {
        assertVerdict(Verdict.HOLDS, "iov-max");
        int max = Posix.IOV_MAX;
        assertEquals(max + " iovecs: sent " + max + " B, received one datagram of " + max + " B in gather order; "
                + (max + 1) + " iovecs: EMSGSIZE, nothing received", result("iov-max").outcome.measured);
    }

    @Test
    void batchCostIsMeasuredForEveryWayOfSending() {
        ProbeResult r = result("batch-cost");
        Verdict v = r.outcome.verdict;
        assertNotEquals(Verdict.ERROR, v, r.outcome.details);
        String m = r.outcome.measured;
        assertTrue(m.matches("per datagram: send [^;]+; sendmmsg x8 [^,]+, x64 [^,]+, x256 [^;]+; "
                + "UDP_SEGMENT x64 .+"), m);
        // The UDP_SEGMENT check send is certain: 64 000 bytes with segment size 1000 arrive as 64 datagrams.
        assertTrue(r.outcome.details.contains("one send of 64000 B arrived as 64 datagrams of 1000 B"),
                r.outcome.details);
        // every way is sampled over whole samples of at least 64 datagrams, so their medians compare like with like
        java.util.regex.Matcher sent = java.util.regex.Pattern.compile("received \\d+/(\\d+)").matcher(
                r.outcome.details);
        int ways = 0;
        while (sent.find()) {
            assertEquals(0, Long.parseLong(sent.group(1)) % 64, sent.group());
            ways++;
        }
        assertEquals(5, ways, r.outcome.details);
    }

    /**
     * Claim 16 times enough TCP calls per connection for a median of its own, on several connections a round, widens
     * the ratio's interval to every connection's own ratio, and reports the overall ratio beside the verdict's, saying
     * so when the rule would call it otherwise.
     */
    @Test
    void byteCostTimesSeveralConnectionsPerRoundAndReportsTheOverallRatio() {
        ProbeResult r = result("byte-cost");
        Map<String, Double> m = measurements("byte-cost");
        Measurement tcp = null;
        Measurement ratio = null;
        Measurement overall = null;
        for (Measurement x : r.outcome.measurements()) {
            tcp = x.name.equals("tcp_ns_per_kib") ? x : tcp;
            ratio = x.name.equals("udp_tcp_ratio") ? x : ratio;
            overall = x.name.equals("udp_tcp_overall_ratio") ? x : overall;
        }
        assertNotNull(tcp);
        // the connection is the sample, of the TCP median and of the ratio
        assertEquals(m.get("rounds") * ByteCostProbe.TCP_CONNECTIONS, tcp.samples, r.outcome.details);
        assertTrue(r.outcome.details.contains(" TCP: " + (int) (m.get("rounds") * ByteCostProbe.TCP_CALLS
                * ByteCostProbe.TCP_CONNECTIONS) + " timed calls"), r.outcome.details);
        assertTrue(ByteCostProbe.TCP_CALLS * ByteCostProbe.TCP_CONNECTIONS >= 30 && ByteCostProbe.TCP_CONNECTIONS >= 3);
        java.util.regex.Matcher range = java.util.regex.Pattern.compile("each connection's own ratio "
                + "\\(from ([0-9.e+-]+) to ([0-9.e+-]+)\\)").matcher(r.outcome.details);
        assertTrue(range.find(), r.outcome.details);
        assertNotNull(ratio);
        assertEquals(tcp.samples, ratio.samples);
        // the report gives three decimals: each bound within half of the last of them
        assertTrue(ratio.low <= Double.parseDouble(range.group(1)) + 0.0006
                && ratio.high >= Double.parseDouble(range.group(2)) - 0.0006, ratio.low + ".." + ratio.high + " "
                + r.outcome.details);
        assertNotNull(overall, "the overall ratio is reported");
        assertEquals(Measurement.Spread.ACROSS_ROUNDS, overall.spread);
        assertTrue(m.containsKey("tcp_overall_ns_per_kib") && m.containsKey("udp_overall_ns_per_kib"), m.toString());
        assertEquals(m.get("udp_overall_ns_per_kib") / m.get("tcp_overall_ns_per_kib"), overall.value,
                overall.value * 1e-3);
        Verdict byTotals = ByteCostProbe.RULE.decide(new Estimate.Interval(overall.value, overall.low, overall.high,
                overall.samples)).verdict;
        assertEquals(byTotals != r.outcome.verdict, r.outcome.details.contains("which the rule would call "
                + byTotals + ", not " + r.outcome.verdict), r.outcome.details);
        assertTrue(r.outcome.measured.contains("; overall "), r.outcome.measured);
    }

    /**
     * Claim 1 times sends with TCP_NODELAY, and only a send still blocked with room in its buffer makes it DIFFERS: a
     * ratio beyond the bound leaves it open, since every send returned with the peer not reading.
     */
    @Test
    void sendCopiesDiffersOnlyOnASendThatWaitsWithRoom() {
        ProbeResult r = result("send-copies");
        assertNotEquals(Verdict.DIFFERS, r.outcome.verdict, r.outcome.measured);
        assertTrue(r.outcome.details.contains("(TCP_NODELAY) to a peer that never reads"), r.outcome.details);
        assertEquals(Verdict.DIFFERS, SendCopiesProbe.blocked(640, 16_384));
        assertEquals(Verdict.INCONCLUSIVE, SendCopiesProbe.blocked(4_067_840, 4_194_304));
        Rule.Decision slow = SendCopiesProbe.RULE.decide(new Estimate.Interval(3, 2.5, 3.5, 400));
        assertEquals(Verdict.DIFFERS, slow.verdict, "the bare ratio rule");
        Rule.Decision claim = SendCopiesProbe.fromRatio(slow);
        assertEquals(Verdict.INCONCLUSIVE, claim.verdict, "the claim's");
        assertTrue(claim.reason.contains("none waited for its read"), claim.reason);
        Rule.Decision fast = SendCopiesProbe.RULE.decide(new Estimate.Interval(0.2, 0.1, 0.3, 400));
        assertEquals(Verdict.HOLDS, SendCopiesProbe.fromRatio(fast).verdict);
    }

    /**
     * A quantity a probe could not measure is left out, not written as -1 with a unit: --compare and readers of the
     * JSON would take it for a value.
     */
    @Test
    void nothingUnmeasuredIsReportedAsMinusOne() {
        for (ProbeResult r : results) {
            for (Measurement m : r.outcome.measurements()) {
                if (m.spread == Measurement.Spread.EXACT || m.spread == Measurement.Spread.SINGLE) {
                    assertNotEquals(-1.0, m.value, r.probe.name() + " " + m.name);
                }
            }
        }
    }

    /** The default buffers Linux tunes as the connection runs are readings; the one set before connect is exact. */
    @Test
    void autoTunedBuffersAreReadings() {
        Map<String, Measurement.Spread> spread = new java.util.HashMap<>();
        for (Measurement m : result("buffer-fill").outcome.measurements()) {
            spread.put(m.name, m.spread);
        }
        assertEquals(Measurement.Spread.SINGLE, spread.get("sndbuf_default_bytes"));
        assertEquals(Measurement.Spread.SINGLE, spread.get("peer_rcvbuf_default_bytes"));
        assertEquals(Measurement.Spread.EXACT, spread.get("sndbuf_small_bytes"));
    }

    /** A wait that ran out proves nothing: it leaves a claim open, unless what did come contradicts it. */
    @Test
    void timedOutWaitsAreInconclusive() {
        int late = -2; // OobProbe's TIMED_OUT
        assertEquals(Verdict.HOLDS, OobProbe.verdict(3, 'c', 2, "ab", true));
        assertEquals(Verdict.INCONCLUSIVE, OobProbe.verdict(3, late, 2, "ab", true));
        assertEquals(Verdict.INCONCLUSIVE, OobProbe.verdict(3, 'c', -1, "", true));
        assertEquals(Verdict.DIFFERS, OobProbe.verdict(3, late, 3, "abc", true), "what came contradicts it");
        assertEquals(Verdict.DIFFERS, OobProbe.verdict(3, 'b', 2, "ac", true));
        assertEquals(Verdict.DIFFERS, OobProbe.verdict(3, late, 2, "ab", false), "UDP's half decides by itself");

        assertEquals(Verdict.HOLDS, ConfirmProbe.verdict(new int[] {8, 8, 8, 0}));
        assertEquals(Verdict.INCONCLUSIVE, ConfirmProbe.verdict(new int[] {8, 5, 5, 1}));
        assertEquals(Verdict.DIFFERS, ConfirmProbe.verdict(new int[] {8, 4, 5, 1}), "one that came was wrong");
        assertEquals(Verdict.DIFFERS, ConfirmProbe.verdict(new int[] {7, 7, 7, 1}), "a send fell short");
        assertEquals(Verdict.DIFFERS, ConfirmProbe.verdict(new int[] {8, 7, 8, 0}));

        assertEquals(Verdict.HOLDS, ErrorQueueProbe.verdict(10, 1, true));
        assertEquals(Verdict.INCONCLUSIVE, ErrorQueueProbe.verdict(10, 0, false));
        assertEquals(Verdict.DIFFERS, ErrorQueueProbe.verdict(10, 1, false), "poll answered, without the error");
        assertEquals(Verdict.DIFFERS, ErrorQueueProbe.verdict(3, 0, false));

        assertEquals(Verdict.HOLDS, NoDeliveryErrorProbe.verdict(10, 10, 1, "ECONNREFUSED"));
        assertEquals(Verdict.INCONCLUSIVE, NoDeliveryErrorProbe.verdict(10, 10, 50, "none"));
        assertEquals(Verdict.DIFFERS, NoDeliveryErrorProbe.verdict(10, 10, 3, "EHOSTUNREACH"));
        assertEquals(Verdict.DIFFERS, NoDeliveryErrorProbe.verdict(10, 10, 0, "ECONNREFUSED"));
        for (String name : List.of("oob", "msg-confirm", "udp-error-queue", "no-delivery-error")) {
            assertTrue(result(name).probe.rule().contains("INCONCLUSIVE if "), name);
        }
    }

    @Test
    void bufferFillShowsWhereTheWrittenBytesAre() {
        assumeLinux("SIOCOUTQ and SIOCOUTQNSD are Linux's");
        Map<String, Double> m = measurements("buffer-fill");
        for (String fill : List.of("", "_small_sndbuf")) {
            double written = m.get(fill.isEmpty() ? "written_default_bytes" : "written_small_sndbuf_bytes");
            double unread = m.get("unread_at_receiver" + fill + "_bytes");
            double unsent = m.get("unsent_at_sender" + fill + "_bytes");
            double unacked = m.get("unacknowledged_at_sender" + fill + "_bytes");
            assertTrue(unread > 0 && unsent >= 0 && unacked > 0 && m.get("in_flight" + fill + "_bytes") >= 0,
                    m.toString());
            // the queues hold what was written: unread at the receiver plus not yet sent at the sender (read until
            // they do, or within a segment or two, should loopback deliver later than 0.5 s)
            assertTrue(Math.abs(unread + unsent - written) <= 128 * 1024, fill + " " + m);
        }
        assertTrue(result("buffer-fill").probe.rule().contains("the sender's queue at EAGAIN (SIOCOUTQ)"));
    }

    /**
     * Each buffer's part is judged against its own buffer, the receiver's floor only where its window stopped the
     * sender (unsent bytes left), and the totals against bounds that follow from the parts'; without the ioctls (-1)
     * only the totals.
     */
    @Test
    void bufferFillRuleJudgesEachBufferByItsOwn() {
        // as measured on Linux 6.18: default buffers, then SO_SNDBUF=8192 (read back 16384)
        assertEquals(List.of(), BufferFillProbe.misses(4_196_352, 4_194_304, 131_072, 4_163_611, 4_083_200, 113_152));
        assertEquals(List.of(), BufferFillProbe.misses(80_357, 16_384, 131_072, 47_616, 0, 80_357));
        assertEquals(List.of(), BufferFillProbe.misses(80_357, 16_384, 131_072, -1, -1, -1), "totals only");
        // the small fill stopped by the sender's queue with a receiver of 256 KiB: its share is whatever was
        // acknowledged by then (0.37 of it in a C fill), which is no miss
        assertEquals(List.of(), BufferFillProbe.misses(98_250, 16_384, 262_144, 47_616, 0, 98_250));
        // the sender's queue over SO_SNDBUF by more than one skb, or far under it
        assertEquals(1, BufferFillProbe.misses(200_000, 16_384, 131_072, 119_643, 0, 80_357).size());
        assertTrue(BufferFillProbe.misses(2_000_000, 4_194_304, 131_072, 1_900_000, 1_800_000, 100_000).get(0)
                .startsWith("the sender's queue (1900000) outside"));
        // the receiver over its SO_RCVBUF, or holding less than 0.4 of it when its window stopped the sender
        assertTrue(BufferFillProbe.misses(4_296_352, 4_194_304, 131_072, 4_163_611, 4_156_352, 140_000).get(0)
                .startsWith("the unread bytes (140000) outside"));
        assertTrue(BufferFillProbe.misses(4_133_200, 4_194_304, 131_072, 4_163_611, 4_083_200, 50_000).get(0)
                .startsWith("the unread bytes (50000) outside"));
        // totals alone: more than the sum and one skb, or less than the sender's floor
        assertEquals(1, BufferFillProbe.misses(4_400_000, 4_194_304, 131_072, -1, -1, -1).size());
        assertEquals(1, BufferFillProbe.misses(3_000_000, 4_194_304, 131_072, -1, -1, -1).size());
        assertEquals(1, BufferFillProbe.misses(10_000, 16_384, 131_072, -1, -1, -1).size());
    }

    @Test
    void timingClaimsFinishWithAFinding() {
        for (String name : List.of("send-waits", "partial-send", "buffer-fill")) {
            Verdict v = result(name).outcome.verdict;
            assertTrue(v == Verdict.HOLDS || v == Verdict.DIFFERS,
                    name + ": " + v + " " + result(name).outcome.details);
        }
        // Claims decided on an interval may stay open, but then they must say why.
        for (String name : List.of("send-copies", "batch-cost", "byte-cost", "nagle")) {
            ProbeResult r = result(name);
            Verdict v = r.outcome.verdict;
            assertTrue(v == Verdict.HOLDS || v == Verdict.DIFFERS || v == Verdict.INCONCLUSIVE,
                    name + ": " + v + " " + r.outcome.details);
            assertEquals(v == Verdict.INCONCLUSIVE, !r.outcome.reason.isEmpty(), name + ": " + r.outcome.reason);
            assertTrue(r.probe.rule().startsWith("HOLDS if the 95% interval")
                    || name.equals("send-copies") && r.probe.rule().contains(" and the 95% interval of "),
                    r.probe.rule());
            boolean ci = false;
            boolean widened = false;
            for (Measurement m : r.outcome.measurements()) {
                if (m.spread == Measurement.Spread.CI95 || m.spread == Measurement.Spread.ACROSS_ROUNDS) {
                    ci = true;
                    widened |= m.spread == Measurement.Spread.ACROSS_ROUNDS;
                    assertTrue(m.low <= m.value && m.value <= m.high, name + " " + m.name);
                    assertTrue(m.samples >= 1, name + " " + m.name);
                }
            }
            assertTrue(ci, name + " has an estimate with an interval");
            // the quantity the verdict rests on is widened across rounds, and says so
            assertTrue(widened, name + " labels its verdict's interval ACROSS_ROUNDS");
        }
    }

    @Test
    void htmlReportWritesThePageAndItsCharts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // a chart left by an earlier report for a probe that draws none this time goes; other files stay
        java.nio.file.Path stale = java.nio.file.Files.write(dir.resolve("eor.png"), new byte[] {1});
        java.nio.file.Path mine = java.nio.file.Files.write(dir.resolve("notes.png"), new byte[] {1});
        java.nio.file.Path page = HtmlReport.write(dir, RunInfo.current(Bounds.QUICK), results);
        assertFalse(java.nio.file.Files.exists(stale), "an earlier report's eor.png");
        assertTrue(java.nio.file.Files.exists(mine), "a file of another name");
        String html = java.nio.file.Files.readString(page);
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        for (ProbeResult r : results) {
            assertTrue(html.contains("<td>" + r.probe.number() + "</td>"), "row " + r.probe.number());
            // the details too, as the other reports carry them (an ERROR's say what went wrong)
            assertTrue(r.outcome.details.isEmpty() || html.contains(HtmlReport.esc(r.outcome.details)),
                    "details of " + r.probe.number());
        }
        for (String chart : List.of("buffer-fill", "nagle", "batch-cost", "msg-more")) {
            java.nio.file.Path png = dir.resolve(chart + ".png");
            assertTrue(java.nio.file.Files.size(png) > 1000, chart + ".png is written and not empty");
            byte[] head = java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(png), 8);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, chart);
            assertTrue(html.contains("also " + chart + ".png"), chart);
        }
        assertFalse(html.contains("src=\"http"), "the page loads nothing from elsewhere");
    }

    @Test
    void reportsCarryEveryResult() throws Exception {
        RunInfo info = RunInfo.current(Bounds.QUICK);
        String json = Reports.json(info, results);
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals(List.of(), Reports.schemaErrors(root), json);
        // the widened intervals are in the report under their own kind, which the schema knows
        assertTrue(json.contains("\"spread\": \"ACROSS_ROUNDS\""), json);
        JsonNode tampered = root.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) tampered.get("results").get(0).get("measurements").get(0))
                .put("spread", "CI99");
        assertFalse(Reports.schemaErrors(tampered).isEmpty(), "an unknown spread kind fails the schema");
        assertEquals(26, root.get("results").size());
        int total = 0;
        for (Map.Entry<String, JsonNode> e : root.get("summary").properties()) {
            Verdict.valueOf(e.getKey());
            total += e.getValue().asInt();
        }
        assertEquals(26, total);
        for (int i = 0; i < 26; i++) {
            JsonNode r = root.get("results").get(i);
            assertEquals(i + 1, r.get("number").asInt());
            Verdict.valueOf(r.get("verdict").asText());
            assertEquals(results.get(i).outcome.measured, r.get("measured").asText());
            assertEquals(results.get(i).probe.rule(), r.get("rule").asText());
            assertFalse(r.get("rule").asText().isEmpty(), r.get("name").asText());
            assertEquals(results.get(i).outcome.measurements().size(), r.get("measurements").size());
            assertTrue(r.get("measurements").size() >= 1, r.get("name").asText() + " has measurements");
        }

        String md = Reports.markdown(info, results);
        assertTrue(md.contains("| # | claim | measured | verdict |"));
        for (int i = 1; i <= 25; i++) {
            assertTrue(md.contains("\n| " + i + " | "), "markdown row " + i);
        }

        String text = Reports.text(info, results, false);
        String[] lines = text.split("\n");
        assertTrue(lines[0].startsWith("posix-send kernel probe: "));
        for (int i = 1; i <= 25; i++) {
            String prefix = String.format("%2d  ", i);
            assertTrue(text.lines().anyMatch(l -> l.startsWith(prefix)), "text row " + i);
        }
        assertTrue(lines[lines.length - 1].startsWith("26 probes in "), lines[lines.length - 1]);
        for (String l : Reports.text(info, results, true).split("\n")) {
            assertTrue(l.length() <= TextReport.WIDTH, () -> l.length() + " columns: " + l);
        }
    }
}

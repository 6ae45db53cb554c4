// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every row of the benchmark table, grouped by the operation measured. A group has one C case of send_floor.c
 * (the floor) and the Java rows that do the same thing. A row that cannot be measured is listed with no
 * source and the reason, which the table shows.
 */
final class Catalogue {
    private Catalogue() {
    }

    /** Whether this JDK has the foreign function API (22 and later): the FFM backend's rows and the bare-FFM rows. */
    static final boolean FOREIGN_API = Runtime.version().feature() >= 22;

    /** Who makes the call. */
    enum Impl {
        C("C"), OURS("posix-send"), NIO("java.nio"), NETTY("Netty epoll"),
        /** Diagnostic rows: a primitive-only native that checks nothing (jni_floor.c), the floor of any JNI binding. */
        BARE_JNI("bare JNI"),
        /**
         * Diagnostic rows on JDK 22+: one downcall handle of libc that checks nothing (FfmFloorBench), the floor of
         * any binding through the foreign function API.
         */
        BARE_FFM("bare FFM");

        final String label;

        Impl(String label) {
            this.label = label;
        }
    }

    /**
     * The samples a target is judged against: the group's C, java.nio and Netty rows (null when it has none), and
     * every measured row of the group that runs once (C rows and peers), by its source; {@code rounds} is how many
     * rounds the group ran (every row of a group runs in every round).
     */
    record Refs(List<Double> c, List<Double> nio, List<Double> netty, Map<String, List<Double>> bySource, int rounds) {
    }

    /** A target's verdict on a row: met, missed, within noise or not judged, with the statistic's interval. */
    enum Verdict { MET, MISSED, WITHIN_NOISE, NOT_JUDGED }

    /**
     * One part's verdict, the statistic (median ratio or difference) and its interval, and the target's bound; for a
     * part not judged, {@code why} (null: the row or its reference has no samples).
     */
    record Judgement(Verdict verdict, double value, double lo, double hi, boolean ratio, double bound, String why) {
        Judgement(Verdict verdict, double value, double lo, double hi, boolean ratio, double bound) {
            this(verdict, value, lo, hi, ratio, bound, null);
        }

        String text() {
            String v = switch (verdict) {
                case MET -> "met";
                case MISSED -> "**missed**";
                case WITHIN_NOISE -> "within noise";
                case NOT_JUDGED -> "not judged (" + (why != null ? why : "no reference row") + ")";
            };
            if (verdict == Verdict.NOT_JUDGED) {
                return v;
            }
            String level = Bootstrap.levelText().replace(" ", "");
            return ratio ? String.format(java.util.Locale.ROOT, "%s (%sx, %s %s-%s)", v, number(value), level,
                    number(lo), number(hi))
                    : String.format(java.util.Locale.ROOT, "%s (%s ns, %s %s..%s)", v, number(value), level,
                    number(lo), number(hi));
        }

        /**
         * Two decimals for a ratio, whole signed ns for a difference, and more decimals for a number that would
         * otherwise print as the bound without being it: the printed interval then agrees with its verdict.
         */
        private String number(double x) {
            int decimals = ratio ? 2 : 0;
            while (x != bound && decimals < 6 && format(x, decimals).equals(format(bound, decimals))) {
                decimals++;
            }
            return format(x, decimals);
        }

        private String format(double x, int decimals) {
            return String.format(java.util.Locale.ROOT, (ratio ? "%." : "%+.") + decimals + "f", x);
        }
    }

    /**
     * What the issue asks of a row: a bound on its median against the group's C row ({@link Kind#RATIO_C},
     * {@link Kind#PLUS_C}), against another row of the group named by its source ({@link Kind#PLUS_ROW},
     * {@link Kind#RATIO_ROW}: the same system call made inside the JVM's process), being faster than the group's Netty
     * row ({@link Kind#BELOW_NETTY}), or sending {@code factor} times the datagrams per second of the group's java.nio
     * row ({@link Kind#TIMES_NIO}); {@code and} is a second target the row must also meet, or null.
     */
    record Target(String text, Kind kind, double factor, String ref, Target and) {
        enum Kind { RATIO_C, PLUS_C, PLUS_ROW, RATIO_ROW, BELOW_NETTY, TIMES_NIO }

        static Target ratio(double r) {
            return new Target("<= " + r + "x C", Kind.RATIO_C, r, null, null);
        }

        static Target plus(double ns) {
            return new Target("<= C + " + (int) ns + " ns", Kind.PLUS_C, ns, null, null);
        }

        /**
         * At most {@code ns} above the median of the group's row whose source is {@code source}, called {@code name}.
         */
        static Target plusRow(double ns, String source, String name) {
            return new Target("<= " + name + " + " + (int) ns + " ns", Kind.PLUS_ROW, ns, source, null);
        }

        /**
         * At most {@code r} times the median of the group's row whose source is {@code source}, called {@code name}.
         */
        static Target ratioRow(double r, String source, String name) {
            return new Target("<= " + r + "x " + name, Kind.RATIO_ROW, r, source, null);
        }

        static Target belowNetty() {
            return new Target("< Netty (channel, see its row)", Kind.BELOW_NETTY, 1, null, null);
        }

        static Target timesNio(double f) {
            return new Target(">= " + f + "x NIO datagrams/s", Kind.TIMES_NIO, f, null, null);
        }

        Target and(Target other) {
            return new Target(text, kind, factor, ref, other);
        }

        /** The whole target, parts joined by "and". */
        String fullText() {
            return and == null ? text : text + " and " + and.fullText();
        }

        /**
         * Each part with its verdict and interval, as the table shows it:
         * "<= 1.03x C: met (1.01x, 99.2% 0.98-1.02); < Netty: within noise (...)".
         */
        String verdict(List<Double> row, Refs refs) {
            String mine = text + ": " + judgeAlone(row, refs).text();
            return and == null ? mine : mine + "; " + and.verdict(row, refs);
        }

        /**
         * The verdict of the whole target: met when every part's interval lies on the right side of its bound,
         * missed when some part's lies on the wrong side, within noise when an interval straddles a bound.
         */
        Verdict judge(List<Double> row, Refs refs) {
            Verdict mine = judgeAlone(row, refs).verdict();
            if (and == null) {
                return mine;
            }
            Verdict other = and.judge(row, refs);
            if (mine == Verdict.MISSED || other == Verdict.MISSED) {
                return Verdict.MISSED;
            }
            if (mine == Verdict.NOT_JUDGED || other == Verdict.NOT_JUDGED) {
                return Verdict.NOT_JUDGED;
            }
            return mine == Verdict.MET && other == Verdict.MET ? Verdict.MET : Verdict.WITHIN_NOISE;
        }

        private Judgement judgeAlone(List<Double> row, Refs refs) {
            List<Double> reference = switch (kind) {
                case RATIO_C, PLUS_C -> refs.c();
                case PLUS_ROW, RATIO_ROW -> refs.bySource().get(ref);
                case BELOW_NETTY -> refs.netty();
                case TIMES_NIO -> refs.nio();
            };
            if (reference == null || reference.isEmpty() || row.isEmpty()) {
                return new Judgement(Verdict.NOT_JUDGED, 0, 0, 0, true, 0);
            }
            int rounds = refs.rounds();
            if (!Bootstrap.makesRounds(row.size(), rounds) || !Bootstrap.makesRounds(reference.size(), rounds)) {
                // a report replayed from a JSON written otherwise (another group's samples mixed in, fewer rounds):
                // judged as one round, its interval would hide the spread between rounds
                String why = row.size() + " and " + reference.size() + " samples do not make the " + rounds
                        + " rounds the group ran" + (rounds < Bootstrap.MIN_ROUNDS ? ", nor the " + Bootstrap.MIN_ROUNDS
                        + " a verdict needs" : "");
                return new Judgement(Verdict.NOT_JUDGED, 0, 0, 0, true, 0, why);
            }
            boolean ratio = kind != Kind.PLUS_C && kind != Kind.PLUS_ROW;
            // every bound as "statistic <= limit": x C, x Netty (strictly below 1), x NIO (at most 1/factor)
            double limit = switch (kind) {
                case RATIO_C, PLUS_C, PLUS_ROW, RATIO_ROW -> factor;
                case BELOW_NETTY -> 1.0;
                case TIMES_NIO -> 1.0 / factor;
            };
            double value = ratio ? Report.Stats.of(row).median() / Report.Stats.of(reference).median()
                    : Report.Stats.of(row).median() - Report.Stats.of(reference).median();
            double[] ci = Bootstrap.interval(row, reference, refs.rounds(), ratio);
            // "< Netty" is strict: an interval that reaches 1 is not all below it, and one that starts at 1 all misses
            boolean strict = kind == Kind.BELOW_NETTY;
            boolean met = strict ? ci[1] < limit : ci[1] <= limit;
            boolean missed = strict ? ci[0] >= limit : ci[0] > limit;
            Verdict v = met ? Verdict.MET : missed ? Verdict.MISSED : Verdict.WITHIN_NOISE;
            if (kind == Kind.TIMES_NIO) {
                // judged as a ratio of times, shown as the target says it: how many times NIO's datagrams per second
                return new Judgement(v, 1 / value, 1 / ci[1], 1 / ci[0], true, factor);
            }
            return new Judgement(v, value, ci[0], ci[1], ratio, limit);
        }
    }

    /**
     * One row. {@code source} is the C case name for {@link Impl#C}, otherwise the simple name of a JMH
     * benchmark ({@code Class.method}); null when the row cannot be measured, and {@code note} says why.
     * {@code perBackend} rows run once for every backend of {@link #BACKENDS}, each with its own target
     * ({@code targets} by backend name; a backend without an entry has none). The first C row of a group is
     * its floor; further C rows are diagnostics.
     */
    record Row(Impl impl, String label, String source, boolean perBackend, Map<String, Target> targets, String note) {
        static Row c(String cCase) {
            return new Row(Impl.C, "C " + cCase, cCase, false, Map.of(), null);
        }

        static Row c(String cCase, String label) {
            return new Row(Impl.C, label, cCase, false, Map.of(), null);
        }

        static Row ours(String label, String benchmark, Target jni, Target jnr) {
            Map<String, Target> t = new HashMap<>();
            if (jni != null) {
                t.put("jni", jni);
            }
            if (jnr != null) {
                t.put("jnr", jnr);
            }
            return new Row(Impl.OURS, label, benchmark, true, Map.copyOf(t), null);
        }

        /** This row with {@code t} as its target on the FFM backend. */
        Row ffm(Target t) {
            Map<String, Target> m = new HashMap<>(targets);
            m.put("ffm", t);
            return new Row(impl, label, source, perBackend, Map.copyOf(m), note);
        }

        /** A {@link Impl#BARE_FFM} row: measured on JDK 22 and later, where the foreign function API is. */
        static Row bareFfm(String label, String benchmark) {
            return FOREIGN_API ? peer(Impl.BARE_FFM, label, benchmark)
                    : unavailable(Impl.BARE_FFM, label, "the foreign function API needs JDK 22 or later");
        }

        static Row unavailable(Impl impl, String label, String why) {
            return new Row(impl, label, null, false, Map.of(), why);
        }

        static Row peer(Impl impl, String label, String benchmark) {
            return new Row(impl, label, benchmark, false, Map.of(), null);
        }

        boolean available() {
            return source != null;
        }

        /** The target of this row on a backend (null for peers and rows without one). */
        Target target(String backend) {
            return backend == null ? null : targets.get(backend);
        }
    }

    /** A group: an operation, what one "op" is, and its rows (the C row first). */
    record Group(String id, String title, String per, List<Row> rows) {
        Row cRow() {
            return rows.get(0);
        }
    }

    /**
     * The backends of posix-send that the ours-rows run on (forks started with {@code -Dposixsend.backend}): FFM
     * too on JDK 22 and later, where scripts/bench puts the multi-release classes on the class path.
     */
    static final List<String> BACKENDS = FOREIGN_API ? List.of("jni", "jnr", "ffm") : List.of("jni", "jnr");

    /** The targets for the send path: JNI and FFM at most 1.03x C, JNR at most 1.05x C. */
    private static final Target SEND_PATH = Target.ratio(1.03);
    private static final Target JNR_SEND_PATH = Target.ratio(1.05);
    /**
     * The send-path targets taken against the same system call made from C in the JVM's own process too, where a
     * group has that row: that process alone can cost more than the 3 % beside C, so what is posix-send's is judged
     * as well.
     */
    private static Target sendPath(double r, String inJvmSource) {
        return Target.ratio(r).and(Target.ratioRow(r, inJvmSource, "in-JVM floor"));
    }
    /** FFM's EBADF floor: no slower than the bare JNI native that checks nothing. */
    private static final Target FFM_EBADF = Target.plusRow(0, "JniFloorBench.badDescriptor", "bare JNI unchecked");

    /** The label of the same-process floor rows: the system call in a loop in C code running in the JVM's thread. */
    private static final String IN_JVM_LABEL = "1000 x the same call in one native call, per call (in-JVM floor)";
    private static final Target SEND_IN_JVM = sendPath(1.03, "JniFloorBench.sendInC");
    private static final Target JNR_SEND_IN_JVM = sendPath(1.05, "JniFloorBench.sendInC");
    /** The sendmmsg_64 operation of send_floor.c made by one native call in the JVM's process. */
    private static final String SENDMMSG_IN_JVM = "JniFloorBench.sendmmsg64";

    /**
     * The targets for the calls on an empty or idle socket: at most 25 ns above the same system
     * call made in a loop inside the JVM's own process (a system call costs more in a JVM's process than in the
     * small C program, so the C row is shown but is not the reference). Every backend.
     */
    private static final Target POLL_TARGET = Target.plusRow(25, "JniFloorBench.pollInC", "in-JVM floor");
    private static final Target RECV_TARGET = Target.plusRow(25, "JniFloorBench.recvEmptyInC", "in-JVM floor");
    /**
     * JNI's EBADF floor: at most 12 ns above the same failing system call made in a loop inside the JVM's process
     * (the separate C program's row is shown beside it; a system call costs more in the JVM's process).
     */
    private static final Target EBADF_TARGET = Target.plusRow(12, "JniFloorBench.badDescriptorInC", "in-JVM floor");
    /**
     * JNI's would-block send: at most 1.10x C, and 1.10x the same failing call made in a loop inside the JVM's process
     * (which alone costs more than the 10 % beside the C program), so that what is posix-send's is judged as well.
     */
    private static final Target WOULD_BLOCK_TARGET = Target.ratio(1.10)
            .and(Target.ratioRow(1.10, "JniFloorBench.wouldBlockInC", "in-JVM floor"));
    /** The target of the TCP and timestamped sends: at most 1.05x C doing the same, every backend. */
    private static final Target SAME_AS_C = Target.ratio(1.05);
    /** The porting issue's target for recvmmsg of 64, which does real work: at most 1.05x C, every backend. */
    private static final Target RECV_BATCH_TARGET = Target.ratio(1.05);

    static final List<Group> GROUPS = List.of(
            new Group("send", "send 64 B, connected UDP", "datagram", List.of(
                    Row.c("send"),
                    Row.ours("send direct ByteBuffer", "PosixSendBench.sendDirect", SEND_IN_JVM, JNR_SEND_IN_JVM)
                            .ffm(SEND_IN_JVM),
                    Row.ours("send heap ByteBuffer", "PosixSendBench.sendHeap", SEND_IN_JVM, JNR_SEND_IN_JVM)
                            .ffm(SEND_IN_JVM),
                    Row.ours("send byte[]", "PosixSendBench.sendArray", SEND_IN_JVM, JNR_SEND_IN_JVM).ffm(SEND_IN_JVM),
                    Row.peer(Impl.NIO, "DatagramChannel.write", "NioBench.write"),
                    Row.peer(Impl.NETTY, "LinuxSocket.send", "NettyBench.send"),
                    Row.peer(Impl.BARE_JNI, "send(fd, address, len) unchecked", "JniFloorBench.send"),
                    Row.peer(Impl.BARE_JNI, IN_JVM_LABEL, "JniFloorBench.sendInC"),
                    Row.bareFfm("send(fd, address, len) downcall, errno captured, unchecked", "FfmFloorBench.send"))),
            new Group("sendto", "sendto 64 B, unconnected UDP", "datagram", List.of(
                    Row.c("sendto"),
                    Row.ours("sendto SockAddr", "PosixSendBench.sendtoSockAddr", SEND_PATH, JNR_SEND_PATH)
                            .ffm(SEND_PATH),
                    Row.ours("sendto InetSocketAddress", "PosixSendBench.sendtoInetSocketAddress", null, null),
                    Row.peer(Impl.NIO, "DatagramChannel.send", "NioBench.send"),
                    Row.peer(Impl.NETTY, "LinuxSocket.sendTo", "NettyBench.sendTo"))),
            new Group("gather", "gathering 2 x 32 B, connected UDP (sendmsg / writev)", "datagram", List.of(
                    Row.c("sendmsg_2iov"),
                    Row.ours("sendmsg 2 iovecs (reused Message)", "PosixMessageBench.sendmsg2iov", SEND_PATH,
                            JNR_SEND_PATH).ffm(SEND_PATH),
                    Row.peer(Impl.NIO, "DatagramChannel.write(ByteBuffer[])", "NioBench.gatheringWrite"),
                    Row.peer(Impl.NETTY, "FileDescriptor.writev", "NettyBench.writev"))),
            new Group("gather_dest", "sendmsg 2 x 32 B with a destination, unconnected UDP", "datagram", List.of(
                    Row.c("sendmsg_2iov_dest"),
                    Row.ours("sendmsg 2 iovecs + SockAddr (reused Message)", "PosixMessageBench.sendmsg2iovDest",
                            SEND_PATH, JNR_SEND_PATH).ffm(SEND_PATH))),
            batch("sendmmsg_1", "sendmmsg, batch of 1", "PosixMessageBench.sendmmsg1", SEND_PATH),
            batch("sendmmsg_8", "sendmmsg, batch of 8", "PosixMessageBench.sendmmsg8", SEND_PATH, JNR_SEND_PATH,
                    SEND_PATH, Row.ours("sendmmsg (MessageBatch and its Messages made and closed per call)",
                            "PosixMessageBench.sendmmsg8MadeAndClosed", null, null)),
            batch("sendmmsg_32", "sendmmsg, batch of 32", "PosixMessageBench.sendmmsg32", SEND_PATH),
            batch("sendmmsg_64", "sendmmsg, batch of 64", "PosixMessageBench.sendmmsg64",
                    SEND_PATH.and(Target.belowNetty().and(Target.ratioRow(1.03, SENDMMSG_IN_JVM, "in-JVM floor"))),
                    sendPath(1.05, SENDMMSG_IN_JVM), sendPath(1.03, SENDMMSG_IN_JVM),
                    Row.peer(Impl.BARE_JNI, "the C operation in one native call (in-JVM floor of the operation)",
                            SENDMMSG_IN_JVM)),
            batch("sendmmsg_256", "sendmmsg, batch of 256", "PosixMessageBench.sendmmsg256", SEND_PATH),
            batch("sendmmsg_dest_1", "sendmmsg with destinations, batch of 1", "PosixMessageBench.sendmmsgDest1",
                    SEND_PATH),
            batch("sendmmsg_dest_8", "sendmmsg with destinations, batch of 8", "PosixMessageBench.sendmmsgDest8",
                    SEND_PATH),
            batch("sendmmsg_dest_32", "sendmmsg with destinations, batch of 32", "PosixMessageBench.sendmmsgDest32",
                    SEND_PATH),
            batch("sendmmsg_dest_64", "sendmmsg with destinations, batch of 64", "PosixMessageBench.sendmmsgDest64",
                    SEND_PATH),
            batch("sendmmsg_dest_256", "sendmmsg with destinations, batch of 256",
                    "PosixMessageBench.sendmmsgDest256", SEND_PATH),
            new Group("udp_segment", "UDP_SEGMENT, 64 x 1000 B in one sendmsg (per datagram)", "datagram", List.of(
                    Row.c("udp_segment_64x1000"),
                    Row.ours("sendmsg + ControlMessage.udpSegment(1000), connected", "PosixMessageBench.udpSegment",
                            SEND_PATH.and(Target.timesNio(3.5)), JNR_SEND_PATH).ffm(SEND_PATH),
                    Row.c("send_1000", "C send 1000 B, one datagram per call (what NIO does), connected"),
                    Row.peer(Impl.NIO, "DatagramChannel.write 1000 B, one datagram per call, connected",
                            "NioBench.write1000"))),
            new Group("wouldblock", "would-block, full AF_UNIX datagram socketpair", "call", List.of(
                    Row.c("wouldblock"),
                    Row.ours("trySend (-EAGAIN)", "PosixErrorBench.wouldBlockTry", WOULD_BLOCK_TARGET, null),
                    Row.ours("send (WouldBlockException)", "PosixErrorBench.wouldBlockThrow", Target.ratio(2.0), null),
                    Row.peer(Impl.BARE_JNI, "send(fd, address, len) unchecked", "JniFloorBench.wouldBlock"),
                    Row.peer(Impl.BARE_JNI, IN_JVM_LABEL, "JniFloorBench.wouldBlockInC"))),
            new Group("ebadf", "EBADF floor, send on descriptor -1", "call", List.of(
                    Row.c("ebadf"),
                    Row.ours("trySend (-EBADF)", "PosixErrorBench.badDescriptorTry", EBADF_TARGET, Target.ratio(1.35))
                            .ffm(FFM_EBADF),
                    Row.ours("trySend byte[] (-EBADF)", "PosixErrorBench.badDescriptorTryArray", EBADF_TARGET,
                            Target.ratio(1.35)).ffm(FFM_EBADF),
                    Row.ours("send (BadDescriptorException)", "PosixErrorBench.badDescriptorThrow", null, null),
                    Row.peer(Impl.BARE_JNI, "send(-1, address, len) unchecked", "JniFloorBench.badDescriptor"),
                    Row.peer(Impl.BARE_JNI, "1000 x send(-1) in one native call, per call (in-JVM floor)",
                            "JniFloorBench.badDescriptorInC"),
                    Row.peer(Impl.BARE_JNI, "no-op native (transition only, no syscall)",
                            "JniFloorBench.transitionOnly"),
                    Row.bareFfm("send(-1, address, len) downcall, errno captured and read, unchecked",
                            "FfmFloorBench.badDescriptor"),
                    Row.bareFfm("send(-1, address, len) downcall without errno (the -1 alone)",
                            "FfmFloorBench.badDescriptorUncaptured"))),
            new Group("poll", "poll of one writable UDP socket (POLLOUT), timeout 0", "call", List.of(
                    Row.c("poll_out"),
                    Row.ours("PollSet.tryPoll(0), one entry (reused set)", "PosixReceiveBench.pollTry", POLL_TARGET,
                            POLL_TARGET).ffm(POLL_TARGET),
                    Row.peer(Impl.BARE_JNI, "poll(&pfd, 1, 0) unchecked", "JniFloorBench.poll"),
                    Row.peer(Impl.BARE_JNI, IN_JVM_LABEL, "JniFloorBench.pollInC"))),
            new Group("recv_empty", "recv on an empty non-blocking UDP socket (-EAGAIN)", "call", List.of(
                    Row.c("recv_empty"),
                    Row.ours("tryRecv direct ByteBuffer (-EAGAIN)", "PosixReceiveBench.recvEmptyTry", RECV_TARGET,
                            RECV_TARGET).ffm(RECV_TARGET),
                    Row.ours("tryRecv byte[] (-EAGAIN)", "PosixReceiveBench.recvEmptyTryArray", RECV_TARGET,
                            RECV_TARGET).ffm(RECV_TARGET),
                    Row.peer(Impl.BARE_JNI, "recv(fd, address, 64, 0) unchecked", "JniFloorBench.recvEmpty"),
                    Row.peer(Impl.BARE_JNI, IN_JVM_LABEL, "JniFloorBench.recvEmptyInC"))),
            new Group("recvmmsg_64", "recvmmsg, batch of 64 x 64 B, queue refilled by an untimed sendmmsg of 64 before "
                    + "each call (per datagram)", "datagram", List.of(
                    Row.c("recvmmsg_64"),
                    Row.ours("tryRecvmmsg (reused MessageBatch, control space 0)", "PosixReceiveBench.recvmmsg64",
                            RECV_BATCH_TARGET, RECV_BATCH_TARGET).ffm(RECV_BATCH_TARGET),
                    Row.peer(Impl.BARE_JNI, "the C operation in one native call (in-JVM floor of the operation)",
                            "JniFloorBench.recvmmsg64"))),
            heap("heap_64", "64 B", "send_64", "64"),
            recvArray("recv_8k", "8 KiB", "recv_8192", "8k"),
            recvArray("recv_64k", "65507 B (the largest UDP datagram)", "recv_65507", "64k"),
            heap("heap_1k", "1 KiB", "send_1024", "1k"),
            heap("heap_8k", "8 KiB", "send_8192", "8k"),
            heap("heap_64k", "65507 B (the largest UDP datagram, about 64 KiB)", "send_65507", "64k"),
            tcp("tcp_16k", "16 KiB", "send16k", false),
            tcp("tcp_64k", "64 KiB", "send64k", false),
            tcp("tcp_1m", "1 MiB", "send1m", false),
            tcp("tcp_zc_16k", "16 KiB", "zerocopy16k", true),
            tcp("tcp_zc_64k", "64 KiB", "zerocopy64k", true),
            tcp("tcp_zc_1m", "1 MiB", "zerocopy1m", true),
            sendfile(),
            new Group("tstamp", "timestamped send: sendmsg 64 B with a per-call SO_TIMESTAMPING (TX_SOFTWARE) control "
                    + "message, then its timestamp read back with one recvmsg(MSG_ERRQUEUE), connected UDP", "call",
                    List.of(
                    Row.c("tstamp"),
                    Row.ours("trySendmsg + ErrorQueueEntry.tryReadFrom (reused), no data space",
                            "PosixTimestampBench.timestamped", SAME_AS_C, SAME_AS_C).ffm(SAME_AS_C),
                    Row.ours("trySendmsg + tryRecvmsg(MSG_ERRQUEUE) into a reused Message + ErrorQueueEntry.read",
                            "PosixTimestampBench.timestampedViaMessage", null, null),
                    Row.peer(Impl.BARE_JNI, "the C operation in one native call (in-JVM floor of the operation)",
                            "JniFloorBench.timestamped"),
                    Row.peer(Impl.BARE_JNI, "the same C as two native calls, sendmsg then recvmsg (floor of a "
                            + "binding that makes the two calls)", "JniFloorBench.timestampedTwoCalls"),
                    Row.c("tstamp_plain", "C the same sendmsg, no control message, nothing read back"),
                    Row.ours("trySendmsg, no control message (what the timestamp adds to)",
                            "PosixTimestampBench.plain", null, null))));

    /**
     * A TCP send group: one blocking send of {@code size} over loopback to a peer a thread drains; with
     * {@code zerocopy}, MSG_ZEROCOPY with its completions reaped from the error queue in every operation. A plain
     * group also has the bare-JNI send over the same kind of connection: what the JVM's process costs beside C.
     */
    private static Group tcp(String cCase, String size, String method, boolean zerocopy) {
        String title = "TCP send of " + size + " over loopback, peer drained by a thread"
                + (zerocopy ? ", MSG_ZEROCOPY with completions reaped (8 buffers in flight at most)" : "");
        String label = zerocopy ? "ZerocopySends.send + reap (direct buffers)" : "send direct ByteBuffer";
        if (zerocopy) {
            return new Group(cCase, title, "call", List.of(Row.c(cCase),
                    Row.ours(label, "PosixTcpBench." + method, SAME_AS_C, SAME_AS_C).ffm(SAME_AS_C)));
        }
        // the JVM's process alone costs more than the 5 % beside C here, so what is posix-send's is judged too
        Target both = SAME_AS_C.and(Target.ratioRow(1.05, "JniFloorTcpBench." + method, "in-JVM floor"));
        return new Group(cCase, title, "call", List.of(Row.c(cCase),
                Row.ours(label, "PosixTcpBench." + method, both, both).ffm(both),
                Row.peer(Impl.BARE_JNI, "send(fd, address, len) unchecked, same drained connection (in-JVM floor)",
                        "JniFloorTcpBench." + method)));
    }

    /**
     * The sendfile group: 64 KiB of a file in the page cache over the plain TCP groups' kind of connection, from offset
     * 0 each time, judged against C and, as their sends are, against the bare-JNI call in the JVM's process.
     */
    private static Group sendfile() {
        Target both = SAME_AS_C.and(Target.ratioRow(1.05, "JniFloorTcpBench.sendfile64k", "in-JVM floor"));
        return new Group("tcp_sendfile_64k", "TCP sendfile of 64 KiB from a file in the page cache over loopback, "
                + "peer drained by a thread", "call", List.of(
                Row.c("tcp_sendfile_64k"),
                Row.ours("sendfile(out, file, 0, 65536): from offset 0, the file's position left alone",
                        "PosixTcpBench.sendfile64k", both, both).ffm(both),
                Row.peer(Impl.BARE_JNI, "sendfile(out, file, &off, 65536) unchecked, same drained connection "
                        + "(in-JVM floor)", "JniFloorTcpBench.sendfile64k")));
    }

    /**
     * A heap-array group: send of a byte[] of {@code size} on a non-blocking connected UDP socket to the unread
     * receiver, with flags 0 and with MSG_DONTWAIT. Every backend copies the array into native memory for flags 0;
     * with MSG_DONTWAIT (a call that cannot block) the JNI and FFM backends pass an array of 8 KiB or more in
     * place (a JNI critical region, a {@code critical(true)} downcall), which must beat its own flags-0 row:
     * docs/bench-latest.md and docs/bench-history.md have the runs.
     */
    private static Group heap(String id, String size, String cCase, String suffix) {
        return new Group(id, "send byte[] of " + size + ", non-blocking connected UDP, unread receiver", "call",
                List.of(
                Row.c(cCase),
                Row.ours("trySend byte[], flags 0", "PosixHeapBench.copy" + suffix, null, null),
                Row.ours("trySend byte[], MSG_DONTWAIT", "PosixHeapBench.dontwait" + suffix, null, null)));
    }

    /**
     * A receive-array group: recv of one datagram of {@code size}, queued by an untimed send before each call, into a
     * byte[] on a non-blocking UDP socket, with flags 0 (through native memory and a copy) and with MSG_DONTWAIT
     * (in place on JNI and FFM, which must then beat their own flags-0 row).
     */
    private static Group recvArray(String id, String size, String cCase, String suffix) {
        return new Group(id, "recv into a byte[] of " + size + ", non-blocking UDP, one datagram queued before each "
                + "call", "call", List.of(
                Row.c(cCase),
                Row.ours("tryRecv byte[], flags 0", "PosixRecvArrayBench.copy" + suffix, null, null),
                Row.ours("tryRecv byte[], MSG_DONTWAIT", "PosixRecvArrayBench.dontwait" + suffix, null, null)));
    }

    private static Group batch(String cCase, String title, String benchmark, Target jni) {
        return batch(cCase, title, benchmark, jni, JNR_SEND_PATH, SEND_PATH, null);
    }

    /** A sendmmsg group with these targets per backend and, when not null, one more row. */
    private static Group batch(String cCase, String title, String benchmark, Target jni, Target jnr, Target ffm,
            Row extra) {
        // PosixMessageBench.sendmmsgDest64 -> NettyChannelBench.flushDest64
        String netty = "NettyChannelBench."
                + benchmark.substring(benchmark.indexOf('.') + 1).replace("sendmmsg", "flush");
        boolean one = benchmark.endsWith("sendmmsg1") || benchmark.endsWith("Dest1");
        List<Row> rows = new java.util.ArrayList<>(List.of(
                Row.c(cCase),
                Row.ours("sendmmsg (reused MessageBatch)", benchmark, jni, jnr).ffm(ffm),
                Row.peer(Impl.NETTY, "EpollDatagramChannel: writes + flush on its event loop, "
                        + (one ? "plain send (Netty uses sendmmsg only for 2+)" : "one sendmmsg")
                        + "; includes pipeline and event-loop hand-off", netty)));
        if (extra != null) {
            rows.add(extra);
        }
        return new Group(cCase, title + " (per datagram)", "datagram", List.copyOf(rows));
    }
}

package io.github.posixsend.bench;

import java.util.List;

/**
 * Every row of the benchmark table, grouped by the operation measured. A group has one C case of send_floor.c
 * (the floor) and the Java rows that do the same thing. A row that cannot run yet (its API is still being
 * built) is listed with no source and shown as "not yet available"; adding it later means writing the
 * {@code @Benchmark} method and naming it here.
 */
final class Catalogue {
    private Catalogue() {
    }

    /** Who makes the call. */
    enum Impl {
        C("C"), OURS("posix-send"), NIO("java.nio"), NETTY("Netty epoll"),
        /** Diagnostic rows: a primitive-only native that checks nothing (jni_floor.c), the floor of any JNI binding. */
        BARE_JNI("bare JNI");

        final String label;

        Impl(String label) {
            this.label = label;
        }
    }

    /** What the issue asks of a row, compared with the group's C median; null when it asks nothing. */
    record Target(String text, double ratio, double plusNs) {
        static Target ratio(double r) {
            return new Target("<= " + r + "x C", r, 0);
        }

        static Target plus(double ns) {
            return new Target("<= C + " + (int) ns + " ns", 0, ns);
        }

        boolean met(double median, double cMedian) {
            return ratio > 0 ? median <= ratio * cMedian : median <= cMedian + plusNs;
        }
    }

    /**
     * One row. {@code source} is the C case name for {@link Impl#C}, otherwise the simple name of a JMH
     * benchmark ({@code Class.method}); null when the row is not available yet.
     * {@code perBackend} rows run once for every backend of {@link #BACKENDS}.
     */
    record Row(Impl impl, String label, String source, boolean perBackend, Target target) {
        static Row c(String cCase) {
            return new Row(Impl.C, "C " + cCase, cCase, false, null);
        }

        static Row ours(String label, String benchmark, Target target) {
            return new Row(Impl.OURS, label, benchmark, true, target);
        }

        static Row pending(Impl impl, String label) {
            return new Row(impl, label, null, false, null);
        }

        static Row peer(Impl impl, String label, String benchmark) {
            return new Row(impl, label, benchmark, false, null);
        }

        boolean available() {
            return source != null;
        }
    }

    /** A group: an operation, what one "op" is, and its rows (the C row first). */
    record Group(String id, String title, String per, List<Row> rows) {
        Row cRow() {
            return rows.get(0);
        }
    }

    /** The backends of posix-send that the ours-rows run on. The JNR backend (issue 4) joins when it lands. */
    static final List<String> BACKENDS = List.of("jni");

    private static final Target SEND_PATH = Target.ratio(1.03);

    static final List<Group> GROUPS = List.of(
            new Group("send", "send 64 B, connected UDP", "datagram", List.of(
                    Row.c("send"),
                    Row.ours("send direct ByteBuffer", "PosixSendBench.sendDirect", SEND_PATH),
                    Row.ours("send heap ByteBuffer", "PosixSendBench.sendHeap", SEND_PATH),
                    Row.ours("send byte[]", "PosixSendBench.sendArray", SEND_PATH),
                    Row.peer(Impl.NIO, "DatagramChannel.write", "NioBench.write"),
                    Row.peer(Impl.NETTY, "LinuxSocket.send", "NettyBench.send"),
                    Row.peer(Impl.BARE_JNI, "send(fd, address, len) unchecked", "JniFloorBench.send"))),
            new Group("sendto", "sendto 64 B, unconnected UDP", "datagram", List.of(
                    Row.c("sendto"),
                    Row.ours("sendto SockAddr", "PosixSendBench.sendtoSockAddr", SEND_PATH),
                    Row.ours("sendto InetSocketAddress", "PosixSendBench.sendtoInetSocketAddress", null),
                    Row.peer(Impl.NIO, "DatagramChannel.send", "NioBench.send"),
                    Row.peer(Impl.NETTY, "LinuxSocket.sendTo", "NettyBench.sendTo"))),
            new Group("gather", "gathering 2 x 32 B, connected UDP (sendmsg / writev)", "datagram", List.of(
                    Row.c("sendmsg_2iov"),
                    Row.pending(Impl.OURS, "sendmsg 2 iovecs"),
                    Row.peer(Impl.NIO, "DatagramChannel.write(ByteBuffer[])", "NioBench.gatheringWrite"),
                    Row.peer(Impl.NETTY, "FileDescriptor.writev", "NettyBench.writev"))),
            new Group("gather_dest", "sendmsg 2 x 32 B with a destination, unconnected UDP", "datagram", List.of(
                    Row.c("sendmsg_2iov_dest"),
                    Row.pending(Impl.OURS, "sendmsg 2 iovecs + destination"))),
            batch("sendmmsg_1", "sendmmsg, batch of 1"),
            batch("sendmmsg_8", "sendmmsg, batch of 8"),
            batch("sendmmsg_32", "sendmmsg, batch of 32"),
            batch("sendmmsg_64", "sendmmsg, batch of 64"),
            batch("sendmmsg_256", "sendmmsg, batch of 256"),
            batch("sendmmsg_dest_1", "sendmmsg with destinations, batch of 1"),
            batch("sendmmsg_dest_8", "sendmmsg with destinations, batch of 8"),
            batch("sendmmsg_dest_32", "sendmmsg with destinations, batch of 32"),
            batch("sendmmsg_dest_64", "sendmmsg with destinations, batch of 64"),
            batch("sendmmsg_dest_256", "sendmmsg with destinations, batch of 256"),
            new Group("udp_segment", "UDP_SEGMENT, 64 x 1000 B in one sendmsg", "datagram", List.of(
                    Row.c("udp_segment_64x1000"),
                    Row.pending(Impl.OURS, "sendmsg + UDP_SEGMENT"))),
            new Group("wouldblock", "would-block, full AF_UNIX datagram socketpair", "call", List.of(
                    Row.c("wouldblock"),
                    Row.ours("trySend (-EAGAIN)", "PosixErrorBench.wouldBlockTry", Target.ratio(1.10)),
                    Row.ours("send (WouldBlockException)", "PosixErrorBench.wouldBlockThrow", Target.ratio(2.0)),
                    Row.peer(Impl.BARE_JNI, "send(fd, address, len) unchecked", "JniFloorBench.wouldBlock"))),
            new Group("ebadf", "EBADF floor, send on descriptor -1", "call", List.of(
                    Row.c("ebadf"),
                    Row.ours("trySend (-EBADF)", "PosixErrorBench.badDescriptorTry", Target.plus(12)),
                    Row.ours("trySend byte[] (-EBADF)", "PosixErrorBench.badDescriptorTryArray", Target.plus(12)),
                    Row.ours("send (BadDescriptorException)", "PosixErrorBench.badDescriptorThrow", null),
                    Row.peer(Impl.BARE_JNI, "send(-1, address, len) unchecked", "JniFloorBench.badDescriptor"),
                    Row.peer(Impl.BARE_JNI, "1000 x send(-1) in one native call, per call", "JniFloorBench.badDescriptorInC"),
                    Row.peer(Impl.BARE_JNI, "no-op native (transition only, no syscall)", "JniFloorBench.transitionOnly"))));

    private static Group batch(String cCase, String title) {
        return new Group(cCase, title + " (per datagram)", "datagram", List.of(
                Row.c(cCase),
                Row.pending(Impl.OURS, "sendmmsg"),
                Row.pending(Impl.NETTY, "Native.sendmmsg")));
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.Os;
import io.github.posixsend.Posix;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.ConstantTable;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import io.github.posixsend.testing.SideBySide;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The message plan path of each Java-side backend (JNR, FFM) against the JNI shim's, side by side in one JVM: the same
 * malformed plan gives the same {@code -errno} and leaves the plan in the same state on both, the same well-formed
 * message puts the same datagram with the same ancillary data on the wire whichever backend sends it and is read
 * back the same whichever backend receives it.
 */
@ParameterizedClass
@FieldSource("io.github.posixsend.testing.SideBySide#JAVA_SIDE")
class PlansMatchJniTest {
    private static final Os OS = Os.current();
    private static final int DONTWAIT = io.github.posixsend.MsgFlag.MSG_DONTWAIT.value();

    private final Backend jni = SideBySide.jni();
    /** The Java-side backend compared with the shim. */
    private final Backend other;

    PlansMatchJniTest(String backend) {
        this.other = SideBySide.javaSide(backend);
    }

    private static int c(String name) {
        return ConstantTable.value(name, OS);
    }

    /** Builds the same plan into a fresh MessagePlan for each backend. */
    private interface PlanBuilder {
        void build(MessagePlan p);
    }

    private static byte[] ipv4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    private static byte[] loopback6() {
        byte[] a = new byte[16];
        a[15] = 1;
        return a;
    }

    /** The sockaddr image of a bound socket's address, as the backend builds it. */
    private byte[] nameOf(int fd) throws Exception {
        java.net.InetSocketAddress a = Descriptors.addressOf(fd);
        byte[] out = new byte[128];
        int len = jni.sockaddrInet(out, a.getAddress().getAddress(), a.getPort(), 0, 0);
        assertTrue(len > 0);
        return Arrays.copyOf(out, len);
    }

    private static int staged(MessagePlan p, byte[] bytes) {
        int off = p.data(bytes.length);
        p.buffer().put(off, bytes, 0, bytes.length);
        return off;
    }

    // ---- malformed plans ----------------------------------------------------------------------------------------

    /**
     * A send plan of {@code messages} messages to a name, each with two staged iovs and one direct iov, and four
     * control messages in all (IP_TTL, IP_PKTINFO, a raw one, SCM_RIGHTS of two descriptors); a recvmsg plan
     * when {@code receive}.
     */
    private static PlanBuilder sample(int messages, boolean receive, byte[] name, ByteBuffer direct) {
        return p -> {
            int iovs = 3 * messages;
            int cmsgs = 4;
            p.begin(messages, iovs, cmsgs, 2048);
            int raw = staged(p, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
            int fds = staged(p, new byte[8]); // descriptors 0 and 0: never sent, the descriptor is -1
            p.cmsg(0, c("IPPROTO_IP"), c("IP_TTL"), MessagePlan.KIND_INT, 0, 0, 9, null);
            p.cmsg(1, c("IPPROTO_IP"), c("IP_PKTINFO"), MessagePlan.KIND_IN_PKTINFO, 0, 0, 1, ipv4(127, 0, 0, 2));
            p.cmsg(2, c("SOL_SOCKET"), 99, MessagePlan.KIND_RAW, raw, 12, 0, null);
            p.cmsg(3, c("SOL_SOCKET"), c("SCM_RIGHTS"), MessagePlan.KIND_RIGHTS, fds, 8, 0, null);
            for (int i = 0; i < messages; i++) {
                int nameOff = receive ? p.data(128) : staged(p, name);
                int nameLen = receive ? 128 : name.length;
                p.iovStaged(3 * i, staged(p, new byte[] {'a', 'b', 'c', (byte) i}), 4);
                p.iovStaged(3 * i + 1, p.data(16), receive ? 16 : 0);
                p.iovDirect(3 * i + 2, p.addBuffer(direct), 3 + i, 20);
                int first = receive ? 0 : i % cmsgs;
                int count = receive ? cmsgs : Math.min(messages == 1 ? cmsgs : 2, cmsgs - first);
                int space = 0;
                for (int k = first; k < first + count && !receive; k++) {
                    space += MessagePlan.cmsgSpace(k == 0 ? 4 : k == 1 ? 12 : k == 2 ? 12 : 8);
                }
                int ctlOff = receive ? p.data(256) : 0;
                p.message(i, nameOff, nameLen, 3 * i, 3, first, count, ctlOff, receive ? 256 : space);
            }
        };
    }

    private interface PlanCall {
        long call(Backend b, MessagePlan p);
    }

    @Test
    void malformedPlansGetTheSameErrnoAndLeaveTheSamePlan() throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        byte[] name = new byte[16];
        jni.sockaddrInet(name, ipv4(127, 0, 0, 1), 9, 0, 0);
        PlanBuilder[] builders = {sample(1, false, name, direct), sample(3, false, name, direct),
            sample(1, true, name, direct)};
        // The descriptor is -1: whatever the plan says, nothing reaches the network, and a plan the backend
        // accepts ends in EBADF from the kernel, one it refuses in EINVAL, so the two outcomes tell them apart.
        // sendmmsg's vlen: the header's count as the edits left it, fewer, and one more, which the backends refuse
        // against their own copy of that count; its off: the last message alone, and one past it
        PlanCall[] calls = {
            (b, p) -> b.sendmsg(-1, p, DONTWAIT),
            (b, p) -> b.sendmmsg(-1, p, 0, p.buffer().getInt(MessagePlan.H_MESSAGES), DONTWAIT),
            (b, p) -> b.sendmmsg(-1, p, 0, 1, DONTWAIT),
            (b, p) -> b.sendmmsg(-1, p, 0, p.buffer().getInt(MessagePlan.H_MESSAGES) + 1, DONTWAIT),
            (b, p) -> b.sendmmsg(-1, p, p.buffer().getInt(MessagePlan.H_MESSAGES) - 1, 1, DONTWAIT),
            (b, p) -> b.sendmmsg(-1, p, p.buffer().getInt(MessagePlan.H_MESSAGES), 1, DONTWAIT),
            (b, p) -> b.recvmsg(-1, p, DONTWAIT)};
        MessagePlan pa = io.github.posixsend.TestPlans.create();
        MessagePlan pb = io.github.posixsend.TestPlans.create();
        Random rnd = new Random(4_2026_1123L);
        int ebadf = -io.github.posixsend.Errno.EBADF.numberOn(OS);
        int einval = -io.github.posixsend.Errno.EINVAL.numberOn(OS);
        int accepted = 0;
        int refused = 0;
        for (int round = 0; round < 10_000; round++) {
            PlanBuilder builder = builders[round % builders.length];
            builder.build(pa);
            int cap = pa.buffer().capacity();
            int[] hostile = {-1, 0, 1, 2, 3, 4, 7, 8, 12, 16, 20, 24, 56, 127, 128, 129, 1024, 1025, cap - 8, cap - 1,
                cap, cap + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 7, 1 << 20};
            int[] fields = fields(pa);
            int edits = round < 30 ? 0 : 1 + rnd.nextInt(3);
            int[] at = new int[edits];
            int[] value = new int[edits];
            for (int e = 0; e < edits; e++) {
                at[e] = fields[rnd.nextInt(fields.length)];
                switch (rnd.nextInt(3)) {
                    case 0: // just off the right value: where a check's bound is one too loose or too tight
                        value[e] = pa.buffer().getInt(at[e]) + rnd.nextInt(19) - 9;
                        break;
                    case 1:
                        value[e] = hostile[rnd.nextInt(hostile.length)];
                        break;
                    default:
                        value[e] = rnd.nextInt();
                        break;
                }
            }
            PlanCall call = calls[rnd.nextInt(calls.length)];
            long[] results = new long[2];
            MessagePlan[] plans = {pa, pb};
            Backend[] backends = {jni, other};
            for (int side = 0; side < 2; side++) {
                builder.build(plans[side]);
                for (int e = 0; e < edits; e++) {
                    plans[side].buffer().putInt(at[e], value[e]);
                }
                results[side] = call.call(backends[side], plans[side]);
            }
            String what = "round " + round + " edits " + Arrays.toString(at) + " = " + Arrays.toString(value);
            assertEquals(results[0], results[1], what + ": result");
            assertTrue(results[0] == ebadf || results[0] == einval, what + ": EBADF or EINVAL, got " + results[0]);
            assertEquals(pa.buffer().duplicate().clear(), pb.buffer().duplicate().clear(), what + ": plan after");
            if (results[0] == ebadf) {
                accepted++;
            } else {
                refused++;
            }
        }
        assertTrue(accepted > 100 && refused > 100, accepted + " plans accepted, " + refused + " refused");
    }

    /** Every int field of the header and the records. */
    private static int[] fields(MessagePlan p) {
        ByteBuffer b = p.buffer();
        List<Integer> out = new ArrayList<>();
        for (int f = 4; f < MessagePlan.HEADER; f += 4) {
            out.add(f);
        }
        for (int i = 0; i < b.getInt(MessagePlan.H_MESSAGES); i++) {
            for (int f = 0; f < MessagePlan.MSG; f += 4) {
                out.add(p.messageRecord(i) + f);
            }
        }
        for (int j = 0; j < b.getInt(MessagePlan.H_IOV_COUNT); j++) {
            int r = b.getInt(MessagePlan.H_IOV_OFF) + j * MessagePlan.IOV;
            out.add(r + MessagePlan.I_BUFFER);
            out.add(r + MessagePlan.I_OFF);
            out.add(r + MessagePlan.I_LEN);
        }
        for (int k = 0; k < b.getInt(MessagePlan.H_CMSG_COUNT); k++) {
            for (int f = 0; f < MessagePlan.C_ADDRESS; f += 4) {
                out.add(p.cmsgRecord(k) + f);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void aReceiveWithLessNameRoomThanAnyAddressIsRefusedBeforeTheKernel() throws Exception {
        // the kernel reports a cut address by its full length: a backend must never let Java read that many bytes
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair pair = fds.udpPair(false);
            Posix.send(pair.a, new byte[] {1, 2, 3}, 0, 3, 0);
            ByteBuffer direct = ByteBuffer.allocateDirect(64);
            int einval = -io.github.posixsend.Errno.EINVAL.numberOn(OS);
            for (Backend b : new Backend[] {jni, other}) {
                MessagePlan p = io.github.posixsend.TestPlans.create();
                receivePlan(p, direct);
                p.buffer().putInt(p.messageRecord(0) + MessagePlan.M_NAME_LEN, 16);
                assertEquals(einval, b.recvmsg(pair.b, p, DONTWAIT), b.name());
            }
            MessagePlan p = io.github.posixsend.TestPlans.create();
            assertEquals(3, receive(jni, pair.b, p, direct), "the datagram is still there");
        }
    }

    // ---- well-formed messages on the wire -----------------------------------------------------------------------

    /** A recvmsg plan: 128 bytes of name room, a staged and a direct iov, room for 6 control messages. */
    private static void receivePlan(MessagePlan p, ByteBuffer direct) {
        for (int i = 0; p.buffer() != null && i < p.buffer().capacity(); i += 8) {
            p.buffer().putLong(i, 0L); // no bytes of an earlier, longer message left in the staged and copy areas
        }
        p.begin(1, 2, 6, 1024);
        int nameOff = p.data(128);
        p.iovStaged(0, p.data(24), 24);
        p.iovDirect(1, p.addBuffer(direct), 0, direct.capacity());
        for (int k = 0; k < 6; k++) {
            p.cmsg(k, 0, 0, 0, 0, 0, 0, null);
        }
        int ctlOff = p.data(512);
        p.message(0, nameOff, 128, 0, 2, 0, 6, ctlOff, 512);
    }

    /**
     * What a backend received: the call's result, the whole plan (name, out fields, records, copies) and the
     * direct buffer, in hex.
     */
    private static String snapshot(long result, MessagePlan p, ByteBuffer direct) {
        StringBuilder sb = new StringBuilder().append(result).append(" plan ");
        hex(sb, p.buffer());
        sb.append(" direct ");
        hex(sb, direct);
        return sb.toString();
    }

    /** The buffer's bytes in hex, without its trailing zeros. */
    private static void hex(StringBuilder sb, ByteBuffer b) {
        int end = b.capacity();
        while (end > 0 && b.get(end - 1) == 0) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            sb.append(String.format("%02x", b.get(i)));
        }
    }

    /** Receives one datagram through {@code b}, polling without blocking for at most about two seconds. */
    private static long receive(Backend b, int fd, MessagePlan p, ByteBuffer direct) throws Exception {
        int eagain = -io.github.posixsend.Errno.EAGAIN.numberOn(OS);
        for (int i = 0; i < 400; i++) {
            receivePlan(p, direct);
            for (int k = 0; k < direct.capacity(); k++) {
                direct.put(k, (byte) 0);
            }
            long n = b.recvmsg(fd, p, DONTWAIT);
            if (n != eagain) {
                return n;
            }
            Thread.sleep(5);
        }
        return eagain;
    }

    private static void enable(Backend b, int fd, String level, String name) {
        assertEquals(0, b.setsockoptInt(fd, ConstantTable.value(level, OS), ConstantTable.value(name, OS), 1), name);
    }

    /**
     * A message with two staged iovs, a direct one and the given control messages, sent by each backend and read
     * back by each: all four readings are the same.
     */
    private void sameOnTheWire(int tx, int rx, byte[] name, PlanBuilder controls, int cmsgs, int space, int payload)
            throws Exception {
        ByteBuffer out = ByteBuffer.allocateDirect(32);
        for (int i = 0; i < 32; i++) {
            out.put(i, (byte) (100 + i));
        }
        PlanBuilder send = p -> {
            p.begin(1, 3, cmsgs, 1024);
            int nameOff = staged(p, name);
            p.iovStaged(0, staged(p, "plan ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 5);
            p.iovDirect(1, p.addBuffer(out), 4, payload);
            p.iovStaged(2, staged(p, new byte[] {'!'}), 1);
            controls.build(p);
            p.message(0, nameOff, name.length, 0, 3, 0, cmsgs, 0, space);
        };
        Backend[] backends = {jni, other};
        List<String> readings = new ArrayList<>();
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        MessagePlan rp = io.github.posixsend.TestPlans.create();
        for (int s = 0; s < 2; s++) {
            for (Backend receiver : backends) {
                MessagePlan sp = io.github.posixsend.TestPlans.create();
                send.build(sp);
                long sent = backends[s].sendmsg(tx, sp, 0);
                assertEquals(6 + payload, sent, backends[s].name() + " sends");
                long got = receive(receiver, rx, rp, in);
                readings.add(snapshot(got, rp, in));
                assertEquals(6 + payload, got, backends[s].name() + " to " + receiver.name());
            }
        }
        for (int i = 1; i < readings.size(); i++) {
            assertEquals(readings.get(0), readings.get(i),
                    "reading " + i + " (sender, receiver: jni/jni, jni/" + other.name() + ", " + other.name() + "/jni, "
                            + other.name() + "/" + other.name() + ")");
        }
    }

    @Test
    void ipv4MessagesAreTheSameOnTheWire() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            int tx = fds.boundUdp(false);
            enable(jni, rx, "IPPROTO_IP", "IP_PKTINFO");
            enable(jni, rx, "IPPROTO_IP", "IP_RECVTTL");
            enable(jni, rx, "IPPROTO_IP", "IP_RECVTOS");
            byte[] raw = new byte[4];
            java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.nativeOrder()).putInt(0, 0x20);
            PlanBuilder controls = p -> {
                int rawOff = staged(p, raw);
                p.cmsg(0, c("IPPROTO_IP"), c("IP_TTL"), MessagePlan.KIND_INT, 0, 0, 17, null);
                p.cmsg(1, c("IPPROTO_IP"), c("IP_PKTINFO"), MessagePlan.KIND_IN_PKTINFO, 0, 0, 0, ipv4(127, 0, 0, 1));
                p.cmsg(2, c("IPPROTO_IP"), c("IP_TOS"), MessagePlan.KIND_RAW, rawOff, 4, 0, null);
            };
            int space = MessagePlan.cmsgSpace(4) + MessagePlan.cmsgSpace(12) + MessagePlan.cmsgSpace(4);
            sameOnTheWire(tx, rx, nameOf(rx), controls, 3, space, 20);
        }
    }

    @Test
    void ipv6MessagesAreTheSameOnTheWire() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(true);
            int tx = fds.boundUdp(true);
            enable(jni, rx, "IPPROTO_IPV6", "IPV6_RECVPKTINFO");
            enable(jni, rx, "IPPROTO_IPV6", "IPV6_RECVHOPLIMIT");
            enable(jni, rx, "IPPROTO_IPV6", "IPV6_RECVTCLASS");
            PlanBuilder controls = p -> {
                p.cmsg(0, c("IPPROTO_IPV6"), c("IPV6_PKTINFO"), MessagePlan.KIND_IN6_PKTINFO, 0, 0, 0, loopback6());
                p.cmsg(1, c("IPPROTO_IPV6"), c("IPV6_HOPLIMIT"), MessagePlan.KIND_INT, 0, 0, 5, null);
                p.cmsg(2, c("IPPROTO_IPV6"), c("IPV6_TCLASS"), MessagePlan.KIND_INT, 0, 0, 0x20, null);
            };
            int space = MessagePlan.cmsgSpace(20) + 2 * MessagePlan.cmsgSpace(4);
            sameOnTheWire(tx, rx, nameOf(rx), controls, 3, space, 0);
        }
    }

    @Test
    void udpSegmentsAreTheSameOnTheWire() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int rx = fds.boundUdp(false);
            int tx = fds.boundUdp(false);
            byte[] name = nameOf(rx);
            // 6 + 26 bytes in segments of 8: four datagrams, the last one 8 bytes long too
            PlanBuilder controls =
                    p -> p.cmsg(0, c("IPPROTO_UDP"), c("UDP_SEGMENT"), MessagePlan.KIND_UINT16, 0, 0, 8, null);
            ByteBuffer out = ByteBuffer.allocateDirect(32);
                ByteBuffer in = ByteBuffer.allocateDirect(64);
            MessagePlan rp = io.github.posixsend.TestPlans.create();
            List<List<String>> bySender = new ArrayList<>();
            for (Backend sender : new Backend[] {jni, other}) {
                MessagePlan sp = io.github.posixsend.TestPlans.create();
                sp.begin(1, 1, 1, 256);
                int nameOff = staged(sp, name);
                sp.iovDirect(0, sp.addBuffer(out), 0, 32);
                controls.build(sp);
                sp.message(0, nameOff, name.length, 0, 1, 0, 1, 0, MessagePlan.cmsgSpace(2));
                assertEquals(32, sender.sendmsg(tx, sp, 0), sender.name());
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    long n = receive(other, rx, rp, in);
                    assertEquals(8, n, sender.name() + " segment " + i);
                    got.add(snapshot(n, rp, in));
                }
                bySender.add(got);
            }
            assertEquals(bySender.get(0), bySender.get(1));
        }
    }

    /**
     * Linux's received counts: a datagram kept whole by UDP_GRO, queued after drops on a socket with SO_RXQ_OVFL,
     * carries its segment size and the drop count; each backend reads them into the same records, as ints.
     */
    @Test
    void receivedCountsAreReadTheSame() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(OS == Os.LINUX, "UDP_GRO and SO_RXQ_OVFL are Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            enable(jni, p.b, "SOL_UDP", "UDP_GRO");
            enable(jni, p.b, "SOL_SOCKET", "SO_RXQ_OVFL");
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1);
            ByteBuffer burst = ByteBuffer.allocateDirect(1000);
            for (int i = 0; i < 64; i++) {
                assertEquals(1000, Posix.trySend(p.a, burst.clear(), 0));
            }
            int kept = 0;
            int eagain = -io.github.posixsend.Errno.EAGAIN.numberOn(OS);
            for (int quiet = 0; quiet < 20 && kept <= 64; ) {
                if (Posix.tryRecv(p.b, burst.clear(), DONTWAIT) == eagain) {
                    quiet++;
                    Thread.sleep(5);
                } else {
                    kept++;
                    quiet = 0;
                }
            }
            assertTrue(kept > 0 && kept < 64, kept + " of 64 kept");
            List<String> readings = new ArrayList<>();
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            MessagePlan rp = io.github.posixsend.TestPlans.create();
            for (Backend receiver : new Backend[] {jni, other}) {
                try (io.github.posixsend.Message out = io.github.posixsend.Message.of(ByteBuffer.allocateDirect(32))
                        .addControl(io.github.posixsend.ControlMessage.udpSegment(8))) {
                    assertEquals(32, Posix.sendmsg(p.a, out, 0));
                }
                assertEquals(32, receive(receiver, p.b, rp, in), receiver.name());
                assertEquals(2, rp.messageInt(0, MessagePlan.M_OUT_CMSGS), receiver.name());
                for (int k = 0; k < 2; k++) {
                    assertEquals(MessagePlan.KIND_INT, rp.cmsgInt(k, MessagePlan.C_KIND), receiver.name() + " " + k);
                    int expected = rp.cmsgInt(k, MessagePlan.C_TYPE) == c("UDP_GRO") ? 8 : 64 - kept;
                    assertEquals(expected, rp.cmsgInt(k, MessagePlan.C_VALUE), receiver.name() + " " + k);
                }
                readings.add(snapshot(32, rp, in));
            }
            assertEquals(readings.get(0), readings.get(1), "jni, then " + other.name());
        }
    }

    @Test
    void batchesAreTheSameOnTheWire() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int[] rx = {fds.boundUdp(false), fds.boundUdp(false)};
            byte[][] names = {nameOf(rx[0]), nameOf(rx[1])};
            int tx = fds.boundUdp(false);
            for (int r : rx) {
                enable(jni, r, "IPPROTO_IP", "IP_RECVTTL");
            }
            int n = 6;
            PlanBuilder batch = p -> {
                p.begin(n, n, n, 1024);
                for (int i = 0; i < n; i++) {
                    int nameOff = staged(p, names[i % 2]);
                    byte[] body = new byte[3 + i];
                    Arrays.fill(body, (byte) ('a' + i));
                    p.iovStaged(i, staged(p, body), body.length);
                    p.cmsg(i, c("IPPROTO_IP"), c("IP_TTL"), MessagePlan.KIND_INT, 0, 0, 10 + i, null);
                    p.message(i, nameOff, names[i % 2].length, i, 1, i, 1, 0, MessagePlan.cmsgSpace(4));
                }
            };
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            MessagePlan rp = io.github.posixsend.TestPlans.create();
            List<List<String>> bySender = new ArrayList<>();
            for (Backend sender : new Backend[] {jni, other}) {
                MessagePlan sp = io.github.posixsend.TestPlans.create();
                batch.build(sp);
                assertEquals(n, sender.sendmmsg(tx, sp, 0, n, 0), sender.name());
                List<String> got = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    assertEquals(3 + i, sp.outLen(i), sender.name() + " msg_len of message " + i);
                }
                for (int r = 0; r < 2; r++) {
                    for (int i = 0; i < n / 2; i++) {
                        Backend receiver = i % 2 == 0 ? jni : other;
                        long len = receive(receiver, rx[r], rp, in);
                        assertEquals(3 + 2 * i + r, len, sender.name() + " message to receiver " + r);
                        got.add(snapshot(len, rp, in));
                    }
                }
                bySender.add(got);
            }
            assertEquals(bySender.get(0), bySender.get(1));
        }
    }

    /** Whether {@code fd} is an open socket named {@code name}. */
    private static boolean namesSocket(int fd, InetSocketAddress name) {
        try {
            return name.equals(Posix.getsockname(fd));
        } catch (ErrnoException | RuntimeException e) {
            return false; // no socket, or one of a kind with no such name
        }
    }

    @Test
    void descriptorsPassTheSameWay() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int passed = fds.boundUdp(false);
            InetSocketAddress name = Descriptors.addressOf(passed); // its port is its own on loopback
            byte[] rights = new byte[8];
            ByteBuffer.wrap(rights).order(java.nio.ByteOrder.nativeOrder()).putInt(0, passed).putInt(4, passed);
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            MessagePlan rp = io.github.posixsend.TestPlans.create();
            List<String> readings = new ArrayList<>();
            for (Backend sender : new Backend[] {jni, other}) {
                for (Backend receiver : new Backend[] {jni, other}) {
                    MessagePlan sp = io.github.posixsend.TestPlans.create();
                    sp.begin(1, 1, 1, 256);
                    sp.iovStaged(0, staged(sp, new byte[] {'f', 'd'}), 2);
                    int fdsOff = staged(sp, rights);
                    sp.cmsg(0, c("SOL_SOCKET"), c("SCM_RIGHTS"), MessagePlan.KIND_RIGHTS, fdsOff, 8, 0, null);
                    sp.message(0, 0, 0, 0, 1, 0, 1, 0, MessagePlan.cmsgSpace(8));
                    assertEquals(2, sender.sendmsg(p.a, sp, 0), sender.name());
                    long n = receive(receiver, p.b, rp, in);
                    assertEquals(2, n, sender.name() + " to " + receiver.name());
                    assertEquals(1, rp.messageInt(0, MessagePlan.M_OUT_CMSGS));
                    assertEquals(MessagePlan.KIND_RIGHTS, rp.cmsgInt(0, MessagePlan.C_KIND));
                    assertEquals(8, rp.cmsgInt(0, MessagePlan.C_DATA_LEN));
                    int at = rp.cmsgInt(0, MessagePlan.C_DATA_OFF);
                    int[] got = {rp.buffer().getInt(at), rp.buffer().getInt(at + 4)};
                    // a number with the passed socket's name is a received copy of it, and so the test's to close;
                    // any other number may be one the JVM holds, left alone
                    boolean[] copy = {namesSocket(got[0], name) && got[0] != passed,
                        namesSocket(got[1], name) && got[1] != passed && got[1] != got[0]};
                    try {
                        for (int k = 0; k < 2; k++) {
                            assertTrue(copy[k], sender.name() + " to " + receiver.name() + ": descriptor " + got[k]
                                    + " of " + Arrays.toString(got) + " is not a new copy of " + passed
                                    + " (" + name + ")");
                        }
                    } finally {
                        for (int k = 0; k < 2; k++) {
                            if (copy[k]) {
                                jni.close(got[k]); // open, as getsockname just showed
                            }
                        }
                    }
                    for (int k = 0; k < 2; k++) {
                        rp.buffer().putInt(at + 4 * k, 0); // the numbers differ between calls: compare the rest
                    }
                    readings.add(snapshot(n, rp, in));
                }
            }
            for (int i = 1; i < readings.size(); i++) {
                assertEquals(readings.get(0), readings.get(i), "reading " + i);
            }
        }
    }
}

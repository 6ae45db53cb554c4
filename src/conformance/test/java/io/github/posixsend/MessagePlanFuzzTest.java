// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Corrupted plans never crash the backend: numbers in the header and the records are replaced by hostile
 * values (seeded, so a failure reproduces), and every call must end with a count or {@code -errno}. Each message
 * has a staged iov and one in a listed direct buffer, whose index is corrupted too: a backend reaches a direct
 * buffer only through the list, and checks the range against the buffer's own capacity.
 */
class MessagePlanFuzzTest {
    private static final Backend B = Backends.current();

    /** A plan of two messages, each with a destination, two staged iovs and an IP_TTL control message. */
    private static final ByteBuffer DIRECT = ByteBuffer.allocateDirect(64);
    /**
     * The {@code vlen} of each sendmmsg round in turn: the plan's two messages, fewer, none, and counts the backend
     * must refuse against its own copy of the (perhaps corrupted) count.
     */
    private static final int[] VLENS = {2, 1, 0, 3, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1025};

    private static void build(MessagePlan p, byte[] name, int nameLen) {
        p.begin(2, 4, 2, 1024);
        int listed = p.addBuffer(DIRECT);
        for (int i = 0; i < 2; i++) {
            int nameOff = p.data(nameLen);
            p.buffer().put(nameOff, name, 0, nameLen);
            int off = p.data(8);
            p.iovStaged(2 * i, off, 8);
            p.iovDirect(2 * i + 1, listed, 8 * i, 8);
            p.cmsg(i, Posix.IPPROTO_IP, Posix.IP_TTL, MessagePlan.KIND_INT, 0, 0, 9, null);
            p.message(i, nameOff, nameLen, 2 * i, 2, i, 1, 0, MessagePlan.cmsgSpace(4));
        }
    }

    @Test
    void corruptedPlansGiveErrnoNotCrashes() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            // A corrupted name offset can make any plan bytes the destination. The sender is bound to 127.0.0.1,
            // and Linux routes nothing from a loopback source to a non-loopback destination (EINVAL), so no
            // datagram of this test can leave the host whatever address the corruption forms.
            int b = fds.boundUdp(false);
            int a = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.bind(a, Descriptors.loopback(false));
            Posix.connect(a, Descriptors.addressOf(b));
            Descriptors.Pair p = new Descriptors.Pair(a, b);
            SockAddr to = SockAddr.of(Descriptors.addressOf(p.b));
            byte[] name = to.image();

            MessagePlan plan = new MessagePlan("fuzzed plan");
            build(plan, name, name.length);
            int cap = plan.buffer().capacity();
            int[] fields = new int[64];
            int n = 0;
            for (int f = 4; f < MessagePlan.HEADER; f += 4) {
                fields[n++] = f;
            }
            for (int f = 0; f < 32; f += 4) {
                fields[n++] = plan.messageRecord(1) + f;
            }
            int iov1 = plan.buffer().getInt(MessagePlan.H_IOV_OFF) + MessagePlan.IOV;
            fields[n++] = iov1 + MessagePlan.I_BUFFER;
            fields[n++] = iov1 + MessagePlan.I_OFF;
            fields[n++] = iov1 + MessagePlan.I_LEN;
            int c1 = plan.cmsgRecord(1);
            fields[n++] = c1 + MessagePlan.C_KIND;
            fields[n++] = c1 + MessagePlan.C_DATA_OFF;
            fields[n++] = c1 + MessagePlan.C_DATA_LEN;
            int[] hostile = {-1, 0, 1, 2, 3, 4, 7, 8, 16, 56, 127, 128, 129, 1024, 1025, cap - 8, cap - 1, cap, cap + 1,
                Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 7, 1 << 20, 1 << 28};
            Random rnd = new Random(20261123);
            int ok = 0;
            int refused = 0;
            for (int round = 0; round < 20_000; round++) {
                build(plan, name, name.length);
                int edits = 1 + rnd.nextInt(3);
                for (int e = 0; e < edits; e++) {
                    int value = rnd.nextInt(4) == 0 ? rnd.nextInt() : hostile[rnd.nextInt(hostile.length)];
                    plan.buffer().putInt(fields[rnd.nextInt(n)], value);
                }
                long r;
                switch (round % 3) {
                    case 0:
                        r = B.sendmmsg(p.a, plan, 0, VLENS[round / 3 % VLENS.length], MsgFlag.MSG_DONTWAIT.value());
                        break;
                    case 1:
                        plan.buffer().putInt(MessagePlan.H_MESSAGES, 1);
                        r = B.sendmsg(p.a, plan, MsgFlag.MSG_DONTWAIT.value());
                        break;
                    default:
                        plan.buffer().putInt(MessagePlan.H_MESSAGES, 1);
                        r = B.recvmsg(p.b, plan, MsgFlag.MSG_DONTWAIT.value());
                        break;
                }
                if (r >= 0) {
                    ok++;
                } else {
                    assertNotNull(Errno.fromNumber((int) -r), "round " + round + ": a known errno, got " + r);
                    refused++;
                }
            }
            assertTrue(ok > 0 && refused > 0, "both outcomes seen: " + ok + " ok, " + refused + " refused");
        }
    }
}

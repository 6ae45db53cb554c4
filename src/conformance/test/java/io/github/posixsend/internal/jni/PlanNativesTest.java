// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import io.github.posixsend.TestPlans;
import io.github.posixsend.internal.MessagePlan;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The shim's message natives given what no MessagePlan would pass them: no ranges, a listed count the ranges
 * cannot hold, no plan memory or too little of it, an iov naming no listed buffer or a range beyond a buffer's
 * capacity. Each answers {@code -EINVAL} before the kernel is called.
 */
class PlanNativesTest {
    private static final int EINVAL = -Errno.EINVAL.number();
    /**
     * Each test thread's memory for the kept batch of its sends, as the backend gives each thread its own, with room
     * for these tests' batches from the start (the backend's grows to that after a first call).
     */
    private static final ThreadLocal<ByteBuffer> KEPT_SENDS =
            ThreadLocal.withInitial(() -> new KeptBatches(JniNative.keptLayout0(), 4096).memory());
    /** The same for its receives. */
    private static final ThreadLocal<ByteBuffer> KEPT_RECEIVES =
            ThreadLocal.withInitial(() -> new KeptBatches(JniNative.keptLayout0(), 4096).memory());

    /** A valid one-message plan whose one iov takes 4 bytes of listed buffer 0, {@code direct}. */
    private static MessagePlan plan(ByteBuffer direct) {
        MessagePlan p = TestPlans.create();
        p.begin(1, 1, 0, 64);
        p.iovDirect(0, p.addBuffer(direct), 0, 4);
        p.message(0, 0, 0, 0, 1, 0, 0, 0, 0);
        return p;
    }

    @Test
    void malformedArgumentsGetEinval() throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        int[] fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
        try {
            int fd = fds[0];
            ByteBuffer direct = ByteBuffer.allocateDirect(16);
            MessagePlan p = plan(direct);
            long[] ranges = p.ranges().clone();
            assertEquals(4, send(fd, ranges, 1), "the plan as made works");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, 0, 0, 3, 0, 0, 0, 0, null, 0), "no ranges");
            assertEquals(EINVAL, JniNative.recvmsg0(fd, 0, 0, 3, 0, 0, 0, 0, null, 0), "no ranges");
            assertEquals(EINVAL, JniNative.sendmmsg0(fd, KEPT_SENDS.get(), 0, 0, null, 0, 0, 0, 0), "no ranges");
            assertEquals(EINVAL, JniNative.sendmmsg0(fd, KEPT_SENDS.get(), 7, 0, null, 0, 0, 0, 0),
                    "no ranges, with a plan id");
            assertEquals(EINVAL, JniNative.recvmmsg0(fd, KEPT_RECEIVES.get(), 0, 0, null, 0, 0, 0, 0, -1),
                    "no ranges");
            assertEquals(1, JniNative.sendmmsg0(fd, KEPT_SENDS.get(), p.id(), p.generation(), ranges, 1, 0, 1, 0),
                    "the plan as made, as a batch");
            // the memory a kept batch needs at least: its head and the aligned unit after it, from an aligned address
            int[] layout = JniNative.keptLayout0();
            int least = layout[1] + layout[0];
            ByteBuffer aligned = ByteBuffer.allocateDirect(least + 2 * layout[0]).alignedSlice(layout[0]);
            ByteBuffer[] refused = {null, aligned.slice(0, least - 1), aligned.slice(8, least)};
            String[] why = {"no kept memory", "kept memory a byte short", "kept memory off its alignment"};
            for (int i = 0; i < refused.length; i++) {
                ByteBuffer kept = refused[i];
                assertEquals(EINVAL, JniNative.sendmmsg0(fd, kept, p.id(), p.generation(), ranges, 1, 0, 1, 0), why[i]);
                assertEquals(EINVAL, JniNative.recvmmsg0(fd, kept, p.id(), p.generation(), ranges, 1, 0, 1, 0, -1),
                        why[i]);
            }
            for (int i = 0; i < aligned.capacity(); i++) {
                assertEquals(0, aligned.get(i), "refused memory is left alone: byte " + i);
            }
            ByteBuffer leastMemory = aligned.slice(0, least);
            assertEquals(1, JniNative.sendmmsg0(fd, leastMemory, p.id(), p.generation(), ranges, 1, 0, 1, 0),
                    "the least memory: the batch built in memory of the call's own");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, 0, 0, 3, 0, 0, 0, 0, new long[1], 0),
                    "ranges without the plan's own");
            assertEquals(EINVAL, send(fd, ranges, -1), "a negative listed count");
            assertEquals(EINVAL, send(fd, ranges, (ranges.length - 2) / 2 + 1),
                    "more listed buffers than the ranges hold");
            assertEquals(EINVAL, send(fd, ranges, Integer.MAX_VALUE), "a huge listed count");
            assertEquals(EINVAL, send(fd, ranges, 0), "the iov names a buffer not listed");
            assertEquals(EINVAL, send(fd, with(ranges, 0, 0), 1), "no plan memory");
            assertEquals(EINVAL, send(fd, with(ranges, 1, 8), 1), "a plan below a header");
            assertEquals(EINVAL, send(fd, with(ranges, 1, -1), 1), "a negative plan capacity");
            assertEquals(EINVAL, send(fd, with(ranges, 1, 1L << 32), 1), "a plan above 2 GiB");
            assertEquals(EINVAL, send(fd, with(ranges, 2, 0), 1), "a listed buffer at address 0");
            assertEquals(EINVAL, send(fd, with(ranges, 3, 2), 1), "a listed buffer smaller than the range");
            assertEquals(EINVAL, send(fd, with(ranges, 3, -1), 1), "a negative buffer capacity");
            assertEquals(4, send(fd, ranges, 1), "the plan still works");
            // the same plan through the ranges array, as a call that lists more buffers than the arguments take
            assertEquals(4, viaArray(fd, ranges, 1), "the plan through the array");
            assertEquals(EINVAL, viaArray(fd, with(ranges, 3, 2), 1), "a listed buffer smaller than the range");
            assertEquals(EINVAL, viaArray(fd, with(ranges, 2, 0), 1), "a listed buffer at address 0");
        } finally {
            Posix.close(fds[0]);
            Posix.close(fds[1]);
        }
    }

    /**
     * A one-message plan of one iov: 4 bytes at {@code offset} of {@code direct}, no name, no control; the same
     * records serve a send and a receive.
     */
    private static void oneIovPlan(MessagePlan p, ByteBuffer direct, int offset) {
        p.begin(1, 1, 0, 0);
        p.iovDirect(0, p.addBuffer(direct), offset, 4);
        p.message(0, 0, 0, 0, 1, 0, 0, 0, 0);
    }

    private static int recvmmsg(int fd, MessagePlan p, long id) {
        return recvmmsg(fd, p, id, 1);
    }

    private static int recvmmsg(int fd, MessagePlan p, long id, int vlen) {
        return recvmmsg(fd, p, id, 0, vlen);
    }

    private static int recvmmsg(int fd, MessagePlan p, long id, int off, int vlen) {
        long[] r = p.ranges();
        return JniNative.recvmmsg0(fd, KEPT_RECEIVES.get(), id, p.generation(), r, p.listed(), off, vlen, 0, -1);
    }

    @Test
    void aKeptBatchIsUsedOnlyForItsPlanAndGeneration() throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        int[] fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
        try {
            ByteBuffer a = ByteBuffer.allocateDirect(16);
            ByteBuffer b = ByteBuffer.allocateDirect(16);
            MessagePlan p = TestPlans.create();
            oneIovPlan(p, a, 0);
            Posix.send(fds[1], new byte[] {1}, 0, 1, 0);
            assertEquals(1, recvmmsg(fds[0], p, p.id()));
            assertEquals(1, a.get(0));

            // records rewritten without a new generation (no MessagePlan does that): the kept structs are used
            p.iovDirect(0, 0, 8, 4);
            Posix.send(fds[1], new byte[] {2}, 0, 1, 0);
            assertEquals(1, recvmmsg(fds[0], p, p.id()));
            assertEquals(2, a.get(0), "built from the records as they were at this generation");
            assertEquals(0, a.get(8));

            // the same rewrite with plan id 0: nothing is kept, the records are read as they are
            Posix.send(fds[1], new byte[] {3}, 0, 1, 0);
            assertEquals(1, recvmmsg(fds[0], p, 0));
            assertEquals(3, a.get(8));

            // a new generation of the same plan, then another plan at the same generation number
            oneIovPlan(p, a, 12);
            Posix.send(fds[1], new byte[] {4}, 0, 1, 0);
            assertEquals(1, recvmmsg(fds[0], p, p.id()));
            assertEquals(4, a.get(12), "a new generation is built again");
            MessagePlan q = TestPlans.create();
            while (q.generation() < p.generation()) {
                oneIovPlan(q, b, 0);
            }
            assertEquals(p.generation(), q.generation());
            Posix.send(fds[1], new byte[] {5}, 0, 1, 0);
            assertEquals(1, recvmmsg(fds[0], q, q.id()));
            assertEquals(5, b.get(0), "another plan is built, whatever its generation");
            assertEquals(4, a.get(12));
        } finally {
            Posix.close(fds[0]);
            Posix.close(fds[1]);
        }
    }

    private static int sendmmsg(int fd, MessagePlan p, long id) {
        return sendmmsg(fd, p, id, 1);
    }

    private static int sendmmsg(int fd, MessagePlan p, long id, int vlen) {
        return sendmmsg(fd, p, id, 0, vlen);
    }

    private static int sendmmsg(int fd, MessagePlan p, long id, int off, int vlen) {
        return JniNative.sendmmsg0(fd, KEPT_SENDS.get(), id, p.generation(), p.ranges(), p.listed(), off, vlen, 0);
    }

    /**
     * C's vlen is checked against the shim's own copy of the plan's count, the one that sized the mmsghdr vector, on
     * the path that builds the vector and on the one that uses a kept vector: one above it (or below 0) is -EINVAL,
     * and nothing is sent or received; vlen 0 and vlen 1 of a two-message plan go to the kernel as they are.
     */
    @Test
    void vlenOutsideThePlansCountGetsEinvalBuiltOrKept() throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        int[] fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
        try {
            ByteBuffer out = numbered16();
            MessagePlan send = TestPlans.create();
            twoIovPlans(send, out);
            for (long id : new long[] {0, send.id()}) {
                assertEquals(EINVAL, sendmmsg(fds[0], send, id, 3), "vlen above the count, plan id " + id);
                assertEquals(EINVAL, sendmmsg(fds[0], send, id, -1), "vlen -1, plan id " + id);
                assertEquals(EINVAL, sendmmsg(fds[0], send, id, Integer.MAX_VALUE), "vlen max, plan id " + id);
            }
            assertEquals(0, sendmmsg(fds[0], send, send.id(), 0), "vlen 0, the vector kept");
            assertEquals(1, sendmmsg(fds[0], send, send.id(), 1), "vlen 1 of 2");
            assertEquals(EINVAL, sendmmsg(fds[0], send, send.id(), 3), "vlen above the kept count");
            assertEquals(100, firstByte(fds[1]));
            assertEquals(-Errno.EAGAIN.number(), Posix.tryRecv(fds[1], new byte[8], 0, 8,
                    MsgFlag.MSG_DONTWAIT.value()), "one datagram only");
            assertEquals(2, sendmmsg(fds[0], send, send.id(), 2));
            assertEquals(100, firstByte(fds[1]));
            assertEquals(104, firstByte(fds[1]));

            ByteBuffer in = ByteBuffer.allocateDirect(16);
            MessagePlan receive = TestPlans.create();
            twoIovPlans(receive, in);
            Posix.send(fds[0], new byte[] {7, 7, 7, 7}, 0, 4, 0);
            assertEquals(EINVAL, recvmmsg(fds[1], receive, 0, 3), "vlen above the count");
            assertEquals(1, recvmmsg(fds[1], receive, receive.id(), 1), "vlen 1 of 2, the vector kept");
            assertEquals(7, in.get(0));
            Posix.send(fds[0], new byte[] {8, 8, 8, 8}, 0, 4, 0);
            assertEquals(EINVAL, recvmmsg(fds[1], receive, receive.id(), 3), "vlen above the kept count");
            assertEquals(EINVAL, recvmmsg(fds[1], receive, receive.id(), -1), "vlen -1, kept");
            assertEquals(0, recvmmsg(fds[1], receive, receive.id(), 0), "vlen 0 takes nothing");
            assertEquals(1, recvmmsg(fds[1], receive, receive.id(), 1), "the datagram was still queued");
            assertEquals(8, in.get(0));
        } finally {
            Posix.close(fds[0]);
            Posix.close(fds[1]);
        }
    }

    /**
     * C's {@code msgvec + off} is checked with vlen against the shim's own copy of the plan's count, built or kept: a
     * range past it, a negative off, and an off + vlen that overflows to fit (1 + max is negative) are -EINVAL with
     * nothing sent or received; a count rewritten in the plan without a new generation changes nothing, the kept copy
     * being the one checked. A range inside goes to the kernel from header off, and the results go to message
     * off's record: off 1 sends the second message only, off 2 with vlen 0 (one past the last) makes the call with
     * none, and a receive at off 1 fills the second message's bytes and out fields, the first's left as they were.
     */
    @Test
    void offAndVlenOutsideThePlansCountGetEinvalBuiltOrKept() throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        int[] fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
        try {
            int max = Integer.MAX_VALUE;
            int min = Integer.MIN_VALUE;
            int[][] bad = {{1, 2}, {2, 1}, {3, 0}, {-1, 1}, {-1, 0}, {max, 1}, {1, max}, {max, max}, {min, 2},
                {2, min}, {max, min}};
            ByteBuffer out = numbered16();
            MessagePlan send = TestPlans.create();
            twoIovPlans(send, out);
            for (long id : new long[] {0, send.id()}) {
                for (int[] r : bad) {
                    assertEquals(EINVAL, sendmmsg(fds[0], send, id, r[0], r[1]),
                            "off " + r[0] + " vlen " + r[1] + ", plan id " + id);
                }
            }
            assertEquals(1, sendmmsg(fds[0], send, send.id(), 1, 1), "off 1 vlen 1, the vector kept");
            assertEquals(104, firstByte(fds[1]), "the second message, from header 1");
            assertEquals(-Errno.EAGAIN.number(), Posix.tryRecv(fds[1], new byte[8], 0, 8,
                    MsgFlag.MSG_DONTWAIT.value()), "one datagram only");
            assertEquals(4, send.outLen(1), "message 1's bytes in its own record");
            assertEquals(0, send.outLen(0), "message 0's record as built");
            assertEquals(0, sendmmsg(fds[0], send, send.id(), 2, 0), "off 2 vlen 0: one past the last, no message");
            send.buffer().putInt(MessagePlan.H_MESSAGES, 1024);
            assertEquals(EINVAL, sendmmsg(fds[0], send, send.id(), 2, 1), "the kept count, not the plan's, checked");
            assertEquals(2, sendmmsg(fds[0], send, send.id(), 0, 2), "the kept vector whole");
            assertEquals(100, firstByte(fds[1]));
            assertEquals(104, firstByte(fds[1]));

            ByteBuffer in = ByteBuffer.allocateDirect(16);
            MessagePlan receive = TestPlans.create();
            twoIovPlans(receive, in);
            Posix.send(fds[0], new byte[] {7, 7, 7, 7}, 0, 4, 0);
            for (int[] r : bad) {
                assertEquals(EINVAL, recvmmsg(fds[1], receive, 0, r[0], r[1]), "off " + r[0] + " vlen " + r[1]);
            }
            assertEquals(1, recvmmsg(fds[1], receive, receive.id(), 1, 1), "off 1 vlen 1, the vector kept");
            assertEquals(7, in.get(4), "into the second message's bytes");
            assertEquals(0, in.get(0), "the first message's left alone");
            assertEquals(4, receive.outLen(1));
            assertEquals(0, receive.outLen(0));
            Posix.send(fds[0], new byte[] {8, 8, 8, 8}, 0, 4, 0);
            for (int[] r : bad) {
                assertEquals(EINVAL, recvmmsg(fds[1], receive, receive.id(), r[0], r[1]),
                        "off " + r[0] + " vlen " + r[1] + ", kept");
            }
            assertEquals(0, recvmmsg(fds[1], receive, receive.id(), 2, 0), "off 2 vlen 0 takes nothing");
            assertEquals(1, recvmmsg(fds[1], receive, receive.id(), 0, 1), "the datagram was still queued");
            assertEquals(8, in.get(0));
        } finally {
            Posix.close(fds[0]);
            Posix.close(fds[1]);
        }
    }

    /** A two-message plan, each message one iov of 4 bytes of {@code direct}: at 0 and at 4. */
    private static void twoIovPlans(MessagePlan p, ByteBuffer direct) {
        p.begin(2, 2, 0, 0);
        int k = p.addBuffer(direct);
        for (int i = 0; i < 2; i++) {
            p.iovDirect(i, k, 4 * i, 4);
            p.message(i, 0, 0, i, 1, 0, 0, 0, 0);
        }
    }

    /** 16 direct bytes 100..115, so that a received datagram's first byte tells where in them it was sent from. */
    private static ByteBuffer numbered16() {
        ByteBuffer out = ByteBuffer.allocateDirect(16);
        for (int i = 0; i < 16; i++) {
            out.put(i, (byte) (100 + i));
        }
        return out;
    }

    /** The first byte of the next datagram on {@code fd}. */
    private static int firstByte(int fd) throws Exception {
        byte[] got = new byte[8];
        assertEquals(4, Posix.recv(fd, got, 0, 8, MsgFlag.MSG_DONTWAIT.value()));
        return got[0];
    }

    @Test
    void aKeptSendBatchIsUsedOnlyForItsPlanAndGenerationBesideAKeptReceiveBatch() throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        int[] fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
        try {
            ByteBuffer out = numbered16();
            ByteBuffer in = ByteBuffer.allocateDirect(16);
            MessagePlan send = TestPlans.create();
            MessagePlan receive = TestPlans.create();
            oneIovPlan(send, out, 0);
            oneIovPlan(receive, in, 0);
            assertEquals(1, sendmmsg(fds[0], send, send.id()));
            assertEquals(100, firstByte(fds[1]));
            Posix.send(fds[1], new byte[] {9}, 0, 1, 0);
            assertEquals(1, recvmmsg(fds[0], receive, receive.id()));
            assertEquals(9, in.get(0));

            // both plans' records rewritten without a new generation: each call uses what it kept, a receive between
            // two sends and a send between two receives notwithstanding
            send.iovDirect(0, 0, 8, 4);
            receive.iovDirect(0, 0, 8, 4);
            Posix.send(fds[1], new byte[] {1}, 0, 1, 0);
            assertEquals(1, recvmmsg(fds[0], receive, receive.id()));
            assertEquals(1, in.get(0));
            assertEquals(1, sendmmsg(fds[0], send, send.id()));
            assertEquals(100, firstByte(fds[1]), "built from the records as they were at this generation");
            Posix.send(fds[1], new byte[] {2}, 0, 1, 0);
            assertEquals(1, recvmmsg(fds[0], receive, receive.id()));
            assertEquals(2, in.get(0), "the receive batch was kept beside the send batch");
            assertEquals(0, in.get(8));

            // plan id 0: nothing is kept, the records are read as they are
            assertEquals(1, sendmmsg(fds[0], send, 0));
            assertEquals(108, firstByte(fds[1]));

            // a new generation of the same plan, then another plan at the same generation number
            oneIovPlan(send, out, 4);
            assertEquals(1, sendmmsg(fds[0], send, send.id()));
            assertEquals(104, firstByte(fds[1]), "a new generation is built again");
            MessagePlan other = TestPlans.create();
            while (other.generation() < send.generation()) {
                oneIovPlan(other, out, 12);
            }
            assertEquals(1, sendmmsg(fds[0], other, other.id()));
            assertEquals(112, firstByte(fds[1]), "another plan is built, whatever its generation");
            assertEquals(1, sendmmsg(fds[0], send, send.id()));
            assertEquals(104, firstByte(fds[1]));
        } finally {
            Posix.close(fds[0]);
            Posix.close(fds[1]);
        }
    }

    /** sendmsg0 as JniBackend calls it: the plan's and the first listed buffers' numbers as arguments. */
    private static long send(int fd, long[] r, int listed) {
        return listed >= 0 && listed <= JniNative.ARG_BUFFERS
                ? JniNative.sendmsg0(fd, r[0], r[1], listed, r[2], r[3], r[4], r[5], null, 0)
                : JniNative.sendmsg0(fd, r[0], r[1], listed, 0, 0, 0, 0, r, 0);
    }

    /**
     * sendmsg0 given the ranges array: the plan gets ARG_BUFFERS + 1 listed buffers (the extra ones at the same
     * numbers as the first), so the shim takes the array, and the iov still names buffer 0.
     */
    private static long viaArray(int fd, long[] r, int listed) {
        int n = JniNative.ARG_BUFFERS + 1;
        long[] more = java.util.Arrays.copyOf(r, Math.max(r.length, 2 + 2 * n));
        for (int k = listed; k < n; k++) {
            more[2 + 2 * k] = r[2];
            more[3 + 2 * k] = r[3];
        }
        return JniNative.sendmsg0(fd, 0, 0, n, 0, 0, 0, 0, more, 0);
    }

    private static long[] with(long[] ranges, int index, long value) {
        long[] r = ranges.clone();
        r[index] = value;
        return r;
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import io.github.posixsend.TestPlans;
import io.github.posixsend.internal.MessagePlan;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A thread's memory for its kept batches is sized by what the batches want: it starts with no area, the first call
 * builds in memory of its own and notes what it wanted, the memory is then made to hold that, and the next call keeps
 * the batch there (shown by records rewritten without a new generation, which a kept batch does not read again).
 */
class KeptBatchesTest {
    private int[] fds;

    @BeforeEach
    void jniOnly() {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
    }

    /** A plan of {@code n} messages, message i one iov of 4 bytes of {@code out} at {@code 4 * i + shift}. */
    private static void plan(MessagePlan p, ByteBuffer out, int n, int shift) {
        p.begin(n, n, 0, 0);
        int k = p.addBuffer(out);
        for (int i = 0; i < n; i++) {
            p.iovDirect(i, k, 4 * i + shift, 4);
            p.message(i, 0, 0, i, 1, 0, 0, 0, 0);
        }
    }

    /**
     * Sends the plan's {@code n} messages through {@code kept} on a stream pair (whose buffer, raised to 1 MiB, holds
     * every batch here, where a datagram pair's would not; without waiting, so a full one fails the test rather than
     * hanging it), then reads them back 4 bytes at a time: each message's first byte.
     */
    private int[] sendAndRead(KeptBatches kept, MessagePlan p, int n) throws Exception {
        assertEquals(n, JniNative.sendmmsg0(fds[0], kept.memory(), p.id(), p.generation(), p.ranges(), p.listed(), 0,
                n, MsgFlag.MSG_DONTWAIT.value()));
        int[] first = new int[n];
        byte[] got = new byte[4];
        for (int i = 0; i < n; i++) {
            assertEquals(4, Posix.recv(fds[1], got, 0, got.length, MsgFlag.MSG_DONTWAIT.value()));
            first[i] = got[0] & 0xff;
        }
        return first;
    }

    /**
     * From memory with no area (the backend's start), and from memory whose area holds the 16 KiB mmsghdr vector of
     * 256 messages but not the rest, so the shim spills into memory of the call's own part way: the bytes it notes as
     * wanted are those the batch takes when built in one area, in both.
     */
    @ParameterizedTest
    @CsvSource({"8, 0", "256, 0", "256, 17408"})
    void aThreadsMemoryGrowsToWhatItsBatchWantsAndThenKeepsIt(int n, int startArea) throws Exception {
        fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_STREAM, 0);
        try {
            Posix.setsockopt(fds[0], Posix.SOL_SOCKET, Posix.SO_SNDBUF, 1 << 20);
            ByteBuffer out = ByteBuffer.allocateDirect(4 * n + 4);
            for (int i = 0; i < out.capacity(); i++) {
                out.put(i, (byte) i);
            }
            MessagePlan p = TestPlans.create();
            plan(p, out, n, 0);
            KeptBatches kept = new KeptBatches(JniNative.keptLayout0(), startArea);
            assertEquals(startArea, kept.area());
            ByteBuffer first = kept.memory();
            assertSame(first, kept.memory(), "no batch built yet: nothing wanted");
            sendAndRead(kept, p, n);
            int wanted = kept.wanted();
            assertTrue(wanted > startArea && wanted > n * 64, n + " messages wanted " + wanted + " bytes");
            ByteBuffer grown = kept.memory();
            assertNotSame(first, grown, "memory made for what the batch wanted");
            assertEquals(0, kept.wanted(), "made zeroed: nothing built in it yet");
            assertTrue(kept.area() >= wanted && kept.area() <= Math.max(1024, 2 * wanted),
                    kept.area() + " bytes of area for " + wanted + " wanted");
            if (n == 8) {
                assertTrue(kept.area() <= 2048, "a batch of 8 one-buffer messages in 2 KiB: " + kept.area());
            } else {
                assertTrue(kept.area() > 16384, "256 messages need more than the stack scratch: " + kept.area());
            }

            int[] sent = sendAndRead(kept, p, n);
            assertEquals(wanted, kept.wanted(), "built again, in one area: the same bytes wanted");
            // records rewritten without a new generation (no MessagePlan does that): the kept structs are used
            for (int i = 0; i < n; i++) {
                p.iovDirect(i, 0, 4 * i + 4, 4);
            }
            int[] again = sendAndRead(kept, p, n);
            for (int i = 0; i < n; i++) {
                assertEquals(sent[i], again[i], "message " + i + " sent from the kept structs");
                assertEquals((4 * i) & 0xff, again[i], "message " + i);
            }
            assertSame(grown, kept.memory(), "memory that holds the batch is kept");
        } finally {
            Posix.close(fds[0]);
            Posix.close(fds[1]);
        }
    }

    /**
     * Memory refused for the area is done without: the batch is built in memory of the call's own and sent, and the
     * same need is not asked for again (each refusal of direct memory makes the JDK wait for the collector); a batch
     * that wants more is, and gets memory when there is some.
     */
    @Test
    void memoryRefusedForTheAreaIsDoneWithoutAndNotAskedForAgain() throws Exception {
        fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_STREAM, 0);
        try {
            Posix.setsockopt(fds[0], Posix.SOL_SOCKET, Posix.SO_SNDBUF, 1 << 20);
            ByteBuffer out = ByteBuffer.allocateDirect(4 * 256 + 4);
            for (int i = 0; i < out.capacity(); i++) {
                out.put(i, (byte) i);
            }
            int[] asked = new int[1];
            boolean[] refuse = {false};
            KeptBatches kept = new KeptBatches(JniNative.keptLayout0(), 0, bytes -> {
                asked[0]++;
                if (refuse[0]) {
                    throw new OutOfMemoryError("Cannot reserve " + bytes + " bytes of direct buffer memory (a test's)");
                }
                return ByteBuffer.allocateDirect(bytes);
            });
            ByteBuffer none = kept.memory();
            refuse[0] = true;
            MessagePlan p = TestPlans.create();
            plan(p, out, 8, 0);
            for (int call = 0; call < 3; call++) {
                int[] first = sendAndRead(kept, p, 8);
                for (int i = 0; i < 8; i++) {
                    assertEquals((4 * i) & 0xff, first[i], "call " + call + ", message " + i);
                }
                assertSame(none, kept.memory(), "refused: the memory there was");
                assertEquals(0, kept.area());
            }
            assertEquals(2, asked[0], "asked once at the start, once for the batch of 8");

            plan(p, out, 256, 0);
            sendAndRead(kept, p, 256);
            assertSame(none, kept.memory(), "refused again");
            assertEquals(3, asked[0], "a batch that wants more asks again");
            refuse[0] = false;
            sendAndRead(kept, p, 256);
            ByteBuffer grown = kept.memory();
            assertEquals(3, asked[0], "that need was refused: not asked for again, though memory is there now");
            assertSame(none, grown);
        } finally {
            Posix.close(fds[0]);
            Posix.close(fds[1]);
        }
    }

    /**
     * A receive batch of the most messages a plan may have, each with 1 KiB of control space, wants more than the
     * memory grows to: each call builds it in memory of its own, and receives. (Many small control spaces rather than
     * one of 1 MiB: qemu-user, which runs this suite for aarch64, copies a message's control space on its own stack.)
     */
    @Test
    void aBatchWantingMoreThanTheMostIsBuiltAtEachCall() throws Exception {
        fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
        try {
            int n = MessagePlan.MAX_MESSAGES;
            int space = 1024;
            ByteBuffer in = ByteBuffer.allocateDirect(4 * n);
            MessagePlan p = TestPlans.create();
            p.begin(n, n, 0, (long) n * space);
            int k = p.addBuffer(in);
            for (int i = 0; i < n; i++) {
                p.iovDirect(i, k, 4 * i, 4);
                p.message(i, 0, 0, i, 1, 0, 0, p.data(space), space);
            }
            KeptBatches kept = new KeptBatches(JniNative.keptLayout0(), 0);
            ByteBuffer memory = kept.memory();
            assertEquals(-Errno.EAGAIN.number(), JniNative.recvmmsg0(fds[1], kept.memory(), p.id(), p.generation(),
                    p.ranges(), p.listed(), 0, 1, MsgFlag.MSG_DONTWAIT.value(), -1), "built, then nothing queued");
            assertTrue(kept.wanted() > KeptBatches.MOST, kept.wanted() + " bytes wanted");
            assertSame(memory, kept.memory(), "not grown past " + KeptBatches.MOST);
            Posix.send(fds[0], new byte[] {7, 7, 7, 7}, 0, 4, 0);
            assertEquals(1, JniNative.recvmmsg0(fds[1], kept.memory(), p.id(), p.generation(), p.ranges(),
                    p.listed(), 0, 1, 0, -1));
            assertEquals(7, in.get(0));
            assertEquals(4, p.outLen(0));
            assertSame(memory, kept.memory(), "still not grown");
        } finally {
            Posix.close(fds[0]);
            Posix.close(fds[1]);
        }
    }
}

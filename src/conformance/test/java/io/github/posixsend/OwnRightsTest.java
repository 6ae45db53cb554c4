// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * A message's own descriptor to pass ({@link Message#rights(int)}): each send passes the one set for it, beside added
 * control messages and in a batch, and a server that hands a new descriptor to a worker at every send allocates
 * nothing. Each descriptor passed is a pipe's write end, and the one received is known by the byte written through
 * it arriving at that pipe's read end.
 */
class OwnRightsTest {

    private static ByteBuffer direct(int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i + 1));
        }
        return b.flip();
    }

    /** The descriptors the last receive into {@code in} brought, each tracked by {@code fds} to be closed. */
    private static int[] received(Message in, Descriptors fds) {
        byte[] payload = new byte[64];
        int n = in.receivedPayload(Posix.SOL_SOCKET, Posix.SCM_RIGHTS, payload);
        int[] got = new int[Math.max(0, n) / Integer.BYTES];
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        for (int i = 0; i < got.length; i++) {
            got[i] = fds.track(b.getInt(i * Integer.BYTES));
        }
        return got;
    }

    /** Asserts that {@code passed} is a write end of {@code pipe}: a byte written through it arrives there. */
    private static void assertWritesInto(int[] pipe, int passed, int value) throws ErrnoException {
        assertEquals(1, Posix.write(passed, new byte[] {(byte) value}, 0, 1));
        byte[] got = new byte[4];
        assertEquals(1, Posix.read(pipe[0], got, 0, got.length), "the byte written through the descriptor passed");
        assertEquals((byte) value, got[0], "arrived at the pipe whose write end was passed");
    }

    /** A pipe whose read end does not block: a byte that went to another pipe fails the read at once. */
    private static int[] pipe(Descriptors fds) throws ErrnoException {
        int[] p = Posix.pipe(Posix.O_NONBLOCK);
        fds.track(p[0]);
        fds.track(p[1]);
        return p;
    }

    @Test
    void eachSendPassesTheDescriptorSetForIt() throws Exception {
        try (Descriptors fds = new Descriptors(); Message out = new Message(64).add(direct(1));
                Message in = new Message(64).add(ByteBuffer.allocateDirect(8))) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int[] first = pipe(fds);
            int[] second = pipe(fds);
            assertEquals(1, Posix.sendmsg(p.a, out.rights(first[1]), 0));
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            int[] got = received(in, fds);
            assertEquals(1, got.length);
            assertWritesInto(first, got[0], 1);
            assertEquals(0, out.controlCount(), "the message's own descriptor is not an added control message");

            out.buffer(0).rewind();
            assertEquals(1, Posix.sendmsg(p.a, out.rights(second[1]), 0));
            in.buffer(0).clear();
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            got = received(in, fds);
            assertEquals(1, got.length, "set again, it replaces the first");
            assertWritesInto(second, got[0], 2);

            out.buffer(0).rewind();
            assertEquals(1, Posix.sendmsg(p.a, out.clearControl(), 0));
            in.buffer(0).clear();
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertEquals(0, received(in, fds).length, "clearControl removed it");
        }
    }

    @Test
    void anAddedRightsMessageAndTheOwnDescriptorBothGo() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "how two SCM_RIGHTS messages arrive is measured on Linux");
        try (Descriptors fds = new Descriptors(); Message in = new Message(64).add(ByteBuffer.allocateDirect(8))) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int[] added = pipe(fds);
            int[] own = pipe(fds);
            try (Message out = new Message(64).add(direct(1)).addControl(ControlMessage.rights(added[1]))
                    .rights(own[1])) {
                assertEquals(1, Posix.sendmsg(p.a, out, 0));
            }
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            int[] got = received(in, fds);
            assertEquals(2, got.length, "Linux joins the two SCM_RIGHTS messages into one");
            assertWritesInto(added, got[0], 3);
            assertWritesInto(own, got[1], 4);
        }
    }

    @Test
    void inABatchEachMessagePassesItsOwn() throws Exception {
        try (Descriptors fds = new Descriptors(); Message m0 = new Message(64).add(direct(1));
                Message m1 = new Message(64).add(direct(2)); MessageBatch out = new MessageBatch(2).add(m0).add(m1);
                Message in = new Message(64).add(ByteBuffer.allocateDirect(8))) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int[] first = pipe(fds);
            int[] second = pipe(fds);
            m0.rights(first[1]);
            m1.rights(second[1]);
            assertEquals(2, Posix.sendmmsg(p.a, out, 0));
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertWritesInto(first, received(in, fds)[0], 5);
            in.buffer(0).clear();
            assertEquals(2, Posix.recvmsg(p.b, in, 0));
            assertWritesInto(second, received(in, fds)[0], 6);
        }
    }

    /**
     * A batch sent again unchanged reuses its plan, but not for a message whose descriptor changed: here the change's
     * stamp is taken back by hand, as when it and another thread's encoding cross, and the new descriptor still goes.
     */
    @Test
    void aReusedPlanIsNotSentWithAnOldDescriptor() throws Exception {
        try (Descriptors fds = new Descriptors(); Message m = new Message(64).add(direct(1));
                Message second = new Message(64).add(direct(2));
                MessageBatch out = new MessageBatch(2).add(m).add(second);
                Message in = new Message(64).add(ByteBuffer.allocateDirect(8))) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int[] first = pipe(fds);
            int[] then = pipe(fds);
            m.rights(first[1]);
            for (int call = 0; call < 2; call++) {
                assertEquals(2, Posix.sendmmsg(p.a, out.rewind(), 0));
                for (int k = 0; k < 2; k++) {
                    in.buffer(0).clear();
                    Posix.recvmsg(p.b, in, 0);
                    if (k == 0) {
                        assertWritesInto(first, received(in, fds)[0], 7 + call);
                    }
                }
            }
            java.lang.reflect.Field stamp = Message.class.getDeclaredField("encoding");
            stamp.setAccessible(true);
            int before = stamp.getInt(m);
            m.rights(then[1]);
            stamp.setInt(m, before); // the change's stamp lost, as to a racing encoding's
            assertEquals(2, Posix.sendmmsg(p.a, out.rewind(), 0));
            in.buffer(0).clear();
            Posix.recvmsg(p.b, in, 0);
            assertWritesInto(then, received(in, fds)[0], 9);
        }
    }

    @Test
    void aNegativeOneOrOneWithoutRoomIsRefusedAndOneNotOpenFailsTheSend() throws Exception {
        try (Descriptors fds = new Descriptors(); Message out = new Message(64).add(direct(1));
                Message small = new Message(0).add(direct(1))) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            assertThrows(IllegalArgumentException.class, () -> out.rights(-1));
            assertThrows(IllegalArgumentException.class, () -> small.rights(p.a), "no control space for it");
            int notOpen = Descriptors.NEVER_OPEN;
            BadDescriptorException e = assertThrows(BadDescriptorException.class,
                    () -> Posix.sendmsg(p.a, out.rights(notOpen), 0));
            assertEquals(Errno.EBADF, e.errno());
            assertEquals(0, out.buffer(0).position(), "nothing was sent");
            assertEquals(-Errno.EBADF.number(), Posix.trySendmsg(p.a, out, 0));
        }
    }

    /**
     * The hand-off loop of a server that passes each new descriptor to a worker: a new descriptor set per send, sent,
     * received and read back without objects, the received copy closed.
     */
    @Test
    void aNewDescriptorAtEverySendAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors(); Message out = new Message(64).add(direct(1));
                Message in = new Message(64).add(ByteBuffer.allocateDirect(8))) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int[] passed = new int[8];
            for (int i = 0; i < passed.length; i++) {
                passed[i] = pipe(fds)[1];
            }
            byte[] payload = new byte[16];
            ByteBuffer view = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
            SteadyAllocation.Round round = () -> {
                long wrong = 0;
                for (int i = 0; i < 200; i++) {
                    out.buffer(0).rewind();
                    wrong += Posix.trySendmsg(p.a, out.rights(passed[i % passed.length]), 0) == 1 ? 0 : 1;
                    in.buffer(0).clear();
                    wrong += Posix.tryRecvmsg(p.b, in, 0) == 1 ? 0 : 1;
                    wrong += in.receivedPayload(Posix.SOL_SOCKET, Posix.SCM_RIGHTS, payload) == 4 ? 0 : 1;
                    wrong += Posix.tryClose(view.getInt(0)) == 0 ? 0 : 1;
                }
                return wrong;
            };
            for (int warm = 0; warm < 50; warm++) {
                assertEquals(0, round.run(), "warm-up round " + warm);
            }
            assertEquals(0, SteadyAllocation.leastBeyond("200 hand-offs", () -> AllocationBudget.forDowncalls(600),
                    round), "bytes beyond the budget of 200 hand-offs on " + Posix.backendName());
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Linux's transmit times: {@code SO_TXTIME} set and read as a {@link SockTxtime}, and {@code SCM_TXTIME} on
 * {@code sendmsg}, which the kernel takes only from a socket with the option set, as a control message or as the
 * message's own time. Loopback's {@code noqueue} device holds no packet for its time, so a datagram timed ten seconds
 * ahead arrives at once; nothing on loopback reports the time back, so the message's own time is compared with the
 * control message it replaces as both are laid out for the backend.
 */
class TxtimeTest {

    @Test
    void theOptionIsSetAndReadAsASockTxtime() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_TXTIME is Linux's");
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            assertEquals(new SockTxtime(0, 0), Posix.getsockoptTxtime(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME),
                    "never set");
            SockTxtime set = new SockTxtime(Posix.CLOCK_MONOTONIC,
                    Posix.SOF_TXTIME_DEADLINE_MODE | Posix.SOF_TXTIME_REPORT_ERRORS);
            Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME, set);
            assertEquals(set, Posix.getsockoptTxtime(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME));
            // the same bytes as C's struct sock_txtime: clockid, then flags
            byte[] raw = new byte[8];
            assertEquals(8, Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME, raw));
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
            assertEquals(Posix.CLOCK_MONOTONIC, b.getInt(0));
            assertEquals(set.flags(), b.getInt(4));

            // a flag Linux does not know
            InvalidArgumentException bad = assertThrows(InvalidArgumentException.class, () -> Posix.setsockopt(fd,
                    Posix.SOL_SOCKET, Posix.SO_TXTIME, new SockTxtime(Posix.CLOCK_MONOTONIC, 1 << 30)));
            assertTrue(bad.getMessage().startsWith("setsockopt(SOL_SOCKET, SO_TXTIME): EINVAL"), bad.getMessage());
            // another clock needs CAP_NET_ADMIN
            try {
                Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME, new SockTxtime(Posix.CLOCK_TAI, 0));
                assertEquals(Posix.CLOCK_TAI, Posix.getsockoptTxtime(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME).clockid());
            } catch (ErrnoException e) {
                assertEquals(Errno.EPERM, e.errno(), e.getMessage());
            }
            assertThrows(NullPointerException.class,
                    () -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME, (SockTxtime) null));
        }
    }

    @Test
    void aTimedSendNeedsTheOptionAndLoopbackSendsItAtOnce() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SCM_TXTIME is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            long tenSecondsAhead = System.nanoTime() + 10_000_000_000L;
            ControlMessage when = ControlMessage.txtime(tenSecondsAhead);
            assertEquals(ControlMessage.Kind.TXTIME, when.kind());
            assertEquals(ControlMessage.space(ControlMessage.Kind.TXTIME), when.space());
            ByteBuffer payload = ByteBuffer.wrap(new byte[] {7});
            try (Message m = Message.of(payload).addControl(when)) {
                InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                        () -> Posix.sendmsg(p.a, m, 0), "no SO_TXTIME on the socket");
                assertTrue(e.getMessage().startsWith("sendmsg: EINVAL"), e.getMessage());
                Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TXTIME, new SockTxtime(Posix.CLOCK_MONOTONIC, 0));
                assertEquals(1, Posix.sendmsg(p.a, m.rewind(), 0));
            }
            assertArrayEquals(new byte[] {7}, SocketIo.receive(p.b, 8, 2000), "arrived within 2 s, not 10");
            // SCM_TXTIME is a uint64_t: another length is refused
            try (Message m = Message.of(ByteBuffer.wrap(new byte[] {8}))
                    .addControl(ControlMessage.raw(Posix.SOL_SOCKET, Posix.SCM_TXTIME, new byte[4]))) {
                ErrnoException e = assertThrows(ErrnoException.class, () -> Posix.sendmsg(p.a, m, 0));
                assertTrue(Set.of(Errno.EINVAL).contains(e.errno()), e.getMessage());
            }
        }
    }

    /** The plan a send of {@code m} gives the backend: its cmsg records and their payloads. */
    private static MessagePlan encoded(Message m) {
        MessagePlan p = TestPlans.create();
        p.acquire();
        p.begin(1, m.bufferCount(), m.sendRecords(), m.sendDataBytes());
        m.encodeSend(p, 0, 0, 0, true);
        return p;
    }

    @Test
    void aMessagesOwnTimeIsLaidOutAsTheControlMessageItReplaces() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SCM_TXTIME is Linux's");
        long time = 0x0123_4567_89ab_cdefL;
        ByteBuffer payload = ByteBuffer.allocateDirect(1);
        try (Message own = Message.of(payload).addControl(ControlMessage.ipTtl(9)).txtime(time);
                Message added = Message.of(payload).addControl(ControlMessage.ipTtl(9))
                        .addControl(ControlMessage.txtime(time))) {
            assertEquals(1, own.controlCount(), "the message's own time is not an added control message");
            MessagePlan a = encoded(own);
            MessagePlan b = encoded(added);
            try {
                assertEquals(2, a.messageInt(0, MessagePlan.M_CMSG_COUNT));
                assertEquals(2, b.messageInt(0, MessagePlan.M_CMSG_COUNT));
                assertEquals(b.messageInt(0, MessagePlan.M_CTL_SPACE), a.messageInt(0, MessagePlan.M_CTL_SPACE),
                        "the same control space");
                for (int field : new int[] {MessagePlan.C_LEVEL, MessagePlan.C_TYPE, MessagePlan.C_KIND,
                        MessagePlan.C_DATA_LEN}) {
                    assertEquals(b.cmsgInt(1, field), a.cmsgInt(1, field), "cmsg field at " + field);
                }
                assertEquals(Posix.SCM_TXTIME, a.cmsgInt(1, MessagePlan.C_TYPE));
                assertEquals(time, a.buffer().getLong(a.cmsgInt(1, MessagePlan.C_DATA_OFF)));
                assertEquals(time, b.buffer().getLong(b.cmsgInt(1, MessagePlan.C_DATA_OFF)));
            } finally {
                a.release();
                a.close();
                b.release();
                b.close();
            }
            int stamp = own.encoding();
            own.txtime(time + 1);
            assertNotEquals(stamp, own.encoding(), "a new time moves the stamp a reused batch checks");
            MessagePlan c = encoded(own);
            try {
                assertEquals(time + 1, c.buffer().getLong(c.cmsgInt(1, MessagePlan.C_DATA_OFF)), "set again");
            } finally {
                c.release();
                c.close();
            }
        }
    }

    @Test
    void aMessagesOwnTimeIsSentAndClearedAndTakesItsControlSpace() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SCM_TXTIME is Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            // one direct buffer: a message that sends by address with no plan, unless it has a time of its own
            ByteBuffer payload = ByteBuffer.allocateDirect(1).put(0, (byte) 5);
            try (Message m = Message.of(payload).txtime(System.nanoTime() + 10_000_000_000L);
                    Message heap = Message.of(ByteBuffer.wrap(new byte[] {5})).txtime(1);
                    MessageBatch one = new MessageBatch(1).add(m)) {
                for (Message sent : new Message[] {m, heap}) {
                    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                            () -> Posix.sendmsg(p.a, sent, 0), "no SO_TXTIME on the socket: the time was sent");
                    assertTrue(e.getMessage().startsWith("sendmsg: EINVAL"), e.getMessage());
                }
                InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                        () -> Posix.sendmmsg(p.a, one, 0), "a batch of one sends the time too");
                assertTrue(e.getMessage().startsWith("sendmmsg: EINVAL"), e.getMessage());
                assertEquals(1, Posix.sendmsg(p.a, m.rewind().clearControl(), 0), "no time once cleared");
                assertArrayEquals(new byte[] {5}, SocketIo.receive(p.b, 8, 2000));
                Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TXTIME, new SockTxtime(Posix.CLOCK_MONOTONIC, 0));
                for (int i = 0; i < 3; i++) {
                    m.txtime(System.nanoTime() + 10_000_000_000L + i);
                    assertEquals(1, Posix.sendmsg(p.a, m.rewind(), 0));
                    assertArrayEquals(new byte[] {5}, SocketIo.receive(p.b, 8, 2000), "arrived within 2 s, not 10");
                }
            }
            try (Message first = Message.of(ByteBuffer.wrap(new byte[] {0})).txtime(System.nanoTime());
                    Message second = Message.of(ByteBuffer.allocateDirect(1).put(0, (byte) 1)).txtime(0);
                    MessageBatch batch = new MessageBatch(2).add(first).add(second)) {
                for (int round = 0; round < 2; round++) {
                    batch.get(round).txtime(System.nanoTime() + 10_000_000_000L);
                    assertEquals(2, Posix.sendmmsg(p.a, batch.rewind(), 0));
                    assertArrayEquals(new byte[] {0}, SocketIo.receive(p.b, 8, 2000));
                    assertArrayEquals(new byte[] {1}, SocketIo.receive(p.b, 8, 2000));
                }
            }
        }
        int space = ControlMessage.space(ControlMessage.Kind.TXTIME);
        try (Message tooSmall = new Message(space - 1);
                Message justRoom = new Message(space + ControlMessage.space(ControlMessage.Kind.IP_TTL))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tooSmall.txtime(1));
            assertTrue(e.getMessage().startsWith("txtime: SCM_TXTIME needs " + space + " bytes"), e.getMessage());
            justRoom.txtime(1).addControl(ControlMessage.ipTtl(3));
            assertThrows(IllegalArgumentException.class, () -> justRoom.addControl(ControlMessage.ipTtl(4)),
                    "the time takes its room as an added control message would");
            assertThrows(IllegalArgumentException.class,
                    () -> justRoom.pktinfo(0, new byte[4], 4), "and beside a packet info");
            justRoom.txtime(2); // replacing it needs no more room
        }
    }
}

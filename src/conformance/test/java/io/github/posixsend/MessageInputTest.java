// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the message calls: Java refuses it before native code, and the backend
 * refuses a malformed plan with EINVAL instead of touching memory it was not given.
 */
class MessageInputTest {

    @Test
    void nullElementsInAGatherListAreRefused() {
        ByteBuffer ok = ByteBuffer.allocate(1);
        NullPointerException e = assertThrows(NullPointerException.class, () -> Message.of(ok, null, ok));
        assertEquals("buffer 1 of the gather list is null", e.getMessage());
        Message m = Message.of(ok);
        assertThrows(NullPointerException.class, () -> m.buffers(ok, null));
        assertEquals(1, m.bufferCount(), "a refused list leaves the old one");
        assertThrows(NullPointerException.class, () -> m.add(null));
        assertThrows(NullPointerException.class, () -> m.buffers((ByteBuffer[]) null));
        assertThrows(NullPointerException.class, () -> m.addControl(null));
        assertThrows(NullPointerException.class, () -> Posix.sendmsg(0, null, 0));
        assertThrows(NullPointerException.class, () -> Posix.trySendmsg(0, null, 0));
        assertThrows(NullPointerException.class, () -> Posix.recvmsg(0, null, 0));
        assertThrows(NullPointerException.class, () -> Posix.sendmmsg(0, null, 0));
        assertThrows(NullPointerException.class, () -> new MessageBatch(2).add(null));
        assertThrows(NullPointerException.class, () -> ControlMessage.rights((int[]) null));
        assertThrows(NullPointerException.class, () -> ControlMessage.raw(0, 0, null));
    }

    @Test
    void aBufferObjectIsListedOnceAndADuplicateSendsTheSameBytesTwice() throws Exception {
        ByteBuffer crlf = ByteBuffer.wrap(new byte[] {'\r', '\n'});
        ByteBuffer body = ByteBuffer.allocateDirect(3).put(new byte[] {'a', 'b', 'c'}).flip();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Message.of(crlf, body, crlf));
        assertTrue(e.getMessage().startsWith("buffer 2 of the list is buffer 0 again"), e.getMessage());
        Message m = Message.of(body);
        assertThrows(IllegalArgumentException.class, () -> m.buffers(crlf, crlf));
        assertEquals(1, m.bufferCount(), "a refused list leaves the old one");
        m.add(crlf);
        e = assertThrows(IllegalArgumentException.class, () -> m.add(body));
        assertTrue(e.getMessage().startsWith("buffer 2 of the list is buffer 0 again"), e.getMessage());
        assertEquals(2, m.bufferCount(), "a refused add leaves the list");
        // a duplicate has a position of its own: the same bytes go twice, as C lists one iov_base twice
        try (Descriptors fds = new Descriptors(); Message twice = Message.of(crlf, body, crlf.duplicate())) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            assertEquals(7, Posix.sendmsg(p.a, twice, 0));
            assertArrayEquals(new byte[] {'\r', '\n', 'a', 'b', 'c', '\r', '\n'}, SocketIo.readFully(p.b, 7));
        }
        m.close();
    }

    /** Long lists are checked through a table of the entries: the same answers, and none left from another list. */
    @Test
    void aLongListRefusesABufferAgainAndForgetsAListItDidNotTake() {
        ByteBuffer[] many = new ByteBuffer[1024];
        for (int i = 0; i < many.length; i++) {
            many[i] = ByteBuffer.allocate(1);
        }
        try (Message m = new Message(0)) {
            for (ByteBuffer b : many) {
                m.add(b);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(many[700]));
            assertTrue(e.getMessage().startsWith("buffer 1024 of the list is buffer 700 again"), e.getMessage());
            ByteBuffer[] repeated = many.clone();
            repeated[999] = many[40];
            e = assertThrows(IllegalArgumentException.class, () -> m.buffers(repeated));
            assertTrue(e.getMessage().startsWith("buffer 999 of the list is buffer 40 again"), e.getMessage());
            assertEquals(1024, m.bufferCount(), "a refused list leaves the old one");
            // the list is the same again: re-listed, it is taken, and a buffer of another list is taken after it
            for (int round = 0; round < 3; round++) {
                m.buffers(many);
            }
            ByteBuffer[] others = new ByteBuffer[300];
            for (int i = 0; i < others.length; i++) {
                others[i] = ByteBuffer.allocate(1);
            }
            m.buffers(others);
            m.add(many[0]);
            assertEquals(301, m.bufferCount());
            e = assertThrows(IllegalArgumentException.class, () -> m.add(others[299]));
            assertTrue(e.getMessage().startsWith("buffer 301 of the list is buffer 299 again"), e.getMessage());
            m.clearBuffers();
            for (int i = 0; i < 200; i++) {
                m.add(many[i]);
            }
            m.add(others[0]); // in the list before clearBuffers, not since
            assertEquals(201, m.bufferCount());
            e = assertThrows(IllegalArgumentException.class, () -> m.add(many[150]));
            assertTrue(e.getMessage().startsWith("buffer 201 of the list is buffer 150 again"), e.getMessage());
        }
    }

    /**
     * The list is read once: another thread writing the caller's array while it is taken cannot slip a null or a
     * second entry of one buffer past the checks (it did when the checks and the listing read the array apart).
     */
    @Test
    void aListWrittenByAnotherThreadWhileTakenNeverHoldsANullOrABufferTwice() throws Exception {
        ByteBuffer a = ByteBuffer.allocate(1);
        ByteBuffer b = ByteBuffer.allocate(1);
        ByteBuffer[] list = {a, b};
        java.lang.invoke.VarHandle element = java.lang.invoke.MethodHandles.arrayElementVarHandle(ByteBuffer[].class);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                element.setVolatile(list, 1, i % 3 == 0 ? a : i % 3 == 1 ? null : b);
            }
        });
        writer.start();
        int taken = 0;
        int refused = 0;
        try (Message m = new Message(0)) {
            long end = System.nanoTime() + 2_000_000_000L;
            for (int i = 0; i < 2_000_000 && System.nanoTime() < end; i++) {
                try {
                    m.buffers(list);
                } catch (NullPointerException | IllegalArgumentException e) {
                    refused++;
                    continue;
                }
                taken++;
                assertEquals(2, m.bufferCount());
                assertSame(a, m.buffer(0));
                assertSame(b, m.buffer(1), "the list holds what its checks passed");
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
        assertTrue(taken > 0 && refused > 0, taken + " lists taken, " + refused + " refused");
    }

    @Test
    void batchesAreLimitedTo1024Messages() {
        assertEquals(1024, MessageBatch.MAX_MESSAGES);
        assertThrows(IllegalArgumentException.class, () -> new MessageBatch(1025));
        assertThrows(IllegalArgumentException.class, () -> new MessageBatch(0));
        MessageBatch full = new MessageBatch(1024);
        Message m = new Message();
        for (int i = 0; i < 1024; i++) {
            full.add(m);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> full.add(m));
        assertTrue(e.getMessage().contains("1024"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> full.get(1024));
    }

    @Test
    void aMessageLargerThanTheBatchsCapacityIsRefused() throws Exception {
        MessageBatch b = new MessageBatch(4, 1000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.add(Message.of(ByteBuffer.allocate(1001))));
        assertTrue(e.getMessage().contains("staging capacity of 1000"), e.getMessage());
        b.add(Message.of(ByteBuffer.allocateDirect(100_000))); // direct buffers are not staged
        // messages that grow after being added are checked again at the call
        ByteBuffer grows = ByteBuffer.allocate(2000).limit(600);
        b.add(Message.of(grows)).add(Message.of(ByteBuffer.allocate(300)));
        grows.limit(2000);
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            assertThrows(IllegalArgumentException.class, () -> Posix.sendmmsg(p.a, b, 0));
            assertEquals(0, grows.position());
        }
    }

    @Test
    void aControlMessageTooLargeForItsSpaceIsRefused() {
        Message small = new Message(64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small.addControl(ControlMessage.rights(new int[100])));
        assertTrue(e.getMessage().contains("control space of 64"), e.getMessage());
        small.addControl(ControlMessage.ipTtl(5)).addControl(ControlMessage.ipTos(1));
        assertThrows(IllegalArgumentException.class, () -> small.addControl(ControlMessage.raw(0, 0, new byte[20])));
        assertEquals(2, small.controlCount());
        assertThrows(IllegalArgumentException.class, () -> new Message(-1));
        assertThrows(IllegalArgumentException.class, () -> new Message(Message.MAX_CONTROL_SPACE + 1));
    }

    @Test
    void rawControlMessagesOfLevelsThatMayHoldAddressesAreNotSent() {
        Message m = new Message(1024);
        // RDS_CMSG_RDMA_MAP (SOL_RDS 276, type 3): its payload names where the kernel writes a cookie
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.addControl(ControlMessage.raw(276, 3, new byte[48])));
        assertTrue(e.getMessage().contains("RDS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.addControl(ControlMessage.raw(263, 1, new byte[4])),
                "SOL_PACKET: a level posix-send does not send raw");
        assertEquals(0, m.controlCount());
        m.addControl(ControlMessage.raw(Posix.SOL_SOCKET, 1, new byte[4]))
                .addControl(ControlMessage.raw(Posix.IPPROTO_IP, 2, new byte[4]))
                .addControl(ControlMessage.raw(Posix.IPPROTO_IPV6, 8, new byte[4]))
                .addControl(ControlMessage.raw(Posix.IPPROTO_TCP, 1, new byte[4]))
                .addControl(ControlMessage.raw(Posix.IPPROTO_UDP, 103, new byte[2]))
                .addControl(ControlMessage.raw(132, 2, new byte[4]));
        if (Os.current() == Os.LINUX) {
            m.addControl(ControlMessage.raw(279, 3, new byte[4])).addControl(ControlMessage.raw(282, 1, new byte[1]));
        }
        assertEquals(Os.current() == Os.LINUX ? 8 : 6, m.controlCount());
    }

    @Test
    void badControlMessageValuesAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.udpSegment(70_000));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.udpSegment(-1));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.ipTos(256));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.ipTtl(-1));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.ipv6HopLimit(-2));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.ipv6Tclass(300));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.ipPktinfo(0, InetAddress.getByName("::1")));
        // an IPv4 source is its mapped IPv6 address, as java.net reads "::ffff:127.0.0.1"
        assertEquals("::ffff:127.0.0.1", Posix.inetNtop(Posix.AF_INET6,
                ControlMessage.ipv6Pktinfo(0, InetAddress.getByName("::ffff:127.0.0.1")).address().getAddress()));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.ipv6Pktinfo(-1, null));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.ipPktinfo(-1, null));
        assertThrows(UnsupportedOperationException.class, () -> ControlMessage.raw(Posix.UNSUPPORTED, 1, new byte[0]));
        assertThrows(IllegalStateException.class, () -> ControlMessage.ipTtl(3).fds());
        assertThrows(IllegalStateException.class, () -> ControlMessage.rights(1).value());
    }

    @Test
    void unsupportedKindsFailOnlyWhereThePlatformLacksThem() {
        if (Posix.isSupported(Posix.UDP_SEGMENT)) {
            assertEquals(Posix.UDP_SEGMENT, ControlMessage.udpSegment(1200).type());
        } else {
            assertThrows(UnsupportedOperationException.class, () -> ControlMessage.udpSegment(1200));
        }
    }

    @Test
    void badAddressesAndReadOnlyScatterBuffersAreRefused() throws Exception {
        Message m = new Message();
        assertThrows(UnresolvedAddressException.class,
                () -> m.destination(InetSocketAddress.createUnresolved("nowhere.invalid", 9)));
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Message ro = Message.of(ByteBuffer.allocate(4).asReadOnlyBuffer());
            assertThrows(ReadOnlyBufferException.class, () -> Posix.recvmsg(p.b, ro, 0));
            Message rod = Message.of(ByteBuffer.allocateDirect(4).asReadOnlyBuffer());
            assertThrows(ReadOnlyBufferException.class, () -> Posix.recvmsg(p.b, rod, 0));
        }
    }

    /** 250,000 each of trySendmsg and trySendmmsg with the same message on descriptor -1: each gets -EBADF. */
    @Test
    void halfAMillionMessageSendsOnABadDescriptorLeaveTheJvmAlive() {
        Message m = Message.of(ByteBuffer.allocateDirect(8));
        MessageBatch b = new MessageBatch(1).add(m);
        int ebadf = -Errno.EBADF.number();
        for (int i = 0; i < 250_000; i++) {
            assertEquals(ebadf, Posix.trySendmsg(-1, m, 0));
            assertEquals(ebadf, Posix.trySendmmsg(-1, b, 0));
        }
    }

    // ---- the backend's own checks: a malformed plan gets EINVAL, never a crash ----------------------------------

    private static final Backend B = Backends.current();
    private static final int EINVAL = -Errno.EINVAL.number();

    /** A valid one-message plan of one staged 4-byte iov and no controls, for a test to spoil. */
    private static MessagePlan plan() {
        MessagePlan p = new MessagePlan("test plan");
        p.begin(1, 1, 1, 64);
        int off = p.data(4);
        p.iovStaged(0, off, 4);
        p.message(0, 0, 0, 0, 1, 0, 0, 0, 0);
        return p;
    }

    /**
     * A plan writes each record only in its own table, as {@code begin} sized it: a message whose lists another
     * thread changes during its encoding would otherwise write iov records past the iov table, over the control
     * messages' records, whose levels were checked when they were added (some levels' payloads name addresses the
     * kernel then uses).
     */
    @Test
    void aPlanWritesEachRecordOnlyInItsOwnTable() {
        MessagePlan p = plan(); // one message record, one iov record, one cmsg record
        p.cmsg(0, Posix.IPPROTO_IP, 2, MessagePlan.KIND_RAW, 0, 0, 0, null);
        // the next iov record would be the cmsg record: its buffer index on the level, its position and length on
        // the data offset and length
        assertThrows(IllegalStateException.class, () -> p.iovDirect(1, 276, 64, 8));
        assertThrows(IllegalStateException.class, () -> p.iovStaged(1, 64, 8));
        assertThrows(IllegalStateException.class, () -> p.iovDirect(-1, 0, 0, 0));
        assertThrows(IllegalStateException.class, () -> p.cmsg(1, 276, 2, MessagePlan.KIND_RAW, 0, 0, 0, null));
        assertThrows(IllegalStateException.class, () -> p.message(1, 0, 0, 0, 1, 0, 1, 0, 0));
        assertEquals(Posix.IPPROTO_IP, p.cmsgInt(0, MessagePlan.C_LEVEL));
        assertEquals(2, p.cmsgInt(0, MessagePlan.C_TYPE));
        assertEquals(0, p.cmsgInt(0, MessagePlan.C_DATA_OFF));
        assertEquals(0, p.cmsgInt(0, MessagePlan.C_DATA_LEN));
        p.close();
    }

    @Test
    void theBackendRefusesAMalformedPlan() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            int fd = p.a;
            MessagePlan ok = plan();
            assertEquals(4, B.sendmsg(fd, ok, 0), "the unspoilt plan works");

            MessagePlan v = plan();
            v.buffer().putInt(MessagePlan.H_VERSION, 99);
            assertEquals(EINVAL, B.sendmsg(fd, v, 0), "version");

            MessagePlan two = plan();
            two.buffer().putInt(MessagePlan.H_MESSAGES, 2);
            assertEquals(EINVAL, B.sendmsg(fd, two, 0), "sendmsg takes one message");

            MessagePlan many = plan();
            many.buffer().putInt(MessagePlan.H_MESSAGES, 1025);
            assertEquals(EINVAL, B.sendmmsg(fd, many, 0, 1, 0), "over 1024 messages");

            MessagePlan negative = plan();
            negative.buffer().putInt(MessagePlan.H_MESSAGES, -1);
            assertEquals(EINVAL, B.sendmmsg(fd, negative, 0, 0, 0), "negative count");

            MessagePlan table = plan();
            table.buffer().putInt(MessagePlan.H_IOV_COUNT, 1 << 28);
            assertEquals(EINVAL, B.sendmsg(fd, table, 0), "iov table beyond the plan");

            MessagePlan iovs = plan();
            iovs.buffer().putInt(iovs.messageRecord(0) + MessagePlan.M_IOV_COUNT, 2);
            assertEquals(EINVAL, B.sendmsg(fd, iovs, 0), "iov count beyond the table");

            MessagePlan staged = plan();
            staged.iovStaged(0, staged.buffer().capacity() - 2, 4);
            assertEquals(EINVAL, B.sendmsg(fd, staged, 0), "staged bytes beyond the plan");

            ByteBuffer d = ByteBuffer.allocateDirect(16);
            MessagePlan direct = plan();
            int index = direct.addBuffer(d);
            direct.iovDirect(0, index, 10, 7);
            assertEquals(EINVAL, B.sendmsg(fd, direct, 0), "direct range beyond capacity");
            direct.iovDirect(0, index, -1, 4);
            assertEquals(EINVAL, B.sendmsg(fd, direct, 0), "negative position");
            direct.iovDirect(0, index + 1, 0, 4);
            assertEquals(EINVAL, B.sendmsg(fd, direct, 0), "a buffer index nothing is listed at");
            direct.iovDirect(0, 1 << 20, 0, 4);
            assertEquals(EINVAL, B.sendmsg(fd, direct, 0), "a buffer index beyond the list");
            direct.iovDirect(0, -2, 0, 4);
            assertEquals(EINVAL, B.sendmsg(fd, direct, 0), "a negative buffer index other than STAGED");
            assertThrows(IllegalArgumentException.class, () -> direct.addBuffer(ByteBuffer.allocate(16)),
                    "a heap buffer has no address to give the kernel");
            direct.iovDirect(0, index, 0, 16);
            assertEquals(16, B.sendmsg(fd, direct, 0), "the whole buffer is fine");
            ByteBuffer slice = d.slice(4, 8);
            int sliced = direct.addBuffer(slice);
            direct.iovDirect(0, sliced, 0, 9);
            assertEquals(EINVAL, B.sendmsg(fd, direct, 0), "a slice's capacity bounds it, not its parent's");
            direct.iovDirect(0, sliced, 0, 8);
            assertEquals(8, B.sendmsg(fd, direct, 0), "the whole slice is fine");

            // the plan remembers what it listed at each index, and must forget it when another buffer comes there
            MessagePlan relisted = plan();
            for (ByteBuffer b : new ByteBuffer[] {ByteBuffer.allocateDirect(2), d, ByteBuffer.allocateDirect(3), d}) {
                relisted.begin(1, 1, 1, 64);
                relisted.iovDirect(0, relisted.addBuffer(b), 0, 4);
                relisted.message(0, 0, 0, 0, 1, 0, 0, 0, 0);
                assertEquals(b.capacity() < 4 ? EINVAL : 4, B.sendmsg(fd, relisted, 0),
                        "4 bytes of a buffer of " + b.capacity() + " listed where another was before");
            }

            MessagePlan name = plan();
            name.buffer().putInt(name.messageRecord(0) + MessagePlan.M_NAME_LEN, 1000);
            assertEquals(EINVAL, B.sendmsg(fd, name, 0), "name longer than sockaddr_storage");

            MessagePlan kind = plan();
            kind.cmsg(0, 0, 0, 99, 0, 0, 0, null);
            kind.buffer().putInt(kind.messageRecord(0) + MessagePlan.M_CMSG_COUNT, 1);
            kind.buffer().putInt(kind.messageRecord(0) + MessagePlan.M_CTL_SPACE, 256);
            assertEquals(EINVAL, B.sendmsg(fd, kind, 0), "unknown cmsg kind");

            MessagePlan rights = plan();
            rights.cmsg(0, Posix.SOL_SOCKET, Posix.SCM_RIGHTS, MessagePlan.KIND_RIGHTS, 40, 3, 0, null);
            rights.buffer().putInt(rights.messageRecord(0) + MessagePlan.M_CMSG_COUNT, 1);
            rights.buffer().putInt(rights.messageRecord(0) + MessagePlan.M_CTL_SPACE, 256);
            assertEquals(EINVAL, B.sendmsg(fd, rights, 0), "descriptor bytes not a multiple of 4");

            MessagePlan space = plan();
            space.cmsg(0, Posix.IPPROTO_IP, Posix.IP_TTL, MessagePlan.KIND_INT, 0, 0, 5, null);
            space.buffer().putInt(space.messageRecord(0) + MessagePlan.M_CMSG_COUNT, 1);
            space.buffer().putInt(space.messageRecord(0) + MessagePlan.M_CTL_SPACE, 8);
            assertEquals(EINVAL, B.sendmsg(fd, space, 0), "control beyond its space");

            MessagePlan raw = plan();
            raw.cmsg(0, 0, 0, MessagePlan.KIND_RAW, raw.buffer().capacity() - 4, 8, 0, null);
            raw.buffer().putInt(raw.messageRecord(0) + MessagePlan.M_CMSG_COUNT, 1);
            raw.buffer().putInt(raw.messageRecord(0) + MessagePlan.M_CTL_SPACE, 256);
            assertEquals(EINVAL, B.sendmsg(fd, raw, 0), "raw data beyond the plan");

            MessagePlan ctl = plan();
            ctl.buffer().putInt(ctl.messageRecord(0) + MessagePlan.M_CTL_OFF, ctl.buffer().capacity() - 8);
            ctl.buffer().putInt(ctl.messageRecord(0) + MessagePlan.M_CTL_SPACE, 64);
            assertEquals(EINVAL, B.recvmsg(p.b, ctl, 0), "control copy area beyond the plan");
            assertNotNull(SocketIo.receive(p.b, 64, 2000), "the datagrams sent above are still there to read");
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.DatagramRounds;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The numbers Linux hands a UDP receiver in control messages: {@code SO_RXQ_OVFL}'s count of datagrams the socket
 * dropped, and {@code UDP_GRO}'s segment size of a datagram received as several, read as typed control messages and
 * without allocating through {@link Message#receivedValue}. Both are Linux's; NetBSD has neither (its kinds say
 * so, see ControlMessageTest).
 */
class ReceivedCountsTest {
    private static final int BURST = 64;
    private static final int SIZE = 1000;
    private static final int MARKER = 10;
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();
    private static final int EAGAIN = -Errno.EAGAIN.number();

    /**
     * A burst the receiver cannot hold (its buffer is the smallest Linux allows and it does not read), all of it
     * read back once the kernel has queued or dropped each datagram (no datagram for 100 ms), then one short datagram
     * read too. Returns how many of the burst arrived; {@code firstAndMarker} gets the drop count of the first
     * burst datagram read and that of the short one.
     */
    private static int burstThenMarker(Descriptors.Pair p, Message in, long[] firstAndMarker) throws Exception {
        Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1);
        ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
        for (int i = 0; i < BURST; i++) {
            out.clear();
            assertEquals(SIZE, Posix.trySend(p.a, out, 0), "a full receiver drops silently: every send succeeds");
        }
        int arrived = 0;
        firstAndMarker[0] = Long.MIN_VALUE;
        for (int quiet = 0; quiet < 20 && arrived <= BURST; ) {
            in.buffer(0).clear();
            long n = Posix.tryRecvmsg(p.b, in, DONTWAIT);
            if (n == EAGAIN) {
                quiet++;
                Thread.sleep(5);
                continue;
            }
            assertEquals(SIZE, n);
            if (arrived++ == 0) {
                firstAndMarker[0] = in.receivedValue(ControlMessage.Kind.RXQ_OVFL);
            }
            quiet = 0;
        }
        out.clear().limit(MARKER);
        assertEquals(MARKER, Posix.trySend(p.a, out, 0));
        in.buffer(0).clear();
        assertEquals(MARKER, SocketIo.receiveWithin2s(p.b, in));
        firstAndMarker[1] = in.receivedValue(ControlMessage.Kind.RXQ_OVFL);
        return arrived;
    }

    /**
     * With {@code SO_RXQ_OVFL}, the first datagram queued after drops carries the socket's drop count, which is
     * the burst less what arrived; a datagram queued before any drop carries none.
     */
    @ParameterizedTest(name = "ipv6 {0}")
    @ValueSource(booleans = {false, true})
    void theDatagramAfterTheDropsCarriesTheirCount(boolean v6) throws Exception {
        assumeTrue(ControlMessage.Kind.RXQ_OVFL.isSupported(), "SO_RXQ_OVFL is Linux's");
        try (Descriptors fds = new Descriptors();
                Message in = new Message().add(ByteBuffer.allocateDirect(SIZE + 16))) {
            Descriptors.Pair p = fds.udpPair(v6);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RXQ_OVFL, 1);
            assertEquals(1, Posix.getsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RXQ_OVFL));
            long[] values = new long[2];
            int arrived = burstThenMarker(p, in, values);
            assertTrue(arrived > 0 && arrived < BURST, arrived + " of " + BURST + " arrived");
            assertEquals(-1, values[0], "queued before any drop: no count");
            assertEquals(BURST - arrived, values[1], "the drop count the short datagram carries");
            List<ControlMessage> list = in.receivedControl();
            assertEquals(1, list.size(), list.toString());
            ControlMessage c = list.get(0);
            assertEquals(ControlMessage.Kind.RXQ_OVFL, c.kind());
            assertEquals(Posix.SOL_SOCKET, c.level());
            assertEquals(Posix.SO_RXQ_OVFL, c.type());
            assertEquals(BURST - arrived, c.value());
            assertEquals(-1, in.receivedValue(ControlMessage.Kind.UDP_GRO), "no other count came");
        }
    }

    @Test
    void withoutTheOptionNoCountArrives() throws Exception {
        assumeTrue(ControlMessage.Kind.RXQ_OVFL.isSupported(), "SO_RXQ_OVFL is Linux's");
        try (Descriptors fds = new Descriptors();
                Message in = new Message().add(ByteBuffer.allocateDirect(SIZE + 16))) {
            Descriptors.Pair p = fds.udpPair(false);
            long[] values = new long[2];
            int arrived = burstThenMarker(p, in, values);
            assertTrue(arrived > 0 && arrived < BURST, arrived + " of " + BURST + " arrived");
            assertEquals(-1, values[1]);
            assertEquals(List.of(), in.receivedControl());
        }
    }

    /** Each message of a recvmmsg batch keeps its own count: the burst's queued ones none, the later ones theirs. */
    @Test
    void eachMessageOfABatchKeepsItsOwnCount() throws Exception {
        assumeTrue(ControlMessage.Kind.RXQ_OVFL.isSupported(), "SO_RXQ_OVFL is Linux's");
        try (Descriptors fds = new Descriptors(); MessageBatch batch = new MessageBatch(BURST + 2)) {
            for (int i = 0; i < BURST + 2; i++) {
                batch.add(new Message(ControlMessage.space(ControlMessage.Kind.RXQ_OVFL))
                        .add(ByteBuffer.allocateDirect(SIZE)));
            }
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RXQ_OVFL, 1);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1);
            ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
            for (int i = 0; i < BURST; i++) {
                out.clear();
                assertEquals(SIZE, Posix.trySend(p.a, out, 0));
            }
            // what the kernel kept, read until none comes for 100 ms, then two more once there is room again
            int kept = 0;
            for (int quiet = 0; quiet < 20 && kept <= BURST; ) {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).buffer(0).clear();
                }
                int r = Posix.tryRecvmmsg(p.b, batch, DONTWAIT);
                if (r == EAGAIN) {
                    quiet++;
                    Thread.sleep(5);
                    continue;
                }
                assertTrue(r > 0, "recvmmsg " + r);
                if (kept == 0) {
                    assertEquals(-1, batch.get(0).receivedValue(ControlMessage.Kind.RXQ_OVFL),
                            "queued before any drop: no count");
                }
                kept += r;
                quiet = 0;
            }
            assertTrue(kept > 0 && kept < BURST, kept + " kept");
            for (int i = 0; i < 2; i++) {
                out.clear().limit(MARKER);
                assertEquals(MARKER, Posix.trySend(p.a, out, 0));
            }
            int got = 0;
            for (int round = 0; round < 400 && got < 2; round++) {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).buffer(0).clear();
                }
                int r = Posix.tryRecvmmsg(p.b, batch, 2 - got, DONTWAIT);
                if (r == EAGAIN) {
                    Thread.sleep(5);
                    continue;
                }
                assertTrue(r > 0, "recvmmsg " + r);
                for (int i = 0; i < r; i++) {
                    assertEquals(MARKER, batch.bytesReceived(i), "message " + i);
                    assertEquals(BURST - kept, batch.get(i).receivedValue(ControlMessage.Kind.RXQ_OVFL),
                            "message " + i);
                }
                got += r;
            }
            assertEquals(2, got);
        }
    }

    /** Four segments of {@link #SIZE} bytes in one send: a message with a {@code UDP_SEGMENT} control message. */
    private static Message segmentedSend() {
        return new Message().add(ByteBuffer.allocateDirect(4 * SIZE)).addControl(ControlMessage.udpSegment(SIZE));
    }

    /**
     * With {@code UDP_GRO}, a burst sent as one {@code UDP_SEGMENT} send arrives over loopback as one datagram with
     * its segment size (Linux keeps the burst whole on loopback for such a socket); without it, as the segments.
     */
    @ParameterizedTest(name = "ipv6 {0}")
    @ValueSource(booleans = {false, true})
    void aSegmentedSendArrivesWholeWithItsSegmentSize(boolean v6) throws Exception {
        assumeTrue(ControlMessage.Kind.UDP_GRO.isSupported(), "UDP_GRO is Linux's");
        try (Descriptors fds = new Descriptors();
                Message out = segmentedSend();
                Message in = new Message().add(ByteBuffer.allocateDirect(8 * SIZE))) {
            Descriptors.Pair p = fds.udpPair(v6);
            Posix.setsockopt(p.b, Posix.SOL_UDP, Posix.UDP_GRO, 1);
            assertEquals(4 * SIZE, Posix.sendmsg(p.a, out, 0));
            assertEquals(4 * SIZE, SocketIo.receiveWithin2s(p.b, in));
            assertEquals(SIZE, in.receivedValue(ControlMessage.Kind.UDP_GRO));
            assertEquals(-1, in.receivedValue(ControlMessage.Kind.RXQ_OVFL));
            List<ControlMessage> list = in.receivedControl();
            assertEquals(1, list.size(), list.toString());
            assertEquals(ControlMessage.Kind.UDP_GRO, list.get(0).kind());
            assertEquals(Posix.UDP_GRO, list.get(0).type());
            assertEquals(SIZE, list.get(0).value());

            Posix.setsockopt(p.b, Posix.SOL_UDP, Posix.UDP_GRO, 0);
            out.rewind();
            assertEquals(4 * SIZE, Posix.sendmsg(p.a, out, 0));
            for (int i = 0; i < 4; i++) {
                in.buffer(0).clear();
                assertEquals(SIZE, SocketIo.receiveWithin2s(p.b, in), "segment " + i);
                assertEquals(-1, in.receivedValue(ControlMessage.Kind.UDP_GRO), "segment " + i);
            }
        }
    }

    @Test
    void receivedValueAsksForAKindOfOneNumber() {
        try (Message m = new Message().add(ByteBuffer.allocateDirect(8))) {
            assertEquals(-1, m.receivedValue(ControlMessage.Kind.IP_TTL), "nothing received yet");
            assertThrows(NullPointerException.class, () -> m.receivedValue(null));
            for (ControlMessage.Kind k : new ControlMessage.Kind[] {ControlMessage.Kind.RIGHTS,
                ControlMessage.Kind.IP_PKTINFO, ControlMessage.Kind.IPV6_PKTINFO, ControlMessage.Kind.EXTENDED_ERROR,
                ControlMessage.Kind.TIMESTAMPING, ControlMessage.Kind.TIMESTAMPNS, ControlMessage.Kind.TIMESTAMP,
                ControlMessage.Kind.RAW}) {
                assertThrows(IllegalArgumentException.class, () -> m.receivedValue(k), k.name());
            }
        }
    }

    /** A GRO receive loop reading both counts allocates nothing beyond what the backend's downcalls may. */
    @Test
    void readingTheCountsAllocatesNothing() throws Exception {
        assumeTrue(ControlMessage.Kind.UDP_GRO.isSupported(), "UDP_GRO is Linux's");
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors();
                Message out = segmentedSend();
                Message in = new Message().add(ByteBuffer.allocateDirect(8 * SIZE))) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_UDP, Posix.UDP_GRO, 1);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RXQ_OVFL, 1);
            MessageAllocationTest.assertWithinBudget(DatagramRounds.leastBeyond("200 GRO receives", p.a, out, 4 * SIZE,
                    p.b, in, n -> n == 4 * SIZE && in.receivedValue(ControlMessage.Kind.UDP_GRO) == SIZE
                            && in.receivedValue(ControlMessage.Kind.RXQ_OVFL) == -1),
                    "200 segmented sends received whole, their segment size and drop count read");
        }
    }

    /** TCP_INQ: each receive from a TCP stream says how many bytes are still waiting, read in place or as an object. */
    @Test
    void tcpInqSaysWhatIsLeftToRead() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "TCP_INQ is Linux's");
        try (Descriptors fds = new Descriptors();
                Message in = new Message(ControlMessage.space(ControlMessage.Kind.TCP_INQ))
                        .add(ByteBuffer.allocateDirect(30))) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.b, Posix.IPPROTO_TCP, Posix.TCP_INQ, 1);
            Posix.send(p.a, new byte[100], 0, 100, 0);
            PollSet set = new PollSet(1);
            set.add(p.b, Posix.POLLIN);
            for (int i = 0; i < 100 && Posix.ioctlInt(p.b, Posix.FIONREAD) < 100; i++) {
                set.poll(50); // loopback delivers at once; bounded all the same
            }
            int left = 100;
            while (left > 0) {
                in.clearEachBuffer();
                int n = (int) Posix.recvmsg(p.b, in, 0);
                left -= n;
                assertEquals(left, in.receivedValue(ControlMessage.Kind.TCP_INQ), "after " + n + " bytes");
                ControlMessage c = in.receivedControl().get(0);
                assertEquals(ControlMessage.Kind.TCP_INQ, c.kind());
                assertEquals(Posix.TCP_CM_INQ, c.type());
                assertEquals(left, c.value());
            }
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.internal.Platform;
import io.github.posixsend.testing.DatagramRounds;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Message#receivedPayload}: a received control message's bytes after {@code CMSG_DATA}, by level and type,
 * copied into the caller's array without allocating: the same bytes {@link ControlMessage#data()} gives, as much as
 * fits, the whole length returned, -1 for a message that did not come.
 */
class ReceivedPayloadTest {
    private static final byte UNTOUCHED = 0x55;

    @Test
    void aPacketInfosPayloadIsItsBytesAsMuchAsFits() throws Exception {
        try (Descriptors fds = new Descriptors();
                Message in = new Message(ControlMessage.space(ControlMessage.Kind.IP_PKTINFO))
                        .add(ByteBuffer.allocateDirect(64))) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_PKTINFO, 1);
            assertEquals(4, Posix.send(p.a, new byte[] {1, 2, 3, 4}, 0, 4, 0));
            assertEquals(4, SocketIo.receiveWithin2s(p.b, in));
            List<ControlMessage> got = in.receivedControl();
            assertEquals(1, got.size(), got.toString());
            byte[] expected = got.get(0).data();
            assertEquals(Platform.value("SIZEOF_IN_PKTINFO"), expected.length, "struct in_pktinfo");

            byte[] room = filled(expected.length + 4);
            assertEquals(expected.length, in.receivedPayload(Posix.IPPROTO_IP, Posix.IP_PKTINFO, room));
            assertArrayEquals(expected, Arrays.copyOf(room, expected.length));
            assertArrayEquals(filled(4), Arrays.copyOfRange(room, expected.length, room.length), "the rest untouched");
            // ipi_addr, the destination the datagram was sent to: 127.0.0.1
            int addr = ByteBuffer.wrap(room).order(ByteOrder.nativeOrder()).position(8).slice()
                    .order(ByteOrder.BIG_ENDIAN).getInt(0);
            assertEquals(0x7f000001, addr, "ipi_addr");

            byte[] small = filled(3);
            assertEquals(expected.length, in.receivedPayload(Posix.IPPROTO_IP, Posix.IP_PKTINFO, small),
                    "the whole length, though only three bytes were taken");
            assertArrayEquals(Arrays.copyOf(expected, 3), small);
            assertEquals(expected.length, in.receivedPayload(Posix.IPPROTO_IP, Posix.IP_PKTINFO, new byte[0]));

            assertEquals(-1, in.receivedPayload(Posix.IPPROTO_IP, Posix.IP_TTL, room), "no such message came");
            assertEquals(-1, in.receivedPayload(Posix.IPPROTO_IPV6, Posix.IP_PKTINFO, room), "the level counts");
            assertThrows(NullPointerException.class, () -> in.receivedPayload(Posix.IPPROTO_IP, Posix.IP_PKTINFO,
                    null));

            // a receive without control messages forgets the last one's
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_PKTINFO, 0);
            in.buffer(0).clear();
            assertEquals(4, Posix.send(p.a, new byte[] {5, 6, 7, 8}, 0, 4, 0));
            assertEquals(4, SocketIo.receiveWithin2s(p.b, in));
            assertEquals(-1, in.receivedPayload(Posix.IPPROTO_IP, Posix.IP_PKTINFO, room));
        }
    }

    @Test
    void passedDescriptorsArriveAsTheirNumbers() throws Exception {
        try (Descriptors fds = new Descriptors();
                Message in = new Message(ControlMessage.space(Integer.BYTES))
                        .add(ByteBuffer.allocateDirect(8));
                Message out = Message.of(ByteBuffer.wrap(new byte[] {1}))) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            int[] pipe = Posix.pipe(0);
            fds.track(pipe[0]);
            fds.track(pipe[1]);
            out.addControl(ControlMessage.rights(pipe[1]));
            assertEquals(1, Posix.sendmsg(p.a, out, 0));
            assertEquals(1, SocketIo.receiveWithin2s(p.b, in));
            byte[] room = new byte[8];
            assertEquals(Integer.BYTES, in.receivedPayload(Posix.SOL_SOCKET, Posix.SCM_RIGHTS, room));
            int passed = fds.track(ByteBuffer.wrap(room).order(ByteOrder.nativeOrder()).getInt(0));
            assertEquals(in.receivedControl().get(0).fds()[0], passed);
            assertTrue(passed != pipe[1], "a new descriptor for the same pipe");
        }
    }

    @Test
    void readingAPayloadAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors();
                Message in = new Message(ControlMessage.space(ControlMessage.Kind.IP_PKTINFO))
                        .add(ByteBuffer.allocateDirect(64));
                Message out = Message.of(ByteBuffer.allocateDirect(16))) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, Posix.IP_PKTINFO, 1);
            byte[] room = new byte[64];
            int length = Platform.value("SIZEOF_IN_PKTINFO");
            MessageAllocationTest.assertWithinBudget(DatagramRounds.leastBeyond("200 receives", p.a, out, 16, p.b, in,
                    n -> n == 16 && in.receivedPayload(Posix.IPPROTO_IP, Posix.IP_PKTINFO, room) == length),
                    "200 datagrams received and their packet information's payload read");
        }
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, UNTOUCHED);
        return b;
    }
}

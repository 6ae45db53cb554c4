// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * {@link NetlinkAttributes}: attributes laid out by hand as the kernel lays them out (struct nlattr, value, padding
 * to 4 bytes) read back by type and size, a malformed one ending the walk as {@code nla_ok} ends it; then the
 * counters a loopback TCP send's acknowledgement timestamp carries ({@code SOF_TIMESTAMPING_OPT_STATS}).
 */
class NetlinkAttributesTest {
    /** A fixed header before the attributes, as a netlink message has one: the walk starts after it. */
    private static final int FIXED = 16;

    /** Appends one attribute of {@code type} with {@code value} and pads it to 4 bytes. */
    private static void put(ByteBuffer b, int type, byte[] value) {
        b.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        while (b.position() % 4 != 0) {
            b.put((byte) 0x77);
        }
    }

    private static byte[] number(int size, long v, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        switch (size) {
            case 1 -> b.put((byte) v);
            case 2 -> b.putShort((short) v);
            case 4 -> b.putInt((int) v);
            default -> b.putLong(v);
        }
        return b.array();
    }

    private static byte[] number(int size, long v) {
        return number(size, v, ByteOrder.nativeOrder());
    }

    @Test
    void eachAttributeIsFoundByTypeAndReadBySize() {
        assumeTrue(Os.current() == Os.LINUX, "netlink is Linux's");
        ByteBuffer b = ByteBuffer.allocate(160).order(ByteOrder.nativeOrder());
        b.position(FIXED);
        put(b, Posix.TCP_NLA_SND_CWND, number(4, 10));
        put(b, Posix.TCP_NLA_PAD, new byte[0]);
        put(b, Posix.TCP_NLA_BYTES_SENT, number(8, 0x1_0000_0001L));
        put(b, Posix.TCP_NLA_CA_STATE, number(1, 200));
        put(b, Posix.TCP_NLA_TIMEOUT_REHASH, number(2, 0xfffe));
        put(b, 0x8000 | 5, number(4, 5)); // NLA_F_NESTED: the type is 5 all the same
        put(b, 0x4000 | 6, number(4, 0x01020304, ByteOrder.BIG_ENDIAN)); // NLA_F_NET_BYTEORDER
        put(b, Posix.TCP_NLA_EDT, number(8, -1L));
        put(b, 9, new byte[3]);
        int end = b.position();
        byte[] a = b.array();

        assertEquals(10, NetlinkAttributes.unsigned(a, FIXED, end, Posix.TCP_NLA_SND_CWND));
        assertEquals(0x1_0000_0001L, NetlinkAttributes.unsigned(a, FIXED, end, Posix.TCP_NLA_BYTES_SENT));
        assertEquals(200, NetlinkAttributes.unsigned(a, FIXED, end, Posix.TCP_NLA_CA_STATE), "a u8, unsigned");
        assertEquals(0xfffe, NetlinkAttributes.unsigned(a, FIXED, end, Posix.TCP_NLA_TIMEOUT_REHASH), "a u16");
        assertEquals(5, NetlinkAttributes.unsigned(a, FIXED, end, 5), "the nested bit is not the type");
        assertEquals(0x01020304, NetlinkAttributes.unsigned(a, FIXED, end, 6), "in network order, as flagged");
        assertEquals(-1, NetlinkAttributes.unsigned(a, FIXED, end, Posix.TCP_NLA_EDT), "all ones, as absence");
        int edt = NetlinkAttributes.find(a, FIXED, end, Posix.TCP_NLA_EDT);
        assertTrue(edt > FIXED, "find tells all ones from absence");
        assertEquals(8, NetlinkAttributes.valueLength(a, edt));
        assertEquals(0, NetlinkAttributes.valueLength(a, NetlinkAttributes.find(a, FIXED, end, Posix.TCP_NLA_PAD)));
        assertThrows(IllegalArgumentException.class, () -> NetlinkAttributes.unsigned(a, FIXED, end, 9),
                "three bytes are no number");

        assertEquals(-1, NetlinkAttributes.unsigned(a, FIXED, end, Posix.TCP_NLA_SRTT), "not there");
        assertEquals(-1, NetlinkAttributes.find(a, FIXED, end - 8, 9), "the range ends the walk");
        assertEquals(-1, NetlinkAttributes.unsigned(a, FIXED, FIXED + 7, Posix.TCP_NLA_SND_CWND),
                "an attribute reaching past the range is not read");
        assertThrows(IndexOutOfBoundsException.class, () -> NetlinkAttributes.find(a, 0, a.length + 1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> NetlinkAttributes.find(a, 8, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> NetlinkAttributes.find(a, 0, end, 0x4000));
        assertThrows(IllegalArgumentException.class, () -> NetlinkAttributes.find(a, 0, end, -1));
        assertThrows(NullPointerException.class, () -> NetlinkAttributes.find(null, 0, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> NetlinkAttributes.valueLength(a, 2));
    }

    @Test
    void aWalkVisitsEveryAttributeInOrder() {
        assumeTrue(Os.current() == Os.LINUX, "netlink is Linux's");
        ByteBuffer b = ByteBuffer.allocate(96).order(ByteOrder.nativeOrder());
        b.position(FIXED);
        put(b, 3, number(1, 1));
        put(b, 0x8000 | 7, new byte[0]);
        put(b, 27, number(8, 5)); // a type newer than any constant: visited all the same
        put(b, 2, number(2, 9));
        int end = b.position();
        b.putShort((short) 2); // a malformed one after the range's end: not reached
        byte[] a = b.array();
        StringBuilder seen = new StringBuilder();
        int visits = 0;
        for (int v = NetlinkAttributes.first(a, FIXED, end); v >= 0 && visits < 10; v = NetlinkAttributes.next(a, v,
                end)) {
            seen.append(NetlinkAttributes.type(a, v)).append(':').append(NetlinkAttributes.valueLength(a, v))
                    .append(' ');
            visits++;
        }
        assertEquals("3:1 7:0 27:8 2:2 ", seen.toString(), "types without their flag bits, values' lengths");
        assertEquals(-1, NetlinkAttributes.first(a, end, end), "an empty range has none");
        assertEquals(-1, NetlinkAttributes.first(a, FIXED, FIXED + 4), "one cut by the range is not visited");
        int third = NetlinkAttributes.find(a, FIXED, end, 27);
        assertEquals(-1, NetlinkAttributes.next(a, third, third + 8), "the range ends after the third");
        ByteBuffer c = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        put(c, 1, number(4, 1));
        c.putShort((short) 3).putShort((short) 2); // shorter than a header
        assertEquals(-1, NetlinkAttributes.next(c.array(), NetlinkAttributes.first(c.array(), 0, 16), 16),
                "a malformed next one ends the walk");
        assertThrows(IndexOutOfBoundsException.class, () -> NetlinkAttributes.next(a, 2, end));
        assertThrows(IndexOutOfBoundsException.class, () -> NetlinkAttributes.type(a, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> NetlinkAttributes.first(a, 0, a.length + 1));
    }

    @Test
    void readingAttributesAllocatesNothing() {
        assumeTrue(Os.current() == Os.LINUX, "netlink is Linux's");
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        put(b, Posix.TCP_NLA_SND_CWND, number(4, 10));
        put(b, Posix.TCP_NLA_PAD, new byte[0]);
        put(b, Posix.TCP_NLA_BYTES_SENT, number(8, 1000));
        put(b, Posix.TCP_NLA_CA_STATE, number(1, 1));
        byte[] a = b.array();
        int end = b.position();
        SteadyAllocation.Round round = () -> {
            long wrong = 0;
            for (int i = 0; i < 10_000; i++) {
                long sum = NetlinkAttributes.unsigned(a, 0, end, Posix.TCP_NLA_SND_CWND)
                        + NetlinkAttributes.unsigned(a, 0, end, Posix.TCP_NLA_BYTES_SENT)
                        + NetlinkAttributes.unsigned(a, 0, end, Posix.TCP_NLA_CA_STATE)
                        + NetlinkAttributes.unsigned(a, 0, end, Posix.TCP_NLA_SRTT);
                int visited = 0;
                for (int v = NetlinkAttributes.first(a, 0, end); v >= 0; v = NetlinkAttributes.next(a, v, end)) {
                    visited += NetlinkAttributes.type(a, v) >= 0 ? 1 : 0;
                }
                wrong += sum == 10 + 1000 + 1 - 1 && visited == 4 ? 0 : 1;
            }
            return wrong;
        };
        MessageAllocationTest.assertWithinBudget(SteadyAllocation.leastBeyond("40,000 attribute reads", () -> 0, round),
                "attributes found and read");
    }

    @Test
    void aMalformedAttributeEndsTheWalk() {
        assumeTrue(Os.current() == Os.LINUX, "netlink is Linux's");
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        put(b, 1, number(4, 1));
        b.putShort((short) 2).putShort((short) 2); // shorter than its own header
        put(b, 3, number(4, 3));
        byte[] a = b.array();
        assertEquals(1, NetlinkAttributes.unsigned(a, 0, b.position(), 1));
        assertEquals(-1, NetlinkAttributes.unsigned(a, 0, b.position(), 3), "nothing after it is read");
        ByteBuffer c = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        c.putShort((short) 60).putShort((short) 1).putInt(1); // claims more than the range holds
        assertEquals(-1, NetlinkAttributes.find(c.array(), 0, 8, 1));
        assertEquals(-1, NetlinkAttributes.find(new byte[3], 0, 3, 0), "less than a header");
    }

    /**
     * Another thread rewriting an attribute's length while it is read: the value read is only ever of a length the
     * walk found inside the range, never of bytes past it.
     */
    @Test
    void aLengthRewrittenMeanwhileNeverReadsPastTheRange() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "netlink is Linux's");
        byte[] a = new byte[16];
        ByteBuffer b = ByteBuffer.wrap(a).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) 6).putShort(2, (short) 1).putShort(4, (short) 0x2211);
        b.putShort(6, (short) 0xeeee).putInt(8, 0xeeeeeeee).putInt(12, 0xeeeeeeee); // past the range: never read
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            short[] lengths = {6, 8, 12};
            for (int i = 0; !stop.get() && i < 50_000_000; i++) {
                b.putShort(0, lengths[i % 3]);
            }
        });
        writer.start();
        try {
            long deadline = System.nanoTime() + 1_000_000_000L;
            for (int i = 0; i < 5_000_000 && System.nanoTime() < deadline; i++) {
                long v = NetlinkAttributes.unsigned(a, 0, 6, 1);
                assertTrue(v == 0x2211 || v == -1, "read 0x" + Long.toHexString(v) + " from bytes 0..5 only");
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
    }

    @Test
    void refusedWhereThereIsNoNetlink() {
        assumeTrue(Os.current() != Os.LINUX, "elsewhere than Linux");
        assertThrows(UnsupportedOperationException.class, () -> NetlinkAttributes.find(new byte[8], 0, 8, 1));
    }

    /**
     * A loopback TCP send timestamped at its acknowledgement with {@code OPT_STATS}: the entry's
     * {@code SCM_TIMESTAMPING_OPT_STATS} holds the connection's counters after the bytes were sent and acknowledged.
     */
    @Test
    void anAcknowledgedSendsStatisticsCountItsBytes() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SOF_TIMESTAMPING_OPT_STATS is Linux's");
        try (Descriptors fds = new Descriptors(); Message in = new Message(1024).add(ByteBuffer.allocateDirect(16))) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, Posix.SOF_TIMESTAMPING_TX_ACK
                    | Posix.SOF_TIMESTAMPING_SOFTWARE | Posix.SOF_TIMESTAMPING_OPT_ID
                    | Posix.SOF_TIMESTAMPING_OPT_TSONLY | Posix.SOF_TIMESTAMPING_OPT_STATS);
            assertEquals(1000, Posix.send(p.a, new byte[1000], 0, 1000, 0));
            PollSet erred = new PollSet(1);
            erred.add(p.a, 0);
            assertEquals(1, ErrorQueueTest.readyWithinTwoSeconds(erred), "the acknowledgement comes within 2 s");
            Posix.recvmsg(p.a, in, MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT));
            ErrorQueueEntry entry = new ErrorQueueEntry();
            assertTrue(entry.read(in), in.receivedControl().toString());
            assertEquals(TxTimestamp.Point.ACKNOWLEDGED, entry.timestampPoint(), entry.toString());

            byte[] stats = new byte[1024];
            int n = in.receivedPayload(Posix.SOL_SOCKET, Posix.SCM_TIMESTAMPING_OPT_STATS, stats);
            assertTrue(n > 0 && n <= stats.length, "the statistics came, whole: " + n + " bytes");
            assertTrue(NetlinkAttributes.unsigned(stats, 0, n, Posix.TCP_NLA_BYTES_SENT) >= 1000, "bytes sent");
            assertTrue(NetlinkAttributes.unsigned(stats, 0, n, Posix.TCP_NLA_DATA_SEGS_OUT) >= 1, "segments out");
            assertTrue(NetlinkAttributes.unsigned(stats, 0, n, Posix.TCP_NLA_SND_CWND) >= 1, "a congestion window");
            assertEquals(0, NetlinkAttributes.unsigned(stats, 0, n, Posix.TCP_NLA_BYTES_NOTSENT), "all of it sent");
            long ttl = NetlinkAttributes.unsigned(stats, 0, n, Posix.TCP_NLA_TTL);
            assertTrue(ttl >= 1 && ttl <= 255, "the acknowledgement's TTL: " + ttl);
            for (int type : new int[] {Posix.TCP_NLA_BUSY, Posix.TCP_NLA_TOTAL_RETRANS, Posix.TCP_NLA_MIN_RTT,
                Posix.TCP_NLA_CA_STATE, Posix.TCP_NLA_SRTT, Posix.TCP_NLA_EDT, Posix.TCP_NLA_BYTES_RETRANS}) {
                assertTrue(NetlinkAttributes.find(stats, 0, n, type) >= 0, "attribute " + type + " is there");
            }
        }
    }
}

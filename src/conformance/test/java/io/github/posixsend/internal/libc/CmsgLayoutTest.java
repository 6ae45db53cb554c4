// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.posixsend.Os;
import io.github.posixsend.internal.ConstantTable;
import io.github.posixsend.internal.MessagePlan;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Control messages as each platform's {@code CMSG_*} macros and structs lay them out, built and parsed by the
 * Java-side backends' {@link Cmsgs} for Linux and for NetBSD on any host: the images are written out by hand from the
 * headers ({@link CmsgLayout} says which), and the sizes agree with posix-send's tables. No system call is made.
 */
class CmsgLayoutTest {
    /** Addresses for the plan reader: the JNR backend's, which loads on every host the tests run on. */
    private static final CLibrary LIBRARY =
            ((LibcBackend) io.github.posixsend.internal.jnr.JnrBackend.load()).library();
    private static final byte[] LOOPBACK_2 = {127, 0, 0, 2};

    private static int c(String name, Os os) {
        return ConstantTable.value(name, os);
    }

    @Test
    void layoutsAgreeWithTheTables() {
        for (Os os : new Os[] {Os.LINUX, Os.NETBSD}) {
            CmsgLayout l = CmsgLayout.of(os);
            MsghdrLayout m = MsghdrLayout.of(os);
            assertEquals(c("SIZEOF_MSGHDR", os), m.size, os + " msghdr");
            assertEquals(c("SIZEOF_MMSGHDR", os), m.sizeofMmsghdr, os + " mmsghdr");
            assertEquals(c("SIZEOF_IOVEC", os), MsghdrLayout.SIZEOF_IOVEC, os + " iovec");
            assertEquals(c("SIZEOF_CMSGHDR", os), l.sizeofCmsghdr, os + " cmsghdr");
            assertEquals(m.sizeofCmsghdr, l.sizeofCmsghdr, os + " cmsghdr in both layouts");
            assertEquals(c("CMSG_LEN_0", os), CmsgLayout.DATA, os + " CMSG_LEN(0)");
            assertEquals(c("CMSG_SPACE_0", os), CmsgLayout.space(0), os + " CMSG_SPACE(0)");
            assertEquals(c("CMSG_SPACE_1", os), CmsgLayout.space(1), os + " CMSG_SPACE(1)");
            assertEquals(c("CMSG_SPACE_INT", os), CmsgLayout.space(4), os + " CMSG_SPACE(sizeof(int))");
            assertEquals(c("SIZEOF_IN_PKTINFO", os), l.inPktinfo, os + " in_pktinfo");
            assertEquals(c("OFFSETOF_IPI_SPEC_DST", os), l.inSource, os + " ipi_spec_dst, a sent packet's source");
            assertEquals(c("SIZEOF_IN6_PKTINFO", os), CmsgLayout.IN6_PKTINFO, os + " in6_pktinfo");
        }
    }

    /** A plan of one message with an IP_TTL of 9, an IP_PKTINFO from 127.0.0.2 on interface 3 and 5 raw bytes. */
    private static MessagePlan plan(Os os) {
        MessagePlan p = io.github.posixsend.TestPlans.create();
        p.begin(1, 0, 3, 256);
        int raw = p.data(5);
        p.buffer().put(raw, new byte[] {1, 2, 3, 4, 5}, 0, 5);
        p.cmsg(0, c("IPPROTO_IP", os), c("IP_TTL", os), MessagePlan.KIND_INT, 0, 0, 9, null);
        p.cmsg(1, c("IPPROTO_IP", os), c("IP_PKTINFO", os), MessagePlan.KIND_IN_PKTINFO, 0, 0, 3, LOOPBACK_2);
        p.cmsg(2, 0x1234, 99, MessagePlan.KIND_RAW, raw, 5, 0, null);
        p.message(0, 0, 0, 0, 0, 0, 3, 0, 1024);
        return p;
    }

    /** Builds the plan's control messages with {@code os}'s layout; returns the control buffer's bytes. */
    private static byte[] build(Os os, MessagePlan plan, int expectedSpace) {
        Cmsgs cmsgs = new Cmsgs(CmsgLayout.of(os), MsghdrLayout.of(os));
        PlanReader p = new PlanReader(LIBRARY);
        try {
            assertTrue(p.open(plan, 1, 1));
            assertTrue(p.reserve(4096));
            assertEquals(expectedSpace, cmsgs.space(p, 0, 3));
            int at = p.take(expectedSpace);
            ByteBuffer hdr = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
            assertTrue(cmsgs.build(p, 0, 3, at, expectedSpace, hdr, 0));
            assertEquals(p.scratchAddress + at, hdr.getLong(MsghdrLayout.CONTROL), "msg_control");
            assertEquals(expectedSpace, MsghdrLayout.of(os).getControllen(hdr, 0), "msg_controllen");
            byte[] out = new byte[expectedSpace];
            p.scratch.get(at, out);
            return out;
        } finally {
            p.close();
        }
    }

    /** A little-endian image writer. */
    private static final class Image {
        final ByteBuffer b;

        Image(int size) {
            b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        }

        Image i32(int at, int v) {
            b.putInt(at, v);
            return this;
        }

        Image i64(int at, long v) {
            b.putLong(at, v);
            return this;
        }

        Image bytes(int at, byte... v) {
            b.put(at, v);
            return this;
        }
    }

    @Test
    void linuxControlMessagesAreGlibcs() {
        assertTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "images are written for little-endian hosts");
        Image want = new Image(80)
                // cmsghdr {size_t len; int level; int type;}: IP_TTL (2), CMSG_LEN(4) = 20, an int payload
                .i64(0, 20).i32(8, 0).i32(12, 2).i32(16, 9)
                // IP_PKTINFO (8), CMSG_LEN(12) = 28: {ipi_ifindex, ipi_spec_dst = the source, ipi_addr}
                .i64(24, 28).i32(32, 0).i32(36, 8).i32(40, 3).bytes(44, LOOPBACK_2)
                // raw, CMSG_LEN(5) = 21, at CMSG_SPACE(4) + CMSG_SPACE(12) = 24 + 32
                .i64(56, 21).i32(64, 0x1234).i32(68, 99).bytes(72, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5);
        assertArrayEquals(want.b.array(), build(Os.LINUX, plan(Os.LINUX), 80));
    }

    @Test
    void netbsdControlMessagesAreNetbsds() {
        assertTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "images are written for little-endian hosts");
        Image want = new Image(72)
                // cmsghdr {socklen_t len; int level; int type;} (12 bytes), data at 16: IP_TTL (4), CMSG_LEN(4) = 20
                .i32(0, 20).i32(4, 0).i32(8, 4).i32(16, 9)
                // IP_PKTINFO (0x19), CMSG_LEN(8) = 24: {ipi_addr = the source, ipi_ifindex}
                .i32(24, 24).i32(28, 0).i32(32, 0x19).bytes(40, LOOPBACK_2).i32(44, 3)
                // raw, CMSG_LEN(5) = 21, at CMSG_SPACE(4) + CMSG_SPACE(8) = 24 + 24
                .i32(48, 21).i32(52, 0x1234).i32(56, 99).bytes(64, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5);
        assertArrayEquals(want.b.array(), build(Os.NETBSD, plan(Os.NETBSD), 72));
    }

    /** What {@link #parse} made: the plan, where its copy room starts, and how many records the parse wrote. */
    private record Parsed(MessagePlan plan, int copy, int count) {
    }

    /**
     * Parses {@code controllen} bytes of {@code control}, as {@code os}'s kernel writes them, into a plan of one
     * message with {@code records} cmsg records and {@code room} bytes of copy room; descriptors no record reports
     * go to {@code close}.
     */
    private static Parsed parse(Os os, Image control, int controllen, int records, int room,
            java.util.function.IntConsumer close) {
        Cmsgs cmsgs = new Cmsgs(CmsgLayout.of(os), MsghdrLayout.of(os));
        MessagePlan plan = io.github.posixsend.TestPlans.create();
        plan.begin(1, 0, records, 512);
        int copy = plan.data(room);
        for (int k = 0; k < records; k++) {
            plan.cmsg(k, 0, 0, 0, 0, 0, 0, null);
        }
        plan.message(0, 0, 0, 0, 0, 0, records, copy, room);
        PlanReader p = new PlanReader(LIBRARY);
        try {
            assertTrue(p.open(plan, 1, 1));
            assertTrue(p.reserve(4096));
            int at = p.take(control.b.capacity());
            p.scratch.put(at, control.b.array());
            ByteBuffer hdr = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
            MsghdrLayout.of(os).putControl(hdr, 0, p.scratchAddress + at, controllen);
            return new Parsed(plan, copy, cmsgs.parse(p, hdr, 0, 0, records, copy, room, close));
        } finally {
            p.close();
        }
    }

    /**
     * Parses a control buffer image as {@code os}'s kernel writes it (SCM_RIGHTS of descriptors 7 and 8, an
     * IP_PKTINFO for 127.0.0.2 on interface 1, an IPV6_HOPLIMIT of 64) and checks the records.
     */
    private static void parses(Os os, Image control, int controllen) {
        java.util.List<Integer> closed = new java.util.ArrayList<>();
        Parsed r = parse(os, control, controllen, 4, 256, closed::add);
        assertEquals(3, r.count(), os + ": control messages parsed");
        assertEquals(java.util.List.of(), closed, "every descriptor is reported");
        MessagePlan plan = r.plan();
        int copy = r.copy();
        assertEquals(c("SOL_SOCKET", os), plan.cmsgInt(0, MessagePlan.C_LEVEL));
        assertEquals(MessagePlan.KIND_RIGHTS, plan.cmsgInt(0, MessagePlan.C_KIND));
        assertEquals(8, plan.cmsgInt(0, MessagePlan.C_DATA_LEN));
        assertEquals(copy, plan.cmsgInt(0, MessagePlan.C_DATA_OFF));
        assertEquals(7, plan.buffer().getInt(copy));
        assertEquals(8, plan.buffer().getInt(copy + 4));

        assertEquals(MessagePlan.KIND_IN_PKTINFO, plan.cmsgInt(1, MessagePlan.C_KIND));
        assertEquals(1, plan.cmsgInt(1, MessagePlan.C_VALUE), "interface index");
        byte[] addr = new byte[4];
        plan.buffer().get(plan.cmsgRecord(1) + MessagePlan.C_ADDRESS, addr);
        assertArrayEquals(LOOPBACK_2, addr, "ipi_addr");
        assertEquals(copy + 8, plan.cmsgInt(1, MessagePlan.C_DATA_OFF), "8-aligned copies");
        assertEquals(CmsgLayout.of(os).inPktinfo, plan.cmsgInt(1, MessagePlan.C_DATA_LEN));

        assertEquals(c("IPPROTO_IPV6", os), plan.cmsgInt(2, MessagePlan.C_LEVEL));
        assertEquals(MessagePlan.KIND_INT, plan.cmsgInt(2, MessagePlan.C_KIND));
        assertEquals(64, plan.cmsgInt(2, MessagePlan.C_VALUE));
    }

    @Test
    void linuxControlMessagesParse() {
        Image control = new Image(256)
                .i64(0, 24).i32(8, 1).i32(12, 1).i32(16, 7).i32(20, 8)
                .i64(24, 28).i32(32, 0).i32(36, 8).i32(40, 1).bytes(44, LOOPBACK_2).bytes(48, LOOPBACK_2)
                .i64(56, 20).i32(64, 41).i32(68, 0x34).i32(72, 64);
        parses(Os.LINUX, control, 80);
    }

    @Test
    void netbsdControlMessagesParse() {
        Image control = new Image(256)
                .i32(0, 24).i32(4, 0xffff).i32(8, 1).i32(16, 7).i32(20, 8)
                .i32(24, 24).i32(28, 0).i32(32, 0x19).bytes(40, LOOPBACK_2).i32(44, 1)
                .i32(48, 20).i32(52, 41).i32(56, 0x2f).i32(64, 64);
        parses(Os.NETBSD, control, 72);
    }

    @Test
    void netbsdReceivedTtlIsOneByteOfTypeIpRecvttl() {
        // NetBSD delivers the TTL asked for with IP_RECVTTL as a one-byte payload of type IP_RECVTTL (23), not IP_TTL
        Image control = new Image(64).i32(0, 17).i32(4, 0).i32(8, 23).bytes(16, (byte) 64);
        Parsed r = parse(Os.NETBSD, control, 24, 2, 64, fd -> fail("no descriptors here"));
        assertEquals(1, r.count());
        MessagePlan plan = r.plan();
        assertEquals(23, c("IP_RECVTTL", Os.NETBSD));
        assertEquals(23, plan.cmsgInt(0, MessagePlan.C_TYPE));
        assertEquals(MessagePlan.KIND_INT, plan.cmsgInt(0, MessagePlan.C_KIND), "decoded as a number");
        assertEquals(64, plan.cmsgInt(0, MessagePlan.C_VALUE));
    }

    @Test
    void descriptorsNoRecordReportsAreClosed() {
        // SCM_RIGHTS of 7, 8 and 9 (CMSG_LEN(12) = 28, CMSG_SPACE(12) = 32), then SCM_RIGHTS of 10 (CMSG_LEN(4) = 20)
        Image control = new Image(64)
                .i64(0, 28).i32(8, 1).i32(12, 1).i32(16, 7).i32(20, 8).i32(24, 9)
                .i64(32, 20).i32(40, 1).i32(44, 1).i32(48, 10);
        java.util.List<Integer> closed = new java.util.ArrayList<>();
        // one record: 7, 8 and 9 are reported; 10, past the record, would be the process's with nobody to close it
        // (the records Java offers cover every message its control space can hold: this is the last guard)
        Parsed r = parse(Os.LINUX, control, 56, 1, 64, closed::add);
        assertEquals(1, r.count());
        MessagePlan plan = r.plan();
        int copy = r.copy();
        assertEquals(12, plan.cmsgInt(0, MessagePlan.C_DATA_LEN));
        assertEquals(9, plan.buffer().getInt(copy + 8));
        assertEquals(java.util.List.of(10), closed);
    }
}

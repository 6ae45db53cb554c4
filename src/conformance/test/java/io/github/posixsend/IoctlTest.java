// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ioctl(2)} requests that read an int: FIONREAD, SIOCOUTQ, SIOCOUTQNSD, on loopback with known queued data. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoctlTest {

    /** Polls until {@code fd} is readable, so that what was sent over loopback has arrived. */
    private static void awaitReadable(int fd) throws Exception {
        PollSet set = new PollSet(1);
        set.add(fd, Posix.POLLIN);
        assertEquals(1, set.poll(5000), "data arrives over loopback");
    }

    @Test
    void fionreadCountsTheBytesWaitingOnAStream() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            assertEquals(0, Posix.ioctlInt(p.b, Posix.FIONREAD));
            Posix.send(p.a, ByteBuffer.allocate(1000), 0);
            awaitReadable(p.b);
            int waiting = 0;
            for (int i = 0; i < 500 && waiting < 1000; i++) { // loopback delivers at once; bounded all the same
                waiting = Posix.ioctlInt(p.b, Posix.FIONREAD);
                if (waiting < 1000) {
                    Thread.sleep(1);
                }
            }
            assertEquals(1000, waiting);
            assertEquals(400, Posix.recv(p.b, new byte[400], 0, 400, 0));
            assertEquals(600, Posix.ioctlInt(p.b, Posix.FIONREAD));
        }
    }

    @Test
    void fionreadOnADatagramSocketIsTheNextDatagramsSizeOnLinux() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "NetBSD reports every queued byte instead");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            assertEquals(0, Posix.ioctlInt(p.b, Posix.FIONREAD));
            Posix.send(p.a, ByteBuffer.allocate(100), 0);
            Posix.send(p.a, ByteBuffer.allocate(200), 0);
            awaitReadable(p.b);
            assertEquals(100, Posix.ioctlInt(p.b, Posix.FIONREAD));
            Posix.recv(p.b, new byte[512], 0, 512, 0);
            assertEquals(200, Posix.ioctlInt(p.b, Posix.FIONREAD));
            // SIOCINQ is Linux's other name for the request, and reads the same
            assertEquals(Posix.FIONREAD, Posix.SIOCINQ);
            assertEquals(200, Posix.ioctlInt(p.b, Posix.SIOCINQ));
        }
    }

    /**
     * The receiver reads nothing until its window is shut, so the sender's queue keeps what could not go: every
     * byte the sender's send calls took is then either in the receiver's queue (FIONREAD) or still in the
     * sender's (SIOCOUTQ), and none of the latter has been sent (SIOCOUTQNSD: not sent, so not acknowledged).
     */
    @Test
    void siocoutqAndSiocoutqnsdCountWhatTheSenderStillHolds() throws Exception {
        assumeTrue(Posix.isSupported(Posix.SIOCOUTQ) && Posix.isSupported(Posix.SIOCOUTQNSD), "Linux only");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            assertEquals(0, Posix.ioctlInt(p.a, Posix.SIOCOUTQ), "nothing sent yet");
            assertEquals(0, Posix.ioctlInt(p.a, Posix.SIOCOUTQNSD));
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 32 * 1024);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 16 * 1024);
            Posix.setBlocking(p.a, false);
            long accepted = SocketIo.fillUntilWouldBlock(p.a, 4096, 0, 10_000);

            int outq = 0;
            int waiting = 0;
            for (int i = 0; i < 2000 && waiting + outq != accepted; i++) { // settles within a few ms on loopback
                outq = Posix.ioctlInt(p.a, Posix.SIOCOUTQ);
                waiting = Posix.ioctlInt(p.b, Posix.FIONREAD);
                if (waiting + outq != accepted) {
                    Thread.sleep(1);
                }
            }
            assertEquals(accepted, waiting + outq, "FIONREAD " + waiting + " + SIOCOUTQ " + outq);
            assertTrue(outq > 0, "the shut window keeps data in the sender's queue");
            int unsent = Posix.ioctlInt(p.a, Posix.SIOCOUTQNSD);
            assertTrue(unsent > 0 && unsent <= outq, "SIOCOUTQNSD " + unsent + " of SIOCOUTQ " + outq);

            // once the receiver drains, everything is sent and acknowledged
            SocketIo.drain(p.b, null, 200, 100_000);
            int left = -1;
            for (int i = 0; i < 2000 && left != 0; i++) {
                left = Posix.ioctlInt(p.a, Posix.SIOCOUTQ);
                if (left != 0) {
                    Thread.sleep(1);
                }
            }
            assertEquals(0, left);
            assertEquals(0, Posix.ioctlInt(p.a, Posix.SIOCOUTQNSD));
        }
    }

    @Test
    void errorsAndMissingRequests() throws Exception {
        assertThrows(BadDescriptorException.class, () -> Posix.ioctlInt(-1, Posix.FIONREAD));
        NullPointerException noRoom = assertThrows(NullPointerException.class,
                () -> Posix.tryIoctlInt(0, Posix.FIONREAD, null));
        assertEquals("out", noRoom.getMessage());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Posix.ioctlInt(0, Posix.UNSUPPORTED));
        assertTrue(e.getMessage().contains(Os.current().toString()), e.getMessage());
        if (Os.current() == Os.LINUX) {
            assertTrue(Posix.isSupported(Posix.SIOCOUTQ));
            assertTrue(Posix.isSupported(Posix.SIOCOUTQNSD));
            assertTrue(Posix.isSupported(Posix.SIOCINQ));
        } else {
            assertFalse(Posix.isSupported(Posix.SIOCINQ));
            assertThrows(UnsupportedOperationException.class, () -> Posix.ioctlInt(0, Posix.SIOCOUTQ));
        }
    }

    @Test
    void onlyRequestsThatWriteAnIntAreTaken() throws Exception {
        // SIOCGIFCONF and SIOCGIFNAME read and write whole structs: given room for one int, the kernel would
        // read a pointer out of it or write past it
        int[] others = {0x8912, 0x8910, 0x5401, 0, -1};
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.boundUdp(false);
            for (int request : others) {
                assertThrows(IllegalArgumentException.class, () -> Posix.ioctlInt(fd, request), "0x"
                        + Integer.toHexString(request));
                assertEquals(-Errno.EINVAL.number(),
                        io.github.posixsend.internal.Backends.current().ioctlInt(fd, request, new int[1]),
                        "the backend refuses it too: 0x" + Integer.toHexString(request));
            }
        }
    }

    @Test
    void theNonThrowingFormAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.send(p.a, ByteBuffer.allocate(21), 0);
            awaitReadable(p.b);
            int[] out = new int[1];
            assertEquals(-Errno.EBADF.number(), Posix.tryIoctlInt(-1, Posix.FIONREAD, out));
            assertThrows(IllegalArgumentException.class, () -> Posix.tryIoctlInt(p.b, Posix.FIONREAD, new int[0]));
            SteadyAllocation.Round reads = () -> {
                long wrong = 0;
                for (int i = 0; i < 10_000; i++) {
                    wrong += Posix.tryIoctlInt(p.b, Posix.FIONREAD, out) == 0 && out[0] == 21 ? 0 : 1;
                }
                return wrong;
            };
            assertEquals(0, reads.run() + reads.run(), "every call read the 21 bytes waiting (warm-up)");
            assertEquals(0, SteadyAllocation.leastBeyond("10,000 FIONREAD calls",
                    () -> AllocationBudget.forDowncalls(10_000), reads),
                    "bytes allocated by 10,000 calls beyond the budget");
        }
    }

    /**
     * {@code SIOCGSTAMP} and {@code SIOCGSTAMPNS}: {@code ENOENT} before anything arrived, then when the last datagram
     * arrived (kept by Linux only on a socket that asks for no receive times in control messages: with
     * {@code SO_TIMESTAMP} set the answer stays {@code ENOENT}); and the non-throwing form allocates nothing.
     */
    @Test
    void siocgstampReadsTheLastDatagramsTime() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SIOCGSTAMP is Linux's");
        try (Descriptors fds = new Descriptors(); Message in = new Message(64).add(ByteBuffer.allocateDirect(8))) {
            // another socket that wants receive times keeps Linux stamping packets as they arrive, once its deferred
            // switch-on has run: until then a datagram has no arrival time, and SIOCGSTAMP answers with the time of
            // the ioctl
            Descriptors.Pair stamping = fds.udpPair(false);
            Posix.setsockopt(stamping.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMP, 1);
            SocketIo.awaitArrivalTimes(stamping.a, stamping.b);
            Descriptors.Pair p = fds.udpPair(false);
            long[] out = {-7};
            assertEquals(-Errno.ENOENT.number(), Posix.tryIoctlStamp(p.b, Posix.SIOCGSTAMP, out), "nothing came yet");
            assertEquals(-7, out[0], "a failure leaves out as it was");
            ErrnoException e = assertThrows(ErrnoException.class, () -> Posix.ioctlStampNanos(p.b, Posix.SIOCGSTAMPNS));
            assertEquals(Errno.ENOENT, e.errno());
            assertTrue(e.getMessage().startsWith("ioctl(SIOCGSTAMPNS): ENOENT"), e.getMessage());
            for (int round = 0; round < 3; round++) {
                long sent = wallNanos() / 1_000 * 1_000;
                Posix.send(p.a, new byte[] {(byte) round}, 0, 1, 0);
                Thread.sleep(20);
                long slept = wallNanos();
                in.clearEachBuffer();
                assertEquals(1, Posix.recvmsg(p.b, in, 0));
                long t = Posix.ioctlStampNanos(p.b, Posix.SIOCGSTAMP);
                assertTrue(t >= sent && t <= slept, "arrived between the send and the end of the sleep after it: "
                        + sent + " <= " + t + " <= " + slept);
                assertEquals(0, t % 1_000, "a timeval's whole microseconds");
                long ns = Posix.ioctlStampNanos(p.b, Posix.SIOCGSTAMPNS);
                assertEquals(t, ns / 1_000 * 1_000, "the same arrival, in nanoseconds: " + ns);
            }
            // a socket that takes its times as control messages keeps none for the ioctl
            Posix.setsockopt(stamping.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMP, 1);
            Posix.send(stamping.a, new byte[] {9}, 0, 1, 0);
            assertEquals(1, Posix.recv(stamping.b, new byte[8], 0, 8, 0));
            assertEquals(-Errno.ENOENT.number(), Posix.tryIoctlStamp(stamping.b, Posix.SIOCGSTAMP, out));
            assertEquals(-Errno.EBADF.number(), Posix.tryIoctlStamp(-1, Posix.SIOCGSTAMP, out));
            assertThrows(IllegalArgumentException.class, () -> Posix.tryIoctlStamp(p.b, Posix.FIONREAD, out));
            assertThrows(IllegalArgumentException.class, () -> Posix.tryIoctlStamp(p.b, Posix.SIOCGSTAMP, new long[0]));
            assertThrows(UnsupportedOperationException.class,
                    () -> Posix.tryIoctlStamp(p.b, Posix.UNSUPPORTED, out));
            assertThrows(IllegalArgumentException.class, () -> Posix.ioctlInt(p.b, Posix.SIOCGSTAMP),
                    "ioctlInt takes no request whose struct is larger than an int");

            SteadyAllocation.assumeMeasurable();
            long last = Posix.ioctlStampNanos(p.b, Posix.SIOCGSTAMPNS);
            SteadyAllocation.Round reads = () -> {
                long wrong = 0;
                for (int i = 0; i < 10_000; i++) {
                    wrong += Posix.tryIoctlStamp(p.b, Posix.SIOCGSTAMPNS, out) == 0 && out[0] == last ? 0 : 1;
                }
                return wrong;
            };
            assertEquals(0, reads.run() + reads.run(), "every call read the last datagram's time (warm-up)");
            assertEquals(0, SteadyAllocation.leastBeyond("10,000 SIOCGSTAMPNS calls",
                    () -> AllocationBudget.forDowncalls(10_000), reads),
                    "bytes allocated by 10,000 calls beyond the budget");
        }
    }

    /** The wall clock in nanoseconds since the epoch, as the kernel's receive times count. */
    private static long wallNanos() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}

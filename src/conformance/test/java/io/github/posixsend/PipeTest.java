// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.Fdinfo;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * {@code pipe2(2)} and the close-on-exec flag ({@code fcntl} {@code F_GETFD}/{@code F_SETFD}), on whichever backend
 * the run selected: the ends in the right order and with the flags asked for, bytes through and end of file, the
 * kernel's errors typed as the other calls' are, and a pipe end passed with {@code SCM_RIGHTS} as C code passes it.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a wrong flag could leave a read blocked
class PipeTest {
    private static final int EAGAIN = -Errno.EAGAIN.number();
    private static final int EBADF = -Errno.EBADF.number();

    /** Both ends of a new pipe, tracked for closing. */
    private static Descriptors.Pair pipe(Descriptors fds, int flags) throws ErrnoException {
        int[] p = Posix.pipe(flags);
        assertEquals(2, p.length);
        assertNotEquals(p[0], p[1]);
        return new Descriptors.Pair(fds.track(p[0]), fds.track(p[1]));
    }

    @Test
    void aPipeWithoutFlagsIsBlockingCarriesBytesAndEndsWithEndOfFile() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = pipe(fds, 0);
            for (int end : new int[] {p.a, p.b}) {
                assertTrue(Posix.isBlocking(end), "end " + end + " is blocking");
                assertFalse(Posix.isCloseOnExec(end), "end " + end + " is not close-on-exec");
            }
            // the read end first, as C's pipe fills p[0] and p[1]: each end is open for its one direction only
            assertEquals(EBADF, Posix.tryWrite(p.a, new byte[] {1}, 0, 1));
            assertEquals(EBADF, Posix.tryRead(p.b, new byte[1], 0, 1));

            assertEquals(5, Posix.write(p.b, new byte[] {1, 2, 3, 4, 5}, 0, 5));
            ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {6, 7, 8}).flip();
            assertEquals(3, Posix.write(p.b, direct));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, SocketIo.readFully(p.a, 8));

            fds.closeNow(p.b);
            assertEquals(0, Posix.read(p.a, new byte[4], 0, 4), "end of file once the write end is closed");
            assertEquals(0, Posix.read(p.a, ByteBuffer.allocateDirect(4)), "and again");
        }
    }

    @Test
    void oNonblockAndOCloexecReachBothEnds() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = pipe(fds, Posix.O_NONBLOCK | Posix.O_CLOEXEC);
            for (int end : new int[] {p.a, p.b}) {
                assertFalse(Posix.isBlocking(end), "end " + end + " is non-blocking");
                assertTrue(Posix.isCloseOnExec(end), "end " + end + " is close-on-exec");
            }
            assertEquals(EAGAIN, Posix.tryRead(p.a, new byte[4], 0, 4), "an empty non-blocking pipe");
            assertEquals(Errno.EAGAIN, assertThrows(WouldBlockException.class,
                    () -> Posix.read(p.a, ByteBuffer.allocate(4))).errno());
            assertEquals(2, Posix.write(p.b, new byte[] {4, 2}, 0, 2));
            byte[] got = new byte[4];
            assertEquals(2, Posix.tryRead(p.a, got, 0, 4));
            assertArrayEquals(new byte[] {4, 2, 0, 0}, got);

            Descriptors.Pair one = pipe(fds, Posix.O_NONBLOCK);
            assertFalse(Posix.isBlocking(one.a));
            assertFalse(Posix.isCloseOnExec(one.a), "O_NONBLOCK alone");
            Descriptors.Pair other = pipe(fds, Posix.O_CLOEXEC);
            assertTrue(Posix.isBlocking(other.b));
            assertTrue(Posix.isCloseOnExec(other.b), "O_CLOEXEC alone");
        }
    }

    @Test
    void theKernelShowsTheFlagAsIsCloseOnExecReadsIt() throws Exception {
        Fdinfo.assumeAvailable(); // the kernel's own view of the flag, apart from fcntl
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair with = pipe(fds, Posix.O_CLOEXEC);
            Descriptors.Pair without = pipe(fds, 0);
            assertTrue(Fdinfo.closeOnExec(with.a) && Fdinfo.closeOnExec(with.b), "pipe(O_CLOEXEC)");
            assertFalse(Fdinfo.closeOnExec(without.a) || Fdinfo.closeOnExec(without.b), "pipe(0)");
            Posix.setCloseOnExec(without.a, true);
            assertTrue(Fdinfo.closeOnExec(without.a), "set");
            Posix.setCloseOnExec(without.a, false);
            assertFalse(Fdinfo.closeOnExec(without.a), "cleared");
        }
    }

    @Test
    void closeOnExecRoundTripsOnASocket() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int s = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            assertFalse(Posix.isCloseOnExec(s), "a socket made without SOCK_CLOEXEC");
            Posix.setCloseOnExec(s, true);
            assertTrue(Posix.isCloseOnExec(s), "set");
            Posix.setCloseOnExec(s, true);
            assertTrue(Posix.isCloseOnExec(s), "set again: no change");
            assertTrue(Posix.isBlocking(s), "the descriptor's flag, not the file's: O_NONBLOCK untouched");
            Posix.setCloseOnExec(s, false);
            assertFalse(Posix.isCloseOnExec(s), "cleared");
            Posix.setCloseOnExec(s, false);
            assertFalse(Posix.isCloseOnExec(s), "cleared again: no change");

            int made = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM | Posix.SOCK_CLOEXEC);
            assertTrue(Posix.isCloseOnExec(made), "a socket made with SOCK_CLOEXEC");
            Posix.setBlocking(made, false);
            assertTrue(Posix.isCloseOnExec(made), "O_NONBLOCK set: FD_CLOEXEC untouched");
        }
    }

    @Test
    void aBadDescriptorIsEbadf() throws Exception {
        List<Executable> calls = List.of(() -> Posix.setCloseOnExec(-1, true), () -> Posix.setCloseOnExec(-1, false),
                () -> Posix.isCloseOnExec(-1));
        for (Executable call : calls) {
            BadDescriptorException e = assertThrows(BadDescriptorException.class, call);
            assertEquals(Errno.EBADF, e.errno());
            assertEquals("fcntl", e.call());
            assertTrue(e.getMessage().startsWith("fcntl: EBADF ("), e.getMessage());
        }
        // a closed pipe end: its number is free, unless another thread of the JVM opened something in between and
        // got it (the kernel hands out the lowest free number), so a few tries, one of which must see EBADF
        boolean refused = false;
        for (int i = 0; i < 10 && !refused; i++) {
            try (Descriptors fds = new Descriptors()) {
                Descriptors.Pair p = pipe(fds, 0);
                fds.closeNow(p.a);
                try {
                    Posix.isCloseOnExec(p.a);
                } catch (BadDescriptorException e) {
                    assertEquals(Errno.EBADF, e.errno());
                    refused = true;
                }
            }
        }
        assertTrue(refused, "a closed pipe end was never refused with EBADF");
    }

    @Test
    void anUnknownFlagIsEinvalOnLinux() {
        // NetBSD's pipe2 refuses unknown flags too, but its answer was not seen on a NetBSD machine
        assumeTrue(Os.current() == Os.LINUX, "the errno for an unknown pipe2 flag is Linux's EINVAL");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> {
            int[] made = Posix.pipe(0x40000000);
            Posix.close(made[0]); // not the caller's mistake to leak: the test fails, the process stays clean
            Posix.close(made[1]);
        });
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("pipe2", e.call());
        assertTrue(e.getMessage().startsWith("pipe2: EINVAL ("), e.getMessage());
        int[] kept = {-3, -4};
        assertEquals(-Errno.EINVAL.number(), Posix.tryPipe(0x40000000, kept), "the non-throwing form's -errno");
        assertArrayEquals(new int[] {-3, -4}, kept, "and the caller's array as it was");
    }

    /** The C idiom the pipe is for: a pipe's write end passed with SCM_RIGHTS, written through at the other end. */
    @Test
    void aPipeEndPassedWithScmRightsIsWrittenAtTheOtherEnd() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int[] pipe = Posix.pipe(Posix.O_CLOEXEC);
            int in = fds.track(pipe[0]);
            int out = fds.track(pipe[1]);
            int[] link = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_STREAM, 0);
            fds.track(link[0]);
            fds.track(link[1]);
            int passed;
            try (Message tx = Message.of(ByteBuffer.wrap(new byte[] {1})).addControl(ControlMessage.rights(out));
                    Message rx = Message.of(ByteBuffer.allocate(4))) {
                assertEquals(1, Posix.sendmsg(link[0], tx, 0));
                assertEquals(1, Posix.recvmsg(link[1], rx, 0));
                assertEquals(1, rx.receivedControl().size());
                ControlMessage got = rx.receivedControl().get(0);
                assertEquals(Posix.SCM_RIGHTS, got.type());
                int[] received = got.fds();
                assertEquals(1, received.length);
                passed = received[0];
            }
            boolean closed = false;
            try {
                // a new number for the same write end, without the sender's close-on-exec (no MSG_CMSG_CLOEXEC)
                assertNotEquals(out, passed);
                assertFalse(Posix.isCloseOnExec(passed));
                fds.closeNow(out);
                assertEquals(3, Posix.write(passed, new byte[] {9, 8, 7}, 0, 3));
                assertArrayEquals(new byte[] {9, 8, 7}, SocketIo.readFully(in, 3));
                Posix.close(passed);
                closed = true;
                assertEquals(0, Posix.read(in, new byte[4], 0, 4), "end of file once the last write end is closed");
            } finally {
                if (!closed) {
                    Posix.close(passed);
                }
            }
        }
    }

    /** A descriptor received with MSG_CMSG_CLOEXEC is close-on-exec, as pipe2(O_CLOEXEC) would make it. */
    @Test
    void msgCmsgCloexecMakesTheReceivedEndCloseOnExec() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = pipe(fds, 0);
            Descriptors.Pair link = fds.unixPair(Posix.SOCK_STREAM);
            try (Message tx = Message.of(ByteBuffer.wrap(new byte[] {1})).addControl(ControlMessage.rights(p.a));
                    Message rx = Message.of(ByteBuffer.allocate(4))) {
                assertEquals(1, Posix.sendmsg(link.a, tx, 0));
                assertEquals(1, Posix.recvmsg(link.b, rx, MsgFlag.MSG_CMSG_CLOEXEC.value()));
                int passed = fds.track(rx.receivedControl().get(0).fds()[0]);
                assertTrue(Posix.isCloseOnExec(passed));
                assertFalse(Posix.isCloseOnExec(p.a), "the sender's own end keeps its flag");
            }
        }
    }
}

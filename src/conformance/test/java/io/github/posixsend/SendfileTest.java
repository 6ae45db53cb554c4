// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SideBySide;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sendfile(2)} on whichever backend the run selected: a file's bytes to a TCP peer, a Unix stream socket and a
 * pipe, byte for byte; from the file position, which advances, or from an offset, which leaves it alone; a short count
 * at the end of the file and 0 after it; the kernel's errors typed ({@code EAGAIN} from a full non-blocking socket,
 * {@code EBADF}, {@code EINVAL}); a negative count refused before the call; no allocation in the non-throwing forms.
 * SameAsCTest holds the same calls to C's answers.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken check could block in sendfile
class SendfileTest {
    private static final int SIZE = 48 * 1024;
    private static final long EAGAIN = -Errno.EAGAIN.number();

    @TempDir
    Path folder;
    private byte[] content;
    private Path file;

    @BeforeEach
    void linuxAndAFile() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "sendfile is Linux's");
        content = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            content[i] = (byte) (i * 31 + i / 256);
        }
        file = Files.write(folder.resolve("content"), content);
    }

    private FileChannel open() throws Exception {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    @Test
    void aWholeFileGoesToATcpPeerFromItsPositionWhichAdvances() throws Exception {
        try (Descriptors fds = new Descriptors(); FileChannel ch = open()) {
            int in = SideBySide.descriptorOf(ch);
            Descriptors.Pair p = fds.tcpPair();
            long sent = 0;
            for (int i = 0; i < 100 && sent < SIZE; i++) {
                long n = Posix.sendfile(p.a, in, SIZE - sent);
                assertTrue(n > 0, "call " + i + " sent " + n + " with " + (SIZE - sent) + " left");
                sent += n;
                assertEquals(sent, ch.position(), "the file position follows the bytes sent");
            }
            assertEquals(SIZE, sent);
            assertArrayEquals(content, SocketIo.readFully(p.b, SIZE));
            assertEquals(0, Posix.sendfile(p.a, in, 100), "at the end of the file");
            assertEquals(0, Posix.trySendfile(p.a, in, 100), "at the end of the file, not throwing");
        }
    }

    @Test
    void fromAnOffsetTheFilePositionStaysWhereItWas() throws Exception {
        try (Descriptors fds = new Descriptors(); FileChannel ch = open()) {
            int in = SideBySide.descriptorOf(ch);
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            ch.position(7);
            assertEquals(20, Posix.sendfile(p.a, in, 100, 20));
            assertEquals(30, Posix.trySendfile(p.a, in, 120, 30), "C's next offset: the last plus the count");
            assertEquals(7, ch.position(), "an offset leaves the file position alone");
            assertArrayEquals(Arrays.copyOfRange(content, 100, 150), SocketIo.readFully(p.b, 50));
            assertEquals(5, Posix.sendfile(p.a, in, 3, 5), "from an offset before the file position");
            assertArrayEquals(Arrays.copyOfRange(content, 3, 8), SocketIo.readFully(p.b, 5));
        }
    }

    @Test
    void aCountPastTheEndSendsWhatIsLeftToAPipe() throws Exception {
        try (FileChannel ch = open()) {
            int in = SideBySide.descriptorOf(ch);
            int[] pipe = Posix.pipe(0);
            try {
                assertEquals(5, Posix.sendfile(pipe[1], in, SIZE - 5, 1000));
                assertArrayEquals(Arrays.copyOfRange(content, SIZE - 5, SIZE), SocketIo.readFully(pipe[0], 5));
                assertEquals(0, Posix.sendfile(pipe[1], in, SIZE, 1000), "from the end");
                assertEquals(0, Posix.sendfile(pipe[1], in, SIZE + 1000, 1000), "from past the end");
                assertEquals(0, Posix.sendfile(pipe[1], in, 0, 0), "a count of 0");
                assertEquals(0, ch.position());
            } finally {
                Posix.close(pipe[0]);
                Posix.close(pipe[1]);
            }
        }
    }

    @Test
    void aFullNonBlockingSocketWouldBlock() throws Exception {
        try (Descriptors fds = new Descriptors(); FileChannel ch = open()) {
            int in = SideBySide.descriptorOf(ch);
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            Posix.setBlocking(p.a, false);
            SocketIo.fillUntilWouldBlock(p.a, 4096, 0, 100_000);
            assertEquals(EAGAIN, Posix.trySendfile(p.a, in, 0, 4096));
            assertEquals(EAGAIN, Posix.trySendfile(p.a, in, 4096));
            assertEquals(0, ch.position(), "nothing was sent");
            WouldBlockException e = assertThrows(WouldBlockException.class, () -> Posix.sendfile(p.a, in, 4096));
            assertEquals("sendfile", e.call());
        }
    }

    @Test
    void kernelErrorsAreTypedAndNameTheCall() throws Exception {
        try (Descriptors fds = new Descriptors(); FileChannel ch = open()) {
            int in = SideBySide.descriptorOf(ch);
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            int closed = Descriptors.NEVER_OPEN;
            BadDescriptorException bad = assertThrows(BadDescriptorException.class,
                    () -> Posix.sendfile(p.a, closed, 10));
            assertTrue(bad.getMessage().startsWith("sendfile(out " + p.a + ", in " + closed + ", count 10): EBADF ("),
                    bad.getMessage());
            assertEquals(-Errno.EBADF.number(), Posix.trySendfile(closed, in, 10), "a closed out descriptor");
            int[] pipe = Posix.pipe(0);
            try {
                Posix.write(pipe[1], new byte[4], 0, 4); // waiting bytes: a kernel that read pipes would not block
                InvalidArgumentException inval = assertThrows(InvalidArgumentException.class,
                        () -> Posix.sendfile(p.a, pipe[0], 10), "a pipe as the file");
                assertEquals(Errno.EINVAL, inval.errno());
                ErrnoException seek = assertThrows(ErrnoException.class, () -> Posix.sendfile(p.a, pipe[0], 0, 10),
                        "a pipe as the file, at an offset");
                assertEquals(Errno.ESPIPE, seek.errno());
                assertTrue(seek.getMessage().startsWith("sendfile(out " + p.a + ", in " + pipe[0] + ", offset 0, count "
                        + "10): ESPIPE"), seek.getMessage());
            } finally {
                Posix.close(pipe[0]);
                Posix.close(pipe[1]);
            }
            assertEquals(-Errno.EINVAL.number(), Posix.trySendfile(p.a, p.b, 10),
                    "a socket as the file, to a socket");
            int[] toPipe = Posix.pipe(0);
            try {
                // a socket into a pipe: Linux 5.12 and later read it (3 bytes wait, so nothing blocks), older refuse
                assertEquals(3, Posix.send(p.a, new byte[3], 0, 3, 0));
                long fromSocket = Posix.trySendfile(toPipe[1], p.b, 10);
                assertTrue(fromSocket == 3 || fromSocket == -Errno.EINVAL.number(), "a socket into a pipe: "
                        + fromSocket);
            } finally {
                Posix.close(toPipe[0]);
                Posix.close(toPipe[1]);
            }
            assertEquals(-Errno.EINVAL.number(), Posix.trySendfile(p.a, in, 1, Long.MAX_VALUE),
                    "a count past the largest offset");
            assertEquals(-Errno.EINVAL.number(), Posix.trySendfile(p.a, in, -1, 10), "a negative offset");
            assertEquals(0, ch.position());
        }
    }

    @Test
    void aNegativeCountIsRefusedBeforeTheCall() throws Exception {
        try (Descriptors fds = new Descriptors(); FileChannel ch = open()) {
            int in = SideBySide.descriptorOf(ch);
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            Posix.setBlocking(p.b, false);
            assertThrows(IllegalArgumentException.class, () -> Posix.sendfile(p.a, in, -1));
            assertThrows(IllegalArgumentException.class, () -> Posix.trySendfile(p.a, in, 0, Long.MIN_VALUE));
            assertEquals(0, ch.position());
            assertEquals(EAGAIN, Posix.tryRecv(p.b, new byte[16], 0, 16, 0), "nothing reached the peer");
        }
    }

    @Test
    void theNonThrowingFormsAllocateNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (FileChannel ch = open()) {
            int in = SideBySide.descriptorOf(ch);
            int[] pipe = Posix.pipe(0);
            try {
                byte[] one = new byte[1];
                // a round trip of one byte from an offset (the file position would run out over the rounds)
                IntSupplier roundTrip = () -> (int) Posix.trySendfile(pipe[1], in, 9, 1)
                        + Posix.tryRead(pipe[0], one, 0, 1);
                assertEquals(0, SteadyAllocation.calls(20_000, roundTrip, 2).run(), "warm-up");
                long bytes = SteadyAllocation.leastBeyond("sendfile", () -> AllocationBudget.forDowncalls(20_000),
                        SteadyAllocation.calls(10_000, roundTrip, 2));
                assertEquals(0, bytes, "bytes allocated by 10,000 sendfile calls and reads beyond the budget");
                assertEquals(content[9], one[0]);
            } finally {
                Posix.close(pipe[0]);
                Posix.close(pipe[1]);
            }
        }
    }
}

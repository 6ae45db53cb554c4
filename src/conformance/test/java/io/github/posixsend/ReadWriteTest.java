// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.Arenas;
import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.SideBySide;
import io.github.posixsend.testing.SigpipeProbe;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * {@code read(2)} and {@code write(2)} on sockets, pipes and files, on whichever backend the run selected: every
 * buffer form byte for byte with its position, 0 at end of file, the kernel's errors typed as the other calls' are
 * ({@code EBADF}, {@code EAGAIN}, {@code EPIPE}, the JVM living on), Java's argument checks before any call, and
 * no allocation in the non-throwing forms.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken check could block in read
class ReadWriteTest {
    private static final int EAGAIN = -Errno.EAGAIN.number();
    private static final int EBADF = -Errno.EBADF.number();
    private static final int EPIPE = -Errno.EPIPE.number();

    /**
     * A pipe from java.nio, whose channels own and close its two descriptors: {@code in} is its read end, {@code out}
     * its write end.
     */
    private static final class PipeEnds implements AutoCloseable {
        final Pipe.SourceChannel source;
        final Pipe.SinkChannel sink;
        final int in;
        final int out;

        PipeEnds() throws IOException {
            Pipe p = Pipe.open();
            source = p.source();
            sink = p.sink();
            in = SideBySide.descriptorOf(source);
            out = SideBySide.descriptorOf(sink);
        }

        @Override
        public void close() throws IOException {
            try (Channel a = source; Channel b = sink) {
                // both closed, the first failure thrown
            }
        }
    }

    /** {@code n} bytes counting up from {@code first}. */
    private static byte[] bytes(int first, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    @Test
    void aSocketpairCarriesEveryBufferKindByteForByte() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            byte[] data = bytes(1, 40);

            // a direct buffer from its position to its limit
            ByteBuffer direct = ByteBuffer.allocateDirect(64).put(new byte[3]).put(data, 0, 10).flip().position(3);
            assertEquals(10, Posix.write(p.a, direct));
            assertEquals(13, direct.position(), "the position advances by the count");
            ByteBuffer directIn = ByteBuffer.allocateDirect(64).position(5).limit(15);
            assertEquals(10, Posix.read(p.b, directIn));
            assertEquals(15, directIn.position());
            byte[] seen = new byte[10];
            directIn.get(5, seen);
            assertArrayEquals(Arrays.copyOfRange(data, 0, 10), seen);

            // a heap slice whose array starts before it, and a read-only view
            ByteBuffer heap = ByteBuffer.wrap(new byte[64]).position(7).slice().put(data, 10, 10).flip();
            assertEquals(7, heap.arrayOffset());
            assertEquals(10, Posix.write(p.a, heap));
            assertEquals(10, heap.position());
            ByteBuffer readOnly = ByteBuffer.wrap(data, 20, 10).asReadOnlyBuffer();
            assertEquals(10, Posix.tryWrite(p.a, readOnly));
            assertEquals(30, readOnly.position());
            ByteBuffer heapIn = ByteBuffer.wrap(new byte[64]).position(11).slice().position(2).limit(22);
            assertEquals(20, Posix.read(p.b, heapIn));
            assertEquals(22, heapIn.position());
            assertArrayEquals(Arrays.copyOfRange(data, 10, 30), Arrays.copyOfRange(heapIn.array(), 13, 33));

            // arrays with an offset: nothing outside the range is sent or touched
            assertEquals(10, Posix.write(p.a, data, 30, 10));
            byte[] into = new byte[16];
            Arrays.fill(into, (byte) -1);
            assertEquals(10, Posix.tryRead(p.b, into, 3, 12));
            assertArrayEquals(Arrays.copyOfRange(data, 30, 40), Arrays.copyOfRange(into, 3, 13));
            for (int i : new int[] {0, 1, 2, 13, 14, 15}) {
                assertEquals(-1, into[i], "index " + i + " is outside the range read into");
            }

            // nothing is left over, and the other direction works the same
            Posix.setBlocking(p.b, false);
            assertEquals(EAGAIN, Posix.tryRead(p.b, new byte[1], 0, 1));
            assertEquals(3, Posix.write(p.b, new byte[] {7, 8, 9}, 0, 3));
            assertArrayEquals(new byte[] {7, 8, 9}, SocketIo.readFully(p.a, 3));
        }
    }

    /** Above the 8 KiB that the JNI backend copies in Java: the shim's own copy, and the libc backends' larger one. */
    @Test
    void aPipeCarriesLargeArraysAndDirectBuffers() throws Exception {
        try (PipeEnds pipe = new PipeEnds()) {
            byte[] large = bytes(3, 20_000);
            // a pipe holds 64 KiB: each write goes in whole, and a read takes all there is up to its length
            assertEquals(20_000, Posix.write(pipe.out, large, 0, large.length));
            byte[] got = new byte[20_002];
            assertEquals(20_000, Posix.read(pipe.in, got, 1, 20_001));
            assertArrayEquals(large, Arrays.copyOfRange(got, 1, 20_001));

            ByteBuffer direct = ByteBuffer.allocateDirect(20_000).put(large).flip();
            assertEquals(20_000, Posix.tryWrite(pipe.out, direct));
            assertFalse(direct.hasRemaining());
            ByteBuffer heap = ByteBuffer.allocate(30_000);
            assertEquals(20_000, Posix.tryRead(pipe.in, heap));
            assertEquals(20_000, heap.position());
            assertArrayEquals(large, Arrays.copyOf(heap.array(), 20_000));
        }
    }

    @Test
    void readAtEndOfFileReturnsZero() throws Exception {
        try (PipeEnds pipe = new PipeEnds(); Descriptors fds = new Descriptors()) {
            assertEquals(2, Posix.write(pipe.out, new byte[] {4, 5}, 0, 2));
            pipe.sink.close(); // the last write end: what was written is still read, then end of file
            ByteBuffer buf = ByteBuffer.allocateDirect(8);
            assertEquals(2, Posix.read(pipe.in, buf));
            assertEquals(0, Posix.read(pipe.in, buf));
            assertEquals(2, buf.position(), "end of file moves no position");
            assertEquals(0, Posix.tryRead(pipe.in, ByteBuffer.allocate(8)));
            assertEquals(0, Posix.tryRead(pipe.in, new byte[8], 0, 8));

            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            Posix.shutdown(p.a, Posix.SHUT_WR);
            assertEquals(0, Posix.read(p.b, new byte[4], 0, 4), "a stream whose peer shut down writing");
            assertEquals(0, Posix.read(p.b, ByteBuffer.allocateDirect(4)));
        }
    }

    @Test
    void aFileIsReadAndWritten() throws Exception {
        Path file = Files.createTempFile("posixsend-rw", ".bin");
        try {
            Files.write(file, "hello".getBytes(StandardCharsets.US_ASCII));
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                int fd = SideBySide.descriptorOf(ch);
                ByteBuffer buf = ByteBuffer.allocate(16);
                assertEquals(5, Posix.read(fd, buf));
                assertEquals("hello", new String(buf.array(), 0, 5, StandardCharsets.US_ASCII));
                assertEquals(0, Posix.read(fd, buf), "end of the file");
                assertEquals(6, Posix.write(fd, " world".getBytes(StandardCharsets.US_ASCII), 0, 6));
            }
            assertEquals("hello world", Files.readString(file, StandardCharsets.US_ASCII));
        } finally {
            Files.delete(file);
        }
    }

    /** What read and write are for here: a pipe's end received with SCM_RIGHTS, used as C would use it. */
    @Test
    void aPipeEndReceivedWithScmRightsIsWritten() throws Exception {
        try (PipeEnds pipe = new PipeEnds(); Descriptors fds = new Descriptors();
                Message tx = Message.of(ByteBuffer.wrap(new byte[] {1})).addControl(ControlMessage.rights(pipe.out));
                Message rx = Message.of(ByteBuffer.allocate(4))) {
            Descriptors.Pair link = fds.unixPair(Posix.SOCK_STREAM);
            assertEquals(1, Posix.sendmsg(link.a, tx, 0));
            assertEquals(1, Posix.recvmsg(link.b, rx, 0));
            int[] got = rx.receivedControl().get(0).fds();
            assertEquals(1, got.length);
            int passed = fds.track(got[0]);
            assertEquals(3, Posix.write(passed, new byte[] {9, 8, 7}, 0, 3));
            assertArrayEquals(new byte[] {9, 8, 7}, SocketIo.readFully(pipe.in, 3));
        }
    }

    @Test
    void aBadDescriptorIsEbadf() throws Exception {
        BadDescriptorException r = assertThrows(BadDescriptorException.class,
                () -> Posix.read(-1, ByteBuffer.allocate(4)));
        assertEquals(Errno.EBADF, r.errno());
        assertEquals("read", r.call());
        assertTrue(r.getMessage().startsWith("read: EBADF ("), r.getMessage());
        BadDescriptorException w = assertThrows(BadDescriptorException.class,
                () -> Posix.write(-1, new byte[4], 0, 4));
        assertEquals(Errno.EBADF, w.errno());
        assertTrue(w.getMessage().startsWith("write: EBADF ("), w.getMessage());
        assertEquals(EBADF, Posix.tryRead(-1, new byte[4], 0, 4));
        assertEquals(EBADF, Posix.tryRead(-1, ByteBuffer.allocateDirect(4)));
        assertEquals(EBADF, Posix.tryWrite(-1, ByteBuffer.allocateDirect(4)));
        assertEquals(EBADF, Posix.tryWrite(-1, ByteBuffer.allocate(4)));

        // each end of a pipe is open for one direction only
        try (PipeEnds pipe = new PipeEnds()) {
            assertEquals(EBADF, Posix.tryWrite(pipe.in, new byte[] {1}, 0, 1));
            assertEquals(Errno.EBADF, assertThrows(BadDescriptorException.class,
                    () -> Posix.write(pipe.in, ByteBuffer.allocateDirect(1))).errno());
            assertEquals(EBADF, Posix.tryRead(pipe.out, new byte[1], 0, 1));
            assertEquals(Errno.EBADF, assertThrows(BadDescriptorException.class,
                    () -> Posix.read(pipe.out, ByteBuffer.allocate(1))).errno());
        }
    }

    @Test
    void anEmptyOrFullNonBlockingDescriptorWouldBlock() throws Exception {
        try (PipeEnds pipe = new PipeEnds(); Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            for (int fd : new int[] {pipe.in, p.b}) {
                Posix.setBlocking(fd, false);
                ByteBuffer direct = ByteBuffer.allocateDirect(8).position(2);
                assertEquals(EAGAIN, Posix.tryRead(fd, direct));
                assertEquals(2, direct.position(), "a failure moves no position");
                assertEquals(EAGAIN, Posix.tryRead(fd, ByteBuffer.allocate(8)));
                assertEquals(EAGAIN, Posix.tryRead(fd, new byte[8], 0, 8));
                WouldBlockException e = assertThrows(WouldBlockException.class, () -> Posix.read(fd, direct));
                assertEquals(Errno.EAGAIN, e.errno());
                assertEquals("read", e.call());
                assertEquals(2, direct.position());
                assertThrows(WouldBlockException.class, () -> Posix.read(fd, new byte[8], 0, 8));
            }

            // a pipe holds 64 KiB by default (at most 1 MiB unprivileged): 4 MiB of writes must fill it
            Posix.setBlocking(pipe.out, false);
            byte[] chunk = new byte[4096];
            int r = 0;
            for (int i = 0; i < 1024 && r >= 0; i++) {
                r = Posix.tryWrite(pipe.out, chunk, 0, chunk.length);
            }
            assertEquals(EAGAIN, r, "the pipe never filled");
            WouldBlockException e = assertThrows(WouldBlockException.class,
                    () -> Posix.write(pipe.out, ByteBuffer.allocateDirect(4096)));
            assertEquals("write", e.call());
            assertEquals(EAGAIN, Posix.tryWrite(pipe.out, ByteBuffer.allocate(4096)));
        }
    }

    /**
     * A write with no reader left raises SIGPIPE, which the JVM ignores: the call fails with EPIPE, on a pipe and on
     * a stream socket, from every buffer kind, and the process goes on (the next test shows the signal is raised).
     */
    @Test
    void aWriteWithNoReaderIsBrokenPipeAndTheJvmLivesOn() throws Exception {
        try (PipeEnds pipe = new PipeEnds(); Descriptors fds = new Descriptors()) {
            pipe.source.close();
            BrokenPipeException e = assertThrows(BrokenPipeException.class,
                    () -> Posix.write(pipe.out, new byte[] {1}, 0, 1));
            assertEquals(Errno.EPIPE, e.errno());
            assertTrue(e.getMessage().startsWith("write: EPIPE ("), e.getMessage());
            ByteBuffer direct = ByteBuffer.allocateDirect(4);
            assertEquals(EPIPE, Posix.tryWrite(pipe.out, direct));
            assertEquals(0, direct.position());
            assertEquals(EPIPE, Posix.tryWrite(pipe.out, ByteBuffer.allocate(4)));
            assertEquals(EPIPE, Posix.tryWrite(pipe.out, ByteBuffer.allocate(4).asReadOnlyBuffer()));
            assertEquals(EPIPE, Posix.tryWrite(pipe.out, new byte[20_000], 0, 20_000));

            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            fds.closeNow(p.b);
            assertEquals(Errno.EPIPE, assertThrows(BrokenPipeException.class,
                    () -> Posix.write(p.a, ByteBuffer.wrap(new byte[] {2}))).errno());

            // the JVM lives, and so does posix-send
            Descriptors.Pair q = fds.unixPair(Posix.SOCK_STREAM);
            assertEquals(2, Posix.write(q.a, new byte[] {5, 6}, 0, 2));
            assertArrayEquals(new byte[] {5, 6}, SocketIo.readFully(q.b, 2));
        }
    }

    /**
     * The signal is really raised: a child JVM that gives SIGPIPE back its default action is ended by it (status
     * 128 + 13) when it writes to a TCP connection shut for writing. So the EPIPE above is the JVM's handler at work.
     */
    @Test
    void aWriteWithNoReaderEndsAProcessThatDoesNotIgnoreSigpipe() throws Exception {
        ChildJvm.Result r = ChildJvm.of(SigpipeProbe.class, "write").jvm("--enable-native-access=ALL-UNNAMED").run();
        assertTrue(r.output().contains("jvm handler=true"), "the JVM had a SIGPIPE handler to replace: " + r);
        assertTrue(r.output().contains("sending"), r.toString());
        assertEquals(128 + 13, r.exitCode(), "ended by SIGPIPE: " + r);
        assertFalse(r.output().contains("returned"), r.toString());
        assertTrue(r.crashLogs().isEmpty(), r.toString());
    }

    @Test
    void argumentsAreCheckedInJavaBeforeAnyCall() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            Posix.setBlocking(p.b, false);
            assertEquals(3, Posix.write(p.a, new byte[] {1, 2, 3}, 0, 3));
            int a = p.a;
            int b = p.b;
            byte[] four = new byte[4];
            Executable[] nulls = {
                () -> Posix.write(a, (ByteBuffer) null),
                () -> Posix.tryWrite(a, (ByteBuffer) null),
                () -> Posix.write(a, null, 0, 0),
                () -> Posix.tryWrite(a, null, 0, 0),
                () -> Posix.read(b, (ByteBuffer) null),
                () -> Posix.tryRead(b, (ByteBuffer) null),
                () -> Posix.read(b, null, 0, 0),
                () -> Posix.tryRead(b, null, 0, 0),
            };
            for (Executable call : nulls) {
                assertThrows(NullPointerException.class, call);
            }
            int[][] ranges = {{-1, 1}, {0, 5}, {2, 3}, {0, -1}, {5, 0}, {1, Integer.MAX_VALUE},
                {Integer.MIN_VALUE, Integer.MIN_VALUE}};
            for (int[] r : ranges) {
                String what = "off " + r[0] + ", len " + r[1];
                assertThrows(IndexOutOfBoundsException.class, () -> Posix.write(a, four, r[0], r[1]), what);
                assertThrows(IndexOutOfBoundsException.class, () -> Posix.tryWrite(a, four, r[0], r[1]), what);
                assertThrows(IndexOutOfBoundsException.class, () -> Posix.read(b, four, r[0], r[1]), what);
                assertThrows(IndexOutOfBoundsException.class, () -> Posix.tryRead(b, four, r[0], r[1]), what);
            }
            for (ByteBuffer readOnly : new ByteBuffer[] {ByteBuffer.allocate(4).asReadOnlyBuffer(),
                ByteBuffer.allocateDirect(4).asReadOnlyBuffer()}) {
                assertThrows(ReadOnlyBufferException.class, () -> Posix.read(b, readOnly));
                assertThrows(ReadOnlyBufferException.class, () -> Posix.tryRead(b, readOnly));
                assertEquals(0, readOnly.position());
            }
            // none of them reached the kernel: the three bytes wait, alone
            byte[] got = new byte[8];
            assertEquals(3, Posix.read(b, got, 0, 8));
            assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(got, 3));
            assertEquals(EAGAIN, Posix.tryRead(b, got, 0, 8));
        }
    }

    @Test
    void theNonThrowingFormsAllocateNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (PipeEnds pipe = new PipeEnds()) {
            Posix.setBlocking(pipe.in, false);
            Posix.setBlocking(pipe.out, false);
            ByteBuffer direct = ByteBuffer.allocateDirect(512);
            ByteBuffer heap = ByteBuffer.allocate(512);
            byte[] array = new byte[512];
            // above the 8 KiB the JNI backend copies in Java, and the libc backends' first scratch size
            byte[] large = new byte[16 * 1024];
            IntSupplier[] emptyReads = {
                () -> Posix.tryRead(pipe.in, direct.clear()),
                () -> Posix.tryRead(pipe.in, heap.clear()),
                () -> Posix.tryRead(pipe.in, array, 1, 511),
                () -> Posix.tryRead(pipe.in, large, 0, large.length),
            };
            // one write, then one read of the same count back: 1 when both moved every byte
            IntSupplier[] roundTrips = {
                () -> Posix.tryWrite(pipe.out, direct.clear()) == 512 && Posix.tryRead(pipe.in, direct.clear()) == 512
                        ? 1 : 0,
                () -> Posix.tryWrite(pipe.out, heap.clear()) == 512 && Posix.tryRead(pipe.in, heap.clear()) == 512
                        ? 1 : 0,
                () -> Posix.tryWrite(pipe.out, array, 0, 512) == 512 && Posix.tryRead(pipe.in, array, 0, 512) == 512
                        ? 1 : 0,
                () -> Posix.tryWrite(pipe.out, large, 0, large.length) == large.length
                        && Posix.tryRead(pipe.in, large, 0, large.length) == large.length ? 1 : 0,
            };
            for (int i = 0; i < emptyReads.length; i++) {
                assertEquals(0, SteadyAllocation.calls(20_000, emptyReads[i], EAGAIN).run(), "warm-up read " + i);
                long bytes = SteadyAllocation.leastBeyond("read " + i, () -> AllocationBudget.forDowncalls(10_000),
                        SteadyAllocation.calls(10_000, emptyReads[i], EAGAIN));
                assertEquals(0, bytes, "read " + i + ": bytes allocated by 10,000 would-block reads beyond the budget");
            }
            for (int i = 0; i < roundTrips.length; i++) {
                assertEquals(0, SteadyAllocation.calls(20_000, roundTrips[i], 1).run(), "warm-up round trip " + i);
                long bytes = SteadyAllocation.leastBeyond("round trip " + i,
                        () -> AllocationBudget.forDowncalls(20_000), SteadyAllocation.calls(10_000, roundTrips[i], 1));
                assertEquals(0, bytes, "round trip " + i + ": bytes allocated by 10,000 writes and reads beyond the"
                        + " budget");
            }
        }
    }

    /** An arena's memory behind a direct buffer (JDK 22 and later): a closed one is refused, a shared one copied. */
    @Test
    void anArenasBufferIsCheckedOrCopied() throws Exception {
        assumeTrue(Arenas.available(), "java.lang.foreign is final from JDK 22; this is " + Runtime.version());
        try (PipeEnds pipe = new PipeEnds()) {
            Posix.setBlocking(pipe.in, false);
            for (String factory : new String[] {"ofConfined", "ofShared"}) {
                Object arena = Arenas.arena(factory);
                ByteBuffer buf = Arenas.buffer(arena, 8);
                buf.put(bytes(20, 8)).flip();
                assertEquals(8, Posix.write(pipe.out, buf), factory);
                assertEquals(8, Posix.read(pipe.in, buf.clear()), factory);
                byte[] seen = new byte[8];
                buf.get(0, seen);
                assertArrayEquals(bytes(20, 8), seen, factory);

                ((AutoCloseable) arena).close();
                buf.clear();
                assertThrows(IllegalStateException.class, () -> Posix.write(pipe.out, buf), factory);
                assertThrows(IllegalStateException.class, () -> Posix.tryWrite(pipe.out, buf), factory);
                assertEquals(EAGAIN, Posix.tryRead(pipe.in, new byte[1], 0, 1), "nothing written from freed memory");
                assertEquals(1, Posix.write(pipe.out, new byte[] {1}, 0, 1));
                assertThrows(IllegalStateException.class, () -> Posix.read(pipe.in, buf), factory);
                assertThrows(IllegalStateException.class, () -> Posix.tryRead(pipe.in, buf), factory);
                assertEquals(1, Posix.read(pipe.in, new byte[1], 0, 1), "the byte is still there: " + factory);
                // an empty buffer's memory is not read or written, so its closed arena goes unnoticed both ways
                assertEquals(0, Posix.write(pipe.out, buf.limit(0)), factory);
                assertEquals(0, Posix.read(pipe.in, buf), factory);
                assertEquals(-Errno.EBADF.number(), Posix.trySend(-1, buf, 0), "send asks the kernel: " + factory);
                assertEquals(-Errno.EBADF.number(), Posix.tryRecv(-1, buf, 0), "recv asks the kernel: " + factory);
            }
        }
    }
}

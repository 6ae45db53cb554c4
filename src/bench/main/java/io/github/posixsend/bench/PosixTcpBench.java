// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.NoBufferSpaceException;
import io.github.posixsend.Posix;
import io.github.posixsend.ZerocopySends;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * TCP sends of 16 KiB, 64 KiB and 1 MiB over loopback, plain and with {@code MSG_ZEROCOPY}, as the {@code tcp_*}
 * cases of send_floor.c: a blocking sender whose peer a thread of this process drains. A plain send sends one
 * direct buffer; a zero-copy send takes one of 8 direct buffers that are not in flight (reaping completions until
 * one comes back), sends it through {@link ZerocopySends} and reaps whatever completed, so completion handling is
 * part of every operation, as in C. Every buffer starts on a page, as C's do ({@link Loopback#pageAligned}). A
 * {@code sendfile} sends a file's 64 KiB (in the page cache) from offset 0 over the plain connection, as the
 * {@code tcp_sendfile_64k} case. Each iteration also reports the segments the senders retransmitted
 * ({@link TcpRetransmits}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PosixTcpBench {
    /** The largest send of the TCP groups (1 MiB): each buffer's size, here and in {@link JniFloorTcpBench}. */
    static final int MAX = 1 << 20;
    /** Zero-copy sends in flight at most, as ZC_BUFFERS in C. */
    private static final int BUFFERS = 8;
    /** Reaps while waiting for a buffer to come back, at most (ZC_MAX_SPINS in C). */
    private static final long MAX_SPINS = 10_000_000L;

    private Loopback.Drained plain;
    private Loopback.Drained zerocopy;
    private ByteBuffer plainBuffer;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>(BUFFERS);
    private ZerocopySends sends;
    private Consumer<ByteBuffer> giveBack;

    @Setup(Level.Trial)
    public void open(TcpRetransmits counted) throws Exception {
        plain = Loopback.drainedTcp(false);
        zerocopy = Loopback.drainedTcp(true);
        counted.watch(plain.sender(), zerocopy.sender());
        plainBuffer = Loopback.pageAligned(MAX);
        for (int i = 0; i < BUFFERS; i++) {
            free.add(Loopback.pageAligned(MAX));
        }
        sends = new ZerocopySends(zerocopy.sender(), BUFFERS);
        giveBack = free::add;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        for (long spins = 0; sends.inFlight() > 0; spins++) { // their buffers are the kernel's until then
            if (spins >= MAX_SPINS) {
                throw new IllegalStateException(sends.inFlight() + " zero-copy completions never came");
            }
            sends.reap(giveBack);
        }
        sends.close();
        plain.close();
        zerocopy.close();
    }

    private int send(int size) throws ErrnoException {
        plainBuffer.clear().limit(size);
        return Posix.send(plain.sender(), plainBuffer, 0);
    }

    private int sendZerocopy(int size) throws ErrnoException {
        for (long spins = 0; free.isEmpty(); spins++) {
            if (spins >= MAX_SPINS) {
                throw new IllegalStateException("no zero-copy completion came back");
            }
            sends.reap(giveBack);
        }
        ByteBuffer b = free.poll();
        for (long spins = 0; spins < MAX_SPINS; spins++) {
            b.clear().limit(size);
            try {
                int n = sends.send(b, 0);
                sends.reap(giveBack);
                return n;
            } catch (NoBufferSpaceException e) {
                sends.reap(giveBack); // too many notifications wait: reap, then again
            }
        }
        throw new IllegalStateException("MSG_ZEROCOPY send kept failing with ENOBUFS");
    }

    @Benchmark
    public int send16k() throws ErrnoException {
        return send(16 * 1024);
    }

    @Benchmark
    public int send64k() throws ErrnoException {
        return send(64 * 1024);
    }

    @Benchmark
    public int send1m() throws ErrnoException {
        return send(1024 * 1024);
    }

    @Benchmark
    public int zerocopy16k() throws ErrnoException {
        return sendZerocopy(16 * 1024);
    }

    @Benchmark
    public int zerocopy64k() throws ErrnoException {
        return sendZerocopy(64 * 1024);
    }

    @Benchmark
    public int zerocopy1m() throws ErrnoException {
        return sendZerocopy(1024 * 1024);
    }

    /** A file of {@link #FILE_BYTES} of 'x', written once (so in the page cache), open for reading; its descriptor. */
    @State(Scope.Thread)
    public static class SentFile {
        /** The file's bytes, as the C case's. */
        static final int FILE_BYTES = 64 * 1024;
        private Path path;
        private FileChannel channel;
        private int fd;

        @Setup(Level.Trial)
        public void open() throws IOException {
            path = Files.createTempFile("posixsend-bench-sendfile", ".bin");
            byte[] x = new byte[FILE_BYTES];
            Arrays.fill(x, (byte) 'x');
            Files.write(path, x);
            channel = FileChannel.open(path, StandardOpenOption.READ);
            fd = Posix.fd(channel);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
            Files.deleteIfExists(path);
        }

        /** The file's descriptor, java.nio's. */
        int fd() {
            return fd;
        }
    }

    @Benchmark
    public long sendfile64k(SentFile file) throws ErrnoException {
        return Posix.sendfile(plain.sender(), file.fd(), 0, SentFile.FILE_BYTES);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
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
 * A diagnostic beside {@link PosixTcpBench}'s plain sends and its {@code sendfile}: the same blocking TCP sends over
 * the same drained loopback connection, made by {@link JniFloorBench#send0} and {@link JniFloorBench#sendfile0}
 * (primitive-only natives that check nothing). Its
 * difference to posix-send's row is posix-send's own work; its difference to C is the JVM's process (its threads,
 * its drain thread, its memory), which no binding can remove. Each iteration also reports the segments the
 * sender retransmitted ({@link TcpRetransmits}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JniFloorTcpBench {
    private Loopback.Drained plain;
    private ByteBuffer buffer;
    private long address;

    @Setup(Level.Trial)
    public void open(TcpRetransmits counted) throws Exception {
        JniFloorBench.load();
        plain = Loopback.drainedTcp(false);
        counted.watch(plain.sender());
        buffer = Loopback.pageAligned(PosixTcpBench.MAX);
        address = JniFloorBench.address0(buffer);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        plain.close();
    }

    @Benchmark
    public int send16k() {
        return JniFloorBench.send0(plain.sender(), address, 16 * 1024, 0);
    }

    @Benchmark
    public int send64k() {
        return JniFloorBench.send0(plain.sender(), address, 64 * 1024, 0);
    }

    @Benchmark
    public int send1m() {
        return JniFloorBench.send0(plain.sender(), address, PosixTcpBench.MAX, 0);
    }

    @Benchmark
    public long sendfile64k(PosixTcpBench.SentFile file) {
        return JniFloorBench.sendfile0(plain.sender(), file.fd(), PosixTcpBench.SentFile.FILE_BYTES);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.github.posixsend.BadDescriptorException;
import io.github.posixsend.Posix;
import io.github.posixsend.WouldBlockException;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * posix-send's failing calls: would-block on a full AF_UNIX datagram socketpair and {@code EBADF} on
 * descriptor -1, in the non-throwing ({@code trySend}) and the throwing form. They are the cost of a call
 * that the kernel refuses at once, as the {@code wouldblock} and {@code ebadf} cases of send_floor.c.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PosixErrorBench {
    private int[] full;
    private ByteBuffer direct;
    private final byte[] array = new byte[Loopback.PAYLOAD];

    @Setup(Level.Trial)
    public void open() throws Exception {
        full = Loopback.fullUnixPair();
        direct = Loopback.direct(Loopback.PAYLOAD);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        Loopback.close(full);
    }

    /** Would-block as a result: {@code -EAGAIN}. */
    @Benchmark
    public int wouldBlockTry() {
        direct.clear();
        return Posix.trySend(full[0], direct, 0);
    }

    /** Would-block as a {@link WouldBlockException} (no stack trace), caught here. */
    @Benchmark
    public void wouldBlockThrow(Blackhole bh) {
        direct.clear();
        try {
            bh.consume(Posix.send(full[0], direct, 0));
        } catch (WouldBlockException e) {
            bh.consume(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code EBADF} as a result: the least work a call can make the kernel do. */
    @Benchmark
    public int badDescriptorTry() {
        direct.clear();
        return Posix.trySend(-1, direct, 0);
    }

    /** {@code EBADF} through the byte-array path: the 64 bytes are copied to the C stack before the call. */
    @Benchmark
    public int badDescriptorTryArray() {
        return Posix.trySend(-1, array, 0, Loopback.PAYLOAD, 0);
    }

    /** {@code EBADF} as a {@link BadDescriptorException}, caught here (it records a stack trace). */
    @Benchmark
    public void badDescriptorThrow(Blackhole bh) {
        direct.clear();
        try {
            bh.consume(Posix.send(-1, direct, 0));
        } catch (BadDescriptorException e) {
            bh.consume(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

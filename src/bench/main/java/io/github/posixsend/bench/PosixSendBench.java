// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.github.posixsend.Posix;
import io.github.posixsend.SockAddr;
import java.net.InetSocketAddress;
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
 * posix-send's send path: 64-byte datagrams to an unread loopback receiver, through the public {@link Posix}
 * API of the backend the fork was started with ({@code -Dposixsend.backend}). Same sockets and sizes as the
 * {@code send} and {@code sendto} cases of send_floor.c.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PosixSendBench {
    private int receiver = -1;
    private int connected = -1;
    private int unconnected = -1;
    private ByteBuffer direct;
    private ByteBuffer heap;
    private byte[] array;
    private InetSocketAddress destination;
    private SockAddr prepared;

    @Setup(Level.Trial)
    public void open() throws Exception {
        receiver = Loopback.receiver();
        destination = Loopback.addressOf(receiver);
        prepared = SockAddr.of(destination);
        connected = Loopback.sender(destination);
        unconnected = Loopback.sender(null);
        direct = Loopback.direct(Loopback.PAYLOAD);
        heap = Loopback.heap(Loopback.PAYLOAD);
        array = new byte[Loopback.PAYLOAD];
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        Loopback.close(connected, unconnected, receiver);
        connected = unconnected = receiver = -1;
    }

    /** {@code send} of a direct buffer on a connected socket (the throwing form; it succeeds). */
    @Benchmark
    public int sendDirect() throws Exception {
        direct.clear();
        return Posix.send(connected, direct, 0);
    }

    /** {@code send} of a heap buffer: copied to native memory on the way. */
    @Benchmark
    public int sendHeap() throws Exception {
        heap.clear();
        return Posix.send(connected, heap, 0);
    }

    /** {@code send} of a byte array range: copied to native memory on the way. */
    @Benchmark
    public int sendArray() throws Exception {
        return Posix.send(connected, array, 0, Loopback.PAYLOAD, 0);
    }

    /** {@code sendto} on an unconnected socket with a prepared {@link SockAddr}. */
    @Benchmark
    public int sendtoSockAddr() throws Exception {
        direct.clear();
        return Posix.sendto(unconnected, direct, 0, prepared);
    }

    /** {@code sendto} with an {@link InetSocketAddress}, converted on every call. */
    @Benchmark
    public int sendtoInetSocketAddress() throws Exception {
        direct.clear();
        return Posix.sendto(unconnected, direct, 0, destination);
    }
}

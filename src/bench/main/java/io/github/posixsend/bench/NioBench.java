// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
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
 * The peer in the JDK: non-blocking {@link DatagramChannel}s sending 64-byte datagrams from direct buffers to
 * the same kind of unread loopback receiver.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NioBench {
    private int receiver = -1;
    private DatagramChannel connected;
    private DatagramChannel unconnected;
    private InetSocketAddress destination;
    private ByteBuffer direct;
    private ByteBuffer large;
    private final ByteBuffer[] halves = new ByteBuffer[2];

    @Setup(Level.Trial)
    public void open() throws Exception {
        receiver = Loopback.receiver();
        destination = Loopback.addressOf(receiver);
        connected = DatagramChannel.open(StandardProtocolFamily.INET);
        connected.configureBlocking(false);
        connected.connect(destination);
        unconnected = DatagramChannel.open(StandardProtocolFamily.INET);
        unconnected.configureBlocking(false);
        direct = Loopback.direct(Loopback.PAYLOAD);
        large = Loopback.direct(PosixMessageBench.GSO_SEGMENT_SIZE);
        halves[0] = Loopback.direct(Loopback.PAYLOAD / 2);
        halves[1] = Loopback.direct(Loopback.PAYLOAD / 2);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        connected.close();
        unconnected.close();
        Loopback.close(receiver);
        receiver = -1;
    }

    /** {@code write} on a connected channel. */
    @Benchmark
    public int write() throws Exception {
        direct.clear();
        return connected.write(direct);
    }

    /** {@code send} to an address on an unconnected channel. */
    @Benchmark
    public int send() throws Exception {
        direct.clear();
        return unconnected.send(direct, destination);
    }

    /**
     * {@code write} of one 1000-byte datagram on a connected channel: what a NIO user does for each datagram that
     * UDP_SEGMENT sends 64 at a time on the same connected socket.
     */
    @Benchmark
    public int write1000() throws Exception {
        large.clear();
        return connected.write(large);
    }

    /** Gathering {@code write} of two 32-byte buffers on a connected channel (one datagram). */
    @Benchmark
    public long gatheringWrite() throws Exception {
        halves[0].clear();
        halves[1].clear();
        return connected.write(halves);
    }
}

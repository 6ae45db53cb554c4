// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.LinuxSocket;
import java.net.InetAddress;
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
 * The peer a Netty user has: the native epoll transport's socket, {@link LinuxSocket} (a public subclass of
 * {@code io.netty.channel.unix.Socket}), called directly. These are the calls {@code EpollDatagramChannel}
 * makes once a write reaches its event loop; the channel's pipeline and event-loop hand-off are left out, so
 * this is the floor of Netty's transport, not of a Netty application. Non-blocking sockets, direct buffers,
 * 64-byte datagrams, the same unread loopback receiver.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NettyBench {
    private int receiver = -1;
    private LinuxSocket connected;
    private LinuxSocket unconnected;
    private InetAddress destinationIp;
    private int destinationPort;
    private ByteBuffer direct;
    private final ByteBuffer[] halves = new ByteBuffer[2];

    @Setup(Level.Trial)
    public void open() throws Exception {
        Epoll.ensureAvailability();
        receiver = Loopback.receiver();
        InetSocketAddress destination = Loopback.addressOf(receiver);
        destinationIp = destination.getAddress();
        destinationPort = destination.getPort();
        connected = LinuxSocket.newSocketDgram(false);
        connected.connect(destination);
        unconnected = LinuxSocket.newSocketDgram(false);
        direct = Loopback.direct(Loopback.PAYLOAD);
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

    /** {@code Socket.send}: send(2) of a direct buffer on a connected socket. */
    @Benchmark
    public int send() throws Exception {
        return connected.send(direct, 0, Loopback.PAYLOAD);
    }

    /** {@code Socket.sendTo}: sendto(2) with an {@link InetAddress} and port, as EpollDatagramChannel does. */
    @Benchmark
    public int sendTo() throws Exception {
        return unconnected.sendTo(direct, 0, Loopback.PAYLOAD, destinationIp, destinationPort);
    }

    /** {@code FileDescriptor.writev}: a gathering write(v) of two 32-byte buffers (one datagram). */
    @Benchmark
    public long writev() throws Exception {
        return connected.writev(halves, 0, 2, Long.MAX_VALUE);
    }
}

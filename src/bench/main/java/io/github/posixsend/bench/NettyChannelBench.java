// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Netty's sendmmsg as a Netty user reaches it: Netty's {@code Native.sendmmsg} takes a package-private type,
 * so the only public way is an {@link EpollDatagramChannel} that has several datagrams queued when it flushes.
 * Each operation hands one task to the channel's event loop (one thread, as a Netty application has) that
 * writes n datagrams through the pipeline and flushes them, which Netty sends with one {@code sendmmsg} (for
 * n = 1 it uses a plain send instead); the benchmark thread waits for the task. So these rows include the
 * pipeline, Netty's outbound buffer and the event-loop hand-off, which the posix-send and C rows do not: they
 * are what a Netty application pays, not Netty's transport floor. The same 64-byte direct buffer (or
 * {@link DatagramPacket} to the receiver) is written n times, retained n times, so no datagram is copied.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NettyChannelBench {
    private int receiver = -1;
    private EventLoopGroup group;
    private Channel connected;
    private Channel unconnected;
    private ByteBuf payload;
    private DatagramPacket packet;
    private int batch;
    private boolean addressed;
    private final Callable<Integer> writeBatch = this::writeBatch;

    @Setup(Level.Trial)
    public void open() throws Exception {
        Epoll.ensureAvailability();
        receiver = Loopback.receiver();
        InetSocketAddress destination = Loopback.addressOf(receiver);
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        connected = bootstrap().connect(destination).sync().channel();
        unconnected = bootstrap().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        payload = Unpooled.directBuffer(Loopback.PAYLOAD).writeZero(Loopback.PAYLOAD);
        packet = new DatagramPacket(payload, destination);
    }

    /** A bootstrap with a do-nothing handler of its own (a handler instance belongs to one channel). */
    private Bootstrap bootstrap() {
        return new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter());
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        connected.close().sync();
        unconnected.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        Loopback.close(receiver);
        receiver = -1;
    }

    /** On the event loop: n writes and a flush; returns what the channel could not send at once (0 normally). */
    private Integer writeBatch() {
        Channel ch = addressed ? unconnected : connected;
        // every write releases its message once sent: keep the one buffer alive across the n writes
        payload.retain(batch);
        for (int i = 0; i < batch; i++) {
            ch.write(addressed ? packet : payload, ch.voidPromise());
        }
        ch.flush();
        return ch.unsafe().outboundBuffer().size();
    }

    private int run(int n, boolean dest) throws Exception {
        batch = n;
        addressed = dest;
        return connected.eventLoop().submit(writeBatch).get();
    }

    /** 1 datagram per flush, connected (Netty sends it without sendmmsg). */
    @Benchmark
    @OperationsPerInvocation(1)
    public int flush1() throws Exception {
        return run(1, false);
    }

    /** 8 datagrams per flush, connected: one sendmmsg; per datagram. */
    @Benchmark
    @OperationsPerInvocation(8)
    public int flush8() throws Exception {
        return run(8, false);
    }

    /** 32 datagrams per flush, connected: one sendmmsg; per datagram. */
    @Benchmark
    @OperationsPerInvocation(32)
    public int flush32() throws Exception {
        return run(32, false);
    }

    /** 64 datagrams per flush, connected: one sendmmsg; per datagram. */
    @Benchmark
    @OperationsPerInvocation(64)
    public int flush64() throws Exception {
        return run(64, false);
    }

    /** 256 datagrams per flush, connected: one sendmmsg; per datagram. */
    @Benchmark
    @OperationsPerInvocation(256)
    public int flush256() throws Exception {
        return run(256, false);
    }

    /** 1 DatagramPacket per flush, unconnected (Netty sends it without sendmmsg). */
    @Benchmark
    @OperationsPerInvocation(1)
    public int flushDest1() throws Exception {
        return run(1, true);
    }

    /** 8 DatagramPackets per flush, unconnected: one sendmmsg with destinations; per datagram. */
    @Benchmark
    @OperationsPerInvocation(8)
    public int flushDest8() throws Exception {
        return run(8, true);
    }

    /** 32 DatagramPackets per flush, unconnected: one sendmmsg with destinations; per datagram. */
    @Benchmark
    @OperationsPerInvocation(32)
    public int flushDest32() throws Exception {
        return run(32, true);
    }

    /** 64 DatagramPackets per flush, unconnected: one sendmmsg with destinations; per datagram. */
    @Benchmark
    @OperationsPerInvocation(64)
    public int flushDest64() throws Exception {
        return run(64, true);
    }

    /** 256 DatagramPackets per flush, unconnected: one sendmmsg with destinations; per datagram. */
    @Benchmark
    @OperationsPerInvocation(256)
    public int flushDest256() throws Exception {
        return run(256, true);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.github.posixsend.Message;
import io.github.posixsend.MessageBatch;
import io.github.posixsend.PollSet;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
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
 * posix-send's poll and receive calls on the prepared path, as the {@code poll_out}, {@code recv_empty} and
 * {@code recvmmsg_64} cases of send_floor.c: a {@link PollSet} of one writable UDP socket polled with timeout 0,
 * {@link Posix#tryRecv} on an empty non-blocking UDP socket ({@code -EAGAIN}), and {@link Posix#tryRecvmmsg}
 * of 64 datagrams of 64 bytes into a reused {@link MessageBatch}.
 *
 * <p>The recvmmsg row needs 64 datagrams queued before every call. They are sent by
 * {@link Batch#refill()}, a {@code @Setup(Level.Invocation)} method, so outside the measured region: JMH then
 * times each call alone with two {@code System.nanoTime()} reads, and send_floor.c's {@code recvmmsg_64} case
 * does the same (an untimed {@code sendmmsg} of 64, then {@code recvmmsg} between two clock reads). Measuring
 * send and receive together would add the sendmmsg of 64 loopback datagrams, several times the cost of the
 * receive, to both sides, and hide the receive path that the row is about.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PosixReceiveBench {
    static final int BATCH = 64;

    private int receiver = -1;
    private int writable = -1;
    private int empty = -1;
    private PollSet pollSet;
    private ByteBuffer direct;
    private final byte[] array = new byte[Loopback.PAYLOAD];

    @Setup(Level.Trial)
    public void open() throws Exception {
        receiver = Loopback.receiver();
        writable = Loopback.sender(Loopback.addressOf(receiver));
        empty = Loopback.nonBlockingReceiver();
        pollSet = new PollSet(1);
        pollSet.add(writable, Posix.POLLOUT);
        direct = Loopback.direct(Loopback.PAYLOAD);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        Loopback.close(writable, receiver, empty);
        writable = receiver = empty = -1;
    }

    /** {@code poll} of one entry (a writable UDP socket, {@code POLLOUT}) with timeout 0: returns 1. */
    @Benchmark
    public int pollTry() {
        return pollSet.tryPoll(0);
    }

    /** {@code recv} of up to 64 bytes into a direct buffer on an empty non-blocking UDP socket: {@code -EAGAIN}. */
    @Benchmark
    public int recvEmptyTry() {
        direct.clear();
        return Posix.tryRecv(empty, direct, 0);
    }

    /** As {@link #recvEmptyTry()} into a byte array. */
    @Benchmark
    public int recvEmptyTryArray() {
        return Posix.tryRecv(empty, array, 0, Loopback.PAYLOAD, 0);
    }

    /** {@code recvmmsg} of the 64 datagrams that {@link Batch#refill()} queued; per datagram. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int recvmmsg64(Batch b) {
        ByteBuffer[] bufs = b.receiveBuffers;
        for (int i = 0; i < bufs.length; i++) {
            bufs[i].clear();
        }
        int r = Posix.tryRecvmmsg(b.receiver, b.receive, 0, null);
        if (r != BATCH) {
            throw new IllegalStateException("recvmmsg returned " + r + ", expected " + BATCH);
        }
        return r;
    }

    /**
     * The sockets and batches of {@link #recvmmsg64}: a non-blocking receiver bound to 127.0.0.1, a connected
     * sender, a batch of 64 messages of one 64-byte direct buffer each to receive into (no control space, as in
     * C: the sender's address is asked for, control data is not), and a batch of 64 views of one 64-byte
     * payload to send.
     */
    @State(Scope.Thread)
    public static class Batch {
        int receiver = -1;
        int sender = -1;
        MessageBatch receive;
        final ByteBuffer[] receiveBuffers = new ByteBuffer[BATCH];
        MessageBatch send;

        @Setup(Level.Trial)
        public void open() throws Exception {
            receiver = Loopback.nonBlockingReceiver();
            sender = Loopback.sender(Loopback.addressOf(receiver));
            receive = new MessageBatch(BATCH);
            send = new MessageBatch(BATCH);
            ByteBuffer payload = Loopback.direct(Loopback.PAYLOAD);
            for (int i = 0; i < BATCH; i++) {
                receiveBuffers[i] = ByteBuffer.allocateDirect(Loopback.PAYLOAD);
                receive.add(new Message(0).add(receiveBuffers[i]));
                send.add(Message.of(payload.duplicate()));
            }
        }

        /** Outside the measured region: 64 datagrams into the receiver's queue, in one sendmmsg. */
        @Setup(Level.Invocation)
        public void refill() {
            send.rewind();
            int r = Posix.trySendmmsg(sender, send, 0);
            if (r != BATCH) {
                throw new IllegalStateException("the refill sent " + r + " of " + BATCH);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            receive.close();
            send.close();
            Loopback.close(sender, receiver);
            sender = receiver = -1;
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.github.posixsend.ControlMessage;
import io.github.posixsend.Message;
import io.github.posixsend.MessageBatch;
import io.github.posixsend.Posix;
import io.github.posixsend.SockAddr;
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
 * posix-send's message calls, {@link Posix#sendmsg} and {@link Posix#sendmmsg}, on the prepared path: messages,
 * batches, direct buffers, {@link SockAddr} destinations and control messages are built once in the set-up and
 * reused; an operation only rewinds the buffers (the previous call advanced them) and sends. Same sockets and
 * sizes as the {@code sendmsg_2iov*}, {@code sendmmsg_*} and {@code udp_segment_64x1000} cases of send_floor.c.
 * Batches report per message ({@link OperationsPerInvocation}), UDP_SEGMENT per datagram (64 of 1000 bytes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PosixMessageBench {
    static final int GSO_SEGMENTS = 64;
    static final int GSO_SEGMENT_SIZE = 1000;
    private static final int[] BATCHES = {1, 8, 32, 64, 256};

    private int receiver = -1;
    private int connected = -1;
    private int unconnected = -1;
    private final ByteBuffer[] halves = new ByteBuffer[2];
    private Message gather;
    private Message gatherDest;
    private ByteBuffer gso;
    private Message gsoMessage;
    /** Per batch size (index as in BATCHES): the batch, and the buffer of each of its messages. */
    private final MessageBatch[] batches = new MessageBatch[BATCHES.length];
    private final MessageBatch[] destBatches = new MessageBatch[BATCHES.length];
    private final ByteBuffer[][] batchBuffers = new ByteBuffer[BATCHES.length][];
    private final ByteBuffer[][] destBatchBuffers = new ByteBuffer[BATCHES.length][];

    @Setup(Level.Trial)
    public void open() throws Exception {
        receiver = Loopback.receiver();
        SockAddr dest = SockAddr.of(Loopback.addressOf(receiver));
        connected = Loopback.sender(Loopback.addressOf(receiver));
        unconnected = Loopback.sender(null);
        halves[0] = Loopback.direct(Loopback.PAYLOAD / 2);
        halves[1] = Loopback.direct(Loopback.PAYLOAD / 2);
        gather = Message.of(halves);
        // the same two buffers through a second message: only one of the two is used by a benchmark
        gatherDest = Message.of(halves).destination(dest);
        gso = Loopback.direct(GSO_SEGMENTS * GSO_SEGMENT_SIZE);
        gsoMessage = Message.of(gso).addControl(ControlMessage.udpSegment(GSO_SEGMENT_SIZE));
        ByteBuffer payload = Loopback.direct(Loopback.PAYLOAD);
        for (int k = 0; k < BATCHES.length; k++) {
            batchBuffers[k] = new ByteBuffer[BATCHES[k]];
            destBatchBuffers[k] = new ByteBuffer[BATCHES[k]];
            batches[k] = batch(BATCHES[k], payload, batchBuffers[k], null);
            destBatches[k] = batch(BATCHES[k], payload, destBatchBuffers[k], dest);
        }
    }

    /** A batch of n one-buffer messages, each over its own view of the same 64 bytes (as in C). */
    private static MessageBatch batch(int n, ByteBuffer payload, ByteBuffer[] views, SockAddr dest) {
        MessageBatch b = new MessageBatch(n);
        for (int i = 0; i < n; i++) {
            views[i] = payload.duplicate();
            b.add(Message.of(views[i]).destination(dest));
        }
        return b;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        Loopback.close(connected, unconnected, receiver);
        connected = unconnected = receiver = -1;
    }

    /** {@code sendmsg} of two 32-byte direct buffers on a connected socket (one datagram). */
    @Benchmark
    public long sendmsg2iov() throws Exception {
        halves[0].clear();
        halves[1].clear();
        return Posix.sendmsg(connected, gather, 0);
    }

    /** {@code sendmsg} of two 32-byte direct buffers with a prepared destination, unconnected socket. */
    @Benchmark
    public long sendmsg2iovDest() throws Exception {
        halves[0].clear();
        halves[1].clear();
        return Posix.sendmsg(unconnected, gatherDest, 0);
    }

    /** {@code sendmsg} of 64000 bytes with {@code UDP_SEGMENT} 1000: 64 datagrams in one call. */
    @Benchmark
    @OperationsPerInvocation(GSO_SEGMENTS)
    public long udpSegment() throws Exception {
        gso.clear();
        return Posix.sendmsg(connected, gsoMessage, 0);
    }

    private int sendBatch(int k, int fd, MessageBatch[] which, ByteBuffer[][] buffers) throws Exception {
        ByteBuffer[] views = buffers[k];
        for (int i = 0; i < views.length; i++) {
            views[i].clear();
        }
        return Posix.sendmmsg(fd, which[k], 0);
    }

    /** {@code sendmmsg} of 1 message of 64 bytes, connected socket. */
    @Benchmark
    @OperationsPerInvocation(1)
    public int sendmmsg1() throws Exception {
        return sendBatch(0, connected, batches, batchBuffers);
    }

    /** {@code sendmmsg} of 8 messages of 64 bytes, connected socket; per message. */
    @Benchmark
    @OperationsPerInvocation(8)
    public int sendmmsg8() throws Exception {
        return sendBatch(1, connected, batches, batchBuffers);
    }

    /**
     * {@code sendmmsg} of 8 messages of 64 bytes, connected socket, through a batch made for the call and closed after
     * it (its plan's memory given back each time); per message.
     */
    @Benchmark
    @OperationsPerInvocation(8)
    public int sendmmsg8MadeAndClosed() throws Exception {
        ByteBuffer[] views = batchBuffers[1];
        try (MessageBatch b = new MessageBatch(views.length)) {
            for (ByteBuffer v : views) {
                b.add(Message.of(v.clear()));
            }
            return Posix.sendmmsg(connected, b, 0);
        }
    }

    /** {@code sendmmsg} of 32 messages of 64 bytes, connected socket; per message. */
    @Benchmark
    @OperationsPerInvocation(32)
    public int sendmmsg32() throws Exception {
        return sendBatch(2, connected, batches, batchBuffers);
    }

    /** {@code sendmmsg} of 64 messages of 64 bytes, connected socket; per message. */
    @Benchmark
    @OperationsPerInvocation(64)
    public int sendmmsg64() throws Exception {
        return sendBatch(3, connected, batches, batchBuffers);
    }

    /** {@code sendmmsg} of 256 messages of 64 bytes, connected socket; per message. */
    @Benchmark
    @OperationsPerInvocation(256)
    public int sendmmsg256() throws Exception {
        return sendBatch(4, connected, batches, batchBuffers);
    }

    /** {@code sendmmsg} of 1 message with its own destination, unconnected socket. */
    @Benchmark
    @OperationsPerInvocation(1)
    public int sendmmsgDest1() throws Exception {
        return sendBatch(0, unconnected, destBatches, destBatchBuffers);
    }

    /** {@code sendmmsg} of 8 messages, each with its own destination; per message. */
    @Benchmark
    @OperationsPerInvocation(8)
    public int sendmmsgDest8() throws Exception {
        return sendBatch(1, unconnected, destBatches, destBatchBuffers);
    }

    /** {@code sendmmsg} of 32 messages, each with its own destination; per message. */
    @Benchmark
    @OperationsPerInvocation(32)
    public int sendmmsgDest32() throws Exception {
        return sendBatch(2, unconnected, destBatches, destBatchBuffers);
    }

    /** {@code sendmmsg} of 64 messages, each with its own destination; per message. */
    @Benchmark
    @OperationsPerInvocation(64)
    public int sendmmsgDest64() throws Exception {
        return sendBatch(3, unconnected, destBatches, destBatchBuffers);
    }

    /** {@code sendmmsg} of 256 messages, each with its own destination; per message. */
    @Benchmark
    @OperationsPerInvocation(256)
    public int sendmmsgDest256() throws Exception {
        return sendBatch(4, unconnected, destBatches, destBatchBuffers);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
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
 * A datagram of 8 KiB or 65507 B (the largest) received into a byte[] on a non-blocking UDP socket, with flags 0 and
 * with MSG_DONTWAIT: the same call to the kernel, but with MSG_DONTWAIT the JNI and FFM backends let the kernel fill
 * the array in place, while flags 0 receives through native memory and a copy. Each call finds one datagram queued
 * by an untimed send before it ({@code @Setup(Level.Invocation)}), as send_floor.c's {@code recv_8192} and
 * {@code recv_65507} cases do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PosixRecvArrayBench {
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();

    /** A non-blocking receiver, a sender connected to it, and the datagram's bytes on both sides. */
    public abstract static class Queue {
        int receiver = -1;
        int sender = -1;
        byte[] payload;
        byte[] into;

        abstract int size();

        @Setup(Level.Trial)
        public void open() throws Exception {
            receiver = Loopback.nonBlockingReceiver();
            sender = Loopback.sender(Loopback.addressOf(receiver));
            Posix.setsockopt(sender, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 1 << 20);
            Posix.setsockopt(receiver, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1 << 20);
            payload = new byte[size()];
            into = new byte[size()];
        }

        /** Outside the measured region: one datagram into the receiver's queue. */
        @Setup(Level.Invocation)
        public void refill() {
            int r = Posix.trySend(sender, payload, 0, payload.length, 0);
            if (r != payload.length) {
                throw new IllegalStateException("the refill sent " + r + " of " + payload.length);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            Loopback.close(sender, receiver);
            sender = receiver = -1;
        }

        int received(int r) {
            if (r != into.length) {
                throw new IllegalStateException("recv returned " + r + ", expected " + into.length);
            }
            return r;
        }
    }

    /** An 8 KiB datagram. */
    @State(Scope.Thread)
    public static class Queue8k extends Queue {
        @Override
        int size() {
            return 8192;
        }
    }

    /** The largest UDP datagram. */
    @State(Scope.Thread)
    public static class Queue64k extends Queue {
        @Override
        int size() {
            return PosixHeapBench.LARGEST_DATAGRAM;
        }
    }

    @Benchmark
    public int copy8k(Queue8k q) {
        return q.received(Posix.tryRecv(q.receiver, q.into, 0, q.into.length, 0));
    }

    @Benchmark
    public int dontwait8k(Queue8k q) {
        return q.received(Posix.tryRecv(q.receiver, q.into, 0, q.into.length, DONTWAIT));
    }

    @Benchmark
    public int copy64k(Queue64k q) {
        return q.received(Posix.tryRecv(q.receiver, q.into, 0, q.into.length, 0));
    }

    @Benchmark
    public int dontwait64k(Queue64k q) {
        return q.received(Posix.tryRecv(q.receiver, q.into, 0, q.into.length, DONTWAIT));
    }
}

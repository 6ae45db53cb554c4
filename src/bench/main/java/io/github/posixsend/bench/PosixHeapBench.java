// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.github.posixsend.Errno;
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
 * A byte[] sent on a non-blocking connected UDP socket to the unread loopback receiver, 64 B, 1 KiB, 8 KiB and
 * 65507 B (the largest UDP datagram), with flags 0 and with MSG_DONTWAIT. On the non-blocking socket both calls are
 * the same to the kernel; every backend copies the array into native memory for flags 0, and with MSG_DONTWAIT,
 * as the call cannot block, the JNI and FFM backends pass an array of 8 KiB or more in place. Sends the kernel refuses
 * (a full send buffer: -EAGAIN or -ENOBUFS) are counted and reported at the end of the trial, as they cost less.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PosixHeapBench {
    /** The largest UDP payload over IPv4: 65535 less the IP and UDP headers. */
    static final int LARGEST_DATAGRAM = 65_507;
    private static final int DONTWAIT = MsgFlag.MSG_DONTWAIT.value();

    private int receiver = -1;
    private int sender = -1;
    private final byte[] small = new byte[Loopback.PAYLOAD];
    private final byte[] large = new byte[LARGEST_DATAGRAM];
    private final byte[] kib1 = new byte[1024];
    private final byte[] kib8 = new byte[8192];
    private long calls;
    private long refused;

    @Setup(Level.Trial)
    public void open() throws Exception {
        receiver = Loopback.receiver();
        sender = Loopback.sender(Loopback.addressOf(receiver));
        // room for a few of the largest datagrams in flight, as the C case sets
        Posix.setsockopt(sender, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 1 << 20);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        Loopback.close(sender, receiver);
        sender = receiver = -1;
        if (refused > 0) {
            System.err.printf("PosixHeapBench: %d of %d sends found the send buffer full%n", refused, calls);
        }
    }

    /** Counts a full send buffer (cheaper than a send, so reported); any other failure ends the fork. */
    private int counted(int r) {
        calls++;
        if (r < 0) {
            if (r != -Errno.EAGAIN.number() && r != -Errno.ENOBUFS.number()) {
                throw new IllegalStateException("send failed: errno " + -r);
            }
            refused++;
        }
        return r;
    }

    @Benchmark
    public int copy64() {
        return counted(Posix.trySend(sender, small, 0, small.length, 0));
    }

    @Benchmark
    public int dontwait64() {
        return counted(Posix.trySend(sender, small, 0, small.length, DONTWAIT));
    }

    @Benchmark
    public int copy64k() {
        return counted(Posix.trySend(sender, large, 0, large.length, 0));
    }

    @Benchmark
    public int dontwait64k() {
        return counted(Posix.trySend(sender, large, 0, large.length, DONTWAIT));
    }

    @Benchmark
    public int copy1k() {
        return counted(Posix.trySend(sender, kib1, 0, kib1.length, 0));
    }

    @Benchmark
    public int dontwait1k() {
        return counted(Posix.trySend(sender, kib1, 0, kib1.length, DONTWAIT));
    }

    @Benchmark
    public int copy8k() {
        return counted(Posix.trySend(sender, kib8, 0, kib8.length, 0));
    }

    @Benchmark
    public int dontwait8k() {
        return counted(Posix.trySend(sender, kib8, 0, kib8.length, DONTWAIT));
    }
}

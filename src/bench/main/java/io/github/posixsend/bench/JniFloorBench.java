// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

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
 * A diagnostic, not a peer: the least any JNI binding can cost, from jni_floor.c (built by scripts/bench and
 * named by {@code -Dposixsend.bench.jnifloor}). Its natives take primitives only and check nothing, so the
 * difference to C is the JNI transition, and the difference to posix-send's rows is posix-send's own work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JniFloorBench {
    private int receiver = -1;
    private int connected = -1;
    private ByteBuffer direct;
    private long address;
    private int[] full;
    /** A non-blocking bound UDP socket that nobody sends to: recv on it is always EAGAIN. */
    private int empty = -1;
    private int pollout;

    static native int send0(int fd, long address, int len, int flags);

    /** sendfile of {@code count} bytes from offset 0 of {@code inFd}; the count or -errno. */
    static native long sendfile0(int outFd, int inFd, int count);

    static native int noop0(int fd);

    static native int sendLoop0(int fd, long address, int len, int flags, int n);

    static native int poll0(int fd, int events, int timeout);

    static native int pollLoop0(int fd, int events, int timeout, int n);

    static native int recv0(int fd, long address, int len, int flags);

    static native int recvLoop0(int fd, long address, int len, int flags, int n);

    /** How many calls the {@code ...InC} benchmarks make per invocation. */
    static final int LOOP = 1000;

    static native long address0(ByteBuffer buf);

    static native void recvmmsgPrepare0(long address, int len);

    static native void sendmmsgPrepare0(long address, int len);

    static native int sendmmsg0(int fd);

    /** The messages of one {@link #sendmmsg64} call. */
    static final int SEND_BATCH = 64;

    static native int recvmmsg0(int fd);

    static native void tstampPrepare0(long address, int len);

    static native long tstamp0(int fd);

    static native long tstampSend0(int fd);

    static native long tstampReceive0(int fd);

    /** 64 pieces of 64 bytes that the bare recvmmsg receives into. */
    private ByteBuffer batchMemory;
    /** A connected UDP socket to {@link #receiver} with SO_TIMESTAMPING set, as the tstamp rows use. */
    private int timestamped = -1;

    /** Loads libjnifloor.so, named by {@code -Dposixsend.bench.jnifloor} (again is harmless). */
    static void load() {
        String lib = System.getProperty("posixsend.bench.jnifloor");
        if (lib == null) {
            throw new IllegalStateException("-Dposixsend.bench.jnifloor=PATH of libjnifloor.so is not set");
        }
        System.load(lib);
    }

    @Setup(Level.Trial)
    public void open() throws Exception {
        load();
        receiver = Loopback.receiver();
        connected = Loopback.sender(Loopback.addressOf(receiver));
        direct = Loopback.direct(Loopback.PAYLOAD);
        address = address0(direct);
        full = Loopback.fullUnixPair();
        empty = Loopback.nonBlockingReceiver();
        pollout = io.github.posixsend.Posix.POLLOUT;
        batchMemory = Loopback.direct(PosixReceiveBench.BATCH * Loopback.PAYLOAD);
        recvmmsgPrepare0(address0(batchMemory), Loopback.PAYLOAD);
        sendmmsgPrepare0(address, Loopback.PAYLOAD);
        timestamped = Loopback.sender(Loopback.addressOf(receiver));
        io.github.posixsend.Posix.setsockopt(timestamped, io.github.posixsend.Posix.SOL_SOCKET,
                io.github.posixsend.Posix.SO_TIMESTAMPING, io.github.posixsend.Posix.SOF_TIMESTAMPING_SOFTWARE
                        | io.github.posixsend.Posix.SOF_TIMESTAMPING_OPT_ID
                        | io.github.posixsend.Posix.SOF_TIMESTAMPING_OPT_TSONLY);
        tstampPrepare0(address, Loopback.PAYLOAD);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        Loopback.close(full);
        Loopback.close(connected, receiver, empty, timestamped);
        connected = receiver = empty = timestamped = -1;
    }

    /** send(2) of 64 bytes on a connected UDP socket through a primitive-only native. */
    @Benchmark
    public int send() {
        return send0(connected, address, Loopback.PAYLOAD, 0);
    }

    /**
     * {@value #LOOP} sends of 64 bytes on the connected UDP socket inside one native call, reported per call: the
     * send made from C code running in the JVM's thread, the floor of any binding in this process.
     */
    @Benchmark
    @OperationsPerInvocation(LOOP)
    public int sendInC() {
        return sendLoop0(connected, address, Loopback.PAYLOAD, 0, LOOP);
    }

    /**
     * send_floor.c's sendmmsg_64 operation in one native call: 64 messages of the same 64 bytes on the connected UDP
     * socket, their structs built once in C. What the same C costs in the JVM's process; per message.
     */
    @Benchmark
    @OperationsPerInvocation(SEND_BATCH)
    public int sendmmsg64() {
        int r = sendmmsg0(connected);
        if (r != SEND_BATCH) {
            throw new IllegalStateException("sendmmsg returned " + r + ", expected " + SEND_BATCH);
        }
        return r;
    }

    /** send(2) on descriptor -1 (EBADF) through a primitive-only native. */
    @Benchmark
    public int badDescriptor() {
        return send0(-1, address, Loopback.PAYLOAD, 0);
    }

    /** send(2) on a full AF_UNIX datagram socketpair (would-block) through a primitive-only native. */
    @Benchmark
    public int wouldBlock() {
        return send0(full[0], address, Loopback.PAYLOAD, 0);
    }

    /**
     * {@value #LOOP} send(2) calls on the full AF_UNIX datagram socketpair (each fails with EAGAIN) inside one native
     * call, reported per call: the would-block system call made from C code running in the JVM's thread.
     */
    @Benchmark
    @OperationsPerInvocation(LOOP)
    public int wouldBlockInC() {
        return sendLoop0(full[0], address, Loopback.PAYLOAD, 0, LOOP);
    }

    /**
     * {@value #LOOP} send(2) calls on descriptor -1 inside one native call, reported per call: the system call
     * made from C code running in the JVM's thread, to compare with the C program's own process.
     */
    @Benchmark
    @OperationsPerInvocation(LOOP)
    public int badDescriptorInC() {
        return sendLoop0(-1, address, Loopback.PAYLOAD, 0, LOOP);
    }

    /** A native that makes no system call: the JNI transition alone. */
    @Benchmark
    public int transitionOnly() {
        return noop0(-1);
    }

    /**
     * poll(2) of the connected UDP socket for POLLOUT, timeout 0 (it is writable: 1), through a primitive-only native.
     */
    @Benchmark
    public int poll() {
        return poll0(connected, pollout, 0);
    }

    /**
     * {@value #LOOP} poll(2) calls as {@link #poll()} inside one native call, reported per call: the same-process
     * floor of the poll rows (the system call made from C code running in the JVM's thread).
     */
    @Benchmark
    @OperationsPerInvocation(LOOP)
    public int pollInC() {
        return pollLoop0(connected, pollout, 0, LOOP);
    }

    /** recv(2) of up to 64 bytes on an empty non-blocking UDP socket (EAGAIN) through a primitive-only native. */
    @Benchmark
    public int recvEmpty() {
        return recv0(empty, address, Loopback.PAYLOAD, 0);
    }

    /**
     * {@value #LOOP} recv(2) calls as {@link #recvEmpty()} inside one native call, reported per call: the
     * same-process floor of the empty-recv rows.
     */
    @Benchmark
    @OperationsPerInvocation(LOOP)
    public int recvEmptyInC() {
        return recvLoop0(empty, address, Loopback.PAYLOAD, 0, LOOP);
    }

    /**
     * send_floor.c's recvmmsg_64 operation in one native call: the 64 datagrams {@link PosixReceiveBench.Batch}
     * queued, read with their senders' addresses into structs built once in C. What the same C costs in the JVM's
     * process, with one JNI transition per call; per datagram.
     */
    @Benchmark
    @OperationsPerInvocation(PosixReceiveBench.BATCH)
    public int recvmmsg64(PosixReceiveBench.Batch b) {
        int r = recvmmsg0(b.receiver);
        if (r != PosixReceiveBench.BATCH) {
            throw new IllegalStateException("recvmmsg returned " + r + ", expected " + PosixReceiveBench.BATCH);
        }
        return r;
    }

    /**
     * send_floor.c's tstamp operation in one native call: the sendmsg with its SO_TIMESTAMPING control message,
     * then one recvmsg(MSG_ERRQUEUE) and its timestamp (0 when not there yet, read by the next call, as in C).
     */
    @Benchmark
    public long timestamped() {
        long t = tstamp0(timestamped);
        if (t < 0) {
            throw new IllegalStateException("tstamp: " + t);
        }
        return t;
    }

    /**
     * The same operation as {@link #timestamped()}, its two system calls made by two native calls, as any binding
     * that offers C's sendmsg and recvmsg makes them: the floor of such a binding, one more JNI transition and the
     * return to Java between the calls included.
     */
    @Benchmark
    public long timestampedTwoCalls() {
        long sent = tstampSend0(timestamped);
        if (sent < 0) {
            throw new IllegalStateException("tstamp sendmsg: " + sent);
        }
        long t = tstampReceive0(timestamped);
        if (t < 0) {
            throw new IllegalStateException("tstamp: " + t);
        }
        return t;
    }
}

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

    static native int noop0(int fd);

    static native int sendLoop0(int fd, long address, int len, int flags, int n);

    static native int poll0(int fd, int events, int timeout);

    static native int pollLoop0(int fd, int events, int timeout, int n);

    static native int recv0(int fd, long address, int len, int flags);

    static native int recvLoop0(int fd, long address, int len, int flags, int n);

    /** How many calls the {@code ...InC} benchmarks make per invocation. */
    static final int LOOP = 1000;

    static native long address0(ByteBuffer buf);

    @Setup(Level.Trial)
    public void open() throws Exception {
        String lib = System.getProperty("posixsend.bench.jnifloor");
        if (lib == null) {
            throw new IllegalStateException("-Dposixsend.bench.jnifloor=PATH of libjnifloor.so is not set");
        }
        System.load(lib);
        receiver = Loopback.receiver();
        connected = Loopback.sender(Loopback.addressOf(receiver));
        direct = Loopback.direct(Loopback.PAYLOAD);
        address = address0(direct);
        full = Loopback.fullUnixPair();
        empty = Loopback.nonBlockingReceiver();
        pollout = io.github.posixsend.Posix.POLLOUT;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        Loopback.close(full);
        Loopback.close(connected, receiver, empty);
        connected = receiver = empty = -1;
    }

    /** send(2) of 64 bytes on a connected UDP socket through a primitive-only native. */
    @Benchmark
    public int send() {
        return send0(connected, address, Loopback.PAYLOAD, 0);
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

    /** poll(2) of the connected UDP socket for POLLOUT, timeout 0 (it is writable: 1), through a primitive-only native. */
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
}

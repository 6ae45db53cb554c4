// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import io.github.posixsend.ControlMessage;
import io.github.posixsend.Message;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import io.github.posixsend.WouldBlockException;
import io.github.posixsend.tools.probe.Descriptors;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounded socket chores for tests: read a count of bytes, receive with a time limit, fill a send buffer, drain a
 * stream. Each is bounded so that a broken call fails the test instead of hanging it. The descriptors themselves come
 * from {@link io.github.posixsend.tools.probe.Descriptors}, which the probe ships; the probe's own chores are
 * bounded by its deadline instead ({@code tools.probe.Io}).
 */
public final class SocketIo {
    private SocketIo() {
    }

    /**
     * Waits until datagrams from {@code tx} arrive at {@code rx} with a control message of {@code kind}, as the socket
     * option set on {@code rx} asks, sending one datagram at a time (at most 100, 10 ms apart) and receiving it; fails
     * when none does. Linux stamps received packets only while some socket wants software receive times, and turns
     * that on in a deferred work item when the first such socket asks: a datagram that arrives before it runs carries
     * no {@code SO_TIMESTAMPING} time (an {@code SO_TIMESTAMPNS} socket is given the time of its {@code recvmsg}
     * then instead).
     */
    public static void awaitControl(int tx, int rx, ControlMessage.Kind kind) throws Exception {
        try (Message in = new Message(256).add(ByteBuffer.allocateDirect(64))) {
            for (int i = 0; i < 100; i++) {
                Posix.send(tx, new byte[1], 0, 1, 0);
                in.buffer(0).clear();
                requireDatagramWithin2s(rx, in);
                for (ControlMessage c : in.receivedControl()) {
                    if (c.kind() == kind) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("no datagram of 100 arrived with a control message of kind " + kind);
    }

    /**
     * Waits until Linux stamps datagrams as they arrive (see {@link #awaitControl}), for {@code rx}, which has
     * {@code SO_TIMESTAMP} (or {@code SO_TIMESTAMPNS}, {@code kind} then {@code TIMESTAMPNS}) set, and for every
     * socket while {@code rx} stays open: each round sends a datagram from
     * {@code tx}, lets it wait 10 ms and receives it. A time taken at its arrival lies before the end of the wait; one
     * taken at the {@code recvmsg}, which is what an {@code SO_TIMESTAMP} socket is given until the switch-on has run,
     * after it. At most 100 rounds; fails when none shows an arrival time. Works where {@code SO_TIMESTAMPING} is
     * refused (qemu-user).
     */
    public static void awaitArrivalTimes(int tx, int rx) throws Exception {
        awaitArrivalTimes(tx, rx, ControlMessage.Kind.TIMESTAMP);
    }

    /** {@link #awaitArrivalTimes(int, int)} for a socket whose receive times come as {@code kind}. */
    public static void awaitArrivalTimes(int tx, int rx, ControlMessage.Kind kind) throws Exception {
        try (Message in = new Message(256).add(ByteBuffer.allocateDirect(64))) {
            for (int i = 0; i < 100; i++) {
                Posix.send(tx, new byte[1], 0, 1, 0);
                Thread.sleep(10);
                long waited = Posix.clockGettime(Posix.CLOCK_REALTIME);
                in.buffer(0).clear();
                requireDatagramWithin2s(rx, in);
                long at = in.receivedNanos(kind, 0);
                if (at != -1 && at < waited) {
                    return;
                }
            }
        }
        throw new AssertionError("no datagram of 100 was stamped at its arrival");
    }

    /** Every descriptor of every {@code SCM_RIGHTS} message {@code m} received, tracked by {@code fds} for closing. */
    public static int[] receivedDescriptors(Descriptors fds, Message m) {
        List<Integer> out = new ArrayList<>();
        for (ControlMessage c : m.receivedControl()) {
            if (c.kind() == ControlMessage.Kind.RIGHTS) {
                for (int fd : c.fds()) {
                    out.add(fds.track(fd));
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Reads exactly {@code n} bytes from a blocking descriptor with {@code read(2)}, in at most 100 reads; fails on an
     * end of file before them.
     */
    public static byte[] readFully(int fd, int n) throws io.github.posixsend.ErrnoException {
        byte[] got = new byte[n];
        int have = 0;
        for (int i = 0; i < 100 && have < n; i++) {
            int r = Posix.read(fd, got, have, n - have);
            if (r <= 0) {
                throw new AssertionError("end of file after " + have + " of " + n + " bytes");
            }
            have += r;
        }
        if (have != n) {
            throw new AssertionError(have + " of " + n + " bytes in 100 reads");
        }
        return got;
    }

    /**
     * Receives one datagram (or what a stream has) without blocking longer than {@code timeoutMillis}:
     * the socket is polled with MSG_DONTWAIT in bounded steps. Returns the bytes, or null when nothing came.
     */
    public static byte[] receive(int fd, int max, long timeoutMillis) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(max);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        while (true) {
            try {
                int n = Posix.recv(fd, buf, dontwait);
                byte[] out = new byte[Math.min(n, max)];
                buf.flip().get(out);
                return out;
            } catch (WouldBlockException e) {
                if (System.nanoTime() > deadline) {
                    return null;
                }
                Thread.sleep(1);
            }
        }
    }

    /**
     * Receives into {@code m} without blocking, waiting up to 2 s in 5 ms steps for a datagram to arrive (loopback
     * delivery can trail the send on a busy machine); the byte count, or -EAGAIN when none came.
     */
    public static long receiveWithin2s(int fd, Message m) throws Exception {
        long deadline = System.nanoTime() + 2_000_000_000L;
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        long eagain = -io.github.posixsend.Errno.EAGAIN.number();
        while (true) {
            long n = Posix.tryRecvmsg(fd, m, dontwait);
            if (n != eagain || System.nanoTime() > deadline) {
                return n;
            }
            Thread.sleep(5);
        }
    }

    /** {@link #receiveWithin2s}, failing when no datagram came. */
    private static void requireDatagramWithin2s(int fd, Message m) throws Exception {
        long n = receiveWithin2s(fd, m);
        if (n < 0) {
            throw new AssertionError("no datagram arrived within 2 s: " + io.github.posixsend.Errno.nameOf((int) -n));
        }
    }

    /** {@return the bytes a receive put into {@code b}, from 0 to its position, as ASCII text} Flips {@code b}. */
    public static String receivedText(ByteBuffer b) {
        b.flip();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Sends {@code chunk}-byte pieces with {@code flags} until the kernel reports would-block, and returns the
     * total it accepted. Fails (rather than loop on) when {@code maxSends} sends all succeed.
     */
    public static long fillUntilWouldBlock(int fd, int chunk, int flags, int maxSends) throws Exception {
        ByteBuffer data = ByteBuffer.allocateDirect(chunk);
        long total = 0;
        for (int i = 0; i < maxSends; i++) {
            data.clear();
            try {
                total += Posix.send(fd, data, flags);
            } catch (WouldBlockException e) {
                return total;
            }
        }
        throw new AssertionError("no would-block after " + maxSends + " sends of " + chunk + " bytes (" + total
                + " accepted)");
    }

    /**
     * Reads a stream until end of stream or until nothing has come for {@code idleMillis}, appending what came
     * to {@code sink} when it is not null; returns the count. Bounded by {@code maxReads} reads.
     */
    public static long drain(int fd, ByteArrayOutputStream sink, long idleMillis, int maxReads) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        long total = 0;
        long idleSince = System.nanoTime();
        for (int i = 0; i < maxReads; i++) {
            buf.clear();
            try {
                int n = Posix.recv(fd, buf, dontwait);
                if (n == 0) {
                    return total;
                }
                total += n;
                if (sink != null) {
                    sink.write(buf.array(), 0, n);
                }
                idleSince = System.nanoTime();
            } catch (WouldBlockException e) {
                if (System.nanoTime() - idleSince > idleMillis * 1_000_000L) {
                    return total;
                }
                Thread.sleep(1);
            }
        }
        throw new AssertionError("still reading after " + maxReads + " reads (" + total + " bytes)");
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.Posix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sockets on loopback and the helper threads that use them, closed together: a probe's, and a test's (the test
 * suite uses this class too, so a failing test leaks nothing into the next).
 *
 * <pre>{@code
 * try (Descriptors d = new Descriptors()) {
 *     Descriptors.Pair p = d.udpPair(false);
 *     Posix.send(p.a, ByteBuffer.wrap(data), 0);
 * }
 * }</pre>
 *
 * <p>{@link #close()} first shuts every socket down, which wakes a helper blocked in {@code recv} or
 * {@code send} (closing alone would not, and the number could be reused under it), then waits a bounded time
 * for the helpers, then closes the descriptors in reverse order and removes the files of {@link #unixPath}.
 * Public for the tests only: the probe package is not exported.
 */
public final class Descriptors implements AutoCloseable {
    /** How long {@link #close()} waits for each helper thread after the shutdown. */
    private static final long JOIN_MILLIS = 2_000;
    /** Where the holder of a refused port is connected: it never sends, so nothing goes there. */
    private static final int DISCARD_PORT = 9;
    /**
     * A descriptor number no process has open, for a call that must meet {@code EBADF}: above the kernel's
     * {@code fs.nr_open} (1,048,576 unless raised). A number just closed would not do: another thread of the JVM may
     * be given it at once, and the call would then act on that thread's file.
     */
    public static final int NEVER_OPEN = 1 << 30;

    /** Two connected descriptors: {@code a} sends, {@code b} receives (TCP: a is the client, b the accepted side). */
    public static final class Pair {
        /** The sending side; for TCP the client. */
        public final int a;
        /** The receiving side; for TCP the accepted socket. */
        public final int b;

        /**
         * A pair of descriptors someone else opened; they are not tracked.
         *
         * @param a the sending side
         * @param b the receiving side
         */
        public Pair(int a, int b) {
            this.a = a;
            this.b = b;
        }
    }

    /** Work for a helper thread. */
    public interface Task {
        void run() throws Exception;
    }

    private final Deque<Integer> open = new ArrayDeque<>();
    /** Unix socket paths and their temporary directories, removed last-made first by {@link #close()}. */
    private final Deque<Path> files = new ArrayDeque<>();
    private final List<Thread> helpers = new ArrayList<>();
    private final AtomicReference<Throwable> helperFailure = new AtomicReference<>();

    /** Registers a descriptor to be closed with the others; returns it. */
    public synchronized int track(int fd) {
        open.push(fd);
        return fd;
    }

    /** Closes {@code fd} now and forgets it. */
    public void closeNow(int fd) throws ErrnoException {
        synchronized (this) {
            open.remove(fd);
        }
        Posix.close(fd);
    }

    /** A new socket of {@code domain} and {@code type}, protocol 0, tracked. */
    public int socket(int domain, int type) throws ErrnoException {
        return track(Posix.socket(domain, type, 0));
    }

    /** The IPv4 or IPv6 loopback address with port 0. */
    public static InetSocketAddress loopback(boolean v6) {
        try {
            return new InetSocketAddress(InetAddress.getByName(v6 ? "::1" : "127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a literal address did not parse", e);
        }
    }

    /** The address a bound socket has. */
    public static InetSocketAddress addressOf(int fd) throws ErrnoException {
        return (InetSocketAddress) Posix.getsockname(fd);
    }

    /** A UDP socket bound to loopback on an ephemeral port. */
    public int boundUdp(boolean v6) throws ErrnoException {
        int fd = socket(v6 ? Posix.AF_INET6 : Posix.AF_INET, Posix.SOCK_DGRAM);
        Posix.bind(fd, loopback(v6));
        return fd;
    }

    /**
     * A loopback address where every UDP datagram is refused: its port is held by a socket connected to port 9,
     * which takes datagrams from that port only, so the kernel answers any other sender with ICMP port unreachable.
     * Held, not closed again, so that no socket can be given the port while the descriptors are open: a sender bound
     * by its first send could be, and would then read its own datagram where a refusal was wanted.
     */
    public InetSocketAddress closedUdpPort(boolean v6) throws ErrnoException {
        int holder = boundUdp(v6);
        Posix.connect(holder, new InetSocketAddress(loopback(v6).getAddress(), DISCARD_PORT));
        return addressOf(holder);
    }

    /** UDP over loopback: {@code a} is connected to {@code b}, which is bound. */
    public Pair udpPair(boolean v6) throws ErrnoException {
        int b = boundUdp(v6);
        int a = socket(v6 ? Posix.AF_INET6 : Posix.AF_INET, Posix.SOCK_DGRAM);
        Posix.connect(a, addressOf(b));
        return new Pair(a, b);
    }

    /** A TCP connection over IPv4 loopback with default buffers, both ends blocking. */
    public Pair tcpPair() throws ErrnoException {
        return tcpPair(0, 0);
    }

    /**
     * A TCP connection over IPv4 loopback, both ends blocking; the listener is closed already.
     *
     * @param clientSndbuf {@code SO_SNDBUF} set on the client before it connects, or 0 for the default
     * @param serverRcvbuf {@code SO_RCVBUF} set on the listener (the accepted side inherits it), or 0
     */
    public Pair tcpPair(int clientSndbuf, int serverRcvbuf) throws ErrnoException {
        int listener = socket(Posix.AF_INET, Posix.SOCK_STREAM);
        if (serverRcvbuf > 0) {
            Posix.setsockopt(listener, Posix.SOL_SOCKET, Posix.SO_RCVBUF, serverRcvbuf);
        }
        Posix.bind(listener, loopback(false));
        Posix.listen(listener, 1);
        int a = socket(Posix.AF_INET, Posix.SOCK_STREAM);
        if (clientSndbuf > 0) {
            Posix.setsockopt(a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, clientSndbuf);
        }
        Posix.connect(a, addressOf(listener));
        int b = track(Posix.accept(listener));
        closeNow(listener);
        return new Pair(a, b);
    }

    /** A {@code socketpair(AF_UNIX, type)}. */
    public Pair unixPair(int type) throws ErrnoException {
        int[] sv = Posix.socketpair(Posix.AF_UNIX, type, 0);
        track(sv[0]);
        track(sv[1]);
        return new Pair(sv[0], sv[1]);
    }

    /** A path for a Unix socket in a fresh temporary directory; {@link #close()} removes both. */
    public synchronized Path unixPath(String name) throws IOException {
        Path dir = Files.createTempDirectory("posixsend-");
        files.push(dir);
        Path p = dir.resolve(name);
        files.push(p);
        return p;
    }

    /**
     * Starts a helper thread (a daemon, so it can never keep the JVM alive). Its exception, if any, is kept for
     * {@link #helperFailure()}; {@link #close()} wakes and joins it.
     */
    public Thread background(String name, Task task) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                helperFailure.compareAndSet(null, e);
            }
        }, "probe-helper-" + name);
        t.setDaemon(true);
        synchronized (this) {
            helpers.add(t);
        }
        t.start();
        return t;
    }

    /** The first exception a helper thread ended with, or null. */
    public Throwable helperFailure() {
        return helperFailure.get();
    }

    /** Shuts down every open socket, waking any call blocked on one; errors (such as ENOTCONN) do not matter. */
    public synchronized void shutdownAll() {
        for (int fd : open) {
            try {
                Posix.shutdown(fd, Posix.SHUT_RDWR);
            } catch (ErrnoException | RuntimeException ignored) {
                // An unconnected or already shut socket has nothing to wake.
            }
        }
    }

    /**
     * Wakes and joins the helpers, closes the descriptors and removes the files.
     *
     * @throws ErrnoException the first error a {@code close} reported, after all were closed
     * @throws UncheckedIOException when a file could not be removed
     * @throws IllegalStateException when a helper did not end: then nothing is closed
     */
    @Override
    public void close() throws ErrnoException {
        List<Thread> threads;
        synchronized (this) {
            threads = new ArrayList<>(helpers);
        }
        boolean anyAlive = false;
        for (Thread t : threads) {
            anyAlive |= t.isAlive();
        }
        if (anyAlive) {
            shutdownAll();
        }
        for (Thread t : threads) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Thread t : threads) {
            if (t.isAlive()) {
                // Closing now could hand its descriptor numbers to someone else under it: leave them open.
                throw new IllegalStateException(t.getName() + " did not end after shutdown; its sockets stay open");
            }
        }
        ErrnoException first = null;
        synchronized (this) {
            while (!open.isEmpty()) {
                try {
                    Posix.close(open.pop());
                } catch (ErrnoException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            while (!files.isEmpty()) {
                Path p = files.pop();
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not remove " + p, e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

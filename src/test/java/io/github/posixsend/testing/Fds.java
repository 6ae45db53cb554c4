package io.github.posixsend.testing;

import io.github.posixsend.Posix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Real sockets on loopback for tests, closed together: every descriptor a test opens through one {@code Fds}
 * is closed by {@link #close()}, in reverse order, so a failing test leaks nothing into the next.
 *
 * <pre>{@code
 * try (Fds fds = new Fds()) {
 *     Fds.Pair p = fds.udp4Pair();
 *     Posix.send(p.a, ByteBuffer.wrap(data), 0);
 * }
 * }</pre>
 */
public final class Fds implements AutoCloseable {
    /** Two descriptors: {@code a} sends, {@code b} receives (for TCP: a is the client, b the accepted side). */
    public static final class Pair {
        public final int a;
        public final int b;

        public Pair(int a, int b) {
            this.a = a;
            this.b = b;
        }
    }

    private final Deque<Integer> open = new ArrayDeque<>();
    private final Deque<Path> files = new ArrayDeque<>();

    /** Registers a descriptor to be closed with the others; returns it. */
    public int track(int fd) {
        open.push(fd);
        return fd;
    }

    /** Closes {@code fd} now and forgets it. */
    public void closeNow(int fd) throws Exception {
        open.remove(fd);
        Posix.close(fd);
    }

    public int socket(int domain, int type) throws Exception {
        return track(Posix.socket(domain, type, 0));
    }

    /** The IPv4 or IPv6 loopback address with port 0. */
    public static InetSocketAddress loopback(boolean v6) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(v6 ? "::1" : "127.0.0.1"), 0);
    }

    /** A UDP socket bound to loopback on an ephemeral port. */
    public int boundUdp(boolean v6) throws Exception {
        int fd = socket(v6 ? Posix.AF_INET6 : Posix.AF_INET, Posix.SOCK_DGRAM);
        Posix.bind(fd, loopback(v6));
        return fd;
    }

    /** The address a bound socket has. */
    public static InetSocketAddress addressOf(int fd) throws Exception {
        return (InetSocketAddress) Posix.getsockname(fd);
    }

    /** UDP over IPv4 loopback: {@code a} is connected to {@code b}, which is bound. */
    public Pair udp4Pair() throws Exception {
        return udpPair(false);
    }

    /** UDP over loopback: {@code a} is connected to {@code b}, which is bound. */
    public Pair udpPair(boolean v6) throws Exception {
        int b = boundUdp(v6);
        int a = socket(v6 ? Posix.AF_INET6 : Posix.AF_INET, Posix.SOCK_DGRAM);
        Posix.connect(a, addressOf(b));
        return new Pair(a, b);
    }

    /** A TCP connection over IPv4 loopback, both ends blocking; the listener is closed already. */
    public Pair tcpPair() throws Exception {
        int listener = socket(Posix.AF_INET, Posix.SOCK_STREAM);
        Posix.bind(listener, loopback(false));
        Posix.listen(listener, 1);
        int a = socket(Posix.AF_INET, Posix.SOCK_STREAM);
        Posix.connect(a, addressOf(listener));
        int b = track(Posix.accept(listener));
        closeNow(listener);
        return new Pair(a, b);
    }

    /** A {@code socketpair(AF_UNIX, type)}. */
    public Pair unixPair(int type) throws Exception {
        int[] sv = Posix.socketpair(Posix.AF_UNIX, type, 0);
        track(sv[0]);
        track(sv[1]);
        return new Pair(sv[0], sv[1]);
    }

    /** A path for a Unix socket in a fresh temporary directory, removed by {@link #close()}. */
    public Path unixPath(String name) throws Exception {
        Path dir = Files.createTempDirectory("posixsend-test");
        files.push(dir);
        Path p = dir.resolve(name);
        files.push(p);
        return p;
    }

    /** Sets a socket non-blocking. */
    public static void nonBlocking(int fd) throws Exception {
        Posix.setBlocking(fd, false);
    }

    /**
     * Receives one datagram (or what a stream has) without blocking longer than {@code timeoutMillis}:
     * the socket is polled with MSG_DONTWAIT in bounded steps. Returns the bytes, or null when nothing came.
     */
    public static byte[] receive(int fd, int max, long timeoutMillis) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(max);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        int dontwait = io.github.posixsend.MsgFlag.MSG_DONTWAIT.value();
        while (true) {
            try {
                int n = Posix.recv(fd, buf, dontwait);
                byte[] out = new byte[Math.min(n, max)];
                buf.flip().get(out);
                return out;
            } catch (io.github.posixsend.WouldBlockException e) {
                if (System.nanoTime() > deadline) {
                    return null;
                }
                Thread.sleep(1);
            }
        }
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
            } catch (io.github.posixsend.WouldBlockException e) {
                return total;
            }
        }
        throw new AssertionError("no would-block after " + maxSends + " sends of " + chunk + " bytes (" + total + " accepted)");
    }

    /**
     * Reads a stream until end of stream or until nothing has come for {@code idleMillis}, appending what came
     * to {@code sink} when it is not null; returns the count. Bounded by {@code maxReads} reads.
     */
    public static long drain(int fd, java.io.ByteArrayOutputStream sink, long idleMillis, int maxReads) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        int dontwait = io.github.posixsend.MsgFlag.MSG_DONTWAIT.value();
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
            } catch (io.github.posixsend.WouldBlockException e) {
                if (System.nanoTime() - idleSince > idleMillis * 1_000_000L) {
                    return total;
                }
                Thread.sleep(1);
            }
        }
        throw new AssertionError("still reading after " + maxReads + " reads (" + total + " bytes)");
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!open.isEmpty()) {
            try {
                Posix.close(open.pop());
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        while (!files.isEmpty()) {
            Files.deleteIfExists(files.pop());
        }
        if (first != null) {
            throw first;
        }
    }
}

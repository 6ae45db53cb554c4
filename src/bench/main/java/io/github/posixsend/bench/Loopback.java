// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.github.posixsend.Posix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The sockets the benchmarks of posix-send use, made the way send_floor.c makes them: a UDP receiver bound to
 * 127.0.0.1 that nobody reads, and non-blocking senders. Only loopback addresses and socketpairs are used.
 */
final class Loopback {
    /** The payload of every single-datagram row, as in send_floor.c. */
    static final int PAYLOAD = 64;

    /** What the output says about the receiver: nobody reads it, so the kernel drops datagrams once it is full. */
    static final String RECEIVER = "unread";

    private Loopback() {
    }

    /** A UDP socket bound to 127.0.0.1 on an ephemeral port. */
    static int receiver() throws Exception {
        int fd = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
        Posix.bind(fd, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return fd;
    }

    /** A non-blocking UDP socket bound to 127.0.0.1 on an ephemeral port, for receives that must not wait. */
    static int nonBlockingReceiver() throws Exception {
        int fd = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM | Posix.SOCK_NONBLOCK, 0);
        Posix.bind(fd, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return fd;
    }

    /** The address {@code fd} is bound to. */
    static InetSocketAddress addressOf(int fd) throws Exception {
        return (InetSocketAddress) Posix.getsockname(fd);
    }

    /** A non-blocking UDP socket, connected to {@code dest} when it is not null. */
    static int sender(InetSocketAddress dest) throws Exception {
        int fd = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM | Posix.SOCK_NONBLOCK, 0);
        if (dest != null) {
            Posix.connect(fd, dest);
        }
        return fd;
    }

    /**
     * A non-blocking AF_UNIX datagram socketpair whose first socket cannot send any more: it is filled with
     * 64-byte datagrams until the kernel answers would-block. Returns {@code {full sender, unread peer}}.
     */
    static int[] fullUnixPair() throws Exception {
        int[] fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM | Posix.SOCK_NONBLOCK, 0);
        ByteBuffer b = direct(PAYLOAD);
        for (int i = 0; i < 1_000_000; i++) {
            b.clear();
            int r = Posix.trySend(fds[0], b, 0);
            if (r < 0) {
                if (-r == io.github.posixsend.Errno.EAGAIN.number()) {
                    return fds;
                }
                throw new IllegalStateException("filling the socketpair: errno " + -r);
            }
        }
        throw new IllegalStateException("the socketpair never filled");
    }

    /** A direct buffer of {@code n} bytes of 'x', position 0, limit n. */
    static ByteBuffer direct(int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(n);
        fill(b);
        return b;
    }

    /** The page size of x86_64 (and of most aarch64 Linux kernels). */
    static final int PAGE = 4096;

    /**
     * A direct buffer of {@code n} bytes of 'x' that starts on a page boundary, as the TCP buffers of send_floor.c
     * do. {@code allocateDirect} starts wherever malloc puts it, which for a zero-copy send of 1 MiB decided its
     * pace here: from a buffer that starts mid-page, C's own send took 1.2x-1.8x as long (docs/bench-history.md).
     */
    static ByteBuffer pageAligned(int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(n + PAGE - 1).alignedSlice(PAGE).limit(n).slice();
        fill(b);
        return b;
    }

    /** A heap buffer of {@code n} bytes of 'x'. */
    static ByteBuffer heap(int n) {
        ByteBuffer b = ByteBuffer.allocate(n);
        fill(b);
        return b;
    }

    private static void fill(ByteBuffer b) {
        while (b.hasRemaining()) {
            b.put((byte) 'x');
        }
        b.clear();
    }

    /**
     * A blocking loopback TCP connection whose accepted end a daemon thread drains until the connection is shut
     * (or 1 TiB passed), as the drain thread of send_floor.c; with {@code zerocopy}, {@code SO_ZEROCOPY} is set
     * on the sender.
     */
    record Drained(int sender, int peer, Thread drain) implements AutoCloseable {
        /** Shuts both ends (the drain thread's recv returns 0), joins the thread for up to 10 s, closes both. */
        @Override
        public void close() throws Exception {
            Posix.shutdown(sender, Posix.SHUT_RDWR);
            Posix.shutdown(peer, Posix.SHUT_RDWR);
            drain.join(10_000);
            Loopback.close(sender, peer);
        }
    }

    static Drained drainedTcp(boolean zerocopy) throws Exception {
        int listener = Posix.socket(Posix.AF_INET, Posix.SOCK_STREAM, 0);
        try {
            Posix.bind(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Posix.listen(listener, 1);
            int sender = Posix.socket(Posix.AF_INET, Posix.SOCK_STREAM, 0);
            Posix.connect(sender, addressOf(listener));
            int peer = Posix.accept(listener);
            if (zerocopy) {
                Posix.setsockopt(sender, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
            }
            Thread t = new Thread(() -> {
                ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
                long total = 0;
                try {
                    while (total < (1L << 40)) {
                        in.clear();
                        int n = Posix.recv(peer, in, 0);
                        if (n <= 0) {
                            return;
                        }
                        total += n;
                    }
                } catch (io.github.posixsend.ErrnoException e) {
                    // the connection was shut down at the end of the trial
                }
            }, "tcp-drain");
            t.setDaemon(true);
            t.start();
            return new Drained(sender, peer, t);
        } finally {
            Posix.close(listener);
        }
    }

    /** Closes descriptors, ignoring those that are not open (-1). */
    static void close(int... fds) throws Exception {
        for (int fd : fds) {
            if (fd >= 0) {
                Posix.close(fd);
            }
        }
    }
}

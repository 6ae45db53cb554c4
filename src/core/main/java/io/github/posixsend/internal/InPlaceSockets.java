// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sockets a {@code byte[]} may be passed to the kernel in place for. A call over an array in place (JNI's
 * {@code GetPrimitiveArrayCritical}, FFM's {@code critical(true)}) holds off the JVM's collector or its safepoints
 * until it returns, so it is made only where the kernel cannot sleep long. {@code MSG_DONTWAIT} ends the waits for
 * data and room, not those for locks or for work done in the caller's context: a netlink send runs its request
 * there, under the routing lock that every netlink user of the system takes. Only sockets of the internet and local
 * domains, whose locks are the socket's own, get arrays in place ({@code SO_DOMAIN}; where the system lacks it,
 * none do).
 *
 * <p>Each thread remembers its last answer, for its descriptor, until any close through posix-send. A descriptor
 * closed otherwise whose number is then reused may be judged by what it was until then: the call made is the same,
 * only the JVM may wait on it.
 */
public final class InPlaceSockets {
    private static final int SO_DOMAIN = Platform.value("SO_DOMAIN");
    private static final int SOL_SOCKET = Platform.value("SOL_SOCKET");
    private static final int AF_INET = Platform.value("AF_INET");
    private static final int AF_INET6 = Platform.value("AF_INET6");
    private static final int AF_UNIX = Platform.value("AF_UNIX");

    /** Closes through posix-send so far: a thread's answer stands while this has not changed. */
    private static final AtomicInteger CLOSES = new AtomicInteger();

    /** A thread's last answer. */
    private static final class Last {
        int fd = -1;
        int closes;
        boolean allowed;
        final int[] domain = new int[1];
    }

    private static final PerThread<Last> LAST = new PerThread<>(Last::new);

    private InPlaceSockets() {
    }

    /**
     * Whether an array may be passed in place to a call on {@code fd}.
     *
     * @param b the backend, to ask for the socket's domain
     * @param fd the descriptor
     * @return true for a socket of {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}; false for any other
     *     descriptor, one the kernel says nothing of, and on a system without {@code SO_DOMAIN}
     */
    public static boolean allows(Backend b, int fd) {
        if (SO_DOMAIN == Platform.UNSUPPORTED) {
            return false;
        }
        Last last = LAST.get();
        int now = CLOSES.get();
        if (last.fd == fd && last.closes == now) {
            return last.allowed;
        }
        int[] domain = last.domain;
        int d = b.getsockoptInt(fd, SOL_SOCKET, SO_DOMAIN, domain) == 0 ? domain[0] : -1;
        last.allowed = d == AF_INET || d == AF_INET6 || d == AF_UNIX;
        last.closes = now; // read before the question: a close since then makes the next call ask again
        last.fd = fd;
        return last.allowed;
    }

    /** Ends every thread's answer: called after each close through posix-send. */
    public static void closed() {
        CLOSES.incrementAndGet();
    }
}

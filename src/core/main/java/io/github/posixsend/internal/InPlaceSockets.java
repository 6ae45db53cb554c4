// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The sockets a {@code byte[]} may be passed to the kernel in place for. A call over an array in place (JNI's
 * {@code GetPrimitiveArrayCritical}, FFM's {@code critical(true)}) holds off the JVM's collector or its safepoints
 * until it returns, so it is made only where the kernel cannot sleep long. {@code MSG_DONTWAIT} ends the waits for
 * data and room, not those for locks or for work done in the caller's context: a netlink send runs its request
 * there, under the routing lock that every netlink user of the system takes, and a local socket's send may wait for
 * the system's collector of in-flight descriptors. A stream socket's calls all take the socket's lock, which another
 * thread's send holds while the kernel copies that sender's memory, page faults included, however long they last
 * (a page of a file on a slow disk, a userfaultfd region): a {@code MSG_DONTWAIT} call waits for it, and the JVM
 * with it (measured: a 3.5 s collector stall on JDK 17). The other datagram sockets of the internet domains, ICMP
 * ping and L2TP, take that lock to copy a send's data too. Only UDP sockets get arrays in place
 * ({@code SO_DOMAIN}, {@code SO_TYPE} and {@code SO_PROTOCOL}; where the system lacks {@code SO_DOMAIN}, none do):
 * a UDP receive takes no sleeping lock, and a UDP send takes the socket's lock only to join a datagram that is being
 * corked ({@code MSG_MORE}, {@code UDP_CORK}), so {@code MSG_MORE} sends are copied, and a send that another thread's
 * cork makes wait would have joined that thread's datagram, which is wrong use of the socket whatever posix-send
 * does.
 *
 * <p>Only descriptors posix-send made itself ({@code socket}, {@code socketpair}, {@code accept}) and has not closed
 * are asked at all: a number that came from elsewhere ({@code Posix.fd} of a channel, a received
 * {@code SCM_RIGHTS}, a number the program got itself) is closed by code posix-send does not see, and the number
 * then reused for a TCP socket would be judged by what it was; such descriptors' arrays are always copied. The
 * answer is remembered per descriptor number (below {@value #REMEMBERED}; a larger number is not passed arrays in
 * place), and forgotten when posix-send closes the number or hands it out again; an answer asked while that
 * happened is not kept. A descriptor of posix-send's that other code closes (with {@code close} of its own, or a
 * {@code dup2} over it) and whose number is then reused may still be judged by what it was, and so may one closed
 * and reused between the answer and the call: the call made is the same, only the JVM may wait on it.
 */
public final class InPlaceSockets {
    /** Descriptor numbers whose answer is remembered. */
    static final int REMEMBERED = 1 << 16;
    private static final int UNKNOWN = 0;
    private static final int ALLOWED = 1;
    private static final int REFUSED = 2;
    private static final int ANSWER_BITS = 2;
    /** Set while the number names a descriptor posix-send handed out and has not closed. */
    private static final int OWNED = 1 << ANSWER_BITS;
    /** Where the count of closes and hand-outs begins. */
    private static final int COUNT_SHIFT = ANSWER_BITS + 1;
    private static final int SO_DOMAIN = Platform.value("SO_DOMAIN");
    private static final int SOL_SOCKET = Platform.value("SOL_SOCKET");
    private static final int AF_INET = Platform.value("AF_INET");
    private static final int AF_INET6 = Platform.value("AF_INET6");
    private static final int SO_TYPE = Platform.value("SO_TYPE");
    private static final int SOCK_DGRAM = Platform.value("SOCK_DGRAM");
    private static final int SO_PROTOCOL = Platform.value("SO_PROTOCOL");
    private static final int IPPROTO_UDP = Platform.value("IPPROTO_UDP");
    private static final int MSG_MORE = Platform.value("MSG_MORE") == Platform.UNSUPPORTED ? 0
            : Platform.value("MSG_MORE");

    /**
     * Each number's answer in the low bits, then whether posix-send owns it ({@link #OWNED}), above them how many
     * times posix-send closed the number or handed it out again. An answer is stored only over the state it was
     * asked in, so that one asked of a socket that posix-send closed meanwhile (and whose number another of its calls
     * handed out again) is not kept for the new one.
     */
    private static final int[] STATES = new int[REMEMBERED];
    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(int[].class);
    /** Where the domain, type and protocol are read into, per thread. */
    private static final PerThread<int[]> ANSWER = new PerThread<>(() -> new int[1]);

    private InPlaceSockets() {
    }

    /**
     * Whether an array may be passed in place to a call on {@code fd}. The socket's domain, type and protocol are
     * asked of the library's own backend, never of one a caller hands in, so that no code outside the library can
     * make a number's answer.
     *
     * @param fd the descriptor
     * @return true for a UDP socket ({@code SOCK_DGRAM}, {@code IPPROTO_UDP}) of {@code AF_INET} or {@code AF_INET6}
     *     that posix-send made and has not closed, numbered below {@value #REMEMBERED}; false for any other
     *     descriptor and on a system without {@code SO_DOMAIN}
     */
    static boolean allows(int fd) {
        if (fd < 0 || fd >= REMEMBERED || SO_DOMAIN == Platform.UNSUPPORTED) {
            return false;
        }
        int state = (int) STATE.getAcquire(STATES, fd);
        if ((state & OWNED) == 0) {
            return false;
        }
        int known = state & ((1 << ANSWER_BITS) - 1);
        if (known != UNKNOWN) {
            return known == ALLOWED;
        }
        int d = ask(fd, SO_DOMAIN);
        boolean allowed = false;
        if (d == AF_INET || d == AF_INET6) {
            int t = ask(fd, SO_TYPE);
            int p = t == SOCK_DGRAM ? ask(fd, SO_PROTOCOL) : 0;
            if (t == -1 || p == -1) {
                return false; // closed between the questions: not remembered
            }
            allowed = t == SOCK_DGRAM && p == IPPROTO_UDP;
        }
        if (d != -1) { // a number that is no socket now may be one soon: not remembered
            STATE.compareAndSet(STATES, fd, state, state | (allowed ? ALLOWED : REFUSED));
        }
        return allowed;
    }

    /** The {@code SOL_SOCKET} option {@code name} of {@code fd}, asked of the library's own backend, or -1. */
    private static int ask(int fd, int name) {
        int[] answer = ANSWER.get();
        return Backends.chosen().getsockoptInt(fd, SOL_SOCKET, name, answer) == 0 ? answer[0] : -1;
    }

    /**
     * Whether a call with these flags corks its data ({@code MSG_MORE}), which takes a UDP socket's lock.
     *
     * @param flags the call's {@code MSG_*} flags
     * @return true when {@code flags} has {@code MSG_MORE}
     */
    static boolean corks(int flags) {
        return (flags & MSG_MORE) != 0;
    }

    /**
     * The one {@link Owner}, for the library's own calls that make and close descriptors.
     *
     * @return the owner
     * @throws IllegalCallerException when called from outside the library ({@link LibraryCallers}): code that could
     *     mark a descriptor of its own as posix-send's would have arrays passed in place to whatever the number names
     *     later, a TCP socket included, where the JVM may wait on the kernel
     */
    public static Owner owner() {
        LibraryCallers.require(InPlaceSockets.class, "the table of descriptors posix-send owns");
        return Owner.ONE;
    }

    /** What changes which numbers posix-send owns: had only by the library's own classes ({@link #owner()}). */
    public static final class Owner {
        private static final Owner ONE = new Owner();

        private Owner() {
        }

        /**
         * Forgets what {@code fd} was: posix-send closed it, and no longer owns the number.
         *
         * @param fd a descriptor number
         */
        public void forget(int fd) {
            renew(fd, 0);
        }

        /**
         * Forgets what {@code fd} was, as the kernel just handed the number out again to posix-send, which owns it
         * now.
         *
         * @param fd the new descriptor, or a negative {@code -errno} (then nothing happens)
         * @return {@code fd}
         */
        public int handedOut(int fd) {
            renew(fd, OWNED);
            return fd;
        }
    }

    /** Counts one close or hand-out of {@code fd}, dropping its answer, with {@code owned} as its ownership. */
    private static void renew(int fd, int owned) {
        if (fd >= 0 && fd < REMEMBERED) {
            int state;
            do {
                state = (int) STATE.getVolatile(STATES, fd);
            } while (!STATE.compareAndSet(STATES, fd, state, ((state >>> COUNT_SHIFT) + 1) << COUNT_SHIFT | owned));
        }
    }
}

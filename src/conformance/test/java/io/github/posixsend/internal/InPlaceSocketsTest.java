// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.MsgFlag;
import io.github.posixsend.Os;
import io.github.posixsend.Posix;
import io.github.posixsend.tools.probe.Descriptors;
import org.junit.jupiter.api.Test;

/**
 * Arrays go to the kernel in place only for datagram sockets of the internet domains: a netlink socket's send runs
 * its request in the caller under a lock the whole system shares, a local socket's send may wait for the system's
 * collector of in-flight descriptors, and a stream socket's calls wait for its lock while another thread's send holds
 * it. Corked sends ({@code MSG_MORE}) take a UDP socket's lock too. The answer remembered for a number ends when
 * posix-send closes it or hands it out again.
 */
class InPlaceSocketsTest {
    private static final int AF_NETLINK = 16;
    private static final int IPPROTO_ICMP = 1;
    /** SO_DOMAIN is Linux's: elsewhere no socket is passed arrays in place. */
    private static final boolean KNOWS_DOMAINS = Os.current() == Os.LINUX;

    @Test
    void onlyInternetSocketsTakeArraysInPlace() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int v4 = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            int v6 = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            int v4Stream = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            int v6Stream = fds.socket(Posix.AF_INET6, Posix.SOCK_STREAM);
            int local = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            for (int round = 0; round < 2; round++) { // asked again, each answer stands
                assertEquals(KNOWS_DOMAINS, InPlaceSockets.allows(v4), "AF_INET datagram");
                assertEquals(KNOWS_DOMAINS, InPlaceSockets.allows(v6), "AF_INET6 datagram");
                assertFalse(InPlaceSockets.allows(v4Stream), "AF_INET stream");
                assertFalse(InPlaceSockets.allows(v6Stream), "AF_INET6 stream");
                assertFalse(InPlaceSockets.allows(local), "AF_UNIX");
                assertFalse(InPlaceSockets.allows(-1), "no descriptor");
                assertFalse(InPlaceSockets.allows(InPlaceSockets.REMEMBERED), "a number past the table");
            }
            if (KNOWS_DOMAINS) {
                int netlink = fds.socket(AF_NETLINK, Posix.SOCK_RAW);
                assertFalse(InPlaceSockets.allows(netlink), "AF_NETLINK");
                // an ICMP ping socket is a datagram socket of AF_INET whose sends copy under the socket's lock; the
                // system lets only the groups in net.ipv4.ping_group_range open one
                int ping = Backends.current().socket(Posix.AF_INET, Posix.SOCK_DGRAM, IPPROTO_ICMP);
                if (ping >= 0) {
                    fds.track(ping);
                    assertFalse(InPlaceSockets.allows(ping), "ICMP ping socket");
                }
            }
        }
    }

    /**
     * A UDP socket posix-send did not make (a channel's, as {@code Posix.fd} gives it, or one from elsewhere) is never
     * passed arrays in place: its owner closes it unseen, and a TCP socket given its number must not be judged UDP.
     */
    @Test
    void onlyDescriptorsPosixSendMadeAreAsked() throws Exception {
        Backend b = Backends.current();
        try (Descriptors fds = new Descriptors();
                java.nio.channels.DatagramChannel channel = java.nio.channels.DatagramChannel.open()) {
            int foreign = b.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
            assertTrue(foreign >= 0, "socket: " + foreign);
            fds.track(foreign);
            InPlaceSockets.owner().forget(foreign); // whatever an earlier test's socket of this number left
            assertFalse(InPlaceSockets.allows(foreign), "a UDP socket made elsewhere");
            assertFalse(InPlaceSockets.allows(foreign), "asked again");
            int own = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            assertEquals(KNOWS_DOMAINS, InPlaceSockets.allows(own), "the same kind made by posix-send");
            fds.closeNow(own);
            assertFalse(InPlaceSockets.allows(own), "closed by posix-send: no longer its own");
            int viaChannel = -1;
            try {
                viaChannel = Posix.fd(channel);
            } catch (RuntimeException e) {
                // the FFM backend reads a channel's number only with --add-opens: the case above stands for it
            }
            if (viaChannel >= 0) {
                assertFalse(InPlaceSockets.allows(viaChannel), "a DatagramChannel's socket");
            }
        }
    }

    @Test
    void onlyUncorkedNonBlockingLargeCallsGoInPlace() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int v4 = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            int big = Backend.IN_PLACE_MIN;
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            assertEquals(KNOWS_DOMAINS, Backend.inPlace(v4, dontwait, dontwait, big));
            assertFalse(Backend.inPlace(v4, 0, dontwait, big), "a call that may wait for room");
            assertFalse(Backend.inPlace(v4, dontwait, dontwait, big - 1), "too small to gain");
            if (MsgFlag.MSG_MORE.isSupported()) {
                assertFalse(Backend.inPlace(v4, dontwait | MsgFlag.MSG_MORE.value(), dontwait, big),
                        "a corked send takes the socket's lock");
            }
        }
    }

    /**
     * A closed number is handed out again, lowest first, unless another thread took it meanwhile: each test tries
     * this many times for a new socket to get the closed one's number (the case it is about), and fails otherwise.
     */
    private static final int ATTEMPTS = 100;

    @Test
    void aCloseThroughPosixSendEndsTheAnswer() throws Exception {
        Backend b = Backends.current();
        try (Descriptors fds = new Descriptors()) {
            boolean reused = false;
            for (int attempt = 0; attempt < ATTEMPTS && !reused; attempt++) {
                int v4 = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
                assertEquals(KNOWS_DOMAINS, InPlaceSockets.allows(v4));
                fds.closeNow(v4);
                // made by the backend: Posix.socket would forget the number's answer too, and the close alone must
                int other = KNOWS_DOMAINS ? b.socket(AF_NETLINK, Posix.SOCK_RAW, 0)
                        : b.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
                assertTrue(other >= 0, "socket: " + other);
                fds.track(other);
                reused = other == v4;
                assertFalse(InPlaceSockets.allows(other), "descriptor " + other + " (was " + v4 + ")");
            }
            assertTrue(reused, "no new socket got the closed one's number in " + ATTEMPTS + " attempts");
        }
    }

    @Test
    void aNumberHandedOutAgainIsAskedAgain() throws Exception {
        Backend b = Backends.current();
        try (Descriptors fds = new Descriptors()) {
            boolean reused = false;
            for (int attempt = 0; attempt < ATTEMPTS && !reused; attempt++) {
                int v4 = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
                try {
                    assertEquals(KNOWS_DOMAINS, InPlaceSockets.allows(v4));
                } finally {
                    // closed behind posix-send's back (as SocketChannel.close would), so not through Descriptors
                    assertEquals(0, b.close(v4));
                }
                // then handed out by posix-send again
                int[] pair = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
                fds.track(pair[0]);
                fds.track(pair[1]);
                reused = pair[0] == v4 || pair[1] == v4;
                assertFalse(InPlaceSockets.allows(pair[0]), "descriptor " + pair[0] + " (was " + v4 + ")");
                assertFalse(InPlaceSockets.allows(pair[1]), "descriptor " + pair[1] + " (was " + v4 + ")");
            }
            assertTrue(reused, "no new socket got the closed one's number in " + ATTEMPTS + " attempts");
        }
    }
}

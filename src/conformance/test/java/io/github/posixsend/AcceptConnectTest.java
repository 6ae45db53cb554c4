// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.Fdinfo;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event-driven accept and connect on loopback: {@code tryConnect} on non-blocking sockets ({@code -EINPROGRESS},
 * then {@code POLLOUT} and {@code SO_ERROR}), {@code tryAccept} with {@code accept4}'s flags until {@code -EAGAIN},
 * each peer's address from the same call, the kernel's refusals as {@code -errno}, and no allocation on the paths an
 * event loop takes at every turn.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AcceptConnectTest {
    private static final int EAGAIN = -Errno.EAGAIN.number();
    private static final int EINPROGRESS = -Errno.EINPROGRESS.number();
    private static final int ECONNREFUSED = -Errno.ECONNREFUSED.number();
    private static final int CLIENTS = 8;
    /** The most milliseconds one wait for the kernel may take. */
    private static final int WAIT = 5000;

    private static int family(boolean v6) {
        return v6 ? Posix.AF_INET6 : Posix.AF_INET;
    }

    /** A non-blocking TCP listener on loopback with room for {@code backlog} waiting connections. */
    private static int listener(Descriptors fds, boolean v6, int backlog) throws ErrnoException {
        int l = fds.socket(family(v6), Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
        Posix.bind(l, Descriptors.loopback(v6));
        Posix.listen(l, backlog);
        return l;
    }

    /** Waits, a bounded time, until {@code listener} has a connection to accept. */
    private static void awaitConnection(int listener) throws ErrnoException {
        PollSet set = new PollSet(1);
        set.add(listener, Posix.POLLIN);
        assertEquals(1, set.poll(WAIT), "a connection to accept within " + WAIT + " ms");
    }

    @ParameterizedTest(name = "IPv6={0}")
    @ValueSource(booleans = {false, true})
    void anEventLoopConnectsAndAcceptsEveryClientWithoutExceptions(boolean v6) throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int listener = listener(fds, v6, CLIENTS + 1);
            SockAddr to = SockAddr.of(Descriptors.addressOf(listener));
            int flags = Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC;
            SockAddrBuffer peer = new SockAddrBuffer();
            assertEquals(EAGAIN, Posix.tryAccept(listener, flags, peer), "nobody has connected yet");
            assertFalse(peer.hasAddress(), "a failure writes no address");

            int[] clients = new int[CLIENTS];
            PollSet set = new PollSet(CLIENTS);
            for (int i = 0; i < CLIENTS; i++) {
                clients[i] = fds.socket(family(v6), Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
                int r = Posix.tryConnect(clients[i], to);
                assertTrue(r == 0 || r == EINPROGRESS, "client " + i + ": tryConnect gave " + r);
                set.add(clients[i], Posix.POLLOUT);
            }
            // each client once writable: connected, or failed (SO_ERROR says which); then no longer asked about
            int connected = 0;
            long deadline = System.nanoTime() + WAIT * 1_000_000L;
            for (int round = 0; round < 100 && connected < CLIENTS && System.nanoTime() < deadline; round++) {
                set.poll(WAIT / 10);
                for (int i = 0; i < CLIENTS; i++) {
                    if (set.events(i) != 0 && set.revents(i) != 0) {
                        assertEquals(Posix.POLLOUT, set.revents(i), "client " + i + ": " + set);
                        assertEquals(0, Posix.getsockopt(clients[i], Posix.SOL_SOCKET, Posix.SO_ERROR),
                                "client " + i + ": SO_ERROR");
                        set.setEvents(i, 0);
                        connected++;
                    }
                }
            }
            assertEquals(CLIENTS, connected, "clients writable within " + WAIT + " ms");

            Set<SocketAddress> names = new HashSet<>();
            for (int c : clients) {
                names.add(Posix.getsockname(c));
            }
            assertEquals(CLIENTS, names.size(), "each client has an address of its own");
            // the server's side: accept until -EAGAIN, then wait for more, as an event loop would
            Set<SocketAddress> peers = new HashSet<>();
            int last = 0;
            for (int turn = 0; turn < CLIENTS + 1 && peers.size() < CLIENTS; turn++) {
                awaitConnection(listener);
                for (int i = 0; i <= CLIENTS; i++) {
                    peer.clear();
                    last = Posix.tryAccept(listener, flags, peer);
                    if (last < 0) {
                        break;
                    }
                    fds.track(last);
                    assertTrue(peer.hasAddress(), "accept4 wrote the peer's address");
                    assertEquals(family(v6), peer.family());
                    SocketAddress name = peer.toSocketAddress();
                    assertTrue(names.contains(name), name + " is one of the clients " + names);
                    assertTrue(peers.add(name), name + " accepted twice");
                    assertEquals(name, Posix.getpeername(last), "the peer accept4 named is the socket's peer");
                    assertEquals(((InetSocketAddress) name).getPort(), peer.port());
                    assertFalse(Posix.isBlocking(last), "SOCK_NONBLOCK: the accepted socket is non-blocking");
                }
                assertEquals(EAGAIN, last, "the accept loop ends with -EAGAIN");
            }
            assertEquals(names, peers, "every client accepted once");
            assertEquals(EAGAIN, Posix.tryAccept(listener, flags, null), "the queue is empty again");
            WouldBlockException e = assertThrows(WouldBlockException.class,
                    () -> Posix.accept(listener, flags, peer));
            assertEquals("accept4: EAGAIN (" + Errno.EAGAIN.description() + ")", e.getMessage());

            // without SOCK_NONBLOCK the accepted socket blocks, though the listener does not
            int late = fds.socket(family(v6), Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
            int r = Posix.tryConnect(late, to);
            assertTrue(r == 0 || r == EINPROGRESS, "tryConnect gave " + r);
            awaitConnection(listener);
            int blocking = fds.track(Posix.accept(listener, 0));
            assertTrue(Posix.isBlocking(blocking), "accept4 with no flags: a blocking socket");
            assertEquals(Posix.getsockname(late), Posix.getpeername(blocking));
        }
    }

    @Test
    void sockCloexecMakesTheAcceptedDescriptorCloseOnExec() throws Exception {
        Fdinfo.assumeAvailable(); // the kernel's own view, apart from fcntl (PipeTest checks isCloseOnExec against it)
        try (Descriptors fds = new Descriptors()) {
            int listener = listener(fds, false, 4);
            SockAddr to = SockAddr.of(Descriptors.addressOf(listener));
            int[] flags = {Posix.SOCK_CLOEXEC, Posix.SOCK_CLOEXEC | Posix.SOCK_NONBLOCK, 0, Posix.SOCK_NONBLOCK};
            for (int f : flags) {
                int client = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                assertEquals(0, Posix.tryConnect(client, to), "a blocking connect to a listener");
                awaitConnection(listener);
                int accepted = Posix.tryAccept(listener, f, null);
                assertTrue(accepted >= 0, "tryAccept gave " + accepted);
                fds.track(accepted);
                assertEquals((f & Posix.SOCK_CLOEXEC) != 0, Fdinfo.closeOnExec(accepted),
                        "flags 0x" + Integer.toHexString(f));
                assertEquals((f & Posix.SOCK_NONBLOCK) == 0, Posix.isBlocking(accepted));
            }
            int client = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            Posix.connect(client, to);
            awaitConnection(listener);
            assertFalse(Fdinfo.closeOnExec(fds.track(Posix.accept(listener))), "plain accept: not close-on-exec");
        }
    }

    /**
     * A port bound without a listener: the socket that holds it stays open, so that no other program can take the
     * port between the bind and the connects, which the kernel refuses.
     */
    @ParameterizedTest(name = "IPv6={0}")
    @ValueSource(booleans = {false, true})
    void aPortWithoutListenerIsRefused(boolean v6) throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int holder = fds.socket(family(v6), Posix.SOCK_STREAM);
            Posix.bind(holder, Descriptors.loopback(v6));
            SockAddr nobody = SockAddr.of(Descriptors.addressOf(holder));

            int blocking = fds.socket(family(v6), Posix.SOCK_STREAM);
            assertEquals(ECONNREFUSED, Posix.tryConnect(blocking, nobody));
            // a socket whose connect failed is in a state POSIX leaves unspecified: a new one for the next
            int thrown = fds.socket(family(v6), Posix.SOCK_STREAM);
            assertEquals(Errno.ECONNREFUSED,
                    assertThrows(ConnectionRefusedException.class, () -> Posix.connect(thrown, nobody)).errno());

            int nonBlocking = fds.socket(family(v6), Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
            int r = Posix.tryConnect(nonBlocking, nobody);
            if (r == EINPROGRESS) {
                PollSet set = new PollSet(1);
                set.add(nonBlocking, Posix.POLLOUT);
                assertEquals(1, set.poll(WAIT), "the refusal arrives within " + WAIT + " ms");
                assertTrue(set.isReady(0, Posix.POLLOUT), set.toString());
                assertEquals("ECONNREFUSED", Errno.nameOf(Posix.getsockopt(nonBlocking, Posix.SOL_SOCKET,
                        Posix.SO_ERROR)));
                assertEquals("0", Errno.nameOf(Posix.getsockopt(nonBlocking, Posix.SOL_SOCKET, Posix.SO_ERROR)),
                        "read once");
            } else {
                assertEquals(ECONNREFUSED, r, "tryConnect on a non-blocking socket");
            }
        }
    }

    @Test
    void kernelRefusalsAreMinusErrno() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int unbound = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
            SockAddrBuffer peer = new SockAddrBuffer();
            assertEquals(-Errno.EINVAL.number(), Posix.tryAccept(unbound, Posix.SOCK_NONBLOCK, peer), "not listening");
            int bound = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            Posix.bind(bound, Descriptors.loopback(false));
            assertEquals(-Errno.EINVAL.number(), Posix.tryAccept(bound, 0, null), "bound, not listening");
            assertFalse(peer.hasAddress());
            assertEquals(-Errno.EBADF.number(), Posix.tryAccept(-1, Posix.SOCK_CLOEXEC, peer));
            assertEquals(-Errno.EBADF.number(), Posix.tryAccept(-1, 0, null));
            assertEquals(Errno.EINVAL, assertThrows(InvalidArgumentException.class,
                    () -> Posix.accept(bound, Posix.SOCK_CLOEXEC)).errno());
            int listener = listener(fds, false, 1);
            if (Os.current() == Os.LINUX) {
                // Linux refuses a flag accept4 does not know before it looks at the queue
                assertEquals(-Errno.EINVAL.number(), Posix.tryAccept(listener, 1, null));
            }

            SockAddr to = SockAddr.of(Descriptors.addressOf(listener));
            assertEquals(-Errno.EBADF.number(), Posix.tryConnect(-1, to));
            int client = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            assertEquals(0, Posix.tryConnect(client, to));
            assertEquals(-Errno.EISCONN.number(), Posix.tryConnect(client, to), "already connected");
            // a family the socket cannot use: the throwing form names the mistake, the non-throwing one keeps -errno
            SockAddr v6 = SockAddr.of(Descriptors.loopback(true));
            int v4 = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Posix.connect(v4, v6));
            int kernels = -((ErrnoException) e.getCause()).errnoNumber();
            assertTrue(kernels == -Errno.EAFNOSUPPORT.number() || kernels == -Errno.EINVAL.number(), e.toString());
            assertEquals(kernels, Posix.tryConnect(v4, v6));

            // SO_ERROR read without an exception, as an event loop reads it after POLLOUT
            int[] out = {-1};
            assertEquals(0, Posix.tryGetsockopt(client, Posix.SOL_SOCKET, Posix.SO_ERROR, out));
            assertEquals(0, out[0]);
            assertEquals(0, Posix.tryGetsockopt(client, Posix.SOL_SOCKET, Posix.SO_TYPE, out));
            assertEquals(Posix.SOCK_STREAM, out[0]);
            assertEquals(-Errno.EBADF.number(), Posix.tryGetsockopt(-1, Posix.SOL_SOCKET, Posix.SO_ERROR, out));
            assertEquals(-Errno.ENOPROTOOPT.number(), Posix.tryGetsockopt(client, Posix.SOL_SOCKET, 0x7777, out));
            assertThrows(IllegalArgumentException.class,
                    () -> Posix.tryGetsockopt(client, Posix.SOL_SOCKET, Posix.SO_ERROR, new int[0]));
            assertThrows(UnsupportedOperationException.class,
                    () -> Posix.tryGetsockopt(client, Posix.UNSUPPORTED, Posix.SO_ERROR, out));
        }
    }

    /** An unnamed Unix socket's connection is accepted with no address, as C's accept4 reports it. */
    @Test
    void anUnnamedUnixPeerHasNoAddress() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int listener = fds.socket(Posix.AF_UNIX, Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
            UnixDomainSocketAddress path = UnixDomainSocketAddress.of(fds.unixPath("listener"));
            Posix.bind(listener, path);
            Posix.listen(listener, 1);
            int client = fds.socket(Posix.AF_UNIX, Posix.SOCK_STREAM);
            assertEquals(0, Posix.tryConnect(client, path));
            awaitConnection(listener);
            SockAddrBuffer peer = new SockAddrBuffer();
            int accepted = fds.track(Posix.accept(listener, Posix.SOCK_NONBLOCK, peer));
            assertNotEquals(client, accepted);
            assertFalse(peer.hasAddress(), peer.toString());
            assertEquals(-1, peer.family());
            assertFalse(Posix.isBlocking(accepted));
            assertEquals(EAGAIN, Posix.tryAccept(listener, 0, peer));
        }
    }

    @Test
    void anEmptyAcceptQueueAndAFailingConnectCostNoAllocation() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            int listener = listener(fds, false, 1);
            SockAddr to = SockAddr.of(Descriptors.addressOf(listener));
            int connected = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            Posix.connect(connected, to);
            int holder = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            Posix.bind(holder, Descriptors.loopback(false));
            SockAddr nobody = SockAddr.of(Descriptors.addressOf(holder));
            int refused = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            // the connected client waits in the backlog unaccepted; a second listener's queue is empty
            int empty = listener(fds, false, 1);
            SockAddrBuffer peer = new SockAddrBuffer();
            int flags = Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC;
            int eisconn = -Errno.EISCONN.number();
            int[] soError = {-1};
            String[] what = {"tryAccept with a peer buffer", "tryAccept without", "tryConnect when connected",
                "tryGetsockopt of SO_ERROR", "trySetsockopt of SO_KEEPALIVE", "tryConnect refused"};
            int[] expected = {EAGAIN, EAGAIN, eisconn, 0, 0, ECONNREFUSED};
            int[] calls = {10_000, 10_000, 10_000, 10_000, 10_000, 1_000}; // a refusal is a round trip over loopback
            IntSupplier[] call = {
                () -> Posix.tryAccept(empty, flags, peer),
                () -> Posix.tryAccept(empty, 0, null),
                () -> Posix.tryConnect(connected, to),
                () -> Posix.tryGetsockopt(connected, Posix.SOL_SOCKET, Posix.SO_ERROR, soError),
                () -> Posix.trySetsockopt(connected, Posix.SOL_SOCKET, Posix.SO_KEEPALIVE, 1),
                () -> Posix.tryConnect(refused, nobody),
            };
            // the same socket refused again and again: Linux lets it connect anew, POSIX leaves its state unspecified
            int cases = Os.current() == Os.LINUX ? call.length : call.length - 1;
            for (int i = 0; i < cases; i++) {
                assertEquals(0, SteadyAllocation.calls(2 * calls[i], call[i], expected[i]).run(),
                        what[i] + ": warm-up calls that gave another result");
            }
            for (int i = 0; i < cases; i++) {
                int n = calls[i];
                long bytes = SteadyAllocation.leastBeyond(what[i], () -> AllocationBudget.forDowncalls(n),
                        SteadyAllocation.calls(n, call[i], expected[i]));
                assertEquals(0, bytes, what[i] + ": bytes allocated by " + n + " calls beyond the budget");
            }
            assertFalse(peer.hasAddress(), "no call wrote an address");
            assertEquals(0, soError[0], "no error waits on the connected socket");
        }
    }

    /**
     * The README's event-driven echo server: the listener and each accepted client in one {@link PollSet}, every
     * waiting connection accepted with {@code tryAccept} until {@code -EAGAIN}, what a client sends read with
     * {@code tryRead} and written back with {@code tryWrite}, and a client closed at its end of stream.
     */
    @Test
    void theReadmeEchoServerAnswersEveryClientAndClosesEach() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int lfd = listener(fds, false, CLIENTS + 1);
            PollSet set = new PollSet(CLIENTS + 1);
            set.add(lfd, Posix.POLLIN);
            Set<Integer> served = new HashSet<>();
            int[] clients = new int[CLIENTS];
            for (int i = 0; i < CLIENTS; i++) {
                clients[i] = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                Posix.setsockopt(clients[i], Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, java.time.Duration.ofSeconds(10));
                Posix.connect(clients[i], Descriptors.addressOf(lfd));
                Posix.send(clients[i], ("hello " + i).getBytes(), 0, 6 + Integer.toString(i).length(), 0);
            }
            SockAddrBuffer peer = new SockAddrBuffer();
            byte[] buf = new byte[64];
            int echoed = 0;
            int closed = 0;
            try {
                for (int round = 0; closed < CLIENTS && round < 1000; round++) {
                    assertTrue(set.poll(WAIT) > 0, "something to do within " + WAIT + " ms");
                    if (set.isReady(0, Posix.POLLIN)) {
                        // the README's accept loop
                        for (;;) {
                            int c = Posix.tryAccept(lfd, Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC, peer);
                            if (c < 0) {
                                if (c == -Errno.EAGAIN.number()) {
                                    break;
                                }
                                throw ErrnoException.of("accept4", -c);
                            }
                            assertEquals(Posix.AF_INET, peer.family());
                            served.add(c); // addClient
                            set.add(c, Posix.POLLIN);
                        }
                    }
                    for (int k = 1; k < set.size(); k++) {
                        int c = set.fd(k);
                        if (set.revents(k) == 0) {
                            continue;
                        }
                        // the README's echo
                        int n = Posix.tryRead(c, buf, 0, buf.length);
                        if (n > 0) {
                            assertEquals(n, Posix.tryWrite(c, buf, 0, n), "a short echo fits the socket buffer");
                            echoed++;
                        } else if (n == 0 || n != -Errno.EAGAIN.number()) {
                            set.remove(k--); // removeClient: the last entry moves here, and is looked at next
                            served.remove(c);
                            Posix.close(c);
                            closed++;
                        }
                    }
                    if (echoed == CLIENTS) {
                        for (int i = 0; i < CLIENTS; i++) {
                            byte[] back = new byte[64];
                            int n = Posix.recv(clients[i], back, 0, back.length, 0);
                            assertEquals("hello " + i, new String(back, 0, n), "client " + i + "'s echo");
                            fds.closeNow(clients[i]);
                        }
                        echoed++; // the clients are gone: the loop now sees each end of stream
                    }
                }
                assertEquals(CLIENTS + 1, echoed, "every client was answered");
                assertEquals(CLIENTS, closed, "and each closed at its end of stream");
            } finally {
                for (int c : served) {
                    Posix.close(c);
                }
            }
        }
    }
}

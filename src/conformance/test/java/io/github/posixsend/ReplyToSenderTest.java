// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * C's reply to a datagram's sender: {@code recvfrom} fills a {@code sockaddr_storage} and its length, and
 * {@code sendto} takes them back. Here the {@link SockAddrBuffer} a receive filled goes straight to
 * {@code sendto}/{@code trySendto}, in each of the four forms, on IPv4, IPv6 and Unix datagram sockets; a buffer
 * with no address is refused before the kernel, a kernel error is what the {@code SocketAddress} forms report, and
 * an echo loop allocates nothing.
 */
class ReplyToSenderTest {
    private static final int EAGAIN = -Errno.EAGAIN.number();

    /** tryRecvfrom with a bounded wait for loopback delivery; the count, or fails. */
    private static int receive(int fd, ByteBuffer into, SockAddrBuffer from) throws InterruptedException {
        for (int i = 0; i < 5_000; i++) {
            int n = Posix.tryRecvfrom(fd, into, 0, from);
            if (n != EAGAIN) {
                return n;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("nothing arrived");
    }

    private static ByteBuffer ascii(String s, boolean direct) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        return b.put(bytes).flip();
    }

    /**
     * The server answers each of four requests through one form of sendto with the buffer its receive filled; the
     * client gets each answer from the server's address.
     */
    private static void answersEachForm(Descriptors fds, int server, int client) throws Exception {
        Posix.setBlocking(server, false);
        Posix.setBlocking(client, false);
        SockAddrBuffer from = new SockAddrBuffer();
        SockAddrBuffer serverName = Posix.getsockname(server, new SockAddrBuffer());
        SockAddrBuffer clientName = Posix.getsockname(client, new SockAddrBuffer());
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        for (int form = 0; form < 4; form++) {
            String request = "request " + form;
            assertEquals(request.length(), Posix.sendto(client, ascii(request, true), 0, serverName));
            assertEquals(request.length(), receive(server, in.clear(), from));
            assertTrue(from.sameAddress(clientName), "the request's sender is the client: " + from);
            String answer = "answer " + form;
            byte[] bytes = answer.getBytes(StandardCharsets.US_ASCII);
            ByteBuffer out = ascii(answer, form % 2 == 0);
            int sent = switch (form) {
                case 0 -> Posix.sendto(server, out, 0, from);
                case 1 -> Posix.trySendto(server, out, 0, from);
                case 2 -> Posix.sendto(server, bytes, 0, bytes.length, 0, from);
                default -> Posix.trySendto(server, bytes, 0, bytes.length, 0, from);
            };
            assertEquals(bytes.length, sent, "form " + form);
            if (form < 2) {
                assertFalse(out.hasRemaining(), "the buffer's position advanced by the count sent");
            }
            SockAddrBuffer answeredBy = new SockAddrBuffer();
            assertEquals(bytes.length, receive(client, in.clear(), answeredBy));
            assertEquals(answer, SocketIo.receivedText(in));
            assertTrue(answeredBy.sameAddress(serverName), "the answer came from the server: " + answeredBy);
        }
    }

    @Test
    void answersAnIpv4Sender() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            answersEachForm(fds, fds.boundUdp(false), fds.boundUdp(false));
        }
    }

    @Test
    void answersAnIpv6Sender() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            answersEachForm(fds, fds.boundUdp(true), fds.boundUdp(true));
        }
    }

    @Test
    void answersAUnixDatagramSenderBoundToAPath() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int server = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.bind(server, UnixDomainSocketAddress.of(fds.unixPath("server.sock")));
            int client = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.bind(client, UnixDomainSocketAddress.of(fds.unixPath("client.sock")));
            answersEachForm(fds, server, client);
        }
    }

    /** An unbound Unix sender has no name to answer (Linux's recvfrom reports length 0): refused before the call. */
    @Test
    void refusesAnUnnamedUnixSender() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int server = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            UnixDomainSocketAddress serverName = UnixDomainSocketAddress.of(fds.unixPath("server.sock"));
            Posix.bind(server, serverName);
            Posix.setBlocking(server, false);
            int client = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.setBlocking(client, false);
            assertEquals(1, Posix.sendto(client, new byte[] {7}, 0, 1, 0, serverName));
            SockAddrBuffer from = new SockAddrBuffer();
            assertEquals(1, receive(server, ByteBuffer.allocate(8), from));
            assertFalse(from.hasAddress(), "an unbound sender has no name (length " + from.length() + ")");
            ByteBuffer out = ByteBuffer.allocateDirect(1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Posix.trySendto(server, out, 0, from));
            assertTrue(e.getMessage().contains("no address"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Posix.sendto(server, out, 0, from));
            assertThrows(IllegalArgumentException.class, () -> Posix.sendto(server, new byte[1], 0, 1, 0, from));
            assertThrows(IllegalArgumentException.class, () -> Posix.trySendto(server, new byte[1], 0, 1, 0, from));
            // the unbound client could not be reached by any send, so its empty queue would prove nothing
            assertEquals(1, out.remaining(), "the buffer is as it was: nothing was sent from it");
        }
    }

    /**
     * A kernel error is reported as for the same address given as a {@code SocketAddress}: an IPv6 sender's address
     * on an IPv4 socket is the kernel's {@code EAFNOSUPPORT} from the try forms and an IllegalArgumentException with
     * that cause from the throwing ones.
     */
    @Test
    void reportsKernelErrorsAsTheSocketAddressFormsDo() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int v6 = fds.boundUdp(true);
            int v4 = fds.boundUdp(false);
            SockAddrBuffer v6Name = Posix.getsockname(v6, new SockAddrBuffer());
            SockAddr asObject = v6Name.toSockAddr();
            byte[] one = {1};
            int expected = Posix.trySendto(v4, one, 0, 1, 0, asObject);
            assertEquals(-Errno.EAFNOSUPPORT.number(), expected, "the kernel's answer to the SocketAddress form");
            assertEquals(expected, Posix.trySendto(v4, one, 0, 1, 0, v6Name));
            assertEquals(expected, Posix.trySendto(v4, ByteBuffer.wrap(one), 0, v6Name));
            ThrowingSend array = () -> Posix.sendto(v4, one, 0, 1, 0, v6Name);
            ThrowingSend buffer = () -> Posix.sendto(v4, ByteBuffer.wrap(one), 0, v6Name);
            for (ThrowingSend send : new ThrowingSend[] {array, buffer}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, send::run);
                assertInstanceOf(ErrnoException.class, e.getCause());
                assertEquals(Errno.EAFNOSUPPORT, ((ErrnoException) e.getCause()).errno());
                assertTrue(e.getMessage().startsWith("sendto: "), e.getMessage());
            }
            // and a descriptor that is not open is the errno's own exception
            BadDescriptorException bad = assertThrows(BadDescriptorException.class,
                    () -> Posix.sendto(-1, one, 0, 1, 0, v6Name));
            assertTrue(bad.getMessage().startsWith("sendto: EBADF"), bad.getMessage());
        }
    }

    private interface ThrowingSend {
        void run() throws ErrnoException;
    }

    /** An echo server's loop (receive into a reused buffer, answer its sender) allocates nothing once warm. */
    @Test
    void anEchoLoopAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            int server = fds.boundUdp(false);
            int client = fds.boundUdp(false);
            Posix.setBlocking(server, false);
            Posix.setBlocking(client, false);
            SockAddr serverName = SockAddr.of(Descriptors.addressOf(server));
            SockAddrBuffer from = new SockAddrBuffer();
            ByteBuffer request = ByteBuffer.allocateDirect(16);
            ByteBuffer echo = ByteBuffer.allocateDirect(16);
            byte[] answer = new byte[16];
            long[] calls = {0};
            SteadyAllocation.Round round = () -> {
                calls[0] = 0;
                long wrong = 0;
                for (int i = 0; i < 200; i++) {
                    calls[0] += 3;
                    if (Posix.trySendto(client, request.clear(), 0, serverName) != 16) {
                        wrong++;
                    }
                    int n = 0;
                    for (int tries = 0; tries < 100_000 && (n = Posix.tryRecvfrom(server, echo.clear(), 0, from))
                            == EAGAIN; tries++) {
                        calls[0]++; // loopback delivery trailing the send
                    }
                    boolean direct = i % 2 == 0;
                    int sent = n != 16 ? -1 : direct ? Posix.trySendto(server, echo.flip(), 0, from)
                            : Posix.trySendto(server, answer, 0, 16, 0, from);
                    for (int tries = 0; tries < 100_000 && Posix.tryRecv(client, request.clear(), 0) == EAGAIN;
                            tries++) {
                        calls[0]++;
                    }
                    if (sent != 16) {
                        wrong++;
                    }
                }
                return wrong;
            };
            for (int warm = 0; warm < 10; warm++) {
                assertEquals(0, round.run(), "warm-up rounds all go right");
            }
            MessageAllocationTest.assertWithinBudget(SteadyAllocation.leastBeyond(
                    "200 requests answered", () -> AllocationBudget.forDowncalls(calls[0]), round),
                    "200 requests answered");
        }
    }
}

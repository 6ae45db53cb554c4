// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.MadeDescriptors;
import io.github.posixsend.testing.SideBySide;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * posix-send and C side by side: the same call, the same answer. A C program built with the suite
 * ({@code src/conformance/test/c/same_calls.c}, compiled by gcc into {@code target/conformance/same-calls/}) runs a
 * list of named cases, each setting up its own descriptors (loopback UDP and TCP with ports the kernel chooses,
 * socket pairs, pipes, Unix sockets and a regular file in a temporary folder, a descriptor number that is not open),
 * making one call and closing everything; this class makes the same calls through posix-send's public API, with the
 * same setup, and holds each case's outcome to C's: the count (or the values the call hands back, and a new
 * descriptor's mode), or the errno's C name, from the {@link ErrnoException} or a non-throwing form's
 * {@code -errno}. The suite runs the class once per backend (JNI, JNR, FFM on JDK 22 and later), so each is held to
 * C. A difference shared by every backend (a Java-side check that answers otherwise, a flag or errno translated
 * wrongly, a length computed another way) shows here, where the comparisons of backends with each other cannot see
 * it.
 *
 * <p>The case list is {@link #CASES}, the one place both sides read: the C program is run with its names and has no
 * list of its own to run; a name it lacks, or a case it has that this list lacks ({@code same_calls --list}), fails
 * the test. Each case also says what C answers on Linux, the outcome it was written to see, so a setup that goes
 * wrong (and answers something else on both sides) cannot pass unnoticed.
 *
 * <p>The documented differences are the cases made with {@link #refused}: posix-send answers before the kernel
 * with the Java exception its {@link Posix} javadoc names (an address of a family the socket cannot use:
 * {@link IllegalArgumentException}, with the kernel's {@link ErrnoException} as its cause), and the test checks
 * that C gets the errno the docs name, and that the cause carries it.
 *
 * <p>Linux only: the C program uses Linux's calls and names, and the NetBSD build is cross-compiled and never run
 * here; elsewhere the class is skipped, saying why. Left out of the qemu-user run (scripts/qemu-aarch64-test): the
 * program is an x86_64 binary, and the emulated JVM cannot start a process.
 */
class SameAsCTest {
    /** The C program, where the conformance module's build puts it (the tests run from the project's top folder). */
    private static final Path PROGRAM = Path.of("target/conformance/same-calls/same_calls");
    /** A descriptor number no process here has open (see the C program: a closed number could be reused at once). */
    private static final int NOT_OPEN = 1_000_000;
    /** The most bytes of one IPv4 UDP datagram. */
    private static final int UDP4_MAX = 65507;
    /** A flag bit that accept4 and pipe2 do not know. */
    private static final int UNKNOWN_FLAG = 0x40000000;
    private static final byte[] BIG = new byte[UDP4_MAX + 1];
    private static final byte[] HUGE = new byte[300_000];
    /** Linux's {@code TIOCGWINSZ}, a terminal's window size: a request that writes more than an int. */
    private static final int TIOCGWINSZ = 0x5413;
    /** Linux's {@code SO_ATTACH_FILTER}, whose value is a {@code struct sock_fprog}. */
    private static final int SO_ATTACH_FILTER = 26;

    /** The temporary folder of both sides' Unix sockets and file: the same path, so the same address lengths. */
    private static Path folder;
    /** Each case's outcome in C, by name, in the order run. */
    private static Map<String, String> inC;
    /** The sockets and pipes open before the Java side's cases. */
    private static Set<String> before;

    /** The call under test and its setup, through posix-send; returns the outcome as the C program prints it. */
    @FunctionalInterface
    private interface Call {
        String run(Setup s) throws Exception;
    }

    /**
     * A case: its name (the C program's function), what C answers on Linux, and, for a documented difference, the
     * exception posix-send throws instead (null when posix-send gives C's answer).
     */
    private record Case(String name, String inC, Class<? extends RuntimeException> javaThrows, Call call) {
    }

    /** A case where posix-send gives C's answer. */
    private static Case same(String name, String inC, Call call) {
        return new Case(name, inC, null, call);
    }

    /**
     * A documented difference: posix-send throws {@code thrown} where C answers {@code inC}; when the exception has
     * a cause, it is the kernel's {@link ErrnoException} of that errno.
     */
    private static Case refused(String name, String inC, Class<? extends RuntimeException> thrown, Call call) {
        return new Case(name, inC, thrown, call);
    }

    private static final List<Case> CASES = List.of(
            // ---- send, sendto
            same("send_not_open", "EBADF", s -> count(() -> Posix.send(NOT_OPEN, BIG, 0, 4, 0))),
            same("send_on_pipe", "ENOTSOCK", s -> {
                int[] p = s.pipe(0);
                return count(() -> Posix.send(p[1], BIG, 0, 4, 0));
            }),
            same("send_udp_no_destination", "EDESTADDRREQ", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return count(() -> Posix.send(fd, ByteBuffer.wrap(BIG, 0, 4), 0));
            }),
            same("send_udp_zero_length", "0", s -> {
                int[] p = s.udpPair();
                return count(() -> Posix.send(p[0], ByteBuffer.allocateDirect(0), 0));
            }),
            same("send_udp_oob", "EOPNOTSUPP", s -> {
                int[] p = s.udpPair();
                return tryCount(Posix.trySend(p[0], BIG, 0, 4, MsgFlag.MSG_OOB.value()));
            }),
            same("send_nosignal_peer_closed", "EPIPE", s -> {
                int[] p = s.pair(Posix.SOCK_STREAM);
                s.close(p[1]);
                return count(() -> Posix.send(p[0], BIG, 0, 4, MsgFlag.MSG_NOSIGNAL.value()));
            }),
            same("send_tcp_after_shut_wr", "EPIPE", s -> {
                int[] p = s.tcpPair();
                Posix.shutdown(p[0], Posix.SHUT_WR);
                return count(() -> Posix.send(p[0], BIG, 0, 4, MsgFlag.MSG_NOSIGNAL.value()));
            }),
            same("send_full_nonblocking_pair", "EAGAIN", s -> {
                int[] p = s.pair(Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
                boolean filled = false;
                for (int i = 0; i < 100_000 && !filled; i++) {
                    int r = Posix.trySend(p[0], BIG, 0, 4096, 0);
                    assertTrue(r >= 0 || r == -Errno.EAGAIN.number(), "filling the pair: " + r);
                    filled = r < 0;
                }
                assertTrue(filled, "the pair never filled");
                return count(() -> Posix.send(p[0], BIG, 0, 4096, 0));
            }),
            same("sendto_udp_too_long", "EMSGSIZE", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return count(() -> Posix.sendto(fd, BIG, 0, UDP4_MAX + 1, 0, loopback4(port(fd))));
            }),
            same("sendto_udp_longest", String.valueOf(UDP4_MAX), s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return count(() -> Posix.sendto(fd, ByteBuffer.wrap(BIG, 0, UDP4_MAX), 0, loopback4(port(fd))));
            }),
            refused("sendto_ipv6_on_ipv4_socket", "EAFNOSUPPORT", IllegalArgumentException.class, s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                int to = s.bound(Posix.AF_INET6, Posix.SOCK_DGRAM);
                return count(() -> Posix.sendto(fd, BIG, 0, 4, 0, loopback6(port(to))));
            }),
            same("sendto_ipv4_on_ipv6_socket", "4", s -> {
                int fd = s.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
                int to = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return count(() -> Posix.sendto(fd, BIG, 0, 4, 0, loopback4(port(to))));
            }),
            same("sendto_unix_missing_path", "ENOENT", s -> {
                int fd = s.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
                return count(() -> Posix.sendto(fd, BIG, 0, 4, 0, s.unix("missing")));
            }),
            same("sendto_tcp_unconnected", "EPIPE", s -> {
                int l = s.listener(Posix.SOCK_STREAM);
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                return count(() -> Posix.sendto(fd, BIG, 0, 4, MsgFlag.MSG_NOSIGNAL.value(), loopback4(port(l))));
            }),
            same("sendto_tcp_connected", "4", s -> {
                int[] p = s.tcpPair();
                return count(() -> Posix.sendto(p[0], BIG, 0, 4, MsgFlag.MSG_NOSIGNAL.value(), loopback4(port(p[1]))));
            }),
            // ---- sendmsg, sendmmsg
            same("sendmsg_gather", "7", s -> {
                int[] p = s.udpPair();
                Message m = s.message(ByteBuffer.wrap(BIG, 0, 3), ByteBuffer.allocateDirect(4));
                return count(() -> Posix.sendmsg(p[0], m, 0));
            }),
            same("sendmsg_no_buffers", "0", s -> {
                int[] p = s.udpPair();
                Message m = s.message();
                return count(() -> Posix.sendmsg(p[0], m, 0));
            }),
            same("sendmsg_no_destination", "EDESTADDRREQ", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                Message m = s.message(ByteBuffer.wrap(BIG, 0, 4));
                return tryCount(Posix.trySendmsg(fd, m, 0));
            }),
            refused("sendmsg_ipv6_on_ipv4_socket", "EAFNOSUPPORT", IllegalArgumentException.class, s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                int to = s.bound(Posix.AF_INET6, Posix.SOCK_DGRAM);
                Message m = s.message(ByteBuffer.wrap(BIG, 0, 4)).destination(loopback6(port(to)));
                return count(() -> Posix.sendmsg(fd, m, 0));
            }),
            same("sendmsg_too_many_buffers", "EMSGSIZE", s -> {
                int[] p = s.udpPair();
                Message m = s.message();
                for (int i = 0; i <= Posix.IOV_MAX; i++) {
                    m.add(ByteBuffer.wrap(BIG, i, 1));
                }
                return count(() -> Posix.sendmsg(p[0], m, 0));
            }),
            same("sendmsg_not_open", "EBADF", s -> {
                Message m = s.message(ByteBuffer.wrap(BIG, 0, 4));
                return count(() -> Posix.sendmsg(NOT_OPEN, m, 0));
            }),
            same("sendmmsg_vlen_zero", "0", s -> {
                int[] p = s.udpPair();
                MessageBatch b = s.batch(s.message(ByteBuffer.wrap(BIG, 0, 4)));
                return count(() -> Posix.sendmmsg(p[0], b, 0, 0));
            }),
            same("sendmmsg_vlen_zero_not_open", "EBADF", s -> {
                MessageBatch b = s.batch(s.message(ByteBuffer.wrap(BIG, 0, 4)));
                return tryCount(Posix.trySendmmsg(NOT_OPEN, b, 0, 0));
            }),
            same("sendmmsg_two", "2", s -> {
                int[] p = s.udpPair();
                MessageBatch b = s.batch(s.message(ByteBuffer.wrap(BIG, 0, 3)), s.message(ByteBuffer.wrap(BIG, 0, 5)));
                return count(() -> Posix.sendmmsg(p[0], b, 0));
            }),
            same("sendmmsg_first_too_long", "EMSGSIZE", s -> {
                int[] p = s.udpPair();
                MessageBatch b = s.batch(s.message(ByteBuffer.allocateDirect(UDP4_MAX + 1)),
                        s.message(ByteBuffer.wrap(BIG, 0, 5)));
                return count(() -> Posix.sendmmsg(p[0], b, 0));
            }),
            same("sendmmsg_second_too_long", "1", s -> {
                int[] p = s.udpPair();
                MessageBatch b = s.batch(s.message(ByteBuffer.wrap(BIG, 0, 5)),
                        s.message(ByteBuffer.allocateDirect(UDP4_MAX + 1)));
                return count(() -> Posix.sendmmsg(p[0], b, 0));
            }),
            // sendmmsg reports the kernel's error, as its batch may hold several destinations (Posix's javadoc)
            same("sendmmsg_ipv6_on_ipv4_socket", "EAFNOSUPPORT", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                int to = s.bound(Posix.AF_INET6, Posix.SOCK_DGRAM);
                MessageBatch b = s.batch(s.message(ByteBuffer.wrap(BIG, 0, 4)).destination(loopback6(port(to))));
                return count(() -> Posix.sendmmsg(fd, b, 0));
            }),
            // ---- recv, recvfrom, recvmsg, recvmmsg
            same("recv_empty_dontwait", "EAGAIN", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return tryCount(Posix.tryRecv(fd, new byte[16], 0, 16, MsgFlag.MSG_DONTWAIT.value()));
            }),
            same("recv_tcp_unconnected", "ENOTCONN", s -> {
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                return count(() -> Posix.recv(fd, ByteBuffer.allocate(16), MsgFlag.MSG_DONTWAIT.value()));
            }),
            same("recv_trunc_real_length", "100", s -> {
                int[] p = s.udpPair();
                put(p[0], 100);
                return count(() -> Posix.recv(p[1], new byte[10], 0, 10, MsgFlag.MSG_TRUNC.value()));
            }),
            same("recv_zero_length_datagram", "0", s -> {
                int[] p = s.udpPair();
                put(p[0], 0);
                return count(() -> Posix.recv(p[1], ByteBuffer.allocateDirect(16), MsgFlag.MSG_DONTWAIT.value()));
            }),
            same("recv_end_of_stream", "0", s -> {
                int[] p = s.pair(Posix.SOCK_STREAM);
                Posix.shutdown(p[0], Posix.SHUT_WR);
                return count(() -> Posix.recv(p[1], new byte[16], 0, 16, 0));
            }),
            same("recv_peek", "5", s -> {
                int[] p = s.udpPair();
                put(p[0], 5);
                return count(() -> Posix.recv(p[1], ByteBuffer.allocate(16), MsgFlag.MSG_PEEK.value()));
            }),
            same("recvfrom_not_open", "EBADF",
                    s -> count(() -> Posix.recvfrom(NOT_OPEN, ByteBuffer.allocate(16), 0, new SockAddrBuffer()))),
            same("recvfrom_on_pipe", "ENOTSOCK", s -> {
                int[] p = s.pipe(0);
                return tryCount(Posix.tryRecvfrom(p[0], new byte[16], 0, 16, MsgFlag.MSG_DONTWAIT.value(),
                        new SockAddrBuffer()));
            }),
            same("recvfrom_sender", "6 from-peer", s -> {
                int[] p = s.udpPair();
                put(p[0], 6);
                SockAddrBuffer from = new SockAddrBuffer();
                int r = Posix.recvfrom(p[1], ByteBuffer.allocate(16), 0, from);
                boolean peer = from.family() == Posix.AF_INET && from.port() == port(p[0]);
                return r + (peer ? " from-peer" : " from-elsewhere");
            }),
            same("recvmsg_scatter", "7", s -> {
                int[] p = s.udpPair();
                put(p[0], 7);
                Message m = s.message(ByteBuffer.allocate(3), ByteBuffer.allocateDirect(10));
                return count(() -> Posix.recvmsg(p[1], m, 0));
            }),
            same("recvmsg_short_buffer", "10 MSG_TRUNC", s -> {
                int[] p = s.udpPair();
                put(p[0], 100);
                Message m = s.message(ByteBuffer.allocate(10));
                long r = Posix.recvmsg(p[1], m, 0);
                return r + (m.truncated() ? " MSG_TRUNC" : " whole");
            }),
            same("recvmsg_errqueue_empty", "EAGAIN", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                Message m = s.message(ByteBuffer.allocate(16));
                return count(() -> Posix.recvmsg(fd, m, MsgFlag.MSG_ERRQUEUE.value()));
            }),
            same("recvmsg_oob_tcp_none", "EINVAL", s -> {
                int[] p = s.tcpPair();
                Message m = s.message(ByteBuffer.allocate(16));
                return tryCount(Posix.tryRecvmsg(p[1], m, MsgFlag.MSG_OOB.value()));
            }),
            same("recvmmsg_two_waiting", "2", s -> {
                int[] p = s.udpPair();
                put(p[0], 3);
                put(p[0], 4);
                return count(() -> Posix.recvmmsg(p[1], s.receiveBatch(), MsgFlag.MSG_DONTWAIT.value()));
            }),
            same("recvmmsg_waitforone", "1", s -> {
                int[] p = s.udpPair();
                put(p[0], 3);
                return count(() -> Posix.recvmmsg(p[1], s.receiveBatch(), MsgFlag.MSG_WAITFORONE.value()));
            }),
            same("recvmmsg_empty", "EAGAIN", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return tryCount(Posix.tryRecvmmsg(fd, s.receiveBatch(), MsgFlag.MSG_DONTWAIT.value()));
            }),
            same("recvmmsg_vlen_zero", "0", s -> {
                int[] p = s.udpPair();
                put(p[0], 3);
                return count(() -> Posix.recvmmsg(p[1], s.receiveBatch(), 0, 0));
            }),
            same("recvmmsg_not_open", "EBADF",
                    s -> count(() -> Posix.recvmmsg(NOT_OPEN, s.receiveBatch(), MsgFlag.MSG_DONTWAIT.value()))),
            // ---- read, write
            same("write_pipe_no_reader", "EPIPE", s -> {
                int[] p = s.pipe(0);
                s.close(p[0]);
                return count(() -> Posix.write(p[1], BIG, 0, 4));
            }),
            same("write_read_end", "EBADF", s -> {
                int[] p = s.pipe(0);
                return tryCount(Posix.tryWrite(p[0], ByteBuffer.wrap(BIG, 0, 4)));
            }),
            same("read_write_end", "EBADF", s -> {
                int[] p = s.pipe(0);
                return count(() -> Posix.read(p[1], new byte[4], 0, 4));
            }),
            same("read_empty_nonblocking_pipe", "EAGAIN", s -> {
                int[] p = s.pipe(Posix.O_NONBLOCK);
                return tryCount(Posix.tryRead(p[0], new byte[4], 0, 4));
            }),
            same("read_pipe_end_of_file", "0", s -> {
                int[] p = s.pipe(0);
                s.close(p[1]);
                return count(() -> Posix.read(p[0], ByteBuffer.allocateDirect(4)));
            }),
            same("read_regular_file", "5", s -> {
                int fd = s.regularFile();
                return count(() -> Posix.read(fd, ByteBuffer.allocate(16)));
            }),
            same("write_regular_file", "6", s -> {
                int fd = s.regularFile();
                return count(() -> Posix.write(fd, "world!".getBytes(StandardCharsets.US_ASCII), 0, 6));
            }),
            same("read_datagram", "9", s -> {
                int[] p = s.udpPair();
                put(p[0], 9);
                return count(() -> Posix.read(p[1], new byte[16], 0, 16));
            }),
            same("write_not_open", "EBADF", s -> count(() -> Posix.write(NOT_OPEN, ByteBuffer.wrap(BIG, 0, 4)))),
            // ---- sendfile
            same("sendfile_file_to_pipe", "5", s -> {
                int fd = s.regularFile();
                int[] p = s.pipe(0);
                return count(() -> Posix.sendfile(p[1], fd, 16));
            }),
            same("sendfile_at_offset_to_tcp", "4", s -> {
                int fd = s.regularFile();
                int[] p = s.tcpPair();
                return tryCount(Posix.trySendfile(p[0], fd, 1, 16));
            }),
            same("sendfile_negative_offset", "EINVAL", s -> {
                int fd = s.regularFile();
                int[] p = s.pipe(0);
                return count(() -> Posix.sendfile(p[1], fd, -1, 16));
            }),
            same("sendfile_from_pipe", "EINVAL", s -> {
                int[] p = s.pipe(0);
                int[] q = s.pipe(0);
                assertEquals(4, Posix.write(p[1], BIG, 0, 4), "setup: write");
                return count(() -> Posix.sendfile(q[1], p[0], 16));
            }),
            same("sendfile_from_pipe_at_offset", "ESPIPE", s -> {
                int[] p = s.pipe(0);
                int[] q = s.pipe(0);
                assertEquals(4, Posix.write(p[1], BIG, 0, 4), "setup: write");
                return tryCount(Posix.trySendfile(q[1], p[0], 0, 16));
            }),
            same("sendfile_to_read_end", "EBADF", s -> {
                int fd = s.regularFile();
                int[] p = s.pipe(0);
                return tryCount(Posix.trySendfile(p[0], fd, 16));
            }),
            same("sendfile_not_open", "EBADF", s -> {
                int[] p = s.pipe(0);
                return count(() -> Posix.sendfile(p[1], NOT_OPEN, 16));
            }),
            // ---- accept, accept4
            same("accept_not_listening", "EINVAL", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_STREAM);
                return made(() -> Posix.accept(fd));
            }),
            same("accept_nothing_waiting", "EAGAIN", s -> {
                int l = s.listener(Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
                return made(() -> Posix.accept(l));
            }),
            same("accept_on_udp", "EOPNOTSUPP", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return made(() -> Posix.accept(fd));
            }),
            same("accept4_unknown_flag", "EINVAL", s -> {
                int l = s.listener(Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
                int r = Posix.tryAccept(l, UNKNOWN_FLAG, null);
                return r < 0 ? tryCount(r) : made(() -> r);
            }),
            same("accept_waiting", "fd blocking", s -> {
                int l = s.listener(Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
                int c = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                Posix.connect(c, loopback4(port(l)));
                return made(() -> Posix.accept(l));
            }),
            same("accept4_nonblock_cloexec", "fd nonblocking+cloexec", s -> {
                int l = s.listener(Posix.SOCK_STREAM);
                int c = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                Posix.connect(c, loopback4(port(l)));
                return made(() -> Posix.accept(l, Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC));
            }),
            same("accept4_peer_address", "fd blocking len=16 from-peer", s -> {
                int l = s.listener(Posix.SOCK_STREAM);
                int c = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                Posix.connect(c, loopback4(port(l)));
                SockAddrBuffer peer = new SockAddrBuffer();
                String fd = made(() -> Posix.accept(l, 0, peer));
                boolean same = peer.family() == Posix.AF_INET && peer.port() == port(c);
                return fd + " len=" + peer.length() + (same ? " from-peer" : " from-elsewhere");
            }),
            // ---- bind, connect, listen, shutdown
            same("bind_twice", "EINVAL", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.bind(fd, loopback4(0)));
            }),
            same("bind_in_use", "EADDRINUSE", s -> {
                int first = s.bound(Posix.AF_INET, Posix.SOCK_STREAM);
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                return done(() -> Posix.bind(fd, loopback4(port(first))));
            }),
            refused("bind_ipv6_on_ipv4_socket", "EAFNOSUPPORT", IllegalArgumentException.class, s -> {
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.bind(fd, loopback6(0)));
            }),
            same("bind_address_not_here", "EADDRNOTAVAIL", s -> {
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
                // TEST-NET-1: documentation only, on no interface
                InetAddress testNet = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1});
                return done(() -> Posix.bind(fd, new InetSocketAddress(testNet, 0)));
            }),
            same("bind_unix_path_taken", "EADDRINUSE", s -> {
                int first = s.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
                Posix.bind(first, s.unix("taken"));
                int fd = s.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
                return done(() -> Posix.bind(fd, s.unix("taken")));
            }),
            same("connect_refused", "ECONNREFUSED", s -> {
                int closed = s.bound(Posix.AF_INET, Posix.SOCK_STREAM); // holds the port: no one listens there
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                return done(() -> Posix.connect(fd, loopback4(port(closed))));
            }),
            same("connect_already_connected", "EISCONN", s -> {
                int[] p = s.tcpPair();
                return tryCount(Posix.tryConnect(p[0], SockAddr.of(loopback4(port(p[1])))));
            }),
            refused("connect_ipv6_on_ipv4_socket", "EAFNOSUPPORT", IllegalArgumentException.class, s -> {
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.connect(fd, loopback6(9)));
            }),
            same("connect_unix_missing_path", "ENOENT", s -> {
                int fd = s.socket(Posix.AF_UNIX, Posix.SOCK_STREAM);
                return done(() -> Posix.connect(fd, s.unix("missing")));
            }),
            same("connect_udp", "0", s -> {
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
                int to = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.connect(fd, loopback4(port(to))));
            }),
            same("listen_on_udp", "EOPNOTSUPP", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.listen(fd, 8));
            }),
            same("listen_not_open", "EBADF", s -> done(() -> Posix.listen(NOT_OPEN, 8))),
            same("shutdown_unconnected", "ENOTCONN", s -> {
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                return done(() -> Posix.shutdown(fd, Posix.SHUT_RDWR));
            }),
            same("shutdown_bad_how", "EINVAL", s -> {
                int[] p = s.pair(Posix.SOCK_STREAM);
                return done(() -> Posix.shutdown(p[0], 7));
            }),
            same("shutdown_on_pipe", "ENOTSOCK", s -> {
                int[] p = s.pipe(0);
                return done(() -> Posix.shutdown(p[0], Posix.SHUT_RD));
            }),
            // ---- socket, socketpair, pipe2
            same("socket_unknown_family", "EAFNOSUPPORT", s -> made(() -> Posix.socket(12345, Posix.SOCK_STREAM, 0))),
            same("socket_wrong_protocol", "EPROTONOSUPPORT",
                    s -> made(() -> Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, Posix.IPPROTO_TCP))),
            same("socket_unknown_type", "EINVAL", s -> made(() -> Posix.socket(Posix.AF_INET, 99, 0))),
            same("socket_nonblock_cloexec", "fd nonblocking+cloexec", s -> made(() -> Posix.socket(Posix.AF_INET6,
                    Posix.SOCK_DGRAM | Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC, 0))),
            same("socketpair_inet", "EOPNOTSUPP",
                    s -> madeTwo(() -> Posix.socketpair(Posix.AF_INET, Posix.SOCK_STREAM, 0))),
            same("socketpair_nonblock", "0 nonblocking nonblocking", s -> madeTwo(
                    () -> Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_SEQPACKET | Posix.SOCK_NONBLOCK, 0))),
            same("pipe2_unknown_flag", "EINVAL", s -> madeTwo(() -> Posix.pipe(UNKNOWN_FLAG))),
            same("pipe2_nonblock_cloexec", "0 nonblocking+cloexec nonblocking+cloexec",
                    s -> madeTwo(() -> Posix.pipe(Posix.O_NONBLOCK | Posix.O_CLOEXEC))),
            // ---- getsockname, getpeername
            same("getsockname_on_pipe", "ENOTSOCK", s -> {
                int[] p = s.pipe(0);
                return named(() -> Posix.getsockname(p[0]));
            }),
            same("getsockname_not_open", "EBADF", s -> named(() -> Posix.getsockname(NOT_OPEN))),
            same("getsockname_unbound_ipv6", "0 family=" + Posix.AF_INET6 + " len=28", s -> {
                int fd = s.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
                return named(() -> Posix.getsockname(fd));
            }),
            same("getsockname_unix_path", null, s -> {
                int fd = s.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
                Posix.bind(fd, s.unix("named"));
                return named(() -> Posix.getsockname(fd));
            }),
            same("getpeername_unconnected", "ENOTCONN", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return named(() -> Posix.getpeername(fd));
            }),
            same("getpeername_connected", "0 family=" + Posix.AF_INET + " len=16", s -> {
                int[] p = s.tcpPair();
                return named(() -> Posix.getpeername(p[0]));
            }),
            // ---- setsockopt, getsockopt
            same("setsockopt_unknown_option", "ENOPROTOOPT", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.setsockopt(fd, Posix.SOL_SOCKET, 9999, 1));
            }),
            same("setsockopt_refused_value", "EINVAL", s -> {
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                return done(() -> Posix.setsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_MAXSEG, 1));
            }),
            same("setsockopt_on_pipe", "ENOTSOCK", s -> {
                int[] p = s.pipe(0);
                return done(() -> Posix.setsockopt(p[0], Posix.SOL_SOCKET, Posix.SO_RCVBUF, 4096));
            }),
            same("setsockopt_not_open", "EBADF",
                    s -> done(() -> Posix.setsockopt(NOT_OPEN, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 4096))),
            same("getsockopt_so_type", "0 " + Posix.SOCK_DGRAM, s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return valued(() -> Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE));
            }),
            same("getsockopt_so_error", "0 0", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                int[] out = new int[1];
                int r = Posix.tryGetsockopt(fd, Posix.SOL_SOCKET, Posix.SO_ERROR, out);
                return r < 0 ? tryCount(r) : r + " " + out[0];
            }),
            same("getsockopt_tcp_option_on_udp", "EOPNOTSUPP", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return valued(() -> Posix.getsockopt(fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY));
            }),
            same("getsockopt_unknown_option", "ENOPROTOOPT", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return valued(() -> Posix.getsockopt(fd, Posix.SOL_SOCKET, 9999));
            }),
            same("setsockopt_bytes_short_int", "EINVAL", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVBUF, new byte[] {0, 16}));
            }),
            same("setsockopt_bytes_int", "0", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                byte[] one = ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(0, 1).array();
                return done(() -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_REUSEADDR, one));
            }),
            same("getsockopt_bytes_so_type", "4", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return count(() -> Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE, new byte[8]));
            }),
            same("getsockopt_bytes_cut_short", "1", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return count(() -> Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE, new byte[1]));
            }),
            same("getsockopt_bytes_on_pipe", "ENOTSOCK", s -> {
                int[] p = s.pipe(0);
                return count(() -> Posix.getsockopt(p[0], Posix.SOL_SOCKET, Posix.SO_TYPE, new byte[4]));
            }),
            // ---- ioctl
            same("ioctl_fionread_datagram", "0 37", s -> {
                int[] p = s.udpPair();
                put(p[0], 37);
                return valued(() -> Posix.ioctlInt(p[1], Posix.FIONREAD));
            }),
            same("ioctl_fionread_pipe", "0 5", s -> {
                int[] p = s.pipe(0);
                assertEquals(5, Posix.write(p[1], BIG, 0, 5));
                return valued(() -> Posix.ioctlInt(p[0], Posix.FIONREAD));
            }),
            same("ioctl_siocoutq_tcp", "0 0", s -> {
                int[] p = s.tcpPair();
                return valued(() -> Posix.ioctlInt(p[0], Posix.SIOCOUTQ));
            }),
            same("ioctl_siocoutq_pipe", "ENOTTY", s -> {
                int[] p = s.pipe(0);
                int[] out = new int[1];
                int r = Posix.tryIoctlInt(p[0], Posix.SIOCOUTQ, out);
                return r < 0 ? tryCount(r) : r + " " + out[0];
            }),
            same("ioctl_not_open", "EBADF", s -> valued(() -> Posix.ioctlInt(NOT_OPEN, Posix.FIONREAD))),
            // ---- poll
            same("poll_not_open", "1 " + Posix.POLLNVAL, s -> pollOne(NOT_OPEN, Posix.POLLIN)),
            same("poll_negative_ignored", "0 0", s -> pollOne(-1, Posix.POLLIN)),
            same("poll_readable", "1 " + (Posix.POLLIN | Posix.POLLOUT), s -> {
                int[] p = s.udpPair();
                put(p[0], 3);
                return pollOne(p[1], Posix.POLLIN | Posix.POLLOUT);
            }),
            same("poll_nothing_ready", "0 0", s -> pollOne(s.bound(Posix.AF_INET, Posix.SOCK_DGRAM), Posix.POLLIN)),
            same("poll_peer_closed", "1 " + (Posix.POLLIN | Posix.POLLHUP | Posix.POLLRDHUP), s -> {
                int[] p = s.pair(Posix.SOCK_STREAM);
                s.close(p[1]);
                return pollOne(p[0], Posix.POLLIN | Posix.POLLRDHUP);
            }),
            // ---- fcntl, close
            same("set_nonblocking_socket", "0 nonblocking", s -> {
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
                String r = done(() -> Posix.setBlocking(fd, false));
                return r.equals("0") ? "0 " + mode(fd) : r;
            }),
            same("set_nonblocking_not_open", "EBADF", s -> done(() -> Posix.setBlocking(NOT_OPEN, false))),
            same("set_cloexec_not_open", "EBADF", s -> done(() -> Posix.setCloseOnExec(NOT_OPEN, true))),
            same("close_socket", "0", s -> {
                int fd = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
                return done(() -> Posix.close(fd));
            }),
            same("close_not_open", "EBADF", s -> done(() -> Posix.close(NOT_OPEN))),
            // ---- zero lengths and large arrays: no shortcut in Java, and the in-place and staged paths alike
            same("send_zero_length_not_open", "EBADF",
                    s -> count(() -> Posix.send(NOT_OPEN, ByteBuffer.allocate(0), 0))),
            same("write_zero_length_not_open", "EBADF", s -> count(() -> Posix.write(NOT_OPEN, BIG, 0, 0))),
            same("read_zero_length_not_open", "EBADF",
                    s -> count(() -> Posix.read(NOT_OPEN, ByteBuffer.allocateDirect(0)))),
            same("recv_zero_room_trunc", "100", s -> {
                int[] p = s.udpPair();
                put(p[0], 100);
                return count(() -> Posix.recv(p[1], new byte[0], 0, 0, MsgFlag.MSG_TRUNC.value()));
            }),
            same("send_dontwait_large_on_pipe", "ENOTSOCK", s -> {
                int[] p = s.pipe(0);
                return tryCount(Posix.trySend(p[1], BIG, 0, 16384, MsgFlag.MSG_DONTWAIT.value()));
            }),
            same("send_dontwait_large_not_open", "EBADF",
                    s -> count(() -> Posix.send(NOT_OPEN, BIG, 0, 16384, MsgFlag.MSG_DONTWAIT.value()))),
            same("send_dontwait_large_udp", "16384", s -> {
                int[] p = s.udpPair();
                return count(() -> Posix.send(p[0], BIG, 0, 16384, MsgFlag.MSG_DONTWAIT.value()));
            }),
            same("send_dontwait_large_no_destination", "EDESTADDRREQ", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return count(() -> Posix.send(fd, BIG, 0, 16384, MsgFlag.MSG_DONTWAIT.value()));
            }),
            same("recv_dontwait_large_empty", "EAGAIN", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return tryCount(Posix.tryRecv(fd, new byte[16384], 0, 16384, MsgFlag.MSG_DONTWAIT.value()));
            }),
            same("recv_dontwait_large_on_pipe", "ENOTSOCK", s -> {
                int[] p = s.pipe(0);
                return count(() -> Posix.recv(p[0], new byte[16384], 0, 16384, MsgFlag.MSG_DONTWAIT.value()));
            }),
            same("recv_dontwait_large_datagram", "20000", s -> {
                int[] p = s.udpPair();
                put(p[0], 20000);
                int flags = MsgFlag.mask(MsgFlag.MSG_DONTWAIT, MsgFlag.MSG_TRUNC);
                return count(() -> Posix.recv(p[1], new byte[16384], 0, 16384, flags));
            }),
            same("write_large_nonblocking_pipe", "65536", s -> {
                int[] p = s.pipe(Posix.O_NONBLOCK);
                return count(() -> Posix.write(p[1], HUGE, 0, 100_000));
            }),
            // how much a non-blocking stream takes at once depends on the socket buffers' sizes: not pinned
            same("send_large_nonblocking_stream", null, s -> {
                int[] p = s.pair(Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
                return count(() -> Posix.send(p[0], HUGE, 0, HUGE.length, 0));
            }),
            // ---- more addresses and connections
            same("sendmsg_ipv4_on_ipv6_socket", "4", s -> {
                int fd = s.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
                int to = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                Message m = s.message(ByteBuffer.wrap(BIG, 0, 4)).destination(loopback4(port(to)));
                return count(() -> Posix.sendmsg(fd, m, 0));
            }),
            same("connect_nonblocking_in_progress", "EINPROGRESS", s -> {
                int l = s.listener(Posix.SOCK_STREAM);
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK);
                return done(() -> Posix.connect(fd, loopback4(port(l))));
            }),
            same("sendto_connected_udp_elsewhere", "4", s -> {
                int[] p = s.udpPair();
                int other = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return count(() -> Posix.sendto(p[0], BIG, 0, 4, 0, SockAddr.of(loopback4(port(other)))));
            }),
            same("disconnect_udp", "0", s -> {
                int[] p = s.udpPair();
                return done(() -> Posix.disconnect(p[0]));
            }),
            same("disconnect_on_pipe", "ENOTSOCK", s -> {
                int[] p = s.pipe(0);
                return done(() -> Posix.disconnect(p[0]));
            }),
            same("getsockopt_bytes_no_room", "0", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return count(() -> Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE, new byte[0]));
            }),
            same("setsockopt_bytes_empty", "EINVAL", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_REUSEADDR, new byte[0]));
            }),
            same("ioctl_fionread_file", "0 5", s -> valued(() -> Posix.ioctlInt(s.regularFile(), Posix.FIONREAD))),
            same("ioctl_siocoutq_udp", "0 0",
                    s -> valued(() -> Posix.ioctlInt(s.bound(Posix.AF_INET, Posix.SOCK_DGRAM), Posix.SIOCOUTQ))),
            same("listen_negative_backlog", "0", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_STREAM);
                return done(() -> Posix.listen(fd, -1));
            }),
            same("shutdown_negative_how", "EINVAL", s -> {
                int[] p = s.pair(Posix.SOCK_STREAM);
                return done(() -> Posix.shutdown(p[0], -1));
            }),
            // ---- more addresses: dual stack, Unix names
            refused("bind_ipv4_on_ipv6_socket", "EINVAL", IllegalArgumentException.class, s -> {
                int fd = s.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
                return done(() -> Posix.bind(fd, loopback4(0)));
            }),
            same("connect_ipv4_on_ipv6_udp", "0", s -> {
                int fd = s.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
                int to = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.connect(fd, loopback4(port(to))));
            }),
            refused("connect_ipv4_on_ipv6_tcp", "EINVAL", IllegalArgumentException.class, s -> {
                int l = s.listener(Posix.SOCK_STREAM);
                int fd = s.socket(Posix.AF_INET6, Posix.SOCK_STREAM);
                return done(() -> Posix.connect(fd, loopback4(port(l))));
            }),
            refused("sendto_ipv4_on_unix_socket", "EINVAL", IllegalArgumentException.class, s -> {
                int fd = s.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
                int to = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return count(() -> Posix.sendto(fd, BIG, 0, 4, 0, loopback4(port(to))));
            }),
            same("getsockname_unix_unbound", "0 family=" + Posix.AF_UNIX + " len=2", s -> {
                int fd = s.socket(Posix.AF_UNIX, Posix.SOCK_STREAM);
                return named(() -> Posix.getsockname(fd));
            }),
            same("getpeername_socketpair", "0 family=" + Posix.AF_UNIX + " len=2", s -> {
                int[] p = s.pair(Posix.SOCK_STREAM);
                return named(() -> Posix.getpeername(p[0]));
            }),
            same("getsockname_unix_abstract", null, s -> {
                int fd = s.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
                // the temporary folder's own name: unique, and as long on both sides
                Posix.bind(fd, SockAddr.abstractUnix(folder.getFileName().toString()));
                return named(() -> Posix.getsockname(fd));
            }),
            same("recvfrom_unnamed_sender", "5 len=0", s -> {
                int[] p = s.pair(Posix.SOCK_DGRAM);
                put(p[0], 5);
                return recvfromLength(p[1]);
            }),
            same("recvfrom_tcp_no_address", "5 len=0", s -> {
                int[] p = s.tcpPair();
                put(p[0], 5);
                return recvfromLength(p[1]);
            }),
            same("accept4_unix_unnamed_peer", "fd blocking len=2", s -> {
                int l = s.socket(Posix.AF_UNIX, Posix.SOCK_STREAM);
                Posix.bind(l, s.unix("listening"));
                Posix.listen(l, 8);
                int c = s.socket(Posix.AF_UNIX, Posix.SOCK_STREAM);
                Posix.connect(c, s.unix("listening"));
                SockAddrBuffer peer = new SockAddrBuffer();
                return made(() -> Posix.accept(l, 0, peer)) + " len=" + peer.length();
            }),
            same("sendmsg_iov_max", String.valueOf(Posix.IOV_MAX), s -> {
                int[] p = s.udpPair();
                Message m = s.message();
                for (int i = 0; i < Posix.IOV_MAX; i++) {
                    m.add(ByteBuffer.wrap(BIG, i, 1));
                }
                return count(() -> Posix.sendmsg(p[0], m, 0));
            }),
            same("sendmmsg_vlen_zero_on_pipe", "ENOTSOCK", s -> {
                int[] p = s.pipe(0);
                MessageBatch b = s.batch(s.message(ByteBuffer.wrap(BIG, 0, 4)));
                return count(() -> Posix.sendmmsg(p[1], b, 0, 0));
            }),
            same("socketpair_bad_protocol", "EPROTONOSUPPORT",
                    s -> madeTwo(() -> Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 2))),
            same("accept_on_pipe", "ENOTSOCK", s -> {
                int[] p = s.pipe(0);
                return made(() -> Posix.accept(p[0]));
            }),
            // ---- empty batches and lists, option shapes
            same("sendmmsg_empty_batch_not_open", "EBADF", s -> count(() -> Posix.sendmmsg(NOT_OPEN, s.batch(), 0))),
            same("recvmmsg_empty_batch_not_open", "EBADF",
                    s -> count(() -> Posix.recvmmsg(NOT_OPEN, s.batch(), MsgFlag.MSG_DONTWAIT.value()))),
            same("recvmsg_no_buffers", "0 MSG_TRUNC", s -> {
                int[] p = s.udpPair();
                put(p[0], 5);
                Message m = s.message();
                long r = Posix.recvmsg(p[1], m, 0);
                return r + (m.truncated() ? " MSG_TRUNC" : " whole");
            }),
            same("tcp_info_on_udp", "EOPNOTSUPP", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return count(() -> Posix.getsockoptTcpInfo(fd).length());
            }),
            same("ip_add_membership_not_multicast", "EINVAL", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                byte[] mreq = Posix.ipMreq(loopback4(0).getAddress(), InetAddress.getByName("0.0.0.0"));
                return done(() -> Posix.setsockopt(fd, Posix.IPPROTO_IP, Posix.IP_ADD_MEMBERSHIP, mreq));
            }),
            same("setsockopt_linger", "0", s -> {
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                return done(() -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, Linger.on(3)));
            }),
            // the non-throwing forms return the kernel's plain -errno for an address of another family
            same("tryconnect_ipv6_on_ipv4_socket", "EAFNOSUPPORT", s -> {
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                return tryCount(Posix.tryConnect(fd, loopback6(9)));
            }),
            same("trysendto_ipv6_on_ipv4_socket", "EAFNOSUPPORT", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                int to = s.bound(Posix.AF_INET6, Posix.SOCK_DGRAM);
                return tryCount(Posix.trySendto(fd, ByteBuffer.allocateDirect(4), 0, SockAddr.of(loopback6(port(to)))));
            }),
            same("trysendmsg_ipv6_on_ipv4_socket", "EAFNOSUPPORT", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                int to = s.bound(Posix.AF_INET6, Posix.SOCK_DGRAM);
                Message m = s.message(ByteBuffer.wrap(BIG, 0, 4)).destination(loopback6(port(to)));
                return tryCount(Posix.trySendmsg(fd, m, 0));
            }),
            // ---- the documented differences besides the address families above: Java checks first
            // Linux takes a path that fills sun_path without a terminating NUL; posix-send keeps room for the NUL
            refused("bind_unix_path_of_108_bytes", "0", IllegalArgumentException.class, s -> {
                int fd = s.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
                String name = "u".repeat(108 - folder.toString().length() - 1);
                return done(() -> Posix.bind(fd, s.unix(name)));
            }),
            // ---- credentials, transmit times, SIOCINQ: the calls of Unix-socket servers and paced senders
            same("sendmsg_credentials_own", "1", s -> {
                int[] p = s.pair(Posix.SOCK_DGRAM);
                Ucred self = Posix.getsockoptPeerCred(p[1]); // this process's pid, euid and egid, as C's getpid()...
                Message m = s.message(ByteBuffer.wrap(BIG, 0, 1)).addControl(ControlMessage.credentials(self));
                return count(() -> Posix.sendmsg(p[0], m, 0));
            }),
            same("sendmsg_credentials_no_user", "EINVAL", s -> {
                int[] p = s.pair(Posix.SOCK_DGRAM);
                Ucred self = Posix.getsockoptPeerCred(p[1]);
                Message m = s.message(ByteBuffer.wrap(BIG, 0, 1))
                        .addControl(ControlMessage.credentials(new Ucred(self.pid(), -1, self.gid())));
                return count(() -> Posix.sendmsg(p[0], m, 0));
            }),
            same("sendmsg_txtime_without_option", "EINVAL", s -> {
                int[] p = s.udpPair();
                Message m = s.message(ByteBuffer.wrap(BIG, 0, 1)).addControl(ControlMessage.txtime(1));
                return count(() -> Posix.sendmsg(p[0], m, 0));
            }),
            same("setsockopt_txtime_unknown_flag", "EINVAL", s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TXTIME,
                        new SockTxtime(Posix.CLOCK_MONOTONIC, 1 << 30)));
            }),
            same("ioctl_siocinq_listening", "EINVAL", s -> {
                int fd = s.listener(Posix.SOCK_STREAM);
                return valued(() -> Posix.ioctlInt(fd, Posix.SIOCINQ));
            }),
            same("getsockopt_peercred_tcp", "0 pid=0 uid=-1 gid=-1", s -> {
                int[] p = s.tcpPair();
                return peercred(p[0]);
            }),
            same("getsockopt_peercred_not_open", "EBADF", s -> peercred(NOT_OPEN)),
            // Linux takes a negative timeout as none (and says so in the kernel's log); Duration's is refused
            refused("setsockopt_negative_timeout", "0", IllegalArgumentException.class, s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(-1)));
            }),
            // Linux takes a negative linger time as the longest; a Linger of negative seconds cannot be made
            refused("setsockopt_linger_negative", "0", IllegalArgumentException.class, s -> {
                int fd = s.socket(Posix.AF_INET, Posix.SOCK_STREAM);
                return done(() -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_LINGER, new Linger(true, -1)));
            }),
            // ioctlInt takes only the requests that write one int (TIOCGWINSZ writes a struct winsize)
            refused("ioctl_other_request", "ENOTTY", IllegalArgumentException.class, s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return valued(() -> Posix.ioctlInt(fd, TIOCGWINSZ));
            }),
            // a classic BPF program is a structure the kernel reads whole, whatever length it is given
            refused("setsockopt_int_filter_program", "EINVAL", IllegalArgumentException.class, s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.setsockopt(fd, Posix.SOL_SOCKET, SO_ATTACH_FILTER, 1));
            }),
            refused("recvmmsg_negative_timeout", "EINVAL", IllegalArgumentException.class, s -> {
                int[] p = s.udpPair();
                put(p[0], 3);
                MessageBatch b = s.batch(s.message(ByteBuffer.allocate(16)));
                return count(() -> Posix.recvmmsg(p[1], b, MsgFlag.MSG_DONTWAIT.value(), Duration.ofSeconds(-1)));
            }),
            // without SO_ZEROCOPY the kernel ignores MSG_ZEROCOPY; posix-send refuses it for heap bytes regardless
            refused("send_zerocopy_from_heap", "4", IllegalArgumentException.class, s -> {
                int[] p = s.udpPair();
                return count(() -> Posix.send(p[0], BIG, 0, 4, MsgFlag.MSG_ZEROCOPY.value()));
            }),
            // Posix.UNSUPPORTED, the value of a constant the platform lacks, is Integer.MIN_VALUE
            refused("setsockopt_unsupported_constant", "ENOPROTOOPT", UnsupportedOperationException.class, s -> {
                int fd = s.bound(Posix.AF_INET, Posix.SOCK_DGRAM);
                return done(() -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.UNSUPPORTED, 1));
            }));

    // ---- the outcomes, as the C program prints them ------------------------------------------------------------

    @FunctionalInterface
    private interface Counted {
        long call() throws Exception;
    }

    @FunctionalInterface
    private interface Done {
        void call() throws Exception;
    }

    @FunctionalInterface
    private interface Named {
        SocketAddress call() throws Exception;
    }

    @FunctionalInterface
    private interface Pair {
        int[] call() throws Exception;
    }

    /** A throwing call's count, or its errno's name. */
    private static String count(Counted call) throws Exception {
        try {
            return String.valueOf(call.call());
        } catch (ErrnoException e) {
            return e.errno().name();
        }
    }

    /** A non-throwing form's count, or the name of the errno of its {@code -errno}. */
    private static String tryCount(long r) {
        if (r >= 0) {
            return String.valueOf(r);
        }
        Errno e = Errno.fromNumber((int) -r);
        assertNotNull(e, "an errno posix-send does not know: " + -r);
        return e.name();
    }

    /** A call that returns nothing: "0", or its errno's name. */
    private static String done(Done call) throws Exception {
        return count(() -> {
            call.call();
            return 0;
        });
    }

    /** A call that returns a value, as C's 0 and the value it writes back: "0 value", or the errno's name. */
    private static String valued(Counted call) throws Exception {
        try {
            return "0 " + call.call();
        } catch (ErrnoException e) {
            return e.errno().name();
        }
    }

    /** A call that makes a descriptor: "fd" and its mode (the number differs), or the errno's name. */
    private static String made(Counted call) throws Exception {
        int fd;
        try {
            fd = (int) call.call();
        } catch (ErrnoException e) {
            return e.errno().name();
        }
        try {
            return "fd " + mode(fd);
        } finally {
            Posix.close(fd);
        }
    }

    /** A call that makes two descriptors: "0" and their modes, or the errno's name. */
    private static String madeTwo(Pair call) throws Exception {
        int[] p;
        try {
            p = call.call();
        } catch (ErrnoException e) {
            return e.errno().name();
        }
        try {
            return "0 " + mode(p[0]) + " " + mode(p[1]);
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    /** getsockname or getpeername: "0", the family and the length of the address, or the errno's name. */
    private static String named(Named call) throws Exception {
        SocketAddress a;
        try {
            a = call.call();
        } catch (ErrnoException e) {
            return e.errno().name();
        }
        SockAddr sa = SockAddr.of(a);
        return "0 family=" + sa.family() + " len=" + sa.length();
    }

    /** SO_PEERCRED as the C program prints it: the pid as "self", "0" or "other", or the errno's name. */
    private static String peercred(int fd) {
        Ucred c;
        try {
            c = Posix.getsockoptPeerCred(fd);
        } catch (ErrnoException e) {
            return e.errno().name();
        }
        long self = ProcessHandle.current().pid();
        String pid = c.pid() == self ? "self" : c.pid() == 0 ? "0" : "other";
        return "0 pid=" + pid + " uid=" + c.uid() + " gid=" + c.gid();
    }

    /** recvfrom of up to 16 bytes: "count len=address length", or the errno's name. */
    private static String recvfromLength(int fd) {
        SockAddrBuffer from = new SockAddrBuffer();
        int r = Posix.tryRecvfrom(fd, new byte[16], 0, 16, 0, from);
        return r < 0 ? tryCount(r) : r + " len=" + from.length();
    }

    /** poll of one entry with timeout 0: "count revents", or the errno's name. */
    private static String pollOne(int fd, int events) throws Exception {
        PollSet set = new PollSet(1);
        set.add(fd, events);
        try {
            int n = Posix.poll(set, 0);
            return n + " " + set.revents(0);
        } catch (ErrnoException e) {
            return e.errno().name();
        }
    }

    /** A descriptor's mode, as the C program names it. */
    private static String mode(int fd) throws ErrnoException {
        return (Posix.isBlocking(fd) ? "blocking" : "nonblocking") + (Posix.isCloseOnExec(fd) ? "+cloexec" : "");
    }

    // ---- setup, as the C program's --------------------------------------------------------------------------------

    private static InetSocketAddress loopback4(int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
    }

    private static InetSocketAddress loopback6(int port) throws UnknownHostException {
        byte[] one = new byte[16];
        one[15] = 1;
        return new InetSocketAddress(Inet6Address.getByAddress(null, one, -1), port);
    }

    private static int port(int fd) throws ErrnoException {
        return ((InetSocketAddress) Posix.getsockname(fd)).getPort();
    }

    private static void put(int fd, int n) throws ErrnoException {
        assertEquals(n, Posix.send(fd, BIG, 0, n, 0), "setup: send");
    }

    /** One case's descriptors, messages and files, closed when the case ends, whatever happened. */
    private static final class Setup implements AutoCloseable {
        private final Set<Integer> fds = new LinkedHashSet<>();
        private final Deque<AutoCloseable> others = new ArrayDeque<>();
        private final List<Path> paths = new ArrayList<>();

        int track(int fd) {
            fds.add(fd);
            return fd;
        }

        void close(int fd) throws ErrnoException {
            fds.remove(fd);
            Posix.close(fd);
        }

        int socket(int family, int type) throws ErrnoException {
            return track(Posix.socket(family, type, 0));
        }

        /** A socket bound to loopback with a port the kernel chooses. */
        int bound(int family, int type) throws Exception {
            int fd = socket(family, type);
            Posix.bind(fd, family == Posix.AF_INET ? loopback4(0) : loopback6(0));
            return fd;
        }

        /** Two IPv4 UDP sockets on loopback, each connected to the other. */
        int[] udpPair() throws Exception {
            int a = bound(Posix.AF_INET, Posix.SOCK_DGRAM);
            int b = bound(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.connect(a, loopback4(port(b)));
            Posix.connect(b, loopback4(port(a)));
            return new int[] {a, b};
        }

        int listener(int type) throws Exception {
            int fd = bound(Posix.AF_INET, type);
            Posix.listen(fd, 8);
            return fd;
        }

        /** A connected IPv4 TCP pair on loopback: the connecting end, then the accepted one. */
        int[] tcpPair() throws Exception {
            int l = listener(Posix.SOCK_STREAM);
            int a = socket(Posix.AF_INET, Posix.SOCK_STREAM);
            Posix.connect(a, loopback4(port(l)));
            int b = track(Posix.accept(l));
            close(l);
            return new int[] {a, b};
        }

        int[] pair(int type) throws ErrnoException {
            int[] p = Posix.socketpair(Posix.AF_UNIX, type, 0);
            track(p[0]);
            track(p[1]);
            return p;
        }

        int[] pipe(int flags) throws ErrnoException {
            int[] p = Posix.pipe(flags);
            track(p[0]);
            track(p[1]);
            return p;
        }

        UnixDomainSocketAddress unix(String name) {
            Path p = folder.resolve(name);
            paths.add(p);
            return UnixDomainSocketAddress.of(p);
        }

        /** A regular file holding "hello", open for reading and writing at its start. */
        int regularFile() throws IOException {
            Path p = folder.resolve("file");
            paths.add(p);
            Files.write(p, "hello".getBytes(StandardCharsets.US_ASCII));
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
            others.push(ch);
            return SideBySide.descriptorOf(ch);
        }

        Message message(ByteBuffer... buffers) {
            Message m = Message.of(buffers);
            others.push(m);
            return m;
        }

        MessageBatch batch(Message... messages) {
            MessageBatch b = new MessageBatch(Math.max(4, messages.length));
            others.push(b);
            for (Message m : messages) {
                b.add(m);
            }
            return b;
        }

        /** Four messages of 16 bytes each, as the C program's recvmmsg. */
        MessageBatch receiveBatch() {
            MessageBatch b = batch();
            for (int i = 0; i < 4; i++) {
                b.add(message(ByteBuffer.allocate(16)));
            }
            return b;
        }

        @Override
        public void close() throws Exception {
            for (int fd : fds) {
                Posix.close(fd);
            }
            while (!others.isEmpty()) {
                others.pop().close();
            }
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- the test --------------------------------------------------------------------------------------------------

    @BeforeAll
    static void runTheCProgram() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the C program makes Linux's calls; the NetBSD build is cross-compiled"
                + " and its C side never run here");
        assertTrue(Files.isExecutable(PROGRAM), PROGRAM + " is missing: the conformance module's build compiles"
                + " src/conformance/test/c/same_calls.c with gcc (mvn test-compile)");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        // the Unix socket paths must fit sun_path on both sides
        folder = Files.createTempDirectory(tmp.toString().length() < 32 ? tmp : Path.of("/tmp"), "same-calls");
        List<String> command = new ArrayList<>(List.of(PROGRAM.toString(), "--in", folder.toString()));
        for (Case c : CASES) {
            command.add(c.name());
        }
        inC = parse(run(command), "the cases");
        // the JDK's first FileChannel makes a socket it keeps for good (to close descriptors with dup2): before the
        // count, so no case that opens a file seems to leave it behind
        Path warm = folder.resolve("warm");
        Files.write(warm, new byte[1]);
        try (FileChannel ch = FileChannel.open(warm, StandardOpenOption.READ)) {
            assertEquals(1, ch.size());
        }
        Files.delete(warm);
        before = MadeDescriptors.now();
    }

    @AfterAll
    static void removeTheFolder() throws IOException {
        if (folder != null) {
            Files.delete(folder);
        }
    }

    /** The program's output, after it ended with status 0 within 30 s. */
    private static List<String> run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        List<String> lines;
        try (var in = p.getInputStream()) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail(PROGRAM + " did not end within 30 s");
            }
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        }
        assertEquals(0, p.exitValue(), PROGRAM + " failed; its output:\n" + String.join("\n", lines));
        return lines;
    }

    /** "name outcome" lines as a map, in order. */
    private static Map<String, String> parse(List<String> lines, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines) {
            int space = line.indexOf(' ');
            assertTrue(space > 0, "a line of " + what + " that is no \"case outcome\": " + line);
            out.put(line.substring(0, space), line.substring(space + 1));
        }
        return out;
    }

    @Test
    void everyCaseIsOnBothSides() throws Exception {
        Set<String> javaSide = new LinkedHashSet<>();
        for (Case c : CASES) {
            assertTrue(javaSide.add(c.name()), "a case named twice: " + c.name());
        }
        Set<String> cSide = new LinkedHashSet<>(run(List.of(PROGRAM.toString(), "--list")));
        Set<String> onlyC = new LinkedHashSet<>(cSide);
        onlyC.removeAll(javaSide);
        Set<String> onlyJava = new LinkedHashSet<>(javaSide);
        onlyJava.removeAll(cSide);
        assertTrue(onlyC.isEmpty() && onlyJava.isEmpty(), "cases in the C program only: " + onlyC
                + "; in SameAsCTest.CASES only: " + onlyJava);
        assertEquals(List.copyOf(javaSide), List.copyOf(inC.keySet()), "the C program answered other cases");
        assertTrue(CASES.size() >= 40, "too few cases: " + CASES.size());
    }

    @TestFactory
    Stream<DynamicTest> eachCaseAnswersAsC() {
        Stream<DynamicTest> cases = CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
        Stream<DynamicTest> leaks = Stream.of(DynamicTest.dynamicTest("no descriptor left open", () -> {
            Set<String> after = MadeDescriptors.now();
            after.removeAll(before);
            assertTrue(after.isEmpty(), "descriptors the cases made are still open: " + after);
        }));
        return Stream.concat(cases, leaks);
    }

    private static void check(Case c) throws Exception {
        String answer = inC.get(c.name());
        assertNotNull(answer, "the C program gave no answer for " + c.name());
        assertTrue(!answer.startsWith("?"), "the C program: " + c.name() + " " + answer);
        if (c.inC() != null) {
            assertEquals(c.inC(), answer, "C answers " + c.name() + " otherwise than the case was written for: its"
                    + " setup went wrong, or this kernel answers otherwise");
        }
        Set<String> open = MadeDescriptors.now();
        try (Setup s = new Setup()) {
            if (c.javaThrows() == null) {
                assertEquals(answer, c.call().run(s), c.name() + " on the " + Posix.backendName() + " backend");
            } else {
                RuntimeException e = assertThrows(c.javaThrows(), () -> c.call().run(s),
                        c.name() + ": posix-send documents " + c.javaThrows().getSimpleName() + " where C gets "
                                + answer);
                if (e.getCause() != null) {
                    ErrnoException cause = assertInstanceOf(ErrnoException.class, e.getCause(), c.name());
                    assertEquals(answer, cause.errno().name(), c.name() + ": the kernel's errno, as the cause");
                }
            }
        }
        Set<String> after = MadeDescriptors.now();
        after.removeAll(open);
        assertTrue(after.isEmpty(), c.name() + " left descriptors open: " + after);
    }
}

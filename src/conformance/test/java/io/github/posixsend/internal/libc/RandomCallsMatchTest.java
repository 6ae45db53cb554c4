// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Os;
import io.github.posixsend.PollSet;
import io.github.posixsend.Posix;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Platform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import io.github.posixsend.testing.MadeDescriptors;
import io.github.posixsend.testing.SideBySide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each Java-side backend (JNR, and FFM on JDK 22 and later) gives the same result as the JNI shim for the same
 * call: send, sendto, recv and recvfrom with random flags (any of the 32 bits, bit 31 included), read and write,
 * each on random descriptors (-1, a closed number, a regular file, a pipe's two ends, UDP, TCP and Unix sockets,
 * connected or not) with random sizes up to 64 KiB, and int socket options and socket() with random arguments,
 * compared call by call. The calls that make or wire descriptors are drawn too: accept4 with random flags (invalid
 * bits included) on listeners with or without a connection waiting, connect from new and existing sockets to
 * random destinations, pipe2 with random flags, setting and reading close-on-exec (negative and closed numbers
 * included), getsockopt into arrays of any length (null included), and a {@link PollSet} edited at random (add,
 * remove, set, setEvents, clear) and polled, against C's own array polled through the shim. A descriptor a call
 * made is compared by what it is (blocking, close-on-exec), not by its number, and closed; the sockets and pipes
 * open in the process are the same after each kind's calls as before.
 * Each backend is compared in its own conformance run ({@code -Dposixsend.backend=jnr}, {@code ffm}); a backend
 * that cannot load here (FFM before JDK 22) is skipped, saying why.
 *
 * <p>Each backend works on its own set of descriptors, built alike, and both sets go through the same sequence
 * of calls, so their kernel state stays the same: whatever one call leaves behind (a corked datagram, a queue
 * one datagram fuller) the other backend's twin call leaves behind too. Everything around the call under test
 * (putting a datagram in place before a receive, emptying queues after a send) is done through the JNI backend for
 * both sets. Every socket is non-blocking, so no call waits. The run is seeded ({@code -Dposixsend.fuzz.seed}),
 * bounded in calls ({@code -Dposixsend.fuzz.calls}, per call kind) and in time, and a mismatch names the seed,
 * the call number and the call.
 *
 * <p>Results must be equal: the count or {@code -errno}, the bytes received, the sender's address length and
 * bytes. Two things differ between the sets by construction and are not compared: the port in an IPv4 sender
 * address, and the count a TCP send accepts (the kernel frees TCP send-buffer room as acknowledgements arrive,
 * which no test controls), where both must succeed or both fail alike.
 */
@ParameterizedClass
@FieldSource("io.github.posixsend.testing.SideBySide#JAVA_SIDE")
class RandomCallsMatchTest {
    private static final int MAX = 1 << 16;
    private static final long TIME_PER_KIND_NANOS = 10_000_000_000L;
    private static final int CALLS = Integer.getInteger("posixsend.fuzz.calls", 100_000);
    private static final byte[] BACKGROUND = filled(MAX + 64, (byte) 0x5a);
    private static final long SEED = Long.getLong("posixsend.fuzz.seed", System.nanoTime());

    private static Backend jni;
    private static Path dir;
    private static int closedFd;
    /** The Java-side backend compared with the shim. */
    private final Backend other;
    private Sockets forJni;
    private Sockets forOther;

    RandomCallsMatchTest(String backend) {
        this.other = SideBySide.javaSide(backend);
    }

    private enum Kind {
        SEND, SENDTO, RECV, RECVFROM, SOCKOPT, SOCKET, READ, WRITE, ACCEPT, CONNECT, PIPE, CLOEXEC, GETSOCKOPT, POLLSET
    }

    /**
     * Calls per kind for accept4, connect and pipe2, each of which makes descriptors (or a connection) that the test
     * then reads and closes, several system calls per draw: with these and {@link #OTHER_DESCRIPTOR_CALLS} the six
     * kinds add about a second per backend, where 100,000 each would add several.
     */
    private static final int DESCRIPTOR_CALLS = Math.min(CALLS, 10_000);

    /** Calls per kind for close-on-exec, getsockopt into arrays and the poll set's edits. */
    private static final int OTHER_DESCRIPTOR_CALLS = Math.min(CALLS, 20_000);

    /** The bytes each set's file starts with: a read there finds the same bytes in both sets. */
    private static final int FILE_SIZE = 4 * MAX;

    /** What a call is made on. */
    private enum Target {
        MINUS_ONE, CLOSED, FILE, PIPE_WRITE, PIPE_READ, UDP_CONNECTED, UDP_BOUND, UDP_PEER, TCP, TCP_PEER,
        TCP_LISTENER, UNIX_STREAM, UNIX_STREAM_PEER, UNIX_DGRAM, UNIX_DGRAM_PEER, UNIX_DGRAM_NAMED, UNIX_LISTENER
    }

    /** Where a sendto or a connect goes; the listeners only for connect. */
    private enum Dest { UDP_PEER, UDP_BOUND, UNIX_NAMED, INET6, UNSPEC, SHORT, LISTENER, UNIX_LISTENER }

    /**
     * Where a sendto goes: not to a listener's port, whose refusal (ICMP port unreachable) would set a pending error
     * on a connected UDP socket that a later call would report or not, depending on when the ICMP arrived.
     */
    private static final Dest[] SENDTO_DESTS = {Dest.UDP_PEER, Dest.UDP_BOUND, Dest.UNIX_NAMED, Dest.INET6,
        Dest.UNSPEC, Dest.SHORT};

    /** A socket made for one connect and closed after it, so that each connect starts from an unconnected socket. */
    private enum Fresh { NONE, TCP, UDP, UNIX_STREAM, UNIX_DGRAM, UDP6 }

    /**
     * One backend's descriptors; made (and later read and emptied) through the JNI backend. Each set has its own file
     * and pipe too, since read and write move a file's offset and fill a pipe.
     */
    private static final class Sockets {
        final List<Integer> fds = new ArrayList<>();
        final FileChannel file;
        final Pipe pipe;
        final int fileFd;
        final int pipeWriteFd;
        final int pipeReadFd;
        final int udpConnected;
        final int udpPeer;
        final int udpBound;
        final int tcp;
        final int tcpPeer;
        final int listener;
        final int unixStream;
        final int unixStreamPeer;
        final int unixDgram;
        final int unixDgramPeer;
        final int unixNamed;
        final byte[] udpPeerName = new byte[128];
        final byte[] udpBoundName = new byte[128];
        final byte[] unixName = new byte[128];
        final int unixNameLen;
        final int unixListener;
        final byte[] listenerName = new byte[128];
        final byte[] unixListenerName = new byte[128];
        final int unixListenerNameLen;
        /** The client of the connection waiting on a listener before an accept4, or -1; closed after the call. */
        int client = -1;
        /** The POLLSET calls' entries: the JNI set's as C keeps them, the other set's in a {@link PollSet}. */
        final ByteBuffer pollModel = ByteBuffer.allocateDirect(POLL_CAPACITY * POLLFD).order(ByteOrder.nativeOrder());
        int pollModelSize;
        PollSet pollSet;

        Sockets(String tag) throws Exception {
            udpPeer = bound(Posix.SOCK_DGRAM, udpPeerName);
            udpBound = bound(Posix.SOCK_DGRAM, udpBoundName);
            udpConnected = open(Posix.AF_INET, Posix.SOCK_DGRAM);
            ok(jni.connect(udpConnected, udpPeerName, 16), "connect udp");

            listener = bound(Posix.SOCK_STREAM, listenerName);
            ok(jni.listen(listener, 4), "listen");
            tcp = open(Posix.AF_INET, Posix.SOCK_STREAM);
            ok(jni.connect(tcp, listenerName, 16), "connect tcp");
            tcpPeer = track(jni.accept(listener, null, null));
            for (int fd : new int[] {tcp, tcpPeer}) {
                // room for any one send while the peer is emptied after each call
                jni.setsockoptInt(fd, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 1 << 20);
                jni.setsockoptInt(fd, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 1 << 20);
                // no Nagle: a small prefill would otherwise wait for the peer's delayed acknowledgement
                jni.setsockoptInt(fd, Posix.IPPROTO_TCP, Posix.TCP_NODELAY, 1);
            }

            int[] sv = new int[2];
            ok(jni.socketpair(Posix.AF_UNIX, Posix.SOCK_STREAM, 0, sv), "socketpair stream");
            unixStream = track(sv[0]);
            unixStreamPeer = track(sv[1]);
            ok(jni.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0, sv), "socketpair dgram");
            unixDgram = track(sv[0]);
            unixDgramPeer = track(sv[1]);
            unixNamed = open(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            byte[] path = dir.resolve(tag).toString().getBytes(StandardCharsets.UTF_8);
            unixNameLen = ok(jni.sockaddrUnix(unixName, path, false), "sockaddr_un");
            ok(jni.bind(unixNamed, unixName, unixNameLen), "bind unix");
            unixListener = open(Posix.AF_UNIX, Posix.SOCK_STREAM);
            byte[] lpath = dir.resolve(tag + ".listen").toString().getBytes(StandardCharsets.UTF_8);
            unixListenerNameLen = ok(jni.sockaddrUnix(unixListenerName, lpath, false), "sockaddr_un");
            ok(jni.bind(unixListener, unixListenerName, unixListenerNameLen), "bind unix listener");
            ok(jni.listen(unixListener, 4), "listen unix");

            for (int fd : fds) {
                ok(jni.setBlocking(fd, false), "non-blocking");
            }

            Path f = dir.resolve(tag + ".file");
            byte[] content = new byte[FILE_SIZE];
            for (int i = 0; i < content.length; i++) {
                content[i] = (byte) (i * 31 + i / 251);
            }
            Files.write(f, content);
            file = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
            fileFd = ok(jni.descriptorOf(file), "file descriptor");
            pipe = Pipe.open();
            pipe.sink().configureBlocking(false);
            pipe.source().configureBlocking(false);
            pipeWriteFd = ok(jni.descriptorOf(pipe.sink()), "pipe descriptor");
            pipeReadFd = ok(jni.descriptorOf(pipe.source()), "pipe descriptor");
        }

        private int track(int fd) {
            ok(fd, "descriptor");
            fds.add(fd);
            return fd;
        }

        private int open(int domain, int type) {
            return track(jni.socket(domain, type, 0));
        }

        /** A socket of {@code type} bound to 127.0.0.1 on an ephemeral port; its name goes into {@code name}. */
        private int bound(int type, byte[] name) {
            int fd = open(Posix.AF_INET, type);
            int len = ok(jni.sockaddrInet(name, new byte[] {127, 0, 0, 1}, 0, 0, 0), "sockaddr_in");
            ok(jni.bind(fd, name, len), "bind");
            ok(jni.socketName(fd, false, name), "getsockname");
            return fd;
        }

        int fd(Target t) {
            switch (t) {
                case MINUS_ONE: return -1;
                case CLOSED: return closedFd;
                case FILE: return fileFd;
                case PIPE_WRITE: return pipeWriteFd;
                case PIPE_READ: return pipeReadFd;
                case UDP_CONNECTED: return udpConnected;
                case UDP_BOUND: return udpBound;
                case UDP_PEER: return udpPeer;
                case TCP: return tcp;
                case TCP_PEER: return tcpPeer;
                case TCP_LISTENER: return listener;
                case UNIX_STREAM: return unixStream;
                case UNIX_STREAM_PEER: return unixStreamPeer;
                case UNIX_DGRAM: return unixDgram;
                case UNIX_DGRAM_PEER: return unixDgramPeer;
                case UNIX_DGRAM_NAMED: return unixNamed;
                case UNIX_LISTENER: return unixListener;
                default: throw new AssertionError(t);
            }
        }

        /** The socket that receives what {@code t} sends without an address, or -1. */
        int peer(Target t) {
            switch (t) {
                case UDP_CONNECTED: return udpPeer;
                case TCP: return tcpPeer;
                case TCP_PEER: return tcp;
                case UNIX_STREAM: return unixStreamPeer;
                case UNIX_STREAM_PEER: return unixStream;
                case UNIX_DGRAM: return unixDgramPeer;
                case UNIX_DGRAM_PEER: return unixDgram;
                default: return -1;
            }
        }

        /** The socket a destination names, or -1. */
        int socketOf(Dest d) {
            switch (d) {
                case UDP_PEER: return udpPeer;
                case UDP_BOUND: return udpBound;
                case UNIX_NAMED: return unixNamed;
                default: return -1;
            }
        }

        /**
         * Empties every socket the call may have put data into (or left data in), so that queues never fill up
         * and the next call starts alike.
         */
        void drainAfter(Call c, ByteBuffer scratch) {
            if (c.kind == Kind.SEND || c.kind == Kind.SENDTO || c.kind == Kind.WRITE) {
                drain(peer(c.target), scratch);
                if (c.kind == Kind.SENDTO) {
                    drain(socketOf(c.dest), scratch);
                }
                if (c.target == Target.UDP_CONNECTED || c.target == Target.UDP_BOUND || c.target == Target.UDP_PEER) {
                    // a UDP socket may send to itself, and a datagram corked with MSG_MORE goes where its first
                    // part was addressed when a later send releases it
                    drain(udpPeer, scratch);
                    drain(udpBound, scratch);
                }
            } else if (c.kind == Kind.RECV || c.kind == Kind.RECVFROM || c.kind == Kind.READ
                    || c.kind == Kind.POLLSET) {
                drain(fd(c.target), scratch);
            } else if (c.kind == Kind.ACCEPT || c.kind == Kind.CONNECT) {
                if (client >= 0) {
                    jni.close(client);
                    client = -1;
                }
                // the connection an accept4 refused, or one a connect made: the next call finds the queue empty
                acceptAll(listener);
                acceptAll(unixListener);
            }
            drainPipe(pipeReadFd, scratch); // a write on the pipe, or a prefill a call did not read
        }

        void close() throws IOException {
            if (client >= 0) {
                jni.close(client);
            }
            for (int fd : fds) {
                jni.close(fd);
            }
            try (Channel a = file; Channel b = pipe.sink(); Channel d = pipe.source()) {
                // all three closed, the first failure thrown
            }
        }
    }

    private static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        Arrays.fill(a, b);
        return a;
    }

    private static int ok(int rc, String what) {
        if (rc < 0) {
            throw new IllegalStateException(what + " failed: errno " + -rc);
        }
        return rc;
    }

    private static void drain(int fd, ByteBuffer scratch) {
        if (fd < 0) {
            return;
        }
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        for (int i = 0; i < 1000; i++) {
            if (jni.recvDirect(fd, scratch, 0, scratch.capacity(), dontwait, null, null) < 0) {
                return; // EAGAIN: empty (0 is an empty datagram, or a stream's end, which we never cause)
            }
        }
        throw new IllegalStateException("descriptor " + fd + " did not empty in 1000 reads");
    }

    /** Empties a non-blocking pipe through its read end (recv, which drain uses, refuses a pipe). */
    private static void drainPipe(int fd, ByteBuffer scratch) {
        for (int i = 0; i < 1000; i++) {
            if (jni.readDirect(fd, scratch, 0, scratch.capacity()) <= 0) {
                return; // EAGAIN: empty
            }
        }
        throw new IllegalStateException("pipe " + fd + " did not empty in 1000 reads");
    }

    @BeforeAll
    static void open() throws Exception {
        jni = SideBySide.jni();
        dir = Files.createTempDirectory("posixsend-fuzz");
        // A number no descriptor has, far above the ones in use so that the JVM will not open it meanwhile
        // (checked before every call): a socket's number once it is closed.
        int socket = ok(jni.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0), "socket");
        jni.close(socket);
        closedFd = socket + 500;
    }

    /** Fresh sockets for each call kind, so that no state (a corked datagram, say) passes from one to the next. */
    @BeforeEach
    void sockets() throws Exception {
        forJni = new Sockets("jni");
        forOther = new Sockets(other.name());
    }

    @AfterEach
    void closeSockets() throws Exception {
        if (forJni != null) {
            forJni.close();
        }
        if (forOther != null) {
            forOther.close();
        }
        for (String tag : new String[] {"jni", other.name()}) {
            Files.deleteIfExists(dir.resolve(tag));
            Files.deleteIfExists(dir.resolve(tag + ".listen"));
            Files.deleteIfExists(dir.resolve(tag + ".file"));
        }
    }

    @AfterAll
    static void close() throws Exception {
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Any 32-bit flag value, weighted towards the known flags and always including bit 31 sometimes. */
    private static int flags(Random r) {
        int f = 0;
        int pick = r.nextInt(8);
        if (pick == 0) {
            f = r.nextInt(); // any bits at all
        } else if (pick > 1) {
            MsgFlag[] all = MsgFlag.values();
            for (int i = r.nextInt(4); i > 0; i--) {
                MsgFlag m = all[r.nextInt(all.length)];
                if (m.isSupported()) {
                    f |= m.value();
                }
            }
        }
        if (r.nextInt(4) == 0) {
            f |= 1 << 31; // MSG_CMSG_COMPAT on Linux
        }
        if (r.nextInt(4) != 0) {
            f |= MsgFlag.MSG_DONTWAIT.value();
        }
        return f;
    }

    /** 0, small, or up to 64 KiB. */
    private static int size(Random r) {
        switch (r.nextInt(6)) {
            case 0: return 0;
            case 1: case 2: return 1 + r.nextInt(100);
            case 3: case 4: return r.nextInt(2049);
            default: return r.nextInt(MAX + 1);
        }
    }

    /**
     * The arguments of one call, the same for both backends apart from each one's own descriptors. For the kinds from
     * accept4 on: {@code shape} is the address arrays ({@link #ACCEPT_SHAPES}), the int array's length (-1: null),
     * the poll set's edit ({@link #POLL_OPS}), or 1 when a close-on-exec call takes {@code value} as its descriptor;
     * {@code set} is a connection waiting before an accept4, or a setter rather than a reader; {@code fresh} the new
     * socket a connect is made from.
     */
    private record Call(int index, Kind kind, Target target, int flags, int len, int pos, boolean direct,
            Dest dest, int destLen, boolean badRange, int prefill, int level, int name, int value, boolean set,
            int shape, Fresh fresh) {
        @Override
        public String toString() {
            switch (kind) {
                case ACCEPT:
                    return "call " + index + ": accept4 on " + target + " flags 0x" + Integer.toHexString(flags)
                            + " address arrays " + ACCEPT_SHAPES[shape]
                            + (set ? ", a connection waiting if a listener" : "");
                case CONNECT:
                    return "call " + index + ": connect " + (fresh == Fresh.NONE ? target : "a new " + fresh)
                            + " to " + dest + " salen " + destLen;
                case PIPE:
                    return "call " + index + ": pipe2 flags 0x" + Integer.toHexString(flags) + " into "
                            + (shape < 0 ? "null" : "int[" + shape + "]");
                case CLOEXEC:
                    return "call " + index + ": " + (set ? "setCloseOnExec(" : "isCloseOnExec(")
                            + (shape == 1 ? "descriptor " + value : target) + (set ? ", " + (flags != 0) : "") + ")";
                case GETSOCKOPT:
                    return "call " + index + ": getsockopt on " + target + " level " + level + " name " + name
                            + " into " + (shape < 0 ? "null" : "int[" + shape + "]");
                case POLLSET:
                    return "call " + index + ": " + POLL_OPS[shape] + " index " + value + " " + target + " events 0x"
                            + Integer.toHexString(level) + ", then poll" + (prefill >= 0 ? ", " + prefill
                            + " bytes waiting on " + target : "");
                default:
                    break;
            }
            if (kind == Kind.SOCKOPT) {
                return "call " + index + ": " + (set ? "setsockopt" : "getsockopt") + " on " + target + " level "
                        + level + " name " + name + (set ? " value " + value : "");
            }
            if (kind == Kind.SOCKET) {
                return "call " + index + ": socket(" + level + ", " + name + ", " + value + ")";
            }
            String flagWords = kind == Kind.READ || kind == Kind.WRITE ? ""
                    : " flags 0x" + Integer.toHexString(flags) + " (" + MsgFlag.toString(flags) + ")";
            return "call " + index + ": " + kind + " on " + target + flagWords + " len " + len + " at " + pos
                    + (direct ? " direct" : " array") + (badRange ? " (range past the end)" : "")
                    + (kind == Kind.SENDTO ? " to " + dest + " salen " + destLen : "")
                    + (prefill >= 0 ? ", " + prefill + " bytes waiting" : "");
        }
    }

    /** A result and what came with it. */
    private record Outcome(int rc, byte[] data, int salen, byte[] sa) {
    }

    private static Call randomCall(Random r, Kind kind, int index) {
        Target[] targets = Target.values();
        Target t = targets[r.nextInt(targets.length)];
        boolean receive = kind == Kind.RECV || kind == Kind.RECVFROM || kind == Kind.READ;
        int len = size(r);
        int pos = r.nextInt(64);
        boolean badRange = r.nextInt(50) == 0;
        Dest dest = SENDTO_DESTS[r.nextInt(SENDTO_DESTS.length)];
        int destLen = -1;
        if (kind == Kind.SENDTO) {
            int[] odd = {0, 1, 2, 3, 15, 17, 27, 28, 110, 127, 128, 129, 200};
            destLen = r.nextInt(10) == 0 ? odd[r.nextInt(odd.length)] : -1; // -1: the destination's own length
        }
        int prefill = receive && r.nextBoolean() ? r.nextInt(3000) : -1;
        int level = 0;
        int name = 0;
        int value = 0;
        if (kind == Kind.SOCKOPT) {
            int[] levels = {Posix.SOL_SOCKET, Posix.IPPROTO_IP, Posix.IPPROTO_TCP, Posix.IPPROTO_UDP,
                Posix.IPPROTO_IPV6, 0, -1, r.nextInt()};
            level = levels[r.nextInt(levels.length)];
            name = r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(80);
            int[] values = {0, 1, -1, 2, 1 << 16, Integer.MIN_VALUE, r.nextInt(), r.nextInt(256)};
            value = values[r.nextInt(values.length)];
        } else if (kind == Kind.SOCKET) {
            // families the kernel has built in or refuses outright: asking for others may load a module, which
            // could make the second of two alike calls answer differently from the first
            int[] domains = {Posix.AF_UNSPEC, Posix.AF_UNIX, Posix.AF_INET, Posix.AF_INET6, -1, 46 + r.nextInt(1000),
                Integer.MIN_VALUE};
            int[] types = {Posix.SOCK_STREAM, Posix.SOCK_DGRAM, Posix.SOCK_RAW, Posix.SOCK_SEQPACKET, 0, 4, 10,
                r.nextInt()};
            int[] protocols = {0, 0, 1, 6, 17, 58, 255, 256, -1, Integer.MAX_VALUE};
            level = domains[r.nextInt(domains.length)];
            name = types[r.nextInt(types.length)] | (r.nextBoolean() ? Posix.SOCK_NONBLOCK : 0)
                    | (r.nextBoolean() ? Posix.SOCK_CLOEXEC : 0);
            value = protocols[r.nextInt(protocols.length)];
        }
        if (kind.ordinal() >= Kind.ACCEPT.ordinal()) {
            return descriptorCall(r, kind, index, t);
        }
        return new Call(index, kind, t, flags(r), len, pos, r.nextBoolean(), dest, destLen, badRange, prefill,
                level, name, value, r.nextBoolean(), 0, Fresh.NONE);
    }

    /** What accept4 is given to write the peer's address into: {@code sa} and {@code salen}. */
    private static final String[] ACCEPT_SHAPES = {"null and null", "byte[128] and int[1]", "byte[128] and int[0]",
        "byte[16] and int[1]", "null and int[1]"};

    /** What a POLLSET call does to the set before it polls. */
    private static final String[] POLL_OPS = {"add", "remove", "set", "setEvents", "clear"};

    /** Entries a POLLSET call's set holds at most: enough to hold every target, few enough to fill now and then. */
    private static final int POLL_CAPACITY = 8;

    /** Flags for accept4 or pipe2: the two it knows ({@code known}), mostly, and now and then any bit or any value. */
    private static int descriptorFlags(Random r, int nonblock, int cloexec) {
        int f = (r.nextBoolean() ? nonblock : 0) | (r.nextBoolean() ? cloexec : 0);
        switch (r.nextInt(8)) {
            case 0: return f | 1 << r.nextInt(32);
            case 1: return r.nextInt();
            default: return f;
        }
    }

    /** A call of the kinds that make, wire or look at descriptors (accept4 to poll). */
    private static Call descriptorCall(Random r, Kind kind, int index, Target t) {
        int flags = 0;
        int level = 0;
        int name = 0;
        int value = 0;
        boolean set = r.nextBoolean();
        int shape = 0;
        Fresh fresh = Fresh.NONE;
        Dest dest = Dest.UDP_PEER;
        int destLen = -1;
        int prefill = -1;
        switch (kind) {
            case ACCEPT:
                // mostly a listener, so that the flags reach a call that makes a descriptor
                Target[] listeners = {Target.TCP_LISTENER, Target.UNIX_LISTENER};
                t = r.nextInt(3) == 0 ? t : listeners[r.nextInt(2)];
                flags = descriptorFlags(r, Posix.SOCK_NONBLOCK, Posix.SOCK_CLOEXEC);
                shape = r.nextInt(4) == 0 ? r.nextInt(ACCEPT_SHAPES.length) : r.nextInt(2);
                break;
            case CONNECT:
                fresh = r.nextInt(4) == 0 ? Fresh.NONE : Fresh.values()[1 + r.nextInt(Fresh.values().length - 1)];
                dest = Dest.values()[r.nextInt(Dest.values().length)];
                int[] odd = {0, 1, 2, 3, 15, 17, 27, 28, 110, 127, 128, 129, 200};
                destLen = r.nextInt(10) == 0 ? odd[r.nextInt(odd.length)] : -1;
                boolean tcp = t == Target.TCP || t == Target.TCP_PEER || t == Target.TCP_LISTENER;
                if (fresh == Fresh.NONE && tcp && dest == Dest.UNSPEC) {
                    // AF_UNSPEC disconnects a TCP socket (a listener stops listening): what the next connect on it
                    // says then (EINPROGRESS, EALREADY, EISCONN) depends on how far the handshakes got meanwhile
                    fresh = Fresh.TCP;
                }
                break;
            case PIPE:
                flags = descriptorFlags(r, Posix.O_NONBLOCK, Posix.O_CLOEXEC);
                shape = r.nextInt(4) == 0 ? r.nextInt(5) - 1 : 2; // null, 0 to 3 ints
                break;
            case CLOEXEC:
                flags = r.nextInt(2); // on or off, for a set
                if (r.nextInt(6) == 0) {
                    // numbers no descriptor has here: negative, or above any descriptor limit
                    int[] bad = {-2, Integer.MIN_VALUE, -1 - r.nextInt(1 << 20), Integer.MAX_VALUE, 1 << 30};
                    shape = 1;
                    value = bad[r.nextInt(bad.length)];
                }
                break;
            case GETSOCKOPT: {
                int[] levels = {Posix.SOL_SOCKET, Posix.SOL_SOCKET, Posix.IPPROTO_IP, Posix.IPPROTO_TCP,
                    Posix.IPPROTO_UDP, Posix.IPPROTO_IPV6, 0, -1, r.nextInt()};
                level = levels[r.nextInt(levels.length)];
                // up to 255: IPPROTO_IP's netfilter names (64 to 199) too, which each backend must refuse alike
                name = r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(256);
                shape = r.nextInt(4) == 0 ? r.nextInt(6) - 1 : 1; // null, 0 to 4 ints
                set = false;
                break;
            }
            case POLLSET: {
                shape = r.nextInt(10) == 0 ? 4 : r.nextInt(4);
                value = r.nextInt(POLL_CAPACITY + 2) - 1; // -1 and past the end too
                int[] events = {Posix.POLLIN, Posix.POLLOUT, Posix.POLLIN | Posix.POLLOUT, Posix.POLLPRI,
                    Posix.POLLRDHUP, 0, r.nextInt(0x10000)};
                level = events[r.nextInt(events.length)];
                prefill = r.nextBoolean() ? r.nextInt(3000) : -1;
                break;
            }
            default:
                throw new AssertionError(kind);
        }
        return new Call(index, kind, t, flags, 0, 0, false, dest, destLen, false, prefill, level, name, value, set,
                shape, fresh);
    }

    /** Puts {@code data} where a receive on the call's target will find it, through the JNI backend. */
    private static void prefill(Sockets s, Call c, byte[] data) {
        int from;
        byte[] to = null;
        int toLen = 0;
        switch (c.target) {
            case UDP_PEER: from = s.udpConnected; break;
            case UDP_BOUND: from = s.udpConnected; to = s.udpBoundName; toLen = 16; break;
            case TCP: from = s.tcpPeer; break;
            case TCP_PEER: from = s.tcp; break;
            case UNIX_STREAM: from = s.unixStreamPeer; break;
            case UNIX_STREAM_PEER: from = s.unixStream; break;
            case UNIX_DGRAM: from = s.unixDgramPeer; break;
            case UNIX_DGRAM_PEER: from = s.unixDgram; break;
            case UNIX_DGRAM_NAMED:
                from = s.unixDgram;
                to = s.unixName;
                toLen = s.unixNameLen;
                break;
            case PIPE_READ:
                // readable as soon as written; a send cannot reach it (nor would a recv take it)
                ok(jni.writeArray(s.pipeWriteFd, data, 0, data.length), "prefill " + c.target);
                return;
            default: return; // nothing can wait on the others
        }
        int rc = to == null ? jni.sendArray(from, data, 0, data.length, 0)
                : jni.sendtoArray(from, data, 0, data.length, 0, to, toLen);
        ok(rc, "prefill " + c.target);
        awaitReadable(s.fd(c.target), data.length, c);
    }

    /** Loopback delivery is nearly always done when send returns; this waits (boundedly) for the rare exception. */
    private static void awaitReadable(int fd, int len, Call c) {
        ByteBuffer peek = ByteBuffer.allocateDirect(1);
        int flags = MsgFlag.MSG_DONTWAIT.value() | MsgFlag.MSG_PEEK.value();
        for (int i = 0; i < 2000; i++) {
            if (jni.recvDirect(fd, peek, 0, 1, flags, null, null) >= 0) {
                return;
            }
            if (len == 0 && i > 10) {
                return; // an empty stream write queues nothing
            }
            Thread.onSpinWait();
            if (i > 100) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("prefilled data never became readable on " + fd + ", seed " + SEED + ", " + c);
    }

    private static byte[] destination(Sockets s, Call c, int[] lenOut) {
        byte[] sa = new byte[128];
        int len;
        switch (c.dest) {
            case UDP_PEER: System.arraycopy(s.udpPeerName, 0, sa, 0, 16); len = 16; break;
            case UDP_BOUND: System.arraycopy(s.udpBoundName, 0, sa, 0, 16); len = 16; break;
            case UNIX_NAMED: System.arraycopy(s.unixName, 0, sa, 0, s.unixNameLen); len = s.unixNameLen; break;
            case INET6: {
                byte[] v6 = new byte[16];
                v6[15] = 1;
                len = jni.sockaddrInet(sa, v6, portOf(s.udpPeerName), 0, 0);
                break;
            }
            case UNSPEC: len = 16; break; // all zero: family AF_UNSPEC
            case SHORT: System.arraycopy(s.udpPeerName, 0, sa, 0, 16); len = 8; break;
            case LISTENER: System.arraycopy(s.listenerName, 0, sa, 0, 16); len = 16; break;
            case UNIX_LISTENER:
                System.arraycopy(s.unixListenerName, 0, sa, 0, s.unixListenerNameLen);
                len = s.unixListenerNameLen;
                break;
            default: throw new AssertionError(c.dest);
        }
        lenOut[0] = c.destLen >= 0 ? c.destLen : len;
        return sa;
    }

    private static int portOf(byte[] sin) {
        return (sin[2] & 0xff) << 8 | sin[3] & 0xff;
    }

    /** Makes the call on one backend with its own descriptors and buffers. */
    private static Outcome run(Backend b, Sockets s, Call c, ByteBuffer direct, byte[] array) {
        int fd = s.fd(c.target);
        int len = c.badRange ? MAX + 64 - c.pos + 1 : c.len;
        boolean receive = c.kind == Kind.RECV || c.kind == Kind.RECVFROM || c.kind == Kind.READ;
        byte[] sa = c.kind == Kind.RECVFROM ? new byte[128] : null;
        int[] salen = c.kind == Kind.RECVFROM ? new int[] {-7} : null;
        if (receive && !c.badRange) {
            // the same bytes under both receives: some (MSG_TRUNC on TCP) count bytes without storing them
            direct.put(c.pos, BACKGROUND, 0, len);
            System.arraycopy(BACKGROUND, 0, array, c.pos, len);
        }
        int rc;
        switch (c.kind) {
            case SEND:
                rc = c.direct ? b.sendDirect(fd, direct, c.pos, len, c.flags)
                        : b.sendArray(fd, array, c.pos, len, c.flags);
                break;
            case SENDTO: {
                int[] dl = new int[1];
                byte[] dest = destination(s, c, dl);
                rc = c.direct ? b.sendtoDirect(fd, direct, c.pos, len, c.flags, dest, dl[0])
                        : b.sendtoArray(fd, array, c.pos, len, c.flags, dest, dl[0]);
                break;
            }
            case SOCKOPT: {
                int[] out = {0x7e7e7e7e};
                rc = c.set ? b.setsockoptInt(fd, c.level, c.name, c.value) : b.getsockoptInt(fd, c.level, c.name, out);
                closeMadeByRead(c, rc, out);
                boolean stable = c.level == Posix.SOL_SOCKET && Arrays.asList(Posix.SO_TYPE, Posix.SO_DOMAIN,
                        Posix.SO_PROTOCOL, Posix.SO_REUSEADDR, Posix.SO_KEEPALIVE, Posix.SO_BROADCAST,
                        Posix.SO_OOBINLINE, Posix.SO_SNDBUF, Posix.SO_RCVBUF).contains(c.name);
                // other options may report what differs between two sockets alike (the CPU that last served one)
                return new Outcome(rc, !c.set && rc == 0 && stable ? intBytes(out[0]) : null, 0, null);
            }
            case WRITE:
                rc = c.direct ? b.writeDirect(fd, direct, c.pos, len) : b.writeArray(fd, array, c.pos, len);
                break;
            case READ:
                rc = c.direct ? b.readDirect(fd, direct, c.pos, len) : b.readArray(fd, array, c.pos, len);
                break;
            case ACCEPT:
            case CONNECT:
            case PIPE:
            case CLOEXEC:
            case GETSOCKOPT:
            case POLLSET:
                return descriptorCall(b, s, c);
            case SOCKET:
                rc = b.socket(c.level, c.name, c.value);
                if (rc >= 0) {
                    jni.close(rc);
                    return new Outcome(0, null, 0, null); // two new descriptors need not have the same number
                }
                return new Outcome(rc, null, 0, null);
            default:
                rc = c.direct ? b.recvDirect(fd, direct, c.pos, len, c.flags, sa, salen)
                        : b.recvArray(fd, array, c.pos, len, c.flags, sa, salen);
                break;
        }
        byte[] data = null;
        if (receive && rc > 0) {
            int n = Math.min(rc, len);
            data = new byte[n];
            if (c.direct) {
                direct.get(c.pos, data);
            } else {
                System.arraycopy(array, c.pos, data, 0, n);
            }
        }
        return new Outcome(rc, data, salen == null ? 0 : salen[0], sa);
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).putInt(0, v).array();
    }

    /** What a {@link Kind#GETSOCKOPT} call's array holds where the call wrote nothing. */
    private static final int UNWRITTEN = 0x7e7e7e7e;

    /**
     * Options whose value two sockets made alike share: other options may report what differs between them (the CPU
     * that last served one).
     */
    private static boolean stableOption(int level, int name) {
        return level == Posix.SOL_SOCKET && Arrays.asList(Posix.SO_TYPE, Posix.SO_DOMAIN, Posix.SO_PROTOCOL,
                Posix.SO_REUSEADDR, Posix.SO_KEEPALIVE, Posix.SO_BROADCAST, Posix.SO_OOBINLINE, Posix.SO_SNDBUF,
                Posix.SO_RCVBUF, Posix.SO_ERROR).contains(name);
    }

    /** Linux's {@code SO_PEERPIDFD} (6.5 and later), from the kernel's ABI: a read of it opens a pidfd. */
    private static final int SO_PEERPIDFD = 77;

    /**
     * Closes the descriptor a successful read of {@code SO_PEERPIDFD} opened (the peer's pidfd, whose number is the
     * value read): without this each such read would leave one open.
     */
    private static void closeMadeByRead(Call c, int rc, int[] out) {
        if (!c.set && rc == 0 && c.level == Posix.SOL_SOCKET && c.name == SO_PEERPIDFD && Os.current() == Os.LINUX) {
            ok(jni.close(out[0]), "close the pidfd SO_PEERPIDFD opened");
        }
    }

    private static byte[] ints(int[] a) {
        if (a == null) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(4 * a.length);
        for (int v : a) {
            out.putInt(v);
        }
        return out.array();
    }

    /**
     * A descriptor a call made, as the test compares it (two new descriptors need not have the same number): whether
     * it blocks and whether it is closed on exec, each read through the JNI backend. Then closes it.
     */
    private static byte[] madeAndClosed(int fd) {
        byte[] seen = {(byte) jni.isBlocking(fd), (byte) jni.isCloseOnExec(fd)};
        ok(jni.close(fd), "close a descriptor a call made");
        return seen;
    }

    /** A new socket for one connect, non-blocking so that no connect waits. */
    private static int fresh(Fresh f) {
        int nb = Posix.SOCK_NONBLOCK;
        switch (f) {
            case TCP: return ok(jni.socket(Posix.AF_INET, Posix.SOCK_STREAM | nb, 0), "socket");
            case UDP: return ok(jni.socket(Posix.AF_INET, Posix.SOCK_DGRAM | nb, 0), "socket");
            case UNIX_STREAM: return ok(jni.socket(Posix.AF_UNIX, Posix.SOCK_STREAM | nb, 0), "socket");
            case UNIX_DGRAM: return ok(jni.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM | nb, 0), "socket");
            case UDP6: {
                // -1 on a kernel without IPv6: the connect then says EBADF on both sets alike
                int fd = jni.socket(Posix.AF_INET6, Posix.SOCK_DGRAM | nb, 0);
                return fd >= 0 ? fd : -1;
            }
            default: throw new AssertionError(f);
        }
    }

    /** Makes a call of the kinds that make, wire or look at descriptors on one backend with its own set. */
    private static Outcome descriptorCall(Backend b, Sockets s, Call c) {
        int fd = s.fd(c.target);
        switch (c.kind) {
            case ACCEPT: {
                byte[] sa = c.shape == 1 || c.shape == 2 ? new byte[128] : c.shape == 3 ? new byte[16] : null;
                int[] salen = c.shape == 0 ? null : c.shape == 2 ? new int[0] : new int[] {-7};
                if (sa != null) {
                    Arrays.fill(sa, (byte) 0x5a);
                }
                int rc = b.accept4(fd, c.flags, sa, salen);
                byte[] made = rc >= 0 ? madeAndClosed(rc) : null;
                return new Outcome(Math.min(rc, 0), made, salen == null || salen.length == 0 ? 0 : salen[0], sa);
            }
            case CONNECT: {
                int cfd = c.fresh == Fresh.NONE ? fd : fresh(c.fresh);
                int[] dl = new int[1];
                byte[] dest = destination(s, c, dl);
                try {
                    return new Outcome(b.connect(cfd, dest, dl[0]), null, 0, null);
                } finally {
                    if (c.fresh != Fresh.NONE && cfd >= 0) {
                        jni.close(cfd);
                    }
                }
            }
            case PIPE: {
                int[] fds = c.shape < 0 ? null : new int[c.shape];
                if (fds != null) {
                    Arrays.fill(fds, UNWRITTEN);
                }
                int rc = b.pipe(c.flags, fds);
                if (rc < 0) {
                    return new Outcome(rc, ints(fds), 0, null);
                }
                byte[] ends = new byte[4];
                System.arraycopy(madeAndClosed(fds[0]), 0, ends, 0, 2);
                System.arraycopy(madeAndClosed(fds[1]), 0, ends, 2, 2);
                fds[0] = 0; // the numbers are each set's own
                fds[1] = 0;
                byte[] rest = ints(fds);
                byte[] data = Arrays.copyOf(ends, ends.length + rest.length);
                System.arraycopy(rest, 0, data, ends.length, rest.length);
                return new Outcome(rc, data, 0, null);
            }
            case CLOEXEC: {
                int cfd = c.shape == 1 ? c.value : fd;
                int rc = c.set ? b.setCloseOnExec(cfd, c.flags != 0) : b.isCloseOnExec(cfd);
                // what the kernel holds afterwards, so that a setter that answers 0 without setting shows
                byte[] after = c.set && rc == 0 ? new byte[] {(byte) jni.isCloseOnExec(cfd)} : null;
                return new Outcome(rc, after, 0, null);
            }
            case GETSOCKOPT: {
                int[] out = c.shape < 0 ? null : new int[c.shape];
                if (out != null) {
                    Arrays.fill(out, UNWRITTEN);
                }
                int rc = b.getsockoptInt(fd, c.level, c.name, out);
                closeMadeByRead(c, rc, out);
                if (rc == 0 && out.length > 0 && !stableOption(c.level, c.name)) {
                    out[0] = UNWRITTEN; // written, but with a value two sockets alike may not share
                }
                return new Outcome(rc, ints(out), 0, null);
            }
            case POLLSET:
                return b == jni ? pollModel(s, c) : pollSet(s, c);
            default:
                throw new AssertionError(c.kind);
        }
    }

    private static final int POLLFD = Platform.value("SIZEOF_POLLFD");
    private static final int POLLFD_FD = Platform.value("OFFSETOF_POLLFD_FD");
    private static final int POLLFD_EVENTS = Platform.value("OFFSETOF_POLLFD_EVENTS");
    private static final int POLLFD_REVENTS = Platform.value("OFFSETOF_POLLFD_REVENTS");

    /**
     * The JNI set's side of a POLLSET call: the array of {@code struct pollfd} kept as C keeps it (removal moves the
     * last entry into the gap, {@code fds[i] = fds[--nfds]}), polled through the shim.
     */
    private static Outcome pollModel(Sockets s, Call c) {
        ByteBuffer m = s.pollModel;
        int fd = s.fd(c.target);
        String thrown = "";
        boolean inRange = c.value >= 0 && c.value < s.pollModelSize;
        switch (c.shape) {
            case 0:
                if (s.pollModelSize == POLL_CAPACITY) {
                    thrown = IllegalStateException.class.getSimpleName();
                } else {
                    putPollfd(m, s.pollModelSize++, fd, c.level);
                }
                break;
            case 1:
                if (!inRange) {
                    thrown = IndexOutOfBoundsException.class.getSimpleName();
                } else {
                    int last = --s.pollModelSize;
                    for (int k = 0; k < POLLFD; k++) {
                        m.put(c.value * POLLFD + k, m.get(last * POLLFD + k));
                    }
                }
                break;
            case 2:
                if (!inRange) {
                    thrown = IndexOutOfBoundsException.class.getSimpleName();
                } else {
                    putPollfd(m, c.value, fd, c.level);
                }
                break;
            case 3:
                if (!inRange) {
                    thrown = IndexOutOfBoundsException.class.getSimpleName();
                } else {
                    m.putShort(c.value * POLLFD + POLLFD_EVENTS, (short) c.level);
                }
                break;
            default:
                s.pollModelSize = 0;
                break;
        }
        int rc = jni.poll(m, s.pollModelSize, 0);
        ByteBuffer seen = ByteBuffer.allocate(4 + 12 * s.pollModelSize);
        seen.putInt(thrown.hashCode());
        for (int i = 0; i < s.pollModelSize; i++) {
            seen.putInt(targetOf(s, m.getInt(i * POLLFD + POLLFD_FD)));
            seen.putInt(m.getShort(i * POLLFD + POLLFD_EVENTS) & 0xffff);
            seen.putInt(m.getShort(i * POLLFD + POLLFD_REVENTS) & 0xffff);
        }
        return new Outcome(rc, seen.array(), 0, null);
    }

    private static void putPollfd(ByteBuffer m, int i, int fd, int events) {
        m.putInt(i * POLLFD + POLLFD_FD, fd);
        m.putShort(i * POLLFD + POLLFD_EVENTS, (short) events);
        m.putShort(i * POLLFD + POLLFD_REVENTS, (short) 0);
    }

    /** The other set's side of a POLLSET call: the same change made to a {@link PollSet}, polled through it. */
    private static Outcome pollSet(Sockets s, Call c) {
        if (s.pollSet == null) {
            s.pollSet = new PollSet(POLL_CAPACITY);
        }
        PollSet p = s.pollSet;
        int fd = s.fd(c.target);
        String thrown = "";
        try {
            switch (c.shape) {
                case 0: p.add(fd, c.level); break;
                case 1: p.remove(c.value); break;
                case 2: p.set(c.value, fd, c.level); break;
                case 3: p.setEvents(c.value, c.level); break;
                default: p.clear(); break;
            }
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            thrown = e instanceof IllegalStateException ? IllegalStateException.class.getSimpleName()
                    : IndexOutOfBoundsException.class.getSimpleName();
        }
        int rc = p.tryPoll(0);
        ByteBuffer seen = ByteBuffer.allocate(4 + 12 * p.size());
        seen.putInt(thrown.hashCode());
        for (int i = 0; i < p.size(); i++) {
            seen.putInt(targetOf(s, p.fd(i)));
            seen.putInt(p.events(i));
            seen.putInt(p.revents(i));
        }
        return new Outcome(rc, seen.array(), 0, null);
    }

    /** Which target a set's descriptor is, as the two sets' numbers differ. */
    private static int targetOf(Sockets s, int fd) {
        for (Target t : Target.values()) {
            if (s.fd(t) == fd) {
                return t.ordinal();
            }
        }
        throw new AssertionError("descriptor " + fd + " is no target's");
    }

    /** Accepts (through the JNI backend) and closes every connection waiting on a non-blocking listener. */
    private static void acceptAll(int listener) {
        for (int i = 0; i < 100; i++) {
            int fd = jni.accept4(listener, 0, null, null);
            if (fd < 0) {
                return; // EAGAIN: none left
            }
            jni.close(fd);
        }
        throw new IllegalStateException("listener " + listener + " still had connections after 100 accepts");
    }

    /**
     * Puts a connection on the call's target, when it is a listener, for an accept4 to take: a non-blocking client
     * connects through the JNI backend, and the listener is polled (boundedly) until the connection waits there.
     */
    private static void pending(Sockets s, Call c) {
        boolean tcp = c.target == Target.TCP_LISTENER;
        if (!tcp && c.target != Target.UNIX_LISTENER) {
            return;
        }
        s.client = fresh(tcp ? Fresh.TCP : Fresh.UNIX_STREAM);
        int rc = tcp ? jni.connect(s.client, s.listenerName, 16)
                : jni.connect(s.client, s.unixListenerName, s.unixListenerNameLen);
        if (rc < 0 && rc != -Errno.EINPROGRESS.number()) {
            throw new IllegalStateException("connect to " + c.target + " failed: " + describe(rc) + ", " + c);
        }
        ByteBuffer pfd = ByteBuffer.allocateDirect(POLLFD).order(ByteOrder.nativeOrder());
        putPollfd(pfd, 0, s.fd(c.target), Posix.POLLIN);
        for (int i = 0; i < 10; i++) {
            if (jni.poll(pfd, 1, 1000) > 0) {
                return;
            }
        }
        throw new IllegalStateException("no connection waited on " + c.target + " within 10 s, " + c);
    }

    /** What an outcome's bytes are, for the kinds whose bytes are not received data. */
    private static final Map<Kind, String> DATA_MEANS = Map.of(
            Kind.ACCEPT, "the new socket's blocking and close-on-exec flags (read through the shim)",
            Kind.CONNECT, "(nothing)",
            Kind.PIPE, "the ends' blocking and close-on-exec flags, then the array's ints past the two ends",
            Kind.CLOEXEC, "the close-on-exec flag the kernel holds afterwards",
            Kind.GETSOCKOPT, "the array's ints",
            Kind.POLLSET, "the hash of what the edit threw, then each entry's target, events and revents");

    /** The first difference between two outcomes of the same call, or null. */
    private static String difference(Call c, Outcome a, Outcome b, String otherName) {
        boolean tcpSend = (c.kind == Kind.SEND || c.kind == Kind.SENDTO || c.kind == Kind.WRITE)
                && (c.target == Target.TCP || c.target == Target.TCP_PEER);
        if (tcpSend && a.rc >= 0 && b.rc >= 0 && (a.rc == 0) == (b.rc == 0)) {
            return null; // how much a TCP send takes depends on acknowledgements, not on the backend
        }
        if (pathMtuRead(c) && Math.min(a.rc, b.rc) == -Errno.ENOTCONN.number() && Math.max(a.rc, b.rc) >= 0) {
            // the path MTU is read from the socket's cached route: an earlier random option (IP_TOS, SO_MARK, ...)
            // drops it, and it comes back only when that socket next transmits, on each socket at its own time
            return null;
        }
        if (a.rc != b.rc) {
            return "result " + describe(a.rc) + " (jni) vs " + describe(b.rc) + " (" + otherName + ")";
        }
        if (!Arrays.equals(a.data, b.data)) {
            if (c.kind.ordinal() >= Kind.ACCEPT.ordinal()) {
                return DATA_MEANS.get(c.kind) + " differ: " + Arrays.toString(a.data) + " (jni) vs "
                        + Arrays.toString(b.data) + " (" + otherName + ")";
            }
            return "bytes received differ";
        }
        if (a.salen != b.salen) {
            return "address length " + a.salen + " (jni) vs " + b.salen + " (" + otherName + ")";
        }
        if (a.sa != null && a.rc >= 0) {
            byte[] x = a.sa.clone();
            byte[] y = b.sa.clone();
            if (a.salen == 16 && x[0] == Posix.AF_INET) {
                x[2] = x[3] = y[2] = y[3] = 0; // each set has its own ports
            }
            if (!Arrays.equals(x, y)) {
                return "sender address differs: " + Arrays.toString(a.sa) + " vs " + Arrays.toString(b.sa);
            }
        }
        return null;
    }

    /**
     * A {@code getsockopt} of {@code IP_MTU} or {@code IPV6_MTU}, which Linux answers from the socket's cached route.
     */
    private static boolean pathMtuRead(Call c) {
        return (c.kind == Kind.SOCKOPT || c.kind == Kind.GETSOCKOPT) && !c.set
                && ((c.level == Posix.IPPROTO_IP && c.name == Posix.IP_MTU)
                        || (c.level == Posix.IPPROTO_IPV6 && c.name == Posix.IPV6_MTU));
    }

    private static String describe(int rc) {
        if (rc >= 0) {
            return Integer.toString(rc);
        }
        Errno e = Errno.fromNumber(-rc);
        return "-" + (e != null ? e.name() : "errno " + -rc);
    }

    private void compare(Kind kind) {
        assumeTrue(other.name().equals(Posix.backendName()), "each Java-side backend is compared with the shim once,"
                + " in its own conformance run (-Dposixsend.backend=" + other.name() + ")");
        Random r = new Random(SEED ^ kind.ordinal() * 0x9E3779B97F4A7C15L);
        ByteBuffer directA = ByteBuffer.allocateDirect(MAX + 64);
        ByteBuffer directB = ByteBuffer.allocateDirect(MAX + 64);
        byte[] arrayA = new byte[MAX + 64];
        byte[] arrayB = new byte[MAX + 64];
        ByteBuffer scratch = ByteBuffer.allocateDirect(MAX + 64);
        long deadline = System.nanoTime() + TIME_PER_KIND_NANOS;
        int done = 0;
        int[] successes = new int[1];
        int calls = kind == Kind.ACCEPT || kind == Kind.CONNECT || kind == Kind.PIPE ? DESCRIPTOR_CALLS
                : kind.ordinal() >= Kind.ACCEPT.ordinal() ? OTHER_DESCRIPTOR_CALLS : CALLS;
        Set<String> before = MadeDescriptors.now();
        for (int i = 0; i < calls && System.nanoTime() < deadline; i++) {
            Call c = randomCall(r, kind, i);
            if (jni.isBlocking(closedFd) != -Errno.EBADF.number()) {
                fail("descriptor " + closedFd + " was reused by the JVM meanwhile; seed " + SEED);
            }
            if (c.prefill >= 0) {
                byte[] data = new byte[c.prefill];
                r.nextBytes(data);
                prefill(forJni, c, data);
                prefill(forOther, c, data);
            }
            if (c.kind == Kind.ACCEPT && c.set) {
                pending(forJni, c);
                pending(forOther, c);
            }
            Outcome a = run(jni, forJni, c, directA, arrayA);
            Outcome b = run(other, forOther, c, directB, arrayB);
            forJni.drainAfter(c, scratch);
            forOther.drainAfter(c, scratch);
            String diff = difference(c, a, b, other.name());
            if (diff != null) {
                fail("jni and " + other.name() + " differ with seed " + SEED + " (-Dposixsend.fuzz.seed=" + SEED
                        + "), " + c + ": " + diff);
            }
            if (kind == Kind.POLLSET ? a.rc > 0 : a.rc >= 0) {
                successes[0]++; // for POLLSET: polls that found an entry ready
            }
            done++;
        }
        Set<String> after = MadeDescriptors.now();
        after.removeAll(before);
        assertTrue(after.isEmpty(), "descriptors the calls made are still open: " + after + ", seed " + SEED);
        System.out.println("RandomCallsMatchTest " + other.name() + " " + kind + ": " + done + " calls alike ("
                + successes[0] + " succeeded), seed " + SEED);
        assertTrue(successes[0] > 0 && successes[0] < done, "calls must both succeed and fail: " + successes[0]);
    }


    /**
     * The case that made the backends differ: with bit 31 ({@code MSG_CMSG_COMPAT} on Linux) sendto and recvfrom
     * succeed, and on descriptor -1 they say {@code EBADF}, on both backends, because both make the real calls.
     */
    @Test
    void bit31IsTheKernelsAnswerOnBoth() {
        int bit31 = 1 << 31 | MsgFlag.MSG_DONTWAIT.value();
        byte[] data = {1, 2, 3, 4, 5};
        byte[] sa = new byte[128];
        int[] salen = new int[1];
        for (Backend b : List.of(jni, other)) {
            Sockets s = b == jni ? forJni : forOther;
            String who = b.name() + ": ";
            int ebadf = -Errno.EBADF.number();
            assertEquals(ebadf, b.sendtoArray(-1, data, 0, 5, bit31, s.udpPeerName, 16), who + "sendto -1");
            assertEquals(ebadf, b.recvArray(-1, data, 0, 5, bit31, sa, salen), who + "recvfrom -1");
            assertEquals(5, b.sendtoArray(s.udpBound, data, 0, 5, bit31, s.udpPeerName, 16), who + "sendto");
            awaitReadable(s.udpPeer, 5, null);
            byte[] got = new byte[5];
            assertEquals(5, b.recvArray(s.udpPeer, got, 0, 5, bit31, sa, salen), who + "recvfrom");
            assertArrayEquals(data, got, who + "bytes");
            assertEquals(16, salen[0], who + "sender's address length");
            assertEquals(portOf(s.udpBoundName), portOf(sa), who + "sender's port");
        }
    }

    @Test
    void send() {
        compare(Kind.SEND);
    }

    @Test
    void sendto() {
        compare(Kind.SENDTO);
    }

    @Test
    void recv() {
        compare(Kind.RECV);
    }

    @Test
    void recvfrom() {
        compare(Kind.RECVFROM);
    }

    @Test
    void sockopt() {
        compare(Kind.SOCKOPT);
    }

    @Test
    void socket() {
        compare(Kind.SOCKET);
    }

    @Test
    void read() {
        compare(Kind.READ);
    }

    @Test
    void write() {
        compare(Kind.WRITE);
    }

    @Test
    void accept4() {
        compare(Kind.ACCEPT);
    }

    @Test
    void connect() {
        compare(Kind.CONNECT);
    }

    @Test
    void pipe2() {
        compare(Kind.PIPE);
    }

    @Test
    void closeOnExec() {
        compare(Kind.CLOEXEC);
    }

    @Test
    void getsockoptIntoArraysOfAnyLength() {
        compare(Kind.GETSOCKOPT);
    }

    @Test
    void pollSetEdits() {
        compare(Kind.POLLSET);
    }
}

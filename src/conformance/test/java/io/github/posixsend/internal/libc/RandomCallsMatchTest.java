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
import io.github.posixsend.Posix;
import io.github.posixsend.internal.Backend;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import io.github.posixsend.testing.SideBySide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each Java-side backend (JNR, and FFM on JDK 22 and later) gives the same result as the JNI shim for the same
 * call: send, sendto, recv and recvfrom with random flags (any of the 32 bits, bit 31 included), read and write,
 * each on random descriptors (-1, a closed number, a regular file, a pipe's two ends, UDP, TCP and Unix sockets,
 * connected or not) with random sizes up to 64 KiB, and int socket options and socket() with random arguments,
 * compared call by call.
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

    private enum Kind { SEND, SENDTO, RECV, RECVFROM, SOCKOPT, SOCKET, READ, WRITE }

    /** The bytes each set's file starts with: a read there finds the same bytes in both sets. */
    private static final int FILE_SIZE = 4 * MAX;

    /** What a call is made on. */
    private enum Target {
        MINUS_ONE, CLOSED, FILE, PIPE_WRITE, PIPE_READ, UDP_CONNECTED, UDP_BOUND, UDP_PEER, TCP, TCP_PEER,
        TCP_LISTENER, UNIX_STREAM, UNIX_STREAM_PEER, UNIX_DGRAM, UNIX_DGRAM_PEER, UNIX_DGRAM_NAMED
    }

    /** Where a sendto goes. */
    private enum Dest { UDP_PEER, UDP_BOUND, UNIX_NAMED, INET6, UNSPEC, SHORT }

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

        Sockets(String tag) throws Exception {
            udpPeer = bound(Posix.SOCK_DGRAM, udpPeerName);
            udpBound = bound(Posix.SOCK_DGRAM, udpBoundName);
            udpConnected = open(Posix.AF_INET, Posix.SOCK_DGRAM);
            ok(jni.connect(udpConnected, udpPeerName, 16), "connect udp");

            byte[] lname = new byte[128];
            listener = bound(Posix.SOCK_STREAM, lname);
            ok(jni.listen(listener, 4), "listen");
            tcp = open(Posix.AF_INET, Posix.SOCK_STREAM);
            ok(jni.connect(tcp, lname, 16), "connect tcp");
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
            } else if (c.kind == Kind.RECV || c.kind == Kind.RECVFROM || c.kind == Kind.READ) {
                drain(fd(c.target), scratch);
            }
            drainPipe(pipeReadFd, scratch); // a write on the pipe, or a prefill a call did not read
        }

        void close() throws IOException {
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

    /** The arguments of one call, the same for both backends apart from each one's own descriptors. */
    private record Call(int index, Kind kind, Target target, int flags, int len, int pos, boolean direct,
            Dest dest, int destLen, boolean badRange, int prefill, int level, int name, int value, boolean set) {
        @Override
        public String toString() {
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
        Dest dest = Dest.values()[r.nextInt(Dest.values().length)];
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
        return new Call(index, kind, t, flags(r), len, pos, r.nextBoolean(), dest, destLen, badRange, prefill,
                level, name, value, r.nextBoolean());
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
        return c.kind == Kind.SOCKOPT && !c.set
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
        for (int i = 0; i < CALLS && System.nanoTime() < deadline; i++) {
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
            Outcome a = run(jni, forJni, c, directA, arrayA);
            Outcome b = run(other, forOther, c, directB, arrayB);
            forJni.drainAfter(c, scratch);
            forOther.drainAfter(c, scratch);
            String diff = difference(c, a, b, other.name());
            if (diff != null) {
                fail("jni and " + other.name() + " differ with seed " + SEED + " (-Dposixsend.fuzz.seed=" + SEED
                        + "), " + c + ": " + diff);
            }
            if (a.rc >= 0) {
                successes[0]++;
            }
            done++;
        }
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
}

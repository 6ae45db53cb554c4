// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.Channel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Each bad input gets the Java exception a Java user expects, thrown before native code runs
 * (the target is a connected socket, so a call that reached the kernel would deliver a datagram); bad
 * descriptors get the kernel's EBADF/ENOTSOCK; a million mixed bad calls leave the JVM alive.
 */
class BadInputTest {
    /** A kind of SocketAddress posix-send cannot convert. */
    private static final class OddAddress extends SocketAddress {
        private static final long serialVersionUID = 1L;
    }

    private static final class Bad {
        final String name;
        final Class<? extends Throwable> expected;
        final Executable call;

        Bad(String name, Class<? extends Throwable> expected, Executable call) {
            this.name = name;
            this.expected = expected;
            this.call = call;
        }
    }

    /**
     * Bad calls on {@code fd} (connected, non-blocking) that Java must refuse before any native code; those with a
     * good buffer and a bad address send {@code buf}, which the caller then finds untouched.
     */
    private static List<Bad> badCalls(int fd, ByteBuffer buf) throws Exception {
        byte[] a10 = new byte[10];
        ByteBuffer readOnly = ByteBuffer.allocate(10).asReadOnlyBuffer();
        ByteBuffer readOnlyDirect = ByteBuffer.allocateDirect(10).asReadOnlyBuffer();
        SocketAddress dest = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        SocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", 9);
        SocketAddress longPath = UnixDomainSocketAddress.of("/tmp/" + "p".repeat(200));
        SocketAddress odd = new OddAddress();
        Class<NullPointerException> npe = NullPointerException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        List<Bad> l = new ArrayList<>();
        l.add(new Bad("send null buffer", npe, () -> Posix.send(fd, (ByteBuffer) null, 0)));
        l.add(new Bad("send null array", npe, () -> Posix.send(fd, (byte[]) null, 0, 1, 0)));
        l.add(new Bad("send off -1", ioobe, () -> Posix.send(fd, a10, -1, 1, 0)));
        l.add(new Bad("send len past end", ioobe, () -> Posix.send(fd, a10, 0, 11, 0)));
        l.add(new Bad("send len -1", ioobe, () -> Posix.send(fd, a10, 5, -1, 0)));
        l.add(new Bad("send off+len overflows", ioobe, () -> Posix.send(fd, a10, 1, Integer.MAX_VALUE, 0)));
        l.add(new Bad("send off past end", ioobe, () -> Posix.send(fd, a10, 11, 0, 0)));
        l.add(new Bad("trySend null buffer", npe, () -> Posix.trySend(fd, (ByteBuffer) null, 0)));
        l.add(new Bad("trySend null array", npe, () -> Posix.trySend(fd, (byte[]) null, 0, 0, 0)));
        l.add(new Bad("trySend min, min", ioobe,
                () -> Posix.trySend(fd, a10, Integer.MIN_VALUE, Integer.MIN_VALUE, 0)));
        l.add(new Bad("sendto null buffer", npe, () -> Posix.sendto(fd, (ByteBuffer) null, 0, dest)));
        l.add(new Bad("sendto null address", npe, () -> Posix.sendto(fd, buf, 0, (SocketAddress) null)));
        l.add(new Bad("sendto null array", npe, () -> Posix.sendto(fd, (byte[]) null, 0, 1, 0, dest)));
        l.add(new Bad("sendto array null address", npe, () -> Posix.sendto(fd, a10, 0, 1, 0, (SocketAddress) null)));
        l.add(new Bad("sendto len past end", ioobe, () -> Posix.sendto(fd, a10, 0, 11, 0, dest)));
        l.add(new Bad("sendto unresolved", UnresolvedAddressException.class,
                () -> Posix.sendto(fd, buf, 0, unresolved)));
        l.add(new Bad("sendto array unresolved", UnresolvedAddressException.class,
                () -> Posix.sendto(fd, a10, 0, 1, 0, unresolved)));
        l.add(new Bad("sendto Unix path too long", IllegalArgumentException.class,
                () -> Posix.sendto(fd, buf, 0, longPath)));
        l.add(new Bad("sendto unsupported address", UnsupportedAddressTypeException.class,
                () -> Posix.sendto(fd, buf, 0, odd)));
        l.add(new Bad("trySendto null address", npe, () -> Posix.trySendto(fd, buf, 0, (SocketAddress) null)));
        SockAddrBuffer none = new SockAddrBuffer(); // no receive filled it: no address to send to
        Class<IllegalArgumentException> noAddress = IllegalArgumentException.class;
        l.add(new Bad("sendto null SockAddrBuffer", npe, () -> Posix.sendto(fd, buf, 0, (SockAddrBuffer) null)));
        l.add(new Bad("sendto array null SockAddrBuffer", npe,
                () -> Posix.sendto(fd, a10, 0, 1, 0, (SockAddrBuffer) null)));
        l.add(new Bad("trySendto null SockAddrBuffer", npe,
                () -> Posix.trySendto(fd, buf, 0, (SockAddrBuffer) null)));
        l.add(new Bad("trySendto array null SockAddrBuffer", npe,
                () -> Posix.trySendto(fd, a10, 0, 1, 0, (SockAddrBuffer) null)));
        l.add(new Bad("sendto empty SockAddrBuffer", noAddress, () -> Posix.sendto(fd, buf, 0, none)));
        l.add(new Bad("sendto array empty SockAddrBuffer", noAddress, () -> Posix.sendto(fd, a10, 0, 1, 0, none)));
        l.add(new Bad("trySendto empty SockAddrBuffer", noAddress, () -> Posix.trySendto(fd, buf, 0, none)));
        l.add(new Bad("trySendto array empty SockAddrBuffer", noAddress,
                () -> Posix.trySendto(fd, a10, 0, 1, 0, none)));
        l.add(new Bad("trySendto array past end, SockAddrBuffer", ioobe,
                () -> Posix.trySendto(fd, a10, 0, 11, 0, none)));
        l.add(new Bad("trySendto unresolved", UnresolvedAddressException.class,
                () -> Posix.trySendto(fd, a10, 0, 1, 0, unresolved)));
        l.add(new Bad("trySendto off -1", ioobe, () -> Posix.trySendto(fd, a10, -1, 1, 0, dest)));
        l.add(new Bad("trySendto unsupported", UnsupportedAddressTypeException.class,
                () -> Posix.trySendto(fd, a10, 0, 1, 0, odd)));
        l.add(new Bad("recv read-only heap", ReadOnlyBufferException.class, () -> Posix.recv(fd, readOnly, 0)));
        l.add(new Bad("recv read-only direct", ReadOnlyBufferException.class, () -> Posix.recv(fd, readOnlyDirect, 0)));
        l.add(new Bad("recvfrom read-only", ReadOnlyBufferException.class, () -> Posix.recvfrom(fd, readOnly, 0)));
        l.add(new Bad("recv null buffer", npe, () -> Posix.recv(fd, (ByteBuffer) null, 0)));
        l.add(new Bad("recv null array", npe, () -> Posix.recv(fd, (byte[]) null, 0, 1, 0)));
        l.add(new Bad("recv len past end", ioobe, () -> Posix.recv(fd, a10, 3, 8, 0)));
        l.add(new Bad("recvfrom null buffer", npe, () -> Posix.recvfrom(fd, null, 0)));
        // C's vlen outside 0..size, refused before the system call, whose batch would send buf if it went on
        MessageBatch batch = new MessageBatch(4).add(Message.of(buf)).add(Message.of(buf.duplicate()));
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        for (int vlen : new int[] {3, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            l.add(new Bad("sendmmsg vlen " + vlen, iae, () -> Posix.sendmmsg(fd, batch, vlen, 0)));
            l.add(new Bad("trySendmmsg vlen " + vlen, iae, () -> Posix.trySendmmsg(fd, batch, vlen, 0)));
            l.add(new Bad("recvmmsg vlen " + vlen, iae, () -> Posix.recvmmsg(fd, batch, vlen, 0)));
            l.add(new Bad("tryRecvmmsg vlen " + vlen, iae,
                    () -> Posix.tryRecvmmsg(fd, batch, vlen, 0, java.time.Duration.ZERO)));
        }
        // C's msgvec + off: an off and vlen that are not a range of the batch, a sum that overflows among them
        int[][] ranges = {{-1, 1}, {1, 2}, {3, 0}, {1, Integer.MAX_VALUE}, {Integer.MAX_VALUE, 1},
            {Integer.MIN_VALUE, 0}};
        for (int[] r : ranges) {
            String range = " off " + r[0] + " vlen " + r[1];
            l.add(new Bad("sendmmsgAt" + range, iae, () -> Posix.sendmmsgAt(fd, batch, r[0], r[1], 0)));
            l.add(new Bad("trySendmmsgAt" + range, iae, () -> Posix.trySendmmsgAt(fd, batch, r[0], r[1], 0)));
            l.add(new Bad("recvmmsgAt" + range, iae, () -> Posix.recvmmsgAt(fd, batch, r[0], r[1], 0)));
            l.add(new Bad("tryRecvmmsgAt" + range, iae,
                    () -> Posix.tryRecvmmsgAt(fd, batch, r[0], r[1], 0, java.time.Duration.ZERO)));
        }
        l.add(new Bad("sendmmsgAt of a null batch", npe, () -> Posix.sendmmsgAt(fd, null, 0, 0, 0)));
        l.add(new Bad("sendmmsg vlen of a null batch", npe, () -> Posix.sendmmsg(fd, null, 0, 0)));
        l.add(new Bad("tryRecvmmsg vlen of a null batch", npe, () -> Posix.tryRecvmmsg(fd, null, 0, 0)));
        l.add(new Bad("bind null", npe, () -> Posix.bind(fd, null)));
        l.add(new Bad("connect unresolved", UnresolvedAddressException.class, () -> Posix.connect(fd, unresolved)));
        l.add(new Bad("connect unsupported", UnsupportedAddressTypeException.class, () -> Posix.connect(fd, odd)));
        l.add(new Bad("tryConnect null address", npe, () -> Posix.tryConnect(fd, null)));
        l.add(new Bad("tryConnect unresolved", UnresolvedAddressException.class,
                () -> Posix.tryConnect(fd, unresolved)));
        l.add(new Bad("tryConnect unsupported", UnsupportedAddressTypeException.class,
                () -> Posix.tryConnect(fd, odd)));
        l.add(new Bad("tryConnect Unix path too long", IllegalArgumentException.class,
                () -> Posix.tryConnect(fd, longPath)));
        l.add(new Bad("accept null peer", npe, () -> Posix.accept(fd, 0, null)));
        l.add(new Bad("accept unsupported flags", UnsupportedOperationException.class,
                () -> Posix.accept(fd, Posix.UNSUPPORTED)));
        l.add(new Bad("tryAccept unsupported flags", UnsupportedOperationException.class,
                () -> Posix.tryAccept(fd, Posix.UNSUPPORTED, null)));
        l.add(new Bad("bind Unix path too long", IllegalArgumentException.class, () -> Posix.bind(fd, longPath)));
        l.add(new Bad("SockAddr.of null", npe, () -> SockAddr.of(null)));
        l.add(new Bad("SockAddr.of unresolved", UnresolvedAddressException.class, () -> SockAddr.of(unresolved)));
        l.add(new Bad("fd of null channel", npe, () -> Posix.fd((Channel) null)));
        l.add(new Bad("fd of null FileDescriptor", npe, () -> Posix.fd((FileDescriptor) null)));
        l.add(new Bad("mask with null", npe, () -> MsgFlag.mask((MsgFlag) null)));
        l.add(new Bad("setsockopt unsupported name", UnsupportedOperationException.class,
                () -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.UNSUPPORTED, 1)));
        l.add(new Bad("socket unsupported type", UnsupportedOperationException.class,
                () -> Posix.socket(Posix.AF_INET, Posix.UNSUPPORTED, 0)));
        if (Os.current() == Os.LINUX) {
            int room = io.github.posixsend.internal.Platform.value("SIZEOF_SUN_PATH") - 1;
            l.add(new Bad("abstract name too long", IllegalArgumentException.class,
                    () -> SockAddr.abstractUnix("a".repeat(room + 1))));
            l.add(new Bad("abstract name null", npe, () -> SockAddr.abstractUnix((String) null)));
        }
        return l;
    }

    /** A constant the platform lacks is named by what it is in the call, and the platform by its own name. */
    @Test
    void anUnsupportedConstantIsNamedByItsPlaceInTheCall() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            String os = Os.current() == Os.LINUX ? "Linux" : "NetBSD";
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.UNSUPPORTED, 1));
            assertEquals("setsockopt: name is Posix.UNSUPPORTED, a constant " + os + " does not define"
                    + " (Posix.isSupported tells)", e.getMessage());
            e = assertThrows(UnsupportedOperationException.class,
                    () -> Posix.getsockopt(fd, Posix.UNSUPPORTED, Posix.SO_TYPE));
            assertTrue(e.getMessage().startsWith("getsockopt: level is Posix.UNSUPPORTED"), e.getMessage());
            e = assertThrows(UnsupportedOperationException.class,
                    () -> Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, Posix.UNSUPPORTED));
            assertTrue(e.getMessage().startsWith("socket: protocol is Posix.UNSUPPORTED"), e.getMessage());
        }
    }

    /** A range outside the array is named by the call that refused it, as C's caller would look for it. */
    @Test
    void aRangeOutsideTheArrayNamesTheCall() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            byte[] ten = new byte[10];
            SockAddrBuffer from = new SockAddrBuffer();
            SocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
            List<String> calls = List.of("send", "send", "sendto", "recv", "recv", "recvfrom", "read", "write");
            List<Executable> made = List.of(() -> Posix.trySend(fd, ten, 5, 10, 0),
                    () -> Posix.send(fd, ten, 5, 10, 0), () -> Posix.trySendto(fd, ten, 5, 10, 0, to),
                    () -> Posix.tryRecv(fd, ten, 5, 10, 0), () -> Posix.recv(fd, ten, 5, 10, 0),
                    () -> Posix.tryRecvfrom(fd, ten, 5, 10, 0, from), () -> Posix.tryRead(fd, ten, 5, 10),
                    () -> Posix.tryWrite(fd, ten, 5, 10));
            for (int i = 0; i < calls.size(); i++) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, made.get(i));
                assertEquals(calls.get(i) + ": range [5, 5 + 10) out of bounds for length 10", e.getMessage());
            }
            assertThrows(IndexOutOfBoundsException.class, () -> Posix.tryRecv(fd, ten, -1, 1, 0), "negative offset");
            assertThrows(IndexOutOfBoundsException.class, () -> Posix.tryRecv(fd, ten, 0, -1, 0), "negative length");
            assertThrows(IndexOutOfBoundsException.class, () -> Posix.tryRecv(fd, ten, 1, Integer.MAX_VALUE, 0));
            assertEquals(-Errno.EAGAIN.number(), Posix.tryRecv(fd, ten, 10, 0, MsgFlag.MSG_DONTWAIT.value()),
                    "an empty range at the end is in bounds");
        }
    }

    @Test
    void aNegativeTimeoutNamesTheOption() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, java.time.Duration.ofSeconds(-1)));
            assertEquals("setsockopt(SOL_SOCKET, SO_RCVTIMEO): a negative timeout: PT-1S", e.getMessage());
        }
    }

    @Test
    void eachBadInputThrowsItsJavaExceptionBeforeNativeCode() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setBlocking(p.a, false);
            ByteBuffer buf = ByteBuffer.wrap(new byte[] {1, 2, 3});
            for (Bad b : badCalls(p.a, buf)) {
                Throwable t = assertThrows(b.expected, b.call, b.name);
                // the kernel's refusals come as an ErrnoException or, for a few, as an IllegalArgumentException
                // whose cause is one: neither may appear
                Throwable c = t;
                for (int depth = 0; depth < 10 && c != null; depth++, c = c.getCause()) {
                    assertFalse(c instanceof ErrnoException, b.name + " reached the kernel: " + t);
                }
                assertEquals(0, buf.position(), b.name + " moved the buffer");
                assertEquals(3, buf.limit(), b.name + " moved the buffer's limit");
            }
            assertNull(SocketIo.receive(p.b, 100, 20), "a refused call sent something");
        }
    }

    @Test
    void limitsAreExactlyThePlatformsOwn() throws Exception {
        int room = io.github.posixsend.internal.Platform.value("SIZEOF_SUN_PATH") - 1;
        try (Descriptors fds = new Descriptors()) {
            // the longest path that fits converts; one byte more is refused in Java
            String dir = "/tmp/";
            SockAddr longest = SockAddr.of(UnixDomainSocketAddress.of(dir + "q".repeat(room - dir.length())));
            assertEquals(Posix.AF_UNIX, longest.family());
            assertThrows(IllegalArgumentException.class,
                    () -> SockAddr.of(UnixDomainSocketAddress.of(dir + "q".repeat(room - dir.length() + 1))));
            if (Os.current() == Os.LINUX) {
                assertTrue(SockAddr.abstractUnix("z".repeat(room)).isAbstractUnix());
            } else {
                assertThrows(UnsupportedOperationException.class, () -> SockAddr.abstractUnix("z"));
            }
        }
    }

    @Test
    void badDescriptorsGetTheKernelsAnswer() throws Exception {
        for (int fd : new int[] {-1, -1000, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(Errno.EBADF, assertThrows(BadDescriptorException.class,
                    () -> Posix.send(fd, ByteBuffer.allocateDirect(1), 0)).errno());
            assertEquals(Errno.EBADF, assertThrows(BadDescriptorException.class,
                    () -> Posix.send(fd, new byte[1], 0, 1, 0)).errno());
            assertEquals(Errno.EBADF, assertThrows(BadDescriptorException.class,
                    () -> Posix.recv(fd, ByteBuffer.allocate(1), 0)).errno());
            assertEquals(-Errno.EBADF.number(), Posix.trySendto(fd, ByteBuffer.allocate(1), 0,
                    SockAddr.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9))));
            assertEquals(Errno.EBADF, assertThrows(BadDescriptorException.class,
                    () -> Posix.shutdown(fd, Posix.SHUT_RDWR)).errno());
            assertEquals(Errno.EBADF, assertThrows(BadDescriptorException.class, () -> Posix.getsockname(fd)).errno());
        }
    }

    @Test
    void addressFamilyTheSocketCannotUseIsAnIllegalArgument() throws Exception {
        // The kernel refuses it (nothing is sent); the throwing calls then name the mismatch as a Java user expects,
        // with the kernel's errno as the cause, and the non-throwing form keeps the plain -errno.
        try (Descriptors fds = new Descriptors()) {
            int v4 = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            int rx = fds.boundUdp(false);
            InetSocketAddress v6 = new InetSocketAddress("::1", 9);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Posix.sendto(v4, ByteBuffer.allocate(1), 0, v6));
            assertEquals("sendto: an AF_INET6 address cannot be used on an AF_INET socket", e.getMessage());
            ErrnoException cause = assertInstanceOf(ErrnoException.class, e.getCause());
            assertTrue(cause.errno() == Errno.EAFNOSUPPORT || cause.errno() == Errno.EINVAL, cause.toString());
            assertThrows(IllegalArgumentException.class, () -> Posix.sendto(v4, new byte[1], 0, 1, 0, v6));
            assertThrows(IllegalArgumentException.class, () -> Posix.connect(v4, v6));
            assertThrows(IllegalArgumentException.class, () -> Posix.sendmsg(v4,
                    Message.of(ByteBuffer.allocateDirect(1)).destination(v6), 0));
            int v6fd = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            assertThrows(IllegalArgumentException.class, () -> Posix.bind(v6fd, Descriptors.loopback(false)));
            assertEquals(-cause.errnoNumber(), Posix.trySendto(v4, ByteBuffer.allocate(1), 0, v6));
            assertNull(SocketIo.receive(rx, 16, 20), "nothing may have been sent anywhere");
            // an address the socket can use but the kernel still refuses keeps its ErrnoException
            ErrnoException plain = assertThrows(ErrnoException.class,
                    () -> Posix.sendto(v4, ByteBuffer.allocate(1), MsgFlag.MSG_OOB.value(), Descriptors.addressOf(rx)));
            assertEquals(Errno.EOPNOTSUPP, plain.errno());
        }
    }

    @Test
    void anIpv6DatagramSocketsOtherEinvalWithAnIpv4AddressStaysTheKernels() throws Exception {
        // Linux's IPv6 UDP sockets send to IPv4 addresses: an EINVAL there is about something else (here a segment
        // size that gives a 1000-byte send 1000 segments), not the family, and is thrown as the kernel's error
        assumeTrue(Posix.UDP_SEGMENT != Posix.UNSUPPORTED, "UDP_SEGMENT is Linux's");
        try (Descriptors fds = new Descriptors()) {
            int v6 = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            int rx = fds.boundUdp(false);
            InetSocketAddress to = Descriptors.addressOf(rx);
            assertEquals(1, Posix.sendto(v6, new byte[1], 0, 1, 0, to), "an IPv4 destination is taken");
            assertArrayEquals(new byte[1], SocketIo.receive(rx, 16, 2000));
            Posix.setsockopt(v6, Posix.SOL_UDP, Posix.UDP_SEGMENT, 1);
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> Posix.sendto(v6, new byte[1000], 0, 1000, 0, to));
            assertEquals("sendto: EINVAL (Invalid argument)", e.getMessage());
            assertThrows(InvalidArgumentException.class, () -> Posix.sendmsg(v6,
                    Message.of(ByteBuffer.allocateDirect(1000)).destination(to), 0));
        }
    }

    @Test
    void anIpv4AddressRefusedForIpv6OnlyIsNamedSo() throws Exception {
        // Linux's IPv6 UDP socket connects to an IPv4 address unless IPV6_V6ONLY is set: that option is the cause the
        // message names; an IPv6 TCP socket never takes one, whatever the option, and its message names the families
        assumeTrue(Os.current() == Os.LINUX, "Linux's dual-stack datagram sockets");
        try (Descriptors fds = new Descriptors()) {
            InetSocketAddress v4 = Descriptors.addressOf(fds.boundUdp(false));
            int udp = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(udp, Posix.IPPROTO_IPV6, Posix.IPV6_V6ONLY, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Posix.connect(udp, v4));
            assertEquals("connect: an AF_INET address cannot be used on an AF_INET6 socket limited to IPv6"
                    + " (IPV6_V6ONLY)", e.getMessage());
            assertEquals(Errno.EAFNOSUPPORT, assertInstanceOf(ErrnoException.class, e.getCause()).errno());
            int dual = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(dual, Posix.IPPROTO_IPV6, Posix.IPV6_V6ONLY, 0);
            Posix.connect(dual, v4); // without the option, taken
            int bound = fds.socket(Posix.AF_INET6, Posix.SOCK_DGRAM);
            Posix.setsockopt(bound, Posix.IPPROTO_IPV6, Posix.IPV6_V6ONLY, 1);
            IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                    () -> Posix.bind(bound, Descriptors.loopback(false)));
            assertEquals("bind: an AF_INET address cannot be used on an AF_INET6 socket", b.getMessage(),
                    "bind refuses one whatever the option says: it is not named");
            int tcp = fds.socket(Posix.AF_INET6, Posix.SOCK_STREAM);
            IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Posix.connect(tcp, v4));
            assertEquals("connect: an AF_INET address cannot be used on an AF_INET6 socket", t.getMessage());
        }
    }

    @Test
    void anIpv6PingSocketStillNamesAnIpv4AddressItCannotUse() throws Exception {
        // an ICMPv6 ping socket is a datagram socket limited to IPv6: its EINVAL for an IPv4 address is the family's
        assumeTrue(Os.current() == Os.LINUX, "Linux's ping sockets");
        try (Descriptors fds = new Descriptors()) {
            int ping;
            try {
                ping = fds.track(Posix.socket(Posix.AF_INET6, Posix.SOCK_DGRAM, Posix.IPPROTO_ICMPV6));
            } catch (ErrnoException e) {
                assumeTrue(false, "ping sockets are not open to this process's group (net.ipv4.ping_group_range): "
                        + e.getMessage());
                return;
            }
            byte[] echo = {(byte) 128, 0, 0, 0, 0, 0, 0, 0};
            InetSocketAddress v4 = new InetSocketAddress("127.0.0.1", 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Posix.sendto(ping, echo, 0, echo.length, 0, v4));
            assertEquals("sendto: an AF_INET address cannot be used on an AF_INET6 socket", e.getMessage(),
                    "a ping socket refuses one whatever its IPV6_V6ONLY says: the option is not named");
            IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> Posix.connect(ping, v4));
            assertEquals("connect: an AF_INET address cannot be used on an AF_INET6 socket", c.getMessage());
            // it starts limited to IPv6, and a fresh one may be cleared, which changes nothing: the family's refusal
            int cleared = fds.track(Posix.socket(Posix.AF_INET6, Posix.SOCK_DGRAM, Posix.IPPROTO_ICMPV6));
            Posix.setsockopt(cleared, Posix.IPPROTO_IPV6, Posix.IPV6_V6ONLY, 0);
            assertEquals(0, Posix.getsockopt(cleared, Posix.IPPROTO_IPV6, Posix.IPV6_V6ONLY));
            e = assertThrows(IllegalArgumentException.class,
                    () -> Posix.sendto(cleared, echo, 0, echo.length, 0, v4));
            assertEquals("sendto: an AF_INET address cannot be used on an AF_INET6 socket", e.getMessage());
            assertEquals(-Errno.EINVAL.number(), Posix.trySendto(cleared, echo, 0, echo.length, 0, v4),
                    "the non-throwing form returns the kernel's errno");
        }
    }

    /**
     * A million bad calls: the Java-checked ones above, the backend-level ones of {@link NativeArgumentTest}
     * (which reach the shim with nulls and wild ranges) and bad descriptors (which reach the kernel). Run on a
     * thread of its own, whose shallow stack keeps each exception cheap.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMillionBadCallsLeaveTheJvmAlive() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setBlocking(p.a, false);
            List<Bad> javaChecked = badCalls(p.a, ByteBuffer.wrap(new byte[] {1, 2, 3}));
            List<NativeArgumentTest.BadCall> nativeChecked = NativeArgumentTest.badCalls(p.a);
            byte[] one = new byte[1];
            ByteBuffer direct = ByteBuffer.allocateDirect(1);
            AtomicLong done = new AtomicLong();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < 1_000_000; i++) {
                        switch (i & 3) {
                            case 0: {
                                Bad b = javaChecked.get((i >>> 2) % javaChecked.size());
                                try {
                                    b.call.execute();
                                    throw new AssertionError(b.name + " did not throw");
                                } catch (Throwable x) {
                                    if (!b.expected.isInstance(x)) {
                                        throw new AssertionError(b.name + " threw " + x, x);
                                    }
                                }
                                break;
                            }
                            case 1:
                            case 2:
                                NativeArgumentTest.expectRefused(nativeChecked.get((i >>> 1) % nativeChecked.size()));
                                break;
                            default:
                                int r = (i & 4) == 0 ? Posix.trySend(-1 - (i & 1023), one, 0, 1, 0)
                                        : Posix.trySend(Integer.MAX_VALUE - (i & 1023), direct.clear(), 0);
                                if (r != -Errno.EBADF.number()) {
                                    throw new AssertionError("bad descriptor gave " + r);
                                }
                        }
                        done.incrementAndGet();
                    }
                } catch (Throwable x) {
                    failed.set(x);
                }
            }, "million-bad-calls");
            t.start();
            t.join();
            if (failed.get() != null) {
                throw new AssertionError("after " + done.get() + " calls", failed.get());
            }
            assertEquals(1_000_000, done.get());
            // alive and well: the socket still sends, and nothing leaked out of the refused calls
            assertNull(SocketIo.receive(p.b, 100, 20), "a refused call sent something");
            assertEquals(1, Posix.send(p.a, one, 0, 1, 0));
            assertNotNull(SocketIo.receive(p.b, 100, 5000));
        }
    }
}

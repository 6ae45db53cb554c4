// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jnr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.ControlMessage;
import io.github.posixsend.Errno;
import io.github.posixsend.Message;
import io.github.posixsend.Os;
import io.github.posixsend.Posix;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.libc.FieldDescriptors;
import io.github.posixsend.tools.probe.Descriptors;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * The JNR backend finds the descriptor of java.nio channels without JNI and without --add-opens, and finds the
 * same number as the JNI shim, which reads it from the channel's private field. Both of its ways are checked on
 * every JDK: the whole lookup, and the kernel-side search alone (what JDK 24 and later use).
 */
class JnrDescriptorTest {
    private final Backend jni = BothBackends.jni();
    private final JnrBackend jnr = BothBackends.jnr();
    private final int enotsup = -Errno.ENOTSUP.numberOn(Os.current());

    private void sameAsShim(String what, Object channel) {
        int truth = jni.descriptorOf(channel);
        assertTrue(truth >= 0, what + ": the shim found " + truth);
        assertEquals(truth, jnr.descriptorOf(channel), what + ": lookup");
        assertEquals(truth, jnr.descriptorByKernel(channel), what + ": kernel-side search");
    }

    @Test
    void inetChannels() throws Exception {
        InetSocketAddress lo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(lo);
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept();
                DatagramChannel bound = DatagramChannel.open().bind(lo);
                DatagramChannel connected = DatagramChannel.open().bind(lo).connect(bound.getLocalAddress());
                SocketChannel v4 = SocketChannel.open(StandardProtocolFamily.INET)) {
            v4.connect(server.getLocalAddress());
            try (SocketChannel accepted2 = server.accept()) {
                sameAsShim("listening server", server);
                sameAsShim("client", client);
                sameAsShim("accepted", accepted);
                sameAsShim("bound datagram", bound);
                sameAsShim("connected datagram", connected);
                sameAsShim("IPv4-only client", v4);
                sameAsShim("second accepted", accepted2);
            }
        }
    }

    @Test
    void unixChannels() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            UnixDomainSocketAddress path = UnixDomainSocketAddress.of(fds.unixPath("s"));
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(path);
                    SocketChannel client = SocketChannel.open(path);
                    SocketChannel accepted = server.accept()) {
                sameAsShim("unix server", server);
                sameAsShim("unix client", client);
                sameAsShim("unix accepted", accepted);
            }
        }
    }

    @Test
    void unboundChannelsAreToldApartByAnOptionPutBackAtOnce() throws Exception {
        try (DatagramChannel d1 = DatagramChannel.open();
                DatagramChannel d2 = DatagramChannel.open();
                DatagramChannel d3 = DatagramChannel.open(StandardProtocolFamily.INET);
                SocketChannel s1 = SocketChannel.open();
                SocketChannel s2 = SocketChannel.open()) {
            s2.setOption(StandardSocketOptions.SO_LINGER, 1000);
            for (DatagramChannel d : new DatagramChannel[] {d1, d2, d3}) {
                int ttl = d.getOption(StandardSocketOptions.IP_MULTICAST_TTL);
                sameAsShim("unbound datagram", d);
                assertEquals(ttl, d.getOption(StandardSocketOptions.IP_MULTICAST_TTL), "the probe puts the TTL back");
            }
            for (SocketChannel c : new SocketChannel[] {s1, s2}) {
                int linger = c.getOption(StandardSocketOptions.SO_LINGER);
                sameAsShim("unconnected stream", c);
                assertEquals(linger, c.getOption(StandardSocketOptions.SO_LINGER), "the probe puts the linger back");
            }
        }
    }

    /**
     * A connected stream channel whose connection has ended keeps its peer in java.nio while the kernel names none:
     * it is found by its address, after a reset and after a close both ways.
     */
    @Test
    void aStreamChannelWhoseConnectionEndedIsFound() throws Exception {
        InetSocketAddress lo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(lo);
                SocketChannel reset = SocketChannel.open(server.getLocalAddress());
                SocketChannel closed = SocketChannel.open(server.getLocalAddress())) {
            try (SocketChannel peer = server.accept()) {
                peer.setOption(StandardSocketOptions.SO_LINGER, 0); // its close resets the connection
            }
            try (SocketChannel peer = server.accept()) {
                peer.shutdownOutput();
                closed.shutdownOutput();
            }
            for (int i = 0; i < 500 && (hasPeer(reset) || hasPeer(closed)); i++) {
                Thread.sleep(2); // until loopback has delivered the reset and the FINs
            }
            assertTrue(!hasPeer(reset) && !hasPeer(closed), "both connections ended");
            sameAsShim("stream channel after a reset", reset);
            sameAsShim("stream channel closed both ways", closed);
        }
    }

    /** Whether the kernel still names the channel's peer (getpeername, through the shim's descriptor). */
    private boolean hasPeer(SocketChannel c) {
        return jni.socketName(jni.descriptorOf(c), true, new byte[128]) >= 0;
    }

    /** A socket held by two descriptors cannot be told from its copy: refused, where a guess could name the copy. */
    @Test
    void aSocketWithASecondDescriptorIsRefused() throws Exception {
        InetSocketAddress lo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (DatagramChannel d = DatagramChannel.open().bind(lo)) {
            int copy = secondDescriptor(jni.descriptorOf(d));
            try {
                assertTrue(copy >= 0, "a second descriptor: " + copy);
                assertEquals(enotsup, jnr.descriptorByKernel(d), "the channel's socket with a copy");
            } finally {
                jni.close(copy);
            }
            sameAsShim("the copy closed", d);
        }
    }

    /** Another descriptor of {@code fd}'s socket, as a receiver of {@code SCM_RIGHTS} gets one. */
    private static int secondDescriptor(int fd) throws Exception {
        int[] pair = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
        try (Message out = Message.of(ByteBuffer.wrap(new byte[1])).addControl(ControlMessage.rights(fd));
                Message in = new Message(ControlMessage.space(4)).add(ByteBuffer.allocate(1))) {
            Posix.sendmsg(pair[0], out, 0);
            Posix.recvmsg(pair[1], in, 0);
            return in.receivedControl().get(0).fds()[0];
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
    }

    /** A server channel listens only once bound: before that it is found among the idle stream sockets. */
    @Test
    void unboundServerChannelsAreFoundAndToldApartByTheirReuseFlag() throws Exception {
        try (ServerSocketChannel alone = ServerSocketChannel.open()) {
            sameAsShim("the one unbound server channel", alone);
        }
        try (ServerSocketChannel a = ServerSocketChannel.open();
                ServerSocketChannel b = ServerSocketChannel.open(StandardProtocolFamily.INET);
                SocketChannel idle = SocketChannel.open()) {
            b.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            for (ServerSocketChannel c : new ServerSocketChannel[] {a, b}) {
                boolean reuse = c.getOption(StandardSocketOptions.SO_REUSEADDR);
                sameAsShim("unbound server channel", c);
                assertEquals(reuse, c.getOption(StandardSocketOptions.SO_REUSEADDR), "the probe puts the flag back");
            }
            sameAsShim("unconnected stream beside unbound servers", idle);
            InetSocketAddress lo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            a.bind(lo);
            sameAsShim("the same server channel once bound (listening)", a);
        }
    }

    @Test
    void pipesCannotBeFoundFromTheKernelSide() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            assertEquals(enotsup, jnr.descriptorByKernel(sink), "a pipe has no name, option or offset to go by");
            int expected = FieldDescriptors.canRead(sink.getClass()) ? jni.descriptorOf(sink) : enotsup;
            assertEquals(expected, jnr.descriptorOf(sink));
        }
    }

    @Test
    void aDatagramChannelIsNotProbedWhenAnotherHasTheValueTheProbeSets() throws Exception {
        try (DatagramChannel d1 = DatagramChannel.open(); DatagramChannel d2 = DatagramChannel.open()) {
            // the probe sets only TTL 0, so that a multicast datagram sent meanwhile stays on this host
            d2.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            assertEquals(enotsup, jnr.descriptorByKernel(d1), "no value left that none of them has");
            assertEquals(1, d1.getOption(StandardSocketOptions.IP_MULTICAST_TTL), "nothing was changed");
        }
    }

    /** What the whole lookup finds where the kernel-side search refuses: the field where it can be read. */
    private int fieldOrRefused(Object target) {
        return FieldDescriptors.canRead(target.getClass()) ? jni.descriptorOf(target) : enotsup;
    }

    @Test
    void fileChannelsAreNotSearchedForByMovingTheirPosition() throws Exception {
        Path file = Files.createTempFile("posixsend", ".bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.position(5);
            // another thread's write would land wherever the position was moved to: refused instead
            assertEquals(enotsup, jnr.descriptorByKernel(ch));
            assertEquals(fieldOrRefused(ch), jnr.descriptorOf(ch));
            assertEquals(5, ch.position());
            assertEquals(0, ch.size());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void fileDescriptors() throws Exception {
        assertEquals(0, jnr.descriptorByKernel(FileDescriptor.in));
        assertEquals(1, jnr.descriptorByKernel(FileDescriptor.out));
        assertEquals(2, jnr.descriptorByKernel(FileDescriptor.err));
        assertEquals(-Errno.EBADF.numberOn(Os.current()), jnr.descriptorByKernel(new FileDescriptor()));
        Path file = Files.createTempFile("posixsend", ".bin");
        Files.write(file, new byte[100]);
        try (FileInputStream in = new FileInputStream(file.toFile());
                FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
            assertEquals(7, in.skip(7));
            for (FileDescriptor fd : new FileDescriptor[] {in.getFD(), out.getFD()}) {
                assertEquals(enotsup, jnr.descriptorByKernel(fd), "a file's offset is not moved to find it");
                assertEquals(fieldOrRefused(fd), jnr.descriptorOf(fd));
            }
            assertEquals(7, in.getChannel().position());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void fieldsAreReadSilentlyBeforeJdk24() {
        String mode = System.getProperty("sun.misc.unsafe.memory.access");
        boolean silent = mode == null ? Runtime.version().feature() < 24 : mode.equals("allow");
        assertEquals(silent, FieldDescriptors.canRead(FileDescriptor.class),
                "Unsafe is used exactly where it is silent");
    }
}

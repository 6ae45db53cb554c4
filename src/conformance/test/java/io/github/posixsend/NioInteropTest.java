// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Channels opened by java.nio send through {@code Posix.send(Posix.fd(channel), ...)} with
 * MSG_MORE, mixed with the channel's own writes; the channel stays NIO's.
 */
class NioInteropTest {

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String read(SocketChannel ch, int want) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(1000);
        for (int i = 0; i < 5_000 && in.position() < want; i++) {
            if (ch.read(in) == 0) {
                Thread.sleep(1);
            }
        }
        return new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
    }

    /**
     * The kernel's name of a java.nio channel's socket and java.nio's are the same address: java.nio opens AF_INET6
     * sockets (unless IPv6 is off or java.net.preferIPv4Stack is set) and shows an IPv4-mapped name
     * ({@code ::ffff:127.0.0.1}) as IPv4, where posix-send gives it as the kernel does.
     */
    static void sameName(java.net.SocketAddress nio, java.net.SocketAddress kernel) {
        java.net.InetSocketAddress n = (java.net.InetSocketAddress) nio;
        java.net.InetSocketAddress k = (java.net.InetSocketAddress) kernel;
        assertEquals(n.getPort(), k.getPort());
        byte[] ip = k.getAddress().getAddress();
        if (ip.length == 16 && n.getAddress().getAddress().length == 4) {
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1}, java.util.Arrays.copyOf(ip, 12));
            ip = java.util.Arrays.copyOfRange(ip, 12, 16);
        }
        assertArrayEquals(n.getAddress().getAddress(), ip, kernel + " against " + nio);
    }

    @Test
    void socketChannelHeaderWithMoreThenNioWrite() throws Exception {
        assumeTrue(MsgFlag.MSG_MORE.isSupported(), "MSG_MORE exists only on Linux, not " + Os.current());
        int more = MsgFlag.mask(MsgFlag.MSG_MORE, MsgFlag.MSG_NOSIGNAL);
        // see MsgMoreTest: Linux releases held data by itself after about 200 ms, so a late check may retry
        String lastFailure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (ServerSocketChannel server = ServerSocketChannel.open().bind(loopback());
                    SocketChannel client = SocketChannel.open(server.getLocalAddress());
                    SocketChannel peer = server.accept()) {
                peer.configureBlocking(false);
                int fd = Posix.fd(client);
                sameName(client.getLocalAddress(), Posix.getsockname(fd));
                sameName(server.getLocalAddress(), Posix.getsockname(Posix.fd(server)));
                ByteBuffer header = ascii("HEAD:");
                assertEquals(5, Posix.send(fd, header, more));
                assertEquals(5, header.position());
                ByteBuffer early = ByteBuffer.allocate(100);
                if (peer.read(early) != 0) {
                    lastFailure = "attempt " + attempt + ": the header arrived before the body";
                    continue;
                }
                assertEquals(4, client.write(ascii("body")));
                // NIO's own write released the held header: both arrive as one piece
                ByteBuffer in = ByteBuffer.allocate(100);
                for (int i = 0; i < 5_000 && in.position() == 0; i++) {
                    if (peer.read(in) == 0) {
                        Thread.sleep(1);
                    }
                }
                assertEquals("HEAD:body", new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
                // the channel is still NIO's and still works
                assertTrue(client.isOpen());
                client.write(ascii("!"));
                assertEquals("!", read(peer, 1));
                return;
            }
        }
        throw new AssertionError(lastFailure);
    }

    @Test
    void datagramChannelPartsWithMoreBecomeOneDatagram() throws Exception {
        assumeTrue(MsgFlag.MSG_MORE.isSupported(), "MSG_MORE exists only on Linux, not " + Os.current());
        int more = MsgFlag.MSG_MORE.value();
        try (DatagramChannel rx = DatagramChannel.open().bind(loopback());
                DatagramChannel tx = DatagramChannel.open().connect(rx.getLocalAddress())) {
            rx.configureBlocking(false);
            int fd = Posix.fd(tx);
            assertEquals(2, Posix.send(fd, ascii("a-"), more));
            assertEquals(2, Posix.send(fd, "b-".getBytes(StandardCharsets.US_ASCII), 0, 2, more));
            assertNull(rx.receive(ByteBuffer.allocate(100)), "a datagram left early");
            assertEquals(1, tx.write(ascii("c")));
            ByteBuffer in = ByteBuffer.allocate(100);
            SocketAddress from = null;
            for (int i = 0; i < 5_000 && from == null; i++) {
                from = rx.receive(in);
                if (from == null) {
                    Thread.sleep(1);
                }
            }
            assertEquals(tx.getLocalAddress(), from);
            assertEquals("a-b-c", new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
            assertNull(rx.receive(ByteBuffer.allocate(100)), "more than one datagram");
        }
    }

    @Test
    void datagramChannelSendtoWithoutMore() throws Exception {
        try (DatagramChannel rx = DatagramChannel.open().bind(loopback());
                DatagramChannel tx = DatagramChannel.open().bind(loopback())) {
            rx.configureBlocking(false);
            assertEquals(3, Posix.sendto(Posix.fd(tx), ascii("dgm"), 0, rx.getLocalAddress()));
            ByteBuffer in = ByteBuffer.allocate(10);
            SocketAddress from = null;
            for (int i = 0; i < 5_000 && from == null; i++) {
                from = rx.receive(in);
                if (from == null) {
                    Thread.sleep(1);
                }
            }
            assertEquals("dgm", new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void closedChannelHasNoDescriptor() throws Exception {
        SocketChannel ch = SocketChannel.open();
        assertTrue(Posix.fd(ch) >= 0);
        ch.close();
        assertThrows(ClosedChannelException.class, () -> Posix.fd(ch));
        assertThrows(NullPointerException.class, () -> Posix.fd((java.nio.channels.Channel) null));
    }

    @Test
    void channelWithoutADescriptorIsRefused() throws Exception {
        try (java.nio.channels.ReadableByteChannel ch =
                java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(new byte[1]))) {
            assertThrows(IllegalArgumentException.class, () -> Posix.fd(ch));
        }
    }

    /**
     * A pipe's descriptor is found where Posix.fd's documentation says the channel's field is read: by the JNI
     * backend always, by JNR and FFM on JDK 17 to 23, or later with java.base/sun.nio.ch opened to posix-send or
     * with --sun-misc-unsafe-memory-access=allow. Elsewhere those backends can only ask the kernel, which knows
     * sockets alone, and the documented IllegalArgumentException follows.
     */
    @Test
    void pipeChannelsHaveDescriptorsThatAreNoSockets() throws Exception {
        boolean fieldReadable = Posix.backendName().equals("jni") || Runtime.version().feature() < 24
                || "allow".equals(System.getProperty("sun.misc.unsafe.memory.access"))
                || Object.class.getModule().isOpen("sun.nio.ch", Posix.class.getModule());
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        try (java.nio.channels.Pipe.SinkChannel sink = pipe.sink();
                java.nio.channels.Pipe.SourceChannel src = pipe.source()) {
            if (!fieldReadable) {
                for (java.nio.channels.Channel ch : new java.nio.channels.Channel[] {sink, src}) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Posix.fd(ch));
                    assertTrue(e.getMessage().startsWith("no descriptor found in a " + ch.getClass().getName()),
                            e.getMessage());
                    assertTrue(e.getMessage().contains("--add-opens java.base/sun.nio.ch"), "says what helps");
                }
                return;
            }
            int fd = Posix.fd(sink);
            assertTrue(fd > 2 && fd != Posix.fd(src));
            BadDescriptorException e = assertThrows(BadDescriptorException.class,
                    () -> Posix.send(fd, ByteBuffer.allocate(1), 0));
            assertEquals(Errno.ENOTSOCK, e.errno());
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.tools.probe.Descriptors;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * Errors the kernel gives for sockets in the wrong state or descriptors that are no
 * sockets, each as its typed exception.
 */
class KernelErrorsTest {

    @Test
    void sendOnUnconnectedUdpHasNoDestination() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.boundUdp(false);
            NotConnectedException e = assertThrows(NotConnectedException.class,
                    () -> Posix.send(fd, ByteBuffer.wrap(new byte[] {1}), 0));
            assertEquals(Errno.EDESTADDRREQ, e.errno());
            assertEquals("send: EDESTADDRREQ (" + Errno.EDESTADDRREQ.description() + ")", e.getMessage());
        }
    }

    @Test
    void sendOnUnconnectedTcpFailsAsThePlatformSays() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            for (int flags : new int[] {MsgFlag.MSG_NOSIGNAL.value(), 0}) {
                ErrnoException e = assertThrows(ErrnoException.class, () -> Posix.send(fd, new byte[1], 0, 1, flags));
                if (Os.current() == Os.LINUX) {
                    assertEquals(BrokenPipeException.class, e.getClass()); // Linux: EPIPE
                    assertEquals(Errno.EPIPE, e.errno());
                } else {
                    assertEquals(NotConnectedException.class, e.getClass()); // NetBSD: ENOTCONN
                    assertEquals(Errno.ENOTCONN, e.errno());
                }
            }
        }
    }

    @Test
    void closedDescriptorIsBadDescriptor() throws Exception {
        // both calls once on -1 first, so that their classes are loaded and nothing they do opens a file between
        // the close and the calls below
        assertEquals(-Errno.EBADF.number(), Posix.trySend(-1, new byte[4], 0, 4, 0));
        assertThrows(BadDescriptorException.class, () -> Posix.send(-1, ByteBuffer.allocateDirect(4), 0));
        boolean seen = false;
        for (int attempt = 0; attempt < 5 && !seen; attempt++) {
            int fd = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
            Posix.close(fd);
            // the number is free now and used at once; another thread of the JVM may still open a file and get it
            // (then send says ENOTSOCK), and that attempt is made again with a new number
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> Posix.send(fd, ByteBuffer.allocateDirect(4), 0));
            int r = Posix.trySend(fd, new byte[4], 0, 4, 0);
            if (e.errno() == Errno.ENOTSOCK || r == -Errno.ENOTSOCK.number()) {
                continue;
            }
            assertEquals(BadDescriptorException.class, e.getClass());
            assertEquals(Errno.EBADF, e.errno());
            assertEquals(-Errno.EBADF.number(), r);
            seen = true;
        }
        assertTrue(seen, "a closed descriptor's number was taken by the JVM before every one of 5 attempts");
        // (closing the number again is not tried: had the JVM reused it meanwhile, that would close a stranger's file)
        assertEquals(Errno.EBADF, assertThrows(BadDescriptorException.class, () -> Posix.close(-1)).errno());
        for (int bad : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(Errno.EBADF, assertThrows(BadDescriptorException.class,
                    () -> Posix.send(bad, ByteBuffer.allocate(1), 0)).errno());
            assertEquals(Errno.EBADF, assertThrows(BadDescriptorException.class,
                    () -> Posix.sendto(bad, ByteBuffer.allocate(1), 0, new InetSocketAddress("127.0.0.1", 9))).errno());
        }
    }

    @Test
    void regularFileIsNotASocket() throws Exception {
        Path file = Files.createTempFile("posixsend", ".txt");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
                FileInputStream in = new FileInputStream(file.toFile())) {
            int fd = fileDescriptor(file, () -> Posix.fd(ch), -1);
            assertTrue(fd > 2, "descriptor " + fd);
            BadDescriptorException e = assertThrows(BadDescriptorException.class,
                    () -> Posix.send(fd, ByteBuffer.wrap(new byte[] {1}), 0));
            assertEquals(Errno.ENOTSOCK, e.errno());
            assertEquals(-Errno.ENOTSOCK.number(), Posix.trySendto(fd, new byte[1], 0, 1, 0,
                    new InetSocketAddress("127.0.0.1", 9)));
            assertEquals(0, Files.size(file), "nothing may have been written to the file");
            // the same through a java.io.FileDescriptor
            int fd2 = fileDescriptor(file, () -> Posix.fd(in.getFD()), fd);
            assertTrue(fd2 > 2 && fd2 != fd);
            assertEquals(Errno.ENOTSOCK, assertThrows(BadDescriptorException.class,
                    () -> Posix.send(fd2, new byte[1], 0, 1, 0)).errno());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A lookup of a file's descriptor; -1 or IllegalArgumentException where the backend cannot find it. */
    private interface Lookup {
        int find() throws Exception;
    }

    /**
     * The descriptor {@code lookup} finds; where the backend cannot find a file's (the JNR and FFM backends without
     * the field, which do not move a file's position to find it), the one of {@code file} other than {@code not}
     * that /proc lists.
     */
    private static int fileDescriptor(Path file, Lookup lookup, int not) throws Exception {
        int fd;
        try {
            fd = lookup.find();
        } catch (IllegalArgumentException e) {
            fd = -1;
        }
        if (fd >= 0) {
            return fd;
        }
        assertTrue(!Posix.backendName().equals("jni"), "the JNI backend reads every channel's number");
        Path real = file.toRealPath();
        try (java.nio.file.DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : fds) {
                int n = Integer.parseInt(p.getFileName().toString());
                try {
                    if (n != not && Files.readSymbolicLink(p).equals(real)) {
                        return n;
                    }
                } catch (java.io.IOException gone) {
                    // the directory stream's own descriptor, closed by now
                }
            }
        }
        throw new AssertionError("no descriptor of " + file + " in /proc/self/fd");
    }

    @Test
    void connectedUdpToAPortWithoutListenerIsRefused() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.socket(Posix.AF_INET, Posix.SOCK_DGRAM);
            Posix.connect(fd, fds.closedUdpPort(false));
            // the first send goes; the ICMP port-unreachable it causes makes a later send fail
            ErrnoException failure = null;
            for (int i = 0; i < 1_000 && failure == null; i++) {
                try {
                    Posix.send(fd, ByteBuffer.wrap(new byte[] {1}), 0);
                    Thread.sleep(1);
                } catch (ErrnoException e) {
                    failure = e;
                }
            }
            assertNotNull(failure, "no send failed");
            assertEquals(ConnectionRefusedException.class, failure.getClass(), failure.getMessage());
            assertEquals(Errno.ECONNREFUSED, failure.errno());
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Unix socket's path comes back as java.net's {@link UnixDomainSocketAddress} only when its bytes are a name in the
 * platform's file-name encoding: a C peer bound at a path with a byte no encoding maps (0xff is never UTF-8 nor
 * ASCII) came back with a replacement character, an address that named another file, so a reply to it failed with
 * {@code ENOENT} (or could reach another socket). Such a name is the kernel's bytes, a {@link SockAddr}, and a reply
 * to it arrives.
 */
class UnixPathNameTest {
    @Test
    void aPathNoEncodingMapsComesBackAsItsBytesAndCanBeRepliedTo(@TempDir Path dir) throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the image is laid out as Linux's sockaddr_un");
        try (Descriptors fds = new Descriptors()) {
            int server = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.bind(server, UnixDomainSocketAddress.of(dir.resolve("server.sock")));
            int client = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            // bound as C would bind it: the path's bytes as they are, one of them 0xff
            SockAddr plain = SockAddr.of(UnixDomainSocketAddress.of(dir.resolve("xZ.sock")));
            byte[] image = plain.image().clone();
            int z = new String(image, StandardCharsets.ISO_8859_1).indexOf("xZ.sock") + 1;
            image[z] = (byte) 0xff;
            SockAddr odd = SockAddr.fromImage(image, image.length);
            Posix.bind(client, odd);
            assertEquals(odd, Posix.getsockname(client) instanceof SockAddr s ? s : null, "getsockname");

            Posix.sendto(client, ByteBuffer.wrap(new byte[] {1, 2, 3}), 0, UnixDomainSocketAddress.of(
                    dir.resolve("server.sock")));
            ByteBuffer in = ByteBuffer.allocate(16);
            SocketAddress from = Posix.recvfrom(server, in, 0);
            assertInstanceOf(SockAddr.class, from, "a name no encoding maps is the kernel's bytes: " + from);
            assertEquals(odd, from);
            SockAddrBuffer source = new SockAddrBuffer();
            Posix.sendto(client, ByteBuffer.wrap(new byte[] {4}), 0, UnixDomainSocketAddress.of(
                    dir.resolve("server.sock")));
            in.clear();
            Posix.recvfrom(server, in, 0, source);
            assertEquals(odd, source.toSocketAddress());

            // the reply reaches the client at its own name
            assertEquals(2, Posix.sendto(server, ByteBuffer.wrap(new byte[] {7, 8}), 0, from));
            ByteBuffer reply = ByteBuffer.allocate(16);
            assertEquals(2, Posix.recv(client, reply, MsgFlag.MSG_DONTWAIT.value()));
            assertEquals(7, reply.get(0));

            // a path that fills sun_path with no room for a NUL, as C may bind it, comes back as its bytes too
            int fd108 = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            String prefix = dir.resolve("p").toString();
            SockAddr room = SockAddr.of(UnixDomainSocketAddress.of(prefix + "x".repeat(107 - prefix.length())));
            byte[] full = java.util.Arrays.copyOf(room.image(), room.image().length);
            full[full.length - 1] = 'y'; // the NUL the 107-byte path ends with becomes its 108th byte
            SockAddr whole = SockAddr.fromImage(full, full.length);
            Posix.bind(fd108, whole);
            Posix.sendto(fd108, ByteBuffer.wrap(new byte[] {5}), 0, UnixDomainSocketAddress.of(
                    dir.resolve("server.sock")));
            in.clear();
            SocketAddress from108 = Posix.recvfrom(server, in, 0);
            assertInstanceOf(SockAddr.class, from108, "108 bytes: " + from108);
            // the kernel reports the name one byte longer than sockaddr_un (for a NUL it did not store), and a reply
            // to that length is EINVAL, in C too; one to the name as bound arrives
            assertEquals(1, Posix.sendto(server, ByteBuffer.wrap(new byte[] {6}), 0, whole));
            reply.clear();
            assertEquals(1, Posix.recv(fd108, reply, MsgFlag.MSG_DONTWAIT.value()));

            // a plain name is still java.net's
            Posix.sendto(server, ByteBuffer.wrap(new byte[] {9}), 0, UnixDomainSocketAddress.of(
                    dir.resolve("server.sock")));
            in.clear();
            assertEquals(UnixDomainSocketAddress.of(dir.resolve("server.sock")), Posix.recvfrom(server, in, 0));
            assertEquals(1, in.position());
        }
    }

    /** {@link SockAddrBuffer#unixPath}: the name C reads in {@code sun_path}, copied into the caller's array. */
    @Test
    void aSendersNameIsCopiedAsSunPathHoldsItWithoutAllocating(@TempDir Path dir) throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "abstract names and the empty name of an unbound sender are Linux's");
        try (Descriptors fds = new Descriptors()) {
            int server = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            UnixDomainSocketAddress serverName = UnixDomainSocketAddress.of(dir.resolve("server.sock"));
            Posix.bind(server, serverName);
            SockAddrBuffer from = new SockAddrBuffer();
            ByteBuffer in = ByteBuffer.allocate(16);
            byte[] room = new byte[128];

            int byPath = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Path clientPath = dir.resolve("client.sock");
            Posix.bind(byPath, UnixDomainSocketAddress.of(clientPath));
            Posix.sendto(byPath, ByteBuffer.wrap(new byte[] {1}), 0, serverName);
            assertEquals(1, Posix.recvfrom(server, in.clear(), 0, from));
            byte[] path = clientPath.toString().getBytes(StandardCharsets.UTF_8);
            assertEquals(path.length, from.unixPath(room), "a path, without the NUL the kernel counts");
            assertArrayEquals(path, Arrays.copyOf(room, path.length));
            byte[] four = new byte[4];
            assertEquals(path.length, from.unixPath(four), "the whole length, when the room is short");
            assertArrayEquals(Arrays.copyOf(path, 4), four);
            assertEquals(0, SteadyAllocation.leastBeyond("unixPath", () -> 0,
                    SteadyAllocation.calls(10_000, () -> from.unixPath(room), path.length)), "bytes allocated");

            int byAbstractName = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            byte[] name = ("posix-send-unixPath-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
                    .getBytes(StandardCharsets.US_ASCII);
            Posix.bind(byAbstractName, SockAddr.abstractUnix(name));
            Posix.sendto(byAbstractName, ByteBuffer.wrap(new byte[] {2}), 0, serverName);
            assertEquals(1, Posix.recvfrom(server, in.clear(), 0, from));
            assertEquals(1 + name.length, from.unixPath(room), "an abstract name with its leading 0 byte");
            assertEquals(0, room[0]);
            assertArrayEquals(name, Arrays.copyOfRange(room, 1, 1 + name.length));

            int unbound = fds.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM);
            Posix.sendto(unbound, ByteBuffer.wrap(new byte[] {3}), 0, serverName);
            assertEquals(1, Posix.recvfrom(server, in.clear(), 0, from));
            assertEquals(0, from.unixPath(room), "an unbound sender has no name");

            from.copyFrom(SockAddr.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
            assertThrows(IllegalStateException.class, () -> from.unixPath(room), "an internet address");
            assertThrows(NullPointerException.class, () -> from.unixPath(null));
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.Errno;
import io.github.posixsend.Os;
import io.github.posixsend.internal.ConstantTable;
import io.github.posixsend.internal.Platform;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the descriptor inside a java.nio channel or a {@link FileDescriptor} without JNI and without
 * {@code --add-opens}, for the backends that call the C library from Java (JNR, FFM).
 *
 * <ol>
 *   <li>The private field, where it can be read silently ({@link FieldDescriptors}): always on JDK 17 to 23.</li>
 *   <li>Otherwise by asking the kernel which open descriptor is the channel's socket: same type, same local address
 *       ({@code getsockname}), same peer ({@code getpeername}) or none, and for a stream socket without a peer the same
 *       listening state (a channel not bound yet: a socket with no name). A connected stream channel whose connection
 *       has ended (reset, or closed both ways) keeps its peer in java.nio while the kernel names none: when no socket
 *       has the peer, one of its address that has none and is not listening is taken. When several match (unbound
 *       sockets alike), the channel sets for an instant an option to a value none of them has, and the one that then
 *       has it is the channel's, each put back at once: a datagram channel's multicast TTL (and hop limit) to 0, which
 *       keeps a multicast datagram sent in that instant on this host rather than sending it further; a stream channel's
 *       linger time, which only the close of a connected socket reads, while the candidates are all unconnected (a
 *       server channel not bound yet, which has no linger option, turns its {@code SO_REUSEADDR} over, which only a
 *       bind reads). What still cannot be told apart is refused, as are two descriptors of the one socket (a
 *       {@code dup}, or one received with {@code SCM_RIGHTS}): both show the option.</li>
 *   <li>A {@code FileDescriptor}: {@code in}, {@code out} and {@code err} are 0, 1 and 2.</li>
 *   <li>Other descriptors, file channels, pipe channels and other channels are refused: a file would have to be
 *       found by moving its offset for an instant, which would misplace a write that another thread, or another
 *       stream sharing the open file, made meanwhile; a pipe has no name, option or offset to go by.</li>
 * </ol>
 * Refusals are {@code -ENOTSUP}; the caller reports that no descriptor was found.
 */
final class ChannelDescriptors {
    private static final Charset FILE_NAMES = Platform.fileNameCharset();
    /** {@code SO_ACCEPTCONN}: Linux 30, NetBSD 0x2 (only used to tell a listening socket from an idle one). */
    private final int soAcceptConn;

    private final LibcBackend backend;
    private final Sockaddrs sockaddrs;
    private final int enotsup;
    private final int ebadf;
    private final int einval;
    private final int solSocket;
    private final int soType;
    private final int sockStream;
    private final int sockDgram;
    private final int afInet;
    private final int afInet6;
    private final int afUnix;
    private final int soLinger;
    private final int soReuseAddr;
    private final int ipprotoIp;
    private final int ipprotoIpv6;
    /** {@code IP_MULTICAST_TTL}: Linux 33, NetBSD 10. */
    private final int ipMulticastTtl;
    /** {@code IPV6_MULTICAST_HOPS}: Linux 18, NetBSD 10. */
    private final int ipv6MulticastHops;

    ChannelDescriptors(LibcBackend backend, Sockaddrs sockaddrs) {
        Os os = sockaddrs.layout().os;
        this.backend = backend;
        this.sockaddrs = sockaddrs;
        this.soAcceptConn = os == Os.LINUX ? 30 : 2;
        this.enotsup = Errno.ENOTSUP.numberOn(os);
        this.ebadf = Errno.EBADF.numberOn(os);
        this.einval = Errno.EINVAL.numberOn(os);
        this.solSocket = ConstantTable.value("SOL_SOCKET", os);
        this.soType = ConstantTable.value("SO_TYPE", os);
        this.sockStream = ConstantTable.value("SOCK_STREAM", os);
        this.sockDgram = ConstantTable.value("SOCK_DGRAM", os);
        this.afInet = ConstantTable.value("AF_INET", os);
        this.afInet6 = ConstantTable.value("AF_INET6", os);
        this.afUnix = ConstantTable.value("AF_UNIX", os);
        this.soLinger = ConstantTable.value("SO_LINGER", os);
        this.soReuseAddr = ConstantTable.value("SO_REUSEADDR", os);
        this.ipprotoIp = ConstantTable.value("IPPROTO_IP", os);
        this.ipprotoIpv6 = ConstantTable.value("IPPROTO_IPV6", os);
        this.ipMulticastTtl = os == Os.LINUX ? 33 : 10;
        this.ipv6MulticastHops = os == Os.LINUX ? 18 : 10;
    }

    /** As {@code Backend.descriptorOf}: the number, or {@code -errno}. */
    int of(Object target) {
        if (target == null) {
            return -einval;
        }
        int fd = FieldDescriptors.read(target);
        if (fd != FieldDescriptors.UNKNOWN) {
            return fd >= 0 ? fd : -ebadf;
        }
        return byKernel(target);
    }

    /** Steps 2 to 4 alone (the field is not read); tests use it to check them on every JDK. */
    int byKernel(Object target) {
        if (target instanceof FileDescriptor) {
            if (target == FileDescriptor.in) {
                return 0;
            }
            if (target == FileDescriptor.out) {
                return 1;
            }
            if (target == FileDescriptor.err) {
                return 2;
            }
            return ((FileDescriptor) target).valid() ? -enotsup : -ebadf;
        }
        if (target instanceof NetworkChannel) {
            return matchSocket((NetworkChannel) target);
        }
        return -enotsup;
    }

    private int matchSocket(NetworkChannel ch) {
        SocketAddress local;
        SocketAddress remote = null;
        try {
            local = ch.getLocalAddress();
            if (ch instanceof SocketChannel) {
                remote = ((SocketChannel) ch).getRemoteAddress();
            } else if (ch instanceof DatagramChannel) {
                remote = ((DatagramChannel) ch).getRemoteAddress();
            }
        } catch (IOException e) {
            return -ebadf; // closed
        }
        int type = ch instanceof DatagramChannel ? sockDgram : sockStream;
        // a server channel listens from its bind on; before that its socket is as idle as an unbound client's
        boolean listening = ch instanceof ServerSocketChannel && local != null;
        byte[] sa = new byte[SockaddrLayout.STORAGE];
        int[] opt = new int[1];
        List<Integer> found = new ArrayList<>();
        List<Integer> ended = new ArrayList<>(); // stream sockets whose connection has ended, for a connected channel
        for (int fd : candidates()) {
            int n = backend.socketName(fd, false, sa);
            if (n < 0 || !(local == null ? unnamed(sa, n) : same(local, sa, n))) {
                continue;
            }
            if (backend.getsockoptInt(fd, solSocket, soType, opt) < 0 || opt[0] != type) {
                continue;
            }
            int p = backend.socketName(fd, true, sa);
            if (remote != null && p < 0 && type == sockStream
                    && backend.getsockoptInt(fd, solSocket, soAcceptConn, opt) == 0 && opt[0] == 0) {
                // reset, or closed both ways: the kernel names no peer any more, java.nio still keeps the one it had
                ended.add(fd);
                continue;
            }
            if (remote == null ? p >= 0 : p < 0 || !same(remote, sa, p)) {
                continue;
            }
            if (remote == null && type == sockStream
                    && (backend.getsockoptInt(fd, solSocket, soAcceptConn, opt) < 0 || (opt[0] != 0) != listening)) {
                continue;
            }
            found.add(fd);
        }
        if (found.isEmpty()) {
            found = ended;
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        return found.isEmpty() ? -enotsup : byOption(ch, found);
    }

    /** True for the name of a socket that is not bound: the wildcard address with port 0, or an unnamed Unix socket. */
    private boolean unnamed(byte[] sa, int n) {
        int[] info = new int[4];
        byte[] data = new byte[SockaddrLayout.STORAGE];
        if (sockaddrs.decode(sa, n, info, data) < 0) {
            return false;
        }
        if (info[0] == afInet || info[0] == afInet6) {
            return info[1] == 0 && Arrays.equals(new byte[4], normalized(Arrays.copyOf(data, info[3])));
        }
        return info[0] == afUnix && info[3] == 0;
    }

    /**
     * Tells apart sockets whose names are alike (several unbound ones, say) by an option the channel can set and
     * the kernel reports exactly: the channel gets, for an instant, a value none of the candidates has, the one
     * candidate that then has it is the channel's, and the old value is put back. A datagram channel sets its
     * multicast TTL to 0 (a multicast send in that instant stays on this host), a stream channel its linger time
     * (which only the close of a connected socket reads; the candidates have no peer).
     */
    private int byOption(NetworkChannel ch, List<Integer> found) {
        synchronized (PROBES) { // two probes at once could pick the same value and refuse each other
            return byOptionLocked(ch, found);
        }
    }

    /** Serialises the probes that change a channel's state for an instant. */
    private static final Object PROBES = new Object();

    private int byOptionLocked(NetworkChannel ch, List<Integer> found) {
        boolean datagram = ch instanceof DatagramChannel;
        SocketOption<Integer> option =
                datagram ? StandardSocketOptions.IP_MULTICAST_TTL : StandardSocketOptions.SO_LINGER;
        if (!ch.supportedOptions().contains(option)) {
            return datagram ? -enotsup : byReuseAddress(ch, found);
        }
        Set<Integer> taken = new HashSet<>();
        for (int fd : found) {
            taken.addAll(optionValues(fd, datagram));
        }
        // a datagram channel's multicast datagrams stay on this host for the instant (TTL 0), never go further
        int probe = datagram ? 0 : 1000;
        int last = datagram ? 0 : 60_000;
        while (probe <= last && taken.contains(probe)) {
            probe++;
        }
        if (probe > last) {
            return -enotsup;
        }
        Integer saved;
        try {
            saved = ch.getOption(option);
        } catch (IOException | RuntimeException e) {
            return -enotsup;
        }
        try {
            ch.setOption(option, probe);
            int match = -1;
            int count = 0;
            for (int fd : found) {
                if (optionValues(fd, datagram).contains(probe)) {
                    match = fd;
                    count++;
                }
            }
            return count == 1 ? match : -enotsup;
        } catch (IOException | RuntimeException e) {
            return -enotsup;
        } finally {
            try {
                ch.setOption(option, saved);
            } catch (IOException | RuntimeException ignored) {
                // closed meanwhile: nothing to put back
            }
        }
    }

    /**
     * Tells apart unbound stream sockets for a channel without {@code SO_LINGER} (a server channel not bound yet) by
     * its {@code SO_REUSEADDR}, which only a bind reads: the channel turns it over for an instant, the one candidate
     * whose value then differs from what it had is the channel's, and the value is put back. Anything else changing
     * a candidate's flag meanwhile makes two differ, and the channel is refused.
     */
    private int byReuseAddress(NetworkChannel ch, List<Integer> found) {
        SocketOption<Boolean> option = StandardSocketOptions.SO_REUSEADDR;
        int[] before = new int[found.size()];
        for (int i = 0; i < before.length; i++) {
            before[i] = reuseAddress(found.get(i));
        }
        Boolean saved;
        try {
            saved = ch.getOption(option);
            ch.setOption(option, !saved);
        } catch (IOException | RuntimeException e) {
            return -enotsup;
        }
        try {
            int match = -1;
            int count = 0;
            for (int i = 0; i < before.length; i++) {
                int now = reuseAddress(found.get(i));
                if (before[i] != -1 && now != -1 && (now != 0) != (before[i] != 0)) {
                    match = found.get(i);
                    count++;
                }
            }
            return count == 1 ? match : -enotsup;
        } finally {
            try {
                ch.setOption(option, saved);
            } catch (IOException | RuntimeException ignored) {
                // closed meanwhile: nothing to put back
            }
        }
    }

    /** {@code SO_REUSEADDR} as the kernel reports it for {@code fd}, or -1 when it cannot be read. */
    private int reuseAddress(int fd) {
        int[] v = new int[1];
        return backend.getsockoptInt(fd, solSocket, soReuseAddr, v) == 0 ? v[0] : -1;
    }

    /** The multicast TTL and hop limit (both levels), or the linger time (-1 when off), the kernel reports for fd. */
    private Set<Integer> optionValues(int fd, boolean datagram) {
        Set<Integer> values = new HashSet<>();
        int[] v = new int[1];
        if (datagram) {
            if (backend.getsockoptInt(fd, ipprotoIp, ipMulticastTtl, v) == 0) {
                values.add(v[0]);
            }
            if (backend.getsockoptInt(fd, ipprotoIpv6, ipv6MulticastHops, v) == 0) {
                values.add(v[0]);
            }
        } else {
            byte[] linger = new byte[8]; // struct linger: int l_onoff, int l_linger, in the host's order
            if (backend.getsockoptBytes(fd, solSocket, soLinger, linger, linger.length) == linger.length) {
                ByteBuffer l = ByteBuffer.wrap(linger).order(ByteOrder.nativeOrder());
                values.add(l.getInt(0) != 0 ? l.getInt(4) : -1);
            }
        }
        return values;
    }

    /** The open descriptors of the process: /proc/self/fd where it exists, else every number below 65536. */
    private static int[] candidates() {
        Path dir = Path.of("/proc/self/fd");
        if (Files.isDirectory(dir)) {
            List<Integer> fds = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    try {
                        fds.add(Integer.parseInt(p.getFileName().toString()));
                    } catch (NumberFormatException ignored) {
                        // not a descriptor entry
                    }
                }
                return fds.stream().mapToInt(Integer::intValue).sorted().toArray();
            } catch (IOException | RuntimeException e) {
                // fall through to the plain scan
            }
        }
        int[] all = new int[1 << 16];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** True when the sockaddr {@code sa[0..n)} names the same address as {@code want}. */
    private boolean same(SocketAddress want, byte[] sa, int n) {
        int[] info = new int[4];
        byte[] data = new byte[SockaddrLayout.STORAGE];
        if (sockaddrs.decode(sa, n, info, data) < 0) {
            return false;
        }
        if (want instanceof InetSocketAddress) {
            InetSocketAddress isa = (InetSocketAddress) want;
            if ((info[0] != afInet && info[0] != afInet6) || isa.getAddress() == null || isa.getPort() != info[1]) {
                return false;
            }
            return Arrays.equals(normalized(isa.getAddress().getAddress()), normalized(Arrays.copyOf(data, info[3])));
        }
        if (want instanceof UnixDomainSocketAddress) {
            byte[] path = ((UnixDomainSocketAddress) want).getPath().toString().getBytes(FILE_NAMES);
            return info[0] == afUnix && Arrays.equals(path, Arrays.copyOf(data, info[3]));
        }
        return false;
    }

    /** IPv4-mapped IPv6 addresses as IPv4 and the IPv6 wildcard as the IPv4 one, as java.nio reports them. */
    private static byte[] normalized(byte[] ip) {
        if (ip.length != 16) {
            return ip;
        }
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= ip[i] == 0;
        }
        if (zeroPrefix && ip[10] == (byte) 0xff && ip[11] == (byte) 0xff) {
            return Arrays.copyOfRange(ip, 12, 16);
        }
        boolean zero = zeroPrefix && ip[10] == 0 && ip[11] == 0 && ip[12] == 0 && ip[13] == 0 && ip[14] == 0
                && ip[15] == 0;
        return zero ? new byte[4] : ip;
    }

}

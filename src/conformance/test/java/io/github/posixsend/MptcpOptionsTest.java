// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.OptionalProtocols;
import io.github.posixsend.tools.probe.Descriptors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Multipath TCP's own options over loopback, read as bytes as C reads them: {@code MPTCP_INFO} of a connection
 * both ends made with {@code IPPROTO_MPTCP} (no fallback), the subflows' addresses through
 * {@code MPTCP_SUBFLOW_ADDRS}, C's test for a fallback to plain TCP ({@code EOPNOTSUPP}), and the refusal of
 * {@code MPTCP_FULL_INFO}, whose value holds addresses, and of any later option. Skipped, saying why, where the
 * kernel makes no MPTCP socket ({@code net.mptcp.enabled} 0, or a kernel without it) and on NetBSD.
 */
class MptcpOptionsTest {
    /** {@code struct mptcp_subflow_data}'s size, and where {@code mptcp_info} keeps its flags. */
    private static final int SUBFLOW_DATA = 16;
    private static final int INFO_FLAGS = 8;
    /** A {@code struct mptcp_subflow_addrs}: a local then a remote {@code sockaddr_storage}. */
    private static final int SUBFLOW_ADDRS = 256;

    private static int mptcpSocket(Descriptors fds) {
        assumeTrue(Posix.IPPROTO_MPTCP != Posix.UNSUPPORTED && Posix.SOL_MPTCP != Posix.UNSUPPORTED,
                "Multipath TCP is Linux's");
        return OptionalProtocols.socket(fds, Posix.AF_INET, Posix.SOCK_STREAM, Posix.IPPROTO_MPTCP,
                "Multipath TCP (net.mptcp.enabled 0, or not built in)");
    }

    private static int listener(int fd) throws ErrnoException {
        Posix.bind(fd, new InetSocketAddress("127.0.0.1", 0));
        Posix.listen(fd, 4);
        return fd;
    }

    private static int accepted(Descriptors fds, int listener) throws ErrnoException {
        return fds.track(Posix.accept(listener));
    }

    private static ByteBuffer nativeOrder(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    @Test
    void anMptcpConnectionsInfoSaysItDidNotFallBackAndNamesItsSubflow() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int listener = listener(mptcpSocket(fds));
            int client = mptcpSocket(fds);
            Posix.connect(client, Descriptors.addressOf(listener));
            int server = accepted(fds, listener);
            Posix.send(client, new byte[] {1}, 0, 1, 0);
            assertEquals(1, Posix.recv(server, new byte[1], 0, 1, 0));

            byte[] info = new byte[512];
            int n = Posix.getsockopt(client, Posix.SOL_MPTCP, Posix.MPTCP_INFO, info);
            assertTrue(n >= INFO_FLAGS + Integer.BYTES && n < info.length, "mptcp_info of " + n + " bytes");
            int flags = nativeOrder(info).getInt(INFO_FLAGS);
            assertEquals(0, flags & Posix.MPTCP_INFO_FLAG_FALLBACK, "flags " + Integer.toHexString(flags));

            byte[] addrs = new byte[SUBFLOW_DATA + 2 * SUBFLOW_ADDRS];
            nativeOrder(addrs).putInt(0, SUBFLOW_DATA).putInt(12, SUBFLOW_ADDRS); // size_subflow_data, size_user
            n = Posix.getsockopt(client, Posix.SOL_MPTCP, Posix.MPTCP_SUBFLOW_ADDRS, addrs);
            ByteBuffer a = nativeOrder(addrs);
            int subflows = a.getInt(4);
            assertTrue(subflows >= 1, subflows + " subflows");
            assertEquals(SUBFLOW_DATA + Math.min(subflows, 2) * SUBFLOW_ADDRS, n, "the length C's call reports");
            assertEquals(Posix.AF_INET, a.getShort(SUBFLOW_DATA), "the local address's family");
            int remotePort = Short.toUnsignedInt(a.order(ByteOrder.BIG_ENDIAN).getShort(SUBFLOW_DATA + 128 + 2));
            assertEquals(Descriptors.addressOf(listener).getPort(), remotePort, "the remote port is the listener's");
        }
    }

    @Test
    void aFallbackToPlainTcpIsWhatMptcpInfoRefusesAsC() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int mptcp = mptcpSocket(fds);
            int plainListener = listener(fds.socket(Posix.AF_INET, Posix.SOCK_STREAM));
            Posix.connect(mptcp, Descriptors.addressOf(plainListener));
            accepted(fds, plainListener);
            ErrnoException fellBack = assertThrows(ErrnoException.class,
                    () -> Posix.getsockopt(mptcp, Posix.SOL_MPTCP, Posix.MPTCP_INFO, new byte[96]));
            assertEquals(Errno.EOPNOTSUPP, fellBack.errno(), "an MPTCP socket whose peer spoke plain TCP");

            int plain = fds.socket(Posix.AF_INET, Posix.SOCK_STREAM);
            ErrnoException notMptcp = assertThrows(ErrnoException.class,
                    () -> Posix.getsockopt(plain, Posix.SOL_MPTCP, Posix.MPTCP_INFO, new byte[96]));
            assertTrue(Set.of(Errno.ENOPROTOOPT, Errno.EOPNOTSUPP).contains(notMptcp.errno()),
                    "a plain TCP socket: " + notMptcp);
        }
    }

    @Test
    void optionsWhoseValueHoldsAddressesAreRefusedBeforeTheKernel() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int fd = mptcpSocket(fds);
            for (int name : new int[] {4, 5, 0, -1}) { // MPTCP_FULL_INFO (Linux 6.8), and names not known
                assertThrows(IllegalArgumentException.class,
                        () -> Posix.getsockopt(fd, Posix.SOL_MPTCP, name, new byte[64]), "read of " + name);
                assertThrows(IllegalArgumentException.class,
                        () -> Posix.setsockopt(fd, Posix.SOL_MPTCP, name, new byte[64]), "write of " + name);
            }
        }
    }
}

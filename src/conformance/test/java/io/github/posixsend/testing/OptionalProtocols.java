// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.Posix;
import io.github.posixsend.tools.probe.Descriptors;
import java.util.Set;

/**
 * Sockets of protocols a kernel may be built or set without (Multipath TCP, UDP-Lite): the test is skipped, saying
 * why, only on the errnos that mean the kernel makes no such socket; any other failure to make one fails it, so that
 * a broken {@code socket} call cannot pass as a kernel without the protocol.
 */
public final class OptionalProtocols {
    /**
     * What {@code socket} answers for a protocol the kernel lacks: {@code EPROTONOSUPPORT} (not built in, or removed),
     * {@code ESOCKTNOSUPPORT} and {@code EAFNOSUPPORT} (not for that type or family), {@code ENOPROTOOPT} (Multipath
     * TCP turned off by {@code net.mptcp.enabled}).
     */
    private static final Set<Errno> LACKING = Set.of(Errno.EPROTONOSUPPORT, Errno.ESOCKTNOSUPPORT, Errno.EAFNOSUPPORT,
            Errno.ENOPROTOOPT);

    private OptionalProtocols() {
    }

    /**
     * A socket of {@code protocol}, tracked by {@code fds}; the test skipped when the kernel lacks the protocol.
     *
     * @param why what the skip says the kernel lacks, e.g. "Multipath TCP (net.mptcp.enabled 0, or not built in)"
     * @throws AssertionError when {@code socket} fails with any other errno
     */
    public static int socket(Descriptors fds, int domain, int type, int protocol, String why) {
        int fd = Posix.trySocket(domain, type, protocol);
        if (fd < 0) {
            boolean lacking = LACKING.contains(Errno.fromNumber(-fd));
            assumeTrue(!lacking, () -> "this kernel makes no socket of " + why + ": " + Errno.nameOf(-fd));
            throw new AssertionError("socket(" + domain + ", " + type + ", " + protocol + ") failed with "
                    + Errno.nameOf(-fd) + ", which is not how a kernel says it lacks " + why);
        }
        return fds.track(fd);
    }
}

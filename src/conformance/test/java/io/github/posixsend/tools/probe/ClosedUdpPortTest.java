// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import static org.junit.jupiter.api.Assertions.*;

import io.github.posixsend.Errno;
import io.github.posixsend.Posix;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The port the probes and tests send refusals to: held, so that no sender can be given it (a port bound and closed
 * again was once given to the very sender, which read its own datagram where claim 23 wanted a refusal), and still
 * refusing every sender, because its holder takes datagrams from port 9 only.
 */
class ClosedUdpPortTest {

    @Test
    void thePortIsHeldAndRefusesEverySender() throws Exception {
        try (Descriptors d = new Descriptors()) {
            for (boolean v6 : new boolean[] {false, true}) {
                int family = v6 ? Posix.AF_INET6 : Posix.AF_INET;
                InetSocketAddress closed = d.closedUdpPort(v6);
                assertEquals(Descriptors.loopback(v6).getAddress(), closed.getAddress());
                int other = d.socket(family, Posix.SOCK_DGRAM);
                assertEquals(-Errno.EADDRINUSE.number(), Posix.tryBind(other, closed),
                        "no socket can be bound to the port while it is held");

                int sender = d.socket(family, Posix.SOCK_DGRAM);
                Posix.connect(sender, closed);
                int refused = -Errno.ECONNREFUSED.number();
                int r = 0;
                for (int i = 0; i < 400 && r != refused; i++) {
                    r = Posix.trySend(sender, new byte[] {1}, 0, 1, 0);
                    if (r == 1) {
                        Thread.sleep(5);
                    }
                }
                assertEquals(refused, r, "a later send reports the port unreachable");
            }
        }
    }
}

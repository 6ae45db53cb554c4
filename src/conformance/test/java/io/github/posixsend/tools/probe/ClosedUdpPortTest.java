// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import static org.junit.jupiter.api.Assertions.*;

import io.github.posixsend.Posix;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The port the probes and tests send refusals to: never one a sender holds. A sender left unbound would be given a
 * port by its first send or connect, and could be given the one just closed; it then reads its own datagram and no
 * refusal comes (seen once in CI as a POLLIN where the error-queue claim wanted POLLERR).
 */
class ClosedUdpPortTest {

    @Test
    void unboundSendersAreBoundToLoopbackFirstAndNeverGetThePort() throws Exception {
        try (Descriptors d = new Descriptors()) {
            for (boolean v6 : new boolean[] {false, true}) {
                for (int i = 0; i < 200; i++) {
                    int a = d.socket(v6 ? Posix.AF_INET6 : Posix.AF_INET, Posix.SOCK_DGRAM);
                    int b = d.boundUdp(v6);
                    int boundBefore = Descriptors.addressOf(b).getPort();
                    InetSocketAddress closed = d.closedUdpPort(v6, a, b);
                    InetSocketAddress first = Descriptors.addressOf(a);
                    assertEquals(Descriptors.loopback(v6).getAddress(), first.getAddress(), "bound to loopback");
                    assertNotEquals(0, first.getPort(), "bound before the port was chosen");
                    assertEquals(boundBefore, Descriptors.addressOf(b).getPort(), "a bound sender is left alone");
                    assertNotEquals(first.getPort(), closed.getPort());
                    assertNotEquals(boundBefore, closed.getPort());
                    assertEquals(Descriptors.loopback(v6).getAddress(), closed.getAddress());
                    d.closeNow(a);
                    d.closeNow(b);
                }
            }
        }
    }
}

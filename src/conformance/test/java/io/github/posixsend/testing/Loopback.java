// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import java.net.Inet6Address;
import java.net.UnknownHostException;

/** Loopback as a dual-stack socket sees it, beside {@link io.github.posixsend.tools.probe.Descriptors#loopback}. */
public final class Loopback {
    private Loopback() {
    }

    /**
     * {@code ::ffff:127.0.0.1}, 127.0.0.1 as an IPv6 address: an {@code AF_INET6} socket with {@code IPV6_V6ONLY}
     * 0 bound to it takes IPv4 datagrams to 127.0.0.1 and nothing else (the wildcard {@code ::} would take every
     * address's). An {@code Inet6Address}, which {@code InetAddress.getByName} would turn into an
     * {@code Inet4Address}.
     */
    public static Inet6Address mappedIpv4() {
        byte[] b = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1};
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }
}

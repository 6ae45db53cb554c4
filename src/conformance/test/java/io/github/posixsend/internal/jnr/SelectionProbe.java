// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jnr;

import io.github.posixsend.Posix;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;

/** Run in a child JVM by {@link BackendSelectionTest}: prints the backend's name and "ok" after a real round trip. */
public final class SelectionProbe {
    private SelectionProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.send(p.a, ByteBuffer.wrap(new byte[] {7, 8, 9}), 0);
            byte[] got = SocketIo.receive(p.b, 16, 5_000);
            System.out.println(Posix.backendName()
                    + (got != null && got.length == 3 && got[2] == 9 ? " ok" : " failed"));
        }
    }
}

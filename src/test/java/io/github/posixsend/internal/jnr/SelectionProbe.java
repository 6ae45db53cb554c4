package io.github.posixsend.internal.jnr;

import io.github.posixsend.Posix;
import io.github.posixsend.testing.Fds;
import java.nio.ByteBuffer;

/** Run in a child JVM by {@link BackendSelectionTest}: prints the backend's name and "ok" after a real round trip. */
public final class SelectionProbe {
    private SelectionProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (Fds fds = new Fds()) {
            Fds.Pair p = fds.udp4Pair();
            Posix.send(p.a, ByteBuffer.wrap(new byte[] {7, 8, 9}), 0);
            byte[] got = Fds.receive(p.b, 16, 5_000);
            System.out.println(Posix.backendName() + (got != null && got.length == 3 && got[2] == 9 ? " ok" : " failed"));
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Posix;
import io.github.posixsend.testing.ChildJvm;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * On JDK 17 a program that adds {@code jdk.incubator.foreign} can make direct buffers over resource scopes'
 * segments, and any thread can close a shared scope while a call holds such a buffer's address. posix-send tells
 * the scopes apart as it does arenas from JDK 22: a shared scope's buffer is staged, a confined one's read first,
 * and an implicit or the global one's (like a plain buffer's) passed by address. Run in a child JVM with the module
 * added, as a program would.
 */
class IncubatorScopeTest {

    @Test
    void theIncubatorsResourceScopesAreToldApart() throws Exception {
        assumeTrue(Runtime.version().feature() == 17, "jdk.incubator.foreign's resource scopes are told apart on JDK"
                + " 17; from JDK 22 SharedArenaTest covers arenas; this is " + Runtime.version());
        ChildJvm.Result r = ChildJvm.of(Probe.class).jvm("--add-modules", "jdk.incubator.foreign").run();
        assertTrue(r.endedNormally() && r.exitCode() == 0, r.toString());
        int staged = DirectBuffers.STAGED;
        int checked = DirectBuffers.CHECKED;
        int byAddress = DirectBuffers.BY_ADDRESS;
        assertTrue(r.output().contains("shared=" + staged + " confined=" + checked + " implicit=" + byAddress
                + " global=" + byAddress + " plain=" + byAddress + " sharedSlice=" + staged), r.toString());
        assertTrue(r.output().contains("received=64 same=true"), r.toString());
        assertTrue(r.output().contains("after close: IllegalStateException"), r.toString());
    }

    /** Without the module the JVM has no scopes: every direct buffer is checked by one read, as before. */
    @Test
    void withoutTheModuleEveryDirectBufferIsCheckedAsBefore() {
        assumeTrue(Runtime.version().feature() == 17, "this is " + Runtime.version());
        assertEquals(DirectBuffers.CHECKED, DirectBuffers.treatment(ByteBuffer.allocateDirect(8)));
    }

    /** The child: buffers of each kind of scope, their treatments, and a datagram received into a shared one. */
    public static final class Probe {
        public static void main(String[] args) throws Throwable {
            Class<?> scopes = Class.forName("jdk.incubator.foreign.ResourceScope");
            Class<?> segments = Class.forName("jdk.incubator.foreign.MemorySegment");
            Method allocate = segments.getMethod("allocateNative", long.class, scopes);
            Method asByteBuffer = segments.getMethod("asByteBuffer");
            Object shared = scopes.getMethod("newSharedScope").invoke(null);
            ByteBuffer[] bufs = new ByteBuffer[4];
            String[] makers = {"newSharedScope", "newConfinedScope", "newImplicitScope", "globalScope"};
            for (int i = 0; i < bufs.length; i++) {
                Object scope = i == 0 ? shared : scopes.getMethod(makers[i]).invoke(null);
                bufs[i] = (ByteBuffer) asByteBuffer.invoke(allocate.invoke(null, 64L, scope));
            }
            System.out.println("shared=" + DirectBuffers.treatment(bufs[0]) + " confined="
                    + DirectBuffers.treatment(bufs[1]) + " implicit=" + DirectBuffers.treatment(bufs[2]) + " global="
                    + DirectBuffers.treatment(bufs[3]) + " plain="
                    + DirectBuffers.treatment(ByteBuffer.allocateDirect(8))
                    + " sharedSlice=" + DirectBuffers.treatment(bufs[0].slice(8, 8)));

            int rx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
            int tx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
            try {
                Posix.bind(rx, new InetSocketAddress("127.0.0.1", 0));
                Posix.connect(tx, Posix.getsockname(rx));
                byte[] sent = new byte[64];
                for (int i = 0; i < sent.length; i++) {
                    sent[i] = (byte) (3 * i + 1);
                }
                Posix.send(tx, sent, 0, sent.length, 0);
                ByteBuffer into = bufs[0];
                int n = Posix.recv(rx, into, 0);
                byte[] got = new byte[64];
                into.get(0, got);
                System.out.println("received=" + n + " same=" + java.util.Arrays.equals(sent, got));
                ((AutoCloseable) shared).close();
                try {
                    Posix.send(tx, into.clear(), 0);
                    System.out.println("after close: sent");
                } catch (IllegalStateException e) {
                    System.out.println("after close: IllegalStateException");
                }
            } finally {
                Posix.close(tx);
                Posix.close(rx);
            }
        }
    }
}

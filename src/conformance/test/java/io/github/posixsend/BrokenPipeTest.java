// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.SigpipeProbe;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sending on a connection that cannot carry data any more fails with broken pipe, with and
 * without {@code MSG_NOSIGNAL}, and the JVM lives on (HotSpot ignores SIGPIPE; MSG_NOSIGNAL stops it being sent).
 * A child JVM that gives SIGPIPE its default action back shows the signal, and that the flag stops it.
 */
class BrokenPipeTest {

    private static int flags(boolean noSignal) {
        return noSignal ? MsgFlag.MSG_NOSIGNAL.value() : 0;
    }

    @ParameterizedTest(name = "MSG_NOSIGNAL={0}")
    @ValueSource(booleans = {true, false})
    void afterShutdownWriteSendIsBrokenPipe(boolean noSignal) throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.shutdown(p.a, Posix.SHUT_WR);
            ByteBuffer buf = ByteBuffer.wrap(new byte[] {1, 2, 3});
            BrokenPipeException e = assertThrows(BrokenPipeException.class,
                    () -> Posix.send(p.a, buf, flags(noSignal)));
            assertEquals(Errno.EPIPE, e.errno());
            assertEquals(0, buf.position());
            assertEquals(-Errno.EPIPE.number(), Posix.trySend(p.a, buf, flags(noSignal)));

            // the JVM is alive and the other direction still works
            assertEquals(2, Posix.send(p.b, new byte[] {9, 8}, 0, 2, 0));
            byte[] got = SocketIo.receive(p.a, 10, 5000);
            assertNotNull(got);
            assertArrayEquals(new byte[] {9, 8}, got);
        }
    }

    @ParameterizedTest(name = "MSG_NOSIGNAL={0}")
    @ValueSource(booleans = {true, false})
    void afterPeerCloseSendFailsWithBrokenPipeOrReset(boolean noSignal) throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            fds.closeNow(p.b);
            // The first sends may succeed: the peer's kernel answers them with a reset, after which Linux reports
            // EPIPE (and may report ECONNRESET once first). Both are the documented outcomes.
            ErrnoException failure = null;
            int accepted = 0;
            for (int i = 0; i < 1_000 && failure == null; i++) {
                try {
                    Posix.send(p.a, ByteBuffer.wrap(new byte[] {42}), flags(noSignal));
                    accepted++;
                    Thread.sleep(1);
                } catch (ErrnoException e) {
                    failure = e;
                }
            }
            assertNotNull(failure, "every one of " + accepted + " sends to a closed peer succeeded");
            assertTrue(failure instanceof BrokenPipeException || failure instanceof ConnectionResetException,
                    "unexpected " + failure);
            assertTrue(Set.of(Errno.EPIPE, Errno.ECONNRESET).contains(failure.errno()), failure.getMessage());
            // once reset, the socket keeps reporting broken pipe
            BrokenPipeException again = assertThrows(BrokenPipeException.class,
                    () -> Posix.send(p.a, new byte[1], 0, 1, flags(noSignal)));
            assertEquals(Errno.EPIPE, again.errno());

            // the JVM lives: a fresh pair still works
            Descriptors.Pair u = fds.udpPair(false);
            assertEquals(1, Posix.send(u.a, new byte[] {7}, 0, 1, 0));
            assertNotNull(SocketIo.receive(u.b, 10, 5000));
        }
    }

    /**
     * In a JVM the two look alike, as HotSpot ignores SIGPIPE: a child JVM restores the signal's default action,
     * which ends the process, and sends on a connection shut for writing. With MSG_NOSIGNAL it gets EPIPE and lives;
     * without, the signal ends it (exit status 128 + 13 as Java reports a process killed by a signal).
     */
    @ParameterizedTest(name = "MSG_NOSIGNAL={0}")
    @ValueSource(booleans = {true, false})
    void sigpipeEndsAProcessThatDoesNotIgnoreItUnlessMsgNosignal(boolean noSignal) throws Exception {
        assumeTrue(MsgFlag.MSG_NOSIGNAL.isSupported(), "no MSG_NOSIGNAL on " + Os.current());
        ChildJvm.Result r = ChildJvm.of(SigpipeProbe.class, noSignal ? "nosignal" : "signal")
                .jvm("--enable-native-access=ALL-UNNAMED").run();
        assertTrue(r.output().contains("jvm handler=true"), "the JVM had a SIGPIPE handler to replace: " + r);
        assertTrue(r.output().contains("sending"), r.toString());
        if (noSignal) {
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.output().contains("returned " + -Errno.EPIPE.number()), r.toString());
            assertTrue(r.output().contains("default action kept=true"), r.toString());
        } else {
            assertEquals(128 + 13, r.exitCode(), "ended by SIGPIPE: " + r);
            assertFalse(r.output().contains("returned"), r.toString());
            assertTrue(r.crashLogs().isEmpty(), r.toString());
        }
    }
}

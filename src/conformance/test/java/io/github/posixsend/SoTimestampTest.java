// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code SO_TIMESTAMP}, Linux's and NetBSD's (and translated by qemu-user, unlike {@code SO_TIMESTAMPNS}): each
 * datagram comes with an {@code SCM_TIMESTAMP} {@code struct timeval} of when it arrived, whole microseconds between
 * the send and the end of the receive, read alike from the list and in place, through {@code recvmsg} and
 * {@code recvmmsg}. Reading it without allocating is {@link TimestampTest}'s.
 */
class SoTimestampTest {
    /** The time now to the microsecond below, in nanoseconds since the epoch: a timeval's time is never earlier. */
    private static long nowMicros() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano() / 1_000 * 1_000L;
    }

    @Test
    void eachDatagramCarriesItsTimeInMicroseconds() throws Exception {
        int n = 3;
        Message[] in = new Message[n];
        try (Descriptors fds = new Descriptors(); MessageBatch batch = new MessageBatch(n)) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMP, 1);
            assertEquals(1, Posix.getsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMP));
            // a batch received before Linux's deferred switch-on of receive times has run could hold datagrams given
            // the time of the receive before others stamped, earlier, at arrival
            SocketIo.awaitArrivalTimes(p.a, p.b);
            int space = ControlMessage.space(ControlMessage.Kind.TIMESTAMP);
            for (int i = 0; i < n; i++) {
                in[i] = new Message(space).add(ByteBuffer.allocateDirect(8));
                batch.add(in[i]);
            }
            long before = nowMicros();
            Posix.send(p.a, new byte[] {7}, 0, 1, 0);
            assertEquals(1, Posix.recvmsg(p.b, in[0], 0));
            long after = nowMicros() + 1_000;
            assertEquals(1, in[0].receivedControl().size(), in[0].receivedControl().toString());
            ControlMessage c = in[0].receivedControl().get(0);
            assertEquals(ControlMessage.Kind.TIMESTAMP, c.kind());
            assertEquals(Posix.SOL_SOCKET, c.level());
            assertEquals(Posix.SCM_TIMESTAMP, c.type());
            long[] t = c.timestamps();
            assertEquals(1, t.length);
            assertTrue(t[0] >= before && t[0] <= after, before + " <= " + t[0] + " <= " + after);
            assertEquals(0, t[0] % 1_000, "whole microseconds");
            assertEquals(t[0], in[0].receivedNanos(ControlMessage.Kind.TIMESTAMP, 0), "read in place");
            assertEquals(-1, in[0].receivedNanos(ControlMessage.Kind.TIMESTAMPNS, 0), "no SCM_TIMESTAMPNS came");
            assertThrows(IllegalArgumentException.class, () -> in[0].receivedNanos(ControlMessage.Kind.TIMESTAMP, 1));
            assertThrows(IllegalArgumentException.class, () -> in[0].receivedValue(ControlMessage.Kind.TIMESTAMP));
            assertThrows(IllegalStateException.class, c::value, "a received time is no single value");
            // a batch: each datagram its own time, in the order they came
            before = nowMicros();
            for (int i = 0; i < n; i++) {
                Posix.send(p.a, new byte[] {(byte) i}, 0, 1, 0);
                in[i].buffer(0).clear();
            }
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(2));
            assertEquals(n, Posix.recvmmsg(p.b, batch, 0));
            after = nowMicros() + 1_000;
            long last = before;
            for (int i = 0; i < n; i++) {
                long ti = in[i].receivedNanos(ControlMessage.Kind.TIMESTAMP, 0);
                assertTrue(ti >= last && ti <= after, "message " + i + ": " + last + " <= " + ti + " <= " + after);
                assertEquals(ti, in[i].receivedControl().get(0).timestamps()[0], "message " + i);
                assertEquals(i, in[i].buffer(0).get(0), "datagram " + i + " in its own message");
                last = ti;
            }
            // with the option off, no time comes
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_TIMESTAMP, 0);
            Posix.send(p.a, new byte[] {8}, 0, 1, 0);
            in[0].buffer(0).clear();
            assertEquals(1, Posix.recvmsg(p.b, in[0], 0));
            assertEquals(-1, in[0].receivedNanos(ControlMessage.Kind.TIMESTAMP, 0));
            assertTrue(in[0].receivedControl().isEmpty(), in[0].receivedControl().toString());
        } finally {
            for (Message m : in) {
                if (m != null) {
                    m.close();
                }
            }
        }
    }

}

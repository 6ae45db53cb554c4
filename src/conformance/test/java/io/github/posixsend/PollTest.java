// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code poll(2)} through {@link PollSet}, on real loopback sockets. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PollTest {
    private static final int WAIT = 5000;

    @Test
    void aFullSocketIsNotWritableUntilThePeerDrains() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.setsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_SNDBUF, 16 * 1024);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVBUF, 16 * 1024);
            Posix.setBlocking(p.a, false);
            SocketIo.fillUntilWouldBlock(p.a, 64 * 1024, 0, 10_000);

            PollSet set = new PollSet(1);
            int i = set.add(p.a, Posix.POLLOUT);
            assertEquals(0, set.poll(0), "a socket whose send buffer is full is not writable");
            assertEquals(0, set.revents(i));

            long drained = SocketIo.drain(p.b, null, 200, 100_000);
            assertTrue(drained > 0);
            assertEquals(1, set.poll(WAIT), "writable again once the peer has read");
            assertEquals(Posix.POLLOUT, set.revents(i));
            assertTrue(set.isReady(i, Posix.POLLOUT));
        }
    }

    @Test
    void readableWhenDataArrivesAndAZeroTimeoutReturnsAtOnce() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            PollSet set = new PollSet(2);
            int rx = set.add(p.b, Posix.POLLIN);
            int tx = set.add(p.a, Posix.POLLIN);
            assertEquals(0, set.poll(0), "nothing to read yet");
            assertEquals(0, set.revents(rx));
            Posix.send(p.a, new byte[] {1, 2, 3}, 0, 3, 0);
            assertEquals(1, set.poll(WAIT));
            assertEquals(Posix.POLLIN, set.revents(rx));
            assertEquals(0, set.revents(tx), "the sender has nothing to read");
            // asking for nothing still reports nothing on a healthy socket
            set.setEvents(rx, 0);
            assertEquals(0, set.poll(0));
        }
    }

    /**
     * Linux's tcp_poll: after the peer's close the socket is half closed (its FIN read as end of stream, so
     * readable, and still writable); once a send draws the peer's reset, the connection is gone and POLLERR and
     * POLLHUP are reported as well, whether asked for or not.
     */
    @Test
    void aClosedPeerGivesPollhupAndPollerrAsLinuxReportsThem() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the exact sets are Linux's");
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            fds.closeNow(p.b);
            PollSet set = new PollSet(1);
            int i = set.add(p.a, Posix.POLLRDHUP);
            assertEquals(1, set.poll(WAIT), "the peer's FIN arrives");
            set.setEvents(i, Posix.POLLIN | Posix.POLLOUT | Posix.POLLRDHUP);
            assertEquals(1, set.poll(0));
            assertEquals(Posix.POLLIN | Posix.POLLOUT | Posix.POLLRDHUP, set.revents(i), "half closed: " + set);

            Posix.send(p.a, new byte[] {1}, 0, 1, MsgFlag.MSG_NOSIGNAL.value()); // the closed peer answers with RST
            set.setEvents(i, 0); // wait for what is reported unasked
            assertEquals(1, set.poll(WAIT));
            assertEquals(Posix.POLLERR | Posix.POLLHUP, set.revents(i), "reset: " + set);
            set.setEvents(i, Posix.POLLIN | Posix.POLLOUT | Posix.POLLRDHUP);
            assertEquals(1, set.poll(0));
            assertEquals(Posix.POLLIN | Posix.POLLOUT | Posix.POLLRDHUP | Posix.POLLERR | Posix.POLLHUP,
                    set.revents(i));
            // named as C writes them, in the order of poll.h
            assertEquals("POLLIN|POLLOUT|POLLERR|POLLHUP|POLLRDHUP", PollSet.eventsToString(set.revents(i)));
            assertEquals("PollSet[fd " + p.a + " events POLLIN|POLLOUT|POLLRDHUP revents "
                    + "POLLIN|POLLOUT|POLLERR|POLLHUP|POLLRDHUP]", set.toString());
        }
    }

    @Test
    void eventsAreNamedAsCWritesThem() {
        assertEquals("0", PollSet.eventsToString(0));
        assertEquals("POLLIN", PollSet.eventsToString(Posix.POLLIN));
        assertEquals("POLLPRI|POLLOUT|POLLNVAL",
                PollSet.eventsToString(Posix.POLLNVAL | Posix.POLLOUT | Posix.POLLPRI));
        // a bit no POLL* name has: left over, in hex
        assertEquals("POLLERR|0x10000", PollSet.eventsToString(Posix.POLLERR | 0x10000));
        assertEquals("0x10000", PollSet.eventsToString(0x10000));
        if (Posix.isSupported(Posix.POLLRDHUP)) {
            assertEquals("POLLHUP|POLLRDHUP", PollSet.eventsToString(Posix.POLLRDHUP | Posix.POLLHUP));
        }
        assertEquals("POLLIN|POLLRDNORM", PollSet.eventsToString(Posix.POLLIN | Posix.POLLRDNORM));
        assertEquals("POLLRDBAND|POLLWRBAND", PollSet.eventsToString(Posix.POLLWRBAND | Posix.POLLRDBAND));
    }

    /** The XSI bits: a socket with data is POLLRDNORM too, a writable one POLLWRNORM, each when asked for. */
    @Test
    void normalDataIsReportedByItsOwnBitsWhenAskedFor() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            PollSet set = new PollSet(2);
            int rx = set.add(p.b, Posix.POLLRDNORM | Posix.POLLRDBAND);
            int tx = set.add(p.a, Posix.POLLWRNORM);
            assertEquals(1, set.poll(WAIT), "a fresh connection is writable");
            assertEquals(Posix.POLLWRNORM, set.revents(tx) & Posix.POLLWRNORM, PollSet.eventsToString(set.revents(tx)));
            assertEquals(0, set.revents(rx), "nothing to read yet");
            Posix.send(p.a, new byte[] {1}, 0, 1, 0);
            assertEquals(2, set.poll(WAIT));
            assertEquals(Posix.POLLRDNORM, set.revents(rx), "normal data, no priority band");
        }
    }

    @Test
    void aBadDescriptorGivesPollnvalAndANegativeOneIsIgnored() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int ok = fds.boundUdp(false);
            PollSet set = new PollSet(3);
            int bad = set.add(Integer.MAX_VALUE, Posix.POLLIN); // far above any open descriptor
            int off = set.add(-1, Posix.POLLIN);
            int good = set.add(ok, Posix.POLLOUT);
            assertEquals(2, set.poll(0));
            assertEquals(Posix.POLLNVAL, set.revents(bad));
            assertEquals(0, set.revents(off), "a negative descriptor is skipped, as in C");
            assertEquals(Posix.POLLOUT, set.revents(good));
            assertEquals(2, Posix.poll(set, 0), "the Posix form is the same call");
        }
    }

    @Test
    void pollingAgainAllocatesNothing() throws Exception {
        SteadyAllocation.assumeMeasurable();
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            PollSet set = new PollSet(2);
            set.add(p.a, Posix.POLLOUT);
            set.add(p.b, Posix.POLLIN);
            SteadyAllocation.Round polls = () -> {
                long wrong = 0;
                for (int i = 0; i < 10_000; i++) {
                    wrong += set.tryPoll(0) == 1 ? 0 : 1;
                    wrong += set.isReady(0, Posix.POLLOUT) ? 0 : 1;
                }
                return wrong;
            };
            assertEquals(0, polls.run() + polls.run(), "every poll found the one writable socket (warm-up)");
            assertEquals(0, SteadyAllocation.leastBeyond("10,000 polls", () -> AllocationBudget.forDowncalls(10_000),
                    polls), "bytes allocated by 10,000 polls beyond the budget");
        }
    }

    /** C's compaction, {@code fds[i] = fds[--n]}: the last entry takes the removed one's place with its revents. */
    @Test
    void removeMovesTheLastEntryIntoThePlaceWithItsRevents() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            int a = fds.boundUdp(false);
            int b = fds.boundUdp(false);
            int quiet = fds.boundUdp(false); // nothing to read: its revents stay 0
            PollSet set = new PollSet(4);
            set.add(a, Posix.POLLOUT);
            set.add(quiet, Posix.POLLIN);
            set.add(b, Posix.POLLOUT | Posix.POLLIN);
            assertEquals(2, set.poll(0));
            set.remove(0);
            assertEquals(2, set.size());
            assertEquals(b, set.fd(0), "the last entry moved into the place");
            assertEquals(Posix.POLLOUT | Posix.POLLIN, set.events(0));
            assertEquals(Posix.POLLOUT, set.revents(0), "and kept what the last poll reported");
            assertEquals(quiet, set.fd(1));
            assertEquals(0, set.revents(1));
            set.remove(1); // the last one: nothing moves
            assertEquals(1, set.size());
            assertEquals(b, set.fd(0));
            assertThrows(IndexOutOfBoundsException.class, () -> set.remove(1));
            set.remove(0);
            assertEquals(0, set.size());
            assertThrows(IndexOutOfBoundsException.class, () -> set.remove(0));
            assertEquals(0, set.add(a, Posix.POLLOUT), "the room is used again");
            assertEquals(1, set.poll(0));
        }
    }

    @Test
    void aSetOfNoneWaitsAsCsPollOfNothingDoes() throws Exception {
        PollSet none = new PollSet(0);
        assertEquals(0, none.capacity());
        assertEquals(0, none.tryPoll(0));
        assertEquals(0, none.poll(20), "C's poll(NULL, 0, 20): nothing is ready when the wait ends");
        assertThrows(IllegalStateException.class, () -> none.add(0, Posix.POLLIN));
    }

    @Test
    void argumentsAreCheckedInJava() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new PollSet(-1));
        assertThrows(IllegalArgumentException.class, () -> new PollSet(PollSet.MAX_CAPACITY + 1));
        PollSet set = new PollSet(1);
        assertThrows(IndexOutOfBoundsException.class, () -> set.revents(0));
        assertThrows(UnsupportedOperationException.class, () -> set.add(0, Posix.UNSUPPORTED));
        assertThrows(IllegalArgumentException.class, () -> set.add(0, 0x10000));
        set.add(0, Posix.POLLIN);
        assertEquals("poll set full: it was made for 1 entry",
                assertThrows(IllegalStateException.class, () -> set.add(1, Posix.POLLIN)).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> set.set(1, 0, Posix.POLLIN));
        assertThrows(IndexOutOfBoundsException.class, () -> set.setEvents(1, Posix.POLLIN));
        assertThrows(UnsupportedOperationException.class, () -> set.set(0, 0, Posix.UNSUPPORTED));
        assertThrows(UnsupportedOperationException.class, () -> set.setEvents(0, Posix.UNSUPPORTED));
        assertThrows(IllegalArgumentException.class, () -> set.set(0, 0, 0x10000));
        assertThrows(IllegalArgumentException.class, () -> set.setEvents(0, 0x10000));
        assertEquals(Posix.POLLIN, set.events(0), "a refused change leaves the entry as it was");
        assertThrows(IllegalArgumentException.class, () -> set.setEvents(0, -0x8001));
        // a short's 16 bits, written either way: all bits as 0xffff or as -1
        set.setEvents(0, -1);
        assertEquals(0xffff, set.events(0));
        set.setEvents(0, Short.MIN_VALUE);
        assertEquals(0x8000, set.events(0));
        set.setEvents(0, 0xffff);
        assertEquals(0xffff, set.events(0));
        set.setEvents(0, Posix.POLLIN);
        assertThrows(NullPointerException.class, () -> Posix.poll(null, 0));
        set.clear();
        assertEquals(0, set.size());
        assertEquals(0, set.poll(0), "an empty set has nothing to report");
    }

    /**
     * The README's port of a C sender: sendmmsg with MSG_DONTWAIT, and on EAGAIN a poll for POLLOUT before trying
     * again. The receiver starts reading only after the first EAGAIN, so the poll path is taken for certain.
     */
    @Test
    void theReadmeSendmmsgLoopDeliversEveryDatagram() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, java.time.Duration.ofSeconds(10));
            int batches = 20;
            int perBatch = 64;
            java.util.concurrent.CountDownLatch full = new java.util.concurrent.CountDownLatch(1);
            int[] received = {0};
            Throwable[] failure = {null};
            Thread reader = new Thread(() -> {
                try {
                    full.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    byte[] buf = new byte[512];
                    for (int i = 0; i < batches * perBatch; i++) {
                        Posix.recv(p.b, buf, 0, buf.length, 0); // bounded by SO_RCVTIMEO
                        received[0]++;
                    }
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            reader.start();

            ByteBuffer[] data = new ByteBuffer[perBatch];
            Message[] messages = new Message[perBatch];
            for (int i = 0; i < perBatch; i++) {
                data[i] = ByteBuffer.allocateDirect(256);
                messages[i] = Message.of(data[i]);
            }
            MessageBatch batch = new MessageBatch(perBatch);
            PollSet out = new PollSet(1);
            out.add(p.a, Posix.POLLOUT);
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            int eagain = 0;
            int calls = 0;
            for (int b = 0; b < batches; b++) {
                batch.clear();
                for (int i = 0; i < perBatch; i++) {
                    data[i].clear();
                    batch.add(messages[i]);
                }
                // the loop of the README
                while (batch.size() > 0) {
                    assertTrue(++calls < 100_000, "the loop is bounded");
                    int r = Posix.trySendmmsg(p.a, batch, dontwait);
                    if (r >= 0) {
                        batch.removeSent();
                        continue;
                    }
                    if (r != -Errno.EAGAIN.number()) {
                        throw ErrnoException.of("sendmmsg", -r);
                    }
                    eagain++;
                    full.countDown();
                    out.poll(1000); // EINTR is retried inside, with the time left
                }
            }
            full.countDown();
            reader.join(30_000);
            assertEquals(null, failure[0]);
            assertEquals(batches * perBatch, received[0], "every datagram arrived");
            assertTrue(eagain > 0, "the socket filled up at least once");
        }
    }
}

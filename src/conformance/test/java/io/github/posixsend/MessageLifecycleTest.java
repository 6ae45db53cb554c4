// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.Blocked;
import io.github.posixsend.testing.DirectPool;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import io.github.posixsend.internal.MessagePlan;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Closing messages and batches, and one thread at a time: a closed object refuses every later call and leaves
 * its buffers alone, closing twice is harmless, a close during another thread's blocking call takes effect when
 * that call returns (which still completes normally), and a second thread's call during the first one is refused.
 */
class MessageLifecycleTest {

    @Test
    void aClosedMessageRefusesEveryCall() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            ByteBuffer buf = ByteBuffer.allocateDirect(4).put(new byte[] {1, 2, 3, 4}).flip();
            Message m = Message.of(buf);
            assertEquals(4, Posix.sendmsg(p.a, m, 0));
            buf.flip();
            m.close();
            m.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Posix.sendmsg(p.a, m, 0));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> Posix.trySendmsg(p.a, m, 0));
            assertThrows(IllegalStateException.class, () -> Posix.recvmsg(p.b, m, 0));
            try (MessageBatch batch = new MessageBatch(1).add(m)) {
                e = assertThrows(IllegalStateException.class, () -> Posix.sendmmsg(p.a, batch, 0));
                assertEquals("sendmmsg: message 0 of the batch is closed", e.getMessage(), "the call and the message");
            }
            // in a larger batch, by the plan's way, sent and received, and again once the plan holds the others
            try (Message open = Message.of(ByteBuffer.allocateDirect(4));
                    MessageBatch batch = new MessageBatch(2).add(open)) {
                assertEquals(1, Posix.sendmmsg(p.a, batch, 0), "encoded once without the closed message");
                batch.add(m);
                e = assertThrows(IllegalStateException.class, () -> Posix.sendmmsg(p.a, batch, 0));
                assertEquals("sendmmsg: message 1 of the batch is closed", e.getMessage());
                e = assertThrows(IllegalStateException.class,
                        () -> Posix.recvmmsg(p.b, batch, MsgFlag.MSG_DONTWAIT.value()));
                assertEquals("recvmmsg: message 1 of the batch is closed", e.getMessage());
                assertTrue(e.getCause().getMessage().contains("closed"), "the message's own refusal as the cause");
            }
            assertEquals(0, buf.position(), "the buffer is the caller's and untouched");
            assertEquals(1, buf.get(0));
            assertNotNull(SocketIo.receive(p.b, 16, 2000), "the first datagram");
        }
    }

    /** Closing frees the message's native memory only: what its last receive recorded is Java's and stays. */
    @Test
    void aClosedMessageKeepsWhatItsLastReceiveRecorded() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            int option = Posix.IP_RECVPKTINFO != Posix.UNSUPPORTED ? Posix.IP_RECVPKTINFO : Posix.IP_PKTINFO;
            Posix.setsockopt(p.b, Posix.IPPROTO_IP, option, 1);
            assertEquals(3, Posix.send(p.a, new byte[] {7, 8, 9}, 0, 3, 0));
            Message m = new Message(128).add(ByteBuffer.allocateDirect(2));
            assertEquals(3, Posix.recvmsg(p.b, m, MsgFlag.MSG_TRUNC.value()));
            m.close();
            assertEquals(Descriptors.addressOf(p.a), m.source());
            SockAddrBuffer from = new SockAddrBuffer();
            assertTrue(m.source(from));
            assertEquals(Descriptors.addressOf(p.a).getPort(), from.port());
            assertTrue(m.truncated(), "MSG_TRUNC: 3 bytes into 2");
            assertEquals(1, m.receivedControl().size());
            PacketInfo info = new PacketInfo();
            assertTrue(info.read(m), "the packet info of the last receive");
            byte[] local = new byte[16];
            assertEquals(4, info.address(local));
            assertEquals(127, local[0] & 0xff);
            assertThrows(IllegalStateException.class, () -> Posix.recvmsg(p.b, m, 0), "but no call");
        }
    }

    @Test
    void aClosedBatchRefusesEveryCall() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Message m = Message.of(ByteBuffer.allocateDirect(2));
            MessageBatch batch = new MessageBatch(4).add(m);
            assertEquals(1, Posix.sendmmsg(p.a, batch, 0));
            batch.close();
            batch.close();
            assertThrows(IllegalStateException.class, () -> Posix.sendmmsg(p.a, batch, 0));
            m.buffer(0).flip();
            assertEquals(2, Posix.sendmsg(p.a, m, 0), "closing the batch does not close its messages");
            m.close();
        }
    }

    @Test
    void closeDuringABlockingReceiveTakesEffectWhenItReturns() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            // bounds the receive should the datagram never come (closing fds wakes it as well)
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(5));
            ByteBuffer in = ByteBuffer.allocateDirect(16);
            Message m = Message.of(in);
            // the receiver blocks in the kernel until a datagram comes; meanwhile a second call and a close come
            // from this thread
            Blocked blocked = new Blocked(fds, "blocked-recvmsg", () -> Posix.recvmsg(p.b, m, 0));
            IllegalStateException busy = assertThrows(IllegalStateException.class, () -> Posix.sendmsg(p.a, m, 0));
            assertTrue(busy.getMessage().contains("another thread"), busy.getMessage());
            m.close();
            Posix.send(p.a, new byte[] {7, 8, 9}, 0, 3, 0);
            assertEquals(3L, blocked.outcome(), "the call under way completes");
            assertEquals(3, in.position());
            assertEquals(9, in.get(2));
            assertThrows(IllegalStateException.class, () -> Posix.recvmsg(p.b, m, 0), "closed now");
        }
    }

    /**
     * A batch's list cannot change while another thread receives with it: the call's results go to the messages it
     * started with, so a clear, add or removeSent then is refused, and the call fills the message it had.
     */
    @Test
    void aBatchsListCannotChangeDuringACall() throws Exception {
        try (Descriptors fds = new Descriptors(); Message m = Message.of(ByteBuffer.allocateDirect(16));
                Message other = Message.of(ByteBuffer.allocateDirect(16));
                MessageBatch batch = new MessageBatch(4).add(m)) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_RCVTIMEO, Duration.ofSeconds(5));
            Blocked blocked = new Blocked(fds, "blocked-recvmmsg", () -> Posix.recvmmsg(p.b, batch, 0));
            for (Runnable change : new Runnable[] {batch::clear, () -> batch.add(other), batch::removeSent}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, change::run);
                assertTrue(e.getMessage().contains("another thread"), e.getMessage());
            }
            assertEquals(1, batch.size(), "the list is as the call found it");
            Posix.send(p.a, new byte[] {1, 2, 3}, 0, 3, 0);
            assertEquals(1, blocked.outcome(), "the call under way completes");
            assertEquals(3, batch.bytesReceived(0));
            assertEquals(3, m.buffer(0).position(), "into the message it started with");
            batch.clear().add(other); // allowed again once the call returned
            assertEquals(other, batch.get(0));
        }
    }

    @Test
    void aOneOffLargeHeapSendDoesNotKeepItsStaging() throws Exception {
        try (Descriptors fds = new Descriptors(); Message m = Message.of(ByteBuffer.allocate(16 << 20))) {
            Descriptors.Pair p = fds.udpPair(false);
            long before = DirectPool.used();
            // 16 MiB is no datagram (EMSGSIZE), but the bytes were staged before the kernel said so
            int r = (int) Posix.trySendmsg(p.a, m, 0);
            assertEquals(-Errno.EMSGSIZE.number(), r);
            long after = DirectPool.used();
            assertTrue(after - before < (1 << 20), "staging freed after the call: " + before + " -> " + after);
            m.buffers(ByteBuffer.allocate(8));
            assertEquals(8, Posix.sendmsg(p.a, m, 0), "and the message still works");
        }
    }

    @Test
    void aPlanFreesWhatGrewPastItsLimitWhenTheCallEnds() {
        MessagePlan p = TestPlans.create();
        p.acquire();
        p.begin(1, 0, 0, 64);
        ByteBuffer small = p.buffer();
        p.release();
        assertSame(small, p.buffer(), "a small plan is kept for the next call");
        p.acquire();
        p.begin(1, 0, 0, 4 << 20);
        ByteBuffer big = p.buffer();
        assertTrue(big.capacity() >= 4 << 20);
        p.release();
        assertNull(p.buffer(), "a plan that grew past the limit is not kept");
        if (Runtime.version().feature() >= 22) {
            // there the memory is an arena's, and closing it makes every access fail instead of reading freed memory
            assertThrows(IllegalStateException.class, () -> big.get(0), "the memory is really freed");
        }
        p.close();
        assertThrows(IllegalStateException.class, p::acquire);
        p.close();
    }
}

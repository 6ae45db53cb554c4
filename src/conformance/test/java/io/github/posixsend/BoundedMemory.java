// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.testing.ProcSelfStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Run in a child JVM by {@link BoundedMemoryTest} with a small direct-memory limit and explicit collection off:
 * messages and batches that are closed after use, and one message that stages large heap buffers again and again,
 * and the calls whose scratch is larger than a thread keeps, must never run out of direct memory. Prints "done" and the
 * number of rounds. With a second argument {@code unclosed}, with a small heap instead: messages and batches used once
 * and never closed, each holding a plan of native memory, must be freed as the collector finds them, not pile up
 * because nothing tells it they hold memory; then "peak" and the process's peak resident memory in KiB
 * ({@code VmHWM}) follow. A third argument {@code interrupted} makes the same calls with the thread's interrupt
 * pending, which must still be pending at the end ("still interrupted").
 */
public final class BoundedMemory {
    private BoundedMemory() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int rx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
        int tx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
        Posix.bind(rx, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        Posix.connect(tx, Posix.getsockname(rx));
        Posix.setBlocking(tx, false);
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        if (args.length > 1 && args[1].equals("unclosed")) {
            if (args.length > 2 && args[2].equals("interrupted")) {
                // a thread whose interrupt is pending (a pool's worker, code that sets it again) is held back as well
                Thread.currentThread().interrupt();
            }
            neverClosed(rounds, tx, rx, dontwait);
            return;
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        byte[] heap = new byte[1000];
        for (int i = 0; i < rounds; i++) {
            try (Message m = Message.of(direct.clear(), ByteBuffer.wrap(heap)).addControl(ControlMessage.ipTtl(3));
                    MessageBatch b = new MessageBatch(4)) {
                Posix.trySendmsg(tx, m, dontwait);
                b.add(Message.of(ByteBuffer.wrap(heap))).add(m);
                Posix.trySendmmsg(tx, b, dontwait);
                b.get(0).close();
            }
        }
        // bursts of messages open at once, each with a plan (three buffers), then all closed: 4 MB a burst, more than
        // is kept for reuse, so the rest must be freed at close, not left to a collection nobody may ask for
        Message[] open = new Message[1000];
        for (int burst = 0; burst < 8; burst++) {
            for (int i = 0; i < open.length; i++) {
                open[i] = Message.of(direct.duplicate().limit(16), direct.duplicate().limit(32).position(16),
                        direct.duplicate().position(32));
                Posix.trySendmsg(tx, open[i], dontwait);
            }
            for (Message m : open) {
                m.close();
            }
        }
        // 4 MiB of heap bytes staged per call: the plan grows to 8 MiB, half the limit, and must not stay
        try (Message big = Message.of(ByteBuffer.allocate(4 << 20))) {
            for (int i = 0; i < 20; i++) {
                big.buffer(0).clear();
                Posix.trySendmsg(tx, big, dontwait); // EMSGSIZE, after staging
                try (Message other = Message.of(ByteBuffer.allocate(4 << 20))) {
                    Posix.trySendmsg(tx, other, dontwait);
                }
            }
        }
        // a read-only heap buffer's 4 MiB copy, and a receive's 1 MiB of control space with the structs beside it:
        // scratch for one call only, which is freed when the call ends
        ByteBuffer readOnly = ByteBuffer.allocate(4 << 20).asReadOnlyBuffer();
        try (Message wide = new Message(Message.MAX_CONTROL_SPACE).add(ByteBuffer.allocateDirect(16))) {
            for (int i = 0; i < 20; i++) {
                Posix.trySend(tx, readOnly.clear(), dontwait); // EMSGSIZE, after the copy
                Posix.tryRecvmsg(rx, wide, dontwait); // EAGAIN, after the structs were built
            }
        }
        Posix.close(tx);
        Posix.close(rx);
        System.out.println("done " + rounds);
    }

    private static void neverClosed(int rounds, int tx, int rx, int dontwait) throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < rounds; i++) {
            // three buffers and a control message: more than the calls that need no plan take
            Message m = Message.of(direct.duplicate().limit(16), direct.duplicate().limit(32).position(16),
                    direct.duplicate().position(32)).addControl(ControlMessage.ipTtl(3));
            Posix.trySendmsg(tx, m, dontwait);
            MessageBatch b = new MessageBatch(2).add(m);
            Posix.trySendmmsg(tx, b, dontwait);
            while (Posix.tryRecv(rx, in.clear(), dontwait) >= 0) {
                // drained, so that the sends go on to the kernel's copy and the plans are written each round
            }
        }
        Posix.close(tx);
        Posix.close(rx);
        String peak = ProcSelfStatus.value("VmHWM:");
        if (peak == null) {
            throw new IllegalStateException("/proc/self/status has no VmHWM line: the peak cannot be told");
        }
        System.out.println("done " + rounds + " peak " + peak.replaceAll("\\D+", " ").trim()
                + (Thread.currentThread().isInterrupted() ? " still interrupted" : ""));
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link BoundedMemoryTest} with a small heap and direct-memory limit: messages and batches
 * that are used once and never closed, each holding a plan of native memory, must be freed as the collector finds
 * them, not pile up because nothing tells it they hold memory. Prints "done", the number of rounds and the
 * process's peak resident memory in KiB ({@code VmHWM}).
 */
public final class UnclosedMemory {
    private UnclosedMemory() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int rx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
        int tx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
        Posix.bind(rx, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        Posix.connect(tx, Posix.getsockname(rx));
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
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
        String peak = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM:")).findFirst().orElse("VmHWM: -1 kB");
        System.out.println("done " + rounds + " peak " + peak.replaceAll("\\D+", " ").trim());
    }
}

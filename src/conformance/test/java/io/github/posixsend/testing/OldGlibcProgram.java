// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import io.github.posixsend.MessageBatch;
import io.github.posixsend.Message;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by scripts/old-glibc-check on an older glibc than the build's: says which C library the process mapped, whether
 * posix-send loaded its bundled shim, and sends and receives batches again and again through it (the structs the
 * shim keeps for a thread), also on a thread that then ends.
 */
public final class OldGlibcProgram {
    private OldGlibcProgram() {
    }

    public static void main(String[] args) throws Exception {
        String libc = Files.readAllLines(Path.of("/proc/self/maps")).stream().map(l -> l.replaceAll(".* ", ""))
                .filter(f -> f.matches(".*/libc[-.].*so.*")).findFirst().orElse("none");
        System.out.println("libc " + libc);
        System.out.println("available " + Posix.isAvailable()
                + (Posix.isAvailable() ? " via " + Posix.backendName() : ": " + Posix.unavailabilityCause()));
        if (!Posix.isAvailable()) {
            return;
        }
        int[] p = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
        try (MessageBatch out = new MessageBatch(8); MessageBatch in = new MessageBatch(8)) {
            ByteBuffer[] sent = new ByteBuffer[8];
            ByteBuffer[] got = new ByteBuffer[8];
            for (int i = 0; i < 8; i++) {
                sent[i] = ByteBuffer.allocateDirect(4).putInt(0, i);
                got[i] = ByteBuffer.allocateDirect(4);
                out.add(Message.of(sent[i]));
                in.add(Message.of(got[i]));
            }
            int total = 0;
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < 8; i++) {
                    sent[i].clear();
                    got[i].clear();
                }
                total += Posix.sendmmsg(p[0], out, 0);
                total += Posix.recvmmsg(p[1], in, 0);
            }
            System.out.println("datagrams sent and received " + total + ", the last " + got[7].getInt(0));
        }
        String[] other = new String[1];
        Thread t = new Thread(() -> {
            try (MessageBatch b = new MessageBatch(2)) {
                b.add(Message.of(ByteBuffer.allocateDirect(1)));
                b.add(Message.of(ByteBuffer.allocateDirect(1)));
                other[0] = "another thread sent " + Posix.sendmmsg(p[0], b, 0);
            } catch (Exception e) {
                other[0] = "another thread failed: " + e;
            }
        });
        t.start();
        t.join();
        System.out.println(other[0]);
        Posix.close(p[0]);
        Posix.close(p[1]);
    }
}

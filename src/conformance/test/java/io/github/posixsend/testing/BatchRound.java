// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import io.github.posixsend.Message;
import io.github.posixsend.MessageBatch;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * Loaded by each of TwoLoaderBatches' class loaders with its own copy of posix-send: one {@code sendmmsg} of two
 * datagrams over loopback UDP and one {@code recvmmsg} of them, each batch then closed (its plan's memory freed). The
 * two copies number their plans alike, so the same calls in the same order name the same plan ids and generations.
 * Round {@code r} sends datagrams of {@link #sizes} filled with {@code r + 1} and reports what went and what came.
 */
public final class BatchRound implements IntFunction<String> {
    /** The datagram sizes of round 0 and of round 1: different, so that the other round's show. */
    public static int[] sizes(int round) {
        return round == 0 ? new int[] {111, 222} : new int[] {7, 9};
    }

    @Override
    public String apply(int round) {
        int[] sizes = sizes(round);
        int rx = -1;
        int tx = -1;
        try {
            rx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
            Posix.bind(rx, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            tx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
            Posix.connect(tx, Posix.getsockname(rx));
            StringBuilder out = new StringBuilder("round " + round + ":");
            try (MessageBatch send = new MessageBatch(2)) {
                for (int size : sizes) {
                    ByteBuffer b = ByteBuffer.allocateDirect(size);
                    while (b.hasRemaining()) {
                        b.put((byte) (round + 1));
                    }
                    send.add(Message.of(b.flip()));
                }
                out.append(" sent ").append(Posix.sendmmsg(tx, send, 0)).append(' ').append(send.bytesSent(0))
                        .append('/').append(send.bytesSent(1));
            }
            try (MessageBatch receive = new MessageBatch(2)) {
                ByteBuffer[] into = {ByteBuffer.allocateDirect(512), ByteBuffer.allocateDirect(512)};
                for (ByteBuffer b : into) {
                    receive.add(Message.of(b));
                }
                int n = Posix.recvmmsg(rx, receive, MsgFlag.MSG_DONTWAIT.value());
                out.append(" received ").append(n);
                for (int i = 0; i < n; i++) {
                    out.append(' ').append(receive.bytesReceived(i)).append(':').append(into[i].get(0));
                }
            }
            // a small array goes through the calling thread's own copy buffer, and a large one in a call that cannot
            // block is passed in place where the backend can (FFM, through the thread's own segments): what the
            // thread keeps must not hold this copy's class loader (a redeploying server's threads outlive its loaders)
            byte[] small = {(byte) (round + 1)};
            byte[] large = new byte[8192];
            int dontwait = MsgFlag.MSG_DONTWAIT.value();
            if (Posix.send(tx, small, 0, 1, 0) != 1 || Posix.recv(rx, new byte[8], 0, 8, 0) != 1
                    || Posix.send(tx, large, 0, large.length, dontwait) != large.length
                    || Posix.recv(rx, large, 0, large.length, dontwait) != large.length) {
                out.append(" array round trip failed");
            }
            return out.toString();
        } catch (Exception e) {
            return "round " + round + ": failed: " + e;
        } finally {
            closeQuietly(tx);
            closeQuietly(rx);
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                Posix.close(fd);
            } catch (Exception ignored) {
                // nothing depends on it
            }
        }
    }
}

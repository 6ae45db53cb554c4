// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.posixsend.Errno;
import io.github.posixsend.Message;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.util.function.LongPredicate;

/**
 * The allocation tests' loop of datagrams: rounds of 200 sends of one reused message, each received into another
 * reused message without blocking (a bounded number of tries) and checked, measured by {@link SteadyAllocation}
 * after ten warm-up rounds that must all go right.
 */
public final class DatagramRounds {
    private DatagramRounds() {
    }

    /**
     * What a round allocates beyond its budget (FFM's errno slice per downcall), the least of the rounds.
     *
     * @param what the rounds' name, for a failure's message
     * @param tx the sending socket
     * @param out what it sends, rewound before each send
     * @param sent the count each send must return
     * @param rx the receiving socket, non-blocking reads
     * @param in what it receives into, its first buffer cleared before each receive
     * @param received whether a receive's count, and what the message holds after it, are right
     * @return bytes beyond the budget in the least round
     */
    public static long leastBeyond(String what, int tx, Message out, long sent, int rx, Message in,
            LongPredicate received) {
        long[] calls = {0};
        int dontwait = MsgFlag.MSG_DONTWAIT.value();
        long eagain = -Errno.EAGAIN.number();
        SteadyAllocation.Round round = () -> {
            calls[0] = 0;
            long failures = 0;
            for (int i = 0; i < 200; i++) {
                out.rewind();
                in.buffer(0).clear();
                calls[0]++;
                if (Posix.trySendmsg(tx, out, 0) != sent) {
                    failures++;
                    continue;
                }
                long n;
                do {
                    calls[0]++;
                    n = Posix.tryRecvmsg(rx, in, dontwait);
                } while (n == eagain && calls[0] < 100_000);
                if (!received.test(n)) {
                    failures++;
                }
            }
            return failures;
        };
        for (int warm = 0; warm < 10; warm++) {
            assertEquals(0, round.run(), what + ": warm-up rounds all go right");
        }
        return SteadyAllocation.leastBeyond(what, () -> AllocationBudget.forDowncalls(calls[0]), round);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.github.posixsend.ErrnoException;
import io.github.posixsend.Posix;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The segments a TCP row's senders retransmitted during each iteration ({@code tcpi_total_retrans} of
 * {@code TCP_INFO}, read before and after it, outside the timed loop), which JMH reports beside ns/op as
 * {@code retransmits}. Loopback TCP on two CPUs settles into a regime that retransmits much or hardly at all, and
 * a row's time means something only with it; send_floor.c reports the same of C. A benchmark's trial setup takes
 * this state as an argument and names its senders (JMH then counts it for every method of that benchmark).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class TcpRetransmits {
    /** Segments retransmitted during the iteration just run (JMH sets it to 0 after {@link #start}). */
    public long retransmits;

    private int[] senders = {};
    private long atStart;

    /** The senders whose counts are summed: a fork's benchmark method sends on one of them, the others stay idle. */
    void watch(int... fds) {
        senders = fds.clone();
    }

    @Setup(Level.Iteration)
    public void start() throws ErrnoException {
        atStart = total();
    }

    @TearDown(Level.Iteration)
    public void stop() throws ErrnoException {
        retransmits = total() - atStart;
    }

    private long total() throws ErrnoException {
        long sum = 0;
        for (int fd : senders) {
            sum += Posix.getsockoptTcpInfo(fd).totalRetrans();
        }
        return sum;
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import io.github.posixsend.ControlMessage;
import io.github.posixsend.ErrorQueueEntry;
import io.github.posixsend.Message;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A timestamped send against a plain one, as the {@code tstamp} and {@code tstamp_plain} cases of send_floor.c:
 * 64-byte datagrams on a connected UDP socket to an unread loopback receiver, the socket set to
 * {@code SOF_TIMESTAMPING_SOFTWARE | OPT_ID | OPT_TSONLY}. The timestamped operation is a {@code sendmsg} with a
 * per-call {@code SO_TIMESTAMPING} control message ({@code TX_SOFTWARE}) and one non-blocking
 * {@code recvmsg(MSG_ERRQUEUE)} made by a reused {@link ErrorQueueEntry} ({@link ErrorQueueEntry#tryReadFrom}: no
 * data space, 512 bytes of control space); a second row reads it into a reused message (16-byte buffer, 256 bytes of
 * control space) that the entry then reads. The plain one is the same {@code sendmsg} without the control message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PosixTimestampBench {
    private int receiver = -1;
    private int sender = -1;
    private ByteBuffer payload;
    private Message timestamped;
    private Message plain;
    private Message errors;
    private final ErrorQueueEntry entry = new ErrorQueueEntry();
    private int errqueue;
    private int dontwait;

    @Setup(Level.Trial)
    public void open() throws Exception {
        receiver = Loopback.receiver();
        sender = Loopback.sender(Loopback.addressOf(receiver));
        Posix.setsockopt(sender, Posix.SOL_SOCKET, Posix.SO_TIMESTAMPING, Posix.SOF_TIMESTAMPING_SOFTWARE
                | Posix.SOF_TIMESTAMPING_OPT_ID | Posix.SOF_TIMESTAMPING_OPT_TSONLY);
        payload = Loopback.direct(Loopback.PAYLOAD);
        timestamped = Message.of(payload)
                .addControl(ControlMessage.timestamping(Posix.SOF_TIMESTAMPING_TX_SOFTWARE));
        plain = Message.of(payload);
        errors = new Message(256).add(ByteBuffer.allocateDirect(16));
        errqueue = MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT);
        dontwait = MsgFlag.MSG_DONTWAIT.value();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        timestamped.close();
        plain.close();
        errors.close();
        Loopback.close(sender, receiver);
    }

    /** sendmsg with the timestamping control message, then the timestamp read back (0 when not there yet). */
    @Benchmark
    public long timestamped() {
        send();
        if (entry.tryReadFrom(sender, dontwait) < 0) {
            return 0; // not there yet: the next call reads it, as in C
        }
        if (!entry.isValid() || !entry.isTimestamp()) {
            throw new IllegalStateException("an error-queue entry that is not a timestamp: " + entry);
        }
        return entry.softwareNanos();
    }

    private void send() {
        payload.clear();
        long r = Posix.trySendmsg(sender, timestamped, 0);
        if (r != Loopback.PAYLOAD && r != -io.github.posixsend.Errno.EAGAIN.number()) {
            throw new IllegalStateException("sendmsg: " + r);
        }
    }

    /** The same, with the timestamp read by {@code recvmsg} into a reused {@link Message}: the general way. */
    @Benchmark
    public long timestampedViaMessage() {
        send();
        errors.buffer(0).clear();
        if (Posix.tryRecvmsg(sender, errors, errqueue) < 0) {
            return 0; // not there yet: the next call reads it, as in C
        }
        if (!entry.read(errors) || !entry.isTimestamp()) {
            throw new IllegalStateException("an error-queue entry that is not a timestamp: " + entry);
        }
        return entry.softwareNanos();
    }

    /** The same sendmsg without the control message, nothing read back. */
    @Benchmark
    public long plain() {
        payload.clear();
        return Posix.trySendmsg(sender, plain, 0);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backends;

/**
 * A transmit timestamp (Linux): when one send, named by its id, reached the packet scheduler, left for the device
 * or was acknowledged. With {@code SO_TIMESTAMPING} set on a socket (for instance
 * {@code SOF_TIMESTAMPING_TX_SCHED | TX_SOFTWARE | TX_ACK | SOFTWARE | OPT_ID | OPT_TSONLY}), or per call with
 * {@link ControlMessage#timestamping(int)}, the kernel queues these on the socket's error queue; read them with
 * {@link Posix#recvmsg} and {@link MsgFlag#MSG_ERRQUEUE} into a {@link Message} with control space, then
 * {@link #from(Message)}, or with {@link ErrorQueueEntry#tryReadFrom} and {@link ErrorQueueEntry#toTxTimestamp()}
 * (its fields without allocating).
 *
 * <p>Ids count as the kernel counts them with {@code OPT_ID}: datagram sockets number each datagram from 0; TCP
 * numbers bytes, and a send's id is the offset of its last byte. Sends that TCP joins into one segment share the
 * timestamps of the last one.
 *
 * @param id the send's id ({@code ee_data})
 * @param kind which point of the send's way it marks ({@code ee_info})
 * @param nanos the software time, in nanoseconds since the epoch
 */
public record TxTimestamp(int id, Point kind, long nanos) {

    /**
     * The points of a send's way that can be timestamped. Linux may add points (its {@code SCM_TSTAMP_*} values);
     * one this version does not name is {@link #OTHER}, never taken for another.
     */
    public enum Point {
        /** {@code SCM_TSTAMP_SCHED}: the send entered the packet scheduler. */
        SCHEDULED,
        /** {@code SCM_TSTAMP_SND}: the driver took it. */
        SENT,
        /** {@code SCM_TSTAMP_ACK}: the peer acknowledged every byte of it (TCP). */
        ACKNOWLEDGED,
        /**
         * A point posix-send does not name, such as one a later kernel added ({@code SCM_TSTAMP_COMPLETION}):
         * {@link ErrorQueueEntry#info()} gives its number.
         */
        OTHER
    }

    /**
     * The timestamp an error-queue message carries.
     *
     * @param received a message {@link Posix#recvmsg} filled from the error queue
     * @return the timestamp, or null when the message carries none (another kind of entry)
     * @throws UnsupportedOperationException where the platform has no timestamping
     */
    public static TxTimestamp from(Message received) {
        Backends.requireAvailable();
        if (Posix.SO_TIMESTAMPING == Posix.UNSUPPORTED) {
            throw new UnsupportedOperationException("SO_TIMESTAMPING is Linux's; " + Os.current() + " has none");
        }
        ErrorQueueEntry e = new ErrorQueueEntry();
        return e.read(received) ? e.toTxTimestamp() : null;
    }
}

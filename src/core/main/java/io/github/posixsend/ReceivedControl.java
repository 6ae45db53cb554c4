// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.internal.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The control messages one receive returned into a {@link Message}, copied out of the call's plan into arrays the
 * message keeps and reuses: the plan is overwritten by the next call (and a batch's plan serves several messages),
 * while these stay as the last receive left them. Reading them through the accessors allocates nothing; the
 * {@link ControlMessage} objects of {@link #list()} are made only when asked for, once per receive.
 */
final class ReceivedControl {
    /** Ints kept per record: level, type, plan kind, value, payload offset, payload length. */
    private static final int FIELDS = 6;
    private static final int LEVEL = 0;
    private static final int TYPE = 1;
    private static final int KIND = 2;
    private static final int VALUE = 3;
    private static final int OFFSET = 4;
    private static final int LENGTH = 5;
    private static final int ADDRESS = 16;

    /** Linux's {@code SCM_PIDFD}: a {@code SOL_SOCKET} message carrying one descriptor, a pidfd. */
    private static final int LINUX_SCM_PIDFD = 4;
    private static final int[] NO_RECORDS = new int[0];
    private static final byte[] NO_ADDRESSES = new byte[0];
    private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

    private int count;
    private int[] records = NO_RECORDS;
    private byte[] addresses = NO_ADDRESSES;
    private ByteBuffer payload = NO_PAYLOAD;
    private List<ControlMessage> list = Collections.emptyList();
    private boolean listed = true;

    /** Forgets the last receive's control messages. */
    void clear() {
        count = 0;
        if (!listed || !list.isEmpty()) {
            // a reference store costs a GC barrier: made only when the last receive had control messages
            list = Collections.emptyList();
            listed = true;
        }
    }

    /**
     * Copies cmsg records {@code first} to {@code first + parsed - 1} of the plan and their payloads. The last
     * receive's are forgotten first, so that a copy that fails (an {@link OutOfMemoryError} as the arrays grow) leaves
     * none to be taken for this one's; and the descriptors this one carried, which the kernel installed and no one
     * could then learn of, are closed before the failure goes on.
     */
    void copy(MessagePlan p, int first, int parsed) {
        clear();
        try {
            copyRecords(p, first, parsed);
        } catch (Throwable t) {
            count = 0;
            // what the arrays held is given up (without allocating), so that the closes find room if memory ran out
            records = NO_RECORDS;
            addresses = NO_ADDRESSES;
            payload = NO_PAYLOAD;
            closeDescriptors(p, first, parsed);
            throw t;
        }
    }

    /**
     * Closes the descriptors of every {@code SCM_RIGHTS} record of the plan's {@code first..first+parsed-1}, and the
     * pidfd of every {@code SCM_PIDFD} one (Linux's {@code SOL_SOCKET} type 4, which posix-send does not type).
     */
    private static void closeDescriptors(MessagePlan p, int first, int parsed) {
        ByteBuffer b = p.buffer();
        for (int k = 0; k < parsed; k++) {
            int c = first + k;
            int len = p.cmsgInt(c, MessagePlan.C_DATA_LEN);
            boolean pidfd = Platform.os() == Os.LINUX && p.cmsgInt(c, MessagePlan.C_LEVEL) == Posix.SOL_SOCKET
                    && p.cmsgInt(c, MessagePlan.C_TYPE) == LINUX_SCM_PIDFD && len == Integer.BYTES;
            if (p.cmsgInt(c, MessagePlan.C_KIND) != MessagePlan.KIND_RIGHTS && !pidfd) {
                continue;
            }
            int off = p.cmsgInt(c, MessagePlan.C_DATA_OFF);
            int n = len / Integer.BYTES;
            for (int i = 0; i < n; i++) {
                try {
                    Posix.tryClose(b.getInt(off + i * Integer.BYTES));
                } catch (Throwable ignored) {
                    // as many as can be closed are: the failure that got here is the one to report
                }
            }
        }
    }

    private void copyRecords(MessagePlan p, int first, int parsed) {
        int bytes = 0;
        for (int k = 0; k < parsed; k++) {
            bytes += p.cmsgInt(first + k, MessagePlan.C_DATA_LEN);
        }
        if (records.length < parsed * FIELDS) {
            records = new int[parsed * FIELDS];
            addresses = new byte[parsed * ADDRESS];
        }
        if (payload.capacity() < bytes) {
            payload = ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
        }
        int at = 0;
        for (int k = 0; k < parsed; k++) {
            int c = first + k;
            int len = p.cmsgInt(c, MessagePlan.C_DATA_LEN);
            int r = k * FIELDS;
            records[r + LEVEL] = p.cmsgInt(c, MessagePlan.C_LEVEL);
            records[r + TYPE] = p.cmsgInt(c, MessagePlan.C_TYPE);
            records[r + KIND] = p.cmsgInt(c, MessagePlan.C_KIND);
            records[r + VALUE] = p.cmsgInt(c, MessagePlan.C_VALUE);
            records[r + OFFSET] = at;
            records[r + LENGTH] = len;
            p.copyOut(p.cmsgRecord(c) + MessagePlan.C_ADDRESS, addresses, k * ADDRESS, ADDRESS);
            p.copyOut(p.cmsgInt(c, MessagePlan.C_DATA_OFF), payload.array(), at, len); // a heap buffer, offset 0
            at += len;
        }
        count = parsed;
        listed = false;
    }

    int count() {
        return count;
    }

    int level(int k) {
        return field(k, LEVEL);
    }

    int type(int k) {
        return field(k, TYPE);
    }

    /** How the backend decoded it ({@code MessagePlan.KIND_*}). */
    int planKind(int k) {
        return field(k, KIND);
    }

    int value(int k) {
        return field(k, VALUE);
    }

    /** Where record {@code k}'s payload starts in {@link #payload()}. */
    int offset(int k) {
        return field(k, OFFSET);
    }

    int length(int k) {
        return field(k, LENGTH);
    }

    /** The payloads, one after another, in native byte order; read with absolute gets only. */
    ByteBuffer payload() {
        return payload;
    }

    /** Copies record {@code k}'s first {@code n} address bytes into {@code dst}. */
    void address(int k, byte[] dst, int n) {
        System.arraycopy(addresses, k * ADDRESS, dst, 0, n);
    }

    /** The first record whose kind ({@link ControlMessage#receivedKind}) is {@code kind}, or -1. */
    int find(ControlMessage.Kind kind) {
        for (int k = 0; k < count; k++) {
            if (ControlMessage.receivedKind(level(k), type(k), planKind(k), length(k)) == kind) {
                return k;
            }
        }
        return -1;
    }

    /** The first record of {@code level} and {@code type}, or -1. */
    int find(int level, int type) {
        for (int k = 0; k < count; k++) {
            if (level(k) == level && type(k) == type) {
                return k;
            }
        }
        return -1;
    }

    /** The control messages as objects, made on the first call after a receive. */
    List<ControlMessage> list() {
        if (!listed) {
            List<ControlMessage> l = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                l.add(ControlMessage.received(this, k));
            }
            list = Collections.unmodifiableList(l);
            listed = true;
        }
        return list;
    }

    private int field(int k, int f) {
        java.util.Objects.checkIndex(k, count);
        return records[k * FIELDS + f];
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.annotation.Native;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The record one read of a socket's error queue leaves in a {@code byte[]} ({@link Backend#recvErrqueue}): a
 * {@code recvmsg} with no data space whose original destination and two control messages, the extended error
 * ({@code IP_RECVERR} / {@code IPV6_RECVERR}) and its {@code SCM_TIMESTAMPING} times, are copied out as the kernel
 * wrote them. The backend finds the two messages; the public {@code ErrorQueueEntry} reads their fields. Every
 * constant is {@code @Native}: {@code javac -h} writes them into the header the shim includes.
 *
 * <p>Layout, offsets in bytes, {@code int}s in native byte order:
 * <pre>
 *   0 int msg_namelen after the call, at most NAME_SIZE (0: the kernel named no destination)
 *   4 int msg_flags after the call
 *   8 int bytes of the extended error's payload copied to EE (0: none arrived)
 *  12 int bytes of the SCM_TIMESTAMPING payload copied to TS (0: none arrived)
 *  NAME the original destination's sockaddr, as msg_name received it
 *  EE   struct sock_extended_err and the offender's sockaddr after it, at most EE_SIZE bytes
 *  TS   the three struct timespec of SCM_TIMESTAMPING, at most TS_SIZE bytes
 * </pre>
 * Bytes a call did not write are zero.
 */
public final class ErrorQueueRecord {
    @Native public static final int H_NAMELEN = 0;
    @Native public static final int H_FLAGS = 4;
    @Native public static final int H_EE_LEN = 8;
    @Native public static final int H_TS_LEN = 12;
    @Native public static final int NAME = 16;
    /** {@code sizeof(struct sockaddr_storage)} on both systems. */
    @Native public static final int NAME_SIZE = 128;
    @Native public static final int EE = NAME + NAME_SIZE;
    /** A 16-byte {@code struct sock_extended_err} and an offender of any family. */
    @Native public static final int EE_SIZE = 16 + 128;
    @Native public static final int TS = EE + EE_SIZE;
    /** Three {@code struct timespec} of up to 16 bytes each. */
    @Native public static final int TS_SIZE = 48;
    @Native public static final int SIZE = TS + TS_SIZE;
    /**
     * The control space the call offers: an extended error with its offender and a timestamp take under 150
     * bytes, and the options that add more messages to an entry ({@code SOF_TIMESTAMPING_OPT_CMSG},
     * {@code OPT_STATS}) fit too; what does not is reported as {@code MSG_CTRUNC}.
     */
    @Native public static final int CONTROL_SPACE = 512;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private ErrorQueueRecord() {
    }

    /** The {@code int} at {@code at} of a record, in native byte order. */
    public static int getInt(byte[] record, int at) {
        return (int) INT.get(record, at);
    }

    /** Writes an {@code int} at {@code at} of a record, in native byte order. */
    public static void putInt(byte[] record, int at, int value) {
        INT.set(record, at, value);
    }
}

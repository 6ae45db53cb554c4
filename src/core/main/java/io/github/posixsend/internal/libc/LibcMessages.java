// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.Errno;
import io.github.posixsend.Os;
import io.github.posixsend.internal.ErrorQueueRecord;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.internal.PerThread;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * {@code sendmsg}, {@code sendmmsg} and {@code recvmsg} over a message plan for the backends that call the C library
 * from Java, as the shim's {@code ps_msg.c} makes them: the plan read and checked ({@link PlanReader}), the structs
 * built ({@link MsgBuilder}, {@link Cmsgs}), one system call with {@code EINTR} retried, and the same fields written
 * back. A single message's {@code msghdr} goes in the thread's control area ({@link NativeScratch}), as the
 * shim keeps it on its stack, so both take the same amount of scratch. A {@code sendmsg} of one or two direct
 * buffers needs no plan ({@link #sendmsgDirect}, as the shim's {@code ps_msg_direct.c}). Nothing is allocated per
 * call.
 */
final class LibcMessages {
    private final CLibrary c;
    private final PerThread<PlanReader> readers;
    private final PerThread<NativeScratch> scratch;
    private final MsgBuilder builder;
    private final Cmsgs cmsgs;
    private final MsghdrLayout msghdr;
    private final int eintr;
    private final int einval;
    private final InterruptedCalls interrupted;
    /** Closes a descriptor an error-queue read got by mistake ({@link Cmsgs#copyErrorQueue}); made once. */
    private final IntConsumer closeDescriptor;

    LibcMessages(CLibrary c, PerThread<NativeScratch> scratch, InterruptedCalls interrupted, Os os) {
        this.c = c;
        this.interrupted = interrupted;
        this.scratch = scratch;
        this.readers = new PerThread<>(() -> new PlanReader(c));
        this.msghdr = MsghdrLayout.of(os);
        this.cmsgs = new Cmsgs(CmsgLayout.of(os), msghdr);
        this.builder = new MsgBuilder(msghdr, cmsgs);
        this.eintr = Errno.EINTR.numberOn(os);
        this.einval = Errno.EINVAL.numberOn(os);
        this.closeDescriptor = c::close;
    }

    long sendmsg(int fd, MessagePlan plan, int flags) {
        PlanReader p = readers.get();
        try {
            if (!p.open(plan, 1, 1) || !p.reserve(builder.scratchNeed(p, false, false))) {
                return -einval;
            }
            NativeScratch s = scratch.get();
            if (!builder.build(p, 0, false, s.control, NativeScratch.MSG)) {
                return -einval;
            }
            // the count goes back as the result alone, as the shim's sendmsg0 returns it
            return sendBuilt(s, fd, flags);
        } finally {
            p.close();
            // the plan lists the buffers whose addresses the kernel had: they live until the call has returned
            Reference.reachabilityFence(plan);
        }
    }

    /**
     * {@code sendmsg} of one or two ranges of direct memory ({@code second} 0 or 1) that the caller checked and keeps
     * alive, to the sockaddr image {@code sa} (checked; null for none), with at most one value-only control message
     * ({@link io.github.posixsend.internal.Backend#sendmsgDirect}): everything built in the thread's control area.
     * With {@code oneOfBatch}, a {@code sendmmsg} of that one {@code msghdr} as an {@code mmsghdr}: 0 when the kernel
     * sent no message, 1 + its {@code msg_len} when it sent it, or {@code -errno}.
     *
     * <p>The system calls are made here rather than through {@link #sendBuilt}: on the FFM backend the JDK's own
     * downcall code inlines nine levels deep (as C2 counts them), and C2 removes the segment it makes for errno only
     * when the whole of that code lies within its inlining depth of the compiled method a caller's loop sits in. Each
     * level posix-send spends between its API and the call is a level fewer for the caller.
     */
    long sendmsgDirect(int fd, boolean oneOfBatch, long base0, int len0, int second, long base1, int len1, byte[] sa,
            int salen, int cmsgLevel, int cmsgType, int cmsgKind, int cmsgValue, int flags) {
        NativeScratch s = scratch.get();
        ByteBuffer hdr = s.control;
        long name = 0;
        if (sa != null) {
            s.putSockaddr(sa, salen);
            name = s.controlAddress + NativeScratch.SA;
        }
        MsghdrLayout.putIovec(hdr, NativeScratch.IOV, base0, len0);
        if (second != 0) {
            MsghdrLayout.putIovec(hdr, NativeScratch.IOV + MsghdrLayout.SIZEOF_IOVEC, base1, len1);
        }
        msghdr.put(hdr, NativeScratch.MSG, name, name == 0 ? 0 : salen, s.controlAddress + NativeScratch.IOV,
                1 + second);
        if (cmsgKind != io.github.posixsend.internal.Backend.NO_CONTROL) {
            int space = cmsgs.putValue(hdr, NativeScratch.CMSG, cmsgLevel, cmsgType, cmsgKind, cmsgValue);
            if (space < 0) {
                return -einval;
            }
            msghdr.putControl(hdr, NativeScratch.MSG, s.controlAddress + NativeScratch.CMSG, space);
        }
        long m = s.controlAddress + NativeScratch.MSG;
        try {
            if (oneOfBatch) {
                hdr.putInt(NativeScratch.MSG + msghdr.mmsgLen, 0);
                int k;
                long retry = InterruptedCalls.FIRST;
                do {
                    k = c.sendmmsg(fd, m, 1, flags);
                } while (k == -eintr && (retry = interrupted.again(fd, true, retry)) != InterruptedCalls.EXPIRED);
                k = (int) interrupted.result(retry, k);
                if (k < 0) {
                    return k;
                }
                return k == 0 ? 0 : 1 + Integer.toUnsignedLong(hdr.getInt(NativeScratch.MSG + msghdr.mmsgLen));
            }
            long n;
            long retry = InterruptedCalls.FIRST;
            do {
                n = c.sendmsg(fd, m, flags);
            } while (n == -eintr && (retry = interrupted.again(fd, true, retry)) != InterruptedCalls.EXPIRED);
            return interrupted.result(retry, n);
        } finally {
            Reference.reachabilityFence(s); // its control area holds the msghdr the kernel reads (and writes, batched)
        }
    }

    /** {@code sendmsg} of the {@code msghdr} built in the thread's control area, {@code EINTR} retried. */
    private long sendBuilt(NativeScratch s, int fd, int flags) {
        try {
            long m = s.controlAddress + NativeScratch.MSG;
            long n;
            long retry = InterruptedCalls.FIRST;
            do {
                n = c.sendmsg(fd, m, flags);
            } while (n == -eintr && (retry = interrupted.again(fd, true, retry)) != InterruptedCalls.EXPIRED);
            return interrupted.result(retry, n);
        } finally {
            Reference.reachabilityFence(s); // its control area holds the msghdr the kernel reads
        }
    }

    /** What {@link #openVector} answers for a plan it refuses. */
    private static final int FAILED = Integer.MIN_VALUE;

    /**
     * Opens a plan of 0..1024 messages and builds their {@code mmsghdr} vector in the scratch of {@code kept},
     * clearing each built message's out-bytes field, as the shim's {@code open_vector} does, and keeps it there for
     * the plan's next call of the kind. Returns the vector's offset in the scratch (-1 for no messages), or
     * {@link #FAILED}.
     */
    private int openVector(PlanReader p, PlanReader.Kept kept, MessagePlan plan, boolean receive) {
        if (!p.open(plan, 0, MessagePlan.MAX_MESSAGES)) {
            return FAILED;
        }
        long need = builder.scratchNeed(p, receive, true);
        if (!p.reserveKept(kept, need)) {
            return FAILED;
        }
        int size = msghdr.sizeofMmsghdr;
        if (p.messages == 0) {
            return -1;
        }
        int v = p.take((long) p.messages * size);
        if (v < 0) {
            return FAILED;
        }
        for (int i = 0; i < p.messages; i++) {
            if (!builder.build(p, i, receive, p.scratch, v + i * size)) {
                return FAILED;
            }
            p.scratch.putInt(v + i * size + msghdr.mmsgLen, 0);
            p.putLong(p.messageRecord(i) + MessagePlan.M_OUT_LEN, 0L);
        }
        p.keep(kept, plan, v, msghdr);
        return v;
    }

    /**
     * The vector of the plan's batch in {@code kept}'s scratch for a call that gives the kernel its {@code vlen}
     * messages from {@code off} (C's {@code msgvec + off}): the one kept from this thread's last call of the kind
     * while the plan is unchanged, as the shim keeps it, else one built now of all the plan's messages, so that a call
     * with another range finds it built. Its offset (of header 0, not {@code off}), -1 for no messages, or
     * {@link #FAILED}, also for an {@code off} and {@code vlen} that are not a range of the message count read from
     * the plan (compared without a sum, which could overflow), as the shim's {@code open_kept} refuses them: the
     * kernel would read headers past the vector.
     */
    private int vector(PlanReader p, PlanReader.Kept kept, MessagePlan plan, boolean receive, int off, int vlen) {
        int v = p.openKept(kept, plan);
        boolean reused = v >= 0; // a kept vector has messages, so -1 is "nothing kept"
        if (!reused) {
            v = openVector(p, kept, plan, receive);
            if (v == FAILED) {
                return FAILED;
            }
        }
        if (off < 0 || vlen < 0 || off > p.messages - vlen) {
            return FAILED;
        }
        if (reused && receive) {
            p.resetLengths(kept, msghdr, off, vlen);
        }
        return v;
    }

    int sendmmsg(int fd, MessagePlan plan, int off, int vlen, int flags) {
        PlanReader p = readers.get();
        try {
            // the kernel writes only msg_len of a message it sends: a kept vector needs nothing put back
            int v = vector(p, p.keptSend, plan, false, off, vlen);
            if (v == FAILED) {
                return -einval;
            }
            int size = msghdr.sizeofMmsghdr;
            v += off * size; // the header the kernel is handed first, inside the vector as vector() checked
            // vlen 0 makes the call too, as C's would: the kernel reads no mmsghdr, and answers for the descriptor
            long vec = p.messages > 0 ? p.scratchAddress + v : 0L;
            int n;
            long retry = InterruptedCalls.FIRST;
            do {
                n = c.sendmmsg(fd, vec, vlen, flags);
            } while (n == -eintr && (retry = interrupted.again(fd, true, retry)) != InterruptedCalls.EXPIRED);
            n = (int) interrupted.result(retry, n);
            if (n < 0) {
                return n;
            }
            for (int i = 0; i < n && i < vlen; i++) {
                long sent = Integer.toUnsignedLong(p.scratch.getInt(v + i * size + msghdr.mmsgLen));
                p.putLong(p.messageRecord(off + i) + MessagePlan.M_OUT_LEN, sent);
            }
            return n;
        } finally {
            p.close();
            // the plan lists the buffers whose addresses the kernel had: they live until the call has returned
            Reference.reachabilityFence(plan);
        }
    }

    long recvmsg(int fd, MessagePlan plan, int flags) {
        PlanReader p = readers.get();
        try {
            if (!p.open(plan, 1, 1) || !p.reserve(builder.scratchNeed(p, true, false))) {
                return -einval;
            }
            NativeScratch s = scratch.get();
            if (!builder.build(p, 0, true, s.control, NativeScratch.MSG)) {
                return -einval;
            }
            long m = s.controlAddress + NativeScratch.MSG;
            long n;
            long retry = InterruptedCalls.FIRST;
            do {
                n = c.recvmsg(fd, m, flags);
            } while (n == -eintr && (retry = interrupted.again(fd, false, retry)) != InterruptedCalls.EXPIRED);
            n = interrupted.result(retry, n);
            if (n < 0) {
                return n;
            }
            putReceived(p, 0, s.control, NativeScratch.MSG, n);
            return n;
        } finally {
            p.close();
            // the plan lists the buffers whose addresses the kernel had: they live until the call has returned
            Reference.reachabilityFence(plan);
        }
    }

    /**
     * One read of the error queue without a plan, as the shim's {@code ps_errqueue.c}: the {@code msghdr}, the room
     * for the original destination and the control space in the thread's control area, the record filled from
     * them.
     */
    int recvErrqueue(int fd, int flags, byte[] record) {
        if (record == null || record.length < ErrorQueueRecord.SIZE) {
            return -einval;
        }
        NativeScratch s = scratch.get();
        ByteBuffer hdr = s.control;
        // one empty iovec rather than none, as the shim: qemu-user answers 0 to none without making the call
        MsghdrLayout.putIovec(hdr, NativeScratch.IOV, 0, 0);
        msghdr.put(hdr, NativeScratch.MSG, s.controlAddress + NativeScratch.SA, ErrorQueueRecord.NAME_SIZE,
                s.controlAddress + NativeScratch.IOV, 1);
        msghdr.putControl(hdr, NativeScratch.MSG, s.controlAddress + NativeScratch.ERRQ,
                ErrorQueueRecord.CONTROL_SPACE);
        long n;
        try {
            long retry = InterruptedCalls.FIRST;
            do {
                n = c.recvmsg(fd, s.controlAddress + NativeScratch.MSG, flags);
            } while (n == -eintr && (retry = interrupted.again(fd, false, retry)) != InterruptedCalls.EXPIRED);
            n = interrupted.result(retry, n);
            if (n < 0) {
                return (int) n;
            }
        } finally {
            Reference.reachabilityFence(s); // its control area holds the msghdr and the room the kernel writes
        }
        Arrays.fill(record, 0, ErrorQueueRecord.SIZE, (byte) 0);
        // the kernel only shrinks both lengths; never read past what was offered whatever they say
        int namelen = (int) Math.min(Integer.toUnsignedLong(hdr.getInt(NativeScratch.MSG + MsghdrLayout.NAMELEN)),
                ErrorQueueRecord.NAME_SIZE);
        hdr.get(NativeScratch.SA, record, ErrorQueueRecord.NAME, namelen);
        ErrorQueueRecord.putInt(record, ErrorQueueRecord.H_NAMELEN, namelen);
        ErrorQueueRecord.putInt(record, ErrorQueueRecord.H_FLAGS, hdr.getInt(NativeScratch.MSG + msghdr.flags));
        long controllen = Math.max(0, Math.min(msghdr.getControllen(hdr, NativeScratch.MSG),
                ErrorQueueRecord.CONTROL_SPACE));
        cmsgs.copyErrorQueue(hdr, NativeScratch.ERRQ, (int) controllen, record, closeDescriptor);
        return (int) n;
    }

    int recvmmsg(int fd, MessagePlan plan, int off, int vlen, int flags, long timeoutNanos) {
        PlanReader p = readers.get();
        try {
            int v = vector(p, p.keptReceive, plan, true, off, vlen);
            if (v == FAILED) {
                return -einval;
            }
            int size = msghdr.sizeofMmsghdr;
            v += off * size; // the header the kernel is handed first, inside the vector as vector() checked
            long timeout = 0;
            if (timeoutNanos >= 0) {
                int ts = p.take(16); // struct timespec: two longs on the 64-bit platforms served
                if (ts < 0) {
                    return -einval;
                }
                p.scratch.putLong(ts, timeoutNanos / 1_000_000_000L);
                p.scratch.putLong(ts + 8, timeoutNanos % 1_000_000_000L);
                timeout = p.scratchAddress + ts;
            }
            long vec = p.messages > 0 ? p.scratchAddress + v : 0L;
            int n;
            long retry = InterruptedCalls.FIRST;
            do {
                n = c.recvmmsg(fd, vec, vlen, flags, timeout);
            } while (n == -eintr && (retry = interrupted.again(fd, false, retry)) != InterruptedCalls.EXPIRED);
            n = (int) interrupted.result(retry, n);
            if (n < 0) {
                return n;
            }
            for (int i = 0; i < n && i < vlen; i++) {
                int hdr = v + i * size;
                long len = Integer.toUnsignedLong(p.scratch.getInt(hdr + msghdr.mmsgLen));
                putReceived(p, off + i, p.scratch, hdr, len);
            }
            return n;
        } finally {
            p.close();
            Reference.reachabilityFence(plan);
        }
    }

    /**
     * Writes what the kernel filled in for message {@code i}, whose {@code msghdr} is at {@code at} of {@code hdr}:
     * bytes, flags, the sender's address length, the control length and the control messages, as the shim's
     * {@code put_received}.
     */
    private void putReceived(PlanReader p, int i, ByteBuffer hdr, int at, long n) {
        int r = p.messageRecord(i);
        p.putLong(r + MessagePlan.M_OUT_LEN, n);
        p.putInt(r + MessagePlan.M_OUT_FLAGS, hdr.getInt(at + msghdr.flags));
        boolean named = hdr.getLong(at + MsghdrLayout.NAME) != 0;
        // cut to the room offered, as the shim does
        int namelen = (int) Math.min(Integer.toUnsignedLong(hdr.getInt(at + MsghdrLayout.NAMELEN)),
                p.getInt(r + MessagePlan.M_NAME_LEN));
        p.putInt(r + MessagePlan.M_OUT_NAMELEN, named ? namelen : 0);
        boolean controlled = hdr.getLong(at + MsghdrLayout.CONTROL) != 0;
        // the kernel only shortens it; an emulator is trusted no further than the room offered, as in the shim
        p.putInt(r + MessagePlan.M_OUT_CONTROLLEN, controlled ? (int) Math.min(msghdr.getControllen(hdr, at),
                p.getInt(r + MessagePlan.M_CTL_SPACE)) : 0);
        // ranges were checked by the builder before the call, so parsing cannot fail after it; a message offered no
        // control space (msg_control NULL) has nothing to parse, and its record fields need no reading
        int parsed = !controlled ? 0 : cmsgs.parse(p, hdr, at,
                p.getInt(r + MessagePlan.M_CMSG_FIRST), p.getInt(r + MessagePlan.M_CMSG_COUNT),
                p.getInt(r + MessagePlan.M_CTL_OFF), p.getInt(r + MessagePlan.M_CTL_SPACE), closeDescriptor);
        p.putInt(r + MessagePlan.M_OUT_CMSGS, parsed);
    }
}

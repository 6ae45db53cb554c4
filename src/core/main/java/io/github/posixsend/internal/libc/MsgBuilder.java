// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.MessagePlan;
import java.nio.ByteBuffer;

/**
 * Builds one message's {@code struct msghdr} from its plan record, as the shim's {@code ps_plan_msghdr} does and
 * with the same checks in the same order: the name (pointing into the plan), the {@code iovec} array in scratch
 * (pointing at direct buffers or at bytes staged in the plan), and the control buffer in scratch (built from the
 * cmsg records for a send, left zeroed for the kernel on a receive). Anything out of range makes it answer
 * false, which the caller turns into {@code -EINVAL}, before the kernel is given any address.
 */
final class MsgBuilder {
    /** {@code sizeof(struct sockaddr_storage)}: the longest name a message may carry. */
    private static final int NAME_MAX = SockaddrLayout.STORAGE;

    private final MsghdrLayout layout;
    private final Cmsgs cmsgs;

    MsgBuilder(MsghdrLayout layout, Cmsgs cmsgs) {
        this.layout = layout;
        this.cmsgs = cmsgs;
    }

    /** The platform's {@code msghdr} layout. */
    MsghdrLayout layout() {
        return layout;
    }

    /**
     * Writes message {@code i}'s {@code msghdr} at {@code at} of {@code hdr} (the thread's control area, or an
     * {@code mmsghdr} in the scratch). {@code receive}: the control space is offered empty to the kernel and no
     * cmsg record is read. Returns false for anything out of range.
     */
    boolean build(PlanReader p, int i, boolean receive, ByteBuffer hdr, int at) {
        if (i < 0 || i >= p.messages) {
            return false;
        }
        int r = p.messageRecord(i);
        int nameOff = p.getInt(r + MessagePlan.M_NAME_OFF);
        int nameLen = p.getInt(r + MessagePlan.M_NAME_LEN);
        int cmsgFirst = p.getInt(r + MessagePlan.M_CMSG_FIRST);
        int cmsgCount = p.getInt(r + MessagePlan.M_CMSG_COUNT);
        int ctlOff = p.getInt(r + MessagePlan.M_CTL_OFF);
        int ctlCap = p.getInt(r + MessagePlan.M_CTL_SPACE);
        long name = 0;
        if (nameLen != 0) {
            if (nameLen < 0 || nameLen > NAME_MAX || !Backend.rangeOk(nameOff, nameLen, p.cap)) {
                return false;
            }
            if (receive && nameLen < NAME_MAX) {
                // room for any address, as Message always gives: the kernel reports a cut address by its full
                // length, which would tell Message of bytes never written
                return false;
            }
            name = p.planAddress + nameOff; // the kernel copies it in (or out): no alignment needed
        }
        layout.put(hdr, at, name, name == 0 ? 0 : nameLen, 0L, 0); // zeroes the rest, as the shim's memset
        if (!iovecs(p, p.getInt(r + MessagePlan.M_IOV_FIRST), p.getInt(r + MessagePlan.M_IOV_COUNT), hdr, at)) {
            return false;
        }
        if (ctlCap < 0 || ctlCap > MessagePlan.MAX_CONTROL_SPACE
                || !Backend.rangeOk(cmsgFirst, cmsgCount, p.cmsgCount)) {
            return false;
        }
        if (receive) {
            // the kernel fills the control space; Cmsgs.parse copies payloads to [ctlOff, ctlOff + ctlCap)
            if (!Backend.rangeOk(ctlOff, ctlCap, p.cap)) {
                return false;
            }
            if (ctlCap > 0) {
                int buf = p.take(ctlCap);
                if (buf < 0) {
                    return false;
                }
                p.zeroScratch(buf, ctlCap);
                layout.putControl(hdr, at, p.scratchAddress + buf, ctlCap);
            }
            return true;
        }
        if (cmsgCount == 0) {
            return true;
        }
        long space = cmsgs.space(p, cmsgFirst, cmsgCount);
        if (space < 0 || space > ctlCap) {
            return false;
        }
        int buf = p.take(space);
        return buf >= 0 && cmsgs.build(p, cmsgFirst, cmsgCount, buf, (int) space, hdr, at);
    }

    /**
     * The scratch the call needs for messages {@code [0, p.messages)}: their {@code mmsghdr}s when
     * {@code vector}, each message's {@code iovec}s and control buffer, and the alignment of every piece. Records
     * that are out of range count as empty here; {@link #build} refuses them.
     */
    long scratchNeed(PlanReader p, boolean receive, boolean vector) {
        // the mmsghdr vector and, for recvmmsg, a struct timespec
        long need = vector ? (long) p.messages * layout.sizeofMmsghdr + 16 + 2L * PlanReader.PIECE_ALIGN : 0;
        for (int i = 0; i < p.messages; i++) {
            int r = p.messageRecord(i);
            int iovFirst = p.getInt(r + MessagePlan.M_IOV_FIRST);
            int iovCount = p.getInt(r + MessagePlan.M_IOV_COUNT);
            if (Backend.rangeOk(iovFirst, iovCount, p.iovCount)) {
                need += (long) iovCount * MsghdrLayout.SIZEOF_IOVEC + PlanReader.PIECE_ALIGN;
            }
            int ctl = p.getInt(r + MessagePlan.M_CTL_SPACE);
            if (ctl < 0 || ctl > MessagePlan.MAX_CONTROL_SPACE) {
                continue;
            }
            if (receive) {
                need += ctl + PlanReader.PIECE_ALIGN;
                continue;
            }
            int cmsgFirst = p.getInt(r + MessagePlan.M_CMSG_FIRST);
            int cmsgCount = p.getInt(r + MessagePlan.M_CMSG_COUNT);
            if (cmsgCount > 0 && Backend.rangeOk(cmsgFirst, cmsgCount, p.cmsgCount)) {
                long space = cmsgs.space(p, cmsgFirst, cmsgCount);
                if (space > 0 && space <= ctl) {
                    need += space + PlanReader.PIECE_ALIGN;
                }
            }
        }
        return need;
    }

    /** The {@code iovec} array of iov records {@code [first, first+count)}, pointed at by the {@code msghdr}. */
    private boolean iovecs(PlanReader p, int first, int count, ByteBuffer hdr, int at) {
        if (!Backend.rangeOk(first, count, p.iovCount)) {
            return false;
        }
        if (count == 0) {
            return true;
        }
        int iov = p.take((long) count * MsghdrLayout.SIZEOF_IOVEC);
        if (iov < 0) {
            return false;
        }
        for (int j = 0; j < count; j++) {
            int rec = p.iovRecord(first + j);
            int index = p.getInt(rec + MessagePlan.I_BUFFER);
            int off = p.getInt(rec + MessagePlan.I_OFF);
            int len = p.getInt(rec + MessagePlan.I_LEN);
            long base;
            if (index == MessagePlan.STAGED) {
                if (!Backend.rangeOk(off, len, p.cap)) {
                    return false;
                }
                base = p.planAddress + off;
            } else {
                base = p.listedRange(index, off, len);
                if (base == 0) {
                    return false;
                }
            }
            MsghdrLayout.putIovec(p.scratch, iov + j * MsghdrLayout.SIZEOF_IOVEC, base, len);
        }
        layout.putIov(hdr, at, p.scratchAddress + iov, count);
        return true;
    }
}

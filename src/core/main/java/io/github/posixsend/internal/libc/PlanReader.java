// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.DirectMemory;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.internal.PowerOfTwo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One message call's view of its plan (the format is {@link MessagePlan}'s): the header read and checked as the
 * shim's {@code ps_plan_open} does, reads and writes of plan fields, the listed direct buffers, and this
 * thread's scratch, where the structs are built, handed out piece by piece at 16-byte aligned addresses
 * ({@code _Alignof(max_align_t)} on every platform served). The scratch is sized for the whole call before
 * anything is built ({@link #reserve}), as the shim's never runs out, so both backends answer {@code -EINVAL}
 * for the same plans.
 *
 * <p>All access goes through the buffers' own bounds-checked absolute methods, never raw addresses: were a check
 * here ever weaker than the shim's, a plan would end in an exception and not in memory the call was not given.
 * The kernel alone gets addresses, and only addresses of the plan, of this thread's scratch and of the listed
 * buffers (from {@link MessagePlan#ranges()}, which the plan alone writes; the plan references those buffers
 * and the caller keeps the plan reachable until the call returns). One reader per thread, reused, so a call
 * allocates nothing; {@link #close} drops the call's plan so that the thread does not keep it alive.
 */
final class PlanReader {
    /** {@code _Alignof(max_align_t)}: 16 on x86_64, aarch64 and NetBSD amd64. */
    static final int PIECE_ALIGN = 16;

    /** The largest scratch kept for the thread's next call; a larger one serves one call. */
    private static final int MAX_CACHED = 1 << 20;

    /** The call's plan buffer (native byte order), and the ranges and count of its listed direct buffers. */
    ByteBuffer plan;
    private long[] ranges;
    private int listed;
    /** Its address and capacity. */
    long planAddress;
    int cap;
    /** Header fields. */
    int messages;
    int msgOff;
    int iovOff;
    int iovCount;
    int cmsgOff;
    int cmsgCount;
    /** The scratch, its address and capacity, and the bytes handed out so far. */
    ByteBuffer scratch;
    /** The scratch of the call under way when it is larger than the thread keeps; null otherwise. */
    private DirectMemory.Block oneOff;
    long scratchAddress;
    int scratchCap;
    private int used;
    /** The scratch the thread keeps for its calls. */
    private final Scratch cached = new Scratch();
    /** The sendmmsg and the recvmmsg vector this thread built last ({@link #keep}). */
    final Kept keptSend = new Kept();
    final Kept keptReceive = new Kept();

    /**
     * A vector this thread built last, kept in a scratch of its own (no other call writes it) for the next call of
     * its kind with the same plan id and generation ({@link MessagePlan#generation()}): the plan's header as read
     * then, the vector's offset, the scratch used up to its end, and each message's name room and control space,
     * which a receive's kernel overwrites. {@code id} 0: nothing kept.
     */
    static final class Kept {
        private final Scratch scratch = new Scratch();
        private long id;
        private long generation;
        private int vector;
        private int used;
        private long planAddress;
        private int cap;
        private final int[] header = new int[6];
        private int[] nameLen = new int[0];
        private int[] controlLen = new int[0];
    }

    private final CLibrary c;

    /** A thread's reader, made by its backend on the thread's first message call. */
    PlanReader(CLibrary c) {
        this.c = c;
    }

    /**
     * Opens a call: checks the plan buffer, the version, the table extents inside the plan and the message count
     * between {@code min} and {@code max}. Returns true when the plan may be read.
     *
     * <p>Beyond the shim's checks it refuses a buffer that is not in native byte order, is read-only or has a
     * limit below its capacity: the shim reads raw memory and would not notice, but the plans posix-send
     * makes never are so, and this backend reads through the buffer's own methods.
     */
    boolean open(MessagePlan mp, int min, int max) {
        ByteBuffer planBuffer = mp.buffer();
        if (!usable(planBuffer)) {
            return false;
        }
        long[] r = mp.ranges();
        int n = mp.listed();
        long pa = r[0];
        int pcap = planBuffer.capacity();
        if (pa == 0 || r[1] != pcap || pcap < MessagePlan.HEADER || n < 0 || n > (r.length - 2) / 2) {
            return false;
        }
        plan = planBuffer;
        ranges = r;
        listed = n;
        planAddress = pa;
        cap = pcap;
        used = 0;
        if (getInt(MessagePlan.H_VERSION) != MessagePlan.VERSION) {
            return false;
        }
        messages = getInt(MessagePlan.H_MESSAGES);
        msgOff = getInt(MessagePlan.H_MSG_OFF);
        iovOff = getInt(MessagePlan.H_IOV_OFF);
        iovCount = getInt(MessagePlan.H_IOV_COUNT);
        cmsgOff = getInt(MessagePlan.H_CMSG_OFF);
        cmsgCount = getInt(MessagePlan.H_CMSG_COUNT);
        return messages >= min && messages <= max && iovCount >= 0 && cmsgCount >= 0
                && Backend.rangeOk(msgOff, (long) messages * MessagePlan.MSG, cap)
                && Backend.rangeOk(iovOff, (long) iovCount * MessagePlan.IOV, cap)
                && Backend.rangeOk(cmsgOff, (long) cmsgCount * MessagePlan.CMSG, cap);
    }

    /** A direct buffer the thread keeps from call to call, and its address. */
    private static final class Scratch {
        ByteBuffer buffer;
        long address;
    }

    /** Makes this thread's scratch hold at least {@code need} bytes for the call; false when it cannot. */
    boolean reserve(long need) {
        return reserve(need, cached);
    }

    /** {@link #reserve(long)} in {@code kept}, which is grown when needed up to {@link #MAX_CACHED}. */
    private boolean reserve(long need, Scratch kept) {
        if (need > Integer.MAX_VALUE - 64) {
            return false;
        }
        int n = (int) Math.max(need, 4096);
        if (kept.buffer != null && kept.buffer.capacity() >= n) {
            scratch = kept.buffer;
            scratchAddress = kept.address; // looked up once: the address of a direct buffer never changes
        } else if (n <= MAX_CACHED) {
            ByteBuffer grown = ByteBuffer.allocateDirect(PowerOfTwo.atLeast(n))
                    .order(ByteOrder.nativeOrder());
            long grownAddress = c.addressOf(grown);
            // both or neither: a lookup that fails (a StackOverflowError deep in it) must not leave the kept address
            // beside a new buffer, the old one then unreachable and freed while later calls hand it to the kernel
            kept.buffer = grown;
            kept.address = grownAddress;
            scratch = grown;
            scratchAddress = grownAddress;
        } else {
            // beyond what the thread keeps: freed when the call closes, not left to the collector
            DirectMemory.Block block = DirectMemory.allocate(n);
            ByteBuffer b;
            long address;
            try {
                b = block.buffer().order(ByteOrder.nativeOrder());
                address = c.addressOf(b);
            } catch (Throwable t) {
                block.free();
                throw t;
            }
            freeOneOff();
            oneOff = block;
            scratch = b;
            scratchAddress = address;
        }
        scratchCap = scratch.capacity();
        used = 0;
        return true;
    }

    /**
     * The address of {@code [off, off + len)} of the listed buffer an iov record names, or 0 when the index names
     * none or the range does not lie inside that buffer's capacity.
     */
    long listedRange(int index, int off, int len) {
        if (index < 0 || index >= listed) {
            return 0;
        }
        long address = ranges[2 + 2 * index];
        long capacity = ranges[3 + 2 * index];
        return address != 0 && Backend.rangeOk(off, len, capacity) ? address + off : 0;
    }

    private static boolean usable(ByteBuffer b) {
        return b != null && b.isDirect() && !b.isReadOnly() && b.order() == ByteOrder.nativeOrder()
                && b.limit() == b.capacity();
    }

    /**
     * {@link #reserve} for a vector that may be kept in {@code k}: the scratch is {@code k}'s (grown when needed, up
     * to the size the thread keeps), and what was kept in it is dropped.
     */
    boolean reserveKept(Kept k, long need) {
        k.id = 0;
        return reserve(need, k.scratch);
    }

    /**
     * Keeps the vector just built at {@code vector} of {@code k}'s scratch for the plan's next call, with the plan's
     * header and each message's name and control lengths as built.
     */
    void keep(Kept k, MessagePlan mp, int vector, MsghdrLayout l) {
        if (scratch != k.scratch.buffer || messages == 0) {
            return;
        }
        if (k.nameLen.length < messages) {
            int[] names = new int[messages];
            int[] controls = new int[messages];
            // both or neither: an OutOfMemoryError between them would leave one too short for every later call
            k.nameLen = names;
            k.controlLen = controls;
        }
        for (int i = 0; i < messages; i++) {
            int at = vector + i * l.sizeofMmsghdr;
            k.nameLen[i] = scratch.getInt(at + MsghdrLayout.NAMELEN);
            k.controlLen[i] = l.controllenSize == 8 ? (int) scratch.getLong(at + MsghdrLayout.CONTROLLEN)
                    : scratch.getInt(at + MsghdrLayout.CONTROLLEN);
        }
        k.header[0] = messages;
        k.header[1] = msgOff;
        k.header[2] = iovOff;
        k.header[3] = iovCount;
        k.header[4] = cmsgOff;
        k.header[5] = cmsgCount;
        k.planAddress = planAddress;
        k.cap = cap;
        k.vector = vector;
        k.used = used;
        k.generation = mp.generation();
        k.id = mp.id();
    }

    /**
     * Opens a call on the vector {@link #keep} kept in {@code k}, when it was kept for this plan at its present
     * generation: the plan's records are then what the vector was built from. Puts back the header as read then;
     * returns the vector's offset, or -1 when nothing is kept for this plan.
     */
    int openKept(Kept k, MessagePlan mp) {
        if (k.id == 0 || k.id != mp.id() || k.generation != mp.generation()) {
            return -1;
        }
        ByteBuffer planBuffer = mp.buffer();
        long[] r = mp.ranges();
        if (!usable(planBuffer) || r[0] != k.planAddress || planBuffer.capacity() != k.cap) {
            k.id = 0;
            return -1;
        }
        plan = planBuffer;
        ranges = r;
        listed = mp.listed();
        planAddress = k.planAddress;
        cap = k.cap;
        messages = k.header[0];
        msgOff = k.header[1];
        iovOff = k.header[2];
        iovCount = k.header[3];
        cmsgOff = k.header[4];
        cmsgCount = k.header[5];
        scratch = k.scratch.buffer;
        scratchAddress = k.scratch.address;
        scratchCap = scratch.capacity();
        used = k.used;
        return k.vector;
    }

    /**
     * Puts back the name and control lengths as built in the {@code count} headers from {@code from} of the vector
     * {@link #openKept} opened from {@code k} (a receive's kernel shortens them; the range inside the kept message
     * count, checked by the caller). The kernel touches no header outside the ones it is given, and a later call that
     * gives it one puts it back then.
     */
    void resetLengths(Kept k, MsghdrLayout l, int from, int count) {
        for (int i = from; i < from + count; i++) {
            int at = k.vector + i * l.sizeofMmsghdr;
            scratch.putInt(at + MsghdrLayout.NAMELEN, k.nameLen[i]);
            if (l.controllenSize == 8) {
                scratch.putLong(at + MsghdrLayout.CONTROLLEN, k.controlLen[i]);
            } else {
                scratch.putInt(at + MsghdrLayout.CONTROLLEN, k.controlLen[i]);
            }
        }
    }

    /** Ends the call: the buffers are no longer referenced from this thread. */
    void close() {
        plan = null;
        ranges = null;
        scratch = null;
        freeOneOff();
    }

    private void freeOneOff() {
        DirectMemory.Block b = oneOff;
        if (b != null) {
            oneOff = null;
            b.free();
        }
    }

    /** Offset of message record {@code i} (checked by the caller). */
    int messageRecord(int i) {
        return msgOff + i * MessagePlan.MSG;
    }

    /** Offset of iov record {@code j} (checked by the caller). */
    int iovRecord(int j) {
        return iovOff + j * MessagePlan.IOV;
    }

    /** Offset of cmsg record {@code k} (checked by the caller). */
    int cmsgRecord(int k) {
        return cmsgOff + k * MessagePlan.CMSG;
    }

    int getInt(int off) {
        return plan.getInt(off);
    }

    long getLong(int off) {
        return plan.getLong(off);
    }

    void putInt(int off, int value) {
        plan.putInt(off, value);
    }

    void putLong(int off, long value) {
        plan.putLong(off, value);
    }

    /**
     * Hands out {@code n} bytes of scratch at a 16-byte aligned address: their offset in the scratch, or -1 when
     * the scratch is too small.
     */
    int take(long n) {
        long at = scratchAddress + used;
        int pad = (int) (-at & (PIECE_ALIGN - 1));
        long free = (long) scratchCap - used;
        if (n < 0 || pad > free || n > free - pad) {
            return -1;
        }
        int out = used + pad;
        used = (int) (out + n);
        return out;
    }

    /** Zeroes {@code n} bytes of scratch from {@code off}. */
    void zeroScratch(int off, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            scratch.putLong(off + i, 0L);
        }
        for (; i < n; i++) {
            scratch.put(off + i, (byte) 0);
        }
    }
}

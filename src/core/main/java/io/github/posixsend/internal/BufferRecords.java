// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;

/**
 * What was found once about each direct buffer (how its memory reaches the kernel, the address of its index 0),
 * remembered because neither ever changes and finding them costs an allocation or a native call. The record made
 * last, by any thread, is checked first: a loop over one buffer finds it in one field, which touches less memory than
 * a table (on a machine whose system calls flush the TLB, every page counts). Then a table shared by all threads, by
 * the buffer's identity hash, probed linearly from its home slot: a pool of buffers used in turn (the buffers of
 * zero-copy sends in flight, a ring of receive buffers, a batch of a thousand messages re-listed at every call) is
 * found too, not made again at every call. Once it has made records for half as many buffers as it has slots, the
 * table is made again with room for four times the records whose buffers are still alive (those of collected buffers
 * left out): larger for a growing pool, and smaller again once a burst of buffers has been collected and records are
 * made for others. It has up to {@value #MOST_SLOTS} slots, records for some 8,000 buffers in use (a batch of 1,024
 * messages of two buffers each and one of 1,024 to receive into), beyond which a pool's records are made again as they
 * are pushed out; so at most 64 KiB of references and the records behind them are kept. Both are written only when a
 * record is made, so threads that keep using their own buffers do not write by turns. Records are immutable, so a
 * racing reader sees a whole record or none, and a record lost to a racing writer (or to a table made again
 * meanwhile) is only made again. Buffers are only weakly referenced: none, and so no native memory, is kept alive.
 */
public final class BufferRecords {
    /** Slots of the first table: 4 KiB of references, enough for most programs' pools. */
    static final int FIRST_SLOTS = 1024;
    /** Slots of the largest table: 64 KiB of (compressed) references. */
    static final int MOST_SLOTS = 1 << 14;
    /**
     * Slots a lookup reads on from a buffer's home slot: a record is in one of them or not in the table. A table at
     * most half full has a run of this many taken slots from a slot so rarely that one pushed out there costs nothing
     * measurable.
     */
    private static final int PROBES = 16;

    /** Finds what a record holds, for a buffer not seen lately. */
    public interface Finder {
        /**
         * Finds one buffer's record.
         *
         * @param direct a direct buffer
         * @return its record
         */
        Record find(ByteBuffer direct);
    }

    /** One buffer's record; immutable, so a thread that sees an older one sees it whole and right for its buffer. */
    public static final class Record extends WeakReference<ByteBuffer> {
        /** {@link DirectBuffers#BY_ADDRESS}, {@link DirectBuffers#CHECKED} or {@link DirectBuffers#STAGED}. */
        public final int treatment;
        /** The address of the buffer's index 0. */
        public final long base;

        /**
         * A record.
         *
         * @param buffer the buffer, weakly referenced
         * @param treatment how its memory reaches the kernel
         * @param base the address of its index 0
         */
        public Record(ByteBuffer buffer, int treatment, long base) {
            super(buffer);
            this.treatment = treatment;
            this.base = base;
        }
    }

    private final Finder finder;
    private Record[] table = new Record[FIRST_SLOTS];
    /**
     * Records made since the table was (into an empty slot, a dead record's or over a live one): half the table's slots
     * of them make it again, which drops the dead records and shrinks it after a burst. The counts are written without
     * a lock, so a count lost to a racing thread, or a remake made from an older table, delays the next remake only.
     */
    private int made;
    /** Slots of the table not empty: those its remake filled and those records were put in since. */
    private int filled;
    /** {@link #filled} at which the table is made again, so that a run of taken slots stays short. */
    private int fillLimit = FIRST_SLOTS / 2;
    private Record lastMade;

    /**
     * Records found by {@code finder}.
     *
     * @param finder finds a buffer's record the first time it is asked for (or after it was forgotten)
     */
    public BufferRecords(Finder finder) {
        this.finder = finder;
    }

    /**
     * The buffer's record.
     *
     * @param direct a direct buffer
     * @return its record, found now if not remembered
     */
    public Record of(ByteBuffer direct) {
        Record last = lastMade;
        return last != null && last.refersTo(direct) ? last : ofTable(direct);
    }

    /** The buffer's record from the table, or the finder's when it is not there: kept out of the inlined path above. */
    private Record ofTable(ByteBuffer direct) {
        Record[] t = table;
        int mask = t.length - 1;
        int home = System.identityHashCode(direct) & mask;
        int slot = -1;
        for (int k = 0; k < PROBES; k++) {
            int i = (home + k) & mask;
            Record r = t[i];
            if (r == null) {
                // records are put in the first free slot of their run, and no slot is emptied: none lies past this
                if (slot < 0) {
                    slot = i;
                }
                break;
            }
            if (r.refersTo(direct)) {
                return r;
            }
            if (slot < 0 && r.refersTo(null)) {
                slot = i; // a collected buffer's record: its slot is free
            }
        }
        Record r = finder.find(direct);
        lastMade = r;
        boolean fills = slot >= 0 && t[slot] == null;
        boolean crowded = slot < 0 && t.length < MOST_SLOTS; // a whole run of live records, in a table that can grow
        if (++made >= t.length / 2 || (fills && ++filled >= fillLimit) || crowded) {
            put(remade(t), r);
        } else {
            // at the largest size a whole run of live records has the home slot's pushed out, made again if needed
            t[slot < 0 ? home : slot] = r;
        }
        return r;
    }

    /**
     * A new table with room for four times the records of {@code t} whose buffers are alive (at most
     * {@link #MOST_SLOTS}), holding them, now the table. It scans the old table's slots once: at most
     * {@value #MOST_SLOTS}, after half as many records were made.
     */
    private Record[] remade(Record[] t) {
        int alive = 0;
        for (Record r : t) {
            if (r != null && !r.refersTo(null)) {
                alive++;
            }
        }
        int slots = FIRST_SLOTS;
        while (slots < MOST_SLOTS && slots < 4L * alive) {
            slots <<= 1;
        }
        Record[] n = new Record[slots];
        int placed = 0;
        for (Record r : t) {
            if (r != null && put(n, r)) {
                placed++;
            }
        }
        made = 0;
        filled = placed;
        // at the largest size, a pool that fills half of it is not made again at every record but every eighth
        fillLimit = Math.max(slots / 2, placed + slots / 8);
        table = n;
        return n;
    }

    /** Puts a record whose buffer is alive in the first free slot of its run in {@code t}; false when it could not. */
    private static boolean put(Record[] t, Record r) {
        ByteBuffer buffer = r.get();
        if (buffer == null) {
            return false;
        }
        int mask = t.length - 1;
        int home = System.identityHashCode(buffer) & mask;
        for (int k = 0; k < PROBES; k++) {
            int i = (home + k) & mask;
            if (t[i] == null || t[i].refersTo(null)) {
                t[i] = r;
                return true;
            }
        }
        return false;
    }

    /** {@return the slots of the table now}, for tests. */
    int slots() {
        return table.length;
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import java.nio.ByteBuffer;

/**
 * Finds a buffer object in a message's list, so that {@link Message#add} can refuse one listed twice in time that
 * does not grow with the list: a short list is scanned; from {@value #SCANNED} entries on, an open-addressing table
 * of the entries' indexes, keyed by identity hash, answers (8 bytes a slot, 4 slots an entry: 32 KiB for 1,024
 * entries, kept with the message for its next list). The table holds indexes, not buffers, so it keeps no
 * buffer reachable; it is built from the list the first time a long one is asked about, kept up to date while the
 * list only grows, forgotten in O(1) when the list is replaced (a generation in each slot), and allocated again only
 * when the list outgrows it, so re-listing a message's buffers before each send allocates nothing once warm.
 */
final class ListedBuffers {
    /**
     * Lists shorter than this are scanned: the compares cost less than hashing, whose first identity hash of a new
     * buffer (a slice or duplicate made per send) costs about 25 ns (measured: 128 fresh buffers 1.6 us scanned,
     * 4.5 us hashed).
     */
    static final int SCANNED = 128;

    /** Lists longer than this are scanned too: the table's size would not fit an array. */
    private static final int MAX_INDEXED = 1 << 26;

    /** Slots: 0 empty, else the generation in the high half and the entry's index + 1 in the low half. */
    private long[] slots;
    /** Entries of the list the table holds: 0 .. indexed - 1. */
    private int indexed;
    /** The table's current generation, never 0; slots of another generation are empty. */
    private int generation = 1;

    /**
     * The index below {@code n} at which {@code list} holds {@code buf} itself, or -1; entries from the last index
     * asked up to {@code n} are taken into the table first.
     */
    int indexOf(ByteBuffer buf, ByteBuffer[] list, int n) {
        if (n < SCANNED || n > MAX_INDEXED) {
            return scan(buf, list, n);
        }
        if (indexed > n) {
            forget();
        }
        if (slots == null || 2 * n > slots.length) {
            grow(n);
        }
        for (; indexed < n; indexed++) {
            insert(list, indexed);
        }
        long[] table = slots;
        int mask = table.length - 1;
        // bounded: threads that share a message against its rules could fill the table; then the list is scanned
        for (int s = System.identityHashCode(buf) & mask, probes = 0; probes < table.length; s = (s + 1) & mask) {
            long slot = table[s];
            if ((int) (slot >>> 32) != generation) {
                return -1;
            }
            int i = (int) slot - 1;
            if (i < n && list[i] == buf) {
                return i;
            }
            probes++;
        }
        return scan(buf, list, n);
    }

    private static int scan(ByteBuffer buf, ByteBuffer[] list, int n) {
        for (int i = 0; i < n; i++) {
            if (list[i] == buf) {
                return i;
            }
        }
        return -1;
    }

    /** Forgets every entry: the list is being replaced or emptied. */
    void forget() {
        indexed = 0;
        if (++generation == 0) { // after 2^32 - 1 generations: wipe, so that no old slot can match
            generation = 1;
            if (slots != null) {
                java.util.Arrays.fill(slots, 0);
            }
        }
    }

    /** A table of a power of two slots, at least {@code 4 n}: half full at most until the list doubles. */
    private void grow(int n) {
        slots = new long[Integer.highestOneBit(4 * n - 1) << 1];
        indexed = 0;
        generation = 1;
    }

    private void insert(ByteBuffer[] list, int i) {
        long[] table = slots;
        int mask = table.length - 1;
        int s = System.identityHashCode(list[i]) & mask;
        for (int probes = 0; probes < table.length; probes++, s = (s + 1) & mask) {
            if ((int) (table[s] >>> 32) != generation) {
                table[s] = ((long) generation << 32) | (i + 1);
                return;
            }
        }
    }
}

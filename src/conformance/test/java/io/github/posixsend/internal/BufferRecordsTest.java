// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The records of buffers used in turn: each buffer gets its own, a pool larger than the first table is found again
 * without records made again once the table has grown to it, and buffers made and dropped do not grow the table. The
 * finder counts what it makes and numbers each record, so a record handed to the wrong buffer is seen.
 */
class BufferRecordsTest {

    /** A finder that numbers the records it makes, in the record's base, and remembers each buffer's number. */
    private static final class CountingFinder implements BufferRecords.Finder {
        final Map<ByteBuffer, Long> numbers = new IdentityHashMap<>();
        long made;

        @Override
        public BufferRecords.Record find(ByteBuffer direct) {
            made++;
            numbers.put(direct, made);
            return new BufferRecords.Record(direct, DirectBuffers.BY_ADDRESS, made);
        }
    }

    /** Looks up every buffer once, checking each gets a record of its own (its latest number). */
    private static void lookUpAll(BufferRecords records, CountingFinder finder, ByteBuffer[] pool) {
        for (ByteBuffer b : pool) {
            BufferRecords.Record r = records.of(b);
            assertTrue(r.refersTo(b), "a record of another buffer");
            assertEquals(finder.numbers.get(b), r.base, "not the buffer's latest record");
        }
    }

    private static ByteBuffer[] pool(int n) {
        ByteBuffer[] pool = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            pool[i] = ByteBuffer.allocate(1); // the records do not look inside: any buffer object serves
        }
        return pool;
    }

    @Test
    void aPoolOfThousandsUsedInTurnIsFoundOnceTheTableHasGrownToIt() {
        CountingFinder finder = new CountingFinder();
        BufferRecords records = new BufferRecords(finder);
        ByteBuffer[] pool = pool(3000);
        for (int round = 0; round < 5; round++) {
            lookUpAll(records, finder, pool);
        }
        long before = finder.made;
        lookUpAll(records, finder, pool);
        assertEquals(before, finder.made, "records made again in a round over a pool of 3000");
        assertTrue(records.slots() >= 4096, "the table grew: " + records.slots() + " slots");
    }

    @Test
    void aPoolKeepsItsRecordsWhileBuffersAreMadeAndDroppedAround() {
        CountingFinder finder = new CountingFinder();
        BufferRecords records = new BufferRecords(finder);
        ByteBuffer[] kept = pool(100);
        lookUpAll(records, finder, kept);
        for (int i = 0; i < 60_000; i++) {
            ByteBuffer once = ByteBuffer.allocate(1);
            assertSame(records.of(once), records.of(once));
            finder.numbers.remove(once); // the finder's map would keep it alive
            if (i % 2_000 == 0) {
                // the dropped buffers' records die, and the next table leaves them out; the collector runs before
                // the buffers dropped outnumber the largest table's records, as a program's young collections do
                System.gc();
            }
        }
        long before = finder.made;
        lookUpAll(records, finder, kept);
        assertEquals(before, finder.made, "the pool's records were lost while the table was made again");
    }

    @Test
    void theTableShrinksAgainOnceABurstOfBuffersIsCollected() {
        CountingFinder finder = new CountingFinder();
        BufferRecords records = new BufferRecords(finder);
        ByteBuffer[] burst = pool(BufferRecords.MOST_SLOTS);
        lookUpAll(records, finder, burst);
        assertEquals(BufferRecords.MOST_SLOTS, records.slots(), "grown to the burst");
        burst = null;
        finder.numbers.clear();
        System.gc(); // the burst's records die
        ByteBuffer[] kept = pool(64);
        for (int round = 0; round < BufferRecords.MOST_SLOTS / kept.length; round++) {
            ByteBuffer[] others = pool(kept.length);
            lookUpAll(records, finder, others); // others' records made, their buffers dropped
            for (ByteBuffer b : others) {
                finder.numbers.remove(b);
            }
            lookUpAll(records, finder, kept);
            if (round % 8 == 0) {
                System.gc();
            }
        }
        assertTrue(records.slots() < BufferRecords.MOST_SLOTS, "still " + records.slots() + " slots for "
                + kept.length + " buffers in use, the burst collected");
    }

    @Test
    void aPoolBeyondTheLargestTableStillGetsEachBuffersOwnRecord() {
        CountingFinder finder = new CountingFinder();
        BufferRecords records = new BufferRecords(finder);
        ByteBuffer[] pool = pool(BufferRecords.MOST_SLOTS);
        for (int round = 0; round < 2; round++) {
            lookUpAll(records, finder, pool);
        }
        assertEquals(BufferRecords.MOST_SLOTS, records.slots());
    }
}

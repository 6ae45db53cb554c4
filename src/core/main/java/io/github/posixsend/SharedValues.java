// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One control message per value, of a kind whose payload is one number in a range ({@code UDP_SEGMENT}'s sizes,
 * {@code IP_TOS}'s bytes): made at the first call that asks for the value and returned to every later one, so that a
 * sender that picks the value per packet (a QUIC sender's segment size or ECN bits) allocates nothing once warm. The
 * values are kept in chunks of 256, made as first needed, so a range of 65,536 holds only the chunks in use. Two
 * threads that ask for a new value at once agree on one object; the objects are immutable.
 */
final class SharedValues {
    private static final int CHUNK_BITS = 8;
    private static final int CHUNK = 1 << CHUNK_BITS;

    private final int min;
    private final AtomicReferenceArray<AtomicReferenceArray<ControlMessage>> chunks;

    /** Holds the values {@code min..max}; the caller checks a value is in range before asking. */
    SharedValues(int min, int max) {
        this.min = min;
        this.chunks = new AtomicReferenceArray<>(((max - min) >>> CHUNK_BITS) + 1);
    }

    /** {@return the message kept for {@code value}, or null before one is} */
    ControlMessage get(int value) {
        int i = value - min;
        AtomicReferenceArray<ControlMessage> chunk = chunks.get(i >>> CHUNK_BITS);
        return chunk == null ? null : chunk.get(i & (CHUNK - 1));
    }

    /** Keeps {@code made} for {@code value} unless another thread kept one first; returns the one kept. */
    ControlMessage keep(int value, ControlMessage made) {
        int i = value - min;
        int c = i >>> CHUNK_BITS;
        AtomicReferenceArray<ControlMessage> chunk = chunks.get(c);
        if (chunk == null) {
            chunks.compareAndSet(c, null, new AtomicReferenceArray<>(CHUNK));
            chunk = chunks.get(c);
        }
        ControlMessage had = chunk.compareAndExchange(i & (CHUNK - 1), null, made);
        return had == null ? made : had;
    }
}

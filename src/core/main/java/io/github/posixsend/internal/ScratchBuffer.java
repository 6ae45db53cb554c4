package io.github.posixsend.internal;

import java.nio.ByteBuffer;

/**
 * A per-thread direct buffer for data that has no array the backends can copy from (read-only heap buffers).
 * Buffers up to {@value #MAX_CACHED} bytes are kept for the thread's next call; larger ones are used once.
 */
public final class ScratchBuffer {
    static final int MAX_CACHED = 1 << 20;
    private static final ThreadLocal<ByteBuffer> CACHE = new ThreadLocal<>();

    private ScratchBuffer() {
    }

    /** A direct buffer of at least {@code size} bytes, position 0, whose contents are undefined. */
    public static ByteBuffer get(int size) {
        ByteBuffer b = CACHE.get();
        if (b != null && b.capacity() >= size) {
            return b.clear();
        }
        if (size > MAX_CACHED) {
            return ByteBuffer.allocateDirect(size);
        }
        int cap = Math.max(size, b == null ? 4096 : Math.min(MAX_CACHED, b.capacity() * 2));
        b = ByteBuffer.allocateDirect(cap);
        CACHE.set(b);
        return b;
    }
}

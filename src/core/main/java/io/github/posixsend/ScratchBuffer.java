// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.DirectMemory;
import java.nio.ByteBuffer;

/**
 * A per-thread direct buffer for data that has no array the backends can copy from (read-only heap buffers, a shared
 * arena's). Buffers up to {@value #MAX_CACHED} bytes are kept for the thread's next call; larger ones are used once and
 * freed by {@link #release} when the call is over, not left to the collector (which may not run before the direct
 * memory limit is reached, and with {@code -XX:+DisableExplicitGC} is not asked to). A backend hands the kernel only a
 * buffer's address, and a one-call buffer is referenced by nothing else: the caller keeps it reachable until the call
 * has returned ({@code Reference.reachabilityFence}), then releases it, in a {@code finally}. The class is
 * {@link Posix}'s alone: a caller holding the thread's kept buffer could read what later calls stage in it.
 */
final class ScratchBuffer {
    static final int MAX_CACHED = 1 << 20;
    private static final ThreadLocal<ByteBuffer> CACHE = new ThreadLocal<>();
    /** The buffer {@link #get} made for one call only, until {@link #release} frees it. */
    private static final ThreadLocal<DirectMemory.Block> ONE_OFF = new ThreadLocal<>();

    private ScratchBuffer() {
    }

    /**
     * A direct buffer of at least {@code size} bytes, position 0, whose contents are undefined; the caller hands it
     * to {@link #release} when the call is over.
     */
    static ByteBuffer get(int size) {
        ByteBuffer b = CACHE.get();
        if (b != null && b.capacity() >= size) {
            return b.clear();
        }
        if (size > MAX_CACHED) {
            // the library's calls do not nest: one still held was left by a call that failed before its release
            free(ONE_OFF.get());
            DirectMemory.Block block = DirectMemory.allocate(size);
            ONE_OFF.set(block);
            return block.buffer();
        }
        int cap = Math.max(size, b == null ? 4096 : Math.min(MAX_CACHED, b.capacity() * 2));
        b = ByteBuffer.allocateDirect(cap);
        CACHE.set(b);
        return b;
    }

    /**
     * {@link #get} holding {@code src[pos .. pos+len)} from position 0, for a send: the bytes of a buffer that has no
     * array the backends can copy from. An empty range reads nothing of {@code src} (a closed arena's memory
     * neither), as a receive into one writes nothing. The caller hands the copy to {@link #release}; a copy that
     * fails (an arena closed meanwhile) is released here before its exception goes on.
     */
    static ByteBuffer copyOf(ByteBuffer src, int pos, int len) {
        ByteBuffer b = get(len);
        if (len > 0) {
            try {
                b.put(0, src, pos, len);
            } catch (RuntimeException | Error e) {
                release(b);
                throw e;
            }
        }
        return b;
    }

    /**
     * Ends the use of {@code b}, a buffer {@link #get} returned: the one made for a single call is freed now, and no
     * other (only {@code b} itself, so no caller check is needed). The caller drops every reference to it first; the
     * thread's kept buffer is left as it is (nothing is looked up for it).
     */
    static void release(ByteBuffer b) {
        if (b.capacity() > MAX_CACHED) {
            DirectMemory.Block held = ONE_OFF.get();
            if (held != null && held.buffer() == b) {
                free(held);
            }
        }
    }

    private static void free(DirectMemory.Block block) {
        if (block != null) {
            ONE_OFF.remove();
            block.free();
        }
    }
}

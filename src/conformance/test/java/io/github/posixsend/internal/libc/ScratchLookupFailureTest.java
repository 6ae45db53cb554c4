// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A thread's scratch memory and the address the Java backends hand the kernel for it stay one pair when the address
 * lookup fails as the scratch grows (a StackOverflowError deep in it, as a caller near its stack's end causes on
 * FFM): the next call must not get the old, smaller buffer's address, which nothing keeps alive any more, beside the
 * new buffer its bytes are copied into.
 */
class ScratchLookupFailureTest {
    /** A C library whose addressOf numbers each buffer it is shown and fails while told to. */
    private static final class Lookups {
        final Map<Long, ByteBuffer> byAddress = new HashMap<>();
        final Map<ByteBuffer, Long> numbered = new java.util.IdentityHashMap<>();
        boolean fail;
        final CLibrary c = (CLibrary) Proxy.newProxyInstance(CLibrary.class.getClassLoader(),
                new Class<?>[] {CLibrary.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("addressOf")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (fail) {
                        throw new StackOverflowError("as deep in DirectBufferFacts.find");
                    }
                    ByteBuffer b = (ByteBuffer) args[0];
                    return numbered.computeIfAbsent(b, k -> {
                        long a = 0x1000L * (numbered.size() + 1);
                        byAddress.put(a, k);
                        return a;
                    });
                });

        /** The buffer the address names, which must be at least {@code len} bytes. */
        ByteBuffer named(long address, int len) {
            ByteBuffer b = byAddress.get(address);
            assertNotNull(b, "an address addressOf gave: " + address);
            assertTrue(b.capacity() >= len, "the address names a buffer of " + b.capacity() + " bytes, not " + len);
            return b;
        }
    }

    @Test
    void theDataAreaKeepsItsAddressWhenGrowingFails() {
        Lookups l = new Lookups();
        NativeScratch s = new NativeScratch(l.c, () -> false);
        long first = s.data(100);
        l.named(first, 100);
        l.fail = true;
        assertThrows(StackOverflowError.class, () -> s.data(8192));
        l.fail = false;
        long again = s.data(8192);
        ByteBuffer b = l.named(again, 8192);
        // and the bytes go where the kernel will read them
        s.copyIn(again, new byte[] {42}, 0, 1);
        assertEquals(42, b.get(0));
    }

    @Test
    void thePlanScratchKeepsItsAddressWhenGrowingFails() {
        Lookups l = new Lookups();
        PlanReader r = new PlanReader(l.c);
        assertTrue(r.reserve(100));
        l.named(r.scratchAddress, 100);
        l.fail = true;
        assertThrows(StackOverflowError.class, () -> r.reserve(8192));
        l.fail = false;
        assertTrue(r.reserve(8192));
        l.named(r.scratchAddress, 8192);
        assertEquals(r.scratchAddress, l.numbered.get(r.scratch), "the scratch and its address are one pair");
    }
}

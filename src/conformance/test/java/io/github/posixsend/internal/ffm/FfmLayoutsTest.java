// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Os;
import io.github.posixsend.internal.ConstantTable;
import io.github.posixsend.internal.jni.JniBackend;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The FFM backend's {@code MemoryLayout}s against the compiled headers (the JNI shim's {@code SIZEOF_*} and
 * {@code OFFSETOF_*}, on this host) and against posix-send's tables (Linux and NetBSD, on any host). No system call
 * is made.
 */
class FfmLayoutsTest {

    private static void assumeForeignApi() {
        assumeTrue(FfmBackends.jdkHasForeignApi(), "java.lang.foreign is final from JDK 22; this is "
                + Runtime.version());
    }

    @Test
    void layoutsAgreeWithTheTablesOfBothPlatforms() {
        assumeForeignApi();
        for (Os os : new Os[] {Os.LINUX, Os.NETBSD}) {
            Map<String, Integer> layouts = FfmBackends.layouts(os);
            assertFalse(layouts.isEmpty());
            for (Map.Entry<String, Integer> e : layouts.entrySet()) {
                assertEquals(ConstantTable.value(e.getKey(), os), e.getValue(), os + " " + e.getKey());
            }
        }
    }

    @Test
    void layoutsAgreeWithTheCompiledHeaders() {
        assumeForeignApi();
        Map<String, Integer> headers;
        try {
            headers = JniBackend.load().constants();
        } catch (UnsatisfiedLinkError e) {
            assumeTrue(false, "the JNI shim reports the compiled headers and does not load here: " + e);
            return;
        }
        for (Map.Entry<String, Integer> e : FfmBackends.layouts(Os.current()).entrySet()) {
            assertEquals(headers.get(e.getKey()), e.getValue(), Os.current() + " " + e.getKey());
        }
    }

    @Test
    void beforeJdk22TheBackendSaysWhatItNeeds() {
        assumeTrue(!FfmBackends.jdkHasForeignApi(), "this JDK has the foreign function API");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> FfmBackends.load());
        assertTrue(e.getMessage().contains("needs JDK 22"), e.getMessage());
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * Messages and batches free their native memory when closed, and large heap staging is not kept: with 16 MiB of
 * direct memory and {@code System.gc()} disabled (so the collector cannot be asked to free buffers when the limit
 * is reached), 20,000 messages and batches made, used and closed, and repeated 4 MiB heap sends, fit.
 */
class BoundedMemoryTest {

    @Test
    void closedMessagesAndLargeStagingStayWithinTheDirectMemoryLimit() throws Exception {
        ChildJvm.Result r = ChildJvm.of(BoundedMemory.class, "20000")
                .jvm("-XX:MaxDirectMemorySize=16m", "-XX:+DisableExplicitGC", "-Xmx512m")
                .timeoutSeconds(120).run();
        assertTrue(r.endedNormally(), r.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().contains("done 20000"), r.toString());
    }
}

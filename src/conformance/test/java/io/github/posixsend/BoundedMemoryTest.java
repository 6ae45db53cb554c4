// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.Sanitizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Messages and batches free their native memory when closed, and large heap staging is not kept: with 16 MiB of
 * direct memory and {@code System.gc()} disabled (so the collector cannot be asked to free buffers when the limit
 * is reached), 20,000 messages and batches made, used and closed, eight bursts of 1,000 messages open at once and
 * then closed, and repeated 4 MiB heap sends, fit. And those never closed do not pile up: the collector is made to
 * run as their memory grows (by the JDK's count of direct memory before JDK 22, by posix-send's own from 22).
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

    @Test
    void unclosedMessagesAndBatchesAreCollectedBeforeTheirMemoryPilesUp() throws Exception {
        neverClosedStayBelow400MB(false);
    }

    @Test
    void unclosedMessagesOfAThreadWithAnInterruptPendingAreCollectedAsWell() throws Exception {
        neverClosedStayBelow400MB(true);
    }

    private static void neverClosedStayBelow400MB(boolean interrupted) throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "the peak is Linux's VmHWM, from /proc/self/status");
        // AddressSanitizer's allocator (scripts/sanitize) keeps freed memory in quarantine, 256 MB by default, and
        // pads every block: the process's resident memory then says nothing of what posix-send holds
        assumeTrue(!Sanitizer.preloaded(), "resident memory under AddressSanitizer");
        // 100,000 messages and as many batches, each with a 4 KiB plan: 800 MB if nothing frees them before the end
        ChildJvm.Result r = ChildJvm.of(BoundedMemory.class, "100000", "unclosed", interrupted ? "interrupted" : "-")
                .jvm("-XX:MaxDirectMemorySize=32m", "-Xmx64m")
                .timeoutSeconds(120).run();
        assertTrue(r.endedNormally(), r.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Matcher done = Pattern.compile("done 100000 peak (\\d+)( still interrupted)?").matcher(r.output());
        assertTrue(done.find(), r.toString());
        long peakKib = Long.parseLong(done.group(1));
        // the heap, the direct memory and the JVM's own take about 150 MB here
        assertTrue(peakKib < 400 * 1024, "peak resident memory " + peakKib / 1024 + " MiB: " + r);
        assertEquals(interrupted, done.group(2) != null, "the interrupt is kept for the caller: " + r);
    }
}

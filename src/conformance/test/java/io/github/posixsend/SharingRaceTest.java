// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * Misuse from several threads ends in results and exceptions, never in a signal or an {@code hs_err} file: run in
 * a child JVM (so a crash fails this test instead of ending the suite) on the backend this run selected.
 */
class SharingRaceTest {

    private static ChildJvm.Result race(String part) throws Exception {
        return ChildJvm.of(SharingRace.class, part, "3000").jvm("-Xmx256m").timeoutSeconds(120).run();
    }

    @Test
    void threadsSharingAMessageWhileItChangesDoNotCrash() throws Exception {
        ChildJvm.Result r = race("message");
        assertTrue(r.endedNormally(), r.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().contains("done"), r.toString());
        assertTrue(r.output().matches("(?s).*message: [1-9]\\d* results, [1-9]\\d* refusals.*"),
                "both calls that ran and calls that were refused: " + r);
    }

    @Test
    void aPlanChangedDuringTheCallDoesNotCrash() throws Exception {
        ChildJvm.Result r = race("plan");
        assertTrue(r.endedNormally(), r.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().matches("(?s).*plan: [1-9]\\d* calls, [1-9]\\d* -errno.*"), r.toString());
    }
}

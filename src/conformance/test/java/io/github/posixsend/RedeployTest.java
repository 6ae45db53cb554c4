// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.BatchRound;
import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.Redeploys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that redeploys loads posix-send again each time, in a new class loader, and the JDK unloads the old
 * loader's load of the JNI shim. Each load made one thread-specific key at its first batch call and none gave it back,
 * so after about a thousand deployments (glibc has 1024 keys a process) every batch call failed with ENOMEM, and
 * loading jffi (the JNR backend) then crashed the JVM. The shim now gives its key back when it is unloaded
 * ({@code JNI_OnUnload}). Run in a child JVM (Redeploys) on the JNI execution only, and not under the sanitizer,
 * whose runtime the child would inherit: JDK 17's {@code os::dll_unload} reads the library's name after
 * {@code dlclose} freed it, a use-after-free of the JDK's own that AddressSanitizer reports at the first unloading.
 */
class RedeployTest {
    private static final String LIB = System.mapLibraryName("posixsend");
    /** More deployments than a process has thread-specific keys. */
    private static final int DEPLOYMENTS = 1100;

    @Test
    void moreDeploymentsThanAProcessHasThreadKeysEachSendAndReceive(@TempDir Path tmp) throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the key is the JNI shim's: run on its execution");
        assumeTrue(Os.current() == Os.LINUX, "reads /proc/self/maps");
        String preload = System.getenv("LD_PRELOAD");
        assumeTrue(preload == null || !preload.contains("asan"), "the JDK's own dll_unload reads freed memory");
        Path dir = Files.createDirectory(tmp.resolve("lib"));
        Files.copy(SharedLibraryInstanceTest.loadedLibrary(), dir.resolve(LIB));
        ChildJvm.Result r = ChildJvm.of(Redeploys.class, dir.toString(), ChildJvm.codeOf(Posix.class),
                ChildJvm.codeOf(BatchRound.class), Integer.toString(DEPLOYMENTS))
                .classPath(ChildJvm.codeOf(Redeploys.class)).workDir(tmp).timeoutSeconds(300).run();
        assertTrue(r.endedNormally(), r.toString());
        assertEquals("cycles " + DEPLOYMENTS, r.output().lines().filter(l -> l.startsWith("cycle"))
                .reduce((a, b) -> b).orElse(""), r.toString());
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.BatchRound;
import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.Redeploys;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that redeploys loads posix-send again each time, in a new class loader, and the JDK unloads the old
 * loader's load of the JNI shim. Each load once made a thread-specific key at its first batch call and none gave it
 * back, so after about a thousand deployments (glibc has 1024 keys a process) every batch call failed with ENOMEM, and
 * loading jffi (the JNR backend) then crashed the JVM; later each load gave its key back, but the batch structs kept
 * for a thread that lived on stayed allocated (48 KiB a deployment: the process grew by 47-49 MiB over 1,000). The
 * structs are now kept in memory of the thread's from the deployment's own classes, which goes with them. Run in a
 * child JVM (Redeploys): the thousand deployments on the JNI execution only (a few on the other backends' executions,
 * for what their threads keep), and not under the sanitizer, whose runtime the child would inherit: JDK 17's
 * {@code os::dll_unload} reads the library's name after {@code dlclose} freed it, a use-after-free of the JDK's own
 * that AddressSanitizer reports at the first unloading.
 */
class RedeployTest {
    private static final String LIB = System.mapLibraryName("posixsend");
    /** More deployments than a process has thread-specific keys. */
    private static final int DEPLOYMENTS = 1100;
    /**
     * How much the process may grow over the deployments after the first {@link Redeploys#MEMORY_FROM}: it grew by
     * 6-16 MiB with nothing kept (the JVM's own, JDK 17 and 25), and by 47-49 MiB more when 48 KiB stayed for each.
     */
    private static final long MAX_GROWTH_KIB = 32 << 10;
    /**
     * The direct memory left after the deployments: the test JVM's own. Each deployment's backend keeps about 3 KiB
     * for the thread (its kept batches and copy buffer), so what 1,000 deployments left behind would exceed it.
     */
    private static final long MAX_DIRECT_BYTES = 1 << 20;
    /** Deployments of the other backends: the first one kept would already show. */
    private static final int CYCLES = 5;

    @Test
    void moreDeploymentsThanAProcessHasThreadKeysEachSendAndReceiveAndKeepNothing(@TempDir Path tmp) throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the key is the JNI shim's: run on its execution");
        assumeTrue(Os.current() == Os.LINUX, "reads /proc/self/maps");
        String preload = System.getenv("LD_PRELOAD");
        assumeTrue(preload == null || !preload.contains("asan"), "the JDK's own dll_unload reads freed memory");
        Path dir = Files.createDirectory(tmp.resolve("lib"));
        Files.copy(SharedLibraryInstanceTest.loadedLibrary(), dir.resolve(LIB));
        ChildJvm.Result r = ChildJvm.of(Redeploys.class, "jni", dir.toString(), Integer.toString(DEPLOYMENTS), "",
                ChildJvm.codeOf(Posix.class), ChildJvm.codeOf(BatchRound.class))
                // a heap of fixed size, all resident from the start: its growth is not counted as what stayed
                .jvm("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch")
                .classPath(ChildJvm.codeOf(Redeploys.class)).workDir(tmp).timeoutSeconds(300).run();
        assertCycles(DEPLOYMENTS, r);
        Matcher m = Pattern.compile("memory (\\d+) deployments: rss grew by (-?\\d+) KiB, direct memory (\\d+) B")
                .matcher(r.output());
        assertTrue(m.find(), r.toString());
        assertEquals(DEPLOYMENTS - Redeploys.MEMORY_FROM, Integer.parseInt(m.group(1)), r.toString());
        assertTrue(Long.parseLong(m.group(2)) < MAX_GROWTH_KIB, "the deployments left memory behind: " + m.group());
        assertTrue(Long.parseLong(m.group(3)) < MAX_DIRECT_BYTES, "the deployments' direct memory stayed: "
                + m.group());
    }

    /**
     * What a backend keeps for a thread that made calls (scratch memory, the reader of a batch's plan, segments over
     * arrays) must not hold the class loader of the posix-send that made it: a server's threads outlive its
     * deployments. The JNI execution runs the test above; this one runs on the others' (their libraries, jnr-ffi
     * among them, shared by the deployments as a server's common class loader would).
     */
    @Test
    void aThreadThatMadeCallsKeepsNoDeploymentOfItsBackend(@TempDir Path tmp) throws Exception {
        String backend = Posix.backendName();
        assumeTrue(!backend.equals("jni"), "the JNI execution runs the test of a thousand deployments");
        List<String> deployed = new ArrayList<>(List.of(ChildJvm.codeOf(Posix.class),
                ChildJvm.codeOf(BatchRound.class)));
        // the backend's classes where they are apart from the rest: the JNR artifact, or the core's JDK 22 classes
        // (a folder of their own in this build)
        deployed.add(ChildJvm.codeOf(Class.forName(backend.equals("jnr") ? "io.github.posixsend.internal.jnr.JnrBackend"
                : "io.github.posixsend.internal.ffm.FfmBackend")));
        Set<Path> own = deployed.stream().map(RedeployTest::normal).collect(Collectors.toSet());
        String shared = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty() && !own.contains(normal(e))).collect(Collectors.joining(File.pathSeparator));
        List<String> args = new ArrayList<>(List.of(backend, "", Integer.toString(CYCLES), shared));
        args.addAll(deployed);
        ChildJvm.Result r = ChildJvm.of(Redeploys.class, args.toArray(String[]::new))
                .jvm("--enable-native-access=ALL-UNNAMED").classPath(ChildJvm.codeOf(Redeploys.class))
                .workDir(tmp).timeoutSeconds(300).run();
        assertCycles(CYCLES, r);
    }

    private static Path normal(String entry) {
        return Path.of(entry).toAbsolutePath().normalize();
    }

    private static void assertCycles(int cycles, ChildJvm.Result r) {
        assertTrue(r.endedNormally(), r.toString());
        assertEquals("cycles " + cycles, r.output().lines().filter(l -> l.startsWith("cycle"))
                .reduce((a, b) -> b).orElse(""), r.toString());
    }
}

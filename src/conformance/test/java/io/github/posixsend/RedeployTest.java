// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.BatchRound;
import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.MallocInUse;
import io.github.posixsend.testing.Redeploys;
import io.github.posixsend.testing.Sanitizer;
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
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;
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
 *
 * <p>What stays is measured as malloc's bytes in use (what a library allocates for a thread, its thread-local storage
 * included, comes from there), not as the resident size: that one counts what malloc keeps after the JIT's frees too,
 * and grew by 0-115 MiB with nothing kept, overlapping the leak it is to find.
 */
class RedeployTest {
    private static final String LIB = System.mapLibraryName("posixsend");
    /** More deployments than a process has thread-specific keys. */
    private static final int DEPLOYMENTS = 1100;
    /**
     * How much malloc's bytes in use may grow over the deployments (Redeploys: the least of the last hundred less the
     * least of the hundred from {@link Redeploys#MEMORY_FROM}): with nothing kept it grew by -10 to +2 MiB, on JDK 17
     * and 25, also with both cores busy; a shim that kept 48 KiB at each load made it grow by 40-46 MiB.
     */
    private static final long MAX_MALLOC_GROWTH_KIB = 16 << 10;
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
        assumeTrue(!Sanitizer.preloaded(), "the JDK's own dll_unload reads freed memory");
        Path dir = Files.createDirectory(tmp.resolve("lib"));
        Files.copy(SharedLibraryInstanceTest.loadedLibrary(), dir.resolve(LIB));
        // the child reads malloc's totals through jnr-ffi, which its own class loader holds; posix-send is only the
        // deployments'
        String classPath = ChildJvm.codeOf(Redeploys.class) + File.pathSeparator + classPathWithout(List.of(
                ChildJvm.codeOf(Posix.class),
                ChildJvm.codeOf(Class.forName("io.github.posixsend.internal.jnr.JnrBackend"))));
        ChildJvm.Result r = ChildJvm.of(Redeploys.class, "jni", dir.toString(), Integer.toString(DEPLOYMENTS), "",
                ChildJvm.codeOf(Posix.class), ChildJvm.codeOf(BatchRound.class))
                // a heap of fixed size, all resident from the start: the resident size it reports is not the heap's
                .jvm("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED")
                .classPath(classPath).workDir(tmp).timeoutSeconds(300).run();
        assertCycles(DEPLOYMENTS, r);
        Matcher m = Pattern.compile("memory (\\d+) deployments: malloc in use grew by (-?\\d+) KiB, "
                + "rss by (-?\\d+) KiB, direct memory (\\d+) B").matcher(r.output());
        assertTrue(m.find(), r.toString());
        assertEquals(DEPLOYMENTS - Redeploys.MEMORY_FROM, Integer.parseInt(m.group(1)), r.toString());
        assertTrue(Long.parseLong(m.group(2)) < MAX_MALLOC_GROWTH_KIB, "the deployments left memory behind: "
                + m.group());
        assertTrue(Long.parseLong(m.group(4)) < MAX_DIRECT_BYTES, "the deployments' direct memory stayed: "
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
        String shared = classPathWithout(deployed);
        List<String> args = new ArrayList<>(List.of(backend, "", Integer.toString(CYCLES), shared));
        args.addAll(deployed);
        ChildJvm.Result r = ChildJvm.of(Redeploys.class, args.toArray(String[]::new))
                .jvm("--enable-native-access=ALL-UNNAMED").classPath(ChildJvm.codeOf(Redeploys.class))
                .workDir(tmp).timeoutSeconds(300).run();
        assertCycles(CYCLES, r);
    }

    /** The C library's allocator, for the check of what the test above measures with. */
    public interface Allocator {
        Pointer malloc(@size_t long size);

        void free(Pointer block);
    }

    /**
     * MallocInUse, which the deployments' test rests on, counts 256 MiB of blocks from malloc's arenas (64 KiB each)
     * and 256 MiB of blocks malloc maps one by one (64 MiB each: above the most to which glibc raises its mapping
     * threshold), beyond what the JIT's arenas move meanwhile (up to 25 MiB), and stops counting them once they are
     * freed. Left without the mapped blocks' total, it saw 256 MiB grow.
     */
    @Test
    void mallocInUseCountsTheBlocksAllocatedUntilTheyAreFreed(@TempDir Path tmp) throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "glibc's malloc_info");
        assumeTrue(!Sanitizer.preloaded(), "AddressSanitizer's malloc is not the one counted");
        Allocator allocator = LibraryLoader.create(Allocator.class).load("c");
        MallocInUse inUse = new MallocInUse(tmp.resolve("malloc-info.xml"));
        long mib = 1 << 20;
        long before = inUse.bytes();
        List<Pointer> blocks = new ArrayList<>();
        long grown;
        try {
            for (int i = 0; i < 4096; i++) {
                blocks.add(allocator.malloc(64 << 10));
            }
            for (int i = 0; i < 4; i++) {
                blocks.add(allocator.malloc(64 * mib));
            }
            assertTrue(blocks.stream().allMatch(b -> b != null && b.address() != 0), "malloc failed");
            grown = inUse.bytes() - before;
        } finally {
            blocks.forEach(allocator::free);
        }
        long left = inUse.bytes() - before;
        assertTrue(Math.abs(grown - 512 * mib) < 64 * mib, "512 MiB allocated, in use grew by " + grown / mib
                + " MiB");
        assertTrue(Math.abs(left) < 64 * mib, "all freed, in use stayed " + left / mib + " MiB above");
    }

    /** This JVM's class path, less the entries that name one of {@code left} (joined by the path separator). */
    private static String classPathWithout(List<String> left) {
        Set<Path> out = left.stream().map(RedeployTest::normal).collect(Collectors.toSet());
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty() && !out.contains(normal(e))).collect(Collectors.joining(File.pathSeparator));
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

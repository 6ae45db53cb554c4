// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.internal.NativeLibraryLoader;
import io.github.posixsend.testing.BatchRound;
import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.TwoLoaderBatches;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two class loaders, each with its own copy of posix-send's classes, on one instance of the JNI shim: their library
 * paths name one file through a hard link, and the dynamic linker matches files, not paths. Each copy numbers its
 * message plans from 1, so the shim's batch kept for one copy's plan was taken for the other's plan of the same number:
 * the second copy's {@code sendmmsg} sent the first copy's datagrams from memory closed before, and its
 * {@code recvmmsg} wrote into that memory, when the shim kept a thread's batches in memory of its own; each copy's
 * backend now hands the shim memory of the copy's own to keep them in. Run in a child JVM (TwoLoaderBatches), on the
 * JNI execution only: the child uses the shim whatever backend the suite runs on, and the library it copies is the one
 * this JVM loaded (the sanitizer's build under scripts/sanitize).
 */
class SharedLibraryInstanceTest {
    private static final String LIB = System.mapLibraryName("posixsend");

    @Test
    void twoLoadersOnOneLibraryInstanceEachSendAndReceiveTheirOwnBatches(@TempDir Path tmp) throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the kept batches are the JNI shim's: run on its execution");
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        // a copy, not a link, of this JVM's own library: its instance stays this JVM's alone
        Files.copy(loadedLibrary(), a.resolve(LIB));
        Files.createLink(b.resolve(LIB), a.resolve(LIB));
        ChildJvm.Result r = ChildJvm.of(TwoLoaderBatches.class, a.toString(), b.toString(),
                ChildJvm.codeOf(Posix.class), ChildJvm.codeOf(BatchRound.class))
                .classPath(ChildJvm.codeOf(TwoLoaderBatches.class)).workDir(tmp).run();
        assertTrue(r.endedNormally(), r.toString());
        // the rounds' lines, without the JDK's native-access warnings (JDK 24 and later)
        String[] lines = r.output().lines().filter(l -> l.startsWith("round ")).toArray(String[]::new);
        assertEquals(2, lines.length, r.toString());
        for (int round = 0; round < 2; round++) {
            int[] sizes = BatchRound.sizes(round);
            // both datagrams went from this round's own batch and came into this round's own buffers
            assertEquals("round " + round + ": sent 2 " + sizes[0] + "/" + sizes[1] + " received 2 " + sizes[0] + ":"
                    + (round + 1) + " " + sizes[1] + ":" + (round + 1), lines[round].strip(), r.toString());
        }
    }

    /** The library this JVM loaded: from posixsend.library.path when set, else the build's. */
    static Path loadedLibrary() throws Exception {
        String dir = System.getProperty(NativeLibraryLoader.LIBRARY_PATH);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).resolve(LIB);
        }
        URL url = NativeLibraryLoader.class.getResource("/META-INF/native/" + NativeLibraryLoader.platformFolder()
                + "/" + LIB);
        assertNotNull(url, "the build did not bundle " + LIB);
        return Path.of(url.toURI());
    }
}

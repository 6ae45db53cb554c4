// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.internal.ExtractionTrust;
import io.github.posixsend.internal.NativeLibraryLoader;
import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.ExtractionProbe;
import io.github.posixsend.testing.LoaderProbe;
import java.io.File;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JNI loader, each case in a child JVM (a JVM loads a library once): from a directory named by
 * {@code posixsend.library.path}, from a jar by extraction, and the failures, which must say what was tried
 * and what to do. The children use {@code -Dposixsend.backend=jni} whichever backend the suite runs on.
 */
class LoaderTest {
    private static final String LIB = System.mapLibraryName("posixsend");
    private Path tmp;

    @BeforeEach
    void makeTemp() throws Exception {
        tmp = Files.createTempDirectory("posixsend-loader");
    }

    @AfterEach
    void removeTemp() throws Exception {
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path codeOf(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The directory the build put the library in (target/core/classes/META-INF/native/<platform>). */
    private static Path builtLibraryDir() throws Exception {
        URL url = NativeLibraryLoader.class.getResource("/META-INF/native/" + NativeLibraryLoader.platformFolder()
                + "/" + LIB);
        assertNotNull(url, "the build did not bundle " + LIB);
        assertEquals("file", url.getProtocol(), "the tests expect the classes as a directory");
        return Path.of(url.toURI()).getParent();
    }

    /** posix-send's classes and the probe, as folders. */
    private static String probeClassPath() {
        return ChildJvm.path(ChildJvm.codeOf(Posix.class), ChildJvm.codeOf(LoaderProbe.class));
    }

    /** Runs LoaderProbe in a child JVM on the JNI backend; returns exit status and output. */
    private String[] probe(String classPath, String... props) throws Exception {
        // nothing else on the command line: no --enable-native-access (JDK 24+ then only warns), no library path
        ChildJvm.Result r = ChildJvm.of(LoaderProbe.class).jvm("-Dposixsend.backend=jni").jvm(props)
                .classPath(classPath).workDir(tmp).run();
        return new String[] {Integer.toString(r.exitCode()), r.output()};
    }

    @Test
    void emptyLibraryPathFailsNamingWhatWasTried() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        String[] r = probe(probeClassPath(), "-Dposixsend.library.path=" + empty);
        assertEquals("3", r[0], r[1]);
        String out = r[1];
        assertTrue(out.contains("failed: java.lang.UnsatisfiedLinkError"), out);
        assertTrue(out.contains(empty.resolve(LIB).toAbsolutePath().toString()),
                "does not name the file tried: " + out);
        assertTrue(out.contains("-D" + NativeLibraryLoader.LIBRARY_PATH + "="), "does not say what to do: " + out);
        assertTrue(out.contains("jnr"), "does not mention the other backend: " + out);
    }

    @Test
    void libraryPathHoldingTheLibraryLoadsIt() throws Exception {
        String[] r = probe(probeClassPath(),
                "-Dposixsend.library.path=" + builtLibraryDir());
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("backend=jni") && r[1].contains("ok"), r[1]);
    }

    private Path jarOfClasses() throws Exception {
        Path classes = codeOf(Posix.class);
        Path jar = tmp.resolve("posix-send.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
            // the probe too, so that the jar is the whole class path
            String probe = LoaderProbe.class.getName().replace('.', '/') + ".class";
            j.putNextEntry(new JarEntry(probe));
            j.write(Files.readAllBytes(codeOf(LoaderProbe.class).resolve(probe)));
            j.closeEntry();
        }
        return jar;
    }

    @Test
    void fromAJarTheLibraryIsExtractedAndLoaded() throws Exception {
        Path extractTo = Files.createDirectory(tmp.resolve("extract"));
        String[] r = probe(jarOfClasses().toString(), "-Dposixsend.tmpdir=" + extractTo);
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("backend=jni") && r[1].contains("ok"), r[1]);
        try (Stream<Path> left = Files.list(extractTo)) {
            assertEquals(0, left.count(), "the extracted copy must be deleted once loaded");
        }
    }

    @Test
    void fromAJarWithNothingElseItLoads() throws Exception {
        // java -cp posix-send.jar and no property at all: extraction into java.io.tmpdir
        String[] r = probe(jarOfClasses().toString());
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("backend=jni") && r[1].contains("ok"), r[1]);
    }

    @Test
    void extractionIntoAMissingDirectoryFailsSayingSo() throws Exception {
        Path missing = tmp.resolve("no-such-dir");
        String[] r = probe(jarOfClasses().toString(), "-Dposixsend.tmpdir=" + missing);
        assertEquals("3", r[0], r[1]);
        assertTrue(r[1].contains("UnsatisfiedLinkError") && r[1].contains("extracting")
                && r[1].contains(missing.toString()), r[1]);
        assertTrue(r[1].contains("-D" + NativeLibraryLoader.TMPDIR + "="), "does not say what to do: " + r[1]);
    }

    // ---- the extracted copy is private from creation to load ------------------------------------------------

    /** Runs ExtractionProbe in a child JVM with umask 000, extracting into {@code extractTo}. */
    private ChildJvm.Result extractWithUmask000(String mode, Path extractTo) throws Exception {
        return ChildJvm.of(ExtractionProbe.class, mode, extractTo.toString()).jvm("-Dposixsend.backend=jni",
                "-D" + NativeLibraryLoader.TMPDIR + "=" + extractTo).umask("000").workDir(tmp).run();
    }

    private static List<String> seen(String output) {
        return output.lines().filter(l -> l.startsWith("seen ")).toList();
    }

    @Test
    void theExtractedCopyIsNeverWritableByOthersEvenUnderUmask000() throws Exception {
        Path extractTo = Files.createDirectory(tmp.resolve("extract"));
        ChildJvm.Result r = extractWithUmask000("observe", extractTo);
        String out = r.output();
        assertTrue(out.contains("umask-file rw-rw-rw-"), "the child did not run with umask 000: " + r);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(out.contains("backend=jni") && out.contains("ok"), r.toString());
        // the gate opened while the copy was being written: the file was there, with the mode it is loaded with
        List<String> seen = seen(out);
        assertTrue(seen.stream().anyMatch(l -> l.contains(" file ")), "the copy was not seen while written: " + r);
        for (String line : seen) {
            String perms = line.substring(line.lastIndexOf(' ') + 1);
            assertEquals('-', perms.charAt(4), "group-writable while extracting: " + line);
            assertEquals('-', perms.charAt(7), "writable by others while extracting: " + line);
        }
        try (Stream<Path> left = Files.list(extractTo)) {
            assertEquals(0, left.count(), "the extracted copy must be deleted once loaded");
        }
    }

    @Test
    void aCopyReplacedWhileBeingWrittenIsNotLoaded() throws Exception {
        Path extractTo = Files.createDirectory(tmp.resolve("extract"));
        ChildJvm.Result r = extractWithUmask000("swap", extractTo);
        assertTrue(r.output().contains("swapped "), "the probe found nothing to replace: " + r);
        // the replacement is a working copy of the library: only the loader's own check can refuse it
        assertEquals(3, r.exitCode(), "a file the loader did not write was loaded: " + r);
        assertTrue(r.output().contains("UnsatisfiedLinkError") && r.output().contains("refused to load"), r.toString());
        assertTrue(r.output().contains("not the file posix-send wrote"), r.toString());
    }

    /**
     * A temporary directory of this user's under one another user owns: that user may rename anything in their
     * directory, so they could move this one aside and put their own in its place. Setting up another user's directory
     * needs root (chown); the check runs as any user.
     */
    @Test
    void aTemporaryDirectoryUnderAnotherUsersIsRefused() throws Exception {
        assumeTrue("0".equals(uid()), "making a directory another user owns needs root");
        Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 65534);
        Path extractTo = Files.createDirectory(theirs.resolve("mine"));
        String[] r = probe(jarOfClasses().toString(), "-D" + NativeLibraryLoader.TMPDIR + "=" + extractTo);
        assertEquals("3", r[0], r[1]);
        assertTrue(r[1].contains(theirs + ", above " + extractTo + ", belongs to another user (uid 65534)"), r[1]);
        try (Stream<Path> left = Files.list(extractTo)) {
            assertEquals(0, left.count(), "nothing may be left there");
        }
        // the same for a group-writable directory without the sticky bit above it
        Files.setAttribute(theirs, "unix:uid", 0);
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwxrwxr-x"));
        r = probe(jarOfClasses().toString(), "-D" + NativeLibraryLoader.TMPDIR + "=" + extractTo);
        assertEquals("3", r[0], r[1]);
        assertTrue(r[1].contains(theirs + ", above " + extractTo + ", is writable by other users"), r[1]);
        // and a link to a good directory is followed to it once, where it is checked
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), extractTo);
        r = probe(jarOfClasses().toString(), "-D" + NativeLibraryLoader.TMPDIR + "=" + link);
        assertEquals("0", r[0], r[1]);
    }

    /** Only the first user namespace maps every uid to itself; in another, unmapped owners show as the overflow uid. */
    @Test
    void theFirstUserNamespaceIsTheIdentityMap() {
        assertTrue(ExtractionTrust.initialNamespace(List.of("         0          0 4294967295")));
        assertFalse(ExtractionTrust.initialNamespace(List.of("      4242       4242          1")));
        assertFalse(ExtractionTrust.initialNamespace(List.of("0 0 4294967295", "1 1 1")));
        assertFalse(ExtractionTrust.initialNamespace(List.of()));
    }

    private static String uid() throws Exception {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
    }

    @Test
    void aTemporaryDirectoryOthersCanRenameInIsRefused() throws Exception {
        // writable by everyone and not sticky: another user could move the private directory aside and put theirs
        Path extractTo = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(extractTo, PosixFilePermissions.fromString("rwxrwxrwx"));
        String[] r = probe(jarOfClasses().toString(), "-D" + NativeLibraryLoader.TMPDIR + "=" + extractTo);
        assertEquals("3", r[0], r[1]);
        assertTrue(r[1].contains("no sticky bit") && r[1].contains(extractTo.toString()), r[1]);
        try (Stream<Path> left = Files.list(extractTo)) {
            assertEquals(0, left.count(), "nothing may be extracted there");
        }
    }
}

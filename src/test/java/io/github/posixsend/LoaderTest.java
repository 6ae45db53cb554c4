package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.internal.NativeLibraryLoader;
import io.github.posixsend.testing.LoaderProbe;
import java.io.File;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    /** The directory the build put the library in (target/classes/META-INF/native/<platform>). */
    private static Path builtLibraryDir() throws Exception {
        URL url = NativeLibraryLoader.class.getResource("/META-INF/native/" + NativeLibraryLoader.platformFolder() + "/" + LIB);
        assertNotNull(url, "the build did not bundle " + LIB);
        assertEquals("file", url.getProtocol(), "the tests expect the classes as a directory");
        return Path.of(url.toURI()).getParent();
    }

    /** Runs LoaderProbe in a child JVM; returns exit status and output, bounded by a timeout. */
    private String[] probe(String classPath, String... props) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // nothing else on the command line: no --enable-native-access (JDK 24+ then only warns), no library path
        cmd.add("-Dposixsend.backend=jni");
        for (String p : props) {
            cmd.add(p);
        }
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(LoaderProbe.class.getName());
        Path out = tmp.resolve("out-" + System.nanoTime() + ".txt");
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!proc.waitFor(60, TimeUnit.SECONDS)) {
            proc.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the child JVM did not finish in 60 s: " + cmd);
        }
        return new String[] {Integer.toString(proc.exitValue()), Files.readString(out, StandardCharsets.UTF_8)};
    }

    private static String cp(Path... parts) {
        StringBuilder b = new StringBuilder();
        for (Path p : parts) {
            if (b.length() > 0) {
                b.append(File.pathSeparatorChar);
            }
            b.append(p);
        }
        return b.toString();
    }

    @Test
    void emptyLibraryPathFailsNamingWhatWasTried() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        String[] r = probe(cp(codeOf(Posix.class), codeOf(LoaderProbe.class)), "-Dposixsend.library.path=" + empty);
        assertEquals("3", r[0], r[1]);
        String out = r[1];
        assertTrue(out.contains("failed: java.lang.UnsatisfiedLinkError"), out);
        assertTrue(out.contains(empty.resolve(LIB).toAbsolutePath().toString()), "does not name the file tried: " + out);
        assertTrue(out.contains("-D" + NativeLibraryLoader.LIBRARY_PATH + "="), "does not say what to do: " + out);
        assertTrue(out.contains("jnr"), "does not mention the other backend: " + out);
    }

    @Test
    void libraryPathHoldingTheLibraryLoadsIt() throws Exception {
        String[] r = probe(cp(codeOf(Posix.class), codeOf(LoaderProbe.class)),
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
        assertTrue(r[1].contains("UnsatisfiedLinkError") && r[1].contains("extracting") && r[1].contains(missing.toString()),
                r[1]);
        assertTrue(r[1].contains("-D" + NativeLibraryLoader.TMPDIR + "="), "does not say what to do: " + r[1]);
    }
}

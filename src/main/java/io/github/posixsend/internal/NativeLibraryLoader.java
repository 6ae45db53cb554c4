package io.github.posixsend.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds and loads the JNI shim, once per JVM.
 *
 * <ol>
 *   <li>If the system property {@value #LIBRARY_PATH} names a directory, the library is loaded from there and
 *       nowhere else (for systems whose temporary directory is mounted {@code noexec}).</li>
 *   <li>Otherwise from {@code META-INF/native/<os>-<arch>/} in the jar: directly when the classes are a
 *       directory, else through a private copy in {@value #TMPDIR} (default {@code java.io.tmpdir}) that is
 *       deleted as soon as it is loaded.</li>
 * </ol>
 * A failure says what was tried and what to do.
 */
public final class NativeLibraryLoader {
    /** A directory that holds the library; when set, the only place looked at. */
    public static final String LIBRARY_PATH = "posixsend.library.path";
    /** Where the library is extracted to; it must allow execution. */
    public static final String TMPDIR = "posixsend.tmpdir";

    private static final String FILE_NAME = System.mapLibraryName("posixsend");
    private static boolean loaded;

    private NativeLibraryLoader() {
    }

    /** The {@code <os>-<arch>} folder name under {@code META-INF/native/} for this JVM. */
    public static String platformFolder() {
        String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            arch = "x86_64";
        } else if (arch.equals("arm64")) {
            arch = "aarch64";
        }
        return os + "-" + arch;
    }

    /**
     * Loads the library unless this JVM already has.
     *
     * @throws UnsatisfiedLinkError naming every place tried and what the user can do
     */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        List<String> tried = new ArrayList<>();
        String dir = System.getProperty(LIBRARY_PATH);
        if (dir != null && !dir.isBlank()) {
            Path file = Path.of(dir).resolve(FILE_NAME).toAbsolutePath();
            if (tryLoad(file, tried)) {
                return;
            }
            throw failure(tried);
        }
        String resource = "/META-INF/native/" + platformFolder() + "/" + FILE_NAME;
        URL url = NativeLibraryLoader.class.getResource(resource);
        if (url == null) {
            tried.add("classpath resource " + resource + ": not present (no shim is bundled for " + platformFolder() + ")");
        } else if (url.getProtocol().equals("file")) {
            try {
                if (tryLoad(Path.of(url.toURI()), tried)) {
                    return;
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                tried.add(url + ": " + e.getMessage());
            }
        } else if (loadExtracted(url, tried)) {
            return;
        }
        throw failure(tried);
    }

    private static boolean loadExtracted(URL url, List<String> tried) {
        Path tmpDir = Path.of(System.getProperty(TMPDIR, System.getProperty("java.io.tmpdir")));
        Path copy = null;
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                copy = Files.createTempFile(tmpDir, "posixsend-", ".so",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                copy = Files.createTempFile(tmpDir, "posixsend-", ".so");
            }
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return tryLoad(copy, tried);
        } catch (IOException e) {
            tried.add("extracting " + url + " into " + tmpDir + ": " + e);
            return false;
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy); // the loaded mapping outlives the file's name
                } catch (IOException ignored) {
                    // the file stays in the temporary directory; nothing else depends on it
                }
            }
        }
    }

    private static boolean tryLoad(Path file, List<String> tried) {
        try {
            System.load(file.toString());
            loaded = true;
            return true;
        } catch (UnsatisfiedLinkError e) {
            tried.add(file + ": " + e.getMessage());
            return false;
        }
    }

    private static UnsatisfiedLinkError failure(List<String> tried) {
        return new UnsatisfiedLinkError("posix-send: could not load its native library " + FILE_NAME
                + ". Tried: " + String.join("; ", tried)
                + ". To fix: point -D" + LIBRARY_PATH + "=<dir> at a directory holding " + FILE_NAME
                + " built for " + platformFolder() + ", or set -D" + TMPDIR
                + "=<dir> to a directory that allows execution if the temporary directory is noexec,"
                + " or choose the JNR-FFI backend with -D" + Backends.PROPERTY + "=jnr.");
    }
}

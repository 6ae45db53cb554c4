// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import io.github.posixsend.Os;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Finds and loads the JNI shim, once per JVM.
 *
 * <ol>
 *   <li>If the system property {@value #LIBRARY_PATH} names a directory, the library is loaded from there and
 *       nowhere else (for systems whose temporary directory is mounted {@code noexec}).</li>
 *   <li>Otherwise from {@code META-INF/native/<os>-<arch>/} in the jar: directly when the classes are a
 *       directory, else through a private copy in {@value #TMPDIR} (default {@code java.io.tmpdir}) that is
 *       deleted as soon as it is loaded. The copy is written into a new directory only this user can enter,
 *       through the file descriptor that created it with owner-only permissions (whatever the umask), and it is
 *       loaded only if it is still that file, this user's, private and as long as what was written.</li>
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
        // the system as the tables know it (decided once), so that the shim loaded is the one they describe
        Os known = Backends.knownOs();
        String os = (known != null ? known.name() : System.getProperty("os.name", "unknown")).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "");
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
            tried.add("classpath resource " + resource + ": not present (no shim is bundled for " + platformFolder()
                    + ")");
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

    /**
     * Extracts and loads the library, once more when an interrupt of this thread closed a channel part way: the load
     * is the JVM's, made once on whichever thread first needs it, and an interrupt meant for that thread's own work (a
     * cancelled task's) must not leave the JVM without the library. The copy itself is written through a stream,
     * which no interrupt closes, and a plain jar is read through one; a jar inside another (a Spring Boot one, say)
     * may be read through a channel. The thread gets its interrupt back.
     */
    private static boolean loadExtracted(URL url, List<String> tried) {
        boolean interrupted = false;
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return extractAndLoad(url, tried);
                } catch (ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted();
                    if (attempt == 2) {
                        tried.add("extracting " + url + ": interrupted twice while copying it (Thread.interrupt)");
                        return false;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean extractAndLoad(URL url, List<String> tried) throws ClosedByInterruptException {
        Path tmpDir = Path.of(System.getProperty(TMPDIR, System.getProperty("java.io.tmpdir")));
        Path dir = null;
        Path copy = null;
        try {
            if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                dir = Files.createTempDirectory(tmpDir, "posixsend-");
                copy = dir.resolve(FILE_NAME);
                writeNew(url, copy, null);
                return tryLoad(copy, tried);
            }
            // the directory itself, not a symbolic link someone could point elsewhere later
            Path base = tmpDir.toRealPath();
            ExtractionTrust.requireNoStrangerCanRename(base);
            // A directory only this user can enter: nobody else can take, swap or link a name inside it, whatever
            // the umask, and mkdir never follows a symbolic link planted under the name.
            dir = Files.createTempDirectory(base, "posixsend-", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            PosixFileAttributes dirMade = attributes(dir);
            copy = dir.resolve(FILE_NAME);
            Written w = writeNew(url, copy, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            String refusal = refusal(dir, dirMade, copy, w);
            if (refusal != null) {
                tried.add(copy + ": refused to load it: " + refusal);
                return false;
            }
            return tryLoad(copy, tried);
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            tried.add("extracting " + url + " into " + tmpDir + ": " + e);
            return false;
        } finally {
            // the loaded mapping outlives the file's name; a file left behind is private and harms nothing
            deleteQuietly(copy);
            deleteQuietly(dir);
        }
    }

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** What was written: the file's identity and owner just after it was created, and its length. */
    private record Written(Object fileKey, UserPrincipal owner, long size) {
    }

    /**
     * Creates {@code file}, which must not exist yet (so it is never a file or link someone else made), with its
     * permissions, then writes the resource into it through a stream, which an interrupt of this thread does not close
     * (a file channel would be, part way). The file is never deleted and created again, so its permissions are the
     * ones it was created with; and as it lies in a directory only this user can enter, the name opened for writing is
     * the file created, which {@link #refusal} checks again by its identity.
     */
    private static Written writeNew(URL url, Path file, FileAttribute<?> perms) throws IOException {
        if (perms == null) {
            Files.createFile(file);
        } else {
            Files.createFile(file, perms);
        }
        Object key = null;
        UserPrincipal owner = null;
        if (perms != null) {
            PosixFileAttributes made = attributes(file);
            key = made.fileKey();
            owner = made.owner();
        }
        long size = 0;
        try (OutputStream out = new FileOutputStream(file.toFile()); InputStream in = url.openStream()) {
            byte[] buf = new byte[16384];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                size += n;
            }
        }
        return new Written(key, owner, size);
    }

    /**
     * Why the extracted file must not be loaded, or null: the directory and the file must still be the ones
     * created, the current user's, closed to everyone else, and the file exactly as long as what was written.
     */
    private static String refusal(Path dir, PosixFileAttributes dirMade, Path file, Written w) throws IOException {
        PosixFileAttributes d = attributes(dir);
        if (!d.isDirectory() || !Objects.equals(d.fileKey(), dirMade.fileKey())) {
            return "its directory " + dir + " was replaced";
        }
        if (!d.owner().equals(w.owner()) || !OWNER_ONLY.containsAll(d.permissions())) {
            return "its directory " + dir + " is owned by " + d.owner() + " with permissions "
                    + PosixFilePermissions.toString(d.permissions()) + ", not private to " + w.owner();
        }
        PosixFileAttributes f = attributes(file);
        if (!f.isRegularFile() || !Objects.equals(f.fileKey(), w.fileKey())) {
            return "it is not the file posix-send wrote (it was replaced after it was created)";
        }
        if (!f.owner().equals(w.owner()) || !OWNER_ONLY.containsAll(f.permissions())) {
            return "it is owned by " + f.owner() + " with permissions " + PosixFilePermissions.toString(f.permissions())
                    + ", not private to " + w.owner();
        }
        if (f.size() != w.size()) {
            return "it is " + f.size() + " bytes long, but posix-send wrote " + w.size();
        }
        return null;
    }

    /** The attributes of {@code p} itself, not of what it links to. */
    private static PosixFileAttributes attributes(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // it stays in the temporary directory, private to this user; nothing else depends on it
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

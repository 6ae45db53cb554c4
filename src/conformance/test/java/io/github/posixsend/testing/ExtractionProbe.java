// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Run in a child JVM by LoaderTest: watches the extraction of the native library from inside, deterministically.
 *
 * <p>posix-send's classes are loaded again by a class loader that serves the library resource through a gate:
 * after the first bytes have been read, while the loader is still writing its copy, the gate prints one line
 * {@code seen <path> <type> <permissions>} for everything under the extraction directory; with {@code swap} it
 * then also replaces the file being written by a complete copy of the library made in the same directory, as an
 * intruder would. Then {@link LoaderProbe} runs through that class loader and reports as usual.
 *
 * <p>Arguments: {@code observe|swap} and the extraction directory. First it prints {@code umask-file <permissions>}:
 * the permissions of a file created without any, which show the umask the child runs under.
 */
public final class ExtractionProbe {
    private static final String LIB = System.mapLibraryName("posixsend");

    private ExtractionProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean swap = args[0].equals("swap");
        Path extractTo = Path.of(args[1]);
        Path probe = Files.createTempFile(Path.of("").toAbsolutePath(), "umask-", ".txt");
        Files.delete(probe);
        Files.createFile(probe);
        System.out.println("umask-file " + PosixFilePermissions.toString(Files.getPosixFilePermissions(probe)));
        Files.delete(probe);

        URL[] path = {codeOf(ExtractionProbe.class.getClassLoader().loadClass("io.github.posixsend.Posix")),
            codeOf(LoaderProbe.class)};
        try (GatedLoader loader = new GatedLoader(path, () -> atGate(extractTo, swap))) {
            Class<?> main = loader.loadClass(LoaderProbe.class.getName());
            if (main.getClassLoader() != loader) {
                throw new IllegalStateException("the probe was not loaded through the gated class loader");
            }
            try {
                main.getMethod("main", String[].class).invoke(null, (Object) new String[0]);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private static URL codeOf(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    private static void atGate(Path extractTo, boolean swap) {
        try {
            List<Path> all;
            try (Stream<Path> s = Files.walk(extractTo)) {
                all = s.filter(p -> !p.equals(extractTo)).collect(Collectors.toList());
            }
            Path target = null;
            for (Path p : all) {
                String type = Files.isSymbolicLink(p) ? "link" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                        : "file";
                String perms = PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                System.out.println("seen " + extractTo.relativize(p) + " " + type + " " + perms);
                if (type.equals("file") && target == null) {
                    target = p;
                }
            }
            if (swap) {
                if (target == null) {
                    System.out.println("swap: nothing to replace");
                    return;
                }
                Path intruder = target.resolveSibling("intruder.so");
                try (InputStream in = ExtractionProbe.class.getResourceAsStream(resourceName())) {
                    Files.copy(in, intruder);
                }
                Files.move(intruder, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                System.out.println("swapped " + extractTo.relativize(target));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resourceName() throws ReflectiveOperationException {
        Class<?> loader = Class.forName("io.github.posixsend.internal.NativeLibraryLoader");
        return "/META-INF/native/" + loader.getMethod("platformFolder").invoke(null) + "/" + LIB;
    }

    /** Defines posix-send's classes itself (not through the application class loader) and gates the library. */
    private static final class GatedLoader extends URLClassLoader {
        private final Runnable gate;

        GatedLoader(URL[] urls, Runnable gate) {
            super(urls, ClassLoader.getPlatformClassLoader());
            this.gate = gate;
        }

        @Override
        public URL findResource(String name) {
            URL real = super.findResource(name);
            if (real == null || !name.endsWith(LIB)) {
                return real;
            }
            try {
                // not a file: URL, so the loader extracts it as it would from a jar
                return new URL(null, "gated:" + name, new URLStreamHandler() {
                    @Override
                    protected URLConnection openConnection(URL u) {
                        return new URLConnection(u) {
                            @Override
                            public void connect() {
                            }

                            @Override
                            public InputStream getInputStream() throws IOException {
                                return new GatedStream(real.openStream(), gate);
                            }
                        };
                    }
                });
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Hands out at most 4096 bytes a read and runs the gate once, at the first read after some bytes went out. */
    private static final class GatedStream extends InputStream {
        private final InputStream in;
        private final Runnable gate;
        private long delivered;
        private boolean opened;

        GatedStream(InputStream in, Runnable gate) {
            this.in = in;
            this.gate = gate;
        }

        private void maybeGate() {
            if (delivered > 0 && !opened) {
                opened = true;
                gate.run();
            }
        }

        @Override
        public int read() throws IOException {
            maybeGate();
            int b = in.read();
            if (b >= 0) {
                delivered++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            maybeGate();
            int n = in.read(b, off, Math.min(len, 4096));
            if (n > 0) {
                delivered += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

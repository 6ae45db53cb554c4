// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * Run in a child JVM by SharedLibraryInstanceTest: two class loaders, each with its own copy of posix-send's classes,
 * load the JNI shim from two directories whose libraries are one file (a hard link), so that the dynamic linker gives
 * both one instance of it. Each runs a {@link BatchRound} on this one thread, the first loader's batches closed before
 * the second's are made, and its line is printed.
 *
 * <p>Arguments: the two library directories, posix-send's classes and the test classes (as paths).
 */
public final class TwoLoaderBatches {
    /** BatchRound by name: this class's own loader has no posix-send to link it against. */
    private static final String ROUND = "io.github.posixsend.testing.BatchRound";

    /** A BatchRound of {@code loader}'s own copy of the classes (and of posix-send's). */
    static IntFunction<String> roundIn(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> c = loader.loadClass(ROUND);
        if (c.getClassLoader() != loader) {
            throw new IllegalStateException("the round was not loaded by its own class loader");
        }
        @SuppressWarnings("unchecked")
        IntFunction<String> r = (IntFunction<String>) c.getDeclaredConstructor().newInstance();
        return r;
    }

    private TwoLoaderBatches() {
    }

    public static void main(String[] args) throws Exception {
        URL[] classes = {Path.of(args[2]).toUri().toURL(), Path.of(args[3]).toUri().toURL()};
        System.setProperty("posixsend.backend", "jni");
        for (int round = 0; round < 2; round++) {
            System.setProperty("posixsend.library.path", args[round]);
            URLClassLoader loader = new URLClassLoader("copy" + round, classes, ClassLoader.getPlatformClassLoader());
            System.out.println(roundIn(loader).apply(round));
            // the loader stays open: its classes hold the library, which must stay loaded while the other uses it
        }
    }
}

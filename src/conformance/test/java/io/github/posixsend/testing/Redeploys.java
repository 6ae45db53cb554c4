// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * Run in a child JVM by RedeployTest: a server that redeploys. Each cycle loads posix-send in a new class loader (its
 * own copy of the classes and its own load of the JNI shim from the library directory), runs a {@link BatchRound}
 * (one sendmmsg and one recvmmsg, which make the shim's thread-specific key), drops the loader and waits until the JDK
 * has unloaded the library. Prints each cycle's line, or the first that is not a round's.
 *
 * <p>Arguments: the library directory, posix-send's classes, the test classes (as paths), and the cycles.
 */
public final class Redeploys {
    private Redeploys() {
    }

    public static void main(String[] args) throws Exception {
        URL[] classes = {Path.of(args[1]).toUri().toURL(), Path.of(args[2]).toUri().toURL()};
        int cycles = Integer.parseInt(args[3]);
        System.setProperty("posixsend.backend", "jni");
        System.setProperty("posixsend.library.path", args[0]);
        long deadline = System.nanoTime() + 240_000_000_000L;
        int done = 0;
        for (int cycle = 0; cycle < cycles && System.nanoTime() - deadline < 0; cycle++) {
            String line = round(classes, cycle);
            if (!line.startsWith("round 1: sent 2 7/9 received 2 7:2 9:2")) {
                System.out.println("cycle " + cycle + ": " + line);
                return;
            }
            done++;
        }
        System.out.println("cycles " + done);
    }

    /** One deployment: BatchRound's round 1 in a new loader, then the loader gone and the library unloaded. */
    private static String round(URL[] classes, int cycle) throws Exception {
        URLClassLoader loader = new URLClassLoader("deploy" + cycle, classes, ClassLoader.getPlatformClassLoader());
        IntFunction<String> r = TwoLoaderBatches.roundIn(loader);
        String line = r.apply(1);
        WeakReference<ClassLoader> gone = new WeakReference<>(loader);
        loader.close();
        loader = null;
        r = null;
        // the JDK unloads a loader's libraries once the loader is collected; the next load must not come before
        for (int i = 0; i < 500 && (gone.get() != null || mapped()); i++) {
            System.gc();
            Thread.sleep(2);
        }
        return gone.get() != null || mapped() ? "the loader of cycle " + cycle + " was not unloaded" : line;
    }

    private static boolean mapped() throws java.io.IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (l.contains("libposixsend")) {
                return true;
            }
        }
        return false;
    }
}

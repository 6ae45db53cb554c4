// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Run in a child JVM by RedeployTest: a server that redeploys. Each cycle loads posix-send in a new class loader (its
 * own copy of the classes and, on the JNI backend, its own load of the shim from the library directory), runs a
 * {@link BatchRound} on this thread (one sendmmsg and one recvmmsg, whose structs the backend keeps for the thread,
 * and a small array sent and received, through the thread's copy buffer), drops the loader and waits until
 * the JDK has collected it and unloaded the library. This thread lives on, as a server's threads do, so whatever it
 * kept of a deployment must not hold that deployment's loader, nor memory of its own. Prints the number of cycles, or
 * the first line that is not a round's, and, when all of at least {@link #MEMORY_FROM} + 2 {@link #WINDOW} cycles ran,
 * how malloc's bytes in use grew (the least over the last {@link #WINDOW} deployments less the least over the
 * {@link #WINDOW} from {@link #MEMORY_FROM}), the resident size too, and the direct buffers' memory left.
 *
 * <p>Arguments: the backend, the library directory (JNI), the cycles, the libraries the deployments share as a
 * server's common class loader would (paths joined by the path separator, or nothing), and the paths of posix-send's
 * classes (its backend's too) and of the test classes.
 */
public final class Redeploys {
    /** The deployment after which the process's memory is measured: the JVM's own has settled by then. */
    public static final int MEMORY_FROM = 100;
    /**
     * The deployments over which the least of malloc's bytes in use is taken: the JIT's arenas come and go by up to
     * 25 MiB above what stays, and within a hundred deployments there are moments when they are gone.
     */
    public static final int WINDOW = 100;

    private Redeploys() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("posixsend.backend", args[0]);
        System.setProperty("posixsend.library.path", args[1]);
        int cycles = Integer.parseInt(args[2]);
        ClassLoader shared = new URLClassLoader("shared", urls(args[3].isEmpty() ? new String[0]
                : args[3].split(File.pathSeparator)), ClassLoader.getPlatformClassLoader());
        URL[] classes = urls(Arrays.copyOfRange(args, 4, args.length));
        long deadline = System.nanoTime() + 240_000_000_000L;
        long rssFrom = 0;
        long leastFirst = Long.MAX_VALUE;
        long leastLast = Long.MAX_VALUE;
        // jnr-ffi is on the class path only where the memory is measured
        boolean measured = cycles >= MEMORY_FROM + 2 * WINDOW;
        MallocInUse malloc = measured ? new MallocInUse(Path.of("malloc-info.xml").toAbsolutePath()) : null;
        int done = 0;
        for (int cycle = 0; cycle < cycles && System.nanoTime() - deadline < 0; cycle++) {
            String line = round(shared, classes, cycle);
            if (!line.startsWith("round 1: sent 2 7/9 received 2 7:2 9:2")) {
                System.out.println("cycle " + cycle + ": " + line);
                return;
            }
            done++;
            if (measured && done == MEMORY_FROM) {
                rssFrom = rssKiB();
            }
            if (measured && done >= MEMORY_FROM && done < MEMORY_FROM + WINDOW) {
                leastFirst = Math.min(leastFirst, malloc.bytes());
            } else if (measured && done > cycles - WINDOW) {
                leastLast = Math.min(leastLast, malloc.bytes());
            }
        }
        if (measured && done == cycles) {
            System.out.println("memory " + (done - MEMORY_FROM) + " deployments: malloc in use grew by "
                    + (leastLast - leastFirst) / 1024 + " KiB, rss by " + (rssKiB() - rssFrom) + " KiB, direct memory "
                    + DirectPool.used() + " B");
        }
        System.out.println("cycles " + done);
    }

    /** One deployment: BatchRound's round 1 in a new loader, then the loader gone and the library unloaded. */
    private static String round(ClassLoader shared, URL[] classes, int cycle) throws Exception {
        URLClassLoader loader = new URLClassLoader("deploy" + cycle, classes, shared);
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

    /** The process's resident memory, from /proc. */
    private static long rssKiB() throws java.io.IOException {
        String rss = ProcSelfStatus.value("VmRSS:");
        return rss == null ? -1 : Long.parseLong(rss.replaceAll("[^0-9]", ""));
    }

    private static URL[] urls(String[] paths) throws java.net.MalformedURLException {
        URL[] urls = new URL[paths.length];
        for (int i = 0; i < paths.length; i++) {
            urls[i] = Path.of(paths[i]).toUri().toURL();
        }
        return urls;
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

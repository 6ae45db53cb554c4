// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.security.CodeSource;

/**
 * Tells posix-send's own classes from others, for the few public methods of the internal packages that hand out what
 * reaches native memory (the backends, message plans). On the module path those packages are not exported, so no
 * other code links to them; on the class path every public class is reachable, and these methods check their caller.
 *
 * <p>A caller is the library's when it is in a package of {@code io.github.posixsend}, was loaded by the same class
 * loader, and, where the core jar is sealed (as it is built), comes from the core jar or from the jar of the class
 * that asks (the JNR backend's): another class path entry can put a class into one of those packages, or into a new
 * one under the same name, but not into those jars. Classes run from folders (the project's own tests) are not
 * sealed, and there the package decides.
 */
public final class LibraryCallers {
    /**
     * Hidden frames shown: a method reference's proxy is a hidden class, which the default walk leaves out, and a
     * proxy made by another class (say {@code Backends::current} handed to the library's own {@code PerThread}) must
     * be judged as that class, whose package it takes, not as the library code that runs it.
     */
    private static final StackWalker WALKER = walker();
    private static final String PREFIX = "io.github.posixsend";
    /** The JDK's packages between a call made through a method handle or reflection and the code that made it. */
    private static final java.util.Set<String> MACHINERY = java.util.Set.of("java.lang.invoke", "java.lang.reflect",
            "jdk.internal.reflect");

    private LibraryCallers() {
    }

    /**
     * The walker, asked for with the library's own permissions: under a SecurityManager (JDK 17 to 23) one that
     * denies the application {@code getStackWalkerWithClassReference} made this class fail to initialize, and every
     * message or batch then threw {@code NoClassDefFoundError} where the library's unavailability was the answer.
     */
    @SuppressWarnings("removal")
    private static StackWalker walker() {
        java.security.PrivilegedAction<StackWalker> make = () -> StackWalker.getInstance(
                java.util.Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES));
        return java.security.AccessController.doPrivileged(make);
    }

    /**
     * Refuses a caller outside the library.
     *
     * @param home the class whose method is guarded
     * @param what what the method hands out, for the message
     * @throws IllegalCallerException when the method that called the guarded method is not posix-send's
     */
    public static void require(Class<?> home, String what) {
        // the frames: this method, the guarded method, its caller; a call through a method handle or reflection
        // (as the library makes some) is judged by the frame that made it
        Class<?> caller = WALKER.walk(s -> s.skip(2).map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> !MACHINERY.contains(c.getPackageName()))
                .findFirst()).orElse(LibraryCallers.class);
        if (!isLibrary(home, caller)) {
            throw new IllegalCallerException("only io.github.posixsend hands out " + what + ", not to "
                    + caller.getName());
        }
    }

    /**
     * Whether {@code caller} is one of posix-send's classes, as the class description says.
     *
     * @param home the class that asks
     * @param caller the class to judge
     * @return true for the library's own classes
     */
    private static boolean isLibrary(Class<?> home, Class<?> caller) {
        String pkg = caller.getPackageName();
        if (!(pkg.equals(PREFIX) || pkg.startsWith(PREFIX + ".")) || caller.getClassLoader() != home.getClassLoader()) {
            return false;
        }
        Module module = caller.getModule();
        Module core = LibraryCallers.class.getModule();
        if (module.isNamed() || core.isNamed()) {
            // a named module cannot be split: the library's are the core and the asking class's (the JNR backend's);
            // an automatic module of any name on the class path is neither
            return core.isNamed() && (module == core || module == home.getModule());
        }
        Package corePackage = LibraryCallers.class.getPackage();
        if (corePackage == null || !corePackage.isSealed()) {
            return true; // classes run from a folder: the package decides
        }
        return sameJar(caller, LibraryCallers.class) || sameJar(caller, home);
    }

    private static boolean sameJar(Class<?> a, Class<?> b) {
        CodeSource x = a.getProtectionDomain().getCodeSource();
        CodeSource y = b.getProtectionDomain().getCodeSource();
        return x != null && y != null && x.getLocation() != null && x.getLocation().equals(y.getLocation());
    }
}

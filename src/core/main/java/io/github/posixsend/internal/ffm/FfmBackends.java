// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.ffm;

import io.github.posixsend.Os;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.LibraryCallers;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * Loads the backend over the JDK's foreign function API ({@code java.lang.foreign}, final since JDK 22). The
 * library compiles for Java 17, so the backend itself ({@code FfmBackend}) is compiled for 22 and lives in the
 * multi-release jar's {@code META-INF/versions/22}; this class, in the base, names the package for the module
 * system on every JDK and finds the backend only where it can run.
 */
public final class FfmBackends {
    /** The first JDK whose foreign function API is final. */
    public static final int MIN_FEATURE = 22;
    private static final String IMPLEMENTATION = "io.github.posixsend.internal.ffm.FfmBackend";
    private static final String LAYOUTS = "io.github.posixsend.internal.ffm.FfmLayouts";

    private FfmBackends() {
    }

    /**
     * Whether this JDK has the foreign function API.
     *
     * @return true on JDK 22 and later
     */
    public static boolean jdkHasForeignApi() {
        return Runtime.version().feature() >= MIN_FEATURE;
    }

    /**
     * Binds the C library through the foreign function API.
     *
     * @return the backend
     * @throws UnsupportedOperationException before JDK 22, or when the JDK 22 classes are missing (a jar that is not
     *     multi-release, or classes run from a folder without {@code META-INF/versions/22})
     * @throws UnsatisfiedLinkError when a C function is not found
     * @throws IllegalCallerException when native access is refused ({@code --illegal-native-access=deny} without
     *     {@code --enable-native-access}), or when called from outside the library ({@link LibraryCallers})
     */
    public static Backend load() {
        LibraryCallers.require(FfmBackends.class, "the FFM backend");
        return (Backend) call(IMPLEMENTATION, "load", MethodType.methodType(Backend.class));
    }

    /**
     * The FFM backend's {@code MemoryLayout}s of {@code os}'s structures as sizes and offsets, under the names the
     * JNI shim reports ({@code SIZEOF_MSGHDR}, {@code OFFSETOF_MSGHDR_FLAGS}, ...); for the tests.
     *
     * @param os the platform
     * @return the values by name
     * @throws UnsupportedOperationException before JDK 22
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Integer> layouts(Os os) {
        return (Map<String, Integer>) call(LAYOUTS, "describe", MethodType.methodType(Map.class, Os.class), os);
    }

    /** Calls a static method of a JDK 22 class of this package. */
    private static Object call(String className, String method, MethodType type, Object... args) {
        if (!jdkHasForeignApi()) {
            throw new UnsupportedOperationException("posix-send: the FFM backend needs JDK " + MIN_FEATURE
                    + " or later (java.lang.foreign); this is " + Runtime.version());
        }
        MethodHandle handle;
        try {
            Class<?> c = Class.forName(className, true, FfmBackends.class.getClassLoader());
            handle = MethodHandles.lookup().findStatic(c, method, type);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            throw new UnsupportedOperationException("posix-send: the FFM backend's classes are missing (they are in"
                    + " META-INF/versions/" + MIN_FEATURE + " of the multi-release jar): " + e, e);
        }
        try {
            return handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("posix-send: calling the FFM backend failed", e);
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Os;
import io.github.posixsend.Posix;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.ffm.FfmBackends;
import io.github.posixsend.internal.jni.JniBackend;
import io.github.posixsend.internal.jnr.JnrBackend;
import java.io.IOException;
import java.nio.channels.Channel;
import java.util.HashMap;
import java.util.Map;

/**
 * The JNI shim and the Java-side backends (JNR-FFI, and the foreign function API's on JDK 22 and later) loaded in
 * one JVM, whichever one posix-send selected, for tests that compare them call by call. A backend that cannot load
 * here skips the test that asks for it and says why.
 */
public final class SideBySide {
    /** The backends that make the C calls from Java, each compared with the JNI shim. */
    public static final String[] JAVA_SIDE = {"jnr", "ffm"};

    private static Backend jni;
    private static Throwable jniFailure;
    private static final Map<String, Backend> LOADED = new HashMap<>();
    private static final Map<String, Throwable> FAILED = new HashMap<>();

    private SideBySide() {
    }

    /** The JNI backend; the test is skipped (saying why) where the shim cannot load or is not Linux's. */
    public static synchronized Backend jni() {
        if (jni == null && jniFailure == null) {
            try {
                jni = JniBackend.load();
            } catch (UnsatisfiedLinkError e) {
                jniFailure = e;
            }
        }
        assumeTrue(jni != null, () -> "the JNI shim is needed to compare with and does not load here: " + jniFailure);
        assumeTrue(Os.current() == Os.LINUX, "the comparison is made on Linux, where the shim is built");
        return jni;
    }

    /**
     * A channel's descriptor: {@link Posix#fd(Channel)} where the running backend reads it (JNI always, JNR and FFM
     * before JDK 24: see its documentation), else as the JNI shim reads it, the same number of the same process.
     */
    public static int descriptorOf(Channel ch) throws IOException {
        try {
            return Posix.fd(ch);
        } catch (IllegalArgumentException notReadHere) {
            int fd = jni().descriptorOf(ch);
            assertTrue(fd >= 0, "the shim found no descriptor in " + ch);
            return fd;
        }
    }

    /**
     * A Java-side backend by name ({@code jnr} or {@code ffm}), one instance per JVM; the test is skipped where it
     * cannot load (the FFM backend before JDK 22, or without its JDK 22 classes on the class path).
     */
    public static synchronized Backend javaSide(String name) {
        if (!LOADED.containsKey(name) && !FAILED.containsKey(name)) {
            try {
                LOADED.put(name, "jnr".equals(name) ? JnrBackend.load() : FfmBackends.load());
            } catch (UnsupportedOperationException | LinkageError | IllegalCallerException e) {
                FAILED.put(name, e);
            }
        }
        assumeTrue(LOADED.containsKey(name), () -> "the " + name + " backend does not load here: " + FAILED.get(name));
        return LOADED.get(name);
    }
}

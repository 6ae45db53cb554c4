package io.github.posixsend.internal.jnr;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Os;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.jni.JniBackend;

/** Both backends in one JVM, whichever one posix-send selected, for tests that compare them call by call. */
final class BothBackends {
    private static Backend jni;
    private static Throwable jniFailure;
    private static JnrBackend jnr;

    private BothBackends() {
    }

    static synchronized JnrBackend jnr() {
        if (jnr == null) {
            jnr = JnrBackend.load();
        }
        return jnr;
    }

    /** The JNI backend; the test is skipped (saying why) where the shim cannot load or is not Linux's. */
    static synchronized Backend jni() {
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
}

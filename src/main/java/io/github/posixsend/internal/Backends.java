package io.github.posixsend.internal;

import io.github.posixsend.internal.jni.JniBackend;
import java.util.Locale;

/**
 * Chooses the backend once per JVM from the system property {@value #PROPERTY}: {@code jni}, {@code jnr} or
 * {@code auto} (the default: JNI when the bundled library loads, else JNR-FFI with one line on standard error).
 */
public final class Backends {
    /** The system property that selects the backend. */
    public static final String PROPERTY = "posixsend.backend";

    private Backends() {
    }

    /** The backend this JVM uses; chosen on first use. */
    public static Backend current() {
        return Holder.CURRENT;
    }

    private static final class Holder {
        static final Backend CURRENT = select(System.getProperty(PROPERTY, "auto"));
    }

    static Backend select(String choice) {
        switch (choice.trim().toLowerCase(Locale.ROOT)) {
            case "jni":
                return JniBackend.load();
            case "jnr":
                return loadJnr();
            case "auto":
            case "":
                try {
                    return JniBackend.load();
                } catch (UnsatisfiedLinkError jniFailure) {
                    Backend jnr;
                    try {
                        jnr = loadJnr();
                    } catch (RuntimeException | LinkageError jnrFailure) {
                        jniFailure.addSuppressed(jnrFailure);
                        throw jniFailure;
                    }
                    System.err.println("posix-send: JNI library unavailable (" + jniFailure.getMessage()
                            + "); using the JNR-FFI backend");
                    return jnr;
                }
            default:
                throw new IllegalArgumentException("posix-send: -D" + PROPERTY + "=" + choice
                        + " is not a backend; use jni, jnr or auto");
        }
    }

    private static Backend loadJnr() {
        try {
            return io.github.posixsend.internal.jnr.JnrBackend.load();
        } catch (NoClassDefFoundError missing) {
            // jnr-ffi is a dependency of posix-send, but a build may have excluded it
            throw new UnsupportedOperationException("posix-send: the JNR-FFI backend needs com.github.jnr:jnr-ffi"
                    + " on the class path (" + missing.getMessage() + ")", missing);
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers

package io.github.posixsend.internal;

import io.github.posixsend.Os;
import io.github.posixsend.internal.ffm.FfmBackends;
import io.github.posixsend.internal.jni.JniBackend;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Chooses the backend once per JVM from the system property {@value #PROPERTY}: {@code jni}, {@code ffm},
 * {@code jnr} or {@code auto} (the default: JNI when the bundled library loads, else the foreign function API on
 * JDK 22 and later, else JNR-FFI, with a {@code DEBUG} record on the {@code io.github.posixsend}
 * {@link System.Logger} for each backend passed over).
 *
 * <p>The choice never fails class initialization: when no backend can work (an unsupported system, a library that
 * does not load, an explicit choice that cannot be honoured, a bad property value), {@link #isAvailable()} is false,
 * {@link #unavailabilityCause()} tells what was tried, and {@link #current()} throws, at every call, a new
 * {@link UnsupportedOperationException} whose cause is that one {@code Throwable}.
 */
public final class Backends {
    /** The system property that selects the backend. */
    public static final String PROPERTY = "posixsend.backend";

    /** The logger every message of posix-send goes to; nothing is printed directly. */
    static final System.Logger LOG = System.getLogger("io.github.posixsend");

    private Backends() {
    }

    /**
     * The backend this JVM uses, chosen on first use, for posix-send's own classes: a backend takes buffers, ranges
     * and descriptors on trust, after the public API checked them. The library's classes ask once and keep it.
     *
     * @return the backend
     * @throws UnsupportedOperationException when posix-send cannot work in this JVM, with
     *     {@link #unavailabilityCause()} as its cause
     * @throws IllegalCallerException when called from outside the library ({@link LibraryCallers})
     */
    public static Backend current() {
        LibraryCallers.require(Backends.class, "the backend");
        return chosen();
    }

    /** {@link #current()} for this package's classes, without the caller check. */
    static Backend chosen() {
        Backend b = Holder.CURRENT;
        if (b == null) {
            throw unavailable();
        }
        return b;
    }

    /**
     * Whether a backend loaded.
     *
     * @return true when posix-send can make its calls in this JVM
     */
    public static boolean isAvailable() {
        return Holder.CURRENT != null;
    }

    /**
     * Why no backend loaded.
     *
     * @return the failure, saying what was tried and what can be done, or null when a backend loaded
     */
    public static Throwable unavailabilityCause() {
        return Holder.CAUSE;
    }

    /**
     * Throws {@link #current()}'s exception when no backend loaded.
     *
     * @throws UnsupportedOperationException when posix-send cannot work in this JVM
     */
    public static void requireAvailable() {
        chosen(); // no caller check: it hands nothing out
    }

    /**
     * A new exception for a call made while no backend is available: the same kind every time, with the one cause.
     *
     * @return the exception to throw
     */
    public static UnsupportedOperationException unavailable() {
        Throwable cause = Holder.CAUSE;
        return new UnsupportedOperationException("posix-send is not available in this JVM: " + cause.getMessage(),
                cause);
    }

    private static final class Holder {
        static final Backend CURRENT;
        static final Throwable CAUSE;

        static {
            Backend b = null;
            Throwable cause = null;
            // chosen once for the JVM, on whichever thread first needs it: an interrupt pending there (a task
            // cancelled with Future.cancel(true)) would close the file channel jffi extracts its stub through, and
            // jffi keeps that failure for the JVM's life; the thread gets it back. (jffi's load stays on this
            // thread: its class initialization configures java.util.logging, whose lock this thread may hold.)
            boolean interrupted = Thread.interrupted();
            try {
                requireSupportedPlatform();
                b = select(System.getProperty(PROPERTY, "auto"));
            } catch (RuntimeException | LinkageError e) {
                cause = e;
                LOG.log(Level.DEBUG, "posix-send is not available", e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            CURRENT = b;
            CAUSE = cause;
        }
    }

    /**
     * Refuses a system or architecture posix-send has no tables and structure layouts for, before anything is
     * loaded: the message says so first, then what can be done.
     *
     * @throws UnsupportedOperationException on a system other than Linux (x86_64, aarch64) or NetBSD (amd64)
     */
    static void requireSupportedPlatform() {
        String osName = System.getProperty("os.name", "unknown");
        String arch = System.getProperty("os.arch", "unknown");
        String a = arch.toLowerCase(Locale.ROOT);
        boolean x86 = a.equals("amd64") || a.equals("x86_64");
        boolean arm = a.equals("aarch64") || a.equals("arm64");
        Os os = knownOs();
        boolean linux = os == Os.LINUX;
        boolean netbsd = os == Os.NETBSD;
        if (!linux && !netbsd) {
            throw new UnsupportedOperationException("posix-send supports Linux and NetBSD; this is " + osName + " "
                    + arch + ". Its flag, errno and constant tables and its structure layouts are those two systems'"
                    + " only, so nothing in it can work here: use java.nio on this system, or run on Linux (x86_64,"
                    + " aarch64) or NetBSD (amd64).");
        }
        if ((linux && !(x86 || arm)) || (netbsd && !x86)) {
            throw new UnsupportedOperationException("posix-send supports Linux on x86_64 and aarch64 and NetBSD on"
                    + " amd64; this is " + osName + " " + arch + ". Its JNR-FFI structure layouts are those of"
                    + " 64-bit x86 and ARM only, and no JNI shim is bundled for " + arch + ": run on one of those,"
                    + " or port the layouts and build the shim (see README, \"Platforms and backends\").");
        }
    }

    /** {@link Os#current()}, or null on a system posix-send has no tables for. */
    static Os knownOs() {
        try {
            return Os.current();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    static Backend select(String choice) {
        switch (choice.trim().toLowerCase(Locale.ROOT)) {
            case "jni":
                return JniBackend.load();
            case "ffm":
                return FfmBackends.load();
            case "jnr":
                return loadJnr();
            case "auto":
            case "":
                return selectAuto();
            default:
                throw new IllegalArgumentException("posix-send: -D" + PROPERTY + "=" + choice
                        + " is not a backend; use jni, ffm, jnr or auto");
        }
    }

    /** JNI, else FFM (JDK 22+), else JNR; the first failure, with the later ones suppressed, when none loads. */
    private static Backend selectAuto() {
        UnsatisfiedLinkError jniFailure;
        try {
            return JniBackend.load();
        } catch (UnsatisfiedLinkError e) {
            jniFailure = e;
        }
        if (FfmBackends.jdkHasForeignApi()) {
            try {
                Backend ffm = FfmBackends.load();
                LOG.log(Level.DEBUG, () -> "posix-send: JNI library unavailable (" + jniFailure.getMessage()
                        + "); using the FFM backend");
                return ffm;
            } catch (RuntimeException | LinkageError ffmFailure) {
                jniFailure.addSuppressed(ffmFailure);
                LOG.log(Level.DEBUG, "posix-send: the FFM backend did not load either", ffmFailure);
            }
        }
        Backend jnr;
        try {
            jnr = loadJnr();
        } catch (RuntimeException | LinkageError jnrFailure) {
            jniFailure.addSuppressed(jnrFailure);
            throw jniFailure;
        }
        LOG.log(Level.DEBUG, () -> "posix-send: JNI library unavailable (" + jniFailure.getMessage()
                + "); using the JNR-FFI backend");
        return jnr;
    }

    /** The one provider class loadJnr takes, the JNR-FFI backend's, and the module it is in on the module path. */
    private static final String JNR_PROVIDER = "io.github.posixsend.internal.jnr.JnrBackendProvider";
    private static final String JNR_MODULE = "io.github.posixsend.jnr";

    /**
     * The backend of the artifact {@code posix-send-jnr}, found through {@link ServiceLoader}. The backend is handed
     * the library's native memory, which it must not keep past a call, so only that artifact's provider is taken,
     * by the name of its class (and of its module on the module path), and no other provider is made: any jar can
     * list a provider of the public interface. A jar that names a class of its own as the artifact's is taken for
     * it, as a jar put in the artifact's place would be: this tells the library's provider from others, not the
     * library from a replacement of it.
     */
    private static Backend loadJnr() {
        ServiceLoader<BackendProvider> providers =
                ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader());
        try {
            java.util.Optional<BackendProvider> jnr = providers.stream()
                    .filter(p -> p.type().getName().equals(JNR_PROVIDER)
                            && (!p.type().getModule().isNamed() || p.type().getModule().getName().equals(JNR_MODULE)))
                    .map(ServiceLoader.Provider::get)
                    .findFirst();
            if (jnr.isPresent()) {
                try {
                    return jnr.get().load();
                } catch (NoClassDefFoundError missing) {
                    throw new UnsupportedOperationException("posix-send: the JNR-FFI backend needs"
                            + " com.github.jnr:jnr-ffi and its dependencies (" + missing.getMessage() + ")", missing);
                }
            }
        } catch (ServiceConfigurationError broken) {
            // an Error, not a LinkageError: left alone it would fail class initialization for good
            throw new UnsupportedOperationException("posix-send: a backend provider on the class path or module"
                    + " path cannot be loaded: " + broken.getMessage(), broken);
        }
        throw new UnsupportedOperationException("posix-send: the JNR-FFI backend is in the artifact"
                + " io.github.posixsend:posix-send-jnr, which is on neither the class path nor the module path");
    }
}

package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;

/** Where the probes ran: system, JVM, backend and bounds, for the head of every report. */
final class RunInfo {
    final String os;
    final String kernel;
    final String arch;
    final String java;
    final String backend;
    final String bounds;

    RunInfo(String os, String kernel, String arch, String java, String backend, String bounds) {
        this.os = os;
        this.kernel = kernel;
        this.arch = arch;
        this.java = java;
        this.backend = backend;
        this.bounds = bounds;
    }

    /** This JVM's system and posix-send's backend (which loads the native library). */
    static RunInfo current(Bounds bounds) {
        return new RunInfo(System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), System.getProperty("java.version") + " ("
                        + System.getProperty("java.vm.name") + ")", Posix.backendName(), bounds.name);
    }

    /** "Linux 6.1.0 amd64, Java 17.0.15 (OpenJDK 64-Bit Server VM), backend jni, default bounds". */
    String line() {
        return os + " " + kernel + " " + arch + ", Java " + java + ", backend " + backend + ", " + bounds + " bounds";
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a class's {@code main} in a child JVM of the same Java home, for what a test must not risk in its own JVM
 * (a crash, a process-wide setting, a memory limit) and for what must be seen from outside (exit status, output,
 * {@code hs_err} files). Bounded in time: a child that outlives its limit is killed and the test fails.
 */
public final class ChildJvm {
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> command = new ArrayList<>();
    private String classPath = System.getProperty("java.class.path");
    private Path workDir;
    private long timeoutSeconds = 60;
    private String javaHome = System.getProperty("java.home");
    private final Map<String, String> env = new HashMap<>();
    private String umask;
    private boolean separateErrors;

    /**
     * The outcome: exit status, what was printed (standard output, and standard error too unless
     * {@link #separateErrors()} was asked for, then in {@code errors}) and the hs_err files left.
     */
    public record Result(int exitCode, String output, String errors, List<Path> crashLogs) {
        /** True when the JVM left no hs_err file and was not ended by a signal (status above 128). */
        public boolean endedNormally() {
            return crashLogs.isEmpty() && exitCode < 128;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + (crashLogs.isEmpty() ? "" : ", crash logs " + crashLogs) + ":\n" + output
                    + (errors.isEmpty() ? "" : "\nstandard error:\n" + errors);
        }
    }

    private ChildJvm(Class<?> main, String... args) {
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
    }

    /** A child JVM that runs {@code main} with these arguments, on this JVM's class path. */
    public static ChildJvm of(Class<?> main, String... args) {
        return new ChildJvm(main, args);
    }

    /**
     * A child JVM whose class path and main class (or {@code -m module/class}) the caller gives with {@link #jvm} and
     * {@link #mainClass}.
     */
    public static ChildJvm command() {
        ChildJvm c = new ChildJvm(Object.class);
        c.command.clear();
        c.classPath = null;
        return c;
    }

    /** Replaces what follows the JVM options: a main class and its arguments, or {@code -m module/class ...}. */
    public ChildJvm mainClass(String... words) {
        command.clear();
        command.addAll(Arrays.asList(words));
        return this;
    }

    /** Adds JVM options ({@code -D...}, {@code -XX:...}); the selected backend is passed on by default. */
    public ChildJvm jvm(String... options) {
        jvmOptions.addAll(Arrays.asList(options));
        return this;
    }

    /** Keeps standard error apart from standard output, for tests that must see it empty. */
    public ChildJvm separateErrors() {
        this.separateErrors = true;
        return this;
    }

    /** Replaces the class path. */
    public ChildJvm classPath(String cp) {
        this.classPath = cp;
        return this;
    }

    /** The child's working directory (where a crash leaves its hs_err file); a fresh temporary one by default. */
    public ChildJvm workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /** Sets an environment variable of the child. */
    public ChildJvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs another Java home's {@code bin/java}. */
    public ChildJvm javaHome(String home) {
        this.javaHome = home;
        return this;
    }

    /**
     * Starts the child through {@code /bin/sh} with this file mode creation mask ({@code "000"}, {@code "077"}),
     * for what depends on the umask of the process: the JVM is {@code exec}'d by the shell, so it is still the
     * child whose exit status and output are collected.
     *
     * @throws IllegalArgumentException when {@code octal} is not three or four octal digits
     */
    public ChildJvm umask(String octal) {
        if (!octal.matches("[0-7]{3,4}")) {
            throw new IllegalArgumentException("not a umask: " + octal);
        }
        this.umask = octal;
        return this;
    }

    /** The most the child may take; 60 s by default. */
    public ChildJvm timeoutSeconds(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** The class path entry (folder or jar) a class was loaded from. */
    public static String codeOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Joins class path entries with the platform's separator. */
    public static String path(String... parts) {
        return String.join(File.pathSeparator, parts);
    }

    /** Starts the child, waits for it within the time limit and collects what it left. */
    public Result run() throws IOException, InterruptedException {
        Path dir = workDir != null ? workDir : Files.createTempDirectory("posixsend-child-");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(javaHome, "bin", "java").toString());
        String backend = System.getProperty("posixsend.backend");
        if (backend != null && jvmOptions.stream().noneMatch(o -> o.startsWith("-Dposixsend.backend="))) {
            cmd.add("-Dposixsend.backend=" + backend);
        }
        cmd.addAll(jvmOptions);
        if (classPath != null && jvmOptions.stream().noneMatch(o -> o.equals("-cp") || o.startsWith("--module-path")
                || o.equals("-p"))) {
            cmd.add("-cp");
            cmd.add(classPath);
        }
        cmd.addAll(command);
        if (umask != null) {
            // "$@" passes the command on word for word: nothing in it is parsed by the shell
            cmd.addAll(0, List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
        }
        Path out = Files.createTempFile(dir, "child-", ".out");
        Path err = Files.createTempFile(dir, "child-", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (separateErrors) {
            pb.redirectError(err.toFile());
        } else {
            pb.redirectErrorStream(true);
        }
        pb.environment().putAll(env);
        Process proc = pb.start();
        try {
            if (!proc.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                proc.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the child JVM did not finish in " + timeoutSeconds + " s: " + cmd + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
        } finally {
            // a test abandoned at its timeout is interrupted here: its child must not run on after it
            if (proc.isAlive()) {
                proc.destroyForcibly();
            }
        }
        List<Path> crashes;
        try (Stream<Path> s = Files.list(dir)) {
            crashes = s.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList();
        }
        Result r = new Result(proc.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), crashes);
        Files.delete(out);
        Files.delete(err);
        if (workDir == null && crashes.isEmpty()) {
            deleteTree(dir); // a crash's folder stays, for its hs_err file
        }
        return r;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

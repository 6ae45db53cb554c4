// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers

package io.github.posixsend.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Code written and compiled as a user of the built jars would: the tests of the published artifacts compile small
 * programs (consumers, attackers) against them and run them in a child JVM.
 */
public final class UserCode {
    private UserCode() {
    }

    /** What javac said: its exit status and everything it printed. */
    public record Compiled(int status, String output) {
    }

    /**
     * The built core jar, named by {@code -Dposixsend.jar} as the build sets it for the integration tests.
     *
     * @throws IllegalStateException when it is not there
     */
    public static Path coreJar() {
        Path jar = Path.of(System.getProperty("posixsend.jar", "target/posix-send.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the built jar " + jar + " is not there");
        }
        return jar;
    }

    /** Writes the sources (relative path to text) under {@code dir}, which it creates; returns {@code dir}. */
    public static Path write(Path dir, Map<String, String> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
        }
        return dir;
    }

    /** Compiles every source under {@code src} into {@code out} (created) with these options. */
    public static Compiled compile(Path src, Path out, String... options) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of(options));
        args.add("-d");
        args.add(Files.createDirectories(out).toString());
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = javac.run(null, new PrintStream(err), new PrintStream(err), args.toArray(new String[0]));
        return new Compiled(status, err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The JDK 22+ option that lets {@code who} (module names, or {@code ALL-UNNAMED}) call native code without a
     * warning; nothing before JDK 22.
     */
    public static String[] nativeAccess(String who) {
        return Runtime.version().feature() >= 22 ? new String[] {"--enable-native-access=" + who} : new String[0];
    }
}

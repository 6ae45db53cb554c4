// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.internal.ffm.FfmBackends;
import io.github.posixsend.testing.AvailabilityProbe;
import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.SecurityManagerProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Posix.isAvailable() and Posix.unavailabilityCause(), each case in a child JVM (a JVM chooses its backend once):
 * when posix-send cannot work, class initialization still succeeds, the cause says what was tried, and every call
 * throws the same kind of exception with that cause, the second time as the first (never NoClassDefFoundError);
 * an unsupported system is named first; falling back to JNR-FFI prints nothing.
 */
class AvailabilityTest {
    private static final String LIB = System.mapLibraryName("posixsend");
    /** How many calls AvailabilityProbe makes when posix-send is unavailable. */
    private static final int CALLS = 29;

    @TempDir
    Path tmp;

    /**
     * Runs the probe on this JVM's class path (jnr-ffi included); returns its output as key=value pairs, after checking
     * it exited normally.
     */
    private Map<String, String> probe(String... jvmOptions) throws Exception {
        ChildJvm.Result r = ChildJvm.of(AvailabilityProbe.class).jvm("--enable-native-access=ALL-UNNAMED")
                .jvm(jvmOptions).workDir(tmp).run();
        assertEquals(0, r.exitCode(), r.toString());
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : r.output().split("\n")) {
            int eq = line.indexOf('=');
            assertTrue(eq > 0, "a line the probe did not print (the library printed something?): " + line + "\n" + r);
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    private static void assertEveryCallFailsWithTheCause(Map<String, String> out) {
        assertEquals("send: errno 9999 (errno 9999)", out.get("message"), out.toString());
        for (int i = 0; i < CALLS; i++) {
            String first = out.get("call" + i + ".round1");
            String second = out.get("call" + i + ".round2");
            assertEquals("java.lang.UnsupportedOperationException causeIsTheOne=true", first, "call " + i + ": " + out);
            assertEquals(first, second, "call " + i + " failed differently the second time: " + out);
        }
    }

    @Test
    void missingLibraryOnJniMakesEveryCallFailWithTheCause() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Map<String, String> out = probe("-Dposixsend.backend=jni", "-Dposixsend.library.path=" + empty);
        assertEquals("false", out.get("available"), out.toString());
        assertEquals(UnsatisfiedLinkError.class.getName(), out.get("cause.class"), out.toString());
        String message = out.get("cause.message");
        assertTrue(message.contains(empty.resolve(LIB).toAbsolutePath().toString()),
                "the cause does not name the file tried: " + message);
        assertTrue(message.contains("-Dposixsend.backend=jnr"), "the cause does not say what can be done: " + message);
        assertEquals("true", out.get("AF_INET.unsupported"), out.toString());
        assertEveryCallFailsWithTheCause(out);
    }

    @Test
    void unsupportedSystemIsNamedFirst() throws Exception {
        Map<String, String> out = probe("-Dos.name=Mac OS X", "-Dos.arch=aarch64");
        assertEquals("false", out.get("available"), out.toString());
        assertEquals(UnsupportedOperationException.class.getName(), out.get("cause.class"), out.toString());
        String message = out.get("cause.message");
        assertTrue(message.startsWith("posix-send supports Linux and NetBSD; this is Mac OS X aarch64."), message);
        assertTrue(message.contains("java.nio"), "does not say what can be done: " + message);
        assertEveryCallFailsWithTheCause(out);
    }

    @Test
    void unsupportedArchitectureIsNamedFirst() throws Exception {
        Map<String, String> out = probe("-Dos.arch=riscv64");
        assertEquals("false", out.get("available"), out.toString());
        assertTrue(out.get("cause.message").startsWith("posix-send supports Linux on x86_64 and aarch64 and NetBSD on"
                + " amd64; this is Linux riscv64."), out.toString());
        assertEveryCallFailsWithTheCause(out);
    }

    @Test
    void badBackendChoiceIsTheCause() throws Exception {
        Map<String, String> out = probe("-Dposixsend.backend=nosuch");
        assertEquals("false", out.get("available"), out.toString());
        assertEquals(IllegalArgumentException.class.getName(), out.get("cause.class"), out.toString());
        assertTrue(out.get("cause.message").contains("nosuch"), out.toString());
        assertEveryCallFailsWithTheCause(out);
    }

    @Test
    void fallingBackPrintsNothing() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        // the probe checks that every line of the output is its own: a line on standard error would fail it
        Map<String, String> out = probe("-Dposixsend.backend=auto", "-Dposixsend.library.path=" + empty);
        assertEquals("true", out.get("available"), out.toString());
        assertEquals("null", out.get("cause.class"), out.toString());
        // without the shim: the foreign function API where the JDK has it (22+), else JNR-FFI
        assertEquals(FfmBackends.jdkHasForeignApi() ? "ffm" : "jnr", out.get("backend"), out.toString());
        assertEquals("ok", out.get("call"), out.toString());
        assertEquals(6, out.size(), out.toString());
    }

    @Test
    void fallbackIsALogRecord() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Path config = tmp.resolve("logging.properties");
        Files.writeString(config, "handlers=java.util.logging.ConsoleHandler\n"
                + "java.util.logging.ConsoleHandler.level=ALL\n"
                + "java.util.logging.SimpleFormatter.format=LOG %3$s %4$s %5$s%n\n"
                + "io.github.posixsend.level=ALL\n");
        ChildJvm.Result r = ChildJvm.of(AvailabilityProbe.class).jvm("--enable-native-access=ALL-UNNAMED")
                .jvm("-Dposixsend.backend=auto", "-Dposixsend.library.path=" + empty,
                        "-Djava.util.logging.config.file=" + config)
                .workDir(tmp).run();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().contains("LOG io.github.posixsend FINE posix-send: JNI library unavailable"),
                r.toString());
        assertTrue(r.output().contains(FfmBackends.jdkHasForeignApi() ? "using the FFM backend"
                : "using the JNR-FFI backend"), r.toString());
    }

    @Test
    void availableInThisJvm() {
        assertTrue(Posix.isAvailable());
        assertEquals(null, Posix.unavailabilityCause());
        assertFalse(Posix.AF_INET == Posix.UNSUPPORTED);
    }

    /**
     * Under a SecurityManager (JDK 17 to 23) whose policy gives posix-send every permission and the application none
     * that matter, a batch is refused as the library's unavailability or made, the same each time: never the
     * ExceptionInInitializerError and then NoClassDefFoundError of a class that asked for a StackWalker with the
     * application's permissions.
     */
    @Test
    void aSecurityManagerThatDeniesTheApplicationLeavesNoClassBroken() throws Exception {
        assumeTrue(Runtime.version().feature() < 24, "JDK 24 and later have no SecurityManager");
        String lib = ChildJvm.codeOf(Posix.class);
        String app = ChildJvm.codeOf(SecurityManagerProbe.class);
        Path policy = tmp.resolve("policy");
        Files.write(policy, java.util.List.of(
                "grant codeBase \"file:" + lib + "/-\" { permission java.security.AllPermission; };",
                "grant codeBase \"file:" + app + "/-\" {",
                "    permission java.util.PropertyPermission \"*\", \"read\";",
                "};"));
        ChildJvm.Result r = ChildJvm.of(SecurityManagerProbe.class).jvm("-Djava.security.manager",
                "-Djava.security.policy==" + policy).classPath(ChildJvm.path(lib, app)).workDir(tmp).run();
        assertEquals(0, r.exitCode(), r.toString());
        String[] lines = r.output().lines().filter(l -> !l.startsWith("WARNING")).toArray(String[]::new);
        assertEquals(2, lines.length, r.toString());
        assertEquals(lines[0], lines[1], r.toString());
        assertTrue(lines[0].equals("made 4") || lines[0].startsWith("java.lang.UnsupportedOperationException: "),
                r.toString());
    }
}

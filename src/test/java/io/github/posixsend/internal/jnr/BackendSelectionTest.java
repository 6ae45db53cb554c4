package io.github.posixsend.internal.jnr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.Posix;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Backend selection in fresh JVMs: {@code -Dposixsend.backend=jnr}, a bogus name, and {@code auto} when the JNI
 * library cannot load (a library path that does not exist), which falls back to JNR and prints nothing.
 * Each child does a real UDP round trip and prints the backend's name; its stderr must hold nothing else, which
 * also shows that neither backend prints warnings on this JDK when native access is enabled.
 */
class BackendSelectionTest {
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    private static final class Result {
        final int exit;
        final String out;
        final String err;

        Result(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exit + ", stdout [" + out + "], stderr [" + err + "]";
        }
    }

    private static Result child(String... properties) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xshare:auto");
        cmd.addAll(Arrays.asList(properties));
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(SelectionProbe.class.getName());
        Path out = Files.createTempFile("posixsend-child", ".out");
        Path err = Files.createTempFile("posixsend-child", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the child JVM did not end within " + CHILD_TIMEOUT_SECONDS + " s: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
                    Files.readString(err, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void thisRunUsesTheBackendItAskedFor() {
        String asked = System.getProperty("posixsend.backend", "auto");
        if (!asked.equals("auto")) {
            assertEquals(asked, Posix.backendName(), "the run that asks for a backend gets it, never a fallback");
        }
    }

    @Test
    void jnrWhenAskedFor() throws Exception {
        Result r = child("-Dposixsend.backend=jnr");
        assertEquals(0, r.exit, r.toString());
        assertEquals("jnr ok", r.out, r.toString());
        assertEquals("", r.err, r.toString());
    }

    @Test
    void jniByDefault() throws Exception {
        Result r = child();
        assertEquals(0, r.exit, r.toString());
        assertEquals("jni ok", r.out, r.toString());
        assertEquals("", r.err, r.toString());
    }

    @Test
    void autoFallsBackToJnrSilently() throws Exception {
        // the fallback is a DEBUG record on System.Logger (AvailabilityTest reads it), never a line on stderr
        Result r = child("-Dposixsend.backend=auto", "-Dposixsend.library.path=/nonexistent");
        assertEquals(0, r.exit, r.toString());
        assertEquals("jnr ok", r.out, r.toString());
        assertEquals("", r.err, r.toString());
    }

    @Test
    void anExplicitChoiceThatCannotBeHonouredFails() throws Exception {
        Result r = child("-Dposixsend.backend=jni", "-Dposixsend.library.path=/nonexistent");
        assertNotEquals(0, r.exit, r.toString());
        assertEquals("", r.out, r.toString());
        assertTrue(r.err.contains("could not load its native library"), r.toString());
        assertTrue(r.err.contains("-Dposixsend.backend=jnr"), "the message says what to do: " + r);
    }

    @Test
    void aBogusNameFails() throws Exception {
        Result r = child("-Dposixsend.backend=bogus");
        assertNotEquals(0, r.exit, r.toString());
        assertEquals("", r.out, r.toString());
        assertTrue(r.err.contains("-Dposixsend.backend=bogus is not a backend; use jni, jnr or auto"), r.toString());
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jnr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.Posix;
import io.github.posixsend.internal.ffm.FfmBackends;
import io.github.posixsend.testing.ChildJvm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Backend selection in fresh JVMs: {@code -Dposixsend.backend=jnr}, a bogus name, and {@code auto} when the JNI
 * library cannot load (a library path that does not exist), which falls back to JNR and prints nothing.
 * Each child does a real UDP round trip and prints the backend's name; its stderr must hold nothing else, which
 * also shows that neither backend prints warnings on this JDK when native access is enabled.
 */
class BackendSelectionTest {
    /** What a child printed: standard output and standard error apart, stripped. */
    private record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + ", stdout [" + out + "], stderr [" + err + "]";
        }
    }

    private static Result child(String... properties) throws Exception {
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-Xshare:auto"));
        options.addAll(Arrays.asList(properties));
        if (options.stream().noneMatch(o -> o.startsWith("-Dposixsend.backend="))) {
            options.add("-Dposixsend.backend=auto"); // not the backend of this run: the child's own default
        }
        ChildJvm.Result r = ChildJvm.of(SelectionProbe.class).separateErrors().timeoutSeconds(120)
                .classPath(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")))
                .jvm(options.toArray(new String[0])).run();
        return new Result(r.exitCode(), r.output().strip(), r.errors().strip());
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
    void autoFallsBackSilently() throws Exception {
        // the fallback is a DEBUG record on System.Logger (AvailabilityTest reads it), never a line on stderr;
        // without the shim, auto takes the foreign function API where the JDK has it (22+), else JNR-FFI
        Result r = child("-Dposixsend.backend=auto", "-Dposixsend.library.path=/nonexistent");
        assertEquals(0, r.exit, r.toString());
        assertEquals((FfmBackends.jdkHasForeignApi() ? "ffm" : "jnr") + " ok", r.out, r.toString());
        assertEquals("", r.err, r.toString());
    }

    @Test
    void ffmWhenChosen() throws Exception {
        Result r = child("-Dposixsend.backend=ffm");
        if (FfmBackends.jdkHasForeignApi()) {
            assertEquals(0, r.exit, r.toString());
            assertEquals("ffm ok", r.out, r.toString());
            assertEquals("", r.err, r.toString());
        } else {
            assertNotEquals(0, r.exit, r.toString());
            assertTrue(r.err.contains("needs JDK 22"), r.toString());
        }
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
        assertTrue(r.err.contains("-Dposixsend.backend=bogus is not a backend; use jni, ffm, jnr or auto"),
                r.toString());
    }
}

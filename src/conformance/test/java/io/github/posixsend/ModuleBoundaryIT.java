// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.UserCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code outside the library, compiled against the built jar as a user's would be, cannot reach what hands memory to
 * native code: on the module path the internal packages are not even visible to the compiler; on the class path
 * it cannot make a message plan (the only thing the backends' message calls accept), nor take direct memory the
 * library frees (which it could then touch after the free), nor mark a descriptor as one posix-send made (which would
 * have byte arrays passed in place to whatever the number names later), neither directly nor by putting a class of
 * its own into the library's package (the jar is sealed). A legitimate consumer module still
 * works on the module path.
 */
class ModuleBoundaryIT {
    @TempDir
    static Path tmp;

    private static Path jar;

    @BeforeAll
    static void findJar() {
        jar = UserCode.coreJar();
    }

    /** Writes sources (relative path to text) under a fresh folder named after {@code name}; returns it. */
    private static Path sources(String name, Map<String, String> files) throws Exception {
        return UserCode.write(tmp.resolve(name + "-src"), files);
    }

    private static final String ATTACKS = """
            package a;

            public class Attack {
                public static void main(String[] args) throws Exception {
                    try {
                        switch (args[0]) {
                            case "plan" -> new io.github.posixsend.internal.MessagePlan("stolen");
                            case "split-after" -> {
                                io.github.posixsend.Posix.backendName();
                                Class.forName("io.github.posixsend.Evil").getMethod("make").invoke(null);
                            }
                            case "split-first" -> io.github.posixsend.Evil.make();
                            case "backend" -> io.github.posixsend.internal.Backends.current();
                            case "jni" -> io.github.posixsend.internal.jni.JniBackend.load();
                            case "ffm" -> io.github.posixsend.internal.ffm.FfmBackends.load();
                            case "method-reference" -> new io.github.posixsend.internal.PerThread<Object>(
                                    io.github.posixsend.internal.Backends::current).get();
                            case "free" -> io.github.posixsend.internal.DirectMemory.allocate(1 << 20).free();
                            case "in-place" -> io.github.posixsend.internal.InPlaceSockets.owner().handedOut(0);
                            case "new-package" -> {
                                io.github.posixsend.Posix.backendName();
                                io.github.posixsend.internal.evil.Evil.backend();
                            }
                            default -> throw new IllegalArgumentException(args[0]);
                        }
                        System.out.println("REACHED: the attacker holds a message plan, a backend,"
                                + " memory it can free or the record of posix-send's descriptors");
                    } catch (Throwable t) {
                        Throwable root = t;
                        while (root.getCause() != null) {
                            root = root.getCause();
                        }
                        System.out.println("refused: " + root.getClass().getName() + ": " + root.getMessage());
                    }
                }
            }
            """;

    private static final String EVIL = """
            package io.github.posixsend;

            public class Evil {
                public static Object make() {
                    return new io.github.posixsend.internal.MessagePlan("stolen");
                }
            }
            """;

    /** A class in a package of the library's name that the jar does not have, so sealing does not cover it. */
    private static final String EVIL_NEW_PACKAGE = """
            package io.github.posixsend.internal.evil;

            public class Evil {
                public static Object backend() {
                    return io.github.posixsend.internal.Backends.current();
                }
            }
            """;

    @Test
    void onTheClassPathNoPlanOrBackendCanBeHadOutsideTheLibrary() throws Exception {
        Path src = sources("attack", Map.of("a/Attack.java", ATTACKS, "io/github/posixsend/Evil.java", EVIL,
                "io/github/posixsend/internal/evil/Evil.java", EVIL_NEW_PACKAGE));
        Path out = tmp.resolve("attack-classes");
        UserCode.Compiled c = UserCode.compile(src, out, "--release", "17", "-cp", jar.toString());
        assertEquals(0, c.status(), "the attacker compiles against the jar on the class path: " + c.output());
        String cp = ChildJvm.path(jar.toString(), out.toString());
        for (String attack : new String[] {"plan", "split-after", "split-first", "backend", "jni", "ffm",
            "method-reference", "new-package", "free", "in-place"}) {
            ChildJvm.Result r = ChildJvm.command()
                    .jvm(UserCode.nativeAccess("ALL-UNNAMED")).jvm("-cp", cp).mainClass("a.Attack", attack).run();
            assertTrue(r.endedNormally(), attack + ": " + r);
            assertTrue(r.output().contains("refused: "), attack + ": " + r);
            assertFalse(r.output().contains("REACHED"), attack + ": " + r);
            if (!attack.startsWith("split")) { // a split package fails on sealing, the others on the caller check
                assertTrue(r.output().contains("java.lang.IllegalCallerException"), attack + ": " + r);
            }
        }
    }

    @Test
    void onTheModulePathTheInternalPackagesAreNotVisible() throws Exception {
        Path src = sources("attack-module", Map.of(
                "module-info.java", "module attacker { requires io.github.posixsend; }",
                "a/Attack.java", ATTACKS.replace("case \"split-first\" -> io.github.posixsend.Evil.make();", "")));
        Path out = tmp.resolve("attack-module-classes");
        // javac's raw diagnostics: its message keys, where its text follows the default locale
        UserCode.Compiled c = UserCode.compile(src, out, "-XDrawDiagnostics", "--release", "17", "--module-path",
                jar.toString());
        assertTrue(c.status() != 0, "the attacker module must not compile: " + c.output());
        assertTrue(c.output().contains("compiler.err.package.not.visible"), "javac says the package is not visible: "
                + c.output());
    }

    private static final String CONSUMER = """
            package c;

            import io.github.posixsend.Message;
            import io.github.posixsend.Posix;
            import java.nio.ByteBuffer;

            public class Consumer {
                public static void main(String[] args) throws Exception {
                    int[] fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
                    try (Message m = Message.of(
                            ByteBuffer.allocateDirect(5).put(new byte[] {'h', 'e', 'l', 'l', 'o'}).flip())) {
                        Posix.sendmsg(fds[0], m, 0);
                    }
                    byte[] in = new byte[16];
                    int n = Posix.recv(fds[1], in, 0, in.length, 0);
                    System.out.println("received " + new String(in, 0, n, java.nio.charset.StandardCharsets.US_ASCII)
                            + " through " + Posix.backendName() + " in module " + Posix.class.getModule().getName());
                    Posix.close(fds[0]);
                    Posix.close(fds[1]);
                }
            }
            """;

    /** Compiles the consumer module against the jar into a fresh folder named after {@code name}; returns it. */
    private static Path consumer(String name) throws Exception {
        Path src = sources(name, Map.of(
                "module-info.java", "module consumer { requires io.github.posixsend; }",
                "c/Consumer.java", CONSUMER));
        Path out = tmp.resolve(name + "-classes");
        UserCode.Compiled c = UserCode.compile(src, out, "--release", "17", "--module-path", jar.toString());
        assertEquals(0, c.status(), "the consumer compiles: " + c.output());
        return out;
    }

    @Test
    void aConsumerModuleWorksOnTheModulePath() throws Exception {
        Path out = consumer("consumer");
        ChildJvm.Result r = ChildJvm.command()
                .jvm(UserCode.nativeAccess("io.github.posixsend"))
                .jvm("-Dposixsend.backend=jni", "--module-path", ChildJvm.path(jar.toString(), out.toString()))
                .mainClass("-m", "consumer/c.Consumer").run();
        assertTrue(r.endedNormally(), r.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().contains("received hello through jni in module io.github.posixsend"), r.toString());
        assertFalse(r.output().contains("WARNING"), "no warning with the native-access flag: " + r);
    }

    /**
     * The FFM backend from the multi-release jar as users get it (JDK 22+): on the module path and on the class
     * path, with the native-access flag for each, it is chosen, works, and nothing is printed; without the flag the
     * JDK warns about the restricted methods it calls.
     */
    @Test
    void theFfmBackendWorksFromTheJarOnBothPathsWithoutWarnings() throws Exception {
        assumeTrue(Runtime.version().feature() >= 22, "java.lang.foreign is final from JDK 22; this is "
                + Runtime.version());
        Path out = consumer("ffm-consumer");

        ChildJvm.Result module = ChildJvm.command()
                .jvm("--enable-native-access=io.github.posixsend")
                .jvm("-Dposixsend.backend=ffm", "--module-path", ChildJvm.path(jar.toString(), out.toString()))
                .mainClass("-m", "consumer/c.Consumer").run();
        assertEquals(0, module.exitCode(), module.toString());
        assertTrue(module.output().contains("received hello through ffm in module io.github.posixsend"),
                module.toString());
        assertFalse(module.output().contains("WARNING"), "no warning with the native-access flag: " + module);

        String cp = ChildJvm.path(jar.toString(), out.toString());
        ChildJvm.Result classPath = ChildJvm.command().jvm("--enable-native-access=ALL-UNNAMED")
                .jvm("-Dposixsend.backend=ffm", "-cp", cp).mainClass("c.Consumer").run();
        assertEquals(0, classPath.exitCode(), classPath.toString());
        assertTrue(classPath.output().contains("received hello through ffm in module null"), classPath.toString());
        assertFalse(classPath.output().contains("WARNING"), "no warning with the native-access flag: " + classPath);

        ChildJvm.Result unflagged = ChildJvm.command()
                .jvm("-Dposixsend.backend=ffm", "-cp", cp).mainClass("c.Consumer").run();
        assertEquals(0, unflagged.exitCode(), unflagged.toString());
        assertTrue(unflagged.output().contains("WARNING: A restricted method"), "the JDK's warning without the"
                + " flag (this test would otherwise prove nothing): " + unflagged);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers

package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.UserCode;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published artifacts as a user gets them, each with only what Maven gives it: the core jar needs nothing
 * else, the JNR backend is found when its artifact is added (on the class path and on the module path, with no
 * flag), and the probe runs with {@code java -jar} and on the module path. The jars come from
 * {@code target/conformance/lib}, where the build copies every published jar and its dependencies, and the JNR
 * backend's dependencies alone from {@code target/conformance/lib-jnr}.
 */
class PublishedArtifactsIT {
    @TempDir
    static Path tmp;

    private static Path lib;
    private static Path jnrLib;
    private static Path core;
    private static Path jnr;
    private static Path probe;
    private static Path consumer;

    @BeforeAll
    static void findJars() throws Exception {
        lib = Path.of(System.getProperty("posixsend.lib", "target/conformance/lib")).toAbsolutePath();
        jnrLib = Path.of(System.getProperty("posixsend.jnr.lib", "target/conformance/lib-jnr")).toAbsolutePath();
        core = Path.of(System.getProperty("posixsend.jar")).toAbsolutePath();
        jnr = Path.of(System.getProperty("posixsend.jnr.jar")).toAbsolutePath();
        probe = Path.of(System.getProperty("posixsend.probe.jar")).toAbsolutePath();
        for (Path p : List.of(core, jnr, probe)) {
            assertTrue(Files.isRegularFile(p), "the built jar " + p);
        }
        consumer = compileConsumer();
    }

    /** Every jar of the JNR backend's dependencies (jnr-ffi, jffi, ASM, ...), which the build copies on their own. */
    private static List<String> jnrDependencies() throws IOException {
        try (Stream<Path> s = Files.list(jnrLib)) {
            return s.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted().collect(Collectors.toList());
        }
    }

    private static final String CONSUMER = """
            package c;

            import io.github.posixsend.Posix;

            public class Consumer {
                public static void main(String[] args) throws Exception {
                    if (!Posix.isAvailable()) {
                        System.out.println("unavailable: " + Posix.unavailabilityCause());
                        return;
                    }
                    int[] fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
                    Posix.send(fds[0], new byte[] {'h', 'i'}, 0, 2, 0);
                    byte[] in = new byte[8];
                    int n = Posix.recv(fds[1], in, 0, in.length, 0);
                    System.out.println("received " + new String(in, 0, n, java.nio.charset.StandardCharsets.US_ASCII)
                            + " through " + Posix.backendName());
                    Posix.close(fds[0]);
                    Posix.close(fds[1]);
                }
            }
            """;

    /** A consumer module compiled against the core jar alone, as a user's code would be. */
    private static Path compileConsumer() throws Exception {
        Path src = UserCode.write(tmp.resolve("consumer-src"), Map.of(
                "module-info.java", "module consumer { requires io.github.posixsend; }",
                "c/Consumer.java", CONSUMER));
        Path out = tmp.resolve("consumer-classes");
        UserCode.Compiled c = UserCode.compile(src, out, "--release", "17", "--module-path", core.toString());
        assertEquals(0, c.status(), "the consumer compiles against the core jar: " + c.output());
        return out;
    }

    @Test
    void theCoreModuleRequiresOnlyTheJdkAndExportsOnlyTheApi() throws Exception {
        ModuleDescriptor d = ModuleFinder.of(core).findAll().stream().map(ModuleReference::descriptor)
                .findFirst().orElseThrow();
        assertEquals("io.github.posixsend", d.name());
        Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("java.base", "jdk.unsupported"), requires, "the core needs nothing beyond the JDK");
        Set<String> unqualified = d.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("io.github.posixsend"), unqualified);
        for (ModuleDescriptor.Exports e : d.exports()) {
            if (e.isQualified()) {
                assertEquals(Set.of("io.github.posixsend.jnr"), e.targets(), e.toString());
            }
        }
        try (JarFile jar = new JarFile(core.toFile())) {
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("io/github/posixsend/tools/")
                    || e.getName().startsWith("io/github/posixsend/internal/jnr/")), "no probe or JNR classes");
            assertTrue(jar.getEntry("META-INF/native/linux-x86_64/libposixsend.so") != null, "the x86_64 shim");
        }
    }

    @Test
    void theCoreAloneWorksOnBothPathsAndSaysWhereTheJnrBackendIs() throws Exception {
        ChildJvm.Result modulePath = ChildJvm.command().jvm(UserCode.nativeAccess("io.github.posixsend"))
                .jvm("-Dposixsend.backend=auto", "--module-path", ChildJvm.path(core.toString(), consumer.toString()))
                .mainClass("-m", "consumer/c.Consumer").run();
        assertEquals(0, modulePath.exitCode(), modulePath.toString());
        assertTrue(modulePath.output().contains("received hi through jni"), modulePath.toString());
        assertFalse(modulePath.output().contains("WARNING"), modulePath.toString());

        ChildJvm.Result missing = ChildJvm.command().jvm(UserCode.nativeAccess("ALL-UNNAMED"))
                .jvm("-Dposixsend.backend=jnr", "-cp", ChildJvm.path(core.toString(), consumer.toString()))
                .mainClass("c.Consumer").run();
        assertEquals(0, missing.exitCode(), missing.toString());
        assertTrue(missing.output().contains("unavailable: ")
                && missing.output().contains("io.github.posixsend:posix-send-jnr"), missing.toString());
    }

    @Test
    void aBrokenBackendProviderMakesPosixUnavailableNotUnloadable() throws Exception {
        // a services file naming a class that is not there: ServiceLoader throws ServiceConfigurationError
        Path services = Files.createDirectories(tmp.resolve("broken-provider/META-INF/services"));
        Files.writeString(services.resolve("io.github.posixsend.internal.BackendProvider"), "no.such.Provider\n");
        String cp = ChildJvm.path(core.toString(), consumer.toString(), tmp.resolve("broken-provider").toString());
        ChildJvm.Result r = ChildJvm.command().jvm(UserCode.nativeAccess("ALL-UNNAMED"))
                .jvm("-Dposixsend.backend=jnr", "-cp", cp).mainClass("c.Consumer").run();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().contains("unavailable: ") && r.output().contains("cannot be loaded")
                && r.output().contains("no.such.Provider"), r.toString());
        assertFalse(r.output().contains("ExceptionInInitializerError"), r.toString());
    }

    @Test
    void theJnrBackendIsFoundOnTheModulePathWithoutFlags() throws Exception {
        List<String> path = new ArrayList<>(List.of(core.toString(), jnr.toString(), consumer.toString()));
        path.addAll(jnrDependencies());
        // jffi loads its stub from an automatic module: on JDK 22+ that module is named in the flag too
        ChildJvm.Result r = ChildJvm.command()
                .jvm(UserCode.nativeAccess("io.github.posixsend,io.github.posixsend.jnr,org.jnrproject.jffi"))
                .jvm("-Dposixsend.backend=jnr", "--module-path", ChildJvm.path(path.toArray(new String[0])))
                .mainClass("-m", "consumer/c.Consumer").run();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().contains("received hi through jnr"), r.toString());
        assertFalse(r.output().contains("WARNING"), r.toString());
    }

    @Test
    void theJnrBackendIsFoundOnTheClassPath() throws Exception {
        List<String> path = new ArrayList<>(List.of(core.toString(), jnr.toString(), consumer.toString()));
        path.addAll(jnrDependencies());
        ChildJvm.Result r = ChildJvm.command().jvm(UserCode.nativeAccess("ALL-UNNAMED"))
                .jvm("-Dposixsend.backend=jnr", "-cp", ChildJvm.path(path.toArray(new String[0])))
                .mainClass("c.Consumer").run();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().contains("received hi through jnr"), r.toString());
        assertFalse(r.output().contains("WARNING"), r.toString());
    }

    /** Code of the JNR backend's package from outside its jar: it would reach the package-private libc binding. */
    private static final String SPLIT_JNR = """
            package io.github.posixsend.internal.jnr;

            public class Split {
                public static void main(String[] args) {
                    try {
                        Object libc = JnrLibrary.load(io.github.posixsend.Os.current());
                        System.out.println("REACHED: " + libc);
                    } catch (Throwable t) {
                        System.out.println("refused: " + t);
                    }
                }
            }
            """;

    /**
     * The JNR jar is sealed as the core's is: a class of the user's own in its package, compiled against the jar,
     * cannot join that package at run time, where it would reach the package-private libc binding (raw memory
     * copies) without reflection.
     */
    @Test
    void theJnrBackendsPackageCannotBeJoinedFromTheClassPath() throws Exception {
        try (JarFile j = new JarFile(jnr.toFile())) {
            assertEquals("true", j.getManifest().getMainAttributes().getValue("Sealed"), "the JNR jar's manifest");
        }
        List<String> path = new ArrayList<>(List.of(core.toString(), jnr.toString()));
        path.addAll(jnrDependencies());
        Path src = UserCode.write(tmp.resolve("split-jnr-src"),
                Map.of("io/github/posixsend/internal/jnr/Split.java", SPLIT_JNR));
        Path out = tmp.resolve("split-jnr-classes");
        UserCode.Compiled c = UserCode.compile(src, out, "--release", "17", "-cp",
                ChildJvm.path(path.toArray(new String[0])));
        assertEquals(0, c.status(), "the class compiles against the jar: " + c.output());
        for (boolean jarFirst : new boolean[] {true, false}) {
            List<String> cp = new ArrayList<>(path);
            cp.add(jarFirst ? cp.size() : 0, out.toString());
            ChildJvm.Result r = ChildJvm.command().jvm(UserCode.nativeAccess("ALL-UNNAMED"))
                    .jvm("-cp", ChildJvm.path(cp.toArray(new String[0])))
                    .mainClass("io.github.posixsend.internal.jnr.Split").run();
            assertFalse(r.output().contains("REACHED"), r.toString());
            assertTrue(r.output().contains("sealing violation") || r.errors().contains("sealing violation"),
                    r.toString());
        }
    }

    private static final String INTERRUPTED = """
            package i;

            import io.github.posixsend.Posix;

            public class FirstUse {
                public static void main(String[] args) throws Exception {
                    Thread.currentThread().interrupt(); // as a task cancelled with Future.cancel(true) would be
                    System.out.println("available " + Posix.isAvailable() + ", interrupted still "
                            + Thread.interrupted());
                    Thread other = new Thread(() -> {
                        try {
                            int fd = Posix.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
                            Posix.close(fd);
                            System.out.println("another thread's call worked through " + Posix.backendName());
                        } catch (Throwable t) {
                            System.out.println("another thread's call failed: " + t);
                        }
                    });
                    other.start();
                    other.join();
                }
            }
            """;

    private static final String STORM = """
            package i;

            import io.github.posixsend.Posix;

            public class Storm {
                public static void main(String[] args) throws Exception {
                    String[] outcome = new String[1];
                    Thread first = new Thread(() -> {
                        try {
                            int fd = Posix.socket(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
                            Posix.close(fd);
                            outcome[0] = "worked through " + Posix.backendName() + ", interrupted still "
                                    + Thread.interrupted();
                        } catch (Throwable t) {
                            outcome[0] = "failed: " + t;
                        }
                    });
                    first.start();
                    int sent = 0;
                    long end = System.nanoTime() + 30_000_000_000L;
                    while (first.isAlive() && sent < 200_000 && System.nanoTime() < end) {
                        first.interrupt(); // a task cancelled again and again while it makes the JVM's first call
                        sent++;
                        Thread.sleep(0, 100_000);
                    }
                    first.join();
                    System.out.println("first call " + outcome[0] + "; interrupts sent while it ran: " + sent);
                }
            }
            """;

    /**
     * Compiles {@code source} (class {@code i.<name>}) against the core jar and runs it once per backend choice
     * given from the built jars, checking each exited normally; the outputs by backend.
     */
    private Map<String, String> runFirstUse(String name, String source, String... backends) throws Exception {
        return runFirstUse(name, Map.of("i/" + name + ".java", source), List.of(), backends);
    }

    /** As {@link #runFirstUse(String, String, String...)} with several sources and more JVM options. */
    private Map<String, String> runFirstUse(String name, Map<String, String> sources, List<String> options,
            String... backends) throws Exception {
        Path src = UserCode.write(tmp.resolve(name + "-src"), sources);
        Path out = tmp.resolve(name + "-classes");
        UserCode.Compiled c = UserCode.compile(src, out, "--release", "17", "-cp", core.toString());
        assertEquals(0, c.status(), c.output());
        List<String> path = new ArrayList<>(List.of(core.toString(), jnr.toString(), out.toString()));
        path.addAll(jnrDependencies());
        Map<String, String> outputs = new LinkedHashMap<>();
        for (String backend : backends) {
            ChildJvm.Result r = ChildJvm.command().jvm(UserCode.nativeAccess("ALL-UNNAMED"))
                    .jvm("-Dposixsend.backend=" + backend, "-cp", ChildJvm.path(path.toArray(new String[0])))
                    .jvm(options.toArray(new String[0])).mainClass("i." + name).timeoutSeconds(60).run();
            assertEquals(0, r.exitCode(), backend + ": " + r);
            outputs.put(backend, r.output());
        }
        return outputs;
    }

    /** The backend auto picks where the bundled shim loads. */
    private static String chosen(String backend) {
        return backend.equals("auto") ? "jni" : backend;
    }

    /**
     * The backend is chosen on whichever thread first needs it; an interrupt pending there (a cancelled task's)
     * neither makes the libraries fail to extract (jffi's channel would be closed), which would leave the JVM without
     * them for good, nor is lost: the thread keeps it.
     */
    @Test
    void aFirstUseOnAnInterruptedThreadLoadsTheLibraryAndKeepsTheInterrupt() throws Exception {
        for (Map.Entry<String, String> e : runFirstUse("FirstUse", INTERRUPTED, "jni", "jnr", "auto").entrySet()) {
            assertTrue(e.getValue().contains("available true, interrupted still true"), e.getKey() + ": " + e);
            assertTrue(e.getValue().contains("another thread's call worked through " + chosen(e.getKey())),
                    e.getKey() + ": " + e);
        }
    }

    /**
     * Interrupts sent again and again while a thread makes the JVM's first call (the shim's extraction included)
     * still leave the library loaded: the copy is written through a stream, which no interrupt closes, and the thread
     * keeps the interrupts. Not the JNR backend: jffi extracts its stub through a channel, and keeps the failure.
     */
    @Test
    void aFirstUseUnderAStormOfInterruptsLoadsTheLibrary() throws Exception {
        for (Map.Entry<String, String> e : runFirstUse("Storm", STORM, "jni", "auto").entrySet()) {
            assertTrue(e.getValue().contains("first call worked through " + chosen(e.getKey())
                    + ", interrupted still true"), e.getKey() + ": " + e);
            Matcher sent = Pattern.compile("interrupts sent while it ran: (\\d+)").matcher(e.getValue());
            assertTrue(sent.find(), e.getKey() + ": " + e);
            // interrupts go all the while the load runs; how many depends on how long it takes: more than one
            assertTrue(Integer.parseInt(sent.group(1)) >= 2, e.getKey() + ": " + e);
        }
    }

    private static final String LOGGING_CONFIG = """
            package i;

            import io.github.posixsend.Posix;

            /** Made by java.util.logging while it reads its configuration, holding its lock. */
            public class LoggingConfig {
                public LoggingConfig() throws Exception {
                    int[] pair = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
                    Posix.close(pair[0]);
                    Posix.close(pair[1]);
                    System.out.println("the configuration's call worked through " + Posix.backendName());
                }
            }
            """;

    private static final String LOGGING_MAIN = """
            package i;

            public class Logging {
                public static void main(String[] args) {
                    java.util.logging.Logger.getLogger("app").fine("configured");
                    System.out.println("done");
                }
            }
            """;

    /**
     * The JVM's first call made by a class java.util.logging makes from its configuration, under its lock, while
     * the libraries load, jffi's logging included: no thread of the load may need that lock (one did, and hung).
     */
    @Test
    void aFirstUseFromTheLoggingConfigurationLoadsTheLibrary() throws Exception {
        Path config = Files.writeString(tmp.resolve("logging.properties"), "config=i.LoggingConfig\n.level=ALL\n");
        Map<String, String> out = runFirstUse("Logging", Map.of("i/Logging.java", LOGGING_MAIN,
                "i/LoggingConfig.java", LOGGING_CONFIG), List.of("-Djava.util.logging.config.file=" + config),
                "jni", "jnr", "auto");
        for (Map.Entry<String, String> e : out.entrySet()) {
            assertTrue(e.getValue().contains("the configuration's call worked through " + chosen(e.getKey())),
                    e.getKey() + ": " + e);
            assertTrue(e.getValue().contains("done"), e.getKey() + ": " + e);
        }
    }

    @Test
    void theProbeRunsWithJavaJarAndPrintsNoWarning() throws Exception {
        // no flag: the probe's manifest grants native access to the class path (JDK 22+)
        ChildJvm.Result list = ChildJvm.command().mainClass("-jar", probe.toString(), "--list").run();
        assertEquals(0, list.exitCode(), list.toString());
        assertTrue(list.output().contains("nagle"), list.toString());
        assertFalse(list.output().contains("WARNING"), list.toString());

        // a deadline far past the quick rounds': a stalled machine must not turn the verdict into an ERROR
        ChildJvm.Result one = ChildJvm.command().mainClass("-jar", probe.toString(), "--quick", "--only", "1",
                "--deadline", "20000").run();
        assertEquals(0, one.exitCode(), one.toString());
        assertTrue(one.output().matches("(?s).*\\b(HOLDS|DIFFERS|INCONCLUSIVE)\\b.*"), one.toString());
    }

    @Test
    void theProbeRunsOnTheModulePath() throws Exception {
        ChildJvm.Result r = ChildJvm.command().jvm(UserCode.nativeAccess("io.github.posixsend"))
                .jvm("--module-path", ChildJvm.path(probe.toString(), lib.toString()))
                .mainClass("-m", "io.github.posixsend.probe/io.github.posixsend.tools.probe.ProbeMain", "--list")
                .run();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().contains("nagle"), r.toString());
        assertFalse(r.output().contains("WARNING"), r.toString());
    }
}

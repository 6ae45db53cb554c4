// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.testing.ChildJvm;
import io.github.posixsend.testing.UserCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects the library did not make, offered to it by code compiled against the built jar as a user's would be: a
 * backend provider of the public provider interface listed by another jar is never made, let alone handed the
 * library's memory; and a {@link SockAddr} that a forged stream left unfilled is refused as an argument with
 * {@link IllegalArgumentException}, before anything reaches the kernel.
 */
class ForgedObjectsIT {
    @TempDir
    static Path tmp;

    private static Path jar;

    @BeforeAll
    static void findJar() {
        jar = UserCode.coreJar();
    }

    private static final String PROVIDER = """
            package a;

            public class Impostor implements io.github.posixsend.internal.BackendProvider {
                static {
                    System.out.println("REACHED: the impostor's class was initialized");
                }

                public Impostor() {
                    System.out.println("REACHED: the impostor was made");
                }

                public io.github.posixsend.internal.Backend load() {
                    System.out.println("REACHED: the impostor was asked for the backend");
                    return null;
                }
            }
            """;

    private static final String USE = """
            package a;

            public class Use {
                public static void main(String[] args) {
                    try {
                        System.out.println("backend " + io.github.posixsend.Posix.backendName());
                        io.github.posixsend.Posix.close(io.github.posixsend.Posix.socket(
                                io.github.posixsend.Posix.AF_UNIX, io.github.posixsend.Posix.SOCK_DGRAM, 0));
                        System.out.println("worked");
                    } catch (Throwable t) {
                        Throwable root = t;
                        while (root.getCause() != null) {
                            root = root.getCause();
                        }
                        System.out.println("refused: " + root);
                    }
                }
            }
            """;

    /**
     * With the JNR backend asked for and its artifact absent, another jar's provider of the provider interface is not
     * taken: the library says the artifact is missing, and the provider's class is not even initialized.
     */
    @Test
    void aProviderOfAnotherClassIsNeverMade() throws Exception {
        Path src = UserCode.write(tmp.resolve("impostor-src"), Map.of("a/Impostor.java", PROVIDER, "a/Use.java", USE));
        Path out = tmp.resolve("impostor-classes");
        UserCode.Compiled c = UserCode.compile(src, out, "--release", "17", "-cp", jar.toString());
        assertEquals(0, c.status(), "the provider compiles against the jar on the class path: " + c.output());
        Path services = out.resolve("META-INF/services/io.github.posixsend.internal.BackendProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, "a.Impostor\n");
        String cp = ChildJvm.path(jar.toString(), out.toString());
        for (String chosen : new String[] {"jnr", "auto"}) {
            ChildJvm.Result r = ChildJvm.command().jvm(UserCode.nativeAccess("ALL-UNNAMED"))
                    .jvm("-Dposixsend.backend=" + chosen, "-Dposixsend.library.path=" + tmp.resolve("no-such-library"),
                            "-cp", cp)
                    .mainClass("a.Use").run();
            assertTrue(r.endedNormally(), chosen + ": " + r);
            assertFalse(r.output().contains("REACHED"), chosen + ": " + r);
            if (chosen.equals("jnr")) {
                assertTrue(r.output().contains("refused: ") && r.output().contains("posix-send-jnr"),
                        "the JNR artifact is said to be missing: " + r);
            } else { // JNI cannot load from there: FFM on JDK 22 and later, else nothing
                assertTrue(r.output().contains(Runtime.version().feature() >= 22 ? "backend ffm" : "refused: "),
                        "auto: " + r);
            }
        }
    }

    /** A stand-in with the real class's name and serialVersionUID but no fields, used only to write the stream. */
    private static final String FAKE_SOCKADDR = """
            package io.github.posixsend;

            public final class SockAddr extends java.net.SocketAddress {
                private static final long serialVersionUID = 1L;
            }
            """;

    /** An application class that reads its list leniently, skipping the items that fail to read. */
    private static final String HOLDER = """
            package h;

            public class Holder implements java.io.Serializable {
                private static final long serialVersionUID = 1L;
                public transient java.util.List<Object> items = new java.util.ArrayList<>();
                public transient Object[] toWrite;

                private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
                    out.writeInt(toWrite.length);
                    for (Object o : toWrite) {
                        out.writeObject(o);
                    }
                }

                private void readObject(java.io.ObjectInputStream in)
                        throws java.io.IOException, ClassNotFoundException {
                    items = new java.util.ArrayList<>();
                    int n = in.readInt();
                    for (int i = 0; i < n; i++) {
                        try {
                            items.add(in.readObject());
                        } catch (java.io.InvalidObjectException e) {
                            System.out.println("skipped: " + e.getMessage());
                        }
                    }
                }
            }
            """;

    private static final String WRITE = """
            package h;

            public class Write {
                public static void main(String[] args) throws Exception {
                    Holder h = new Holder();
                    Object forged = new io.github.posixsend.SockAddr();
                    h.toWrite = new Object[] {forged, forged};
                    try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(
                            new java.io.FileOutputStream(args[0]))) {
                        o.writeObject(h);
                    }
                }
            }
            """;

    private static final String READ = """
            package h;

            import io.github.posixsend.Message;
            import io.github.posixsend.Posix;
            import io.github.posixsend.SockAddr;
            import io.github.posixsend.SockAddrBuffer;
            import java.nio.ByteBuffer;
            import java.util.concurrent.Callable;

            public class Read {
                static void attempt(String what, Callable<?> call) {
                    try {
                        System.out.println(what + ": returned " + call.call());
                    } catch (Throwable t) {
                        System.out.println(what + ": " + t.getClass().getName());
                    }
                }

                public static void main(String[] args) throws Exception {
                    Holder h;
                    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                            new java.io.FileInputStream(args[0]))) {
                        h = (Holder) in.readObject();
                    }
                    System.out.println("items " + h.items.size());
                    SockAddr sa = (SockAddr) h.items.get(0);
                    int fd = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
                    attempt("sendto direct", () -> Posix.trySendto(fd, ByteBuffer.allocateDirect(4), 0, sa));
                    attempt("sendto array", () -> Posix.trySendto(fd, new byte[4], 0, 4, 0, sa));
                    attempt("bind", () -> Posix.tryBind(fd, sa));
                    attempt("connect", () -> Posix.tryConnect(fd, sa));
                    attempt("destination", () -> {
                        try (Message m = Message.of(ByteBuffer.allocateDirect(4))) {
                            return m.destination(sa);
                        }
                    });
                    attempt("copyFrom", () -> new SockAddrBuffer().copyFrom(sa));
                    attempt("sameAddress", () -> new SockAddrBuffer().sameAddress(sa));
                    attempt("length", sa::length);
                    System.out.println("shown as " + sa + ", hash " + sa.hashCode());
                    Posix.close(fd);
                }
            }
            """;

    private static final String[] REFUSED = {"sendto direct", "sendto array", "bind", "connect", "destination",
        "copyFrom", "sameAddress", "length"};

    @Test
    void aSockAddrThatAForgedStreamLeftUnfilledIsRefused() throws Exception {
        Path fakeSrc = UserCode.write(tmp.resolve("forger-src"), Map.of(
                "io/github/posixsend/SockAddr.java", FAKE_SOCKADDR, "h/Holder.java", HOLDER, "h/Write.java", WRITE));
        Path fakeOut = tmp.resolve("forger-classes");
        UserCode.Compiled forger = UserCode.compile(fakeSrc, fakeOut, "--release", "17");
        assertEquals(0, forger.status(), forger.output());
        Path stream = tmp.resolve("forged.ser");
        ChildJvm.Result wrote = ChildJvm.command().jvm("-cp", fakeOut.toString())
                .mainClass("h.Write", stream.toString()).run();
        assertEquals(0, wrote.exitCode(), wrote.toString());

        Path readSrc = UserCode.write(tmp.resolve("reader-src"), Map.of("h/Holder.java", HOLDER, "h/Read.java", READ));
        Path readOut = tmp.resolve("reader-classes");
        UserCode.Compiled reader = UserCode.compile(readSrc, readOut, "--release", "17", "-cp", jar.toString());
        assertEquals(0, reader.status(), reader.output());
        ChildJvm.Result r = ChildJvm.command().jvm(UserCode.nativeAccess("ALL-UNNAMED"))
                .jvm("-cp", ChildJvm.path(jar.toString(), readOut.toString()))
                .mainClass("h.Read", stream.toString()).run();
        assertTrue(r.endedNormally(), r.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().contains("items 1"), "the stream hands the unfilled object on (else this test proves"
                + " nothing): " + r);
        for (String call : REFUSED) {
            assertTrue(r.output().contains(call + ": java.lang.IllegalArgumentException"), call + ": " + r);
        }
        assertTrue(r.output().contains("shown as sockaddr(unfilled), hash 0"), r.toString());
        assertFalse(r.output().contains("NullPointerException"), r.toString());
    }
}

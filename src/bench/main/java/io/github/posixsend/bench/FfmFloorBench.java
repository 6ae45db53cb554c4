// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A diagnostic, not a peer: the least a binding through the JDK's foreign function API (JDK 22+) can cost. libc's
 * {@code send} as one downcall handle in a static final field, its arguments primitives, errno captured into one
 * segment made at class load and read back on failure, nothing checked: what the FFM backend's rows cost beyond it
 * is posix-send's own work, and what it costs beyond {@link JniFloorBench}'s rows is the foreign function API's.
 *
 * <p>The bench module compiles for Java 17, where {@code java.lang.foreign} is not there to compile against, so the
 * handles are made reflectively once; each ends as a plain {@code (int, long, long, int)long} or {@code ()int}
 * handle, which the JIT inlines as it does any constant handle. On JDK 21 and older the rows are not run
 * ({@link Catalogue} lists them as unavailable) and this class makes no handle.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FfmFloorBench {
    /** libc send(fd, address, len, flags), errno captured into {@link #ERRNO}'s segment. */
    private static final MethodHandle SEND_CAPTURING;
    /** libc send(fd, address, len, flags) without errno: what capturing it adds. */
    private static final MethodHandle SEND_PLAIN;
    /** The captured errno, read from its segment: {@code ()int}. */
    private static final MethodHandle ERRNO;

    static {
        MethodHandle[] h = Catalogue.FOREIGN_API ? handles() : new MethodHandle[3];
        SEND_CAPTURING = h[0];
        SEND_PLAIN = h[1];
        ERRNO = h[2];
    }

    private int receiver = -1;
    private int connected = -1;
    private ByteBuffer direct;
    private long address;

    /** The two send handles and the errno reader, through java.lang.foreign's public API. */
    private static MethodHandle[] handles() {
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayoutType = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> pathType = Class.forName("java.lang.foreign.MemoryLayout$PathElement");
            Class<?> arenaType = Class.forName("java.lang.foreign.Arena");

            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
            Optional<?> found = (Optional<?>) Class.forName("java.lang.foreign.SymbolLookup")
                    .getMethod("find", String.class).invoke(lookup, "send");
            Object send = found.orElseThrow(() -> new IllegalStateException("libc has no send"));
            Object jint = valueLayoutType.getField("JAVA_INT").get(null);
            Object jlong = valueLayoutType.getField("JAVA_LONG").get(null);
            Object args = java.lang.reflect.Array.newInstance(layoutType, 4);
            java.lang.reflect.Array.set(args, 0, jint);
            java.lang.reflect.Array.set(args, 1, jlong);
            java.lang.reflect.Array.set(args, 2, jlong);
            java.lang.reflect.Array.set(args, 3, jint);
            Object descriptor = descriptorType.getMethod("of", layoutType, args.getClass()).invoke(null, jlong, args);

            Object options = java.lang.reflect.Array.newInstance(optionType, 1);
            java.lang.reflect.Array.set(options, 0, optionType.getMethod("captureCallState", String[].class)
                    .invoke(null, (Object) new String[] {"errno"}));
            java.lang.reflect.Method downcall = linkerType.getMethod("downcallHandle", segmentType, descriptorType,
                    options.getClass());
            MethodHandle capturing = (MethodHandle) downcall.invoke(linker, send, descriptor, options);
            MethodHandle plain = (MethodHandle) downcall.invoke(linker, send, descriptor,
                    java.lang.reflect.Array.newInstance(optionType, 0));

            Object stateLayout = optionType.getMethod("captureStateLayout").invoke(null);
            Object arena = arenaType.getMethod("global").invoke(null);
            Object state = arenaType.getMethod("allocate", layoutType).invoke(arena, stateLayout);
            Object path = java.lang.reflect.Array.newInstance(pathType, 1);
            java.lang.reflect.Array.set(path, 0,
                    pathType.getMethod("groupElement", String.class).invoke(null, "errno"));
            long errnoOffset = (long) layoutType.getMethod("byteOffset", path.getClass()).invoke(stateLayout, path);
            Class<?> ofInt = Class.forName("java.lang.foreign.ValueLayout$OfInt");
            MethodHandle get = l.findVirtual(segmentType, "get", MethodType.methodType(int.class, ofInt, long.class));

            return new MethodHandle[] {
                MethodHandles.insertArguments(capturing, 0, state)
                        .asType(MethodType.methodType(long.class, int.class, long.class, long.class, int.class)),
                plain.asType(MethodType.methodType(long.class, int.class, long.class, long.class, int.class)),
                MethodHandles.insertArguments(get, 0, state, jint, errnoOffset).asType(MethodType.methodType(int.class))
            };
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the foreign function API's downcall for send could not be made", e);
        }
    }

    /** The address of a direct buffer, as the FFM backend takes it ({@code MemorySegment.ofBuffer(b).address()}). */
    private static long addressOf(ByteBuffer b) throws ReflectiveOperationException {
        Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
        Object segment = segmentType.getMethod("ofBuffer", java.nio.Buffer.class).invoke(null, b);
        return (long) segmentType.getMethod("address").invoke(segment);
    }

    @Setup(Level.Trial)
    public void open() throws Exception {
        if (SEND_CAPTURING == null) {
            throw new IllegalStateException("the foreign function API's rows need JDK 22 or later");
        }
        receiver = Loopback.receiver();
        connected = Loopback.sender(Loopback.addressOf(receiver));
        direct = Loopback.direct(Loopback.PAYLOAD);
        address = addressOf(direct);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        Loopback.close(connected, receiver);
        connected = receiver = -1;
    }

    /** send(2) of 64 bytes on a connected UDP socket through one downcall, errno captured; -errno on failure. */
    @Benchmark
    public long send() throws Throwable {
        long r = (long) SEND_CAPTURING.invokeExact(connected, address, (long) Loopback.PAYLOAD, 0);
        return r >= 0 ? r : -(int) ERRNO.invokeExact();
    }

    /** send(2) on descriptor -1 (EBADF) through one downcall, errno captured and read back: -errno. */
    @Benchmark
    public long badDescriptor() throws Throwable {
        long r = (long) SEND_CAPTURING.invokeExact(-1, address, (long) Loopback.PAYLOAD, 0);
        return r >= 0 ? r : -(int) ERRNO.invokeExact();
    }

    /** The same failing call without capturing errno (the -1 alone): what the capture costs. */
    @Benchmark
    public long badDescriptorUncaptured() throws Throwable {
        return (long) SEND_PLAIN.invokeExact(-1, address, (long) Loopback.PAYLOAD, 0);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * Which direct buffers lie in memory that another thread can free while a call uses it: those over a
 * {@code java.lang.foreign} segment of a shared arena, which {@code Arena.close()} frees at once, from any thread.
 * The kernel must never be handed such memory by address (a receive could write into the freed chunk and corrupt
 * the C heap), so these buffers go through native memory of posix-send's own, as heap data does, and the copy into
 * or out of them is a memory access the JDK checks against the arena's state. A plain
 * {@code ByteBuffer.allocateDirect} buffer is freed only once unreachable (the call keeps it reachable), and a
 * confined arena's only by its owner thread, which is the one making the call.
 *
 * <p>The public foreign API does not say whether a scope can be closed; the check ({@code SharedArenaScopes},
 * compiled for JDK 22 into the multi-release jar) names the JDK's kinds that cannot, and treats any other as one that
 * can. Before JDK 22 the API is an incubator or preview one, which posix-send does not see: there every direct
 * buffer is passed by address.
 */
public final class ArenaBuffers {
    /** The JDK 22 check, or null where the foreign API is not final (the JIT then folds the test away). */
    private static final Check CHECK = load();

    /** The check itself, compiled for JDK 22. */
    public interface Check {
        /**
         * Whether another thread may free {@code direct}'s memory during a call.
         *
         * @param direct a direct buffer
         * @return true for a buffer over a segment of a shared arena (or a scope not known to stay)
         */
        boolean freeableElsewhere(ByteBuffer direct);
    }

    private ArenaBuffers() {
    }

    /**
     * Whether a direct buffer must be staged in posix-send's own memory for a call (see the class description).
     *
     * @param direct a direct buffer
     * @return true when another thread could free its memory while the kernel uses it
     */
    public static boolean freeableElsewhere(ByteBuffer direct) {
        return CHECK != null && CHECK.freeableElsewhere(direct);
    }

    private static Check load() {
        if (Runtime.version().feature() < 22) {
            return null;
        }
        try {
            Class<?> c = Class.forName("io.github.posixsend.internal.SharedArenaScopes");
            return (Check) MethodHandles.lookup().findConstructor(c, MethodType.methodType(void.class)).invoke();
        } catch (ClassNotFoundException classesOfJdk17Only) {
            // a jar that is not multi-release, or classes run from a folder: as before JDK 22
            return null;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("posix-send: the shared-arena check could not be made", t);
        }
    }
}

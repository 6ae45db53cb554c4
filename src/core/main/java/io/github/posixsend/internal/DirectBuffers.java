// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.nio.ByteBuffer;

/**
 * What posix-send must know of a direct buffer's memory before it hands the kernel its address: whether another
 * thread can free it during the call, and whether it can be gone already.
 *
 * <p>A buffer over a {@code java.lang.foreign} segment of a shared arena can be freed at once by
 * {@code Arena.close()} from any thread, also while the kernel holds its address (a receive would write into the
 * freed chunk and corrupt the C heap). Such a buffer goes through native memory of posix-send's own, as heap data
 * does, and the copy into or out of it is a memory access the JDK checks against the arena's state. A confined
 * arena's buffer can be closed only by its owner thread, which is the one making the call, but may be closed
 * already: reading one byte of it first makes the JDK refuse it. A plain {@code ByteBuffer.allocateDirect} buffer
 * (or a mapped one) is freed only once unreachable, and the call keeps it reachable; neither can an automatic or
 * the global arena's memory go away: those need no check at all.
 *
 * <p>The public foreign API does not say whether a scope can be closed; the check ({@link DirectBufferFacts},
 * which reaches the API through method handles, so that every build of the jar has it) names the JDK's kinds that
 * cannot, and treats any other as one that can. Before JDK 22 the API is there only when the program asks for it:
 * on JDK 17 the incubator module's resource scopes are told apart ({@link IncubatorBufferFacts}), and on JDK 21 the
 * preview API is asked as on 22, each where it answers for a plain buffer as it should. Where neither answers (JDK
 * 18 to 20, whose APIs differ, or a JDK without the module or the preview), every direct buffer
 * is passed by address after the one-byte check: a scope's buffer another thread closes during a call is then the
 * program's risk.
 */
public final class DirectBuffers {
    /**
     * Passed by address as it is: memory that stays while the buffer is reachable
     * (plain, mapped, automatic and global).
     */
    public static final int BY_ADDRESS = 0;
    /**
     * Passed by address after one byte of it is read, which makes the JDK throw if the memory is gone: a confined
     * arena's (only the thread making the call can close it, but it may be closed already), and, where the kinds
     * are not told apart, every direct buffer.
     */
    public static final int CHECKED = 1;
    /** Staged in posix-send's own memory: another thread may free it at any time (a shared arena's, or unknown). */
    public static final int STAGED = 2;

    /** The check, or null where the foreign API does not answer (the JIT then folds the tests away). */
    private static final Facts FACTS = load();
    /** Whether {@link #baseAddress} can be asked: JDK 22 and later. */
    private static final boolean REMEMBERS_ADDRESSES = FACTS != null && Runtime.version().feature() >= 22;

    /** The check itself. */
    public interface Facts {
        /**
         * How a direct buffer's memory is handed to the kernel.
         *
         * @param direct a direct buffer
         * @return {@link #BY_ADDRESS}, {@link #CHECKED} or {@link #STAGED}
         */
        int treatment(ByteBuffer direct);

        /**
         * The address of a direct buffer's index 0.
         *
         * @param direct a direct buffer
         * @return its address; it never changes
         */
        long baseAddress(ByteBuffer direct);
    }

    private DirectBuffers() {
    }

    /**
     * How a buffer's memory is handed to the kernel (see the class description); a heap buffer's is always staged.
     *
     * @param buf a buffer
     * @return {@link #BY_ADDRESS}, {@link #CHECKED} or {@link #STAGED}
     */
    public static int treatment(ByteBuffer buf) {
        if (!buf.isDirect()) {
            return STAGED;
        }
        return FACTS == null ? CHECKED : FACTS.treatment(buf);
    }

    /**
     * Checks a direct buffer just before the kernel is given its address, by the buffer's own treatment (a treatment
     * recorded beside it may have been changed by another thread): staged memory is refused, and an arena's has a
     * byte read ({@link #requireMemory}), which makes the JDK throw when the arena is closed or another thread's.
     *
     * @param direct a direct buffer about to be passed by address
     * @return its {@link #treatment}
     * @throws IllegalStateException when its memory may be freed during the call, or is gone
     */
    public static int requireByAddress(ByteBuffer direct) {
        int t = treatment(direct);
        if (t == STAGED) {
            throw new IllegalStateException("a buffer whose memory another thread may free is never handed to the"
                    + " kernel by address (was the message changed during the call?)");
        }
        requireWholeMemory(direct, t);
        return t;
    }

    /**
     * {@link #requireMemory} of a whole direct buffer, whatever its position and limit: the check of a buffer handed
     * to the kernel by address, whose ranges were taken before and may lie anywhere in it.
     *
     * @param direct a direct buffer
     * @param treatment its {@link #treatment}
     * @throws IllegalStateException when the buffer's memory is gone
     */
    public static void requireWholeMemory(ByteBuffer direct, int treatment) {
        if (treatment == BY_ADDRESS || direct.capacity() == 0) {
            return;
        }
        // an absolute get stops at the limit: a buffer with nothing before it is read through a view of all of it
        (direct.limit() > 0 ? direct : direct.duplicate().clear()).get(0);
    }

    /**
     * Whether memory of this treatment stays as long as its buffer is reachable, as {@code MSG_ZEROCOPY} needs (the
     * kernel reads it after the call returns): plain, mapped, automatic and global memory. Where the kinds are not
     * told apart (see the class description), every direct buffer.
     *
     * @param treatment a {@link #treatment}
     * @return false for staged memory, and for a confined arena's or scope's where the kinds are told apart
     */
    public static boolean lastsWhileReachable(int treatment) {
        return treatment == BY_ADDRESS || (treatment == CHECKED && FACTS == null);
    }

    /**
     * Refuses a direct buffer over a segment whose arena is closed before anything is sent or received: it keeps its
     * address but has no memory behind it, and reading one byte of it makes the JDK throw, as java.nio does. Only a
     * segment's buffer can be one, so one that goes {@link #BY_ADDRESS} is not read; a staged one is, so that a
     * receive does not take a datagram it cannot store.
     *
     * @param direct a direct buffer
     * @param treatment its {@link #treatment}
     * @param pos the first index the call uses
     * @param len the bytes the call uses
     * @throws IllegalStateException when the buffer's memory is gone
     */
    public static void requireMemory(ByteBuffer direct, int treatment, int pos, int len) {
        if (treatment != BY_ADDRESS && len > 0) {
            direct.get(pos);
        }
    }

    /**
     * Whether {@link #baseAddress} can be asked: on JDK 22 and later.
     *
     * @return true where buffers' addresses are found and remembered here
     */
    public static boolean remembersAddresses() {
        return REMEMBERS_ADDRESSES;
    }

    /**
     * The address of a direct buffer's index 0, remembered per buffer (JDK 22 and later: the FFM backend's, and
     * JNR's, which otherwise asks jffi by a native call each time).
     *
     * @param direct a direct buffer
     * @return its address
     * @throws UnsupportedOperationException before JDK 22
     */
    public static long baseAddress(ByteBuffer direct) {
        if (!REMEMBERS_ADDRESSES) {
            throw new UnsupportedOperationException("a direct buffer's address is read this way only on JDK 22+");
        }
        return FACTS.baseAddress(direct);
    }

    private static Facts load() {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            return early(feature);
        }
        try {
            return new DirectBufferFacts();
        } catch (LinkageError e) {
            // without the check a shared arena's buffer would go by address: refuse to work rather than risk that
            throw new IllegalStateException("posix-send: the direct-buffer check could not be made on Java "
                    + Runtime.version().feature(), e);
        }
    }

    /**
     * The check before JDK 22, where the program added the incubator module (JDK 17) or enabled the preview
     * (JDK 21), and the API calls a plain buffer's memory one that stays; else none.
     */
    private static Facts early(int feature) {
        try {
            Facts f = feature == 17 ? new IncubatorBufferFacts() : feature == 21 ? new DirectBufferFacts() : null;
            return f != null && f.treatment(ByteBuffer.allocateDirect(1)) == BY_ADDRESS ? f : null;
        } catch (LinkageError | RuntimeException e) {
            return null; // the API does not answer: buffers are passed as the class description says
        }
    }
}

package io.github.posixsend.testing;

import io.github.posixsend.Posix;

/**
 * What an allocation test may see per message call on the running backend. JNI and JNR: nothing. FFM: the JDK
 * makes one 40-byte segment per downcall that captures errno ({@code SharedUtils.checkCaptureSegment} slices the
 * capture segment) and leaves it to the JIT's escape analysis, which removes it only when C2 inlines the JDK's
 * downcall stub into the caller; on the deep message paths (plans, control data) some compilations do not, and
 * keep it until they are replaced. The budget lets exactly that through and nothing else.
 */
public final class AllocationBudget {
    /** Bytes of the capture segment slice the JDK makes for one FFM downcall. */
    public static final long CAPTURE_SLICE = 40;

    private AllocationBudget() {
    }

    /** The bytes {@code calls} message calls may allocate on the running backend. */
    public static long forMessageCalls(long calls) {
        return Posix.backendName().equals("ffm") ? calls * CAPTURE_SLICE : 0;
    }
}

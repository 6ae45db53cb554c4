// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import io.github.posixsend.Posix;

/**
 * What an allocation test may see per downcall on the running backend. JNI and JNR: nothing. FFM: the JDK makes one
 * 40-byte segment per downcall that captures errno ({@code SharedUtils.checkCaptureSegment} slices the capture
 * segment) and leaves it to C2's escape analysis, which removes it only when C2 has compiled the path and inlined
 * the JDK's whole downcall stub into it. Code C1 made keeps it until C2 replaces it; a C2 compilation that passes its
 * node-count cutoff before the downcall leaves the stub's {@code checkNative} a call and keeps it for good (seen for
 * {@code recvmsg} in the zero-copy benchmark's reap loop and for {@code tryRecvfrom} in this suite).
 *
 * <p>The budget lets exactly that through and nothing else: one slice per downcall the measured calls make. The
 * Java code around the downcall is the same for JNR and FFM ({@code internal.libc}), and the same tests hold it to
 * 0 bytes on JNR.
 */
public final class AllocationBudget {
    /** Bytes of the capture segment slice the JDK makes for one FFM downcall. */
    public static final long CAPTURE_SLICE = 40;

    private AllocationBudget() {
    }

    /** The bytes {@code downcalls} calls of libc may allocate on the running backend. */
    public static long forDowncalls(long downcalls) {
        return Posix.backendName().equals("ffm") ? downcalls * CAPTURE_SLICE : 0;
    }
}

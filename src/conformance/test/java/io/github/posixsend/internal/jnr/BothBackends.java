// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jnr;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.testing.SideBySide;

/** The JNI and the JNR backend in one JVM, whichever one posix-send selected, for the JNR tests that use both. */
final class BothBackends {
    private BothBackends() {
    }

    static JnrBackend jnr() {
        return (JnrBackend) SideBySide.javaSide("jnr");
    }

    /** The JNI backend; the test is skipped (saying why) where the shim cannot load or is not Linux's. */
    static Backend jni() {
        return SideBySide.jni();
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jnr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.internal.jnr.binding.LibC;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** The JNR bindings' own rule; no system call is made. */
class LibCTest {

    /** JNR's x86_64 stubs pass a wrong sixth argument (jnr-ffi issue 181): no binding may have more than five. */
    @Test
    void noLibcBindingTakesSixArguments() {
        for (Method m : LibC.class.getDeclaredMethods()) {
            assertTrue(m.getParameterCount() <= 5, m.getName() + " has " + m.getParameterCount() + " parameters");
        }
    }
}

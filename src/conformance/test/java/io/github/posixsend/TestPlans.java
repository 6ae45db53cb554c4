// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.MessagePlan;

/**
 * Message plans for tests of other packages: only classes of {@code io.github.posixsend} may make one, and the
 * test classes of this package share its class loader and module on the class path.
 */
public final class TestPlans {
    private TestPlans() {
    }

    /** A new, empty plan. */
    public static MessagePlan create() {
        return new MessagePlan("test plan");
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.InPlaceSockets;

/**
 * The descriptors posix-send made and has not closed, as {@link Posix} records them: the right to change the record
 * is asked of {@link InPlaceSockets} (it checks its caller, which costs a stack walk) when the first descriptor is
 * made or closed, and kept. Kept in a field rather than a class constant: a failure while asking (a
 * {@link StackOverflowError} of a caller near its stack's end) then fails that one call, where a failed class
 * initialization would fail every later {@code socket} and {@code close} of the JVM.
 */
final class OwnedDescriptors {
    private static volatile InPlaceSockets.Owner table;

    private OwnedDescriptors() {
    }

    /** {@return the owner of the record} */
    static InPlaceSockets.Owner table() {
        InPlaceSockets.Owner t = table;
        if (t == null) {
            t = InPlaceSockets.owner();
            table = t;
        }
        return t;
    }
}

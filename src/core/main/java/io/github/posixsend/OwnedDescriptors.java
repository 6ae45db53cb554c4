// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.InPlaceSockets;

/**
 * The descriptors posix-send made and has not closed, as {@link Posix} records them: the right to change the record
 * is asked of {@link InPlaceSockets} once (it checks its caller, which costs a stack walk), when the first descriptor
 * is made or closed, and kept in a constant.
 */
final class OwnedDescriptors {
    static final InPlaceSockets.Owner TABLE = InPlaceSockets.owner();

    private OwnedDescriptors() {
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code ENOTCONN} or {@code EDESTADDRREQ}: the socket needs a peer or a destination and has neither.
 */
public final class NotConnectedException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    NotConnectedException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code EBADF} or {@code ENOTSOCK}: the descriptor is not open (for {@code read} and {@code write}: not open for
 * reading or for writing), or is open but not a socket.
 */
public final class BadDescriptorException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    BadDescriptorException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

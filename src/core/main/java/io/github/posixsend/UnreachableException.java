// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code EHOSTUNREACH}, {@code ENETUNREACH}, {@code EHOSTDOWN} or {@code ENETDOWN}: no route leads to the destination.
 */
public final class UnreachableException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    UnreachableException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

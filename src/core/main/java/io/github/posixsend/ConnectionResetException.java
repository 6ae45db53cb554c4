// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code ECONNRESET}, {@code ECONNABORTED} or {@code ENETRESET}: the peer or the network reset the connection.
 */
public final class ConnectionResetException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    ConnectionResetException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code EPIPE} or {@code ESHUTDOWN}: the connection can no longer send, because the peer closed it, this side shut
 * down writing, or (Linux) a stream socket was never connected.
 */
public final class BrokenPipeException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    BrokenPipeException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code ECONNREFUSED}: the peer refused the connection; on a connected datagram socket, an earlier datagram met a port
 * nobody listens on, and the kernel reports it on this later call.
 */
public final class ConnectionRefusedException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    ConnectionRefusedException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code EACCES} or {@code EPERM}: the call is not allowed, for example a datagram to a broadcast address without
 * {@code SO_BROADCAST}, or a firewall rule.
 */
public final class PermissionDeniedException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    PermissionDeniedException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

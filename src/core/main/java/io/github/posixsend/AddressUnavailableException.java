// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code EADDRINUSE} or {@code EADDRNOTAVAIL}: the local address is taken or does not exist on this host.
 */
public final class AddressUnavailableException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    AddressUnavailableException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

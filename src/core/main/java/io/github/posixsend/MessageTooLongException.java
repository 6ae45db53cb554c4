// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code EMSGSIZE}: the datagram or record is larger than the socket can send at once (for UDP over IPv4, more than
 * 65507 bytes), or a gather list is longer than {@code IOV_MAX}. Nothing was sent.
 */
public final class MessageTooLongException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    MessageTooLongException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

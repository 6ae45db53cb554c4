// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code ENOBUFS} or {@code ENOMEM}: the kernel had no buffer space for the call (NetBSD reports a full Unix datagram
 * receiver this way).
 */
public final class NoBufferSpaceException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    NoBufferSpaceException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

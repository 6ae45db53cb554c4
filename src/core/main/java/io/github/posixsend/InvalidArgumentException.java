// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code EINVAL} or {@code EFAULT}: the kernel refused an argument, such as a flag or a control message it does not
 * accept for this socket.
 */
public final class InvalidArgumentException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    InvalidArgumentException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

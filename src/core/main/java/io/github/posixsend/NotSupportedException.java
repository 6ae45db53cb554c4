// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code EOPNOTSUPP}, {@code ENOTSUP}, {@code EAFNOSUPPORT}, {@code EPFNOSUPPORT}, {@code EPROTONOSUPPORT},
 * {@code ESOCKTNOSUPPORT}, {@code EPROTOTYPE}, {@code ENOPROTOOPT} or {@code ENOSYS}: the socket does not support the
 * operation, flag, address family or option, such as {@code MSG_OOB} on UDP, or the kernel lacks the call.
 */
public final class NotSupportedException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    NotSupportedException(String call, int number, Errno errno) {
        super(call, number, errno);
    }
}

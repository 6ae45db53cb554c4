// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * {@code EAGAIN} (also spelled {@code EWOULDBLOCK}): the call would have to wait, on a non-blocking socket or
 * with {@code MSG_DONTWAIT}, or a blocking socket's send or receive timeout ({@code SO_SNDTIMEO},
 * {@code SO_RCVTIMEO}) expired. Nothing was sent or received.
 *
 * <p>Would-block is a normal outcome on non-blocking sockets, so this exception records no stack trace: throwing
 * it costs one small allocation. Loops that must not allocate at all use the non-throwing forms such as
 * {@link Posix#trySend(int, java.nio.ByteBuffer, int)}.
 */
public final class WouldBlockException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    WouldBlockException(String call, int number, Errno errno) {
        super(call, number, errno);
    }

    /** Records no stack trace: the cause is always the call that threw, and filling one in would dominate its cost. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}

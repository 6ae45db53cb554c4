// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * The value of {@code SO_LINGER}, C's {@code struct linger}: what {@code close} does with data still queued.
 *
 * <p>Off (the default): {@code close} returns at once and the kernel keeps sending in the background. On with
 * {@code seconds > 0}: a blocking {@code close} waits up to that long for the data to go. On with 0: {@code close}
 * discards what is queued and resets a TCP connection: the peer still reads what had arrived before the reset, and
 * its receive after that fails with {@code ECONNRESET} (Linux).
 *
 * @param onOff {@code l_onoff}: whether lingering is on
 * @param seconds {@code l_linger}: how long {@code close} may wait, in seconds (0 or more)
 */
public record Linger(boolean onOff, int seconds) {
    /** Lingering off: {@code {0, 0}}. */
    public static final Linger OFF = new Linger(false, 0);

    /**
     * Checks the seconds.
     *
     * @param onOff {@code l_onoff}: whether lingering is on
     * @param seconds {@code l_linger}: how long {@code close} may wait, in seconds (0 or more)
     * @throws IllegalArgumentException when {@code seconds} is negative
     */
    public Linger {
        if (seconds < 0) {
            throw new IllegalArgumentException("linger seconds " + seconds + " is negative");
        }
    }

    /**
     * Lingering on for {@code seconds}; {@code on(0)} makes {@code close} reset the connection.
     *
     * @param seconds how long {@code close} may wait, in seconds (0 or more)
     * @return {@code {1, seconds}}
     * @throws IllegalArgumentException when {@code seconds} is negative
     */
    public static Linger on(int seconds) {
        return new Linger(true, seconds);
    }
}

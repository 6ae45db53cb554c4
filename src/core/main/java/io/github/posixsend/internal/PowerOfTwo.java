// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

/** The sizes memory grows by: powers of two, so that growing by need makes few sizes and wastes under half. */
public final class PowerOfTwo {
    private PowerOfTwo() {
    }

    /**
     * The least power of two not below {@code n}.
     *
     * @param n from 1 to 2<sup>30</sup>
     * @return that power of two
     * @throws IllegalArgumentException when {@code n} is outside that range
     */
    public static int atLeast(int n) {
        if (n < 1 || n > 1 << 30) {
            throw new IllegalArgumentException("no int power of two holds " + n);
        }
        return n == 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }
}

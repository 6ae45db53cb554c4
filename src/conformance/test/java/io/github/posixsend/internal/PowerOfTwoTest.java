// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The sizes memory grows by, at the ends of their range and on either side of a power of two. */
class PowerOfTwoTest {

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 2", "3, 4", "4, 4", "5, 8", "255, 256", "256, 256", "257, 512", "1023, 1024",
        "1025, 2048", "536870913, 1073741824", "1073741824, 1073741824"})
    void theLeastPowerOfTwoNotBelow(int n, int expected) {
        assertEquals(expected, PowerOfTwo.atLeast(n));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE, (1 << 30) + 1, Integer.MAX_VALUE})
    void noIntPowerOfTwoForTheseIsRefused(int n) {
        assertThrows(IllegalArgumentException.class, () -> PowerOfTwo.atLeast(n));
    }
}

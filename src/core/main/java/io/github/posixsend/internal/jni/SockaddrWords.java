// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A destination's sockaddr image read as the native words the shim rebuilds it from ({@link JniNative#SOCKADDR_WORDS}):
 * passed as {@code long} arguments, it costs the shim no calls back into the JVM (the array's length and its copy),
 * about 45 ns of a {@code sendto}.
 */
final class SockaddrWords {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private SockaddrWords() {
    }

    /** Whether the first {@code len} bytes of {@code image} fit in the words (else the shim takes the array). */
    static boolean fit(byte[] image, int len) {
        return image != null && len >= 0 && len <= JniNative.SOCKADDR_WORDS * Long.BYTES && len <= image.length;
    }

    /**
     * Word {@code k} of the first {@code len} bytes of {@code image} in native byte order, bytes past {@code len}
     * read as 0 (and every word 0 for a null image or {@code len} 0).
     */
    static long word(byte[] image, int k, int len) {
        int at = k * Long.BYTES;
        if (at + Long.BYTES <= len) {
            return (long) LONG.get(image, at);
        }
        long w = 0;
        for (int i = at; i < len; i++) {
            w |= (image[i] & 0xFFL) << (LITTLE ? 8 * (i - at) : 56 - 8 * (i - at));
        }
        return w;
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.Errno;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.Os;
import io.github.posixsend.internal.ConstantTable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The constants the Java-side backends (JNR, FFM) report: posix-send's own tables for the running system, with
 * the same names the JNI shim reads from compiled headers. JNR's jnr-constants are not used: it has no NetBSD
 * tables and hands out made-up numbers for constants it does not know.
 */
final class TableConstants {
    private TableConstants() {
    }

    /** Every constant {@code os} defines, by C name: socket constants and sizes, MSG_* flags, errno numbers. */
    static Map<String, Integer> forOs(Os os) {
        Map<String, Integer> map = new LinkedHashMap<>(ConstantTable.forOs(os));
        for (MsgFlag f : MsgFlag.values()) {
            f.valueOn(os).ifPresent(v -> map.put(f.name(), v));
        }
        for (Errno e : Errno.values()) {
            if (e.isDefinedOn(os)) {
                map.put(e.name(), e.numberOn(os));
            }
        }
        return Collections.unmodifiableMap(map);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import java.nio.ByteBuffer;

/**
 * A thread's memory where the shim keeps the structs it built for the thread's last batch sent, or received
 * ({@link JniNative#keptBatchesSize0} bytes, zeroed by the JDK, written by the shim only). A class of this library's,
 * so that the thread's map holds it only weakly ({@link io.github.posixsend.internal.PerThread}) and the memory goes
 * with the backend that made it.
 */
final class KeptBatches {
    /** The direct buffer handed to the shim with each batch call. */
    final ByteBuffer memory;

    KeptBatches(ByteBuffer memory) {
        this.memory = memory;
    }
}

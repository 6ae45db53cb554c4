// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/** The JDK's pool of direct memory (direct buffers, and on JDK 22 and later native segments), as its bean counts it. */
public final class DirectPool {
    private DirectPool() {
    }

    /** {@return the bytes of direct memory in use} Memory of buffers not yet collected counts. */
    public static long used() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed();
            }
        }
        throw new IllegalStateException("the JDK has no direct buffer pool bean");
    }

    /**
     * {@return the bytes of direct memory still reachable, as far as collections show} Collects until two readings
     * 50 ms apart agree (the JDK frees a collected buffer's memory soon after the collection), at most 20 times.
     */
    public static long reachable() throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 20; i++) {
            System.gc();
            Thread.sleep(50);
            long now = used();
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }
}

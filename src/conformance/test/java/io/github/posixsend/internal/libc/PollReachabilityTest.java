// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.Posix;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Platform;
import io.github.posixsend.internal.ffm.FfmBackends;
import io.github.posixsend.internal.jnr.JnrBackend;
import io.github.posixsend.tools.probe.Descriptors;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A backend that hands the kernel a {@code pollfd} array by address must keep its buffer reachable until poll
 * returns: the buffer's cleaner frees the memory the kernel writes {@code revents} into. The poll here is the
 * buffer's last use, made from compiled code (after a warm-up), with the collector running meanwhile.
 */
class PollReachabilityTest {
    private static final int SIZE = Platform.value("SIZEOF_POLLFD");
    private static final int WARM_UP = 30_000;

    private static ByteBuffer pollfd(int fd) {
        ByteBuffer b = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
        b.putInt(Platform.value("OFFSETOF_POLLFD_FD"), fd);
        b.putShort(Platform.value("OFFSETOF_POLLFD_EVENTS"), (short) Posix.POLLIN);
        return b;
    }

    private static List<Backend> javaSideBackends() {
        List<Backend> backends = new ArrayList<>();
        backends.add(JnrBackend.load());
        if (FfmBackends.jdkHasForeignApi()) {
            backends.add(FfmBackends.load());
        }
        return backends;
    }

    /** The poll as the buffer's last use: the argument is taken out of the holder, nothing else refers to it. */
    private static int pollTaken(Backend b, AtomicReference<ByteBuffer> holder, int timeoutMillis) {
        return b.poll(holder.getAndSet(null), 1, timeoutMillis);
    }

    @Test
    void theArrayStaysReachableWhileTheKernelHasIt() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "poll-reachability");
            t.setDaemon(true);
            return t;
        });
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
            for (Backend b : javaSideBackends()) {
                AtomicReference<ByteBuffer> holder = new AtomicReference<>();
                for (int i = 0; i < WARM_UP; i++) {
                    holder.set(pollfd(p.b));
                    assertEquals(0, pollTaken(b, holder, 0), b.name());
                }
                ByteBuffer array = pollfd(p.b);
                WeakReference<ByteBuffer> watched = new WeakReference<>(array);
                holder.set(array);
                array = null;
                Future<Integer> polled = executor.submit(() -> pollTaken(b, holder, 10_000));
                boolean collectedDuringPoll = false;
                for (int i = 0; i < 20 && !polled.isDone(); i++) {
                    System.gc();
                    Thread.sleep(10);
                    if (watched.get() == null && !polled.isDone()) {
                        collectedDuringPoll = true;
                        break;
                    }
                }
                assertTrue(!polled.isDone(), b.name() + ": the poll returned before anything was sent");
                Posix.send(p.a, new byte[] {1}, 0, 1, 0);
                Integer ready = polled.get(10, TimeUnit.SECONDS);
                assertNotNull(ready);
                assertEquals(1, ready.intValue(), b.name());
                assertTrue(!collectedDuringPoll, b.name() + ": the pollfd buffer was collected while poll used it");
                Posix.recv(p.b, new byte[1], 0, 1, 0);
            }
        } finally {
            executor.shutdownNow();
        }
    }
}

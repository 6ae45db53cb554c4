// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A value of each thread's own (scratch memory, an errno capture segment), found first in the one made last. A
 * thread-local lookup reads the thread's map, its table and an entry before the value, several objects made at
 * different times; a program that makes its calls from one thread finds its value in one field instead, which
 * matters on machines whose system calls flush the TLB (each page touched after one costs a page walk). The field
 * is written only when a value is made, so threads that call by turns do not write it by turns; another thread's
 * value is never handed out, as the field names its owner (weakly: a finished thread is not kept).
 *
 * <p>A thread's map holds a {@link WeakReference} to its value, a JDK object, and this object holds the value for as
 * long as that reference is in use: keyed by it, weakly, and dropped once the collector finds it gone (the thread
 * ended, or a pool cleared its thread-locals) at the next lookup by any thread. A value of this library's classes in a
 * thread's map would keep their class loader, and a redeployed application's, for as long as the thread lives; held
 * here, it goes with the library that made it.
 *
 * @param <T> the value's type
 */
public final class PerThread<T> {
    private final ThreadLocal<WeakReference<T>> local;
    /** Each value, by a weak reference to the reference a thread's map holds; guarded by itself. */
    private final Map<Reference<?>, T> held = new HashMap<>();
    /** Where the collector puts each key of {@link #held} whose thread's reference it found gone. */
    private final ReferenceQueue<Object> ended = new ReferenceQueue<>();
    /** The value made last, with its thread; immutable, so a thread that sees an older one sees it whole. */
    private Owned<T> lastMade;

    /** A thread's value, naming the thread. */
    private static final class Owned<T> extends WeakReference<Thread> {
        final T value;

        Owned(Thread owner, T value) {
            super(owner);
            this.value = value;
        }
    }

    /**
     * Values made by {@code make}, once per thread, on the thread's first {@link #get()} (again if a pool clears
     * the thread's thread-locals).
     *
     * @param make makes a thread's value
     */
    public PerThread(Supplier<T> make) {
        local = ThreadLocal.withInitial(() -> {
            dropEnded();
            T value;
            try {
                value = make.get();
            } catch (OutOfMemoryError e) {
                // the collection that failed the value's memory may have found values of ended threads: let them go
                if (!dropEnded()) {
                    throw e;
                }
                value = make.get();
            }
            WeakReference<T> inMap = new WeakReference<>(value);
            synchronized (held) {
                held.put(new WeakReference<>(inMap, ended), value);
            }
            lastMade = new Owned<>(Thread.currentThread(), value);
            return inMap;
        });
    }

    /**
     * The calling thread's value.
     *
     * @return the value, made now if this thread has none yet
     */
    public T get() {
        dropEnded();
        Owned<T> o = lastMade;
        return o != null && o.refersTo(Thread.currentThread()) ? o.value : ofAnotherThread(o);
    }

    private T ofAnotherThread(Owned<T> last) {
        if (last != null && last.refersTo(null)) {
            lastMade = null; // its thread is gone: let its value go too
        }
        // held for as long as the thread's map holds the reference, so never cleared while the thread asks
        return local.get().get();
    }

    /**
     * Lets go of the values whose threads' references the collector found gone: a read of one field when there are
     * none.
     *
     * @return whether any went
     */
    private boolean dropEnded() {
        Reference<?> r = ended.poll();
        if (r == null) {
            return false;
        }
        synchronized (held) {
            do {
                held.remove(r);
            } while ((r = ended.poll()) != null);
        }
        return true;
    }
}

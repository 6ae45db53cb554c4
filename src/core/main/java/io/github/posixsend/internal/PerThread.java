// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A value of each thread's own (scratch memory, an errno capture segment), found first in the one made last. A
 * thread-local lookup reads the thread's map, its table and an entry before the value, several objects made at
 * different times; a program that makes its calls from one thread finds its value in one field instead, which
 * matters on machines whose system calls flush the TLB (each page touched after one costs a page walk). The field
 * is written only when a value is made, so threads that call by turns do not write it by turns; another thread's
 * value is never handed out, as the field names its owner (weakly: a finished thread is not kept).
 *
 * <p>The threads' maps hold only a weak reference to each value, a JDK object; the values themselves are held here,
 * each beside a weak reference to its thread, until the collector finds the thread gone and a later lookup by
 * another thread (or a thread's first) drops them. A value of this library's classes in a thread's map would keep
 * their class loader, and a redeployed application's, for as long as the thread lives; held here, it goes with the
 * library that made it.
 *
 * @param <T> the value's type
 */
public final class PerThread<T> {
    private final ThreadLocal<WeakReference<T>> local;
    /** What keeps the values of threads not yet found gone; guarded by itself. */
    private final Set<Held<T>> held = new HashSet<>();
    /** Where the collector puts each {@link Held} whose thread it found gone. */
    private final ReferenceQueue<Thread> ended = new ReferenceQueue<>();
    /** The value made last, with its thread; immutable, so a thread that sees an older one sees it whole. */
    private Held<T> lastMade;

    /** A thread's value, naming the thread. */
    private static final class Held<T> extends WeakReference<Thread> {
        final T value;

        Held(Thread owner, T value, ReferenceQueue<Thread> ended) {
            super(owner, ended);
            this.value = value;
        }
    }

    /**
     * Values made by {@code make}, once per thread, on the thread's first {@link #get()}.
     *
     * @param make makes a thread's value
     */
    public PerThread(Supplier<T> make) {
        local = ThreadLocal.withInitial(() -> {
            dropEnded();
            T value = make.get();
            Held<T> h = new Held<>(Thread.currentThread(), value, ended);
            synchronized (held) {
                held.add(h);
            }
            lastMade = h;
            return new WeakReference<>(value);
        });
    }

    /**
     * The calling thread's value.
     *
     * @return the value, made now if this thread has none yet
     */
    public T get() {
        Held<T> h = lastMade;
        return h != null && h.refersTo(Thread.currentThread()) ? h.value : ofAnotherThread(h);
    }

    private T ofAnotherThread(Held<T> last) {
        if (last != null && last.refersTo(null)) {
            lastMade = null; // its thread is gone: let its value go too
        }
        dropEnded();
        // held for as long as this thread lives, so never cleared while it asks
        return local.get().get();
    }

    /** Lets go of the values of the threads the collector found gone (a read of one field when there are none). */
    private void dropEnded() {
        Reference<? extends Thread> r = ended.poll();
        if (r != null) {
            synchronized (held) {
                do {
                    held.remove(r);
                } while ((r = ended.poll()) != null);
            }
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.ref.WeakReference;
import java.util.function.Supplier;

/**
 * A value of each thread's own (scratch memory, an errno capture segment), found first in the one made last. A
 * thread-local lookup reads the thread's map, its table and an entry before the value, several objects made at
 * different times; a program that makes its calls from one thread finds its value in one field instead, which
 * matters on machines whose system calls flush the TLB (each page touched after one costs a page walk). The field
 * is written only when a value is made, so threads that call by turns do not write it by turns; another thread's
 * value is never handed out, as the field names its owner (weakly: a finished thread is not kept, though the
 * field keeps the value it made last until another thread's first lookup finds the thread gone). The thread's map holds
 * the value itself, not a wrapper of this library's: an object of one of its classes there would keep its class
 * loader, and a redeployed application's, for as long as the thread lives.
 *
 * @param <T> the value's type
 */
public final class PerThread<T> {
    private final ThreadLocal<T> local;
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
     * Values made by {@code make}, once per thread, on the thread's first {@link #get()}.
     *
     * @param make makes a thread's value
     */
    public PerThread(Supplier<T> make) {
        local = ThreadLocal.withInitial(() -> {
            T value = make.get();
            lastMade = new Owned<>(Thread.currentThread(), value);
            return value;
        });
    }

    /**
     * The calling thread's value.
     *
     * @return the value, made now if this thread has none yet
     */
    public T get() {
        Owned<T> o = lastMade;
        return o != null && o.refersTo(Thread.currentThread()) ? o.value : ofAnotherThread(o);
    }

    private T ofAnotherThread(Owned<T> last) {
        if (last != null && last.refersTo(null)) {
            lastMade = null; // its thread is gone: let its value go too
        }
        return local.get();
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A value of each thread's own (scratch memory, an errno capture segment), found first in the one made last. A
 * thread-local lookup reads the thread's map, its table and an entry before the value, several objects made at
 * different times; a program that makes its calls from one thread finds its value in one field instead, which
 * matters on machines whose system calls flush the TLB (each page touched after one costs a page walk). The field
 * is written only by a lookup that saw a value made meanwhile (its own, once the thread's map holds it, so a thread
 * is never handed a value its map lacks), so threads that call by turns do not write it by turns; another thread's
 * value is never handed out, as the field names its owner (weakly: a finished thread is not kept).
 *
 * <p>A value of the JDK's own classes (a direct buffer, a segment, an array) sits in the thread's map and goes with
 * the thread. A value of this library's classes there would keep their class loader, and a redeployed application's,
 * for as long as the thread lives; so for those the map holds a {@link WeakReference}, and this object holds the value,
 * keyed by a weak reference to that reference, for as long as the map does. Once the collector finds the map's
 * reference gone (the thread ended, or a pool cleared its thread-locals) the value is let go at the next lookup by
 * any thread, or when {@link #letGoOfEnded()} is called; should that signal be lost (a {@link StackOverflowError}
 * inside the queue's poll), the values are swept out when those held have doubled since the last sweep.
 *
 * @param <T> the value's type
 */
public final class PerThread<T> {
    /** The value, or for a value of this library's classes a {@link WeakReference} to it, exactly of that class. */
    private final ThreadLocal<Object> local;
    /** The values of this library's classes, by a weak reference to the map's reference; guarded by itself. */
    private final Map<Reference<?>, T> held = new HashMap<>();
    /** Where the collector puts each key of {@link #held} whose map's reference it found gone. */
    private final ReferenceQueue<Object> ended = new ReferenceQueue<>();
    /**
     * Set, under {@link #held}'s lock, while keys were taken off {@link #ended} that a sweep of {@link #held} has not
     * yet removed: a sweep cut short (a {@link StackOverflowError}) leaves it set, so the next lookup sweeps again.
     */
    private boolean sweepDue;
    /** How many values {@link #held} held after the last sweep; guarded by it. */
    private int afterSweep;
    /** Values made so far (a plain count: a lookup that sees it move knows a value was made meanwhile). */
    private int made;
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
            T value;
            try {
                value = make.get();
            } catch (OutOfMemoryError e) {
                // the collection that failed the value's memory may have found values of ended threads: let them go
                if (!letGoOfEnded()) {
                    throw e;
                }
                value = make.get();
            }
            made++;
            if (value.getClass().getClassLoader() == null) {
                return value; // the JDK's: nothing of this library's in the map
            }
            WeakReference<T> inMap = new WeakReference<>(value);
            synchronized (held) {
                held.put(new WeakReference<>(inMap, ended), value);
                if (held.size() > 2 * afterSweep + 16) {
                    sweepHeld();
                }
            }
            return inMap;
        });
    }

    /**
     * The calling thread's value.
     *
     * @return the value, made now if this thread has none yet
     */
    public T get() {
        if (sweepDue || ended.poll() != null) {
            letGoOfEnded();
        }
        Owned<T> o = lastMade;
        return o != null && o.refersTo(Thread.currentThread()) ? o.value : ofAnotherThread(o);
    }

    @SuppressWarnings("unchecked") // the map holds a T, or a WeakReference to one
    private T ofAnotherThread(Owned<T> last) {
        if (last != null && last.refersTo(null)) {
            lastMade = null; // its thread is gone: let its value go too
        }
        int before = made;
        Object v = local.get();
        // a referent is held in held for as long as the thread's map holds the reference, so never cleared here
        T value = v.getClass() == WeakReference.class ? ((WeakReference<T>) v).get() : (T) v;
        if (made != before) {
            // a value was made meanwhile, most likely this one: the field names it now that the map holds it
            lastMade = new Owned<>(Thread.currentThread(), value);
        }
        return value;
    }

    /**
     * Lets go at once of the values whose threads ended or lost their thread-locals, as far as the collector has
     * found them: for a caller that has just failed to allocate.
     *
     * @return whether any went
     */
    public boolean letGoOfEnded() {
        synchronized (held) {
            return sweepHeld();
        }
    }

    /** Removes every value whose map's reference is gone, with {@link #held}'s lock held; true when one was. */
    private boolean sweepHeld() {
        sweepDue = true;
        while (ended.poll() != null) {
            // each is found below, by its cleared referent
        }
        int before = held.size();
        for (Iterator<Reference<?>> i = held.keySet().iterator(); i.hasNext();) {
            if (i.next().refersTo(null)) {
                i.remove();
            }
        }
        afterSweep = held.size();
        sweepDue = false;
        return afterSweep < before;
    }
}

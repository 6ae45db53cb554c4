// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

/**
 * Runs a step of the JVM's one-time load on a thread of its own, which nothing interrupts. A native library is
 * extracted through a file channel, which an interrupt of the copying thread closes; the load happens once, on
 * whichever thread first needs posix-send, and an interrupt meant for that thread's own work (a task cancelled
 * with {@code Future.cancel(true)}, however often) must not leave the JVM without the library for good. The
 * caller waits for the step and keeps any interrupt that arrives meanwhile.
 *
 * <p>Only steps that initialize no class of the library's own belong here: the caller may be inside the
 * initialization of such a class, which the step's thread would then wait for while the caller waits for it.
 */
public final class InterruptShield {
    private InterruptShield() {
    }

    /** A step that returns a value or throws {@code X}. */
    @FunctionalInterface
    public interface Step<T, X extends Exception> {
        /**
         * Runs the step.
         *
         * @return what it made
         * @throws X when it fails
         */
        T run() throws X;
    }

    /**
     * Runs {@code step} on a thread of its own and waits for it: its value, or what it threw, rethrown here.
     * Where no thread can be started, it runs on the caller's.
     *
     * @param name the thread's name
     * @param step what to run
     * @param <T> what it makes
     * @param <X> the checked exception it may throw
     * @return what it made
     * @throws X what it threw
     */
    public static <T, X extends Exception> T call(String name, Step<T, X> step) throws X {
        Outcome<T> outcome = new Outcome<>();
        Thread worker;
        try {
            worker = new Thread(() -> outcome.runFrom(step), name);
            worker.setDaemon(true);
            worker.start();
        } catch (OutOfMemoryError | SecurityException e) { // no thread to be had: the caller's must do
            return step.run();
        }
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return outcome.<X>result();
    }

    /** What the step's thread hands to the caller; {@link Thread#join()} makes its fields visible. */
    private static final class Outcome<T> {
        private T value;
        private Throwable thrown;

        void runFrom(Step<T, ?> step) {
            try {
                value = step.run();
            } catch (Throwable t) { // handed to the caller, never to the thread's handler, which would print it
                thrown = t;
            }
        }

        @SuppressWarnings("unchecked")
        <X extends Exception> T result() throws X {
            if (thrown instanceof RuntimeException r) {
                throw r;
            }
            if (thrown instanceof Error e) {
                throw e;
            }
            if (thrown != null) {
                throw (X) thrown; // the step's own checked exception: nothing else can be thrown from run()
            }
            return value;
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import io.github.posixsend.tools.probe.Descriptors;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A call that is to block in the kernel, made on a helper thread of a {@link Descriptors}: the constructor returns
 * once the thread is inside the backend's call into C, so the test acts while the call is under way, never before
 * it starts. Closing the {@code Descriptors} shuts their sockets down, which wakes the call, and joins the thread,
 * so a failed test leaves no thread blocked on a descriptor whose number is then reused.
 */
public final class Blocked {
    /** How long the call may take to reach C, and then to end once released. */
    private static final long WAIT_SECONDS = 10;

    private final Thread thread;
    private final CompletableFuture<Object> result = new CompletableFuture<>();

    /**
     * Starts {@code call} on a helper thread of {@code fds} and waits until it is inside a call into C.
     *
     * @throws AssertionError when the call returned first, or did not reach C in time
     */
    public Blocked(Descriptors fds, String name, Callable<?> call) throws Exception {
        thread = fds.background(name, () -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        awaitInsideNativeCall();
    }

    /**
     * Polls the thread's stack until its top frame is the call into C on two samples in a row (a thread still in
     * Java code would have moved on); bounded in time.
     */
    private void awaitInsideNativeCall() throws Exception {
        if (!awaitInsideC(thread, TimeUnit.SECONDS.toMillis(WAIT_SECONDS), result::isDone)) {
            if (result.isDone()) {
                throw new AssertionError("the call returned before it could block: " + outcome());
            }
            throw new AssertionError("the call never reached C: " + Arrays.toString(thread.getStackTrace()));
        }
    }

    /**
     * Waits until {@code t}'s top frame is a call into C ({@link #insideC}) on two looks in a row, 5 ms apart (a
     * thread still in Java code would have moved on). Returns true then, or false when {@code ended} says the call
     * has already returned or {@code millis} have passed.
     */
    public static boolean awaitInsideC(Thread t, long millis, BooleanSupplier ended) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean seenBefore = false;
        while (System.nanoTime() < deadline) {
            if (ended.getAsBoolean()) {
                return false;
            }
            boolean inside = insideC(t);
            if (inside && seenBefore) {
                return true;
            }
            seenBefore = inside;
            Thread.sleep(5);
        }
        return false;
    }

    /** Whether {@code t}'s top frame is a call into C, as {@link #isCallIntoC} tells. */
    public static boolean insideC(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        return stack.length > 0 && isCallIntoC(stack[0]);
    }

    /**
     * JNI's and JNR's calls into C are native methods of the shim's class or of JNR's (not, say, the class loader's
     * on the way); an FFM downcall's own frames are hidden from stack traces, so there the library method that
     * makes it is the top frame.
     */
    private static boolean isCallIntoC(StackTraceElement top) {
        String c = top.getClassName();
        return top.isNativeMethod() && (c.startsWith("io.github.posixsend.") || c.startsWith("com.kenai.jffi."))
                || c.equals("io.github.posixsend.internal.ffm.FfmLibrary");
    }

    /** What the call returned, or the exception it ended with; waits for it a bounded time. */
    public Object outcome() throws Exception {
        try {
            return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}

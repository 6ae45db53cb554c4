// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import io.github.posixsend.MessageBatch;

/**
 * Run in a child JVM by AvailabilityTest under a SecurityManager whose policy gives posix-send every permission and
 * this class none beyond reading properties: makes a batch twice and prints what each attempt gave, one line each
 * ({@code made}, or the exception's class and message).
 */
public final class SecurityManagerProbe {
    private SecurityManagerProbe() {
    }

    public static void main(String[] args) {
        for (int i = 0; i < 2; i++) {
            try (MessageBatch b = new MessageBatch(4)) {
                System.out.println("made " + b.capacity());
            } catch (Throwable t) {
                System.out.println(t.getClass().getName() + ": " + t.getMessage());
            }
        }
    }
}

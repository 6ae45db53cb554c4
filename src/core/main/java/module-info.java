// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers

/**
 * posix-send: the POSIX send family for Java. Only {@code io.github.posixsend} is exported; the backends, the
 * loader and the message plan are internal, so code outside the library cannot reach anything that hands memory
 * to native code. The module needs nothing beyond the JDK: the JNI backend's shims are inside it, and the FFM
 * backend (JDK 22 and later) uses the JDK's own foreign function API.
 */
module io.github.posixsend {
    exports io.github.posixsend;

    // the JNR-FFI backend (artifact posix-send-jnr) implements the backend contract and reuses the Java-side
    // message code it shares with the FFM backend; no other module sees these packages
    exports io.github.posixsend.internal to io.github.posixsend.jnr;
    exports io.github.posixsend.internal.libc to io.github.posixsend.jnr;
    uses io.github.posixsend.internal.BackendProvider;

    // sun.misc.Unsafe: freeing direct memory on JDK 17-21, and the Java-side backends' descriptor read
    requires jdk.unsupported;
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers

/**
 * posix-send's JNR-FFI backend: add this module (artifact {@code io.github.posixsend:posix-send-jnr}) beside
 * {@code io.github.posixsend} and the core finds it through {@link java.util.ServiceLoader}; select it with
 * {@code -Dposixsend.backend=jnr}, or let {@code auto} fall back to it where neither the bundled JNI shim nor the
 * foreign function API (JDK 22 and later) can be used. It exports no API (its one exported package holds
 * the libc declarations jnr-ffi implements).
 */
module io.github.posixsend.jnr {
    requires io.github.posixsend;
    requires org.jnrproject.ffi;
    requires org.jnrproject.jffi;
    // jnr-ffi generates its bindings with ASM but, as an automatic module, does not say so: without these the
    // module path would leave ASM out and the backend would fail to load
    requires org.objectweb.asm;
    requires org.objectweb.asm.commons;
    requires org.objectweb.asm.tree;
    requires org.objectweb.asm.tree.analysis;
    requires org.objectweb.asm.util;

    // jnr-ffi defines the LibC implementation in a class loader of its own, in that loader's unnamed module, which
    // must see the interface; the package holds only the libc declarations
    exports io.github.posixsend.internal.jnr.binding;

    provides io.github.posixsend.internal.BackendProvider with io.github.posixsend.internal.jnr.JnrBackendProvider;
}

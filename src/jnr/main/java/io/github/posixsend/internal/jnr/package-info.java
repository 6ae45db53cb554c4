// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
/**
 * <b>Internal, not API.</b> The JNR-FFI backend: the C library's socket calls made from Java through JNR-FFI, for
 * systems where the bundled JNI shim does not load and the foreign function API is missing (JDK 17 to 21), or
 * when chosen with {@code -Dposixsend.backend=jnr}, found by the core through {@code JnrBackendProvider}. The
 * module does not export this package; it may change or go in any release. Use {@code io.github.posixsend}.
 *
 * <ul>
 *   <li>{@link io.github.posixsend.internal.jnr.binding.LibC}: the libc declarations; {@code JnrLibrary}: them as a
 *       {@code CLibrary}, with jffi's memory access and JNR's saved errno; {@link
 *       io.github.posixsend.internal.jnr.JnrBackend}: the backend, whose checks, structures and message calls
 *       are those of {@code io.github.posixsend.internal.libc}, shared with the FFM backend.</li>
 *   <li>Allocation: every binding takes only primitives, which JNR calls without a Java object per call.</li>
 *   <li>No binding takes six arguments: JNR's x86_64 stubs pass a wrong sixth one (jnr-ffi issue 181), so
 *       {@code sendto}/{@code recvfrom} are called through jffi's invoker ({@code SixArgumentCalls}), which
 *       passes all six correctly; they stay the real system calls, with the kernel's checks and errno.</li>
 *   <li>JDK 24 and later warn when a library is loaded without {@code --enable-native-access=ALL-UNNAMED}; JNR's
 *       stub loader (jffi) is such a caller, as the JNI loader is. With the option nothing is printed.</li>
 *   <li>JNR's jffi extracts its own stub to {@code java.io.tmpdir} (or {@code -Djffi.extract.dir}); its jar has
 *       stubs for Linux and some BSDs but none for NetBSD, where {@code -Djffi.boot.library.path} must name a
 *       directory holding a libjffi built there.</li>
 * </ul>
 */
package io.github.posixsend.internal.jnr;

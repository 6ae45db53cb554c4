// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
/**
 * <b>Internal, not API.</b> The backend over the JDK's foreign function API ({@code java.lang.foreign}, JDK 22
 * and later), chosen with {@code -Dposixsend.backend=ffm}, or by {@code auto} when the bundled JNI shim does not
 * load. {@link io.github.posixsend.internal.ffm.FfmBackends} (in the base of the multi-release jar) finds it;
 * {@code FfmLibrary} (in {@code META-INF/versions/22}) binds the C library's calls as method handles, with errno
 * captured per call into a per-thread segment; the checks, structures and message calls are those of
 * {@code io.github.posixsend.internal.libc}, shared with the JNR backend, whose layouts {@code FfmLayouts}
 * restates as {@code MemoryLayout}s for the tests to check against the compiled headers. It may change or go in
 * any release. Use {@code io.github.posixsend}.
 */
package io.github.posixsend.internal.ffm;

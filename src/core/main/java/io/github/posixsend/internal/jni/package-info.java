// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
/**
 * <b>Internal, not API.</b> The JNI backend: {@code JniNative} declares the native methods of the C shim
 * ({@code native/}, bundled in the jar as {@code META-INF/native/<os>-<arch>/libposixsend.so}) and
 * {@code JniBackend} implements the backend interface with them. The module does not export this package; it may
 * change or go in any release. Use {@code io.github.posixsend}.
 */
package io.github.posixsend.internal.jni;

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
/**
 * <b>Internal, not API.</b> posix-send's own machinery: the {@code Backend} interface both backends implement,
 * the choice of backend ({@code Backends}), the JNI loader ({@code NativeLibraryLoader}), the platform's constants
 * ({@code Platform}; {@code ConstantTable}, posix-send's own tables of them), the message plans handed to native code
 * ({@code MessagePlan}) and direct memory ({@code DirectMemory}). The module does not export this package; its
 * classes are public only so that the library's other packages can use them, and they may change or go in any
 * release. Use {@code io.github.posixsend}.
 */
package io.github.posixsend.internal;

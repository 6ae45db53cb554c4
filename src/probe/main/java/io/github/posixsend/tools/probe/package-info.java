// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
/**
 * The kernel-behaviour probe: for each claim that manuals and well-known answers make about {@code send}, what
 * the running kernel actually does, measured on loopback through posix-send's own public API.
 *
 * <p>This package is a tool, not part of the library's API: only {@link io.github.posixsend.tools.probe.ProbeMain}
 * is public. It needs picocli, and for --report XChart and for --compare Jackson, which the library declares
 * optional so that library users do not inherit them. {@code scripts/probe} builds and runs it.
 */
package io.github.posixsend.tools.probe;

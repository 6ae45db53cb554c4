// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
/**
 * <b>Internal, not API.</b> The backends that call the C library from Java (JNR-FFI and the JDK's foreign
 * function API): everything they share, so that both make the same calls with the same checks and build the same
 * structures. It may change or go in any release. Use {@code io.github.posixsend}.
 *
 * <ul>
 *   <li>{@link io.github.posixsend.internal.libc.CLibrary}: the C calls with plain addresses, implemented once per
 *       way of reaching the C library; {@link io.github.posixsend.internal.libc.LibcBackend}: the backend over
 *       one, with the shim's argument checks, {@code EINTR} retries and {@code -errno} results.</li>
 *   <li>{@code SockaddrLayout}, {@code MsghdrLayout} and {@code CmsgLayout}: the structures per platform (Linux
 *       x86_64/aarch64, NetBSD amd64), checked by tests against the shim's compiled headers;
 *       {@code Sockaddrs}: sockaddr images built and read in Java; {@code NativeScratch}: each thread's native
 *       memory; {@code TableConstants}: constants from posix-send's tables; {@code FieldDescriptors} and
 *       {@code ChannelDescriptors}: the descriptor inside a channel.</li>
 *   <li>The message calls: {@code LibcMessages} (sendmsg, sendmmsg, recvmsg, recvmmsg), {@code PlanReader} (the
 *       plan read and checked with the shim's rules, the scratch handed out as the shim does), {@code MsgBuilder}
 *       ({@code msghdr} and {@code iovec}s), {@code Cmsgs} (control messages per platform). Structures are built
 *       through direct buffers' bounds-checked methods, in memory of the backend's own; the kernel gets only
 *       addresses of the plan, of that memory and of the buffers the plan lists.</li>
 *   <li>Allocation: after a thread's first call, send and sendto (direct buffers and arrays), recv, and the
 *       message calls with reused messages allocate nothing (0 bytes per call, measured by MessageAllocationTest
 *       in each backend's run).</li>
 * </ul>
 */
package io.github.posixsend.internal.libc;

/**
 * <b>Internal, not API.</b> The JNR-FFI backend: the C library's socket calls made from Java through JNR-FFI, for
 * systems where the bundled JNI shim does not load, or when chosen with {@code -Dposixsend.backend=jnr}. The
 * module exports this package to jnr-ffi alone (its generated {@code LibC} implementation must see the interface);
 * it may change or go in any release. Use {@code io.github.posixsend}.
 *
 * <ul>
 *   <li>{@link io.github.posixsend.internal.jnr.LibC}: the libc declarations; {@code SockaddrLayout} and
 *       {@code MsghdrLayout}: the structures per platform (Linux x86_64/aarch64, NetBSD amd64);
 *       {@code Sockaddrs}: sockaddr images built and read in Java; {@code NativeScratch}: each thread's native
 *       memory; {@code JnrConstants}: constants from posix-send's tables; {@code FieldDescriptors} and
 *       {@code ChannelDescriptors}: the descriptor inside a channel; {@link io.github.posixsend.internal.jnr.JnrBackend}:
 *       the backend. The message calls: {@code JnrMessages} (sendmsg, sendmmsg, recvmsg), {@code PlanReader}
 *       (the plan read and checked with the shim's rules, the scratch handed out as the shim does),
 *       {@code MsgBuilder} ({@code msghdr} and {@code iovec}s), {@code Cmsgs} and {@code CmsgLayout} (control
 *       messages per platform).</li>
 *   <li>Allocation: after a thread's first call, send and sendto (direct buffers and arrays), recv, and sendmsg,
 *       sendmmsg and recvmsg with reused messages allocate nothing (0 bytes per call, measured by
 *       MessageAllocationTest in the JNR run): every binding takes only primitives, which JNR calls without a
 *       Java object per call, and the structs are written through the plan's own direct buffers.</li>
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

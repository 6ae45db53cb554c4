// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
/**
 * The POSIX send family for Java: {@code send}, {@code sendto}, {@code sendmsg} and {@code sendmmsg} with every
 * {@code MSG_*} flag the platform has, the calls around them ({@code socket}, {@code bind}, {@code connect},
 * {@code poll}, the receive calls, {@code read} and {@code write} on any descriptor, socket options, {@code ioctl}),
 * and every kernel error as a typed exception that carries its errno. Linux (x86_64, aarch64) and NetBSD (amd64).
 *
 * <h2>The API</h2>
 * <ul>
 *   <li>{@link io.github.posixsend.Posix}: the calls, as static methods with their C names, and the platform's
 *       constants ({@code AF_INET}, {@code SOL_SOCKET}, ...). {@link io.github.posixsend.Posix#isAvailable()}
 *       and {@link io.github.posixsend.Posix#unavailabilityCause()} tell whether they can work in this JVM.</li>
 *   <li>{@link io.github.posixsend.MsgFlag}: the {@code MSG_*} flags, their values on each system and
 *       {@link io.github.posixsend.MsgFlag#mask(io.github.posixsend.MsgFlag...)} to combine them.</li>
 *   <li>{@link io.github.posixsend.Errno} and {@link io.github.posixsend.ErrnoException} with one subclass per
 *       kind of failure ({@link io.github.posixsend.WouldBlockException},
 *       {@link io.github.posixsend.MessageTooLongException}, {@link io.github.posixsend.BrokenPipeException},
 *       ...): every errno maps to at most one, the rest arrive as the base class.</li>
 *   <li>{@link io.github.posixsend.SockAddr} (a destination converted once),
 *       {@link io.github.posixsend.SockAddrBuffer} (room for a received address),
 *       {@link io.github.posixsend.Message}, {@link io.github.posixsend.MessageBatch} and
 *       {@link io.github.posixsend.ControlMessage} ({@code struct msghdr}, {@code struct mmsghdr[]} and
 *       ancillary data), {@link io.github.posixsend.PacketInfo} (a received {@code IP_PKTINFO} or
 *       {@code IPV6_PKTINFO} read in place), {@link io.github.posixsend.PollSet} ({@code struct pollfd[]}),
 *       {@link io.github.posixsend.Linger}, {@link io.github.posixsend.TcpInfo}, {@link io.github.posixsend.Ucred}
 *       and {@link io.github.posixsend.SockTxtime} (option values; {@code Ucred} also the payload of
 *       {@code SCM_CREDENTIALS}), and
 *       {@link io.github.posixsend.Os} (the systems whose tables posix-send carries).</li>
 * </ul>
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>C names, C semantics.</b> One Java call is one system call, with the errno C code would see (the few
 *       exceptions, such as {@code setBlocking}'s two {@code fcntl} calls, are listed in
 *       {@link io.github.posixsend.Posix}).
 *       Descriptors are {@code int}s; whoever opens one closes it.</li>
 *   <li><b>Errors.</b> The throwing calls throw the {@link io.github.posixsend.ErrnoException} subclass of the
 *       errno, with a message such as {@code sendto: EMSGSIZE (Message too long)}. The {@code try} forms
 *       ({@code trySend}, {@code tryRecv}, {@code trySendmmsg}, ...) return the count, or {@code -errno}, and
 *       allocate nothing with direct buffers and reused objects. {@code EINTR} is retried inside each call except
 *       {@code connect} and {@code close}, on a socket with a send or receive timeout only until that timeout has
 *       passed since the first interruption ({@code EAGAIN} then).</li>
 *   <li><b>Arguments are checked in Java first</b>: {@link java.lang.NullPointerException},
 *       {@link java.lang.IndexOutOfBoundsException}, {@link java.lang.IllegalArgumentException} as a Java user
 *       expects; descriptors are not checked (a bad one gets the kernel's {@code EBADF} or
 *       {@code ENOTSOCK}).</li>
 *   <li><b>Buffers.</b> A send or write sends a {@link java.nio.ByteBuffer}'s remaining bytes and advances its
 *       position by the count sent; a receive or read fills it from its position. Direct buffers go to the kernel
 *       by address; heap data is copied to native memory for the call, never pinned while the kernel may block
 *       (the JNI and FFM backends pass a byte array of 8 KiB or more in place to a {@code send} or {@code recv}
 *       with {@code MSG_DONTWAIT} on a UDP socket, where the kernel waits for neither room, data nor another
 *       thread's lock; {@code MSG_MORE} sends are copied).</li>
 *   <li><b>Platform differences.</b> A constant the running system lacks is
 *       {@link io.github.posixsend.Posix#UNSUPPORTED}; passing one, or asking for the value of a flag or control
 *       message the system lacks, throws {@link java.lang.UnsupportedOperationException} naming the system.</li>
 *   <li><b>Native memory</b> of a {@link io.github.posixsend.Message} or {@link io.github.posixsend.MessageBatch}
 *       is freed by {@code close()} (the garbage collector is a fallback); a {@link io.github.posixsend.PollSet}'s
 *       direct memory goes when the set is collected. A {@link io.github.posixsend.Message} or
 *       {@link io.github.posixsend.MessageBatch} used by two threads at once throws
 *       {@link java.lang.IllegalStateException} in the second; a {@link io.github.posixsend.PollSet} is not for
 *       several threads at once either.</li>
 *   <li><b>Quiet.</b> posix-send prints nothing; the little it has to say goes to the
 *       {@link java.lang.System.Logger} named {@code io.github.posixsend}.</li>
 *   <li><b>This package is the whole API.</b> The module exports it alone; the {@code internal} packages are
 *       not API and may change in any release.</li>
 * </ul>
 */
package io.github.posixsend;

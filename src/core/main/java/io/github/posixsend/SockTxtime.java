// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * The value of {@code SO_TXTIME} (Linux), C's {@code struct sock_txtime}: the clock the socket's transmit times are
 * given in, and how the queueing discipline takes them. Once it is set, each {@code sendmsg} may carry a time in an
 * {@code SCM_TXTIME} control message ({@link ControlMessage#txtime(long)}): the earliest the packet may leave, for
 * the {@code fq} discipline, or its deadline, for {@code etf} with {@link Posix#SOF_TXTIME_DEADLINE_MODE}. A device
 * without such a discipline (loopback's {@code noqueue}) sends at once. The layout comes from the compiled headers
 * ({@code SIZEOF_SOCK_TXTIME}, {@code OFFSETOF_SOCK_TXTIME_*}); NetBSD has no {@code SO_TXTIME}.
 *
 * @param clockid the clock of the times: {@link Posix#CLOCK_MONOTONIC} (what {@code fq} expects; any other needs
 *     {@code CAP_NET_ADMIN}), or {@link Posix#CLOCK_TAI} and others for {@code etf}
 * @param flags {@link Posix#SOF_TXTIME_DEADLINE_MODE} and {@link Posix#SOF_TXTIME_REPORT_ERRORS}, or-ed, or 0
 */
public record SockTxtime(int clockid, int flags) {
}

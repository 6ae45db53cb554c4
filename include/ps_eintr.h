/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * Whether a system call a signal interrupted (EINTR) runs again. Without a socket timeout it does, as java.nio's
 * calls do. With one (SO_RCVTIMEO for the calls that wait to receive, SO_SNDTIMEO for those that wait to send) the
 * kernel never restarts the call, and running it again would start the whole timeout again: signals that arrive more
 * often than the timeout would keep the call waiting for good. So a timed call runs again only until its timeout has
 * passed since the first interruption, then fails with EAGAIN, as the timeout's expiry does: at most about three
 * timeouts in all, however many signals arrive.
 */
#ifndef PS_EINTR_H
#define PS_EINTR_H

#include <errno.h>
#include <time.h>

typedef struct {
    int state; /* PS_EINTR_* below */
    struct timespec deadline; /* CLOCK_MONOTONIC, set and read only while PS_EINTR_TIMED */
} ps_eintr;

#define PS_EINTR_FIRST 0  /* not interrupted yet: the timeout not asked */
#define PS_EINTR_UNTIMED 1 /* no timeout (or not a socket): run again */
#define PS_EINTR_TIMED 2  /* run again until the deadline */

/*
 * After a call failed with EINTR: 1 to run it again (errno still EINTR), or 0 with errno set to EAGAIN when the
 * socket's timeout (option timeout_option of fd) has passed since the first interruption.
 */
int ps_eintr_again(int fd, int timeout_option, ps_eintr *e);

/*
 * result = call, run again while a signal interrupts it, as ps_eintr_again says (fd and its timeout option). Only
 * the state is set before the call: the deadline is written when the first interruption asks the timeout.
 */
#define PS_RETRY_EINTR(result, fd, timeout_option, call) \
    do { \
        ps_eintr ps_eintr_; \
        ps_eintr_.state = PS_EINTR_FIRST; \
        do { \
            (result) = (call); \
        } while ((result) < 0 && errno == EINTR && ps_eintr_again((fd), (timeout_option), &ps_eintr_)); \
    } while (0)

#endif

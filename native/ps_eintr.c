/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* The rule for running an interrupted call again (ps_eintr.h). */
#include <errno.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include "ps_eintr.h"

int ps_eintr_again(int fd, int timeout_option, ps_eintr *e) {
    if (e->state == PS_EINTR_FIRST) {
        struct timeval tv = {0, 0};
        socklen_t len = sizeof tv;
        struct timespec now;
        if (getsockopt(fd, SOL_SOCKET, timeout_option, &tv, &len) != 0 || len != sizeof tv
                || (tv.tv_sec <= 0 && tv.tv_usec <= 0) || clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
            e->state = PS_EINTR_UNTIMED; /* a pipe or file, a socket without the timeout: no deadline */
        } else {
            e->state = PS_EINTR_TIMED;
            e->deadline.tv_sec = now.tv_sec + tv.tv_sec;
            e->deadline.tv_nsec = now.tv_nsec + (long) tv.tv_usec * 1000;
            if (e->deadline.tv_nsec >= 1000000000L) {
                e->deadline.tv_sec++;
                e->deadline.tv_nsec -= 1000000000L;
            }
        }
    }
    if (e->state == PS_EINTR_TIMED) {
        struct timespec now;
        if (clock_gettime(CLOCK_MONOTONIC, &now) == 0 && (now.tv_sec > e->deadline.tv_sec
                || (now.tv_sec == e->deadline.tv_sec && now.tv_nsec >= e->deadline.tv_nsec))) {
            errno = EAGAIN;
            return 0;
        }
    }
    errno = EINTR; /* getsockopt and clock_gettime may have set it */
    return 1;
}

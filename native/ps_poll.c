/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* poll(2) over an array of struct pollfd that Java keeps in a direct buffer; EINTR retried with the time left. */
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <time.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_buffers.h"
#include "ps_common.h"

static int64_t monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_poll0(
        JNIEnv *env, jclass cls, jobject fds, jint nfds, jint timeout) {
    (void) cls;
    if (nfds < 0 || nfds > INT_MAX / (jint) sizeof(struct pollfd)) {
        return -EINVAL;
    }
    struct pollfd *p = ps_direct_range(env, fds, 0, nfds * (jint) sizeof(struct pollfd));
    if (p == NULL || (uintptr_t) p % _Alignof(struct pollfd) != 0) {
        return -EINVAL;
    }
    /* A signal must not make the caller wait longer in total than asked: retry with what is left. */
    int64_t deadline = timeout > 0 ? monotonic_ns() + (int64_t) timeout * 1000000 : 0;
    int wait = timeout;
    for (;;) {
        int n = poll(p, (nfds_t) nfds, wait);
        if (n >= 0) {
            return n;
        }
        if (errno != EINTR) {
            return ps_neg_errno();
        }
        if (timeout > 0) {
            int64_t left = deadline - monotonic_ns();
            wait = left <= 0 ? 0 : (int) ((left + 999999) / 1000000);
        }
    }
}

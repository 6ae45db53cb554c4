/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * clock_gettime(2) as one number: a clock's time in nanoseconds, which a jlong holds from 1970 to 2262, so that the
 * times the kernel stamps on packets can be compared with now without a struct crossing into Java.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_common.h"

JNIEXPORT jlong JNICALL Java_io_github_posixsend_internal_jni_JniNative_clockGettime0(
        JNIEnv *env, jclass cls, jint clock) {
    (void) env;
    (void) cls;
    struct timespec ts;
    if (clock_gettime((clockid_t) clock, &ts) < 0) {
        return ps_neg_errno();
    }
    /* a time before the epoch would read as -errno, one past 2262 would wrap */
    if (ts.tv_sec < 0 || (int64_t) ts.tv_sec > (INT64_MAX - 999999999) / 1000000000) {
        return -EOVERFLOW;
    }
    return (jlong) ts.tv_sec * 1000000000 + (jlong) ts.tv_nsec;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* Descriptors of any kind: pipe2, and their O_NONBLOCK and close-on-exec flags (fcntl). */
#include <fcntl.h>
#include <unistd.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_common.h"

#define JNI_FN(name) Java_io_github_posixsend_internal_jni_JniNative_##name

JNIEXPORT jint JNICALL JNI_FN(pipe20)(JNIEnv *env, jclass cls, jint flags, jintArray out) {
    (void) cls;
    if (!ps_pair_room(env, out)) {
        return -EINVAL;
    }
    int p[2];
    if (pipe2(p, flags) < 0) {
        return ps_neg_errno();
    }
    ps_pair_out(env, out, p);
    return 0;
}

/* Sets (on) or clears bit in the flags fcntl reads with get and writes with set; no second call when it is as asked. */
static jint change_flag(jint fd, int get, int set, int bit, int on) {
    int fl = fcntl(fd, get);
    if (fl < 0) {
        return ps_neg_errno();
    }
    int want = on ? (fl | bit) : (fl & ~bit);
    if (want != fl && fcntl(fd, set, want) < 0) {
        return ps_neg_errno();
    }
    return 0;
}

/* 1 when bit is set in the flags fcntl reads with get, 0 when not, or -errno. */
static jint has_flag(jint fd, int get, int bit) {
    int fl = fcntl(fd, get);
    if (fl < 0) {
        return ps_neg_errno();
    }
    return (fl & bit) ? 1 : 0;
}

JNIEXPORT jint JNICALL JNI_FN(setBlocking0)(JNIEnv *env, jclass cls, jint fd, jboolean blocking) {
    (void) env; (void) cls;
    return change_flag(fd, F_GETFL, F_SETFL, O_NONBLOCK, !blocking);
}

JNIEXPORT jint JNICALL JNI_FN(isBlocking0)(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    jint nonblocking = has_flag(fd, F_GETFL, O_NONBLOCK);
    return nonblocking < 0 ? nonblocking : !nonblocking;
}

JNIEXPORT jint JNICALL JNI_FN(setCloseOnExec0)(JNIEnv *env, jclass cls, jint fd, jboolean on) {
    (void) env; (void) cls;
    return change_flag(fd, F_GETFD, F_SETFD, FD_CLOEXEC, on);
}

JNIEXPORT jint JNICALL JNI_FN(isCloseOnExec0)(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    return has_flag(fd, F_GETFD, FD_CLOEXEC);
}

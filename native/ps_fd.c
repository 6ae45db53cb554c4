/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* Descriptors of any kind: pipe2, and the close-on-exec flag (fcntl F_GETFD/F_SETFD). */
#include <fcntl.h>
#include <unistd.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_common.h"

#define JNI_FN(name) Java_io_github_posixsend_internal_jni_JniNative_##name

JNIEXPORT jint JNICALL JNI_FN(pipe20)(JNIEnv *env, jclass cls, jint flags, jintArray out) {
    (void) cls;
    /* checked before the call: two descriptors made and then not handed back would leak */
    if (out == NULL || (*env)->GetArrayLength(env, out) < 2) {
        return -EINVAL;
    }
    int p[2];
    if (pipe2(p, flags) < 0) {
        return ps_neg_errno();
    }
    jint fds[2] = {p[0], p[1]};
    (*env)->SetIntArrayRegion(env, out, 0, 2, fds);
    return 0;
}

JNIEXPORT jint JNICALL JNI_FN(setCloseOnExec0)(JNIEnv *env, jclass cls, jint fd, jboolean on) {
    (void) env; (void) cls;
    int fl = fcntl(fd, F_GETFD);
    if (fl < 0) {
        return ps_neg_errno();
    }
    int want = on ? (fl | FD_CLOEXEC) : (fl & ~FD_CLOEXEC);
    if (want != fl && fcntl(fd, F_SETFD, want) < 0) {
        return ps_neg_errno();
    }
    return 0;
}

JNIEXPORT jint JNICALL JNI_FN(isCloseOnExec0)(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    int fl = fcntl(fd, F_GETFD);
    if (fl < 0) {
        return ps_neg_errno();
    }
    return (fl & FD_CLOEXEC) ? 1 : 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* ioctl(2) requests that read one int: FIONREAD, SIOCOUTQ, SIOCOUTQNSD. */
#include <sys/ioctl.h>
#if defined(__linux__)
#include <linux/sockios.h>
#endif

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_common.h"

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_ioctlInt0(
        JNIEnv *env, jclass cls, jint fd, jint request, jintArray out) {
    (void) cls;
    if (out == NULL || (*env)->GetArrayLength(env, out) < 1) {
        return -EINVAL;
    }
    /*
     * Only requests known to write one int: any other could make the kernel write a larger struct past v, over
     * this function's stack.
     */
    unsigned long req = (unsigned long) (unsigned int) request;
    int known = req == (unsigned long) FIONREAD
#ifdef SIOCOUTQ
            || req == (unsigned long) SIOCOUTQ
#endif
#ifdef SIOCOUTQNSD
            || req == (unsigned long) SIOCOUTQNSD
#endif
            ;
    if (!known) {
        return -EINVAL;
    }
    int v = 0;
    /* zero-extended above: a BSD request with its top bit set must not become a 64-bit negative number */
    if (ioctl(fd, req, &v) < 0) {
        return ps_neg_errno();
    }
    jint jv = v;
    (*env)->SetIntArrayRegion(env, out, 0, 1, &jv);
    return 0;
}

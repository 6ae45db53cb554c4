/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * ioctl(2) requests that read one int (FIONREAD, SIOCOUTQ, SIOCOUTQNSD, SIOCATMARK) and those that read the last
 * datagram's arrival time (SIOCGSTAMP, SIOCGSTAMPNS): each known request's struct, in this function's own memory.
 */
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
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
#ifdef SIOCATMARK
            || req == (unsigned long) SIOCATMARK
#endif
            ;
    if (!known) {
        return -EINVAL;
    }
    /*
     * Room past the int: these requests reach whatever driver fd names (a tty, a device file), one of which could
     * write more than an int under the same number; it spends that here, not on the frame.
     */
    union {
        int v;
        unsigned char room[128];
    } value;
    memset(&value, 0, sizeof value);
    /* zero-extended above: a BSD request with its top bit set must not become a 64-bit negative number */
    if (ioctl(fd, req, &value) < 0) {
        return ps_neg_errno();
    }
    jint jv = value.v;
    (*env)->SetIntArrayRegion(env, out, 0, 1, &jv);
    return 0;
}

/*
 * The arrival time of the last datagram fd received, in nanoseconds into out[0]: SIOCGSTAMP writes a struct
 * timeval, SIOCGSTAMPNS a struct timespec. Any other request is -EINVAL: its struct could be larger.
 */
JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_ioctlStamp0(
        JNIEnv *env, jclass cls, jint fd, jint request, jlongArray out) {
    (void) cls;
    if (out == NULL || (*env)->GetArrayLength(env, out) < 1) {
        return -EINVAL;
    }
    unsigned long req = (unsigned long) (unsigned int) request;
    (void) req; /* unused where the platform has neither request */
    jlong nanos = 0;
    int known = 0;
#ifdef SIOCGSTAMP
    if (req == (unsigned long) SIOCGSTAMP) {
        struct timeval tv = {0};
        if (ioctl(fd, req, &tv) < 0) {
            return ps_neg_errno();
        }
        nanos = (jlong) tv.tv_sec * 1000000000 + (jlong) tv.tv_usec * 1000;
        known = 1;
    }
#endif
#ifdef SIOCGSTAMPNS
    if (req == (unsigned long) SIOCGSTAMPNS) {
        struct timespec ts = {0};
        if (ioctl(fd, req, &ts) < 0) {
            return ps_neg_errno();
        }
        nanos = (jlong) ts.tv_sec * 1000000000 + (jlong) ts.tv_nsec;
        known = 1;
    }
#endif
    if (!known) {
        (void) fd;
        return -EINVAL;
    }
    (*env)->SetLongArrayRegion(env, out, 0, 1, &nanos);
    return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * setsockopt(2) and getsockopt(2) with option values of any shape, as bytes: Java lays out struct linger,
 * struct timeval, interface names and struct tcp_info with the sizes and offsets the headers gave it.
 */
#include <sys/socket.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_buffers.h"
#include "ps_common.h"

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_setsockoptBytes0(
        JNIEnv *env, jclass cls, jint fd, jint level, jint name, jbyteArray value, jint len) {
    (void) cls;
    ps_heap_copy c;
    int rc = ps_heap_copy_begin(env, &c, value, 0, len, 1);
    if (rc < 0) {
        return rc;
    }
    rc = setsockopt(fd, level, name, c.data, (socklen_t) len) < 0 ? ps_neg_errno() : 0;
    ps_heap_copy_end(&c);
    return rc;
}

/* Returns the option's length as the kernel reports it, at most len; out[0 .. that) holds the value. */
JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_getsockoptBytes0(
        JNIEnv *env, jclass cls, jint fd, jint level, jint name, jbyteArray out, jint len) {
    (void) cls;
    ps_heap_copy c;
    /* the array is the value's input too, as C passes its buffer: the kernel never sees what the memory held */
    int rc = ps_heap_copy_begin(env, &c, out, 0, len, 1);
    if (rc < 0) {
        return rc;
    }
    socklen_t got = (socklen_t) len;
    if (getsockopt(fd, level, name, c.data, &got) < 0) {
        rc = ps_neg_errno();
    } else {
        rc = got < (socklen_t) len ? (jint) got : len;
        (*env)->SetByteArrayRegion(env, out, 0, rc, (const jbyte *) c.data);
    }
    ps_heap_copy_end(&c);
    return rc;
}

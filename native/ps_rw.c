/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* read and write on any descriptor (socket, pipe, file): one system call each, EINTR retried, -errno on failure. */
#include <unistd.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_buffers.h"
#include "ps_common.h"
#include "ps_eintr.h"

/* read(2) into or write(2) from len bytes at p, EINTR retried: the count, or -errno. */
static jint read_or_write(int reading, jint fd, void *p, jint len) {
    ssize_t n;
    if (reading) {
        PS_RETRY_EINTR(n, fd, SO_RCVTIMEO, read(fd, p, (size_t) len));
    } else {
        PS_RETRY_EINTR(n, fd, SO_SNDTIMEO, write(fd, p, (size_t) len));
    }
    return n < 0 ? ps_neg_errno() : (jint) n;
}

/* read into or write from buf[pos .. pos+len) of a direct buffer, by its address. */
static jint direct_read_or_write(JNIEnv *env, int reading, jint fd, jobject buf, jint pos, jint len) {
    void *p = ps_direct_range(env, buf, pos, len);
    if (p == NULL) {
        return -EINVAL;
    }
    return read_or_write(reading, fd, p, len);
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_readDirect0(
        JNIEnv *env, jclass cls, jint fd, jobject buf, jint pos, jint len) {
    (void) cls;
    return direct_read_or_write(env, 1, fd, buf, pos, len);
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_writeDirect0(
        JNIEnv *env, jclass cls, jint fd, jobject buf, jint pos, jint len) {
    (void) cls;
    return direct_read_or_write(env, 0, fd, buf, pos, len);
}

/*
 * read into or write from a[off .. off+len) through a copy: the array is never pinned, as a read from an empty pipe
 * or socket (or a write to a full one) may block for as long as the peer likes.
 */
static jint array_read_or_write(JNIEnv *env, int reading, jint fd, jbyteArray a, jint off, jint len) {
    ps_heap_copy c;
    int rc = ps_heap_copy_begin(env, &c, a, off, len, !reading);
    if (rc < 0) {
        return rc;
    }
    rc = read_or_write(reading, fd, c.data, len); /* errno taken before the copy is released */
    if (reading && rc > 0) {
        (*env)->SetByteArrayRegion(env, a, off, rc, (const jbyte *) c.data);
    }
    ps_heap_copy_end(&c);
    return rc;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_readArray0(
        JNIEnv *env, jclass cls, jint fd, jbyteArray a, jint off, jint len) {
    (void) cls;
    return array_read_or_write(env, 1, fd, a, off, len);
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_writeArray0(
        JNIEnv *env, jclass cls, jint fd, jbyteArray a, jint off, jint len) {
    (void) cls;
    return array_read_or_write(env, 0, fd, a, off, len);
}

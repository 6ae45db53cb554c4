/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* send, sendto, recv and recvfrom: one system call each, EINTR retried, -errno on failure. */
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_buffers.h"
#include "ps_common.h"
#include "ps_eintr.h"
#include "ps_sockaddr.h"

/*
 * Whether flags ask for a zero-copy send from memory the shim frees or gives back when the call returns (a copy of
 * a heap array on the stack or from malloc, or the array itself): the kernel would read those pages after the
 * call, sending whatever is there by then. Java refuses such a send first; this keeps it refused here too.
 */
static int zerocopy_from_borrowed(jint flags) {
#ifdef MSG_ZEROCOPY
    return (flags & MSG_ZEROCOPY) != 0;
#else
    (void) flags;
    return 0;
#endif
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendDirect0(
        JNIEnv *env, jclass cls, jint fd, jobject buf, jint pos, jint len, jint flags) {
    (void) cls;
    void *p = ps_direct_range(env, buf, pos, len);
    if (p == NULL) {
        return -EINVAL;
    }
    ssize_t n;
    PS_RETRY_EINTR(n, fd, SO_SNDTIMEO, send(fd, p, (size_t) len, flags));
    return n < 0 ? ps_neg_errno() : (jint) n;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendArray0(
        JNIEnv *env, jclass cls, jint fd, jbyteArray a, jint off, jint len, jint flags) {
    (void) cls;
    if (zerocopy_from_borrowed(flags)) {
        return -EINVAL;
    }
    ps_heap_copy c;
    int rc = ps_heap_copy_begin(env, &c, a, off, len, 1);
    if (rc < 0) {
        return rc;
    }
    ssize_t n;
    PS_RETRY_EINTR(n, fd, SO_SNDTIMEO, send(fd, c.data, (size_t) len, flags));
    rc = n < 0 ? ps_neg_errno() : (jint) n;
    ps_heap_copy_end(&c);
    return rc;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendtoDirect0(
        JNIEnv *env, jclass cls, jint fd, jobject buf, jint pos, jint len, jint flags, jbyteArray sa, jint salen,
        jlong w0, jlong w1, jlong w2, jlong w3) {
    (void) cls;
    void *p = ps_direct_range(env, buf, pos, len);
    if (p == NULL) {
        return -EINVAL;
    }
    const jlong words[PS_SOCKADDR_WORDS] = {w0, w1, w2, w3};
    ps_dest dest;
    socklen_t destlen;
    int rc = ps_dest_from_java(env, sa, salen, words, &dest, &destlen);
    if (rc < 0) {
        return rc;
    }
    ssize_t n;
    PS_RETRY_EINTR(n, fd, SO_SNDTIMEO, sendto(fd, p, (size_t) len, flags, (struct sockaddr *) &dest, destlen));
    return n < 0 ? ps_neg_errno() : (jint) n;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendtoArray0(
        JNIEnv *env, jclass cls, jint fd, jbyteArray a, jint off, jint len, jint flags, jbyteArray sa, jint salen,
        jlong w0, jlong w1, jlong w2, jlong w3) {
    (void) cls;
    if (zerocopy_from_borrowed(flags)) {
        return -EINVAL;
    }
    const jlong words[PS_SOCKADDR_WORDS] = {w0, w1, w2, w3};
    ps_dest dest;
    socklen_t destlen;
    int rc = ps_dest_from_java(env, sa, salen, words, &dest, &destlen);
    if (rc < 0) {
        return rc;
    }
    ps_heap_copy c;
    rc = ps_heap_copy_begin(env, &c, a, off, len, 1);
    if (rc < 0) {
        return rc;
    }
    ssize_t n;
    PS_RETRY_EINTR(n, fd, SO_SNDTIMEO, sendto(fd, c.data, (size_t) len, flags, (struct sockaddr *) &dest, destlen));
    rc = n < 0 ? ps_neg_errno() : (jint) n;
    ps_heap_copy_end(&c);
    return rc;
}

/* recvfrom into p; when sa is not null the sender's address goes there and its length into salen[0]. */
static jint recv_common(JNIEnv *env, jint fd, void *p, jint len, jint flags, jbyteArray sa, jintArray salen) {
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    /* checked before the call: a datagram received and then refused for want of room would be lost */
    if (sa != NULL && (salen == NULL || (*env)->GetArrayLength(env, salen) < 1
            || (*env)->GetArrayLength(env, sa) < (jint) sizeof ss)) {
        return -EINVAL;
    }
    ssize_t n;
    if (sa == NULL) {
        PS_RETRY_EINTR(n, fd, SO_RCVTIMEO, recv(fd, p, (size_t) len, flags));
    } else {
        memset(&ss, 0, sizeof ss); /* only the address's own bytes reach Java, but no stack bytes could */
        PS_RETRY_EINTR(n, fd, SO_RCVTIMEO, recvfrom(fd, p, (size_t) len, flags, (struct sockaddr *) &ss, &sslen));
    }
    if (n < 0) {
        return ps_neg_errno();
    }
    if (sa != NULL) {
        int got = ps_sockaddr_to_java(env, &ss, sslen, sa);
        if (got < 0) {
            return got;
        }
        jint jlen = got;
        (*env)->SetIntArrayRegion(env, salen, 0, 1, &jlen);
    }
    return (jint) n;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_recvDirect0(
        JNIEnv *env, jclass cls, jint fd, jobject buf, jint pos, jint len, jint flags, jbyteArray sa, jintArray salen) {
    (void) cls;
    void *p = ps_direct_range(env, buf, pos, len);
    if (p == NULL) {
        return -EINVAL;
    }
    return recv_common(env, fd, p, len, flags, sa, salen);
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_recvArray0(
        JNIEnv *env, jclass cls, jint fd, jbyteArray a, jint off, jint len, jint flags, jbyteArray sa,
        jintArray salen) {
    (void) cls;
    ps_heap_copy c;
    /*
     * With MSG_TRUNC a stream socket counts the bytes it discards without storing them, and the count is copied
     * back below: the copy must then hold the array's own bytes, not whatever the native memory held before.
     */
    int rc = ps_heap_copy_begin(env, &c, a, off, len, (flags & MSG_TRUNC) != 0);
    if (rc < 0) {
        return rc;
    }
    rc = recv_common(env, fd, c.data, len, flags, sa, salen);
    if (rc > 0) {
        /* MSG_TRUNC on a datagram socket reports the real length, which may exceed what was copied. */
        jint copied = rc < len ? rc : len;
        (*env)->SetByteArrayRegion(env, a, off, copied, (const jbyte *) c.data);
    }
    ps_heap_copy_end(&c);
    return rc;
}

/*
 * send from or recv into an array where it lies, for a large array: the copy costs more than the call. The array is
 * held in a critical region (the collector waits), so the callers do this only for a call that cannot block
 * (MSG_DONTWAIT). errno is read before the release, which may change it; mode 0 gives the bytes back to a JVM that
 * handed out a copy (a send's are unchanged).
 */
static jint array_in_place(JNIEnv *env, jint fd, jbyteArray a, jint off, jint len, jint flags, int receive) {
    if (a == NULL || !ps_range_ok(off, len, (*env)->GetArrayLength(env, a))
            || (!receive && zerocopy_from_borrowed(flags))) {
        return -EINVAL;
    }
    jbyte *base = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    if (base == NULL) {
        return -ENOMEM; /* an OutOfMemoryError is pending and is thrown on return */
    }
    ssize_t n;
    if (receive) {
        PS_RETRY_EINTR(n, fd, SO_RCVTIMEO, recv(fd, base + off, (size_t) len, flags));
    } else {
        PS_RETRY_EINTR(n, fd, SO_SNDTIMEO, send(fd, base + off, (size_t) len, flags));
    }
    jint rc = n < 0 ? ps_neg_errno() : (jint) n;
    (*env)->ReleasePrimitiveArrayCritical(env, a, base, receive ? 0 : JNI_ABORT);
    return rc;
}

/* A corked UDP send takes the socket's lock, which another sender may hold while its own memory faults in. */
#ifdef MSG_MORE
#define PS_CORKS MSG_MORE
#else
#define PS_CORKS 0
#endif

/*
 * sendArray0 with the array in place; without MSG_DONTWAIT (a call that may block), or with MSG_MORE, it copies as
 * sendArray0 does. The caller passes only UDP sockets, whose uncorked sends take no lock.
 */
JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendArrayInPlace0(
        JNIEnv *env, jclass cls, jint fd, jbyteArray a, jint off, jint len, jint flags) {
    if ((flags & MSG_DONTWAIT) == 0 || (flags & PS_CORKS) != 0) {
        return Java_io_github_posixsend_internal_jni_JniNative_sendArray0(env, cls, fd, a, off, len, flags);
    }
    return array_in_place(env, fd, a, off, len, flags, 0);
}

/* recv into the array in place; without MSG_DONTWAIT it receives through a copy as recvArray0 does. */
JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_recvArrayInPlace0(
        JNIEnv *env, jclass cls, jint fd, jbyteArray a, jint off, jint len, jint flags) {
    if ((flags & MSG_DONTWAIT) == 0) {
        return Java_io_github_posixsend_internal_jni_JniNative_recvArray0(env, cls, fd, a, off, len, flags, NULL, NULL);
    }
    return array_in_place(env, fd, a, off, len, flags, 1);
}

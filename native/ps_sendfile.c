/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * sendfile: a file's bytes to a descriptor, copied inside the kernel (Linux; NetBSD has none, and Java refuses the
 * call there before it reaches the shim). EINTR retried, -errno on failure.
 */
#include <sys/types.h>
#if defined(__linux__)
#include <sys/sendfile.h>
#endif

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_common.h"
#include "ps_eintr.h"

JNIEXPORT jlong JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendfile0(
        JNIEnv *env, jclass cls, jint out_fd, jint in_fd, jint at_offset, jlong offset, jlong count) {
    (void) env;
    (void) cls;
#if defined(__linux__)
    /* the kernel advances off by what it sent; Java works the next offset out from the count */
    off_t off = (off_t) offset;
    ssize_t n;
    /* an interruption with bytes sent returns their count, so a retry starts where the file offset still is */
    PS_RETRY_EINTR(n, out_fd, SO_SNDTIMEO, sendfile(out_fd, in_fd, at_offset ? &off : NULL, (size_t) count));
    return n < 0 ? (jlong) ps_neg_errno() : (jlong) n;
#else
    (void) out_fd;
    (void) in_fd;
    (void) at_offset;
    (void) offset;
    (void) count;
    return -ENOSYS;
#endif
}

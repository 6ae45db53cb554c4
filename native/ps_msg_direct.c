/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * sendmsg of one or two direct buffers, optionally to an address and with one control message whose payload is a
 * single value, without a message plan: the msghdr, its two iovecs, the sockaddr and the control buffer are built
 * on this frame from arguments and from the buffers' own final fields; the only memory Java can write that the call
 * reads is a long destination's image, copied once (ps_dest_from_java). It touches one stack page. EINTR retried,
 * -errno on failure. The same message can go as a sendmmsg of one (a batch of one needs no plan either).
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_buffers.h"
#include "ps_cmsg.h"
#include "ps_common.h"
#include "ps_eintr.h"
#include "ps_sockaddr.h"

#define PS_NO_CONTROL io_github_posixsend_internal_jni_JniNative_NO_CONTROL

/* sendmmsg of the one message m: 0 when the kernel sent none, 1 + its msg_len when it sent it, or -errno. */
static jlong send_as_batch(jint fd, const struct msghdr *m, jint flags) {
    struct mmsghdr one;
    memset(&one, 0, sizeof one);
    one.msg_hdr = *m;
    int k;
    PS_RETRY_EINTR(k, fd, SO_SNDTIMEO, sendmmsg(fd, &one, 1, (ps_mmsg_flags) flags));
    if (k < 0) {
        return (jlong) ps_neg_errno();
    }
    return k == 0 ? 0 : 1 + (jlong) one.msg_len;
}

JNIEXPORT jlong JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendmsgDirect0(
        JNIEnv *env, jclass cls, jint fd, jint one_of_batch, jobject buf0, jint pos0, jint len0, jobject buf1,
        jint pos1, jint len1, jbyteArray sa, jint salen, jlong w0, jlong w1, jlong w2, jlong w3, jint cmsg_level,
        jint cmsg_type, jint cmsg_kind, jint cmsg_value, jint flags) {
    (void) cls;
    struct iovec iov[2];
    struct msghdr m;
    ps_dest dest;
    ps_value_control control;
    memset(&m, 0, sizeof m);
    iov[0].iov_base = ps_direct_range(env, buf0, pos0, len0);
    if (iov[0].iov_base == NULL) {
        return -EINVAL;
    }
    iov[0].iov_len = (size_t) len0;
    m.msg_iovlen = 1;
    if (buf1 != NULL) {
        iov[1].iov_base = ps_direct_range(env, buf1, pos1, len1);
        if (iov[1].iov_base == NULL) {
            return -EINVAL;
        }
        iov[1].iov_len = (size_t) len1;
        m.msg_iovlen = 2;
    }
    m.msg_iov = iov;
    if (sa != NULL || salen != 0) {
        const jlong words[PS_SOCKADDR_WORDS] = {w0, w1, w2, w3};
        socklen_t destlen;
        int rc = ps_dest_from_java(env, sa, salen, words, &dest, &destlen);
        if (rc < 0) {
            return rc;
        }
        m.msg_name = &dest;
        m.msg_namelen = destlen;
    }
    if (cmsg_kind != PS_NO_CONTROL) {
        int rc = ps_cmsg_build_value(&m, &control, cmsg_level, cmsg_type, cmsg_kind, cmsg_value);
        if (rc < 0) {
            return rc;
        }
    }
    if (one_of_batch) {
        return send_as_batch(fd, &m, flags);
    }
    ssize_t n;
    PS_RETRY_EINTR(n, fd, SO_SNDTIMEO, sendmsg(fd, &m, flags));
    return n < 0 ? (jlong) ps_neg_errno() : (jlong) n;
}

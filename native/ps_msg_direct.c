/*
 * sendmsg of one or two direct buffers, optionally to an address and with one control message whose payload is a
 * single value, without a message plan: the msghdr, its two iovecs, the sockaddr and the control buffer are built
 * on this frame from arguments and from the buffers' own final fields, so the call reads no memory Java can write
 * and touches one stack page. EINTR retried, -errno on failure.
 */
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_buffers.h"
#include "ps_common.h"
#include "ps_plan.h"
#include "ps_sockaddr.h"

#define PS_NO_CONTROL io_github_posixsend_internal_jni_JniNative_NO_CONTROL

/* Room for one control message of an int payload, aligned as a cmsghdr must be. */
typedef union {
    struct cmsghdr align;
    unsigned char bytes[CMSG_SPACE(sizeof(int))];
} ps_value_control;

/*
 * Points m at one control message of level, type and value, as an int or a uint16_t payload by kind, built in *c
 * the way ps_cmsg_build builds the same record from a plan. 0, or -EINVAL for any other kind.
 */
static int put_value_control(struct msghdr *m, ps_value_control *c, jint level, jint type, jint kind, jint value) {
    size_t len;
    if (kind == PS_PLAN(KIND_INT)) {
        len = sizeof(int);
    } else if (kind == PS_PLAN(KIND_UINT16)) {
        len = sizeof(uint16_t);
    } else {
        return -EINVAL;
    }
    memset(c, 0, sizeof *c);
    m->msg_control = c->bytes;
    m->msg_controllen = CMSG_SPACE(len);
    struct cmsghdr *h = CMSG_FIRSTHDR(m);
    h->cmsg_len = CMSG_LEN(len);
    h->cmsg_level = level;
    h->cmsg_type = type;
    if (len == sizeof(int)) {
        int v = value;
        memcpy(CMSG_DATA(h), &v, sizeof v);
    } else {
        uint16_t v = (uint16_t) value;
        memcpy(CMSG_DATA(h), &v, sizeof v);
    }
    return 0;
}

JNIEXPORT jlong JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendmsgDirect0(
        JNIEnv *env, jclass cls, jint fd, jobject buf0, jint pos0, jint len0, jobject buf1, jint pos1, jint len1,
        jbyteArray sa, jint salen, jint cmsg_level, jint cmsg_type, jint cmsg_kind, jint cmsg_value, jint flags) {
    (void) cls;
    struct iovec iov[2];
    struct msghdr m;
    struct sockaddr_storage ss;
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
    if (sa != NULL) {
        socklen_t sslen;
        int rc = ps_sockaddr_from_java(env, sa, salen, &ss, &sslen);
        if (rc < 0) {
            return rc;
        }
        m.msg_name = &ss;
        m.msg_namelen = sslen;
    }
    if (cmsg_kind != PS_NO_CONTROL) {
        int rc = put_value_control(&m, &control, cmsg_level, cmsg_type, cmsg_kind, cmsg_value);
        if (rc < 0) {
            return rc;
        }
    }
    ssize_t n;
    PS_RETRY_EINTR(n, sendmsg(fd, &m, flags));
    return n < 0 ? (jlong) ps_neg_errno() : (jlong) n;
}

/* sendmsg, sendmmsg and recvmsg over a message plan (include/ps_plan.h): EINTR retried, -errno on failure. */
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_cmsg.h"
#include "ps_common.h"
#include "ps_plan.h"

#if defined(__NetBSD__)
typedef unsigned int ps_mmsg_flags; /* NetBSD declares sendmmsg's flags unsigned */
#else
typedef int ps_mmsg_flags;
#endif

/* Opens a plan of exactly one message and builds its msghdr (for receiving when receive is set). 0 or -errno. */
static int open_single(JNIEnv *env, jobject plan, jobject scratch, int receive, ps_plan *p, ps_scratch *s,
        struct msghdr *m) {
    int rc = ps_plan_open(env, plan, scratch, 1, 1, p, s);
    return rc < 0 ? rc : ps_plan_msghdr(p, s, 0, receive, m);
}

JNIEXPORT jlong JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendmsg0(
        JNIEnv *env, jclass cls, jint fd, jobject plan, jobject scratch, jint flags) {
    (void) cls;
    ps_plan p;
    ps_scratch s;
    struct msghdr m;
    int rc = open_single(env, plan, scratch, 0, &p, &s, &m);
    if (rc < 0) {
        return rc;
    }
    ssize_t n;
    PS_RETRY_EINTR(n, sendmsg(fd, &m, flags));
    if (n < 0) {
        return ps_neg_errno();
    }
    ps_plan_put_long(&p, ps_plan_msg(&p, 0) + PS_MSG_OUT_BYTES, (jlong) n);
    return (jlong) n;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendmmsg0(
        JNIEnv *env, jclass cls, jint fd, jobject plan, jobject scratch, jint flags) {
    (void) cls;
    ps_plan p;
    ps_scratch s;
    int rc = ps_plan_open(env, plan, scratch, 0, PS_PLAN_MAX_MESSAGES, &p, &s);
    if (rc < 0) {
        return rc;
    }
    struct mmsghdr *v = NULL;
    if (p.messages > 0) {
        v = ps_scratch_take(&s, (size_t) p.messages * sizeof *v);
        if (v == NULL) {
            return -EINVAL;
        }
    }
    for (jint i = 0; i < p.messages; i++) {
        rc = ps_plan_msghdr(&p, &s, i, 0, &v[i].msg_hdr);
        if (rc < 0) {
            return rc;
        }
        v[i].msg_len = 0;
        ps_plan_put_long(&p, ps_plan_msg(&p, i) + PS_MSG_OUT_BYTES, 0);
    }
    int n;
    PS_RETRY_EINTR(n, sendmmsg(fd, v, (unsigned int) p.messages, (ps_mmsg_flags) flags));
    if (n < 0) {
        return ps_neg_errno();
    }
    for (int i = 0; i < n && i < p.messages; i++) {
        ps_plan_put_long(&p, ps_plan_msg(&p, i) + PS_MSG_OUT_BYTES, (jlong) v[i].msg_len);
    }
    return n;
}

JNIEXPORT jlong JNICALL Java_io_github_posixsend_internal_jni_JniNative_recvmsg0(
        JNIEnv *env, jclass cls, jint fd, jobject plan, jobject scratch, jint flags) {
    (void) cls;
    ps_plan p;
    ps_scratch s;
    struct msghdr m;
    int rc = open_single(env, plan, scratch, 1, &p, &s, &m);
    if (rc < 0) {
        return rc;
    }
    ssize_t n;
    PS_RETRY_EINTR(n, recvmsg(fd, &m, flags));
    if (n < 0) {
        return ps_neg_errno();
    }
    jlong r = ps_plan_msg(&p, 0);
    ps_plan_put_long(&p, r + PS_MSG_OUT_BYTES, (jlong) n);
    ps_plan_put_int(&p, r + PS_MSG_OUT_FLAGS, m.msg_flags);
    ps_plan_put_int(&p, r + PS_MSG_OUT_NAMELEN, m.msg_name != NULL ? (jint) m.msg_namelen : 0);
    /* ranges were checked by ps_plan_msghdr before the call, so parsing cannot fail after it */
    jint parsed = ps_cmsg_parse(&p, &m, ps_plan_int(&p, r + PS_MSG_CMSG_FIRST), ps_plan_int(&p, r + PS_MSG_CMSG_COUNT),
            ps_plan_int(&p, r + PS_MSG_CONTROL_OFF), ps_plan_int(&p, r + PS_MSG_CONTROL_SPACE));
    ps_plan_put_int(&p, r + PS_MSG_OUT_CMSGS, parsed);
    return (jlong) n;
}

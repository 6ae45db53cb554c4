/*
 * Reading the message plan (include/ps_plan.h): every count and offset Java wrote is checked against the
 * buffers the shim was given before anything is dereferenced, and the platform's structs are built in scratch.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_cmsg.h"
#include "ps_common.h"
#include "ps_plan.h"

int ps_plan_open(JNIEnv *env, jobject plan, jobject scratch, jint min_messages, jint max_messages,
        ps_plan *p, ps_scratch *s) {
    if (plan == NULL || scratch == NULL) {
        return -EINVAL;
    }
    p->base = (*env)->GetDirectBufferAddress(env, plan);
    p->cap = (*env)->GetDirectBufferCapacity(env, plan);
    s->base = (*env)->GetDirectBufferAddress(env, scratch);
    jlong scap = (*env)->GetDirectBufferCapacity(env, scratch);
    if (p->base == NULL || p->cap < PS_PLAN_HEADER || p->cap > INT32_MAX || s->base == NULL || scap < 0) {
        return -EINVAL;
    }
    s->cap = (size_t) scap;
    s->used = 0;
    if (ps_plan_int(p, 0) != PS_PLAN_VERSION) {
        return -EINVAL;
    }
    p->messages = ps_plan_int(p, 4);
    p->msg_off = ps_plan_int(p, 8);
    p->iov_off = ps_plan_int(p, 12);
    p->iov_count = ps_plan_int(p, 16);
    p->cmsg_off = ps_plan_int(p, 20);
    p->cmsg_count = ps_plan_int(p, 24);
    if (p->messages < min_messages || p->messages > max_messages || p->iov_count < 0 || p->cmsg_count < 0
            || !ps_range_ok(p->msg_off, (jlong) p->messages * PS_PLAN_MSG, p->cap)
            || !ps_range_ok(p->iov_off, (jlong) p->iov_count * PS_PLAN_IOV, p->cap)
            || !ps_range_ok(p->cmsg_off, (jlong) p->cmsg_count * PS_PLAN_CMSG, p->cap)) {
        return -EINVAL;
    }
    return 0;
}

void *ps_scratch_take(ps_scratch *s, size_t n) {
    size_t align = _Alignof(max_align_t);
    uintptr_t at = (uintptr_t) (s->base + s->used);
    size_t pad = (size_t) ((align - at % align) % align);
    if (pad > s->cap - s->used || n > s->cap - s->used - pad) {
        return NULL;
    }
    void *out = s->base + s->used + pad;
    s->used += pad + n;
    return out;
}

/* True when [first, first + count) lies inside a table of total records. */
static int records_ok(jint first, jint count, jint total) {
    return first >= 0 && count >= 0 && first <= total && count <= total - first;
}

static int build_iov(ps_plan *p, ps_scratch *s, jint first, jint count, struct msghdr *m) {
    if (!records_ok(first, count, p->iov_count)) {
        return -EINVAL;
    }
    if (count == 0) {
        return 0;
    }
    struct iovec *iov = ps_scratch_take(s, (size_t) count * sizeof *iov);
    if (iov == NULL) {
        return -EINVAL;
    }
    for (jint j = 0; j < count; j++) {
        jlong rec = (jlong) p->iov_off + (jlong) (first + j) * PS_PLAN_IOV;
        jlong addr = ps_plan_long(p, rec);
        jint off = ps_plan_int(p, rec + 8);
        jint len = ps_plan_int(p, rec + 12);
        jint cap = ps_plan_int(p, rec + 16);
        if (addr == 0) {
            if (!ps_range_ok(off, len, p->cap)) {
                return -EINVAL;
            }
            iov[j].iov_base = p->base + off;
        } else {
            if (!ps_range_ok(off, len, cap)) {
                return -EINVAL;
            }
            iov[j].iov_base = (unsigned char *) (uintptr_t) addr + off;
        }
        iov[j].iov_len = (size_t) len;
    }
    m->msg_iov = iov;
    m->msg_iovlen = count; /* size_t on Linux, int on NetBSD */
    return 0;
}

int ps_plan_msghdr(ps_plan *p, ps_scratch *s, jint i, int receive, struct msghdr *m) {
    if (i < 0 || i >= p->messages) {
        return -EINVAL;
    }
    jlong r = ps_plan_msg(p, i);
    jint name_off = ps_plan_int(p, r);
    jint name_len = ps_plan_int(p, r + 4);
    jint cmsg_first = ps_plan_int(p, r + 16);
    jint cmsg_count = ps_plan_int(p, r + 20);
    jint ctl_off = ps_plan_int(p, r + 24);
    jint ctl_cap = ps_plan_int(p, r + 28);
    memset(m, 0, sizeof *m);
    if (name_len != 0) {
        if (name_len < 0 || (size_t) name_len > sizeof(struct sockaddr_storage)
                || !ps_range_ok(name_off, name_len, p->cap)) {
            return -EINVAL;
        }
        m->msg_name = p->base + name_off; /* the kernel copies it in (or out): no alignment needed */
        m->msg_namelen = (socklen_t) name_len;
    }
    int rc = build_iov(p, s, ps_plan_int(p, r + 8), ps_plan_int(p, r + 12), m);
    if (rc < 0) {
        return rc;
    }
    if (ctl_cap < 0 || !records_ok(cmsg_first, cmsg_count, p->cmsg_count)) {
        return -EINVAL;
    }
    if (receive) {
        /* the kernel fills the control space; ps_cmsg_parse copies payloads to [ctl_off, ctl_off + ctl_cap) */
        if (!ps_range_ok(ctl_off, ctl_cap, p->cap)) {
            return -EINVAL;
        }
        if (ctl_cap > 0) {
            void *buf = ps_scratch_take(s, (size_t) ctl_cap);
            if (buf == NULL) {
                return -EINVAL;
            }
            memset(buf, 0, (size_t) ctl_cap);
            m->msg_control = buf;
            m->msg_controllen = (size_t) ctl_cap; /* size_t on Linux, socklen_t on NetBSD */
        }
        return 0;
    }
    if (cmsg_count == 0) {
        return 0;
    }
    jlong space = ps_cmsg_space(p, cmsg_first, cmsg_count);
    if (space < 0 || space > ctl_cap) {
        return -EINVAL;
    }
    unsigned char *buf = ps_scratch_take(s, (size_t) space);
    if (buf == NULL) {
        return -EINVAL;
    }
    return ps_cmsg_build(p, cmsg_first, cmsg_count, buf, (size_t) space, m);
}

JNIEXPORT jlong JNICALL Java_io_github_posixsend_internal_jni_JniNative_directAddress0(
        JNIEnv *env, jclass cls, jobject buf) {
    (void) cls;
    if (buf == NULL) {
        return 0;
    }
    void *p = (*env)->GetDirectBufferAddress(env, buf);
    return (jlong) (uintptr_t) p;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * Reading the message plan (include/ps_plan.h): the ranges and each header and record are copied once, the copies
 * are checked, and only the copies are used; the platform's structs are built in the shim's own scratch memory.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "ps_cmsg.h"
#include "ps_common.h"
#include "ps_plan.h"

struct ps_chunk {
    ps_chunk *next;
};

/* Heap chunks are at least this large, so a big batch takes few of them. */
#define PS_CHUNK_MIN 65536

void ps_scratch_init(ps_scratch *s, unsigned char *area, size_t cap) {
    s->base = area;
    s->cap = cap;
    s->used = 0;
    s->spilled = 0;
    s->heap = NULL;
}

void *ps_scratch_grow(ps_scratch *s, size_t n) {
    /* a new chunk; pieces already handed out stay where they are. malloc aligns for any struct, and the header
     * is rounded up to that alignment, so the chunk's area starts aligned as ps_scratch_take assumes */
    const size_t align = _Alignof(max_align_t);
    size_t header = (sizeof(ps_chunk) + align - 1) / align * align;
    size_t size = n > PS_CHUNK_MIN ? n : PS_CHUNK_MIN;
    if (size > SIZE_MAX - header) {
        return NULL;
    }
    ps_chunk *c = malloc(header + size);
    if (c == NULL) {
        return NULL;
    }
    size_t done = (s->used + align - 1) / align * align;
    s->spilled = done > SIZE_MAX - s->spilled ? SIZE_MAX : s->spilled + done;
    c->next = s->heap;
    s->heap = c;
    s->base = (unsigned char *) c + header;
    s->cap = size;
    s->used = n;
    return s->base;
}

void ps_scratch_free_chunks(ps_scratch *s) {
    while (s->heap != NULL) {
        ps_chunk *next = s->heap->next;
        free(s->heap);
        s->heap = next;
    }
}

/*
 * Takes r (the shim's copy of the ranges: plan, then listed buffers) as the plan's memory and copies and checks
 * the header. 0 or -EINVAL.
 */
static int attach(JNIEnv *env, const jlong *r, jint listed, jint min_messages, jint max_messages, ps_plan *p) {
    p->env = env;
    p->base = (unsigned char *) (intptr_t) r[0];
    p->cap = r[1];
    p->listed = r + 2;
    p->listed_count = listed;
    if (p->base == NULL || p->cap < PS_PLAN(HEADER) || p->cap > INT32_MAX) {
        return -EINVAL;
    }
    unsigned char h[PS_PLAN(HEADER)];
    ps_plan_copy(p, 0, h, sizeof h);
    if (ps_field_int(h, PS_PLAN(H_VERSION)) != PS_PLAN(VERSION)) {
        return -EINVAL;
    }
    p->messages = ps_field_int(h, PS_PLAN(H_MESSAGES));
    p->msg_off = ps_field_int(h, PS_PLAN(H_MSG_OFF));
    p->iov_off = ps_field_int(h, PS_PLAN(H_IOV_OFF));
    p->iov_count = ps_field_int(h, PS_PLAN(H_IOV_COUNT));
    p->cmsg_off = ps_field_int(h, PS_PLAN(H_CMSG_OFF));
    p->cmsg_count = ps_field_int(h, PS_PLAN(H_CMSG_COUNT));
    if (p->messages < min_messages || p->messages > max_messages || p->iov_count < 0 || p->cmsg_count < 0
            || !ps_range_ok(p->msg_off, (jlong) p->messages * PS_PLAN(MSG), p->cap)
            || !ps_range_ok(p->iov_off, (jlong) p->iov_count * PS_PLAN(IOV), p->cap)
            || !ps_range_ok(p->cmsg_off, (jlong) p->cmsg_count * PS_PLAN(CMSG), p->cap)) {
        return -EINVAL;
    }
    return 0;
}

int ps_plan_open(JNIEnv *env, jlongArray ranges, jint listed, ps_scratch *s, jint min_messages,
        jint max_messages, ps_plan *p) {
    jsize length = ranges != NULL ? (*env)->GetArrayLength(env, ranges) : 0;
    if (length < 2 || listed < 0 || listed > (length - 2) / 2) {
        return -EINVAL;
    }
    jint n = 2 + 2 * listed;
    jlong *r = ps_scratch_take(s, (size_t) n * sizeof *r);
    if (r == NULL) {
        return -ENOMEM;
    }
    (*env)->GetLongArrayRegion(env, ranges, 0, n, r);
    return attach(env, r, listed, min_messages, max_messages, p);
}

int ps_plan_open_args(JNIEnv *env, jlong plan, jlong capacity, jint listed, const jlong *pairs, jlongArray ranges,
        ps_scratch *s, jint min_messages, jint max_messages, ps_plan *p) {
    if (listed > PS_PLAN_ARG_BUFFERS) {
        return ps_plan_open(env, ranges, listed, s, min_messages, max_messages, p);
    }
    if (listed < 0) {
        return -EINVAL;
    }
    jlong *r = ps_scratch_take(s, (size_t) (2 + 2 * PS_PLAN_ARG_BUFFERS) * sizeof *r);
    if (r == NULL) {
        return -ENOMEM;
    }
    r[0] = plan;
    r[1] = capacity;
    for (jint k = 0; k < 2 * listed; k++) {
        r[2 + k] = pairs[k];
    }
    return attach(env, r, listed, min_messages, max_messages, p);
}

/* True when [first, first + count) lies inside a table of total records. */
static int records_ok(jint first, jint count, jint total) {
    return first >= 0 && count >= 0 && first <= total && count <= total - first;
}

static int msg_read(const ps_plan *p, jint i, int receive, ps_msg_rec *r) {
    if (i < 0 || i >= p->messages) {
        return -EINVAL;
    }
    jlong rec = ps_plan_msg(p, i);
    r->name_off = ps_plan_int(p, rec + PS_PLAN(M_NAME_OFF));
    r->name_len = ps_plan_int(p, rec + PS_PLAN(M_NAME_LEN));
    r->iov_first = ps_plan_int(p, rec + PS_PLAN(M_IOV_FIRST));
    r->iov_count = ps_plan_int(p, rec + PS_PLAN(M_IOV_COUNT));
    r->cmsg_first = ps_plan_int(p, rec + PS_PLAN(M_CMSG_FIRST));
    r->cmsg_count = ps_plan_int(p, rec + PS_PLAN(M_CMSG_COUNT));
    r->ctl_off = ps_plan_int(p, rec + PS_PLAN(M_CTL_OFF));
    r->ctl_space = ps_plan_int(p, rec + PS_PLAN(M_CTL_SPACE));
    ps_plan_fence();
    if (r->name_len != 0 && (r->name_len < 0 || (size_t) r->name_len > sizeof(struct sockaddr_storage)
            || !ps_range_ok(r->name_off, r->name_len, p->cap))) {
        return -EINVAL;
    }
    if (!records_ok(r->iov_first, r->iov_count, p->iov_count)
            || !records_ok(r->cmsg_first, r->cmsg_count, p->cmsg_count)
            || r->ctl_space < 0 || r->ctl_space > PS_PLAN(MAX_CONTROL_SPACE)) {
        return -EINVAL;
    }
    if (receive && !ps_range_ok(r->ctl_off, r->ctl_space, p->cap)) {
        return -EINVAL; /* received payloads are copied back to [ctl_off, ctl_off + ctl_space) */
    }
    if (receive && r->name_len != 0 && (size_t) r->name_len < sizeof(struct sockaddr_storage)) {
        /* room for any address, as Java always gives: the kernel reports a cut address by its full length,
         * which would tell Java of bytes it never wrote */
        return -EINVAL;
    }
    return 0;
}

static int build_iov(const ps_plan *p, ps_scratch *s, jint first, jint count, struct msghdr *m) {
    if (count == 0) {
        return 0;
    }
    struct iovec *iov = ps_scratch_take(s, (size_t) count * sizeof *iov);
    if (iov == NULL) {
        return -ENOMEM;
    }
    for (jint j = 0; j < count; j++) {
        jlong rec = (jlong) p->iov_off + (jlong) (first + j) * PS_PLAN(IOV);
        jint buffer = ps_plan_int(p, rec + PS_PLAN(I_BUFFER));
        jint off = ps_plan_int(p, rec + PS_PLAN(I_OFF));
        jint len = ps_plan_int(p, rec + PS_PLAN(I_LEN));
        ps_plan_fence();
        if (buffer == PS_PLAN(STAGED)) {
            if (!ps_range_ok(off, len, p->cap)) {
                return -EINVAL;
            }
            iov[j].iov_base = p->base + off;
        } else {
            if (buffer < 0 || buffer >= p->listed_count) {
                return -EINVAL;
            }
            /* the ranges were copied into scratch when the plan was opened: no other thread can change them */
            unsigned char *at = (unsigned char *) (intptr_t) p->listed[2 * buffer];
            if (at == NULL || !ps_range_ok(off, len, p->listed[2 * buffer + 1])) {
                return -EINVAL;
            }
            iov[j].iov_base = at + off;
        }
        iov[j].iov_len = (size_t) len;
    }
    m->msg_iov = iov;
    m->msg_iovlen = count; /* size_t on Linux, int on NetBSD */
    return 0;
}

static int build_msghdr(const ps_plan *p, ps_scratch *s, const ps_msg_rec *r, int receive, struct msghdr *m) {
    memset(m, 0, sizeof *m);
    if (r->name_len != 0) {
        m->msg_name = p->base + r->name_off; /* the kernel copies it in (or out): no alignment needed */
        m->msg_namelen = (socklen_t) r->name_len;
    }
    int rc = build_iov(p, s, r->iov_first, r->iov_count, m);
    if (rc < 0) {
        return rc;
    }
    if (receive) {
        if (r->ctl_space > 0) {
            void *buf = ps_scratch_take(s, (size_t) r->ctl_space);
            if (buf == NULL) {
                return -ENOMEM;
            }
            /* not cleared: the kernel sets msg_controllen to what it wrote, and parsing reads no further */
            m->msg_control = buf;
            m->msg_controllen = (size_t) r->ctl_space; /* size_t on Linux, socklen_t on NetBSD */
        }
        return 0;
    }
    if (r->cmsg_count == 0) {
        return 0;
    }
    return ps_cmsg_build(p, s, r->cmsg_first, r->cmsg_count, r->ctl_space, m);
}

int ps_plan_build(const ps_plan *p, ps_scratch *s, jint i, int receive, ps_msg_rec *r, struct msghdr *m) {
    int rc = msg_read(p, i, receive, r);
    return rc < 0 ? rc : build_msghdr(p, s, r, receive, m);
}

int ps_plan_build_all(ps_plan *p, ps_scratch *s, int receive, struct mmsghdr *v, ps_msg_rec *recs) {
    for (jint i = 0; i < p->messages; i++) {
        int rc = ps_plan_build(p, s, i, receive, &recs[i], &v[i].msg_hdr);
        if (rc < 0) {
            return rc;
        }
        v[i].msg_len = 0;
        ps_plan_put_long(p, ps_plan_msg(p, i) + PS_PLAN(M_OUT_LEN), 0);
    }
    return 0;
}

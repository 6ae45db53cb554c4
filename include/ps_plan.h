/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * The message plan: how Java describes sendmsg, sendmmsg and recvmsg calls to the shim.
 *
 * Java (io.github.posixsend.internal.MessagePlan, whose class comment documents the format and whose @Native
 * constants javac -h turns into the header included below) fills a direct buffer with plain numbers in native
 * byte order. Beside it the shim gets the plan's "ranges", a long[] only MessagePlan writes: the plan buffer's
 * address and capacity, then the address and capacity of each direct buffer the call lists. iov records name a
 * listed buffer by its index, never by address. The shim copies the ranges, each header and each record once,
 * checks the copies (every iov range inside its buffer's capacity), uses only the copies (before and after the
 * system call), and builds the platform's own struct msghdr / mmsghdr / iovec / cmsghdr in memory of its own.
 */
#ifndef PS_PLAN_H
#define PS_PLAN_H

#include <jni.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "io_github_posixsend_internal_MessagePlan.h"
#include "io_github_posixsend_internal_jni_JniNative.h"

/* A plan constant by its Java name: PS_PLAN(M_OUT_LEN) is MessagePlan.M_OUT_LEN. */
#define PS_PLAN(name) io_github_posixsend_internal_MessagePlan_##name

/* The plan's memory and the header fields, copied once when the plan is opened. */
typedef struct {
    JNIEnv *env;
    unsigned char *base;
    jlong cap;
    const jlong *listed; /* address and capacity of each listed buffer, copied from the ranges */
    jint listed_count;
    jint messages;
    jint msg_off;
    jint iov_off;
    jint iov_count;
    jint cmsg_off;
    jint cmsg_count;
} ps_plan;

/* A message record, copied once. */
typedef struct {
    jint name_off;
    jint name_len;
    jint iov_first;
    jint iov_count;
    jint cmsg_first;
    jint cmsg_count;
    jint ctl_off;
    jint ctl_space;
} ps_msg_rec;

/* A cmsg record, copied once. */
typedef struct {
    jint level;
    jint type;
    jint kind;
    jint data_off;
    jint data_len;
    jint value;
    unsigned char address[16];
} ps_cmsg_rec;

/*
 * Memory the shim builds structs in: an area the caller gives (on its stack, or a kept batch's in a direct buffer
 * Java allocated, which never leaves JniBackend and which no Java code writes), then heap chunks as needed, all freed
 * by ps_scratch_free. Java cannot write any of it, so what the kernel reads is what the shim checked.
 */
#define PS_SCRATCH_STACK 16384 /* a batch of 64 one-buffer messages fits */
typedef struct ps_chunk ps_chunk;
typedef struct {
    unsigned char *base;
    size_t cap;
    size_t used;
    size_t spilled; /* bytes handed out from the areas before base's, each rounded up to the alignment */
    ps_chunk *heap;
} ps_scratch;

/* Starts a scratch in the cap bytes at area, which is aligned for any struct. */
void ps_scratch_init(ps_scratch *s, unsigned char *area, size_t cap);

/* The bytes one area would have needed for everything handed out so far: what a kept batch's area should hold. */
static inline size_t ps_scratch_wanted(const ps_scratch *s) {
    return s->used > SIZE_MAX - s->spilled ? SIZE_MAX : s->spilled + s->used;
}

/* The slow path of ps_scratch_take: a new heap chunk for n bytes, or NULL when no memory could be had. */
void *ps_scratch_grow(ps_scratch *s, size_t n);

/*
 * Hands out n bytes aligned for any struct, or NULL when no memory could be had. Inline because a batch takes
 * pieces per message; every area's base is aligned for any struct, so the padding follows from the bytes used.
 */
static inline void *ps_scratch_take(ps_scratch *s, size_t n) {
    const size_t align = _Alignof(max_align_t);
    size_t at = (s->used + align - 1) & ~(align - 1);
    if (at <= s->cap && n <= s->cap - at) {
        s->used = at + n;
        return s->base + at;
    }
    return ps_scratch_grow(s, n);
}

/* Frees the heap chunks of ps_scratch_grow. */
void ps_scratch_free_chunks(ps_scratch *s);

/* Frees what the scratch took beyond the area it started with; inline, as almost every call took nothing more. */
static inline void ps_scratch_free(ps_scratch *s) {
    if (s->heap != NULL) {
        ps_scratch_free_chunks(s);
    }
}

/*
 * Copies n bytes at off of the plan (the caller checked the range) into dst. The compiler barrier stops the
 * compiler from reading the plan again in place of the copy: a value another thread rewrites after its check
 * must never be used.
 */
static inline void ps_plan_copy(const ps_plan *p, jlong off, void *dst, size_t n) {
    memcpy(dst, p->base + off, n);
    __asm__ __volatile__("" : : "r"(dst) : "memory");
}

/*
 * A 32-bit field read straight from the plan at off (the caller checked the range). A caller reads every field
 * it needs into locals this way, then calls ps_plan_fence() before checking or using any of them: after the
 * fence the compiler may not read the plan again in place of a local.
 */
static inline jint ps_plan_int(const ps_plan *p, jlong off) {
    int32_t v;
    memcpy(&v, p->base + off, sizeof v);
    return v;
}

static inline void ps_plan_fence(void) {
    __asm__ __volatile__("" : : : "memory");
}

/* A 32-bit field of a record already copied out of the plan. */
static inline jint ps_field_int(const unsigned char *rec, int off) {
    int32_t v;
    memcpy(&v, rec + off, sizeof v);
    return v;
}

static inline void ps_plan_put_int(ps_plan *p, jlong off, jint value) {
    int32_t v = value;
    memcpy(p->base + off, &v, sizeof v);
}

static inline void ps_plan_put_long(ps_plan *p, jlong off, jlong value) {
    int64_t v = value;
    memcpy(p->base + off, &v, sizeof v);
}

/* Offset of message i's record and of cmsg record k (callers checked the index). */
static inline jlong ps_plan_msg(const ps_plan *p, jint i) {
    return (jlong) p->msg_off + (jlong) i * PS_PLAN(MSG);
}

static inline jlong ps_plan_cmsg(const ps_plan *p, jint k) {
    return (jlong) p->cmsg_off + (jlong) k * PS_PLAN(CMSG);
}

/*
 * Opens a plan: copies the ranges of the plan and of its listed buffers into scratch, then copies and checks the
 * header: version, table extents inside the plan, and the message count between min_messages and max_messages.
 * Returns 0, -EINVAL or -ENOMEM.
 */
int ps_plan_open(JNIEnv *env, jlongArray ranges, jint listed, ps_scratch *s, jint min_messages,
        jint max_messages, ps_plan *p);

/* How many listed buffers a single-message call passes as arguments instead of in the ranges array. */
#define PS_PLAN_ARG_BUFFERS io_github_posixsend_internal_jni_JniNative_ARG_BUFFERS

/*
 * ps_plan_open for the single-message calls, whose ranges arrive as arguments: the plan's address and capacity,
 * and for up to PS_PLAN_ARG_BUFFERS listed buffers their address and capacity in pairs (address, capacity, ...).
 * Arguments are the shim's own copies, and reading them costs no JNI call. A call that lists more passes the
 * whole of MessagePlan.ranges() in ranges instead, read as ps_plan_open reads it.
 */
int ps_plan_open_args(JNIEnv *env, jlong plan, jlong capacity, jint listed, const jlong *pairs, jlongArray ranges,
        ps_scratch *s, jint min_messages, jint max_messages, ps_plan *p);

/*
 * Copies and checks message record i into *r (name and control ranges inside the plan, record ranges inside their
 * tables) and fills *m from the copy: name (pointing into the plan), iovecs (in scratch, pointing into the listed
 * direct buffers or at staged bytes in the plan) and control messages (built in scratch). For recvmsg
 * (receive != 0) the control area is the message's control space, in scratch, for the kernel to fill. Returns 0,
 * -EINVAL for anything out of range, or -ENOMEM.
 */
int ps_plan_build(const ps_plan *p, ps_scratch *s, jint i, int receive, ps_msg_rec *r, struct msghdr *m);

/*
 * ps_plan_build for every message of the plan into v[i].msg_hdr and recs[i], clearing v[i].msg_len and the plan's
 * out-bytes field of each. One loop here, beside the builders, so that a batch pays no call per message.
 */
int ps_plan_build_all(ps_plan *p, ps_scratch *s, int receive, struct mmsghdr *v, ps_msg_rec *recs);

#endif

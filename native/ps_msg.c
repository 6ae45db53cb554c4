/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * sendmsg, sendmmsg, recvmsg and recvmmsg over a message plan (include/ps_plan.h): EINTR retried, -errno on
 * failure. The structs are built in the shim's own scratch (for a batch, one the shim keeps in the thread's memory
 * from Java, which no Java code writes) and every plan value is used as it was read and checked, before and after the
 * system call.
 */
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_buffers.h"
#include "ps_cmsg.h"
#include "ps_common.h"
#include "ps_eintr.h"
#include "ps_plan.h"

/*
 * Opens a plan of exactly one message (its ranges as arguments: see ps_plan_open_args), copies its record and
 * builds its msghdr. 0 or -errno.
 */
static int open_single(JNIEnv *env, jlong plan, jlong capacity, jint listed, const jlong *pairs, jlongArray ranges,
        int receive, ps_plan *p, ps_scratch *s, ps_msg_rec *r, struct msghdr *m) {
    int rc = ps_plan_open_args(env, plan, capacity, listed, pairs, ranges, s, 1, 1, p);
    return rc < 0 ? rc : ps_plan_build(p, s, 0, receive, r, m);
}

/*
 * Opens a plan of 0..MAX_MESSAGES messages, copies each record into *recs and builds each mmsghdr of *v (both in
 * scratch), clearing the out-bytes field of every message built. 0 or -errno.
 */
static int open_vector(JNIEnv *env, jlongArray ranges, jint listed, int receive, ps_plan *p, ps_scratch *s,
        struct mmsghdr **v, ps_msg_rec **recs) {
    int rc = ps_plan_open(env, ranges, listed, s, 0, PS_PLAN(MAX_MESSAGES), p);
    if (rc < 0 || p->messages == 0) {
        return rc;
    }
    *v = ps_scratch_take(s, (size_t) p->messages * sizeof **v);
    *recs = ps_scratch_take(s, (size_t) p->messages * sizeof **recs);
    if (*v == NULL || *recs == NULL) {
        return -ENOMEM;
    }
    return ps_plan_build_all(p, s, receive, *v, *recs);
}

JNIEXPORT jlong JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendmsg0(
        JNIEnv *env, jclass cls, jint fd, jlong plan, jlong capacity, jint listed, jlong address0, jlong capacity0,
        jlong address1, jlong capacity1, jlongArray ranges, jint flags) {
    (void) cls;
    ps_plan p;
    _Alignas(max_align_t) unsigned char area[PS_SCRATCH_STACK];
    ps_scratch s;
    ps_msg_rec r;
    struct msghdr m;
    const jlong pairs[2 * PS_PLAN_ARG_BUFFERS] = {address0, capacity0, address1, capacity1};
    ps_scratch_init(&s, area, sizeof area);
    ssize_t n = open_single(env, plan, capacity, listed, pairs, ranges, 0, &p, &s, &r, &m);
    if (n == 0) {
        /* the count is the return value: nothing goes back into the plan, whose memory is then not touched again */
        PS_RETRY_EINTR(n, fd, SO_SNDTIMEO, sendmsg(fd, &m, flags));
        if (n < 0) {
            n = ps_neg_errno();
        }
    }
    ps_scratch_free(&s);
    return (jlong) n;
}

/* Writes what the kernel filled in for message i: bytes, flags, the sender's address length, the control length and
 * the control messages. */
static void put_received(ps_plan *p, jint i, const ps_msg_rec *r, struct msghdr *m, jlong n) {
    jlong rec = ps_plan_msg(p, i);
    /* the kernel shortens msg_controllen and may report a longer name than fits (the address was cut): neither is
     * read past what was offered, nor is an emulator (qemu-user) trusted further */
    if (m->msg_controllen > (size_t) r->ctl_space) {
        m->msg_controllen = (size_t) r->ctl_space;
    }
    socklen_t namelen = m->msg_namelen < (socklen_t) r->name_len ? m->msg_namelen : (socklen_t) r->name_len;
    ps_plan_put_long(p, rec + PS_PLAN(M_OUT_LEN), n);
    ps_plan_put_int(p, rec + PS_PLAN(M_OUT_FLAGS), m->msg_flags);
    ps_plan_put_int(p, rec + PS_PLAN(M_OUT_NAMELEN), m->msg_name != NULL ? (jint) namelen : 0);
    ps_plan_put_int(p, rec + PS_PLAN(M_OUT_CONTROLLEN), m->msg_control != NULL ? (jint) m->msg_controllen : 0);
    /* the ranges in r were checked before the call; r is the shim's copy, so they still hold */
    ps_plan_put_int(p, rec + PS_PLAN(M_OUT_CMSGS),
            ps_cmsg_parse(p, m, r->cmsg_first, r->cmsg_count, r->ctl_off, r->ctl_space));
}

JNIEXPORT jlong JNICALL Java_io_github_posixsend_internal_jni_JniNative_recvmsg0(
        JNIEnv *env, jclass cls, jint fd, jlong plan, jlong capacity, jint listed, jlong address0, jlong capacity0,
        jlong address1, jlong capacity1, jlongArray ranges, jint flags) {
    (void) cls;
    ps_plan p;
    _Alignas(max_align_t) unsigned char area[PS_SCRATCH_STACK];
    ps_scratch s;
    ps_msg_rec r;
    struct msghdr m;
    const jlong pairs[2 * PS_PLAN_ARG_BUFFERS] = {address0, capacity0, address1, capacity1};
    ps_scratch_init(&s, area, sizeof area);
    ssize_t n = open_single(env, plan, capacity, listed, pairs, ranges, 1, &p, &s, &r, &m);
    if (n == 0) {
        PS_RETRY_EINTR(n, fd, SO_RCVTIMEO, recvmsg(fd, &m, flags));
        if (n < 0) {
            n = ps_neg_errno();
        } else {
            put_received(&p, 0, &r, &m, (jlong) n);
        }
    }
    ps_scratch_free(&s);
    return (jlong) n;
}

/*
 * A thread's kept batch for sends, and the one for receives, each live in a direct buffer Java allocated for that
 * thread (JniBackend.keptSends, keptReceives; KeptBatches), beside other threads' data: the buffer starts at a multiple
 * of PS_KEPT_ALIGN and its last PS_KEPT_ALIGN bytes are left alone, so the kept batch shares no cache line (nor the
 * line the adjacent-line prefetcher pairs with it) with memory another thread writes.
 */
#define PS_KEPT_ALIGN 128

/*
 * A batch this thread built last, kept for its next call of the same kind: rebuilding unchanged messages is most of
 * the shim's work per message. Java names the plan by an id no other plan of its classes has and a generation that
 * changes whenever the plan's records or listed buffers may have changed (MessagePlan.generation), so a call with the
 * same two numbers describes exactly what was built, from the copies made then; the plan keeps its listed buffers
 * referenced meanwhile. The memory is the thread's own and its copy of the Java classes' own (each class loader's
 * backend allocates its threads' memory, so one copy's plan 1 is never found in memory kept for another's): no other
 * call can see or change it, and Java writes none of it after the JDK zeroed it. It goes when the thread ends or the
 * classes' loader is collected, with nothing of the library's to free: only a batch whose structs fit in the area
 * after this head is kept. Java sizes the area by need: before the thread's next call it reads the bytes the batch
 * built last wanted, and when the area is smaller hands over new, zeroed memory that holds them (nothing kept in it
 * yet), which that call builds in. One for sends and one for receives, so that a thread that does both with two
 * batches keeps each, and a thread that does one has memory for that one only.
 */
typedef struct {
    jlong plan_id; /* 0: nothing kept */
    jlong generation;
    int receive; /* what it was built for: a send's structs are not a receive's (its control space, its out fields) */
    jint wanted; /* the area's bytes the batch built last needed, up to INT32_MAX: read by Java (KeptBatches) */
    ps_plan plan;
    struct mmsghdr *v;
    ps_msg_rec *recs;
    ps_scratch scratch;
} ps_kept_head;

/* The head's bytes, rounded up so that the area after it starts aligned as the buffer does. */
#define PS_KEPT_HEAD ((sizeof(ps_kept_head) + PS_KEPT_ALIGN - 1) / PS_KEPT_ALIGN * PS_KEPT_ALIGN)

JNIEXPORT jintArray JNICALL Java_io_github_posixsend_internal_jni_JniNative_keptLayout0(JNIEnv *env, jclass cls) {
    (void) cls;
    const jint layout[] = {PS_KEPT_ALIGN, (jint) PS_KEPT_HEAD, (jint) offsetof(ps_kept_head, wanted)};
    jintArray a = (*env)->NewIntArray(env, 3);
    if (a != NULL) {
        (*env)->SetIntArrayRegion(env, a, 0, 3, layout);
    }
    return a;
}

/*
 * Puts back the two lengths the kernel shortens in the vlen kept headers from off (both checked by the caller), so
 * that each call offers the whole name room and control space, as a C caller resets them. The kernel touches no
 * header outside them, and a later call that hands it one resets it then. The byte counts and flags need no reset:
 * the kernel writes them for every message it fills, and only those are read, here and in Java.
 */
static void reset_kept(ps_kept_head *k, jint off, jint vlen) {
    for (jint i = off; i < off + vlen; i++) {
        struct msghdr *m = &k->v[i].msg_hdr;
        m->msg_namelen = (socklen_t) k->recs[i].name_len;
        m->msg_controllen = (size_t) k->recs[i].ctl_space; /* size_t on Linux, socklen_t on NetBSD */
    }
}

/*
 * Opens the batch of plan_id at generation for a call that hands the kernel its vlen messages from off (C's
 * msgvec + off): the one kept in *k when it is that one (without reading the plan; a receive batch's shortened
 * lengths put back, a send's need nothing since the kernel writes only msg_len), else a new one built from the plan
 * into k's area of area_cap bytes (and heap chunks beyond it), all its messages, and kept when it may be (plan_id not
 * 0, and every struct in the area), so that a call with another range finds it built; the bytes it wanted are noted
 * for Java either way. 0 or -errno; k->plan, k->v and k->recs describe the batch when 0.
 *
 * off and vlen are checked here against k->plan.messages, the shim's own copy of the plan's count, which sized k->v:
 * the kernel reads (and writes msg_len into) vlen mmsghdrs from &k->v[off], so a range past the count would reach past
 * the vector. They are compared without a sum, which could overflow. Java refuses such a range before the call, so
 * one arriving here is a bug; it is -EINVAL without a system call rather than cut to the count, which would send or
 * receive fewer than asked without saying so.
 */
static int open_kept(JNIEnv *env, ps_kept_head *k, size_t area_cap, jlong plan_id, jlong generation,
        jlongArray ranges, jint listed, int receive, jint off, jint vlen) {
    int keep = plan_id != 0;
    int reused = keep && k->plan_id == plan_id && k->generation == generation && k->receive == receive;
    if (reused) {
        k->plan.env = env;
    } else {
        k->plan_id = 0;
        ps_scratch_init(&k->scratch, (unsigned char *) k + PS_KEPT_HEAD, area_cap);
        k->v = NULL;
        k->recs = NULL;
        int n = open_vector(env, ranges, listed, receive, &k->plan, &k->scratch, &k->v, &k->recs);
        size_t wanted = ps_scratch_wanted(&k->scratch);
        k->wanted = wanted > INT32_MAX ? INT32_MAX : (jint) wanted;
        if (n < 0) {
            return n;
        }
        if (keep && k->plan.messages > 0 && k->scratch.heap == NULL) {
            k->plan_id = plan_id;
            k->generation = generation;
            k->receive = receive;
        }
    }
    if (off < 0 || vlen < 0 || off > k->plan.messages - vlen) {
        return -EINVAL;
    }
    if (reused && receive) {
        reset_kept(k, off, vlen);
    }
    return 0;
}

/*
 * The thread's kept batch at the start of its direct buffer kept, and in *area_cap the bytes of the area after its
 * head (the buffer's capacity, read once, less the head and the last PS_KEPT_ALIGN bytes); NULL for null, for a
 * buffer that does not start at a multiple of PS_KEPT_ALIGN or is too small for the head and that tail: bugs of
 * Java's, answered with -EINVAL. The buffer must be direct (Java passes only its own): its address field is read as
 * ps_direct_range reads every buffer's, and a heap buffer's is no address.
 */
static ps_kept_head *kept_batch(JNIEnv *env, jobject kept, size_t *area_cap) {
    jlong cap;
    uintptr_t base = (uintptr_t) ps_direct_whole(env, kept, &cap);
    if (base == 0 || base % PS_KEPT_ALIGN != 0 || cap < (jlong) (PS_KEPT_HEAD + PS_KEPT_ALIGN)) {
        return NULL;
    }
    *area_cap = (size_t) cap - PS_KEPT_HEAD - PS_KEPT_ALIGN;
    return (ps_kept_head *) base;
}

/* The header off of the vector open_kept checked, as the kernel is handed it; NULL for a plan of no messages. */
static struct mmsghdr *kept_from(ps_kept_head *k, jint off) {
    return k->plan.messages > 0 ? &k->v[off] : NULL;
}

/* Ends a call on *k: frees what it took beyond the scratch's own area unless it is kept (it then took nothing). */
static void close_kept(ps_kept_head *k) {
    if (k->plan_id == 0) {
        ps_scratch_free(&k->scratch);
    }
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendmmsg0(
        JNIEnv *env, jclass cls, jint fd, jobject kept, jlong plan_id, jlong generation, jlongArray ranges, jint listed,
        jint off, jint vlen, jint flags) {
    (void) cls;
    size_t area_cap;
    ps_kept_head *k = kept_batch(env, kept, &area_cap);
    if (k == NULL) {
        return -EINVAL;
    }
    int n = open_kept(env, k, area_cap, plan_id, generation, ranges, listed, 0, off, vlen);
    if (n == 0) {
        struct mmsghdr *v = kept_from(k, off);
        /* vlen 0 makes the call too, as C's would: the kernel reads no mmsghdr, and answers for the descriptor */
        PS_RETRY_EINTR(n, fd, SO_SNDTIMEO, sendmmsg(fd, v, (unsigned int) vlen, (ps_mmsg_flags) flags));
        if (n < 0) {
            n = ps_neg_errno();
        }
        for (int i = 0; i < n && i < vlen; i++) {
            ps_plan_put_long(&k->plan, ps_plan_msg(&k->plan, off + i) + PS_PLAN(M_OUT_LEN), (jlong) v[i].msg_len);
        }
    }
    close_kept(k);
    return n;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_recvmmsg0(
        JNIEnv *env, jclass cls, jint fd, jobject kept, jlong plan_id, jlong generation, jlongArray ranges, jint listed,
        jint off, jint vlen, jint flags, jlong timeout_nanos) {
    (void) cls;
    size_t area_cap;
    ps_kept_head *k = kept_batch(env, kept, &area_cap);
    if (k == NULL) {
        return -EINVAL;
    }
    int n = open_kept(env, k, area_cap, plan_id, generation, ranges, listed, 1, off, vlen);
    if (n == 0) {
        struct mmsghdr *v = kept_from(k, off);
        struct timespec ts;
        ts.tv_sec = (time_t) (timeout_nanos / 1000000000);
        ts.tv_nsec = (long) (timeout_nanos % 1000000000);
        /* a signal restarts the wait with the whole timeout again, as a C caller retrying EINTR would */
        PS_RETRY_EINTR(n, fd, SO_RCVTIMEO, recvmmsg(fd, v, (unsigned int) vlen, (ps_mmsg_flags) flags,
                timeout_nanos >= 0 ? &ts : NULL));
        if (n < 0) {
            n = ps_neg_errno();
        }
        for (int i = 0; i < n && i < vlen; i++) {
            put_received(&k->plan, off + i, &k->recs[off + i], &v[i].msg_hdr, (jlong) v[i].msg_len);
        }
    }
    close_kept(k);
    return n;
}

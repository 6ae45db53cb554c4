/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * sendmsg, sendmmsg, recvmsg and recvmmsg over a message plan (include/ps_plan.h): EINTR retried, -errno on
 * failure. The structs are built in the shim's own scratch and every plan value is used as it was read and
 * checked, before and after the system call.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_cmsg.h"
#include "ps_common.h"
#include "ps_eintr.h"
#include "ps_glibc_versions.h"
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
    ps_scratch s;
    ps_msg_rec r;
    struct msghdr m;
    const jlong pairs[2 * PS_PLAN_ARG_BUFFERS] = {address0, capacity0, address1, capacity1};
    ps_scratch_init(&s);
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
    ps_scratch s;
    ps_msg_rec r;
    struct msghdr m;
    const jlong pairs[2 * PS_PLAN_ARG_BUFFERS] = {address0, capacity0, address1, capacity1};
    ps_scratch_init(&s);
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
 * A thread's kept batches come from the heap, beside other threads' data: aligned and padded to a page, the kept
 * batch shares no cache line (and no page) with memory another thread writes.
 */
#define PS_KEPT_ALIGN 4096

/*
 * A batch this thread built last, kept for its next call of the same kind: rebuilding unchanged messages is most of
 * the shim's work per message. Java names the plan by an id no other plan of its classes has (nothing is kept while
 * another class loader's copy of them shares this library: open_kept) and a generation that changes whenever
 * the plan's records or listed buffers may have changed (MessagePlan.generation), so a call with the same two
 * numbers describes exactly what was built, from the copies made then; the plan keeps its listed buffers
 * referenced meanwhile. The thread's own (kept_batches): no other call can see or change it. Only a batch whose
 * structs fit in the scratch's own area is kept, so nothing kept needs freeing beyond the batch itself. One for sends
 * and one for receives, so that a thread that does both with two batches keeps each.
 */
typedef struct {
    _Alignas(PS_KEPT_ALIGN) jlong plan_id; /* 0: nothing kept */
    jlong generation;
    ps_plan plan;
    struct mmsghdr *v;
    ps_msg_rec *recs;
    ps_scratch scratch;
    unsigned char tail[PS_KEPT_ALIGN]; /* nothing else in the last cache line: see PS_KEPT_ALIGN */
} ps_kept_batch;

/*
 * Each thread's two kept batches, sends then receives, made at its first batch call and freed when it ends (or, for
 * the thread that unloads the library, when it does: ps_kept_release; other threads' then stay). They are
 * reached through a thread-specific key rather than _Thread_local storage: a loaded library's thread-local storage
 * is allocated when a thread first touches it, and the C library aborts the process if that allocation fails,
 * where a failed allocation here is an ENOMEM for the one call.
 */
static pthread_key_t kept_key;
static pthread_mutex_t kept_key_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int kept_key_made; /* 1 while kept_key is this instance's; set and cleared under kept_key_lock */

/*
 * Whether the key is there, made at the first batch call after loading (or after ps_kept_release, should this
 * instance be loaded again before it is unmapped); a failed pthread_key_create is tried again at the next call.
 */
static int kept_key_ready(void) {
    if (atomic_load_explicit(&kept_key_made, memory_order_acquire)) {
        return 1;
    }
    pthread_mutex_lock(&kept_key_lock);
    if (!atomic_load_explicit(&kept_key_made, memory_order_relaxed) && pthread_key_create(&kept_key, free) == 0) {
        atomic_store_explicit(&kept_key_made, 1, memory_order_release);
    }
    pthread_mutex_unlock(&kept_key_lock);
    return atomic_load_explicit(&kept_key_made, memory_order_acquire);
}

void ps_kept_release(void) {
    pthread_mutex_lock(&kept_key_lock);
    if (atomic_load_explicit(&kept_key_made, memory_order_relaxed)) {
        free(pthread_getspecific(kept_key));
        pthread_setspecific(kept_key, NULL);
        pthread_key_delete(kept_key);
        atomic_store_explicit(&kept_key_made, 0, memory_order_release);
    }
    pthread_mutex_unlock(&kept_key_lock);
}

/* This thread's kept batches, [0] for sends and [1] for receives; NULL when the memory cannot be had. */
static ps_kept_batch *kept_batches(void) {
    if (!kept_key_ready()) {
        return NULL;
    }
    ps_kept_batch *k = pthread_getspecific(kept_key);
    if (k == NULL) {
        void *mem = NULL;
        if (posix_memalign(&mem, PS_KEPT_ALIGN, 2 * sizeof *k) != 0) {
            return NULL;
        }
        memset(mem, 0, 2 * sizeof *k); /* plan_id 0: nothing kept */
        if (pthread_setspecific(kept_key, mem) != 0) {
            free(mem);
            return NULL;
        }
        k = mem;
    }
    return k;
}

/*
 * Puts back the two lengths the kernel shortens in the vlen kept headers from off (both checked by the caller), so
 * that each call offers the whole name room and control space, as a C caller resets them. The kernel touches no
 * header outside them, and a later call that hands it one resets it then. The byte counts and flags need no reset:
 * the kernel writes them for every message it fills, and only those are read, here and in Java.
 */
static void reset_kept(ps_kept_batch *k, jint off, jint vlen) {
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
 * into k's scratch, all its messages, and kept when it may be (may_keep: k is this thread's kept batch, open_batch), so
 * that a call with another range finds it built. 0 or -errno; k->plan, k->v and k->recs describe the batch when 0.
 *
 * off and vlen are checked here against k->plan.messages, the shim's own copy of the plan's count, which sized k->v:
 * the kernel reads (and writes msg_len into) vlen mmsghdrs from &k->v[off], so a range past the count would reach past
 * the vector. They are compared without a sum, which could overflow. Java refuses such a range before the call, so
 * one arriving here is a bug; it is -EINVAL without a system call rather than cut to the count, which would send or
 * receive fewer than asked without saying so.
 */
static int open_kept(JNIEnv *env, ps_kept_batch *k, int may_keep, jlong plan_id, jlong generation, jlongArray ranges,
        jint listed, int receive, jint off, jint vlen) {
    int keep = may_keep && plan_id != 0;
    int reused = keep && k->plan_id == plan_id && k->generation == generation;
    if (reused) {
        k->plan.env = env;
    } else {
        k->plan_id = 0;
        ps_scratch_init(&k->scratch);
        k->v = NULL;
        k->recs = NULL;
        int n = open_vector(env, ranges, listed, receive, &k->plan, &k->scratch, &k->v, &k->recs);
        if (n < 0) {
            return n;
        }
        if (keep && k->plan.messages > 0 && k->scratch.heap == NULL) {
            k->plan_id = plan_id;
            k->generation = generation;
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
 * The batch a call builds in: this thread's kept one for sends or receives, or, on an instance another class loader
 * has loaded too, one of the call's own (*own set), which keeps nothing and touches no thread-specific data. Plan ids
 * are unique within one copy of the Java classes only, so there one loader's plan 1 would find the other's plan 1
 * kept, built from memory that plan may have freed; and the key may be deleted by the unloading of one loader while
 * another loader's calls run. open_kept keeps and reuses only in a kept batch (own NULL). NULL without memory.
 */
static ps_kept_batch *open_batch(int receive, ps_kept_batch **own) {
    *own = NULL;
    if (ps_loaded_by_one_loader()) {
        ps_kept_batch *k = kept_batches();
        return k == NULL ? NULL : k + receive;
    }
    void *mem = NULL;
    if (posix_memalign(&mem, PS_KEPT_ALIGN, sizeof **own) != 0) {
        return NULL;
    }
    memset(mem, 0, sizeof **own); /* plan_id 0: nothing kept */
    *own = mem;
    return mem;
}

/* The header off of the vector open_kept checked, as the kernel is handed it; NULL for a plan of no messages. */
static struct mmsghdr *kept_from(ps_kept_batch *k, jint off) {
    return k->plan.messages > 0 ? &k->v[off] : NULL;
}

/*
 * Ends a call on *k: frees what it took beyond the scratch's own area unless it is kept (it then took nothing), and
 * the batch itself when it was the call's own.
 */
static void close_kept(ps_kept_batch *k, ps_kept_batch *own) {
    if (k->plan_id == 0) {
        ps_scratch_free(&k->scratch);
    }
    free(own);
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_sendmmsg0(
        JNIEnv *env, jclass cls, jint fd, jlong plan_id, jlong generation, jlongArray ranges, jint listed, jint off,
        jint vlen, jint flags) {
    (void) cls;
    ps_kept_batch *own;
    ps_kept_batch *k = open_batch(0, &own);
    if (k == NULL) {
        return -ENOMEM;
    }
    int n = open_kept(env, k, own == NULL, plan_id, generation, ranges, listed, 0, off, vlen);
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
    close_kept(k, own);
    return n;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_recvmmsg0(
        JNIEnv *env, jclass cls, jint fd, jlong plan_id, jlong generation, jlongArray ranges, jint listed, jint off,
        jint vlen, jint flags, jlong timeout_nanos) {
    (void) cls;
    ps_kept_batch *own;
    ps_kept_batch *k = open_batch(1, &own);
    if (k == NULL) {
        return -ENOMEM;
    }
    int n = open_kept(env, k, own == NULL, plan_id, generation, ranges, listed, 1, off, vlen);
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
    close_kept(k, own);
    return n;
}

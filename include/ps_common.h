/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * Shared conventions of the posix-send JNI shims.
 *
 * Every native returns a count (or descriptor) on success and -errno on failure, never a bare -1:
 * Java decides what to throw. The one state kept between calls is ps_msg.c's kept batch, in a direct buffer Java
 * allocates per thread and hands to each batch call, which a call uses only when Java names the same plan at the
 * same generation (each copy of the Java classes numbers its plans, and has its buffers, of its own).
 */
#ifndef PS_COMMON_H
#define PS_COMMON_H

#include <errno.h>
#include <jni.h>
#include <sys/socket.h>

#include "io_github_posixsend_internal_jni_JniBackend.h"

/* JniBackend.ABI_VERSION, compiled in: Java checks after loading that the library was built from its sources. */
#define PS_ABI_VERSION io_github_posixsend_internal_jni_JniBackend_ABI_VERSION

/* The type of sendmmsg's and recvmmsg's flags: NetBSD declares them unsigned. */
#if defined(__NetBSD__)
typedef unsigned int ps_mmsg_flags;
#else
typedef int ps_mmsg_flags;
#endif

/* -errno of the call that just failed; -EIO if the C library forgot to set errno. */
static inline int ps_neg_errno(void) {
    int e = errno;
    return e > 0 ? -e : -EIO;
}

/*
 * Whether out can take the two descriptors pipe2 or socketpair make: asked before the call, since two descriptors
 * made and then not handed back would leak.
 */
static inline int ps_pair_room(JNIEnv *env, jintArray out) {
    return out != NULL && (*env)->GetArrayLength(env, out) >= 2;
}

/* Hands the two descriptors in p back in out[0] and out[1] (ps_pair_room said there is room). */
static inline void ps_pair_out(JNIEnv *env, jintArray out, const int p[2]) {
    jint fds[2] = {p[0], p[1]};
    (*env)->SetIntArrayRegion(env, out, 0, 2, fds);
}

/* True when [off, off + len) lies inside [0, size): the check every array and buffer access makes. */
static inline int ps_range_ok(jlong off, jlong len, jlong size) {
    return off >= 0 && len >= 0 && size >= 0 && off <= size && len <= size - off;
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* Access to Java memory for the send and receive calls: direct buffers and copied heap arrays. */
#ifndef PS_BUFFERS_H
#define PS_BUFFERS_H

#include <jni.h>
#include <stddef.h>

/* Heap data up to this size is copied through the C stack; larger data through malloc. */
#define PS_STACK_COPY 8192

/*
 * Looks up what ps_direct_range reads, once, when the library loads. Never fails: without it the portable calls
 * are used.
 */
void ps_buffers_init(JNIEnv *env);

/*
 * The address of [pos, pos + len) inside a direct buffer, or NULL when buf is null, has no address (the JNI lookup's
 * answer) or the range is outside it. buf must be direct, as for ps_direct_whole.
 */
void *ps_direct_range(JNIEnv *env, jobject buf, jint pos, jint len);

/*
 * A direct buffer's address, with its capacity in *cap (each read once); NULL when buf is null or has no address.
 * buf must be direct (Java checks isDirect() first): where the address field is read, a heap buffer's holds an
 * offset into its array, not an address, and is not told apart.
 */
void *ps_direct_whole(JNIEnv *env, jobject buf, jlong *cap);

/*
 * A native copy of part of a Java byte[]: the kernel never sees the heap itself, so a blocking call
 * cannot hold the garbage collector back.
 */
typedef struct {
    char *data;
    char stack[PS_STACK_COPY];
} ps_heap_copy;

/* Prepares room for len bytes; copies them in from a[off..] when copy_in. Returns 0 or -errno. */
int ps_heap_copy_begin(JNIEnv *env, ps_heap_copy *c, jbyteArray a, jint off, jint len, int copy_in);

/* Releases what begin took. */
void ps_heap_copy_end(ps_heap_copy *c);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* Conversion between the byte images Java holds and the platform's own struct sockaddr. */
#ifndef PS_SOCKADDR_H
#define PS_SOCKADDR_H

#include <jni.h>
#include <sys/socket.h>

#include "io_github_posixsend_internal_jni_JniNative.h"

/*
 * Copies a sockaddr image of salen bytes from a Java byte[] into *out and checks it.
 * Returns 0, or -EINVAL when the array is null, too short or salen is outside what a sockaddr can be.
 */
int ps_sockaddr_from_java(JNIEnv *env, jbyteArray sa, jint salen, struct sockaddr_storage *out, socklen_t *outlen);

/* How many words of a destination's image the send natives take as arguments (JniNative.SOCKADDR_WORDS). */
#define PS_SOCKADDR_WORDS io_github_posixsend_internal_jni_JniNative_SOCKADDR_WORDS

/* A send's destination, built on the caller's frame. */
typedef union {
    jlong words[PS_SOCKADDR_WORDS];
    struct sockaddr_storage storage;
} ps_dest;

/*
 * A send's destination from the natives' arguments: when sa is NULL, the words (Java read them from the image
 * once) copied whole, of which the first salen bytes are the address, else the image copied from sa
 * (ps_sockaddr_from_java). Returns 0, or -EINVAL when salen is outside what a sockaddr can be.
 */
int ps_dest_from_java(JNIEnv *env, jbyteArray sa, jint salen, const jlong words[PS_SOCKADDR_WORDS], ps_dest *out,
        socklen_t *outlen);

/*
 * Copies len bytes of a sockaddr that the kernel filled into a Java byte[] (at most its length).
 * Returns the number of bytes the kernel reported, at most sizeof(struct sockaddr_storage), or -EINVAL when the
 * array is too small.
 */
int ps_sockaddr_to_java(JNIEnv *env, const struct sockaddr_storage *ss, socklen_t len, jbyteArray out);

#endif

/* Conversion between the byte images Java holds and the platform's own struct sockaddr. */
#ifndef PS_SOCKADDR_H
#define PS_SOCKADDR_H

#include <jni.h>
#include <sys/socket.h>

/*
 * Copies a sockaddr image of salen bytes from a Java byte[] into *out and checks it.
 * Returns 0, or -EINVAL when the array is null, too short or salen is outside what a sockaddr can be.
 */
int ps_sockaddr_from_java(JNIEnv *env, jbyteArray sa, jint salen, struct sockaddr_storage *out, socklen_t *outlen);

/*
 * Copies len bytes of a sockaddr that the kernel filled into a Java byte[] (at most its length).
 * Returns the number of bytes the kernel reported, or -EINVAL when the array is too small.
 */
int ps_sockaddr_to_java(JNIEnv *env, const struct sockaddr_storage *ss, socklen_t len, jbyteArray out);

#endif

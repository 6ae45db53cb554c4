/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * Address conversion. Java holds a sockaddr as an opaque byte image that only this file builds and reads,
 * so every field offset comes from the platform's own structures, and NetBSD's sa_len is set where it exists.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_common.h"
#include "ps_sockaddr.h"

#if defined(__NetBSD__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__APPLE__)
#define PS_HAVE_SA_LEN 1
#endif

int ps_sockaddr_from_java(JNIEnv *env, jbyteArray sa, jint salen, struct sockaddr_storage *out, socklen_t *outlen) {
    if (sa == NULL || salen < (jint) offsetof(struct sockaddr, sa_data) || salen > (jint) sizeof *out
            || (*env)->GetArrayLength(env, sa) < salen) {
        return -EINVAL;
    }
    memset(out, 0, sizeof *out);
    (*env)->GetByteArrayRegion(env, sa, 0, salen, (jbyte *) out);
    *outlen = (socklen_t) salen;
    return 0;
}

int ps_dest_from_java(JNIEnv *env, jbyteArray sa, jint salen, const jlong words[PS_SOCKADDR_WORDS], ps_dest *out,
        socklen_t *outlen) {
    if (sa != NULL) {
        return ps_sockaddr_from_java(env, sa, salen, &out->storage, outlen);
    }
    if (salen < (jint) offsetof(struct sockaddr, sa_data) || salen > (jint) sizeof out->words) {
        return -EINVAL;
    }
    memcpy(out->words, words, sizeof out->words);
    *outlen = (socklen_t) salen;
    return 0;
}

int ps_sockaddr_to_java(JNIEnv *env, const struct sockaddr_storage *ss, socklen_t len, jbyteArray out) {
    if (out == NULL) {
        return -EINVAL;
    }
    jint cap = (*env)->GetArrayLength(env, out);
    jint n = (jint) (len < sizeof *ss ? len : sizeof *ss);
    if (cap < n) {
        return -EINVAL;
    }
    (*env)->SetByteArrayRegion(env, out, 0, n, (const jbyte *) ss);
    return n;
}

/* Writes the first n bytes of *src into the Java array out, which must hold them. */
static jint store(JNIEnv *env, jbyteArray out, const void *src, size_t n) {
    if (out == NULL || (*env)->GetArrayLength(env, out) < (jint) n) {
        return -EINVAL;
    }
    (*env)->SetByteArrayRegion(env, out, 0, (jint) n, (const jbyte *) src);
    return (jint) n;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_sockaddrInet0(
        JNIEnv *env, jclass cls, jbyteArray out, jbyteArray ip, jint port, jint scopeId, jint flowinfo) {
    (void) cls;
    if (ip == NULL || port < 0 || port > 65535) {
        return -EINVAL;
    }
    jint iplen = (*env)->GetArrayLength(env, ip);
    if (iplen == 4) {
        struct sockaddr_in sin;
        memset(&sin, 0, sizeof sin);
#ifdef PS_HAVE_SA_LEN
        sin.sin_len = sizeof sin;
#endif
        sin.sin_family = AF_INET;
        sin.sin_port = htons((uint16_t) port);
        (*env)->GetByteArrayRegion(env, ip, 0, 4, (jbyte *) &sin.sin_addr);
        return store(env, out, &sin, sizeof sin);
    }
    if (iplen == 16) {
        struct sockaddr_in6 sin6;
        memset(&sin6, 0, sizeof sin6);
#ifdef PS_HAVE_SA_LEN
        sin6.sin6_len = sizeof sin6;
#endif
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons((uint16_t) port);
        sin6.sin6_flowinfo = htonl((uint32_t) flowinfo);
        sin6.sin6_scope_id = (uint32_t) scopeId;
        (*env)->GetByteArrayRegion(env, ip, 0, 16, (jbyte *) &sin6.sin6_addr);
        return store(env, out, &sin6, sizeof sin6);
    }
    return -EAFNOSUPPORT;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_sockaddrUnix0(
        JNIEnv *env, jclass cls, jbyteArray out, jbyteArray path, jboolean abstractName) {
    (void) cls;
    struct sockaddr_un sun;
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    if (path == NULL) {
        return -EINVAL;
    }
    jint n = (*env)->GetArrayLength(env, path);
    size_t room = sizeof sun.sun_path;
    size_t start = 0;
    if (abstractName) {
#ifdef __linux__
        start = 1; /* a leading NUL names the abstract namespace; the name is the bytes after it */
#else
        return -EAFNOSUPPORT;
#endif
    } else {
        room -= 1; /* keep a terminating NUL so that every system reads the same path */
    }
    if (n < 0 || (size_t) n > room - start) {
        return -ENAMETOOLONG;
    }
    (*env)->GetByteArrayRegion(env, path, 0, n, (jbyte *) sun.sun_path + start);
    size_t len = offsetof(struct sockaddr_un, sun_path) + start + (size_t) n;
    if (!abstractName && n > 0) {
        len += 1; /* the NUL, as SUN_LEN counts it on BSD and most Linux code passes it */
    }
#ifdef PS_HAVE_SA_LEN
    sun.sun_len = (uint8_t) len;
#endif
    return store(env, out, &sun, len);
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_sockaddrDecode0(
        JNIEnv *env, jclass cls, jbyteArray sa, jint salen, jintArray info, jbyteArray data) {
    (void) cls;
    struct sockaddr_storage ss;
    socklen_t len;
    int rc = ps_sockaddr_from_java(env, sa, salen, &ss, &len);
    if (rc < 0) {
        return rc;
    }
    if (info == NULL || (*env)->GetArrayLength(env, info) < 4) {
        return -EINVAL;
    }
    /* info: family, port, scope id, number of bytes written to data (address or path) */
    jint fields[4] = {ss.ss_family, 0, 0, 0};
    switch (ss.ss_family) {
    case AF_INET: {
        if (len < sizeof(struct sockaddr_in)) {
            return -EINVAL;
        }
        const struct sockaddr_in *sin = (const struct sockaddr_in *) &ss;
        fields[1] = ntohs(sin->sin_port);
        fields[3] = store(env, data, &sin->sin_addr, 4);
        break;
    }
    case AF_INET6: {
        if (len < sizeof(struct sockaddr_in6)) {
            return -EINVAL;
        }
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) &ss;
        fields[1] = ntohs(sin6->sin6_port);
        fields[2] = (jint) sin6->sin6_scope_id;
        fields[3] = store(env, data, &sin6->sin6_addr, 16);
        break;
    }
    case AF_UNIX: {
        const struct sockaddr_un *sun = (const struct sockaddr_un *) &ss;
        size_t off = offsetof(struct sockaddr_un, sun_path);
        size_t n = len > off ? len - off : 0;
        if (n > sizeof sun->sun_path) {
            n = sizeof sun->sun_path;
        }
        /* a path ends at its first NUL; an abstract name (leading NUL) is the exact bytes the kernel gave */
        if (n > 0 && sun->sun_path[0] != '\0') {
            n = strnlen(sun->sun_path, n);
        }
        fields[3] = store(env, data, sun->sun_path, n);
        break;
    }
    default:
        break;
    }
    if (fields[3] < 0) {
        return fields[3];
    }
    (*env)->SetIntArrayRegion(env, info, 0, 4, fields);
    return 0;
}

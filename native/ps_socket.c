/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* The socket's life around the sends: create, name, connect, accept, options, shut down, close. */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_common.h"
#include "ps_eintr.h"
#include "ps_sockaddr.h"

#define JNI_FN(name) Java_io_github_posixsend_internal_jni_JniNative_##name

JNIEXPORT jint JNICALL JNI_FN(socket0)(JNIEnv *env, jclass cls, jint domain, jint type, jint protocol) {
    (void) env; (void) cls;
    int fd = socket(domain, type, protocol);
    return fd < 0 ? ps_neg_errno() : fd;
}

JNIEXPORT jint JNICALL JNI_FN(socketpair0)(
        JNIEnv *env, jclass cls, jint domain, jint type, jint protocol, jintArray out) {
    (void) cls;
    if (!ps_pair_room(env, out)) {
        return -EINVAL;
    }
    int sv[2];
    if (socketpair(domain, type, protocol, sv) < 0) {
        return ps_neg_errno();
    }
    ps_pair_out(env, out, sv);
    return 0;
}

JNIEXPORT jint JNICALL JNI_FN(bind0)(JNIEnv *env, jclass cls, jint fd, jbyteArray sa, jint salen) {
    (void) cls;
    struct sockaddr_storage ss;
    socklen_t len;
    int rc = ps_sockaddr_from_java(env, sa, salen, &ss, &len);
    if (rc < 0) {
        return rc;
    }
    return bind(fd, (struct sockaddr *) &ss, len) < 0 ? ps_neg_errno() : 0;
}

JNIEXPORT jint JNICALL JNI_FN(connect0)(JNIEnv *env, jclass cls, jint fd, jbyteArray sa, jint salen) {
    (void) cls;
    struct sockaddr_storage ss;
    socklen_t len;
    int rc = ps_sockaddr_from_java(env, sa, salen, &ss, &len);
    if (rc < 0) {
        return rc;
    }
    /* Not retried on EINTR: the connection goes on in the background and a second connect says EALREADY. */
    return connect(fd, (struct sockaddr *) &ss, len) < 0 ? ps_neg_errno() : 0;
}

JNIEXPORT jint JNICALL JNI_FN(connectUnspec0)(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    struct sockaddr sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_family = AF_UNSPEC;
    return connect(fd, &sa, sizeof sa) < 0 ? ps_neg_errno() : 0;
}

JNIEXPORT jint JNICALL JNI_FN(listen0)(JNIEnv *env, jclass cls, jint fd, jint backlog) {
    (void) env; (void) cls;
    return listen(fd, backlog) < 0 ? ps_neg_errno() : 0;
}

/*
 * accept, or accept4 with flags when four is set: the body of accept0 and accept40. They stay two calls because
 * NetBSD's accept gives the new socket the listener's O_NONBLOCK, where its accept4 with no flags does not.
 */
static jint accept_into(JNIEnv *env, jint fd, int four, jint flags, jbyteArray sa, jintArray salen) {
    /* checked before the call: a connection accepted and then refused for want of room would be lost */
    if (sa != NULL && (salen == NULL || (*env)->GetArrayLength(env, salen) < 1
            || (*env)->GetArrayLength(env, sa) < (jint) sizeof(struct sockaddr_storage))) {
        return -EINVAL;
    }
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    memset(&ss, 0, sizeof ss);
    /* no room asked for: NULL, NULL, as C's accept(fd, NULL, NULL), so the kernel writes no address */
    struct sockaddr *name = sa != NULL ? (struct sockaddr *) &ss : NULL;
    socklen_t *name_len = sa != NULL ? &len : NULL;
    int nfd;
    if (four) {
        PS_RETRY_EINTR(nfd, fd, SO_RCVTIMEO, accept4(fd, name, name_len, flags));
    } else {
        PS_RETRY_EINTR(nfd, fd, SO_RCVTIMEO, accept(fd, name, name_len));
    }
    if (nfd < 0) {
        return ps_neg_errno();
    }
    if (sa != NULL) {
        int got = ps_sockaddr_to_java(env, &ss, len, sa);
        if (got < 0) {
            close(nfd);
            return got;
        }
        jint jlen = got;
        (*env)->SetIntArrayRegion(env, salen, 0, 1, &jlen);
    }
    return nfd;
}

JNIEXPORT jint JNICALL JNI_FN(accept0)(JNIEnv *env, jclass cls, jint fd, jbyteArray sa, jintArray salen) {
    (void) cls;
    return accept_into(env, fd, 0, 0, sa, salen);
}

JNIEXPORT jint JNICALL JNI_FN(accept40)(
        JNIEnv *env, jclass cls, jint fd, jint flags, jbyteArray sa, jintArray salen) {
    (void) cls;
    return accept_into(env, fd, 1, flags, sa, salen);
}

JNIEXPORT jint JNICALL JNI_FN(socketName0)(JNIEnv *env, jclass cls, jint fd, jboolean peer, jbyteArray sa) {
    (void) cls;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    memset(&ss, 0, sizeof ss);
    int rc = peer ? getpeername(fd, (struct sockaddr *) &ss, &len) : getsockname(fd, (struct sockaddr *) &ss, &len);
    if (rc < 0) {
        return ps_neg_errno();
    }
    return ps_sockaddr_to_java(env, &ss, len, sa);
}

JNIEXPORT jint JNICALL JNI_FN(shutdown0)(JNIEnv *env, jclass cls, jint fd, jint how) {
    (void) env; (void) cls;
    return shutdown(fd, how) < 0 ? ps_neg_errno() : 0;
}

JNIEXPORT jint JNICALL JNI_FN(close0)(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    /* Never retried: on Linux the descriptor is gone even when close reports EINTR. */
    return close(fd) < 0 ? ps_neg_errno() : 0;
}

JNIEXPORT jint JNICALL JNI_FN(setsockoptInt0)(JNIEnv *env, jclass cls, jint fd, jint level, jint name, jint value) {
    (void) env; (void) cls;
    int v = value;
    return setsockopt(fd, level, name, &v, sizeof v) < 0 ? ps_neg_errno() : 0;
}

JNIEXPORT jint JNICALL JNI_FN(getsockoptInt0)(JNIEnv *env, jclass cls, jint fd, jint level, jint name, jintArray out) {
    (void) cls;
    if (out == NULL || (*env)->GetArrayLength(env, out) < 1) {
        return -EINVAL;
    }
    /* Room past the int offered: a handler that writes more than the length it is given (SO_GET_FILTER counts it
     * in instructions; Java refuses that one) spends it here, not on the frame. */
    union {
        int v;
        unsigned char room[128];
    } value;
    memset(&value, 0, sizeof value);
    socklen_t len = sizeof value.v;
    if (getsockopt(fd, level, name, &value, &len) < 0) {
        return ps_neg_errno();
    }
    /* an option the kernel writes as one byte (NetBSD's IP_MULTICAST_TTL and _LOOP, a u_char) is that byte, on a
     * big-endian host too */
    jint jv = len == 1 ? (jint) value.room[0] : value.v;
    (*env)->SetIntArrayRegion(env, out, 0, 1, &jv);
    return 0;
}

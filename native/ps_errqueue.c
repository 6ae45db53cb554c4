/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * One read of a socket's error queue without a message plan: recvmsg with no data space, the original destination
 * and the control messages on this frame, then the extended error (IP_RECVERR, IPV6_RECVERR, or a packet socket's
 * PACKET_TX_TIMESTAMP) and its SCM_TIMESTAMPING payload copied into the record ErrorQueueRecord lays out, which goes
 * to Java with one array copy. The call reads no memory Java can write; the record starts zeroed so no byte of this
 * frame reaches Java unless the kernel wrote it. EINTR retried, -errno on failure.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/if_packet.h>
#endif

#include "io_github_posixsend_internal_ErrorQueueRecord.h"
#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_cmsg.h"
#include "ps_common.h"
#include "ps_eintr.h"

#define PS_ERRQ(name) io_github_posixsend_internal_ErrorQueueRecord_##name

static int is_extended_error(const struct cmsghdr *c) {
#if defined(IP_RECVERR)
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) {
        return 1;
    }
#endif
#if defined(IPV6_RECVERR)
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR) {
        return 1;
    }
#endif
#if defined(SOL_PACKET) && defined(PACKET_TX_TIMESTAMP)
    if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_TX_TIMESTAMP) {
        return 1;
    }
#endif
    (void) c;
    return 0;
}

static int is_timestamping(const struct cmsghdr *c) {
#if defined(SCM_TIMESTAMPING)
    return c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING;
#else
    (void) c;
    return 0;
#endif
}

/* Copies the payload of c, at most room bytes; its length. */
static jint copy_payload(const struct msghdr *m, const struct cmsghdr *c, unsigned char *to, size_t room) {
    size_t len;
    const unsigned char *data = ps_cmsg_payload(m, c, &len);
    if (data == NULL) {
        return 0;
    }
    if (len > room) {
        len = room;
    }
    memcpy(to, data, len);
    return (jint) len;
}

static void put_int(unsigned char *record, int at, jint value) {
    memcpy(record + at, &value, sizeof value);
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_recvErrqueue0(
        JNIEnv *env, jclass cls, jint fd, jint flags, jbyteArray record) {
    (void) cls;
    if (record == NULL || (*env)->GetArrayLength(env, record) < PS_ERRQ(SIZE)) {
        return -EINVAL;
    }
    union {
        struct cmsghdr align;
        unsigned char bytes[PS_ERRQ(CONTROL_SPACE)];
    } control;
    unsigned char out[PS_ERRQ(SIZE)];
    memset(out, 0, sizeof out);
    struct msghdr m;
    memset(&m, 0, sizeof m);
    /* one empty iovec rather than none: the kernel treats both alike, qemu-user answers 0 to none without a call */
    struct iovec nothing = {out, 0};
    m.msg_iov = &nothing;
    m.msg_iovlen = 1;
    m.msg_name = out + PS_ERRQ(NAME);
    m.msg_namelen = PS_ERRQ(NAME_SIZE);
    m.msg_control = control.bytes;
    m.msg_controllen = sizeof control.bytes;
    ssize_t n;
    PS_RETRY_EINTR(n, fd, SO_RCVTIMEO, recvmsg(fd, &m, flags));
    if (n < 0) {
        return ps_neg_errno();
    }
    if (m.msg_controllen > sizeof control.bytes) {
        m.msg_controllen = sizeof control.bytes; // the kernel only shrinks it; never trust more than was offered
    }
    jint ee_len = 0;
    jint ts_len = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
        if (ee_len == 0 && is_extended_error(c)) {
            ee_len = copy_payload(&m, c, out + PS_ERRQ(EE), PS_ERRQ(EE_SIZE));
        } else if (ts_len == 0 && is_timestamping(c)) {
            ts_len = copy_payload(&m, c, out + PS_ERRQ(TS), PS_ERRQ(TS_SIZE));
        } else if (ps_cmsg_carries_descriptors(c)) {
            /* a socket without an error queue (AF_UNIX) ignores MSG_ERRQUEUE and reads an ordinary datagram, whose
             * descriptors would then be the process's with nobody to close them */
            size_t len;
            const unsigned char *data = ps_cmsg_payload(&m, c, &len);
            if (data != NULL) {
                ps_cmsg_close_descriptors(data, 0, len);
            }
        }
        if (ps_cmsg_is_last(&m, c)) {
            break;
        }
    }
    put_int(out, PS_ERRQ(H_NAMELEN), m.msg_namelen > PS_ERRQ(NAME_SIZE) ? PS_ERRQ(NAME_SIZE) : (jint) m.msg_namelen);
    put_int(out, PS_ERRQ(H_FLAGS), (jint) m.msg_flags);
    put_int(out, PS_ERRQ(H_EE_LEN), ee_len);
    put_int(out, PS_ERRQ(H_TS_LEN), ts_len);
    (*env)->SetByteArrayRegion(env, record, 0, PS_ERRQ(SIZE), (const jbyte *) out);
    return (jint) n;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * The timestamped send as both floors (send_floor.c and jni_floor.c) make it, so the two make the same operation:
 * the sendmsg with its SO_TIMESTAMPING (TX_SOFTWARE) control message, and what is read from one error-queue entry,
 * the origin of its IP_RECVERR and the software time of its SCM_TIMESTAMPING. Include after <time.h>, <string.h>,
 * <sys/socket.h>, <sys/uio.h>, <netinet/in.h>, <linux/errqueue.h> and <linux/net_tstamp.h>.
 */
#ifndef TSTAMP_OP_H
#define TSTAMP_OP_H

static struct msghdr ts_msg;
static struct iovec ts_iov;
static union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
} ts_control;

/* Builds ts_msg: len bytes at payload, with the control message when with_control is not 0. */
static inline void tstamp_prepare(void *payload, size_t len, int with_control) {
    ts_iov.iov_base = payload;
    ts_iov.iov_len = len;
    memset(&ts_msg, 0, sizeof ts_msg);
    memset(&ts_control, 0, sizeof ts_control);
    ts_msg.msg_iov = &ts_iov;
    ts_msg.msg_iovlen = 1;
    if (with_control) {
        ts_msg.msg_control = ts_control.buf;
        ts_msg.msg_controllen = sizeof ts_control.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&ts_msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SO_TIMESTAMPING;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        int tx = SOF_TIMESTAMPING_TX_SOFTWARE;
        memcpy(CMSG_DATA(c), &tx, sizeof tx);
    }
}

/* The software time in nanoseconds (0 when absent); *origin gets the entry's origin (-1 when absent). */
static inline long long tstamp_read(struct msghdr *m, int *origin) {
    long long t = 0;
    *origin = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
        if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) {
            struct sock_extended_err ee;
            memcpy(&ee, CMSG_DATA(c), sizeof ee);
            *origin = ee.ee_origin;
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
            struct scm_timestamping ts;
            memcpy(&ts, CMSG_DATA(c), sizeof ts);
            t = (long long) ts.ts[0].tv_sec * 1000000000LL + ts.ts[0].tv_nsec;
        }
    }
    return t;
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * What both floors (send_floor.c and jni_floor.c) read from one error-queue entry of the timestamped send: the
 * origin of its IP_RECVERR and the software time of its SCM_TIMESTAMPING, so the two make the same operation.
 * Include after <time.h>, <string.h>, <sys/socket.h>, <netinet/in.h> and <linux/errqueue.h>.
 */
#ifndef TSTAMP_READ_H
#define TSTAMP_READ_H

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

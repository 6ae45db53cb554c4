/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * The floor for scripts/bench: the same system calls the Java rows make, with the same sizes and sockets,
 * made straight from C. No binding can be faster than this.
 *
 * Usage: send_floor [--warmup N] [--iterations N] [--time-ms MS] CASE...
 * For each case it runs N warm-up and N measured iterations of about MS milliseconds each, timing them with
 * clock_gettime(CLOCK_MONOTONIC), and prints one JSON object per line:
 *   {"case":"send","unit":"ns/op","per":"datagram","receiver":"unread","samples":[...ns per op...],"calls":...}
 * A batch case (sendmmsg, UDP_SEGMENT) reports nanoseconds per datagram: the time of one call divided by the
 * datagrams it carries. The receiver is a bound loopback socket that nobody reads, as in the Java rows.
 * Only 127.0.0.1 and socketpairs are used. Every loop is bounded in count and in time.
 *
 * The TCP cases (tcp_*) send over a loopback TCP connection whose other end a thread of this process drains,
 * as a thread of the JMH fork does for the Java rows; the zero-copy ones reap their completions from the error
 * queue as they go, and tcp_sendfile_64k sends a file's 64 KiB with sendfile; their line also has "retransmits",
 * the segments the sender retransmitted during the measured iterations. The timestamped case reads each send's
 * transmit timestamp back from the error queue.
 *
 * Build: gcc -std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -pthread -o send_floor send_floor.c
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "tstamp_op.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef SO_ZEROCOPY
#define SO_ZEROCOPY 60
#endif
#ifndef MSG_ZEROCOPY
#define MSG_ZEROCOPY 0x4000000
#endif

#define PAYLOAD 64
#define MAX_BATCH 256
#define GSO_SEGMENTS 64
#define GSO_SEGMENT_SIZE 1000
/* How many operations run between two clock reads: small against an iteration, negligible in cost. */
#define CHUNK 64
/* No iteration runs longer than this many operations, whatever the clock says. */
#define MAX_OPS_PER_ITERATION 100000000L

/* The largest UDP payload over IPv4: 65535 less the IP and UDP headers. */
#define LARGEST_DATAGRAM 65507

static char payload[LARGEST_DATAGRAM];
_Static_assert(GSO_SEGMENTS * GSO_SEGMENT_SIZE <= LARGEST_DATAGRAM, "payload holds a UDP_SEGMENT send");

/*
 * A case prepares its sockets once, then does one operation per call; it returns 0, or -1 on a wrong result.
 * A case with a prep step (recvmmsg: refill the socket) runs prep before every operation outside the timed
 * region and times each operation alone with two clock reads, as JMH does for a benchmark with
 * @Setup(Level.Invocation); the iteration still lasts time_ms of wall time, prep included.
 */
struct bench_case {
    const char *name;
    const char *per;     /* what one reported operation is: "call" or "datagram" */
    int datagrams;       /* datagrams per call, to report per datagram */
    int (*setup)(void);
    int (*op)(void);
    int (*prep)(void);   /* NULL, or the untimed step before every operation */
};

static int sender = -1;       /* the socket every case sends on */
static int receiver = -1;     /* the bound, unread loopback receiver */
static int unix_peer = -1;    /* the other end of the would-block socketpair */
static struct sockaddr_in dest;
static struct iovec iov2[2];
static struct msghdr msg2;
static struct mmsghdr mmsgs[MAX_BATCH];
static struct iovec mmsg_iov[MAX_BATCH];
static int batch;
static struct msghdr gso_msg;
static struct iovec gso_iov;
static union {
    char buf[CMSG_SPACE(sizeof(uint16_t))];
    struct cmsghdr align;
} gso_control;

static void die(const char *what) {
    fprintf(stderr, "send_floor: %s: %s\n", what, strerror(errno));
    exit(2);
}

static int drain_fd = -1;      /* the accepted end of the TCP connection, read by the drain thread */
static pthread_t drain_thread;
static int draining;
static int file_fd = -1;       /* the file the sendfile case reads */

static void close_all(void) {
    if (draining) {
        /* the drain thread's recv returns 0 once both directions are shut */
        shutdown(sender, SHUT_RDWR);
        shutdown(drain_fd, SHUT_RDWR);
        pthread_join(drain_thread, NULL);
        draining = 0;
    }
    if (sender >= 0) close(sender);
    if (receiver >= 0) close(receiver);
    if (unix_peer >= 0) close(unix_peer);
    if (drain_fd >= 0) close(drain_fd);
    if (file_fd >= 0) close(file_fd);
    sender = receiver = unix_peer = drain_fd = file_fd = -1;
}

/* A UDP socket bound to 127.0.0.1 on an ephemeral port; its address goes into dest. */
static void open_receiver(void) {
    receiver = socket(AF_INET, SOCK_DGRAM, 0);
    if (receiver < 0) die("socket");
    memset(&dest, 0, sizeof dest);
    dest.sin_family = AF_INET;
    dest.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(receiver, (struct sockaddr *) &dest, sizeof dest) < 0) die("bind");
    socklen_t len = sizeof dest;
    if (getsockname(receiver, (struct sockaddr *) &dest, &len) < 0) die("getsockname");
}

static void open_sender(int connected) {
    sender = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (sender < 0) die("socket");
    if (connected && connect(sender, (struct sockaddr *) &dest, sizeof dest) < 0) die("connect");
}

/* Sends that found the send buffer full: possible on a loaded machine; reported, as they cost less than a send. */
static long eagain_count;

static int ok_count(ssize_t n, ssize_t want) {
    if (n == want) return 0;
    if (n < 0 && errno == EAGAIN) {
        eagain_count++;
        return 0;
    }
    fprintf(stderr, "send_floor: result %zd (%s), expected %zd\n", n, n < 0 ? strerror(errno) : "short", want);
    return -1;
}

/* ---- send / sendto ---- */

static int setup_connected(void) {
    open_receiver();
    open_sender(1);
    return 0;
}

static int setup_unconnected(void) {
    open_receiver();
    open_sender(0);
    return 0;
}

static int op_send(void) {
    return ok_count(send(sender, payload, PAYLOAD, 0), PAYLOAD);
}

static int op_sendto(void) {
    return ok_count(sendto(sender, payload, PAYLOAD, 0, (struct sockaddr *) &dest, sizeof dest), PAYLOAD);
}

/* The largest datagram, from a sender with room for a few of them in flight (as PosixHeapBench sets). */
static int setup_largest(void) {
    setup_connected();
    int sndbuf = 1 << 20;
    if (setsockopt(sender, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf) < 0) die("SO_SNDBUF");
    return 0;
}

static int op_send_largest(void) {
    return ok_count(send(sender, payload, LARGEST_DATAGRAM, 0), LARGEST_DATAGRAM);
}

static int op_send_1024(void) {
    return ok_count(send(sender, payload, 1024, 0), 1024);
}

static int op_send_8192(void) {
    return ok_count(send(sender, payload, 8192, 0), 8192);
}

/* One datagram of a UDP_SEGMENT segment's size on the same connected socket: what UDP_SEGMENT replaces. */
static int op_send_1000(void) {
    return ok_count(send(sender, payload, GSO_SEGMENT_SIZE, 0), GSO_SEGMENT_SIZE);
}

/* ---- sendmsg with two iovecs of 32 bytes ---- */

static void prepare_msg2(int with_dest) {
    iov2[0].iov_base = payload;
    iov2[0].iov_len = PAYLOAD / 2;
    iov2[1].iov_base = payload + PAYLOAD / 2;
    iov2[1].iov_len = PAYLOAD / 2;
    memset(&msg2, 0, sizeof msg2);
    msg2.msg_iov = iov2;
    msg2.msg_iovlen = 2;
    if (with_dest) {
        msg2.msg_name = &dest;
        msg2.msg_namelen = sizeof dest;
    }
}

static int setup_sendmsg2(void) {
    setup_connected();
    prepare_msg2(0);
    return 0;
}

static int setup_sendmsg2_dest(void) {
    setup_unconnected();
    prepare_msg2(1);
    return 0;
}

static int op_sendmsg2(void) {
    return ok_count(sendmsg(sender, &msg2, 0), PAYLOAD);
}

/* ---- sendmmsg, batches of 64-byte datagrams ---- */

static void prepare_batch(int n, int with_dest) {
    batch = n;
    memset(mmsgs, 0, sizeof mmsgs);
    for (int i = 0; i < n; i++) {
        mmsg_iov[i].iov_base = payload;
        mmsg_iov[i].iov_len = PAYLOAD;
        mmsgs[i].msg_hdr.msg_iov = &mmsg_iov[i];
        mmsgs[i].msg_hdr.msg_iovlen = 1;
        if (with_dest) {
            mmsgs[i].msg_hdr.msg_name = &dest;
            mmsgs[i].msg_hdr.msg_namelen = sizeof dest;
        }
    }
}

static int op_sendmmsg(void) {
    int n = sendmmsg(sender, mmsgs, (unsigned) batch, 0);
    return ok_count(n, batch);
}

#define BATCH_SETUPS(N) \
    static int setup_mmsg_##N(void) { setup_connected(); prepare_batch(N, 0); return 0; } \
    static int setup_mmsg_dest_##N(void) { setup_unconnected(); prepare_batch(N, 1); return 0; }
BATCH_SETUPS(1)
BATCH_SETUPS(8)
BATCH_SETUPS(32)
BATCH_SETUPS(64)
BATCH_SETUPS(256)

/* Points msg's control at buf (room bytes, enough for one message) and writes one control message there. */
static void one_cmsg(struct msghdr *msg, char *buf, size_t room, int level, int type, const void *data, size_t len) {
    msg->msg_control = buf;
    msg->msg_controllen = room;
    struct cmsghdr *c = CMSG_FIRSTHDR(msg);
    c->cmsg_level = level;
    c->cmsg_type = type;
    c->cmsg_len = CMSG_LEN(len);
    memcpy(CMSG_DATA(c), data, len);
}

/* ---- UDP_SEGMENT: one sendmsg of 64 segments of 1000 bytes ---- */

static int setup_gso(void) {
    setup_connected();
    gso_iov.iov_base = payload;
    gso_iov.iov_len = GSO_SEGMENTS * GSO_SEGMENT_SIZE;
    memset(&gso_msg, 0, sizeof gso_msg);
    memset(&gso_control, 0, sizeof gso_control);
    gso_msg.msg_iov = &gso_iov;
    gso_msg.msg_iovlen = 1;
    uint16_t seg = GSO_SEGMENT_SIZE;
    one_cmsg(&gso_msg, gso_control.buf, sizeof gso_control.buf, SOL_UDP, UDP_SEGMENT, &seg, sizeof seg);
    return 0;
}

static int op_gso(void) {
    return ok_count(sendmsg(sender, &gso_msg, 0), GSO_SEGMENTS * GSO_SEGMENT_SIZE);
}

/* ---- would-block on a full AF_UNIX datagram socketpair ---- */

static int setup_wouldblock(void) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv) < 0) die("socketpair");
    sender = sv[0];
    unix_peer = sv[1];
    for (int i = 0; i < 1000000; i++) {
        if (send(sender, payload, PAYLOAD, 0) < 0) {
            if (errno == EAGAIN) return 0;
            die("filling the socketpair");
        }
    }
    fprintf(stderr, "send_floor: the socketpair never filled\n");
    return -1;
}

static int op_wouldblock(void) {
    ssize_t n = send(sender, payload, PAYLOAD, 0);
    if (n < 0 && errno == EAGAIN) return 0;
    fprintf(stderr, "send_floor: would-block case got %zd (%s)\n", n, strerror(errno));
    return -1;
}

/* ---- EBADF: the cheapest call that reaches the kernel ---- */

/* ---- poll of one writable descriptor, timeout 0 ---- */

static struct pollfd pfd;

static int setup_poll_out(void) {
    setup_connected();
    pfd.fd = sender;
    pfd.events = POLLOUT;
    pfd.revents = 0;
    return 0;
}

static int op_poll_out(void) {
    int n = poll(&pfd, 1, 0);
    if (n == 1 && (pfd.revents & POLLOUT)) return 0;
    fprintf(stderr, "send_floor: poll case got %d (revents 0x%x, %s)\n", n, pfd.revents, n < 0 ? strerror(errno) : "");
    return -1;
}

/* ---- recv on an empty non-blocking UDP socket (EAGAIN) ---- */

static char recv_buf[PAYLOAD];

static void make_nonblocking(int fd) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) die("fcntl");
}

static int setup_recv_empty(void) {
    open_receiver();
    make_nonblocking(receiver);
    return 0;
}

static int op_recv_empty(void) {
    ssize_t n = recv(receiver, recv_buf, PAYLOAD, 0);
    if (n < 0 && errno == EAGAIN) return 0;
    fprintf(stderr, "send_floor: empty recv case got %zd (%s)\n", n, n < 0 ? strerror(errno) : "data");
    return -1;
}

/* ---- recv of one large datagram, queued (untimed) by one send before each call ---- */

static char recv_large[LARGEST_DATAGRAM];
static int recv_large_size;

static int setup_recv_large(int size) {
    setup_largest();
    make_nonblocking(receiver);
    int rcvbuf = 1 << 20;
    if (setsockopt(receiver, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) < 0) die("SO_RCVBUF");
    recv_large_size = size;
    return 0;
}

static int setup_recv_8192(void) {
    return setup_recv_large(8192);
}

static int setup_recv_65507(void) {
    return setup_recv_large(LARGEST_DATAGRAM);
}

static int prep_recv_large(void) {
    return ok_count(send(sender, payload, (size_t) recv_large_size, 0), recv_large_size);
}

static int op_recv_large(void) {
    return ok_count(recv(receiver, recv_large, (size_t) recv_large_size, 0), recv_large_size);
}

/* ---- recvmmsg of 64 datagrams of 64 bytes, the queue refilled (untimed) by one sendmmsg before each call ---- */

#define RECV_BATCH 64
static struct mmsghdr rmsgs[RECV_BATCH];
static struct iovec riov[RECV_BATCH];
static char rbufs[RECV_BATCH][PAYLOAD];
static struct sockaddr_storage rnames[RECV_BATCH];

static int setup_recvmmsg_64(void) {
    setup_connected();
    make_nonblocking(receiver);
    prepare_batch(RECV_BATCH, 0);
    memset(rmsgs, 0, sizeof rmsgs);
    for (int i = 0; i < RECV_BATCH; i++) {
        riov[i].iov_base = rbufs[i];
        riov[i].iov_len = PAYLOAD;
        rmsgs[i].msg_hdr.msg_iov = &riov[i];
        rmsgs[i].msg_hdr.msg_iovlen = 1;
        rmsgs[i].msg_hdr.msg_name = &rnames[i];
    }
    return 0;
}

/* Untimed: 64 datagrams into the receiver's queue, sent from the connected sender. */
static int prep_recvmmsg_64(void) {
    int n = sendmmsg(sender, mmsgs, RECV_BATCH, 0);
    if (n == RECV_BATCH) return 0;
    fprintf(stderr, "send_floor: refill sent %d of %d (%s)\n", n, RECV_BATCH, n < 0 ? strerror(errno) : "short");
    return -1;
}

/* Timed: the sender's addresses asked for (msg_namelen reset, as every loop must), no control data, as in Java. */
static int op_recvmmsg_64(void) {
    for (int i = 0; i < RECV_BATCH; i++) {
        rmsgs[i].msg_hdr.msg_namelen = sizeof rnames[i];
    }
    int n = recvmmsg(receiver, rmsgs, RECV_BATCH, 0, NULL);
    if (n == RECV_BATCH) return 0;
    fprintf(stderr, "send_floor: recvmmsg got %d of %d (%s)\n", n, RECV_BATCH, n < 0 ? strerror(errno) : "short");
    return -1;
}

static int setup_ebadf(void) {
    return 0;
}

static int op_ebadf(void) {
    ssize_t n = send(-1, payload, PAYLOAD, 0);
    if (n < 0 && errno == EBADF) return 0;
    fprintf(stderr, "send_floor: EBADF case got %zd\n", n);
    return -1;
}

/* ---- TCP over loopback, a thread draining the other end; plain and MSG_ZEROCOPY sends ---- */

#define TCP_MAX (1 << 20)
/* Zero-copy sends in flight at most: each has a buffer of its own until its completion comes back. */
#define ZC_BUFFERS 8
/* Polls of the error queue while waiting for a buffer to come back, at most. */
#define ZC_MAX_SPINS 10000000L

/* Page-aligned, as the Java rows' buffers are (Loopback.pageAligned): a zero-copy send of 1 MiB from a buffer that
 * starts mid-page took up to 1.8x as long on Linux 6.18 over loopback here, so both sides start on a page. */
static char tcp_bufs[ZC_BUFFERS][TCP_MAX] __attribute__((aligned(4096)));
static char drain_buf[TCP_MAX];
static int tcp_size;
static unsigned zc_sent;       /* ids the kernel gave: one per accepted MSG_ZEROCOPY send */
static unsigned zc_completed;  /* ids reported complete */

/* Reads until the sender shuts the connection (or 10 s pass without data: SO_RCVTIMEO), at most 2^40 bytes. */
static void *drain(void *arg) {
    (void) arg;
    long long total = 0;
    while (total < (1LL << 40)) {
        ssize_t n = recv(drain_fd, drain_buf, sizeof drain_buf, 0);
        if (n <= 0) break;
        total += n;
    }
    return NULL;
}

static int setup_tcp(int size, int zerocopy) {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0) die("socket");
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(listener, (struct sockaddr *) &a, sizeof a) < 0 || listen(listener, 1) < 0
            || getsockname(listener, (struct sockaddr *) &a, &len) < 0) die("listen");
    sender = socket(AF_INET, SOCK_STREAM, 0);
    if (sender < 0 || connect(sender, (struct sockaddr *) &a, sizeof a) < 0) die("connect");
    drain_fd = accept(listener, NULL, NULL);
    if (drain_fd < 0) die("accept");
    close(listener);
    struct timeval limit = {10, 0};
    if (setsockopt(drain_fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) < 0) die("SO_RCVTIMEO");
    int one = 1;
    if (zerocopy && setsockopt(sender, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof one) < 0) die("SO_ZEROCOPY");
    if (pthread_create(&drain_thread, NULL, drain, NULL) != 0) die("pthread_create");
    draining = 1;
    tcp_size = size;
    zc_sent = zc_completed = 0;
    memset(tcp_bufs, 'x', sizeof tcp_bufs);
    return 0;
}

/* A blocking send takes the whole buffer. */
static int op_tcp(void) {
    return ok_count(send(sender, tcp_bufs[0], (size_t) tcp_size, 0), tcp_size);
}

/* Room for one error-queue entry: data (as much as the Java side's message offers) and 256 bytes of control. */
struct errq_read {
    char data[16];
    struct iovec iov;
    union {
        char buf[256];
        struct cmsghdr align;
    } control;
    struct msghdr m;
};

/* One recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT) of the sender into r, taking data_len bytes; 0, or -1 when empty. */
static int errq_recv(struct errq_read *r, size_t data_len) {
    r->iov.iov_base = r->data;
    r->iov.iov_len = data_len;
    memset(&r->m, 0, sizeof r->m);
    r->m.msg_iov = &r->iov;
    r->m.msg_iovlen = 1;
    r->m.msg_control = r->control.buf;
    r->m.msg_controllen = sizeof r->control.buf;
    if (recvmsg(sender, &r->m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
        if (errno == EAGAIN) return -1;
        die("recvmsg(MSG_ERRQUEUE)");
    }
    return 0;
}

/*
 * Reads every zero-copy completion waiting on the error queue, without blocking, into zc_completed: one recvmsg
 * with a 1-byte buffer and 256 bytes of control space each (ZerocopySends offers no data space and 512 bytes; a
 * completion fills neither). -1 on anything else.
 */
static int zc_reap(void) {
    for (int i = 0; i < ZC_BUFFERS * 4; i++) {
        struct errq_read r;
        if (errq_recv(&r, 1) != 0) return 0;
        struct msghdr *m = &r.m;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
            if (!(c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR)) continue;
            struct sock_extended_err ee;
            memcpy(&ee, CMSG_DATA(c), sizeof ee);
            if (ee.ee_origin != SO_EE_ORIGIN_ZEROCOPY) {
                fprintf(stderr, "send_floor: an error-queue entry of origin %d, errno %u\n", ee.ee_origin, ee.ee_errno);
                return -1;
            }
            zc_completed += ee.ee_data - ee.ee_info + 1;
        }
    }
    return 0;
}

/* Waits (polling the error queue) for a free buffer, sends it with MSG_ZEROCOPY, then reaps what completed. */
static int op_tcp_zerocopy(void) {
    for (long spins = 0; zc_sent - zc_completed >= ZC_BUFFERS; spins++) {
        if (spins >= ZC_MAX_SPINS || zc_reap() != 0) {
            fprintf(stderr, "send_floor: no zero-copy completion came back\n");
            return -1;
        }
    }
    for (long spins = 0; spins < ZC_MAX_SPINS; spins++) {
        ssize_t n = send(sender, tcp_bufs[zc_sent % ZC_BUFFERS], (size_t) tcp_size, MSG_ZEROCOPY);
        if (n < 0 && errno == ENOBUFS) {
            /* too many notifications wait: reap, then again */
            if (zc_reap() != 0) return -1;
            continue;
        }
        if (ok_count(n, tcp_size) != 0) return -1;
        zc_sent++;
        return zc_reap();
    }
    fprintf(stderr, "send_floor: MSG_ZEROCOPY send kept failing with ENOBUFS\n");
    return -1;
}

/*
 * Segments the TCP sender has retransmitted so far (tcpi_total_retrans), or -1 when the case sends no TCP: loopback
 * TCP on two CPUs retransmits in one regime and hardly at all in another, and a row's time says which only with it.
 */
static long long tcp_retransmitted(void) {
    if (!draining) return -1;
    struct tcp_info info;
    socklen_t len = sizeof info;
    memset(&info, 0, sizeof info);
    if (getsockopt(sender, IPPROTO_TCP, TCP_INFO, &info, &len) < 0) die("TCP_INFO");
    return info.tcpi_total_retrans;
}

/*
 * sendfile of 64 KiB from a file of 64 KiB of 'x' (written once, so in the page cache, and unlinked) at offset 0 each
 * time, the file's position left alone: C's &off, as PosixTcpBench.sendfile64k's offset form.
 */
static int setup_tcp_sendfile_64k(void) {
    setup_tcp(64 * 1024, 0);
    char path[] = "/tmp/send_floor_sendfile_XXXXXX";
    file_fd = mkstemp(path);
    if (file_fd < 0) die("mkstemp");
    unlink(path);
    for (ssize_t done = 0; done < tcp_size;) {
        ssize_t n = write(file_fd, tcp_bufs[0] + done, (size_t) (tcp_size - done));
        if (n <= 0) die("write");
        done += n;
    }
    return 0;
}

static int op_tcp_sendfile(void) {
    off_t off = 0;
    return ok_count(sendfile(sender, file_fd, &off, (size_t) tcp_size), tcp_size);
}

static int setup_tcp_16k(void) { return setup_tcp(16 * 1024, 0); }
static int setup_tcp_64k(void) { return setup_tcp(64 * 1024, 0); }
static int setup_tcp_1m(void) { return setup_tcp(1024 * 1024, 0); }
static int setup_tcp_zc_16k(void) { return setup_tcp(16 * 1024, 1); }
static int setup_tcp_zc_64k(void) { return setup_tcp(64 * 1024, 1); }
static int setup_tcp_zc_1m(void) { return setup_tcp(1024 * 1024, 1); }

/* ---- timestamped UDP send: sendmsg with SO_TIMESTAMPING, then its timestamp read from the error queue ---- */

static long long ts_sum;  /* the timestamps read, summed, so that nothing is optimised away */

static int setup_tstamp_common(int with_control) {
    setup_connected();
    int flags = SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY;
    if (setsockopt(sender, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof flags) < 0) die("SO_TIMESTAMPING");
    tstamp_prepare(payload, PAYLOAD, with_control);
    return 0;
}

static int setup_tstamp(void) { return setup_tstamp_common(1); }
static int setup_tstamp_plain(void) { return setup_tstamp_common(0); }

/* The same sendmsg without the control message, and nothing read back: what the timestamp costs on top. */
static int op_tstamp_plain(void) {
    return ok_count(sendmsg(sender, &ts_msg, 0), PAYLOAD);
}

/*
 * sendmsg with the control message, then one recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT) into a 16-byte buffer and 256
 * bytes of control space, and the software time of its SCM_TIMESTAMPING. A timestamp not there yet is counted
 * with the would-blocks (it then waits for the next call's read).
 */
static int op_tstamp(void) {
    if (ok_count(sendmsg(sender, &ts_msg, 0), PAYLOAD) != 0) return -1;
    struct errq_read r;
    if (errq_recv(&r, sizeof r.data) != 0) {
        eagain_count++;
        return 0;
    }
    int origin;
    long long t = tstamp_read(&r.m, &origin);
    if (origin != SO_EE_ORIGIN_TIMESTAMPING || t == 0) {
        fprintf(stderr, "send_floor: an error-queue entry that is not a timestamp (origin %d)\n", origin);
        return -1;
    }
    ts_sum += t;
    return 0;
}

static const struct bench_case cases[] = {
    {"send", "datagram", 1, setup_connected, op_send, NULL},
    {"sendto", "datagram", 1, setup_unconnected, op_sendto, NULL},
    {"sendmsg_2iov", "datagram", 1, setup_sendmsg2, op_sendmsg2, NULL},
    {"sendmsg_2iov_dest", "datagram", 1, setup_sendmsg2_dest, op_sendmsg2, NULL},
    {"sendmmsg_1", "datagram", 1, setup_mmsg_1, op_sendmmsg, NULL},
    {"sendmmsg_8", "datagram", 8, setup_mmsg_8, op_sendmmsg, NULL},
    {"sendmmsg_32", "datagram", 32, setup_mmsg_32, op_sendmmsg, NULL},
    {"sendmmsg_64", "datagram", 64, setup_mmsg_64, op_sendmmsg, NULL},
    {"sendmmsg_256", "datagram", 256, setup_mmsg_256, op_sendmmsg, NULL},
    {"sendmmsg_dest_1", "datagram", 1, setup_mmsg_dest_1, op_sendmmsg, NULL},
    {"sendmmsg_dest_8", "datagram", 8, setup_mmsg_dest_8, op_sendmmsg, NULL},
    {"sendmmsg_dest_32", "datagram", 32, setup_mmsg_dest_32, op_sendmmsg, NULL},
    {"sendmmsg_dest_64", "datagram", 64, setup_mmsg_dest_64, op_sendmmsg, NULL},
    {"sendmmsg_dest_256", "datagram", 256, setup_mmsg_dest_256, op_sendmmsg, NULL},
    {"udp_segment_64x1000", "datagram", GSO_SEGMENTS, setup_gso, op_gso, NULL},
    {"send_1000", "datagram", 1, setup_connected, op_send_1000, NULL},
    /* the 64-byte send of the heap rows, on their socket (PosixHeapBench's 1 MiB SO_SNDBUF): a case of its own, not
       the send group's "send", whose samples are that group's */
    {"send_64", "call", 1, setup_largest, op_send, NULL},
    {"send_1024", "call", 1, setup_largest, op_send_1024, NULL},
    {"send_8192", "call", 1, setup_largest, op_send_8192, NULL},
    {"send_65507", "call", 1, setup_largest, op_send_largest, NULL},
    {"wouldblock", "call", 1, setup_wouldblock, op_wouldblock, NULL},
    {"ebadf", "call", 1, setup_ebadf, op_ebadf, NULL},
    {"poll_out", "call", 1, setup_poll_out, op_poll_out, NULL},
    {"recv_empty", "call", 1, setup_recv_empty, op_recv_empty, NULL},
    {"recvmmsg_64", "datagram", RECV_BATCH, setup_recvmmsg_64, op_recvmmsg_64, prep_recvmmsg_64},
    {"recv_8192", "call", 1, setup_recv_8192, op_recv_large, prep_recv_large},
    {"recv_65507", "call", 1, setup_recv_65507, op_recv_large, prep_recv_large},
    {"tcp_16k", "call", 1, setup_tcp_16k, op_tcp, NULL},
    {"tcp_64k", "call", 1, setup_tcp_64k, op_tcp, NULL},
    {"tcp_1m", "call", 1, setup_tcp_1m, op_tcp, NULL},
    {"tcp_zc_16k", "call", 1, setup_tcp_zc_16k, op_tcp_zerocopy, NULL},
    {"tcp_zc_64k", "call", 1, setup_tcp_zc_64k, op_tcp_zerocopy, NULL},
    {"tcp_zc_1m", "call", 1, setup_tcp_zc_1m, op_tcp_zerocopy, NULL},
    {"tcp_sendfile_64k", "call", 1, setup_tcp_sendfile_64k, op_tcp_sendfile, NULL},
    {"tstamp", "call", 1, setup_tstamp, op_tstamp, NULL},
    {"tstamp_plain", "call", 1, setup_tstamp_plain, op_tstamp_plain, NULL},
};

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec * 1e9 + (double) t.tv_nsec;
}

/*
 * One iteration of a case with a prep step: prep, then the operation between two clock reads, until time_ms of
 * wall time has passed; returns the timed ns per call (prep excluded), or -1 on a wrong result.
 */
static double iteration_prepared(const struct bench_case *c, long time_ms, long *ops_out) {
    double end = now_ns() + (double) time_ms * 1e6;
    double timed = 0;
    long ops = 0;
    for (double t = 0; t < end && ops < MAX_OPS_PER_ITERATION; ops++) {
        if (c->prep() != 0) return -1;
        double t0 = now_ns();
        if (c->op() != 0) return -1;
        t = now_ns();
        timed += t - t0;
    }
    *ops_out = ops;
    return timed / (double) ops;
}

/* One iteration: operations in chunks until time_ms has passed; returns ns per call, or -1 on a wrong result. */
static double iteration(const struct bench_case *c, long time_ms, long *ops_out) {
    if (c->prep != NULL) return iteration_prepared(c, time_ms, ops_out);
    double start = now_ns();
    double end = start + (double) time_ms * 1e6;
    double t = start;
    long ops = 0;
    while (t < end && ops < MAX_OPS_PER_ITERATION) {
        for (int i = 0; i < CHUNK; i++) {
            if (c->op() != 0) return -1;
        }
        ops += CHUNK;
        t = now_ns();
    }
    *ops_out = ops;
    return (t - start) / (double) ops;
}

static int run_case(const struct bench_case *c, int warmup, int iterations, long time_ms) {
    if (c->setup() != 0) {
        close_all();
        return -1;
    }
    long ops = 0, total = 0;
    for (int i = 0; i < warmup; i++) {
        eagain_count = 0;
        if (iteration(c, time_ms, &ops) < 0) {
            close_all();
            return -1;
        }
    }
    printf("{\"case\":\"%s\",\"unit\":\"ns/op\",\"per\":\"%s\",\"datagrams_per_call\":%d,"
            "\"receiver\":\"%s\",\"samples\":[",
            c->name, c->per, c->datagrams, draining ? "drained" : receiver >= 0 ? "unread" : "none");
    eagain_count = 0;
    long long retransmitted_before = tcp_retransmitted();
    for (int i = 0; i < iterations; i++) {
        double ns = iteration(c, time_ms, &ops);
        if (ns < 0) {
            printf("]}\n");
            close_all();
            return -1;
        }
        total += ops;
        printf("%s%.3f", i ? "," : "", ns / c->datagrams);
    }
    printf("],\"calls\":%ld,\"eagain\":%ld", total, eagain_count);
    if (retransmitted_before >= 0) printf(",\"retransmits\":%lld", tcp_retransmitted() - retransmitted_before);
    printf("}\n");
    fflush(stdout);
    close_all();
    return 0;
}

int main(int argc, char **argv) {
    int warmup = 3, iterations = 5;
    long time_ms = 500;
    int first_case = argc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) {
            warmup = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) {
            iterations = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--time-ms") == 0 && i + 1 < argc) {
            time_ms = atol(argv[++i]);
        } else if (strcmp(argv[i], "--list") == 0) {
            for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) printf("%s\n", cases[k].name);
            return 0;
        } else {
            first_case = i;
            break;
        }
    }
    if (warmup < 0 || iterations < 1 || iterations > 1000 || time_ms < 1 || time_ms > 60000 || first_case >= argc) {
        fprintf(stderr, "usage: send_floor [--warmup N] [--iterations N] [--time-ms MS] CASE... | --list\n");
        return 1;
    }
    memset(payload, 'x', sizeof payload);
    int rc = 0;
    for (int i = first_case; i < argc; i++) {
        const struct bench_case *c = NULL;
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            if (strcmp(cases[k].name, argv[i]) == 0) c = &cases[k];
        }
        if (c == NULL) {
            fprintf(stderr, "send_floor: unknown case %s (try --list)\n", argv[i]);
            return 1;
        }
        if (run_case(c, warmup, iterations, time_ms) != 0) rc = 2;
    }
    return rc;
}

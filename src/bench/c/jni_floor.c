/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * The floor of any JNI binding, for scripts/bench: natives that take only primitives and make the system call
 * straight away, with no check at all (the caller passes a raw address). Nothing a safe binding should ship;
 * it shows how much of a posix-send row is the JNI transition itself and how much is posix-send's own checks.
 *
 * Build: gcc -std=c11 -O2 -Wall -Wextra -Werror -fPIC -shared -I$JAVA_HOME/include -I$JAVA_HOME/include/linux
 */
#include <errno.h>
#include <jni.h>
#include <time.h> /* before linux/errqueue.h, whose struct scm_timestamping holds timespecs */
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "tstamp_op.h"

JNIEXPORT jint JNICALL Java_io_github_posixsend_bench_JniFloorBench_send0(
        JNIEnv *env, jclass cls, jint fd, jlong address, jint len, jint flags) {
    (void) env;
    (void) cls;
    ssize_t n = send(fd, (const void *) (intptr_t) address, (size_t) len, flags);
    return n < 0 ? -errno : (jint) n;
}

/* sendfile from offset 0 of in_fd (C's &off, the file's position left alone), as the tcp_sendfile_64k case. */
JNIEXPORT jlong JNICALL Java_io_github_posixsend_bench_JniFloorBench_sendfile0(
        JNIEnv *env, jclass cls, jint out_fd, jint in_fd, jint count) {
    (void) env;
    (void) cls;
    off_t off = 0;
    ssize_t n = sendfile(out_fd, in_fd, &off, (size_t) count);
    return n < 0 ? -errno : (jlong) n;
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_bench_JniFloorBench_noop0(JNIEnv *env, jclass cls, jint fd) {
    (void) env;
    (void) cls;
    return fd;
}

JNIEXPORT jlong JNICALL Java_io_github_posixsend_bench_JniFloorBench_address0(JNIEnv *env, jclass cls, jobject buf) {
    (void) cls;
    return (jlong) (intptr_t) (*env)->GetDirectBufferAddress(env, buf);
}

/* n send(2) calls in one native call: the system call's cost inside the JVM's process, without JNI per call. */
JNIEXPORT jint JNICALL Java_io_github_posixsend_bench_JniFloorBench_sendLoop0(
        JNIEnv *env, jclass cls, jint fd, jlong address, jint len, jint flags, jint n) {
    (void) env;
    (void) cls;
    jint last = 0;
    for (jint i = 0; i < n; i++) {
        ssize_t r = send(fd, (const void *) (intptr_t) address, (size_t) len, flags);
        last = r < 0 ? -errno : (jint) r;
    }
    return last;
}

/* poll(2) of one descriptor, the struct pollfd on the C stack. */
JNIEXPORT jint JNICALL Java_io_github_posixsend_bench_JniFloorBench_poll0(
        JNIEnv *env, jclass cls, jint fd, jint events, jint timeout) {
    (void) env;
    (void) cls;
    struct pollfd p = {.fd = fd, .events = (short) events, .revents = 0};
    int r = poll(&p, 1, timeout);
    return r < 0 ? -errno : r;
}

/* n poll(2) calls of one descriptor in one native call: poll's cost inside the JVM's process, without JNI per call. */
JNIEXPORT jint JNICALL Java_io_github_posixsend_bench_JniFloorBench_pollLoop0(
        JNIEnv *env, jclass cls, jint fd, jint events, jint timeout, jint n) {
    (void) env;
    (void) cls;
    struct pollfd p = {.fd = fd, .events = (short) events, .revents = 0};
    jint last = 0;
    for (jint i = 0; i < n; i++) {
        int r = poll(&p, 1, timeout);
        last = r < 0 ? -errno : r;
    }
    return last;
}

/* recv(2) into a raw address. */
JNIEXPORT jint JNICALL Java_io_github_posixsend_bench_JniFloorBench_recv0(
        JNIEnv *env, jclass cls, jint fd, jlong address, jint len, jint flags) {
    (void) env;
    (void) cls;
    ssize_t n = recv(fd, (void *) (intptr_t) address, (size_t) len, flags);
    return n < 0 ? -errno : (jint) n;
}

/* n recv(2) calls in one native call: recv's cost inside the JVM's process, without JNI per call. */
JNIEXPORT jint JNICALL Java_io_github_posixsend_bench_JniFloorBench_recvLoop0(
        JNIEnv *env, jclass cls, jint fd, jlong address, jint len, jint flags, jint n) {
    (void) env;
    (void) cls;
    jint last = 0;
    for (jint i = 0; i < n; i++) {
        ssize_t r = recv(fd, (void *) (intptr_t) address, (size_t) len, flags);
        last = r < 0 ? -errno : (jint) r;
    }
    return last;
}

/*
 * The sendmmsg_64, recvmmsg_64 and tstamp operations of send_floor.c, each made by one native call: what the same C
 * costs inside the JVM's process, with one JNI transition per operation. Their structs are built once by the prepare
 * natives, as send_floor.c builds them in its setup; a benchmark runs in one thread.
 */
#define RECV_BATCH 64
static struct mmsghdr rmsgs[RECV_BATCH];
static struct iovec riov[RECV_BATCH];
static struct sockaddr_storage rnames[RECV_BATCH];

/* send_floor.c's sendmmsg_64: 64 messages, each one iovec over the same len bytes, built once as there. */
#define SEND_BATCH 64
static struct mmsghdr smsgs[SEND_BATCH];
static struct iovec siov[SEND_BATCH];

/*
 * Points n messages, each of one iovec, at len bytes each, message i's at address + i * stride, with room for the
 * sender's address in names[i] when names is not NULL.
 */
static void point_batch(struct mmsghdr *msgs, struct iovec *iov, struct sockaddr_storage *names, int n, jlong address,
        size_t stride, jint len) {
    memset(msgs, 0, (size_t) n * sizeof *msgs);
    for (int i = 0; i < n; i++) {
        iov[i].iov_base = (char *) (intptr_t) address + (size_t) i * stride;
        iov[i].iov_len = (size_t) len;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = names != NULL ? &names[i] : NULL;
    }
}

/* Points the 64 receive messages at 64 consecutive len-byte pieces of the memory at address. */
JNIEXPORT void JNICALL Java_io_github_posixsend_bench_JniFloorBench_recvmmsgPrepare0(
        JNIEnv *env, jclass cls, jlong address, jint len) {
    (void) env;
    (void) cls;
    point_batch(rmsgs, riov, rnames, RECV_BATCH, address, (size_t) len, len);
}

/* Points the 64 send messages at the same len bytes at address. */
JNIEXPORT void JNICALL Java_io_github_posixsend_bench_JniFloorBench_sendmmsgPrepare0(
        JNIEnv *env, jclass cls, jlong address, jint len) {
    (void) env;
    (void) cls;
    point_batch(smsgs, siov, NULL, SEND_BATCH, address, 0, len);
}

/* One sendmmsg of the 64 prepared messages, as send_floor.c's op_sendmmsg. */
JNIEXPORT jint JNICALL Java_io_github_posixsend_bench_JniFloorBench_sendmmsg0(JNIEnv *env, jclass cls, jint fd) {
    (void) env;
    (void) cls;
    int n = sendmmsg(fd, smsgs, SEND_BATCH, 0);
    return n < 0 ? -errno : n;
}

/* recvmmsg of up to 64 datagrams with their senders' addresses, as send_floor.c's op_recvmmsg_64. */
JNIEXPORT jint JNICALL Java_io_github_posixsend_bench_JniFloorBench_recvmmsg0(JNIEnv *env, jclass cls, jint fd) {
    (void) env;
    (void) cls;
    for (int i = 0; i < RECV_BATCH; i++) {
        rmsgs[i].msg_hdr.msg_namelen = sizeof rnames[i];
    }
    int n = recvmmsg(fd, rmsgs, RECV_BATCH, 0, NULL);
    return n < 0 ? -errno : n;
}

/* A sendmsg of len bytes at address with a SO_TIMESTAMPING (TX_SOFTWARE) control message, as send_floor.c's. */
JNIEXPORT void JNICALL Java_io_github_posixsend_bench_JniFloorBench_tstampPrepare0(
        JNIEnv *env, jclass cls, jlong address, jint len) {
    (void) env;
    (void) cls;
    tstamp_prepare((void *) (intptr_t) address, (size_t) len, 1);
}

/* The sendmsg of send_floor.c's op_tstamp: 0, or -errno. */
static jlong tstamp_send(jint fd) {
    return sendmsg(fd, &ts_msg, 0) < 0 ? -errno : 0;
}

/*
 * The read-back of send_floor.c's op_tstamp: one recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT) into 16 bytes and 256 bytes of
 * control space, and the software time of its SCM_TIMESTAMPING. That time, 0 when no entry was there yet, or -1 for
 * an entry that is not a timestamp.
 */
static jlong tstamp_receive(jint fd) {
    char data[16];
    struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
    union {
        char buf[256];
        struct cmsghdr align;
    } control;
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control.buf;
    m.msg_controllen = sizeof control.buf;
    if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
        return 0;
    }
    int origin;
    long long t = tstamp_read(&m, &origin);
    return origin == SO_EE_ORIGIN_TIMESTAMPING && t != 0 ? (jlong) t : -1;
}

/* send_floor.c's op_tstamp in one native call: the time read back (see tstamp_receive), or -errno of the sendmsg. */
JNIEXPORT jlong JNICALL Java_io_github_posixsend_bench_JniFloorBench_tstamp0(JNIEnv *env, jclass cls, jint fd) {
    (void) env;
    (void) cls;
    jlong sent = tstamp_send(fd);
    return sent < 0 ? sent : tstamp_receive(fd);
}

/* The sendmsg of op_tstamp alone, for a caller that makes the operation's two system calls as two native calls. */
JNIEXPORT jlong JNICALL Java_io_github_posixsend_bench_JniFloorBench_tstampSend0(JNIEnv *env, jclass cls, jint fd) {
    (void) env;
    (void) cls;
    return tstamp_send(fd);
}

/* The read-back of op_tstamp alone (see tstamp_receive). */
JNIEXPORT jlong JNICALL Java_io_github_posixsend_bench_JniFloorBench_tstampReceive0(
        JNIEnv *env, jclass cls, jint fd) {
    (void) env;
    (void) cls;
    return tstamp_receive(fd);
}

/*
 * The floor of any JNI binding, for scripts/bench: natives that take only primitives and make the system call
 * straight away, with no check at all (the caller passes a raw address). Nothing a safe binding should ship;
 * it shows how much of a posix-send row is the JNI transition itself and how much is posix-send's own checks.
 *
 * Build: gcc -std=c11 -O2 -Wall -Wextra -Werror -fPIC -shared -I$JAVA_HOME/include -I$JAVA_HOME/include/linux
 */
#include <errno.h>
#include <jni.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>

JNIEXPORT jint JNICALL Java_io_github_posixsend_bench_JniFloorBench_send0(
        JNIEnv *env, jclass cls, jint fd, jlong address, jint len, jint flags) {
    (void) env;
    (void) cls;
    ssize_t n = send(fd, (const void *) (intptr_t) address, (size_t) len, flags);
    return n < 0 ? -errno : (jint) n;
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

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * setsockopt(2) and getsockopt(2) with option values of any shape, as bytes: Java lays out struct linger,
 * struct timeval, interface names and struct tcp_info with the sizes and offsets the headers gave it. And a classic
 * BPF program, whose struct sock_fprog holds the instructions' address: built here, never from Java's bytes.
 */
#include <stdlib.h>
#include <sys/socket.h>
#if defined(__linux__)
#include <linux/filter.h>
#endif

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_buffers.h"
#include "ps_common.h"

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_setsockoptBytes0(
        JNIEnv *env, jclass cls, jint fd, jint level, jint name, jbyteArray value, jint len) {
    (void) cls;
    ps_heap_copy c;
    int rc = ps_heap_copy_begin(env, &c, value, 0, len, 1);
    if (rc < 0) {
        return rc;
    }
    rc = setsockopt(fd, level, name, c.data, (socklen_t) len) < 0 ? ps_neg_errno() : 0;
    ps_heap_copy_end(&c);
    return rc;
}

/* Returns the option's length as the kernel reports it, at most len; out[0 .. that) holds the value. */
JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_getsockoptBytes0(
        JNIEnv *env, jclass cls, jint fd, jint level, jint name, jbyteArray out, jint len) {
    (void) cls;
    ps_heap_copy c;
    /* the array is the value's input too, as C passes its buffer: the kernel never sees what the memory held */
    int rc = ps_heap_copy_begin(env, &c, out, 0, len, 1);
    if (rc < 0) {
        return rc;
    }
    socklen_t got = (socklen_t) len;
    if (getsockopt(fd, level, name, c.data, &got) < 0) {
        rc = ps_neg_errno();
    } else {
        rc = got < (socklen_t) len ? (jint) got : len;
        (*env)->SetByteArrayRegion(env, out, 0, rc, (const jbyte *) c.data);
    }
    ps_heap_copy_end(&c);
    return rc;
}

/* Instructions read from Java per GetIntArrayRegion: four ints each. */
#define PS_FILTER_CHUNK 64

/*
 * setsockopt of SO_ATTACH_FILTER or SO_ATTACH_REUSEPORT_CBPF at SOL_SOCKET with a classic BPF program of count
 * instructions, instruction i being program[4i .. 4i+3] = code, jt, jf, k. The instructions are copied into memory
 * of the shim's own and each copy checked (a code of 16 bits, jumps of 8) before the struct sock_fprog that points
 * at them is built; the kernel copies the program during the call. -EINVAL for any other option or a value out of
 * range.
 */
JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_setsockoptFilter0(
        JNIEnv *env, jclass cls, jint fd, jint level, jint name, jintArray program, jint count) {
    (void) cls;
#if defined(SO_ATTACH_FILTER)
    int program_option = name == SO_ATTACH_FILTER;
#ifdef SO_ATTACH_REUSEPORT_CBPF
    program_option = program_option || name == SO_ATTACH_REUSEPORT_CBPF;
#endif
    if (level != SOL_SOCKET || !program_option || program == NULL || count < 0 || count > 0xffff
            || (*env)->GetArrayLength(env, program) / 4 < count) {
        return -EINVAL;
    }
    struct sock_filter *code = calloc(count > 0 ? (size_t) count : 1, sizeof *code);
    if (code == NULL) {
        return -ENOMEM;
    }
    jint chunk[4 * PS_FILTER_CHUNK];
    for (jint at = 0; at < count; at += PS_FILTER_CHUNK) {
        jint n = count - at < PS_FILTER_CHUNK ? count - at : PS_FILTER_CHUNK;
        (*env)->GetIntArrayRegion(env, program, 4 * at, 4 * n, chunk);
        for (jint i = 0; i < n; i++) {
            const jint *insn = &chunk[4 * i];
            if (insn[0] < 0 || insn[0] > 0xffff || insn[1] < 0 || insn[1] > 0xff || insn[2] < 0 || insn[2] > 0xff) {
                free(code);
                return -EINVAL;
            }
            code[at + i].code = (__u16) insn[0];
            code[at + i].jt = (__u8) insn[1];
            code[at + i].jf = (__u8) insn[2];
            code[at + i].k = (__u32) insn[3];
        }
    }
    struct sock_fprog prog = {(unsigned short) count, code};
    int rc = setsockopt(fd, level, name, &prog, sizeof prog) < 0 ? ps_neg_errno() : 0;
    free(code);
    return rc;
#else
    (void) env;
    (void) fd;
    (void) level;
    (void) name;
    (void) program;
    (void) count;
    return -EINVAL;
#endif
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* Java memory for the kernel: direct buffers by address, heap arrays through a native copy. */
#include <stdint.h>
#include <stdlib.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_buffers.h"
#include "ps_common.h"

/*
 * The fields HotSpot's own GetDirectBufferAddress/GetDirectBufferCapacity read. Each of those calls enters the VM
 * and checks the buffer's class (a nested JNI IsInstanceOf); reading the two fields costs no VM transition. Left
 * NULL when not found, in which case the JNI calls are used.
 */
static jfieldID address_field;
static jfieldID capacity_field;

void ps_buffers_init(JNIEnv *env) {
    jclass buffer = (*env)->FindClass(env, "java/nio/Buffer");
    jfieldID address = buffer != NULL ? (*env)->GetFieldID(env, buffer, "address", "J") : NULL;
    jfieldID capacity = address != NULL ? (*env)->GetFieldID(env, buffer, "capacity", "I") : NULL;
    if (capacity == NULL) {
        (*env)->ExceptionClear(env); /* not this JDK's layout: keep the portable calls */
        return;
    }
    address_field = address;
    capacity_field = capacity;
}

void *ps_direct_whole(JNIEnv *env, jobject buf, jlong *cap) {
    if (buf == NULL) {
        return NULL;
    }
    char *base;
    if (capacity_field != NULL) {
        /*
         * JniBackend passes only buffers whose isDirect() is true, and only java.nio can subclass ByteBuffer: this
         * is a java.nio.DirectByteBuffer (read-only ones are a subclass), whose address and capacity are final.
         */
        base = (char *) (intptr_t) (*env)->GetLongField(env, buf, address_field);
        *cap = (*env)->GetIntField(env, buf, capacity_field);
    } else {
        base = (*env)->GetDirectBufferAddress(env, buf);
        *cap = (*env)->GetDirectBufferCapacity(env, buf);
    }
    return base;
}

void *ps_direct_range(JNIEnv *env, jobject buf, jint pos, jint len) {
    jlong cap;
    char *base = ps_direct_whole(env, buf, &cap);
    if (base == NULL || !ps_range_ok(pos, len, cap)) {
        return NULL;
    }
    return base + pos;
}

int ps_heap_copy_begin(JNIEnv *env, ps_heap_copy *c, jbyteArray a, jint off, jint len, int copy_in) {
    c->data = NULL;
    if (a == NULL || !ps_range_ok(off, len, (*env)->GetArrayLength(env, a))) {
        return -EINVAL;
    }
    if (len <= PS_STACK_COPY) {
        c->data = c->stack;
    } else {
        c->data = malloc((size_t) len);
        if (c->data == NULL) {
            return -ENOMEM;
        }
    }
    if (copy_in && len > 0) {
        (*env)->GetByteArrayRegion(env, a, off, len, (jbyte *) c->data);
    }
    return 0;
}

void ps_heap_copy_end(ps_heap_copy *c) {
    if (c->data != NULL && c->data != c->stack) {
        free(c->data);
    }
    c->data = NULL;
}

JNIEXPORT jlong JNICALL Java_io_github_posixsend_internal_jni_JniNative_directAddress0(
        JNIEnv *env, jclass cls, jobject buf) {
    (void) cls;
    return buf != NULL ? (jlong) (intptr_t) (*env)->GetDirectBufferAddress(env, buf) : 0;
}

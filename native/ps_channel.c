/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * The descriptor inside a java.nio channel or a java.io.FileDescriptor. JNI reads private fields without
 * reflection's access checks, so users need no --add-opens; the channel stays owned by java.nio.
 */
#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_common.h"

/* The int field name:sig of obj, or -1 when the class has no such field (the lookup error is cleared). */
static jint int_field(JNIEnv *env, jobject obj, const char *name) {
    jclass cls = (*env)->GetObjectClass(env, obj);
    jfieldID id = (*env)->GetFieldID(env, cls, name, "I");
    (*env)->DeleteLocalRef(env, cls);
    if (id == NULL) {
        (*env)->ExceptionClear(env);
        return -1;
    }
    return (*env)->GetIntField(env, obj, id);
}

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_descriptorOf0(
        JNIEnv *env, jclass cls, jobject obj) {
    (void) cls;
    if (obj == NULL) {
        return -EINVAL;
    }
    jclass fdClass = (*env)->FindClass(env, "java/io/FileDescriptor");
    if (fdClass == NULL) {
        return -EINVAL;
    }
    jboolean isFd = (*env)->IsInstanceOf(env, obj, fdClass);
    if (isFd) {
        (*env)->DeleteLocalRef(env, fdClass);
        jint fd = int_field(env, obj, "fd");
        return fd >= 0 ? fd : -EBADF;
    }
    /* Socket channels keep the number in fdVal; other channels (FileChannel) only in their FileDescriptor fd. */
    jint fd = int_field(env, obj, "fdVal");
    if (fd >= 0) {
        (*env)->DeleteLocalRef(env, fdClass);
        return fd;
    }
    jclass objClass = (*env)->GetObjectClass(env, obj);
    jfieldID id = (*env)->GetFieldID(env, objClass, "fd", "Ljava/io/FileDescriptor;");
    (*env)->DeleteLocalRef(env, objClass);
    if (id == NULL) {
        (*env)->ExceptionClear(env);
        (*env)->DeleteLocalRef(env, fdClass);
        return -ENOTSUP;
    }
    jobject fdObj = (*env)->GetObjectField(env, obj, id);
    (*env)->DeleteLocalRef(env, fdClass);
    if (fdObj == NULL) {
        return -EBADF;
    }
    fd = int_field(env, fdObj, "fd");
    (*env)->DeleteLocalRef(env, fdObj);
    return fd >= 0 ? fd : -EBADF;
}

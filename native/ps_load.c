/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* Loading: the JNI version the shim needs, and the lookups ps_buffers.c caches (kept for the life of the process). */
#include <jni.h>

#include "ps_buffers.h"

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    ps_buffers_init(env);
    return JNI_VERSION_1_8;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * Loading: the JNI version the shim needs, the lookups ps_buffers.c caches (kept for the life of the process), and the
 * tcp_info bit-field positions the constant table reports.
 */
#include <jni.h>

#include "ps_buffers.h"
#include "ps_common.h"
#include "ps_constants.h"

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    ps_buffers_init(env);
    ps_tcpinfo_bits_init();
    return JNI_VERSION_1_8;
}

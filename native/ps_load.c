/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * Loading: the JNI version the shim needs, the lookups ps_buffers.c caches (kept for the life of the process), and the
 * tcp_info bit-field positions the constant table reports.
 */
#include <jni.h>
#include <stdatomic.h>

#include "ps_buffers.h"
#include "ps_common.h"
#include "ps_constants.h"

/*
 * How many class loaders loaded this instance of the library. Each loader that loads posix-send has its own copy of
 * the Java classes, and the JDK loads the library once per loader; two loaders whose library paths name one file
 * (a hard link, a bind mount) share one instance, as the dynamic linker matches the file, not the path.
 */
static atomic_int loads;

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    atomic_fetch_add_explicit(&loads, 1, memory_order_acq_rel);
    ps_buffers_init(env);
    ps_tcpinfo_bits_init();
    return JNI_VERSION_1_8;
}

int ps_loaded_by_one_loader(void) {
    return atomic_load_explicit(&loads, memory_order_acquire) == 1;
}

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
 * How many class loaders have this instance of the library loaded now, and whether it was ever loaded before the
 * current load. Each loader that loads posix-send has its own copy of the Java classes, and the JDK loads the library
 * once per loader; two loaders whose library paths name one file (a hard link, a bind mount) share one instance, as
 * the dynamic linker matches the file, not the path, and a loader may load it again while the JDK is still unloading
 * it for a collected one (its statics then survive). Any load after the first marks it shared, for good: a batch kept
 * for one loader may still be kept by a thread when another loads, and the key may be deleted under it (ps_msg.c).
 */
static atomic_int loads;
static atomic_int ever_loaded;
static atomic_int shared;

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    atomic_fetch_add_explicit(&loads, 1, memory_order_acq_rel);
    if (atomic_exchange_explicit(&ever_loaded, 1, memory_order_acq_rel)) {
        atomic_store_explicit(&shared, 1, memory_order_release);
    }
    ps_buffers_init(env);
    ps_tcpinfo_bits_init();
    return JNI_VERSION_1_8;
}

/*
 * The JDK unloads the library when its class loader has been collected, so no call of that loader can be running.
 * The last loader of this instance gives back what the instance took from the process: its thread-specific key, of
 * which a process has about a thousand, so that a server that redeploys (each time a new loader and a new instance)
 * does not run out of them.
 */
JNIEXPORT void JNICALL JNI_OnUnload(JavaVM *vm, void *reserved) {
    (void) vm;
    (void) reserved;
    if (atomic_fetch_sub_explicit(&loads, 1, memory_order_acq_rel) == 1) {
        ps_kept_release();
    }
}

int ps_loaded_by_one_loader(void) {
    return !atomic_load_explicit(&shared, memory_order_acquire);
}

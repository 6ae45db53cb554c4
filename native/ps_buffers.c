/* Java memory for the kernel: direct buffers by address, heap arrays through a native copy. */
#include <stdlib.h>

#include "ps_buffers.h"
#include "ps_common.h"

void *ps_direct_range(JNIEnv *env, jobject buf, jint pos, jint len) {
    if (buf == NULL) {
        return NULL;
    }
    char *base = (*env)->GetDirectBufferAddress(env, buf);
    if (base == NULL) {
        return NULL;
    }
    jlong cap = (*env)->GetDirectBufferCapacity(env, buf);
    if (!ps_range_ok(pos, len, cap)) {
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

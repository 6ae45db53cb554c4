/* ioctl(2) requests that read one int: FIONREAD, SIOCOUTQ, SIOCOUTQNSD. */
#include <sys/ioctl.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_common.h"

JNIEXPORT jint JNICALL Java_io_github_posixsend_internal_jni_JniNative_ioctlInt0(
        JNIEnv *env, jclass cls, jint fd, jint request, jintArray out) {
    (void) cls;
    if (out == NULL || (*env)->GetArrayLength(env, out) < 1) {
        return -EINVAL;
    }
    int v = 0;
    /* Zero-extended: a BSD request with its top bit set must not become a 64-bit negative number. */
    if (ioctl(fd, (unsigned long) (unsigned int) request, &v) < 0) {
        return ps_neg_errno();
    }
    jint jv = v;
    (*env)->SetIntArrayRegion(env, out, 0, 1, &jv);
    return 0;
}

/*
 * The message plan: how Java describes sendmsg, sendmmsg and recvmsg calls to the shim.
 *
 * Java (io.github.posixsend.internal.MessagePlan, which documents the same format) fills a direct buffer with
 * plain numbers in native byte order; the shim reads it, checks every count and offset against the buffers it
 * was given, and builds the platform's own struct msghdr / mmsghdr / iovec / cmsghdr in a second direct buffer,
 * the scratch. Java never writes a struct offset. All offsets below are byte offsets from the plan's start.
 *
 * header (PS_PLAN_HEADER bytes)
 *   0 version (PS_PLAN_VERSION)   4 message count   8 message table offset   12 iov table offset
 *  16 iov record count           20 cmsg table offset   24 cmsg record count   28 reserved
 * message record (PS_PLAN_MSG bytes each)
 *   0 name offset   4 name length (0: no address)   8 first iov   12 iov count   16 first cmsg   20 cmsg count
 *  24 control copy offset (recvmsg)   28 control space in bytes
 *  32 out: bytes sent or received (int64)   40 out: msg_flags   44 out: msg_namelen   48 out: cmsgs parsed
 *  52 reserved
 * iov record (PS_PLAN_IOV bytes each)
 *   0 address of a direct buffer (int64), 0 when the bytes are staged inside the plan
 *   8 offset (direct: position in the buffer; staged: offset in the plan)   12 length   16 buffer capacity
 *  20 reserved
 * cmsg record (PS_PLAN_CMSG bytes each)
 *   0 level   4 type   8 kind (PS_CMSG_*)   12 data offset   16 data length   20 int value   24 16 address bytes
 */
#ifndef PS_PLAN_H
#define PS_PLAN_H

#include <jni.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define PS_PLAN_VERSION 1
#define PS_PLAN_HEADER 32
#define PS_PLAN_MSG 56
#define PS_PLAN_IOV 24
#define PS_PLAN_CMSG 40

/* sendmmsg takes at most this many messages (the kernel's UIO_MAXIOV clamp); Java refuses more. */
#define PS_PLAN_MAX_MESSAGES 1024

/* Payload layouts of cmsg records; the level and type always come from the record. */
#define PS_CMSG_RAW 0         /* the data bytes as they are */
#define PS_CMSG_RIGHTS 1      /* int fds[], data length a multiple of sizeof(int) */
#define PS_CMSG_IN_PKTINFO 2  /* struct in_pktinfo: value = interface index, address = 4 bytes */
#define PS_CMSG_IN6_PKTINFO 3 /* struct in6_pktinfo: value = interface index, address = 16 bytes */
#define PS_CMSG_UINT16 4      /* uint16_t value (UDP_SEGMENT) */
#define PS_CMSG_INT 5         /* int value (IP_TOS, IP_TTL, IPV6_TCLASS, IPV6_HOPLIMIT) */

/* A plan as the shim sees it: its memory, its capacity, and the table positions read from its header. */
typedef struct {
    unsigned char *base;
    jlong cap;
    jint messages;
    jint msg_off;
    jint iov_off;
    jint iov_count;
    jint cmsg_off;
    jint cmsg_count;
} ps_plan;

/* A region of the scratch buffer handed out in order, each piece aligned for any struct. */
typedef struct {
    unsigned char *base;
    size_t cap;
    size_t used;
} ps_scratch;

static inline jint ps_plan_int(const ps_plan *p, jlong off) {
    int32_t v;
    memcpy(&v, p->base + off, sizeof v);
    return v;
}

static inline jlong ps_plan_long(const ps_plan *p, jlong off) {
    int64_t v;
    memcpy(&v, p->base + off, sizeof v);
    return v;
}

static inline void ps_plan_put_int(ps_plan *p, jlong off, jint value) {
    int32_t v = value;
    memcpy(p->base + off, &v, sizeof v);
}

static inline void ps_plan_put_long(ps_plan *p, jlong off, jlong value) {
    int64_t v = value;
    memcpy(p->base + off, &v, sizeof v);
}

/* Offset of message i's record, of iov record j, of cmsg record k (callers checked the index). */
static inline jlong ps_plan_msg(const ps_plan *p, jint i) {
    return (jlong) p->msg_off + (jlong) i * PS_PLAN_MSG;
}

static inline jlong ps_plan_cmsg(const ps_plan *p, jint k) {
    return (jlong) p->cmsg_off + (jlong) k * PS_PLAN_CMSG;
}

/*
 * Opens the plan and scratch buffers and checks the header: version, table extents inside the plan, and
 * the message count between min_messages and max_messages. Returns 0 or -EINVAL.
 */
int ps_plan_open(JNIEnv *env, jobject plan, jobject scratch, jint min_messages, jint max_messages,
        ps_plan *p, ps_scratch *s);

/* Hands out n bytes of scratch aligned for any struct, or NULL when the scratch is too small. */
void *ps_scratch_take(ps_scratch *s, size_t n);

/*
 * Fills *m for message i of the plan: name (pointing into the plan), iovecs (in scratch, pointing at direct
 * buffers or staged bytes in the plan) and control messages (built in scratch). For recvmsg (receive != 0)
 * the control area is the message's control space, left empty for the kernel, and no cmsg records are read.
 * Returns 0 or -EINVAL for anything out of range.
 */
int ps_plan_msghdr(ps_plan *p, ps_scratch *s, jint i, int receive, struct msghdr *m);

#endif

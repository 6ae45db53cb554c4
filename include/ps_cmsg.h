/* Control messages: built from plan records with the platform's CMSG_* macros, and parsed back into records. */
#ifndef PS_CMSG_H
#define PS_CMSG_H

#include <stddef.h>
#include <sys/socket.h>

#include "ps_plan.h"

/*
 * The control space (sum of CMSG_SPACE of each payload) that cmsg records [first, first + count) need,
 * or -EINVAL when a record is malformed (unknown kind, data outside the plan, bad length).
 */
jlong ps_cmsg_space(const ps_plan *p, jint first, jint count);

/*
 * Lays out cmsg records [first, first + count) in buf, which holds space bytes (as ps_cmsg_space gave),
 * and points m->msg_control at it. Returns 0 or -EINVAL.
 */
int ps_cmsg_build(const ps_plan *p, jint first, jint count, unsigned char *buf, size_t space, struct msghdr *m);

/*
 * Parses the control messages the kernel left in m into cmsg records [first, first + capacity) of the plan,
 * copying each payload to the plan at [copy_off, copy_off + copy_cap). Returns the number of records written.
 */
jint ps_cmsg_parse(ps_plan *p, struct msghdr *m, jint first, jint capacity, jint copy_off, jint copy_cap);

#endif

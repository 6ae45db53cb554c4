/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* Control messages: built from plan records with the platform's CMSG_* macros, and parsed back into records. */
#ifndef PS_CMSG_H
#define PS_CMSG_H

#include <stddef.h>
#include <sys/socket.h>

#include "ps_plan.h"

/*
 * Copies cmsg records [first, first + count) out of the plan once, lays out their control messages in scratch
 * with the CMSG_* macros and points m->msg_control at them. Returns 0, -EINVAL when a record is malformed
 * (unknown kind, data outside the plan, bad length) or the messages need more than space_limit bytes, or -ENOMEM.
 */
int ps_cmsg_build(const ps_plan *p, ps_scratch *s, jint first, jint count, jint space_limit, struct msghdr *m);

/* Room for one control message whose payload is a single value (an int at most), aligned as a cmsghdr must be. */
typedef union {
    struct cmsghdr align;
    unsigned char bytes[CMSG_SPACE(sizeof(int))];
} ps_value_control;

/*
 * Lays out one control message of level, type and value in *c, its payload an int (KIND_INT) or a uint16_t
 * (KIND_UINT16) as ps_cmsg_build lays out the same record from a plan, and points m->msg_control at it. Returns 0,
 * or -EINVAL for any other kind.
 */
int ps_cmsg_build_value(struct msghdr *m, ps_value_control *c, jint level, jint type, jint kind, jint value);

/* The payload of c and, in *len, its length: never past the control bytes m holds; NULL when malformed. */
const unsigned char *ps_cmsg_payload(const struct msghdr *m, const struct cmsghdr *c, size_t *len);

/* Whether c's length reaches past the control bytes m holds, so that no message can follow it. */
int ps_cmsg_is_last(const struct msghdr *m, const struct cmsghdr *c);

/* SCM_RIGHTS, and on Linux SCM_PIDFD (6.5 and later, by its number 4: the build's headers may predate it). */
int ps_cmsg_carries_descriptors(const struct cmsghdr *c);

/* Closes the descriptors in bytes [from, to) of a payload at data (whole ints only): ones no record reports. */
void ps_cmsg_close_descriptors(const unsigned char *data, size_t from, size_t to);

/*
 * Parses the control messages the kernel left in m into cmsg records [first, first + capacity) of the plan,
 * copying each payload to the plan at [copy_off, copy_off + copy_cap). Returns the number of records written.
 * Descriptors that no record reports (in messages past the records, or past the copy room) are closed.
 */
jint ps_cmsg_parse(ps_plan *p, struct msghdr *m, jint first, jint capacity, jint copy_off, jint copy_cap);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * Control messages: payload layout with the platform's own structs (in_pktinfo, in6_pktinfo) and the CMSG_*
 * macros for headers, alignment and lengths. Java only describes them as (level, type, kind, values).
 */
#include <netinet/in.h>
#include <netinet/tcp.h> /* TCP_CM_INQ */
#include <netinet/udp.h> /* UDP_SEGMENT, UDP_GRO */
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "ps_cmsg.h"
#include "ps_common.h"

/* Payload bytes of a kind whose payload is the record's value alone, or -EINVAL for any other kind. */
static jlong value_len(jint kind) {
    switch (kind) {
    case PS_PLAN(KIND_UINT16):
        return (jlong) sizeof(uint16_t);
    case PS_PLAN(KIND_INT):
        return (jlong) sizeof(int);
    default:
        return -EINVAL;
    }
}

/* Writes value as the payload of a kind value_len accepted. */
static void put_value(unsigned char *d, jint kind, jint value) {
    if (kind == PS_PLAN(KIND_UINT16)) {
        uint16_t v = (uint16_t) value;
        memcpy(d, &v, sizeof v);
    } else {
        int v = value;
        memcpy(d, &v, sizeof v);
    }
}

/* Payload bytes past CMSG_DATA this record produces, or -EINVAL; r is the shim's own copy of the record. */
static jlong payload_len(const ps_plan *p, const ps_cmsg_rec *r) {
    switch (r->kind) {
    case PS_PLAN(KIND_RAW):
        return ps_range_ok(r->data_off, r->data_len, p->cap) ? r->data_len : -EINVAL;
    case PS_PLAN(KIND_RIGHTS):
        return ps_range_ok(r->data_off, r->data_len, p->cap) && r->data_len % (jint) sizeof(int) == 0
                ? r->data_len : -EINVAL;
    case PS_PLAN(KIND_IN_PKTINFO):
#ifdef IP_PKTINFO
        return (jlong) sizeof(struct in_pktinfo);
#else
        return -EINVAL;
#endif
    case PS_PLAN(KIND_IN6_PKTINFO):
#ifdef IPV6_PKTINFO
        return (jlong) sizeof(struct in6_pktinfo);
#else
        return -EINVAL;
#endif
    default:
        return value_len(r->kind);
    }
}

static void read_cmsg(const ps_plan *p, jint k, ps_cmsg_rec *r) {
    unsigned char rec[PS_PLAN(CMSG)];
    ps_plan_copy(p, ps_plan_cmsg(p, k), rec, sizeof rec);
    r->level = ps_field_int(rec, PS_PLAN(C_LEVEL));
    r->type = ps_field_int(rec, PS_PLAN(C_TYPE));
    r->kind = ps_field_int(rec, PS_PLAN(C_KIND));
    r->data_off = ps_field_int(rec, PS_PLAN(C_DATA_OFF));
    r->data_len = ps_field_int(rec, PS_PLAN(C_DATA_LEN));
    r->value = ps_field_int(rec, PS_PLAN(C_VALUE));
    memcpy(r->address, rec + PS_PLAN(C_ADDRESS), sizeof r->address);
}

/* Writes one control message's payload from the record's copy (and, for RAW and RIGHTS, from the plan). */
static void put_payload(const ps_plan *p, const ps_cmsg_rec *r, size_t len, unsigned char *d) {
    switch (r->kind) {
    case PS_PLAN(KIND_RAW):
    case PS_PLAN(KIND_RIGHTS):
        /* the bytes themselves may change under a racing writer: the range they come from cannot */
        memcpy(d, p->base + r->data_off, len);
        break;
#ifdef IP_PKTINFO
    case PS_PLAN(KIND_IN_PKTINFO): {
        struct in_pktinfo pi;
        memset(&pi, 0, sizeof pi);
        pi.ipi_ifindex = r->value;
#ifdef __linux__
        memcpy(&pi.ipi_spec_dst, r->address, 4); /* Linux takes the source address from ipi_spec_dst */
#else
        memcpy(&pi.ipi_addr, r->address, 4); /* the BSDs from ipi_addr */
#endif
        memcpy(d, &pi, sizeof pi);
        break;
    }
#endif
#ifdef IPV6_PKTINFO
    case PS_PLAN(KIND_IN6_PKTINFO): {
        struct in6_pktinfo pi6;
        memset(&pi6, 0, sizeof pi6);
        pi6.ipi6_ifindex = (unsigned int) r->value;
        memcpy(&pi6.ipi6_addr, r->address, 16);
        memcpy(d, &pi6, sizeof pi6);
        break;
    }
#endif
    default: /* KIND_UINT16 or KIND_INT: payload_len accepted no other kind */
        put_value(d, r->kind, r->value);
        break;
    }
}

int ps_cmsg_build_value(struct msghdr *m, ps_value_control *c, jint level, jint type, jint kind, jint value) {
    jlong len = value_len(kind);
    if (len < 0) {
        return -EINVAL;
    }
    memset(c, 0, sizeof *c);
    m->msg_control = c->bytes;
    m->msg_controllen = CMSG_SPACE((size_t) len); /* size_t on Linux, socklen_t on NetBSD */
    struct cmsghdr *h = CMSG_FIRSTHDR(m);
    h->cmsg_level = level;
    h->cmsg_type = type;
    h->cmsg_len = CMSG_LEN((size_t) len);
    put_value(CMSG_DATA(h), kind, value);
    return 0;
}

int ps_cmsg_build(const ps_plan *p, ps_scratch *s, jint first, jint count, jint space_limit, struct msghdr *m) {
    ps_cmsg_rec *recs = ps_scratch_take(s, (size_t) count * sizeof *recs);
    jlong *lens = ps_scratch_take(s, (size_t) count * sizeof *lens);
    if (recs == NULL || lens == NULL) {
        return -ENOMEM;
    }
    jlong space = 0;
    for (jint k = 0; k < count; k++) {
        read_cmsg(p, first + k, &recs[k]);
        lens[k] = payload_len(p, &recs[k]);
        if (lens[k] < 0) {
            return -EINVAL;
        }
        space += (jlong) CMSG_SPACE((size_t) lens[k]);
        if (space > space_limit) {
            return -EINVAL;
        }
    }
    unsigned char *buf = ps_scratch_take(s, (size_t) space);
    if (buf == NULL) {
        return -ENOMEM;
    }
    memset(buf, 0, (size_t) space);
    m->msg_control = buf;
    m->msg_controllen = (size_t) space; /* size_t on Linux, socklen_t on NetBSD */
    struct cmsghdr *c = CMSG_FIRSTHDR(m);
    for (jint k = 0; k < count; k++) {
        size_t len = (size_t) lens[k];
        if (c == NULL || (unsigned char *) c + CMSG_SPACE(len) > buf + space) {
            return -EINVAL;
        }
        c->cmsg_level = recs[k].level;
        c->cmsg_type = recs[k].type;
        c->cmsg_len = CMSG_LEN(len);
        put_payload(p, &recs[k], len, CMSG_DATA(c));
        c = CMSG_NXTHDR(m, c);
    }
    return 0;
}

/* The kind Java decodes a received control message as, filling value and address where it has them. */
static jint decode(int level, int type, const unsigned char *d, size_t len, jint *value, unsigned char addr[16]) {
    if (level == SOL_SOCKET && type == SCM_RIGHTS) {
        return PS_PLAN(KIND_RIGHTS);
    }
#ifdef IP_PKTINFO
    if (level == IPPROTO_IP && type == IP_PKTINFO && len >= sizeof(struct in_pktinfo)) {
        struct in_pktinfo pi;
        memcpy(&pi, d, sizeof pi);
        *value = (jint) pi.ipi_ifindex;
        memcpy(addr, &pi.ipi_addr, 4); /* the packet's destination address, on every system */
        return PS_PLAN(KIND_IN_PKTINFO);
    }
#endif
#ifdef IPV6_PKTINFO
    if (level == IPPROTO_IPV6 && type == IPV6_PKTINFO && len >= sizeof(struct in6_pktinfo)) {
        struct in6_pktinfo pi6;
        memcpy(&pi6, d, sizeof pi6);
        *value = (jint) pi6.ipi6_ifindex;
        memcpy(addr, &pi6.ipi6_addr, 16);
        return PS_PLAN(KIND_IN6_PKTINFO);
    }
#endif
#ifdef UDP_SEGMENT
    if (level == IPPROTO_UDP && type == UDP_SEGMENT && len >= sizeof(uint16_t)) {
        uint16_t v;
        memcpy(&v, d, sizeof v);
        *value = v;
        return PS_PLAN(KIND_UINT16);
    }
#endif
    int int_valued = (level == IPPROTO_IP && (type == IP_TOS || type == IP_TTL))
#ifdef IPV6_TCLASS
            || (level == IPPROTO_IPV6 && type == IPV6_TCLASS)
#endif
#ifdef IPV6_HOPLIMIT
            || (level == IPPROTO_IPV6 && type == IPV6_HOPLIMIT)
#endif
#if defined(__NetBSD__) && defined(IP_RECVTTL)
            || (level == IPPROTO_IP && type == IP_RECVTTL) /* NetBSD's received TTL: one byte, typed IP_RECVTTL */
#endif
            ;
    /* Linux's received counts: always a whole int (a cut-short one stays raw) */
    int int_only = 0
#ifdef UDP_GRO
            || (level == IPPROTO_UDP && type == UDP_GRO)
#endif
#ifdef SO_RXQ_OVFL
            || (level == SOL_SOCKET && type == SO_RXQ_OVFL)
#endif
#ifdef TCP_CM_INQ
            || (level == IPPROTO_TCP && type == TCP_CM_INQ)
#endif
            ;
    if ((int_valued || int_only) && len >= sizeof(int)) {
        int v;
        memcpy(&v, d, sizeof v);
        *value = v;
        return PS_PLAN(KIND_INT);
    }
    if (int_valued && len >= 1) {
        *value = d[0]; /* Linux reports a received IP_TOS as one byte */
        return PS_PLAN(KIND_INT);
    }
    return PS_PLAN(KIND_RAW);
}

const unsigned char *ps_cmsg_payload(const struct msghdr *m, const struct cmsghdr *c, size_t *len) {
    const unsigned char *data = CMSG_DATA(c);
    const unsigned char *end = (const unsigned char *) m->msg_control + m->msg_controllen;
    if (c->cmsg_len < CMSG_LEN(0) || data > end) {
        return NULL;
    }
    *len = c->cmsg_len - CMSG_LEN(0);
    if (*len > (size_t) (end - data)) {
        *len = (size_t) (end - data);
    }
    return data;
}

int ps_cmsg_is_last(const struct msghdr *m, const struct cmsghdr *c) {
    const unsigned char *end = (const unsigned char *) m->msg_control + m->msg_controllen;
    /* a length reaching past the end leaves no room for another header; an older CMSG_NXTHDR would add it first
     * and could wrap around below the buffer */
    return c->cmsg_len > (size_t) (end - (const unsigned char *) c);
}

int ps_cmsg_carries_descriptors(const struct cmsghdr *c) {
#if defined(__linux__)
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == 4) {
        return 1;
    }
#endif
    return c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS;
}

void ps_cmsg_close_descriptors(const unsigned char *data, size_t from, size_t to) {
    for (size_t at = from; at + sizeof(int) <= to; at += sizeof(int)) {
        int fd;
        memcpy(&fd, data + at, sizeof fd);
        close(fd);
    }
}

jint ps_cmsg_parse(ps_plan *p, struct msghdr *m, jint first, jint capacity, jint copy_off, jint copy_cap) {
    if (m->msg_control == NULL) {
        return 0;
    }
    if (capacity < 0 || !ps_range_ok(copy_off, copy_cap, p->cap)) {
        capacity = 0; /* nothing is recorded or copied, but what arrived is still walked for its descriptors */
    }
    jint n = 0;
    jint used = 0;
    struct cmsghdr *c = CMSG_FIRSTHDR(m);
    for (; c != NULL && n < capacity; c = CMSG_NXTHDR(m, c)) {
        size_t len;
        const unsigned char *d = ps_cmsg_payload(m, c, &len);
        if (d == NULL) {
            return n;
        }
        if (len > (size_t) (copy_cap - used)) {
            size_t whole = len;
            len = (size_t) (copy_cap - used);
            if (ps_cmsg_carries_descriptors(c)) {
                /* the descriptors not copied whole reach nobody: closed rather than kept open by the process */
                ps_cmsg_close_descriptors(d, len / sizeof(int) * sizeof(int), whole);
            }
        }
        jlong rec = ps_plan_cmsg(p, first + n);
        unsigned char addr[16];
        memset(addr, 0, sizeof addr);
        jint value = 0;
        jint kind = decode(c->cmsg_level, c->cmsg_type, d, len, &value, addr);
        memcpy(p->base + copy_off + used, d, len);
        ps_plan_put_int(p, rec + PS_PLAN(C_LEVEL), c->cmsg_level);
        ps_plan_put_int(p, rec + PS_PLAN(C_TYPE), c->cmsg_type);
        ps_plan_put_int(p, rec + PS_PLAN(C_KIND), kind);
        ps_plan_put_int(p, rec + PS_PLAN(C_DATA_OFF), copy_off + used);
        ps_plan_put_int(p, rec + PS_PLAN(C_DATA_LEN), (jint) len);
        ps_plan_put_int(p, rec + PS_PLAN(C_VALUE), value);
        memcpy(p->base + rec + PS_PLAN(C_ADDRESS), addr, sizeof addr);
        /* keep each copy 8-aligned so Java reads descriptors at aligned offsets */
        size_t step = (len + 7) & ~(size_t) 7;
        used = step > (size_t) (copy_cap - used) ? copy_cap : used + (jint) step;
        n++;
        if (ps_cmsg_is_last(m, c)) {
            return n;
        }
    }
    /* messages past the records offered reach nobody either: their descriptors are closed */
    for (; c != NULL; c = CMSG_NXTHDR(m, c)) {
        size_t len;
        const unsigned char *d = ps_cmsg_payload(m, c, &len);
        if (d == NULL) {
            break;
        }
        if (ps_cmsg_carries_descriptors(c)) {
            ps_cmsg_close_descriptors(d, 0, len);
        }
        if (ps_cmsg_is_last(m, c)) {
            break;
        }
    }
    return n;
}

/*
 * Control messages: payload layout with the platform's own structs (in_pktinfo, in6_pktinfo) and the CMSG_*
 * macros for headers, alignment and lengths. Java only describes them as (level, type, kind, values).
 */
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "ps_cmsg.h"
#include "ps_common.h"

/* Payload bytes past CMSG_DATA this record produces, or -EINVAL. */
static jlong payload_len(const ps_plan *p, jlong rec) {
    jint kind = ps_plan_int(p, rec + 8);
    jint data_off = ps_plan_int(p, rec + 12);
    jint data_len = ps_plan_int(p, rec + 16);
    switch (kind) {
    case PS_CMSG_RAW:
        return ps_range_ok(data_off, data_len, p->cap) ? data_len : -EINVAL;
    case PS_CMSG_RIGHTS:
        return ps_range_ok(data_off, data_len, p->cap) && data_len % (jint) sizeof(int) == 0 ? data_len : -EINVAL;
    case PS_CMSG_IN_PKTINFO:
#ifdef IP_PKTINFO
        return (jlong) sizeof(struct in_pktinfo);
#else
        return -EINVAL;
#endif
    case PS_CMSG_IN6_PKTINFO:
#ifdef IPV6_PKTINFO
        return (jlong) sizeof(struct in6_pktinfo);
#else
        return -EINVAL;
#endif
    case PS_CMSG_UINT16:
        return (jlong) sizeof(uint16_t);
    case PS_CMSG_INT:
        return (jlong) sizeof(int);
    default:
        return -EINVAL;
    }
}

jlong ps_cmsg_space(const ps_plan *p, jint first, jint count) {
    jlong total = 0;
    for (jint k = 0; k < count; k++) {
        jlong len = payload_len(p, ps_plan_cmsg(p, first + k));
        if (len < 0) {
            return len;
        }
        total += (jlong) CMSG_SPACE((size_t) len);
        if (total > INT32_MAX) {
            return -EINVAL;
        }
    }
    return total;
}

int ps_cmsg_build(const ps_plan *p, jint first, jint count, unsigned char *buf, size_t space, struct msghdr *m) {
    memset(buf, 0, space);
    m->msg_control = buf;
    m->msg_controllen = space; /* size_t on Linux, socklen_t on NetBSD */
    struct cmsghdr *c = CMSG_FIRSTHDR(m);
    for (jint k = 0; k < count; k++) {
        jlong rec = ps_plan_cmsg(p, first + k);
        jlong len = payload_len(p, rec);
        if (c == NULL || len < 0 || (unsigned char *) c + CMSG_SPACE((size_t) len) > buf + space) {
            return -EINVAL;
        }
        jint value = ps_plan_int(p, rec + 20);
        const unsigned char *addr = p->base + rec + 24;
        c->cmsg_level = ps_plan_int(p, rec);
        c->cmsg_type = ps_plan_int(p, rec + 4);
        c->cmsg_len = CMSG_LEN((size_t) len);
        unsigned char *d = CMSG_DATA(c);
        switch (ps_plan_int(p, rec + 8)) {
        case PS_CMSG_RAW:
        case PS_CMSG_RIGHTS:
            memcpy(d, p->base + ps_plan_int(p, rec + 12), (size_t) len);
            break;
#ifdef IP_PKTINFO
        case PS_CMSG_IN_PKTINFO: {
            struct in_pktinfo pi;
            memset(&pi, 0, sizeof pi);
            pi.ipi_ifindex = value;
#ifdef __linux__
            memcpy(&pi.ipi_spec_dst, addr, 4); /* Linux takes the source address from ipi_spec_dst */
#else
            memcpy(&pi.ipi_addr, addr, 4); /* the BSDs from ipi_addr */
#endif
            memcpy(d, &pi, sizeof pi);
            break;
        }
#endif
#ifdef IPV6_PKTINFO
        case PS_CMSG_IN6_PKTINFO: {
            struct in6_pktinfo pi6;
            memset(&pi6, 0, sizeof pi6);
            pi6.ipi6_ifindex = (unsigned int) value;
            memcpy(&pi6.ipi6_addr, addr, 16);
            memcpy(d, &pi6, sizeof pi6);
            break;
        }
#endif
        case PS_CMSG_UINT16: {
            uint16_t v = (uint16_t) value;
            memcpy(d, &v, sizeof v);
            break;
        }
        case PS_CMSG_INT: {
            int v = value;
            memcpy(d, &v, sizeof v);
            break;
        }
        default:
            return -EINVAL;
        }
        c = CMSG_NXTHDR(m, c);
    }
    return 0;
}

/* The kind Java decodes a received control message as, filling value and address where it has them. */
static jint decode(int level, int type, const unsigned char *d, size_t len, jint *value, unsigned char addr[16]) {
    if (level == SOL_SOCKET && type == SCM_RIGHTS) {
        return PS_CMSG_RIGHTS;
    }
#ifdef IP_PKTINFO
    if (level == IPPROTO_IP && type == IP_PKTINFO && len >= sizeof(struct in_pktinfo)) {
        struct in_pktinfo pi;
        memcpy(&pi, d, sizeof pi);
        *value = (jint) pi.ipi_ifindex;
        memcpy(addr, &pi.ipi_addr, 4); /* the packet's destination address, on every system */
        return PS_CMSG_IN_PKTINFO;
    }
#endif
#ifdef IPV6_PKTINFO
    if (level == IPPROTO_IPV6 && type == IPV6_PKTINFO && len >= sizeof(struct in6_pktinfo)) {
        struct in6_pktinfo pi6;
        memcpy(&pi6, d, sizeof pi6);
        *value = (jint) pi6.ipi6_ifindex;
        memcpy(addr, &pi6.ipi6_addr, 16);
        return PS_CMSG_IN6_PKTINFO;
    }
#endif
#ifdef UDP_SEGMENT
    if (level == IPPROTO_UDP && type == UDP_SEGMENT && len >= sizeof(uint16_t)) {
        uint16_t v;
        memcpy(&v, d, sizeof v);
        *value = v;
        return PS_CMSG_UINT16;
    }
#endif
    int int_valued = (level == IPPROTO_IP && (type == IP_TOS || type == IP_TTL))
#ifdef IPV6_TCLASS
            || (level == IPPROTO_IPV6 && type == IPV6_TCLASS)
#endif
#ifdef IPV6_HOPLIMIT
            || (level == IPPROTO_IPV6 && type == IPV6_HOPLIMIT)
#endif
            ;
    if (int_valued && len >= sizeof(int)) {
        int v;
        memcpy(&v, d, sizeof v);
        *value = v;
        return PS_CMSG_INT;
    }
    if (int_valued && len >= 1) {
        *value = d[0]; /* Linux reports a received IP_TOS as one byte */
        return PS_CMSG_INT;
    }
    return PS_CMSG_RAW;
}

jint ps_cmsg_parse(ps_plan *p, struct msghdr *m, jint first, jint capacity, jint copy_off, jint copy_cap) {
    if (m->msg_control == NULL || capacity <= 0 || !ps_range_ok(copy_off, copy_cap, p->cap)) {
        return 0;
    }
    const unsigned char *end = (const unsigned char *) m->msg_control + m->msg_controllen;
    jint n = 0;
    jint used = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL && n < capacity; c = CMSG_NXTHDR(m, c)) {
        if (c->cmsg_len < CMSG_LEN(0)) {
            break;
        }
        const unsigned char *d = CMSG_DATA(c);
        if (d > end) {
            break;
        }
        size_t len = c->cmsg_len - CMSG_LEN(0);
        if (len > (size_t) (end - d)) {
            len = (size_t) (end - d);
        }
        if (len > (size_t) (copy_cap - used)) {
            len = (size_t) (copy_cap - used);
        }
        jlong rec = ps_plan_cmsg(p, first + n);
        unsigned char addr[16];
        memset(addr, 0, sizeof addr);
        jint value = 0;
        jint kind = decode(c->cmsg_level, c->cmsg_type, d, len, &value, addr);
        memcpy(p->base + copy_off + used, d, len);
        ps_plan_put_int(p, rec, c->cmsg_level);
        ps_plan_put_int(p, rec + 4, c->cmsg_type);
        ps_plan_put_int(p, rec + 8, kind);
        ps_plan_put_int(p, rec + 12, copy_off + used);
        ps_plan_put_int(p, rec + 16, (jint) len);
        ps_plan_put_int(p, rec + 20, value);
        memcpy(p->base + rec + 24, addr, sizeof addr);
        /* keep each copy 8-aligned so Java reads descriptors at aligned offsets */
        size_t step = (len + 7) & ~(size_t) 7;
        used = step > (size_t) (copy_cap - used) ? copy_cap : used + (jint) step;
        n++;
    }
    return n;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * What a raw-socket program (a ping, a traceroute, a routing daemon) sets beside its sends: the protocols it opens,
 * the levels and names of the ICMP filters, header inclusion, the IPv6 checksum offset, IP options and path MTU
 * reports, and the ioctls that read a datagram's arrival time. Each only where the headers define it.
 */
#include <netinet/in.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
/* netinet/in.h first: linux/icmp.h's IPv6 definitions then stand back for the C library's */
#include <netinet/icmp6.h>
#ifdef __linux__
#include <linux/icmp.h>
#include <linux/sockios.h>
#endif

#include "ps_constants.h"

const ps_constant ps_raw_constants[] = {
    PS_C(IPPROTO_ICMP)
    PS_C(IPPROTO_ICMPV6)
    PS_C(IPPROTO_RAW)
#ifdef SOL_RAW
    PS_C(SOL_RAW)
#endif
#ifdef SOL_ICMPV6
    PS_C(SOL_ICMPV6)
#endif
#ifdef ICMP_FILTER
    PS_C(ICMP_FILTER)
#endif
#ifdef ICMP6_FILTER
    PS_C(ICMP6_FILTER)
#endif
    {"SIZEOF_ICMP6_FILTER", (int) sizeof(struct icmp6_filter)},
#ifdef IP_HDRINCL
    PS_C(IP_HDRINCL)
#endif
#ifdef IP_OPTIONS
    PS_C(IP_OPTIONS)
#endif
#ifdef IP_RECVOPTS
    PS_C(IP_RECVOPTS)
#endif
#ifdef IP_RETOPTS
    PS_C(IP_RETOPTS)
#endif
#ifdef IPV6_CHECKSUM
    PS_C(IPV6_CHECKSUM)
#endif
#ifdef IPV6_HDRINCL
    PS_C(IPV6_HDRINCL)
#endif
#ifdef IPV6_RECVPATHMTU
    PS_C(IPV6_RECVPATHMTU)
#endif
#ifdef IPV6_PATHMTU
    PS_C(IPV6_PATHMTU)
    /* the IPV6_PATHMTU control message's struct ip6_mtuinfo: a sockaddr_in6, then the MTU */
    {"SIZEOF_IP6_MTUINFO", (int) sizeof(struct ip6_mtuinfo)},
    {"OFFSETOF_IP6M_MTU", (int) offsetof(struct ip6_mtuinfo, ip6m_mtu)},
#endif
#ifdef SIOCGSTAMP
    PS_C(SIOCGSTAMP)
#endif
#ifdef SIOCGSTAMPNS
    PS_C(SIOCGSTAMPNS)
#endif
};

const size_t ps_raw_constant_count = sizeof ps_raw_constants / sizeof ps_raw_constants[0];

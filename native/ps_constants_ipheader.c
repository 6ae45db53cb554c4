/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * Values a program reads in packet headers and in what the kernel reports about them: the ECN codepoints of the
 * TOS byte and traffic class (IP_TOS, IPV6_TCLASS), and the ICMP and ICMPv6 types and codes that an error-queue
 * entry's ee_type and ee_code carry. Named as glibc names them; where the BSD headers spell a value otherwise
 * (ICMP_UNREACH for ICMP_DEST_UNREACH, IPTOS_ECN_NOTECT), that spelling's value is reported under glibc's name.
 */
#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <stddef.h>

#include "ps_constants.h"

/* A constant under the name glibc gives it, from whichever of the two spellings the headers have. */
#define PS_AS(name, value) {#name, (int) (value)},

const ps_constant ps_ipheader_constants[] = {
    /* ECN codepoints: the TOS byte's and traffic class's two low bits */
#ifdef IPTOS_ECN_MASK
    PS_C(IPTOS_ECN_MASK)
#endif
#if defined(IPTOS_ECN_NOT_ECT)
    PS_C(IPTOS_ECN_NOT_ECT)
#elif defined(IPTOS_ECN_NOTECT)
    PS_AS(IPTOS_ECN_NOT_ECT, IPTOS_ECN_NOTECT)
#endif
#ifdef IPTOS_ECN_ECT1
    PS_C(IPTOS_ECN_ECT1)
#endif
#ifdef IPTOS_ECN_ECT0
    PS_C(IPTOS_ECN_ECT0)
#endif
#ifdef IPTOS_ECN_CE
    PS_C(IPTOS_ECN_CE)
#endif
    /* the type-of-service bits RFC 1349 named, which latency and bulk senders still set */
#ifdef IPTOS_LOWDELAY
    PS_C(IPTOS_LOWDELAY)
#endif
#ifdef IPTOS_THROUGHPUT
    PS_C(IPTOS_THROUGHPUT)
#endif
#ifdef IPTOS_RELIABILITY
    PS_C(IPTOS_RELIABILITY)
#endif
#ifdef IPTOS_MINCOST
    PS_C(IPTOS_MINCOST)
#endif
    /* ICMP types and codes */
    PS_C(ICMP_ECHOREPLY)
    PS_C(ICMP_ECHO)
#if defined(ICMP_DEST_UNREACH)
    PS_C(ICMP_DEST_UNREACH)
#elif defined(ICMP_UNREACH)
    PS_AS(ICMP_DEST_UNREACH, ICMP_UNREACH)
#endif
#if defined(ICMP_TIME_EXCEEDED)
    PS_C(ICMP_TIME_EXCEEDED)
#elif defined(ICMP_TIMXCEED)
    PS_AS(ICMP_TIME_EXCEEDED, ICMP_TIMXCEED)
#endif
#if defined(ICMP_PORT_UNREACH)
    PS_C(ICMP_PORT_UNREACH)
#elif defined(ICMP_UNREACH_PORT)
    PS_AS(ICMP_PORT_UNREACH, ICMP_UNREACH_PORT)
#endif
#if defined(ICMP_FRAG_NEEDED)
    PS_C(ICMP_FRAG_NEEDED)
#elif defined(ICMP_UNREACH_NEEDFRAG)
    PS_AS(ICMP_FRAG_NEEDED, ICMP_UNREACH_NEEDFRAG)
#endif
    /* ICMPv6 types and codes */
    PS_C(ICMP6_DST_UNREACH)
    PS_C(ICMP6_PACKET_TOO_BIG)
    PS_C(ICMP6_TIME_EXCEEDED)
    PS_C(ICMP6_ECHO_REQUEST)
    PS_C(ICMP6_ECHO_REPLY)
    PS_C(ICMP6_DST_UNREACH_NOPORT)
};

const size_t ps_ipheader_constant_count = sizeof ps_ipheader_constants / sizeof ps_ipheader_constants[0];

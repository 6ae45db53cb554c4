/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/* The constant tables Java reads once at load time: names and values taken from the compiled headers. */
#ifndef PS_CONSTANTS_H
#define PS_CONSTANTS_H

#include <stddef.h>

typedef struct {
    const char *name;
    int value;
} ps_constant;

#define PS_C(name) {#name, (int) (name)},

/* Poll events, ioctl requests, socket options and structure layouts for ported C code (ps_constants_porting.c). */
extern const ps_constant ps_porting_constants[];
extern const size_t ps_porting_constant_count;

/* The layout of Linux's struct tcp_info (ps_tcpinfo.c); empty where the platform has no such structure. */
extern const ps_constant ps_tcpinfo_constants[];
extern const size_t ps_tcpinfo_constant_count;

/* ECN codepoints and ICMP/ICMPv6 types and codes, the values of packet headers (ps_constants_ipheader.c). */
extern const ps_constant ps_ipheader_constants[];
extern const size_t ps_ipheader_constant_count;

/* Where struct tcp_info's bit fields lie, found at load time by ps_tcpinfo_bits_init (ps_tcpinfo.c). */
extern ps_constant ps_tcpinfo_bits[];
extern const size_t ps_tcpinfo_bit_count;
void ps_tcpinfo_bits_init(void);

/* The error queue: IPV6_RECVERR, struct sock_extended_err's origins, codes and layout (ps_constants_errqueue.c). */
extern const ps_constant ps_errqueue_constants[];
extern const size_t ps_errqueue_constant_count;

/* Netlink: AF_NETLINK, its protocols and SOL_NETLINK options, struct sockaddr_nl's layout (ps_constants_netlink.c). */
extern const ps_constant ps_netlink_constants[];
extern const size_t ps_netlink_constant_count;

/* Packet sockets: AF_PACKET, SOL_PACKET options, ethertypes, struct sockaddr_ll's layout (ps_constants_packet.c). */
extern const ps_constant ps_packet_constants[];
extern const size_t ps_packet_constant_count;

/* TCP's SCM_TIMESTAMPING_OPT_STATS: the TCP_NLA_* attribute types (ps_constants_tcpstats.c). */
extern const ps_constant ps_tcpstats_constants[];
extern const size_t ps_tcpstats_constant_count;

/* Raw sockets: ICMP filters, header inclusion, checksums, IP options, receive-time ioctls (ps_constants_raw.c). */
extern const ps_constant ps_raw_constants[];
extern const size_t ps_raw_constant_count;

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * Netlink, Linux's socket to the kernel itself (the route and sock_diag families that ip and ss speak): the family,
 * the protocols, the socket options of SOL_NETLINK and struct sockaddr_nl's layout, so that Java builds and reads
 * the address with this platform's offsets, and struct nlattr's, the attribute header NetlinkAttributes walks. The
 * messages are the program's own bytes. Linux only; elsewhere the table is empty and Java refuses the address.
 */
#include <stddef.h>
#include <sys/socket.h>
#ifdef __linux__
#include <linux/netlink.h>
#endif

#include "ps_constants.h"

#ifdef __linux__
const ps_constant ps_netlink_constants[] = {
    PS_C(AF_NETLINK)
#ifdef SOL_NETLINK
    PS_C(SOL_NETLINK)
#endif
    PS_C(NETLINK_ROUTE)
#ifdef NETLINK_SOCK_DIAG
    PS_C(NETLINK_SOCK_DIAG)
#endif
    PS_C(NETLINK_ADD_MEMBERSHIP)
    PS_C(NETLINK_DROP_MEMBERSHIP)
    PS_C(NETLINK_PKTINFO)
#ifdef NETLINK_BROADCAST_ERROR
    PS_C(NETLINK_BROADCAST_ERROR)
#endif
#ifdef NETLINK_NO_ENOBUFS
    PS_C(NETLINK_NO_ENOBUFS)
#endif
#ifdef NETLINK_LIST_MEMBERSHIPS
    PS_C(NETLINK_LIST_MEMBERSHIPS)
#endif
#ifdef NETLINK_CAP_ACK
    PS_C(NETLINK_CAP_ACK)
#endif
#ifdef NETLINK_EXT_ACK
    PS_C(NETLINK_EXT_ACK)
#endif
#ifdef NETLINK_GET_STRICT_CHK
    PS_C(NETLINK_GET_STRICT_CHK)
#endif
    {"SIZEOF_SOCKADDR_NL", (int) sizeof(struct sockaddr_nl)},
    {"OFFSETOF_SOCKADDR_NL_PID", (int) offsetof(struct sockaddr_nl, nl_pid)},
    {"OFFSETOF_SOCKADDR_NL_GROUPS", (int) offsetof(struct sockaddr_nl, nl_groups)},
    {"SIZEOF_NLATTR", (int) sizeof(struct nlattr)},
    {"OFFSETOF_NLA_LEN", (int) offsetof(struct nlattr, nla_len)},
    {"OFFSETOF_NLA_TYPE", (int) offsetof(struct nlattr, nla_type)},
    PS_C(NLA_ALIGNTO)
    PS_C(NLA_HDRLEN)
    PS_C(NLA_TYPE_MASK)
    PS_C(NLA_F_NESTED)
    PS_C(NLA_F_NET_BYTEORDER)
};
const size_t ps_netlink_constant_count = sizeof ps_netlink_constants / sizeof ps_netlink_constants[0];
#else
const ps_constant ps_netlink_constants[] = {{"", 0}};
const size_t ps_netlink_constant_count = 0;
#endif

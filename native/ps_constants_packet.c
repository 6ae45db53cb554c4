/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * Packet sockets, Linux's link-layer socket (what tcpdump reads and an ARP or LLDP sender writes): the family, the
 * level of its options and the options, the ethertypes a program names most, the packet types a received frame's
 * address reports, and struct sockaddr_ll's layout, so that Java builds and reads the address with this platform's
 * offsets. Linux only; elsewhere the table is empty and Java refuses the address.
 */
#include <stddef.h>
#include <sys/socket.h>
#ifdef __linux__
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#endif

#include "ps_constants.h"

#ifdef __linux__
const ps_constant ps_packet_constants[] = {
    PS_C(AF_PACKET)
#ifdef SOL_PACKET
    PS_C(SOL_PACKET)
#endif
    PS_C(ETH_P_ALL)
    PS_C(ETH_P_IP)
    PS_C(ETH_P_IPV6)
    PS_C(ETH_P_802_EX1)
    PS_C(PACKET_HOST)
    PS_C(PACKET_BROADCAST)
    PS_C(PACKET_MULTICAST)
    PS_C(PACKET_OTHERHOST)
    PS_C(PACKET_OUTGOING)
    PS_C(PACKET_ADD_MEMBERSHIP)
    PS_C(PACKET_DROP_MEMBERSHIP)
    PS_C(PACKET_MR_MULTICAST)
    PS_C(PACKET_MR_PROMISC)
    PS_C(PACKET_MR_ALLMULTI)
    PS_C(PACKET_STATISTICS)
    PS_C(PACKET_AUXDATA)
    PS_C(PACKET_TX_TIMESTAMP)
    PS_C(PACKET_TIMESTAMP)
    PS_C(PACKET_FANOUT)
#ifdef PACKET_QDISC_BYPASS
    PS_C(PACKET_QDISC_BYPASS)
#endif
#ifdef PACKET_FANOUT_DATA
    PS_C(PACKET_FANOUT_DATA)
#endif
#ifdef PACKET_IGNORE_OUTGOING
    PS_C(PACKET_IGNORE_OUTGOING)
#endif
    {"SIZEOF_SOCKADDR_LL", (int) sizeof(struct sockaddr_ll)},
    {"OFFSETOF_SLL_PROTOCOL", (int) offsetof(struct sockaddr_ll, sll_protocol)},
    {"OFFSETOF_SLL_IFINDEX", (int) offsetof(struct sockaddr_ll, sll_ifindex)},
    {"OFFSETOF_SLL_HATYPE", (int) offsetof(struct sockaddr_ll, sll_hatype)},
    {"OFFSETOF_SLL_PKTTYPE", (int) offsetof(struct sockaddr_ll, sll_pkttype)},
    {"OFFSETOF_SLL_HALEN", (int) offsetof(struct sockaddr_ll, sll_halen)},
    {"OFFSETOF_SLL_ADDR", (int) offsetof(struct sockaddr_ll, sll_addr)},
    {"SIZEOF_SLL_ADDR", (int) sizeof(((struct sockaddr_ll *) 0)->sll_addr)},
    {"SIZEOF_PACKET_MREQ", (int) sizeof(struct packet_mreq)},
    {"OFFSETOF_MR_IFINDEX", (int) offsetof(struct packet_mreq, mr_ifindex)},
    {"OFFSETOF_MR_TYPE", (int) offsetof(struct packet_mreq, mr_type)},
    {"OFFSETOF_MR_ALEN", (int) offsetof(struct packet_mreq, mr_alen)},
    {"OFFSETOF_MR_ADDRESS", (int) offsetof(struct packet_mreq, mr_address)},
    {"SIZEOF_MR_ADDRESS", (int) sizeof(((struct packet_mreq *) 0)->mr_address)},
};
const size_t ps_packet_constant_count = sizeof ps_packet_constants / sizeof ps_packet_constants[0];
#else
const ps_constant ps_packet_constants[] = {{"", 0}};
const size_t ps_packet_constant_count = 0;
#endif

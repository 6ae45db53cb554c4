/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * What the kernel reports after a send returns, on the socket's error queue: the option that asks for it on
 * IPv6, the origins and codes of struct sock_extended_err and that struct's layout, and the timestamping options,
 * flags and structures, so that Java reads the entries with this platform's offsets. Linux only; elsewhere the
 * table is empty and Java refuses the feature.
 */
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#ifdef __linux__
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <linux/version.h>
#include <time.h>
#endif

#include "ps_constants.h"

#ifdef __linux__
const ps_constant ps_errqueue_constants[] = {
#ifdef IPV6_RECVERR
    PS_C(IPV6_RECVERR)
#endif
#ifdef IPV6_RECVERR_RFC4884
    PS_C(IPV6_RECVERR_RFC4884)
#endif
#ifdef SO_EE_ORIGIN_NONE
    PS_C(SO_EE_ORIGIN_NONE)
    PS_C(SO_EE_ORIGIN_LOCAL)
    PS_C(SO_EE_ORIGIN_ICMP)
    PS_C(SO_EE_ORIGIN_ICMP6)
    PS_C(SO_EE_ORIGIN_TXSTATUS)
#endif
#ifdef SO_EE_ORIGIN_ZEROCOPY
    PS_C(SO_EE_ORIGIN_ZEROCOPY)
#endif
#ifdef SO_EE_ORIGIN_TXTIME
    PS_C(SO_EE_ORIGIN_TXTIME)
    PS_C(SO_EE_CODE_TXTIME_INVALID_PARAM)
    PS_C(SO_EE_CODE_TXTIME_MISSED)
#endif
#ifdef SO_EE_ORIGIN_TIMESTAMPING
    PS_C(SO_EE_ORIGIN_TIMESTAMPING)
#endif
#ifdef SO_EE_CODE_ZEROCOPY_COPIED
    PS_C(SO_EE_CODE_ZEROCOPY_COPIED)
#endif
    {"SIZEOF_SOCK_EXTENDED_ERR", (int) sizeof(struct sock_extended_err)},
    {"OFFSETOF_EE_ERRNO", (int) offsetof(struct sock_extended_err, ee_errno)},
    {"OFFSETOF_EE_ORIGIN", (int) offsetof(struct sock_extended_err, ee_origin)},
    {"OFFSETOF_EE_TYPE", (int) offsetof(struct sock_extended_err, ee_type)},
    {"OFFSETOF_EE_CODE", (int) offsetof(struct sock_extended_err, ee_code)},
    {"OFFSETOF_EE_INFO", (int) offsetof(struct sock_extended_err, ee_info)},
    {"OFFSETOF_EE_DATA", (int) offsetof(struct sock_extended_err, ee_data)},
#ifdef SO_EE_RFC4884_FLAG_INVALID
    /* with IP_RECVERR_RFC4884, ee_data is a struct sock_ee_data_rfc4884 */
    PS_C(SO_EE_RFC4884_FLAG_INVALID)
    {"OFFSETOF_EE_RFC4884_LEN", (int) offsetof(struct sock_extended_err, ee_rfc4884.len)},
    {"OFFSETOF_EE_RFC4884_FLAGS", (int) offsetof(struct sock_extended_err, ee_rfc4884.flags)},
#endif
    /* transmit and receive timestamps */
    PS_C(SO_TIMESTAMPING)
    PS_C(SCM_TIMESTAMPING)
#ifdef SCM_TIMESTAMPING_OPT_STATS
    PS_C(SCM_TIMESTAMPING_OPT_STATS)
#endif
#ifdef SCM_TIMESTAMPING_PKTINFO
    PS_C(SCM_TIMESTAMPING_PKTINFO)
#endif
    PS_C(SCM_TIMESTAMPNS)
    PS_C(SCM_TSTAMP_SND)
    PS_C(SCM_TSTAMP_SCHED)
    PS_C(SCM_TSTAMP_ACK)
    PS_C(SOF_TIMESTAMPING_TX_SOFTWARE)
    PS_C(SOF_TIMESTAMPING_RX_SOFTWARE)
    PS_C(SOF_TIMESTAMPING_SOFTWARE)
    PS_C(SOF_TIMESTAMPING_OPT_ID)
    PS_C(SOF_TIMESTAMPING_TX_SCHED)
    PS_C(SOF_TIMESTAMPING_TX_ACK)
    PS_C(SOF_TIMESTAMPING_OPT_CMSG)
    PS_C(SOF_TIMESTAMPING_OPT_TSONLY)
    PS_C(SOF_TIMESTAMPING_TX_HARDWARE)
    PS_C(SOF_TIMESTAMPING_RX_HARDWARE)
    PS_C(SOF_TIMESTAMPING_RAW_HARDWARE)
    PS_C(SOF_TIMESTAMPING_OPT_STATS)
    PS_C(SOF_TIMESTAMPING_OPT_PKTINFO)
    PS_C(SOF_TIMESTAMPING_OPT_TX_SWHW)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 18, 0)
    /* an enumerator, so the headers' version says whether it is there */
    PS_C(SOF_TIMESTAMPING_BIND_PHC)
#endif
#ifdef SO_TXTIME
    /* SO_TXTIME's struct sock_txtime and its flags (enumerators, not macros: the option's macro stands for them) */
    PS_C(SOF_TXTIME_DEADLINE_MODE)
    PS_C(SOF_TXTIME_REPORT_ERRORS)
    {"SIZEOF_SOCK_TXTIME", (int) sizeof(struct sock_txtime)},
    {"OFFSETOF_SOCK_TXTIME_CLOCKID", (int) offsetof(struct sock_txtime, clockid)},
    {"OFFSETOF_SOCK_TXTIME_FLAGS", (int) offsetof(struct sock_txtime, flags)},
#endif
    {"SIZEOF_SCM_TIMESTAMPING", (int) sizeof(struct scm_timestamping)},
};

const size_t ps_errqueue_constant_count = sizeof ps_errqueue_constants / sizeof ps_errqueue_constants[0];
#else
const ps_constant ps_errqueue_constants[] = {{"", 0}};
const size_t ps_errqueue_constant_count = 0;
#endif

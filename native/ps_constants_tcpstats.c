/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * The statistics a TCP socket attaches to its transmit timestamps with SOF_TIMESTAMPING_OPT_STATS: the types of
 * the netlink attributes of an SCM_TIMESTAMPING_OPT_STATS message (an enum in linux/tcp.h, hence no #ifdef per
 * value: the Linux headers this builds with have them all). Linux only; elsewhere the table is empty.
 */
#include <stddef.h>
#ifdef __linux__
#include <linux/tcp.h>
#endif

#include "ps_constants.h"

#ifdef __linux__
const ps_constant ps_tcpstats_constants[] = {
    PS_C(TCP_NLA_PAD)
    PS_C(TCP_NLA_BUSY)
    PS_C(TCP_NLA_RWND_LIMITED)
    PS_C(TCP_NLA_SNDBUF_LIMITED)
    PS_C(TCP_NLA_DATA_SEGS_OUT)
    PS_C(TCP_NLA_TOTAL_RETRANS)
    PS_C(TCP_NLA_PACING_RATE)
    PS_C(TCP_NLA_DELIVERY_RATE)
    PS_C(TCP_NLA_SND_CWND)
    PS_C(TCP_NLA_REORDERING)
    PS_C(TCP_NLA_MIN_RTT)
    PS_C(TCP_NLA_RECUR_RETRANS)
    PS_C(TCP_NLA_DELIVERY_RATE_APP_LMT)
    PS_C(TCP_NLA_SNDQ_SIZE)
    PS_C(TCP_NLA_CA_STATE)
    PS_C(TCP_NLA_SND_SSTHRESH)
    PS_C(TCP_NLA_DELIVERED)
    PS_C(TCP_NLA_DELIVERED_CE)
    PS_C(TCP_NLA_BYTES_SENT)
    PS_C(TCP_NLA_BYTES_RETRANS)
    PS_C(TCP_NLA_DSACK_DUPS)
    PS_C(TCP_NLA_REORD_SEEN)
    PS_C(TCP_NLA_SRTT)
    PS_C(TCP_NLA_TIMEOUT_REHASH)
    PS_C(TCP_NLA_BYTES_NOTSENT)
    PS_C(TCP_NLA_EDT)
    PS_C(TCP_NLA_TTL)
};
const size_t ps_tcpstats_constant_count = sizeof ps_tcpstats_constants / sizeof ps_tcpstats_constants[0];
#else
const ps_constant ps_tcpstats_constants[] = {{"", 0}};
const size_t ps_tcpstats_constant_count = 0;
#endif

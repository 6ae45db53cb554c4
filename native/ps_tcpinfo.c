/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * The layout of struct tcp_info, by offsetof, for the typed TCP_INFO read. It comes from the kernel's
 * <linux/tcp.h>, which has the fields added since glibc's copy in <netinet/tcp.h> (notsent bytes, delivery
 * rate, reordering counts); the two headers cannot share a file, hence this one. On other systems the table holds
 * nothing, so Java refuses the typed read there.
 */
#include <stddef.h>
#include <string.h>

#include "ps_constants.h"

#ifdef __linux__
#include <linux/tcp.h>

#define PS_TCPI(field) {"OFFSETOF_TCPI_" #field, (int) offsetof(struct tcp_info, tcpi_##field)},

const ps_constant ps_tcpinfo_constants[] = {
    PS_TCPI(state)
    PS_TCPI(ca_state)
    PS_TCPI(retransmits)
    PS_TCPI(probes)
    PS_TCPI(backoff)
    PS_TCPI(rto)
    PS_TCPI(snd_mss)
    PS_TCPI(rcv_mss)
    PS_TCPI(unacked)
    PS_TCPI(lost)
    PS_TCPI(retrans)
    PS_TCPI(pmtu)
    PS_TCPI(rtt)
    PS_TCPI(rttvar)
    PS_TCPI(snd_ssthresh)
    PS_TCPI(snd_cwnd)
    PS_TCPI(reordering)
    PS_TCPI(total_retrans)
    PS_TCPI(bytes_acked)
    PS_TCPI(notsent_bytes)
    PS_TCPI(min_rtt)
    PS_TCPI(delivery_rate)
    PS_TCPI(bytes_retrans)
    PS_TCPI(dsack_dups)
    PS_TCPI(reord_seen)
    PS_TCPI(rcv_ooopack)
    PS_TCPI(options)
    PS_TCPI(ato)
    PS_TCPI(sacked)
    PS_TCPI(last_data_sent)
    PS_TCPI(last_data_recv)
    PS_TCPI(last_ack_recv)
    PS_TCPI(rcv_ssthresh)
    PS_TCPI(advmss)
    PS_TCPI(rcv_rtt)
    PS_TCPI(rcv_space)
    PS_TCPI(pacing_rate)
    PS_TCPI(max_pacing_rate)
    PS_TCPI(bytes_received)
    PS_TCPI(segs_out)
    PS_TCPI(segs_in)
    PS_TCPI(data_segs_in)
    PS_TCPI(data_segs_out)
    PS_TCPI(busy_time)
    PS_TCPI(rwnd_limited)
    PS_TCPI(sndbuf_limited)
    PS_TCPI(delivered)
    PS_TCPI(delivered_ce)
    PS_TCPI(bytes_sent)
    PS_TCPI(snd_wnd)
};

const size_t ps_tcpinfo_constant_count = sizeof ps_tcpinfo_constants / sizeof ps_tcpinfo_constants[0];

/*
 * Where the compiler put the bit fields, which offsetof cannot say: BITPOS_ is the bit of a field's least
 * significant bit, counted from the struct's start with each byte's lowest bit first, BITS_ its width. Found by
 * setting the field in a zeroed struct, once, before Java reads the table (ps_tcpinfo_bits_init).
 */
ps_constant ps_tcpinfo_bits[] = {
    {"BITPOS_TCPI_snd_wscale", -1}, {"BITS_TCPI_snd_wscale", -1},
    {"BITPOS_TCPI_rcv_wscale", -1}, {"BITS_TCPI_rcv_wscale", -1},
    {"BITPOS_TCPI_delivery_rate_app_limited", -1}, {"BITS_TCPI_delivery_rate_app_limited", -1},
    {"BITPOS_TCPI_fastopen_client_fail", -1}, {"BITS_TCPI_fastopen_client_fail", -1},
};

const size_t ps_tcpinfo_bit_count = sizeof ps_tcpinfo_bits / sizeof ps_tcpinfo_bits[0];

/* The lowest set bit of t, counted as BITPOS_ counts, and how many bits are set. */
static void set_bits(const struct tcp_info *t, int *lowest, int *count) {
    const unsigned char *b = (const unsigned char *) t;
    int low = -1;
    int n = 0;
    for (size_t i = 0; i < sizeof *t * 8; i++) {
        if ((b[i / 8] >> (i % 8)) & 1) {
            if (low < 0) {
                low = (int) i;
            }
            n++;
        }
    }
    *lowest = low;
    *count = n;
}

/*
 * The field set to 1 gives its lowest bit; set to all ones (0 less 1, wrapped to its width), its width. Each entry is
 * stored once, with its final value: a second class loader on this instance runs this again while the first may be
 * reading the table, and must only ever see the same values there.
 */
#define PS_TCPI_BITS(k, field) \
    do { \
        struct tcp_info t; \
        int position; \
        int width; \
        int ignored; \
        memset(&t, 0, sizeof t); \
        t.tcpi_##field = 1; \
        set_bits(&t, &position, &ignored); \
        memset(&t, 0, sizeof t); \
        t.tcpi_##field--; \
        set_bits(&t, &ignored, &width); \
        ps_tcpinfo_bits[k].value = position; \
        ps_tcpinfo_bits[(k) + 1].value = width; \
    } while (0)

void ps_tcpinfo_bits_init(void) {
    PS_TCPI_BITS(0, snd_wscale);
    PS_TCPI_BITS(2, rcv_wscale);
    PS_TCPI_BITS(4, delivery_rate_app_limited);
    PS_TCPI_BITS(6, fastopen_client_fail);
}
#else
const ps_constant ps_tcpinfo_constants[] = {{"", 0}};
const size_t ps_tcpinfo_constant_count = 0;
ps_constant ps_tcpinfo_bits[] = {{"", 0}};
const size_t ps_tcpinfo_bit_count = 0;

void ps_tcpinfo_bits_init(void) {
}
#endif

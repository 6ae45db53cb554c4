/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * Constants a port of C networking code needs beside the send family: poll events, ioctl requests, more socket
 * options, and the layouts of struct pollfd, struct linger and struct timeval, so that Java builds and reads them
 * with this platform's sizes and offsets. As in ps_constants.c, a name the headers lack is simply absent.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#ifdef __linux__
#include <linux/filter.h>
#if __has_include(<linux/mptcp.h>)
#include <linux/mptcp.h>
#endif
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#endif

#include "ps_constants.h"

#define PS_SIZE(name, type) {"SIZEOF_" #name, (int) sizeof(type)},
#define PS_OFFSET(name, type, field) {"OFFSETOF_" #name, (int) offsetof(type, field)},

const ps_constant ps_porting_constants[] = {
    /* poll */
#ifdef POLLIN
    PS_C(POLLIN)
#endif
#ifdef POLLPRI
    PS_C(POLLPRI)
#endif
#ifdef POLLOUT
    PS_C(POLLOUT)
#endif
#ifdef POLLERR
    PS_C(POLLERR)
#endif
#ifdef POLLHUP
    PS_C(POLLHUP)
#endif
#ifdef POLLNVAL
    PS_C(POLLNVAL)
#endif
#ifdef POLLRDHUP
    PS_C(POLLRDHUP)
#endif
#ifdef POLLRDNORM
    PS_C(POLLRDNORM)
#endif
#ifdef POLLRDBAND
    PS_C(POLLRDBAND)
#endif
#ifdef POLLWRNORM
    PS_C(POLLWRNORM)
#endif
#ifdef POLLWRBAND
    PS_C(POLLWRBAND)
#endif
    PS_SIZE(POLLFD, struct pollfd)
    PS_OFFSET(POLLFD_FD, struct pollfd, fd)
    PS_OFFSET(POLLFD_EVENTS, struct pollfd, events)
    PS_OFFSET(POLLFD_REVENTS, struct pollfd, revents)
    /* ioctl requests; the values are unsigned long in C, and each fits in 32 bits */
#ifdef FIONREAD
    PS_C(FIONREAD)
#endif
#ifdef SIOCINQ
    PS_C(SIOCINQ)
#endif
#ifdef SIOCOUTQ
    PS_C(SIOCOUTQ)
#endif
#ifdef SIOCOUTQNSD
    PS_C(SIOCOUTQNSD)
#endif
    /* socket options */
#ifdef SO_SNDTIMEO
    PS_C(SO_SNDTIMEO)
#endif
#ifdef SO_RCVTIMEO
    PS_C(SO_RCVTIMEO)
#endif
#ifdef SO_BINDTODEVICE
    PS_C(SO_BINDTODEVICE)
#endif
    /*
     * options whose value holds an address: known so that they are refused as bytes (OptionValues); the classic BPF
     * programs are passed through Posix.setsockoptFilter, whose struct sock_fprog the shim builds itself
     */
#ifdef SO_ATTACH_FILTER
    PS_C(SO_ATTACH_FILTER)
#endif
#ifdef SO_ATTACH_REUSEPORT_CBPF
    PS_C(SO_ATTACH_REUSEPORT_CBPF)
#endif
#ifdef SO_DETACH_FILTER
    PS_C(SO_DETACH_FILTER)
#endif
#ifdef SO_LOCK_FILTER
    PS_C(SO_LOCK_FILTER)
#endif
#ifdef SO_DETACH_REUSEPORT_BPF
    PS_C(SO_DETACH_REUSEPORT_BPF)
#endif
#if defined(__linux__) && defined(SO_ATTACH_FILTER)
    /* the layouts the Java backends build a program in (JNR, FFM) */
    PS_SIZE(SOCK_FPROG, struct sock_fprog)
    PS_OFFSET(SOCK_FPROG_LEN, struct sock_fprog, len)
    PS_OFFSET(SOCK_FPROG_FILTER, struct sock_fprog, filter)
    PS_SIZE(SOCK_FILTER, struct sock_filter)
    PS_OFFSET(SOCK_FILTER_CODE, struct sock_filter, code)
    PS_OFFSET(SOCK_FILTER_JT, struct sock_filter, jt)
    PS_OFFSET(SOCK_FILTER_JF, struct sock_filter, jf)
    PS_OFFSET(SOCK_FILTER_K, struct sock_filter, k)
#endif
#ifdef TCP_ZEROCOPY_RECEIVE
    PS_C(TCP_ZEROCOPY_RECEIVE)
#endif
    /* source filters, whose read takes its length from the value: refused for getsockopt as bytes */
#ifdef IP_MSFILTER
    PS_C(IP_MSFILTER)
#endif
#ifdef MCAST_MSFILTER
    PS_C(MCAST_MSFILTER)
#endif
#ifdef SO_PRIORITY
    PS_C(SO_PRIORITY)
#endif
#ifdef SO_MARK
    PS_C(SO_MARK)
#endif
#ifdef SO_TIMESTAMPNS
    PS_C(SO_TIMESTAMPNS)
#endif
#ifdef SO_RXQ_OVFL
    PS_C(SO_RXQ_OVFL)
#endif
#ifdef SO_NO_CHECK
    PS_C(SO_NO_CHECK)
#endif
#ifdef UDP_NO_CHECK6_TX
    PS_C(UDP_NO_CHECK6_TX)
    PS_C(UDP_NO_CHECK6_RX)
#endif
#ifdef IP_MTU
    PS_C(IP_MTU)
#endif
#ifdef IP_FREEBIND
    PS_C(IP_FREEBIND)
#endif
#ifdef IP_TRANSPARENT
    PS_C(IP_TRANSPARENT)
#endif
#ifdef IPV6_MTU
    PS_C(IPV6_MTU)
#endif
#ifdef IPV6_MTU_DISCOVER
    PS_C(IPV6_MTU_DISCOVER)
#endif
#ifdef IPV6_PMTUDISC_DO
    PS_C(IPV6_PMTUDISC_DO)
#endif
#ifdef IPV6_PMTUDISC_DONT
    PS_C(IPV6_PMTUDISC_DONT)
#endif
#ifdef IPV6_PMTUDISC_WANT
    PS_C(IPV6_PMTUDISC_WANT)
#endif
#ifdef IPV6_PMTUDISC_PROBE
    PS_C(IPV6_PMTUDISC_PROBE)
#endif
#ifdef IPV6_PMTUDISC_INTERFACE
    PS_C(IPV6_PMTUDISC_INTERFACE)
#endif
#ifdef IPV6_PMTUDISC_OMIT
    PS_C(IPV6_PMTUDISC_OMIT)
#endif
#ifdef IPV6_FREEBIND
    PS_C(IPV6_FREEBIND)
#endif
    /* multicast: the options a sender and a receiver of a group set, and the requests that join or leave it */
#ifdef IP_MULTICAST_IF
    PS_C(IP_MULTICAST_IF)
#endif
#ifdef IP_MULTICAST_TTL
    PS_C(IP_MULTICAST_TTL)
#endif
#ifdef IP_MULTICAST_LOOP
    PS_C(IP_MULTICAST_LOOP)
#endif
#ifdef IP_ADD_MEMBERSHIP
    PS_C(IP_ADD_MEMBERSHIP)
    PS_SIZE(IP_MREQ, struct ip_mreq)
    PS_OFFSET(IMR_INTERFACE, struct ip_mreq, imr_interface)
#if defined(__linux__)
    /* Linux's request that names the interface by its index as well: IP_ADD_MEMBERSHIP, IP_MULTICAST_IF */
    PS_SIZE(IP_MREQN, struct ip_mreqn)
    PS_OFFSET(IMR_ADDRESS, struct ip_mreqn, imr_address)
    PS_OFFSET(IMR_IFINDEX, struct ip_mreqn, imr_ifindex)
#endif
#endif
#ifdef IP_DROP_MEMBERSHIP
    PS_C(IP_DROP_MEMBERSHIP)
#endif
#ifdef IPV6_MULTICAST_IF
    PS_C(IPV6_MULTICAST_IF)
#endif
#ifdef IPV6_MULTICAST_HOPS
    PS_C(IPV6_MULTICAST_HOPS)
#endif
#ifdef IPV6_MULTICAST_LOOP
    PS_C(IPV6_MULTICAST_LOOP)
#endif
#ifdef IPV6_JOIN_GROUP
    PS_C(IPV6_JOIN_GROUP)
    PS_SIZE(IPV6_MREQ, struct ipv6_mreq)
    PS_OFFSET(IPV6MR_INTERFACE, struct ipv6_mreq, ipv6mr_interface)
#endif
#ifdef IPV6_LEAVE_GROUP
    PS_C(IPV6_LEAVE_GROUP)
#endif
#ifdef TCP_INFO
    PS_C(TCP_INFO)
#endif
#ifdef TCP_KEEPIDLE
    PS_C(TCP_KEEPIDLE)
#endif
#ifdef TCP_KEEPINTVL
    PS_C(TCP_KEEPINTVL)
#endif
#ifdef TCP_KEEPCNT
    PS_C(TCP_KEEPCNT)
#endif
#ifdef TCP_USER_TIMEOUT
    PS_C(TCP_USER_TIMEOUT)
#endif
#ifdef TCP_FASTOPEN
    PS_C(TCP_FASTOPEN)
#endif
#ifdef TCP_DEFER_ACCEPT
    PS_C(TCP_DEFER_ACCEPT)
#endif
    /* what a latency-minded TCP service sets, and tcpi_options' bits */
#ifdef TCP_TIMESTAMP
    PS_C(TCP_TIMESTAMP)
#endif
#ifdef TCP_SAVE_SYN
    PS_C(TCP_SAVE_SYN)
#endif
#ifdef TCP_SAVED_SYN
    PS_C(TCP_SAVED_SYN)
#endif
#ifdef TCP_FASTOPEN_CONNECT
    PS_C(TCP_FASTOPEN_CONNECT)
#endif
#ifdef TCP_ULP
    PS_C(TCP_ULP)
#endif
#ifdef TCP_FASTOPEN_KEY
    PS_C(TCP_FASTOPEN_KEY)
#endif
#ifdef TCP_FASTOPEN_NO_COOKIE
    PS_C(TCP_FASTOPEN_NO_COOKIE)
#endif
#ifdef TCP_INQ
    PS_C(TCP_INQ)
#endif
#ifdef TCP_CM_INQ
    PS_C(TCP_CM_INQ)
#endif
#ifdef TCP_TX_DELAY
    PS_C(TCP_TX_DELAY)
#endif
    /* Multipath TCP's own options (linux/mptcp.h), read as bytes */
#ifdef SOL_MPTCP
    PS_C(SOL_MPTCP)
#endif
#ifdef MPTCP_INFO
    PS_C(MPTCP_INFO)
#endif
#ifdef MPTCP_TCPINFO
    PS_C(MPTCP_TCPINFO)
#endif
#ifdef MPTCP_SUBFLOW_ADDRS
    PS_C(MPTCP_SUBFLOW_ADDRS)
#endif
#ifdef MPTCP_INFO_FLAG_FALLBACK
    PS_C(MPTCP_INFO_FLAG_FALLBACK)
#endif
#ifdef MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED
    PS_C(MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED)
#endif
#ifdef TCPI_OPT_TIMESTAMPS
    PS_C(TCPI_OPT_TIMESTAMPS)
#endif
#ifdef TCPI_OPT_SACK
    PS_C(TCPI_OPT_SACK)
#endif
#ifdef TCPI_OPT_WSCALE
    PS_C(TCPI_OPT_WSCALE)
#endif
#ifdef TCPI_OPT_ECN
    PS_C(TCPI_OPT_ECN)
#endif
#ifdef TCPI_OPT_ECN_SEEN
    PS_C(TCPI_OPT_ECN_SEEN)
#endif
#ifdef TCPI_OPT_SYN_DATA
    PS_C(TCPI_OPT_SYN_DATA)
#endif
#ifdef SO_INCOMING_NAPI_ID
    PS_C(SO_INCOMING_NAPI_ID)
#endif
#ifdef SO_PREFER_BUSY_POLL
    PS_C(SO_PREFER_BUSY_POLL)
#endif
#ifdef SO_BUSY_POLL_BUDGET
    PS_C(SO_BUSY_POLL_BUDGET)
#endif
#ifdef SIOCATMARK
    PS_C(SIOCATMARK)
#endif
    /* more of what ported C code sets and reads */
#ifdef CLOCK_REALTIME
    PS_C(CLOCK_REALTIME)
#endif
#ifdef CLOCK_MONOTONIC
    PS_C(CLOCK_MONOTONIC)
#endif
#ifdef CLOCK_TAI
    PS_C(CLOCK_TAI)
#endif
#ifdef CLOCK_MONOTONIC_RAW
    PS_C(CLOCK_MONOTONIC_RAW)
#endif
#ifdef CLOCK_BOOTTIME
    PS_C(CLOCK_BOOTTIME)
#endif
#ifdef CLOCK_PROCESS_CPUTIME_ID
    PS_C(CLOCK_PROCESS_CPUTIME_ID)
#endif
#ifdef CLOCK_THREAD_CPUTIME_ID
    PS_C(CLOCK_THREAD_CPUTIME_ID)
#endif
#ifdef SO_PASSCRED
    PS_C(SO_PASSCRED)
#endif
#ifdef SO_PEERCRED
    PS_C(SO_PEERCRED)
#endif
#ifdef SO_ACCEPTCONN
    PS_C(SO_ACCEPTCONN)
#endif
#ifdef SO_PEEK_OFF
    PS_C(SO_PEEK_OFF)
#endif
#ifdef SO_BUSY_POLL
    PS_C(SO_BUSY_POLL)
#endif
#ifdef SO_INCOMING_CPU
    PS_C(SO_INCOMING_CPU)
#endif
#ifdef SO_MEMINFO
    PS_C(SO_MEMINFO)
#endif
#ifdef __linux__
    /* SO_MEMINFO's array indices (enumerators of linux/sock_diag.h) */
    PS_C(SK_MEMINFO_RMEM_ALLOC)
    PS_C(SK_MEMINFO_RCVBUF)
    PS_C(SK_MEMINFO_WMEM_ALLOC)
    PS_C(SK_MEMINFO_SNDBUF)
    PS_C(SK_MEMINFO_FWD_ALLOC)
    PS_C(SK_MEMINFO_WMEM_QUEUED)
    PS_C(SK_MEMINFO_OPTMEM)
    PS_C(SK_MEMINFO_BACKLOG)
    PS_C(SK_MEMINFO_DROPS)
    PS_C(SK_MEMINFO_VARS)
#endif
#ifdef SO_COOKIE
    PS_C(SO_COOKIE)
#endif
#ifdef SO_MAX_PACING_RATE
    PS_C(SO_MAX_PACING_RATE)
#endif
#ifdef SO_TXTIME
    PS_C(SO_TXTIME)
#endif
#ifdef SCM_TXTIME
    PS_C(SCM_TXTIME)
#endif
#ifdef SO_BINDTOIFINDEX
    PS_C(SO_BINDTOIFINDEX)
#endif
#ifdef SO_RCVBUFFORCE
    PS_C(SO_RCVBUFFORCE)
#endif
#ifdef IP_BIND_ADDRESS_NO_PORT
    PS_C(IP_BIND_ADDRESS_NO_PORT)
#endif
#ifdef IP_RECVORIGDSTADDR
    PS_C(IP_RECVORIGDSTADDR)
#endif
#ifdef IP_ORIGDSTADDR
    PS_C(IP_ORIGDSTADDR)
#endif
#ifdef IP_MULTICAST_ALL
    PS_C(IP_MULTICAST_ALL)
#endif
#ifdef IP_NODEFRAG
    PS_C(IP_NODEFRAG)
#endif
#ifdef IP_UNICAST_IF
    PS_C(IP_UNICAST_IF)
#endif
#ifdef IP_RECVFRAGSIZE
    PS_C(IP_RECVFRAGSIZE)
#endif
#ifdef IPV6_DONTFRAG
    PS_C(IPV6_DONTFRAG)
#endif
#ifdef IPV6_UNICAST_IF
    PS_C(IPV6_UNICAST_IF)
#endif
#ifdef IPV6_RECVORIGDSTADDR
    PS_C(IPV6_RECVORIGDSTADDR)
#endif
#ifdef IPV6_ORIGDSTADDR
    PS_C(IPV6_ORIGDSTADDR)
#endif
#ifdef TCP_CONGESTION
    PS_C(TCP_CONGESTION)
#endif
#ifdef TCP_CC_INFO
    PS_C(TCP_CC_INFO)
#endif
#ifdef TCP_WINDOW_CLAMP
    PS_C(TCP_WINDOW_CLAMP)
#endif
#ifdef TCP_SYNCNT
    PS_C(TCP_SYNCNT)
#endif
#ifdef TCP_LINGER2
    PS_C(TCP_LINGER2)
#endif
#ifdef TCP_THIN_LINEAR_TIMEOUTS
    PS_C(TCP_THIN_LINEAR_TIMEOUTS)
#endif
#ifdef UDP_CORK
    PS_C(UDP_CORK)
#endif
#ifdef SO_PEERSEC
    PS_C(SO_PEERSEC)
#endif
#ifdef SO_PASSSEC
    PS_C(SO_PASSSEC)
#endif
#ifdef SO_PEERGROUPS
    PS_C(SO_PEERGROUPS)
#endif
#ifdef __linux__
    /* enumerators in glibc's <netinet/tcp.h>, not macros: the tcpi_state values */
    PS_C(TCP_ESTABLISHED)
    PS_C(TCP_SYN_SENT)
    PS_C(TCP_SYN_RECV)
    PS_C(TCP_FIN_WAIT1)
    PS_C(TCP_FIN_WAIT2)
    PS_C(TCP_TIME_WAIT)
    PS_C(TCP_CLOSE)
    PS_C(TCP_CLOSE_WAIT)
    PS_C(TCP_LAST_ACK)
    PS_C(TCP_LISTEN)
    PS_C(TCP_CLOSING)
#endif
    /* where a received sockaddr keeps its family and port, so Java reads them without a copy */
    PS_OFFSET(SA_FAMILY, struct sockaddr, sa_family)
    PS_SIZE(SA_FAMILY, ((struct sockaddr *) 0)->sa_family)
    PS_OFFSET(SIN_PORT, struct sockaddr_in, sin_port)
    PS_OFFSET(SIN6_PORT, struct sockaddr_in6, sin6_port)
    PS_OFFSET(SIN_ADDR, struct sockaddr_in, sin_addr)
    PS_OFFSET(SIN6_ADDR, struct sockaddr_in6, sin6_addr)
    PS_OFFSET(SIN6_SCOPE_ID, struct sockaddr_in6, sin6_scope_id)
    /* option structures */
#if defined(__linux__) && defined(_GNU_SOURCE) && defined(SO_PEERCRED)
    /* SO_PEERCRED and SCM_CREDENTIALS carry Linux's struct ucred, which glibc shows under _GNU_SOURCE */
    PS_SIZE(UCRED, struct ucred)
    PS_OFFSET(UCRED_PID, struct ucred, pid)
    PS_OFFSET(UCRED_UID, struct ucred, uid)
    PS_OFFSET(UCRED_GID, struct ucred, gid)
#endif
    PS_SIZE(LINGER, struct linger)
    PS_OFFSET(LINGER_ONOFF, struct linger, l_onoff)
    PS_OFFSET(LINGER_LINGER, struct linger, l_linger)
    PS_SIZE(TIMEVAL, struct timeval)
    PS_SIZE(TV_SEC, ((struct timeval *) 0)->tv_sec)
    PS_SIZE(TV_USEC, ((struct timeval *) 0)->tv_usec)
    PS_OFFSET(TIMEVAL_SEC, struct timeval, tv_sec)
    PS_OFFSET(TIMEVAL_USEC, struct timeval, tv_usec)
    /* clock_gettime's, and the received SCM_TIMESTAMPNS and SCM_TIMESTAMPING times' */
    PS_SIZE(TIMESPEC, struct timespec)
    PS_OFFSET(TIMESPEC_SEC, struct timespec, tv_sec)
    PS_OFFSET(TIMESPEC_NSEC, struct timespec, tv_nsec)
};

const size_t ps_porting_constant_count = sizeof ps_porting_constants / sizeof ps_porting_constants[0];

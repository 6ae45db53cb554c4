// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import io.github.posixsend.Os;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The socket-level constants (address families, socket types, option levels and names, limits and structure
 * sizes) of Linux and NetBSD, by C name. {@code MsgFlag} and {@code Errno} carry their own columns.
 *
 * <p>The JNI backend does not use these numbers: it reads the compiled headers, and a test checks that they
 * agree with the Linux column. The JNR backend, which has no compiled headers, uses the column of its platform.
 * Linux values are those of x86_64 and aarch64 (both use the generic socket headers); NetBSD values are those
 * of its sys/socket.h, netinet/in.h and sys/un.h. Every NetBSD value was checked against NetBSD 10.1's headers
 * (amd64) on 2026-12-02, not on a NetBSD machine; {@code netbsd10-headers.tsv} in the test resources gives the
 * header line behind each, and {@code TablesTest} pins the column to it.
 */
public final class ConstantTable {
    /**
     * Marks a constant the platform does not define; {@code Platform.UNSUPPORTED} and {@code Posix.UNSUPPORTED} are
     * this same value, the one name for it.
     */
    public static final int UNSUPPORTED = Integer.MIN_VALUE;

    private static final Map<String, int[]> ROWS = new LinkedHashMap<>();

    static {
        row("AF_UNSPEC", 0, 0);
        row("AF_UNIX", 1, 1);
        row("AF_INET", 2, 2);
        row("AF_INET6", 0xa, 0x18);
        row("SOCK_STREAM", 1, 1);
        row("SOCK_DGRAM", 2, 2);
        row("SOCK_RAW", 3, 3);
        row("SOCK_SEQPACKET", 5, 5);
        row("SOCK_NONBLOCK", 0x800, 0x20000000);
        row("SOCK_CLOEXEC", 0x80000, 0x10000000);
        row("SOL_SOCKET", 1, 0xffff);
        row("SO_DEBUG", 1, 1);
        row("SO_REUSEADDR", 2, 4);
        row("SO_TYPE", 3, 0x1008);
        row("SO_ERROR", 4, 0x1007);
        row("SO_DONTROUTE", 5, 0x10);
        row("SO_BROADCAST", 6, 0x20);
        row("SO_SNDBUF", 7, 0x1001);
        row("SO_RCVBUF", 8, 0x1002);
        row("SO_KEEPALIVE", 9, 8);
        row("SO_OOBINLINE", 0xa, 0x100);
        row("SO_LINGER", 0xd, 0x80);
        row("SO_REUSEPORT", 0xf, 0x200);
        row("SO_RCVLOWAT", 0x12, 0x1004);
        row("SO_SNDLOWAT", 0x13, 0x1003);
        row("SO_TIMESTAMP", 0x1d, 0x2000);
        row("SCM_TIMESTAMP", 0x1d, 0x08);
        row("SO_SNDBUFFORCE", 0x20, UNSUPPORTED);
        row("SO_PROTOCOL", 0x26, UNSUPPORTED);
        row("SO_DOMAIN", 0x27, UNSUPPORTED);
        row("SO_ZEROCOPY", 0x3c, UNSUPPORTED);
        row("SO_NOSIGPIPE", UNSUPPORTED, 0x800);
        row("IPPROTO_IP", 0, 0);
        row("IPPROTO_TCP", 6, 6);
        row("IPPROTO_UDP", 0x11, 0x11);
        row("IPPROTO_IPV6", 0x29, 0x29);
        row("SOL_UDP", 0x11, UNSUPPORTED);
        row("SOL_IP", 0, UNSUPPORTED);
        row("SOL_TCP", 6, UNSUPPORTED);
        row("SOL_IPV6", 41, UNSUPPORTED);
        row("TCP_NODELAY", 1, 1);
        row("TCP_MAXSEG", 2, 2);
        row("TCP_CORK", 3, UNSUPPORTED);
        row("TCP_QUICKACK", 0xc, UNSUPPORTED);
        row("TCP_NOTSENT_LOWAT", 0x19, UNSUPPORTED);
        row("IP_TOS", 1, 3);
        row("IP_TTL", 2, 4);
        row("IP_PKTINFO", 8, 0x19);
        row("IP_RECVPKTINFO", UNSUPPORTED, 0x1a);
        row("IP_RECVTOS", 0xd, UNSUPPORTED);
        row("IP_RECVTTL", 0xc, 0x17);
        row("IP_MTU_DISCOVER", 0xa, UNSUPPORTED);
        row("IP_PMTUDISC_DO", 2, UNSUPPORTED);
        row("IP_PMTUDISC_DONT", 0, UNSUPPORTED);
        row("IP_PMTUDISC_WANT", 1, UNSUPPORTED);
        row("IP_PMTUDISC_PROBE", 3, UNSUPPORTED);
        row("IP_PMTUDISC_INTERFACE", 4, UNSUPPORTED);
        row("IP_PMTUDISC_OMIT", 5, UNSUPPORTED);
        row("IP_RECVERR", 0xb, UNSUPPORTED);
        row("IPV6_UNICAST_HOPS", 0x10, 4);
        row("IPV6_V6ONLY", 0x1a, 0x1b);
        row("IPV6_RECVPKTINFO", 0x31, 0x24);
        row("IPV6_PKTINFO", 0x32, 0x2e);
        row("IPV6_RECVHOPLIMIT", 0x33, 0x25);
        row("IPV6_HOPLIMIT", 0x34, 0x2f);
        row("IPV6_RECVTCLASS", 0x42, 0x39);
        row("IPV6_TCLASS", 0x43, 0x3d);
        row("UDP_SEGMENT", 0x67, UNSUPPORTED);
        row("UDP_GRO", 0x68, UNSUPPORTED);
        row("SCM_RIGHTS", 1, 1);
        row("SCM_CREDENTIALS", 2, UNSUPPORTED);
        row("SHUT_RD", 0, 0);
        row("SHUT_WR", 1, 1);
        row("SHUT_RDWR", 2, 2);
        row("SOMAXCONN", 0x1000, 0x80);
        row("IOV_MAX", 0x400, 0x400);
        row("O_NONBLOCK", 0x800, 4);
        row("F_GETFL", 3, 3);
        row("F_SETFL", 4, 4);
        row("O_CLOEXEC", 0x80000, 0x400000);
        row("F_GETFD", 1, 1);
        row("F_SETFD", 2, 2);
        row("FD_CLOEXEC", 1, 1);
        row("SIZEOF_SOCKADDR_STORAGE", 0x80, 0x80);
        row("SIZEOF_SOCKADDR_IN", 0x10, 0x10);
        row("SIZEOF_SOCKADDR_IN6", 0x1c, 0x1c);
        row("SIZEOF_SOCKADDR_UN", 0x6e, 0x6a);
        row("SIZEOF_SUN_PATH", 0x6c, 0x68);
        // message structures (sendmsg, sendmmsg, recvmsg): sizes of the platform's structs and CMSG_* results
        row("SIZEOF_MSGHDR", 56, 48);
        row("SIZEOF_MMSGHDR", 64, 56);
        row("SIZEOF_IOVEC", 16, 16);
        row("SIZEOF_CMSGHDR", 16, 12);
        row("OFFSETOF_MSGHDR_NAMELEN", 8, 8);
        row("OFFSETOF_MSGHDR_IOV", 16, 16);
        row("OFFSETOF_MSGHDR_IOVLEN", 24, 24);
        row("OFFSETOF_MSGHDR_CONTROL", 32, 32);
        row("OFFSETOF_MSGHDR_CONTROLLEN", 40, 40);
        row("OFFSETOF_MSGHDR_FLAGS", 48, 44);
        row("OFFSETOF_MMSGHDR_LEN", 56, 48);
        row("OFFSETOF_IOVEC_LEN", 8, 8);
        row("OFFSETOF_CMSGHDR_LEVEL", 8, 4);
        row("OFFSETOF_CMSGHDR_TYPE", 12, 8);
        row("CMSG_LEN_0", 16, 16);
        row("CMSG_SPACE_0", 16, 16);
        row("CMSG_SPACE_1", 24, 24);
        row("CMSG_SPACE_INT", 24, 24);
        row("SIZEOF_IN_PKTINFO", 12, 8);
        row("OFFSETOF_IPI_SPEC_DST", 4, 0);
        row("SIZEOF_IN6_PKTINFO", 20, 20);
        // around the sends (poll, ioctl, more options). The NetBSD column is what its sys/poll.h, sys/socket.h,
        // sys/filio.h and netinet/tcp.h define (NetBSD 10's headers; FIONREAD is _IOR('f', 127, int) =
        // 0x40000000 | 4 << 16 | 'f' << 8 | 127), not yet checked on a NetBSD machine; the Linux-only ones are absent
        row("POLLIN", 1, 1);
        row("POLLPRI", 2, 2);
        row("POLLOUT", 4, 4);
        row("POLLERR", 8, 8);
        row("POLLHUP", 0x10, 0x10);
        row("POLLNVAL", 0x20, 0x20);
        row("POLLRDHUP", 0x2000, UNSUPPORTED);
        row("POLLRDNORM", 0x40, 0x40);
        row("POLLRDBAND", 0x80, 0x80);
        row("POLLWRNORM", 0x100, 0x4);
        row("POLLWRBAND", 0x200, 0x100);
        row("SIZEOF_POLLFD", 8, 8);
        row("OFFSETOF_POLLFD_FD", 0, 0);
        row("OFFSETOF_POLLFD_EVENTS", 4, 4);
        row("OFFSETOF_POLLFD_REVENTS", 6, 6);
        row("FIONREAD", 0x541b, 0x4004667f);
        row("SIOCINQ", 0x541b, UNSUPPORTED);
        row("SIOCOUTQ", 0x5411, UNSUPPORTED);
        row("SIOCOUTQNSD", 0x894b, UNSUPPORTED);
        row("SO_SNDTIMEO", 0x15, 0x100b);
        row("SO_RCVTIMEO", 0x14, 0x100c);
        row("SO_BINDTODEVICE", 0x19, UNSUPPORTED);
        row("SO_ATTACH_FILTER", 0x1a, UNSUPPORTED);
        row("SO_ATTACH_REUSEPORT_CBPF", 0x33, UNSUPPORTED);
        row("SO_DETACH_FILTER", 0x1b, UNSUPPORTED);
        row("SO_LOCK_FILTER", 0x2c, UNSUPPORTED);
        row("SO_DETACH_REUSEPORT_BPF", 0x44, UNSUPPORTED);
        row("SIZEOF_SOCK_FPROG", 16, UNSUPPORTED);
        row("OFFSETOF_SOCK_FPROG_LEN", 0, UNSUPPORTED);
        row("OFFSETOF_SOCK_FPROG_FILTER", 8, UNSUPPORTED);
        row("SIZEOF_SOCK_FILTER", 8, UNSUPPORTED);
        row("OFFSETOF_SOCK_FILTER_CODE", 0, UNSUPPORTED);
        row("OFFSETOF_SOCK_FILTER_JT", 2, UNSUPPORTED);
        row("OFFSETOF_SOCK_FILTER_JF", 3, UNSUPPORTED);
        row("OFFSETOF_SOCK_FILTER_K", 4, UNSUPPORTED);
        row("SO_PRIORITY", 0xc, UNSUPPORTED);
        row("SO_MARK", 0x24, UNSUPPORTED);
        row("SO_TIMESTAMPNS", 0x23, UNSUPPORTED);
        row("SO_RXQ_OVFL", 0x28, UNSUPPORTED);
        row("IP_MTU", 0xe, UNSUPPORTED);
        row("IP_FREEBIND", 0xf, UNSUPPORTED);
        row("IP_TRANSPARENT", 0x13, UNSUPPORTED);
        row("IPV6_MTU", 0x18, UNSUPPORTED);
        row("IPV6_MTU_DISCOVER", 0x17, UNSUPPORTED);
        row("IPV6_PMTUDISC_DO", 2, UNSUPPORTED);
        row("IPV6_PMTUDISC_DONT", 0, UNSUPPORTED);
        row("IPV6_PMTUDISC_WANT", 1, UNSUPPORTED);
        row("IPV6_PMTUDISC_PROBE", 3, UNSUPPORTED);
        row("IPV6_PMTUDISC_INTERFACE", 4, UNSUPPORTED);
        row("IPV6_PMTUDISC_OMIT", 5, UNSUPPORTED);
        row("IPV6_FREEBIND", 0x4e, UNSUPPORTED);
        row("IP_MULTICAST_IF", 0x20, 9);
        row("IP_MULTICAST_TTL", 0x21, 10);
        row("IP_MULTICAST_LOOP", 0x22, 11);
        row("IP_ADD_MEMBERSHIP", 0x23, 12);
        row("IP_DROP_MEMBERSHIP", 0x24, 13);
        row("SIZEOF_IP_MREQ", 8, 8);
        row("OFFSETOF_IMR_INTERFACE", 4, 4);
        row("IPV6_MULTICAST_IF", 0x11, 9);
        row("IPV6_MULTICAST_HOPS", 0x12, 10);
        row("IPV6_MULTICAST_LOOP", 0x13, 11);
        row("IPV6_JOIN_GROUP", 0x14, 12);
        row("IPV6_LEAVE_GROUP", 0x15, 13);
        row("SIZEOF_IPV6_MREQ", 20, 20);
        row("OFFSETOF_IPV6MR_INTERFACE", 16, 16);
        row("TCP_INFO", 0xb, 9);
        row("TCP_KEEPIDLE", 4, 3);
        row("TCP_KEEPINTVL", 5, 5);
        row("TCP_KEEPCNT", 6, 6);
        row("TCP_USER_TIMEOUT", 0x12, UNSUPPORTED);
        row("TCP_FASTOPEN", 0x17, UNSUPPORTED);
        row("TCP_DEFER_ACCEPT", 9, UNSUPPORTED);
        row("TCP_TIMESTAMP", 0x18, UNSUPPORTED);
        row("TCP_SAVE_SYN", 0x1b, UNSUPPORTED);
        row("TCP_SAVED_SYN", 0x1c, UNSUPPORTED);
        row("TCP_FASTOPEN_CONNECT", 0x1e, UNSUPPORTED);
        row("TCP_ULP", 0x1f, UNSUPPORTED);
        row("TCP_FASTOPEN_KEY", 0x21, UNSUPPORTED);
        row("TCP_FASTOPEN_NO_COOKIE", 0x22, UNSUPPORTED);
        row("TCP_INQ", 0x24, UNSUPPORTED);
        row("TCP_CM_INQ", 0x24, UNSUPPORTED);
        row("TCP_TX_DELAY", 0x25, UNSUPPORTED);
        row("SOL_MPTCP", 284, UNSUPPORTED);
        row("MPTCP_INFO", 1, UNSUPPORTED);
        row("MPTCP_TCPINFO", 2, UNSUPPORTED);
        row("MPTCP_SUBFLOW_ADDRS", 3, UNSUPPORTED);
        row("MPTCP_INFO_FLAG_FALLBACK", 1, UNSUPPORTED);
        row("MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED", 2, UNSUPPORTED);
        row("TCPI_OPT_TIMESTAMPS", 1, 1);
        row("TCPI_OPT_SACK", 2, 2);
        row("TCPI_OPT_WSCALE", 4, 4);
        row("TCPI_OPT_ECN", 8, 8);
        row("TCPI_OPT_ECN_SEEN", 0x10, UNSUPPORTED);
        row("TCPI_OPT_SYN_DATA", 0x20, UNSUPPORTED);
        row("SO_INCOMING_NAPI_ID", 0x38, UNSUPPORTED);
        row("SO_PREFER_BUSY_POLL", 0x45, UNSUPPORTED);
        row("SO_BUSY_POLL_BUDGET", 0x46, UNSUPPORTED);
        row("SIOCATMARK", 0x8905, 0x40047307);
        row("CLOCK_REALTIME", 0, 0);
        row("CLOCK_MONOTONIC", 1, 3);
        row("CLOCK_TAI", 11, UNSUPPORTED);
        row("CLOCK_MONOTONIC_RAW", 4, UNSUPPORTED);
        row("CLOCK_BOOTTIME", 7, UNSUPPORTED);
        row("CLOCK_PROCESS_CPUTIME_ID", 2, 0x40000000);
        row("CLOCK_THREAD_CPUTIME_ID", 3, 0x20000000);
        row("SO_PASSCRED", 16, UNSUPPORTED);
        row("SO_PEERCRED", 17, UNSUPPORTED);
        row("SO_ACCEPTCONN", 30, 2);
        row("SO_PEEK_OFF", 42, UNSUPPORTED);
        row("SO_BUSY_POLL", 46, UNSUPPORTED);
        row("SO_INCOMING_CPU", 49, UNSUPPORTED);
        row("SO_COOKIE", 57, UNSUPPORTED);
        row("SO_MEMINFO", 55, UNSUPPORTED);
        row("SK_MEMINFO_RMEM_ALLOC", 0, UNSUPPORTED);
        row("SK_MEMINFO_RCVBUF", 1, UNSUPPORTED);
        row("SK_MEMINFO_WMEM_ALLOC", 2, UNSUPPORTED);
        row("SK_MEMINFO_SNDBUF", 3, UNSUPPORTED);
        row("SK_MEMINFO_FWD_ALLOC", 4, UNSUPPORTED);
        row("SK_MEMINFO_WMEM_QUEUED", 5, UNSUPPORTED);
        row("SK_MEMINFO_OPTMEM", 6, UNSUPPORTED);
        row("SK_MEMINFO_BACKLOG", 7, UNSUPPORTED);
        row("SK_MEMINFO_DROPS", 8, UNSUPPORTED);
        row("SK_MEMINFO_VARS", 9, UNSUPPORTED);
        row("SO_MAX_PACING_RATE", 47, UNSUPPORTED);
        row("SO_TXTIME", 61, UNSUPPORTED);
        row("SCM_TXTIME", 61, UNSUPPORTED);
        row("SO_BINDTOIFINDEX", 62, UNSUPPORTED);
        row("SO_RCVBUFFORCE", 33, UNSUPPORTED);
        row("IP_BIND_ADDRESS_NO_PORT", 24, UNSUPPORTED);
        row("IP_RECVORIGDSTADDR", 20, UNSUPPORTED);
        row("IP_ORIGDSTADDR", 20, UNSUPPORTED);
        row("IP_MULTICAST_ALL", 49, UNSUPPORTED);
        row("IP_NODEFRAG", 22, UNSUPPORTED);
        row("IP_UNICAST_IF", 50, UNSUPPORTED);
        row("IP_RECVFRAGSIZE", 25, UNSUPPORTED);
        row("IPV6_DONTFRAG", 62, 62);
        row("IPV6_UNICAST_IF", 76, UNSUPPORTED);
        row("IPV6_RECVORIGDSTADDR", 74, UNSUPPORTED);
        row("IPV6_ORIGDSTADDR", 74, UNSUPPORTED);
        row("TCP_CONGESTION", 13, UNSUPPORTED);
        row("TCP_CC_INFO", 26, UNSUPPORTED);
        row("TCP_WINDOW_CLAMP", 10, UNSUPPORTED);
        row("TCP_SYNCNT", 7, UNSUPPORTED);
        row("TCP_LINGER2", 8, UNSUPPORTED);
        row("TCP_THIN_LINEAR_TIMEOUTS", 16, UNSUPPORTED);
        row("UDP_CORK", 1, UNSUPPORTED);
        // packet headers' values (ps_constants_ipheader.c)
        row("IPTOS_ECN_MASK", 3, 3);
        row("IPTOS_ECN_NOT_ECT", 0, 0);
        row("IPTOS_ECN_ECT1", 1, 1);
        row("IPTOS_ECN_ECT0", 2, 2);
        row("IPTOS_ECN_CE", 3, 3);
        row("IPTOS_LOWDELAY", 0x10, 0x10);
        row("IPTOS_THROUGHPUT", 8, 8);
        row("IPTOS_RELIABILITY", 4, 4);
        row("IPTOS_MINCOST", 2, 2);
        row("ICMP_ECHOREPLY", 0, 0);
        row("ICMP_ECHO", 8, 8);
        row("ICMP_DEST_UNREACH", 3, 3);
        row("ICMP_TIME_EXCEEDED", 0xb, 0xb);
        row("ICMP_PORT_UNREACH", 3, 3);
        row("ICMP_FRAG_NEEDED", 4, 4);
        row("ICMP6_DST_UNREACH", 1, 1);
        row("ICMP6_PACKET_TOO_BIG", 2, 2);
        row("ICMP6_TIME_EXCEEDED", 3, 3);
        row("ICMP6_ECHO_REQUEST", 0x80, 0x80);
        row("ICMP6_ECHO_REPLY", 0x81, 0x81);
        row("ICMP6_DST_UNREACH_NOPORT", 4, 4);
        row("IPPROTO_UDPLITE", 0x88, UNSUPPORTED);
        row("IPPROTO_MPTCP", 262, UNSUPPORTED);
        // raw sockets (ps_constants_raw.c)
        row("IPPROTO_ICMP", 1, 1);
        row("IPPROTO_ICMPV6", 0x3a, 0x3a);
        row("IPPROTO_RAW", 0xff, 0xff);
        row("SOL_RAW", 0xff, UNSUPPORTED);
        row("SOL_ICMPV6", 0x3a, UNSUPPORTED);
        row("ICMP_FILTER", 1, UNSUPPORTED);
        row("ICMP6_FILTER", 1, 0x12);
        row("SIZEOF_ICMP6_FILTER", 0x20, 0x20);
        row("IP_HDRINCL", 3, 2);
        row("IP_OPTIONS", 4, 1);
        row("IP_RECVOPTS", 6, 5);
        row("IP_RETOPTS", 7, 8);
        row("IPV6_CHECKSUM", 7, 0x1a);
        row("IPV6_HDRINCL", 0x24, UNSUPPORTED);
        row("IPV6_RECVPATHMTU", 0x3c, 0x2b);
        row("IPV6_PATHMTU", 0x3d, 0x2c);
        row("SIZEOF_IP6_MTUINFO", 32, 32);
        row("OFFSETOF_IP6M_MTU", 28, 28);
        row("SIOCGSTAMP", 0x8906, UNSUPPORTED);
        row("SIOCGSTAMPNS", 0x8907, UNSUPPORTED);
        row("SO_PEERSEC", 31, UNSUPPORTED);
        row("SO_PASSSEC", 34, UNSUPPORTED);
        row("SO_PEERGROUPS", 59, UNSUPPORTED);
        row("TCP_ZEROCOPY_RECEIVE", 0x23, UNSUPPORTED);
        row("IP_MSFILTER", 0x29, UNSUPPORTED);
        row("MCAST_MSFILTER", 0x30, UNSUPPORTED);
        row("TCP_ESTABLISHED", 1, UNSUPPORTED);
        row("TCP_SYN_SENT", 2, UNSUPPORTED);
        row("TCP_SYN_RECV", 3, UNSUPPORTED);
        row("TCP_FIN_WAIT1", 4, UNSUPPORTED);
        row("TCP_FIN_WAIT2", 5, UNSUPPORTED);
        row("TCP_TIME_WAIT", 6, UNSUPPORTED);
        row("TCP_CLOSE", 7, UNSUPPORTED);
        row("TCP_CLOSE_WAIT", 8, UNSUPPORTED);
        row("TCP_LAST_ACK", 9, UNSUPPORTED);
        row("TCP_LISTEN", 10, UNSUPPORTED);
        row("TCP_CLOSING", 11, UNSUPPORTED);
        row("OFFSETOF_SA_FAMILY", 0, 1);
        row("SIZEOF_SA_FAMILY", 2, 1);
        row("OFFSETOF_SIN_PORT", 2, 2);
        row("OFFSETOF_SIN6_PORT", 2, 2);
        row("OFFSETOF_SIN_ADDR", 4, 4);
        row("OFFSETOF_SIN6_ADDR", 8, 8);
        row("OFFSETOF_SIN6_SCOPE_ID", 24, 24);
        row("SIZEOF_UCRED", 12, UNSUPPORTED);
        row("OFFSETOF_UCRED_PID", 0, UNSUPPORTED);
        row("OFFSETOF_UCRED_UID", 4, UNSUPPORTED);
        row("OFFSETOF_UCRED_GID", 8, UNSUPPORTED);
        row("SIZEOF_LINGER", 8, 8);
        row("OFFSETOF_LINGER_ONOFF", 0, 0);
        row("OFFSETOF_LINGER_LINGER", 4, 4);
        row("SIZEOF_TIMEVAL", 16, 16);
        row("SIZEOF_TV_SEC", 8, 8);
        row("SIZEOF_TV_USEC", 8, 4);
        row("OFFSETOF_TIMEVAL_SEC", 0, 0);
        row("OFFSETOF_TIMEVAL_USEC", 8, 8);
        row("SIZEOF_TIMESPEC", 16, 16);
        row("OFFSETOF_TIMESPEC_SEC", 0, 0);
        row("OFFSETOF_TIMESPEC_NSEC", 8, 8);
        // netlink (ps_constants_netlink.c; Linux only: NetBSD's routing socket is another family)
        row("AF_NETLINK", 16, UNSUPPORTED);
        row("SOL_NETLINK", 270, UNSUPPORTED);
        row("NETLINK_ROUTE", 0, UNSUPPORTED);
        row("NETLINK_SOCK_DIAG", 4, UNSUPPORTED);
        row("NETLINK_ADD_MEMBERSHIP", 1, UNSUPPORTED);
        row("NETLINK_DROP_MEMBERSHIP", 2, UNSUPPORTED);
        row("NETLINK_PKTINFO", 3, UNSUPPORTED);
        row("NETLINK_BROADCAST_ERROR", 4, UNSUPPORTED);
        row("NETLINK_NO_ENOBUFS", 5, UNSUPPORTED);
        row("NETLINK_LIST_MEMBERSHIPS", 9, UNSUPPORTED);
        row("NETLINK_CAP_ACK", 10, UNSUPPORTED);
        row("NETLINK_EXT_ACK", 11, UNSUPPORTED);
        row("NETLINK_GET_STRICT_CHK", 12, UNSUPPORTED);
        row("SIZEOF_SOCKADDR_NL", 12, UNSUPPORTED);
        row("OFFSETOF_SOCKADDR_NL_PID", 4, UNSUPPORTED);
        row("OFFSETOF_SOCKADDR_NL_GROUPS", 8, UNSUPPORTED);
        row("SIZEOF_NLATTR", 4, UNSUPPORTED);
        row("OFFSETOF_NLA_LEN", 0, UNSUPPORTED);
        row("OFFSETOF_NLA_TYPE", 2, UNSUPPORTED);
        row("NLA_ALIGNTO", 4, UNSUPPORTED);
        row("NLA_HDRLEN", 4, UNSUPPORTED);
        row("NLA_TYPE_MASK", ~0xc000, UNSUPPORTED);
        row("NLA_F_NESTED", 0x8000, UNSUPPORTED);
        row("NLA_F_NET_BYTEORDER", 0x4000, UNSUPPORTED);
        row("TCP_NLA_PAD", 0, UNSUPPORTED);
        row("TCP_NLA_BUSY", 1, UNSUPPORTED);
        row("TCP_NLA_RWND_LIMITED", 2, UNSUPPORTED);
        row("TCP_NLA_SNDBUF_LIMITED", 3, UNSUPPORTED);
        row("TCP_NLA_DATA_SEGS_OUT", 4, UNSUPPORTED);
        row("TCP_NLA_TOTAL_RETRANS", 5, UNSUPPORTED);
        row("TCP_NLA_PACING_RATE", 6, UNSUPPORTED);
        row("TCP_NLA_DELIVERY_RATE", 7, UNSUPPORTED);
        row("TCP_NLA_SND_CWND", 8, UNSUPPORTED);
        row("TCP_NLA_REORDERING", 9, UNSUPPORTED);
        row("TCP_NLA_MIN_RTT", 10, UNSUPPORTED);
        row("TCP_NLA_RECUR_RETRANS", 11, UNSUPPORTED);
        row("TCP_NLA_DELIVERY_RATE_APP_LMT", 12, UNSUPPORTED);
        row("TCP_NLA_SNDQ_SIZE", 13, UNSUPPORTED);
        row("TCP_NLA_CA_STATE", 14, UNSUPPORTED);
        row("TCP_NLA_SND_SSTHRESH", 15, UNSUPPORTED);
        row("TCP_NLA_DELIVERED", 16, UNSUPPORTED);
        row("TCP_NLA_DELIVERED_CE", 17, UNSUPPORTED);
        row("TCP_NLA_BYTES_SENT", 18, UNSUPPORTED);
        row("TCP_NLA_BYTES_RETRANS", 19, UNSUPPORTED);
        row("TCP_NLA_DSACK_DUPS", 20, UNSUPPORTED);
        row("TCP_NLA_REORD_SEEN", 21, UNSUPPORTED);
        row("TCP_NLA_SRTT", 22, UNSUPPORTED);
        row("TCP_NLA_TIMEOUT_REHASH", 23, UNSUPPORTED);
        row("TCP_NLA_BYTES_NOTSENT", 24, UNSUPPORTED);
        row("TCP_NLA_EDT", 25, UNSUPPORTED);
        row("TCP_NLA_TTL", 26, UNSUPPORTED);
        // packet sockets (ps_constants_packet.c; Linux only: NetBSD reaches the link layer through BPF devices)
        row("AF_PACKET", 17, UNSUPPORTED);
        row("SOL_PACKET", 0x107, UNSUPPORTED);
        row("ETH_P_ALL", 3, UNSUPPORTED);
        row("ETH_P_IP", 0x800, UNSUPPORTED);
        row("ETH_P_IPV6", 0x86dd, UNSUPPORTED);
        row("ETH_P_802_EX1", 0x88b5, UNSUPPORTED);
        row("PACKET_HOST", 0, UNSUPPORTED);
        row("PACKET_BROADCAST", 1, UNSUPPORTED);
        row("PACKET_MULTICAST", 2, UNSUPPORTED);
        row("PACKET_OTHERHOST", 3, UNSUPPORTED);
        row("PACKET_OUTGOING", 4, UNSUPPORTED);
        row("PACKET_ADD_MEMBERSHIP", 1, UNSUPPORTED);
        row("PACKET_DROP_MEMBERSHIP", 2, UNSUPPORTED);
        row("PACKET_MR_MULTICAST", 0, UNSUPPORTED);
        row("PACKET_MR_PROMISC", 1, UNSUPPORTED);
        row("PACKET_MR_ALLMULTI", 2, UNSUPPORTED);
        row("PACKET_STATISTICS", 6, UNSUPPORTED);
        row("PACKET_AUXDATA", 8, UNSUPPORTED);
        row("PACKET_TX_TIMESTAMP", 16, UNSUPPORTED);
        row("PACKET_TIMESTAMP", 17, UNSUPPORTED);
        row("PACKET_FANOUT", 18, UNSUPPORTED);
        row("PACKET_QDISC_BYPASS", 20, UNSUPPORTED);
        row("PACKET_FANOUT_DATA", 22, UNSUPPORTED);
        row("PACKET_IGNORE_OUTGOING", 23, UNSUPPORTED);
        row("SIZEOF_SOCKADDR_LL", 20, UNSUPPORTED);
        row("OFFSETOF_SLL_PROTOCOL", 2, UNSUPPORTED);
        row("OFFSETOF_SLL_IFINDEX", 4, UNSUPPORTED);
        row("OFFSETOF_SLL_HATYPE", 8, UNSUPPORTED);
        row("OFFSETOF_SLL_PKTTYPE", 10, UNSUPPORTED);
        row("OFFSETOF_SLL_HALEN", 11, UNSUPPORTED);
        row("OFFSETOF_SLL_ADDR", 12, UNSUPPORTED);
        row("SIZEOF_SLL_ADDR", 8, UNSUPPORTED);
        row("SIZEOF_PACKET_MREQ", 16, UNSUPPORTED);
        row("OFFSETOF_MR_IFINDEX", 0, UNSUPPORTED);
        row("OFFSETOF_MR_TYPE", 4, UNSUPPORTED);
        row("OFFSETOF_MR_ALEN", 6, UNSUPPORTED);
        row("OFFSETOF_MR_ADDRESS", 8, UNSUPPORTED);
        row("SIZEOF_MR_ADDRESS", 8, UNSUPPORTED);
        // the error queue and struct sock_extended_err (Linux; NetBSD has no error queue)
        row("IPV6_RECVERR", 0x19, UNSUPPORTED);
        row("SO_EE_ORIGIN_NONE", 0, UNSUPPORTED);
        row("SO_EE_ORIGIN_LOCAL", 1, UNSUPPORTED);
        row("SO_EE_ORIGIN_ICMP", 2, UNSUPPORTED);
        row("SO_EE_ORIGIN_ICMP6", 3, UNSUPPORTED);
        row("SO_EE_ORIGIN_TXSTATUS", 4, UNSUPPORTED);
        row("SO_EE_ORIGIN_ZEROCOPY", 5, UNSUPPORTED);
        row("SO_EE_ORIGIN_TXTIME", 6, UNSUPPORTED);
        row("SO_EE_ORIGIN_TIMESTAMPING", 4, UNSUPPORTED);
        row("SO_EE_CODE_ZEROCOPY_COPIED", 1, UNSUPPORTED);
        row("SO_EE_CODE_TXTIME_INVALID_PARAM", 1, UNSUPPORTED);
        row("SO_EE_CODE_TXTIME_MISSED", 2, UNSUPPORTED);
        row("SIZEOF_SOCK_EXTENDED_ERR", 16, UNSUPPORTED);
        row("OFFSETOF_EE_ERRNO", 0, UNSUPPORTED);
        row("OFFSETOF_EE_ORIGIN", 4, UNSUPPORTED);
        row("OFFSETOF_EE_TYPE", 5, UNSUPPORTED);
        row("OFFSETOF_EE_CODE", 6, UNSUPPORTED);
        row("OFFSETOF_EE_INFO", 8, UNSUPPORTED);
        row("OFFSETOF_EE_DATA", 12, UNSUPPORTED);
        row("SO_TIMESTAMPING", 0x25, UNSUPPORTED);
        row("SCM_TIMESTAMPING", 0x25, UNSUPPORTED);
        row("SCM_TIMESTAMPING_OPT_STATS", 54, UNSUPPORTED);
        row("SCM_TIMESTAMPING_PKTINFO", 58, UNSUPPORTED);
        row("SCM_TIMESTAMPNS", 0x23, UNSUPPORTED);
        row("SCM_TSTAMP_SND", 0, UNSUPPORTED);
        row("SCM_TSTAMP_SCHED", 1, UNSUPPORTED);
        row("SCM_TSTAMP_ACK", 2, UNSUPPORTED);
        row("SOF_TIMESTAMPING_TX_SOFTWARE", 2, UNSUPPORTED);
        row("SOF_TIMESTAMPING_RX_SOFTWARE", 8, UNSUPPORTED);
        row("SOF_TIMESTAMPING_SOFTWARE", 0x10, UNSUPPORTED);
        row("SOF_TIMESTAMPING_OPT_ID", 0x80, UNSUPPORTED);
        row("SOF_TIMESTAMPING_TX_SCHED", 0x100, UNSUPPORTED);
        row("SOF_TIMESTAMPING_TX_ACK", 0x200, UNSUPPORTED);
        row("SOF_TIMESTAMPING_OPT_CMSG", 0x400, UNSUPPORTED);
        row("SOF_TXTIME_DEADLINE_MODE", 1, UNSUPPORTED);
        row("SOF_TXTIME_REPORT_ERRORS", 2, UNSUPPORTED);
        row("SIZEOF_SOCK_TXTIME", 8, UNSUPPORTED);
        row("OFFSETOF_SOCK_TXTIME_CLOCKID", 0, UNSUPPORTED);
        row("OFFSETOF_SOCK_TXTIME_FLAGS", 4, UNSUPPORTED);
        row("SOF_TIMESTAMPING_OPT_TSONLY", 0x800, UNSUPPORTED);
        row("SOF_TIMESTAMPING_TX_HARDWARE", 1, UNSUPPORTED);
        row("SOF_TIMESTAMPING_RX_HARDWARE", 4, UNSUPPORTED);
        row("SOF_TIMESTAMPING_RAW_HARDWARE", 0x40, UNSUPPORTED);
        row("SOF_TIMESTAMPING_OPT_STATS", 0x1000, UNSUPPORTED);
        row("SOF_TIMESTAMPING_OPT_PKTINFO", 0x2000, UNSUPPORTED);
        row("SOF_TIMESTAMPING_OPT_TX_SWHW", 0x4000, UNSUPPORTED);
        row("SO_SELECT_ERR_QUEUE", 45, UNSUPPORTED);
        row("SIZEOF_SCM_TIMESTAMPING", 48, UNSUPPORTED);
        // Linux's struct tcp_info (the kernel only ever appends to it); NetBSD's differs and is not read
        // where gcc puts struct tcp_info's bit fields on a little-endian machine (TcpInfo reads them only on one)
        row("BITPOS_TCPI_snd_wscale", 48, UNSUPPORTED);
        row("BITS_TCPI_snd_wscale", 4, UNSUPPORTED);
        row("BITPOS_TCPI_rcv_wscale", 52, UNSUPPORTED);
        row("BITS_TCPI_rcv_wscale", 4, UNSUPPORTED);
        row("BITPOS_TCPI_delivery_rate_app_limited", 56, UNSUPPORTED);
        row("BITS_TCPI_delivery_rate_app_limited", 1, UNSUPPORTED);
        row("BITPOS_TCPI_fastopen_client_fail", 57, UNSUPPORTED);
        row("BITS_TCPI_fastopen_client_fail", 2, UNSUPPORTED);
        row("OFFSETOF_TCPI_state", 0, UNSUPPORTED);
        row("OFFSETOF_TCPI_ca_state", 1, UNSUPPORTED);
        row("OFFSETOF_TCPI_retransmits", 2, UNSUPPORTED);
        row("OFFSETOF_TCPI_probes", 3, UNSUPPORTED);
        row("OFFSETOF_TCPI_backoff", 4, UNSUPPORTED);
        row("OFFSETOF_TCPI_rto", 8, UNSUPPORTED);
        row("OFFSETOF_TCPI_snd_mss", 16, UNSUPPORTED);
        row("OFFSETOF_TCPI_rcv_mss", 20, UNSUPPORTED);
        row("OFFSETOF_TCPI_unacked", 24, UNSUPPORTED);
        row("OFFSETOF_TCPI_lost", 32, UNSUPPORTED);
        row("OFFSETOF_TCPI_retrans", 36, UNSUPPORTED);
        row("OFFSETOF_TCPI_pmtu", 60, UNSUPPORTED);
        row("OFFSETOF_TCPI_rtt", 68, UNSUPPORTED);
        row("OFFSETOF_TCPI_rttvar", 72, UNSUPPORTED);
        row("OFFSETOF_TCPI_snd_ssthresh", 76, UNSUPPORTED);
        row("OFFSETOF_TCPI_snd_cwnd", 80, UNSUPPORTED);
        row("OFFSETOF_TCPI_reordering", 88, UNSUPPORTED);
        row("OFFSETOF_TCPI_total_retrans", 100, UNSUPPORTED);
        row("OFFSETOF_TCPI_bytes_acked", 120, UNSUPPORTED);
        row("OFFSETOF_TCPI_notsent_bytes", 144, UNSUPPORTED);
        row("OFFSETOF_TCPI_min_rtt", 148, UNSUPPORTED);
        row("OFFSETOF_TCPI_delivery_rate", 160, UNSUPPORTED);
        row("OFFSETOF_TCPI_bytes_retrans", 208, UNSUPPORTED);
        row("OFFSETOF_TCPI_dsack_dups", 216, UNSUPPORTED);
        row("OFFSETOF_TCPI_reord_seen", 220, UNSUPPORTED);
        row("OFFSETOF_TCPI_rcv_ooopack", 224, UNSUPPORTED);
        row("OFFSETOF_TCPI_options", 5, UNSUPPORTED);
        row("OFFSETOF_TCPI_ato", 12, UNSUPPORTED);
        row("OFFSETOF_TCPI_sacked", 28, UNSUPPORTED);
        row("OFFSETOF_TCPI_last_data_sent", 44, UNSUPPORTED);
        row("OFFSETOF_TCPI_last_data_recv", 52, UNSUPPORTED);
        row("OFFSETOF_TCPI_last_ack_recv", 56, UNSUPPORTED);
        row("OFFSETOF_TCPI_rcv_ssthresh", 64, UNSUPPORTED);
        row("OFFSETOF_TCPI_advmss", 84, UNSUPPORTED);
        row("OFFSETOF_TCPI_rcv_rtt", 92, UNSUPPORTED);
        row("OFFSETOF_TCPI_rcv_space", 96, UNSUPPORTED);
        row("OFFSETOF_TCPI_pacing_rate", 104, UNSUPPORTED);
        row("OFFSETOF_TCPI_max_pacing_rate", 112, UNSUPPORTED);
        row("OFFSETOF_TCPI_bytes_received", 128, UNSUPPORTED);
        row("OFFSETOF_TCPI_segs_out", 136, UNSUPPORTED);
        row("OFFSETOF_TCPI_segs_in", 140, UNSUPPORTED);
        row("OFFSETOF_TCPI_data_segs_in", 152, UNSUPPORTED);
        row("OFFSETOF_TCPI_data_segs_out", 156, UNSUPPORTED);
        row("OFFSETOF_TCPI_busy_time", 168, UNSUPPORTED);
        row("OFFSETOF_TCPI_rwnd_limited", 176, UNSUPPORTED);
        row("OFFSETOF_TCPI_sndbuf_limited", 184, UNSUPPORTED);
        row("OFFSETOF_TCPI_delivered", 192, UNSUPPORTED);
        row("OFFSETOF_TCPI_delivered_ce", 196, UNSUPPORTED);
        row("OFFSETOF_TCPI_bytes_sent", 200, UNSUPPORTED);
        row("OFFSETOF_TCPI_snd_wnd", 228, UNSUPPORTED);
    }

    private ConstantTable() {
    }

    private static void row(String name, int linux, int netbsd) {
        ROWS.put(name, new int[] {linux, netbsd});
    }

    /** Every constant of the table that {@code os} defines, by name. */
    public static Map<String, Integer> forOs(Os os) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : ROWS.entrySet()) {
            int value = e.getValue()[os.ordinal()];
            if (value != UNSUPPORTED) {
                out.put(e.getKey(), value);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The value on {@code os}, or {@link #UNSUPPORTED}; {@code UNSUPPORTED} also for a name the table does not hold.
     */
    public static int value(String name, Os os) {
        int[] row = ROWS.get(name);
        return row == null ? UNSUPPORTED : row[os.ordinal()];
    }

    /** The names in the table, in order. */
    public static Iterable<String> names() {
        return Collections.unmodifiableSet(ROWS.keySet());
    }
}

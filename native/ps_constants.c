/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * The platform's constants, read from its own compiled headers. Java asks for this table once at load time,
 * uses these values, and its tests check them against the Java tables for Linux and NetBSD. A name the headers
 * do not define is absent here, so Java reports it as unsupported instead of guessing a number.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "io_github_posixsend_internal_jni_JniNative.h"
#include "ps_common.h"
#include "ps_constants.h"

static const ps_constant constants[] = {
    {"PS_ABI_VERSION", PS_ABI_VERSION},
    /* sockets, options, levels and limits */
#ifdef AF_UNSPEC
    PS_C(AF_UNSPEC)
#endif
#ifdef AF_UNIX
    PS_C(AF_UNIX)
#endif
#ifdef AF_INET
    PS_C(AF_INET)
#endif
#ifdef AF_INET6
    PS_C(AF_INET6)
#endif
#ifdef SOCK_STREAM
    PS_C(SOCK_STREAM)
#endif
#ifdef SOCK_DGRAM
    PS_C(SOCK_DGRAM)
#endif
#ifdef SOCK_RAW
    PS_C(SOCK_RAW)
#endif
#ifdef SOCK_SEQPACKET
    PS_C(SOCK_SEQPACKET)
#endif
#ifdef SOCK_NONBLOCK
    PS_C(SOCK_NONBLOCK)
#endif
#ifdef SOCK_CLOEXEC
    PS_C(SOCK_CLOEXEC)
#endif
#ifdef SOL_SOCKET
    PS_C(SOL_SOCKET)
#endif
#ifdef SO_DEBUG
    PS_C(SO_DEBUG)
#endif
#ifdef SO_REUSEADDR
    PS_C(SO_REUSEADDR)
#endif
#ifdef SO_TYPE
    PS_C(SO_TYPE)
#endif
#ifdef SO_ERROR
    PS_C(SO_ERROR)
#endif
#ifdef SO_DONTROUTE
    PS_C(SO_DONTROUTE)
#endif
#ifdef SO_BROADCAST
    PS_C(SO_BROADCAST)
#endif
#ifdef SO_SNDBUF
    PS_C(SO_SNDBUF)
#endif
#ifdef SO_RCVBUF
    PS_C(SO_RCVBUF)
#endif
#ifdef SO_KEEPALIVE
    PS_C(SO_KEEPALIVE)
#endif
#ifdef SO_OOBINLINE
    PS_C(SO_OOBINLINE)
#endif
#ifdef SO_LINGER
    PS_C(SO_LINGER)
#endif
#ifdef SO_REUSEPORT
    PS_C(SO_REUSEPORT)
#endif
#ifdef SO_RCVLOWAT
    PS_C(SO_RCVLOWAT)
#endif
#ifdef SO_SNDLOWAT
    PS_C(SO_SNDLOWAT)
#endif
#ifdef SO_TIMESTAMP
    PS_C(SO_TIMESTAMP)
#endif
#ifdef SCM_TIMESTAMP
    PS_C(SCM_TIMESTAMP)
#endif
#ifdef SO_SNDBUFFORCE
    PS_C(SO_SNDBUFFORCE)
#endif
#ifdef SO_PROTOCOL
    PS_C(SO_PROTOCOL)
#endif
#ifdef SO_DOMAIN
    PS_C(SO_DOMAIN)
#endif
#ifdef SO_SELECT_ERR_QUEUE
    PS_C(SO_SELECT_ERR_QUEUE)
#endif
#ifdef SO_ZEROCOPY
    PS_C(SO_ZEROCOPY)
#endif
#ifdef SO_NOSIGPIPE
    PS_C(SO_NOSIGPIPE)
#endif
#ifdef IPPROTO_IP
    PS_C(IPPROTO_IP)
#endif
#ifdef IPPROTO_TCP
    PS_C(IPPROTO_TCP)
#endif
#ifdef IPPROTO_UDP
    PS_C(IPPROTO_UDP)
#endif
#ifdef IPPROTO_UDPLITE
    PS_C(IPPROTO_UDPLITE)
#endif
#ifdef IPPROTO_MPTCP
    PS_C(IPPROTO_MPTCP)
#endif
#ifdef IPPROTO_IPV6
    PS_C(IPPROTO_IPV6)
#endif
#ifdef SOL_UDP
    PS_C(SOL_UDP)
#endif
    /* Linux's other names of the levels IPPROTO_IP, IPPROTO_TCP and IPPROTO_IPV6, as ported code writes them */
#ifdef SOL_IP
    PS_C(SOL_IP)
#endif
#ifdef SOL_TCP
    PS_C(SOL_TCP)
#endif
#ifdef SOL_IPV6
    PS_C(SOL_IPV6)
#endif
#ifdef TCP_NODELAY
    PS_C(TCP_NODELAY)
#endif
#ifdef TCP_MAXSEG
    PS_C(TCP_MAXSEG)
#endif
#ifdef TCP_CORK
    PS_C(TCP_CORK)
#endif
#ifdef TCP_QUICKACK
    PS_C(TCP_QUICKACK)
#endif
#ifdef TCP_NOTSENT_LOWAT
    PS_C(TCP_NOTSENT_LOWAT)
#endif
#ifdef IP_TOS
    PS_C(IP_TOS)
#endif
#ifdef IP_TTL
    PS_C(IP_TTL)
#endif
#ifdef IP_PKTINFO
    PS_C(IP_PKTINFO)
#endif
#ifdef IP_RECVPKTINFO
    PS_C(IP_RECVPKTINFO)
#endif
#ifdef IP_RECVTOS
    PS_C(IP_RECVTOS)
#endif
#ifdef IP_RECVTTL
    PS_C(IP_RECVTTL)
#endif
#ifdef IP_MTU_DISCOVER
    PS_C(IP_MTU_DISCOVER)
#endif
#ifdef IP_PMTUDISC_DO
    PS_C(IP_PMTUDISC_DO)
#endif
#ifdef IP_PMTUDISC_DONT
    PS_C(IP_PMTUDISC_DONT)
#endif
#ifdef IP_PMTUDISC_WANT
    PS_C(IP_PMTUDISC_WANT)
#endif
#ifdef IP_PMTUDISC_PROBE
    PS_C(IP_PMTUDISC_PROBE)
#endif
#ifdef IP_PMTUDISC_INTERFACE
    PS_C(IP_PMTUDISC_INTERFACE)
#endif
#ifdef IP_PMTUDISC_OMIT
    PS_C(IP_PMTUDISC_OMIT)
#endif
#ifdef IP_RECVERR
    PS_C(IP_RECVERR)
#endif
#ifdef IP_RECVERR_RFC4884
    PS_C(IP_RECVERR_RFC4884)
#endif
#ifdef IPV6_UNICAST_HOPS
    PS_C(IPV6_UNICAST_HOPS)
#endif
#ifdef IPV6_V6ONLY
    PS_C(IPV6_V6ONLY)
#endif
#ifdef IPV6_RECVPKTINFO
    PS_C(IPV6_RECVPKTINFO)
#endif
#ifdef IPV6_PKTINFO
    PS_C(IPV6_PKTINFO)
#endif
#ifdef IPV6_RECVHOPLIMIT
    PS_C(IPV6_RECVHOPLIMIT)
#endif
#ifdef IPV6_HOPLIMIT
    PS_C(IPV6_HOPLIMIT)
#endif
#ifdef IPV6_RECVTCLASS
    PS_C(IPV6_RECVTCLASS)
#endif
#ifdef IPV6_TCLASS
    PS_C(IPV6_TCLASS)
#endif
#ifdef UDP_SEGMENT
    PS_C(UDP_SEGMENT)
#endif
#ifdef UDP_GRO
    PS_C(UDP_GRO)
#endif
#ifdef SCM_RIGHTS
    PS_C(SCM_RIGHTS)
#endif
#ifdef SCM_CREDENTIALS
    PS_C(SCM_CREDENTIALS)
#endif
#ifdef SHUT_RD
    PS_C(SHUT_RD)
#endif
#ifdef SHUT_WR
    PS_C(SHUT_WR)
#endif
#ifdef SHUT_RDWR
    PS_C(SHUT_RDWR)
#endif
#ifdef SOMAXCONN
    PS_C(SOMAXCONN)
#endif
#ifdef IOV_MAX
    PS_C(IOV_MAX)
#endif
#ifdef O_NONBLOCK
    PS_C(O_NONBLOCK)
#endif
#ifdef F_GETFL
    PS_C(F_GETFL)
#endif
#ifdef F_SETFL
    PS_C(F_SETFL)
#endif
#ifdef O_CLOEXEC
    PS_C(O_CLOEXEC)
#endif
#ifdef F_GETFD
    PS_C(F_GETFD)
#endif
#ifdef F_SETFD
    PS_C(F_SETFD)
#endif
#ifdef FD_CLOEXEC
    PS_C(FD_CLOEXEC)
#endif
    /* MSG_* flags */
#ifdef MSG_OOB
    PS_C(MSG_OOB)
#endif
#ifdef MSG_PEEK
    PS_C(MSG_PEEK)
#endif
#ifdef MSG_DONTROUTE
    PS_C(MSG_DONTROUTE)
#endif
#ifdef MSG_CTRUNC
    PS_C(MSG_CTRUNC)
#endif
#ifdef MSG_PROXY
    PS_C(MSG_PROXY)
#endif
#ifdef MSG_TRUNC
    PS_C(MSG_TRUNC)
#endif
#ifdef MSG_DONTWAIT
    PS_C(MSG_DONTWAIT)
#endif
#ifdef MSG_EOR
    PS_C(MSG_EOR)
#endif
#ifdef MSG_WAITALL
    PS_C(MSG_WAITALL)
#endif
#ifdef MSG_BCAST
    PS_C(MSG_BCAST)
#endif
#ifdef MSG_MCAST
    PS_C(MSG_MCAST)
#endif
#ifdef MSG_FIN
    PS_C(MSG_FIN)
#endif
#ifdef MSG_SYN
    PS_C(MSG_SYN)
#endif
#ifdef MSG_CONFIRM
    PS_C(MSG_CONFIRM)
#endif
#ifdef MSG_RST
    PS_C(MSG_RST)
#endif
#ifdef MSG_ERRQUEUE
    PS_C(MSG_ERRQUEUE)
#endif
#ifdef MSG_NOSIGNAL
    PS_C(MSG_NOSIGNAL)
#endif
#ifdef MSG_NOTIFICATION
    PS_C(MSG_NOTIFICATION)
#endif
#ifdef MSG_MORE
    PS_C(MSG_MORE)
#endif
#ifdef MSG_WAITFORONE
    PS_C(MSG_WAITFORONE)
#endif
#ifdef MSG_BATCH
    PS_C(MSG_BATCH)
#endif
#ifdef MSG_ZEROCOPY
    PS_C(MSG_ZEROCOPY)
#endif
#ifdef MSG_FASTOPEN
    PS_C(MSG_FASTOPEN)
#endif
#ifdef MSG_CMSG_CLOEXEC
    PS_C(MSG_CMSG_CLOEXEC)
#endif
#ifdef MSG_NBIO
    PS_C(MSG_NBIO)
#endif
    /* errno values */
#ifdef EPERM
    PS_C(EPERM)
#endif
#ifdef ENOENT
    PS_C(ENOENT)
#endif
#ifdef ESRCH
    PS_C(ESRCH)
#endif
#ifdef EINTR
    PS_C(EINTR)
#endif
#ifdef EIO
    PS_C(EIO)
#endif
#ifdef ENXIO
    PS_C(ENXIO)
#endif
#ifdef E2BIG
    PS_C(E2BIG)
#endif
#ifdef ENOEXEC
    PS_C(ENOEXEC)
#endif
#ifdef EBADF
    PS_C(EBADF)
#endif
#ifdef ECHILD
    PS_C(ECHILD)
#endif
#ifdef EAGAIN
    PS_C(EAGAIN)
#endif
#ifdef EWOULDBLOCK
    PS_C(EWOULDBLOCK)
#endif
#ifdef ENOMEM
    PS_C(ENOMEM)
#endif
#ifdef EACCES
    PS_C(EACCES)
#endif
#ifdef EFAULT
    PS_C(EFAULT)
#endif
#ifdef ENOTBLK
    PS_C(ENOTBLK)
#endif
#ifdef EBUSY
    PS_C(EBUSY)
#endif
#ifdef EEXIST
    PS_C(EEXIST)
#endif
#ifdef EXDEV
    PS_C(EXDEV)
#endif
#ifdef ENODEV
    PS_C(ENODEV)
#endif
#ifdef ENOTDIR
    PS_C(ENOTDIR)
#endif
#ifdef EISDIR
    PS_C(EISDIR)
#endif
#ifdef EINVAL
    PS_C(EINVAL)
#endif
#ifdef ENFILE
    PS_C(ENFILE)
#endif
#ifdef EMFILE
    PS_C(EMFILE)
#endif
#ifdef ENOTTY
    PS_C(ENOTTY)
#endif
#ifdef ETXTBSY
    PS_C(ETXTBSY)
#endif
#ifdef EFBIG
    PS_C(EFBIG)
#endif
#ifdef ENOSPC
    PS_C(ENOSPC)
#endif
#ifdef ESPIPE
    PS_C(ESPIPE)
#endif
#ifdef EROFS
    PS_C(EROFS)
#endif
#ifdef EMLINK
    PS_C(EMLINK)
#endif
#ifdef EPIPE
    PS_C(EPIPE)
#endif
#ifdef EDOM
    PS_C(EDOM)
#endif
#ifdef ERANGE
    PS_C(ERANGE)
#endif
#ifdef EDEADLK
    PS_C(EDEADLK)
#endif
#ifdef EDEADLOCK
    PS_C(EDEADLOCK)
#endif
#ifdef ENAMETOOLONG
    PS_C(ENAMETOOLONG)
#endif
#ifdef ENOLCK
    PS_C(ENOLCK)
#endif
#ifdef ENOSYS
    PS_C(ENOSYS)
#endif
#ifdef ENOTEMPTY
    PS_C(ENOTEMPTY)
#endif
#ifdef ELOOP
    PS_C(ELOOP)
#endif
#ifdef ENOMSG
    PS_C(ENOMSG)
#endif
#ifdef EIDRM
    PS_C(EIDRM)
#endif
#ifdef ECHRNG
    PS_C(ECHRNG)
#endif
#ifdef EL2NSYNC
    PS_C(EL2NSYNC)
#endif
#ifdef EL3HLT
    PS_C(EL3HLT)
#endif
#ifdef EL3RST
    PS_C(EL3RST)
#endif
#ifdef ELNRNG
    PS_C(ELNRNG)
#endif
#ifdef EUNATCH
    PS_C(EUNATCH)
#endif
#ifdef ENOCSI
    PS_C(ENOCSI)
#endif
#ifdef EL2HLT
    PS_C(EL2HLT)
#endif
#ifdef EBADE
    PS_C(EBADE)
#endif
#ifdef EBADR
    PS_C(EBADR)
#endif
#ifdef EXFULL
    PS_C(EXFULL)
#endif
#ifdef ENOANO
    PS_C(ENOANO)
#endif
#ifdef EBADRQC
    PS_C(EBADRQC)
#endif
#ifdef EBADSLT
    PS_C(EBADSLT)
#endif
#ifdef EBFONT
    PS_C(EBFONT)
#endif
#ifdef ENOSTR
    PS_C(ENOSTR)
#endif
#ifdef ENODATA
    PS_C(ENODATA)
#endif
#ifdef ETIME
    PS_C(ETIME)
#endif
#ifdef ENOSR
    PS_C(ENOSR)
#endif
#ifdef ENONET
    PS_C(ENONET)
#endif
#ifdef ENOPKG
    PS_C(ENOPKG)
#endif
#ifdef EREMOTE
    PS_C(EREMOTE)
#endif
#ifdef ENOLINK
    PS_C(ENOLINK)
#endif
#ifdef EADV
    PS_C(EADV)
#endif
#ifdef ESRMNT
    PS_C(ESRMNT)
#endif
#ifdef ECOMM
    PS_C(ECOMM)
#endif
#ifdef EPROTO
    PS_C(EPROTO)
#endif
#ifdef EMULTIHOP
    PS_C(EMULTIHOP)
#endif
#ifdef EDOTDOT
    PS_C(EDOTDOT)
#endif
#ifdef EBADMSG
    PS_C(EBADMSG)
#endif
#ifdef EOVERFLOW
    PS_C(EOVERFLOW)
#endif
#ifdef ENOTUNIQ
    PS_C(ENOTUNIQ)
#endif
#ifdef EBADFD
    PS_C(EBADFD)
#endif
#ifdef EREMCHG
    PS_C(EREMCHG)
#endif
#ifdef ELIBACC
    PS_C(ELIBACC)
#endif
#ifdef ELIBBAD
    PS_C(ELIBBAD)
#endif
#ifdef ELIBSCN
    PS_C(ELIBSCN)
#endif
#ifdef ELIBMAX
    PS_C(ELIBMAX)
#endif
#ifdef ELIBEXEC
    PS_C(ELIBEXEC)
#endif
#ifdef EILSEQ
    PS_C(EILSEQ)
#endif
#ifdef ERESTART
    PS_C(ERESTART)
#endif
#ifdef ESTRPIPE
    PS_C(ESTRPIPE)
#endif
#ifdef EUSERS
    PS_C(EUSERS)
#endif
#ifdef ENOTSOCK
    PS_C(ENOTSOCK)
#endif
#ifdef EDESTADDRREQ
    PS_C(EDESTADDRREQ)
#endif
#ifdef EMSGSIZE
    PS_C(EMSGSIZE)
#endif
#ifdef EPROTOTYPE
    PS_C(EPROTOTYPE)
#endif
#ifdef ENOPROTOOPT
    PS_C(ENOPROTOOPT)
#endif
#ifdef EPROTONOSUPPORT
    PS_C(EPROTONOSUPPORT)
#endif
#ifdef ESOCKTNOSUPPORT
    PS_C(ESOCKTNOSUPPORT)
#endif
#ifdef EOPNOTSUPP
    PS_C(EOPNOTSUPP)
#endif
#ifdef ENOTSUP
    PS_C(ENOTSUP)
#endif
#ifdef EPFNOSUPPORT
    PS_C(EPFNOSUPPORT)
#endif
#ifdef EAFNOSUPPORT
    PS_C(EAFNOSUPPORT)
#endif
#ifdef EADDRINUSE
    PS_C(EADDRINUSE)
#endif
#ifdef EADDRNOTAVAIL
    PS_C(EADDRNOTAVAIL)
#endif
#ifdef ENETDOWN
    PS_C(ENETDOWN)
#endif
#ifdef ENETUNREACH
    PS_C(ENETUNREACH)
#endif
#ifdef ENETRESET
    PS_C(ENETRESET)
#endif
#ifdef ECONNABORTED
    PS_C(ECONNABORTED)
#endif
#ifdef ECONNRESET
    PS_C(ECONNRESET)
#endif
#ifdef ENOBUFS
    PS_C(ENOBUFS)
#endif
#ifdef EISCONN
    PS_C(EISCONN)
#endif
#ifdef ENOTCONN
    PS_C(ENOTCONN)
#endif
#ifdef ESHUTDOWN
    PS_C(ESHUTDOWN)
#endif
#ifdef ETOOMANYREFS
    PS_C(ETOOMANYREFS)
#endif
#ifdef ETIMEDOUT
    PS_C(ETIMEDOUT)
#endif
#ifdef ECONNREFUSED
    PS_C(ECONNREFUSED)
#endif
#ifdef EHOSTDOWN
    PS_C(EHOSTDOWN)
#endif
#ifdef EHOSTUNREACH
    PS_C(EHOSTUNREACH)
#endif
#ifdef EALREADY
    PS_C(EALREADY)
#endif
#ifdef EINPROGRESS
    PS_C(EINPROGRESS)
#endif
#ifdef ESTALE
    PS_C(ESTALE)
#endif
#ifdef EUCLEAN
    PS_C(EUCLEAN)
#endif
#ifdef ENOTNAM
    PS_C(ENOTNAM)
#endif
#ifdef ENAVAIL
    PS_C(ENAVAIL)
#endif
#ifdef EISNAM
    PS_C(EISNAM)
#endif
#ifdef EREMOTEIO
    PS_C(EREMOTEIO)
#endif
#ifdef EDQUOT
    PS_C(EDQUOT)
#endif
#ifdef ENOMEDIUM
    PS_C(ENOMEDIUM)
#endif
#ifdef EMEDIUMTYPE
    PS_C(EMEDIUMTYPE)
#endif
#ifdef ECANCELED
    PS_C(ECANCELED)
#endif
#ifdef ENOKEY
    PS_C(ENOKEY)
#endif
#ifdef EKEYEXPIRED
    PS_C(EKEYEXPIRED)
#endif
#ifdef EKEYREVOKED
    PS_C(EKEYREVOKED)
#endif
#ifdef EKEYREJECTED
    PS_C(EKEYREJECTED)
#endif
#ifdef EOWNERDEAD
    PS_C(EOWNERDEAD)
#endif
#ifdef ENOTRECOVERABLE
    PS_C(ENOTRECOVERABLE)
#endif
#ifdef ERFKILL
    PS_C(ERFKILL)
#endif
#ifdef EHWPOISON
    PS_C(EHWPOISON)
#endif
#ifdef EPROCLIM
    PS_C(EPROCLIM)
#endif
#ifdef EBADRPC
    PS_C(EBADRPC)
#endif
#ifdef ERPCMISMATCH
    PS_C(ERPCMISMATCH)
#endif
#ifdef EPROGUNAVAIL
    PS_C(EPROGUNAVAIL)
#endif
#ifdef EPROGMISMATCH
    PS_C(EPROGMISMATCH)
#endif
#ifdef EPROCUNAVAIL
    PS_C(EPROCUNAVAIL)
#endif
#ifdef EFTYPE
    PS_C(EFTYPE)
#endif
#ifdef EAUTH
    PS_C(EAUTH)
#endif
#ifdef ENEEDAUTH
    PS_C(ENEEDAUTH)
#endif
#ifdef ENOATTR
    PS_C(ENOATTR)
#endif
    /* structure sizes */
    {"SIZEOF_SOCKADDR_STORAGE", (int) sizeof(struct sockaddr_storage)},
    {"SIZEOF_SOCKADDR_IN", (int) sizeof(struct sockaddr_in)},
    {"SIZEOF_SOCKADDR_IN6", (int) sizeof(struct sockaddr_in6)},
    {"SIZEOF_SOCKADDR_UN", (int) sizeof(struct sockaddr_un)},
    {"SIZEOF_SUN_PATH", (int) sizeof(((struct sockaddr_un *) 0)->sun_path)},
    /* message structures: control message sizes for Java, and the JNR layouts are checked against these */
    {"SIZEOF_MSGHDR", (int) sizeof(struct msghdr)},
    {"SIZEOF_MMSGHDR", (int) sizeof(struct mmsghdr)},
    {"SIZEOF_IOVEC", (int) sizeof(struct iovec)},
    {"SIZEOF_CMSGHDR", (int) sizeof(struct cmsghdr)},
    /* field offsets: the FFM backend's MemoryLayouts are checked against these */
    {"OFFSETOF_MSGHDR_NAMELEN", (int) offsetof(struct msghdr, msg_namelen)},
    {"OFFSETOF_MSGHDR_IOV", (int) offsetof(struct msghdr, msg_iov)},
    {"OFFSETOF_MSGHDR_IOVLEN", (int) offsetof(struct msghdr, msg_iovlen)},
    {"OFFSETOF_MSGHDR_CONTROL", (int) offsetof(struct msghdr, msg_control)},
    {"OFFSETOF_MSGHDR_CONTROLLEN", (int) offsetof(struct msghdr, msg_controllen)},
    {"OFFSETOF_MSGHDR_FLAGS", (int) offsetof(struct msghdr, msg_flags)},
    {"OFFSETOF_MMSGHDR_LEN", (int) offsetof(struct mmsghdr, msg_len)},
    {"OFFSETOF_IOVEC_LEN", (int) offsetof(struct iovec, iov_len)},
    {"OFFSETOF_CMSGHDR_LEVEL", (int) offsetof(struct cmsghdr, cmsg_level)},
    {"OFFSETOF_CMSGHDR_TYPE", (int) offsetof(struct cmsghdr, cmsg_type)},
    {"CMSG_LEN_0", (int) CMSG_LEN(0)},
    {"CMSG_SPACE_0", (int) CMSG_SPACE(0)},
    {"CMSG_SPACE_1", (int) CMSG_SPACE(1)},
    {"CMSG_SPACE_INT", (int) CMSG_SPACE(sizeof(int))},
#ifdef IP_PKTINFO
    {"SIZEOF_IN_PKTINFO", (int) sizeof(struct in_pktinfo)},
    {"OFFSETOF_IPI_SPEC_DST", (int) offsetof(struct in_pktinfo, ipi_spec_dst)},
#endif
#ifdef IPV6_PKTINFO
    {"SIZEOF_IN6_PKTINFO", (int) sizeof(struct in6_pktinfo)},
#endif
};

/* A table of constants and its length. */
typedef struct {
    const ps_constant *entries;
    size_t count;
} ps_table;

#define PS_TABLES 10

/*
 * The tables Java reads one after another into one list: this file's, then the porting, tcp_info, error queue,
 * raw-socket, tcp_info bit-field, packet-header, netlink, packet-socket and TCP statistics tables (their lengths are
 * other files' constants, hence a function rather than an initialized array).
 */
static void all_tables(ps_table t[PS_TABLES]) {
    t[0] = (ps_table) {constants, sizeof constants / sizeof constants[0]};
    t[1] = (ps_table) {ps_porting_constants, ps_porting_constant_count};
    t[2] = (ps_table) {ps_tcpinfo_constants, ps_tcpinfo_constant_count};
    t[3] = (ps_table) {ps_errqueue_constants, ps_errqueue_constant_count};
    t[4] = (ps_table) {ps_raw_constants, ps_raw_constant_count};
    t[5] = (ps_table) {ps_tcpinfo_bits, ps_tcpinfo_bit_count};
    t[6] = (ps_table) {ps_ipheader_constants, ps_ipheader_constant_count};
    t[7] = (ps_table) {ps_netlink_constants, ps_netlink_constant_count};
    t[8] = (ps_table) {ps_packet_constants, ps_packet_constant_count};
    t[9] = (ps_table) {ps_tcpstats_constants, ps_tcpstats_constant_count};
}

/* How many constants all the tables hold. */
static jsize constant_count(void) {
    ps_table t[PS_TABLES];
    all_tables(t);
    size_t total = 0;
    for (size_t i = 0; i < PS_TABLES; i++) {
        total += t[i].count;
    }
    return (jsize) total;
}

/* Entry i of the tables read one after another (0 <= i < constant_count()). */
static const ps_constant *constant_at(jsize i) {
    ps_table t[PS_TABLES];
    all_tables(t);
    size_t k = (size_t) i;
    for (size_t j = 0; j < PS_TABLES; j++) {
        if (k < t[j].count) {
            return &t[j].entries[k];
        }
        k -= t[j].count;
    }
    return NULL; /* past the end: the callers stay below constant_count() */
}

JNIEXPORT jobjectArray JNICALL Java_io_github_posixsend_internal_jni_JniNative_constantNames0(JNIEnv *env, jclass cls) {
    (void) cls;
    jclass string = (*env)->FindClass(env, "java/lang/String");
    if (string == NULL) {
        return NULL;
    }
    jsize count = constant_count();
    jobjectArray names = (*env)->NewObjectArray(env, count, string, NULL);
    for (jsize i = 0; names != NULL && i < count; i++) {
        jstring s = (*env)->NewStringUTF(env, constant_at(i)->name);
        if (s == NULL) {
            return NULL; /* OutOfMemoryError is pending */
        }
        (*env)->SetObjectArrayElement(env, names, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return names;
}

JNIEXPORT jintArray JNICALL Java_io_github_posixsend_internal_jni_JniNative_constantValues0(JNIEnv *env, jclass cls) {
    (void) cls;
    jsize count = constant_count();
    jintArray values = (*env)->NewIntArray(env, count);
    for (jsize i = 0; values != NULL && i < count; i++) {
        jint v = constant_at(i)->value;
        (*env)->SetIntArrayRegion(env, values, i, 1, &v);
    }
    return values;
}

JNIEXPORT jstring JNICALL Java_io_github_posixsend_internal_jni_JniNative_strerror0(
        JNIEnv *env, jclass cls, jint errnum) {
    (void) cls;
    char buf[256];
    buf[0] = '\0';
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    const char *text = strerror_r(errnum, buf, sizeof buf); /* the GNU form returns the text */
#else
    const char *text = strerror_r(errnum, buf, sizeof buf) == 0 ? buf : "Unknown error";
#endif
    return (*env)->NewStringUTF(env, text != NULL ? text : "Unknown error");
}

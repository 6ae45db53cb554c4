// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
//
// The C side of SameAsCTest: each case sets up its own descriptors, makes ONE call under test, closes everything,
// and prints one line, "<case> <outcome>". The outcome is the call's count (or the values it hands back, as the
// case says), or the C name of its errno. SameAsCTest makes the same calls through posix-send and compares.
//
//   same_calls --list               the names of every case this program has, one a line
//   same_calls [--in DIR] CASE...   runs the cases named, in that order, with Unix sockets and the file in DIR (an
//                                   empty folder; by default one of its own in /tmp); a name it lacks prints
//                                   "<case> ?unknown"
//
// Loopback, socket pairs, pipes, a temporary folder's Unix sockets and file only: nothing leaves the machine.
// Linux only (strerrorname_np is glibc's, SIOCOUTQ and accept4's flags Linux's). Exit status: 0, 2 when a name was
// unknown, 3 when a setup step failed (the line names it: a case must not compare a broken setup).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

// A descriptor number nothing in the test's processes has open: a closed descriptor whose number no other thread
// can take meanwhile (the JVM's threads open files at any time; a number freshly closed could be reused at once).
#define NOT_OPEN 1000000
// The most bytes of one IPv4 UDP datagram: 65535 less the IP and UDP headers.
#define UDP4_MAX 65507
// A flag bit that accept4 and pipe2 do not know.
#define UNKNOWN_FLAG 0x40000000

static const char *current;  // the running case's name, for setup failures
static char folder[80];      // the temporary folder for Unix sockets and the regular file
static char out[256];        // the running case's outcome
static unsigned char big[UDP4_MAX + 1];

static void setup_failed(const char *what) {
    printf("%s ?setup %s: %s\n", current, what, strerrorname_np(errno) ? strerrorname_np(errno) : "?");
    fflush(stdout);
    exit(3);
}

static int ok(int r, const char *what) {
    if (r < 0) {
        setup_failed(what);
    }
    return r;
}

static const char *errno_name(int e) {
    const char *n = strerrorname_np(e);
    return n ? n : "E?";
}

// The outcome of a call that returns a count: the count, or the errno's name.
static void count(long r, int e) {
    if (r < 0) {
        snprintf(out, sizeof out, "%s", errno_name(e));
    } else {
        snprintf(out, sizeof out, "%ld", r);
    }
}

// A descriptor's mode as the outcome of a call that makes one: blocking or not, close-on-exec or not.
static const char *mode(int fd) {
    int fl = ok(fcntl(fd, F_GETFL), "fcntl F_GETFL");
    int fd_fl = ok(fcntl(fd, F_GETFD), "fcntl F_GETFD");
    static const char *const modes[] = {"blocking", "blocking+cloexec", "nonblocking", "nonblocking+cloexec"};
    return modes[((fl & O_NONBLOCK) ? 2 : 0) + ((fd_fl & FD_CLOEXEC) ? 1 : 0)];
}

// The outcome of a call that makes a descriptor: "fd <mode>" (the number itself differs from process to process),
// or the errno's name. The descriptor is closed.
static void made(int fd, int e) {
    if (fd < 0) {
        snprintf(out, sizeof out, "%s", errno_name(e));
    } else {
        snprintf(out, sizeof out, "fd %s", mode(fd));
        close(fd);
    }
}

// The outcome of a call that returns 0 and hands back a value: "0 <value>", or the errno's name.
static void valued(int r, int e, long value) {
    if (r < 0) {
        snprintf(out, sizeof out, "%s", errno_name(e));
    } else {
        snprintf(out, sizeof out, "%d %ld", r, value);
    }
}

static void loopback4(struct sockaddr_in *a, int port) {
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((unsigned short) port);
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static void loopback6(struct sockaddr_in6 *a, int port) {
    memset(a, 0, sizeof *a);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((unsigned short) port);
    a->sin6_addr = in6addr_loopback;
}

static void unix_path(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    snprintf(a->sun_path, sizeof a->sun_path, "%s/%s", folder, name);
}

static int port_of(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    ok(getsockname(fd, (struct sockaddr *) &ss, &len), "getsockname");
    return ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *) &ss)->sin_port)
            : ntohs(((struct sockaddr_in6 *) &ss)->sin6_port);
}

// A socket of family and type bound to loopback with a port the kernel chooses.
static int bound(int family, int type) {
    int fd = ok(socket(family, type, 0), "socket");
    if (family == AF_INET) {
        struct sockaddr_in a;
        loopback4(&a, 0);
        ok(bind(fd, (struct sockaddr *) &a, sizeof a), "bind");
    } else {
        struct sockaddr_in6 a;
        loopback6(&a, 0);
        ok(bind(fd, (struct sockaddr *) &a, sizeof a), "bind");
    }
    return fd;
}

static void connect4(int fd, int port) {
    struct sockaddr_in a;
    loopback4(&a, port);
    ok(connect(fd, (struct sockaddr *) &a, sizeof a), "connect");
}

// Two IPv4 UDP sockets on loopback, each connected to the other.
static void udp_pair(int p[2]) {
    p[0] = bound(AF_INET, SOCK_DGRAM);
    p[1] = bound(AF_INET, SOCK_DGRAM);
    connect4(p[0], port_of(p[1]));
    connect4(p[1], port_of(p[0]));
}

// A listening IPv4 TCP socket on loopback.
static int listener(int type) {
    int fd = bound(AF_INET, type);
    ok(listen(fd, 8), "listen");
    return fd;
}

// A connected IPv4 TCP pair on loopback: the connecting end, then the accepted one.
static void tcp_pair(int p[2]) {
    int l = listener(SOCK_STREAM);
    p[0] = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    connect4(p[0], port_of(l));
    p[1] = ok(accept(l, NULL, NULL), "accept");
    close(l);
}

static void pair(int type, int p[2]) {
    ok(socketpair(AF_UNIX, type, 0, p), "socketpair");
}

static void put(int fd, size_t n) {
    if (send(fd, big, n, 0) != (ssize_t) n) {
        setup_failed("send");
    }
}

// A regular file in the folder holding "hello", open for reading and writing at its start.
static int regular_file(void) {
    char path[sizeof folder + 16];
    snprintf(path, sizeof path, "%s/file", folder);
    int fd = ok(open(path, O_RDWR | O_CREAT | O_TRUNC, 0600), "open");
    if (write(fd, "hello", 5) != 5) {
        setup_failed("write");
    }
    ok((int) lseek(fd, 0, SEEK_SET), "lseek");
    unlink(path);
    return fd;
}

static void close2(int p[2]) {
    close(p[0]);
    close(p[1]);
}

// The call under test: its result and errno, read at once, before any clean-up can change errno.
#define CALL(expr) (r = (expr), e = errno)

// ---- send, sendto ------------------------------------------------------------------------------------------------

static void send_not_open(void) {
    long r, e;
    CALL(send(NOT_OPEN, big, 4, 0));
    count(r, e);
}

static void send_on_pipe(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    CALL(send(p[1], big, 4, 0));
    close2(p);
    count(r, e);
}

static void send_udp_no_destination(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    CALL(send(fd, big, 4, 0));
    close(fd);
    count(r, e);
}

static void send_udp_zero_length(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    CALL(send(p[0], big, 0, 0));
    close2(p);
    count(r, e);
}

static void send_udp_oob(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    CALL(send(p[0], big, 4, MSG_OOB));
    close2(p);
    count(r, e);
}

static void send_nosignal_peer_closed(void) {
    long r, e;
    int p[2];
    pair(SOCK_STREAM, p);
    close(p[1]);
    CALL(send(p[0], big, 4, MSG_NOSIGNAL));
    close(p[0]);
    count(r, e);
}

static void send_tcp_after_shut_wr(void) {
    long r, e;
    int p[2];
    tcp_pair(p);
    ok(shutdown(p[0], SHUT_WR), "shutdown");
    CALL(send(p[0], big, 4, MSG_NOSIGNAL));
    close2(p);
    count(r, e);
}

static void send_full_nonblocking_pair(void) {
    long r, e;
    int p[2];
    pair(SOCK_STREAM | SOCK_NONBLOCK, p);
    int filled = 0;
    for (int i = 0; i < 100000 && !filled; i++) {
        if (send(p[0], big, 4096, 0) < 0) {
            if (errno != EAGAIN) {
                setup_failed("send");
            }
            filled = 1;
        }
    }
    if (!filled) {
        setup_failed("filling the pair");
    }
    CALL(send(p[0], big, 4096, 0));
    close2(p);
    count(r, e);
}

static void sendto_udp_too_long(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    struct sockaddr_in a;
    loopback4(&a, port_of(fd));
    CALL(sendto(fd, big, UDP4_MAX + 1, 0, (struct sockaddr *) &a, sizeof a));
    close(fd);
    count(r, e);
}

static void sendto_udp_longest(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    struct sockaddr_in a;
    loopback4(&a, port_of(fd));
    CALL(sendto(fd, big, UDP4_MAX, 0, (struct sockaddr *) &a, sizeof a));
    close(fd);
    count(r, e);
}

static void sendto_ipv6_on_ipv4_socket(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    int to = bound(AF_INET6, SOCK_DGRAM);
    struct sockaddr_in6 a;
    loopback6(&a, port_of(to));
    CALL(sendto(fd, big, 4, 0, (struct sockaddr *) &a, sizeof a));
    close(fd);
    close(to);
    count(r, e);
}

static void sendto_ipv4_on_ipv6_socket(void) {
    long r, e;
    int fd = ok(socket(AF_INET6, SOCK_DGRAM, 0), "socket");
    int to = bound(AF_INET, SOCK_DGRAM);
    struct sockaddr_in a;
    loopback4(&a, port_of(to));
    CALL(sendto(fd, big, 4, 0, (struct sockaddr *) &a, sizeof a));
    close(fd);
    close(to);
    count(r, e);
}

static void sendto_unix_missing_path(void) {
    long r, e;
    int fd = ok(socket(AF_UNIX, SOCK_DGRAM, 0), "socket");
    struct sockaddr_un a;
    unix_path(&a, "missing");
    CALL(sendto(fd, big, 4, 0, (struct sockaddr *) &a, sizeof a));
    close(fd);
    count(r, e);
}

static void sendto_tcp_unconnected(void) {
    long r, e;
    int l = listener(SOCK_STREAM);
    int fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    struct sockaddr_in a;
    loopback4(&a, port_of(l));
    CALL(sendto(fd, big, 4, MSG_NOSIGNAL, (struct sockaddr *) &a, sizeof a));
    close(fd);
    close(l);
    count(r, e);
}

static void sendto_tcp_connected(void) {
    long r, e;
    int p[2];
    tcp_pair(p);
    struct sockaddr_in a;
    loopback4(&a, port_of(p[1]));
    CALL(sendto(p[0], big, 4, MSG_NOSIGNAL, (struct sockaddr *) &a, sizeof a));
    close2(p);
    count(r, e);
}

// ---- sendmsg, sendmmsg -------------------------------------------------------------------------------------------

static void sendmsg_gather(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    struct iovec iov[2] = {{big, 3}, {big, 4}};
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
    CALL(sendmsg(p[0], &m, 0));
    close2(p);
    count(r, e);
}

static void sendmsg_no_buffers(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    struct msghdr m = {0};
    CALL(sendmsg(p[0], &m, 0));
    close2(p);
    count(r, e);
}

static void sendmsg_no_destination(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    struct iovec iov = {big, 4};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    CALL(sendmsg(fd, &m, 0));
    close(fd);
    count(r, e);
}

static void sendmsg_ipv6_on_ipv4_socket(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    int to = bound(AF_INET6, SOCK_DGRAM);
    struct sockaddr_in6 a;
    loopback6(&a, port_of(to));
    struct iovec iov = {big, 4};
    struct msghdr m = {.msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &iov, .msg_iovlen = 1};
    CALL(sendmsg(fd, &m, 0));
    close(fd);
    close(to);
    count(r, e);
}

static void sendmsg_too_many_buffers(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    static struct iovec iov[IOV_MAX + 1];
    for (int i = 0; i <= IOV_MAX; i++) {
        iov[i].iov_base = big;
        iov[i].iov_len = 1;
    }
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = IOV_MAX + 1};
    CALL(sendmsg(p[0], &m, 0));
    close2(p);
    count(r, e);
}

static void sendmsg_not_open(void) {
    long r, e;
    struct iovec iov = {big, 4};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    CALL(sendmsg(NOT_OPEN, &m, 0));
    count(r, e);
}

static void sendmmsg_vlen_zero(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    struct iovec iov = {big, 4};
    struct mmsghdr m = {.msg_hdr = {.msg_iov = &iov, .msg_iovlen = 1}};
    CALL(sendmmsg(p[0], &m, 0, 0));
    close2(p);
    count(r, e);
}

static void sendmmsg_vlen_zero_not_open(void) {
    long r, e;
    struct iovec iov = {big, 4};
    struct mmsghdr m = {.msg_hdr = {.msg_iov = &iov, .msg_iovlen = 1}};
    CALL(sendmmsg(NOT_OPEN, &m, 0, 0));
    count(r, e);
}

static void sendmmsg_two(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    struct iovec iov[2] = {{big, 3}, {big, 5}};
    struct mmsghdr m[2] = {{.msg_hdr = {.msg_iov = &iov[0], .msg_iovlen = 1}},
        {.msg_hdr = {.msg_iov = &iov[1], .msg_iovlen = 1}}};
    CALL(sendmmsg(p[0], m, 2, 0));
    close2(p);
    count(r, e);
}

static void sendmmsg_first_too_long(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    struct iovec iov[2] = {{big, UDP4_MAX + 1}, {big, 5}};
    struct mmsghdr m[2] = {{.msg_hdr = {.msg_iov = &iov[0], .msg_iovlen = 1}},
        {.msg_hdr = {.msg_iov = &iov[1], .msg_iovlen = 1}}};
    CALL(sendmmsg(p[0], m, 2, 0));
    close2(p);
    count(r, e);
}

static void sendmmsg_second_too_long(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    struct iovec iov[2] = {{big, 5}, {big, UDP4_MAX + 1}};
    struct mmsghdr m[2] = {{.msg_hdr = {.msg_iov = &iov[0], .msg_iovlen = 1}},
        {.msg_hdr = {.msg_iov = &iov[1], .msg_iovlen = 1}}};
    CALL(sendmmsg(p[0], m, 2, 0));
    close2(p);
    count(r, e);
}

static void sendmmsg_ipv6_on_ipv4_socket(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    int to = bound(AF_INET6, SOCK_DGRAM);
    struct sockaddr_in6 a;
    loopback6(&a, port_of(to));
    struct iovec iov = {big, 4};
    struct mmsghdr m = {.msg_hdr = {.msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &iov, .msg_iovlen = 1}};
    CALL(sendmmsg(fd, &m, 1, 0));
    close(fd);
    close(to);
    count(r, e);
}

// ---- recv, recvfrom, recvmsg, recvmmsg ---------------------------------------------------------------------------

static unsigned char room[4096];

static void recv_empty_dontwait(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    CALL(recv(fd, room, 16, MSG_DONTWAIT));
    close(fd);
    count(r, e);
}

static void recv_tcp_unconnected(void) {
    long r, e;
    int fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    CALL(recv(fd, room, 16, MSG_DONTWAIT));
    close(fd);
    count(r, e);
}

static void recv_trunc_real_length(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    put(p[0], 100);
    CALL(recv(p[1], room, 10, MSG_TRUNC));
    close2(p);
    count(r, e);
}

static void recv_zero_length_datagram(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    put(p[0], 0);
    CALL(recv(p[1], room, 16, MSG_DONTWAIT));
    close2(p);
    count(r, e);
}

static void recv_end_of_stream(void) {
    long r, e;
    int p[2];
    pair(SOCK_STREAM, p);
    ok(shutdown(p[0], SHUT_WR), "shutdown");
    CALL(recv(p[1], room, 16, 0));
    close2(p);
    count(r, e);
}

static void recv_peek(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    put(p[0], 5);
    CALL(recv(p[1], room, 16, MSG_PEEK));
    close2(p);
    count(r, e);
}

static void recvfrom_not_open(void) {
    long r, e;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(recvfrom(NOT_OPEN, room, 16, 0, (struct sockaddr *) &ss, &len));
    count(r, e);
}

static void recvfrom_on_pipe(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(recvfrom(p[0], room, 16, MSG_DONTWAIT, (struct sockaddr *) &ss, &len));
    close2(p);
    count(r, e);
}

static void recvfrom_sender(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    put(p[0], 6);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(recvfrom(p[1], room, 16, 0, (struct sockaddr *) &ss, &len));
    int same = r >= 0 && ss.ss_family == AF_INET && ntohs(((struct sockaddr_in *) &ss)->sin_port) == port_of(p[0]);
    close2(p);
    count(r, e);
    if (r >= 0) {
        snprintf(out, sizeof out, "%ld %s", r, same ? "from-peer" : "from-elsewhere");
    }
}

static void recvmsg_scatter(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    put(p[0], 7);
    struct iovec iov[2] = {{room, 3}, {room + 3, 10}};
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
    CALL(recvmsg(p[1], &m, 0));
    close2(p);
    count(r, e);
}

static void recvmsg_short_buffer(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    put(p[0], 100);
    struct iovec iov = {room, 10};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    CALL(recvmsg(p[1], &m, 0));
    close2(p);
    count(r, e);
    if (r >= 0) {
        snprintf(out, sizeof out, "%ld %s", r, (m.msg_flags & MSG_TRUNC) ? "MSG_TRUNC" : "whole");
    }
}

static void recvmsg_errqueue_empty(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    struct iovec iov = {room, 16};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    CALL(recvmsg(fd, &m, MSG_ERRQUEUE));
    close(fd);
    count(r, e);
}

static void recvmsg_oob_tcp_none(void) {
    long r, e;
    int p[2];
    tcp_pair(p);
    struct iovec iov = {room, 16};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    CALL(recvmsg(p[1], &m, MSG_OOB));
    close2(p);
    count(r, e);
}

// recvmmsg into n messages of 16 bytes each.
static long recvmmsg_n(int fd, unsigned int n, int flags, int *e) {
    struct iovec iov[4];
    struct mmsghdr m[4];
    memset(m, 0, sizeof m);
    for (int i = 0; i < 4; i++) {
        iov[i].iov_base = room + 16 * i;
        iov[i].iov_len = 16;
        m[i].msg_hdr.msg_iov = &iov[i];
        m[i].msg_hdr.msg_iovlen = 1;
    }
    long r = recvmmsg(fd, m, n, flags, NULL);
    *e = errno;
    return r;
}

static void recvmmsg_two_waiting(void) {
    int e;
    int p[2];
    udp_pair(p);
    put(p[0], 3);
    put(p[0], 4);
    long r = recvmmsg_n(p[1], 4, MSG_DONTWAIT, &e);
    close2(p);
    count(r, e);
}

static void recvmmsg_waitforone(void) {
    int e;
    int p[2];
    udp_pair(p);
    put(p[0], 3);
    long r = recvmmsg_n(p[1], 4, MSG_WAITFORONE, &e);
    close2(p);
    count(r, e);
}

static void recvmmsg_empty(void) {
    int e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    long r = recvmmsg_n(fd, 4, MSG_DONTWAIT, &e);
    close(fd);
    count(r, e);
}

static void recvmmsg_vlen_zero(void) {
    int e;
    int p[2];
    udp_pair(p);
    put(p[0], 3);
    long r = recvmmsg_n(p[1], 0, 0, &e);
    close2(p);
    count(r, e);
}

static void recvmmsg_not_open(void) {
    int e;
    long r = recvmmsg_n(NOT_OPEN, 4, MSG_DONTWAIT, &e);
    count(r, e);
}

// ---- read, write -------------------------------------------------------------------------------------------------

static void write_pipe_no_reader(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    close(p[0]);
    CALL(write(p[1], big, 4));
    close(p[1]);
    count(r, e);
}

static void write_read_end(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    CALL(write(p[0], big, 4));
    close2(p);
    count(r, e);
}

static void read_write_end(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    CALL(read(p[1], room, 4));
    close2(p);
    count(r, e);
}

static void read_empty_nonblocking_pipe(void) {
    long r, e;
    int p[2];
    ok(pipe2(p, O_NONBLOCK), "pipe2");
    CALL(read(p[0], room, 4));
    close2(p);
    count(r, e);
}

static void read_pipe_end_of_file(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    close(p[1]);
    CALL(read(p[0], room, 4));
    close(p[0]);
    count(r, e);
}

static void read_regular_file(void) {
    long r, e;
    int fd = regular_file();
    CALL(read(fd, room, 16));
    close(fd);
    count(r, e);
}

static void write_regular_file(void) {
    long r, e;
    int fd = regular_file();
    CALL(write(fd, "world!", 6));
    close(fd);
    count(r, e);
}

static void read_datagram(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    put(p[0], 9);
    CALL(read(p[1], room, 16));
    close2(p);
    count(r, e);
}

static void write_not_open(void) {
    long r, e;
    CALL(write(NOT_OPEN, big, 4));
    count(r, e);
}

// ---- sendfile ----------------------------------------------------------------------------------------------------

// sendfile of the regular file's bytes, from off (NULL: its file position), to pipe end p[end].
static void sendfile_file_to_pipe_end(int end, off_t *off) {
    long r, e;
    int fd = regular_file();
    int p[2];
    ok(pipe(p), "pipe");
    CALL(sendfile(p[end], fd, off, 16));
    close2(p);
    close(fd);
    count(r, e);
}

static void sendfile_file_to_pipe(void) {
    sendfile_file_to_pipe_end(1, NULL);
}

static void sendfile_negative_offset(void) {
    off_t off = -1;
    sendfile_file_to_pipe_end(1, &off);
}

static void sendfile_to_read_end(void) {
    sendfile_file_to_pipe_end(0, NULL);
}

static void sendfile_at_offset_to_tcp(void) {
    long r, e;
    int fd = regular_file();
    int p[2];
    tcp_pair(p);
    off_t off = 1;
    CALL(sendfile(p[0], fd, &off, 16));
    close2(p);
    close(fd);
    count(r, e);
}

// sendfile from a pipe holding 4 bytes (so that a kernel that read pipes would not block), from off, to another.
static void sendfile_pipe_to_pipe(off_t *off) {
    long r, e;
    int p[2];
    int q[2];
    ok(pipe(p), "pipe");
    ok(pipe(q), "pipe");
    if (write(p[1], big, 4) != 4) {
        setup_failed("write");
    }
    CALL(sendfile(q[1], p[0], off, 16));
    close2(p);
    close2(q);
    count(r, e);
}

static void sendfile_from_pipe(void) {
    sendfile_pipe_to_pipe(NULL);
}

static void sendfile_from_pipe_at_offset(void) {
    off_t off = 0;
    sendfile_pipe_to_pipe(&off);
}

static void sendfile_not_open(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    CALL(sendfile(p[1], NOT_OPEN, NULL, 16));
    close2(p);
    count(r, e);
}

// ---- accept, accept4 ---------------------------------------------------------------------------------------------

static void accept_not_listening(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_STREAM);
    CALL(accept(fd, NULL, NULL));
    close(fd);
    made((int) r, (int) e);
}

static void accept_nothing_waiting(void) {
    long r, e;
    int l = listener(SOCK_STREAM | SOCK_NONBLOCK);
    CALL(accept(l, NULL, NULL));
    close(l);
    made((int) r, (int) e);
}

static void accept_on_udp(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    CALL(accept(fd, NULL, NULL));
    close(fd);
    made((int) r, (int) e);
}

static void accept4_unknown_flag(void) {
    long r, e;
    int l = listener(SOCK_STREAM | SOCK_NONBLOCK);
    CALL(accept4(l, NULL, NULL, UNKNOWN_FLAG));
    close(l);
    made((int) r, (int) e);
}

static void accept_waiting(void) {
    long r, e;
    int l = listener(SOCK_STREAM | SOCK_NONBLOCK);
    int c = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    connect4(c, port_of(l));
    CALL(accept(l, NULL, NULL));
    close(c);
    close(l);
    made((int) r, (int) e);
}

static void accept4_nonblock_cloexec(void) {
    long r, e;
    int l = listener(SOCK_STREAM);
    int c = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    connect4(c, port_of(l));
    CALL(accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC));
    close(c);
    close(l);
    made((int) r, (int) e);
}

static void accept4_peer_address(void) {
    long r, e;
    int l = listener(SOCK_STREAM);
    int c = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    connect4(c, port_of(l));
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(accept4(l, (struct sockaddr *) &ss, &len, 0));
    int same = r >= 0 && ss.ss_family == AF_INET && ntohs(((struct sockaddr_in *) &ss)->sin_port) == port_of(c);
    close(c);
    close(l);
    made((int) r, (int) e);
    if (r >= 0) {
        snprintf(out + strlen(out), sizeof out - strlen(out), " len=%u %s", (unsigned) len,
                same ? "from-peer" : "from-elsewhere");
    }
}

// ---- bind, connect, listen, shutdown -----------------------------------------------------------------------------

static void bind_twice(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    struct sockaddr_in a;
    loopback4(&a, 0);
    CALL(bind(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    count(r, e);
}

static void bind_in_use(void) {
    long r, e;
    int first = bound(AF_INET, SOCK_STREAM);
    int fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    struct sockaddr_in a;
    loopback4(&a, port_of(first));
    CALL(bind(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    close(first);
    count(r, e);
}

static void bind_ipv6_on_ipv4_socket(void) {
    long r, e;
    int fd = ok(socket(AF_INET, SOCK_DGRAM, 0), "socket");
    struct sockaddr_in6 a;
    loopback6(&a, 0);
    CALL(bind(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    count(r, e);
}

static void bind_address_not_here(void) {
    long r, e;
    int fd = ok(socket(AF_INET, SOCK_DGRAM, 0), "socket");
    struct sockaddr_in a;
    loopback4(&a, 0);
    inet_pton(AF_INET, "192.0.2.1", &a.sin_addr); // TEST-NET-1: documentation only, on no interface
    CALL(bind(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    count(r, e);
}

static void bind_unix_path_taken(void) {
    long r, e;
    struct sockaddr_un a;
    unix_path(&a, "taken");
    int first = ok(socket(AF_UNIX, SOCK_DGRAM, 0), "socket");
    ok(bind(first, (struct sockaddr *) &a, sizeof a), "bind");
    int fd = ok(socket(AF_UNIX, SOCK_DGRAM, 0), "socket");
    CALL(bind(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    close(first);
    unlink(a.sun_path);
    count(r, e);
}

static void connect_refused(void) {
    long r, e;
    int closed = bound(AF_INET, SOCK_STREAM); // holds the port: no one else listens there meanwhile
    int fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    struct sockaddr_in a;
    loopback4(&a, port_of(closed));
    CALL(connect(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    close(closed);
    count(r, e);
}

static void connect_already_connected(void) {
    long r, e;
    int p[2];
    tcp_pair(p);
    struct sockaddr_in a;
    loopback4(&a, port_of(p[1]));
    CALL(connect(p[0], (struct sockaddr *) &a, sizeof a));
    close2(p);
    count(r, e);
}

static void connect_ipv6_on_ipv4_socket(void) {
    long r, e;
    int fd = ok(socket(AF_INET, SOCK_DGRAM, 0), "socket");
    struct sockaddr_in6 a;
    loopback6(&a, 9);
    CALL(connect(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    count(r, e);
}

static void connect_unix_missing_path(void) {
    long r, e;
    int fd = ok(socket(AF_UNIX, SOCK_STREAM, 0), "socket");
    struct sockaddr_un a;
    unix_path(&a, "missing");
    CALL(connect(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    count(r, e);
}

static void connect_udp(void) {
    long r, e;
    int fd = ok(socket(AF_INET, SOCK_DGRAM, 0), "socket");
    int to = bound(AF_INET, SOCK_DGRAM);
    struct sockaddr_in a;
    loopback4(&a, port_of(to));
    CALL(connect(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    close(to);
    count(r, e);
}

static void listen_on_udp(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    CALL(listen(fd, 8));
    close(fd);
    count(r, e);
}

static void listen_not_open(void) {
    long r, e;
    CALL(listen(NOT_OPEN, 8));
    count(r, e);
}

static void shutdown_unconnected(void) {
    long r, e;
    int fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    CALL(shutdown(fd, SHUT_RDWR));
    close(fd);
    count(r, e);
}

static void shutdown_bad_how(void) {
    long r, e;
    int p[2];
    pair(SOCK_STREAM, p);
    CALL(shutdown(p[0], 7));
    close2(p);
    count(r, e);
}

static void shutdown_on_pipe(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    CALL(shutdown(p[0], SHUT_RD));
    close2(p);
    count(r, e);
}

// ---- socket, socketpair, pipe2 -----------------------------------------------------------------------------------

static void socket_unknown_family(void) {
    long r, e;
    CALL(socket(12345, SOCK_STREAM, 0));
    made((int) r, (int) e);
}

static void socket_wrong_protocol(void) {
    long r, e;
    CALL(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
    made((int) r, (int) e);
}

static void socket_unknown_type(void) {
    long r, e;
    CALL(socket(AF_INET, 99, 0));
    made((int) r, (int) e);
}

static void socket_nonblock_cloexec(void) {
    long r, e;
    CALL(socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    made((int) r, (int) e);
}

static void socketpair_inet(void) {
    long r, e;
    int p[2];
    CALL(socketpair(AF_INET, SOCK_STREAM, 0, p));
    count(r, e);
    if (r >= 0) {
        close2(p);
    }
}

// The outcome of a call that makes two descriptors: "0 <mode> <mode>", or the errno's name.
static void made2(long r, int e, int p[2]) {
    if (r < 0) {
        snprintf(out, sizeof out, "%s", errno_name(e));
    } else {
        snprintf(out, sizeof out, "0 %s %s", mode(p[0]), mode(p[1]));
        close2(p);
    }
}

static void socketpair_nonblock(void) {
    long r, e;
    int p[2];
    CALL(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, p));
    made2(r, (int) e, p);
}

static void pipe2_unknown_flag(void) {
    long r, e;
    int p[2];
    CALL(pipe2(p, UNKNOWN_FLAG));
    made2(r, (int) e, p);
}

static void pipe2_nonblock_cloexec(void) {
    long r, e;
    int p[2];
    CALL(pipe2(p, O_NONBLOCK | O_CLOEXEC));
    made2(r, (int) e, p);
}

// ---- getsockname, getpeername ------------------------------------------------------------------------------------

// The outcome of getsockname or getpeername: "0 <family> <length>", or the errno's name.
static void named(long r, int e, struct sockaddr_storage *ss, socklen_t len) {
    if (r < 0) {
        snprintf(out, sizeof out, "%s", errno_name(e));
    } else {
        snprintf(out, sizeof out, "0 family=%d len=%u", ss->ss_family, (unsigned) len);
    }
}

static void getsockname_on_pipe(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(getsockname(p[0], (struct sockaddr *) &ss, &len));
    close2(p);
    named(r, (int) e, &ss, len);
}

static void getsockname_not_open(void) {
    long r, e;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(getsockname(NOT_OPEN, (struct sockaddr *) &ss, &len));
    named(r, (int) e, &ss, len);
}

static void getsockname_unbound_ipv6(void) {
    long r, e;
    int fd = ok(socket(AF_INET6, SOCK_DGRAM, 0), "socket");
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(getsockname(fd, (struct sockaddr *) &ss, &len));
    close(fd);
    named(r, (int) e, &ss, len);
}

static void getsockname_unix_path(void) {
    long r, e;
    struct sockaddr_un a;
    unix_path(&a, "named");
    int fd = ok(socket(AF_UNIX, SOCK_DGRAM, 0), "socket");
    ok(bind(fd, (struct sockaddr *) &a, sizeof a), "bind");
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(getsockname(fd, (struct sockaddr *) &ss, &len));
    close(fd);
    unlink(a.sun_path);
    named(r, (int) e, &ss, len);
}

static void getpeername_unconnected(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(getpeername(fd, (struct sockaddr *) &ss, &len));
    close(fd);
    named(r, (int) e, &ss, len);
}

static void getpeername_connected(void) {
    long r, e;
    int p[2];
    tcp_pair(p);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(getpeername(p[0], (struct sockaddr *) &ss, &len));
    close2(p);
    named(r, (int) e, &ss, len);
}

// ---- setsockopt, getsockopt --------------------------------------------------------------------------------------

static void set_int(int fd, int level, int name, int value) {
    long r, e;
    CALL(setsockopt(fd, level, name, &value, sizeof value));
    count(r, e);
}

static void get_int(int fd, int level, int name) {
    long r, e;
    int v = 0;
    socklen_t len = sizeof v;
    CALL(getsockopt(fd, level, name, &v, &len));
    valued((int) r, (int) e, v);
}

static void setsockopt_unknown_option(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    set_int(fd, SOL_SOCKET, 9999, 1);
    close(fd);
}

static void setsockopt_refused_value(void) {
    int fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    set_int(fd, IPPROTO_TCP, TCP_MAXSEG, 1);
    close(fd);
}

static void setsockopt_on_pipe(void) {
    int p[2];
    ok(pipe(p), "pipe");
    set_int(p[0], SOL_SOCKET, SO_RCVBUF, 4096);
    close2(p);
}

static void setsockopt_not_open(void) {
    set_int(NOT_OPEN, SOL_SOCKET, SO_RCVBUF, 4096);
}

static void getsockopt_so_type(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    get_int(fd, SOL_SOCKET, SO_TYPE);
    close(fd);
}

static void getsockopt_so_error(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    get_int(fd, SOL_SOCKET, SO_ERROR);
    close(fd);
}

static void getsockopt_tcp_option_on_udp(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    get_int(fd, IPPROTO_TCP, TCP_NODELAY);
    close(fd);
}

static void getsockopt_unknown_option(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    get_int(fd, SOL_SOCKET, 9999);
    close(fd);
}

static void setsockopt_bytes_short_int(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    unsigned char v[2] = {0, 16};
    CALL(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, v, sizeof v));
    close(fd);
    count(r, e);
}

static void setsockopt_bytes_int(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    int v = 1;
    CALL(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v));
    close(fd);
    count(r, e);
}

// getsockopt into n bytes of room: the length the kernel wrote back, or the errno's name.
static void get_bytes(int fd, int level, int name, socklen_t n) {
    long r, e;
    unsigned char v[64];
    socklen_t len = n;
    CALL(getsockopt(fd, level, name, v, &len));
    count(r < 0 ? r : (long) len, e);
}

static void getsockopt_bytes_so_type(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    get_bytes(fd, SOL_SOCKET, SO_TYPE, 8);
    close(fd);
}

static void getsockopt_bytes_cut_short(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    get_bytes(fd, SOL_SOCKET, SO_TYPE, 1);
    close(fd);
}

static void getsockopt_bytes_on_pipe(void) {
    int p[2];
    ok(pipe(p), "pipe");
    get_bytes(p[0], SOL_SOCKET, SO_TYPE, 4);
    close2(p);
}

// ---- ioctl -------------------------------------------------------------------------------------------------------

static void ioctl_int(int fd, unsigned long request) {
    long r, e;
    int v = -1;
    CALL(ioctl(fd, request, &v));
    valued((int) r, (int) e, v);
}

static void ioctl_fionread_datagram(void) {
    int p[2];
    udp_pair(p);
    put(p[0], 37);
    ioctl_int(p[1], FIONREAD);
    close2(p);
}

static void ioctl_fionread_pipe(void) {
    int p[2];
    ok(pipe(p), "pipe");
    if (write(p[1], "hello", 5) != 5) {
        setup_failed("write");
    }
    ioctl_int(p[0], FIONREAD);
    close2(p);
}

static void ioctl_siocoutq_tcp(void) {
    int p[2];
    tcp_pair(p);
    ioctl_int(p[0], SIOCOUTQ);
    close2(p);
}

static void ioctl_siocoutq_pipe(void) {
    int p[2];
    ok(pipe(p), "pipe");
    ioctl_int(p[0], SIOCOUTQ);
    close2(p);
}

static void ioctl_not_open(void) {
    ioctl_int(NOT_OPEN, FIONREAD);
}

// ---- credentials, transmit times, SIOCINQ: the calls of Unix-socket servers and paced senders ----------------------

// sendmsg of one byte from fd with one control message of level and type carrying len bytes of data.
static void send_one_cmsg(int fd, int level, int type, const void *data, size_t len) {
    long r, e;
    union {
        char buf[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    if (CMSG_SPACE(len) > sizeof control.buf) {
        setup_failed("control space");
    }
    struct iovec iov = {big, 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                       .msg_controllen = CMSG_SPACE(len)};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    cm->cmsg_level = level;
    cm->cmsg_type = type;
    cm->cmsg_len = CMSG_LEN(len);
    memcpy(CMSG_DATA(cm), data, len);
    CALL(sendmsg(fd, &m, 0));
    count(r, e);
}

// An SCM_CREDENTIALS of this process's pid and the given ids, on a Unix datagram pair.
static void send_credentials(uid_t uid, gid_t gid) {
    int p[2];
    pair(SOCK_DGRAM, p);
    struct ucred c = {.pid = getpid(), .uid = uid, .gid = gid};
    send_one_cmsg(p[0], SOL_SOCKET, SCM_CREDENTIALS, &c, sizeof c);
    close2(p);
}

static void sendmsg_credentials_own(void) {
    send_credentials(geteuid(), getegid());
}

static void sendmsg_credentials_no_user(void) {
    send_credentials((uid_t) -1, getegid());
}

static void sendmsg_txtime_without_option(void) {
    int p[2];
    udp_pair(p);
    uint64_t when = 1;
    send_one_cmsg(p[0], SOL_SOCKET, SCM_TXTIME, &when, sizeof when);
    close2(p);
}

static void setsockopt_txtime_unknown_flag(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    struct sock_txtime t = {.clockid = CLOCK_MONOTONIC, .flags = 1u << 30};
    CALL(setsockopt(fd, SOL_SOCKET, SO_TXTIME, &t, sizeof t));
    close(fd);
    count(r, e);
}

static void ioctl_siocinq_listening(void) {
    int fd = listener(SOCK_STREAM);
    ioctl_int(fd, SIOCINQ);
    close(fd);
}

// SO_PEERCRED: "0 pid=<pid relative to this process> uid=<uid> gid=<gid>", or the errno's name.
static void peercred(int fd) {
    long r, e;
    struct ucred c = {0};
    socklen_t len = sizeof c;
    CALL(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &len));
    if (r < 0) {
        snprintf(out, sizeof out, "%s", errno_name((int) e));
    } else {
        snprintf(out, sizeof out, "0 pid=%s uid=%d gid=%d", c.pid == getpid() ? "self" : c.pid == 0 ? "0" : "other",
                 (int) c.uid, (int) c.gid);
    }
}

static void getsockopt_peercred_tcp(void) {
    int p[2];
    tcp_pair(p);
    peercred(p[0]);
    close2(p);
}

static void getsockopt_peercred_not_open(void) {
    peercred(NOT_OPEN);
}

// ---- poll --------------------------------------------------------------------------------------------------------

// poll of one entry, fd asking for events, timeout 0: "<count> revents=<revents>", or the errno's name.
static void poll_one(int fd, short events) {
    long r, e;
    struct pollfd p = {.fd = fd, .events = events};
    CALL(poll(&p, 1, 0));
    valued((int) r, (int) e, p.revents);
}

static void poll_not_open(void) {
    poll_one(NOT_OPEN, POLLIN);
}

static void poll_negative_ignored(void) {
    poll_one(-1, POLLIN);
}

static void poll_readable(void) {
    int p[2];
    udp_pair(p);
    put(p[0], 3);
    poll_one(p[1], POLLIN | POLLOUT);
    close2(p);
}

static void poll_nothing_ready(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    poll_one(fd, POLLIN);
    close(fd);
}

static void poll_peer_closed(void) {
    int p[2];
    pair(SOCK_STREAM, p);
    close(p[1]);
    poll_one(p[0], POLLIN | POLLRDHUP);
    close(p[0]);
}

// ---- fcntl, close ------------------------------------------------------------------------------------------------

// What Posix.setBlocking(fd, false) does: F_GETFL, then F_SETFL with O_NONBLOCK. The outcome: "0 <mode>".
static void set_nonblocking(int fd) {
    long r, e;
    CALL(fcntl(fd, F_GETFL));
    if (r >= 0) {
        CALL(fcntl(fd, F_SETFL, (int) r | O_NONBLOCK));
    }
    count(r, e);
    if (r >= 0) {
        snprintf(out, sizeof out, "0 %s", mode(fd));
    }
}

static void set_nonblocking_socket(void) {
    int fd = ok(socket(AF_INET, SOCK_DGRAM, 0), "socket");
    set_nonblocking(fd);
    close(fd);
}

static void set_nonblocking_not_open(void) {
    set_nonblocking(NOT_OPEN);
}

static void set_cloexec_not_open(void) {
    long r, e;
    CALL(fcntl(NOT_OPEN, F_GETFD));
    count(r, e);
}

static void close_socket(void) {
    long r, e;
    int fd = ok(socket(AF_INET, SOCK_DGRAM, 0), "socket");
    CALL(close(fd));
    count(r, e);
}

static void close_not_open(void) {
    long r, e;
    CALL(close(NOT_OPEN));
    count(r, e);
}

// ---- more: zero lengths, large arrays, Java-side checks ----------------------------------------------------------

static unsigned char huge[300000];

static void send_zero_length_not_open(void) {
    long r, e;
    CALL(send(NOT_OPEN, big, 0, 0));
    count(r, e);
}

static void write_zero_length_not_open(void) {
    long r, e;
    CALL(write(NOT_OPEN, big, 0));
    count(r, e);
}

static void read_zero_length_not_open(void) {
    long r, e;
    CALL(read(NOT_OPEN, room, 0));
    count(r, e);
}

static void recv_zero_room_trunc(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    put(p[0], 100);
    CALL(recv(p[1], room, 0, MSG_TRUNC));
    close2(p);
    count(r, e);
}

static void send_dontwait_large_on_pipe(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    CALL(send(p[1], big, 16384, MSG_DONTWAIT));
    close2(p);
    count(r, e);
}

static void send_dontwait_large_not_open(void) {
    long r, e;
    CALL(send(NOT_OPEN, big, 16384, MSG_DONTWAIT));
    count(r, e);
}

static void send_dontwait_large_udp(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    CALL(send(p[0], big, 16384, MSG_DONTWAIT));
    close2(p);
    count(r, e);
}

static void send_dontwait_large_no_destination(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    CALL(send(fd, big, 16384, MSG_DONTWAIT));
    close(fd);
    count(r, e);
}

static void recv_dontwait_large_empty(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    CALL(recv(fd, huge, 16384, MSG_DONTWAIT));
    close(fd);
    count(r, e);
}

static void recv_dontwait_large_on_pipe(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    CALL(recv(p[0], huge, 16384, MSG_DONTWAIT));
    close2(p);
    count(r, e);
}

static void recv_dontwait_large_datagram(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    put(p[0], 20000);
    CALL(recv(p[1], huge, 16384, MSG_DONTWAIT | MSG_TRUNC));
    close2(p);
    count(r, e);
}

static void write_large_nonblocking_pipe(void) {
    long r, e;
    int p[2];
    ok(pipe2(p, O_NONBLOCK), "pipe2");
    CALL(write(p[1], huge, 100000));
    close2(p);
    count(r, e);
}

static void send_large_nonblocking_stream(void) {
    long r, e;
    int p[2];
    pair(SOCK_STREAM | SOCK_NONBLOCK, p);
    CALL(send(p[0], huge, sizeof huge, 0));
    close2(p);
    count(r, e);
}

static void sendmsg_ipv4_on_ipv6_socket(void) {
    long r, e;
    int fd = ok(socket(AF_INET6, SOCK_DGRAM, 0), "socket");
    int to = bound(AF_INET, SOCK_DGRAM);
    struct sockaddr_in a;
    loopback4(&a, port_of(to));
    struct iovec iov = {big, 4};
    struct msghdr m = {.msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &iov, .msg_iovlen = 1};
    CALL(sendmsg(fd, &m, 0));
    close(fd);
    close(to);
    count(r, e);
}

static void connect_nonblocking_in_progress(void) {
    long r, e;
    int l = listener(SOCK_STREAM);
    int fd = ok(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), "socket");
    struct sockaddr_in a;
    loopback4(&a, port_of(l));
    CALL(connect(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    close(l);
    count(r, e);
}

static void sendto_connected_udp_elsewhere(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    int other = bound(AF_INET, SOCK_DGRAM);
    struct sockaddr_in a;
    loopback4(&a, port_of(other));
    CALL(sendto(p[0], big, 4, 0, (struct sockaddr *) &a, sizeof a));
    close2(p);
    close(other);
    count(r, e);
}

static void unspec_connect(int fd) {
    long r, e;
    struct sockaddr a = {.sa_family = AF_UNSPEC};
    CALL(connect(fd, &a, sizeof a));
    count(r, e);
}

static void disconnect_udp(void) {
    int p[2];
    udp_pair(p);
    unspec_connect(p[0]);
    close2(p);
}

static void disconnect_on_pipe(void) {
    int p[2];
    ok(pipe(p), "pipe");
    unspec_connect(p[0]);
    close2(p);
}

static void getsockopt_bytes_no_room(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    get_bytes(fd, SOL_SOCKET, SO_TYPE, 0);
    close(fd);
}

static void setsockopt_bytes_empty(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    CALL(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, room, 0));
    close(fd);
    count(r, e);
}

static void ioctl_fionread_file(void) {
    int fd = regular_file();
    ioctl_int(fd, FIONREAD);
    close(fd);
}

static void ioctl_siocoutq_udp(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    ioctl_int(fd, SIOCOUTQ);
    close(fd);
}

static void listen_negative_backlog(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_STREAM);
    CALL(listen(fd, -1));
    close(fd);
    count(r, e);
}

static void shutdown_negative_how(void) {
    long r, e;
    int p[2];
    pair(SOCK_STREAM, p);
    CALL(shutdown(p[0], -1));
    close2(p);
    count(r, e);
}

static void ioctl_other_request(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    struct winsize w;
    CALL(ioctl(fd, TIOCGWINSZ, &w));
    close(fd);
    count(r, e);
}

static void setsockopt_int_filter_program(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    set_int(fd, SOL_SOCKET, SO_ATTACH_FILTER, 1);
    close(fd);
}

static void recvmmsg_negative_timeout(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    put(p[0], 3);
    struct iovec iov = {room, 16};
    struct mmsghdr m = {.msg_hdr = {.msg_iov = &iov, .msg_iovlen = 1}};
    struct timespec t = {.tv_sec = -1};
    CALL(recvmmsg(p[1], &m, 1, MSG_DONTWAIT, &t));
    close2(p);
    count(r, e);
}

static void send_zerocopy_from_heap(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    CALL(send(p[0], big, 4, MSG_ZEROCOPY));
    close2(p);
    count(r, e);
}

static void setsockopt_unsupported_constant(void) {
    int fd = bound(AF_INET, SOCK_DGRAM);
    set_int(fd, SOL_SOCKET, INT_MIN, 1);
    close(fd);
}

// ---- more addresses: dual stack, Unix names ----------------------------------------------------------------------

static void bind_ipv4_on_ipv6_socket(void) {
    long r, e;
    int fd = ok(socket(AF_INET6, SOCK_DGRAM, 0), "socket");
    struct sockaddr_in a;
    loopback4(&a, 0);
    CALL(bind(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    count(r, e);
}

static void connect_ipv4_on_ipv6_udp(void) {
    long r, e;
    int fd = ok(socket(AF_INET6, SOCK_DGRAM, 0), "socket");
    int to = bound(AF_INET, SOCK_DGRAM);
    struct sockaddr_in a;
    loopback4(&a, port_of(to));
    CALL(connect(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    close(to);
    count(r, e);
}

static void connect_ipv4_on_ipv6_tcp(void) {
    long r, e;
    int l = listener(SOCK_STREAM);
    int fd = ok(socket(AF_INET6, SOCK_STREAM, 0), "socket");
    struct sockaddr_in a;
    loopback4(&a, port_of(l));
    CALL(connect(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    close(l);
    count(r, e);
}

static void sendto_ipv4_on_unix_socket(void) {
    long r, e;
    int fd = ok(socket(AF_UNIX, SOCK_DGRAM, 0), "socket");
    int to = bound(AF_INET, SOCK_DGRAM);
    struct sockaddr_in a;
    loopback4(&a, port_of(to));
    CALL(sendto(fd, big, 4, 0, (struct sockaddr *) &a, sizeof a));
    close(fd);
    close(to);
    count(r, e);
}

static void getsockname_unix_unbound(void) {
    long r, e;
    int fd = ok(socket(AF_UNIX, SOCK_STREAM, 0), "socket");
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(getsockname(fd, (struct sockaddr *) &ss, &len));
    close(fd);
    named(r, (int) e, &ss, len);
}

static void getpeername_socketpair(void) {
    long r, e;
    int p[2];
    pair(SOCK_STREAM, p);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(getpeername(p[0], (struct sockaddr *) &ss, &len));
    close2(p);
    named(r, (int) e, &ss, len);
}

static void getsockname_unix_abstract(void) {
    long r, e;
    // the temporary folder's own name: unique, and as long on both sides
    const char *base = strrchr(folder, '/') ? strrchr(folder, '/') + 1 : folder;
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path + 1, base, strlen(base));
    int fd = ok(socket(AF_UNIX, SOCK_DGRAM, 0), "socket");
    ok(bind(fd, (struct sockaddr *) &a, (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + strlen(base))),
            "bind");
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(getsockname(fd, (struct sockaddr *) &ss, &len));
    close(fd);
    named(r, (int) e, &ss, len);
}

// recvfrom of one datagram or stretch: "<count> len=<address length>", or the errno's name.
static void recvfrom_length(int fd) {
    long r, e;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(recvfrom(fd, room, 16, 0, (struct sockaddr *) &ss, &len));
    count(r, e);
    if (r >= 0) {
        snprintf(out, sizeof out, "%ld len=%u", r, (unsigned) len);
    }
}

static void recvfrom_unnamed_sender(void) {
    int p[2];
    pair(SOCK_DGRAM, p);
    put(p[0], 5);
    recvfrom_length(p[1]);
    close2(p);
}

static void recvfrom_tcp_no_address(void) {
    int p[2];
    tcp_pair(p);
    put(p[0], 5);
    recvfrom_length(p[1]);
    close2(p);
}

static void accept4_unix_unnamed_peer(void) {
    long r, e;
    struct sockaddr_un a;
    unix_path(&a, "listening");
    int l = ok(socket(AF_UNIX, SOCK_STREAM, 0), "socket");
    ok(bind(l, (struct sockaddr *) &a, sizeof a), "bind");
    ok(listen(l, 8), "listen");
    int c = ok(socket(AF_UNIX, SOCK_STREAM, 0), "socket");
    ok(connect(c, (struct sockaddr *) &a, sizeof a), "connect");
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    CALL(accept4(l, (struct sockaddr *) &ss, &len, 0));
    close(c);
    close(l);
    unlink(a.sun_path);
    made((int) r, (int) e);
    if (r >= 0) {
        snprintf(out + strlen(out), sizeof out - strlen(out), " len=%u", (unsigned) len);
    }
}

static void sendmsg_iov_max(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    static struct iovec iov[IOV_MAX];
    for (int i = 0; i < IOV_MAX; i++) {
        iov[i].iov_base = big;
        iov[i].iov_len = 1;
    }
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = IOV_MAX};
    CALL(sendmsg(p[0], &m, 0));
    close2(p);
    count(r, e);
}

static void sendmmsg_vlen_zero_on_pipe(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    struct iovec iov = {big, 4};
    struct mmsghdr m = {.msg_hdr = {.msg_iov = &iov, .msg_iovlen = 1}};
    CALL(sendmmsg(p[1], &m, 0, 0));
    close2(p);
    count(r, e);
}

static void socketpair_bad_protocol(void) {
    long r, e;
    int p[2];
    CALL(socketpair(AF_UNIX, SOCK_DGRAM, 2, p));
    made2(r, (int) e, p);
}

static void accept_on_pipe(void) {
    long r, e;
    int p[2];
    ok(pipe(p), "pipe");
    CALL(accept(p[0], NULL, NULL));
    close2(p);
    made((int) r, (int) e);
}

// ---- empty batches and lists, option shapes ---------------------------------------------------------------------

static void sendmmsg_empty_batch_not_open(void) {
    long r, e;
    struct mmsghdr m;
    CALL(sendmmsg(NOT_OPEN, &m, 0, 0));
    count(r, e);
}

static void recvmmsg_empty_batch_not_open(void) {
    int e;
    long r = recvmmsg_n(NOT_OPEN, 0, MSG_DONTWAIT, &e);
    count(r, e);
}

static void recvmsg_no_buffers(void) {
    long r, e;
    int p[2];
    udp_pair(p);
    put(p[0], 5);
    struct msghdr m = {0};
    CALL(recvmsg(p[1], &m, 0));
    close2(p);
    count(r, e);
    if (r >= 0) {
        snprintf(out, sizeof out, "%ld %s", r, (m.msg_flags & MSG_TRUNC) ? "MSG_TRUNC" : "whole");
    }
}

static void tcp_info_on_udp(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    struct tcp_info t;
    socklen_t len = sizeof t;
    CALL(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &t, &len));
    close(fd);
    count(r, e);
}

static void ip_add_membership_not_multicast(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    struct ip_mreq m;
    m.imr_multiaddr.s_addr = htonl(INADDR_LOOPBACK);
    m.imr_interface.s_addr = htonl(INADDR_ANY);
    CALL(setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m));
    close(fd);
    count(r, e);
}

static void setsockopt_negative_timeout(void) {
    long r, e;
    int fd = bound(AF_INET, SOCK_DGRAM);
    struct timeval t = {.tv_sec = -1};
    CALL(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof t));
    close(fd);
    count(r, e);
}

static void setsockopt_linger_negative(void) {
    long r, e;
    int fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    struct linger l = {.l_onoff = 1, .l_linger = -1};
    CALL(setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l));
    close(fd);
    count(r, e);
}

static void setsockopt_linger(void) {
    long r, e;
    int fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    struct linger l = {.l_onoff = 1, .l_linger = 3};
    CALL(setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l));
    close(fd);
    count(r, e);
}

// ---- the non-throwing forms' plain errno, and a full sun_path -----------------------------------------------------

static void tryconnect_ipv6_on_ipv4_socket(void) {
    long r, e;
    int fd = ok(socket(AF_INET, SOCK_STREAM, 0), "socket");
    struct sockaddr_in6 a;
    loopback6(&a, 9);
    CALL(connect(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    count(r, e);
}

static void trysendto_ipv6_on_ipv4_socket(void) {
    sendto_ipv6_on_ipv4_socket();
}

static void trysendmsg_ipv6_on_ipv4_socket(void) {
    sendmsg_ipv6_on_ipv4_socket();
}

// A path in the folder that fills sun_path's 108 bytes, without room for a terminating NUL.
static void bind_unix_path_of_108_bytes(void) {
    long r, e;
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    size_t n = strlen(folder);
    memcpy(a.sun_path, folder, n);
    a.sun_path[n] = '/';
    memset(a.sun_path + n + 1, 'u', sizeof a.sun_path - n - 1);
    int fd = ok(socket(AF_UNIX, SOCK_DGRAM, 0), "socket");
    CALL(bind(fd, (struct sockaddr *) &a, sizeof a));
    close(fd);
    if (r == 0) {
        char path[sizeof a.sun_path + 1];
        memcpy(path, a.sun_path, sizeof a.sun_path);
        path[sizeof a.sun_path] = '\0';
        unlink(path);
    }
    count(r, e);
}

#define CASE(f) {#f, f}
static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    CASE(send_not_open), CASE(send_on_pipe), CASE(send_udp_no_destination), CASE(send_udp_zero_length),
    CASE(send_udp_oob), CASE(send_nosignal_peer_closed), CASE(send_tcp_after_shut_wr),
    CASE(send_full_nonblocking_pair), CASE(sendto_udp_too_long), CASE(sendto_udp_longest),
    CASE(sendto_ipv6_on_ipv4_socket), CASE(sendto_ipv4_on_ipv6_socket), CASE(sendto_unix_missing_path),
    CASE(sendto_tcp_unconnected), CASE(sendto_tcp_connected),
    CASE(sendmsg_gather), CASE(sendmsg_no_buffers), CASE(sendmsg_no_destination), CASE(sendmsg_ipv6_on_ipv4_socket),
    CASE(sendmsg_too_many_buffers), CASE(sendmsg_not_open),
    CASE(sendmmsg_vlen_zero), CASE(sendmmsg_vlen_zero_not_open), CASE(sendmmsg_two), CASE(sendmmsg_first_too_long),
    CASE(sendmmsg_second_too_long), CASE(sendmmsg_ipv6_on_ipv4_socket),
    CASE(recv_empty_dontwait), CASE(recv_tcp_unconnected), CASE(recv_trunc_real_length),
    CASE(recv_zero_length_datagram), CASE(recv_end_of_stream), CASE(recv_peek),
    CASE(recvfrom_not_open), CASE(recvfrom_on_pipe), CASE(recvfrom_sender),
    CASE(recvmsg_scatter), CASE(recvmsg_short_buffer), CASE(recvmsg_errqueue_empty), CASE(recvmsg_oob_tcp_none),
    CASE(recvmmsg_two_waiting), CASE(recvmmsg_waitforone), CASE(recvmmsg_empty), CASE(recvmmsg_vlen_zero),
    CASE(recvmmsg_not_open),
    CASE(write_pipe_no_reader), CASE(write_read_end), CASE(read_write_end), CASE(read_empty_nonblocking_pipe),
    CASE(read_pipe_end_of_file), CASE(read_regular_file), CASE(write_regular_file), CASE(read_datagram),
    CASE(write_not_open),
    CASE(sendfile_file_to_pipe), CASE(sendfile_at_offset_to_tcp), CASE(sendfile_negative_offset),
    CASE(sendfile_from_pipe), CASE(sendfile_from_pipe_at_offset), CASE(sendfile_to_read_end), CASE(sendfile_not_open),
    CASE(accept_not_listening), CASE(accept_nothing_waiting), CASE(accept_on_udp), CASE(accept4_unknown_flag),
    CASE(accept_waiting), CASE(accept4_nonblock_cloexec), CASE(accept4_peer_address),
    CASE(bind_twice), CASE(bind_in_use), CASE(bind_ipv6_on_ipv4_socket), CASE(bind_address_not_here),
    CASE(bind_unix_path_taken), CASE(connect_refused), CASE(connect_already_connected),
    CASE(connect_ipv6_on_ipv4_socket), CASE(connect_unix_missing_path), CASE(connect_udp),
    CASE(listen_on_udp), CASE(listen_not_open), CASE(shutdown_unconnected), CASE(shutdown_bad_how),
    CASE(shutdown_on_pipe),
    CASE(socket_unknown_family), CASE(socket_wrong_protocol), CASE(socket_unknown_type),
    CASE(socket_nonblock_cloexec), CASE(socketpair_inet), CASE(socketpair_nonblock), CASE(pipe2_unknown_flag),
    CASE(pipe2_nonblock_cloexec),
    CASE(getsockname_on_pipe), CASE(getsockname_not_open), CASE(getsockname_unbound_ipv6),
    CASE(getsockname_unix_path), CASE(getpeername_unconnected), CASE(getpeername_connected),
    CASE(setsockopt_unknown_option), CASE(setsockopt_refused_value), CASE(setsockopt_on_pipe),
    CASE(setsockopt_not_open), CASE(getsockopt_so_type), CASE(getsockopt_so_error),
    CASE(getsockopt_tcp_option_on_udp), CASE(getsockopt_unknown_option), CASE(setsockopt_bytes_short_int),
    CASE(setsockopt_bytes_int), CASE(getsockopt_bytes_so_type), CASE(getsockopt_bytes_cut_short),
    CASE(getsockopt_bytes_on_pipe),
    CASE(ioctl_fionread_datagram), CASE(ioctl_fionread_pipe), CASE(ioctl_siocoutq_tcp), CASE(ioctl_siocoutq_pipe),
    CASE(ioctl_not_open),
    CASE(poll_not_open), CASE(poll_negative_ignored), CASE(poll_readable), CASE(poll_nothing_ready),
    CASE(poll_peer_closed),
    CASE(set_nonblocking_socket), CASE(set_nonblocking_not_open), CASE(set_cloexec_not_open), CASE(close_socket),
    CASE(close_not_open),
    CASE(send_zero_length_not_open), CASE(write_zero_length_not_open), CASE(read_zero_length_not_open),
    CASE(recv_zero_room_trunc), CASE(send_dontwait_large_on_pipe), CASE(send_dontwait_large_not_open),
    CASE(send_dontwait_large_udp), CASE(send_dontwait_large_no_destination), CASE(recv_dontwait_large_empty),
    CASE(recv_dontwait_large_on_pipe), CASE(recv_dontwait_large_datagram), CASE(write_large_nonblocking_pipe),
    CASE(send_large_nonblocking_stream), CASE(sendmsg_ipv4_on_ipv6_socket), CASE(connect_nonblocking_in_progress),
    CASE(sendto_connected_udp_elsewhere), CASE(disconnect_udp), CASE(disconnect_on_pipe),
    CASE(getsockopt_bytes_no_room), CASE(setsockopt_bytes_empty), CASE(ioctl_fionread_file),
    CASE(ioctl_siocoutq_udp), CASE(listen_negative_backlog), CASE(shutdown_negative_how),
    CASE(ioctl_other_request), CASE(setsockopt_int_filter_program), CASE(recvmmsg_negative_timeout),
    CASE(send_zerocopy_from_heap), CASE(setsockopt_unsupported_constant),
    CASE(bind_ipv4_on_ipv6_socket), CASE(connect_ipv4_on_ipv6_udp), CASE(connect_ipv4_on_ipv6_tcp),
    CASE(sendto_ipv4_on_unix_socket), CASE(getsockname_unix_unbound), CASE(getpeername_socketpair),
    CASE(getsockname_unix_abstract), CASE(recvfrom_unnamed_sender), CASE(recvfrom_tcp_no_address),
    CASE(accept4_unix_unnamed_peer), CASE(sendmsg_iov_max), CASE(sendmmsg_vlen_zero_on_pipe),
    CASE(socketpair_bad_protocol), CASE(accept_on_pipe),
    CASE(sendmmsg_empty_batch_not_open), CASE(recvmmsg_empty_batch_not_open), CASE(recvmsg_no_buffers),
    CASE(tcp_info_on_udp), CASE(ip_add_membership_not_multicast), CASE(setsockopt_negative_timeout),
    CASE(setsockopt_linger_negative), CASE(setsockopt_linger),
    CASE(tryconnect_ipv6_on_ipv4_socket), CASE(trysendto_ipv6_on_ipv4_socket), CASE(trysendmsg_ipv6_on_ipv4_socket),
    CASE(bind_unix_path_of_108_bytes),
    CASE(sendmsg_credentials_own), CASE(sendmsg_credentials_no_user), CASE(sendmsg_txtime_without_option),
    CASE(setsockopt_txtime_unknown_flag), CASE(ioctl_siocinq_listening), CASE(getsockopt_peercred_tcp),
    CASE(getsockopt_peercred_not_open),
};

int main(int argc, char **argv) {
    int n = (int) (sizeof cases / sizeof cases[0]);
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (int i = 0; i < n; i++) {
            printf("%s\n", cases[i].name);
        }
        return 0;
    }
    // The JVM ignores SIGPIPE, so a write to a closed pipe fails with EPIPE there: the same here.
    signal(SIGPIPE, SIG_IGN);
    current = "(start)";
    int first = 1;
    int own = 0;
    if (argc >= 3 && strcmp(argv[1], "--in") == 0) {
        // the Java side's own folder: Unix socket names of the same length on both sides
        if (strlen(argv[2]) >= sizeof folder - 16) {
            errno = ENAMETOOLONG;
            setup_failed("--in");
        }
        snprintf(folder, sizeof folder, "%s", argv[2]);
        first = 3;
    } else {
        snprintf(folder, sizeof folder, "/tmp/same-calls.XXXXXX");
        if (mkdtemp(folder) == NULL) {
            setup_failed("mkdtemp");
        }
        own = 1;
    }
    int status = 0;
    for (int a = first; a < argc; a++) {
        current = argv[a];
        int i = 0;
        while (i < n && strcmp(cases[i].name, argv[a]) != 0) {
            i++;
        }
        if (i == n) {
            printf("%s ?unknown\n", argv[a]);
            status = 2;
            continue;
        }
        out[0] = '\0';
        cases[i].run();
        printf("%s %s\n", argv[a], out);
    }
    if (own) {
        rmdir(folder);
    }
    return status;
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.DirectBuffers;
import io.github.posixsend.internal.InPlaceSockets;
import io.github.posixsend.internal.OptionValues;
import io.github.posixsend.internal.PerThread;
import io.github.posixsend.internal.Platform;
import java.io.FileDescriptor;
import java.lang.ref.Reference;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.time.Duration;
import java.util.Objects;

/**
 * The socket calls with their C names and C semantics, for code that says what java.nio cannot: every
 * {@code MSG_*} flag, partial sends, the real errno; and {@code read} and {@code write}, for any descriptor (a pipe
 * or file received with {@code SCM_RIGHTS} too).
 *
 * <p>Descriptors are plain {@code int}s, as in C; whoever opens one closes it. Flags are the platform's values, built
 * with {@link MsgFlag#mask(MsgFlag...)}. Each call makes the one system call it is named after ({@code accept} with
 * flags makes {@code accept4}): a failure throws the {@link ErrnoException} subclass of its errno, whose message names
 * the call ({@code sendto: EMSGSIZE (Message too long)}); {@code pipe} makes {@code pipe2}. A few make one more,
 * outside the call's own: {@link #setBlocking} and {@link #setCloseOnExec} read the flags before they set them
 * ({@code fcntl} twice), an addressed call (but
 * {@link #sendmmsg}) the kernel failed with {@code EINVAL} or {@code EAFNOSUPPORT} asks the socket's family
 * ({@code getsockname}) to say which mistake it was, and the first large {@code MSG_DONTWAIT} array call on a
 * descriptor asks its domain, type and protocol ({@code SO_DOMAIN}, {@code SO_TYPE}, {@code SO_PROTOCOL}). A system
 * call interrupted by a signal ({@code EINTR}) is made again inside the call, as java.nio does, except {@code connect}
 * (whose connection goes on in the background) and {@code close} (after which the descriptor is gone on Linux). On a
 * socket with a timeout ({@code SO_RCVTIMEO} for the calls that wait to receive or accept, {@code SO_SNDTIMEO} for
 * those that wait to send), which the kernel never restarts and a retry would wait out whole again, the call is made
 * again only until that timeout has passed since the first interruption, and then fails with {@code EAGAIN}
 * ({@link WouldBlockException}), as the timeout's expiry does: a stream of signals (a profiler's {@code SIGPROF})
 * cannot keep it waiting for good, though it can make it wait up to about three times its timeout in all, where C
 * code that does not retry would see {@code EINTR}. A blocking call is not interrupted by {@link Thread#interrupt()}.
 *
 * <p>Threads: these calls may be made from any number of threads at once (a {@link Message}, {@link MessageBatch} or
 * {@link PollSet} says what it allows). A blocking call holds its thread in the kernel; a virtual thread pins its
 * carrier for that time (use non-blocking descriptors and {@link PollSet} there). The scratch memory that keeps the
 * non-throwing forms free of allocation is kept per thread: a virtual thread that lives for one request allocates it
 * anew, and a buffer staged through it (a shared arena's, a read-only one) larger than the 1 MiB it keeps gets memory
 * of its own at each call. So do the structs of a thread's last batch sent and last batch received, which every backend
 * keeps for the thread's next call in memory sized by what the batches need (on JNI about 2.5 KiB of direct memory for
 * a batch of 8 messages, up to 64 KiB for one of 256; a batch whose structs need more than 1 MiB is built again at each
 * call), made or grown before a call; when direct memory runs out, the JNI shim builds the batch in memory of the
 * call's own, as for the thread's first, and the other backends throw {@link OutOfMemoryError} before anything is sent
 * or received. "Allocates nothing", here and on each call, is posix-send's own work: on the FFM backend the JDK's
 * downcall with errno capture may allocate a 40-byte slice per call until the JIT compiles its stub inline, and for
 * good in a compilation that does not inline it whole: often in a large loop method (a UDP relay's poll, recvmmsg
 * and sendmmsg loop kept it on every call for its whole run), sometimes in a small one too (a port's harness that
 * called {@code trySendmsg} through a lambda kept it for 80,000 calls); the README's FFM section says when. Where a
 * loop must allocate nothing, choose the JNI backend.
 *
 * <p>Arguments are checked in Java before any native code runs: null buffers and addresses throw
 * {@link NullPointerException}, ranges outside an array {@link IndexOutOfBoundsException}, an unresolved
 * {@code InetSocketAddress} {@link UnresolvedAddressException}, an address of a kind posix-send cannot convert
 * {@link UnsupportedAddressTypeException}, a Unix path too long for the platform (longer than {@code sun_path}
 * less a byte for the terminating NUL: 107 bytes on Linux, whose kernel would also take 108 without the NUL)
 * {@link IllegalArgumentException}, {@link MsgFlag#MSG_ZEROCOPY} with heap bytes or other memory that may go
 * before the kernel's completion (see the flag) {@link IllegalArgumentException}, also on a socket without
 * {@code SO_ZEROCOPY}, where Linux ignores the flag, and a constant the platform lacks ({@link #UNSUPPORTED})
 * {@link UnsupportedOperationException}. An address of a family the socket cannot use (an IPv6 destination for
 * an IPv4 socket) is refused by the kernel, so nothing is sent, and the throwing calls report it as an
 * {@link IllegalArgumentException} (unchecked: a C porter's {@code catch (ErrnoException e)} does not see it) whose
 * cause is the kernel's {@link ErrnoException}, except {@link #sendmmsg} and
 * {@link #sendmmsgAt}, whose batch may hold several destinations: it throws the kernel's error ({@code EAFNOSUPPORT} as
 * {@link NotSupportedException}, as C's {@code sendmmsg} returns it). An IPv6 UDP socket not limited to IPv6
 * ({@link #IPV6_V6ONLY} 0, Linux's default) takes an IPv4 address as Linux does and sends over IPv4 (the address goes
 * to the kernel as the {@code sockaddr_in} it is); one limited to IPv6 gets the kernel's {@code ENETUNREACH}. Other
 * IPv6 sockets (TCP's {@code connect}, an ICMPv6 ping socket's {@code sendto}) refuse one with {@code EINVAL} whatever
 * the option says (thrown here as the {@link IllegalArgumentException} above); TCP with the option 0 reaches IPv4
 * through the IPv4-mapped form, {@code SockAddr.inet(mapped, port)} of the 16 bytes of {@code ::ffff:127.0.0.1}
 * ({@code java.net} makes an {@code Inet4Address} of it).
 * Descriptors are not checked: a bad one gets the kernel's {@code EBADF} or {@code ENOTSOCK}.
 *
 * <p>Buffers: the send calls and {@code write} send a {@link ByteBuffer}'s remaining bytes and advance its position
 * by the count sent; the receive calls and {@code read} fill it from its position. Direct buffers go to the kernel
 * by address. Heap data is copied to native memory for the call, so the garbage collector is never held back while
 * a call blocks; only a call that cannot block (a {@code send} from or a {@code recv} into a byte array of 8 KiB or
 * more with {@code MSG_DONTWAIT} and without {@code MSG_MORE}, on a UDP socket posix-send made and has not closed: a
 * netlink request, for one, runs in the
 * caller under a lock the whole system shares, and a TCP call waits for its socket's lock while another thread's
 * send holds it) may pass the array in place where the backend can (JNI, FFM), the
 * collector waiting only while the kernel copies the bytes. A
 * direct buffer over a memory segment whose arena is closed throws {@link IllegalStateException}, as java.nio does:
 * the JDK's own, from a byte posix-send reads of the buffer before the call, so its message ("Already closed")
 * names no call; a confined arena's buffer used on a thread other than its owner gets the JDK's
 * {@code WrongThreadException} (JDK 19 and later) the same way.
 * A direct buffer over a segment of a shared arena (JDK 22 and later; a shared resource scope of
 * {@code jdk.incubator.foreign} on JDK 17; the preview's shared arena on JDK 21), which any thread may close
 * while a call uses it, goes through native memory of posix-send's own like heap data: the kernel never holds its
 * address, and an arena closed during a receive or a read makes the call throw {@link IllegalStateException} when the
 * bytes are copied in: they were taken from the socket or pipe, and are lost. On JDK 18 to 20, whose APIs posix-send
 * does not ask, such a buffer goes by address, and closing its arena during a call is the program's risk. A direct
 * buffer at address 0 ({@code MemorySegment.NULL.asByteBuffer()}, an empty {@code MemorySegment.ofAddress(0)}'s) is
 * no memory: every call given one returns {@code -EINVAL} (throws {@link InvalidArgumentException}) on every backend,
 * where C's {@code send(fd, NULL, 0, 0)} sends an empty datagram; an empty {@code ByteBuffer.allocateDirect(0)} has an
 * address, and sends one.
 *
 * <p>Hot loops use the non-throwing forms ({@code trySend}, {@code trySendto}, {@code tryWrite}, ...; an event
 * loop's {@code tryAccept} and {@code tryConnect}): they return the count (or descriptor, or 0), or {@code -errno} on
 * failure, and allocate nothing when given a direct buffer or an array and, for {@code trySendto} and
 * {@code tryConnect}, a prepared {@link SockAddr}.
 *
 * <p>The constants below have the running platform's values; one the platform lacks is {@link #UNSUPPORTED}.
 *
 * <p><b>When posix-send cannot work.</b> Loading never fails class initialization. When the running system is
 * not one posix-send supports (Linux on x86_64 or aarch64, NetBSD on amd64), or no backend loads (the native
 * library is missing or refused and JNR-FFI cannot stand in, or {@code -Dposixsend.backend} names one that cannot
 * load), {@link #isAvailable()} is false, {@link #unavailabilityCause()} says what was tried and what can be
 * done, every constant here is {@link #UNSUPPORTED}, and every call of the library (here, in {@link Message},
 * {@link MessageBatch}, {@link PollSet}, {@link SockAddr}, {@link SockAddrBuffer}, {@link ControlMessage} and
 * {@link MsgFlag#value()}) throws a new {@link UnsupportedOperationException} whose cause is that same
 * {@code Throwable}, every time. Code that can do without posix-send checks {@link #isAvailable()} first.
 * posix-send prints nothing: what it has to say (the fallback from JNI to JNR-FFI, why it is unavailable) goes to
 * the {@link System.Logger} named {@code io.github.posixsend} at level {@code DEBUG}.
 */
public final class Posix {
    /** The value of a constant the running platform does not define (for example {@code TCP_CORK} on NetBSD). */
    public static final int UNSUPPORTED = Platform.UNSUPPORTED;


    /** {@code MSG_ZEROCOPY}'s bit where the platform has it, else 0. */
    private static final int ZEROCOPY = zerocopyBit();

    /** {@code AF_UNSPEC}. */
    public static final int AF_UNSPEC = constant("AF_UNSPEC");

    /** {@code AF_UNIX}. */
    public static final int AF_UNIX = constant("AF_UNIX");

    /** {@code AF_INET}. */
    public static final int AF_INET = constant("AF_INET");

    /** {@code AF_INET6}. */
    public static final int AF_INET6 = constant("AF_INET6");

    /** {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = constant("SOCK_STREAM");

    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = constant("SOCK_DGRAM");

    /** {@code SOCK_RAW}. */
    public static final int SOCK_RAW = constant("SOCK_RAW");

    /** {@code SOCK_SEQPACKET}. */
    public static final int SOCK_SEQPACKET = constant("SOCK_SEQPACKET");

    /** {@code SOCK_NONBLOCK}. */
    public static final int SOCK_NONBLOCK = constant("SOCK_NONBLOCK");

    /** {@code SOCK_CLOEXEC}. */
    public static final int SOCK_CLOEXEC = constant("SOCK_CLOEXEC");

    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = constant("SOL_SOCKET");

    /** {@code SO_DEBUG}. */
    public static final int SO_DEBUG = constant("SO_DEBUG");

    /** {@code SO_REUSEADDR}. */
    public static final int SO_REUSEADDR = constant("SO_REUSEADDR");

    /** {@code SO_TYPE}. */
    public static final int SO_TYPE = constant("SO_TYPE");

    /** {@code SO_ERROR}. */
    public static final int SO_ERROR = constant("SO_ERROR");

    /** {@code SO_DONTROUTE}. */
    public static final int SO_DONTROUTE = constant("SO_DONTROUTE");

    /** {@code SO_BROADCAST}. */
    public static final int SO_BROADCAST = constant("SO_BROADCAST");

    /** {@code SO_SNDBUF}. */
    public static final int SO_SNDBUF = constant("SO_SNDBUF");

    /** {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = constant("SO_RCVBUF");

    /** {@code SO_KEEPALIVE}. */
    public static final int SO_KEEPALIVE = constant("SO_KEEPALIVE");

    /** {@code SO_OOBINLINE}. */
    public static final int SO_OOBINLINE = constant("SO_OOBINLINE");

    /**
     * {@code SO_LINGER}: a {@code struct linger}, set and read with {@link #setsockopt(int, int, int, Linger)} and
     * {@link #getsockoptLinger(int, int, int)}. The {@code int} forms pass 4 bytes, as C's would: Linux refuses them
     * on set ({@code EINVAL}) and on read answers with {@code l_onoff} alone.
     */
    public static final int SO_LINGER = constant("SO_LINGER");

    /** {@code SO_REUSEPORT}. */
    public static final int SO_REUSEPORT = constant("SO_REUSEPORT");

    /** {@code SO_RCVLOWAT}. */
    public static final int SO_RCVLOWAT = constant("SO_RCVLOWAT");

    /** {@code SO_SNDLOWAT}. */
    public static final int SO_SNDLOWAT = constant("SO_SNDLOWAT");

    /**
     * {@code SO_TIMESTAMP}: each datagram received carries when it arrived, to the microsecond, as an
     * {@link #SCM_TIMESTAMP} control message ({@link ControlMessage.Kind#TIMESTAMP}).
     */
    public static final int SO_TIMESTAMP = constant("SO_TIMESTAMP");

    /**
     * {@code SCM_TIMESTAMP}: the type of the control message that carries a received datagram's
     * {@code struct timeval}, with {@link #SO_TIMESTAMP} (Linux's is {@code SO_TIMESTAMP} itself; NetBSD's is not).
     */
    public static final int SCM_TIMESTAMP = constant("SCM_TIMESTAMP");

    /** {@code SO_SNDBUFFORCE} (Linux only). */
    public static final int SO_SNDBUFFORCE = constant("SO_SNDBUFFORCE");

    /** {@code SO_PROTOCOL} (Linux only). */
    public static final int SO_PROTOCOL = constant("SO_PROTOCOL");

    /** {@code SO_DOMAIN} (Linux only). */
    public static final int SO_DOMAIN = constant("SO_DOMAIN");

    /**
     * {@code SO_ZEROCOPY} (Linux only): lets {@link MsgFlag#MSG_ZEROCOPY} sends go without a copy; their buffers come
     * back through {@link ZerocopySends}.
     */
    public static final int SO_ZEROCOPY = constant("SO_ZEROCOPY");

    /** {@code SO_NOSIGPIPE} (NetBSD only). */
    public static final int SO_NOSIGPIPE = constant("SO_NOSIGPIPE");

    /** {@code IPPROTO_IP}. */
    public static final int IPPROTO_IP = constant("IPPROTO_IP");

    /** {@code IPPROTO_TCP}. */
    public static final int IPPROTO_TCP = constant("IPPROTO_TCP");

    /** {@code IPPROTO_UDP}. */
    public static final int IPPROTO_UDP = constant("IPPROTO_UDP");

    /** {@code IPPROTO_IPV6}. */
    public static final int IPPROTO_IPV6 = constant("IPPROTO_IPV6");

    /** {@code SOL_UDP} (Linux only). */
    public static final int SOL_UDP = constant("SOL_UDP");

    /** {@code SOL_IP} (Linux only): {@link #IPPROTO_IP} as an option level, the same number. */
    public static final int SOL_IP = constant("SOL_IP");

    /** {@code SOL_TCP} (Linux only): {@link #IPPROTO_TCP} as an option level, the same number. */
    public static final int SOL_TCP = constant("SOL_TCP");

    /** {@code SOL_IPV6} (Linux only): {@link #IPPROTO_IPV6} as an option level, the same number. */
    public static final int SOL_IPV6 = constant("SOL_IPV6");

    /** {@code TCP_NODELAY}. */
    public static final int TCP_NODELAY = constant("TCP_NODELAY");

    /** {@code TCP_MAXSEG}. */
    public static final int TCP_MAXSEG = constant("TCP_MAXSEG");

    /** {@code TCP_CORK} (Linux only). */
    public static final int TCP_CORK = constant("TCP_CORK");

    /** {@code TCP_QUICKACK} (Linux only). */
    public static final int TCP_QUICKACK = constant("TCP_QUICKACK");

    /** {@code TCP_NOTSENT_LOWAT} (Linux only). */
    public static final int TCP_NOTSENT_LOWAT = constant("TCP_NOTSENT_LOWAT");

    /** {@code IP_TOS}. */
    public static final int IP_TOS = constant("IP_TOS");

    /** {@code IP_TTL}. */
    public static final int IP_TTL = constant("IP_TTL");

    /**
     * {@code IP_PKTINFO}: on Linux, the option that makes {@code recvmsg} return an {@code IP_PKTINFO} control
     * message (destination address and interface) with each datagram, and that control message's type, also for
     * choosing the source on {@code sendmsg}. NetBSD turns the receiving on with {@link #IP_RECVPKTINFO} instead
     * and uses {@code IP_PKTINFO} for the control message only.
     */
    public static final int IP_PKTINFO = constant("IP_PKTINFO");

    /**
     * {@code IP_RECVPKTINFO} (NetBSD only, 26): the option that makes {@code recvmsg} return an {@code IP_PKTINFO}
     * control message with each datagram; Linux uses {@link #IP_PKTINFO} for this.
     */
    public static final int IP_RECVPKTINFO = constant("IP_RECVPKTINFO");

    /**
     * {@code IP_RECVTOS} (Linux only): receive each datagram's type-of-service byte, as an {@code IP_TOS} control
     * message of one byte ({@link ControlMessage.Kind#IP_TOS}, read without allocating by
     * {@link Message#receivedValue}{@code (ControlMessage.Kind.IP_TOS)}).
     */
    public static final int IP_RECVTOS = constant("IP_RECVTOS");

    /**
     * {@code IP_RECVTTL}: receive each datagram's TTL (Linux 12, NetBSD 23). Linux delivers it as an {@code IP_TTL}
     * control message with an {@code int}, NetBSD as an {@code IP_RECVTTL} one with a byte; both are
     * {@link ControlMessage.Kind#IP_TTL}, read without allocating by
     * {@link Message#receivedValue}{@code (ControlMessage.Kind.IP_TTL)}.
     */
    public static final int IP_RECVTTL = constant("IP_RECVTTL");

    /** {@code IP_MTU_DISCOVER} (Linux only). */
    public static final int IP_MTU_DISCOVER = constant("IP_MTU_DISCOVER");

    /**
     * {@code IP_PMTUDISC_DO} (Linux only): with {@link #IP_MTU_DISCOVER}, set the don't-fragment bit and never
     * fragment locally; a datagram larger than the path MTU fails with {@code EMSGSIZE}.
     */
    public static final int IP_PMTUDISC_DO = constant("IP_PMTUDISC_DO");

    /**
     * {@code IP_PMTUDISC_DONT} (Linux only): with {@link #IP_MTU_DISCOVER}, never set the don't-fragment bit: datagrams
     * larger than the path MTU are fragmented.
     */
    public static final int IP_PMTUDISC_DONT = constant("IP_PMTUDISC_DONT");

    /**
     * {@code IP_PMTUDISC_WANT} (Linux only): with {@link #IP_MTU_DISCOVER}, the kernel's default for most sockets: path
     * MTU discovery per route, fragmenting datagrams larger than the MTU it knows.
     */
    public static final int IP_PMTUDISC_WANT = constant("IP_PMTUDISC_WANT");

    /**
     * {@code IP_PMTUDISC_PROBE} (Linux only): with {@link #IP_MTU_DISCOVER}, set the don't-fragment bit but ignore the
     * path MTU the kernel has learnt (to probe it, as tracepath does).
     */
    public static final int IP_PMTUDISC_PROBE = constant("IP_PMTUDISC_PROBE");

    /**
     * {@code IP_PMTUDISC_INTERFACE} (Linux only): with {@link #IP_MTU_DISCOVER}, use the interface's MTU and ignore
     * ICMP "fragmentation needed" messages: a datagram larger than that MTU fails with {@code EMSGSIZE}.
     */
    public static final int IP_PMTUDISC_INTERFACE = constant("IP_PMTUDISC_INTERFACE");

    /**
     * {@code IP_PMTUDISC_OMIT} (Linux only): with {@link #IP_MTU_DISCOVER}, as {@code INTERFACE}, but fragment
     * datagrams larger than the interface MTU rather than fail; what DNS servers set, against forged "fragmentation
     * needed" messages.
     */
    public static final int IP_PMTUDISC_OMIT = constant("IP_PMTUDISC_OMIT");

    /**
     * {@code IP_RECVERR} (Linux only): errors of sent datagrams are queued on the socket; see {@link ExtendedError}.
     */
    public static final int IP_RECVERR = constant("IP_RECVERR");

    /** {@code IPV6_RECVERR} (Linux only): {@link #IP_RECVERR} for IPv6 sockets. */
    public static final int IPV6_RECVERR = constant("IPV6_RECVERR");

    /**
     * {@code IP_RECVERR_RFC4884} (Linux 5.9+ only): with {@link #IP_RECVERR}, an ICMP error's entry says where RFC 4884
     * extension structures start in the returned datagram ({@link ErrorQueueEntry#rfc4884Length()}).
     */
    public static final int IP_RECVERR_RFC4884 = constant("IP_RECVERR_RFC4884");

    /** {@code IPV6_RECVERR_RFC4884} (Linux 5.9+ only): {@link #IP_RECVERR_RFC4884} for IPv6 sockets. */
    public static final int IPV6_RECVERR_RFC4884 = constant("IPV6_RECVERR_RFC4884");

    /**
     * {@code SO_EE_RFC4884_FLAG_INVALID} (Linux 5.9+ only): {@link ErrorQueueEntry#rfc4884Flags()} of an ICMP error
     * whose extension structure failed its checks.
     */
    public static final int SO_EE_RFC4884_FLAG_INVALID = constant("SO_EE_RFC4884_FLAG_INVALID");

    /** {@code SO_EE_ORIGIN_NONE} (Linux only): an {@link ExtendedError} of no particular origin. */
    public static final int SO_EE_ORIGIN_NONE = constant("SO_EE_ORIGIN_NONE");

    /** {@code SO_EE_ORIGIN_LOCAL} (Linux only): the error arose on this host (such as {@code EMSGSIZE}). */
    public static final int SO_EE_ORIGIN_LOCAL = constant("SO_EE_ORIGIN_LOCAL");

    /** {@code SO_EE_ORIGIN_ICMP} (Linux only): an ICMP message reported the error. */
    public static final int SO_EE_ORIGIN_ICMP = constant("SO_EE_ORIGIN_ICMP");

    /** {@code SO_EE_ORIGIN_ICMP6} (Linux only): an ICMPv6 message reported the error. */
    public static final int SO_EE_ORIGIN_ICMP6 = constant("SO_EE_ORIGIN_ICMP6");

    /** {@code SO_EE_ORIGIN_ZEROCOPY} (Linux only): a completion of {@code MSG_ZEROCOPY} sends. */
    public static final int SO_EE_ORIGIN_ZEROCOPY = constant("SO_EE_ORIGIN_ZEROCOPY");

    /** {@code SO_EE_ORIGIN_TIMESTAMPING} (Linux only): a transmit timestamp. */
    public static final int SO_EE_ORIGIN_TIMESTAMPING = constant("SO_EE_ORIGIN_TIMESTAMPING");

    /** {@code SO_EE_CODE_ZEROCOPY_COPIED} (Linux only): the kernel copied the data of a zero-copy send after all. */
    public static final int SO_EE_CODE_ZEROCOPY_COPIED = constant("SO_EE_CODE_ZEROCOPY_COPIED");

    /**
     * {@code SO_EE_ORIGIN_TXTIME} (Linux only): a packet the queueing discipline dropped for its transmit time, on a
     * socket whose {@link SockTxtime} has {@link #SOF_TXTIME_REPORT_ERRORS}.
     */
    public static final int SO_EE_ORIGIN_TXTIME = constant("SO_EE_ORIGIN_TXTIME");

    /** {@code SO_EE_CODE_TXTIME_INVALID_PARAM} (Linux only): the packet's time or clock was not one it takes. */
    public static final int SO_EE_CODE_TXTIME_INVALID_PARAM = constant("SO_EE_CODE_TXTIME_INVALID_PARAM");

    /** {@code SO_EE_CODE_TXTIME_MISSED} (Linux only): the packet's deadline passed before it could leave. */
    public static final int SO_EE_CODE_TXTIME_MISSED = constant("SO_EE_CODE_TXTIME_MISSED");

    /**
     * {@code SO_TIMESTAMPING} (Linux only): the option, and per call a {@code sendmsg} control message; see
     * {@link TxTimestamp}.
     */
    public static final int SO_TIMESTAMPING = constant("SO_TIMESTAMPING");

    /** {@code SCM_TIMESTAMPING} (Linux only): the control message type that carries {@code struct scm_timestamping}. */
    public static final int SCM_TIMESTAMPING = constant("SCM_TIMESTAMPING");

    /**
     * {@code SCM_TIMESTAMPING_OPT_STATS} (Linux only): the control message type of the counters
     * {@link #SOF_TIMESTAMPING_OPT_STATS} adds to a TCP send's timestamp: netlink attributes ({@code struct nlattr},
     * then the value) typed by the {@code TCP_NLA_*} below. It arrives as a {@link ControlMessage.Kind#RAW} message:
     * {@link Message#receivedPayload} copies its bytes without allocating and {@link NetlinkAttributes} reads each
     * counter from them.
     */
    public static final int SCM_TIMESTAMPING_OPT_STATS = constant("SCM_TIMESTAMPING_OPT_STATS");

    /**
     * {@code TCP_NLA_PAD} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, padding that aligns the next
     * attribute's 64-bit value; carries nothing.
     */
    public static final int TCP_NLA_PAD = constant("TCP_NLA_PAD");

    /**
     * {@code TCP_NLA_BUSY} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, microseconds the connection
     * was busy sending data (u64).
     */
    public static final int TCP_NLA_BUSY = constant("TCP_NLA_BUSY");

    /**
     * {@code TCP_NLA_RWND_LIMITED} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, microseconds it was
     * limited by the receiver's window (u64).
     */
    public static final int TCP_NLA_RWND_LIMITED = constant("TCP_NLA_RWND_LIMITED");

    /**
     * {@code TCP_NLA_SNDBUF_LIMITED} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, microseconds it
     * was limited by the send buffer (u64).
     */
    public static final int TCP_NLA_SNDBUF_LIMITED = constant("TCP_NLA_SNDBUF_LIMITED");

    /**
     * {@code TCP_NLA_DATA_SEGS_OUT} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, data segments sent,
     * retransmissions included (u64).
     */
    public static final int TCP_NLA_DATA_SEGS_OUT = constant("TCP_NLA_DATA_SEGS_OUT");

    /**
     * {@code TCP_NLA_TOTAL_RETRANS} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, data segments
     * retransmitted (u64).
     */
    public static final int TCP_NLA_TOTAL_RETRANS = constant("TCP_NLA_TOTAL_RETRANS");

    /**
     * {@code TCP_NLA_PACING_RATE} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, the pacing rate,
     * bytes a second (u64).
     */
    public static final int TCP_NLA_PACING_RATE = constant("TCP_NLA_PACING_RATE");

    /**
     * {@code TCP_NLA_DELIVERY_RATE} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, the delivery rate,
     * bytes a second (u64).
     */
    public static final int TCP_NLA_DELIVERY_RATE = constant("TCP_NLA_DELIVERY_RATE");

    /**
     * {@code TCP_NLA_SND_CWND} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, the congestion window,
     * in segments (u32).
     */
    public static final int TCP_NLA_SND_CWND = constant("TCP_NLA_SND_CWND");

    /**
     * {@code TCP_NLA_REORDERING} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, the reordering metric
     * (u32).
     */
    public static final int TCP_NLA_REORDERING = constant("TCP_NLA_REORDERING");

    /**
     * {@code TCP_NLA_MIN_RTT} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, the least round-trip time
     * seen, microseconds (u32).
     */
    public static final int TCP_NLA_MIN_RTT = constant("TCP_NLA_MIN_RTT");

    /**
     * {@code TCP_NLA_RECUR_RETRANS} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, retransmissions of
     * the current segment (u8).
     */
    public static final int TCP_NLA_RECUR_RETRANS = constant("TCP_NLA_RECUR_RETRANS");

    /**
     * {@code TCP_NLA_DELIVERY_RATE_APP_LMT} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, whether the
     * delivery rate was limited by the application, 0 or 1 (u8).
     */
    public static final int TCP_NLA_DELIVERY_RATE_APP_LMT = constant("TCP_NLA_DELIVERY_RATE_APP_LMT");

    /**
     * {@code TCP_NLA_SNDQ_SIZE} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, bytes in the send queue
     * (u32).
     */
    public static final int TCP_NLA_SNDQ_SIZE = constant("TCP_NLA_SNDQ_SIZE");

    /**
     * {@code TCP_NLA_CA_STATE} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, the congestion-avoidance
     * state, 0 for open (u8).
     */
    public static final int TCP_NLA_CA_STATE = constant("TCP_NLA_CA_STATE");

    /**
     * {@code TCP_NLA_SND_SSTHRESH} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, the slow-start
     * threshold, in segments (u32).
     */
    public static final int TCP_NLA_SND_SSTHRESH = constant("TCP_NLA_SND_SSTHRESH");

    /**
     * {@code TCP_NLA_DELIVERED} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, data segments
     * delivered, out of order included (u32).
     */
    public static final int TCP_NLA_DELIVERED = constant("TCP_NLA_DELIVERED");

    /**
     * {@code TCP_NLA_DELIVERED_CE} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, those of them marked
     * congestion-experienced (u32).
     */
    public static final int TCP_NLA_DELIVERED_CE = constant("TCP_NLA_DELIVERED_CE");

    /**
     * {@code TCP_NLA_BYTES_SENT} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, data bytes sent,
     * retransmissions included (u64).
     */
    public static final int TCP_NLA_BYTES_SENT = constant("TCP_NLA_BYTES_SENT");

    /**
     * {@code TCP_NLA_BYTES_RETRANS} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, data bytes
     * retransmitted (u64).
     */
    public static final int TCP_NLA_BYTES_RETRANS = constant("TCP_NLA_BYTES_RETRANS");

    /**
     * {@code TCP_NLA_DSACK_DUPS} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, DSACK blocks received
     * (u32).
     */
    public static final int TCP_NLA_DSACK_DUPS = constant("TCP_NLA_DSACK_DUPS");

    /**
     * {@code TCP_NLA_REORD_SEEN} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, reordering events seen
     * (u32).
     */
    public static final int TCP_NLA_REORD_SEEN = constant("TCP_NLA_REORD_SEEN");

    /**
     * {@code TCP_NLA_SRTT} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, the smoothed round-trip
     * time, microseconds (u32).
     */
    public static final int TCP_NLA_SRTT = constant("TCP_NLA_SRTT");

    /**
     * {@code TCP_NLA_TIMEOUT_REHASH} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, timeout-triggered
     * rehash attempts (u16).
     */
    public static final int TCP_NLA_TIMEOUT_REHASH = constant("TCP_NLA_TIMEOUT_REHASH");

    /**
     * {@code TCP_NLA_BYTES_NOTSENT} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, bytes in the write
     * queue not yet sent (u32).
     */
    public static final int TCP_NLA_BYTES_NOTSENT = constant("TCP_NLA_BYTES_NOTSENT");

    /**
     * {@code TCP_NLA_EDT} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, the earliest departure time
     * of the packet, nanoseconds of CLOCK_MONOTONIC (u64).
     */
    public static final int TCP_NLA_EDT = constant("TCP_NLA_EDT");

    /**
     * {@code TCP_NLA_TTL} (Linux only): an {@link #SCM_TIMESTAMPING_OPT_STATS} attribute, the TTL or hop limit of a
     * packet received (u8).
     */
    public static final int TCP_NLA_TTL = constant("TCP_NLA_TTL");

    /**
     * {@code SCM_TIMESTAMPING_PKTINFO} (Linux only): the control message type of a {@code struct scm_ts_pktinfo}
     * (the interface and the packet's length) that {@link #SOF_TIMESTAMPING_OPT_PKTINFO} adds to a received packet's
     * hardware timestamp; a {@link ControlMessage.Kind#RAW} message.
     */
    public static final int SCM_TIMESTAMPING_PKTINFO = constant("SCM_TIMESTAMPING_PKTINFO");

    /**
     * {@code SCM_TIMESTAMPNS} (Linux only): a received datagram's {@code struct timespec}, with
     * {@link #SO_TIMESTAMPNS}.
     */
    public static final int SCM_TIMESTAMPNS = constant("SCM_TIMESTAMPNS");

    /** {@code SOF_TIMESTAMPING_TX_SCHED} (Linux only): timestamp a send when it enters the packet scheduler. */
    public static final int SOF_TIMESTAMPING_TX_SCHED = constant("SOF_TIMESTAMPING_TX_SCHED");

    /** {@code SOF_TIMESTAMPING_TX_SOFTWARE} (Linux only): timestamp a send when the driver takes it. */
    public static final int SOF_TIMESTAMPING_TX_SOFTWARE = constant("SOF_TIMESTAMPING_TX_SOFTWARE");

    /** {@code SOF_TIMESTAMPING_TX_ACK} (Linux only, TCP): timestamp a send when all its bytes are acknowledged. */
    public static final int SOF_TIMESTAMPING_TX_ACK = constant("SOF_TIMESTAMPING_TX_ACK");

    /** {@code SOF_TIMESTAMPING_RX_SOFTWARE} (Linux only): timestamp received data in software. */
    public static final int SOF_TIMESTAMPING_RX_SOFTWARE = constant("SOF_TIMESTAMPING_RX_SOFTWARE");

    /** {@code SOF_TIMESTAMPING_SOFTWARE} (Linux only): report software timestamps. */
    public static final int SOF_TIMESTAMPING_SOFTWARE = constant("SOF_TIMESTAMPING_SOFTWARE");

    /** {@code SOF_TIMESTAMPING_OPT_ID} (Linux only): number the sends, so each timestamp names its send. */
    public static final int SOF_TIMESTAMPING_OPT_ID = constant("SOF_TIMESTAMPING_OPT_ID");

    /**
     * {@code SOF_TIMESTAMPING_OPT_TSONLY} (Linux only): queue the timestamps without a copy of the data (the entry's
     * data is empty, or with {@link #SOF_TIMESTAMPING_OPT_STATS} the counters).
     */
    public static final int SOF_TIMESTAMPING_OPT_TSONLY = constant("SOF_TIMESTAMPING_OPT_TSONLY");

    /**
     * {@code SOF_TIMESTAMPING_OPT_CMSG} (Linux only): a transmit timestamp comes with the sent packet's packet-info
     * control message ({@code IP_PKTINFO}, {@code IPV6_PKTINFO}) when the socket also asks for packet info
     * ({@link #IP_PKTINFO}, {@link #IPV6_RECVPKTINFO}), and not with {@link #SOF_TIMESTAMPING_OPT_TSONLY}, which keeps
     * no packet to read it from; the entry's offender then holds the packet's source address.
     */
    public static final int SOF_TIMESTAMPING_OPT_CMSG = constant("SOF_TIMESTAMPING_OPT_CMSG");

    /**
     * {@code SOF_TIMESTAMPING_TX_HARDWARE} (Linux only): timestamp a send in the network card, which must be set up
     * for it first ({@code SIOCSHWTSTAMP}, outside posix-send); loopback has no such clock and reports none.
     */
    public static final int SOF_TIMESTAMPING_TX_HARDWARE = constant("SOF_TIMESTAMPING_TX_HARDWARE");

    /** {@code SOF_TIMESTAMPING_RX_HARDWARE} (Linux only): timestamp received data in the network card. */
    public static final int SOF_TIMESTAMPING_RX_HARDWARE = constant("SOF_TIMESTAMPING_RX_HARDWARE");

    /**
     * {@code SOF_TIMESTAMPING_RAW_HARDWARE} (Linux only): report the card's timestamps, the third of a
     * {@code scm_timestamping}'s times.
     */
    public static final int SOF_TIMESTAMPING_RAW_HARDWARE = constant("SOF_TIMESTAMPING_RAW_HARDWARE");

    /**
     * {@code SOF_TIMESTAMPING_OPT_STATS} (Linux only, with {@link #SOF_TIMESTAMPING_OPT_TSONLY}): a TCP send's
     * timestamp comes with an {@link #SCM_TIMESTAMPING_OPT_STATS} message of the connection's counters, which
     * arrives as a {@link ControlMessage.Kind#RAW} message.
     */
    public static final int SOF_TIMESTAMPING_OPT_STATS = constant("SOF_TIMESTAMPING_OPT_STATS");

    /**
     * {@code SOF_TIMESTAMPING_OPT_PKTINFO} (Linux only): a received hardware timestamp names its interface, in an
     * {@link #SCM_TIMESTAMPING_PKTINFO} message.
     */
    public static final int SOF_TIMESTAMPING_OPT_PKTINFO = constant("SOF_TIMESTAMPING_OPT_PKTINFO");

    /** {@code SOF_TIMESTAMPING_OPT_TX_SWHW} (Linux only): a send may get a software and a hardware timestamp both. */
    public static final int SOF_TIMESTAMPING_OPT_TX_SWHW = constant("SOF_TIMESTAMPING_OPT_TX_SWHW");

    /**
     * {@code SOF_TIMESTAMPING_BIND_PHC} (Linux 5.18+ only): hardware times from a PTP virtual clock of the device the
     * socket is bound to, named by {@code struct so_timestamping}'s {@code bind_phc} (an option of 8 bytes); the
     * {@code int} form names clock 0. Linux answers {@code EOPNOTSUPP} on a socket bound to no device and
     * {@code EINVAL} when the device has no such clock.
     */
    public static final int SOF_TIMESTAMPING_BIND_PHC = constant("SOF_TIMESTAMPING_BIND_PHC");

    /**
     * {@code SO_SELECT_ERR_QUEUE} (Linux only): on a datagram socket (UDP, raw, ICMP) an entry on the error queue
     * also wakes a {@code poll} that asks for {@link #POLLPRI} with it, besides {@link #POLLERR}, which is always
     * reported; a TCP socket's poll reports {@link #POLLERR} alone either way.
     */
    public static final int SO_SELECT_ERR_QUEUE = constant("SO_SELECT_ERR_QUEUE");

    /** {@code SCM_TSTAMP_SCHED} (Linux only): {@code ee_info} of a timestamp taken at the packet scheduler. */
    public static final int SCM_TSTAMP_SCHED = constant("SCM_TSTAMP_SCHED");

    /** {@code SCM_TSTAMP_SND} (Linux only): {@code ee_info} of a timestamp taken when the data left for the device. */
    public static final int SCM_TSTAMP_SND = constant("SCM_TSTAMP_SND");

    /** {@code SCM_TSTAMP_ACK} (Linux only): {@code ee_info} of a timestamp taken when the data was acknowledged. */
    public static final int SCM_TSTAMP_ACK = constant("SCM_TSTAMP_ACK");

    /** {@code IPV6_UNICAST_HOPS}. */
    public static final int IPV6_UNICAST_HOPS = constant("IPV6_UNICAST_HOPS");

    /** {@code IPV6_V6ONLY}. */
    public static final int IPV6_V6ONLY = constant("IPV6_V6ONLY");

    /** {@code IPV6_RECVPKTINFO}. */
    public static final int IPV6_RECVPKTINFO = constant("IPV6_RECVPKTINFO");

    /** {@code IPV6_PKTINFO}. */
    public static final int IPV6_PKTINFO = constant("IPV6_PKTINFO");

    /** {@code IPV6_RECVHOPLIMIT}. */
    public static final int IPV6_RECVHOPLIMIT = constant("IPV6_RECVHOPLIMIT");

    /** {@code IPV6_HOPLIMIT}. */
    public static final int IPV6_HOPLIMIT = constant("IPV6_HOPLIMIT");

    /** {@code IPV6_RECVTCLASS}. */
    public static final int IPV6_RECVTCLASS = constant("IPV6_RECVTCLASS");

    /** {@code IPV6_TCLASS}. */
    public static final int IPV6_TCLASS = constant("IPV6_TCLASS");

    /**
     * {@code UDP_SEGMENT} (Linux only, level {@link #SOL_UDP}): as a socket option (an {@code int}), the segment
     * size of every send; as a control message, of one ({@link ControlMessage#udpSegment}, which says what the kernel
     * refuses).
     */
    public static final int UDP_SEGMENT = constant("UDP_SEGMENT");

    /**
     * {@code UDP_GRO} (Linux only, level {@link #SOL_UDP}): a UDP socket with it set takes datagrams the kernel
     * received as several segments (or a {@code UDP_SEGMENT} send over loopback) as one, each with a
     * {@link ControlMessage.Kind#UDP_GRO} control message of its segment size ({@link Message#receivedValue}). A
     * datagram that came as one segment (a plain one, or a {@code UDP_SEGMENT} send no larger than its segment size)
     * comes without one, in C too ({@code receivedValue} -1).
     */
    public static final int UDP_GRO = constant("UDP_GRO");

    /** {@code SCM_RIGHTS}. */
    public static final int SCM_RIGHTS = constant("SCM_RIGHTS");

    /** {@code SCM_CREDENTIALS} (Linux only). */
    public static final int SCM_CREDENTIALS = constant("SCM_CREDENTIALS");

    /** {@code SHUT_RD}. */
    public static final int SHUT_RD = constant("SHUT_RD");

    /** {@code SHUT_WR}. */
    public static final int SHUT_WR = constant("SHUT_WR");

    /** {@code SHUT_RDWR}. */
    public static final int SHUT_RDWR = constant("SHUT_RDWR");

    /** {@code SOMAXCONN}. */
    public static final int SOMAXCONN = constant("SOMAXCONN");

    /** {@code IOV_MAX}. */
    public static final int IOV_MAX = constant("IOV_MAX");

    private Posix() {
    }

    /** The backend, or the unavailability exception (a new one at every call, with the same cause). */
    private static Backend b() {
        return ChosenBackend.get();
    }

    private static int constant(String name) {
        return Platform.value(name);
    }

    /** {@code MSG_ZEROCOPY}'s bit, or 0 where the platform lacks it or posix-send cannot work here. */
    private static int zerocopyBit() {
        try {
            return MsgFlag.MSG_ZEROCOPY.isSupported() ? MsgFlag.MSG_ZEROCOPY.value() : 0;
        } catch (RuntimeException unavailable) {
            return 0;
        }
    }

    /**
     * Whether posix-send can make its calls in this JVM: the running system is one it supports and a backend
     * loaded (see the class description, "When posix-send cannot work"). Never throws; the first call decides,
     * once per JVM.
     *
     * @return true when a backend is loaded; false when every call throws
     */
    public static boolean isAvailable() {
        return Backends.isAvailable();
    }

    /**
     * Why posix-send cannot work in this JVM: the failure that says what was tried and what can be done (an
     * {@link UnsupportedOperationException} naming the system when it is not one posix-send supports, an
     * {@link UnsatisfiedLinkError} naming every place the native library was looked for, ...). It is the cause of
     * the exception every call then throws. Never throws.
     *
     * @return the failure, or null when {@link #isAvailable()} is true
     */
    public static Throwable unavailabilityCause() {
        return Backends.unavailabilityCause();
    }

    /**
     * The backend in use: {@code "jni"} (the bundled shim), {@code "ffm"} (the JDK's foreign function API, JDK 22
     * and later) or {@code "jnr"} (JNR-FFI).
     *
     * @return the backend's name
     * @throws UnsupportedOperationException when posix-send cannot work in this JVM (see {@link #isAvailable()})
     */
    public static String backendName() {
        return b().name();
    }

    /**
     * True when {@code constant} is defined on the running platform, that is not {@link #UNSUPPORTED}.
     *
     * @param constant a constant of this class, or any other int
     * @return true unless {@code constant} is {@link #UNSUPPORTED}
     */
    public static boolean isSupported(int constant) {
        return constant != UNSUPPORTED;
    }

    /**
     * Refuses a call one of whose constants the platform lacks, naming it: {@code names} lists what each constant
     * is, in order, comma-separated ("level, name"; a constant the call itself needs by its C name, such as
     * "SO_ATTACH_FILTER"). One, two or three constants, each form without an array, so that the non-throwing calls
     * that check theirs allocate nothing.
     */
    private static void requireSupported(String call, String names, int a) {
        if (a == UNSUPPORTED) {
            refuseUnsupported(call, names, a);
        }
    }

    private static void requireSupported(String call, String names, int a, int b) {
        if (a == UNSUPPORTED || b == UNSUPPORTED) {
            refuseUnsupported(call, names, a, b);
        }
    }

    private static void requireSupported(String call, String names, int a, int b, int c) {
        if (a == UNSUPPORTED || b == UNSUPPORTED || c == UNSUPPORTED) {
            refuseUnsupported(call, names, a, b, c);
        }
    }

    /** The refusal {@link #requireSupported(String, String, int)} and its overloads make, when they make one. */
    private static void refuseUnsupported(String call, String names, int... constants) {
        for (int i = 0; i < constants.length; i++) {
            if (constants[i] == UNSUPPORTED) {
                Backends.requireAvailable();
                throw new UnsupportedOperationException(call + ": " + names.split(", ")[i] + " is Posix.UNSUPPORTED,"
                        + " a constant " + Platform.os() + " does not define (Posix.isSupported tells)");
            }
        }
    }

    /** Refuses an option whose value the kernel may read past an {@code int} ({@link OptionValues#passAsInt}). */
    private static void requireIntOption(String call, int level, int name) {
        Backends.requireAvailable(); // without one no option is known, and the refusal would hide the real cause
        if (!OptionValues.passAsInt(level, name)) {
            throw new IllegalArgumentException(call + ": option " + name + " of level " + level + " is not passed as"
                    + " an int: its value is a structure, and some such options (netfilter's, AF_XDP's memory"
                    + " registration, a classic BPF program's) copy a whole one to or from where the value lies"
                    + " whatever its length (the kernel would reach memory Java never gave it)");
        }
    }

    /**
     * Refuses, as {@link #requireSupported} does, a constant the platform lacks, and an option posix-send does not
     * pass as bytes: one whose value holds an address the kernel would use, of a level whose options it does not
     * know, or, for a read ({@code read}), one whose length the kernel takes from the value ({@link OptionValues}).
     */
    private static void requireBytesOption(String call, int level, int name, boolean read) {
        Backends.requireAvailable(); // without one no option is known, and the refusal would hide the real cause
        requireSupported(call, "level, name", level, name);
        if (!(read ? OptionValues.readAsBytes(level, name) : OptionValues.passAsBytes(level, name))) {
            throw new IllegalArgumentException(call + ": option " + name + " of level " + level + " is not passed as"
                    + " bytes: posix-send passes the options of SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP,"
                    + " IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_ICMPV6, SOL_RAW, SOL_NETLINK and SOL_PACKET whose values"
                    + " hold no address,"
                    + " and SOL_MPTCP's MPTCP_INFO, MPTCP_TCPINFO and MPTCP_SUBFLOW_ADDRS"
                    + " (on Linux not PACKET_FANOUT_DATA, nor netfilter's: IPPROTO_IP's 64 to 199 and 213 up,"
                    + " IPPROTO_IPV6's 64, 65, 68 and 69; classic BPF programs go through setsockoptFilter), and reads"
                    + " those whose length the kernel takes from the"
                    + " length offered (the kernel would otherwise read or write memory Java never gave it)");
        }
    }

    private static int check(String call, int result) throws ErrnoException {
        if (result < 0) {
            throw ErrnoException.of(call, -result);
        }
        return result;
    }

    /** As {@link #check(String, int)} for a socket option call, whose message names the option. */
    private static int checkOption(String call, int level, int name, int result) throws ErrnoException {
        if (result < 0) {
            throw ErrnoException.of(call, -result).withArguments(OptionNames.option(level, name));
        }
        return result;
    }

    /**
     * Room offered beyond a structure read with {@code getsockopt}: the kernel cuts a longer value to the room
     * offered without complaint, so only with room to spare does a longer one show by its length.
     */
    private static final int SHAPE_SLACK = 8;

    /**
     * {@code getsockopt(2)} of a {@code struct} of {@code size} bytes, for the typed getters: its bytes in the
     * platform's order. An answer of another length is refused: the kernel gives another option's value (an
     * {@code int}'s 4 bytes, a longer structure's first bytes) without complaint, and reading it as the structure
     * would make up a value.
     */
    private static ByteBuffer getsockoptStruct(String struct, int fd, int level, int name, int size)
            throws ErrnoException {
        byte[] raw = new byte[size + SHAPE_SLACK];
        int got = checkOption("getsockopt", level, name, b().getsockoptBytes(fd, level, name, raw, raw.length));
        if (got != size) {
            throw new IllegalArgumentException("getsockopt(" + OptionNames.option(level, name) + ") gave " + got
                    + " bytes, not a " + struct + "'s " + size + ": the option's value has another shape");
        }
        return optionBytes(raw);
    }

    /** As {@link #check(String, int)} for {@code ioctl}, whose message names the request. */
    private static int checkIoctl(int request, int result) throws ErrnoException {
        if (result < 0) {
            throw ErrnoException.of("ioctl", -result).withArguments(OptionNames.ioctl(request));
        }
        return result;
    }

    /**
     * As {@link #check(String, int)} for a call given an address. The kernel refuses an address of a family the
     * socket cannot use (an IPv6 destination for an IPv4 socket) with {@code EAFNOSUPPORT} or {@code EINVAL}; only
     * then, on that cold path, the socket's own family is asked for, and a mismatch is thrown as the
     * {@link IllegalArgumentException} a Java user expects, with the kernel's {@link ErrnoException} as its cause.
     * Nothing was sent either way; the non-throwing forms keep returning the plain {@code -errno}. Linux's IPv6
     * datagram sockets take IPv4 addresses to send to and connect to, so there an {@code EINVAL} has another cause
     * (a bad control message, say) and stays the kernel's error; a stream socket's {@code connect} does not, nor does
     * an ICMPv6 ping socket, nor a socket limited to IPv6 ({@code IPV6_V6ONLY}).
     */
    private static long checkAddressed(String call, int fd, long result, SocketAddress address) throws ErrnoException {
        if (result >= 0) {
            return result;
        }
        ErrnoException e = ErrnoException.of(call, (int) -result);
        if (address != null && (e.errno() == Errno.EAFNOSUPPORT || e.errno() == Errno.EINVAL)) {
            int wanted = SockAddr.of(address).family();
            int own = socketFamily(fd);
            boolean mayBeTaken = own == AF_INET6 && wanted == AF_INET && !call.equals("bind")
                    && e.errno() == Errno.EINVAL && takesIpv4(fd);
            if (own >= 0 && own != wanted && !mayBeTaken) {
                boolean v6only = own == AF_INET6 && wanted == AF_INET && refusedForV6only(call, fd);
                throw new IllegalArgumentException(call + ": an " + familyName(wanted)
                        + " address cannot be used on an " + familyName(own) + " socket"
                        + (v6only ? " limited to IPv6 (IPV6_V6ONLY)" : ""), e);
            }
        }
        throw e;
    }

    /** Whether the IPv6 socket {@code fd} may take an IPv4 address: a UDP one not limited to IPv6. */
    private static boolean takesIpv4(int fd) {
        return isUdp(fd) && intOption(fd, IPPROTO_IPV6, IPV6_V6ONLY) == 0;
    }

    /**
     * Whether {@code call}'s refusal of an IPv4 address by the IPv6 socket {@code fd} is its {@code IPV6_V6ONLY}'s,
     * which clearing the option would change: Linux's {@code connect} of a UDP socket (a ping socket refuses one
     * whatever the option says, {@code bind} any socket, and a {@code sendto} limited to IPv6 fails with
     * {@code ENETUNREACH}, not refused here).
     */
    private static boolean refusedForV6only(String call, int fd) {
        return Os.current() == Os.LINUX && call.equals("connect") && isUdp(fd)
                && intOption(fd, IPPROTO_IPV6, IPV6_V6ONLY) == 1;
    }

    /**
     * Whether {@code fd} is a UDP or UDP-Lite socket ({@code SO_TYPE}, {@code SO_PROTOCOL}), the IPv6 sockets that
     * take an IPv4 address unless limited to IPv6 (an ICMPv6 ping socket refuses one whatever its option says); where
     * the platform has no {@code SO_PROTOCOL}, any datagram socket.
     */
    private static boolean isUdp(int fd) {
        if (intOption(fd, SOL_SOCKET, SO_TYPE) != SOCK_DGRAM) {
            return false;
        }
        if (SO_PROTOCOL == UNSUPPORTED) {
            return true;
        }
        int protocol = intOption(fd, SOL_SOCKET, SO_PROTOCOL);
        return protocol == IPPROTO_UDP || protocol == IPPROTO_UDPLITE;
    }

    /** An int option's value for the cold paths above, or -1 when the kernel does not give it. */
    private static int intOption(int fd, int level, int name) {
        int[] value = {-1};
        return tryGetsockopt(fd, level, name, value) == 0 ? value[0] : -1;
    }

    /** The family of the socket {@code fd} as getsockname reports it, or -1 when the kernel does not say. */
    private static int socketFamily(int fd) {
        byte[] buf = new byte[Platform.value("SIZEOF_SOCKADDR_STORAGE")];
        int len = b().socketName(fd, false, buf);
        return len <= 0 ? -1 : SockAddr.fromImage(buf, len).family();
    }

    private static String familyName(int family) {
        return family == AF_INET ? "AF_INET" : family == AF_INET6 ? "AF_INET6" : family == AF_UNIX ? "AF_UNIX"
                : "address family " + family;
    }

    // ---- sockets -------------------------------------------------------------------------------------------

    /**
     * {@code socket(2)}: a new socket's descriptor.
     *
     * @param domain the address family, such as {@link #AF_INET}
     * @param type the socket type, such as {@link #SOCK_DGRAM}, optionally ORed with {@link #SOCK_NONBLOCK} or
     *     {@link #SOCK_CLOEXEC}
     * @param protocol the protocol, or 0 for the type's default
     * @return the new descriptor, the caller's to close
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAFNOSUPPORT} or
     *     {@code EPROTONOSUPPORT} for a family or protocol the kernel lacks, {@code EMFILE} or {@code ENFILE} when no
     *     descriptor is free, {@code EACCES} or {@code EPERM} for a raw socket without the privilege
     */
    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        return check("socket", trySocket(domain, type, protocol));
    }

    /**
     * {@link #socket(int, int, int)} without exceptions for kernel errors: the new descriptor, or {@code -errno}
     * ({@code -EMFILE} when no descriptor is free, which an accept loop meets too). Allocates nothing.
     *
     * @param domain the address family, such as {@link #AF_INET}
     * @param type the socket type, optionally ORed with {@link #SOCK_NONBLOCK} or {@link #SOCK_CLOEXEC}
     * @param protocol the protocol, or 0 for the type's default
     * @return the new descriptor, the caller's to close, or {@code -errno}
     * @throws UnsupportedOperationException when an argument is {@link #UNSUPPORTED}
     */
    public static int trySocket(int domain, int type, int protocol) {
        requireSupported("socket", "domain, type, protocol", domain, type, protocol);
        return own(b().socket(domain, type, protocol));
    }

    /**
     * Marks {@code fd}, which the kernel just handed out (or {@code -errno}, left as it is), as posix-send's own. A
     * failure on the way (a {@link StackOverflowError} of a caller near its stack's end) closes it rather than leak
     * a descriptor no one learns of.
     */
    private static int own(int fd) {
        try {
            return OwnedDescriptors.table().handedOut(fd);
        } catch (Throwable t) {
            if (fd >= 0) {
                b().close(fd);
            }
            throw t;
        }
    }

    /** {@link #own(int)} of a pair the kernel handed out; a failure closes both. */
    private static int[] ownPair(int[] fds) {
        try {
            InPlaceSockets.Owner owner = OwnedDescriptors.table();
            owner.handedOut(fds[0]);
            owner.handedOut(fds[1]);
            return fds;
        } catch (Throwable t) {
            b().close(fds[0]);
            b().close(fds[1]);
            throw t;
        }
    }

    /**
     * {@code socketpair(2)}: two connected sockets, as {@code {fd0, fd1}}.
     *
     * @param domain the address family: {@link #AF_UNIX}
     * @param type the socket type, such as {@link #SOCK_STREAM}, optionally ORed with {@link #SOCK_NONBLOCK} or
     *     {@link #SOCK_CLOEXEC}
     * @param protocol the protocol, or 0
     * @return the two descriptors, both the caller's to close
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EOPNOTSUPP} or
     *     {@code EAFNOSUPPORT} for a family without socket pairs, {@code EMFILE} or {@code ENFILE} when no descriptor
     *     is free
     */
    public static int[] socketpair(int domain, int type, int protocol) throws ErrnoException {
        requireSupported("socketpair", "domain, type, protocol", domain, type, protocol);
        int[] fds = new int[2];
        check("socketpair", b().socketpair(domain, type, protocol, fds));
        return ownPair(fds);
    }

    /**
     * {@link #socketpair(int, int, int)} without exceptions for kernel errors, into the caller's array as C's
     * {@code int sv[2]}: 0 with the two descriptors in {@code sv[0]} and {@code sv[1]}, or {@code -errno} with
     * {@code sv} as it was. Allocates nothing.
     *
     * @param domain the address family: {@link #AF_UNIX}
     * @param type the socket type, optionally ORed with {@link #SOCK_NONBLOCK} or {@link #SOCK_CLOEXEC}
     * @param protocol the protocol, or 0
     * @param sv receives the two descriptors, both the caller's to close
     * @return 0, or {@code -errno}
     * @throws NullPointerException when {@code sv} is null
     * @throws IllegalArgumentException when {@code sv} has room for fewer than two descriptors
     * @throws UnsupportedOperationException when an argument is {@link #UNSUPPORTED}
     */
    public static int trySocketpair(int domain, int type, int protocol, int[] sv) {
        requireSupported("socketpair", "domain, type, protocol", domain, type, protocol);
        requirePairRoom("socketpair", sv);
        int[] pair = PairScratch.PAIRS.get();
        int r = b().socketpair(domain, type, protocol, pair);
        return r < 0 ? r : handPair(pair, sv);
    }

    /** Refuses an array without room for the two descriptors of a pair. */
    private static void requirePairRoom(String call, int[] into) {
        if (Objects.requireNonNull(into, "descriptors").length < 2) {
            throw new IllegalArgumentException(call + ": room for " + into.length + " descriptors; the call makes 2");
        }
    }

    /**
     * {@link #ownPair} of the pair the kernel wrote into this thread's scratch, then the pair copied to the caller's
     * array: the descriptors marked as posix-send's are those read from memory no other thread writes.
     */
    private static int handPair(int[] pair, int[] into) {
        ownPair(pair);
        into[0] = pair[0];
        into[1] = pair[1];
        return 0;
    }

    /** Each thread's array a pair's two descriptors are written into, for the non-throwing forms. */
    private static final class PairScratch {
        static final PerThread<int[]> PAIRS = new PerThread<>(() -> new int[2]);
    }

    /**
     * {@code bind(2)} to an {@code InetSocketAddress}, {@code UnixDomainSocketAddress} or {@link SockAddr}.
     *
     * @param fd the socket's descriptor
     * @param address the local address; port 0 lets the kernel choose one
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EADDRINUSE} when
     *     another socket has the address, {@code EADDRNOTAVAIL} when it is not local, {@code EACCES} for a privileged
     *     port, {@code EINVAL} when the socket is already bound; a family the socket cannot use is reported as
     *     {@link IllegalArgumentException} instead. {@code EADDRINUSE} and {@code EADDRNOTAVAIL} are both an
     *     {@link AddressUnavailableException}, {@code EBADF} and {@code ENOTSOCK} both a
     *     {@link BadDescriptorException}: code that treats one errno alone tests {@link ErrnoException#errno()}
     */
    public static void bind(int fd, SocketAddress address) throws ErrnoException {
        SockAddr sa = SockAddr.of(address);
        checkAddressed("bind", fd, tryBind(fd, sa), sa);
    }

    /**
     * {@link #bind(int, SocketAddress)} without exceptions for kernel errors: 0, or {@code -errno}
     * ({@code -EADDRINUSE} when another socket has the address). With a {@link SockAddr} it allocates nothing.
     * Address errors (null, unresolved, unsupported kind, a Unix path too long) still throw, as they are not kernel
     * results; a family the socket cannot use is the kernel's {@code -EAFNOSUPPORT} or {@code -EINVAL} here.
     *
     * @param fd the socket's descriptor
     * @param address the local address: an {@code InetSocketAddress}, a {@code UnixDomainSocketAddress} or a
     *     {@link SockAddr}
     * @return 0, or {@code -errno}
     */
    public static int tryBind(int fd, SocketAddress address) {
        SockAddr sa = SockAddr.of(address);
        return b().bind(fd, sa.image(), sa.length());
    }

    /**
     * {@code connect(2)}; on a non-blocking stream socket it throws {@code EINPROGRESS} while connecting, as a plain
     * {@link ErrnoException}: an event loop calls {@link #tryConnect(int, SocketAddress)}, which returns
     * {@code -EINPROGRESS} without an exception, then polls for {@code POLLOUT} and reads {@code SO_ERROR}.
     *
     * @param fd the socket's descriptor
     * @param address the peer's address
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ECONNREFUSED} when
     *     nothing listens there, {@code ETIMEDOUT}, {@code ENETUNREACH} or {@code EHOSTUNREACH}, {@code EINPROGRESS}
     *     while a non-blocking connect goes on, {@code EISCONN} when already connected; a family the socket cannot use
     *     is reported as {@link IllegalArgumentException} instead
     */
    public static void connect(int fd, SocketAddress address) throws ErrnoException {
        SockAddr sa = SockAddr.of(address);
        checkAddressed("connect", fd, tryConnect(fd, sa), sa);
    }

    /**
     * {@link #connect(int, SocketAddress)} without exceptions for kernel errors: 0, or {@code -errno}. An event loop's
     * connect: on a non-blocking stream socket it returns {@code -EINPROGRESS} while the connection is made; poll for
     * {@link #POLLOUT}, then read {@link #SO_ERROR} with {@link #tryGetsockopt(int, int, int, int[])}, which allocates
     * nothing (0 once connected, else the errno the connection failed with). With a {@link SockAddr} it allocates
     * nothing. Not retried on {@code EINTR}, as in {@link #connect(int, SocketAddress) connect}: the connection goes
     * on, and the result is {@code -EINTR}. Address errors (null, unresolved, unsupported kind, a Unix path too long)
     * still throw, as they are not kernel results; a family the socket cannot use is the kernel's
     * {@code -EAFNOSUPPORT} or {@code -EINVAL} here, as for
     * {@link #trySendto(int, ByteBuffer, int, SocketAddress) trySendto}.
     *
     * @param fd the socket's descriptor
     * @param address the peer's address: an {@code InetSocketAddress}, a {@code UnixDomainSocketAddress} or a
     *     {@link SockAddr}
     * @return 0 when connected, or {@code -errno}: {@code -EINPROGRESS} while a non-blocking connect goes on,
     *     {@code -ECONNREFUSED} when nothing listens there, {@code -EALREADY} for a second call while one goes on,
     *     {@code -EISCONN} when already connected
     */
    public static int tryConnect(int fd, SocketAddress address) {
        SockAddr sa = SockAddr.of(address);
        return b().connect(fd, sa.image(), sa.length());
    }

    /**
     * {@code connect(2)} with an {@code AF_UNSPEC} address: a datagram socket forgets its peer. On Linux a connected
     * TCP socket is aborted, as C's call does: the peer gets a reset ({@code ECONNRESET}), and the socket can connect
     * again.
     *
     * @param fd the socket's descriptor
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EBADF} or
     *     {@code ENOTSOCK} for a descriptor that is not a socket
     */
    public static void disconnect(int fd) throws ErrnoException {
        check("connect", b().disconnect(fd));
    }

    /**
     * {@code listen(2)}.
     *
     * @param fd the socket's descriptor
     * @param backlog the most connections waiting to be accepted; the kernel caps it at {@code somaxconn}
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EOPNOTSUPP} for a
     *     socket type without connections, {@code EADDRINUSE} when another socket listens on the port
     */
    public static void listen(int fd, int backlog) throws ErrnoException {
        check("listen", tryListen(fd, backlog));
    }

    /**
     * {@link #listen(int, int)} without exceptions for kernel errors: 0, or {@code -errno}. Allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param backlog the most connections waiting to be accepted
     * @return 0, or {@code -errno}
     */
    public static int tryListen(int fd, int backlog) {
        return b().listen(fd, backlog);
    }

    /**
     * {@code accept(2)}: the connected socket's descriptor.
     *
     * @param fd the listening socket's descriptor
     * @return the new socket's descriptor, the caller's to close
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when no
     *     connection waits on a non-blocking socket ({@link WouldBlockException}), {@code EINVAL} when the socket is
     *     not listening, {@code EMFILE} or {@code ENFILE} when no descriptor is free, {@code ECONNABORTED}
     */
    public static int accept(int fd) throws ErrnoException {
        return check("accept", own(b().accept(fd, null, null)));
    }

    /**
     * {@code accept4(2)}: the connected socket's descriptor, with the flags given to it at once.
     *
     * <p>{@code accept4} with no flags differs from {@link #accept(int)} on NetBSD: there {@code accept} gives the
     * new socket the listener's {@code O_NONBLOCK}, while this gives it exactly what {@code flags} asks for (on
     * Linux neither inherits it).
     *
     * @param fd the listening socket's descriptor
     * @param flags {@link #SOCK_NONBLOCK} and {@link #SOCK_CLOEXEC}, or-ed, or 0; other bits go to the kernel as
     *     given (Linux refuses them with {@code EINVAL}), as in C
     * @return the new socket's descriptor, the caller's to close
     * @throws UnsupportedOperationException when {@code flags} is {@link #UNSUPPORTED}
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when no
     *     connection waits on a non-blocking socket ({@link WouldBlockException}), {@code EINVAL} when the socket is
     *     not listening or for a flag it does not know, {@code EMFILE} or {@code ENFILE} when no descriptor is free,
     *     {@code ECONNABORTED}
     */
    public static int accept(int fd, int flags) throws ErrnoException {
        requireSupported("accept4", "flags", flags);
        return check("accept4", own(b().accept4(fd, flags, null, null)));
    }

    /**
     * {@code accept4(2)} with the peer's address written into {@code peer}, as C reads it from the same call; see
     * {@link #accept(int, int)}.
     *
     * @param fd the listening socket's descriptor
     * @param flags {@link #SOCK_NONBLOCK} and {@link #SOCK_CLOEXEC}, or-ed, or 0
     * @param peer receives the peer's address (see {@link SockAddrBuffer#hasAddress()}: an unnamed Unix socket has
     *     none); reused from call to call, left as it was when the call fails
     * @return the new socket's descriptor, the caller's to close
     * @throws NullPointerException when {@code peer} is null
     * @throws UnsupportedOperationException when {@code flags} is {@link #UNSUPPORTED}
     * @throws ErrnoException when the kernel fails the call, as for {@link #accept(int, int)}
     */
    public static int accept(int fd, int flags, SockAddrBuffer peer) throws ErrnoException {
        Objects.requireNonNull(peer, "peer");
        return check("accept4", tryAccept(fd, flags, peer));
    }

    /**
     * {@link #accept(int, int, SockAddrBuffer)} without exceptions for kernel errors: the new descriptor, or
     * {@code -errno}. An event loop's accept: called until it returns {@code -EAGAIN} on a non-blocking listener,
     * which ends the loop without an exception. Allocates nothing.
     *
     * @param fd the listening socket's descriptor
     * @param flags {@link #SOCK_NONBLOCK} and {@link #SOCK_CLOEXEC}, or-ed, or 0
     * @param peer receives the peer's address, left as it was when the call fails; null when it is not wanted
     * @return the new socket's descriptor, the caller's to close, or {@code -errno}: {@code -EAGAIN} when no
     *     connection waits on a non-blocking socket, {@code -EINVAL} when the socket is not listening or for a flag it
     *     does not know, {@code -EMFILE} or {@code -ENFILE} when no descriptor is free, {@code -ECONNABORTED}
     * @throws UnsupportedOperationException when {@code flags} is {@link #UNSUPPORTED}
     */
    public static int tryAccept(int fd, int flags, SockAddrBuffer peer) {
        requireSupported("accept4", "flags", flags);
        return own(peer == null ? b().accept4(fd, flags, null, null)
                : b().accept4(fd, flags, peer.image, peer.length));
    }

    /**
     * C's {@code htons(3)}: the low 16 bits of {@code hostShort} in network byte order, as they read when the
     * machine's own order reads them ({@code socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))}, a {@code sin_port}).
     * No system call; allocates nothing.
     *
     * @param hostShort a value in the machine's byte order; bits above the low 16 are dropped
     * @return the value C's {@code htons} gives, 0 to 65535
     */
    public static int htons(int hostShort) {
        int v = hostShort & 0xffff;
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v) >>> 16;
    }

    /**
     * C's {@code ntohs(3)}: {@link #htons(int)} the other way (the same swap).
     *
     * @param netShort a value in network byte order; bits above the low 16 are dropped
     * @return the value in the machine's byte order, 0 to 65535
     */
    public static int ntohs(int netShort) {
        return htons(netShort);
    }

    /**
     * C's {@code htonl(3)}: {@code hostLong}'s 32 bits in network byte order.
     *
     * @param hostLong a value in the machine's byte order
     * @return the value C's {@code htonl} gives
     */
    public static int htonl(int hostLong) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? hostLong : Integer.reverseBytes(hostLong);
    }

    /**
     * C's {@code ntohl(3)}: {@link #htonl(int)} the other way (the same swap).
     *
     * @param netLong a value in network byte order
     * @return the value in the machine's byte order
     */
    public static int ntohl(int netLong) {
        return htonl(netLong);
    }

    /**
     * C's {@code inet_ntop(3)}: the text form of an IPv4 or IPv6 address, as the C library writes it, for log lines
     * that read as a C program's: {@code 127.0.0.1}; {@code ::1}, {@code fe80::1}, {@code ::ffff:127.0.0.1} (the
     * longest run of two or more zero groups as {@code ::}, hex in lower case without leading zeros, an IPv4-mapped
     * or -compatible address's last 32 bits in dotted decimal), where {@code InetAddress.getHostAddress()} gives
     * {@code 0:0:0:0:0:0:0:1} and turns a mapped address into IPv4. No system call; allocates the string.
     *
     * @param family {@link #AF_INET} or {@link #AF_INET6}
     * @param address the address in network byte order, as {@link InetAddress#getAddress()} gives it: its first 4
     *     or 16 bytes are read, as C reads a {@code struct in_addr} or {@code struct in6_addr}
     * @return the text
     * @throws IllegalArgumentException for another family (C: {@code EAFNOSUPPORT}) or too few bytes
     */
    public static String inetNtop(int family, byte[] address) {
        Objects.requireNonNull(address, "address");
        boolean v6 = inetFamily("inet_ntop", family);
        if (address.length < (v6 ? 16 : 4)) {
            throw new IllegalArgumentException("inet_ntop: an " + familyName(family) + " address takes "
                    + (v6 ? 16 : 4) + " bytes, not " + address.length);
        }
        return InetText.ntop(v6, address);
    }

    /**
     * {@link #inetNtop(int, byte[])} of the address at {@code offset} of {@code bytes}, as C passes
     * {@code inet_ntop} a pointer into a received message: an attribute's value that {@link NetlinkAttributes#find}
     * located ({@code IFA_ADDRESS}), an address inside a packet. No system call; allocates the string.
     *
     * @param family {@link #AF_INET} or {@link #AF_INET6}
     * @param bytes holds the address in network byte order, 4 or 16 bytes from {@code offset}
     * @param offset where the address starts
     * @return the text
     * @throws IllegalArgumentException for another family (C: {@code EAFNOSUPPORT})
     * @throws IndexOutOfBoundsException when the address's bytes are not all inside {@code bytes}
     */
    public static String inetNtop(int family, byte[] bytes, int offset) {
        Objects.requireNonNull(bytes, "bytes");
        boolean v6 = inetFamily("inet_ntop", family);
        Objects.checkFromIndexSize(offset, v6 ? 16 : 4, bytes.length);
        return InetText.ntop(v6, bytes, offset);
    }

    /**
     * C's {@code inet_pton(3)}: reads the text form of an IPv4 or IPv6 address as the C library does (IPv4: four
     * decimal parts of 0 to 255, no leading zeros, nothing else; IPv6: up to eight hex groups, one {@code ::} at
     * most, the last 32 bits optionally dotted decimal; no zone, no brackets, no spaces), up to a NUL character if
     * the text has one, where C's string would end. {@code ::ffff:127.0.0.1}
     * stays a 16-byte IPv6 address (for an {@code AF_INET6} socket; {@link SockAddr#inet(byte[], int)} makes the
     * {@code sockaddr_in6}), where {@code InetAddress.getByName} would give an IPv4 one. No system call, no name
     * lookup; allocates nothing.
     *
     * @param family {@link #AF_INET} or {@link #AF_INET6}
     * @param text the address's text
     * @param out receives the address in network byte order, 4 or 16 bytes from index 0; untouched when 0 is returned
     * @return 1 when {@code text} is an address of {@code family}, 0 when it is not (as C returns)
     * @throws IllegalArgumentException for another family (C returns -1 with {@code EAFNOSUPPORT}), or an
     *     {@code out} too short for the family's address
     */
    public static int inetPton(int family, String text, byte[] out) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(out, "out");
        boolean v6 = inetFamily("inet_pton", family);
        if (out.length < (v6 ? 16 : 4)) {
            throw new IllegalArgumentException("inet_pton: an " + familyName(family) + " address takes "
                    + (v6 ? 16 : 4) + " bytes, out has " + out.length);
        }
        return InetText.pton(v6, text, out) ? 1 : 0;
    }

    /** True for {@code AF_INET6}, false for {@code AF_INET}; any other family is refused as C's EAFNOSUPPORT. */
    private static boolean inetFamily(String call, int family) {
        Backends.requireAvailable(); // the families' numbers are the running platform's, known once a backend loaded
        if (family != AF_INET && family != AF_INET6) {
            throw new IllegalArgumentException(call + ": family " + family
                    + " is neither AF_INET nor AF_INET6 (C: EAFNOSUPPORT)");
        }
        return family == AF_INET6;
    }

    /**
     * {@code getsockname(2)}: an {@code InetSocketAddress}, a {@code UnixDomainSocketAddress}, or a
     * {@link SockAddr} for an abstract name or another family (which the send calls, {@code bind} and
     * {@code connect} take back as it is).
     *
     * @param fd the socket's descriptor
     * @return the socket's local address, a new object
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EBADF} or
     *     {@code ENOTSOCK} for a descriptor that is not a socket
     */
    public static SocketAddress getsockname(int fd) throws ErrnoException {
        return socketName("getsockname", fd, false);
    }

    /**
     * {@code getpeername(2)}, as {@link #getsockname(int)} for the peer.
     *
     * @param fd the socket's descriptor
     * @return the peer's address, a new object
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOTCONN} when the
     *     socket is not connected, {@code EBADF} or {@code ENOTSOCK}
     */
    public static SocketAddress getpeername(int fd) throws ErrnoException {
        return socketName("getpeername", fd, true);
    }

    /**
     * {@code getsockname(2)} into a reused {@link SockAddrBuffer}, allocating nothing: for comparing with the
     * addresses {@link #tryAccept(int, int, SockAddrBuffer)} and {@link #tryRecvfrom(int, ByteBuffer, int,
     * SockAddrBuffer)} report ({@link SockAddrBuffer#sameAddress}), or for reading a port
     * ({@link SockAddrBuffer#port()}) in a loop.
     *
     * <p>The buffer holds what the kernel wrote, as C's {@code sockaddr_storage} would: an unnamed Unix socket's name
     * is its family alone ({@link SockAddrBuffer#length()} 2, {@link SockAddrBuffer#hasAddress()} false, and
     * {@link SockAddrBuffer#toSocketAddress()} null, where {@link #getsockname(int)} gives a
     * {@code UnixDomainSocketAddress} with an empty path), while {@code tryRecvfrom} reports an unnamed sender with
     * length 0: the two are not {@link SockAddrBuffer#sameAddress the same address}, as in C.
     *
     * @param fd the socket's descriptor
     * @param name receives the socket's local address; left as it was when the call fails
     * @return {@code name}
     * @throws NullPointerException when {@code name} is null
     * @throws ErrnoException when the kernel fails the call, as for {@link #getsockname(int)}
     */
    public static SockAddrBuffer getsockname(int fd, SockAddrBuffer name) throws ErrnoException {
        check("getsockname", tryGetsockname(fd, name));
        return name;
    }

    /**
     * {@link #getsockname(int, SockAddrBuffer)} without exceptions for kernel errors: 0, or {@code -errno}.
     * Allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param name receives the socket's local address; left as it was when the call fails
     * @return 0, or {@code -errno}: {@code -EBADF}, {@code -ENOTSOCK}
     * @throws NullPointerException when {@code name} is null
     */
    public static int tryGetsockname(int fd, SockAddrBuffer name) {
        return socketNameInto(fd, false, name);
    }

    /**
     * {@code getpeername(2)} into a reused {@link SockAddrBuffer}, as {@link #getsockname(int, SockAddrBuffer)} for
     * the peer.
     *
     * @param fd the socket's descriptor
     * @param name receives the peer's address; left as it was when the call fails
     * @return {@code name}
     * @throws NullPointerException when {@code name} is null
     * @throws ErrnoException when the kernel fails the call, as for {@link #getpeername(int)}
     */
    public static SockAddrBuffer getpeername(int fd, SockAddrBuffer name) throws ErrnoException {
        check("getpeername", tryGetpeername(fd, name));
        return name;
    }

    /**
     * {@link #getpeername(int, SockAddrBuffer)} without exceptions for kernel errors: 0, or {@code -errno}.
     * Allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param name receives the peer's address; left as it was when the call fails
     * @return 0, or {@code -errno}: {@code -ENOTCONN} when the socket is not connected, {@code -EBADF},
     *     {@code -ENOTSOCK}
     * @throws NullPointerException when {@code name} is null
     */
    public static int tryGetpeername(int fd, SockAddrBuffer name) {
        return socketNameInto(fd, true, name);
    }

    private static int socketNameInto(int fd, boolean peer, SockAddrBuffer name) {
        Objects.requireNonNull(name, "name");
        int len = b().socketName(fd, peer, name.image);
        if (len < 0) {
            return len;
        }
        name.length[0] = len;
        return 0;
    }

    /** Room for a {@code struct sockaddr_storage}; without a backend, the unavailability its size would hide. */
    private static byte[] sockaddrRoom() {
        Backends.requireAvailable();
        return new byte[Platform.value("SIZEOF_SOCKADDR_STORAGE")];
    }

    private static SocketAddress socketName(String call, int fd, boolean peer) throws ErrnoException {
        byte[] buf = sockaddrRoom();
        int len = check(call, b().socketName(fd, peer, buf));
        return SockAddr.fromImage(buf, len).toSocketAddress();
    }

    /**
     * {@code shutdown(2)} with {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}.
     *
     * @param fd the socket's descriptor
     * @param how which direction to shut down: {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOTCONN} when the
     *     socket is not connected, {@code EINVAL} for another {@code how}, {@code EBADF} or {@code ENOTSOCK} (both a
     *     {@link BadDescriptorException}: test {@link ErrnoException#errno()} to tell them apart)
     */
    public static void shutdown(int fd, int how) throws ErrnoException {
        check("shutdown", tryShutdown(fd, how));
    }

    /**
     * {@link #shutdown(int, int)} without exceptions for kernel errors: 0, or {@code -errno} ({@code -ENOTCONN} when
     * the peer has already gone, which an event loop closing a connection meets). Allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param how {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}
     * @return 0, or {@code -errno}
     */
    public static int tryShutdown(int fd, int how) {
        return b().shutdown(fd, how);
    }

    /**
     * {@code close(2)}. Not retried on {@code EINTR}.
     *
     * <p>Do not close a descriptor that another thread may still be using. The number is free again the moment
     * {@code close} returns, and the next {@code socket}, {@code accept} or {@code open} in the process (the JVM's
     * own included) usually gets it: a {@code send} the other thread makes a moment later then goes to that new
     * socket and its peer, with no error. On Linux this happened in most rounds of a test where one thread sent
     * while another closed the descriptor and opened a socket. Stop the other threads first, or hand them a
     * descriptor they own.
     *
     * <p>{@code close} does not wake a thread blocked on the descriptor, in {@code send}, {@code recv},
     * {@code accept} or {@link PollSet#poll poll}: on Linux it stays blocked (on a socket that is no longer reachable
     * by number), and a {@code poll} woken later reports on whatever the number names by then. Call
     * {@link #shutdown(int, int) shutdown}{@code (fd, SHUT_RDWR)} first: the blocked {@code recv} then returns 0,
     * the blocked {@code send} fails with {@code EPIPE}, {@code accept} with {@code EINVAL}, and {@code poll}
     * reports the socket; once the thread has returned, close. On an unconnected datagram socket {@code shutdown}
     * wakes the receiver too but fails with {@code ENOTCONN}, as in C: use {@link #tryShutdown} there.
     *
     * @param fd the descriptor to close
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EBADF} when it is not
     *     open, {@code EINTR} or {@code EIO} (the descriptor is released all the same on Linux)
     */
    public static void close(int fd) throws ErrnoException {
        check("close", tryClose(fd));
    }

    /**
     * {@link #close(int)} without exceptions for kernel errors: 0, or {@code -errno} ({@code -EBADF} when it is not
     * open). Not retried on {@code EINTR}; what {@link #close(int)} says of other threads holds here too. Allocates
     * nothing.
     *
     * @param fd the descriptor to close
     * @return 0, or {@code -errno}
     */
    public static int tryClose(int fd) {
        // before the close: once closed, the number may name another socket, and a failure between the two (a
        // StackOverflowError) must not leave it judged by what it was
        OwnedDescriptors.table().forget(fd);
        return b().close(fd);
    }

    /**
     * {@code setsockopt(2)} for an int-valued option.
     *
     * @param fd the socket's descriptor
     * @param level the option's level, such as {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param name the option, such as {@link #SO_SNDBUF}
     * @param value the option's value
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOPROTOOPT} for an
     *     option the level does not have, {@code EINVAL} for a value it refuses, {@code EPERM} for one that needs a
     *     privilege
     * @throws IllegalArgumentException for Linux's netfilter and IPVS options ({@code IPPROTO_IP} 64-199 and 1024 up,
     *     ip6tables' at {@code IPPROTO_IPV6}) and AF_XDP's {@code XDP_UMEM_REG}: their values are structures, some of
     *     which the kernel copies whole whatever length it is given
     */
    public static void setsockopt(int fd, int level, int name, int value) throws ErrnoException {
        requireSupported("setsockopt", "level, name", level, name);
        requireIntOption("setsockopt", level, name);
        checkOption("setsockopt", level, name, b().setsockoptInt(fd, level, name, value));
    }

    /**
     * {@link #setsockopt(int, int, int, int)} without exceptions for kernel errors: 0, or {@code -errno}
     * ({@code -ENOPROTOOPT} for an option this kernel lacks), so that code which sets options a kernel may not have
     * goes on as C does. Allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param level the option's level, such as {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param name the option, such as {@link #SO_SNDBUF}
     * @param value the option's value
     * @return 0, or {@code -errno}
     * @throws IllegalArgumentException for the options {@link #setsockopt(int, int, int, int)} refuses
     * @throws UnsupportedOperationException when {@code level} or {@code name} is {@link #UNSUPPORTED}
     */
    public static int trySetsockopt(int fd, int level, int name, int value) {
        requireSupported("setsockopt", "level, name", level, name);
        requireIntOption("setsockopt", level, name);
        return b().setsockoptInt(fd, level, name, value);
    }

    /**
     * {@code setsockopt(2)} for a boolean option (1 or 0).
     *
     * @param fd the socket's descriptor
     * @param level the option's level, such as {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param name the option, such as {@link #SO_SNDBUF}
     * @param value true to turn the option on
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOPROTOOPT} for an
     *     option the level does not have, {@code EINVAL} for a value it refuses, {@code EPERM} for one that needs a
     *     privilege
     * @throws IllegalArgumentException for the options {@link #setsockopt(int, int, int, int)} refuses
     */
    public static void setsockopt(int fd, int level, int name, boolean value) throws ErrnoException {
        setsockopt(fd, level, name, value ? 1 : 0);
    }

    /**
     * {@code getsockopt(2)} for an int-valued option. As in C, a few options answer with a new descriptor that the
     * caller owns and must close (Linux's {@code SO_PEERPIDFD}, a pidfd of the peer process, named here only by its
     * number). Allocates one small array per call; {@link #tryGetsockopt(int, int, int, int[])} allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param level the option's level, such as {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param name the option, such as {@link #SO_SNDBUF}
     * @return the option's value; for an option whose value is a structure Linux mostly answers as C's 4-byte read
     *     gets it, with its first 4 bytes as one int ({@code SO_LINGER}'s {@code l_onoff}; {@code TCP_INFO}'s state,
     *     {@code ca_state}, {@code retransmits} and {@code probes}, one byte each): read such options with their own
     *     forms ({@link #getsockoptLinger}, {@link #getsockoptTcpInfo}, bytes)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOPROTOOPT} for an
     *     option the level does not have, {@code EINVAL} for an option that will not be read into 4 bytes
     * @throws IllegalArgumentException for the options {@link #setsockopt(int, int, int, int)} refuses (ebtables'
     *     reads copy a whole structure from where the value lies, whatever length they are given)
     */
    public static int getsockopt(int fd, int level, int name) throws ErrnoException {
        int[] out = new int[1];
        checkOption("getsockopt", level, name, tryGetsockopt(fd, level, name, out));
        return out[0];
    }

    /**
     * {@link #getsockopt(int, int, int)} without exceptions for kernel errors: 0 with the value in {@code out[0]}, or
     * {@code -errno}. Allocates nothing, so an event loop reads a non-blocking connect's {@code SO_ERROR} as C does.
     *
     * @param fd the socket's descriptor
     * @param level the option's level, such as {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param name the option, such as {@link #SO_ERROR}
     * @param out receives the value in {@code out[0]}
     * @return 0, or {@code -errno}
     * @throws IllegalArgumentException when {@code out} is empty, and for the options
     *     {@link #setsockopt(int, int, int, int)} refuses
     * @throws UnsupportedOperationException when {@code level} or {@code name} is {@link #UNSUPPORTED}
     */
    public static int tryGetsockopt(int fd, int level, int name, int[] out) {
        Objects.requireNonNull(out, "out");
        requireSupported("getsockopt", "level, name", level, name);
        requireIntOption("getsockopt", level, name);
        if (out.length < 1) {
            throw new IllegalArgumentException("getsockopt: out has no room for the value");
        }
        return b().getsockoptInt(fd, level, name, out);
    }

    /**
     * Clears or sets {@code O_NONBLOCK} with {@code fcntl(2)}.
     *
     * @param fd the descriptor
     * @param blocking true to clear {@code O_NONBLOCK}, false to set it
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EBADF} when the
     *     descriptor is not open
     */
    public static void setBlocking(int fd, boolean blocking) throws ErrnoException {
        check("fcntl", b().setBlocking(fd, blocking));
    }

    /**
     * True unless {@code O_NONBLOCK} is set.
     *
     * @param fd the descriptor
     * @return true when calls on it may block
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EBADF} when the
     *     descriptor is not open
     */
    public static boolean isBlocking(int fd) throws ErrnoException {
        return check("fcntl", b().isBlocking(fd)) == 1;
    }

    // ---- java.nio interop ----------------------------------------------------------------------------------

    /**
     * The descriptor of a java.nio {@code SocketChannel}, {@code DatagramChannel}, {@code ServerSocketChannel},
     * {@code FileChannel} or {@code Pipe} channel, so that one call can use a flag NIO cannot express. The channel
     * stays owned by java.nio: do not close the descriptor, and do not use it after the channel is closed (the number
     * may be reused). Note that the JDK may set {@code O_NONBLOCK} on a channel in blocking mode (JDK 21 and later do
     * for virtual threads), so a send may report would-block. A pipe whose two descriptors are the caller's own, to
     * close with {@link #close} or pass with {@code SCM_RIGHTS}, comes from {@link #pipe}.
     *
     * <p>How the number is found differs by backend, and so does what is found. The JNI backend reads it from the
     * channel, for every kind above. The JNR and FFM backends read it where the JVM lets them without a warning (JDK 17
     * to 23; later with {@code --add-opens java.base/sun.nio.ch} and {@code java.base/java.io} to posix-send's module
     * or {@code ALL-UNNAMED}, or with {@code --sun-misc-unsafe-memory-access=allow}); elsewhere they ask the kernel for
     * the socket with the channel's type, address and peer, so no {@code --add-opens} is needed for sockets. Sockets
     * that only an unbound state shares are then told apart by setting, for an instant, a datagram channel's multicast
     * TTL to 0 (refused when one of them already has 0), an unconnected stream channel's linger time, or an unbound
     * server channel's {@code SO_REUSEADDR}, each put back at once; a connected stream channel whose connection has
     * ended (reset, or closed both ways), which the kernel no longer gives a peer, is found by its address. A socket
     * the process holds by two descriptors (a {@code dup}, or one received with {@code SCM_RIGHTS}) cannot be told from
     * its copy, and is refused. A {@code FileChannel} is not found that way (it would take moving its position, where
     * another thread's write would land): {@link IllegalArgumentException}, as is a {@code Pipe}'s source or sink
     * channel, which has neither.
     *
     * @param channel an open channel
     * @return the channel's descriptor, still owned by java.nio
     * @throws ClosedChannelException when the channel is closed
     * @throws IllegalArgumentException for a channel whose descriptor the backend cannot find (see above)
     */
    public static int fd(Channel channel) throws ClosedChannelException {
        Objects.requireNonNull(channel, "channel");
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        int fd = b().descriptorOf(channel);
        if (fd < 0) {
            throw new IllegalArgumentException("no descriptor found in a " + channel.getClass().getName() + " by the "
                    + backendName() + " backend" + (channel instanceof NetworkChannel
                            ? ": no socket of this process has the channel's type, address and peer, or several"
                                    + " descriptors do and cannot be told apart (unbound sockets alike, or a second"
                                    + " descriptor of the same socket: a dup, or one received with SCM_RIGHTS); see"
                                    + " Posix.fd(Channel)"
                            : " (on JDK 24 and later it needs --add-opens java.base/sun.nio.ch and java.base/java.io"
                                    + " for channels other than sockets: see Posix.fd(Channel))"));
        }
        return fd;
    }

    /**
     * The number inside a {@link FileDescriptor}; -1 when it is not valid.
     *
     * @param fd a file descriptor object, such as {@code FileDescriptor.out}
     * @return the descriptor's number, or -1 when it is not valid
     * @throws IllegalArgumentException for a valid one whose number the backend cannot find: the JNR and FFM
     *     backends, where they cannot read it (see {@link #fd(Channel)}), know only {@code in}, {@code out} and
     *     {@code err}
     */
    public static int fd(FileDescriptor fd) {
        Objects.requireNonNull(fd, "fd");
        int n = b().descriptorOf(fd);
        if (n == -Errno.EBADF.number()) {
            return -1;
        }
        if (n < 0) {
            throw new IllegalArgumentException("no descriptor found in a valid FileDescriptor: this backend cannot"
                    + " read it (see Posix.fd(Channel))");
        }
        return n;
    }

    // ---- send ----------------------------------------------------------------------------------------------

    /**
     * {@code send(2)} of the buffer's remaining bytes; advances its position by the count sent, which on a
     * stream socket may be less than requested. Heap, direct and read-only buffers are accepted.
     *
     * <p>On a connection the peer has closed, the kernel fails the send with {@code EPIPE} and also raises
     * {@code SIGPIPE}. The JVM installs its own handler for that signal when it starts and ignores it, so a plain
     * send throws {@link BrokenPipeException}; but a program that embeds the JVM and then sets {@code SIGPIPE}
     * back to its default action is killed by the signal. {@link MsgFlag#MSG_NOSIGNAL} stops the signal for one
     * call (on NetBSD the socket option {@link #SO_NOSIGPIPE} stops it for every call on the socket): use it in
     * code that may run in such a host.
     *
     * @param fd the socket's descriptor
     * @param buf the bytes to send, from its position to its limit
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of bytes sent
     * @throws WouldBlockException when a non-blocking send (or {@code MSG_DONTWAIT}) would have to wait
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when it would
     *     block ({@link WouldBlockException}), {@code EPIPE} on a connection shut down for writing, {@code ECONNRESET},
     *     {@code EMSGSIZE} for a datagram too large to send at once, {@code ENOBUFS}
     */
    public static int send(int fd, ByteBuffer buf, int flags) throws ErrnoException {
        return check("send", trySend(fd, buf, flags));
    }

    /**
     * {@code send(2)} of {@code buf[off .. off+len)}.
     *
     * @param fd the socket's descriptor
     * @param buf the array holding the bytes to send
     * @param off the index in {@code buf} of the first byte
     * @param len the number of bytes to send
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of bytes sent
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when it would
     *     block ({@link WouldBlockException}), {@code EPIPE} on a connection shut down for writing, {@code ECONNRESET},
     *     {@code EMSGSIZE} for a datagram too large to send at once, {@code ENOBUFS}
     */
    public static int send(int fd, byte[] buf, int off, int len, int flags) throws ErrnoException {
        return check("send", trySend(fd, buf, off, len, flags));
    }

    /**
     * {@code sendto(2)} of the buffer's remaining bytes to {@code dest}; advances its position by the count
     * sent. A {@link SockAddr} destination is used as it is; other addresses are converted on every call.
     *
     * @param fd the socket's descriptor
     * @param buf the bytes to send, from its position to its limit
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param dest the destination: an {@code InetSocketAddress}, a {@code UnixDomainSocketAddress} or a
     *     {@link SockAddr}
     * @return the number of bytes sent
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: as for {@code send}, and
     *     {@code EACCES} for a broadcast without {@code SO_BROADCAST}, {@code ENETUNREACH} or {@code EHOSTUNREACH} when
     *     no route leads to {@code dest}; an address of a family the socket cannot use is reported as
     *     {@link IllegalArgumentException} instead
     */
    public static int sendto(int fd, ByteBuffer buf, int flags, SocketAddress dest) throws ErrnoException {
        return (int) checkAddressed("sendto", fd, trySendto(fd, buf, flags, dest), dest);
    }

    /**
     * {@code sendto(2)} of {@code buf[off .. off+len)} to {@code dest}.
     *
     * @param fd the socket's descriptor
     * @param buf the array holding the bytes to send
     * @param off the index in {@code buf} of the first byte
     * @param len the number of bytes to send
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param dest the destination: an {@code InetSocketAddress}, a {@code UnixDomainSocketAddress} or a
     *     {@link SockAddr}
     * @return the number of bytes sent
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: as for {@code send}, and
     *     {@code EACCES} for a broadcast without {@code SO_BROADCAST}, {@code ENETUNREACH} or {@code EHOSTUNREACH} when
     *     no route leads to {@code dest}; an address of a family the socket cannot use is reported as
     *     {@link IllegalArgumentException} instead
     */
    public static int sendto(int fd, byte[] buf, int off, int len, int flags, SocketAddress dest)
            throws ErrnoException {
        return (int) checkAddressed("sendto", fd, trySendto(fd, buf, off, len, flags, dest), dest);
    }

    /**
     * {@code sendto(2)} of the buffer's remaining bytes to the address {@code dest} holds; advances its position by
     * the count sent. C's reply to a datagram's sender: {@code sendto} with the {@code sockaddr_storage} and length
     * that {@code recvfrom} filled in, here the {@link SockAddrBuffer} that
     * {@link #tryRecvfrom(int, ByteBuffer, int, SockAddrBuffer)} (or {@link Message#source(SockAddrBuffer)} after a
     * {@code recvmsg}) filled. The address is copied for the call, so the buffer may take the next sender's at once;
     * nothing is allocated but on failure.
     *
     * @param fd the socket's descriptor
     * @param buf the bytes to send, from its position to its limit
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param dest the buffer holding the destination
     * @return the number of bytes sent
     * @throws IllegalArgumentException when {@code dest} holds no address ({@link SockAddrBuffer#hasAddress()}
     *     false: a connected stream's or an unnamed Unix socket's receive), and for an address of a family the
     *     socket cannot use, as {@link #sendto(int, ByteBuffer, int, SocketAddress)}
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: as for
     *     {@link #sendto(int, ByteBuffer, int, SocketAddress)}
     */
    public static int sendto(int fd, ByteBuffer buf, int flags, SockAddrBuffer dest) throws ErrnoException {
        int r = trySendto(fd, buf, flags, dest);
        // the address made as an object only for a failure's check of its family
        return r >= 0 ? r : (int) checkAddressed("sendto", fd, r, dest.toSockAddr());
    }

    /**
     * {@code sendto(2)} of {@code buf[off .. off+len)} to the address {@code dest} holds, as
     * {@link #sendto(int, ByteBuffer, int, SockAddrBuffer)}.
     *
     * @param fd the socket's descriptor
     * @param buf the array holding the bytes to send
     * @param off the index in {@code buf} of the first byte
     * @param len the number of bytes to send
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param dest the buffer holding the destination
     * @return the number of bytes sent
     * @throws IllegalArgumentException when {@code dest} holds no address, and for an address of a family the socket
     *     cannot use, as {@link #sendto(int, ByteBuffer, int, SockAddrBuffer)}
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: as for
     *     {@link #sendto(int, ByteBuffer, int, SocketAddress)}
     */
    public static int sendto(int fd, byte[] buf, int off, int len, int flags, SockAddrBuffer dest)
            throws ErrnoException {
        int r = trySendto(fd, buf, off, len, flags, dest);
        return r >= 0 ? r : (int) checkAddressed("sendto", fd, r, dest.toSockAddr());
    }

    /**
     * {@link #send(int, ByteBuffer, int)} without exceptions for kernel errors: the count sent (the position advances
     * by it), or {@code -errno}. Allocates nothing for direct buffers and writable heap buffers.
     *
     * @param fd the socket's descriptor
     * @param buf the bytes to send, from its position to its limit
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the count sent, or {@code -errno}
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     */
    public static int trySend(int fd, ByteBuffer buf, int flags) {
        int pos = buf.position();
        int r = trySendAt(fd, buf, pos, buf.limit() - pos, flags);
        if (r > 0) {
            buf.position(pos + r);
        }
        return r;
    }

    /**
     * {@link #trySend(int, ByteBuffer, int)} of {@code buf[pos, pos + len)}, without moving the position: for
     * {@link ZerocopySends}, which must record a send the kernel took before anything can throw.
     */
    static int trySendAt(int fd, ByteBuffer buf, int pos, int len, int flags) {
        int memory = DirectBuffers.treatment(buf);
        refuseHeapZerocopy("send", flags, !DirectBuffers.lastsWhileReachable(memory));
        int r;
        if (memory != DirectBuffers.STAGED) {
            DirectBuffers.requireMemory(buf, memory, pos, len);
            r = b().sendDirect(fd, buf, pos, len, flags);
        } else if (buf.hasArray()) {
            r = b().sendArray(fd, buf.array(), buf.arrayOffset() + pos, len, flags);
        } else {
            ByteBuffer copy = ScratchBuffer.copyOf(buf, pos, len); // a read-only buffer or a shared arena's
            try {
                r = b().sendDirect(fd, copy, 0, len, flags);
            } finally {
                Reference.reachabilityFence(copy); // see ScratchBuffer: the kernel had only its address
                ScratchBuffer.release(copy);
            }
        }
        return r;
    }

    /**
     * {@link #send(int, byte[], int, int, int)} without exceptions for kernel errors: the count sent, or
     * {@code -errno}.
     *
     * @param fd the socket's descriptor
     * @param buf the array holding the bytes to send
     * @param off the index in {@code buf} of the first byte
     * @param len the number of bytes to send
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the count sent, or {@code -errno}
     */
    public static int trySend(int fd, byte[] buf, int off, int len, int flags) {
        requireRange("send", buf, off, len);
        refuseHeapZerocopy("send", flags, true);
        return b().sendArray(fd, buf, off, len, flags);
    }

    /**
     * {@link #sendto(int, ByteBuffer, int, SocketAddress)} without exceptions for kernel errors: the count sent, or
     * {@code -errno}. With a {@link SockAddr} and a direct or writable heap buffer it allocates nothing.
     * Address errors (null, unresolved, unsupported kind) still throw, as they are not kernel results.
     *
     * @param fd the socket's descriptor
     * @param buf the bytes to send, from its position to its limit
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param dest the destination: an {@code InetSocketAddress}, a {@code UnixDomainSocketAddress} or a
     *     {@link SockAddr}
     * @return the count sent, or {@code -errno}
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     */
    public static int trySendto(int fd, ByteBuffer buf, int flags, SocketAddress dest) {
        SockAddr sa = SockAddr.of(dest);
        return sendtoImage(fd, buf, flags, sa.image(), sa.length());
    }

    /**
     * {@link #sendto(int, ByteBuffer, int, SockAddrBuffer)} without exceptions for kernel errors: the count sent, or
     * {@code -errno}. With a direct or writable heap buffer it allocates nothing: a receive loop that answers each
     * sender ({@link #tryRecvfrom(int, ByteBuffer, int, SockAddrBuffer)}, then this) allocates nothing per datagram.
     *
     * @param fd the socket's descriptor
     * @param buf the bytes to send, from its position to its limit
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param dest the buffer holding the destination, as a receive filled it
     * @return the count sent, or {@code -errno}
     * @throws IllegalArgumentException when {@code dest} holds no address ({@link SockAddrBuffer#hasAddress()}
     *     false), as {@link Message#destination(SockAddrBuffer)}
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     */
    public static int trySendto(int fd, ByteBuffer buf, int flags, SockAddrBuffer dest) {
        int salen = dest.destinationLength();
        return sendtoImage(fd, buf, flags, dest.image, salen);
    }

    /** {@code sendto} of the buffer's remaining bytes to the sockaddr image {@code sa[0 .. salen)}. */
    private static int sendtoImage(int fd, ByteBuffer buf, int flags, byte[] sa, int salen) {
        int memory = DirectBuffers.treatment(buf);
        refuseHeapZerocopy("sendto", flags, !DirectBuffers.lastsWhileReachable(memory));
        int pos = buf.position();
        int len = buf.limit() - pos;
        int r;
        if (memory != DirectBuffers.STAGED) {
            DirectBuffers.requireMemory(buf, memory, pos, len);
            r = b().sendtoDirect(fd, buf, pos, len, flags, sa, salen);
        } else if (buf.hasArray()) {
            r = b().sendtoArray(fd, buf.array(), buf.arrayOffset() + pos, len, flags, sa, salen);
        } else {
            ByteBuffer copy = ScratchBuffer.copyOf(buf, pos, len); // a read-only buffer or a shared arena's
            try {
                r = b().sendtoDirect(fd, copy, 0, len, flags, sa, salen);
            } finally {
                Reference.reachabilityFence(copy); // see ScratchBuffer: the kernel had only its address
                ScratchBuffer.release(copy);
            }
        }
        if (r > 0) {
            buf.position(pos + r);
        }
        return r;
    }

    /**
     * {@link #sendto(int, byte[], int, int, int, SocketAddress)} without exceptions for kernel errors: the count, or
     * {@code -errno}.
     *
     * @param fd the socket's descriptor
     * @param buf the array holding the bytes to send
     * @param off the index in {@code buf} of the first byte
     * @param len the number of bytes to send
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param dest the destination: an {@code InetSocketAddress}, a {@code UnixDomainSocketAddress} or a
     *     {@link SockAddr}
     * @return the count sent, or {@code -errno}
     */
    public static int trySendto(int fd, byte[] buf, int off, int len, int flags, SocketAddress dest) {
        requireRange("sendto", buf, off, len);
        refuseHeapZerocopy("sendto", flags, true);
        SockAddr sa = SockAddr.of(dest);
        return b().sendtoArray(fd, buf, off, len, flags, sa.image(), sa.length());
    }

    /**
     * {@link #sendto(int, byte[], int, int, int, SockAddrBuffer)} without exceptions for kernel errors: the count
     * sent, or {@code -errno}. Allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param buf the array holding the bytes to send
     * @param off the index in {@code buf} of the first byte
     * @param len the number of bytes to send
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param dest the buffer holding the destination, as a receive filled it
     * @return the count sent, or {@code -errno}
     * @throws IllegalArgumentException when {@code dest} holds no address ({@link SockAddrBuffer#hasAddress()}
     *     false), as {@link Message#destination(SockAddrBuffer)}
     */
    public static int trySendto(int fd, byte[] buf, int off, int len, int flags, SockAddrBuffer dest) {
        requireRange("sendto", buf, off, len);
        refuseHeapZerocopy("sendto", flags, true);
        int salen = dest.destinationLength();
        return b().sendtoArray(fd, buf, off, len, flags, dest.image, salen);
    }

    /**
     * Refuses {@code MSG_ZEROCOPY} for memory that may move or go before the kernel's completion, since the kernel may
     * read the data after the call returns, until its completion arrives on the error queue: staged bytes (heap data,
     * moved by the collector, and a shared arena's, which another thread may free, go through posix-send's own memory,
     * reused after the call), and an arena's memory, which a close frees at once (a confined arena's too: its owner
     * closes it, and the kernel may still read it). The message calls ask it under their plan's lock, of what they
     * actually encoded, so that another thread's change of the message cannot slip such memory past it.
     */
    static void refuseHeapZerocopy(String call, int flags, boolean fleeting) {
        if (fleeting && (flags & ZEROCOPY) != 0 && ZEROCOPY != 0) {
            throw new IllegalArgumentException(call + ": MSG_ZEROCOPY needs direct buffers whose memory stays while"
                    + " the buffer is reachable: the kernel may read the bytes after the call returns, heap memory"
                    + " moves and an arena's close frees its memory at once; use ByteBuffer.allocateDirect, a mapped"
                    + " buffer or an automatic or the global arena's segment, and keep it untouched until its"
                    + " completion (see ZerocopySends)");
        }
    }


    // ---- receive -------------------------------------------------------------------------------------------

    /**
     * {@code recv(2)} into the buffer from its position; advances the position by the bytes stored. With
     * {@code MSG_TRUNC} on a Linux TCP socket (C's {@code recv(fd, NULL, n, MSG_TRUNC)} that discards bytes) the
     * kernel stores nothing and returns what it discarded: the position still advances by that count, over the
     * buffer's own bytes, which are left as they were.
     *
     * @param fd the socket's descriptor
     * @param buf the buffer to fill, from its position up to its limit
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the count the kernel returned: 0 at end of stream or for an empty datagram; with {@code MSG_TRUNC} on
     *     a datagram socket, the datagram's real length, which may exceed what was stored; on a TCP socket, the bytes
     *     discarded
     * @throws ReadOnlyBufferException when the buffer is read-only
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when nothing
     *     is waiting on a non-blocking socket or a receive timeout expired ({@link WouldBlockException}),
     *     {@code ECONNRESET}, {@code ENOTCONN} on an unconnected stream socket
     */
    public static int recv(int fd, ByteBuffer buf, int flags) throws ErrnoException {
        return receive("recv", fd, buf, flags, null, null);
    }

    /**
     * {@code recv(2)} into {@code buf[off .. off+len)}.
     *
     * @param fd the socket's descriptor
     * @param buf the array to fill
     * @param off the index in {@code buf} of the first byte
     * @param len the most bytes to store
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the count the kernel returned, as {@link #recv(int, ByteBuffer, int)}
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when nothing
     *     is waiting on a non-blocking socket or a receive timeout expired ({@link WouldBlockException}),
     *     {@code ECONNRESET}, {@code ENOTCONN} on an unconnected stream socket
     */
    public static int recv(int fd, byte[] buf, int off, int len, int flags) throws ErrnoException {
        requireRange("recv", buf, off, len);
        return check("recv", b().recvArray(fd, buf, off, len, flags, null, null));
    }

    /**
     * {@code recvfrom(2)} into the buffer from its position, which advances by the bytes stored.
     *
     * @param fd the socket's descriptor
     * @param buf the buffer to fill, from its position up to its limit
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the sender's address (as {@link #getsockname(int)} gives addresses), or null when the sender has
     *     none (an unnamed Unix socket, or a connected stream)
     * @throws ReadOnlyBufferException when {@code buf} is read-only
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when nothing
     *     is waiting on a non-blocking socket or a receive timeout expired ({@link WouldBlockException}),
     *     {@code ECONNRESET}, {@code ENOTCONN} on an unconnected stream socket
     */
    public static SocketAddress recvfrom(int fd, ByteBuffer buf, int flags) throws ErrnoException {
        byte[] sa = sockaddrRoom();
        int[] salen = new int[1];
        receive("recvfrom", fd, buf, flags, sa, salen);
        if (salen[0] <= Platform.value("SIZEOF_SOCKADDR_UN") - Platform.value("SIZEOF_SUN_PATH")) {
            return null;
        }
        return SockAddr.fromImage(sa, salen[0]).toSocketAddress();
    }

    private static int receive(String call, int fd, ByteBuffer buf, int flags, byte[] sa, int[] salen)
            throws ErrnoException {
        if (buf.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int pos = buf.position();
        int len = buf.limit() - pos;
        int r = recvInto(fd, buf, pos, len, flags, sa, salen);
        check(call, r);
        buf.position(pos + Math.min(r, len));
        return r;
    }

    // ---- sendmsg, sendmmsg, recvmsg ------------------------------------------------------------------------

    private static long check(String call, long result) throws ErrnoException {
        if (result < 0) {
            throw ErrnoException.of(call, (int) -result);
        }
        return result;
    }

    /**
     * {@code sendmsg(2)}: sends the message's buffers as one datagram or one stretch of a stream (gather), to
     * its destination if it has one, with its control messages. The buffers' positions advance across the list
     * as far as the kernel took the bytes: after a partial write on a stream, each position is exactly where
     * the kernel stopped. More than {@link #IOV_MAX} buffers fail with {@code EMSGSIZE}; an empty list sends an
     * empty datagram. {@code EINTR} is retried.
     *
     * @param fd the socket's descriptor
     * @param msg the message: its buffers, destination or source, and control messages
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of bytes sent
     * @throws WouldBlockException when a non-blocking send would have to wait (nothing was sent)
     * @throws NullPointerException when {@code msg} is null
     * @throws IllegalStateException when the message is closed, another thread is in a call with it, or one of its
     *     buffers is over a memory segment whose arena is closed (the JDK's exception: see the class description)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: as for
     *     {@link #sendto(int, ByteBuffer, int, SocketAddress) sendto}; {@code EMSGSIZE} also for more than
     *     {@link #IOV_MAX} buffers
     */
    public static long sendmsg(int fd, Message msg, int flags) throws ErrnoException {
        Objects.requireNonNull(msg, "msg");
        // msg.send itself, not trySendmsg: a call level fewer to the system call (LibcMessages.sendmsgDirect: why)
        long r = msg.send(b(), fd, flags);
        // the destination only for a failure: one set from a SockAddrBuffer is made as an object when asked for
        return r >= 0 ? r : checkAddressed("sendmsg", fd, r, msg.destination());
    }

    /**
     * {@link #sendmsg(int, Message, int)} without exceptions for kernel errors: the bytes sent, or
     * {@code -errno}. With direct buffers, a {@link SockAddr} destination and a reused message it allocates
     * nothing.
     *
     * @param fd the socket's descriptor
     * @param msg the message: its buffers, destination or source, and control messages
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the bytes sent, or {@code -errno}
     * @throws IllegalStateException when the message is closed, another thread is in a call with it, or one of its
     *     buffers is over a memory segment whose arena is closed (the JDK's exception: see the class description)
     */
    public static long trySendmsg(int fd, Message msg, int flags) {
        Objects.requireNonNull(msg, "msg");
        return msg.send(b(), fd, flags); // refuses staged bytes for MSG_ZEROCOPY as it encodes them
    }

    /**
     * {@code sendmmsg(2)}: sends the batch's messages in one call, each to its own destination. After the call
     * {@link MessageBatch#sentCount()} and {@link MessageBatch#bytesSent(int)} tell what went, and each sent
     * message's buffer positions have advanced ({@link MessageBatch} says where a buffer messages share ends).
     *
     * <p>The partial case: when the kernel sends some messages and then meets an error (would-block, or a
     * message it refuses), it returns the number sent and reports nothing of the error. On Linux the error is
     * dropped; on NetBSD it is kept for the socket's next call. Either way, calling again after
     * {@link MessageBatch#removeSent()}, or from the first message not sent whole ({@link #sendmmsgAt}, which keeps the
     * batch whole for the next burst), starts with the message that failed, so a lasting error surfaces then, as the
     * exception of that first message. An empty batch sends nothing and returns 0. This is
     * {@link #sendmmsg(int, MessageBatch, int, int)} with {@code vlen} = {@link MessageBatch#size()}: that form takes
     * C's {@code vlen}, to send the first messages of a batch only.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages sent, at least 1 for a non-empty batch
     * @throws ErrnoException of the first message's errno when not even it could be sent
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when the batch's heap bytes exceed its staging capacity
     * @throws IllegalStateException when the batch or one of its messages is closed, another thread is in a call
     *     with the batch, or a buffer is over a memory segment whose arena is closed (the JDK's exception: see the
     *     class description)
     */
    public static int sendmmsg(int fd, MessageBatch batch, int flags) throws ErrnoException {
        Objects.requireNonNull(batch, "batch");
        // batch.send itself, not trySendmmsg: a call level fewer to the system call (LibcMessages.sendmsgDirect: why)
        return check("sendmmsg", batch.send(b(), fd, true, 0, 0, flags));
    }

    /**
     * {@code sendmmsg(fd, msgvec, vlen, flags)} with C's {@code vlen}: sends the batch's first {@code vlen} messages
     * in one call, as C's {@code sendmmsg} reads only the first {@code vlen} entries of its vector, and leaves the
     * others as they are (their buffer positions, but for one they share with a message sent, and where
     * {@link Message#rewind()} puts them back). A loop that
     * sends what is ready of up to N prepared messages keeps one batch and changes only the count: the batch is
     * described for the kernel once for every {@code vlen} ({@link MessageBatch} says when it is described again).
     * {@link MessageBatch#sentCount()} and {@link MessageBatch#bytesSent(int)} cover the messages sent, at most
     * {@code vlen}. Otherwise as {@link #sendmmsg(int, MessageBatch, int)}, which is this call with {@code vlen} =
     * {@link MessageBatch#size()}.
     *
     * <p>{@code vlen} 0 makes the system call with no message, as C's does: Linux returns 0 without reading a message
     * or the flags, and fails only for a descriptor that is not an open socket ({@code EBADF}, {@code ENOTSOCK}); a
     * pending socket error stays pending. (That is Linux's answer, measured; NetBSD's kernel gives its own.)
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param vlen how many messages to send, from the batch's first: 0 to {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages sent, at least 1 when {@code vlen} is not 0
     * @throws ErrnoException of the first message's errno when not even it could be sent
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code vlen} is outside 0..{@link MessageBatch#size()} (before any system
     *     call), or the batch's heap bytes exceed its staging capacity
     * @throws IllegalStateException when the batch is closed, a message the call uses is closed (any message, when the
     *     call describes the batch again: see {@link MessageBatch}), another thread is in a call with the batch, or a
     *     buffer of a message the call uses is over a memory segment whose arena is closed (the JDK's exception: see
     *     the class description)
     */
    public static int sendmmsg(int fd, MessageBatch batch, int vlen, int flags) throws ErrnoException {
        Objects.requireNonNull(batch, "batch");
        return check("sendmmsg", batch.send(b(), fd, false, 0, vlen, flags));
    }

    /**
     * {@code sendmmsg(fd, msgvec + off, vlen, flags)}: sends the batch's messages {@code off..off+vlen-1} in one call,
     * as C hands {@code sendmmsg} its vector from the {@code off}th entry, and leaves the others as they are (their
     * buffer positions, but for one they share with a message sent, and where {@link Message#rewind()} puts them
     * back). The C loop that finishes a burst after the
     * kernel stopped early keeps its batch:
     * <pre>{@code
     * int off = 0;
     * while (off < n) {
     *     int r = Posix.trySendmmsgAt(fd, batch, off, n - off, MsgFlag.MSG_DONTWAIT.value());
     *     if (r < 0) { ... wait for POLLOUT on -EAGAIN, else fail ... }
     *     else { off += r; if (!batch.sentWhole(off - 1)) off--; } // a stream's message sent in part: go on from it
     * }
     * batch.rewind(); // datagrams: the next burst, the same messages, described for the kernel once
     * }</pre>
     * On a datagram socket every message sent goes whole; on a stream socket the last one sent may have gone in part,
     * and the loop goes on from it, as C goes on from the entry whose {@code msg_len} fell short of its
     * {@code iov_len}s ({@link MessageBatch#sentWhole}, not the message's {@code remaining()}, which a buffer it shares
     * with a message not sent has again). A stream's next burst sets each buffer's position itself (or refills it):
     * {@link MessageBatch#rewind()} puts a message the loop resumed inside back where the resumed call found it, inside
     * it. {@link MessageBatch#sentCount()} is how many went, messages
     * {@code off..off+sentCount-1}, whose {@link MessageBatch#bytesSent(int)} (by their index in the batch) is what
     * went of each; it answers 0 for every other message. The batch is described for the kernel once for every range
     * ({@link MessageBatch} says when it is described again). This is {@link #sendmmsg(int, MessageBatch, int, int)}
     * with the messages from {@code off}: that is this call with {@code off} 0, otherwise it is the same, {@code vlen}
     * 0 included.
     *
     * <p>Named apart from the {@code vlen} forms rather than overloading them: {@code recvmmsg} already has a form of
     * five arguments, {@code (fd, batch, vlen, flags, timeout)}, and {@code (fd, batch, off, vlen, flags)} beside it
     * would read one call two ways: a receive from an offset with the flags left out and a timeout (or {@code null})
     * would compile as the {@code vlen} form, its {@code off} taken for {@code vlen} and its {@code vlen} for the
     * flags. The sends are named as the receives, so that a loop over both reads alike.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param off the first message to send, its index in the batch: {@code 0 <= off}
     * @param vlen how many messages to send from {@code off}: {@code 0 <= vlen}, {@code off + vlen <=}
     *     {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages sent, at least 1 when {@code vlen} is not 0
     * @throws ErrnoException of message {@code off}'s errno when not even it could be sent
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code off} and {@code vlen} are not a range of the batch, as above (before
     *     any system call), or the batch's heap bytes exceed its staging capacity
     * @throws IllegalStateException as for {@link #sendmmsg(int, MessageBatch, int, int)}, of the messages the call
     *     uses
     */
    public static int sendmmsgAt(int fd, MessageBatch batch, int off, int vlen, int flags) throws ErrnoException {
        Objects.requireNonNull(batch, "batch");
        return check("sendmmsg", batch.send(b(), fd, false, off, vlen, flags));
    }

    /**
     * {@link #sendmmsg(int, MessageBatch, int)} without exceptions for kernel errors: the number of messages
     * sent, or {@code -errno} when the first failed. With reused messages and direct buffers it allocates nothing.
     * {@link #trySendmmsg(int, MessageBatch, int, int)} takes C's {@code vlen}.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages sent, or {@code -errno}
     * @throws IllegalArgumentException when the batch's heap bytes exceed its staging capacity
     * @throws IllegalStateException when the batch or one of its messages is closed, another thread is in a call
     *     with the batch, or a buffer is over a memory segment whose arena is closed (the JDK's exception: see the
     *     class description)
     */
    public static int trySendmmsg(int fd, MessageBatch batch, int flags) {
        Objects.requireNonNull(batch, "batch");
        return batch.send(b(), fd, true, 0, 0, flags); // refuses staged bytes for MSG_ZEROCOPY as it encodes them
    }

    /**
     * {@link #sendmmsg(int, MessageBatch, int, int)}, C's {@code vlen} form, without exceptions for kernel errors: the
     * number of messages sent (0 for {@code vlen} 0), or {@code -errno} when the first failed. With reused messages
     * and direct buffers it allocates nothing, whatever {@code vlen} each call takes.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param vlen how many messages to send, from the batch's first: 0 to {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages sent, or {@code -errno}
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code vlen} is outside 0..{@link MessageBatch#size()} (before any system
     *     call), or the batch's heap bytes exceed its staging capacity
     * @throws IllegalStateException when the batch is closed, a message the call uses is closed (any message, when the
     *     call describes the batch again: see {@link MessageBatch}), another thread is in a call with the batch, or a
     *     buffer of a message the call uses is over a memory segment whose arena is closed (the JDK's exception: see
     *     the class description)
     */
    public static int trySendmmsg(int fd, MessageBatch batch, int vlen, int flags) {
        Objects.requireNonNull(batch, "batch");
        return batch.send(b(), fd, false, 0, vlen, flags); // refuses staged bytes for MSG_ZEROCOPY as it encodes them
    }

    /**
     * {@link #sendmmsgAt}, C's {@code sendmmsg(fd, msgvec + off, vlen, flags)}, without exceptions for kernel errors:
     * the number of messages sent (0 for {@code vlen} 0), or {@code -errno} when message {@code off} failed. With
     * reused messages and direct buffers it allocates nothing, whatever {@code off} and {@code vlen} each call takes.
     * Named apart from {@link #trySendmmsg(int, MessageBatch, int, int)} for the reason {@link #sendmmsgAt} gives.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param off the first message to send, its index in the batch: {@code 0 <= off}
     * @param vlen how many messages to send from {@code off}: {@code 0 <= vlen}, {@code off + vlen <=}
     *     {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages sent, or {@code -errno}
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code off} and {@code vlen} are not a range of the batch (before any
     *     system call), or the batch's heap bytes exceed its staging capacity
     * @throws IllegalStateException as for {@link #sendmmsg(int, MessageBatch, int, int)}, of the messages the call
     *     uses
     */
    public static int trySendmmsgAt(int fd, MessageBatch batch, int off, int vlen, int flags) {
        Objects.requireNonNull(batch, "batch");
        return batch.send(b(), fd, false, off, vlen, flags); // refuses staged bytes for MSG_ZEROCOPY as it encodes them
    }

    /**
     * {@code recvmsg(2)}: receives one datagram (or what a stream has) into the message's buffers from their
     * positions (scatter), which advance by the bytes stored. The sender's address, {@code msg_flags} and the
     * control messages are then in {@link Message#source()}, {@link Message#receivedFlags()} and
     * {@link Message#receivedControl()}; descriptors received with {@code SCM_RIGHTS} are the caller's to close.
     * The message's control space is offered to the kernel; {@code MSG_CTRUNC} says it was too small.
     * {@code EINTR} is retried.
     *
     * @param fd the socket's descriptor
     * @param msg the message: its buffers, destination or source, and control messages
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the count the kernel returned: 0 at end of stream or for an empty datagram; with {@code MSG_TRUNC} in
     *     {@code flags} on a datagram socket, the datagram's real length, which may exceed what was stored; on a
     *     Linux TCP socket, the bytes discarded, which the buffers' positions move over without anything stored (as
     *     for {@link #recv(int, ByteBuffer, int) recv})
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws IllegalStateException when the message is closed, another thread is in a call with it, or one of its
     *     buffers is over a memory segment whose arena is closed (the JDK's exception: see the class description)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: as for
     *     {@link #recv(int, ByteBuffer, int) recv}; with {@code MSG_ERRQUEUE}, {@code EAGAIN} when the error queue is
     *     empty
     */
    public static long recvmsg(int fd, Message msg, int flags) throws ErrnoException {
        Objects.requireNonNull(msg, "msg");
        return check("recvmsg", msg.receive(b(), fd, flags));
    }

    /**
     * {@link #recvmsg(int, Message, int)} without exceptions for kernel errors: the count received, or
     * {@code -errno} ({@code -EAGAIN} on an empty non-blocking socket). With direct buffers and a reused message it
     * allocates nothing once warm, control messages received included (read in place with {@link PacketInfo},
     * {@link Message#receivedValue} or {@link ErrorQueueEntry}; {@link Message#receivedControl()} makes objects).
     *
     * @param fd the socket's descriptor
     * @param msg the message: its buffers, destination or source, and control messages
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the count received, or {@code -errno}
     * @throws IllegalStateException when the message is closed, another thread is in a call with it, or one of its
     *     buffers is over a memory segment whose arena is closed (the JDK's exception: see the class description)
     */
    public static long tryRecvmsg(int fd, Message msg, int flags) {
        Objects.requireNonNull(msg, "msg");
        return msg.receive(b(), fd, flags);
    }

    /**
     * {@code recvmmsg(2)} without a timeout: receives up to {@link MessageBatch#size()} datagrams in one call, one
     * per message, each into that message's buffers from their positions, with its own sender address, flags and
     * control messages ({@link Message#source()}, {@link Message#receivedFlags()},
     * {@link Message#truncated()}, {@link Message#controlTruncated()}, {@link Message#receivedControl()}).
     * {@link MessageBatch#receivedCount()} and {@link MessageBatch#bytesReceived(int)} tell how many messages were
     * filled and with how much. Each call offers every message its whole control space again. A blocking call
     * without {@code MSG_WAITFORONE} waits until every message of the batch is filled; with it, it returns as soon
     * as one datagram has arrived and no more are waiting. {@code EINTR} is retried. A signal that interrupts a
     * blocking call after its first datagram makes Linux return what it has and keep its own restart code (errno
     * 512, {@code ERESTARTSYS}, which no header names) as the socket's pending error: the next send or receive on
     * the socket fails with it, as in C ({@link ErrnoException#errno()} is then null and
     * {@link ErrnoException#errnoNumber()} 512; a sampling profiler's timer signals can cause it). With
     * {@code MSG_WAITFORONE} the call waits only for its first datagram, and this does not happen.
     * This is {@link #recvmmsg(int, MessageBatch, int, int)} with {@code vlen} = {@link MessageBatch#size()}: that
     * form takes
     * C's {@code vlen}, to receive into the first messages of a batch only.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages filled, at least 1 for a non-empty batch
     * @throws WouldBlockException when a non-blocking call finds nothing to read
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws IllegalArgumentException when the batch's heap bytes exceed its staging capacity, or it holds a message
     *     twice
     * @throws IllegalStateException when the batch or one of its messages is closed, another thread is in a call
     *     with the batch, a buffer is over a memory segment whose arena is closed (the JDK's exception: see the
     *     class description), or another thread changed a message during the call (after it: that message's flags,
     *     source and control messages are taken, its bytes are not put in its new buffers, and the other messages
     *     are taken all the same)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when nothing
     *     is waiting on a non-blocking socket or a receive timeout expired ({@link WouldBlockException}),
     *     {@code ECONNRESET}, {@code ENOTCONN} on an unconnected stream socket
     */
    public static int recvmmsg(int fd, MessageBatch batch, int flags) throws ErrnoException {
        return check("recvmmsg", tryRecvmmsg(fd, batch, flags, null));
    }

    /**
     * {@code recvmmsg(2)} with its timeout argument, as in C: a deadline counted from the start of the call, which
     * the kernel checks only after each datagram it receives, so it does not bound the wait for the first one (a
     * blocking call that waited past it returns right after that datagram; use {@code MSG_WAITFORONE},
     * {@code MSG_DONTWAIT} or {@link #setBlocking} to bound that wait). A signal restarts the call with the whole
     * timeout. Null means none. The kernel writes the time left back into C's {@code struct timespec}; a
     * {@code Duration} cannot change, so a loop that spreads one deadline over calls counts it itself (with
     * {@link System#nanoTime}). {@link #recvmmsg(int, MessageBatch, int, int, java.time.Duration)} takes C's
     * {@code vlen} too.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param timeout the deadline from the start of the call, checked after each datagram, or null
     * @return the number of messages filled, at least 1 for a non-empty batch
     * @throws WouldBlockException when a non-blocking call finds nothing to read
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws IllegalArgumentException when {@code timeout} is negative, the batch's heap bytes exceed its staging
     *     capacity, or it holds a message twice
     * @throws IllegalStateException when the batch or one of its messages is closed, another thread is in a call
     *     with the batch, a buffer is over a memory segment whose arena is closed (the JDK's exception: see the
     *     class description), or another thread changed a message during the call (after it: that message's flags,
     *     source and control messages are taken, its bytes are not put in its new buffers, and the other messages
     *     are taken all the same)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when nothing
     *     is waiting on a non-blocking socket or a receive timeout expired ({@link WouldBlockException}),
     *     {@code ECONNRESET}, {@code ENOTCONN} on an unconnected stream socket
     * @see #recvmmsg(int, MessageBatch, int)
     */
    public static int recvmmsg(int fd, MessageBatch batch, int flags, java.time.Duration timeout)
            throws ErrnoException {
        return check("recvmmsg", tryRecvmmsg(fd, batch, flags, timeout));
    }

    /**
     * {@link #recvmmsg(int, MessageBatch, int)} without exceptions for kernel errors: the number of messages filled,
     * or {@code -errno} when none was; {@link #tryRecvmmsg(int, MessageBatch, int, java.time.Duration)} with no
     * timeout. {@link #tryRecvmmsg(int, MessageBatch, int, int)} takes C's {@code vlen}.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages filled, or {@code -errno}
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws IllegalArgumentException when the batch's heap bytes exceed its staging capacity, or it holds a message
     *     twice
     * @throws IllegalStateException when the batch or one of its messages is closed, another thread is in a call
     *     with the batch, a buffer is over a memory segment whose arena is closed (the JDK's exception: see the
     *     class description), or another thread changed a message during the call (after it: that message's flags,
     *     source and control messages are taken, its bytes are not put in its new buffers, and the other messages
     *     are taken all the same)
     */
    public static int tryRecvmmsg(int fd, MessageBatch batch, int flags) {
        return tryRecvmmsg(fd, batch, flags, null);
    }

    /**
     * {@link #recvmmsg(int, MessageBatch, int, java.time.Duration)} without exceptions for kernel errors: the
     * number of messages filled, or {@code -errno} when none was. With reused messages and direct buffers it
     * allocates nothing once warm: the control messages received are copied into storage each message keeps, which
     * only the first receives that bring more grow, and read in place from there ({@link PacketInfo},
     * {@link Message#receivedValue}; {@link Message#receivedControl()} makes objects). {@link #tryRecvmmsg(int,
     * MessageBatch, int, int,
     * java.time.Duration)} takes C's {@code vlen}.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param timeout the deadline from the start of the call, checked after each datagram, or null
     * @return the number of messages filled, or {@code -errno}
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws IllegalArgumentException when {@code timeout} is negative, the batch's heap bytes exceed its staging
     *     capacity, or it holds a message twice
     * @throws IllegalStateException when the batch or one of its messages is closed, another thread is in a call
     *     with the batch, a buffer is over a memory segment whose arena is closed (the JDK's exception: see the
     *     class description), or another thread changed a message during the call (after it: that message's flags,
     *     source and control messages are taken, its bytes are not put in its new buffers, and the other messages
     *     are taken all the same)
     */
    public static int tryRecvmmsg(int fd, MessageBatch batch, int flags, java.time.Duration timeout) {
        Objects.requireNonNull(batch, "batch");
        return batch.receive(b(), fd, true, 0, 0, flags, timeoutNanos(timeout));
    }

    /**
     * {@code recvmmsg(fd, msgvec, vlen, flags, NULL)} with C's {@code vlen}: receives up to {@code vlen} datagrams in
     * one call into the batch's first {@code vlen} messages, as C's {@code recvmmsg} fills only the first {@code vlen}
     * entries of its vector, and leaves the others as they are (their buffer positions, received flags, sources and
     * control messages, and where {@link Message#rewind()} puts them back). A loop that receives into the first n
     * free messages of a batch keeps one batch and changes only the count: the batch is described for the kernel
     * once for every {@code vlen} ({@link MessageBatch} says when it is described again).
     * {@link MessageBatch#receivedCount()} and {@link MessageBatch#bytesReceived(int)} cover the messages filled, at
     * most {@code vlen}; a blocking call without {@code MSG_WAITFORONE} waits until {@code vlen} are. Otherwise as
     * {@link #recvmmsg(int, MessageBatch, int)}, which is this call with {@code vlen} = {@link MessageBatch#size()}.
     *
     * <p>{@code vlen} 0 makes the system call with no message, as C's does: Linux returns 0 at once, without waiting
     * (a blocking socket too) and without taking a datagram, and fails for a descriptor that is not an open socket
     * ({@code EBADF}, {@code ENOTSOCK}) or with a pending socket error, which it returns and clears as
     * {@code recvmmsg} does for any {@code vlen} (an ICMP port unreachable on a connected UDP socket:
     * {@code ECONNREFUSED}; not with {@code MSG_ERRQUEUE}). (That is Linux's answer, measured; NetBSD's kernel gives
     * its own.)
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param vlen how many messages to receive into, from the batch's first: 0 to {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages filled, at least 1 when {@code vlen} is not 0
     * @throws WouldBlockException when a non-blocking call finds nothing to read
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code vlen} is outside 0..{@link MessageBatch#size()} (before any system
     *     call), the batch's heap bytes exceed its staging capacity, or it holds a message twice
     * @throws IllegalStateException when the batch is closed, a message the call uses is closed (any message, when the
     *     call describes the batch again: see {@link MessageBatch}), another thread is in a call with the batch, a
     *     buffer of a message the call uses is over a memory segment whose arena is closed (the JDK's exception: see
     *     the class description), or another thread changed a message during the call (as for
     *     {@link #recvmmsg(int, MessageBatch, int)})
     * @throws ErrnoException when the kernel fails the call, as for {@link #recvmmsg(int, MessageBatch, int)}
     */
    public static int recvmmsg(int fd, MessageBatch batch, int vlen, int flags) throws ErrnoException {
        return check("recvmmsg", tryRecvmmsg(fd, batch, vlen, flags, null));
    }

    /**
     * {@code recvmmsg(fd, msgvec, vlen, flags, timeout)}: {@link #recvmmsg(int, MessageBatch, int, int)}, C's
     * {@code vlen} form, with the timeout of {@link #recvmmsg(int, MessageBatch, int, java.time.Duration)}, a deadline
     * checked after each datagram. With {@code vlen} 0 the timeout is checked (a negative one is refused) but not
     * waited for.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param vlen how many messages to receive into, from the batch's first: 0 to {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param timeout the deadline from the start of the call, checked after each datagram, or null
     * @return the number of messages filled, at least 1 when {@code vlen} is not 0
     * @throws WouldBlockException when a non-blocking call finds nothing to read
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code timeout} is negative, {@code vlen} is outside
     *     0..{@link MessageBatch#size()} (both before any system call), the batch's heap bytes exceed its staging
     *     capacity, or it holds a message twice
     * @throws IllegalStateException as for {@link #recvmmsg(int, MessageBatch, int, int)}
     * @throws ErrnoException when the kernel fails the call, as for {@link #recvmmsg(int, MessageBatch, int)}
     */
    public static int recvmmsg(int fd, MessageBatch batch, int vlen, int flags, java.time.Duration timeout)
            throws ErrnoException {
        return check("recvmmsg", tryRecvmmsg(fd, batch, vlen, flags, timeout));
    }

    /**
     * {@link #recvmmsg(int, MessageBatch, int, int)}, C's {@code vlen} form, without exceptions for kernel errors: the
     * number of messages filled (0 for {@code vlen} 0), or {@code -errno} when none was. With reused messages and
     * direct buffers it allocates nothing once warm (control messages received included), whatever {@code vlen} each
     * call takes.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param vlen how many messages to receive into, from the batch's first: 0 to {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages filled, or {@code -errno}
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code vlen} is outside 0..{@link MessageBatch#size()} (before any system
     *     call), the batch's heap bytes exceed its staging capacity, or it holds a message twice
     * @throws IllegalStateException as for {@link #recvmmsg(int, MessageBatch, int, int)}
     */
    public static int tryRecvmmsg(int fd, MessageBatch batch, int vlen, int flags) {
        return tryRecvmmsg(fd, batch, vlen, flags, null);
    }

    /**
     * {@link #recvmmsg(int, MessageBatch, int, int, java.time.Duration)} without exceptions for kernel errors: the
     * number of messages filled (0 for {@code vlen} 0), or {@code -errno} when none was. With reused messages and
     * direct buffers it allocates nothing once warm (control messages received included), whatever {@code vlen} each
     * call takes.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param vlen how many messages to receive into, from the batch's first: 0 to {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param timeout the deadline from the start of the call, checked after each datagram, or null
     * @return the number of messages filled, or {@code -errno}
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code timeout} is negative, {@code vlen} is outside
     *     0..{@link MessageBatch#size()} (both before any system call), the batch's heap bytes exceed its staging
     *     capacity, or it holds a message twice
     * @throws IllegalStateException as for {@link #recvmmsg(int, MessageBatch, int, int)}
     */
    public static int tryRecvmmsg(int fd, MessageBatch batch, int vlen, int flags, java.time.Duration timeout) {
        Objects.requireNonNull(batch, "batch");
        return batch.receive(b(), fd, false, 0, vlen, flags, timeoutNanos(timeout));
    }

    /**
     * {@code recvmmsg(fd, msgvec + off, vlen, flags, NULL)}: receives up to {@code vlen} datagrams in one call into the
     * batch's messages {@code off..off+vlen-1}, as C hands {@code recvmmsg} its vector from the {@code off}th entry,
     * and leaves the others as they are (their buffer positions, received flags, sources and control messages, and
     * where {@link Message#rewind()} puts them back), so that a loop that fills a batch over several calls goes on
     * from the first free message. {@link MessageBatch#receivedCount()} is how many were filled, messages
     * {@code off..off+receivedCount-1}, whose {@link MessageBatch#bytesReceived(int)} (by their index in the batch) is
     * what each took; it answers 0 for every other message. This is {@link #recvmmsg(int, MessageBatch, int, int)}
     * with the messages from {@code off}: that is this call with {@code off} 0, otherwise it is the same, {@code vlen}
     * 0 included. Named apart from the {@code vlen} forms for the reason {@link #sendmmsgAt} gives: a
     * {@code recvmmsg(fd, batch, off, vlen, flags)} would sit beside {@code recvmmsg(fd, batch, vlen, flags, timeout)}.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param off the first message to receive into, its index in the batch: {@code 0 <= off}
     * @param vlen how many messages to receive into from {@code off}: {@code 0 <= vlen}, {@code off + vlen <=}
     *     {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages filled, at least 1 when {@code vlen} is not 0
     * @throws WouldBlockException when a non-blocking call finds nothing to read
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code off} and {@code vlen} are not a range of the batch (before any
     *     system call), the batch's heap bytes exceed its staging capacity, or it holds a message twice
     * @throws IllegalStateException as for {@link #recvmmsg(int, MessageBatch, int, int)}, of the messages the call
     *     uses
     * @throws ErrnoException when the kernel fails the call, as for {@link #recvmmsg(int, MessageBatch, int)}
     */
    public static int recvmmsgAt(int fd, MessageBatch batch, int off, int vlen, int flags) throws ErrnoException {
        return check("recvmmsg", tryRecvmmsgAt(fd, batch, off, vlen, flags, null));
    }

    /**
     * {@code recvmmsg(fd, msgvec + off, vlen, flags, timeout)}: {@link #recvmmsgAt(int, MessageBatch, int, int, int)}
     * with the timeout of {@link #recvmmsg(int, MessageBatch, int, java.time.Duration)}, a deadline checked after each
     * datagram. With {@code vlen} 0 the timeout is checked (a negative one is refused) but not waited for.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param off the first message to receive into, its index in the batch: {@code 0 <= off}
     * @param vlen how many messages to receive into from {@code off}: {@code 0 <= vlen}, {@code off + vlen <=}
     *     {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param timeout the deadline from the start of the call, checked after each datagram, or null
     * @return the number of messages filled, at least 1 when {@code vlen} is not 0
     * @throws WouldBlockException when a non-blocking call finds nothing to read
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code timeout} is negative, {@code off} and {@code vlen} are not a range
     *     of the batch (both before any system call), the batch's heap bytes exceed its staging capacity, or it holds
     *     a message twice
     * @throws IllegalStateException as for {@link #recvmmsg(int, MessageBatch, int, int)}, of the messages the call
     *     uses
     * @throws ErrnoException when the kernel fails the call, as for {@link #recvmmsg(int, MessageBatch, int)}
     */
    public static int recvmmsgAt(int fd, MessageBatch batch, int off, int vlen, int flags,
            java.time.Duration timeout) throws ErrnoException {
        return check("recvmmsg", tryRecvmmsgAt(fd, batch, off, vlen, flags, timeout));
    }

    /**
     * {@link #recvmmsgAt(int, MessageBatch, int, int, int)}, C's {@code recvmmsg(fd, msgvec + off, vlen, flags, NULL)},
     * without exceptions for kernel errors: the number of messages filled (0 for {@code vlen} 0), or {@code -errno}
     * when none was. With reused messages and direct buffers it allocates nothing once warm (control messages
     * received included), whatever {@code off} and {@code vlen} each call takes.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param off the first message to receive into, its index in the batch: {@code 0 <= off}
     * @param vlen how many messages to receive into from {@code off}: {@code 0 <= vlen}, {@code off + vlen <=}
     *     {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the number of messages filled, or {@code -errno}
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code off} and {@code vlen} are not a range of the batch (before any
     *     system call), the batch's heap bytes exceed its staging capacity, or it holds a message twice
     * @throws IllegalStateException as for {@link #recvmmsg(int, MessageBatch, int, int)}, of the messages the call
     *     uses
     */
    public static int tryRecvmmsgAt(int fd, MessageBatch batch, int off, int vlen, int flags) {
        return tryRecvmmsgAt(fd, batch, off, vlen, flags, null);
    }

    /**
     * {@link #recvmmsgAt(int, MessageBatch, int, int, int, java.time.Duration)} without exceptions for kernel errors:
     * the number of messages filled (0 for {@code vlen} 0), or {@code -errno} when none was. With reused messages
     * and direct buffers it allocates nothing once warm (control messages received included), whatever {@code off}
     * and {@code vlen} each call takes.
     *
     * @param fd the socket's descriptor
     * @param batch the messages, one per datagram
     * @param off the first message to receive into, its index in the batch: {@code 0 <= off}
     * @param vlen how many messages to receive into from {@code off}: {@code 0 <= vlen}, {@code off + vlen <=}
     *     {@link MessageBatch#size()}
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param timeout the deadline from the start of the call, checked after each datagram, or null
     * @return the number of messages filled, or {@code -errno}
     * @throws ReadOnlyBufferException when a buffer is read-only
     * @throws NullPointerException when {@code batch} is null
     * @throws IllegalArgumentException when {@code timeout} is negative, {@code off} and {@code vlen} are not a range
     *     of the batch (both before any system call), the batch's heap bytes exceed its staging capacity, or it holds
     *     a message twice
     * @throws IllegalStateException as for {@link #recvmmsg(int, MessageBatch, int, int)}, of the messages the call
     *     uses
     */
    public static int tryRecvmmsgAt(int fd, MessageBatch batch, int off, int vlen, int flags,
            java.time.Duration timeout) {
        Objects.requireNonNull(batch, "batch");
        return batch.receive(b(), fd, false, off, vlen, flags, timeoutNanos(timeout));
    }

    /** {@code recvmmsg}'s timeout for the backend, in nanoseconds: -1 for none (null). */
    private static long timeoutNanos(java.time.Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout " + timeout + " is negative");
        }
        return timeout.getSeconds() > Long.MAX_VALUE / 1_000_000_000L - 1 ? Long.MAX_VALUE : timeout.toNanos();
    }

    // ---- around the sends: poll events, ioctl requests and more options ----------------------------------------

    /** {@code POLLIN}: there is data to read. */
    public static final int POLLIN = constant("POLLIN");

    /** {@code POLLPRI}: there is urgent data (TCP out-of-band) to read. */
    public static final int POLLPRI = constant("POLLPRI");

    /** {@code POLLOUT}: writing will not block. */
    public static final int POLLOUT = constant("POLLOUT");

    /** {@code POLLERR}: an error is pending (reported whether asked for or not). */
    public static final int POLLERR = constant("POLLERR");

    /** {@code POLLHUP}: the peer hung up (reported whether asked for or not). */
    public static final int POLLHUP = constant("POLLHUP");

    /** {@code POLLNVAL}: the descriptor is not open (reported whether asked for or not). */
    public static final int POLLNVAL = constant("POLLNVAL");

    /** {@code POLLRDHUP}: the peer shut its writing side down (Linux only). */
    public static final int POLLRDHUP = constant("POLLRDHUP");

    /** {@code POLLRDNORM}: normal data may be read without blocking; for a socket, reported with {@link #POLLIN}. */
    public static final int POLLRDNORM = constant("POLLRDNORM");

    /** {@code POLLRDBAND}: priority data may be read (out-of-band data, on some systems). */
    public static final int POLLRDBAND = constant("POLLRDBAND");

    /** {@code POLLWRNORM}: normal data may be written; reported with {@link #POLLOUT}, which NetBSD's is. */
    public static final int POLLWRNORM = constant("POLLWRNORM");

    /** {@code POLLWRBAND}: priority data may be written. */
    public static final int POLLWRBAND = constant("POLLWRBAND");

    /**
     * {@code FIONREAD}: the bytes waiting to be read (for a datagram socket on Linux: the size of the next datagram).
     */
    public static final int FIONREAD = constant("FIONREAD");

    /**
     * {@code SIOCATMARK}: 1 when the next byte to be read from a TCP socket is its out-of-band mark
     * ({@code sockatmark}), an int for {@link #ioctlInt(int, int)}.
     */
    public static final int SIOCATMARK = constant("SIOCATMARK");

    /** {@code SIOCINQ} (Linux only): Linux's other name for {@link #FIONREAD}, the same request. */
    public static final int SIOCINQ = constant("SIOCINQ");

    /**
     * {@code IPTOS_ECN_MASK}: the ECN bits of the TOS byte and the traffic class, the low two.
     */
    public static final int IPTOS_ECN_MASK = constant("IPTOS_ECN_MASK");

    /**
     * {@code IPTOS_ECN_NOT_ECT}: ECN codepoint 00: the sender does not do ECN.
     */
    public static final int IPTOS_ECN_NOT_ECT = constant("IPTOS_ECN_NOT_ECT");

    /**
     * {@code IPTOS_ECN_ECT1}: ECN codepoint 01: ECN-capable transport (1), as L4S senders mark.
     */
    public static final int IPTOS_ECN_ECT1 = constant("IPTOS_ECN_ECT1");

    /**
     * {@code IPTOS_ECN_ECT0}: ECN codepoint 10: ECN-capable transport (0).
     */
    public static final int IPTOS_ECN_ECT0 = constant("IPTOS_ECN_ECT0");

    /**
     * {@code IPTOS_ECN_CE}: ECN codepoint 11: congestion experienced, set by a router.
     */
    public static final int IPTOS_ECN_CE = constant("IPTOS_ECN_CE");

    /** {@code IPTOS_LOWDELAY}: the type-of-service bit a latency-minded sender sets in {@link #IP_TOS}. */
    public static final int IPTOS_LOWDELAY = constant("IPTOS_LOWDELAY");

    /** {@code IPTOS_THROUGHPUT}: the type-of-service bit a bulk sender sets in {@link #IP_TOS}. */
    public static final int IPTOS_THROUGHPUT = constant("IPTOS_THROUGHPUT");

    /** {@code IPTOS_RELIABILITY}: the type-of-service bit for reliability, in {@link #IP_TOS}. */
    public static final int IPTOS_RELIABILITY = constant("IPTOS_RELIABILITY");

    /** {@code IPTOS_MINCOST}: the type-of-service bit for low cost ({@code IPTOS_LOWCOST} in glibc). */
    public static final int IPTOS_MINCOST = constant("IPTOS_MINCOST");

    /**
     * {@code ICMP_ECHOREPLY}: ICMP type 0, echo reply.
     */
    public static final int ICMP_ECHOREPLY = constant("ICMP_ECHOREPLY");

    /**
     * {@code ICMP_ECHO}: ICMP type 8, echo request.
     */
    public static final int ICMP_ECHO = constant("ICMP_ECHO");

    /**
     * {@code ICMP_DEST_UNREACH}: ICMP type 3, destination unreachable (BSD: {@code ICMP_UNREACH}), an IPv4 error-queue
     * entry's {@code ee_type} for a refused datagram.
     */
    public static final int ICMP_DEST_UNREACH = constant("ICMP_DEST_UNREACH");

    /**
     * {@code ICMP_TIME_EXCEEDED}: ICMP type 11, time exceeded (BSD: {@code ICMP_TIMXCEED}).
     */
    public static final int ICMP_TIME_EXCEEDED = constant("ICMP_TIME_EXCEEDED");

    /**
     * {@code ICMP_PORT_UNREACH}: ICMP code 3 of {@link #ICMP_DEST_UNREACH}, port unreachable (BSD: {@code
     * ICMP_UNREACH_PORT}).
     */
    public static final int ICMP_PORT_UNREACH = constant("ICMP_PORT_UNREACH");

    /**
     * {@code ICMP_FRAG_NEEDED}: ICMP code 4 of {@link #ICMP_DEST_UNREACH}, fragmentation needed and DF set (BSD: {@code
     * ICMP_UNREACH_NEEDFRAG}).
     */
    public static final int ICMP_FRAG_NEEDED = constant("ICMP_FRAG_NEEDED");

    /**
     * {@code ICMP6_DST_UNREACH}: ICMPv6 type 1, destination unreachable.
     */
    public static final int ICMP6_DST_UNREACH = constant("ICMP6_DST_UNREACH");

    /**
     * {@code ICMP6_PACKET_TOO_BIG}: ICMPv6 type 2, packet too big.
     */
    public static final int ICMP6_PACKET_TOO_BIG = constant("ICMP6_PACKET_TOO_BIG");

    /**
     * {@code ICMP6_TIME_EXCEEDED}: ICMPv6 type 3, time exceeded.
     */
    public static final int ICMP6_TIME_EXCEEDED = constant("ICMP6_TIME_EXCEEDED");

    /**
     * {@code ICMP6_ECHO_REQUEST}: ICMPv6 type 128, echo request.
     */
    public static final int ICMP6_ECHO_REQUEST = constant("ICMP6_ECHO_REQUEST");

    /**
     * {@code ICMP6_ECHO_REPLY}: ICMPv6 type 129, echo reply.
     */
    public static final int ICMP6_ECHO_REPLY = constant("ICMP6_ECHO_REPLY");

    /**
     * {@code ICMP6_DST_UNREACH_NOPORT}: ICMPv6 code 4 of {@link #ICMP6_DST_UNREACH}, port unreachable.
     */
    public static final int ICMP6_DST_UNREACH_NOPORT = constant("ICMP6_DST_UNREACH_NOPORT");

    /**
     * {@code IPPROTO_UDPLITE} (Linux only): UDP-Lite, a protocol for {@code socket(AF_INET, SOCK_DGRAM, ...)} (or
     * {@code AF_INET6}), and the level of its options (C's {@code SOL_UDPLITE}, the same number), set as {@code int}s
     * or bytes: the checksum coverage options {@code UDPLITE_SEND_CSCOV} and {@code UDPLITE_RECV_CSCOV} are named by
     * no installed header (C programs define them as the kernel's 10 and 11), so posix-send has no constants for them.
     */
    public static final int IPPROTO_UDPLITE = constant("IPPROTO_UDPLITE");

    /**
     * {@code IPPROTO_MPTCP} (Linux only): Multipath TCP as {@code socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP)} (or
     * {@code AF_INET6}); {@code ENOPROTOOPT} where the kernel has it off ({@code net.mptcp.enabled} 0),
     * {@code EPROTONOSUPPORT} for another type or family. A connection whose peer does not speak it falls back to
     * plain TCP: {@link #MPTCP_INFO} then fails, as C's usual test for the fallback reads ({@code EOPNOTSUPP} on
     * IPv4, {@code ENOPROTOOPT} on IPv6, as on a plain TCP socket, on Linux 6.18).
     */
    public static final int IPPROTO_MPTCP = constant("IPPROTO_MPTCP");

    /**
     * {@code SOL_MPTCP} (Linux only): the level of Multipath TCP's own options, read as bytes
     * ({@link #getsockopt(int, int, int, byte[])}): {@link #MPTCP_INFO}, {@link #MPTCP_TCPINFO} and
     * {@link #MPTCP_SUBFLOW_ADDRS}. Its other options are refused, since a later one, {@code MPTCP_FULL_INFO},
     * carries addresses of the caller's memory inside its value.
     */
    public static final int SOL_MPTCP = constant("SOL_MPTCP");

    /**
     * {@code MPTCP_INFO} (Linux only): a {@code struct mptcp_info} of the connection (subflows, flags such as
     * {@link #MPTCP_INFO_FLAG_FALLBACK}, sequence numbers), as many bytes as the array holds up to the kernel's
     * struct; on a connection that fell back to TCP and on a plain TCP socket TCP answers instead:
     * {@code EOPNOTSUPP} on IPv4, {@code ENOPROTOOPT} on IPv6 (Linux 6.18).
     */
    public static final int MPTCP_INFO = constant("MPTCP_INFO");

    /**
     * {@code MPTCP_TCPINFO} (Linux only): a {@code struct mptcp_subflow_data} header (16 bytes, its
     * {@code size_subflow_data} and {@code size_user} filled in by the caller, the rest 0) followed by one
     * {@code struct tcp_info} per subflow, each {@code size_user} bytes, as many as the array holds.
     */
    public static final int MPTCP_TCPINFO = constant("MPTCP_TCPINFO");

    /**
     * {@code MPTCP_SUBFLOW_ADDRS} (Linux only): as {@link #MPTCP_TCPINFO}, with one
     * {@code struct mptcp_subflow_addrs} (the local and remote {@code sockaddr} of a subflow) per subflow.
     */
    public static final int MPTCP_SUBFLOW_ADDRS = constant("MPTCP_SUBFLOW_ADDRS");

    /** {@code MPTCP_INFO_FLAG_FALLBACK} (Linux only): in {@code mptcpi_flags}, the connection fell back to TCP. */
    public static final int MPTCP_INFO_FLAG_FALLBACK = constant("MPTCP_INFO_FLAG_FALLBACK");

    /** {@code MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED} (Linux only): in {@code mptcpi_flags}, the peer's key arrived. */
    public static final int MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED = constant("MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED");

    /** {@code IPPROTO_ICMP}: ICMP, the protocol of an IPv4 raw socket that pings. */
    public static final int IPPROTO_ICMP = constant("IPPROTO_ICMP");

    /**
     * {@code IPPROTO_ICMPV6}: ICMPv6, the protocol of an IPv6 raw socket that pings, and the level of {@link
     * #ICMP6_FILTER}.
     */
    public static final int IPPROTO_ICMPV6 = constant("IPPROTO_ICMPV6");

    /**
     * {@code IPPROTO_RAW}: a raw socket that sends whole IPv4 packets, header included ({@link #IP_HDRINCL} implied),
     * and receives none.
     */
    public static final int IPPROTO_RAW = constant("IPPROTO_RAW");

    /**
     * {@code SOL_RAW} (Linux only): the level of a raw socket's own options ({@link #ICMP_FILTER}, and on IPv6 {@link
     * #IPV6_CHECKSUM}).
     */
    public static final int SOL_RAW = constant("SOL_RAW");

    /**
     * {@code SOL_ICMPV6} (Linux only): {@link #IPPROTO_ICMPV6} as a level.
     */
    public static final int SOL_ICMPV6 = constant("SOL_ICMPV6");

    /**
     * {@code ICMP_FILTER} (Linux only, at {@link #SOL_RAW}): the ICMP types an IPv4 raw socket of {@link #IPPROTO_ICMP}
     * does not receive, a {@code struct icmp_filter}: one 32-bit mask, bit {@code t} set blocks type {@code t} (an
     * {@code int} for {@link #setsockopt(int, int, int, int)}).
     */
    public static final int ICMP_FILTER = constant("ICMP_FILTER");

    /**
     * {@code ICMP6_FILTER} (at {@link #IPPROTO_ICMPV6}): the ICMPv6 types an IPv6 raw socket receives, a {@code struct
     * icmp6_filter} of 256 bits whose sense differs between platforms (Linux: set blocks; BSD: set passes); {@link
     * #icmp6Filter(int...)} lays one out.
     */
    public static final int ICMP6_FILTER = constant("ICMP6_FILTER");

    /**
     * {@code IP_HDRINCL}: a raw socket's sends carry their own IPv4 header.
     */
    public static final int IP_HDRINCL = constant("IP_HDRINCL");

    /**
     * {@code IP_OPTIONS}: the IPv4 options (record route, timestamps) each packet the socket sends carries, as bytes.
     */
    public static final int IP_OPTIONS = constant("IP_OPTIONS");

    /**
     * {@code IP_RECVOPTS}: received datagrams carry their IPv4 options as a control message.
     */
    public static final int IP_RECVOPTS = constant("IP_RECVOPTS");

    /**
     * {@code IP_RETOPTS}: received datagrams carry their IPv4 options, reversed for a reply, as a control message.
     */
    public static final int IP_RETOPTS = constant("IP_RETOPTS");

    /**
     * {@code IPV6_CHECKSUM}: where in a raw IPv6 socket's data the kernel writes and checks the checksum (-1: none),
     * at {@link #IPPROTO_IPV6}; an ICMPv6 socket's reads 2 there, and setting it fails with {@code EINVAL} on Linux,
     * which takes a new offset for it at {@link #SOL_RAW} (Linux's raw sockets read the option at both levels).
     */
    public static final int IPV6_CHECKSUM = constant("IPV6_CHECKSUM");

    /**
     * {@code IPV6_HDRINCL} (Linux only): a raw IPv6 socket's sends carry their own IPv6 header.
     */
    public static final int IPV6_HDRINCL = constant("IPV6_HDRINCL");

    /**
     * {@code IPV6_RECVPATHMTU}: a socket is told of path MTU changes by an {@link #IPV6_PATHMTU} control message.
     */
    public static final int IPV6_RECVPATHMTU = constant("IPV6_RECVPATHMTU");

    /**
     * {@code IPV6_PATHMTU}: a connected IPv6 socket's path MTU ({@code struct ip6_mtuinfo}), and the control message
     * that reports a change.
     */
    public static final int IPV6_PATHMTU = constant("IPV6_PATHMTU");

    /**
     * {@code SIOCGSTAMP} (Linux only): the arrival time of the last datagram a socket received, a {@code struct
     * timeval}; {@link #ioctlStampNanos(int, int)} reads it.
     */
    public static final int SIOCGSTAMP = constant("SIOCGSTAMP");

    /**
     * {@code SIOCGSTAMPNS} (Linux only): {@link #SIOCGSTAMP} as a {@code struct timespec}.
     */
    public static final int SIOCGSTAMPNS = constant("SIOCGSTAMPNS");

    /**
     * {@code SO_ATTACH_FILTER} (Linux only): a classic BPF program that decides which datagrams the socket takes,
     * set with {@link #setsockoptFilter(int, int, int, int[][])} (its value holds the program's address, so it is
     * passed neither as an int nor as bytes).
     */
    public static final int SO_ATTACH_FILTER = constant("SO_ATTACH_FILTER");

    /**
     * {@code SO_ATTACH_REUSEPORT_CBPF} (Linux only): a classic BPF program that picks which socket of a
     * {@link #SO_REUSEPORT} group takes each datagram or connection, set with
     * {@link #setsockoptFilter(int, int, int, int[][])}.
     */
    public static final int SO_ATTACH_REUSEPORT_CBPF = constant("SO_ATTACH_REUSEPORT_CBPF");

    /** {@code SO_DETACH_FILTER} (Linux only): removes the socket's filter (any int value). */
    public static final int SO_DETACH_FILTER = constant("SO_DETACH_FILTER");

    /** {@code SO_LOCK_FILTER} (Linux only): 1 keeps the socket's filter for good; changing it then fails with EPERM. */
    public static final int SO_LOCK_FILTER = constant("SO_LOCK_FILTER");

    /** {@code SO_DETACH_REUSEPORT_BPF} (Linux 5.3+): removes a reuseport group's program (any int value). */
    public static final int SO_DETACH_REUSEPORT_BPF = constant("SO_DETACH_REUSEPORT_BPF");

    /**
     * {@code SIOCOUTQ} (Linux only): on TCP, the bytes in the send queue not yet acknowledged by the peer, sent or
     * not; on UDP, the bytes of datagrams still held by the socket (0 once loopback has delivered them).
     */
    public static final int SIOCOUTQ = constant("SIOCOUTQ");

    /** {@code SIOCOUTQNSD}: the bytes in the send queue not yet sent (Linux only). */
    public static final int SIOCOUTQNSD = constant("SIOCOUTQNSD");

    /**
     * {@code SO_SNDTIMEO}: a send timeout, a {@code struct timeval}, set and read as a {@link java.time.Duration} with
     * {@link #setsockopt(int, int, int, Duration)} and {@link #getsockoptTimeval(int, int, int)} (setting an
     * {@code int} is refused by the kernel, {@code EINVAL}; reading one gets the struct's first four bytes, the
     * seconds on a little-endian machine, as in C).
     */
    public static final int SO_SNDTIMEO = constant("SO_SNDTIMEO");

    /**
     * {@code SO_RCVTIMEO}: a receive timeout, a {@code struct timeval}, set and read as a {@link java.time.Duration}
     * with {@link #setsockopt(int, int, int, Duration)} and {@link #getsockoptTimeval(int, int, int)} (setting an
     * {@code int} is refused by the kernel, {@code EINVAL}; reading one gets the struct's first four bytes, the
     * seconds on a little-endian machine, as in C).
     */
    public static final int SO_RCVTIMEO = constant("SO_RCVTIMEO");

    /**
     * {@code SO_BINDTODEVICE}: an interface name (Linux only), set and read with
     * {@link #setsockopt(int, int, int, String)} and {@link #getsockoptString(int, int, int)}.
     */
    public static final int SO_BINDTODEVICE = constant("SO_BINDTODEVICE");

    /** {@code SO_PRIORITY} (Linux only). */
    public static final int SO_PRIORITY = constant("SO_PRIORITY");

    /** {@code SO_MARK} (Linux only). */
    public static final int SO_MARK = constant("SO_MARK");

    /**
     * {@code SO_TIMESTAMPNS} (Linux only): each received datagram carries its arrival time, in nanoseconds, read with
     * {@link Message#receivedNanos(ControlMessage.Kind, int)} ({@link ControlMessage.Kind#TIMESTAMPNS}).
     */
    public static final int SO_TIMESTAMPNS = constant("SO_TIMESTAMPNS");

    /**
     * {@code SO_RXQ_OVFL} (Linux only): each datagram received carries the socket's count of datagrams dropped so
     * far, as a {@link ControlMessage.Kind#RXQ_OVFL} control message ({@link Message#receivedValue}).
     */
    public static final int SO_RXQ_OVFL = constant("SO_RXQ_OVFL");

    /**
     * {@code SO_NO_CHECK} (Linux only): an IPv4 UDP socket with it set sends its datagrams without a checksum (the
     * field 0). While {@link #UDP_SEGMENT} is set too (on the socket or in a control message), every send from it
     * fails with {@code EINVAL}, even one no longer than a segment.
     */
    public static final int SO_NO_CHECK = constant("SO_NO_CHECK");

    /**
     * {@code UDP_NO_CHECK6_TX} (Linux only, level {@link #SOL_UDP}): an IPv6 UDP socket with it set sends its
     * datagrams with a zero checksum, which IPv6 allows only for tunnels (RFC 6935); with {@link #UDP_SEGMENT} set
     * too, every send fails with {@code EINVAL}, as under {@link #SO_NO_CHECK}.
     */
    public static final int UDP_NO_CHECK6_TX = constant("UDP_NO_CHECK6_TX");

    /**
     * {@code UDP_NO_CHECK6_RX} (Linux only, level {@link #SOL_UDP}): an IPv6 UDP socket with it set accepts datagrams
     * whose checksum is zero, which it otherwise drops.
     */
    public static final int UDP_NO_CHECK6_RX = constant("UDP_NO_CHECK6_RX");

    /** {@code IP_MTU} (Linux only). */
    public static final int IP_MTU = constant("IP_MTU");

    /** {@code IP_FREEBIND} (Linux only). */
    public static final int IP_FREEBIND = constant("IP_FREEBIND");

    /** {@code IP_TRANSPARENT} (Linux only). */
    public static final int IP_TRANSPARENT = constant("IP_TRANSPARENT");

    /** {@code IPV6_MTU} (Linux only). */
    public static final int IPV6_MTU = constant("IPV6_MTU");

    /** {@code IPV6_MTU_DISCOVER} (Linux only): {@link #IP_MTU_DISCOVER} for IPv6 sockets. */
    public static final int IPV6_MTU_DISCOVER = constant("IPV6_MTU_DISCOVER");

    /**
     * {@code IPV6_PMTUDISC_DO} (Linux only): with {@link #IPV6_MTU_DISCOVER}, never fragment locally; a datagram
     * larger than the path MTU fails with {@code EMSGSIZE}.
     */
    public static final int IPV6_PMTUDISC_DO = constant("IPV6_PMTUDISC_DO");

    /**
     * {@code IPV6_PMTUDISC_DONT} (Linux only): {@link #IP_PMTUDISC_DONT} for {@link #IPV6_MTU_DISCOVER}.
     */
    public static final int IPV6_PMTUDISC_DONT = constant("IPV6_PMTUDISC_DONT");

    /**
     * {@code IPV6_PMTUDISC_WANT} (Linux only): {@link #IP_PMTUDISC_WANT} for {@link #IPV6_MTU_DISCOVER}.
     */
    public static final int IPV6_PMTUDISC_WANT = constant("IPV6_PMTUDISC_WANT");

    /**
     * {@code IPV6_PMTUDISC_PROBE} (Linux only): {@link #IP_PMTUDISC_PROBE} for {@link #IPV6_MTU_DISCOVER}.
     */
    public static final int IPV6_PMTUDISC_PROBE = constant("IPV6_PMTUDISC_PROBE");

    /**
     * {@code IPV6_PMTUDISC_INTERFACE} (Linux only): {@link #IP_PMTUDISC_INTERFACE} for {@link #IPV6_MTU_DISCOVER}.
     */
    public static final int IPV6_PMTUDISC_INTERFACE = constant("IPV6_PMTUDISC_INTERFACE");

    /**
     * {@code IPV6_PMTUDISC_OMIT} (Linux only): {@link #IP_PMTUDISC_OMIT} for {@link #IPV6_MTU_DISCOVER}.
     */
    public static final int IPV6_PMTUDISC_OMIT = constant("IPV6_PMTUDISC_OMIT");

    /**
     * {@code IPV6_FREEBIND} (Linux 4.15+): {@link #IP_FREEBIND} for IPv6 sockets, binding to an address the host does
     * not (yet) have.
     */
    public static final int IPV6_FREEBIND = constant("IPV6_FREEBIND");

    /**
     * {@code IP_MULTICAST_IF}: the interface a socket's multicast datagrams leave by, named by one of its IPv4
     * addresses ({@code struct in_addr}, 4 bytes as {@link InetAddress#getAddress()} gives them, through
     * {@link #setsockopt(int, int, int, byte[])}). Linux also takes an {@code ip_mreq} ({@link #ipMreq}) or, to name
     * the interface by its index, an {@code ip_mreqn} ({@link #ipMreqn}); a read gives the 4-byte address.
     */
    public static final int IP_MULTICAST_IF = constant("IP_MULTICAST_IF");

    /**
     * {@code IP_MULTICAST_TTL}: the TTL of a socket's multicast datagrams (1 by default: they stay on the link). Linux
     * takes an {@code int} or one byte; the BSDs' manuals give a {@code u_char}, one byte through
     * {@link #setsockopt(int, int, int, byte[])}.
     */
    public static final int IP_MULTICAST_TTL = constant("IP_MULTICAST_TTL");

    /** {@code IP_MULTICAST_LOOP}: whether the host's own members of a group get the socket's datagrams, as TTL. */
    public static final int IP_MULTICAST_LOOP = constant("IP_MULTICAST_LOOP");

    /** {@code IP_ADD_MEMBERSHIP}: join a group, with the request {@link #ipMreq(InetAddress, InetAddress)} lays out. */
    public static final int IP_ADD_MEMBERSHIP = constant("IP_ADD_MEMBERSHIP");

    /** {@code IP_DROP_MEMBERSHIP}: leave a group, with the request it was joined with. */
    public static final int IP_DROP_MEMBERSHIP = constant("IP_DROP_MEMBERSHIP");

    /** {@code IPV6_MULTICAST_IF}: the interface, by index, a socket's IPv6 multicast datagrams leave by. */
    public static final int IPV6_MULTICAST_IF = constant("IPV6_MULTICAST_IF");

    /** {@code IPV6_MULTICAST_HOPS}: the hop limit of a socket's IPv6 multicast datagrams (an {@code int}). */
    public static final int IPV6_MULTICAST_HOPS = constant("IPV6_MULTICAST_HOPS");

    /** {@code IPV6_MULTICAST_LOOP}: whether the host's own members of a group get the socket's datagrams. */
    public static final int IPV6_MULTICAST_LOOP = constant("IPV6_MULTICAST_LOOP");

    /**
     * {@code IPV6_JOIN_GROUP} (Linux's {@code IPV6_ADD_MEMBERSHIP}): join a group, with the request
     * {@link #ipv6Mreq(InetAddress, int)} lays out.
     */
    public static final int IPV6_JOIN_GROUP = constant("IPV6_JOIN_GROUP");

    /** {@code IPV6_LEAVE_GROUP} (Linux's {@code IPV6_DROP_MEMBERSHIP}): leave a group. */
    public static final int IPV6_LEAVE_GROUP = constant("IPV6_LEAVE_GROUP");

    /** {@code TCP_INFO}: a {@code struct tcp_info}, read typed by {@link #getsockoptTcpInfo(int)} on Linux. */
    public static final int TCP_INFO = constant("TCP_INFO");

    /** {@code TCP_KEEPIDLE}. */
    public static final int TCP_KEEPIDLE = constant("TCP_KEEPIDLE");

    /** {@code TCP_KEEPINTVL}. */
    public static final int TCP_KEEPINTVL = constant("TCP_KEEPINTVL");

    /** {@code TCP_KEEPCNT}. */
    public static final int TCP_KEEPCNT = constant("TCP_KEEPCNT");

    /** {@code TCP_USER_TIMEOUT} (Linux only). */
    public static final int TCP_USER_TIMEOUT = constant("TCP_USER_TIMEOUT");

    /** {@code TCP_FASTOPEN} (Linux only). */
    public static final int TCP_FASTOPEN = constant("TCP_FASTOPEN");

    /** {@code TCP_DEFER_ACCEPT} (Linux only). */
    public static final int TCP_DEFER_ACCEPT = constant("TCP_DEFER_ACCEPT");

    /**
     * {@code TCP_TIMESTAMP} (Linux only): the connection's TCP timestamp clock, read (and, for repair, set) as an int.
     */
    public static final int TCP_TIMESTAMP = constant("TCP_TIMESTAMP");

    /**
     * {@code TCP_SAVE_SYN} (Linux only): 1 on a listener keeps each connection's SYN headers, read once with {@link
     * #TCP_SAVED_SYN}.
     */
    public static final int TCP_SAVE_SYN = constant("TCP_SAVE_SYN");

    /**
     * {@code TCP_SAVED_SYN} (Linux only): the SYN's network and TCP headers a {@link #TCP_SAVE_SYN} listener kept, read
     * as bytes once from the accepted socket.
     */
    public static final int TCP_SAVED_SYN = constant("TCP_SAVED_SYN");

    /**
     * {@code TCP_FASTOPEN_CONNECT} (Linux 4.11+): 1 makes the next {@code connect} return at once and the first send
     * carry its data in the SYN (with a cached cookie; net.ipv4.tcp_fastopen with 0x1 set).
     */
    public static final int TCP_FASTOPEN_CONNECT = constant("TCP_FASTOPEN_CONNECT");

    /**
     * {@code TCP_ULP} (Linux only): the upper-layer protocol of a TCP socket, by name (as {@code "tls"}), set and read
     * as a string.
     */
    public static final int TCP_ULP = constant("TCP_ULP");

    /**
     * {@code TCP_FASTOPEN_KEY} (Linux only): the key a Fast Open listener makes cookies with, 16 bytes (or two keys,
     * 32), as bytes.
     */
    public static final int TCP_FASTOPEN_KEY = constant("TCP_FASTOPEN_KEY");

    /**
     * {@code TCP_FASTOPEN_NO_COOKIE} (Linux only): 1 lets a Fast Open client send data in the SYN without a cookie.
     */
    public static final int TCP_FASTOPEN_NO_COOKIE = constant("TCP_FASTOPEN_NO_COOKIE");

    /**
     * {@code TCP_INQ} (Linux only): 1 makes each receive carry the bytes still waiting to be read, a {@link
     * #TCP_CM_INQ} control message ({@code ControlMessage.Kind.TCP_INQ}).
     */
    public static final int TCP_INQ = constant("TCP_INQ");

    /**
     * {@code TCP_CM_INQ} (Linux only): the type of {@link #TCP_INQ}'s control message, at {@code SOL_TCP}
     * ({@link #IPPROTO_TCP}).
     */
    public static final int TCP_CM_INQ = constant("TCP_CM_INQ");

    /**
     * {@code TCP_TX_DELAY} (Linux only): microseconds the socket's packets wait before they leave (for testing), an
     * int.
     */
    public static final int TCP_TX_DELAY = constant("TCP_TX_DELAY");

    /**
     * {@code TCPI_OPT_TIMESTAMPS}: a bit of {@link TcpInfo#options()}, timestamps (NetBSD's own {@code tcpi_options}
     * has it too).
     */
    public static final int TCPI_OPT_TIMESTAMPS = constant("TCPI_OPT_TIMESTAMPS");

    /**
     * {@code TCPI_OPT_SACK}: a bit of {@link TcpInfo#options()}, selective acknowledgements (NetBSD's own
     * {@code tcpi_options} has it too).
     */
    public static final int TCPI_OPT_SACK = constant("TCPI_OPT_SACK");

    /**
     * {@code TCPI_OPT_WSCALE}: a bit of {@link TcpInfo#options()}, window scaling (NetBSD's own {@code tcpi_options}
     * has it too).
     */
    public static final int TCPI_OPT_WSCALE = constant("TCPI_OPT_WSCALE");

    /**
     * {@code TCPI_OPT_ECN}: a bit of {@link TcpInfo#options()}, ECN agreed in the handshake (NetBSD's own
     * {@code tcpi_options} has it too).
     */
    public static final int TCPI_OPT_ECN = constant("TCPI_OPT_ECN");

    /**
     * {@code TCPI_OPT_ECN_SEEN} (Linux only): a bit of {@link TcpInfo#options()}, a packet with ECT received.
     */
    public static final int TCPI_OPT_ECN_SEEN = constant("TCPI_OPT_ECN_SEEN");

    /**
     * {@code TCPI_OPT_SYN_DATA} (Linux only): a bit of {@link TcpInfo#options()}, data in the SYN acknowledged by the
     * SYN-ACK (Fast Open worked).
     */
    public static final int TCPI_OPT_SYN_DATA = constant("TCPI_OPT_SYN_DATA");

    /**
     * {@code SO_INCOMING_NAPI_ID} (Linux only): the NAPI id of the queue the socket's last packet came in on, read as
     * an int (0 on loopback).
     */
    public static final int SO_INCOMING_NAPI_ID = constant("SO_INCOMING_NAPI_ID");

    /**
     * {@code SO_PREFER_BUSY_POLL} (Linux 5.11+): 1 prefers busy polling to interrupts for the socket.
     */
    public static final int SO_PREFER_BUSY_POLL = constant("SO_PREFER_BUSY_POLL");

    /**
     * {@code SO_BUSY_POLL_BUDGET} (Linux 5.11+): the packets one busy poll may take (raising it needs CAP_NET_ADMIN).
     */
    public static final int SO_BUSY_POLL_BUDGET = constant("SO_BUSY_POLL_BUDGET");

    /**
     * {@code SO_PASSCRED} (Linux only): on a Unix socket, every message received carries the sender's {@code
     * SCM_CREDENTIALS}.
     */
    public static final int SO_PASSCRED = constant("SO_PASSCRED");

    /**
     * {@code SO_PEERCRED} (Linux only): a Unix socket peer's process, user and group as they were at {@code connect}, a
     * {@code struct ucred}; read typed with {@link #getsockoptPeerCred(int)}.
     */
    public static final int SO_PEERCRED = constant("SO_PEERCRED");

    /** {@code SO_ACCEPTCONN}: read only, 1 when the socket is listening. */
    public static final int SO_ACCEPTCONN = constant("SO_ACCEPTCONN");

    /** {@code SO_PEEK_OFF} (Linux only): where the next {@code MSG_PEEK} starts; -1 turns it off. */
    public static final int SO_PEEK_OFF = constant("SO_PEEK_OFF");

    /** {@code SO_BUSY_POLL} (Linux only): microseconds a blocking receive polls the device before it sleeps. */
    public static final int SO_BUSY_POLL = constant("SO_BUSY_POLL");

    /** {@code SO_INCOMING_CPU} (Linux only): the CPU that handled the socket's last received packet. */
    public static final int SO_INCOMING_CPU = constant("SO_INCOMING_CPU");

    /** {@code SO_COOKIE} (Linux only): read only, the socket's 64-bit identity in the kernel (read as 8 bytes). */
    public static final int SO_COOKIE = constant("SO_COOKIE");

    /**
     * {@code SO_MEMINFO} (Linux only): the socket's memory counters ({@code SK_MEMINFO_VARS} {@code uint32_t}s: receive
     * and send queues and buffers, and more), read as bytes.
     */
    public static final int SO_MEMINFO = constant("SO_MEMINFO");

    /**
     * {@code SK_MEMINFO_RMEM_ALLOC} (Linux only): the index, in {@link #SO_MEMINFO}'s array, of bytes queued for
     * reading.
     */
    public static final int SK_MEMINFO_RMEM_ALLOC = constant("SK_MEMINFO_RMEM_ALLOC");

    /**
     * {@code SK_MEMINFO_RCVBUF} (Linux only): the index, in {@link #SO_MEMINFO}'s array, of the receive buffer's size.
     */
    public static final int SK_MEMINFO_RCVBUF = constant("SK_MEMINFO_RCVBUF");

    /**
     * {@code SK_MEMINFO_WMEM_ALLOC} (Linux only): the index, in {@link #SO_MEMINFO}'s array, of bytes sent and not yet
     * freed.
     */
    public static final int SK_MEMINFO_WMEM_ALLOC = constant("SK_MEMINFO_WMEM_ALLOC");

    /** {@code SK_MEMINFO_SNDBUF} (Linux only): the index, in {@link #SO_MEMINFO}'s array, of the send buffer's size. */
    public static final int SK_MEMINFO_SNDBUF = constant("SK_MEMINFO_SNDBUF");

    /**
     * {@code SK_MEMINFO_FWD_ALLOC} (Linux only): the index, in {@link #SO_MEMINFO}'s array, of memory reserved ahead.
     */
    public static final int SK_MEMINFO_FWD_ALLOC = constant("SK_MEMINFO_FWD_ALLOC");

    /**
     * {@code SK_MEMINFO_WMEM_QUEUED} (Linux only): the index, in {@link #SO_MEMINFO}'s array, of bytes queued for
     * sending.
     */
    public static final int SK_MEMINFO_WMEM_QUEUED = constant("SK_MEMINFO_WMEM_QUEUED");

    /**
     * {@code SK_MEMINFO_OPTMEM} (Linux only): the index, in {@link #SO_MEMINFO}'s array, of option memory (control
     * data, filters, zero-copy notices).
     */
    public static final int SK_MEMINFO_OPTMEM = constant("SK_MEMINFO_OPTMEM");

    /**
     * {@code SK_MEMINFO_BACKLOG} (Linux only): the index, in {@link #SO_MEMINFO}'s array, of bytes held in the backlog
     * while the socket was busy.
     */
    public static final int SK_MEMINFO_BACKLOG = constant("SK_MEMINFO_BACKLOG");

    /** {@code SK_MEMINFO_DROPS} (Linux only): the index, in {@link #SO_MEMINFO}'s array, of packets dropped. */
    public static final int SK_MEMINFO_DROPS = constant("SK_MEMINFO_DROPS");

    /** {@code SK_MEMINFO_VARS} (Linux only): how many {@code uint32_t}s {@link #SO_MEMINFO}'s array has. */
    public static final int SK_MEMINFO_VARS = constant("SK_MEMINFO_VARS");

    /**
     * {@code AF_NETLINK} (Linux only): a socket to the kernel itself ({@code socket(AF_NETLINK, SOCK_RAW, protocol)}),
     * addressed with {@link SockAddr#netlink(int, int)}; its messages ({@code struct nlmsghdr} and what follows) are
     * the program's own bytes.
     */
    public static final int AF_NETLINK = constant("AF_NETLINK");

    /** {@code SOL_NETLINK} (Linux only): the level of the netlink socket options, as an {@code int} or as bytes. */
    public static final int SOL_NETLINK = constant("SOL_NETLINK");

    /**
     * {@code NETLINK_ROUTE} (Linux only): the protocol of routes, addresses, links and queueing disciplines
     * ({@code ip}, {@code tc}).
     */
    public static final int NETLINK_ROUTE = constant("NETLINK_ROUTE");

    /**
     * {@code NETLINK_SOCK_DIAG} (Linux only): the protocol that lists sockets with their {@code tcp_info} and memory
     * ({@code ss}); {@link TcpInfo#read(java.nio.ByteBuffer)} reads its {@code INET_DIAG_INFO}.
     */
    public static final int NETLINK_SOCK_DIAG = constant("NETLINK_SOCK_DIAG");

    /**
     * {@code NETLINK_ADD_MEMBERSHIP} (Linux only): join a multicast group by number (an {@code int}), past the 32 of
     * {@code nl_groups}.
     */
    public static final int NETLINK_ADD_MEMBERSHIP = constant("NETLINK_ADD_MEMBERSHIP");

    /** {@code NETLINK_DROP_MEMBERSHIP} (Linux only): leave a multicast group by number. */
    public static final int NETLINK_DROP_MEMBERSHIP = constant("NETLINK_DROP_MEMBERSHIP");

    /**
     * {@code NETLINK_PKTINFO} (Linux only): each received message carries the group it came from, in a control message.
     */
    public static final int NETLINK_PKTINFO = constant("NETLINK_PKTINFO");

    /**
     * {@code NETLINK_BROADCAST_ERROR} (Linux only): a multicast the kernel could not deliver to this socket fails the
     * sender's call.
     */
    public static final int NETLINK_BROADCAST_ERROR = constant("NETLINK_BROADCAST_ERROR");

    /**
     * {@code NETLINK_NO_ENOBUFS} (Linux only): a full receive buffer drops messages without an {@code ENOBUFS} on the
     * next receive.
     */
    public static final int NETLINK_NO_ENOBUFS = constant("NETLINK_NO_ENOBUFS");

    /**
     * {@code NETLINK_LIST_MEMBERSHIPS} (Linux only): read as bytes, the joined groups as a bit array of
     * {@code uint32_t}s. The kernel fills no more than the room offered and answers with the room all of them need,
     * which the byte form does not report ({@code getsockopt} returns at most the array's length): offer room for
     * every group the protocol has (4 bytes a 32).
     */
    public static final int NETLINK_LIST_MEMBERSHIPS = constant("NETLINK_LIST_MEMBERSHIPS");

    /** {@code NETLINK_CAP_ACK} (Linux only): acknowledgements leave out the request they answer. */
    public static final int NETLINK_CAP_ACK = constant("NETLINK_CAP_ACK");

    /**
     * {@code NETLINK_EXT_ACK} (Linux only): errors and acknowledgements carry the kernel's message and the offending
     * attribute.
     */
    public static final int NETLINK_EXT_ACK = constant("NETLINK_EXT_ACK");

    /**
     * {@code NETLINK_GET_STRICT_CHK} (Linux only): the kernel checks dump requests strictly and filters by their
     * headers.
     */
    public static final int NETLINK_GET_STRICT_CHK = constant("NETLINK_GET_STRICT_CHK");

    /** {@code NLA_ALIGNTO} (Linux only): the alignment of each netlink attribute, 4 ({@link NetlinkAttributes}). */
    public static final int NLA_ALIGNTO = constant("NLA_ALIGNTO");

    /** {@code NLA_HDRLEN} (Linux only): a netlink attribute's header, {@code struct nlattr} aligned: 4 bytes. */
    public static final int NLA_HDRLEN = constant("NLA_HDRLEN");

    /**
     * {@code NLA_TYPE_MASK} (Linux only): a netlink attribute's type bits, all but {@link #NLA_F_NESTED} and
     * {@link #NLA_F_NET_BYTEORDER} ({@code ~0xc000}, as C's {@code int}): {@code nla_type & NLA_TYPE_MASK}.
     */
    public static final int NLA_TYPE_MASK = constant("NLA_TYPE_MASK");

    /** {@code NLA_F_NESTED} (Linux only): the type bit of a netlink attribute whose value is more attributes. */
    public static final int NLA_F_NESTED = constant("NLA_F_NESTED");

    /**
     * {@code NLA_F_NET_BYTEORDER} (Linux only): the type bit of a netlink attribute whose value is in network order.
     */
    public static final int NLA_F_NET_BYTEORDER = constant("NLA_F_NET_BYTEORDER");

    /**
     * {@code AF_PACKET} (Linux only): a packet socket, the link layer's frames
     * ({@code socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))} with the link header, {@code SOCK_DGRAM} without),
     * addressed with {@link SockAddr#packet(int, int, byte[])}; needs {@code CAP_NET_RAW}.
     */
    public static final int AF_PACKET = constant("AF_PACKET");

    /**
     * {@code SOL_PACKET} (Linux only): the level of the packet socket options, as an {@code int} or as bytes (not
     * {@link #PACKET_FANOUT_DATA} as bytes: a classic BPF program's value holds an address).
     */
    public static final int SOL_PACKET = constant("SOL_PACKET");

    /**
     * {@code ETH_P_ALL} (Linux only): every protocol, the protocol of a packet socket that sees all frames: given to
     * {@code socket} through {@link #htons(int)}, as in C, and to {@link SockAddr#packet} as it is (that address
     * puts it in network order itself; {@code htons(ETH_P_ALL)} there would name ethertype 0x0300).
     */
    public static final int ETH_P_ALL = constant("ETH_P_ALL");

    /** {@code ETH_P_IP} (Linux only): the ethertype of IPv4, 0x0800. */
    public static final int ETH_P_IP = constant("ETH_P_IP");

    /** {@code ETH_P_IPV6} (Linux only): the ethertype of IPv6, 0x86DD. */
    public static final int ETH_P_IPV6 = constant("ETH_P_IPV6");

    /**
     * {@code ETH_P_802_EX1} (Linux only): the local experimental ethertype 0x88B5, for frames of a program's own
     * protocol.
     */
    public static final int ETH_P_802_EX1 = constant("ETH_P_802_EX1");

    /** {@code PACKET_HOST} (Linux only): a received frame's {@code sll_pkttype}: addressed to this host. */
    public static final int PACKET_HOST = constant("PACKET_HOST");

    /** {@code PACKET_BROADCAST} (Linux only): a received frame's {@code sll_pkttype}: a link-layer broadcast. */
    public static final int PACKET_BROADCAST = constant("PACKET_BROADCAST");

    /** {@code PACKET_MULTICAST} (Linux only): a received frame's {@code sll_pkttype}: a link-layer multicast. */
    public static final int PACKET_MULTICAST = constant("PACKET_MULTICAST");

    /**
     * {@code PACKET_OTHERHOST} (Linux only): a received frame's {@code sll_pkttype}: addressed to another host (seen in
     * promiscuous mode).
     */
    public static final int PACKET_OTHERHOST = constant("PACKET_OTHERHOST");

    /** {@code PACKET_OUTGOING} (Linux only): a received frame's {@code sll_pkttype}: one this host sent. */
    public static final int PACKET_OUTGOING = constant("PACKET_OUTGOING");

    /**
     * {@code PACKET_ADD_MEMBERSHIP} (Linux only): a {@code struct packet_mreq} (as bytes, built by
     * {@link #packetMreq}): join a link-layer group or turn on promiscuous mode ({@link #PACKET_MR_PROMISC}).
     */
    public static final int PACKET_ADD_MEMBERSHIP = constant("PACKET_ADD_MEMBERSHIP");

    /** {@code PACKET_DROP_MEMBERSHIP} (Linux only): undo a {@link #PACKET_ADD_MEMBERSHIP}. */
    public static final int PACKET_DROP_MEMBERSHIP = constant("PACKET_DROP_MEMBERSHIP");

    /** {@code PACKET_MR_MULTICAST} (Linux only): a {@code packet_mreq}'s type: one multicast address. */
    public static final int PACKET_MR_MULTICAST = constant("PACKET_MR_MULTICAST");

    /** {@code PACKET_MR_PROMISC} (Linux only): a {@code packet_mreq}'s type: promiscuous mode. */
    public static final int PACKET_MR_PROMISC = constant("PACKET_MR_PROMISC");

    /** {@code PACKET_MR_ALLMULTI} (Linux only): a {@code packet_mreq}'s type: every multicast. */
    public static final int PACKET_MR_ALLMULTI = constant("PACKET_MR_ALLMULTI");

    /**
     * {@code PACKET_STATISTICS} (Linux only): read as bytes, {@code struct tpacket_stats}: frames received and dropped
     * since the last read, which the read resets.
     */
    public static final int PACKET_STATISTICS = constant("PACKET_STATISTICS");

    /**
     * {@code PACKET_AUXDATA} (Linux only): each received frame carries a {@code struct tpacket_auxdata} control message
     * (a {@link ControlMessage.Kind#RAW} one).
     */
    public static final int PACKET_AUXDATA = constant("PACKET_AUXDATA");

    /**
     * {@code PACKET_TX_TIMESTAMP} (Linux only): the control message type under which a packet socket's error queue
     * gives a {@code struct sock_extended_err} (level {@link #SOL_PACKET}, where IP sockets use {@link #IP_RECVERR}):
     * a transmit timestamp asked for with {@link #SO_TIMESTAMPING}, read by {@link ErrorQueueEntry} and as a
     * {@link ControlMessage.Kind#EXTENDED_ERROR}.
     */
    public static final int PACKET_TX_TIMESTAMP = constant("PACKET_TX_TIMESTAMP");

    /**
     * {@code PACKET_TIMESTAMP} (Linux only): which timestamps a packet socket's ring records
     * ({@code SOF_TIMESTAMPING_*} flags).
     */
    public static final int PACKET_TIMESTAMP = constant("PACKET_TIMESTAMP");

    /**
     * {@code PACKET_FANOUT} (Linux only): join a fanout group: the group id in the low 16 bits, the mode and flags
     * above.
     */
    public static final int PACKET_FANOUT = constant("PACKET_FANOUT");

    /** {@code PACKET_QDISC_BYPASS} (Linux only): sends skip the queueing discipline and go to the driver. */
    public static final int PACKET_QDISC_BYPASS = constant("PACKET_QDISC_BYPASS");

    /**
     * {@code PACKET_FANOUT_DATA} (Linux only): a fanout group's classic or extended BPF program; refused as bytes (a
     * classic program's {@code struct sock_fprog} holds an address the kernel reads through).
     */
    public static final int PACKET_FANOUT_DATA = constant("PACKET_FANOUT_DATA");

    /** {@code PACKET_IGNORE_OUTGOING} (Linux only): the socket does not see the frames this host sends. */
    public static final int PACKET_IGNORE_OUTGOING = constant("PACKET_IGNORE_OUTGOING");

    /**
     * {@code SO_MAX_PACING_RATE} (Linux only): the most bytes per second the socket sends, paced by the {@code fq}
     * queueing discipline or TCP's own pacing; a {@code uint64_t}: above 2^32 - 1 it is set with
     * {@link #setsockopt(int, int, int, long)} and read with {@link #getsockoptLong(int, int, int)}, where the
     * {@code int} form reads -1 (C's {@code 0xffffffff}, the most an int can say).
     */
    public static final int SO_MAX_PACING_RATE = constant("SO_MAX_PACING_RATE");

    /**
     * {@code SO_TXTIME} (Linux only): turns on per-packet transmit times, a {@code struct sock_txtime} set with
     * {@link #setsockopt(int, int, int, SockTxtime)}; each time comes in an {@link #SCM_TXTIME} control message.
     */
    public static final int SO_TXTIME = constant("SO_TXTIME");

    /**
     * {@code SCM_TXTIME} (Linux only): the control message type of a packet's transmit time, a {@code uint64_t} in
     * nanoseconds of the clock {@link #SO_TXTIME} chose ({@link ControlMessage#txtime(long)}).
     */
    public static final int SCM_TXTIME = constant("SCM_TXTIME");

    /** {@code SOF_TXTIME_DEADLINE_MODE} (Linux only): {@link SockTxtime}'s times are deadlines ({@code etf}). */
    public static final int SOF_TXTIME_DEADLINE_MODE = constant("SOF_TXTIME_DEADLINE_MODE");

    /**
     * {@code SOF_TXTIME_REPORT_ERRORS} (Linux only): a packet the queueing discipline drops for its time is reported
     * on the error queue (origin {@link #SO_EE_ORIGIN_TXTIME}).
     */
    public static final int SOF_TXTIME_REPORT_ERRORS = constant("SOF_TXTIME_REPORT_ERRORS");

    /**
     * {@code CLOCK_REALTIME}: the wall clock, that of the receive timestamps ({@link #SO_TIMESTAMPNS}), as a
     * {@link SockTxtime}'s clock or read by {@link #clockGettime(int)}.
     */
    public static final int CLOCK_REALTIME = constant("CLOCK_REALTIME");

    /** {@code CLOCK_MONOTONIC}: the clock that never steps, as a {@link SockTxtime}'s clock or read now. */
    public static final int CLOCK_MONOTONIC = constant("CLOCK_MONOTONIC");

    /** {@code CLOCK_TAI} (Linux only): international atomic time, as a {@link SockTxtime}'s clock for {@code etf}. */
    public static final int CLOCK_TAI = constant("CLOCK_TAI");

    /** {@code CLOCK_MONOTONIC_RAW} (Linux only): the monotonic clock without NTP's rate corrections. */
    public static final int CLOCK_MONOTONIC_RAW = constant("CLOCK_MONOTONIC_RAW");

    /** {@code CLOCK_BOOTTIME} (Linux only): the monotonic clock counting the time suspended too. */
    public static final int CLOCK_BOOTTIME = constant("CLOCK_BOOTTIME");

    /** {@code CLOCK_PROCESS_CPUTIME_ID}: the CPU time the calling process has used. */
    public static final int CLOCK_PROCESS_CPUTIME_ID = constant("CLOCK_PROCESS_CPUTIME_ID");

    /** {@code CLOCK_THREAD_CPUTIME_ID}: the CPU time the calling thread has used. */
    public static final int CLOCK_THREAD_CPUTIME_ID = constant("CLOCK_THREAD_CPUTIME_ID");

    /** {@code SO_BINDTOIFINDEX} (Linux only): {@link #SO_BINDTODEVICE} by interface index; 0 removes the binding. */
    public static final int SO_BINDTOIFINDEX = constant("SO_BINDTOIFINDEX");

    /**
     * {@code SO_RCVBUFFORCE} (Linux only): {@link #SO_RCVBUF} above {@code net.core.rmem_max}, with {@code
     * CAP_NET_ADMIN}.
     */
    public static final int SO_RCVBUFFORCE = constant("SO_RCVBUFFORCE");

    /**
     * {@code IP_BIND_ADDRESS_NO_PORT} (Linux only): a {@code bind} to port 0 picks the port at {@code connect}, so that
     * many connections can share a source address.
     */
    public static final int IP_BIND_ADDRESS_NO_PORT = constant("IP_BIND_ADDRESS_NO_PORT");

    /**
     * {@code IP_RECVORIGDSTADDR} (Linux only): every datagram received carries its original destination, an {@link
     * #IP_ORIGDSTADDR} control message.
     */
    public static final int IP_RECVORIGDSTADDR = constant("IP_RECVORIGDSTADDR");

    /**
     * {@code IP_ORIGDSTADDR} (Linux only): the control message type of a datagram's original destination, a {@code
     * struct sockaddr_in}.
     */
    public static final int IP_ORIGDSTADDR = constant("IP_ORIGDSTADDR");

    /**
     * {@code IP_MULTICAST_ALL} (Linux only): 1 (the default) delivers every group any socket joined; 0 only the
     * socket's own.
     */
    public static final int IP_MULTICAST_ALL = constant("IP_MULTICAST_ALL");

    /** {@code IP_NODEFRAG} (Linux only): on a raw socket, send its fragments as they are. */
    public static final int IP_NODEFRAG = constant("IP_NODEFRAG");

    /**
     * {@code IP_UNICAST_IF} (Linux only): the interface unicast datagrams leave by, its index in network byte order.
     */
    public static final int IP_UNICAST_IF = constant("IP_UNICAST_IF");

    /** {@code IP_RECVFRAGSIZE} (Linux only): a datagram that arrived in fragments carries the largest one's size. */
    public static final int IP_RECVFRAGSIZE = constant("IP_RECVFRAGSIZE");

    /**
     * {@code IPV6_DONTFRAG}: a datagram larger than the path MTU fails with {@code EMSGSIZE} instead of being
     * fragmented.
     */
    public static final int IPV6_DONTFRAG = constant("IPV6_DONTFRAG");

    /** {@code IPV6_UNICAST_IF} (Linux only): the interface unicast datagrams leave by, its index. */
    public static final int IPV6_UNICAST_IF = constant("IPV6_UNICAST_IF");

    /**
     * {@code IPV6_RECVORIGDSTADDR} (Linux only): every datagram received carries its original destination, an {@link
     * #IPV6_ORIGDSTADDR} control message.
     */
    public static final int IPV6_RECVORIGDSTADDR = constant("IPV6_RECVORIGDSTADDR");

    /**
     * {@code IPV6_ORIGDSTADDR} (Linux only): the control message type of a datagram's original destination, a {@code
     * struct sockaddr_in6}.
     */
    public static final int IPV6_ORIGDSTADDR = constant("IPV6_ORIGDSTADDR");

    /**
     * {@code TCP_CONGESTION} (Linux only): the congestion-control algorithm by name ({@code "cubic"}, {@code "reno"}),
     * set and read with {@link #setsockopt(int, int, int, String)} and {@link #getsockoptString(int, int, int)}.
     */
    public static final int TCP_CONGESTION = constant("TCP_CONGESTION");

    /**
     * {@code TCP_CC_INFO} (Linux only): the congestion-control algorithm's own state (a {@code union tcp_cc_info}:
     * BBR's bandwidth and minimum RTT, Vegas' or DCTCP's counters), read as bytes; an algorithm without any gives
     * 0 bytes.
     */
    public static final int TCP_CC_INFO = constant("TCP_CC_INFO");

    /** {@code TCP_WINDOW_CLAMP} (Linux only): the most receive window this end advertises, in bytes. */
    public static final int TCP_WINDOW_CLAMP = constant("TCP_WINDOW_CLAMP");

    /** {@code TCP_SYNCNT} (Linux only): how many times {@code connect} sends its SYN before it gives up. */
    public static final int TCP_SYNCNT = constant("TCP_SYNCNT");

    /** {@code TCP_LINGER2} (Linux only): seconds an orphaned connection stays in {@code FIN_WAIT2}. */
    public static final int TCP_LINGER2 = constant("TCP_LINGER2");

    /**
     * {@code TCP_THIN_LINEAR_TIMEOUTS} (Linux only): a thin stream's retransmission timeouts grow linearly, not
     * exponentially.
     */
    public static final int TCP_THIN_LINEAR_TIMEOUTS = constant("TCP_THIN_LINEAR_TIMEOUTS");

    /**
     * {@code UDP_CORK} (Linux only): sends join one datagram until the option is cleared, as {@code MSG_MORE} does per
     * call.
     */
    public static final int UDP_CORK = constant("UDP_CORK");

    /**
     * {@code SO_PEERSEC} (Linux only): read only, the security context (an LSM label, as text) of a Unix socket's peer;
     * {@code ENOPROTOOPT} where no security module labels sockets.
     */
    public static final int SO_PEERSEC = constant("SO_PEERSEC");

    /**
     * {@code SO_PASSSEC} (Linux only): each message a Unix socket receives carries the sender's security context
     * ({@code SCM_SECURITY}).
     */
    public static final int SO_PASSSEC = constant("SO_PASSSEC");

    /**
     * {@code SO_PEERGROUPS} (Linux only): read only, a Unix socket peer's supplementary groups as they were at {@code
     * connect}, {@code gid_t}s (as bytes; {@code ERANGE} when the array is too small).
     */
    public static final int SO_PEERGROUPS = constant("SO_PEERGROUPS");

    /**
     * {@code TCP_ESTABLISHED}: the {@code tcpi_state} of an established connection in {@link TcpInfo#state()}
     * (Linux only).
     */
    public static final int TCP_ESTABLISHED = constant("TCP_ESTABLISHED");

    /**
     * {@code TCP_SYN_SENT}: the {@code tcpi_state} ({@link TcpInfo#state()}) of a connection in that state: a
     * connection asked for, its SYN sent (Linux only).
     */
    public static final int TCP_SYN_SENT = constant("TCP_SYN_SENT");

    /**
     * {@code TCP_SYN_RECV}: the {@code tcpi_state} ({@link TcpInfo#state()}) of a connection in that state: a SYN
     * received and answered, the handshake not finished (Linux only).
     */
    public static final int TCP_SYN_RECV = constant("TCP_SYN_RECV");

    /**
     * {@code TCP_FIN_WAIT1}: the {@code tcpi_state} ({@link TcpInfo#state()}) of a connection in that state: closed
     * here, its FIN not yet acknowledged (Linux only).
     */
    public static final int TCP_FIN_WAIT1 = constant("TCP_FIN_WAIT1");

    /**
     * {@code TCP_FIN_WAIT2}: the {@code tcpi_state} ({@link TcpInfo#state()}) of a connection in that state: closed
     * here and acknowledged, waiting for the peer's FIN (Linux only).
     */
    public static final int TCP_FIN_WAIT2 = constant("TCP_FIN_WAIT2");

    /**
     * {@code TCP_TIME_WAIT}: the {@code tcpi_state} ({@link TcpInfo#state()}) of a connection in that state: both sides
     * closed, waiting out stray segments (Linux only).
     */
    public static final int TCP_TIME_WAIT = constant("TCP_TIME_WAIT");

    /**
     * {@code TCP_CLOSE}: the {@code tcpi_state} ({@link TcpInfo#state()}) of a connection in that state: no connection
     * (Linux only).
     */
    public static final int TCP_CLOSE = constant("TCP_CLOSE");

    /**
     * {@code TCP_CLOSE_WAIT}: the {@code tcpi_state} ({@link TcpInfo#state()}) of a connection in that state: the peer
     * closed, this side has not (Linux only).
     */
    public static final int TCP_CLOSE_WAIT = constant("TCP_CLOSE_WAIT");

    /**
     * {@code TCP_LAST_ACK}: the {@code tcpi_state} ({@link TcpInfo#state()}) of a connection in that state: the peer
     * closed, then this side, waiting for the last acknowledgement (Linux only).
     */
    public static final int TCP_LAST_ACK = constant("TCP_LAST_ACK");

    /**
     * {@code TCP_LISTEN}: the {@code tcpi_state} ({@link TcpInfo#state()}) of a connection in that state: listening
     * (Linux only).
     */
    public static final int TCP_LISTEN = constant("TCP_LISTEN");

    /**
     * {@code TCP_CLOSING}: the {@code tcpi_state} ({@link TcpInfo#state()}) of a connection in that state: both sides
     * closed at once, waiting for the acknowledgement (Linux only).
     */
    public static final int TCP_CLOSING = constant("TCP_CLOSING");

    // ---- poll ----------------------------------------------------------------------------------------------

    /**
     * {@code poll(2)} over a {@link PollSet}: the number of entries with events, 0 when {@code timeoutMillis}
     * ran out. {@code EINTR} is retried with the time left; allocates nothing. See {@link PollSet#poll(int)}.
     *
     * @param set the entries to wait on
     * @param timeoutMillis the most milliseconds to wait; 0 for none, negative for no limit
     * @return the number of entries with events, 0 when the time ran out
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EINVAL} when the set
     *     is larger than the process may have descriptors, {@code ENOMEM}
     */
    public static int poll(PollSet set, int timeoutMillis) throws ErrnoException {
        Objects.requireNonNull(set, "set");
        return set.poll(timeoutMillis);
    }

    // ---- non-throwing receive ------------------------------------------------------------------------------

    /**
     * {@link #recv(int, ByteBuffer, int)} without exceptions for kernel errors: the count the kernel returned (0
     * at end of stream or for an empty datagram), or {@code -errno}. On success the position advances by the bytes
     * stored. Allocates nothing for direct buffers and writable heap buffers, whatever the result.
     *
     * @param fd the socket's descriptor
     * @param buf the buffer to fill, from its position up to its limit
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the count the kernel returned, or {@code -errno}
     * @throws ReadOnlyBufferException when the buffer is read-only
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     */
    public static int tryRecv(int fd, ByteBuffer buf, int flags) {
        return tryReceive(fd, buf, flags, null);
    }

    /**
     * {@link #recv(int, byte[], int, int, int)} without exceptions for kernel errors: the count, or {@code -errno}.
     *
     * @param fd the socket's descriptor
     * @param buf the array to fill
     * @param off the index in {@code buf} of the first byte
     * @param len the most bytes to store
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @return the count the kernel returned, or {@code -errno}
     */
    public static int tryRecv(int fd, byte[] buf, int off, int len, int flags) {
        requireRange("recv", buf, off, len);
        return b().recvArray(fd, buf, off, len, flags, null, null);
    }

    /**
     * {@code recvfrom(2)} without exceptions for kernel errors, the sender's address written into {@code from} instead
     * of a new object: the count, or {@code -errno} (then {@code from} is left as it was). On success the position
     * advances by the bytes stored. With a reused {@code from} and a direct or writable heap buffer it allocates
     * nothing.
     *
     * @param fd the socket's descriptor
     * @param buf the buffer to fill, from its position up to its limit
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param from receives the sender's address; reused from call to call
     * @return the count the kernel returned, or {@code -errno}
     * @throws ReadOnlyBufferException when the buffer is read-only
     * @throws NullPointerException when {@code from} is null
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     */
    public static int tryRecvfrom(int fd, ByteBuffer buf, int flags, SockAddrBuffer from) {
        Objects.requireNonNull(from, "from");
        return tryReceive(fd, buf, flags, from);
    }

    /**
     * {@link #tryRecvfrom(int, ByteBuffer, int, SockAddrBuffer)} into {@code buf[off .. off+len)}.
     *
     * @param fd the socket's descriptor
     * @param buf the array to fill
     * @param off the index in {@code buf} of the first byte
     * @param len the most bytes to store
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param from receives the sender's address; reused from call to call
     * @return the count the kernel returned, or {@code -errno}
     */
    public static int tryRecvfrom(int fd, byte[] buf, int off, int len, int flags, SockAddrBuffer from) {
        requireRange("recvfrom", buf, off, len);
        Objects.requireNonNull(from, "from");
        return b().recvArray(fd, buf, off, len, flags, from.image, from.length);
    }

    /**
     * {@code recvfrom(2)} into the buffer from its position, the sender's address written into {@code from}
     * (see {@link SockAddrBuffer#hasAddress()}): the C shape of the call, for loops that should not allocate.
     *
     * @param fd the socket's descriptor
     * @param buf the buffer to fill, from its position up to its limit
     * @param flags {@code MSG_*} flags, built with {@link MsgFlag#mask(MsgFlag...)}; 0 for none
     * @param from receives the sender's address; reused from call to call
     * @return the count the kernel returned, as {@link #recv(int, ByteBuffer, int)}
     * @throws ReadOnlyBufferException when {@code buf} is read-only
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when nothing
     *     is waiting on a non-blocking socket or a receive timeout expired ({@link WouldBlockException}),
     *     {@code ECONNRESET}, {@code ENOTCONN} on an unconnected stream socket
     */
    public static int recvfrom(int fd, ByteBuffer buf, int flags, SockAddrBuffer from) throws ErrnoException {
        return check("recvfrom", tryRecvfrom(fd, buf, flags, from));
    }

    private static int tryReceive(int fd, ByteBuffer buf, int flags, SockAddrBuffer from) {
        if (buf.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int pos = buf.position();
        int len = buf.limit() - pos;
        byte[] sa = null;
        int[] salen = null;
        if (from != null) {
            sa = from.image;
            salen = from.length;
        }
        int r = recvInto(fd, buf, pos, len, flags, sa, salen);
        if (r > 0) {
            buf.position(pos + Math.min(r, len));
        }
        return r;
    }

    /**
     * The backend's recv or recvfrom into {@code buf[pos .. pos+len)} of a writable buffer: by address for a direct
     * buffer, into the array of a heap one, and through the thread's scratch memory for a direct buffer another thread
     * could free meanwhile ({@link DirectBuffers}), whose bytes are then copied in by a put the JDK checks.
     */
    private static int recvInto(int fd, ByteBuffer buf, int pos, int len, int flags, byte[] sa, int[] salen) {
        if (!buf.isDirect()) {
            return b().recvArray(fd, buf.array(), buf.arrayOffset() + pos, len, flags, sa, salen);
        }
        int memory = DirectBuffers.treatment(buf);
        DirectBuffers.requireMemory(buf, memory, pos, len); // refused before a datagram is taken
        if (memory != DirectBuffers.STAGED) {
            return b().recvDirect(fd, buf, pos, len, flags, sa, salen);
        }
        ByteBuffer scratch = ScratchBuffer.get(len);
        try {
            if ((flags & MsgFlag.MSG_TRUNC.value()) != 0) {
                // a stream socket then discards bytes without storing them: what is copied back must be buf's own
                scratch.put(0, buf, pos, len);
            }
            int r = b().recvDirect(fd, scratch, 0, len, flags, sa, salen);
            if (r > 0) {
                buf.put(pos, scratch, 0, Math.min(r, len));
            }
            return r;
        } finally {
            Reference.reachabilityFence(scratch); // see ScratchBuffer: the kernel had only its address
            ScratchBuffer.release(scratch);
        }
    }

    // ---- read and write: any descriptor --------------------------------------------------------------------

    /**
     * {@code write(2)} of the buffer's remaining bytes to any descriptor (a socket, a pipe, a file); advances its
     * position by the count written, which may be less than requested (a pipe or stream socket with less room, a
     * non-blocking descriptor). One call: a short count is not followed by another write. Heap, direct and read-only
     * buffers are accepted.
     *
     * <p>A write to a pipe whose read end is closed, or to a stream socket whose peer is gone or that is shut down for
     * writing, fails with {@code EPIPE} and also raises {@code SIGPIPE}. The JVM installs its own handler for that
     * signal when it starts and ignores it, so the call throws {@link BrokenPipeException} and the process lives on;
     * but a program that embeds the JVM and then sets {@code SIGPIPE} back to its default action is killed by the
     * signal. {@code write} takes no flags: on a socket, {@link #send(int, ByteBuffer, int)} with
     * {@link MsgFlag#MSG_NOSIGNAL} is the call that cannot raise it.
     *
     * @param fd the descriptor, open for writing
     * @param buf the bytes to write, from its position to its limit
     * @return the number of bytes written
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when a
     *     non-blocking descriptor has no room ({@link WouldBlockException}), {@code EPIPE} when no reader is left
     *     ({@link BrokenPipeException}), {@code EBADF} for a descriptor not open for writing
     *     ({@link BadDescriptorException}), {@code ECONNRESET}, {@code EDESTADDRREQ} on an unconnected datagram socket;
     *     on a file {@code ENOSPC}, and {@code EFBIG} beyond the process's file-size limit (whose {@code SIGXFSZ} the
     *     JVM ignores as it does {@code SIGPIPE})
     */
    public static int write(int fd, ByteBuffer buf) throws ErrnoException {
        return check("write", tryWrite(fd, buf));
    }

    /**
     * {@code write(2)} of {@code buf[off .. off+len)}; see {@link #write(int, ByteBuffer)}, also for {@code SIGPIPE}.
     *
     * @param fd the descriptor, open for writing
     * @param buf the array holding the bytes to write
     * @param off the index in {@code buf} of the first byte
     * @param len the number of bytes to write
     * @return the number of bytes written
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when a
     *     non-blocking descriptor has no room ({@link WouldBlockException}), {@code EPIPE} when no reader is left
     *     ({@link BrokenPipeException}), {@code EBADF} for a descriptor not open for writing
     *     ({@link BadDescriptorException}), {@code ECONNRESET}, {@code EDESTADDRREQ} on an unconnected datagram socket;
     *     on a file {@code ENOSPC}, and {@code EFBIG} beyond the process's file-size limit (whose {@code SIGXFSZ} the
     *     JVM ignores as it does {@code SIGPIPE})
     */
    public static int write(int fd, byte[] buf, int off, int len) throws ErrnoException {
        return check("write", tryWrite(fd, buf, off, len));
    }

    /**
     * {@link #write(int, ByteBuffer)} without exceptions for kernel errors: the count written (the position advances
     * by it), or {@code -errno} ({@code -EPIPE} where no reader is left: see {@link #write(int, ByteBuffer)} on
     * {@code SIGPIPE}). Allocates nothing for direct buffers and writable heap buffers.
     *
     * @param fd the descriptor, open for writing
     * @param buf the bytes to write, from its position to its limit
     * @return the count written, or {@code -errno}
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     */
    public static int tryWrite(int fd, ByteBuffer buf) {
        int pos = buf.position();
        int len = buf.limit() - pos;
        int memory = DirectBuffers.treatment(buf);
        int r;
        if (memory != DirectBuffers.STAGED) {
            DirectBuffers.requireMemory(buf, memory, pos, len);
            r = b().writeDirect(fd, buf, pos, len);
        } else if (buf.hasArray()) {
            r = b().writeArray(fd, buf.array(), buf.arrayOffset() + pos, len);
        } else {
            ByteBuffer copy = ScratchBuffer.copyOf(buf, pos, len); // a read-only buffer or a shared arena's
            try {
                r = b().writeDirect(fd, copy, 0, len);
            } finally {
                Reference.reachabilityFence(copy); // see ScratchBuffer: the kernel had only its address
                ScratchBuffer.release(copy);
            }
        }
        if (r > 0) {
            buf.position(pos + r);
        }
        return r;
    }

    /**
     * {@link #write(int, byte[], int, int)} without exceptions for kernel errors: the count written, or
     * {@code -errno}. Allocates nothing.
     *
     * @param fd the descriptor, open for writing
     * @param buf the array holding the bytes to write
     * @param off the index in {@code buf} of the first byte
     * @param len the number of bytes to write
     * @return the count written, or {@code -errno}
     */
    public static int tryWrite(int fd, byte[] buf, int off, int len) {
        requireRange("write", buf, off, len);
        return b().writeArray(fd, buf, off, len);
    }

    /**
     * {@code read(2)} from any descriptor (a socket, a pipe, a file) into the buffer from its position; advances the
     * position by the count read. One call: it returns what the descriptor has, up to the buffer's remaining room,
     * and does not wait to fill it.
     *
     * @param fd the descriptor, open for reading
     * @param buf the buffer to fill, from its position up to its limit
     * @return the number of bytes read: 0 at end of file (a pipe whose write ends are all closed, a stream socket
     *     whose peer shut down or closed, the end of a file), and also when the buffer has no room left
     * @throws ReadOnlyBufferException when the buffer is read-only
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when
     *     nothing is waiting on a non-blocking descriptor or a socket's receive timeout expired
     *     ({@link WouldBlockException}), {@code EBADF} for a descriptor not open for reading
     *     ({@link BadDescriptorException}), {@code ECONNRESET}, {@code ENOTCONN} on an unconnected stream socket
     */
    public static int read(int fd, ByteBuffer buf) throws ErrnoException {
        return check("read", tryRead(fd, buf));
    }

    /**
     * {@code read(2)} into {@code buf[off .. off+len)}; see {@link #read(int, ByteBuffer)}.
     *
     * @param fd the descriptor, open for reading
     * @param buf the array to fill
     * @param off the index in {@code buf} of the first byte
     * @param len the most bytes to store
     * @return the number of bytes read: 0 at end of file, and also when {@code len} is 0
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when
     *     nothing is waiting on a non-blocking descriptor or a socket's receive timeout expired
     *     ({@link WouldBlockException}), {@code EBADF} for a descriptor not open for reading
     *     ({@link BadDescriptorException}), {@code ECONNRESET}, {@code ENOTCONN} on an unconnected stream socket
     */
    public static int read(int fd, byte[] buf, int off, int len) throws ErrnoException {
        return check("read", tryRead(fd, buf, off, len));
    }

    /**
     * {@link #read(int, ByteBuffer)} without exceptions for kernel errors: the count read (0 at end of file), or
     * {@code -errno}. On success the position advances by the count. Allocates nothing for direct buffers and
     * writable heap buffers, whatever the result.
     *
     * @param fd the descriptor, open for reading
     * @param buf the buffer to fill, from its position up to its limit
     * @return the count read, or {@code -errno}
     * @throws ReadOnlyBufferException when the buffer is read-only
     * @throws IllegalStateException when {@code buf} is over a memory segment whose arena is closed (the JDK's
     *     exception: see the class description)
     */
    public static int tryRead(int fd, ByteBuffer buf) {
        if (buf.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int pos = buf.position();
        int r = readInto(fd, buf, pos, buf.limit() - pos);
        if (r > 0) {
            buf.position(pos + r);
        }
        return r;
    }

    /**
     * {@link #read(int, byte[], int, int)} without exceptions for kernel errors: the count read (0 at end of file),
     * or {@code -errno}. Allocates nothing.
     *
     * @param fd the descriptor, open for reading
     * @param buf the array to fill
     * @param off the index in {@code buf} of the first byte
     * @param len the most bytes to store
     * @return the count read, or {@code -errno}
     */
    public static int tryRead(int fd, byte[] buf, int off, int len) {
        requireRange("read", buf, off, len);
        return b().readArray(fd, buf, off, len);
    }

    /**
     * The backend's read into {@code buf[pos .. pos+len)} of a writable buffer, as {@link #recvInto} receives: by
     * address for a direct buffer, into the array of a heap one, through the thread's scratch memory for a direct
     * buffer another thread could free meanwhile.
     */
    private static int readInto(int fd, ByteBuffer buf, int pos, int len) {
        if (!buf.isDirect()) {
            return b().readArray(fd, buf.array(), buf.arrayOffset() + pos, len);
        }
        int memory = DirectBuffers.treatment(buf);
        DirectBuffers.requireMemory(buf, memory, pos, len); // refused before anything is read
        if (memory != DirectBuffers.STAGED) {
            return b().readDirect(fd, buf, pos, len);
        }
        ByteBuffer scratch = ScratchBuffer.get(len);
        try {
            int r = b().readDirect(fd, scratch, 0, len);
            if (r > 0) {
                buf.put(pos, scratch, 0, r);
            }
            return r;
        } finally {
            Reference.reachabilityFence(scratch); // see ScratchBuffer: the kernel had only its address
            ScratchBuffer.release(scratch);
        }
    }

    // ---- sendfile: a file's bytes to a descriptor ----------------------------------------------------------

    /**
     * {@code sendfile(outFd, inFd, NULL, count)} (Linux): up to {@code count} bytes of the file open as {@code inFd},
     * from its file position, which advances by the count sent, to {@code outFd} (a socket, a pipe or a file), copied
     * inside the kernel. One call: the count may be less than asked (the end of the file, a stream socket or pipe with
     * less room, a non-blocking descriptor, a signal after some bytes went); it is 0 at the end of the file. The kernel
     * sends at most {@code MAX_RW_COUNT} bytes a call, just under 2 GiB. An {@code outFd} whose peer is gone raises
     * {@code SIGPIPE} as {@link #write(int, ByteBuffer)} says.
     *
     * <p>A file opened in Java lends its descriptor through {@link #fd(Channel)} (the channel keeps it). {@code EINTR}
     * is retried as for the send calls, {@code outFd}'s send timeout bounding the retries.
     *
     * @param outFd the descriptor to write to
     * @param inFd the descriptor to read from: a regular file (one C could {@code mmap}); Linux 5.12 and later also
     *     read a socket into a pipe {@code outFd}, where older kernels, and every kernel for another {@code outFd},
     *     answer {@code EINVAL}, as they do for a pipe
     * @param count the most bytes to send, not negative; the kernel answers {@code EINVAL} when it would take the
     *     file's offset past the largest {@code off_t} (so pass the bytes left, not {@code Long.MAX_VALUE})
     * @return the number of bytes sent
     * @throws IllegalArgumentException when {@code count} is negative
     * @throws UnsupportedOperationException on NetBSD, which has no {@code sendfile}
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EAGAIN} when a
     *     non-blocking {@code outFd} has no room ({@link WouldBlockException}), {@code EBADF} for a descriptor not
     *     open for reading or writing ({@link BadDescriptorException}), {@code EINVAL} for an {@code inFd} that
     *     cannot be read this way, a count past the largest offset, or an {@code outFd} opened for appending
     *     ({@link InvalidArgumentException}),
     *     {@code EPIPE} ({@link BrokenPipeException}), {@code ECONNRESET}
     */
    public static long sendfile(int outFd, int inFd, long count) throws ErrnoException {
        long n = trySendfile(outFd, inFd, count);
        if (n < 0) {
            // EINVAL and EBADF name no argument by themselves: the message shows what the call was given
            throw ErrnoException.of("sendfile", (int) -n).withArguments("out " + outFd + ", in " + inFd + ", count "
                    + count);
        }
        return n;
    }

    /**
     * {@code sendfile(outFd, inFd, &offset, count)} (Linux): as {@link #sendfile(int, int, long)}, but from
     * {@code offset} in the file, whose file position stays where it was. C's call also writes the offset after the
     * last byte sent back into {@code offset}; here that is {@code offset} plus the count returned.
     *
     * @param outFd the descriptor to write to
     * @param inFd the descriptor to read from, as for {@link #sendfile(int, int, long)}
     * @param offset where in the file to start; passed as C's {@code off_t}, so a negative one is the kernel's
     *     {@code EINVAL}
     * @param count the most bytes to send, not negative, as for {@link #sendfile(int, int, long)}
     * @return the number of bytes sent: 0 from the end of the file on
     * @throws IllegalArgumentException when {@code count} is negative
     * @throws UnsupportedOperationException on NetBSD, which has no {@code sendfile}
     * @throws ErrnoException when the kernel fails the call, as for {@link #sendfile(int, int, long)}; also
     *     {@code EINVAL} for a negative {@code offset}, and {@code ESPIPE} where {@code inFd} cannot seek (a pipe, a
     *     socket)
     */
    public static long sendfile(int outFd, int inFd, long offset, long count) throws ErrnoException {
        long n = trySendfile(outFd, inFd, offset, count);
        if (n < 0) {
            throw ErrnoException.of("sendfile", (int) -n).withArguments("out " + outFd + ", in " + inFd + ", offset "
                    + offset + ", count " + count);
        }
        return n;
    }

    /**
     * {@link #sendfile(int, int, long)} without exceptions for kernel errors: the count sent (the file position
     * advances by it), or {@code -errno}. Allocates nothing.
     *
     * @param outFd the descriptor to write to
     * @param inFd the descriptor to read from
     * @param count the most bytes to send, not negative
     * @return the count sent, or {@code -errno}
     * @throws IllegalArgumentException when {@code count} is negative
     * @throws UnsupportedOperationException on NetBSD, which has no {@code sendfile}
     */
    public static long trySendfile(int outFd, int inFd, long count) {
        return sendfileAt(outFd, inFd, false, 0, count);
    }

    /**
     * {@link #sendfile(int, int, long, long)} without exceptions for kernel errors: the count sent, or
     * {@code -errno}. Allocates nothing.
     *
     * @param outFd the descriptor to write to
     * @param inFd the descriptor to read from
     * @param offset where in the file to start (C's {@code off_t})
     * @param count the most bytes to send, not negative
     * @return the count sent, or {@code -errno}
     * @throws IllegalArgumentException when {@code count} is negative
     * @throws UnsupportedOperationException on NetBSD, which has no {@code sendfile}
     */
    public static long trySendfile(int outFd, int inFd, long offset, long count) {
        return sendfileAt(outFd, inFd, true, offset, count);
    }

    private static long sendfileAt(int outFd, int inFd, boolean atOffset, long offset, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("sendfile: count " + count + " is negative (C's size_t)");
        }
        if (Platform.os() != Os.LINUX) {
            throw new UnsupportedOperationException("sendfile: " + Platform.os() + " has no sendfile");
        }
        return b().sendfile(outFd, inFd, atOffset, offset, count);
    }

    // ---- pipes and close-on-exec: descriptors of any kind ------------------------------------------------------

    /** {@code O_NONBLOCK}: for {@link #pipe}, both ends non-blocking. */
    public static final int O_NONBLOCK = constant("O_NONBLOCK");

    /** {@code O_CLOEXEC}: for {@link #pipe}, both ends close-on-exec ({@code FD_CLOEXEC}) from the start. */
    public static final int O_CLOEXEC = constant("O_CLOEXEC");

    /**
     * {@code pipe2(2)}: a new pipe, as {@code {readEnd, writeEnd}}. What {@link #write(int, byte[], int, int)} puts
     * into the write end {@link #read(int, byte[], int, int)} takes from the read end; once every write end is
     * closed, a read returns 0. Unlike a java.nio {@code Pipe}'s, both descriptors are the caller's: to close with
     * {@link #close}, or to pass to another process with {@link ControlMessage#rights}.
     *
     * @param flags {@link #O_NONBLOCK} and {@link #O_CLOEXEC}, or-ed, or 0; other bits go to the kernel as they are
     * @return the read end and the write end, both the caller's to close
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EMFILE} or
     *     {@code ENFILE} when no descriptor is free, {@code EINVAL} for a flag the kernel does not know
     */
    public static int[] pipe(int flags) throws ErrnoException {
        requireSupported("pipe2", "flags", flags);
        int[] fds = new int[2];
        check("pipe2", b().pipe(flags, fds));
        return ownPair(fds);
    }

    /**
     * {@link #pipe(int)} without exceptions for kernel errors, into the caller's array as C's {@code int fds[2]}: 0
     * with the read end in {@code fds[0]} and the write end in {@code fds[1]}, or {@code -errno} with {@code fds} as
     * it was. Allocates nothing.
     *
     * @param flags {@link #O_NONBLOCK} and {@link #O_CLOEXEC}, or-ed, or 0
     * @param fds receives the read end and the write end, both the caller's to close
     * @return 0, or {@code -errno}
     * @throws NullPointerException when {@code fds} is null
     * @throws IllegalArgumentException when {@code fds} has room for fewer than two descriptors
     * @throws UnsupportedOperationException when {@code flags} is {@link #UNSUPPORTED}
     */
    public static int tryPipe(int flags, int[] fds) {
        requireSupported("pipe2", "flags", flags);
        requirePairRoom("pipe2", fds);
        int[] pair = PairScratch.PAIRS.get();
        int r = b().pipe(flags, pair);
        return r < 0 ? r : handPair(pair, fds);
    }

    /**
     * Sets or clears {@code FD_CLOEXEC} with {@code fcntl(2)}: {@code F_GETFD}, then {@code F_SETFD} when the flag
     * changes. A descriptor with it set is closed when the process calls {@code exec}. A child that
     * {@link ProcessBuilder} starts inherits no descriptor above 2 whatever the flag says: the JDK closes them all in
     * the child before its {@code exec}.
     *
     * @param fd the descriptor
     * @param on true to set {@code FD_CLOEXEC}, false to clear it
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EBADF} when the
     *     descriptor is not open
     */
    public static void setCloseOnExec(int fd, boolean on) throws ErrnoException {
        check("fcntl", b().setCloseOnExec(fd, on));
    }

    /**
     * True when {@code FD_CLOEXEC} is set ({@code fcntl(2)} with {@code F_GETFD}).
     *
     * @param fd the descriptor
     * @return true when the descriptor is closed when the process calls {@code exec}
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EBADF} when the
     *     descriptor is not open
     */
    public static boolean isCloseOnExec(int fd) throws ErrnoException {
        return check("fcntl", b().isCloseOnExec(fd)) == 1;
    }

    // ---- ioctl ---------------------------------------------------------------------------------------------

    /**
     * {@code ioctl(2)} with a request that reads one {@code int}: {@link #FIONREAD} (bytes waiting to be read; Linux
     * also calls it {@link #SIOCINQ}),
     * {@link #SIOCOUTQ} (TCP: bytes in the send queue the peer has not acknowledged; UDP: bytes of datagrams the
     * socket still holds), {@link #SIOCOUTQNSD} (bytes not yet sent) or {@link #SIOCATMARK} (1 at the out-of-band
     * mark, C's {@code sockatmark}). Any other request is refused: one that
     * writes more than an int would overrun the room for the value. Allocates one small array per call;
     * {@link #tryIoctlInt(int, int, int[])} allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param request the request, such as {@link #FIONREAD}
     * @return the value the kernel wrote
     * @throws UnsupportedOperationException when {@code request} is {@link #UNSUPPORTED}, as {@code SIOCOUTQ}
     *     and {@code SIOCOUTQNSD} are on NetBSD
     * @throws IllegalArgumentException for any request but those four
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOTTY} or
     *     {@code EINVAL} for a request the descriptor does not take (such as {@code SIOCOUTQ} on a listening socket)
     */
    public static int ioctlInt(int fd, int request) throws ErrnoException {
        int[] out = new int[1];
        checkIoctl(request, tryIoctlInt(fd, request, out));
        return out[0];
    }

    /**
     * {@link #ioctlInt(int, int)} without exceptions for kernel errors, for loops that watch a queue: 0 with the
     * value in {@code out[0]}, or {@code -errno}. Allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param request the request, such as {@link #FIONREAD}
     * @param out receives the value in {@code out[0]}
     * @return 0, or {@code -errno}
     * @throws IllegalArgumentException when {@code out} is empty
     * @throws UnsupportedOperationException when {@code request} is {@link #UNSUPPORTED}
     * @throws IllegalArgumentException for any other request: one that writes more than an int would overrun the
     *     room for the value
     */
    public static int tryIoctlInt(int fd, int request, int[] out) {
        requireIoctl(request, Objects.requireNonNull(out, "out").length, Platform::isIntIoctl,
                "writes an int; ioctlInt takes FIONREAD (SIOCINQ), SIOCOUTQ, SIOCOUTQNSD and SIOCATMARK (for FIONBIO,"
                        + " FIOCLEX and FIONCLEX, which set a flag, call setBlocking or setCloseOnExec)");
        return b().ioctlInt(fd, request, out);
    }

    /**
     * Refuses, before the call, a request the platform lacks, an {@code out} without room, and a request that
     * {@code known} does not take: one whose struct is larger than the room the call gives it.
     */
    private static void requireIoctl(int request, int room, java.util.function.IntPredicate known, String takes) {
        Backends.requireAvailable(); // without one no request is known
        if (request == UNSUPPORTED) {
            throw new UnsupportedOperationException("ioctl: the request is Posix.UNSUPPORTED: " + Platform.os()
                    + " does not define it");
        }
        if (room < 1) {
            throw new IllegalArgumentException("ioctl: out has no room for the value");
        }
        if (!known.test(request)) {
            throw new IllegalArgumentException("ioctl: request 0x" + Integer.toHexString(request) + " is not one that "
                    + takes);
        }
    }

    /**
     * {@code ioctl(2)} with {@link #SIOCGSTAMP} or {@link #SIOCGSTAMPNS} (Linux): when the last datagram the socket
     * received arrived, in nanoseconds since the epoch ({@code CLOCK_REALTIME}; whole microseconds for
     * {@code SIOCGSTAMP}, whose {@code struct timeval} the shim reads). Allocates one small array per call;
     * {@link #tryIoctlStamp(int, int, long[])} allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param request {@link #SIOCGSTAMP} or {@link #SIOCGSTAMPNS}
     * @return the time
     * @throws UnsupportedOperationException when {@code request} is {@link #UNSUPPORTED}, as both are on NetBSD
     * @throws IllegalArgumentException for any other request
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOENT} before the
     *     socket received anything, and on Linux on a socket that takes its receive times as control messages
     *     ({@link #SO_TIMESTAMP}, {@link #SO_TIMESTAMPNS}, receive timestamping), for which Linux keeps none;
     *     {@code ENOTTY} or {@code EINVAL} for a descriptor that is no such socket
     */
    public static long ioctlStampNanos(int fd, int request) throws ErrnoException {
        long[] out = new long[1];
        checkIoctl(request, tryIoctlStamp(fd, request, out));
        return out[0];
    }

    /**
     * {@link #ioctlStampNanos(int, int)} without exceptions for kernel errors: 0 with the time in {@code out[0]}, or
     * {@code -errno}. Allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param request {@link #SIOCGSTAMP} or {@link #SIOCGSTAMPNS}
     * @param out receives the time in {@code out[0]}
     * @return 0, or {@code -errno}
     * @throws IllegalArgumentException when {@code out} is empty, and for any other request
     * @throws UnsupportedOperationException when {@code request} is {@link #UNSUPPORTED}
     */
    public static int tryIoctlStamp(int fd, int request, long[] out) {
        requireIoctl(request, Objects.requireNonNull(out, "out").length, Posix::isStampIoctl,
                "reads a datagram's time; ioctlStampNanos takes SIOCGSTAMP and SIOCGSTAMPNS");
        return b().ioctlStamp(fd, request, out);
    }

    private static boolean isStampIoctl(int request) {
        return request == SIOCGSTAMP || request == SIOCGSTAMPNS;
    }

    // ---- clocks --------------------------------------------------------------------------------------------

    /**
     * {@code clock_gettime(2)}: the clock's time now, in nanoseconds ({@code tv_sec * 1e9 + tv_nsec}), allocating
     * nothing. Beside a received timestamp ({@link #SO_TIMESTAMPNS}, {@link #ioctlStampNanos}, an error queue's
     * times, all {@link #CLOCK_REALTIME}) it tells how long a packet waited before Java saw it, which
     * {@link System#currentTimeMillis()} is too coarse for; before a {@link ControlMessage#txtime} it gives the
     * {@link SockTxtime}'s clock's present, {@link #CLOCK_TAI} included, which Java cannot read.
     *
     * @param clockId {@link #CLOCK_REALTIME}, {@link #CLOCK_MONOTONIC} or another {@code CLOCK_*}, or a clock id C
     *     code computes (a process's CPU clock)
     * @return the time in nanoseconds: since the epoch for the wall clocks, since an unspecified start for the others
     * @throws UnsupportedOperationException when {@code clockId} is {@link #UNSUPPORTED} ({@link #CLOCK_TAI} on
     *     NetBSD)
     * @throws ErrnoException as the subclass of its errno: {@code EINVAL} for a clock the kernel does not have;
     *     {@code EOVERFLOW} for a time before 1970 or after 2262, outside what a {@code long} of nanoseconds holds
     */
    public static long clockGettime(int clockId) throws ErrnoException {
        return check("clock_gettime", tryClockGettime(clockId));
    }

    /**
     * {@link #clockGettime(int)} without exceptions for kernel errors: the time in nanoseconds, or {@code -errno}
     * (a time is never negative: one before 1970 is {@code -EOVERFLOW}). Allocates nothing.
     *
     * @param clockId the clock, as for {@link #clockGettime(int)}
     * @return the time in nanoseconds, or {@code -errno}
     * @throws UnsupportedOperationException when {@code clockId} is {@link #UNSUPPORTED}
     */
    public static long tryClockGettime(int clockId) {
        requireSupported("clock_gettime", "clock", clockId);
        return b().clockGettime(clockId);
    }

    // ---- socket options of other shapes --------------------------------------------------------------------

    /**
     * {@code setsockopt(2)} with a classic BPF program (Linux): {@link #SO_ATTACH_FILTER} (which datagrams and how
     * many of their bytes the socket takes: 0 drops one, a smaller count cuts it) or
     * {@link #SO_ATTACH_REUSEPORT_CBPF} (which socket of a {@link #SO_REUSEPORT} group takes each datagram: the
     * program's result is the socket's index in the group, in the order they were bound). The program is C's
     * {@code struct sock_filter} array, one row {@code {code, jt, jf, k}} per instruction as {@code tcpdump -dd}
     * prints them; the shim (or the Java backend) lays it out and builds the {@code struct sock_fprog} that points at
     * it, since the kernel follows that pointer and a value given as bytes could point anywhere. The kernel checks
     * the program ({@code EINVAL} for one it refuses, such as an empty one or one of more than 4096 instructions) and
     * copies it during the call. {@link #SO_DETACH_FILTER} and {@link #SO_DETACH_REUSEPORT_BPF} remove one, and
     * {@link #SO_LOCK_FILTER} keeps it ({@code setsockopt(fd, SOL_SOCKET, name, 1)}).
     *
     * @param fd the socket's descriptor
     * @param level {@link #SOL_SOCKET}
     * @param name {@link #SO_ATTACH_FILTER} or {@link #SO_ATTACH_REUSEPORT_CBPF}
     * @param program the instructions, each {@code {code, jt, jf, k}}: {@code code} 0 to 65535, {@code jt} and
     *     {@code jf} 0 to 255, {@code k} any {@code int} (C's {@code __u32}: {@code 0xffffffff} is -1)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EINVAL} for a
     *     program it refuses, {@code EPERM} once a filter is locked
     * @throws IllegalArgumentException for another option, an instruction that is not four numbers in their
     *     fields' ranges, or more than 65535 instructions ({@code sock_fprog}'s count is an {@code unsigned short})
     * @throws UnsupportedOperationException where the platform has no socket filters (NetBSD)
     */
    public static void setsockoptFilter(int fd, int level, int name, int[][] program) throws ErrnoException {
        Objects.requireNonNull(program, "program");
        requireSupported("setsockopt", "SO_ATTACH_FILTER, level, name", SO_ATTACH_FILTER, level, name);
        if (!OptionValues.takesProgram(level, name)) {
            throw new IllegalArgumentException("setsockopt: option " + name + " of level " + level + " takes no"
                    + " classic BPF program: setsockoptFilter takes SO_ATTACH_FILTER and SO_ATTACH_REUSEPORT_CBPF at"
                    + " SOL_SOCKET");
        }
        if (program.length > 0xffff) {
            throw new IllegalArgumentException("setsockopt: a program of " + program.length + " instructions; struct"
                    + " sock_fprog counts at most 65535 (the kernel takes at most 4096)");
        }
        int[] flat = new int[4 * program.length];
        for (int i = 0; i < program.length; i++) {
            int[] insn = Objects.requireNonNull(program[i], "instruction");
            if (insn.length != 4) {
                throw new IllegalArgumentException("setsockopt: instruction " + i + " is not {code, jt, jf, k}: "
                        + java.util.Arrays.toString(insn));
            }
            // copied, then checked: a row another thread changes meanwhile is refused as what was copied
            System.arraycopy(insn, 0, flat, 4 * i, 4);
            int code = flat[4 * i];
            int jt = flat[4 * i + 1];
            int jf = flat[4 * i + 2];
            if (code < 0 || code > 0xffff || jt < 0 || jt > 0xff || jf < 0 || jf > 0xff) {
                throw new IllegalArgumentException("setsockopt: instruction " + i + " is not {code 0..65535, jt"
                        + " 0..255, jf 0..255, k}: " + java.util.Arrays.toString(java.util.Arrays.copyOfRange(flat,
                                4 * i, 4 * i + 4)));
            }
        }
        checkOption("setsockopt", level, name, b().setsockoptFilter(fd, level, name, flat, program.length));
    }

    /**
     * C's {@code struct icmp6_filter} that passes only {@code passTypes} ({@code ICMP6_FILTER_SETBLOCKALL}, then
     * {@code ICMP6_FILTER_SETPASS} of each), in the platform's layout and sense: Linux's bit set blocks its type,
     * the BSDs' passes it, so the same C macros make opposite bits. The value of {@link #ICMP6_FILTER} at
     * {@link #IPPROTO_ICMPV6} for {@link #setsockopt(int, int, int, byte[])}; an IPv6 raw socket of
     * {@link #IPPROTO_ICMPV6} then receives only those types.
     *
     * @param passTypes the ICMPv6 types to receive, each 0 to 255 (an echo reply is 129)
     * @return the filter's bytes, a new array
     * @throws IllegalArgumentException for a type out of range
     * @throws UnsupportedOperationException where the platform has no {@code ICMP6_FILTER}
     */
    public static byte[] icmp6Filter(int... passTypes) {
        Objects.requireNonNull(passTypes, "passTypes");
        int size = constant("SIZEOF_ICMP6_FILTER");
        requireSupported("icmp6_filter", "ICMP6_FILTER, sizeof(struct icmp6_filter)", ICMP6_FILTER, size);
        boolean setBlocks = Platform.os() == Os.LINUX;
        byte[] filter = new byte[size];
        if (setBlocks) {
            java.util.Arrays.fill(filter, (byte) 0xff); // every type blocked
        }
        ByteBuffer b = ByteBuffer.wrap(filter).order(ByteOrder.nativeOrder());
        for (int type : passTypes) {
            if (type < 0 || type > 255) {
                throw new IllegalArgumentException("icmp6_filter: an ICMPv6 type is 0 to 255, not " + type);
            }
            int at = (type >>> 5) * Integer.BYTES;
            int bit = 1 << (type & 31);
            b.putInt(at, setBlocks ? b.getInt(at) & ~bit : b.getInt(at) | bit);
        }
        return filter;
    }

    /**
     * C's {@code ICMP6_FILTER_WILLPASS}: whether an {@code icmp6_filter} (made by {@link #icmp6Filter(int...)} or
     * read back with {@link #getsockopt(int, int, int, byte[])}) lets ICMPv6 type {@code type} through, in the
     * platform's sense.
     *
     * @param filter the filter's bytes
     * @param type the ICMPv6 type, 0 to 255
     * @return true when the filter passes the type
     * @throws IllegalArgumentException for a type out of range, or a filter shorter than the platform's struct
     * @throws UnsupportedOperationException where the platform has no {@code ICMP6_FILTER}
     */
    public static boolean icmp6FilterPasses(byte[] filter, int type) {
        Objects.requireNonNull(filter, "filter");
        int size = constant("SIZEOF_ICMP6_FILTER");
        requireSupported("icmp6_filter", "ICMP6_FILTER, sizeof(struct icmp6_filter)", ICMP6_FILTER, size);
        if (type < 0 || type > 255 || filter.length < size) {
            throw new IllegalArgumentException("icmp6_filter: type " + type + " of a filter of " + filter.length
                    + " bytes; a type is 0 to 255 and the filter " + size + " bytes");
        }
        boolean set = (ByteBuffer.wrap(filter).order(ByteOrder.nativeOrder()).getInt((type >>> 5) * Integer.BYTES)
                & (1 << (type & 31))) != 0;
        return Platform.os() == Os.LINUX ? !set : set;
    }

    /** A native-order view of an option's bytes. */
    private static ByteBuffer optionBytes(byte[] raw) {
        return ByteBuffer.wrap(raw).order(java.nio.ByteOrder.nativeOrder());
    }

    /**
     * {@code setsockopt(2)} with a {@code struct linger}, for {@link #SO_LINGER}.
     *
     * @param fd the socket's descriptor
     * @param level the option's level: {@link #SOL_SOCKET}
     * @param name the option: {@link #SO_LINGER}; passed on as it is, as in C (the kernel judges the shape)
     * @param value what {@code close} does with data still queued
     * @throws NullPointerException when {@code value} is null
     * @throws UnsupportedOperationException when {@code level} or {@code name} is {@link #UNSUPPORTED}
     * @throws IllegalArgumentException for an option not passed as bytes (see
     *     {@link #setsockopt(int, int, int, byte[])})
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOPROTOOPT} for an
     *     option the level does not have, {@code EINVAL} for a value it refuses, {@code EPERM} for one that needs a
     *     privilege
     */
    public static void setsockopt(int fd, int level, int name, Linger value) throws ErrnoException {
        checkOption("setsockopt", level, name, trySetsockopt(fd, level, name, value));
    }

    /**
     * {@link #setsockopt(int, int, int, Linger)} without exceptions for kernel errors: 0, or {@code -errno}.
     * Allocates nothing for {@link Linger#OFF} and for a reset ({@link Linger#on(int) Linger.on(0)}), so an event
     * loop can end a connection with a reset, then {@link #tryClose}, as C does; another value's
     * {@code struct linger} is made for the call.
     *
     * @param fd the socket's descriptor
     * @param level the option's level: {@link #SOL_SOCKET}
     * @param name the option: {@link #SO_LINGER}; passed on as it is, as in C (the kernel judges the shape)
     * @param value what {@code close} does with data still queued
     * @return 0, or {@code -errno}
     * @throws NullPointerException when {@code value} is null
     * @throws UnsupportedOperationException when {@code level} or {@code name} is {@link #UNSUPPORTED}
     * @throws IllegalArgumentException for an option not passed as bytes (see
     *     {@link #setsockopt(int, int, int, byte[])})
     */
    public static int trySetsockopt(int fd, int level, int name, Linger value) {
        Objects.requireNonNull(value, "value");
        requireBytesOption("setsockopt", level, name, false);
        byte[] raw = value.seconds() != 0 ? lingerBytes(value.onOff(), value.seconds())
                : value.onOff() ? LingerImages.RESET : LingerImages.OFF;
        return b().setsockoptBytes(fd, level, name, raw, raw.length);
    }

    /** C's {@code struct linger} {@code {onOff, seconds}}, in the platform's layout. */
    private static byte[] lingerBytes(boolean onOff, int seconds) {
        byte[] raw = new byte[Platform.value("SIZEOF_LINGER")];
        optionBytes(raw).putInt(Platform.value("OFFSETOF_LINGER_ONOFF"), onOff ? 1 : 0)
                .putInt(Platform.value("OFFSETOF_LINGER_LINGER"), seconds);
        return raw;
    }

    /**
     * The two {@code struct linger}s an event loop sets per connection, made once (when first used, as the tables
     * they are laid out by need a backend); private and never written, so a call reads what it was given.
     */
    private static final class LingerImages {
        static final byte[] OFF = lingerBytes(false, 0);
        static final byte[] RESET = lingerBytes(true, 0);
    }

    /**
     * {@code setsockopt(2)} with a {@code struct sock_txtime}, for {@link #SO_TXTIME} (Linux).
     *
     * @param fd the socket's descriptor
     * @param level the option's level: {@link #SOL_SOCKET}
     * @param name the option: {@link #SO_TXTIME}; passed on as it is, as in C (the kernel judges the shape)
     * @param value the clock and flags of the socket's transmit times
     * @throws UnsupportedOperationException where the platform has no {@code struct sock_txtime} (NetBSD)
     * @throws IllegalArgumentException for an option not passed as bytes (see
     *     {@link #setsockopt(int, int, int, byte[])})
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EINVAL} for a flag
     *     it does not know, {@code EPERM} for a clock other than {@code CLOCK_MONOTONIC} without
     *     {@code CAP_NET_ADMIN}, {@code ENOPROTOOPT} where the option is unknown
     */
    public static void setsockopt(int fd, int level, int name, SockTxtime value) throws ErrnoException {
        Objects.requireNonNull(value, "value");
        byte[] raw = new byte[txtimeSize("setsockopt")];
        requireBytesOption("setsockopt", level, name, false);
        optionBytes(raw).putInt(Platform.value("OFFSETOF_SOCK_TXTIME_CLOCKID"), value.clockid())
                .putInt(Platform.value("OFFSETOF_SOCK_TXTIME_FLAGS"), value.flags());
        checkOption("setsockopt", level, name, b().setsockoptBytes(fd, level, name, raw, raw.length));
    }

    /**
     * {@code getsockopt(2)} of a {@code struct sock_txtime}, for {@link #SO_TXTIME} (Linux): clock 0 and flags 0
     * while it was never set.
     *
     * @param fd the socket's descriptor
     * @param level the option's level: {@link #SOL_SOCKET}
     * @param name the option: {@link #SO_TXTIME}; passed on as it is, as in C (the kernel answers with the value's
     *     length, which is then checked)
     * @return the option's value
     * @throws UnsupportedOperationException where the platform has no {@code struct sock_txtime} (NetBSD)
     * @throws IllegalArgumentException for an option not passed as bytes (see
     *     {@link #setsockopt(int, int, int, byte[])}), or whose value the kernel gave is not a
     *     {@code struct sock_txtime} (another length: an option of another shape)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno
     */
    public static SockTxtime getsockoptTxtime(int fd, int level, int name) throws ErrnoException {
        int size = txtimeSize("getsockopt");
        requireBytesOption("getsockopt", level, name, true);
        ByteBuffer b = getsockoptStruct("struct sock_txtime", fd, level, name, size);
        return new SockTxtime(b.getInt(Platform.value("OFFSETOF_SOCK_TXTIME_CLOCKID")),
                b.getInt(Platform.value("OFFSETOF_SOCK_TXTIME_FLAGS")));
    }

    /** {@code sizeof(struct sock_txtime)}, or UnsupportedOperationException where the platform has none. */
    private static int txtimeSize(String call) {
        int size = Platform.value("SIZEOF_SOCK_TXTIME");
        if (size == Platform.UNSUPPORTED) {
            Backends.requireAvailable();
            throw new UnsupportedOperationException(call + ": " + Platform.os() + " has no struct sock_txtime");
        }
        return size;
    }

    /**
     * {@code getsockopt(2)} of a {@code struct linger}, for {@link #SO_LINGER}. Linux reads back its longest linger
     * time (which a C caller sets with a negative {@code l_linger}, and a {@link Linger} cannot hold) as that time in
     * clock ticks divided into seconds and cut to an {@code int}: a negative number at 250 or 1000 ticks a second (a
     * large positive one at 100, which reads as it is); a negative one is returned as
     * {@link Integer#MAX_VALUE} seconds, which keeps its meaning (a {@code close} that waits without practical end),
     * where 0 would mean the opposite (a reset). {@link #getsockopt(int, int, int, byte[])} gives the kernel's bytes.
     *
     * @param fd the socket's descriptor
     * @param level the option's level: {@link #SOL_SOCKET}
     * @param name the option: {@link #SO_LINGER}; passed on as it is, as in C (the kernel answers with the value's
     *     length, which is then checked)
     * @return the option's value
     * @throws IllegalArgumentException for an option not passed as bytes (see
     *     {@link #setsockopt(int, int, int, byte[])}), or whose value the kernel gave is not a {@code struct linger}
     *     (another length: an option of another shape)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOPROTOOPT} for an
     *     option the level does not have
     */
    public static Linger getsockoptLinger(int fd, int level, int name) throws ErrnoException {
        requireBytesOption("getsockopt", level, name, true);
        ByteBuffer b = getsockoptStruct("struct linger", fd, level, name, Platform.value("SIZEOF_LINGER"));
        int seconds = b.getInt(Platform.value("OFFSETOF_LINGER_LINGER"));
        return new Linger(b.getInt(Platform.value("OFFSETOF_LINGER_ONOFF")) != 0,
                seconds < 0 ? Integer.MAX_VALUE : seconds);
    }

    /**
     * {@code setsockopt(2)} with a {@code struct timeval}, for {@link #SO_RCVTIMEO} and {@link #SO_SNDTIMEO}.
     * {@link Duration#ZERO} means no timeout, as in C; a part below a microsecond is rounded up, so that a tiny
     * timeout does not become none. Linux keeps the timeout in clock ticks, so it reads back rounded up to a whole
     * tick (with 250 ticks a second: 250 ms as 252 ms, 1 ms as 4 ms). When a receive or send timeout expires the
     * call fails with would-block ({@code EAGAIN}, {@link WouldBlockException}), or returns what it had transferred
     * so far. A call that a signal interrupts is made again, until the timeout has passed since the first
     * interruption (see the class description).
     *
     * @param fd the socket's descriptor
     * @param level the option's level: {@link #SOL_SOCKET}
     * @param name the option: {@link #SO_RCVTIMEO} or {@link #SO_SNDTIMEO}; passed on as it is, as in C (the
     *     kernel judges the shape)
     * @param value the timeout; {@link Duration#ZERO} for none
     * @throws IllegalArgumentException when {@code value} is negative, or for an option not passed as bytes (as for
     *     {@link #setsockopt(int, int, int, byte[])})
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EDOM} for a timeout
     *     the kernel cannot hold (NetBSD: one too large), {@code ENOPROTOOPT} or {@code EINVAL} for an option that is
     *     not a {@code struct timeval}
     */
    public static void setsockopt(int fd, int level, int name, Duration value) throws ErrnoException {
        Objects.requireNonNull(value, "value");
        if (value.isNegative()) {
            throw new IllegalArgumentException("setsockopt(" + OptionNames.option(level, name) + "): a negative "
                    + "timeout: " + value);
        }
        requireBytesOption("setsockopt", level, name, false);
        long sec = value.getSeconds();
        long usec = (value.getNano() + 999) / 1000;
        if (usec == 1_000_000) {
            sec++;
            usec = 0;
        }
        byte[] raw = new byte[Platform.value("SIZEOF_TIMEVAL")];
        ByteBuffer b = optionBytes(raw);
        putSized(b, Platform.value("OFFSETOF_TIMEVAL_SEC"), Platform.value("SIZEOF_TV_SEC"), sec);
        putSized(b, Platform.value("OFFSETOF_TIMEVAL_USEC"), Platform.value("SIZEOF_TV_USEC"), usec);
        checkOption("setsockopt", level, name, b().setsockoptBytes(fd, level, name, raw, raw.length));
    }

    /**
     * {@code getsockopt(2)} of a {@code struct timeval} as a {@link Duration}; {@link Duration#ZERO} is no timeout.
     * Linux answers with the timeout it keeps, rounded up to a whole clock tick (see
     * {@link #setsockopt(int, int, int, Duration)}).
     *
     * @param fd the socket's descriptor
     * @param level the option's level: {@link #SOL_SOCKET}
     * @param name the option: {@link #SO_RCVTIMEO} or {@link #SO_SNDTIMEO}; passed on as it is, as in C (the
     *     kernel answers with the value's length, which is then checked)
     * @return the timeout, {@link Duration#ZERO} for none
     * @throws IllegalArgumentException for an option not passed as bytes (see
     *     {@link #setsockopt(int, int, int, byte[])}), or whose value the kernel gave is not a {@code struct timeval}
     *     (another length: an option of another shape)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOPROTOOPT} for an
     *     option the level does not have
     */
    public static Duration getsockoptTimeval(int fd, int level, int name) throws ErrnoException {
        requireBytesOption("getsockopt", level, name, true);
        ByteBuffer b = getsockoptStruct("struct timeval", fd, level, name, Platform.value("SIZEOF_TIMEVAL"));
        long sec = getSized(b, Platform.value("OFFSETOF_TIMEVAL_SEC"), Platform.value("SIZEOF_TV_SEC"));
        long usec = getSized(b, Platform.value("OFFSETOF_TIMEVAL_USEC"), Platform.value("SIZEOF_TV_USEC"));
        return Duration.ofSeconds(sec, usec * 1000);
    }

    private static void putSized(ByteBuffer b, int offset, int size, long value) {
        if (size == 8) {
            b.putLong(offset, value);
        } else {
            b.putInt(offset, Math.toIntExact(value));
        }
    }

    static long getSized(ByteBuffer b, int offset, int size) {
        return size == 8 ? b.getLong(offset) : b.getInt(offset);
    }

    /**
     * {@code setsockopt(2)} with the raw bytes of {@code value} as the option's value.
     *
     * <p>Options are passed as bytes at the levels {@link #SOL_SOCKET}, {@link #IPPROTO_IP}, {@link #IPPROTO_IPV6},
     * {@link #IPPROTO_TCP}, {@link #IPPROTO_UDP}, the raw sockets' {@link #IPPROTO_ICMPV6} and {@link #SOL_RAW}, and
     * netlink's {@link #SOL_NETLINK} and the packet sockets' {@link #SOL_PACKET}, except the few whose value holds an
     * address the kernel then reads or writes through ({@code SO_ATTACH_FILTER} and {@code SO_ATTACH_REUSEPORT_CBPF},
     * which {@link #setsockoptFilter(int, int, int, int[][])} sets, {@code TCP_ZEROCOPY_RECEIVE}, Linux's netfilter
     * tables): an address in a byte array would let a call reach memory it was not given. Linux hands the names at
     * {@code IPPROTO_IP} from 64 up that IP does not know itself to netfilter (iptables, arptables, ebtables, IPVS, and
     * any module that registers one), so there only multicast routing's {@code MRT_*} names, 200 to 212, pass; 64 to
     * 199 and 213 up are refused, as are ip6tables' 64, 65, 68 and 69 at {@code IPPROTO_IPV6} (IPv6 multicast routing's
     * {@code MRT6_*}, 200 up, pass).
     *
     * @param fd the socket's descriptor
     * @param level the option's level, such as {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param name the option, such as {@link #SO_SNDBUF}
     * @param value the option's bytes, in the layout and byte order the kernel expects
     * @throws IllegalArgumentException for an option not passed as bytes (see above)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOPROTOOPT} for an
     *     option the level does not have, {@code EINVAL} for a value it refuses, {@code EPERM} for one that needs a
     *     privilege
     */
    public static void setsockopt(int fd, int level, int name, byte[] value) throws ErrnoException {
        checkOption("setsockopt", level, name, trySetsockopt(fd, level, name, value));
    }

    /**
     * {@code getsockopt(2)} into {@code out}, offering all of it: the option's length as the kernel reports it
     * (at most {@code out.length}); {@code out[0 .. length)} holds the value. As in C, the kernel sees the bytes
     * {@code out} holds at the call, which some options read as an input (a multicast group to report the source
     * filter of, for example). The options passed are those of {@link #setsockopt(int, int, int, byte[])}, less the
     * multicast source filters ({@code IP_MSFILTER}, {@code MCAST_MSFILTER}) and Linux's {@code TCP_AO_GET_KEYS}:
     * Linux writes as many sources, or key records, as the value asks, past the length offered.
     *
     * @param fd the socket's descriptor
     * @param level the option's level, such as {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param name the option, such as {@link #SO_SNDBUF}
     * @param out its bytes are the value's input, and receive the option's bytes
     * @return the option's length in bytes, at most {@code out.length}
     * @throws IllegalArgumentException for an option not passed as bytes
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOPROTOOPT} for an
     *     option the level does not have, {@code EINVAL} when the option's value does not have this shape,
     *     {@code ERANGE} when {@code out} is too small for a value that does not fit cut short ({@code SO_PEERSEC},
     *     {@code SO_PEERGROUPS}): the length the kernel then writes back, as C reads it from {@code optlen}, is not
     *     reported, so call again with a larger array
     */
    public static int getsockopt(int fd, int level, int name, byte[] out) throws ErrnoException {
        return checkOption("getsockopt", level, name, tryGetsockopt(fd, level, name, out));
    }

    /**
     * {@link #getsockopt(int, int, int, byte[])} without exceptions for kernel errors: the option's length (at most
     * {@code out.length}), or {@code -errno}. Allocates nothing, so a server that reads each connection's
     * {@code SO_PEERCRED} (a {@code struct ucred}, 12 bytes on Linux) or a structure posix-send does not type reads it
     * as C does.
     *
     * @param fd the socket's descriptor
     * @param level the option's level, such as {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param name the option, such as {@link #SO_PEERCRED}
     * @param out its bytes are the value's input, and receive the option's bytes
     * @return the option's length in bytes, or {@code -errno}
     * @throws IllegalArgumentException for an option not passed as bytes
     * @throws NullPointerException when {@code out} is null
     * @throws UnsupportedOperationException when {@code level} or {@code name} is {@link #UNSUPPORTED}
     */
    public static int tryGetsockopt(int fd, int level, int name, byte[] out) {
        Objects.requireNonNull(out, "out");
        requireBytesOption("getsockopt", level, name, true);
        return b().getsockoptBytes(fd, level, name, out, out.length);
    }

    /**
     * {@link #setsockopt(int, int, int, byte[])} without exceptions for kernel errors: 0, or {@code -errno}.
     * Allocates nothing.
     *
     * @param fd the socket's descriptor
     * @param level the option's level, such as {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}
     * @param name the option
     * @param value the option's bytes, in the layout and byte order the kernel expects
     * @return 0, or {@code -errno}
     * @throws IllegalArgumentException for an option not passed as bytes
     * @throws NullPointerException when {@code value} is null
     * @throws UnsupportedOperationException when {@code level} or {@code name} is {@link #UNSUPPORTED}
     */
    public static int trySetsockopt(int fd, int level, int name, byte[] value) {
        Objects.requireNonNull(value, "value");
        requireBytesOption("setsockopt", level, name, false);
        return b().setsockoptBytes(fd, level, name, value, value.length);
    }

    /**
     * C's {@code struct ip_mreq} in the platform's layout, the value of {@link #IP_ADD_MEMBERSHIP} and
     * {@link #IP_DROP_MEMBERSHIP} for {@link #setsockopt(int, int, int, byte[])}. As in C, whether {@code group} is
     * a multicast address is the kernel's to judge ({@code EINVAL} when it is not).
     *
     * @param group the group's IPv4 address ({@code imr_multiaddr})
     * @param iface an IPv4 address of the interface to join on ({@code imr_interface}), or null for
     *     {@code INADDR_ANY}: the kernel picks the interface by its routes
     * @return the request's bytes, a new array
     * @throws IllegalArgumentException when an address is not IPv4
     * @throws UnsupportedOperationException where the platform has no {@code IP_ADD_MEMBERSHIP}
     */
    public static byte[] ipMreq(InetAddress group, InetAddress iface) {
        Objects.requireNonNull(group, "group");
        if (!(group instanceof Inet4Address) || iface != null && !(iface instanceof Inet4Address)) {
            throw new IllegalArgumentException("ip_mreq takes IPv4 addresses, not " + group + " and " + iface);
        }
        int size = constant("SIZEOF_IP_MREQ");
        requireSupported("ip_mreq", "sizeof(struct ip_mreq)", size);
        byte[] request = new byte[size];
        System.arraycopy(group.getAddress(), 0, request, 0, 4); // imr_multiaddr leads the struct on every system
        if (iface != null) {
            System.arraycopy(iface.getAddress(), 0, request, constant("OFFSETOF_IMR_INTERFACE"), 4);
        }
        return request;
    }

    /**
     * C's {@code struct ip_mreqn} (Linux only) in the platform's layout: an {@code ip_mreq} that names the interface
     * by its index as well as by an address, the value of {@link #IP_ADD_MEMBERSHIP}, {@link #IP_DROP_MEMBERSHIP} and
     * {@link #IP_MULTICAST_IF} for {@link #setsockopt(int, int, int, byte[])}. As in C, a non-zero index wins over the
     * address, and the kernel judges both ({@code ENODEV} for a membership, {@code EADDRNOTAVAIL} for
     * {@code IP_MULTICAST_IF}, when no interface has the index).
     *
     * @param group the group's IPv4 address ({@code imr_multiaddr}), or null for {@code INADDR_ANY} (which
     *     {@code IP_MULTICAST_IF} ignores)
     * @param address an IPv4 address of the interface ({@code imr_address}), or null for {@code INADDR_ANY}
     * @param ifindex the interface's index ({@code imr_ifindex}), as {@code java.net.NetworkInterface.getIndex()}
     *     gives it, or 0 for none
     * @return the request's bytes, a new array
     * @throws IllegalArgumentException when an address is not IPv4 or {@code ifindex} is negative
     * @throws UnsupportedOperationException where the platform has no {@code struct ip_mreqn} (NetBSD)
     */
    public static byte[] ipMreqn(InetAddress group, InetAddress address, int ifindex) {
        if (group != null && !(group instanceof Inet4Address) || address != null && !(address instanceof Inet4Address)
                || ifindex < 0) {
            throw new IllegalArgumentException("ip_mreqn takes IPv4 addresses and an index of 0 or more, not " + group
                    + ", " + address + " and " + ifindex);
        }
        int size = constant("SIZEOF_IP_MREQN");
        requireSupported("ip_mreqn", "sizeof(struct ip_mreqn)", size);
        byte[] request = new byte[size];
        if (group != null) {
            System.arraycopy(group.getAddress(), 0, request, 0, 4); // imr_multiaddr leads the struct
        }
        if (address != null) {
            System.arraycopy(address.getAddress(), 0, request, constant("OFFSETOF_IMR_ADDRESS"), 4);
        }
        ByteBuffer.wrap(request).order(ByteOrder.nativeOrder()).putInt(constant("OFFSETOF_IMR_IFINDEX"), ifindex);
        return request;
    }

    /**
     * C's {@code struct packet_mreq} (Linux only), the value of {@link #PACKET_ADD_MEMBERSHIP} and
     * {@link #PACKET_DROP_MEMBERSHIP} for {@link #setsockopt(int, int, int, byte[])} at {@link #SOL_PACKET}: a packet
     * socket's membership of a link-layer multicast group ({@link #PACKET_MR_MULTICAST}, with the group's address) or
     * the interface's promiscuous or all-multicast mode ({@link #PACKET_MR_PROMISC}, {@link #PACKET_MR_ALLMULTI}, no
     * address), held while the socket holds it. As in C, the kernel judges the type, the interface ({@code ENODEV})
     * and an address longer than the interface's ({@code EINVAL}).
     *
     * @param ifindex the interface's index ({@code mr_ifindex}), as {@code java.net.NetworkInterface.getIndex()}
     *     gives it
     * @param type {@code mr_type}: {@link #PACKET_MR_MULTICAST}, {@link #PACKET_MR_PROMISC} or
     *     {@link #PACKET_MR_ALLMULTI}; 0 to 65535
     * @param address the link-layer address ({@code mr_address}, its length {@code mr_alen}), at most 8 bytes; empty
     *     for the modes
     * @return the request's bytes, a new array
     * @throws IllegalArgumentException when {@code ifindex} is negative, {@code type} is outside 0..65535 or the
     *     address is longer than {@code mr_address}
     * @throws UnsupportedOperationException where the platform has no packet sockets
     */
    public static byte[] packetMreq(int ifindex, int type, byte[] address) {
        Objects.requireNonNull(address, "address");
        int size = constant("SIZEOF_PACKET_MREQ");
        requireSupported("packet_mreq", "sizeof(struct packet_mreq)", size);
        int room = constant("SIZEOF_MR_ADDRESS");
        if (ifindex < 0 || type < 0 || type > 0xffff || address.length > room) {
            throw new IllegalArgumentException("packet_mreq takes an index of 0 or more, a type of 0 to 65535 and at"
                    + " most " + room + " address bytes, not " + ifindex + ", " + type + " and " + address.length);
        }
        byte[] request = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder());
        b.putInt(constant("OFFSETOF_MR_IFINDEX"), ifindex);
        b.putShort(constant("OFFSETOF_MR_TYPE"), (short) type);
        b.putShort(constant("OFFSETOF_MR_ALEN"), (short) address.length);
        System.arraycopy(address, 0, request, constant("OFFSETOF_MR_ADDRESS"), address.length);
        return request;
    }

    /**
     * C's {@code struct ipv6_mreq} in the platform's layout, the value of {@link #IPV6_JOIN_GROUP} and
     * {@link #IPV6_LEAVE_GROUP} for {@link #setsockopt(int, int, int, byte[])}; whether {@code group} is a multicast
     * address is the kernel's to judge, as in C.
     *
     * @param group the group's IPv6 address ({@code ipv6mr_multiaddr})
     * @param ifindex the interface's index ({@code ipv6mr_interface}), or 0: the kernel picks it by its routes
     * @return the request's bytes, a new array
     * @throws IllegalArgumentException when {@code group} is not IPv6 or {@code ifindex} is negative
     * @throws UnsupportedOperationException where the platform has no {@code IPV6_JOIN_GROUP}
     */
    public static byte[] ipv6Mreq(InetAddress group, int ifindex) {
        Objects.requireNonNull(group, "group");
        if (!(group instanceof Inet6Address) || ifindex < 0) {
            throw new IllegalArgumentException("ipv6_mreq takes an IPv6 group and an index of 0 or more, not " + group
                    + " and " + ifindex);
        }
        int size = constant("SIZEOF_IPV6_MREQ");
        requireSupported("ipv6_mreq", "sizeof(struct ipv6_mreq)", size);
        byte[] request = new byte[size];
        System.arraycopy(group.getAddress(), 0, request, 0, 16); // ipv6mr_multiaddr leads the struct
        ByteBuffer.wrap(request).order(ByteOrder.nativeOrder())
                .putInt(constant("OFFSETOF_IPV6MR_INTERFACE"), ifindex);
        return request;
    }

    /**
     * {@code setsockopt(2)} with a name: the UTF-8 bytes of {@code value} followed by a NUL, for the options whose
     * value is text: {@link #SO_BINDTODEVICE} (an interface name; the empty string removes the binding),
     * {@link #TCP_CONGESTION} (a congestion-control algorithm, {@code ENOENT} for one the kernel lacks, {@code EPERM}
     * for one not allowed without {@code CAP_NET_ADMIN}) and {@link #TCP_ULP}.
     *
     * @param fd the socket's descriptor
     * @param level the option's level: {@link #SOL_SOCKET}, or {@link #IPPROTO_TCP}
     * @param name the option, such as {@link #SO_BINDTODEVICE} or {@link #TCP_CONGESTION}
     * @param value the text, or the empty string
     * @throws IllegalArgumentException for an option not passed as bytes (see
     *     {@link #setsockopt(int, int, int, byte[])})
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENODEV} for an
     *     interface that does not exist, {@code EPERM} without {@code CAP_NET_RAW}, {@code ENOPROTOOPT} where the
     *     option is unknown
     */
    public static void setsockopt(int fd, int level, int name, String value) throws ErrnoException {
        Objects.requireNonNull(value, "value");
        byte[] text = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] raw = java.util.Arrays.copyOf(text, text.length + 1);
        setsockopt(fd, level, name, raw);
    }

    /**
     * {@code setsockopt(2)} with a 64-bit value ({@code uint64_t}, 8 bytes in native order), for the options Linux
     * takes as one: {@link #SO_MAX_PACING_RATE} above 2^32 - 1 bytes per second (an {@code int} value caps it there).
     * Allocates the value's 8 bytes.
     *
     * @param fd the socket's descriptor
     * @param level the option's level, such as {@link #SOL_SOCKET}
     * @param name the option, such as {@link #SO_MAX_PACING_RATE}
     * @param value the value, C's {@code uint64_t} (a negative one is above 2^63)
     * @throws IllegalArgumentException for an option not passed as bytes (see
     *     {@link #setsockopt(int, int, int, byte[])})
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EINVAL} for a
     *     length the option does not take
     */
    public static void setsockopt(int fd, int level, int name, long value) throws ErrnoException {
        byte[] raw = new byte[Long.BYTES];
        optionBytes(raw).putLong(0, value);
        setsockopt(fd, level, name, raw);
    }

    /**
     * {@code getsockopt(2)} into a {@code uint64_t} set to 0 first, as C reads {@link #SO_MAX_PACING_RATE}: 8 bytes
     * for an option Linux reads as 64 bits; an {@code int} option writes only its 4 bytes (on a little-endian machine
     * its value, zero-extended, so {@code 0xffffffff} for -1). Allocates 8 bytes.
     *
     * @param fd the socket's descriptor
     * @param level the option's level, such as {@link #SOL_SOCKET}
     * @param name the option, such as {@link #SO_MAX_PACING_RATE}
     * @return the value, C's {@code uint64_t} (a negative one is above 2^63)
     * @throws IllegalArgumentException for an option not read as bytes (see
     *     {@link #getsockopt(int, int, int, byte[])})
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno
     */
    public static long getsockoptLong(int fd, int level, int name) throws ErrnoException {
        byte[] raw = new byte[Long.BYTES];
        getsockopt(fd, level, name, raw);
        return optionBytes(raw).getLong(0);
    }

    /**
     * {@code getsockopt(2)} of a name: the text up to its NUL, empty when unset, for {@link #SO_BINDTODEVICE},
     * {@link #TCP_CONGESTION} and {@link #TCP_ULP}. The kernel does not check that an option's value is text: asked
     * for a number ({@link #SO_MAX_PACING_RATE}) it answers with the number's bytes, read here as characters.
     *
     * @param fd the socket's descriptor
     * @param level the option's level: {@link #SOL_SOCKET}, or {@link #IPPROTO_TCP}
     * @param name the option, such as {@link #SO_BINDTODEVICE} or {@link #TCP_CONGESTION}
     * @return the text
     * @throws IllegalArgumentException for an option not passed as bytes (see
     *     {@link #setsockopt(int, int, int, byte[])})
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOPROTOOPT} for an
     *     option the level does not have
     */
    public static String getsockoptString(int fd, int level, int name) throws ErrnoException {
        byte[] raw = new byte[256];
        int n = getsockopt(fd, level, name, raw);
        int end = 0;
        while (end < n && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * {@code getsockopt(fd, IPPROTO_TCP, TCP_INFO)}, read as a new {@link TcpInfo}; a loop that reads a connection's
     * again and again reads into one {@code new TcpInfo()} with {@link TcpInfo#tryRead(int)}, allocating nothing.
     *
     * @param fd a TCP socket's descriptor
     * @return the snapshot
     * @throws UnsupportedOperationException on a platform whose {@code struct tcp_info} posix-send does not lay
     *     out (NetBSD); {@link #getsockopt(int, int, int, byte[])} still gives the raw bytes there
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code ENOPROTOOPT} or
     *     {@code EOPNOTSUPP} on a socket that is not TCP, {@code EBADF} or {@code ENOTSOCK}
     */
    public static TcpInfo getsockoptTcpInfo(int fd) throws ErrnoException {
        Backends.requireAvailable();
        TcpInfo.requireLayout("getsockoptTcpInfo");
        byte[] raw = new byte[TcpInfo.size()];
        int n = checkOption("getsockopt", IPPROTO_TCP, TCP_INFO,
                b().getsockoptBytes(fd, IPPROTO_TCP, TCP_INFO, raw, raw.length));
        return new TcpInfo(raw, n);
    }

    /**
     * {@code getsockopt(fd, SOL_SOCKET, SO_PEERCRED)}, read as a {@link Ucred}: the process, user and group of a
     * Unix socket's peer as they were when the connection was made ({@code connect}, {@code socketpair}), the user
     * and group the effective ones. A socket with no such peer (not connected, or not {@code AF_UNIX}) reads as pid
     * 0 and user and group -1 ({@code (uid_t) -1}).
     *
     * @param fd a connected {@code AF_UNIX} socket's descriptor
     * @return the peer's credentials
     * @throws UnsupportedOperationException where the platform has no {@code SO_PEERCRED} (NetBSD, whose
     *     {@code LOCAL_PEEREID} is another option with another struct)
     * @throws ErrnoException when the kernel fails the call, as the subclass of its errno: {@code EBADF} or
     *     {@code ENOTSOCK}
     */
    public static Ucred getsockoptPeerCred(int fd) throws ErrnoException {
        int size = Platform.value("SIZEOF_UCRED");
        if (SO_PEERCRED == UNSUPPORTED || size == Platform.UNSUPPORTED) {
            Backends.requireAvailable();
            throw new UnsupportedOperationException("getsockoptPeerCred: " + Platform.os() + " has no SO_PEERCRED");
        }
        byte[] raw = new byte[size];
        int n = checkOption("getsockopt", SOL_SOCKET, SO_PEERCRED,
                b().getsockoptBytes(fd, SOL_SOCKET, SO_PEERCRED, raw, raw.length));
        if (n != size) {
            throw new IllegalStateException("getsockopt: SO_PEERCRED gave " + n + " bytes, not a struct ucred's "
                    + size);
        }
        return Ucred.read(raw, 0);
    }

    /**
     * Objects.checkFromIndexSize's check, with the call's name in the message ({@code recv: range [5, 5 + 10) out of
     * bounds for length 10}); the name is a constant, so a passing check allocates nothing, and the message is made
     * apart, so that the check stays small enough to inline wherever the call is.
     */
    private static void requireRange(String call, byte[] buf, int off, int len) {
        if ((off | len) < 0 || len > buf.length - off) {
            throw outOfRange(call, off, len, buf.length);
        }
    }

    private static IndexOutOfBoundsException outOfRange(String call, int off, int len, int length) {
        return new IndexOutOfBoundsException(call + ": range [" + off + ", " + off + " + " + len
                + ") out of bounds for length " + length);
    }
}

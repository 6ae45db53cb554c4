// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.internal.Platform;
import io.github.posixsend.testing.SocketIo;
import io.github.posixsend.tools.probe.Descriptors;
import java.io.FileDescriptor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * The backend below the public API trusts nothing (rule 2): null arrays, short arrays, ranges outside arrays and
 * buffers, negative and huge lengths, malformed sockaddr images. Every such call returns {@code -errno} (the JNI
 * shim: exactly the documented one) and touches no memory it was not given; none may crash the JVM.
 */
class NativeArgumentTest {
    /** One call the backend must refuse, and the errno the JNI shim refuses it with. */
    static final class BadCall {
        final String name;
        final int errno;
        final IntSupplier call;

        BadCall(String name, Errno errno, IntSupplier call) {
            this.name = name;
            this.errno = errno.number();
            this.call = call;
        }
    }

    /**
     * The calls, all aimed at {@code fd}, a connected non-blocking UDP socket: a check that is missing would send
     * a datagram (or receive into memory it was not given), which the test then sees.
     */
    static List<BadCall> badCalls(int fd) throws Exception {
        Backend b = Backends.current();
        byte[] a10 = new byte[10];
        ByteBuffer d10 = ByteBuffer.allocateDirect(10);
        ByteBuffer slice = ByteBuffer.allocateDirect(10).position(6).slice(); // capacity 4, at offset 6
        ByteBuffer heap = ByteBuffer.allocate(10);
        SockAddr peer = SockAddr.of(new InetSocketAddress("127.0.0.1", 9));
        byte[] sa = peer.image();
        int salen = peer.length();
        byte[] sa200 = new byte[200];
        System.arraycopy(sa, 0, sa200, 0, salen);
        byte[] store = new byte[Platform.value("SIZEOF_SOCKADDR_STORAGE")];
        byte[] out6 = new byte[Platform.value("SIZEOF_SOCKADDR_IN6")];
        byte[] outUn = new byte[Platform.value("SIZEOF_SOCKADDR_UN")];
        int sunPath = Platform.value("SIZEOF_SUN_PATH");
        int max = Integer.MAX_VALUE;
        int min = Integer.MIN_VALUE;
        List<BadCall> l = new ArrayList<>();
        Errno inval = Errno.EINVAL;

        l.add(new BadCall("sendArray null", inval, () -> b.sendArray(fd, null, 0, 0, 0)));
        l.add(new BadCall("sendArray off -1", inval, () -> b.sendArray(fd, a10, -1, 1, 0)));
        l.add(new BadCall("sendArray len past end", inval, () -> b.sendArray(fd, a10, 0, 11, 0)));
        l.add(new BadCall("sendArray len -1", inval, () -> b.sendArray(fd, a10, 5, -1, 0)));
        l.add(new BadCall("sendArray off+len overflows", inval, () -> b.sendArray(fd, a10, 1, max, 0)));
        l.add(new BadCall("sendArray off max", inval, () -> b.sendArray(fd, a10, max, 1, 0)));
        l.add(new BadCall("sendArray min, min", inval, () -> b.sendArray(fd, a10, min, min, 0)));
        l.add(new BadCall("sendDirect null", inval, () -> b.sendDirect(fd, null, 0, 0, 0)));
        l.add(new BadCall("sendDirect heap buffer", inval, () -> b.sendDirect(fd, heap, 0, 1, 0)));
        l.add(new BadCall("sendDirect past capacity", inval, () -> b.sendDirect(fd, d10, 0, 11, 0)));
        l.add(new BadCall("sendDirect pos -1", inval, () -> b.sendDirect(fd, d10, -1, 1, 0)));
        l.add(new BadCall("sendDirect pos+len past end", inval, () -> b.sendDirect(fd, d10, 9, 2, 0)));
        l.add(new BadCall("sendDirect max, max", inval, () -> b.sendDirect(fd, d10, max, max, 0)));
        l.add(new BadCall("sendDirect len -1", inval, () -> b.sendDirect(fd, d10, 0, -1, 0)));
        l.add(new BadCall("sendDirect past a slice", inval, () -> b.sendDirect(fd, slice, 0, 5, 0)));
        l.add(new BadCall("sendtoArray sa null", inval, () -> b.sendtoArray(fd, a10, 0, 1, 0, null, salen)));
        l.add(new BadCall("sendtoArray salen -1", inval, () -> b.sendtoArray(fd, a10, 0, 1, 0, sa, -1)));
        l.add(new BadCall("sendtoArray salen 0", inval, () -> b.sendtoArray(fd, a10, 0, 1, 0, sa, 0)));
        l.add(new BadCall("sendtoArray salen 1", inval, () -> b.sendtoArray(fd, a10, 0, 1, 0, sa, 1)));
        l.add(new BadCall("sendtoArray salen past array", inval, () -> b.sendtoArray(fd, a10, 0, 1, 0, sa, salen + 1)));
        l.add(new BadCall("sendtoArray salen past storage", inval, () -> b.sendtoArray(fd, a10, 0, 1, 0, sa200, 200)));
        l.add(new BadCall("sendtoArray salen max", inval, () -> b.sendtoArray(fd, a10, 0, 1, 0, sa200, max)));
        l.add(new BadCall("sendtoArray data null", inval, () -> b.sendtoArray(fd, null, 0, 1, 0, sa, salen)));
        l.add(new BadCall("sendtoArray len past end", inval, () -> b.sendtoArray(fd, a10, 0, 11, 0, sa, salen)));
        l.add(new BadCall("sendtoArray off -1", inval, () -> b.sendtoArray(fd, a10, -1, 1, 0, sa, salen)));
        l.add(new BadCall("sendtoDirect null", inval, () -> b.sendtoDirect(fd, null, 0, 1, 0, sa, salen)));
        l.add(new BadCall("sendtoDirect heap", inval, () -> b.sendtoDirect(fd, heap, 0, 1, 0, sa, salen)));
        l.add(new BadCall("sendtoDirect past end", inval, () -> b.sendtoDirect(fd, d10, 5, 6, 0, sa, salen)));
        l.add(new BadCall("sendtoDirect sa null", inval, () -> b.sendtoDirect(fd, d10, 0, 1, 0, null, salen)));
        l.add(new BadCall("sendtoDirect salen past array", inval, () -> b.sendtoDirect(fd, d10, 0, 1, 0, sa, 100)));
        l.add(new BadCall("sendmsgDirect first null", inval,
                () -> (int) b.sendmsgDirect(fd, false, null, 0, 0, d10, 0, 1, null, 0,
                        0, 0, Backend.NO_CONTROL, 0, 0)));
        l.add(new BadCall("sendmsgDirect first heap", inval,
                () -> (int) b.sendmsgDirect(fd, false, heap, 0, 1, null, 0, 0, null, 0,
                        0, 0, Backend.NO_CONTROL, 0, 0)));
        l.add(new BadCall("sendmsgDirect second heap", inval,
                () -> (int) b.sendmsgDirect(fd, false, d10, 0, 1, heap, 0, 1, null, 0,
                        0, 0, Backend.NO_CONTROL, 0, 0)));
        l.add(new BadCall("sendmsgDirect first past end", inval,
                () -> (int) b.sendmsgDirect(fd, false, d10, 5, 6, d10, 0, 1, null, 0, 0, 0, Backend.NO_CONTROL, 0, 0)));
        l.add(new BadCall("sendmsgDirect second past end", inval,
                () -> (int) b.sendmsgDirect(fd, false, d10, 0, 1, d10, 9, 2, null, 0, 0, 0, Backend.NO_CONTROL, 0, 0)));
        l.add(new BadCall("sendmsgDirect second pos -1", inval,
                () -> (int) b.sendmsgDirect(fd, false, d10, 0, 1, d10, -1, 1, null, 0,
                        0, 0, Backend.NO_CONTROL, 0, 0)));
        l.add(new BadCall("sendmsgDirect second len -1", inval,
                () -> (int) b.sendmsgDirect(fd, false, d10, 0, 1, d10, 0, -1, null, 0,
                        0, 0, Backend.NO_CONTROL, 0, 0)));
        l.add(new BadCall("sendmsgDirect first max, max", inval,
                () -> (int) b.sendmsgDirect(fd, false, d10, max, max, null, 0, 0, null, 0,
                        0, 0, Backend.NO_CONTROL, 0, 0)));
        l.add(new BadCall("sendmsgDirect past a slice", inval,
                () -> (int) b.sendmsgDirect(fd, false, slice, 0, 5, null, 0, 0, null, 0,
                        0, 0, Backend.NO_CONTROL, 0, 0)));
        l.add(new BadCall("sendmsgDirect salen past array", inval,
                () -> (int) b.sendmsgDirect(fd, false, d10, 0, 1, d10, 1, 1, sa, 100, 0, 0, Backend.NO_CONTROL, 0, 0)));
        l.add(new BadCall("sendmsgDirect salen past storage", inval,
                () -> (int) b.sendmsgDirect(fd, false, d10, 0, 1, null, 0, 0, sa200, 200,
                        0, 0, Backend.NO_CONTROL, 0, 0)));
        l.add(new BadCall("sendmsgDirect salen 1", inval,
                () -> (int) b.sendmsgDirect(fd, false, d10, 0, 1, null, 0, 0, sa, 1, 0, 0, Backend.NO_CONTROL, 0, 0)));
        for (int kind : new int[] {MessagePlan.KIND_RAW, MessagePlan.KIND_RIGHTS, MessagePlan.KIND_IN_PKTINFO, 99,
                -2}) {
            l.add(new BadCall("sendmsgDirect control kind " + kind, inval,
                    () -> (int) b.sendmsgDirect(fd, false, d10, 0, 1, null, 0, 0, null, 0,
                            Posix.IPPROTO_IP, Posix.IP_TTL, kind, 3, 0)));
        }
        l.add(new BadCall("sendmsgDirect salen -1", inval,
                () -> (int) b.sendmsgDirect(fd, false, d10, 0, 1, null, 0, 0, sa, -1, 0, 0, Backend.NO_CONTROL, 0, 0)));
        // C's vlen beyond a well-formed plan's one message: each backend checks it against its own copy of the count,
        // on the call that builds the mmsghdr vector and on those that use it kept; a missing check would hand the
        // kernel headers past the vector (a send would deliver a datagram, a receive answer EAGAIN)
        MessagePlan one = TestPlans.create();
        one.begin(1, 1, 0, 0);
        one.iovDirect(0, one.addBuffer(d10), 0, 1);
        one.message(0, 0, 0, 0, 1, 0, 0, 0, 0);
        for (int vlen : new int[] {2, -1, max, min}) {
            l.add(new BadCall("sendmmsg vlen " + vlen + " of 1", inval, () -> b.sendmmsg(fd, one, 0, vlen, 0)));
            l.add(new BadCall("recvmmsg vlen " + vlen + " of 1", inval, () -> b.recvmmsg(fd, one, 0, vlen, 0, -1)));
        }
        // C's msgvec + off the same: a range past the one message, or one whose off + vlen overflows to fit (a sum
        // that wraps below the count would hand the kernel headers before or past the vector)
        int[][] ranges = {{1, 1}, {2, 0}, {-1, 1}, {-1, 0}, {max, 1}, {1, max}, {max, max}, {min, 1}, {1, min},
            {max, min}, {min, max}};
        for (int[] r : ranges) {
            String range = "off " + r[0] + " vlen " + r[1] + " of 1";
            l.add(new BadCall("sendmmsg " + range, inval, () -> b.sendmmsg(fd, one, r[0], r[1], 0)));
            l.add(new BadCall("recvmmsg " + range, inval, () -> b.recvmmsg(fd, one, r[0], r[1], 0, -1)));
        }
        l.add(new BadCall("recvArray null", inval, () -> b.recvArray(fd, null, 0, 1, 0, null, null)));
        l.add(new BadCall("recvArray past end", inval, () -> b.recvArray(fd, a10, 0, 11, 0, null, null)));
        l.add(new BadCall("recvArray off -1", inval, () -> b.recvArray(fd, a10, -1, 1, 0, null, null)));
        l.add(new BadCall("recvArray off+len overflows", inval, () -> b.recvArray(fd, a10, 2, max, 0, null, null)));
        l.add(new BadCall("recvArray salen null", inval, () -> b.recvArray(fd, a10, 0, 1, 0, store, null)));
        l.add(new BadCall("recvArray salen empty", inval, () -> b.recvArray(fd, a10, 0, 1, 0, store, new int[0])));
        l.add(new BadCall("recvArray sa short", inval, () -> b.recvArray(fd, a10, 0, 1, 0, new byte[8], new int[1])));
        l.add(new BadCall("recvDirect sa short", inval, () -> b.recvDirect(fd, d10, 0, 1, 0, new byte[8], new int[1])));
        l.add(new BadCall("accept sa short", inval, () -> b.accept(fd, new byte[8], new int[1])));
        l.add(new BadCall("recvDirect null", inval, () -> b.recvDirect(fd, null, 0, 1, 0, null, null)));
        l.add(new BadCall("recvDirect heap", inval, () -> b.recvDirect(fd, heap, 0, 1, 0, null, null)));
        l.add(new BadCall("recvDirect past end", inval, () -> b.recvDirect(fd, d10, 0, 11, 0, null, null)));
        l.add(new BadCall("recvDirect past a slice", inval, () -> b.recvDirect(fd, slice, 1, 4, 0, null, null)));
        l.add(new BadCall("recvDirect salen null", inval, () -> b.recvDirect(fd, d10, 0, 1, 0, store, null)));
        l.add(new BadCall("writeArray null", inval, () -> b.writeArray(fd, null, 0, 0)));
        l.add(new BadCall("writeArray off -1", inval, () -> b.writeArray(fd, a10, -1, 1)));
        l.add(new BadCall("writeArray len past end", inval, () -> b.writeArray(fd, a10, 0, 11)));
        l.add(new BadCall("writeArray off+len overflows", inval, () -> b.writeArray(fd, a10, 1, max)));
        l.add(new BadCall("writeArray min, min", inval, () -> b.writeArray(fd, a10, min, min)));
        l.add(new BadCall("writeArray large past end", inval, () -> b.writeArray(fd, new byte[10_000], 1, 10_000)));
        l.add(new BadCall("writeDirect null", inval, () -> b.writeDirect(fd, null, 0, 0)));
        l.add(new BadCall("writeDirect heap", inval, () -> b.writeDirect(fd, heap, 0, 1)));
        l.add(new BadCall("writeDirect past end", inval, () -> b.writeDirect(fd, d10, 9, 2)));
        l.add(new BadCall("writeDirect len -1", inval, () -> b.writeDirect(fd, d10, 0, -1)));
        l.add(new BadCall("writeDirect past a slice", inval, () -> b.writeDirect(fd, slice, 0, 5)));
        l.add(new BadCall("readArray null", inval, () -> b.readArray(fd, null, 0, 1)));
        l.add(new BadCall("readArray past end", inval, () -> b.readArray(fd, a10, 0, 11)));
        l.add(new BadCall("readArray off -1", inval, () -> b.readArray(fd, a10, -1, 1)));
        l.add(new BadCall("readArray off+len overflows", inval, () -> b.readArray(fd, a10, 2, max)));
        l.add(new BadCall("readArray large past end", inval, () -> b.readArray(fd, new byte[10_000], 1, 10_000)));
        l.add(new BadCall("readDirect null", inval, () -> b.readDirect(fd, null, 0, 1)));
        l.add(new BadCall("readDirect heap", inval, () -> b.readDirect(fd, heap, 0, 1)));
        l.add(new BadCall("readDirect past end", inval, () -> b.readDirect(fd, d10, 0, 11)));
        l.add(new BadCall("readDirect max, max", inval, () -> b.readDirect(fd, d10, max, max)));
        l.add(new BadCall("readDirect past a slice", inval, () -> b.readDirect(fd, slice, 1, 4)));
        l.add(new BadCall("socketpair null", inval, () -> b.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0, null)));
        l.add(new BadCall("socketpair short", inval,
                () -> b.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0, new int[1])));
        l.add(new BadCall("bind sa null", inval, () -> b.bind(fd, null, salen)));
        l.add(new BadCall("bind salen past storage", inval, () -> b.bind(fd, sa200, 200)));
        l.add(new BadCall("bind salen negative", inval, () -> b.bind(fd, sa, min)));
        l.add(new BadCall("connect sa null", inval, () -> b.connect(fd, null, salen)));
        l.add(new BadCall("connect salen past array", inval, () -> b.connect(fd, sa, salen + 1)));
        l.add(new BadCall("accept salen null", inval, () -> b.accept(fd, store, null)));
        l.add(new BadCall("accept salen empty", inval, () -> b.accept(fd, store, new int[0])));
        int acceptFlags = Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC;
        l.add(new BadCall("accept4 sa short", inval, () -> b.accept4(fd, acceptFlags, new byte[8], new int[1])));
        l.add(new BadCall("accept4 salen null", inval, () -> b.accept4(fd, acceptFlags, store, null)));
        l.add(new BadCall("accept4 salen empty", inval, () -> b.accept4(fd, 0, store, new int[0])));
        l.add(new BadCall("socketName null", inval, () -> b.socketName(fd, false, null)));
        l.add(new BadCall("socketName short", inval, () -> b.socketName(fd, true, new byte[2])));
        l.add(new BadCall("getsockopt null", inval, () -> b.getsockoptInt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE, null)));
        l.add(new BadCall("getsockopt empty", inval,
                () -> b.getsockoptInt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE, new int[0])));
        l.add(new BadCall("shutdown how 99", inval, () -> b.shutdown(fd, 99)));
        int stamp = Posix.SIOCGSTAMP != Posix.UNSUPPORTED ? Posix.SIOCGSTAMP : Posix.FIONREAD;
        l.add(new BadCall("ioctlStamp out null", inval, () -> b.ioctlStamp(fd, stamp, null)));
        l.add(new BadCall("ioctlStamp out empty", inval, () -> b.ioctlStamp(fd, stamp, new long[0])));
        l.add(new BadCall("ioctlStamp an int's request", inval, () -> b.ioctlStamp(fd, Posix.FIONREAD, new long[1])));
        l.add(new BadCall("ioctlStamp request -1", inval, () -> b.ioctlStamp(fd, -1, new long[1])));
        int sol = Posix.SOL_SOCKET;
        int attach = Posix.SO_ATTACH_FILTER != Posix.UNSUPPORTED ? Posix.SO_ATTACH_FILTER : 26;
        int[] ret = {0x06, 0, 0, 0};
        l.add(new BadCall("setsockoptFilter null", inval, () -> b.setsockoptFilter(fd, sol, attach, null, 1)));
        l.add(new BadCall("setsockoptFilter count past array", inval,
                () -> b.setsockoptFilter(fd, sol, attach, ret, 2)));
        l.add(new BadCall("setsockoptFilter count -1", inval, () -> b.setsockoptFilter(fd, sol, attach, ret, -1)));
        l.add(new BadCall("setsockoptFilter count max", inval, () -> b.setsockoptFilter(fd, sol, attach, ret, max)));
        l.add(new BadCall("setsockoptFilter count 65536", inval,
                () -> b.setsockoptFilter(fd, sol, attach, new int[4 * 65536], 65536)));
        l.add(new BadCall("setsockoptFilter code 0x10000", inval,
                () -> b.setsockoptFilter(fd, sol, attach, new int[] {0x10000, 0, 0, 0}, 1)));
        l.add(new BadCall("setsockoptFilter jt 256", inval,
                () -> b.setsockoptFilter(fd, sol, attach, new int[] {0x15, 256, 0, 0, 0x06, 0, 0, 0}, 2)));
        l.add(new BadCall("setsockoptFilter jf -1", inval,
                () -> b.setsockoptFilter(fd, sol, attach, new int[] {0x15, 0, -1, 0, 0x06, 0, 0, 0}, 2)));
        l.add(new BadCall("setsockoptFilter another option", inval,
                () -> b.setsockoptFilter(fd, sol, Posix.SO_RCVBUF, ret, 1)));
        l.add(new BadCall("setsockoptFilter another level", inval,
                () -> b.setsockoptFilter(fd, Posix.IPPROTO_IP, attach, ret, 1)));
        l.add(new BadCall("sockaddrInet out null", inval, () -> b.sockaddrInet(null, new byte[4], 1, 0, 0)));
        l.add(new BadCall("sockaddrInet ip null", inval, () -> b.sockaddrInet(out6, null, 1, 0, 0)));
        l.add(new BadCall("sockaddrInet ip 5 bytes", Errno.EAFNOSUPPORT,
                () -> b.sockaddrInet(out6, new byte[5], 1, 0, 0)));
        l.add(new BadCall("sockaddrInet port -1", inval, () -> b.sockaddrInet(out6, new byte[4], -1, 0, 0)));
        l.add(new BadCall("sockaddrInet port 65536", inval, () -> b.sockaddrInet(out6, new byte[4], 65536, 0, 0)));
        l.add(new BadCall("sockaddrInet out short", inval, () -> b.sockaddrInet(new byte[3], new byte[4], 1, 0, 0)));
        l.add(new BadCall("sockaddrInet6 out short", inval, () -> b.sockaddrInet(new byte[16], new byte[16], 1, 0, 0)));
        l.add(new BadCall("sockaddrUnix out null", inval, () -> b.sockaddrUnix(null, new byte[] {'x'}, false)));
        l.add(new BadCall("sockaddrUnix path null", inval, () -> b.sockaddrUnix(outUn, null, false)));
        l.add(new BadCall("sockaddrUnix path too long", Errno.ENAMETOOLONG,
                () -> b.sockaddrUnix(outUn, new byte[sunPath], false)));
        l.add(new BadCall("sockaddrUnix path far too long", Errno.ENAMETOOLONG,
                () -> b.sockaddrUnix(outUn, new byte[100_000], false)));
        l.add(new BadCall("sockaddrUnix out short", inval,
                () -> b.sockaddrUnix(new byte[3], new byte[] {'a', 'b'}, false)));
        l.add(new BadCall("sockaddrDecode sa null", inval,
                () -> b.sockaddrDecode(null, salen, new int[4], new byte[16])));
        l.add(new BadCall("sockaddrDecode info null", inval, () -> b.sockaddrDecode(sa, salen, null, new byte[16])));
        l.add(new BadCall("sockaddrDecode info short", inval,
                () -> b.sockaddrDecode(sa, salen, new int[3], new byte[16])));
        l.add(new BadCall("sockaddrDecode data null", inval, () -> b.sockaddrDecode(sa, salen, new int[4], null)));
        l.add(new BadCall("sockaddrDecode data short", inval,
                () -> b.sockaddrDecode(sa, salen, new int[4], new byte[3])));
        l.add(new BadCall("sockaddrDecode salen short", inval,
                () -> b.sockaddrDecode(sa, 4, new int[4], new byte[16])));
        l.add(new BadCall("sockaddrDecode salen past array", inval,
                () -> b.sockaddrDecode(sa, salen + 1, new int[4], new byte[16])));
        l.add(new BadCall("sockaddrDecode salen max", inval,
                () -> b.sockaddrDecode(sa200, max, new int[4], new byte[16])));
        l.add(new BadCall("descriptorOf null", inval, () -> b.descriptorOf(null)));
        l.add(new BadCall("descriptorOf invalid FileDescriptor", Errno.EBADF,
                () -> b.descriptorOf(new FileDescriptor())));
        l.add(new BadCall("setBlocking -1", Errno.EBADF, () -> b.setBlocking(-1, true)));
        l.add(new BadCall("isBlocking max", Errno.EBADF, () -> b.isBlocking(max)));
        l.add(new BadCall("pipe null", inval, () -> b.pipe(0, null)));
        l.add(new BadCall("pipe short", inval, () -> b.pipe(Posix.O_CLOEXEC, new int[1])));
        l.add(new BadCall("setCloseOnExec -1", Errno.EBADF, () -> b.setCloseOnExec(-1, true)));
        l.add(new BadCall("isCloseOnExec max", Errno.EBADF, () -> b.isCloseOnExec(max)));
        l.add(new BadCall("close min", Errno.EBADF, () -> b.close(min)));
        return l;
    }

    /**
     * Runs one bad call: the exact -errno, on every backend (the JNI shim, and JNR and FFM, which share their checks
     * in LibcBackend), never a Java exception.
     */
    static void expectRefused(BadCall c) {
        int r;
        try {
            r = c.call.getAsInt();
        } catch (RuntimeException e) {
            throw new AssertionError(c.name + ": the " + Posix.backendName() + " backend threw " + e
                    + " instead of returning -errno", e);
        }
        assertEquals(-c.errno, r, c.name + " on " + Posix.backendName());
    }

    @Test
    void everyBadCallIsRefusedAndNothingMoves() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.setBlocking(p.a, false);
            List<BadCall> calls = badCalls(p.a);
            for (BadCall c : calls) {
                expectRefused(c);
            }
            // nothing was sent, and the socket is still connected and working
            assertNull(SocketIo.receive(p.b, 100, 20), "a refused call sent something");
            assertEquals(2, Posix.send(p.a, new byte[] {1, 2}, 0, 2, 0));
            assertNotNull(SocketIo.receive(p.b, 100, 5000));
        }
    }

    @Test
    void refusedReceiveLosesNoDatagram() throws Exception {
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.udpPair(false);
            Posix.sendto(p.b, new byte[] {5, 6, 7}, 0, 3, 0, Descriptors.addressOf(p.a));
            Backend b = Backends.current();
            byte[] data = new byte[10];
            // refused for its address array, which is too short for a sockaddr_storage: before receiving anything
            int r = -1;
            for (int i = 0; i < 5_000; i++) {
                r = b.recvArray(p.a, data, 0, 10, MsgFlag.MSG_DONTWAIT.value(), new byte[8], new int[1]);
                if (r != -Errno.EAGAIN.number()) {
                    break;
                }
                Thread.sleep(1);
            }
            assertEquals(-Errno.EINVAL.number(), r);
            byte[] got = SocketIo.receive(p.a, 10, 5000);
            assertNotNull(got, "the refused call consumed the datagram");
            assertEquals(3, got.length);
        }
    }

    @Test
    void descriptorOfObjectsWithoutOne() {
        Backend b = Backends.current();
        for (Object o : new Object[] {"a string", new Object(), new int[3], Object.class}) {
            int r;
            try {
                r = b.descriptorOf(o);
            } catch (IllegalArgumentException | ClassCastException e) {
                continue; // a backend may refuse the type in Java
            }
            assertTrue(r < 0, o.getClass() + " gave " + r);
        }
    }

    @Test
    void strerrorOfAnyNumber() {
        Backend b = Backends.current();
        for (int n : new int[] {Integer.MIN_VALUE, -1, 0, 1, 4095, 4096, 100_000, Integer.MAX_VALUE}) {
            String s = b.strerror(n);
            assertNotNull(s, "strerror(" + n + ")");
            assertFalse(s.isEmpty(), "strerror(" + n + ")");
        }
    }
}

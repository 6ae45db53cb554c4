// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.Posix;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.internal.Platform;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import io.github.posixsend.testing.MadeDescriptors;
import io.github.posixsend.testing.SideBySide;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each Java-side backend (JNR, and FFM on JDK 22 and later) gives the same answers as the JNI shim for the same
 * input: sockaddr images byte for byte, decoded fields, constants, and the same {@code -errno} for the same
 * mistake. Both are loaded side by side; a backend that cannot load here is skipped, saying why.
 */
@ParameterizedClass
@FieldSource("io.github.posixsend.testing.SideBySide#JAVA_SIDE")
class JavaBackendsMatchJniTest {
    private final Backend jni = SideBySide.jni();
    /** The Java-side backend compared with the shim. */
    private final Backend other;

    JavaBackendsMatchJniTest(String backend) {
        this.other = SideBySide.javaSide(backend);
    }

    private static byte[] ip(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static byte[] v6(int last) {
        byte[] a = new byte[16];
        a[15] = (byte) last;
        return a;
    }

    /** Runs a builder on both backends with fresh output arrays of {@code outSize}; asserts equal results and bytes. */
    private interface Builder {
        int build(Backend b, byte[] out);
    }

    private void same(String what, int outSize, Builder builder) {
        byte[] a = new byte[outSize];
        byte[] b = new byte[outSize];
        Arrays.fill(a, (byte) 0x5a);
        Arrays.fill(b, (byte) 0x5a);
        int ra = builder.build(jni, a);
        int rb = builder.build(other, b);
        assertEquals(ra, rb, what + ": result");
        assertArrayEquals(a, b, what + ": bytes");
    }

    @Test
    void inetImagesAreTheShims() {
        byte[][] ips = {ip(127, 0, 0, 1), ip(0, 0, 0, 0), ip(255, 255, 255, 255), ip(10, 1, 2, 3), v6(1), v6(0),
            ip(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8),
            ip(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1)};
        int[] ports = {0, 1, 80, 443, 0x1234, 0x8000, 65535, -1, 65536, Integer.MIN_VALUE};
        int[] scopes = {0, 1, 3, 0x01020304, -1};
        for (byte[] ip : ips) {
            for (int port : ports) {
                for (int scope : scopes) {
                    int flow = scope * 31;
                    String what = Arrays.toString(ip) + " port " + port + " scope " + scope;
                    same(what, 28, (b, out) -> b.sockaddrInet(out, ip, port, scope, flow));
                    same(what + " (16-byte out)", 16, (b, out) -> b.sockaddrInet(out, ip, port, scope, flow));
                    same(what + " (8-byte out)", 8, (b, out) -> b.sockaddrInet(out, ip, port, scope, flow));
                }
            }
        }
        same("5-byte ip", 28, (b, out) -> b.sockaddrInet(out, new byte[5], 80, 0, 0));
        same("empty ip", 28, (b, out) -> b.sockaddrInet(out, new byte[0], 80, 0, 0));
        same("null ip", 28, (b, out) -> b.sockaddrInet(out, null, 80, 0, 0));
        same("null out", 0, (b, out) -> b.sockaddrInet(null, ip(127, 0, 0, 1), 80, 0, 0));
    }

    @Test
    void unixImagesAreTheShims() {
        int[] lengths = {0, 1, 2, 20, 100, 106, 107, 108, 109, 200};
        for (int n : lengths) {
            byte[] path = new byte[n];
            for (int i = 0; i < n; i++) {
                path[i] = (byte) ('a' + i % 26);
            }
            for (boolean abs : new boolean[] {false, true}) {
                String what = (abs ? "abstract " : "path ") + n + " bytes";
                same(what, 110, (b, out) -> b.sockaddrUnix(out, path, abs));
                same(what + " (short out)", 20, (b, out) -> b.sockaddrUnix(out, path, abs));
            }
        }
        byte[] utf8 = "/tmp/é-sock".getBytes(StandardCharsets.UTF_8);
        same("utf-8 path", 110, (b, out) -> b.sockaddrUnix(out, utf8, false));
        same("null path", 110, (b, out) -> b.sockaddrUnix(out, null, false));
        same("null out", 0, (b, out) -> b.sockaddrUnix(null, utf8, false));
    }

    @Test
    void decodingIsTheShims() {
        List<byte[]> images = new ArrayList<>();
        for (byte[] ip : new byte[][] {ip(127, 0, 0, 1), v6(1)}) {
            byte[] out = new byte[28];
            int n = jni.sockaddrInet(out, ip, 8080, 7, 9);
            images.add(Arrays.copyOf(out, n));
        }
        for (boolean abs : new boolean[] {false, true}) {
            byte[] out = new byte[110];
            int n = jni.sockaddrUnix(out, "sock\0et".getBytes(StandardCharsets.ISO_8859_1), abs);
            images.add(Arrays.copyOf(out, n));
        }
        images.add(new byte[] {1, 0}); // an unnamed Unix socket: the family alone
        images.add(new byte[] {99, 0, 1, 2, 3, 4, 5, 6}); // a family posix-send does not know
        images.add(new byte[130]);
        for (byte[] image : images) {
            for (int salen = -1; salen <= image.length + 1; salen++) {
                for (int dataLen : new int[] {0, 3, 16, 128}) {
                    int len = salen;
                    String what = Arrays.toString(image) + " salen " + salen + " data " + dataLen;
                    int[] infoA = new int[4];
                    int[] infoB = new int[4];
                    byte[] dataA = new byte[dataLen];
                    byte[] dataB = new byte[dataLen];
                    assertEquals(jni.sockaddrDecode(image, len, infoA, dataA),
                            other.sockaddrDecode(image, len, infoB, dataB), what);
                    assertArrayEquals(infoA, infoB, what + ": info");
                    assertArrayEquals(dataA, dataB, what + ": data");
                }
            }
            assertEquals(jni.sockaddrDecode(image, image.length, null, new byte[16]),
                    other.sockaddrDecode(image, image.length, null, new byte[16]), "null info");
            assertEquals(jni.sockaddrDecode(image, image.length, new int[3], new byte[16]),
                    other.sockaddrDecode(image, image.length, new int[3], new byte[16]), "short info");
            assertEquals(jni.sockaddrDecode(image, image.length, new int[4], null),
                    other.sockaddrDecode(image, image.length, new int[4], null), "null data");
        }
        assertEquals(jni.sockaddrDecode(null, 16, new int[4], new byte[16]),
                other.sockaddrDecode(null, 16, new int[4], new byte[16]), "null image");
    }

    @Test
    void constantsAreTheShimsOnLinux() {
        Map<String, Integer> fromHeaders = new HashMap<>(jni.constants());
        fromHeaders.remove("PS_ABI_VERSION"); // the shim's own version, not a platform constant
        assertEquals(fromHeaders, new HashMap<>(other.constants()));
        assertTrue(other.constants().containsKey("SIZEOF_SOCKADDR_UN"));
    }

    @Test
    void errorTextsAreTheShims() {
        for (int e = 1; e < 140; e++) {
            assertEquals(jni.strerror(e), other.strerror(e), "errno " + e);
        }
    }

    /** One call made on a backend; its result and what it wrote into arrays are compared. */
    private interface Call {
        int on(Backend b, Object[] scratch) throws Exception;
    }

    private void sameResult(String what, Call call) throws Exception {
        Object[] a = {new byte[128], new int[4]};
        Object[] b = {new byte[128], new int[4]};
        int ra = call.on(jni, a);
        int rb = call.on(other, b);
        assertEquals(ra, rb, what);
        assertArrayEquals((byte[]) a[0], (byte[]) b[0], what + ": bytes");
        assertArrayEquals((int[]) a[1], (int[]) b[1], what + ": ints");
    }

    @Test
    void mistakesGetTheSameErrno() throws Exception {
        byte[] lo = new byte[16];
        int salen = jni.sockaddrInet(lo, ip(127, 0, 0, 1), 9, 0, 0);
        ByteBuffer direct = ByteBuffer.allocateDirect(8);
        ByteBuffer heap = ByteBuffer.allocate(8);
        byte[] arr = new byte[8];
        int[] badFds = {-1, 1 << 20};
        for (int fd : badFds) {
            sameResult("send on " + fd, (b, s) -> b.sendDirect(fd, direct, 0, 8, 0));
            sameResult("send array on " + fd, (b, s) -> b.sendArray(fd, arr, 0, 8, 0));
            sameResult("sendto on " + fd, (b, s) -> b.sendtoDirect(fd, direct, 0, 8, 0, lo, salen));
            sameResult("sendto array on " + fd, (b, s) -> b.sendtoArray(fd, arr, 0, 8, 0, lo, salen));
            sameResult("sendmsg of two direct buffers on " + fd,
                    (b, s) -> (int) b.sendmsgDirect(fd, false, direct, 0, 4, direct, 4, 4, null, 0,
                            0, 0, Backend.NO_CONTROL, 0, 0));
            sameResult("sendmsg of a direct buffer to an address on " + fd,
                    (b, s) -> (int) b.sendmsgDirect(fd, false, direct, 0, 8, null, 0, 0, lo, salen,
                            0, 0, Backend.NO_CONTROL, 0, 0));
            sameResult("sendmmsg of one message of two direct buffers to an address on " + fd,
                    (b, s) -> (int) b.sendmsgDirect(fd, true, direct, 0, 4, direct, 4, 4, lo, salen, 0, 0,
                            Backend.NO_CONTROL, 0, 0));
            sameResult("recv on " + fd, (b, s) -> b.recvArray(fd, arr, 0, 8, 0, null, null));
            sameResult("recvfrom on " + fd, (b, s) -> b.recvDirect(fd, direct, 0, 8, 0, (byte[]) s[0], (int[]) s[1]));
            sameResult("bind on " + fd, (b, s) -> b.bind(fd, lo, salen));
            sameResult("connect on " + fd, (b, s) -> b.connect(fd, lo, salen));
            sameResult("disconnect on " + fd, (b, s) -> b.disconnect(fd));
            sameResult("listen on " + fd, (b, s) -> b.listen(fd, 1));
            sameResult("accept on " + fd, (b, s) -> b.accept(fd, (byte[]) s[0], (int[]) s[1]));
            sameResult("accept4 on " + fd, (b, s) -> b.accept4(fd, 0, (byte[]) s[0], (int[]) s[1]));
            sameResult("getsockname on " + fd, (b, s) -> b.socketName(fd, false, (byte[]) s[0]));
            sameResult("getpeername on " + fd, (b, s) -> b.socketName(fd, true, (byte[]) s[0]));
            sameResult("shutdown on " + fd, (b, s) -> b.shutdown(fd, 2));
            sameResult("close on " + fd, (b, s) -> b.close(fd));
            sameResult("setsockopt on " + fd, (b, s) -> b.setsockoptInt(fd, 1, 7, 4096));
            sameResult("getsockopt on " + fd, (b, s) -> b.getsockoptInt(fd, 1, 7, (int[]) s[1]));
            sameResult("setBlocking on " + fd, (b, s) -> b.setBlocking(fd, false));
            sameResult("isBlocking on " + fd, (b, s) -> b.isBlocking(fd));
            sameResult("setCloseOnExec on " + fd, (b, s) -> b.setCloseOnExec(fd, true));
            sameResult("isCloseOnExec on " + fd, (b, s) -> b.isCloseOnExec(fd));
        }
        sameResult("socket with a bad family", (b, s) -> b.socket(12345, 1, 0));
        sameResult("socketpair of AF_INET", (b, s) -> b.socketpair(2, 1, 0, new int[2]));
        sameResult("socketpair into null", (b, s) -> b.socketpair(1, 1, 0, null));
        sameResult("socketpair into one int", (b, s) -> b.socketpair(1, 1, 0, new int[1]));
        sameResult("pipe into null", (b, s) -> b.pipe(0, null));
        sameResult("pipe into one int", (b, s) -> b.pipe(0, new int[1]));
        sameResult("pipe with an unknown flag", (b, s) -> b.pipe(1 << 30, (int[]) s[1]));
        sameResult("heap buffer as direct", (b, s) -> b.sendDirect(-1, heap, 0, 8, 0));
        sameResult("null buffer", (b, s) -> b.sendDirect(-1, null, 0, 8, 0));
        sameResult("range past the end", (b, s) -> b.sendDirect(-1, direct, 4, 5, 0));
        sameResult("negative position", (b, s) -> b.sendDirect(-1, direct, -1, 1, 0));
        sameResult("negative length", (b, s) -> b.sendArray(-1, arr, 0, -1, 0));
        sameResult("array range past the end", (b, s) -> b.sendArray(-1, arr, 7, 2, 0));
        sameResult("null array", (b, s) -> b.sendArray(-1, null, 0, 0, 0));
        sameResult("recv null array", (b, s) -> b.recvArray(-1, null, 0, 0, 0, null, null));
        for (int bad : new int[] {-1, 0, 1, 129, 17}) {
            sameResult("sockaddr of length " + bad, (b, s) -> b.sendtoArray(-1, arr, 0, 8, 0, lo, bad));
            sameResult("bind with length " + bad, (b, s) -> b.bind(-1, lo, bad));
        }
        sameResult("null sockaddr", (b, s) -> b.sendtoDirect(-1, direct, 0, 8, 0, null, 16));
        sameResult("sendmsg of a heap buffer as direct",
                (b, s) -> (int) b.sendmsgDirect(-1, false, direct, 0, 8, heap, 0, 8, null, 0,
                        0, 0, Backend.NO_CONTROL, 0, 0));
        sameResult("sendmsg range past the end",
                (b, s) -> (int) b.sendmsgDirect(-1, false, direct, 0, 8, direct, 4, 5, null, 0,
                        0, 0, Backend.NO_CONTROL, 0, 0));
        sameResult("sendmsg with a control message of a kind that is not one value",
                (b, s) -> (int) b.sendmsgDirect(-1, false, direct, 0, 8, null, 0, 0, null, 0,
                        0, 8, MessagePlan.KIND_RAW, 3, 0));
        sameResult("sendmsg with a uint16 control message on -1",
                (b, s) -> (int) b.sendmsgDirect(-1, false, direct, 0, 8, null, 0, 0, null, 0,
                        17, 103, MessagePlan.KIND_UINT16, 1000, 0));
        sameResult("sendmsg to a short sockaddr",
                (b, s) -> (int) b.sendmsgDirect(-1, false, direct, 0, 8, null, 0, 0, lo, 1,
                        0, 0, Backend.NO_CONTROL, 0, 0));
        sameResult("sendmmsg of one message, a range past the end",
                (b, s) -> (int) b.sendmsgDirect(-1, true, direct, 0, 8, direct, 4, 5, null, 0, 0, 0, Backend.NO_CONTROL,
                        0, 0));
        sameResult("sendmmsg of one message with a uint16 control message on -1",
                (b, s) -> (int) b.sendmsgDirect(-1, true, direct, 0, 8, null, 0, 0, null, 0, 17, 103,
                        MessagePlan.KIND_UINT16, 1000, 0));
        sameResult("sendmmsg of one message to a short sockaddr",
                (b, s) -> (int) b.sendmsgDirect(-1, true, direct, 0, 8, null, 0, 0, lo, 1, 0, 0, Backend.NO_CONTROL, 0,
                        0));
        sameResult("recvfrom without a length array",
                (b, s) -> b.recvDirect(-1, direct, 0, 8, 0, (byte[]) s[0], null));
        sameResult("accept without a length array", (b, s) -> b.accept(-1, (byte[]) s[0], new int[0]));
        sameResult("accept4 without a length array", (b, s) -> b.accept4(-1, 0, (byte[]) s[0], new int[0]));
        sameResult("getsockopt into null", (b, s) -> b.getsockoptInt(-1, 1, 7, null));
    }

    @Test
    void realCallsGetTheSameResults() throws Exception {
        int[] fds = new int[2];
        assertEquals(0, other.socketpair(1, 2, 0, fds));
        try {
            sameResult("getsockname of a socketpair end", (b, s) -> b.socketName(fds[0], false, (byte[]) s[0]));
            sameResult("getpeername of a socketpair end", (b, s) -> b.socketName(fds[0], true, (byte[]) s[0]));
            sameResult("SO_TYPE", (b, s) -> b.getsockoptInt(fds[0], 1, 3, (int[]) s[1]));
            sameResult("isBlocking", (b, s) -> b.isBlocking(fds[0]));
            sameResult("isCloseOnExec", (b, s) -> b.isCloseOnExec(fds[0]));
            sameResult("setCloseOnExec", (b, s) -> b.setCloseOnExec(fds[0], true));
            sameResult("isCloseOnExec once set", (b, s) -> b.isCloseOnExec(fds[0]));
            sameResult("setCloseOnExec cleared", (b, s) -> b.setCloseOnExec(fds[0], false));
            sameResult("name into a small array", (b, s) -> b.socketName(fds[0], false, new byte[1]));
            sameResult("recv with nothing there", (b, s) -> b.recvArray(fds[1], new byte[4], 0, 4, 0x40, null, null));
            sameResult("connect a socketpair end", (b, s) -> b.connect(fds[0], new byte[] {2, 0, 0, 9, 127, 0, 0, 1,
                0, 0, 0, 0, 0, 0, 0, 0}, 16));
            sameResult("accept4 on a socketpair end", (b, s) -> b.accept4(fds[0], 0, (byte[]) s[0], (int[]) s[1]));
            sameResult("accept4 with an unknown flag",
                    (b, s) -> b.accept4(fds[0], 1 << 8, (byte[]) s[0], (int[]) s[1]));
            sameResult("send", (b, s) -> b.sendArray(fds[0], new byte[] {1, 2, 3}, 0, 3, 0));
            sameResult("recvfrom", (b, s) -> b.recvArray(fds[1], (byte[]) s[0], 0, 16, 0, (byte[]) s[0], (int[]) s[1]));
        } finally {
            other.close(fds[0]);
            other.close(fds[1]);
        }
    }

    /** Whether {@code fd} blocks and whether it is closed on exec, read through the shim; then closes it. */
    private int[] flagsThenClose(int fd) {
        int[] seen = {jni.isBlocking(fd), jni.isCloseOnExec(fd)};
        assertEquals(0, jni.close(fd), "close " + fd);
        return seen;
    }

    /**
     * The calls that make descriptors give each backend the same kind of descriptor: pipe2's two ends and accept4's
     * socket, with each combination of the two flags, and the same refusals; connect and getsockopt alike. Numbers
     * are each call's own, so what is compared is what the descriptor is; all of them are closed.
     */
    @Test
    void descriptorCallsMakeTheSameDescriptors() throws Exception {
        Set<String> before = MadeDescriptors.now();
        int[][] flagSets = {{0, 0}, {Posix.O_NONBLOCK, Posix.SOCK_NONBLOCK}, {Posix.O_CLOEXEC, Posix.SOCK_CLOEXEC},
            {Posix.O_NONBLOCK | Posix.O_CLOEXEC, Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC}};
        byte[] lo = new byte[128];
        int listener = jni.socket(Posix.AF_INET, Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK, 0);
        assertTrue(listener >= 0, "socket");
        try {
            assertEquals(16, jni.sockaddrInet(lo, ip(127, 0, 0, 1), 0, 0, 0));
            assertEquals(0, jni.bind(listener, lo, 16));
            assertEquals(0, jni.listen(listener, 4));
            assertTrue(jni.socketName(listener, false, lo) > 0, "getsockname");
            for (int[] f : flagSets) {
                List<int[]> ends = new ArrayList<>();
                List<int[]> accepted = new ArrayList<>();
                for (Backend b : List.of(jni, other)) {
                    int[] fds = {-2, -2, 0x7e7e7e7e};
                    assertEquals(0, b.pipe(f[0], fds), b.name() + ": pipe2 flags " + f[0]);
                    assertEquals(0x7e7e7e7e, fds[2], b.name() + ": pipe2 wrote past the two ends");
                    int[] seen = flagsThenClose(fds[0]);
                    int[] write = flagsThenClose(fds[1]);
                    ends.add(new int[] {seen[0], seen[1], write[0], write[1]});

                    int client = jni.socket(Posix.AF_INET, Posix.SOCK_STREAM | Posix.SOCK_NONBLOCK, 0);
                    try {
                        assertEquals(-Errno.EINPROGRESS.number(), b.connect(client, lo, 16),
                                b.name() + ": a non-blocking connect over loopback");
                        ByteBuffer pfd = ByteBuffer.allocateDirect(Platform.value("SIZEOF_POLLFD"))
                                .order(java.nio.ByteOrder.nativeOrder());
                        pfd.putInt(Platform.value("OFFSETOF_POLLFD_FD"), listener);
                        pfd.putShort(Platform.value("OFFSETOF_POLLFD_EVENTS"), (short) Posix.POLLIN);
                        assertEquals(1, jni.poll(pfd, 1, 10_000), "the connection waits on the listener");
                        byte[] peer = new byte[128];
                        int[] peerLen = {-7};
                        int fd = b.accept4(listener, f[1], peer, peerLen);
                        assertTrue(fd >= 0, b.name() + ": accept4 flags " + f[1] + ": " + fd);
                        assertEquals(16, peerLen[0], b.name() + ": peer's address length");
                        accepted.add(flagsThenClose(fd));
                    } finally {
                        jni.close(client);
                    }
                    assertEquals(-Errno.EAGAIN.number(), b.accept4(listener, f[1], null, null),
                            b.name() + ": accept4 with no connection waiting");
                }
                assertArrayEquals(ends.get(0), ends.get(1), "pipe2 flags " + f[0] + ": blocking, close-on-exec");
                assertArrayEquals(accepted.get(0), accepted.get(1), "accept4 flags " + f[1]);
                // and what the flags ask for, so that both ignoring them alike would not pass
                assertArrayEquals(new int[] {(f[0] & Posix.O_NONBLOCK) == 0 ? 1 : 0, (f[0] & Posix.O_CLOEXEC) != 0 ? 1
                    : 0}, Arrays.copyOf(ends.get(0), 2), "pipe2 flags " + f[0] + " on the read end");
                assertArrayEquals(new int[] {(f[1] & Posix.SOCK_NONBLOCK) == 0 ? 1 : 0,
                    (f[1] & Posix.SOCK_CLOEXEC) != 0 ? 1 : 0}, accepted.get(0), "accept4 flags " + f[1]);
            }
            sameResult("accept4 with an unknown flag on a listener", (b, s) -> b.accept4(listener, 1 << 8, null, null));
            sameResult("accept4 with a short address array",
                    (b, s) -> b.accept4(listener, 0, new byte[16], (int[]) s[1]));
            sameResult("pipe2 into three ints with an unknown flag", (b, s) -> b.pipe(1 << 30, new int[3]));
            sameResult("connect with a length past the array", (b, s) -> b.connect(listener, lo, 200));
            sameResult("connect with a zero length", (b, s) -> b.connect(listener, lo, 0));
            sameResult("connect a listener", (b, s) -> b.connect(listener, lo, 16));
            sameResult("getsockopt into no ints", (b, s) -> b.getsockoptInt(listener, Posix.SOL_SOCKET,
                    Posix.SO_TYPE, new int[0]));
            int soAcceptconn = 30; // Linux's, from the kernel's ABI: posix-send has no constant for it
            sameResult("getsockopt SO_ACCEPTCONN into four ints",
                    (b, s) -> b.getsockoptInt(listener, Posix.SOL_SOCKET, soAcceptconn, (int[]) s[1]));
            sameResult("getsockopt of a netfilter name", (b, s) -> b.getsockoptInt(listener, Posix.IPPROTO_IP, 64,
                    (int[]) s[1]));
        } finally {
            jni.close(listener);
        }
        Set<String> after = MadeDescriptors.now();
        after.removeAll(before);
        assertTrue(after.isEmpty(), "descriptors left open: " + after);
    }
}

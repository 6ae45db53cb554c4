package io.github.posixsend.internal.jni;

import java.nio.ByteBuffer;

/**
 * The JNI shim's entry points (native/*.c). Primitive-typed, each one system call at most, each returning a
 * count or {@code -errno}. Only {@link JniBackend} calls them.
 */
final class JniNative {
    private JniNative() {
    }

    static native String[] constantNames0();

    static native int[] constantValues0();

    static native String strerror0(int errnum);

    static native int socket0(int domain, int type, int protocol);

    static native int socketpair0(int domain, int type, int protocol, int[] fds);

    static native int bind0(int fd, byte[] sa, int salen);

    static native int connect0(int fd, byte[] sa, int salen);

    static native int connectUnspec0(int fd);

    static native int listen0(int fd, int backlog);

    static native int accept0(int fd, byte[] sa, int[] salen);

    static native int socketName0(int fd, boolean peer, byte[] sa);

    static native int shutdown0(int fd, int how);

    static native int close0(int fd);

    static native int setsockoptInt0(int fd, int level, int name, int value);

    static native int getsockoptInt0(int fd, int level, int name, int[] out);

    static native int setBlocking0(int fd, boolean blocking);

    static native int isBlocking0(int fd);

    static native int sendDirect0(int fd, ByteBuffer buf, int pos, int len, int flags);

    static native int sendArray0(int fd, byte[] a, int off, int len, int flags);

    static native int sendtoDirect0(int fd, ByteBuffer buf, int pos, int len, int flags, byte[] sa, int salen);

    static native int sendtoArray0(int fd, byte[] a, int off, int len, int flags, byte[] sa, int salen);

    static native int recvDirect0(int fd, ByteBuffer buf, int pos, int len, int flags, byte[] sa, int[] salen);

    static native int recvArray0(int fd, byte[] a, int off, int len, int flags, byte[] sa, int[] salen);

    static native int sockaddrInet0(byte[] out, byte[] ip, int port, int scopeId, int flowinfo);

    static native int sockaddrUnix0(byte[] out, byte[] path, boolean abstractName);

    static native int sockaddrDecode0(byte[] sa, int salen, int[] info, byte[] data);

    static native int descriptorOf0(Object channelOrFileDescriptor);

    // ---- sendmsg, sendmmsg, recvmsg (native/ps_msg.c, ps_plan.c, ps_cmsg.c) -----------------------------------


    static native long sendmsg0(int fd, ByteBuffer plan, ByteBuffer[] buffers, int flags);

    static native int sendmmsg0(int fd, ByteBuffer plan, ByteBuffer[] buffers, int flags);

    static native long recvmsg0(int fd, ByteBuffer plan, ByteBuffer[] buffers, int flags);
}

package io.github.posixsend;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;
import java.net.SocketAddress;

/**
 * Reusable room for the address a receive call reports, C's {@code struct sockaddr_storage} with its
 * {@code socklen_t}: {@link Posix#tryRecvfrom(int, java.nio.ByteBuffer, int, SockAddrBuffer)} writes the sender's
 * address here instead of allocating one, so a receive loop allocates nothing. Reading {@link #family()} and
 * {@link #port()} allocates nothing either; {@link #toSockAddr()} and {@link #toSocketAddress()} make objects.
 *
 * <p>A buffer is not safe for use by several threads at once.
 */
public final class SockAddrBuffer {
    private static final Backend B = Backends.current();
    private static final int UNIX_PATH_OFFSET = Platform.value("SIZEOF_SOCKADDR_UN") - Platform.value("SIZEOF_SUN_PATH");

    final byte[] image = new byte[Platform.value("SIZEOF_SOCKADDR_STORAGE")];
    final int[] length = new int[1];
    private final int[] info = new int[4];
    private final byte[] data = new byte[Math.max(16, image.length)];
    private int decodedLength = -1;

    /** An empty buffer. */
    public SockAddrBuffer() {
    }

    /** Forgets the address: {@link #length()} becomes 0. */
    public void clear() {
        length[0] = 0;
        decodedLength = -1;
    }

    /** The length of the address the last receive wrote ({@code socklen_t}); 0 before any, or when cleared. */
    public int length() {
        return length[0];
    }

    /**
     * True when the last receive named a sender. A connected stream, or an unnamed Unix socket, gives no
     * address (the kernel writes only the family, or nothing).
     */
    public boolean hasAddress() {
        return length[0] > UNIX_PATH_OFFSET;
    }

    /** The address's family ({@code Posix.AF_INET}, {@code AF_INET6}, {@code AF_UNIX}), or -1 when there is none. */
    public int family() {
        return decode() ? info[0] : -1;
    }

    /** The port of an internet address; 0 for others, -1 when there is no address. */
    public int port() {
        return decode() ? info[1] : -1;
    }

    /** The address as a {@link SockAddr} (a copy), or null when there is none. */
    public SockAddr toSockAddr() {
        return hasAddress() ? SockAddr.fromImage(image, length[0]) : null;
    }

    /** The address as {@link Posix#recvfrom(int, java.nio.ByteBuffer, int)} gives it, or null when there is none. */
    public SocketAddress toSocketAddress() {
        SockAddr sa = toSockAddr();
        return sa == null ? null : sa.toSocketAddress();
    }

    /** Called before each receive: the kernel's next answer has to be decoded again. */
    void prepare() {
        decodedLength = -1;
    }

    private boolean decode() {
        if (!hasAddress()) {
            return false;
        }
        if (decodedLength != length[0]) {
            if (B.sockaddrDecode(image, length[0], info, data) < 0) {
                return false;
            }
            decodedLength = length[0];
        }
        return true;
    }

    @Override
    public String toString() {
        SockAddr sa = toSockAddr();
        return sa == null ? "SockAddrBuffer[no address]" : "SockAddrBuffer[" + sa + "]";
    }
}

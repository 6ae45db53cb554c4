package io.github.posixsend;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code MSG_ZEROCOPY} sends on one socket (Linux), with the bookkeeping C programs write by hand: the kernel may
 * read a zero-copy send's bytes until it reports the send complete on the socket's error queue, so the buffer must
 * not be touched or reused until then. This numbers each send as the kernel does (from 0, one id for each call
 * that the kernel accepted), keeps the buffers of the sends still in flight, and hands each one back when a
 * completion covering its id arrives.
 *
 * <pre>{@code
 * Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);
 * ZerocopySends z = new ZerocopySends(fd, 1024);
 * z.send(buffer, 0);                      // MSG_ZEROCOPY is added; buffer is the kernel's until handed back
 * z.reap(done -> pool.add(done));         // non-blocking: completions read from the error queue
 * }</pre>
 *
 * <p>Completions come as ranges of ids and may cover several sends at once; {@link #copiedCount()} counts the
 * sends the kernel reported as copied after all ({@code SO_EE_CODE_ZEROCOPY_COPIED}): on loopback Linux always
 * copies, so zero copy saves nothing there. When too many notifications wait (the socket's option memory,
 * {@code net.core.optmem_max}), a send fails with {@code ENOBUFS} ({@link NoBufferSpaceException}): reap and try
 * again. Sending and reaping allocate nothing (beyond what {@code released} does). Heap buffers are refused
 * ({@link IllegalArgumentException}): their memory moves; so are buffers over a shared arena, which another thread
 * may close while the kernel still reads them. Not safe for use by
 * several threads at once; completions of sends made without this object on the same socket confuse it.
 */
public final class ZerocopySends implements AutoCloseable {
    /** {@code MSG_ERRQUEUE | MSG_DONTWAIT}, computed once (where the platform has them), not on every reap. */
    private final int errqueue;
    private final int fd;
    private final ByteBuffer[] inFlight;
    private final int mask;
    private final Message errors = new Message(256).add(ByteBuffer.allocateDirect(1));
    private final ErrorQueueEntry entry = new ErrorQueueEntry();
    private int nextId;
    private int count;
    private long completed;
    private long copied;

    /**
     * Tracks zero-copy sends on {@code fd}, at most {@code capacity} in flight (rounded up to a power of two).
     *
     * @param fd the socket's descriptor, with {@code SO_ZEROCOPY} set; it stays the caller's
     * @param capacity the most sends in flight at once, 1..65536
     * @throws IllegalArgumentException when {@code capacity} is outside 1..65536
     * @throws UnsupportedOperationException where the platform has no {@code MSG_ZEROCOPY}
     */
    public ZerocopySends(int fd, int capacity) {
        if (!MsgFlag.MSG_ZEROCOPY.isSupported() || Posix.SO_EE_ORIGIN_ZEROCOPY == Posix.UNSUPPORTED) {
            throw new UnsupportedOperationException("MSG_ZEROCOPY is Linux's; " + Os.current() + " has none");
        }
        if (capacity < 1 || capacity > 65536) {
            throw new IllegalArgumentException("capacity " + capacity + " is outside 1..65536");
        }
        this.fd = fd;
        this.errqueue = MsgFlag.mask(MsgFlag.MSG_ERRQUEUE, MsgFlag.MSG_DONTWAIT);
        this.inFlight = new ByteBuffer[capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1];
        this.mask = inFlight.length - 1;
    }

    /**
     * {@code send(fd, buf, flags | MSG_ZEROCOPY)}: on success the buffer's position advances by the count and the
     * buffer stays in flight until {@link #reap} hands it back.
     *
     * @param buf a direct buffer whose remaining bytes are sent; not to be touched until handed back
     * @param flags other {@code MSG_*} flags, or 0
     * @return the count sent
     * @throws IllegalStateException when as many sends as the capacity are in flight (reap first)
     * @throws IllegalArgumentException when {@code buf} is not direct, or lies in a shared arena's segment
     * @throws NoBufferSpaceException when too many notifications wait: reap, then send again
     * @throws ErrnoException when the kernel fails the send: the subclass of its errno; nothing is in flight then
     */
    public int send(ByteBuffer buf, int flags) throws ErrnoException {
        Objects.requireNonNull(buf, "buf");
        if (count == inFlight.length) {
            throw new IllegalStateException(count + " zero-copy sends are in flight; reap completions first");
        }
        int n = Posix.send(fd, buf, flags | MsgFlag.MSG_ZEROCOPY.value());
        // the kernel numbers every call it accepted, also one whose data it then copied
        inFlight[nextId & mask] = buf;
        nextId++;
        count++;
        return n;
    }

    /**
     * Reads every completion waiting on the error queue, without blocking, and hands back each buffer whose send
     * completed, in id order within each completion.
     *
     * @param released receives each buffer whose send completed; the caller may reuse it from then on
     * @return the number of sends completed by this call
     * @throws ErrnoException for an error-queue entry that is not a zero-copy completion (its errno), or a failed read
     */
    public int reap(Consumer<ByteBuffer> released) throws ErrnoException {
        Objects.requireNonNull(released, "released");
        int done = 0;
        while (count > 0) {
            errors.buffer(0).clear();
            long r = Posix.tryRecvmsg(fd, errors, errqueue);
            if (r == -Errno.EAGAIN.number()) {
                break;
            }
            if (r < 0) {
                throw ErrnoException.of("recvmsg", (int) -r);
            }
            if (!entry.read(errors)) {
                continue;
            }
            if (!entry.isZerocopyCompletion()) {
                throw ErrnoException.of("recvmsg(MSG_ERRQUEUE)", entry.errno() != 0 ? entry.errno()
                        : Errno.EIO.number());
            }
            int first = entry.info();
            int ids = entry.data() - first + 1; // 32-bit ids: the difference is right across a wrap too
            for (int k = 0; k < ids; k++) {
                int slot = (first + k) & mask;
                ByteBuffer b = inFlight[slot];
                if (b != null) {
                    inFlight[slot] = null;
                    count--;
                    done++;
                    released.accept(b);
                }
            }
            completed += ids;
            if (entry.zerocopyCopied()) {
                copied += ids;
            }
        }
        return done;
    }

    /** {@return the number of sends whose completion has not arrived yet} */
    public int inFlight() {
        return count;
    }

    /** {@return the id the kernel gives the next accepted send} */
    public int nextId() {
        return nextId;
    }

    /** {@return the number of sends reported complete so far} */
    public long completedCount() {
        return completed;
    }

    /** {@return the number of completed sends the kernel reported as copied after all} */
    public long copiedCount() {
        return copied;
    }

    /** Frees the error-queue message's native memory; the socket is the caller's. */
    @Override
    public void close() {
        errors.close();
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.PowerOfTwo;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code MSG_ZEROCOPY} sends on one socket (Linux), with the bookkeeping C programs write by hand: the kernel may
 * read a zero-copy send's bytes until it reports the send complete on the socket's error queue, so the buffer must
 * not be touched or reused until then. This numbers each send as the kernel does (from 0, one id for each call
 * that the kernel accepted), keeps the buffers of the sends still in flight, and hands each one back when a
 * completion covering its id arrives.
 *
 * <pre>{@code
 * Posix.setsockopt(fd, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY, 1);   // the constructor checks it
 * ZerocopySends z = new ZerocopySends(fd, 1024);
 * z.send(buffer, 0);                      // MSG_ZEROCOPY is added; buffer is the kernel's until handed back
 * z.reap(done -> pool.add(done));         // non-blocking: completions read from the error queue
 * }</pre>
 *
 * <p>The socket must have {@code SO_ZEROCOPY} set (a TCP or UDP socket): without it Linux ignores
 * {@code MSG_ZEROCOPY}, sends as usual and reports no completion, so nothing would ever be handed back; the
 * constructor checks. Completions come as ranges of ids and may cover several sends at once;
 * {@link #copiedCount()} counts the sends the kernel reported as copied after all
 * ({@code SO_EE_CODE_ZEROCOPY_COPIED}): on loopback Linux always copies, so zero copy saves nothing there. When
 * too many notifications wait (the socket's option memory, {@code net.core.optmem_max}), a send fails with
 * {@code ENOBUFS} ({@link NoBufferSpaceException}): reap and try again. On a datagram socket a send can also fail
 * after the kernel numbered it: a packet a queueing discipline drops ({@code ENOBUFS}, reported only to a socket with
 * {@code IP_RECVERR} or {@code IPV6_RECVERR}) or a firewall drops ({@code EPERM}) still completes. Such a failure
 * cannot be told from one made before the numbering, so from it on this object takes no more sends
 * ({@link IllegalStateException}: reap until {@link #inFlight()} is 0 and close; its buffers still come back as their
 * sends complete); on such a socket, reap before the notifications fill the option memory. Sending and reaping
 * allocate nothing (beyond what the callbacks do), and {@link #trySend} reports {@code EAGAIN} and {@code ENOBUFS}
 * as numbers, so a non-blocking sender's loop throws nothing either.
 *
 * <p>The error queue is the socket's one queue for everything it asked to be told: a socket that also asks for
 * transmit timestamps ({@code SO_TIMESTAMPING}) or errors ({@code IP_RECVERR}, {@code IPV6_RECVERR}) finds those
 * entries between the completions, and each is read once, by whoever reads first. {@link #reap(Consumer, Consumer)}
 * hands them to a second callback; {@link #reap(Consumer)}, for a socket that asks for nothing else, throws
 * {@link IllegalStateException} naming such an entry rather than dropping it unseen.
 *
 * <p>Buffers: heap buffers are refused ({@link IllegalArgumentException}): the collector moves their memory. So are
 * buffers over a shared or a confined arena's segment, whose close frees the memory at once while the kernel may
 * still read it. Buffers from {@code ByteBuffer.allocateDirect}, mapped ones, and those over an automatic or the
 * global arena's segment are sent from where they lie: their memory stays while the buffer is reachable, and this
 * object keeps each reachable until its completion. On JDK 18 to 20, whose incubating foreign API posix-send does
 * not read, a closable scope's buffer cannot be told apart from a plain one and is accepted: keeping that scope open
 * until the completion is then the program's task.
 *
 * <p>Not safe for use by several threads at once: a call that finds another under way throws
 * {@link IllegalStateException} (a send from {@code released} on the same thread is fine).
 * Each buffer is kept with the id of its send, and only that id's completion hands it back: completions come out
 * of order (on loopback too), and then a later send simply takes another slot. It numbers from 0, as the kernel
 * does for a socket's first zero-copy send: zero-copy sends made without this object on the same socket shift the
 * kernel's numbers and confuse it. Sends from one buffer object that follow each other (the rest of a short send,
 * sent at once as C sends it, or the same bytes again) are kept together: the buffer comes back once, when every
 * one of them has completed, so {@code released} gets it once for the lot. A reap between the parts may find all
 * the parts so far complete and hand the buffer back with its rest unsent ({@link ByteBuffer#hasRemaining()}): it
 * is the caller's again then, to send the rest from (a new lot) or reuse, but not to lend out meanwhile. A buffer
 * sent again after another buffer's send is not told apart: it comes back at each completion of its sends, the
 * first of which may come while the kernel still reads it for another; send such a buffer again only once it is
 * back.
 *
 * <p>Close only when nothing is in flight: until its completion a buffer is the kernel's, and this object is what
 * keeps it. So from its first send until {@link #close()} (or {@link #abandon}) the library keeps this object
 * reachable, and its buffers in flight with it: dropped without closing, it is never collected (the collector would
 * free a buffer the kernel may still send from). A send that fails while nothing is in flight (a peer gone, a
 * socket never connected) lets it go again until the next send. Once the socket's last descriptor is closed its
 * completions can never be read, as Linux drops the notices of a closed socket: a socket closed with sends in flight,
 * the usual error path, would leave {@link #close()} refusing, and this object and its buffers kept, for the life of
 * the JVM.
 * {@link #abandon} is the way out: it ends this object and gives the buffers up, with the caveats it states.
 *
 * <p>Where a buffer starts can matter: in a benchmark over loopback on Linux 6.18, zero-copy sends of 1 MiB from
 * buffers that start mid-page mostly took 1.2 to 1.8 times as long as from page-aligned ones, from C as from Java.
 * {@code allocateDirect} starts wherever {@code malloc} puts it; allocate a page more and take
 * {@code alignedSlice(4096)}.
 */
public final class ZerocopySends implements AutoCloseable {
    /** The objects that have sent and are not closed: their buffers in flight outlive the caller's references. */
    private static final Set<ZerocopySends> SENDING = ConcurrentHashMap.newKeySet();
    /** {@code MSG_DONTWAIT}, computed once, not on every reap. */
    private final int dontwait;
    /** {@code MSG_ERRQUEUE}, which a read's flags carry when it read the error queue. */
    private final int errqueue;
    private final int fd;
    /** The most sends in flight at once. */
    private final int capacity;
    /**
     * The buffers in flight, twice the capacity: a send's buffer goes to the slot of its id, or when a send that
     * has not completed yet holds that one (completions come out of order), to the next free one.
     */
    private final ByteBuffer[] inFlight;
    /** The kernel's id of the send whose buffer each slot of {@link #inFlight} holds. */
    private final int[] slotIds;
    private final int mask;
    /**
     * For each slot, the slots of the sends just before and just after it from the same buffer (the rest of a short
     * send sent at once), or -1: a buffer comes back when the last send of its chain completes.
     */
    private final int[] earlier;
    private final int[] later;
    /**
     * The slot of the newest send in flight from the latest accepted send's buffer (its chain's tail; that slot holds
     * the buffer), else -1: the next send from that buffer joins the chain there.
     */
    private int chainTail = -1;
    /** How many buffers in flight are not in their id's own slot: while none are, a completion looks only there. */
    private int displaced;
    /**
     * The thread in a call, so that two threads' calls cannot both number a send; its own calls may nest (a send
     * from {@code released}, which the slots' ids keep right).
     */
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private int depth;
    private volatile boolean closed;
    /**
     * Whether this object is in {@link #SENDING}: from its first send to its close or abandonment, and not after a
     * send that failed with nothing in flight.
     */
    private boolean kept;
    private final ErrorQueueEntry entry = new ErrorQueueEntry();
    private int nextId;
    private int count;
    private long completed;
    private long copied;
    private long notifications;
    /**
     * A completion read from the queue whose buffers are not all handed back yet (a {@link StackOverflowError} or a
     * callback's {@link Error} part way): its first id and span, or span 0. The next reap finishes it first, so that
     * no buffer stays in flight for good; a slot already emptied is passed over.
     */
    private int pendingFirst;
    private long pendingSpan;
    /** Whether the socket sends datagrams, whose sends can fail after the kernel numbered them. */
    private final boolean datagram;
    /** The errno of a datagram send that failed after the kernel may have numbered it, 0 while none has. */
    private int unsure;

    /**
     * Tracks zero-copy sends on {@code fd}, at most {@code capacity} in flight. Reads the socket's
     * {@code SO_ZEROCOPY} first ({@code getsockopt}): on a socket without it Linux ignores {@code MSG_ZEROCOPY} and
     * reports no completions, so every send would stay in flight for good; and a socket that cannot have it (an
     * {@code AF_UNIX} one, which reads 0) has no error queue, so a reap would read and drop its peer's data. Then its
     * {@code SO_TYPE}, once: a datagram socket's failed send may have been numbered (below). After a send's
     * {@code ENOBUFS} on a datagram socket, its {@code IP_RECVERR} and {@code IPV6_RECVERR} are read to tell which
     * {@code ENOBUFS} it was; no other call is made beside the sends and the reads of the error queue.
     *
     * @param fd the socket's descriptor, with {@code SO_ZEROCOPY} set; it stays the caller's
     * @param capacity the most sends in flight at once, 1..65536: sends, not buffers, since the rest of a short
     *     send is a send of its own (a pool of {@code n} buffers on a non-blocking stream socket, whose sends may
     *     each be cut short, needs more than {@code n})
     * @throws IllegalArgumentException when {@code capacity} is outside 1..65536, or when {@code fd}'s
     *     {@code SO_ZEROCOPY} is not 1 (not set, or a socket that cannot have it)
     * @throws ErrnoException when {@code getsockopt(fd, SOL_SOCKET, SO_ZEROCOPY)} fails, as the subclass of its
     *     errno: {@link BadDescriptorException} for a descriptor that is not open ({@code EBADF}) or not a socket
     *     ({@code ENOTSOCK}), {@link NotSupportedException} on a kernel without the option ({@code ENOPROTOOPT})
     * @throws UnsupportedOperationException where the platform has no {@code MSG_ZEROCOPY}
     */
    public ZerocopySends(int fd, int capacity) throws ErrnoException {
        Backends.requireAvailable();
        if (!MsgFlag.MSG_ZEROCOPY.isSupported() || Posix.SO_EE_ORIGIN_ZEROCOPY == Posix.UNSUPPORTED) {
            throw new UnsupportedOperationException("MSG_ZEROCOPY is Linux's; " + Os.current() + " has none");
        }
        if (capacity < 1 || capacity > 65536) {
            throw new IllegalArgumentException("capacity " + capacity + " is outside 1..65536");
        }
        int zerocopy = Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_ZEROCOPY);
        if (zerocopy != 1) {
            throw new IllegalArgumentException("ZerocopySends: descriptor " + fd + " has SO_ZEROCOPY " + zerocopy
                    + ", not 1: without it Linux sends MSG_ZEROCOPY sends as ordinary ones and reports no completion"
                    + " (set it first with setsockopt(fd, SOL_SOCKET, SO_ZEROCOPY, 1); TCP and UDP sockets take it,"
                    + " AF_UNIX and Multipath TCP ones do not)");
        }
        this.fd = fd;
        this.datagram = Posix.getsockopt(fd, Posix.SOL_SOCKET, Posix.SO_TYPE) != Posix.SOCK_STREAM;
        this.dontwait = MsgFlag.MSG_DONTWAIT.value();
        this.errqueue = MsgFlag.MSG_ERRQUEUE.value();
        this.capacity = capacity;
        this.inFlight = new ByteBuffer[PowerOfTwo.atLeast(capacity) * 2];
        this.slotIds = new int[inFlight.length];
        this.mask = inFlight.length - 1;
        this.earlier = new int[inFlight.length];
        this.later = new int[inFlight.length];
        Arrays.fill(earlier, -1);
        Arrays.fill(later, -1);
    }

    /**
     * {@code send(fd, buf, flags | MSG_ZEROCOPY)}: on success the buffer's position advances by the count and the
     * buffer stays in flight until {@link #reap} hands it back.
     *
     * @param buf a direct buffer whose remaining bytes are sent; not to be touched until handed back
     * @param flags other {@code MSG_*} flags, or 0
     * @return the count sent
     * @throws IllegalStateException when as many sends as the capacity are in flight (reap first: see
     *     {@link #capacity()}), or when another thread is in a call with this object
     * @throws IllegalArgumentException when {@code buf} is not direct, lies in a shared or a confined arena's segment
     *     (see the class description), or has nothing remaining (the kernel numbers a zero-length send on some
     *     protocols and not on others)
     * @throws NoBufferSpaceException when too many notifications wait: reap, then send again
     * @throws ErrnoException when the kernel fails the send: the subclass of its errno; nothing is in flight then
     */
    public int send(ByteBuffer buf, int flags) throws ErrnoException {
        int n = trySend(buf, flags);
        if (n < 0) {
            throw ErrnoException.of("send", -n);
        }
        return n;
    }

    /**
     * {@link #send(ByteBuffer, int)} without exceptions for kernel errors: the count sent, or {@code -errno}
     * ({@code -EAGAIN} on a full non-blocking socket, {@code -ENOBUFS} when too many notifications wait), nothing
     * in flight then; on a datagram socket a failure the kernel may have numbered ends the sending (see the class
     * description). Allocates nothing. A full object ({@link #capacity()} sends in flight) is a mistake of the
     * caller's, not the kernel's, and throws as {@link #send} does.
     *
     * @param buf a direct buffer whose remaining bytes are sent; not to be touched until handed back
     * @param flags other {@code MSG_*} flags, or 0
     * @return the count sent, or {@code -errno}
     * @throws IllegalStateException as for {@link #send(ByteBuffer, int)}
     * @throws IllegalArgumentException as for {@link #send(ByteBuffer, int)}
     */
    public int trySend(ByteBuffer buf, int flags) {
        Objects.requireNonNull(buf, "buf");
        enter();
        try {
            if (count == capacity) {
                throw new IllegalStateException(count + " zero-copy sends are in flight; reap completions first");
            }
            if (unsure != 0) {
                throw new IllegalStateException("a datagram send failed with " + Errno.nameOf(unsure) + " after the"
                        + " kernel may have numbered it (a queueing discipline's drop reported with IP_RECVERR, a"
                        + " firewall's EPERM): from there this object cannot know the kernel's ids, so it takes no"
                        + " more sends; reap until inFlight() is 0, then close");
            }
            int pos = buf.position();
            int len = buf.limit() - pos;
            if (len <= 0) {
                throw new IllegalArgumentException("a zero-copy send of nothing: the kernel numbers it on some"
                        + " protocols and not on others");
            }
            hold(); // before the kernel may take a buffer
            int n = Posix.trySendAt(fd, buf, pos, len, flags | MsgFlag.MSG_ZEROCOPY.value());
            if (n < 0) {
                if (datagram && mayHaveBeenNumbered(-n)) {
                    unsure = -n;
                } else if (count == 0) { // the kernel took nothing and holds nothing of this object's
                    letGo();
                }
                return n;
            }
            // the kernel numbers every call it accepted, also one whose data it then copied: recorded before the
            // position moves, which throws if another thread lowered the limit meanwhile
            int slot = nextId & mask;
            while (inFlight[slot] != null) { // at most the capacity of the twice as many slots are taken
                slot = (slot + 1) & mask;
            }
            if (slot != (nextId & mask)) {
                displaced++;
            }
            if (chainTail >= 0 && inFlight[chainTail] == buf) { // from the same buffer as the send before: one chain
                earlier[slot] = chainTail;
                later[chainTail] = slot;
            }
            inFlight[slot] = buf;
            slotIds[slot] = nextId;
            chainTail = slot;
            nextId++;
            count++;
            buf.position(pos + n);
            return n;
        } finally {
            leave();
        }
    }

    /** Keeps this object, and so its buffers in flight, reachable while the kernel may hold them. */
    private void hold() {
        if (!kept) {
            SENDING.add(this);
            kept = true;
        }
    }

    /** Lets the collector have this object again: the kernel holds nothing of it. */
    private void letGo() {
        if (kept) {
            SENDING.remove(this);
            kept = false;
        }
    }

    /**
     * Reads every completion waiting on the error queue, without blocking, and hands back each buffer whose send
     * completed, or whose sends all completed (see the class description). It reads only while sends are in flight,
     * and is for a socket
     * that asks for no other error-queue entries: an entry of another kind (a transmit timestamp, an ICMP or local
     * error, which come only to a socket that asked for them with {@code SO_TIMESTAMPING} or {@code IP_RECVERR})
     * stops it with {@link IllegalStateException} naming the entry, since reading took it from the queue and it
     * would otherwise be lost unseen. On such a socket use {@link #reap(Consumer, Consumer)}.
     *
     * @param released receives each buffer whose send completed; the caller may reuse it from then on. If it
     *     throws anything, an {@link Error} too, the other buffers of the same completion are still handed back to
     *     it (the kernel's notice is read and gone: a buffer left out now would stay in flight for good); then the
     *     first throwable is thrown, with later ones suppressed, and the completions after it wait for the next
     *     reap
     * @return the number of sends completed by this call
     * @throws IllegalStateException for an error-queue entry that is not a zero-copy completion (the completions
     *     read before it were handed back, those after it wait for the next reap); or when another thread is in a
     *     call with this object
     * @throws ErrnoException when {@code recvmsg(MSG_ERRQUEUE)} fails, as the subclass of its errno
     */
    public int reap(Consumer<ByteBuffer> released) throws ErrnoException {
        Objects.requireNonNull(released, "released");
        return reapQueue(released, null);
    }

    /**
     * Reads every entry waiting on the error queue, without blocking: each zero-copy completion hands back its
     * buffers as {@link #reap(Consumer)} does, and every other entry goes to {@code others}, in queue order: the
     * transmit timestamps ({@code SO_TIMESTAMPING}) and errors ({@code IP_RECVERR}, {@code IPV6_RECVERR}) of a
     * socket that asks for them too, which share the one queue with the completions. It reads until the queue is
     * empty, also when no send is in flight, so that an entry that comes after the last completion is delivered
     * too. Allocates nothing (beyond what the callbacks do).
     *
     * @param released receives each buffer whose send completed, as for {@link #reap(Consumer)}
     * @param others receives each entry that is not a zero-copy completion. The entry is this object's own view,
     *     filled again by the next read: valid only until the callback returns or calls this object, and not to
     *     be read into; copy out what is needed (its fields, {@link ErrorQueueEntry#toTxTimestamp()},
     *     {@link ErrorQueueEntry#toExtendedError()}). If it throws, reading stops and the throwable is thrown as it
     *     is: that entry was delivered, the entries after it wait for the next reap
     * @return the number of sends completed by this call
     * @throws IllegalStateException when another thread is in a call with this object
     * @throws ErrnoException when {@code recvmsg(MSG_ERRQUEUE)} fails, as the subclass of its errno
     */
    public int reap(Consumer<ByteBuffer> released, Consumer<ErrorQueueEntry> others) throws ErrnoException {
        Objects.requireNonNull(released, "released");
        Objects.requireNonNull(others, "others");
        return reapQueue(released, others);
    }

    /** The two reaps: {@code others} null refuses any entry but a completion. */
    private int reapQueue(Consumer<ByteBuffer> released, Consumer<ErrorQueueEntry> others) throws ErrnoException {
        enter();
        try {
            // a completion an earlier reap read and could not finish
            int done = pendingSpan > 0 ? takeRange(released) : 0;
            // a callback may close or abandon this object, after which the descriptor may be gone
            while (!closed && (count > 0 || others != null)) {
                // held until taken: an entry that has left the queue is read again if this reap fails part way
                int r = entry.unparsed() >= 0 ? entry.finishUnparsed() : entry.readHeld(fd, dontwait);
                if (r == -Errno.EAGAIN.number()) {
                    break;
                }
                if (r < 0) {
                    throw ErrnoException.of("recvmsg(MSG_ERRQUEUE)", -r);
                }
                if (!entry.isValid() || !entry.isZerocopyCompletion()) {
                    entry.release(); // the checks below refuse it, pass over it or hand it on, once
                }
                if ((entry.flags() & errqueue) == 0) {
                    // a socket with no error queue ignores MSG_ERRQUEUE and returns its data: the constructor's
                    // SO_ZEROCOPY check keeps such sockets out, so this is not one that can have completions
                    throw new IllegalStateException("recvmsg(MSG_ERRQUEUE) read ordinary data from descriptor " + fd
                            + ": its socket has no error queue, so no completion can come");
                }
                if (!entry.isValid()) {
                    continue; // an entry with no extended error: Linux queues none, and it tells nothing
                }
                if (!entry.isZerocopyCompletion()) {
                    if (others == null) {
                        throw new IllegalStateException("reap: the error queue held an entry that is not a zero-copy"
                                + " completion, now read and gone: " + entry
                                + (entry.errnoName() != null ? " (" + entry.errnoName() + ")" : "")
                                + "; a socket that also asks for timestamps (SO_TIMESTAMPING) or errors"
                                + " (IP_RECVERR) needs reap(released, others)");
                    }
                    others.accept(entry);
                    continue;
                }
                int first = entry.info();
                boolean rangeCopied = entry.zerocopyCopied(); // read now: a released that reaps reuses the entry
                long span = Integer.toUnsignedLong(entry.data() - first) + 1; // 32-bit ids: right across a wrap too
                pendingFirst = first;
                pendingSpan = span;
                entry.release(); // the range is kept above until its buffers are handed back
                notifications++;
                completed += span;
                if (rangeCopied) {
                    copied += span;
                }
                done += takeRange(released);
            }
            return done;
        } finally {
            leave();
        }
    }

    /**
     * Hands back the buffers of the pending completion's ids ({@link #pendingFirst}, {@link #pendingSpan}) and ends
     * it; returns how many sends it completed. A slot holds one id, so no other id hands its buffer back; a range
     * wider than the table (sends made without this object), or one whose buffers may sit off their own slots, is
     * matched against every slot, else each id looks in its own.
     */
    private int takeRange(Consumer<ByteBuffer> released) {
        int first = pendingFirst;
        long span = pendingSpan;
        int done = 0;
        Throwable failed = null;
        boolean scan = span > inFlight.length || displaced > 0;
        int slots = scan ? inFlight.length : (int) span;
        for (int k = 0; k < slots; k++) {
            int slot = scan ? k : (first + k) & mask;
            ByteBuffer b = inFlight[slot];
            if (b == null || Integer.toUnsignedLong(slotIds[slot] - first) >= span) {
                continue;
            }
            if (slot != (slotIds[slot] & mask)) {
                displaced--;
            }
            inFlight[slot] = null;
            count--;
            done++;
            if (unchain(slot)) { // the last send from this buffer
                failed = handBack(released, b, failed); // an Error too: the rest must still go back
            }
        }
        pendingSpan = 0;
        if (failed != null) {
            throw ZerocopySends.<RuntimeException>rethrow(failed);
        }
        return done;
    }

    /**
     * Whether a datagram send that failed with {@code errno} may still have been numbered: Linux numbers it when it
     * builds the packet, and a packet dropped after that (by a queueing discipline, reported as {@code ENOBUFS} only
     * to a socket with {@code IP_RECVERR} or {@code IPV6_RECVERR}; by a firewall, {@code EPERM}) still completes. An
     * {@code ENOBUFS} without those options is the notification limit's, met before anything was numbered.
     */
    private boolean mayHaveBeenNumbered(int errno) {
        if (errno == Errno.EPERM.number()) {
            return true;
        }
        if (errno != Errno.ENOBUFS.number()) {
            return false;
        }
        int[] on = {0};
        boolean v4 = Posix.tryGetsockopt(fd, Posix.IPPROTO_IP, Posix.IP_RECVERR, on) == 0 && on[0] != 0;
        on[0] = 0;
        boolean v6 = Posix.tryGetsockopt(fd, Posix.IPPROTO_IPV6, Posix.IPV6_RECVERR, on) == 0 && on[0] != 0;
        return v4 || v6;
    }

    /** Takes {@code slot} out of its buffer's chain; true when no other send from that buffer is in flight. */
    private boolean unchain(int slot) {
        int before = earlier[slot];
        int after = later[slot];
        if (before >= 0) {
            later[before] = after;
        }
        if (after >= 0) {
            earlier[after] = before;
        }
        earlier[slot] = -1;
        later[slot] = -1;
        if (slot == chainTail) { // the latest buffer's newest send completed: the one before it is the tail now
            chainTail = before;
        }
        return before < 0 && after < 0;
    }

    /**
     * Throws {@code t} as it is, whatever its type: a callback's exception goes on unchanged, also a checked one a
     * callback threw without declaring it. Declared to return one, so that callers can write {@code throw}.
     */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
        throw (T) t;
    }

    private void enter() {
        if (closed) {
            throw new IllegalStateException("this ZerocopySends is closed");
        }
        Thread me = Thread.currentThread();
        if (owner.get() != me && !owner.compareAndSet(null, me)) {
            throw new IllegalStateException("this ZerocopySends is in a call on another thread; it is not safe for"
                    + " use by several threads at once");
        }
        depth++;
        if (closed) { // closed by another thread between the first look and taking the object
            leave();
            throw new IllegalStateException("this ZerocopySends is closed");
        }
    }

    private void leave() {
        if (--depth == 0) {
            owner.set(null);
        }
    }

    /** {@return the number of sends whose completion has not arrived yet} */
    public int inFlight() {
        return count;
    }

    /**
     * {@return the most sends in flight at once, as constructed}: a loop that must not meet the
     * {@link IllegalStateException} of a full object reaps while {@code inFlight() == capacity()}
     */
    public int capacity() {
        return capacity;
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

    /**
     * {@return the number of completion notices read so far}: each covers a range of sends, so this over
     * {@link #completedCount()} says how far the kernel batched them
     */
    public long notificationCount() {
        return notifications;
    }

    /**
     * Ends this object's use: later sends and reaps throw {@link IllegalStateException}. It holds no native memory;
     * the socket is the caller's.
     *
     * @throws IllegalStateException while sends are in flight (nothing is closed then): their buffers are the
     *     kernel's until their completions, and this object is what keeps them; reap until {@link #inFlight()} is 0,
     *     or, when the socket was closed before they came (its completions can then never be read), give them up
     *     with {@link #abandon}; also while another thread is in a call on it
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        enter(); // so that no send is between the kernel taking its buffer and counting it
        try {
            if (count > 0) {
                throw new IllegalStateException(count + " zero-copy sends are in flight: reap their completions"
                        + " first; if the socket was closed before they came, they never will: abandon() them");
            }
            closed = true;
            letGo();
        } finally {
            leave();
        }
    }

    /**
     * Ends this object's use without waiting for the completions of the sends still in flight, and hands their
     * buffers to {@code held}: for a socket that was closed before they came, whose completions can never be read
     * (Linux drops a closed socket's notices), so that {@link #close()} would refuse for good. Like {@link #close()},
     * later sends and reaps throw {@link IllegalStateException}, and the library keeps neither this object nor the
     * buffers reachable any more. It makes no system call: the descriptor may be closed, and its number another
     * socket's by now. Call it once the socket is closed, or will be without its error queue being read again; on a
     * socket still in use the completions still come, to a queue nothing reads.
     *
     * <p>What it promises. The memory stays safe: a zero-copy send hands the kernel the buffer's pages, not just its
     * address; Linux takes references of its own to those pages and holds them until it frees the data, whatever
     * the process does with its memory meanwhile (a send it copied holds nothing of the buffer). So from the return
     * on, freeing a buffer (dropping the last reference to it) or writing into it harms neither the JVM nor the
     * kernel, which only ever reads those pages.
     *
     * <p>What it does not promise: that the kernel is done with the bytes. It may read them after the close, and
     * reads them as they are then: TCP goes on sending a closed socket's unsent data, and resending what the peer has
     * not acknowledged, until the peer acknowledges it or the connection gives up (minutes, at worst); a datagram may
     * still wait in a device's queue. Whatever is written into that memory meanwhile, by the caller reusing a buffer
     * or by any code the allocator gives the freed memory to, may reach the peer in place of the bytes sent: a
     * corrupt stream, and other data of the process shown to the peer. An abortive close ({@code SO_LINGER} on with
     * a 0 s timeout, then {@code close}) discards a TCP socket's unsent and unacknowledged data at once (a packet a
     * device already holds still goes). Otherwise, where that risk matters, keep the buffers referenced and unwritten
     * until the connection is surely over.
     *
     * @param held receives each buffer still in flight, once for each lot of sends from it (see the class
     *     description), in no set order; the caller decides what becomes of it
     *     (see above). If it throws, an {@link Error} too, the other buffers are still handed to it, then the first
     *     throwable is thrown, with later ones suppressed; this object is ended either way
     * @return the number of sends given up: those in flight; 0 when none was, which makes this {@link #close()}, and
     *     when this object was closed or abandoned already
     * @throws IllegalStateException when another thread is in a call with this object (nothing is ended then)
     */
    public int abandon(Consumer<ByteBuffer> held) {
        Objects.requireNonNull(held, "held");
        if (closed) {
            return 0;
        }
        enter(); // so that no send is between the kernel taking its buffer and counting it
        int given = count;
        Throwable failed = null;
        try {
            closed = true; // first: a call from held finds this object ended
            letGo();
            for (int slot = 0; slot < inFlight.length; slot++) {
                ByteBuffer b = inFlight[slot];
                if (b == null) {
                    continue;
                }
                inFlight[slot] = null;
                count--;
                if (earlier[slot] < 0) { // a chain's buffer once, by its first send still in flight
                    failed = handBack(held, b, failed); // the rest must still be handed over: nothing else will
                }
            }
            Arrays.fill(earlier, -1);
            Arrays.fill(later, -1);
            chainTail = -1;
            displaced = 0;
        } finally {
            leave();
        }
        if (failed != null) {
            throw ZerocopySends.<RuntimeException>rethrow(failed);
        }
        return given;
    }

    /**
     * Gives {@code b} to {@code to}; returns what the loop has to throw once every buffer is handed on: {@code failed},
     * or what {@code to} threw (an {@link Error} too), the later ones suppressed by the first (the same one thrown
     * again cannot suppress itself).
     */
    private static Throwable handBack(Consumer<ByteBuffer> to, ByteBuffer b, Throwable failed) {
        try {
            to.accept(b);
            return failed;
        } catch (Throwable t) {
            if (failed == null) {
                return t;
            }
            if (t != failed) {
                failed.addSuppressed(t);
            }
            return failed;
        }
    }
}

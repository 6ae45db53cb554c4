// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A reusable array of C's {@code struct pollfd} for {@code poll(2)}: built once, polled many times. The entries
 * live in native memory laid out with the platform's own {@code sizeof(struct pollfd)} and field offsets (read
 * from the compiled headers), and the kernel reads and writes them in place, so {@link #poll(int)} and
 * {@link #tryPoll(int)} allocate nothing.
 *
 * <pre>{@code
 * PollSet set = new PollSet(1);
 * int i = set.add(fd, Posix.POLLOUT);
 * if (set.poll(1000) > 0 && set.isReady(i, Posix.POLLOUT)) { ... }
 * }</pre>
 *
 * <p>C semantics: an entry with a negative descriptor is ignored by the kernel (its {@code revents} become 0),
 * which is how C code switches one off; {@link Posix#POLLERR}, {@link Posix#POLLHUP} and {@link Posix#POLLNVAL}
 * are reported whether asked for or not; a timeout of 0 returns at once and a negative one waits without limit.
 * A call interrupted by a signal ({@code EINTR}) is made again with the time that is left of the timeout, so it
 * never waits longer in total than asked. A set is not safe for use by several threads at once.
 *
 * <p>Its entries take {@code capacity} times {@code sizeof(struct pollfd)} bytes of direct memory (8 on Linux and
 * NetBSD; 8 MiB at {@link #MAX_CAPACITY}), freed when the set is collected, as a direct buffer's are: a set is made
 * to be built once and kept, not made per call.
 */
public final class PollSet {
    private static final int SIZE = Platform.value("SIZEOF_POLLFD");
    private static final int FD = Platform.value("OFFSETOF_POLLFD_FD");
    private static final int EVENTS = Platform.value("OFFSETOF_POLLFD_EVENTS");
    private static final int REVENTS = Platform.value("OFFSETOF_POLLFD_REVENTS");
    private static final String[] EVENT_NAMES = {"POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL",
        "POLLRDHUP", "POLLRDNORM", "POLLRDBAND", "POLLWRNORM", "POLLWRBAND"};
    private static final int[] EVENT_BITS = {Posix.POLLIN, Posix.POLLPRI, Posix.POLLOUT, Posix.POLLERR,
        Posix.POLLHUP, Posix.POLLNVAL, Posix.POLLRDHUP, Posix.POLLRDNORM, Posix.POLLRDBAND, Posix.POLLWRNORM,
        Posix.POLLWRBAND};

    /** The most entries a set may have (the kernel limits it further by {@code RLIMIT_NOFILE}, with {@code EINVAL}). */
    public static final int MAX_CAPACITY = 1 << 20;

    private final ByteBuffer fds;
    private final int capacity;
    private int size;

    /**
     * An empty set with room for {@code capacity} descriptors. A set of none, polled, is C's
     * {@code poll(NULL, 0, timeout)}: a wait of {@code timeout} milliseconds that a signal's handler ends early in C
     * (here it is waited out, {@code EINTR} being retried).
     *
     * @param capacity the most entries the set can hold, 0..{@value #MAX_CAPACITY}
     * @throws IllegalArgumentException when {@code capacity} is outside 0..{@value #MAX_CAPACITY}
     * @throws UnsupportedOperationException when posix-send cannot work in this JVM (see {@link Posix#isAvailable()})
     */
    public PollSet(int capacity) {
        Backends.requireAvailable();
        if (capacity < 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity " + capacity + " is outside 0.." + MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.fds = ByteBuffer.allocateDirect(capacity * SIZE).order(ByteOrder.nativeOrder());
    }

    /** {@return how many entries the set holds} */
    public int size() {
        return size;
    }

    /** {@return the most entries it can hold} */
    public int capacity() {
        return capacity;
    }

    /** Removes every entry. */
    public void clear() {
        size = 0;
    }

    /**
     * Appends an entry asking for {@code events} on {@code fd}; its {@code revents} start at 0.
     *
     * @param fd the descriptor; a negative one makes an entry the kernel ignores
     * @param events the {@code POLL*} events asked for, such as {@link Posix#POLLIN}{@code  | }{@link Posix#POLLOUT}
     * @return the entry's index
     * @throws IllegalStateException when the set is full
     * @throws IllegalArgumentException when {@code events} does not fit C's {@code short}: 16 bits, written from 0
     *     to {@code 0xffff}, or as a Java {@code short} ({@code -0x8000} to -1 for the same bit patterns)
     * @throws UnsupportedOperationException when {@code events} is {@link Posix#UNSUPPORTED}
     */
    public int add(int fd, int events) {
        if (size == capacity) {
            throw new IllegalStateException("poll set full: it was made for " + capacity
                    + (capacity == 1 ? " entry" : " entries"));
        }
        int i = size;
        write(i, fd, checkEvents(events));
        size++;
        return i;
    }

    /**
     * Removes entry {@code index} as C compacts its array, {@code fds[index] = fds[--nfds]}: the last entry moves into
     * its place, {@code revents} and all, and the set holds one entry fewer. A loop over the entries that removes one
     * therefore looks at {@code index} again, as the C loop does.
     *
     * @param index an entry's index, 0 to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when there is no entry {@code index}
     */
    public void remove(int index) {
        Objects.checkIndex(index, size);
        int last = --size;
        if (index != last) {
            fds.put(index * SIZE, fds, last * SIZE, SIZE);
        }
    }

    /**
     * Replaces entry {@code index} with {@code fd} and {@code events}; {@code revents} become 0.
     *
     * @param index an entry's index, 0 to {@link #size()} - 1
     * @param fd the descriptor; a negative one makes an entry the kernel ignores
     * @param events the {@code POLL*} events asked for
     * @throws IndexOutOfBoundsException when there is no entry {@code index}
     * @throws IllegalArgumentException when {@code events} does not fit C's {@code short}: 16 bits, written from 0
     *     to {@code 0xffff}, or as a Java {@code short} ({@code -0x8000} to -1 for the same bit patterns)
     * @throws UnsupportedOperationException when {@code events} is {@link Posix#UNSUPPORTED}
     */
    public void set(int index, int fd, int events) {
        Objects.checkIndex(index, size);
        write(index, fd, checkEvents(events));
    }

    /**
     * Changes the events entry {@code index} asks for.
     *
     * @param index an entry's index, 0 to {@link #size()} - 1
     * @param events the {@code POLL*} events asked for
     * @throws IndexOutOfBoundsException when there is no entry {@code index}
     * @throws IllegalArgumentException when {@code events} does not fit C's {@code short}: 16 bits, written from 0
     *     to {@code 0xffff}, or as a Java {@code short} ({@code -0x8000} to -1 for the same bit patterns)
     * @throws UnsupportedOperationException when {@code events} is {@link Posix#UNSUPPORTED}
     */
    public void setEvents(int index, int events) {
        Objects.checkIndex(index, size);
        fds.putShort(index * SIZE + EVENTS, (short) checkEvents(events));
    }

    /**
     * {@return the descriptor of entry {@code index}}
     *
     * @param index an entry's index, 0 to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when there is no entry {@code index}
     */
    public int fd(int index) {
        Objects.checkIndex(index, size);
        return fds.getInt(index * SIZE + FD);
    }

    /**
     * {@return the events entry {@code index} asks for}
     *
     * @param index an entry's index, 0 to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when there is no entry {@code index}
     */
    public int events(int index) {
        Objects.checkIndex(index, size);
        return fds.getShort(index * SIZE + EVENTS) & 0xffff;
    }

    /**
     * {@return the events the last poll reported for entry {@code index} ({@code revents}), 0 before any poll}
     *
     * @param index an entry's index, 0 to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when there is no entry {@code index}
     */
    public int revents(int index) {
        Objects.checkIndex(index, size);
        return fds.getShort(index * SIZE + REVENTS) & 0xffff;
    }

    /**
     * Events as C would write them, for example {@code POLLIN|POLLHUP|POLLRDHUP}: the names of the running platform's
     * {@code POLL*} events that {@code events} holds ({@link Posix#POLLIN}, {@link Posix#POLLPRI},
     * {@link Posix#POLLOUT}, {@link Posix#POLLERR}, {@link Posix#POLLHUP}, {@link Posix#POLLNVAL}, the normal-data
     * and band bits {@link Posix#POLLRDNORM}, {@link Posix#POLLRDBAND}, {@link Posix#POLLWRNORM},
     * {@link Posix#POLLWRBAND} and, where it exists, {@link Posix#POLLRDHUP}), joined by {@code |}, then any bits
     * left over in hex.
     *
     * @param events an {@code events} or {@code revents} value
     * @return the names; {@code 0} for none
     */
    public static String eventsToString(int events) {
        StringBuilder sb = new StringBuilder();
        int left = events;
        for (int k = 0; k < EVENT_NAMES.length; k++) {
            int bit = EVENT_BITS[k];
            if (bit != Platform.UNSUPPORTED && bit != 0 && (left & bit) == bit) {
                sb.append(sb.length() == 0 ? "" : "|").append(EVENT_NAMES[k]);
                left &= ~bit;
            }
        }
        if (left != 0) {
            sb.append(sb.length() == 0 ? "" : "|").append("0x").append(Integer.toHexString(left));
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    /**
     * {@return true when the last poll reported any of the events of {@code mask} for entry {@code index}}
     *
     * @param index an entry's index, 0 to {@link #size()} - 1
     * @param mask the {@code POLL*} events to look for
     * @throws IndexOutOfBoundsException when there is no entry {@code index}
     */
    public boolean isReady(int index, int mask) {
        return (revents(index) & mask) != 0;
    }

    /**
     * {@code poll(2)} over the set's entries: waits until one is ready or {@code timeoutMillis} have passed
     * (0: returns at once; negative: no limit), then each entry's {@link #revents(int)} tells what happened.
     *
     * @param timeoutMillis the most milliseconds to wait; 0 for none, negative for no limit
     * @return the number of entries with events, 0 when the time ran out
     * @throws ErrnoException for a kernel error, for example {@code EINVAL} when the set is larger than the
     *     process may have descriptors
     */
    public int poll(int timeoutMillis) throws ErrnoException {
        int r = tryPoll(timeoutMillis);
        if (r < 0) {
            throw ErrnoException.of("poll", -r);
        }
        return r;
    }

    /**
     * {@link #poll(int)} without exceptions for kernel errors. Allocates nothing.
     *
     * @param timeoutMillis the most milliseconds to wait; 0 for none, negative for no limit
     * @return the number of entries with events, 0 when the time ran out, or {@code -errno}
     */
    public int tryPoll(int timeoutMillis) {
        return ChosenBackend.get().poll(fds, size, timeoutMillis);
    }

    private void write(int index, int fd, int events) {
        int base = index * SIZE;
        fds.putInt(base + FD, fd);
        fds.putShort(base + EVENTS, (short) events);
        fds.putShort(base + REVENTS, (short) 0);
    }

    private static int checkEvents(int events) {
        if (events == Posix.UNSUPPORTED) {
            Backends.requireAvailable();
            throw new UnsupportedOperationException("poll: an event it was given is not defined on " + Platform.os());
        }
        if ((events & ~0xffff) != 0 && (short) events != events) {
            throw new IllegalArgumentException("events 0x" + Integer.toHexString(events) + " do not fit a short");
        }
        return events;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PollSet[");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append("fd ").append(fd(i)).append(" events ")
                    .append(eventsToString(events(i))).append(" revents ").append(eventsToString(revents(i)));
        }
        return sb.append(']').toString();
    }
}

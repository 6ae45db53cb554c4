// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.MessagePlan;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Up to {@value #MAX_MESSAGES} {@link Message}s for one {@link Posix#sendmmsg} or {@link Posix#recvmmsg} call, the
 * Java side of C's {@code struct mmsghdr[]}. Each message keeps its own destination, buffers and control messages,
 * so a batch can address every datagram to a different receiver.
 *
 * <p>Build it once and refill it cheaply ({@link #clear()}, {@link #add(Message)}). After a call,
 * {@link #sentCount()}, {@link #bytesSent(int)} and {@link #sentWhole(int)} tell how many messages went, how many
 * bytes of each and whether each went whole, and
 * every sent message's buffer positions have advanced by its bytes (a buffer messages share: see below).
 * {@link #removeSent()} drops the messages sent
 * whole so that the next call sends the rest. With reused messages and direct buffers, repeated calls
 * allocate nothing. A batch received into again with nothing changed (the same messages and buffers, each buffer's
 * position and limit where the last call found them, as after {@code clear()}) reuses what that call described to
 * the kernel and only checks each buffer, which makes a receive loop over one batch cheaper per message. So does a
 * batch sent again with nothing changed: the same messages, buffers, destinations and control messages, each
 * buffer's position and limit where the last send found them (as after {@link #rewind()}, or {@code clear()} of
 * buffers that were full), and no heap buffer, whose bytes are copied at every call. The bytes are the buffers' own
 * at every call either way: only their description is reused.
 *
 * <p>C's {@code vlen}: {@link Posix#sendmmsg(int, MessageBatch, int, int)}, {@link Posix#recvmmsg(int, MessageBatch,
 * int, int)} and their other forms give the kernel messages {@code 0..vlen-1} only, as C's calls read only the first
 * {@code vlen} entries of their vector, so that a loop that sends what is ready of up to N messages, or receives into
 * the first free ones, keeps one batch and changes only the count. The messages from {@code vlen} on are left as they
 * were: their positions, where {@link Message#rewind()} puts them back, received flags, sources and control messages;
 * {@link #sentCount()}, {@link #bytesSent(int)}, {@link #receivedCount()} and {@link #bytesReceived(int)} count the
 * messages the call used. The reuse above holds with them: a call looks only at the messages it gives the kernel, and
 * describes nothing when those are as described, whatever {@code vlen} the call before had. When one of them changed,
 * the call describes the whole batch again, so that a later call with another {@code vlen} finds every message
 * described: each message is then checked as for a call of the whole batch (open; for a receive, no read-only buffer
 * and no message twice; the heap bytes of all within the staging capacity), but heap bytes are copied in only for the
 * messages the call uses.
 *
 * <p>C's {@code msgs + off}: {@link Posix#sendmmsgAt}, {@link Posix#recvmmsgAt} and their other forms give the kernel
 * messages {@code off..off+vlen-1}, as C hands its calls a vector from its {@code off}th entry, so that a sender whose
 * {@code sendmmsg} stopped early (5 of 16 sent, then {@code EAGAIN}) goes on from the first message not sent and keeps
 * its batch for the next burst, as C keeps its vector. Everything said of {@code vlen} above holds for that range: the
 * messages outside it are left as they were, the reuse looks only at the messages in it (a loop over an unchanged
 * batch, from offset 0 to its size and again after {@link #rewind()}, describes it once), and the results are by
 * message index: {@link #bytesSent(int)} and {@link #bytesReceived(int)} of {@code off..off+count-1}, 0 for the others,
 * {@link #sentCount()} and {@link #receivedCount()} how many there were. {@link #removeSent()} removes the messages the
 * last call sent whole wherever they were.
 *
 * <p>Messages may share a buffer object (one header before each message's payload, as C points every entry's first
 * {@code iovec} at one header), and a send batch may hold a message twice. After a send, each buffer of the call's
 * messages not sent is back where the call found it, shared ones included, so that the send resumed from the first
 * not sent ({@link Posix#sendmmsgAt}) sends each whole; a shared buffer that no such message holds stays where the
 * messages sent left it, also for a message outside the call's range. On a stream socket the last message sent may
 * have gone in part ({@link #sentWhole} false): the buffers it holds keep its place, shared ones too, so resume from
 * that message, not after it; a later message that shares one of them then finds it moved, so give the messages of a
 * stream batch buffers of their own ({@code duplicate()}). A message sent whole may so have bytes remaining again:
 * {@link #sentWhole}, not {@code remaining()}, tells where to resume. A message lists a buffer object once
 * ({@link Message#add}).
 *
 * <p>Heap buffers are copied to native memory for the call; the batch's staging capacity bounds how many heap
 * bytes all its messages may hold together (direct buffers do not count). A batch is not safe for use by
 * several threads at once: a call, or a change of its list, that finds another thread's call under way with it
 * throws {@link IllegalStateException}. A receive needs a message per datagram: a batch that holds one message twice
 * is refused with {@link IllegalArgumentException} ({@code sendmmsg} may send one twice). Close it when done to free
 * its native memory at once.
 */
public final class MessageBatch implements AutoCloseable {
    /** The most messages one {@code sendmmsg} call takes (the kernel's {@code UIO_MAXIOV}). */
    public static final int MAX_MESSAGES = MessagePlan.MAX_MESSAGES;
    /** The staging capacity of {@link #MessageBatch(int)}. */
    public static final int DEFAULT_STAGING_CAPACITY = 1 << 20;

    /** Marks that tell a message met twice while encoding a receive ({@link Message#markForReceive}). */
    private static final AtomicLong RECEIVE_MARKS = new AtomicLong();

    private final Message[] messages;
    private final long[] sent;
    /** Whether the last send took each message's bytes whole ({@link #sentWhole}), where sent[] holds its results. */
    private final boolean[] wentWhole;
    private final long[] received;
    private int receivedCount;
    private final long stagingCapacity;
    private final MessagePlan plan = new MessagePlan("message batch");
    /**
     * After a receive: the plan's generation and each message's encoding stamp as that receive left them, so that
     * the next receive into unchanged messages uses the plan as it is; -1 generation when the list changed since.
     */
    private long receivePlanGeneration = -1;
    private final int[] receiveEncodings;
    /** The same for the last send, which a send with unchanged messages uses again (see {@link #asEncoded}). */
    private long sendPlanGeneration = -1;
    private final int[] sendEncodings;
    /**
     * After the plan's last encoding: at {@code [i]}, how many direct buffers messages {@code 0..i-1} listed and how
     * many of their iovs are staged, so that a call with C's {@code off} and {@code vlen} checks only what the kernel
     * is given ({@link MessagePlan#requireListedMemory(int, int, int)}). Whichever encoding came last is the plan's,
     * and a call uses the plan as encoded only when its generation is still that encoding's.
     */
    private final int[] listedBy;
    private final int[] stagedBy;
    private int size;
    private int sentCount;
    /** The first message the last send gave the kernel (its {@code off}): sent[] holds its results from there. */
    private int sentFrom;
    /** The same for the last receive: received[] holds its results from here. */
    private int receivedFrom;

    /**
     * A batch for up to {@code capacity} messages with the default staging capacity for heap bytes.
     *
     * @param capacity the most messages, 1..{@value #MAX_MESSAGES}
     * @throws IllegalArgumentException when {@code capacity} is outside 1..{@value #MAX_MESSAGES}
     */
    public MessageBatch(int capacity) {
        this(capacity, DEFAULT_STAGING_CAPACITY);
    }

    /**
     * A batch for up to {@code capacity} messages whose heap buffers hold at most {@code stagingCapacity}
     * bytes in all.
     *
     * @param capacity the most messages, 1..{@value #MAX_MESSAGES}
     * @param stagingCapacity the most heap bytes all messages may hold together, 0 or more
     * @throws IllegalArgumentException when {@code capacity} is outside 1..{@value #MAX_MESSAGES} or
     *     {@code stagingCapacity} is negative
     */
    public MessageBatch(int capacity, int stagingCapacity) {
        Backends.requireAvailable();
        if (capacity < 1 || capacity > MAX_MESSAGES) {
            throw new IllegalArgumentException("a batch holds 1.." + MAX_MESSAGES + " messages, not " + capacity);
        }
        if (stagingCapacity < 0) {
            throw new IllegalArgumentException("staging capacity " + stagingCapacity + " is negative");
        }
        this.messages = new Message[capacity];
        this.sent = new long[capacity];
        this.wentWhole = new boolean[capacity];
        this.received = new long[capacity];
        this.receiveEncodings = new int[capacity];
        this.sendEncodings = new int[capacity];
        this.listedBy = new int[capacity + 1];
        this.stagedBy = new int[capacity + 1];
        this.stagingCapacity = stagingCapacity;
    }

    /**
     * Appends a message. The batch keeps a reference: changes to the message before the call are sent.
     *
     * @param m the message
     * @return this batch
     * @throws NullPointerException when {@code m} is null
     * @throws IllegalStateException when the batch is full
     * @throws IllegalArgumentException when the message's heap buffers alone exceed the staging capacity
     * @throws IllegalStateException when another thread is in a call with this batch
     */
    public MessageBatch add(Message m) {
        Objects.requireNonNull(m, "message");
        if (size == messages.length) {
            throw new IllegalStateException("the batch is full: it holds " + messages.length
                    + (messages.length == 1 ? " message" : " messages"));
        }
        long heap = m.heapBytes();
        if (heap > stagingCapacity) {
            throw new IllegalArgumentException("the message holds " + heap + " heap bytes, more than the batch's "
                    + "staging capacity of " + stagingCapacity + "; use direct buffers or a larger capacity");
        }
        boolean taken = plan.beginChange();
        try {
            messages[size++] = m;
            listChanged();
        } finally {
            plan.endChange(taken);
        }
        return this;
    }

    /**
     * Removes every message (they are not closed).
     *
     * @return this batch
     * @throws IllegalStateException when another thread is in a call with this batch
     */
    public MessageBatch clear() {
        boolean taken = plan.beginChange();
        try {
            for (int i = 0; i < size; i++) {
                messages[i] = null;
            }
            size = 0;
            sentCount = 0;
            sentFrom = 0;
            receivedCount = 0;
            receivedFrom = 0;
            listChanged();
        } finally {
            plan.endChange(taken);
        }
        return this;
    }

    /**
     * Puts the buffer positions of every message back where the last call found them ({@link Message#rewind()}),
     * so that the next {@code sendmmsg} sends the same bytes again, or the next {@code recvmmsg} receives into the
     * same room (a receive advances each position by what it took, where C's {@code iovec}s stay put); a message
     * that a call's {@code vlen} (or {@code off}) left out goes back where the last call that used it found it.
     * Without it, a batch sent in full and sent again sends empty datagrams: each call takes each buffer from its
     * position, which the last call advanced to its limit, as C's own {@code iovec}s would have to be reset by hand.
     * Only positions move: a buffer {@code flip()}ped to read what a receive brought keeps its shorter limit, and the
     * next receive into it stops there ({@code MSG_TRUNC}); {@link #clearEachBuffer()} is the reset a receive loop
     * wants.
     *
     * @return this batch
     */
    public MessageBatch rewind() {
        for (int i = 0; i < size; i++) {
            messages[i].rewind();
        }
        return this;
    }

    /**
     * {@code clear()}s every buffer of every message ({@link Message#clearEachBuffer()}): before the next
     * {@code recvmmsg}, each buffer's whole capacity is offered again, as a C receive loop resets each
     * {@code iov_len}. Allocates nothing.
     *
     * @return this batch
     */
    public MessageBatch clearEachBuffer() {
        for (int i = 0; i < size; i++) {
            messages[i].clearEachBuffer();
        }
        return this;
    }

    /**
     * {@return how many messages the last {@link Posix#recvmmsg} filled (0 before it and after one the kernel failed; a
     * call refused before the system call, with an exception, leaves the count as it was)} After a call from an offset
     * ({@link Posix#recvmmsgAt}) they are messages {@code off..off+count-1}.
     */
    public int receivedCount() {
        return receivedCount;
    }

    /**
     * The bytes the last {@link Posix#recvmmsg} put into message {@code i} ({@code msg_len}), as C reads it: when
     * that call was given the flag {@code MSG_TRUNC} on a datagram socket, the datagram's real length, which may
     * exceed what the buffers took (their positions advance by what they took); without the flag, what the buffers
     * took, and a datagram cut short says so in its message's {@link Message#truncated()}. {@code i} is the message's
     * index in the batch whatever offset the call had: after {@link Posix#recvmmsgAt} from {@code off}, the messages
     * filled are {@code off..off+}{@link #receivedCount()}{@code -1}.
     *
     * @param i the message's index, 0 to {@link #size()} - 1
     * @return the count for message {@code i}; 0 for messages it did not fill (those outside the call's range too)
     * @throws IndexOutOfBoundsException when there is no message {@code i}
     */
    public long bytesReceived(int i) {
        Objects.checkIndex(i, size);
        return resultAt(received, i, receivedFrom, receivedCount);
    }

    /** Result {@code i} of a call that wrote {@code results[from..from+count-1]}; 0 for a message it left out. */
    private static long resultAt(long[] results, int i, int from, int count) {
        return i - from >= 0 && i - from < count ? results[i] : 0;
    }

    /**
     * Removes the messages the last call sent whole, so that the next call starts with the first one it did not send
     * whole: on a stream socket, the message the kernel stopped inside stays, first, its buffers' positions where the
     * kernel stopped ({@link #sentWhole}). After a call from an offset ({@link Posix#sendmmsgAt}) the messages sent
     * are {@code off..off+}{@link #sentCount()}{@code -1}, and the messages after those removed move down to
     * {@code off}. The batch is then described again at its next call, where a loop that goes on from an offset
     * ({@link Posix#trySendmmsgAt}) keeps it as it is.
     *
     * @return this batch
     * @throws IllegalStateException when another thread is in a call with this batch
     */
    public MessageBatch removeSent() {
        boolean taken = plan.beginChange();
        try {
            int from = sentFrom;
            int n = 0;
            while (n < sentCount && wentWhole[from + n]) {
                n++; // Linux stops at a message that went in part; up to the first, whatever a kernel did after it
            }
            System.arraycopy(messages, from + n, messages, from, size - from - n);
            for (int i = size - n; i < size; i++) {
                messages[i] = null;
            }
            size -= n;
            sentCount = 0;
            sentFrom = 0;
            listChanged();
        } finally {
            plan.endChange(taken);
        }
        return this;
    }

    /**
     * {@return whether the last call sent message {@code i} whole: every byte its buffers held when the call began}
     * False for a message the call did not send. On a datagram socket every message sent goes whole. On a stream
     * socket the last message sent may have gone in part, as C tells by comparing its {@code msg_len} with the sum of
     * its {@code iov_len}s: a send resumed from it goes on where the kernel stopped. This, not the message's
     * {@code remaining()}, is the test once messages share a buffer: after the call, each message not sent has the
     * buffers it shares with the messages sent back at its start ({@link MessageBatch}), so a message sent whole may
     * have bytes remaining again.
     *
     * @param i the message's index, 0 to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when there is no message {@code i}
     */
    public boolean sentWhole(int i) {
        Objects.checkIndex(i, size);
        return i - sentFrom >= 0 && i - sentFrom < sentCount && wentWhole[i];
    }

    /** {@return the number of messages in the batch} */
    public int size() {
        return size;
    }

    /** {@return the most messages this batch holds} */
    public int capacity() {
        return messages.length;
    }

    /**
     * {@return message {@code i}}
     *
     * @param i the index, 0 to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when there is no message {@code i}
     */
    public Message get(int i) {
        Objects.checkIndex(i, size);
        return messages[i];
    }

    /**
     * {@return how many messages the last call sent (0 before the first call and after one the kernel failed; a call
     * refused before the system call, with an exception, leaves the count as it was)} After a call from an offset
     * ({@link Posix#sendmmsgAt}) they are messages {@code off..off+count-1}.
     */
    public int sentCount() {
        return sentCount;
    }

    /**
     * {@return the bytes the last call sent of message {@code i} ({@code msg_len}); 0 for messages it did not send}
     * {@code i} is the message's index in the batch whatever offset the call had: after {@link Posix#sendmmsgAt} from
     * {@code off}, the messages sent are {@code off..off+}{@link #sentCount()}{@code -1}, and the others, before
     * {@code off} too, answer 0, as those past {@code vlen} do.
     *
     * @param i the message's index, 0 to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when there is no message {@code i}
     */
    public long bytesSent(int i) {
        Objects.checkIndex(i, size);
        return resultAt(sent, i, sentFrom, sentCount);
    }

    /**
     * Releases the native memory this batch holds for its calls, at once (or when a call under way on another thread
     * returns); later calls with it throw {@link IllegalStateException}. Its messages are not closed: they are
     * the caller's. Calling it again does nothing.
     */
    @Override
    public void close() {
        plan.close();
    }

    /**
     * How many messages a call gives the kernel: the whole batch, or C's {@code vlen} from {@code off} (0 for the
     * forms without one), checked against the size as it is in the call (read with the plan taken, so that no change
     * of the list comes between the check and the call); {@code off + vlen} is not summed, so that it cannot overflow.
     */
    private int used(boolean whole, int off, int vlen, String call) {
        if (whole) {
            return size;
        }
        if (off == 0 && (vlen < 0 || vlen > size)) {
            throw new IllegalArgumentException(call + ": vlen " + vlen + " is outside 0.." + size
                    + ", the batch's size");
        }
        if (off < 0 || vlen < 0 || off > size - vlen) {
            throw new IllegalArgumentException(call + ": off " + off + " and vlen " + vlen + " are not a range of the "
                    + "batch's " + size + " messages (0 <= off, 0 <= vlen, off + vlen <= " + size + ")");
        }
        return vlen;
    }

    /**
     * A {@code sendmmsg} of the whole batch ({@code whole}, with {@code off} 0), or of its {@code vlen} messages from
     * {@code off} (0 for the forms without one).
     */
    int send(Backend b, int fd, boolean whole, int off, int vlen, int flags) {
        plan.acquire();
        try {
            int n = used(whole, off, vlen, "sendmmsg");
            if (size == 1 && n == 1 && messages[0].sendsUnplanned()) {
                // a batch of one that needs no plan: the sendmmsg of that message built from arguments, as its own
                // sendmsg would be, since writing and reading a plan would cost more than the call (written out here
                // to keep the call levels to the system call few: LibcMessages.sendmsgDirect says why). Not for the
                // first of a larger batch: it notes the message's positions afresh, so the plan would no longer
                // describe it and the next call with another vlen would encode the whole batch again
                Message m = messages[0];
                try {
                    m.requireOpen(); // as encoding it into the plan would
                } catch (IllegalStateException e) {
                    throw closedMessage(e, "sendmmsg");
                }
                long r = m.sendUnplanned(b, fd, flags, true);
                sentFrom = 0;
                if (r <= 0) {
                    sentCount = 0;
                    return (int) r;
                }
                sentCount = 1;
                sent[0] = r - 1;
                wentWhole[0] = m.advance(r - 1);
                return 1;
            }
            int end = off + n;
            try {
                if (!asEncoded(sendPlanGeneration, sendEncodings, off, end, true)) {
                    sendPlanGeneration = -1;
                    encode(false, false, off, end, sendEncodings);
                    sendPlanGeneration = plan.generation();
                }
            } catch (IllegalStateException e) {
                throw closedMessage(e, "sendmmsg");
            }
            Posix.refuseHeapZerocopy("sendmmsg", flags, !plan.requireListedMemory(listedBy[off], listedBy[end],
                    stagedBy[end] - stagedBy[off]));
            int r = b.sendmmsg(fd, plan, off, n, flags);
            sentFrom = off;
            sentCount = Math.max(0, Math.min(r, n));
            boolean allWhole = true;
            for (int i = off; i < off + sentCount; i++) {
                long len = plan.outLen(i);
                sent[i] = len;
                wentWhole[i] = messages[i].advance(len);
                allWhole &= wentWhole[i];
            }
            if (sentCount > 0) {
                // a buffer a sent message shares with one not sent (a common header, the same message twice) was
                // moved by the sent one's advance: the one not sent gets its start back, so a send resumed from it
                // sends it whole, as C's untouched iovecs would
                for (int i = off + sentCount; i < end; i++) {
                    messages[i].advance(0);
                }
                if (!allWhole) {
                    // a stream send that stopped inside a message: where it stopped wins in the buffers that message
                    // holds, as the send resumed from it needs
                    for (int i = off; i < off + sentCount; i++) {
                        if (!wentWhole[i]) {
                            messages[i].advance(sent[i]);
                        }
                    }
                }
            }
            return r;
        } finally {
            plan.release();
        }
    }

    /**
     * Writes every message into the plan, as sent ({@code receive} false) or as room to receive into, staged buffers
     * copied in first when {@code truncating} ({@link Message#encodeReceive}), each message's stamp as its encoding
     * took it into {@code encodings}, for {@link #asEncoded}. The whole batch is encoded whatever
     * the call's {@code off} and {@code vlen}, so that a later call with others finds it encoded; only the messages
     * {@code from..to-1} the call gives the kernel have their staged bytes copied in: a send that gives the kernel a
     * message with staged bytes encodes the plan again, and so does every truncating receive, so the others' room is
     * filled by the call that uses them.
     */
    private void encode(boolean receive, boolean truncating, int from, int to, int[] encodings) {
        int iovs = 0;
        int cmsgs = 0;
        long data = 0;
        long heap = 0;
        long mark = receive ? RECEIVE_MARKS.incrementAndGet() : 0;
        for (int i = 0; i < size; i++) {
            Message m = messages[i];
            if (receive && !m.markForReceive(mark)) {
                // the second datagram would overwrite the first's results, descriptors it carried included
                throw new IllegalArgumentException("message " + i + " is in the batch twice: a receive needs a "
                        + "message per datagram");
            }
            iovs = Math.addExact(iovs, m.bufferCount());
            cmsgs = Math.addExact(cmsgs, receive ? m.receiveRecords() : m.sendRecords());
            data += receive ? m.receiveDataBytes() : m.sendDataBytes();
            heap += m.heapBytes();
        }
        if (heap > stagingCapacity) {
            throw new IllegalArgumentException("the batch's messages hold " + heap + " heap bytes, more than its "
                    + "staging capacity of " + stagingCapacity + "; use direct buffers or a larger capacity");
        }
        plan.begin(size, iovs, cmsgs, data);
        int iov = 0;
        int cmsg = 0;
        for (int i = 0; i < size; i++) {
            Message m = messages[i];
            boolean used = i >= from && i < to;
            // each message's stamp as its encoding took it: one that changes from then on is described again
            encodings[i] = receive ? m.encodeReceive(plan, i, iov, cmsg, truncating, used)
                    : m.encodeSend(plan, i, iov, cmsg, used);
            // after the records this encoding wrote, whatever the message's lists are by now
            cmsg += m.encodedRecords();
            iov += m.encodedIovs();
            listedBy[i + 1] = plan.listed();
            stagedBy[i + 1] = plan.stagedIovs();
        }
    }

    /**
     * {@code e}, thrown before a call reached the kernel, said of the batch when a message of it is closed (a
     * message's own refusal names neither the call nor the message); else {@code e} itself.
     */
    private IllegalStateException closedMessage(IllegalStateException e, String call) {
        for (int i = 0; i < size; i++) {
            if (messages[i].isClosed()) {
                return new IllegalStateException(call + ": message " + i + " of the batch is closed", e);
            }
        }
        return e;
    }

    /** The list of messages changed: the plan no longer describes it. */
    private void listChanged() {
        receivePlanGeneration = -1;
        sendPlanGeneration = -1;
    }

    /**
     * Whether the plan still holds this batch's last send ({@code send}) or receive, unchanged for the messages
     * {@code from..to-1} a call gives the kernel: the same messages (the list did not change), the plan not written or
     * freed since ({@code planGeneration}, noted after that call's encoding, with each message's stamp as that
     * encoding took it in {@code encodings}), and each of those messages as that call encoded it; for a send, with
     * no staged bytes ({@link Message#sendsAsEncoded}), and no staged record of them in the plan (counted per message
     * as it was encoded, in {@code stagedBy}): the room of a message a call left out was never filled, even when
     * another thread has since swapped its buffers for direct ones. A loop that rewinds or clears its buffers
     * between calls then writes no plan record again, only checks each buffer, and a backend that kept what it built
     * from the plan ({@link MessagePlan#generation()}) builds nothing again either. The messages outside the range
     * are not looked at: the kernel is not given them, and a later call that gives it them looks at them then.
     */
    private boolean asEncoded(long planGeneration, int[] encodings, int from, int to, boolean send) {
        if (planGeneration != plan.generation() || (send && stagedBy[to] != stagedBy[from])) {
            return false;
        }
        for (int i = from; i < to; i++) {
            Message m = messages[i];
            if (!(send ? m.sendsAsEncoded(encodings[i]) : m.asEncoded(encodings[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A {@code recvmmsg} into the whole batch ({@code whole}, with {@code off} 0), or into its {@code vlen} messages
     * from {@code off} (0 for the forms without one).
     */
    int receive(Backend b, int fd, boolean whole, int off, int vlen, int flags, long timeoutNanos) {
        plan.acquire();
        try {
            int n = used(whole, off, vlen, "recvmmsg");
            int end = off + n;
            // with MSG_TRUNC, staged buffers are copied in (a stream socket stores none of the bytes it counts)
            boolean truncating = (flags & MsgFlag.MSG_TRUNC.value()) != 0;
            try {
                if (truncating || !asEncoded(receivePlanGeneration, receiveEncodings, off, end, false)) {
                    receivePlanGeneration = -1;
                    encode(true, truncating, off, end, receiveEncodings);
                    receivePlanGeneration = plan.generation();
                }
            } catch (IllegalStateException e) {
                throw closedMessage(e, "recvmmsg");
            }
            // what a kept vector holds too, whatever the messages became since
            plan.requireListedMemory(listedBy[off], listedBy[end], stagedBy[end] - stagedBy[off]);
            int r = b.recvmmsg(fd, plan, off, n, flags, timeoutNanos);
            receivedFrom = off;
            receivedCount = Math.max(0, Math.min(r, n));
            Throwable failed = null;
            for (int i = off; i < off + receivedCount; i++) {
                long len = plan.outLen(i);
                received[i] = len;
                try {
                    Message m = messages[i];
                    boolean unchanged = m.stillEncodedAs(receiveEncodings[i]);
                    // flags, source and control (descriptors) are taken whatever happened to the buffer list
                    m.decodeReceive(plan, i, len, unchanged);
                    if (!unchanged) {
                        throw new IllegalStateException("recvmmsg: message " + i + " of the batch was changed by"
                                + " another thread during the call; of the " + len + " bytes it received, those for"
                                + " direct buffers are in the buffers it had then, those for heap buffers are lost,"
                                + " and none are in its new buffers");
                    }
                } catch (RuntimeException | Error e) {
                    // the later messages are taken all the same: their control messages may carry descriptors
                    if (failed == null) {
                        failed = e;
                    } else if (e != failed) { // the JVM may throw one OutOfMemoryError object again and again
                        try {
                            failed.addSuppressed(e);
                        } catch (Throwable ignored) {
                            // no memory to note it: the first failure is reported
                        }
                    }
                }
            }
            if (failed instanceof RuntimeException) {
                throw (RuntimeException) failed;
            }
            if (failed != null) {
                throw (Error) failed;
            }
            return r;
        } finally {
            plan.release();
        }
    }
}

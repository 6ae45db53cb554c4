// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.DirectBuffers;
import io.github.posixsend.internal.MessagePlan;
import io.github.posixsend.internal.Platform;
import io.github.posixsend.internal.RawControls;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import java.util.Objects;

/**
 * One message for {@link Posix#sendmsg} and {@link Posix#recvmsg}, the Java side of C's {@code struct msghdr}:
 * an optional address, a list of buffers (gathered when sending, scattered when receiving) and control
 * messages.
 *
 * <p>Build it once and reuse it: the buffers stay in the list, and each call takes each buffer's bytes from
 * its position to its limit as they are at the call, then advances the positions across the list as far as
 * the kernel went (a partial write on a stream leaves every position exactly where it stopped). With direct
 * buffers, a {@link SockAddr} destination and control messages built once, repeated calls allocate nothing; so do
 * replies whose destination and packet info change per datagram, copied into the message
 * ({@link #destination(SockAddrBuffer)}, {@link #pktinfo(int, byte[], int)}, {@link #replyFrom(PacketInfo)}).
 * Heap buffers are accepted too: their bytes are copied to native memory owned by the message, so the kernel
 * never blocks on the Java heap; so are a direct buffer's over a shared arena's segment (JDK 22 and later), which
 * another thread may close at any time (the copy into or out of it then throws {@link IllegalStateException}). A
 * buffer object is listed once ({@link #add} refuses it again; list a {@code duplicate()} to send the same bytes
 * twice).
 *
 * <p>The control space (default {@value #DEFAULT_CONTROL_SPACE} bytes) bounds the control messages: those
 * added for sending must fit in it together ({@code CMSG_SPACE} of each), and {@code recvmsg} offers the kernel
 * exactly this much room ({@code msg_controllen}); what does not fit is cut off and {@code MSG_CTRUNC} set.
 *
 * <p>After {@link Posix#recvmsg}, {@link #source()}, {@link #receivedFlags()} and {@link #receivedControl()}
 * tell what arrived. A message is not safe for use by several threads at once: a call that finds another
 * thread's call under way with the same message throws {@link IllegalStateException} (a {@link MessageBatch}'s
 * calls take the batch, not each message in it, so a message's own call and its batch's at once are not caught
 * before the kernel: a receive that returns to find the message changed or encoded by the other call throws it
 * after taking the flags, source and control messages), and changing a message (or its buffers' positions and
 * limits) while another thread sends or receives with it may send wrong bytes or make that call fail with an
 * unchecked exception of no particular kind, as any class not made for threads does, but never reaches memory the
 * message was not given. Two threads changing the buffer list at once may leave it holding a buffer object twice or
 * a null (every later call then throws {@link NullPointerException} until the list is set again). A send moves the
 * position only of a buffer the list has held at its index since the call found it there: should another thread
 * replace the buffers during the call (also with the same ones, as
 * {@link #buffers(ByteBuffer...)} empties the list first), the new ones sent nothing and stay where they are, and the
 * count returned is all that tells what went from the old ones.
 *
 * <p>A message holds native memory for its calls (a few KiB, more while it stages large heap buffers); close it
 * when done ({@link #close()}, or try-with-resources) to free that at once rather than when it is collected.
 * A direct buffer over a {@code java.lang.foreign} segment whose arena was closed is refused at the call with
 * {@link IllegalStateException}. A shared arena closed while another thread's call uses its buffer makes that call
 * throw {@link IllegalStateException} when it copies the bytes out (a receive), or sends the bytes the buffer held
 * (a send): its bytes are staged, so the kernel never touches the freed memory. Such a receive has taken the
 * datagram all the same: {@link #source()}, {@link #receivedFlags()} and {@link #receivedControl()} tell what arrived,
 * and descriptors it carried ({@code SCM_RIGHTS}) are the caller's to close, as after a receive that returned.
 */
public final class Message implements AutoCloseable {
    /** {@link #plan}, set once: two threads' first calls must share one plan, or its lock would not exclude them. */
    private static final VarHandle PLAN = planHandle();

    /** The control space of {@link #Message()}: room for {@code SCM_RIGHTS} with 253 descriptors and more. */
    public static final int DEFAULT_CONTROL_SPACE = 2048;
    /** The largest control space a message may have. */
    public static final int MAX_CONTROL_SPACE = MessagePlan.MAX_CONTROL_SPACE;

    private static final ByteBuffer[] NO_BUFFERS = {};
    private static final int SOCKADDR_STORAGE = Platform.value("SIZEOF_SOCKADDR_STORAGE");
    /** The words of a received address kept in fields (32 bytes: {@code sockaddr_in6} is 28). */
    private static final int SOURCE_WORDS = 4;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    /** {@code CMSG_SPACE(0)}: the least room one received control message takes. */
    private static final int CMSG_SPACE_0 = Platform.value("CMSG_SPACE_0");
    private static final int UNNAMED_LENGTH = Platform.value("SIZEOF_SOCKADDR_UN") - Platform.value("SIZEOF_SUN_PATH");
    /** {@link #pktinfoKind} when the message sends no packet info of its own. */
    private static final int NO_PKTINFO = -1;

    private final int controlSpace;
    private ByteBuffer[] buffers = new ByteBuffer[4];
    /** {@link #buffers(ByteBuffer...)}'s copy of the caller's array while it checks it; empty between calls. */
    private ByteBuffer[] taken = NO_BUFFERS;
    /** Finds a buffer object in the list, for {@link #add}'s refusal of one listed twice. */
    private final ListedBuffers listed = new ListedBuffers();
    /** Position, length and staged offset of each buffer at the last encoding into a plan, or the last call. */
    private int[] startPos = new int[4];
    private int[] startLen = new int[4];
    private int[] stagedOff = new int[4];
    /**
     * How each buffer's memory reaches the kernel ({@link DirectBuffers}): through the plan's own memory for heap
     * buffers and direct ones another thread could free during a call ({@code STAGED}), else by address, checked
     * first where it may be gone ({@code CHECKED}). A buffer's kind never changes, so it is decided once, on add.
     */
    private int[] treatment = new int[4];
    /** The buffers the last call that gave this message to the kernel used, and their positions then, for rewind(). */
    private ByteBuffer[] lastBuffers = new ByteBuffer[4];
    private int[] rewindPos = new int[4];
    private int lastCount;
    /**
     * Whether the last encoding was for a batch call that left this message out (its {@code vlen}): the rewind
     * bookkeeping is then still the last call's that used it, and a later call that uses the message as encoded
     * brings it up to the encoding ({@link #asEncoded}).
     */
    private boolean rewindLags;
    /**
     * Changes at every encoding into any plan and at every change of the buffer list, the destination, the control
     * messages, the packet info or the transmit time, so that a plan's owner that noted it after encoding this
     * message knows whether the plan still describes it ({@link #asEncoded}).
     */
    private int encoding;
    /**
     * The buffer count at the last encoding (into any plan, so of the plan whose stamp still matches): a plan is not
     * taken as describing the message when its count changed since.
     */
    private int encodedCount;
    /** The cmsg records the last encoding wrote. */
    private int encodedRecords;
    /**
     * The descriptor the last send encoding passed of its own, or -1: a plan is not sent again for a message whose
     * descriptor changed since, should that change and the encoding's stamp have crossed on two threads (a descriptor
     * closed since may name another file by then).
     */
    private int encodedRightsFd = -1;
    private int count;
    /** How many buffers of the list are staged: when none is, a call skips the loops that size their staging. */
    private int stagedCount;
    /** How many buffers of the list are read-only (a buffer's kind never changes): a receive refuses them. */
    private int readOnlyCount;
    /** What a receive takes of the plan besides staged heap bytes, and its cmsg records: fixed by the control space. */
    private final long receiveFixedBytes;
    private final int receiveRecords;
    /** The destination as given, or made from {@link #name} when asked for ({@link #destination()}); may be null. */
    private SockAddr destination;
    /**
     * The {@code msg_name} image sent, {@code nameLength} bytes of it: the given {@link SockAddr}'s own, or
     * {@link #ownName}; null for none.
     */
    private byte[] name;
    private int nameLength;
    /** Where {@link #destination(SockAddrBuffer)} copies an address to, made at its first use and then reused. */
    private byte[] ownName;
    /**
     * The packet info this message sends after its control messages ({@link #pktinfo(int, byte[], int)}):
     * {@code MessagePlan.KIND_IN_PKTINFO} or {@code KIND_IN6_PKTINFO}, or {@link #NO_PKTINFO}.
     */
    private int pktinfoKind = NO_PKTINFO;
    private int pktinfoIfindex;
    /** The source address of the packet info (4 or 16 bytes used), made at the first {@link #pktinfo} and reused. */
    private byte[] pktinfoSource;
    /** Whether this message sends a transmit time of its own ({@link #txtime(long)}), and which. */
    private boolean sendsTxtime;
    private long txtimeNanos;
    /** The descriptor this message passes of its own ({@link #rights(int)}), or -1 for none. */
    private int rightsFd = -1;
    private ControlMessage[] controls = new ControlMessage[2];
    private int controlCount;
    private int controlUsed;
    /** Made at the first call that needs one, once even when two threads' first calls race ({@link #PLAN}). */
    private volatile MessagePlan plan;
    private volatile boolean closed;

    private int receivedFlags;
    private int receivedControlLength;
    /**
     * The sender's address of the last receive: its first {@link #SOURCE_WORDS} words in fields, where a receive
     * writes them without touching another object (an IPv4 or IPv6 address fits), the rest of a longer one (a Unix
     * path) in {@code sourceTail}, made when first needed.
     */
    private long source0;
    private long source1;
    private long source2;
    private long source3;
    private byte[] sourceTail;
    private int sourceLength;
    private final ReceivedControl receivedControl = new ReceivedControl();
    /** Whether {@link #receivedControl} may hold records: a receive without any then leaves it untouched. */
    private boolean controlHeld;
    /** The mark of the last batch receive that encoded this message ({@link #markForReceive}). */
    private long receiveMark;

    /** A message with the {@link #DEFAULT_CONTROL_SPACE default control space}. */
    public Message() {
        this(DEFAULT_CONTROL_SPACE);
    }

    /**
     * A message with {@code controlSpace} bytes of control space.
     *
     * @param controlSpace bytes of room for control messages, 0..{@link #MAX_CONTROL_SPACE}: to send, the sum of
     *     their {@code CMSG_SPACE}; to receive, the {@code msg_controllen} offered to the kernel
     * @throws IllegalArgumentException when it is negative or above {@link #MAX_CONTROL_SPACE}
     */
    public Message(int controlSpace) {
        Backends.requireAvailable();
        if (controlSpace < 0 || controlSpace > MAX_CONTROL_SPACE) {
            throw new IllegalArgumentException("control space " + controlSpace + " is outside 0.." + MAX_CONTROL_SPACE);
        }
        this.controlSpace = controlSpace;
        this.receiveFixedBytes = MessagePlan.align8(SOCKADDR_STORAGE) + MessagePlan.align8(controlSpace);
        this.receiveRecords = controlSpace / CMSG_SPACE_0 + 1;
    }

    /**
     * A message of these buffers, as {@link #buffers(ByteBuffer...)}, with the default control space: a receive
     * into it offers the kernel {@value #DEFAULT_CONTROL_SPACE} bytes for control messages, where C's zeroed
     * {@code msghdr} offers none ({@code new Message(0).buffers(...)}): descriptors a peer sends along
     * ({@code SCM_RIGHTS}) then arrive, and are the caller's to close, where C's receive would see
     * {@code MSG_CTRUNC} and the kernel close them: a Unix socket server that takes no descriptors and receives
     * into this message keeps each one a client sends until the process runs out ({@code EMFILE}).
     *
     * @param buffers the gather (or scatter) list, in order, each buffer object once (see {@link #add})
     * @return the new message
     * @throws NullPointerException when the array or one of its elements is null
     * @throws IllegalArgumentException when a buffer object is in the array twice
     */
    public static Message of(ByteBuffer... buffers) {
        return new Message().buffers(buffers);
    }

    /**
     * Appends a buffer to the list. A buffer object is listed once: its one position could not say how far a partial
     * send got through two entries of it (the bytes of the entry before would go again); {@code buf.duplicate()}
     * gives a second entry over the same memory, as C lists one {@code iov_base} twice.
     *
     * @param buf the buffer; its bytes from position to limit are taken at each call
     * @return this message
     * @throws NullPointerException when {@code buf} is null
     * @throws IllegalArgumentException when {@code buf} is already in the list
     */
    public Message add(ByteBuffer buf) {
        Objects.requireNonNull(buf, "buffer");
        int first = listed.indexOf(buf, buffers, count);
        if (first >= 0) {
            throw new IllegalArgumentException(twice(first, count));
        }
        append(buf);
        return this;
    }

    private static String twice(int first, int second) {
        return "buffer " + second + " of the list is buffer " + first + " again: a buffer has one position, which"
                + " cannot tell a partial send's progress through two entries; list buf.duplicate() for the same bytes"
                + " twice";
    }

    private void append(ByteBuffer buf) {
        if (count == buffers.length) {
            int n = count * 2;
            ByteBuffer[] moreBuffers = java.util.Arrays.copyOf(buffers, n);
            int[] morePos = java.util.Arrays.copyOf(startPos, n);
            int[] moreLen = java.util.Arrays.copyOf(startLen, n);
            int[] moreStaged = java.util.Arrays.copyOf(stagedOff, n);
            int[] moreTreatment = java.util.Arrays.copyOf(treatment, n);
            ByteBuffer[] moreLast = java.util.Arrays.copyOf(lastBuffers, n);
            int[] moreRewind = java.util.Arrays.copyOf(rewindPos, n);
            // all or none: an OutOfMemoryError part way would leave the per-buffer arrays of unequal lengths
            buffers = moreBuffers;
            startPos = morePos;
            startLen = moreLen;
            stagedOff = moreStaged;
            treatment = moreTreatment;
            lastBuffers = moreLast;
            rewindPos = moreRewind;
        }
        int memory = DirectBuffers.treatment(buf);
        if (memory == DirectBuffers.STAGED) {
            stagedCount++;
        }
        if (buf.isReadOnly()) {
            readOnlyCount++;
        }
        treatment[count] = memory;
        buffers[count++] = buf;
        encoding++;
    }

    /**
     * Replaces the list with these buffers.
     *
     * @param bufs the gather (or scatter) list, in order, each buffer object once (see {@link #add})
     * @return this message
     * @throws NullPointerException when the array or one of its elements is null (the list is then unchanged)
     * @throws IllegalArgumentException when a buffer object is in the array twice (the list is then unchanged)
     * @throws java.util.ConcurrentModificationException when this call finds another thread setting the list at the
     *     same time (this call empties the list, which the other thread may fill again; not every such race is found)
     */
    public Message buffers(ByteBuffer... bufs) {
        Objects.requireNonNull(bufs, "buffers");
        int n = bufs.length;
        if (taken.length < n) {
            taken = new ByteBuffer[n];
        }
        ByteBuffer[] list = taken;
        // each element is read once, into the message's own array, and that copy is checked and listed: another
        // thread writing the caller's array meanwhile cannot slip a null or a second entry of a buffer past the
        // checks. The finder describes the new list while it is checked, and nothing once the list stays as it was.
        listed.forget();
        try {
            for (int i = 0; i < n; i++) {
                ByteBuffer b = bufs[i];
                if (b == null) {
                    listed.forget();
                    throw new NullPointerException("buffer " + i + " of the gather list is null");
                }
                int first = listed.indexOf(b, list, i);
                if (first >= 0) {
                    listed.forget();
                    throw new IllegalArgumentException(twice(first, i));
                }
                list[i] = b;
            }
            clearBuffers();
            for (int i = 0; i < n; i++) {
                ByteBuffer b = list[i];
                if (b == null) {
                    // the copy held only checked buffers: another thread is in this method with this message
                    clearBuffers();
                    throw new java.util.ConcurrentModificationException("buffers: another thread set this message's"
                            + " buffer list at the same time; this call emptied the list");
                }
                append(b);
            }
        } finally {
            // the copy keeps no buffer reachable beyond the list itself, also after a refusal or a failure part way
            java.util.Arrays.fill(list, 0, n, null);
        }
        return this;
    }

    /**
     * Empties the buffer list.
     *
     * @return this message
     */
    public Message clearBuffers() {
        for (int i = 0; i < count; i++) {
            buffers[i] = null;
        }
        for (int i = 0; i < lastCount; i++) {
            lastBuffers[i] = null;
        }
        lastCount = 0;
        count = 0;
        listed.forget();
        stagedCount = 0;
        readOnlyCount = 0;
        encoding++;
        return this;
    }

    /** {@return the number of buffers in the list} */
    public int bufferCount() {
        return count;
    }

    /**
     * {@return buffer {@code i} of the list}
     *
     * @param i the index, 0 to {@link #bufferCount()} - 1
     * @throws IndexOutOfBoundsException when there is no buffer {@code i}
     */
    public ByteBuffer buffer(int i) {
        Objects.checkIndex(i, count);
        return buffers[i];
    }

    /** {@return the bytes remaining in all buffers together} */
    public long remaining() {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += buffers[i].remaining();
        }
        return n;
    }

    /**
     * Sets the destination ({@code msg_name}) of {@code sendmsg}; null for none (a connected socket). An
     * {@code InetSocketAddress} or {@code UnixDomainSocketAddress} is converted here, once.
     *
     * @param dest the destination, or null
     * @return this message
     * @throws java.nio.channels.UnresolvedAddressException for an unresolved address
     * @throws java.nio.channels.UnsupportedAddressTypeException for an address kind posix-send cannot convert
     * @throws IllegalArgumentException for a Unix path too long for the platform's {@code sun_path} (see
     *     {@link Posix}), or an unfilled {@link SockAddr}
     */
    public Message destination(SocketAddress dest) {
        SockAddr sa = dest == null ? null : SockAddr.of(dest);
        destination = sa;
        name = sa == null ? null : sa.image();
        nameLength = sa == null ? 0 : sa.length();
        encoding++; // a plan that holds the old one no longer describes this message
        return this;
    }

    /**
     * Sets the destination ({@code msg_name} and {@code msg_namelen}) of {@code sendmsg} to the address {@code dest}
     * holds, copied into storage this message owns (made at the first such call, then reused), so that a server
     * replying to each datagram's sender ({@link #source(SockAddrBuffer)}, {@link Posix#tryRecvfrom}) allocates
     * nothing per reply: C's copy of the received {@code sockaddr_storage} into the reply's {@code msg_name}. Later
     * changes to {@code dest} do not change the message.
     *
     * @param dest a buffer a receive, accept or error-queue read filled with an address
     * @return this message
     * @throws NullPointerException when {@code dest} is null
     * @throws IllegalArgumentException when {@code dest} holds no address ({@link SockAddrBuffer#hasAddress()}
     *     false: a connected stream's or an unnamed Unix socket's receive); {@code destination((SocketAddress) null)}
     *     sends without one
     */
    public Message destination(SockAddrBuffer dest) {
        Objects.requireNonNull(dest, "dest");
        int n = Math.min(dest.destinationLength(), SOCKADDR_STORAGE);
        byte[] own = ownName;
        if (own == null) {
            own = new byte[SOCKADDR_STORAGE];
            ownName = own;
        }
        System.arraycopy(dest.image, 0, own, 0, n);
        if (destination != null) {
            destination = null; // made from the copy when asked for; a reference store only when it changes
        }
        if (name != own) {
            name = own;
        }
        nameLength = n;
        encoding++; // the plan holds the bytes the last encoding copied: a new sender must be encoded again
        return this;
    }

    /**
     * {@return the destination, or null} After {@link #destination(SockAddrBuffer)} the address is made here from the
     * message's copy at the first call (allocates), then kept until the destination changes.
     */
    public SockAddr destination() {
        SockAddr sa = destination;
        if (sa == null && name != null) {
            sa = SockAddr.fromImage(name, nameLength);
            destination = sa;
        }
        return sa;
    }

    /**
     * Sets the {@code IP_PKTINFO} (a 4-byte IPv4 {@code source}) or {@code IPV6_PKTINFO} (a 16-byte IPv6 one) this
     * message sends, after the control messages added with {@link #addControl}: the datagram goes from
     * {@code source} (a local address; all zeros lets the kernel choose) out of interface {@code ifindex} (0: routing
     * decides), as {@link ControlMessage#ipPktinfo} and {@link ControlMessage#ipv6Pktinfo} do (on Linux the source
     * goes into {@code ipi_spec_dst}, on NetBSD into {@code ipi_addr}). Those are immutable and shared between
     * messages, so a server answering each datagram from another local address would make one per reply; this
     * setting is the message's own, its bytes copied into storage the message keeps (made at the first call), and
     * changing it per datagram allocates nothing. Setting it again replaces it; {@link #clearControl()} removes it.
     * It takes {@code CMSG_SPACE} of its struct of the control space, as an added control message would.
     *
     * @param ifindex the interface index, or 0
     * @param source the source address in network byte order, from index 0; copied
     * @param length 4 ({@code IP_PKTINFO}) or 16 ({@code IPV6_PKTINFO}), as {@link PacketInfo#address(byte[])} and
     *     {@link SockAddrBuffer#address(byte[])} return
     * @return this message
     * @throws NullPointerException when {@code source} is null
     * @throws IllegalArgumentException when {@code length} is neither 4 nor 16 or exceeds {@code source}, when
     *     {@code ifindex} is negative, or when the packet info would not fit in the control space beside the added
     *     control messages and the transmit time ({@link #txtime(long)})
     * @throws UnsupportedOperationException where the platform lacks that packet info
     */
    public Message pktinfo(int ifindex, byte[] source, int length) {
        Objects.requireNonNull(source, "source");
        if (length != 4 && length != 16) {
            throw new IllegalArgumentException("pktinfo: a source address is 4 bytes (IP_PKTINFO) or 16"
                    + " (IPV6_PKTINFO), not " + length);
        }
        if (source.length < length) {
            throw new IllegalArgumentException("pktinfo: " + length + " address bytes asked for, " + source.length
                    + " given");
        }
        if (ifindex < 0) {
            throw new IllegalArgumentException("pktinfo: interface index " + ifindex + " is negative");
        }
        String name = length == 4 ? "IP_PKTINFO" : "IPV6_PKTINFO";
        int space = OwnControlSpace.supported(length == 4 ? OwnControlSpace.IN : OwnControlSpace.IN6, name);
        int besides = controlUsed + txtimeSpace() + rightsSpace();
        if (!fits(space, besides)) {
            throw noRoom("pktinfo: " + name, space, besides);
        }
        byte[] own = pktinfoSource;
        if (own == null) {
            own = new byte[16];
            pktinfoSource = own;
        }
        System.arraycopy(source, 0, own, 0, length);
        java.util.Arrays.fill(own, length, 16, (byte) 0);
        pktinfoIfindex = ifindex;
        pktinfoKind = length == 4 ? MessagePlan.KIND_IN_PKTINFO : MessagePlan.KIND_IN6_PKTINFO;
        encoding++; // the plan holds the packet info the last encoding wrote
        return this;
    }

    /**
     * Sets this message's packet info ({@link #pktinfo(int, byte[], int)}) so that it is sent from the local address
     * the datagram that {@code received} was read from arrived at, as C servers on a wildcard address answer: for
     * an {@code IP_PKTINFO}, source {@code ipi_spec_dst} (NetBSD: {@code ipi_addr}) and interface 0, so that routing
     * picks the way back; for an {@code IPV6_PKTINFO}, source {@code ipi6_addr} and its interface
     * {@code ipi6_ifindex}, which a link-local address needs. Allocates nothing. The destination is set apart, with
     * {@link #destination(SockAddrBuffer)}.
     *
     * @param received packet info a {@link PacketInfo#read(Message)} found
     * @return this message
     * @throws NullPointerException when {@code received} is null
     * @throws IllegalStateException when no packet info was read into {@code received}
     * @throws IllegalArgumentException when the packet info would not fit in the control space beside the added
     *     control messages and the transmit time
     */
    public Message replyFrom(PacketInfo received) {
        Objects.requireNonNull(received, "received");
        byte[] source = received.replySource();
        boolean v4 = received.family() == Posix.AF_INET;
        return pktinfo(v4 ? 0 : received.interfaceIndex(), source, v4 ? 4 : 16);
    }

    /**
     * Sets the {@code SCM_TXTIME} this message sends (Linux 4.19+), after its control messages and packet info: the
     * time its packet may leave, or its deadline, as {@link ControlMessage#txtime(long)} says. That one is immutable,
     * so a sender that paces each packet would make one per send; this setting is the message's own, and changing
     * it per packet allocates nothing. Setting it again replaces it; {@link #clearControl()} removes it. It takes
     * {@code CMSG_SPACE(8)} of the control space, as an added control message would. The socket needs
     * {@link Posix#SO_TXTIME} set, or the send fails with {@code EINVAL}.
     *
     * @param nanos the time in nanoseconds of the clock the socket's {@code SO_TXTIME} names, a {@code uint64_t}
     *     in C
     * @return this message
     * @throws IllegalArgumentException when the transmit time would not fit in the control space beside the added
     *     control messages and packet info
     * @throws UnsupportedOperationException where the platform has no {@code SCM_TXTIME} (NetBSD)
     */
    public Message txtime(long nanos) {
        int space = OwnControlSpace.supported(OwnControlSpace.TXTIME, "SCM_TXTIME");
        requireRoom("txtime: SCM_TXTIME", space, controlUsed + pktinfoSpace() + rightsSpace());
        txtimeNanos = nanos;
        sendsTxtime = true;
        encoding++; // the plan holds the time the last encoding wrote
        return this;
    }

    /** {@return {@code CMSG_SPACE} of a transmit time, 0 when the message sends none of its own} */
    private int txtimeSpace() {
        return sendsTxtime ? OwnControlSpace.TXTIME : 0;
    }

    /**
     * Sets the one descriptor this message passes with {@code SCM_RIGHTS}, after its control messages, packet info
     * and transmit time: what {@code ControlMessage.rights(fd)} sends, but the message's own, so that a server that
     * hands each accepted connection to a worker changes it per send without allocating (a
     * {@link ControlMessage#rights} is immutable, made per descriptor). The descriptor is read by the kernel at the
     * send: one not open then fails it with {@code EBADF}, and the sender keeps its own copy, to close when the send
     * has returned. Setting it again replaces it; {@link #clearControl()} removes it. It takes
     * {@code CMSG_SPACE(sizeof(int))} of the control space, as an added control message would. It stays set for every
     * later send of the message, so a message reused after the descriptor was closed would pass whatever the process
     * opened next under its number: set it for each send that passes one, and clear it ({@link #clearControl()})
     * for the others. Several descriptors in one message: {@link ControlMessage#rights(int...)}.
     *
     * @param fd the descriptor to pass
     * @return this message
     * @throws IllegalArgumentException when {@code fd} is negative, or the descriptor would not fit in the control
     *     space beside the added control messages, packet info and transmit time
     * @throws UnsupportedOperationException where the platform has no {@code SCM_RIGHTS}
     */
    public Message rights(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("rights: descriptor " + fd + " is negative");
        }
        int space = OwnControlSpace.supported(OwnControlSpace.RIGHTS, "SCM_RIGHTS");
        requireRoom("rights: SCM_RIGHTS", space, controlUsed + pktinfoSpace() + txtimeSpace());
        rightsFd = fd;
        encoding++; // the plan holds the descriptor the last encoding wrote
        return this;
    }

    /** {@return {@code CMSG_SPACE} of one descriptor, 0 when the message passes none of its own} */
    private int rightsSpace() {
        return rightsFd >= 0 ? OwnControlSpace.RIGHTS : 0;
    }

    /** {@return {@code CMSG_SPACE} of the packet info's struct, 0 when the message sends none} */
    private int pktinfoSpace() {
        int k = pktinfoKind;
        return k == NO_PKTINFO ? 0 : k == MessagePlan.KIND_IN_PKTINFO ? OwnControlSpace.IN : OwnControlSpace.IN6;
    }

    /** Whether a control message of {@code space} bytes fits in the control space beside {@code besides} bytes. */
    private boolean fits(int space, int besides) {
        return (long) besides + space <= controlSpace;
    }

    /** {@link #noRoom} unless {@link #fits}, for a message's own control message named by a constant {@code what}. */
    private void requireRoom(String what, int space, int besides) {
        if (!fits(space, besides)) {
            throw noRoom(what, space, besides);
        }
    }

    /**
     * The refusal of a control message of {@code space} bytes that does not fit beside {@code besides} bytes of
     * others; {@code what} names the call and the message (made only on failure: setting one allocates nothing).
     */
    private IllegalArgumentException noRoom(String what, int space, int besides) {
        return new IllegalArgumentException(what + " needs " + space + " bytes, but only " + (controlSpace - besides)
                + " of this message's control space of " + controlSpace + " are left beside its other control"
                + " messages, packet info, transmit time and descriptor; create the Message with a larger control"
                + " space");
    }

    /**
     * {@code CMSG_SPACE} of the control messages a message sends of its own, from the headers' sizes, or unsupported
     * where the platform has none; looked up at the first such setting.
     */
    private static final class OwnControlSpace {
        static final int IN = spaceOf("SIZEOF_IN_PKTINFO", -1);
        static final int IN6 = spaceOf("SIZEOF_IN6_PKTINFO", -1);
        /** {@code SCM_TXTIME}'s payload, a {@code uint64_t}. */
        static final int TXTIME = spaceOf("SCM_TXTIME", Long.BYTES);
        /** {@code SCM_RIGHTS}'s payload of one descriptor, an {@code int}. */
        static final int RIGHTS = spaceOf("SCM_RIGHTS", Integer.BYTES);

        /** The space of a struct named {@code name} ({@code length} -1), or of {@code length} bytes if it exists. */
        private static int spaceOf(String name, int length) {
            int n = Platform.value(name);
            return n == Platform.UNSUPPORTED ? Platform.UNSUPPORTED
                    : (int) ControlMessage.spaceOf(length < 0 ? n : length);
        }

        /** {@code space}, or {@link UnsupportedOperationException} naming {@code name} where it is unsupported. */
        static int supported(int space, String name) {
            if (space == Platform.UNSUPPORTED) {
                Backends.requireAvailable();
                throw new UnsupportedOperationException(name + " is not supported on " + Platform.os());
            }
            return space;
        }
    }

    /**
     * Adds a control message to send.
     *
     * @param cm the control message; the same one may be added to many messages
     * @return this message
     * @throws NullPointerException when {@code cm} is null
     * @throws IllegalArgumentException when the control messages would no longer fit in the control space, or
     *     {@code cm} is {@link ControlMessage.Kind#RAW raw} of a level posix-send does not send raw (see
     *     {@link ControlMessage#raw})
     */
    public Message addControl(ControlMessage cm) {
        Objects.requireNonNull(cm, "control message");
        if (cm.kind() == ControlMessage.Kind.RAW && !RawControls.sendable(cm.level())) {
            throw new IllegalArgumentException("control message " + cm + " is not sent: posix-send sends raw control"
                    + " messages of SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP and SCTP, and of"
                    + " AF_ALG and kernel TLS on Linux, whose payloads are values; other levels' may hold addresses"
                    + " the kernel would read or write through (RDS's do)");
        }
        int space = cm.space();
        int besides = controlUsed + pktinfoSpace() + txtimeSpace() + rightsSpace();
        if (!fits(space, besides)) {
            throw noRoom("control message " + cm, space, besides);
        }
        if (controlCount == controls.length) {
            controls = java.util.Arrays.copyOf(controls, controlCount * 2);
        }
        controls[controlCount++] = cm;
        controlUsed += space;
        encoding++;
        return this;
    }

    /**
     * Removes the control messages to send, the packet info set with {@link #pktinfo(int, byte[], int)}, the
     * transmit time set with {@link #txtime(long)} and the descriptor set with {@link #rights(int)} too.
     *
     * @return this message
     */
    public Message clearControl() {
        for (int i = 0; i < controlCount; i++) {
            controls[i] = null;
        }
        controlCount = 0;
        controlUsed = 0;
        pktinfoKind = NO_PKTINFO;
        sendsTxtime = false;
        rightsFd = -1;
        encoding++;
        return this;
    }

    /**
     * {@return the number of control messages added to send ({@link #addControl}); packet info set with
     * {@link #pktinfo(int, byte[], int)}, a transmit time set with {@link #txtime(long)} and a descriptor set with
     * {@link #rights(int)} are not counted}
     */
    public int controlCount() {
        return controlCount;
    }

    /** {@return the control space in bytes} */
    public int controlSpace() {
        return controlSpace;
    }

    /**
     * Empties the buffer list, the destination and the control messages.
     *
     * @return this message
     */
    public Message clear() {
        clearBuffers();
        clearControl();
        destination = null;
        name = null;
        nameLength = 0;
        return this;
    }

    /**
     * {@return {@code msg_flags} of the last {@link Posix#recvmsg}, such as {@code MSG_TRUNC} or {@code MSG_CTRUNC}}
     */
    public int receivedFlags() {
        return receivedFlags;
    }

    /**
     * {@return {@code msg_controllen} after the last {@link Posix#recvmsg} (or {@link Posix#recvmmsg} of a batch
     * holding this message): how many bytes of the control space the kernel filled, each control message's
     * {@code CMSG_SPACE} (the last one's cut to what was left), never more than {@link #controlSpace()}; 0 when the
     * message had no control space}
     * A C receiver tests it before {@code CMSG_FIRSTHDR}, or compares it with the space it offered; the control
     * messages themselves are {@link #receivedControl()}. A receive that fails changes nothing, as with
     * {@link #receivedFlags()}.
     */
    public int receivedControlLength() {
        return receivedControlLength;
    }

    /**
     * The sender's address from the last {@link Posix#recvmsg}, as {@link Posix#getsockname} gives addresses,
     * or null when it had none (an unnamed Unix socket, a connected stream). After a read of the error queue
     * ({@link MsgFlag#MSG_ERRQUEUE}) it is the original destination of the datagram the error is about, as in C; the
     * host that reported it is the extended error's offender.
     *
     * @return the address, a new object at each call, or null
     * @see #source(SockAddrBuffer)
     */
    public SocketAddress source() {
        if (sourceLength <= UNNAMED_LENGTH) {
            return null;
        }
        int n = Math.min(sourceLength, SOCKADDR_STORAGE);
        byte[] image = new byte[Math.max(n, SOURCE_WORDS * Long.BYTES)];
        copySource(image, n);
        return SockAddr.fromImage(image, n).toSocketAddress();
    }

    /**
     * Copies the sender's address from the last {@link Posix#recvmsg} (or {@link Posix#recvmmsg} of a batch holding
     * this message) into {@code into}, C's {@code msg_name} and {@code msg_namelen}, without allocating: a receive
     * loop that reads each sender's family and port through a reused buffer makes no objects.
     *
     * @param into where the address goes; cleared when there is none (an unnamed Unix socket, a connected stream)
     * @return whether there was one
     * @throws NullPointerException when {@code into} is null
     */
    public boolean source(SockAddrBuffer into) {
        java.util.Objects.requireNonNull(into, "into");
        if (sourceLength <= UNNAMED_LENGTH) {
            into.clear();
            return false;
        }
        int n = Math.min(sourceLength, SOCKADDR_STORAGE);
        copySource(into.image, n);
        into.length[0] = n;
        return true;
    }

    /**
     * Writes the kept source address into {@code image}, which holds at least {@link #SOURCE_WORDS} words: its first
     * {@code n} bytes are the address; the rest of those words is whatever earlier receives left.
     */
    private void copySource(byte[] image, int n) {
        LONGS.set(image, 0, source0);
        LONGS.set(image, 8, source1);
        LONGS.set(image, 16, source2);
        LONGS.set(image, 24, source3);
        if (n > SOURCE_WORDS * Long.BYTES) {
            System.arraycopy(sourceTail, 0, image, SOURCE_WORDS * Long.BYTES, n - SOURCE_WORDS * Long.BYTES);
        }
    }

    /**
     * {@return the control messages the last {@link Posix#recvmsg} received, typed where posix-send knows them}
     * The list and its elements are made on the first call after a receive (later calls return the same list). A
     * receive that fails (a {@code -EAGAIN} from {@link Posix#tryRecvmsg}) changes nothing: what this message reports,
     * its control messages, flags and sender, is still the last successful one's, as C's {@code msghdr} keeps it; test
     * the call's result first. To read error-queue entries without allocating, use
     * {@link ErrorQueueEntry#read(Message)} instead. Descriptors a message carries are the caller's to close: those of
     * {@code SCM_RIGHTS} ({@link ControlMessage#fds()}), and on Linux 6.5 and later, with {@code SO_PASSPIDFD} set
     * (option 76), the pidfd of an {@code SCM_PIDFD} message ({@code SOL_SOCKET}, type 4), which posix-send does not
     * type: it is a {@link ControlMessage.Kind#RAW} message whose {@link ControlMessage#data()} is the descriptor, a
     * native-order {@code int}. Descriptors the control space had no room for are not received, and there is nothing
     * to close for them: Linux installs only those that fit, drops the rest and sets {@code MSG_CTRUNC}; NetBSD drops
     * an {@code SCM_RIGHTS} message that does not fit whole, with all its descriptors.
     */
    public List<ControlMessage> receivedControl() {
        return receivedControl.list();
    }

    /**
     * The number the last receive's first control message of {@code kind} carried, read without allocating, as C
     * reads it at {@code CMSG_DATA} (an {@code int}, but for a received {@code IP_TOS}, which Linux sends as one
     * byte, and NetBSD's {@code IP_RECVTTL} byte): a {@link ControlMessage.Kind#UDP_GRO} datagram's segment size, the
     * drop count of {@link ControlMessage.Kind#RXQ_OVFL} (C's {@code uint32_t}, never negative here), the bytes a TCP
     * socket still holds after the receive ({@link ControlMessage.Kind#TCP_INQ}, with {@link Posix#TCP_INQ}), a
     * received {@code IP_TOS}, {@code IPV6_TCLASS}, {@code IP_TTL} or {@code IPV6_HOPLIMIT}, or the MTU of an
     * {@link ControlMessage.Kind#IPV6_PATHMTU}. Each message of a {@link MessageBatch} keeps its own.
     *
     * @param kind a kind whose payload is one number
     * @return the number, or -1 when the last receive brought no such message (for {@code SO_RXQ_OVFL}: nothing
     *     was dropped yet, as Linux adds the count only once it is not 0), or a cut-short one
     *     ({@link #controlTruncated()})
     * @throws NullPointerException when {@code kind} is null
     * @throws IllegalArgumentException for a kind that carries no single number
     */
    public long receivedValue(ControlMessage.Kind kind) {
        switch (Objects.requireNonNull(kind, "kind")) {
            case IP_TOS:
            case IPV6_TCLASS:
            case IP_TTL:
            case IPV6_HOPLIMIT:
            case UDP_GRO:
            case UDP_SEGMENT:
            case RXQ_OVFL:
            case TCP_INQ:
            case IPV6_PATHMTU:
                break;
            default:
                throw new IllegalArgumentException(kind + " carries no single number");
        }
        int k = receivedControl.find(kind);
        if (k < 0) {
            return -1;
        }
        if (kind == ControlMessage.Kind.IPV6_PATHMTU) { // a struct ip6_mtuinfo, read in place: its MTU
            return Integer.toUnsignedLong(ControlMessage.pathMtu(receivedControl.payload(), receivedControl.offset(k)));
        }
        int v = receivedControl.value(k);
        return kind == ControlMessage.Kind.RXQ_OVFL ? Integer.toUnsignedLong(v) : v; // a uint32_t count
    }

    /**
     * A time the last receive's first control message of {@code kind} carried, in nanoseconds since the epoch
     * ({@code CLOCK_REALTIME}), read without allocating, as C reads the {@code struct timespec} or
     * {@code struct timeval} at {@code CMSG_DATA}: the receive time of {@link ControlMessage.Kind#TIMESTAMPNS}
     * ({@code index} 0, with {@link Posix#SO_TIMESTAMPNS}) or of {@link ControlMessage.Kind#TIMESTAMP} ({@code index}
     * 0, whole microseconds, with {@link Posix#SO_TIMESTAMP}), or time {@code index} of the
     * {@code struct scm_timestamping} of {@link ControlMessage.Kind#TIMESTAMPING} (0 the software time, 2 the raw
     * hardware time, 0 when the kernel gives none; 1 is unused). Each message of a {@link MessageBatch} keeps its own.
     *
     * @param kind {@link ControlMessage.Kind#TIMESTAMPNS}, {@link ControlMessage.Kind#TIMESTAMP} or
     *     {@link ControlMessage.Kind#TIMESTAMPING}
     * @param index which time: 0 for {@code TIMESTAMPNS} and {@code TIMESTAMP}; 0 to 2 for {@code TIMESTAMPING}
     * @return the time, or -1 when the last receive brought no such message, or a cut-short one
     *     ({@link #controlTruncated()})
     * @throws NullPointerException when {@code kind} is null
     * @throws IllegalArgumentException for another kind, or an index that kind has no time at
     */
    public long receivedNanos(ControlMessage.Kind kind, int index) {
        int times = switch (Objects.requireNonNull(kind, "kind")) {
            case TIMESTAMPNS, TIMESTAMP -> 1;
            case TIMESTAMPING -> 3;
            default -> throw new IllegalArgumentException(kind + " carries no time");
        };
        if (index < 0 || index >= times) {
            throw new IllegalArgumentException(kind + " has no time " + index + ": its times are 0.." + (times - 1));
        }
        int k = receivedControl.find(kind);
        if (k < 0) {
            return -1;
        }
        // a found record is whole: a cut-short one is RAW
        int at = receivedControl.offset(k);
        return kind == ControlMessage.Kind.TIMESTAMP ? ErrorQueueEntry.timevalNanos(receivedControl.payload(), at)
                : ErrorQueueEntry.timespecNanos(receivedControl.payload(), at + index * ErrorQueueEntry.TIMESPEC);
    }

    /**
     * A field of the credentials the last successful receive's first {@code SCM_CREDENTIALS} message carried (Linux,
     * with {@link Posix#SO_PASSCRED} on the receiving socket), read without allocating, as C reads the
     * {@code struct ucred} at {@code CMSG_DATA}: {@code index} 0 the process ({@code pid}), 1 the user ({@code uid}),
     * 2 the group ({@code gid}), the last two unsigned as C's {@code uid_t} and {@code gid_t}. A receive that fails
     * ({@code -EAGAIN}) changes nothing: test the call's result first. Each message of a {@link MessageBatch} keeps
     * its own. {@link ControlMessage#credentials()} gives the three as a {@link Ucred}.
     *
     * @param index 0 for the process, 1 for the user, 2 for the group
     * @return the field, or -1 when the last receive brought no such message, or a cut-short one
     *     ({@link #controlTruncated()})
     * @throws IllegalArgumentException for another index
     * @throws UnsupportedOperationException where the platform has no {@code struct ucred} (NetBSD)
     */
    public long receivedCredentials(int index) {
        int field = Ucred.fieldOffset(index);
        if (Ucred.size() == Platform.UNSUPPORTED) {
            throw new UnsupportedOperationException("SCM_CREDENTIALS: " + Platform.os() + " has no struct ucred");
        }
        int k = receivedControl.find(ControlMessage.Kind.CREDENTIALS);
        if (k < 0) {
            return -1;
        }
        // a found record is whole: a cut-short one is RAW
        int v = receivedControl.payload().getInt(receivedControl.offset(k) + field);
        return index == Ucred.PID ? v : Integer.toUnsignedLong(v);
    }

    /**
     * Copies the payload of the last successful receive's first control message of {@code level} and {@code type}
     * into {@code into} without allocating: the bytes after {@code CMSG_DATA} as the kernel wrote them, whatever
     * kind posix-send reads the message as. This is C's {@code memcpy} from {@code CMSG_DATA} for a structure
     * posix-send does not type (a packet socket's {@code struct tpacket_auxdata} with {@link Posix#PACKET_AUXDATA},
     * the attributes of {@link Posix#SCM_TIMESTAMPING_OPT_STATS}, the {@code sockaddr_in} of {@code IP_ORIGDSTADDR});
     * a {@link ByteBuffer} of {@link java.nio.ByteOrder#nativeOrder()} wrapped once around {@code into} reads its
     * fields. A receive that fails ({@code -EAGAIN}) changes nothing, as with {@link #receivedControl()}: test the
     * call's result first. Each message of a {@link MessageBatch} keeps its own. The numbers of an
     * {@code SCM_RIGHTS} message are descriptors the caller must close, as with {@link #receivedControl()}.
     *
     * @param level the message's {@code cmsg_level}, such as {@link Posix#SOL_PACKET}
     * @param type its {@code cmsg_type}, such as {@link Posix#PACKET_AUXDATA}
     * @param into where the bytes go: its first {@code min(into.length, length)} bytes are overwritten, the rest
     *     left as they are
     * @return the payload's whole length, more than {@code into.length} when it did not all fit, or -1 when the last
     *     successful receive brought no such message; of a message that too little control space cut short
     *     ({@link #controlTruncated()}), the length of what arrived
     * @throws NullPointerException when {@code into} is null
     */
    public int receivedPayload(int level, int type, byte[] into) {
        Objects.requireNonNull(into, "into");
        int k = receivedControl.find(level, type);
        if (k < 0) {
            return -1;
        }
        int length = receivedControl.length(k);
        receivedControl.payload().get(receivedControl.offset(k), into, 0, Math.min(length, into.length));
        return length;
    }

    /** The last receive's control messages as the message keeps them, for reading without objects. */
    ReceivedControl receivedControlCopy() {
        return receivedControl;
    }

    /**
     * Releases the native memory this message holds for its calls, at once (or, if another thread is in a call with
     * it, when that call returns). Later calls with it, alone or in a {@link MessageBatch}, throw
     * {@link IllegalStateException}; its buffers are the caller's and stay untouched. What its last receive recorded
     * is kept in Java objects and stays readable ({@link #source()}, {@link #receivedFlags()},
     * {@link #receivedControl()}, {@link PacketInfo#read}). Calling it again does nothing. A message that is never
     * closed is freed by the garbage collector, which is asked to run when such memory grows: before JDK 22 it counts
     * against {@code -XX:MaxDirectMemorySize}, and on JDK 22 and later, where it is arena memory the JDK does not
     * count, posix-send asks for a collection when what was never closed passes the maximum heap size.
     */
    @Override
    public void close() {
        closed = true;
        MessagePlan p = plan;
        if (p != null) {
            p.close();
        }
    }

    private static VarHandle planHandle() {
        try {
            return MethodHandles.lookup().findVarHandle(Message.class, "plan", MessagePlan.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- the calls (Posix delegates here) --------------------------------------------------------------------

    /** Whether {@link #close()} was called. */
    boolean isClosed() {
        return closed;
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this message is closed");
        }
    }

    private MessagePlan plan() {
        requireOpen();
        MessagePlan p = plan;
        if (p == null) {
            MessagePlan made = new MessagePlan("message");
            p = (MessagePlan) PLAN.compareAndExchange(this, null, made);
            if (p == null) {
                p = made;
                if (closed) { // a close() that ran meanwhile may not have seen it
                    p.close();
                    requireOpen();
                }
            }
        }
        return p;
    }

    long send(Backend b, int fd, int flags) {
        MessagePlan p = plan();
        p.acquire();
        try {
            long r;
            if (sendsUnplanned()) {
                r = sendUnplanned(b, fd, flags, false);
            } else {
                p.begin(1, count, sendRecords(), sendDataBytes());
                encodeSend(p, 0, 0, 0, true);
                Posix.refuseHeapZerocopy("sendmsg", flags, !p.requireListedMemory());
                r = b.sendmsg(fd, p, flags);
            }
            if (r >= 0) {
                advance(r);
            }
            return r;
        } finally {
            p.release();
        }
    }

    /** Whether a send needs no plan: one or two buffers by address, at most one control message of a single value. */
    boolean sendsUnplanned() {
        return (count == 1 || count == 2) && stagedCount == 0 && pktinfoKind == NO_PKTINFO && !sendsTxtime
                && rightsFd < 0 && (controlCount == 0 || (controlCount == 1 && controls[0].isValueOnly()));
    }

    /**
     * The common gather (a header and a body, or one buffer) by address, with at most one control message of a
     * single value (a timestamping request, a segment size, a TOS or TTL), passed to the backend as arguments
     * ({@link Backend#sendmsgDirect}): writing and reading a plan would touch more memory than the call itself,
     * which after a system call costs more than its instructions. With {@code oneOfBatch}, a {@code sendmmsg} of this
     * message alone, whose result is as {@link Backend#sendmsgDirect} says.
     */
    long sendUnplanned(Backend b, int fd, int flags, boolean oneOfBatch) {
        int n = count;
        startCall(n, true);
        ByteBuffer b0 = start(0, true);
        ByteBuffer b1 = n == 2 ? start(1, true) : null;
        // what sendsUnplanned saw may have changed since (another thread's add): the buffers read are checked, each
        // by its own treatment
        int t0 = DirectBuffers.requireByAddress(b0);
        int t1 = b1 == null ? DirectBuffers.BY_ADDRESS : DirectBuffers.requireByAddress(b1);
        Posix.refuseHeapZerocopy(oneOfBatch ? "sendmmsg" : "sendmsg", flags, !DirectBuffers.lastsWhileReachable(t0)
                || !DirectBuffers.lastsWhileReachable(t1));
        byte[] sa = name;
        int salen = sa == null ? 0 : Math.min(nameLength, sa.length);
        ControlMessage c = controlCount == 0 ? null : controls[0];
        return b.sendmsgDirect(fd, oneOfBatch, b0, startPos[0], startLen[0], b1, b1 == null ? 0 : startPos[1],
                b1 == null ? 0 : startLen[1], sa, salen, c == null ? 0 : c.level(),
                c == null ? 0 : c.type(), c == null ? Backend.NO_CONTROL : c.planKind(), c == null ? 0 : c.planValue(),
                flags);
    }

    long receive(Backend b, int fd, int flags) {
        long data = receiveDataBytes();
        MessagePlan p = plan();
        p.acquire();
        try {
            p.begin(1, count, receiveRecords(), data);
            int stamp = encodeReceive(p, 0, 0, 0, (flags & MsgFlag.MSG_TRUNC.value()) != 0, true);
            p.requireListedMemory();
            long r = b.recvmsg(fd, p, flags);
            if (r >= 0) {
                // changed meanwhile, or encoded by a batch's call with it (which takes the batch's plan, not this one)
                boolean unchanged = stillEncodedAs(stamp);
                decodeReceive(p, 0, r, unchanged);
                if (!unchanged) {
                    throw new IllegalStateException("recvmsg: the message was changed, or used in a batch's call, by"
                            + " another thread during the call; of the " + r + " bytes it received, those for direct"
                            + " buffers are in the buffers it had then, those for heap buffers are lost, and none are"
                            + " in its new buffers");
                }
            }
            return r;
        } finally {
            p.release();
        }
    }

    /**
     * Bytes of the plan's data area a receive into this message takes: the sender's address, staged heap bytes and
     * the control space.
     *
     * @throws ReadOnlyBufferException when a buffer is read-only
     */
    long receiveDataBytes() {
        if (readOnlyCount > 0) {
            throw new ReadOnlyBufferException();
        }
        long data = receiveFixedBytes;
        for (int i = 0; stagedCount > 0 && i < count; i++) {
            if (treatment[i] == DirectBuffers.STAGED) {
                data += MessagePlan.align8(buffers[i].remaining());
            }
        }
        return data;
    }

    /** The most control messages the control space can return, each at least {@code CMSG_SPACE(0)}. */
    int receiveRecords() {
        return receiveRecords;
    }

    /**
     * Writes this message as message {@code i} of a receive plan, from iov record {@code iov} and cmsg record
     * {@code cmsg}. With {@code truncating} (the call has {@code MSG_TRUNC}, with which a stream socket counts bytes
     * it does not store), staged buffers' bytes are copied in first, so that what is copied back is the buffer's own
     * where the kernel wrote nothing. {@code used}: the call gives this message to the kernel; a batch call whose
     * {@code vlen} leaves it out only describes it (see {@link #encodeBuffers}). Returns the stamp this encoding
     * took before it read the message, for {@link #asEncoded}: a change made meanwhile moved the message past it.
     *
     * @throws ReadOnlyBufferException when a buffer is read-only
     */
    int encodeReceive(MessagePlan p, int i, int iov, int cmsg, boolean truncating, boolean used) {
        requireOpen();
        int n = count;
        int stamp = startCall(n, used);
        int nameOff = p.data(SOCKADDR_STORAGE);
        encodeBuffers(p, iov, n, truncating && used, true, used);
        int space = controlSpace;
        int ctlOff = p.data(space);
        p.message(i, nameOff, SOCKADDR_STORAGE, iov, n, cmsg, receiveRecords, ctlOff, space);
        encodedRecords = receiveRecords;
        return stamp;
    }

    /**
     * {@return the iov records the last encoding wrote} A batch lays the next message's records after them, not after
     * the buffer count read again, which another thread may have changed meanwhile: records laid over this message's
     * would have it send the next one's, whose staged bytes a call that left it out never copied in.
     */
    int encodedIovs() {
        return encodedCount;
    }

    /** {@return the cmsg records the last encoding wrote}, as {@link #encodedIovs()} for the cmsg records */
    int encodedRecords() {
        return encodedRecords;
    }

    /** {@return the message's stamp as it is: moved by every encoding and every change (the tests read it)} */
    int encoding() {
        return encoding;
    }

    /**
     * Whether a send plan that encoded this message with stamp {@code stamp} still describes it: as for a receive
     * ({@link #asEncoded}), and no buffer is staged, since a staged buffer's bytes are copied into the plan by each
     * call that uses them (they may have changed); that the plan holds no staged record of the message either, which
     * a call that left it out did not fill, is the plan owner's to check ({@code MessageBatch}). The destination and
     * the control messages are
     * immutable or the message's own copies (a {@link SockAddrBuffer}'s address, the packet info, the transmit
     * time), and setting any of them changes the stamp.
     *
     * @throws IllegalStateException when the message is closed (checked only when no buffer is staged: encoding
     *     checks it too)
     */
    boolean sendsAsEncoded(int stamp) {
        return stagedCount == 0 && rightsFd == encodedRightsFd && asEncoded(stamp);
    }

    /**
     * Whether a plan that encoded this message with stamp {@code stamp} still describes it: no plan encoded it since,
     * its buffer list (and its length, should a change and that encoding's stamp have crossed on two threads),
     * destination and control messages are the same, and every buffer's position and limit are
     * where that encoding found them (as after {@code clear()} of buffers that were clear before, or after
     * {@link #rewind()}). A staged direct buffer is probed ({@link DirectBuffers#requireMemory}) as {@link #start}
     * probes it; one passed by address is checked just before the call ({@link MessagePlan#requireListedMemory}).
     *
     * @throws IllegalStateException when the message is closed, or a direct buffer's memory is gone
     */
    boolean asEncoded(int stamp) {
        requireOpen();
        if (stamp != encoding || count != encodedCount) {
            return false;
        }
        for (int k = 0; k < count; k++) {
            ByteBuffer buf = buffers[k];
            int pos = buf.position();
            int len = startLen[k];
            if (pos != startPos[k] || buf.limit() - pos != len) {
                return false;
            }
            if (treatment[k] == DirectBuffers.STAGED && buf.isDirect()) {
                DirectBuffers.requireMemory(buf, DirectBuffers.STAGED, pos, len);
            }
        }
        if (rewindLags) {
            // encoded by a call that left it out, used now as encoded: this call is the one rewind() goes back to
            rewindLags = false;
            rewindCount(count);
            for (int k = 0; k < count; k++) {
                noteRewind(k, buffers[k], startPos[k]);
            }
        }
        return true;
    }

    /**
     * Whether nothing encoded changed since an encoding took stamp {@code stamp}: false when another thread changed
     * the message (its buffer list, say) while a receive batch that was given it ran, so that what the kernel did is
     * not to be told in terms of its new buffers. Asked after receives only: a receive batch holds a message once,
     * where a send batch may hold it twice, and its second encoding moves the stamp past the first's.
     */
    boolean stillEncodedAs(int stamp) {
        return stamp == encoding && count == encodedCount;
    }

    /**
     * Notes that the batch receive being encoded with {@code mark} (a number no other encoding uses) holds this
     * message; false when it already did, that is, when the message is in that batch twice.
     */
    boolean markForReceive(long mark) {
        if (receiveMark == mark) {
            return false;
        }
        receiveMark = mark;
        return true;
    }

    /**
     * Takes what message {@code i} of the plan received ({@code n} bytes): flags, source and control first, since
     * control messages may carry descriptors that must not be lost, then, unless {@code intoBuffers} is false (the
     * buffer list changed during the call, {@link #stillEncodedAs}), the bytes (whose copy into a shared arena's
     * buffer throws if its arena was closed meanwhile).
     */
    void decodeReceive(MessagePlan p, int i, long n, boolean intoBuffers) {
        receivedFlags = p.messageInt(i, MessagePlan.M_OUT_FLAGS);
        receivedControlLength = p.messageInt(i, MessagePlan.M_OUT_CONTROLLEN);
        int nameLength = p.messageInt(i, MessagePlan.M_OUT_NAMELEN);
        sourceLength = nameLength;
        if (nameLength > 0) {
            takeSource(p, p.messageInt(i, MessagePlan.M_NAME_OFF), Math.min(nameLength, SOCKADDR_STORAGE));
        }
        int parsed = p.messageInt(i, MessagePlan.M_OUT_CMSGS);
        if (parsed > 0) {
            controlHeld = true;
            receivedControl.copy(p, p.messageInt(i, MessagePlan.M_CMSG_FIRST), parsed);
        } else if (controlHeld) {
            receivedControl.clear();
            controlHeld = false;
        }
        if (!intoBuffers) {
            return;
        }
        long left = n;
        ByteBuffer pb = p.buffer();
        for (int k = 0; k < count; k++) {
            int take = (int) Math.min(left, startLen[k]);
            ByteBuffer buf = buffers[k];
            if (stagedCount > 0 && take > 0 && treatment[k] == DirectBuffers.STAGED) {
                if (buf.hasArray()) {
                    pb.get(stagedOff[k], buf.array(), buf.arrayOffset() + startPos[k], take);
                } else {
                    buf.put(startPos[k], pb, stagedOff[k], take);
                }
            }
            buf.position(startPos[k] + take);
            left -= take;
        }
    }

    /**
     * Copies the {@code n} bytes of a received address at {@code off} of the plan (whose name room holds
     * {@code SOCKADDR_STORAGE} bytes, so the words read are all inside it).
     */
    private void takeSource(MessagePlan p, int off, int n) {
        ByteBuffer pb = p.buffer();
        source0 = pb.getLong(off);
        source1 = pb.getLong(off + 8);
        if (n > 2 * Long.BYTES) {
            source2 = pb.getLong(off + 16);
            source3 = pb.getLong(off + 24);
            if (n > SOURCE_WORDS * Long.BYTES) {
                if (sourceTail == null) {
                    sourceTail = new byte[SOCKADDR_STORAGE - SOURCE_WORDS * Long.BYTES];
                }
                p.copyOut(off + SOURCE_WORDS * Long.BYTES, sourceTail, 0, n - SOURCE_WORDS * Long.BYTES);
            }
        }
    }

    /**
     * Puts every buffer's position back where the last call found it, so that the next call sends (or receives
     * into) the same bytes again. A call advances the positions as far as the kernel went, as C's pointers would
     * be advanced by hand; without this, sending a fully sent message again sends its buffers' empty remainders.
     * Buffers added since the last call are left as they are. A batch call whose {@code vlen} or offset left this
     * message out ({@link Posix#sendmmsg(int, MessageBatch, int, int)},
     * {@link Posix#sendmmsgAt(int, MessageBatch, int, int, int)}) does not count: the positions go back to where the
     * last call that gave the message to the kernel found them. Only positions move: a buffer whose limit was
     * changed since ({@code flip()} to read what a receive brought) keeps that limit, and the next receive stops
     * there (a longer datagram is cut, {@code MSG_TRUNC}); {@link #clearEachBuffer()} gives a receive the whole of each
     * buffer again.
     *
     * @return this message
     */
    public Message rewind() {
        for (int i = 0; i < count && i < lastCount; i++) {
            if (buffers[i] == lastBuffers[i]) {
                buffers[i].position(rewindPos[i]);
            }
        }
        return this;
    }

    /**
     * {@code clear()}s every buffer of the list: position 0, limit at its capacity, as C offers a receive each
     * {@code iovec}'s whole {@code iov_len} again. Allocates nothing. (The list stays; {@link #clearBuffers()}
     * empties it.)
     *
     * @return this message
     */
    public Message clearEachBuffer() {
        for (int i = 0; i < count; i++) {
            buffers[i].clear();
        }
        return this;
    }

    /**
     * {@return whether the last receive set {@code MSG_TRUNC}: the datagram was longer than the buffers, and the
     * rest was lost}
     */
    public boolean truncated() {
        return (receivedFlags & MsgFlag.MSG_TRUNC.value()) != 0;
    }

    /**
     * {@return whether the last receive set {@code MSG_CTRUNC}: control messages did not fit in the control space
     * and were cut}
     */
    public boolean controlTruncated() {
        return (receivedFlags & MsgFlag.MSG_CTRUNC.value()) != 0;
    }

    /** Bytes this message stages when sent (heap buffers and those over a shared arena). */
    long heapBytes() {
        if (stagedCount == 0) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < count; i++) {
            if (treatment[i] == DirectBuffers.STAGED) {
                n += buffers[i].remaining();
            }
        }
        return n;
    }

    /** Bytes of the plan's data area a send of this message takes: address, staged bytes, control payloads. */
    long sendDataBytes() {
        long n = name == null ? 0 : MessagePlan.align8(nameLength);
        for (int i = 0; stagedCount > 0 && i < count; i++) {
            if (treatment[i] == DirectBuffers.STAGED) {
                n += MessagePlan.align8(buffers[i].remaining());
            }
        }
        for (int k = 0; k < controlCount; k++) {
            n += MessagePlan.align8(controls[k].planDataLength());
        }
        return n + (sendsTxtime ? Long.BYTES : 0) + (rightsFd >= 0 ? Long.BYTES : 0);
    }

    /**
     * Writes this message as message {@code i} of a send plan, its buffers from iov record {@code iov}, its controls
     * from cmsg record {@code cmsg}. {@code used}: the call gives this message to the kernel; a batch sent with a
     * {@code vlen} that leaves it out only describes it, and makes room for its staged bytes without copying them (a
     * call that sends a message with staged bytes encodes it again, and fills the room then; see
     * {@link #encodeBuffers}). Returns the stamp this encoding took before it read the message, for
     * {@link #sendsAsEncoded}.
     */
    int encodeSend(MessagePlan p, int i, int iov, int cmsg, boolean used) {
        requireOpen();
        int n = count;
        // the stamp before any field is read: a change from here on moves the message's stamp past it
        int stamp = startCall(n, used);
        ByteBuffer pb = p.buffer();
        int nameOff = 0;
        int nameLen = 0;
        byte[] image = name;
        if (image != null) {
            nameLen = Math.min(nameLength, image.length);
            nameOff = p.data(nameLen);
            pb.put(nameOff, image, 0, nameLen);
        }
        encodeBuffers(p, iov, n, used, false, used);
        // each count read once: the record written last must name the records written, whatever another thread does
        int cs = controlCount;
        ControlMessage[] listed = controls;
        for (int k = 0; k < cs; k++) {
            ControlMessage c = listed[k];
            int len = c.planDataLength();
            int off = 0;
            if (len > 0) {
                off = p.data(len);
                pb.put(off, c.planData(), 0, len);
            }
            p.cmsg(cmsg + k, c.level(), c.type(), c.planKind(), off, len, c.planValue(), c.planAddress());
        }
        int pk = pktinfoKind;
        int own = 0; // the space of the message's own control messages, of what this encoding writes
        if (pk != NO_PKTINFO) {
            // the message's own packet info, written from its fields at every encoding as a typed control message is
            boolean v4 = pk == MessagePlan.KIND_IN_PKTINFO;
            p.cmsg(cmsg + cs, v4 ? Posix.IPPROTO_IP : Posix.IPPROTO_IPV6, v4 ? Posix.IP_PKTINFO : Posix.IPV6_PKTINFO,
                    pk, 0, 0, pktinfoIfindex, pktinfoSource);
            own += v4 ? OwnControlSpace.IN : OwnControlSpace.IN6;
            cs++;
        }
        if (sendsTxtime) {
            // the message's own transmit time, a uint64_t in the machine's order as the plan's buffer is
            int off = p.data(Long.BYTES);
            pb.putLong(off, txtimeNanos);
            p.cmsg(cmsg + cs, Posix.SOL_SOCKET, Posix.SCM_TXTIME, MessagePlan.KIND_RAW, off, Long.BYTES, 0, null);
            own += OwnControlSpace.TXTIME;
            cs++;
        }
        int passed = rightsFd; // read once: the plan and the record of it agree
        encodedRightsFd = passed;
        if (passed >= 0) {
            // the message's own descriptor, an int in the machine's order as the plan's buffer is
            int off = p.data(Integer.BYTES);
            pb.putInt(off, passed);
            p.cmsg(cmsg + cs, Posix.SOL_SOCKET, Posix.SCM_RIGHTS, MessagePlan.KIND_RAW, off, Integer.BYTES, 0, null);
            own += OwnControlSpace.RIGHTS;
            cs++;
        }
        p.message(i, nameOff, nameLen, iov, n, cmsg, cs, 0, controlUsed + own);
        encodedRecords = cs;
        return stamp;
    }

    /** The cmsg records a send of this message takes: its control messages, own packet info and transmit time. */
    int sendRecords() {
        return controlCount + (pktinfoKind == NO_PKTINFO ? 0 : 1) + (sendsTxtime ? 1 : 0) + (rightsFd >= 0 ? 1 : 0);
    }

    /**
     * Begins a call's bookkeeping of the {@code n} buffers it encodes (see {@link #start}); {@code used}: the call
     * gives them to the kernel, and is the one {@link #rewind} goes back to. Returns the message's new stamp, which
     * any later change moves past.
     */
    private int startCall(int n, boolean used) {
        int stamp = ++encoding;
        rewindLags = !used;
        if (used) {
            rewindCount(n);
        }
        return stamp;
    }

    /** Makes the first {@code n} buffers the ones {@link #rewind} puts back, each noted by {@link #noteRewind}. */
    private void rewindCount(int n) {
        for (int i = lastCount - 1; i >= n; i--) {
            lastBuffers[i] = null;
        }
        lastCount = n;
    }

    /** Notes {@code buf}, at {@code pos}, as buffer {@code i} of the call {@link #rewind} goes back to. */
    private void noteRewind(int i, ByteBuffer buf, int pos) {
        rewindPos[i] = pos;
        if (lastBuffers[i] != buf) {
            lastBuffers[i] = buf; // stored only when it changed: a reference store costs a GC barrier
        }
    }

    /**
     * Notes where buffer {@code i} starts for this call ({@link #advance}, and {@link #rewind} when {@code used}) and,
     * when {@code used}, refuses a staged direct one whose memory is gone; returns the buffer.
     */
    private ByteBuffer start(int i, boolean used) {
        ByteBuffer buf = buffers[i];
        int pos = buf.position();
        int len = buf.limit() - pos;
        startPos[i] = pos;
        startLen[i] = len;
        if (!used) {
            return buf; // not read or written by this call: a later call that uses it checks it (asEncoded)
        }
        noteRewind(i, buf, pos);
        if (treatment[i] == DirectBuffers.STAGED && buf.isDirect()) {
            // so that a receive is refused before it takes anything; a buffer passed by address is checked by its
            // own treatment just before the call (DirectBuffers.requireByAddress)
            DirectBuffers.requireMemory(buf, DirectBuffers.STAGED, pos, len);
        }
        return buf;
    }

    /**
     * Writes the iov records of the first {@code n} buffers from {@code iov}, staged ones copied in with
     * {@code copyIn}; {@code intoBuffers} (a receive) refuses a read-only buffer here too, since the list may have
     * changed since {@link #receiveDataBytes} counted them. Without {@code used} (a batch call whose
     * {@code vlen} leaves this message out) the records are written as for any call, so that a later call with
     * another {@code vlen} finds the message described, but what {@link #rewind} goes back to is left as it is, and
     * a staged direct buffer's memory is not probed: the call reads and writes none of the message's buffers.
     */
    private void encodeBuffers(MessagePlan p, int iov, int n, boolean copyIn, boolean intoBuffers, boolean used) {
        ByteBuffer pb = p.buffer();
        for (int i = 0; i < n; i++) {
            ByteBuffer buf = start(i, used);
            if (intoBuffers && buf.isReadOnly()) {
                throw new ReadOnlyBufferException();
            }
            int pos = startPos[i];
            int len = startLen[i];
            if (treatment[i] != DirectBuffers.STAGED) {
                p.iovDirect(iov + i, p.addBuffer(buf), pos, len);
            } else {
                int off = p.data(len);
                stagedOff[i] = off;
                if (copyIn) {
                    if (buf.hasArray()) {
                        pb.put(off, buf.array(), buf.arrayOffset() + pos, len);
                    } else {
                        pb.put(off, buf, pos, len);
                    }
                }
                p.iovStaged(iov + i, off, len);
            }
        }
        encodedCount = n;
    }

    /**
     * Advances the positions by {@code n} bytes sent, from where the last call found them: of each buffer the list
     * has held at its index since that call ({@link #clearBuffers()} forgets the call's), as {@link #rewind} checks,
     * so that a buffer another thread put in during the call, which sent nothing, does not move.
     *
     * @return whether the {@code n} bytes took every buffer's bytes whole (a datagram, or a stream send that went on
     *     past this message)
     */
    boolean advance(long n) {
        long left = n;
        boolean whole = true;
        for (int i = 0, listed = Math.min(count, lastCount); i < listed; i++) {
            int take = (int) Math.min(left, startLen[i]);
            ByteBuffer buf = buffers[i];
            if (buf != null && buf == lastBuffers[i]) {
                buf.position(startPos[i] + take);
            }
            whole &= take == startLen[i];
            left -= take;
        }
        return whole;
    }
}

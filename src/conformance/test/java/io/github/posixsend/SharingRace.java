// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.MessagePlan;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a child JVM by {@link SharingRaceTest}: misuse that must end in results and exceptions, never in a crash.
 *
 * <ol>
 *   <li><b>message</b>: eight threads send and receive with one shared {@link Message} while another thread keeps
 *       changing its buffers (direct, heap, read-only, slices), destination and control messages;
 *   <li><b>plan</b>: one thread calls the backend's sendmsg, sendmmsg and recvmsg with one plan while another
 *       writes hostile numbers into its header and records, so that every value the backend reads may change
 *       between its check and its use.
 * </ol>
 * Each part runs for the given number of milliseconds (bounded), then prints its counts and "done".
 */
public final class SharingRace {
    private SharingRace() {
    }

    public static void main(String[] args) throws Exception {
        long millis = Long.parseLong(args[1]);
        int rx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
        int tx = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        Posix.bind(rx, new InetSocketAddress(loopback, 0));
        Posix.bind(tx, new InetSocketAddress(loopback, 0));
        InetSocketAddress to = (InetSocketAddress) Posix.getsockname(rx);
        Posix.connect(tx, to);
        Posix.setBlocking(rx, false);
        Posix.setBlocking(tx, false);
        try {
            if (args[0].equals("message")) {
                message(tx, rx, to, millis);
            } else {
                plan(tx, rx, to, millis);
            }
        } finally {
            Posix.close(tx);
            Posix.close(rx);
        }
        System.out.println("done");
    }

    private static void message(int tx, int rx, InetSocketAddress to, long millis) throws Exception {
        Message shared = new Message();
        AtomicLong results = new AtomicLong();
        AtomicLong refusals = new AtomicLong();
        long end = System.nanoTime() + millis * 1_000_000L;
        Thread[] users = new Thread[8];
        for (int t = 0; t < users.length; t++) {
            boolean receiver = t % 4 == 3;
            users[t] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        long r = receiver ? Posix.recvmsg(rx, shared, MsgFlag.MSG_DONTWAIT.value())
                                : Posix.trySendmsg(tx, shared, MsgFlag.MSG_DONTWAIT.value());
                        results.incrementAndGet();
                    } catch (RuntimeException | ErrnoException e) {
                        refusals.incrementAndGet(); // in use, closed arena, a buffer changed under the call, ...
                    }
                }
            });
            users[t].start();
        }
        Random rnd = new Random(7);
        ByteBuffer direct = ByteBuffer.allocateDirect(256);
        ByteBuffer heap = ByteBuffer.allocate(256);
        SockAddr dest = SockAddr.of(to);
        ControlMessage ttl = ControlMessage.ipTtl(9);
        ControlMessage raw = ControlMessage.raw(Posix.IPPROTO_IP, Posix.IP_TOS, new byte[] {0, 0, 0, 0});
        long changes = 0;
        while (System.nanoTime() < end) {
            try {
                switch (rnd.nextInt(8)) {
                    case 0 -> shared.clearBuffers();
                    case 1 -> shared.add(direct.duplicate().position(rnd.nextInt(256)));
                    case 2 -> shared.add(heap.duplicate().limit(rnd.nextInt(257)));
                    case 3 -> shared.add(direct.slice(rnd.nextInt(128), 64).asReadOnlyBuffer());
                    case 4 -> shared.destination(rnd.nextBoolean() ? dest : null);
                    case 5 -> shared.clearControl();
                    case 6 -> shared.addControl(rnd.nextBoolean() ? ttl : raw);
                    default -> shared.add(ByteBuffer.allocateDirect(1 + rnd.nextInt(64)));
                }
                if (shared.bufferCount() > 16) {
                    shared.clearBuffers();
                }
                if (shared.controlCount() > 8) {
                    shared.clearControl();
                }
                changes++;
            } catch (RuntimeException e) {
                // a change racing with a call may throw on either side; both are allowed
            }
        }
        for (Thread t : users) {
            t.join(10_000);
        }
        shared.close();
        System.out.println("message: " + results.get() + " results, " + refusals.get() + " refusals, " + changes
                + " changes");
    }

    private static void plan(int tx, int rx, InetSocketAddress to, long millis) throws Exception {
        Backend b = Backends.current();
        MessagePlan plan = TestPlans.create();
        byte[] name = SockAddr.of(to).image();
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        build(plan, name, direct);
        ByteBuffer pb = plan.buffer(); // the same buffer for the whole run: the plan never grows past it
        int cap = pb.capacity();
        long end = System.nanoTime() + millis * 1_000_000L;
        AtomicLong corruptions = new AtomicLong();
        Thread corrupter = new Thread(() -> {
            Random rnd = new Random(11);
            int[] hostile = {-1, 0, 1, 4, 8, 16, 56, 1024, cap - 4, cap, cap + 1, Integer.MAX_VALUE,
                Integer.MIN_VALUE, 1 << 20, 1 << 28};
            while (System.nanoTime() < end) {
                int field = 4 * rnd.nextInt(Math.min(cap, 1024) / 4);
                if (field == MessagePlan.H_VERSION) {
                    continue;
                }
                pb.putInt(field, rnd.nextBoolean() ? hostile[rnd.nextInt(hostile.length)] : rnd.nextInt(64));
                corruptions.incrementAndGet();
            }
        });
        corrupter.start();
        long calls = 0;
        long refused = 0;
        long thrown = 0;
        int flags = MsgFlag.MSG_DONTWAIT.value();
        while (System.nanoTime() < end) {
            try {
                long r = switch ((int) (calls % 3)) {
                    case 0 -> b.sendmsg(tx, plan, flags);
                    case 1 -> b.sendmmsg(tx, plan, 0, 1, flags);
                    default -> b.recvmsg(rx, plan, flags);
                };
                if (r < 0) {
                    refused++;
                }
            } catch (RuntimeException e) {
                thrown++; // the JNR backend reads through bounds-checked buffers: a changed value may throw there
            }
            calls++;
            if (calls % 64 == 0) {
                build(plan, name, direct); // start again from a valid plan now and then
            }
        }
        corrupter.join(10_000);
        System.out.println("plan: " + calls + " calls, " + refused + " -errno, " + thrown + " thrown, "
                + corruptions.get() + " corruptions");
    }

    /** A plan of two messages to the receiver, each with a staged and a direct iov and an IP_TTL. */
    private static void build(MessagePlan p, byte[] name, ByteBuffer direct) {
        p.begin(2, 4, 2, 2048);
        int listed = p.addBuffer(direct);
        for (int i = 0; i < 2; i++) {
            int nameOff = p.data(name.length);
            p.buffer().put(nameOff, name, 0, name.length);
            p.iovStaged(2 * i, p.data(16), 16);
            p.iovDirect(2 * i + 1, listed, 16 * i, 16);
            p.cmsg(i, Posix.IPPROTO_IP, Posix.IP_TTL, MessagePlan.KIND_INT, 0, 0, 9, null);
            p.message(i, nameOff, name.length, 2 * i, 2, i, 1, p.data(256), 256);
        }
    }
}

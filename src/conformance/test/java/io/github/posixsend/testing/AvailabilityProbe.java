// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import io.github.posixsend.Message;
import io.github.posixsend.MsgFlag;
import io.github.posixsend.PollSet;
import io.github.posixsend.Posix;
import io.github.posixsend.SockAddr;
import io.github.posixsend.SockAddrBuffer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Run in a child JVM by AvailabilityTest: reports on standard output, one {@code key=value} line each, whether
 * posix-send is available, its unavailability cause, and what each of several calls threw, twice in a row.
 * Prints nothing else, so that anything the library itself prints shows in the output.
 */
public final class AvailabilityProbe {
    private AvailabilityProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean available = Posix.isAvailable();
        Throwable cause = Posix.unavailabilityCause();
        System.out.println("available=" + available);
        System.out.println("cause.class=" + (cause == null ? "null" : cause.getClass().getName()));
        System.out.println("cause.message=" + (cause == null ? "null" : cause.getMessage().replace('\n', ' ')));
        System.out.println("AF_INET.unsupported=" + (Posix.AF_INET == Posix.UNSUPPORTED));
        if (available) {
            System.out.println("backend=" + Posix.backendName());
            int fd = Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0);
            Posix.close(fd);
            System.out.println("call=ok");
            return;
        }
        // an exception made elsewhere (deserialized, say) still says what it is
        String message;
        try {
            message = io.github.posixsend.ErrnoException.of("send", 9999).getMessage();
        } catch (Throwable t) {
            message = "threw " + t;
        }
        System.out.println("message=" + message);
        List<Callable<?>> calls = List.of(
                () -> Posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM, 0),
                () -> Posix.socket(2, 2, 0),
                () -> Posix.trySend(-1, new byte[1], 0, 1, 0),
                Posix::backendName,
                () -> MsgFlag.MSG_DONTWAIT.value(),
                () -> new PollSet(1),
                () -> new SockAddrBuffer(),
                () -> SockAddr.of(new InetSocketAddress("127.0.0.1", 9)),
                () -> Message.of(ByteBuffer.allocate(1)),
                () -> Posix.recvfrom(0, ByteBuffer.allocate(1), 0),
                () -> Posix.getsockname(0),
                () -> Posix.getpeername(0),
                () -> {
                    Posix.setsockopt(0, 1, 2, new byte[4]);
                    return null;
                },
                () -> Posix.getsockopt(0, 1, 2, new byte[4]),
                () -> Posix.getsockoptLinger(0, 1, 13),
                () -> {
                    Posix.setsockopt(0, 1, 20, java.time.Duration.ofSeconds(1));
                    return null;
                },
                () -> Posix.tryIoctlInt(0, 0x541B, new int[1]),
                () -> Posix.getsockoptTcpInfo(0),
                () -> new io.github.posixsend.ErrorQueueEntry(),
                () -> new io.github.posixsend.ZerocopySends(0, 1),
                () -> io.github.posixsend.TxTimestamp.from(null),
                () -> Posix.tryWrite(-1, ByteBuffer.allocateDirect(1)),
                () -> Posix.tryRead(-1, new byte[1], 0, 1),
                () -> Posix.pipe(Posix.O_CLOEXEC),
                () -> Posix.isCloseOnExec(0),
                // pure Java, but the families and the attribute header are the running platform's
                () -> Posix.inetPton(2, "127.0.0.1", new byte[16]),
                () -> Posix.inetPton(Posix.AF_INET, "127.0.0.1", new byte[4]),
                () -> Posix.inetNtop(10, new byte[16]),
                () -> io.github.posixsend.NetlinkAttributes.first(new byte[8], 0, 8));
        for (int i = 0; i < calls.size(); i++) {
            for (int round = 1; round <= 2; round++) {
                String outcome;
                try {
                    calls.get(i).call();
                    outcome = "returned";
                } catch (Throwable t) {
                    outcome = t.getClass().getName() + " causeIsTheOne=" + (t.getCause() == cause && cause != null);
                }
                System.out.println("call" + i + ".round" + round + "=" + outcome);
            }
        }
    }
}

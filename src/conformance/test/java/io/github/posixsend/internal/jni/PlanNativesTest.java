package io.github.posixsend.internal.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.Posix;
import io.github.posixsend.TestPlans;
import io.github.posixsend.internal.MessagePlan;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The shim's message natives given what no MessagePlan would pass them: no ranges, a listed count the ranges
 * cannot hold, no plan memory or too little of it, an iov naming no listed buffer or a range beyond a buffer's
 * capacity. Each answers {@code -EINVAL} before the kernel is called.
 */
class PlanNativesTest {
    private static final int EINVAL = -Errno.EINVAL.number();

    /** A valid one-message plan whose one iov takes 4 bytes of listed buffer 0, {@code direct}. */
    private static MessagePlan plan(ByteBuffer direct) {
        MessagePlan p = TestPlans.create();
        p.begin(1, 1, 0, 64);
        p.iovDirect(0, p.addBuffer(direct), 0, 4);
        p.message(0, 0, 0, 0, 1, 0, 0, 0, 0);
        return p;
    }

    @Test
    void malformedArgumentsGetEinval() throws Exception {
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        int[] fds = Posix.socketpair(Posix.AF_UNIX, Posix.SOCK_DGRAM, 0);
        try {
            int fd = fds[0];
            ByteBuffer direct = ByteBuffer.allocateDirect(16);
            MessagePlan p = plan(direct);
            long[] ranges = p.ranges().clone();
            assertEquals(4, JniNative.sendmsg0(fd, ranges, 1, 0), "the plan as made works");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, null, 1, 0), "no ranges");
            assertEquals(EINVAL, JniNative.recvmsg0(fd, null, 0, 0), "no ranges");
            assertEquals(EINVAL, JniNative.sendmmsg0(fd, null, 0, 0), "no ranges");
            assertEquals(EINVAL, JniNative.recvmmsg0(fd, null, 0, 0, -1), "no ranges");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, new long[1], 0, 0), "ranges without the plan's own");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, ranges, -1, 0), "a negative listed count");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, ranges, (ranges.length - 2) / 2 + 1, 0),
                    "more listed buffers than the ranges hold");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, ranges, Integer.MAX_VALUE, 0), "a huge listed count");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, ranges, 0, 0), "the iov names a buffer not listed");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, with(ranges, 0, 0), 1, 0), "no plan memory");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, with(ranges, 1, 8), 1, 0), "a plan below a header");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, with(ranges, 1, -1), 1, 0), "a negative plan capacity");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, with(ranges, 1, 1L << 32), 1, 0), "a plan above 2 GiB");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, with(ranges, 2, 0), 1, 0), "a listed buffer at address 0");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, with(ranges, 3, 2), 1, 0),
                    "a listed buffer smaller than the range");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, with(ranges, 3, -1), 1, 0), "a negative buffer capacity");
            assertEquals(4, JniNative.sendmsg0(fd, ranges, 1, 0), "the plan still works");
        } finally {
            Posix.close(fds[0]);
            Posix.close(fds[1]);
        }
    }

    private static long[] with(long[] ranges, int index, long value) {
        long[] r = ranges.clone();
        r[index] = value;
        return r;
    }
}

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
 * The shim's message natives given what no MessagePlan would pass them: no plan, a heap or too small plan
 * buffer, a buffer list holding no buffer, a heap buffer or another object. Each answers {@code -EINVAL}
 * before the kernel is called.
 */
class PlanNativesTest {
    private static final int EINVAL = -Errno.EINVAL.number();

    /** A valid one-message plan whose one iov names buffer 0 of the list. */
    private static MessagePlan plan() {
        MessagePlan p = TestPlans.create();
        p.begin(1, 1, 0, 64);
        p.iovDirect(0, 0, 0, 4);
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
            MessagePlan p = plan();
            ByteBuffer plan = p.buffer();
            assertEquals(4, JniNative.sendmsg0(fd, plan, new ByteBuffer[] {direct}, 0), "the plan as made works");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, null, new ByteBuffer[] {direct}, 0), "no plan");
            assertEquals(EINVAL, JniNative.recvmsg0(fd, null, null, 0), "no plan");
            assertEquals(EINVAL, JniNative.sendmmsg0(fd, null, null, 0), "no plan");
            ByteBuffer heap = ByteBuffer.allocate(plan.capacity());
            heap.put(0, plan, 0, plan.capacity());
            assertEquals(EINVAL, JniNative.sendmsg0(fd, heap, new ByteBuffer[] {direct}, 0), "heap plan");
            ByteBuffer small = ByteBuffer.allocateDirect(8);
            assertEquals(EINVAL, JniNative.sendmsg0(fd, small, new ByteBuffer[] {direct}, 0), "plan below a header");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, plan, null, 0), "no buffer list");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, plan, new ByteBuffer[0], 0), "an empty list");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, plan, new ByteBuffer[1], 0), "a null entry");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, plan, new ByteBuffer[] {ByteBuffer.allocate(16)}, 0),
                    "a heap buffer");
            assertEquals(EINVAL, JniNative.sendmsg0(fd, plan, new ByteBuffer[] {ByteBuffer.allocateDirect(2)}, 0),
                    "a direct buffer smaller than the range");
            assertEquals(4, JniNative.sendmsg0(fd, plan, new ByteBuffer[] {direct.asReadOnlyBuffer()}, 0),
                    "a read-only direct buffer may be sent from");
        } finally {
            Posix.close(fds[0]);
            Posix.close(fds[1]);
        }
    }
}

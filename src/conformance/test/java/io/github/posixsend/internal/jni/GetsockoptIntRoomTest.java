// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.Errno;
import io.github.posixsend.Os;
import io.github.posixsend.Posix;
import io.github.posixsend.internal.Backend;
import io.github.posixsend.internal.Backends;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteOrder;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;

/**
 * Linux's {@code SO_GET_FILTER} (26 at {@code SOL_SOCKET}, the number of {@code SO_ATTACH_FILTER}) takes the length
 * offered as a count of 8-byte instructions: into the 4 bytes of an int it writes a whole program of up to 4
 * instructions. posix-send refuses that option in its int form; the shim's int read keeps room past the int all the
 * same, which this test fills on purpose (under {@code scripts/sanitize} an overflow of the int would be reported).
 */
class GetsockoptIntRoomTest {
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int BPF_RET_K = 0x06;
    private static final int INSTRUCTIONS = 4;

    /** What the test itself calls to attach a program: posix-send refuses this option, as it holds an address. */
    public interface Sys {
        int setsockopt(int fd, int level, int name, Pointer value, int len);
    }

    @Test
    void aHandlerThatWritesPastTheIntWritesIntoTheShimsRoom() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_GET_FILTER is Linux's");
        assumeTrue(Posix.backendName().equals("jni"), "the shim's natives; this run uses " + Posix.backendName());
        Sys sys = LibraryLoader.create(Sys.class).load("c");
        Runtime rt = Runtime.getRuntime(sys);
        try (Descriptors fds = new Descriptors()) {
            int fd = fds.boundUdp(false);
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; } then the program: four
            // "return k" instructions, each k a distinct pattern
            Pointer mem = Memory.allocateDirect(rt, 16 + 8 * INSTRUCTIONS);
            mem.putShort(0, (short) INSTRUCTIONS);
            mem.putAddress(8, mem.address() + 16);
            for (int i = 0; i < INSTRUCTIONS; i++) {
                mem.putShort(16 + 8 * i, (short) BPF_RET_K);
                mem.putInt(16 + 8 * i + 4, 0x5a5a0000 + i);
            }
            assertEquals(0, sys.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, mem, 16), "attach the program");

            int[] out = {-1};
            assertEquals(0, JniNative.getsockoptInt0(fd, SOL_SOCKET, SO_ATTACH_FILTER, out),
                    "the kernel copies the whole program, 32 bytes, and succeeds");
            int first = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? BPF_RET_K : BPF_RET_K << 16;
            assertEquals(first, out[0], "the int holds the first instruction's opcode, jt and jf");

            // through posix-send, the int form is refused before any backend's native call
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Posix.getsockopt(fd, Posix.SOL_SOCKET, SO_ATTACH_FILTER));
            assertTrue(e.getMessage().contains("classic BPF"), e.getMessage());
            Backend b = Backends.current();
            assertEquals(-Errno.EINVAL.number(), b.getsockoptInt(fd, SOL_SOCKET, SO_ATTACH_FILTER, out));
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.jnr;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Library;
import com.kenai.jffi.Type;
import io.github.posixsend.internal.jnr.binding.LibC;

/**
 * The C library's {@code sendto} and {@code recvfrom}, which take six arguments, called through jffi's own
 * invoker rather than a JNR-FFI interface method.
 *
 * <p>JNR-FFI's x86_64 stub compiler, which binds every {@link LibC} method whose arguments are all primitive,
 * loads the sixth integer argument from the wrong stack slot (the return address instead of the argument), so a
 * six-argument method of {@code LibC} would hand {@code sendto} a garbage address length and {@code recvfrom} a
 * garbage pointer to write the length to. jffi's {@code invokeN6} is the generic path JNR itself falls back to:
 * C code that passes each argument as its declared type, so the call reaching the kernel is the real
 * {@code sendto(2)} or {@code recvfrom(2)}, with the kernel's own checks in the kernel's own order. Its
 * arguments are primitives, so a call allocates nothing; errno is saved into jffi's per-thread last error, which
 * {@code jnr.ffi.Runtime.getLastError()} reads.
 */
final class SixArgumentCalls {
    private final Invoker invoker = Invoker.getInstance();
    private final CallContext sendtoContext;
    private final CallContext recvfromContext;
    private final long sendtoAddress;
    private final long recvfromAddress;

    private SixArgumentCalls(long sendtoAddress, long recvfromAddress) {
        this.sendtoAddress = sendtoAddress;
        this.recvfromAddress = recvfromAddress;
        // ssize_t sendto(int, const void *, size_t, int, const struct sockaddr *, socklen_t)
        this.sendtoContext = CallContext.getCallContext(Type.SLONG,
                new Type[] {Type.SINT, Type.POINTER, Type.ULONG, Type.SINT, Type.POINTER, Type.UINT},
                CallingConvention.DEFAULT, true);
        // ssize_t recvfrom(int, void *, size_t, int, struct sockaddr *, socklen_t *)
        this.recvfromContext = CallContext.getCallContext(Type.SLONG,
                new Type[] {Type.SINT, Type.POINTER, Type.ULONG, Type.SINT, Type.POINTER, Type.POINTER},
                CallingConvention.DEFAULT, true);
    }

    /**
     * Finds both functions among the symbols the process has loaded (the C library is one of them: the JVM and
     * {@link LibC} use it).
     *
     * @throws UnsatisfiedLinkError when either is missing
     */
    static SixArgumentCalls load() {
        Library process = Library.getDefault();
        long sendto = process == null ? 0 : process.getSymbolAddress("sendto");
        long recvfrom = process == null ? 0 : process.getSymbolAddress("recvfrom");
        if (sendto == 0 || recvfrom == 0) {
            throw new UnsatisfiedLinkError("posix-send: sendto or recvfrom not found in the C library: "
                    + Library.getLastError());
        }
        return new SixArgumentCalls(sendto, recvfrom);
    }

    /**
     * sendto(2) of {@code len} bytes at {@code buf} to the sockaddr at {@code sa}: the count, or -1 with errno saved.
     */
    long sendto(int fd, long buf, long len, int flags, long sa, int salen) {
        return invoker.invokeN6(sendtoContext, sendtoAddress, fd, buf, len, flags, sa, Integer.toUnsignedLong(salen));
    }

    /**
     * recvfrom(2) into {@code len} bytes at {@code buf}; the sender's sockaddr goes to {@code sa}, and the
     * {@code socklen_t} at {@code salen} holds its room before the call and its length after.
     */
    long recvfrom(int fd, long buf, long len, int flags, long sa, long salen) {
        return invoker.invokeN6(recvfromContext, recvfromAddress, fd, buf, len, flags, sa, salen);
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import io.github.posixsend.MsgFlag;
import io.github.posixsend.Posix;
import io.github.posixsend.tools.probe.Descriptors;
import jnr.ffi.LibraryLoader;

/**
 * Run in a child JVM by BrokenPipeTest and ReadWriteTest: gives SIGPIPE back its default action, which ends the
 * process (HotSpot installs a handler that ignores it, so in a JVM a send without {@code MSG_NOSIGNAL} looks the same
 * as one with it), then sends on a TCP connection shut for writing, with {@code MSG_NOSIGNAL} (argument
 * {@code nosignal}) or without ({@code signal}), or writes there with {@code write(2)}, which has no flags
 * ({@code write}). Prints {@code jvm handler=<true|false>} (whether a handler was replaced), {@code sending}, then,
 * if it lives, {@code returned <n>} and {@code default action kept=<true|false>}.
 */
public final class SigpipeProbe {
    private static final int SIGPIPE = 13; // Linux and NetBSD alike
    private static final long SIG_DFL = 0;
    private static final long SIG_ERR = -1;

    private SigpipeProbe() {
    }

    /** signal(2), through jnr-ffi: posix-send has no call for it. */
    public interface Sys {
        long signal(int signum, long handler);
    }

    public static void main(String[] args) throws Exception {
        boolean noSignal = args[0].equals("nosignal");
        boolean write = args[0].equals("write");
        Sys sys = LibraryLoader.create(Sys.class).load("c");
        long jvmHandler = sys.signal(SIGPIPE, SIG_DFL);
        if (jvmHandler == SIG_ERR) {
            System.out.println("signal failed");
            System.exit(2);
        }
        System.out.println("jvm handler=" + (jvmHandler != SIG_DFL));
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.tcpPair();
            Posix.shutdown(p.a, Posix.SHUT_WR);
            System.out.println("sending");
            System.out.flush();
            int r = write ? Posix.tryWrite(p.a, new byte[] {1}, 0, 1)
                    : Posix.trySend(p.a, new byte[] {1}, 0, 1, noSignal ? MsgFlag.MSG_NOSIGNAL.value() : 0);
            System.out.println("returned " + r);
            // nothing put the JVM's handler back meanwhile: the process lived because of the flag
            System.out.println("default action kept=" + (sys.signal(SIGPIPE, SIG_DFL) == SIG_DFL));
        }
    }
}

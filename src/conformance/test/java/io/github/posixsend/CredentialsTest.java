// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.AllocationBudget;
import io.github.posixsend.testing.ProcSelfStatus;
import io.github.posixsend.testing.SteadyAllocation;
import io.github.posixsend.tools.probe.Descriptors;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Linux's credentials over Unix sockets: {@code SO_PEERCRED} read as a {@link Ucred}, and {@code SCM_CREDENTIALS}
 * sent and received as control messages, against what {@code /proc/self/status} says of this process.
 */
class CredentialsTest {

    /** The numbers of {@code /proc/self/status}'s line {@code key} ("Uid:", "Gid:", "Groups:"), in order. */
    private static int[] status(String key) throws Exception {
        String values = ProcSelfStatus.value(key);
        if (values == null) {
            throw new AssertionError("/proc/self/status has no " + key);
        }
        return values.isEmpty() ? new int[0]
                : Arrays.stream(values.split("\\s+")).mapToInt(Integer::parseUnsignedInt).toArray();
    }

    /** This process as SO_PEERCRED and SCM_CREDENTIALS give it: its pid, effective user and effective group. */
    private static Ucred self() throws Exception {
        // "Uid:\treal\teffective\tsaved\tfs", and Gid: alike
        return new Ucred((int) ProcessHandle.current().pid(), status("Uid:")[1], status("Gid:")[1]);
    }

    @Test
    void theTypedReadsAreRefusedWhereThePlatformHasNoUcred() throws Exception {
        if (Os.current() == Os.LINUX) {
            assertTrue(ControlMessage.Kind.CREDENTIALS.isSupported());
            assertEquals(17, Posix.SO_PEERCRED);
            assertEquals(16, Posix.SO_PASSCRED);
        } else {
            assertThrows(UnsupportedOperationException.class, () -> Posix.getsockoptPeerCred(0));
            assertThrows(UnsupportedOperationException.class, () -> ControlMessage.credentials(new Ucred(1, 2, 3)));
            assertThrows(UnsupportedOperationException.class, () -> new Message(0).receivedCredentials(0));
        }
        assertThrows(NullPointerException.class, () -> ControlMessage.credentials(null));
    }

    @Test
    void soPeercredNamesThePeerOfAUnixSocketAndNoOneElsewhere() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_PEERCRED is Linux's");
        Ucred self = self();
        try (Descriptors fds = new Descriptors()) {
            for (int type : new int[] {Posix.SOCK_STREAM, Posix.SOCK_DGRAM, Posix.SOCK_SEQPACKET}) {
                Descriptors.Pair p = fds.unixPair(type);
                assertEquals(self, Posix.getsockoptPeerCred(p.a), "socketpair type " + type);
                assertEquals(self, Posix.getsockoptPeerCred(p.b));
            }
            // no Unix peer: pid 0, user and group (uid_t) -1
            Ucred nobody = new Ucred(0, -1, -1);
            assertEquals(nobody, Posix.getsockoptPeerCred(fds.tcpPair().a), "TCP");
            assertEquals(nobody, Posix.getsockoptPeerCred(fds.socket(Posix.AF_UNIX, Posix.SOCK_STREAM)),
                    "an unconnected Unix socket");
            BadDescriptorException e = assertThrows(BadDescriptorException.class, () -> Posix.getsockoptPeerCred(-1));
            assertTrue(e.getMessage().startsWith("getsockopt(SOL_SOCKET, SO_PEERCRED): EBADF"), e.getMessage());
        }
    }

    /** SO_PEERGROUPS: the peer's supplementary groups, as /proc/self/status lists this process's. */
    @Test
    void soPeergroupsListsThePeersGroups() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SO_PEERGROUPS is Linux's");
        java.util.Set<Integer> groups = new java.util.TreeSet<>();
        for (int g : status("Groups:")) {
            groups.add(g);
        }
        try (Descriptors fds = new Descriptors()) {
            Descriptors.Pair p = fds.unixPair(Posix.SOCK_STREAM);
            byte[] raw = new byte[4 * 256];
            int n = Posix.getsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_PEERGROUPS, raw);
            assertEquals(0, n % 4, "whole gid_t values");
            ByteBuffer b = ByteBuffer.wrap(raw).order(java.nio.ByteOrder.nativeOrder());
            java.util.Set<Integer> got = new java.util.TreeSet<>();
            for (int i = 0; i < n; i += 4) {
                got.add(b.getInt(i));
            }
            assertEquals(groups, got);
            if (n > 0) { // too small an array: ERANGE, as in C
                ErrnoException e = assertThrows(ErrnoException.class,
                        () -> Posix.getsockopt(p.a, Posix.SOL_SOCKET, Posix.SO_PEERGROUPS, new byte[n - 4]));
                assertEquals(Errno.ERANGE, e.errno(), e.getMessage());
            }
        }
    }

    /** A Unix datagram pair whose receiving end ({@code b}) has {@code SO_PASSCRED} on. */
    private static Descriptors.Pair passcredPair(Descriptors fds) throws ErrnoException {
        Descriptors.Pair p = fds.unixPair(Posix.SOCK_DGRAM);
        Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_PASSCRED, 1);
        return p;
    }

    /** A message that receives into {@code buf} with control space for one {@code SCM_CREDENTIALS}. */
    private static Message credentialsRoom(ByteBuffer buf) {
        return new Message(ControlMessage.space(ControlMessage.Kind.CREDENTIALS)).add(buf);
    }

    /** The credentials received, after checking that the in-place reads give the same three numbers. */
    private static Ucred receivedCredentials(Message in) {
        List<ControlMessage> got = in.receivedControl();
        assertEquals(1, got.size(), got.toString());
        assertEquals(ControlMessage.Kind.CREDENTIALS, got.get(0).kind(), got.toString());
        Ucred c = got.get(0).credentials();
        assertEquals(c.pid(), in.receivedCredentials(0));
        assertEquals(Integer.toUnsignedLong(c.uid()), in.receivedCredentials(1));
        assertEquals(Integer.toUnsignedLong(c.gid()), in.receivedCredentials(2));
        return c;
    }

    @Test
    void scmCredentialsAreAddedForAPasscredReceiverAndSentAsGiven() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SCM_CREDENTIALS is Linux's");
        Ucred self = self();
        try (Descriptors fds = new Descriptors();
                Message in = credentialsRoom(ByteBuffer.allocate(16))) {
            Descriptors.Pair p = passcredPair(fds);
            assertEquals(1, Posix.getsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_PASSCRED));

            // the kernel adds the sender's own to each message
            assertEquals(1, Posix.send(p.a, new byte[] {1}, 0, 1, 0));
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertEquals(self, receivedCredentials(in));

            // sent explicitly, the same: a process may always name itself
            ControlMessage mine = ControlMessage.credentials(self);
            assertEquals(ControlMessage.Kind.CREDENTIALS, mine.kind());
            assertEquals(self, mine.credentials());
            assertEquals(ControlMessage.space(ControlMessage.Kind.CREDENTIALS), mine.space());
            assertEquals("SCM_CREDENTIALS(pid " + self.pid() + ", uid " + Integer.toUnsignedLong(self.uid()) + ", gid "
                    + Integer.toUnsignedLong(self.gid()) + ")", mine.toString());
            try (Message out = Message.of(ByteBuffer.wrap(new byte[] {2})).addControl(mine)) {
                assertEquals(1, Posix.sendmsg(p.a, out, 0));
            }
            in.buffer(0).clear();
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertEquals(self, receivedCredentials(in));

            // a pid no process has: EPERM for a process without CAP_SYS_ADMIN, ESRCH for one with it
            Ucred forged = new Ucred(Integer.MAX_VALUE, self.uid(), self.gid());
            try (Message out = Message.of(ByteBuffer.wrap(new byte[] {3}))
                    .addControl(ControlMessage.credentials(forged))) {
                ErrnoException e = assertThrows(ErrnoException.class, () -> Posix.sendmsg(p.a, out, 0));
                assertTrue(Set.of(Errno.EPERM, Errno.ESRCH).contains(e.errno()), e.getMessage());
                assertTrue(e.getMessage().startsWith("sendmsg: "), e.getMessage());
            }

            // a user of (uid_t) -1 is no user
            try (Message out = Message.of(ByteBuffer.wrap(new byte[] {3}))
                    .addControl(ControlMessage.credentials(new Ucred(self.pid(), -1, self.gid())))) {
                assertEquals(Errno.EINVAL,
                        assertThrows(InvalidArgumentException.class, () -> Posix.sendmsg(p.a, out, 0)).errno());
            }

            // without SO_PASSCRED, nothing is added
            Posix.setsockopt(p.b, Posix.SOL_SOCKET, Posix.SO_PASSCRED, 0);
            assertEquals(1, Posix.send(p.a, new byte[] {4}, 0, 1, 0));
            in.buffer(0).clear();
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertEquals(List.of(), in.receivedControl());
            assertEquals(-1, in.receivedCredentials(0));
            assertThrows(IllegalArgumentException.class, () -> in.receivedCredentials(3));
            assertThrows(IllegalArgumentException.class, () -> in.receivedCredentials(-1));
        }
    }

    /**
     * Credentials other than the sender's own (a process with CAP_SETUID and CAP_SETGID may send them; others get
     * EPERM) read in place: each field from its own offset, the ids as C's unsigned types.
     */
    @Test
    void othersCredentialsAreReadFieldByFieldAndTheIdsUnsigned() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SCM_CREDENTIALS is Linux's");
        Ucred self = self();
        try (Descriptors fds = new Descriptors();
                Message in = credentialsRoom(ByteBuffer.allocate(16))) {
            Descriptors.Pair p = passcredPair(fds);
            Ucred other = new Ucred(self.pid(), 12345, 23456);
            try (Message out = Message.of(ByteBuffer.wrap(new byte[] {1}))
                    .addControl(ControlMessage.credentials(other))) {
                int r = (int) Posix.trySendmsg(p.a, out, 0);
                assumeTrue(r != -Errno.EPERM.number(), "sending another user's credentials needs CAP_SETUID");
                assertEquals(1, r);
            }
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertEquals(other, receivedCredentials(in));
            assertEquals(12345, in.receivedCredentials(1));
            assertEquals(23456, in.receivedCredentials(2));
            Ucred high = new Ucred(self.pid(), -2, -3); // uid_t 4294967294, gid_t 4294967293
            try (Message out = Message.of(ByteBuffer.wrap(new byte[] {2}))
                    .addControl(ControlMessage.credentials(high))) {
                assertEquals(1, Posix.sendmsg(p.a, out, 0));
            }
            in.buffer(0).clear();
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertEquals(4_294_967_294L, in.receivedCredentials(1));
            assertEquals(4_294_967_293L, in.receivedCredentials(2));
        }
    }

    /** Too little control space cuts the message short: MSG_CTRUNC, and no credentials read. */
    @Test
    void cutShortCredentialsReadAsNone() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SCM_CREDENTIALS is Linux's");
        try (Descriptors fds = new Descriptors();
                Message in = new Message(ControlMessage.space(0)).add(ByteBuffer.allocate(16))) {
            Descriptors.Pair p = passcredPair(fds);
            assertEquals(1, Posix.send(p.a, new byte[] {1}, 0, 1, 0));
            assertEquals(1, Posix.recvmsg(p.b, in, 0));
            assertTrue(in.controlTruncated(), "a 12-byte ucred in " + ControlMessage.space(0) + " bytes of room");
            assertEquals(-1, in.receivedCredentials(0));
            assertEquals(-1, in.receivedCredentials(1));
        }
    }

    /** A logging daemon's loop: each datagram's sender read in place, nothing allocated per datagram. */
    @Test
    void theSendersCredentialsAreReadPerDatagramWithoutAllocating() throws Exception {
        assumeTrue(Os.current() == Os.LINUX, "SCM_CREDENTIALS is Linux's");
        Ucred self = self();
        try (Descriptors fds = new Descriptors();
                Message in = credentialsRoom(ByteBuffer.allocateDirect(16))) {
            Descriptors.Pair p = passcredPair(fds);
            byte[] line = {'l', 'o', 'g'};
            long beyond = SteadyAllocation.leastBeyond("1000 datagrams' credentials",
                    () -> AllocationBudget.forDowncalls(2000), () -> {
                        long wrong = 0;
                        for (int i = 0; i < 1000; i++) {
                            in.buffer(0).clear();
                            if (Posix.trySend(p.a, line, 0, line.length, 0) != line.length
                                    || Posix.tryRecvmsg(p.b, in, 0) != line.length
                                    || in.receivedCredentials(0) != self.pid()
                                    || in.receivedCredentials(1) != Integer.toUnsignedLong(self.uid())
                                    || in.receivedCredentials(2) != Integer.toUnsignedLong(self.gid())) {
                                wrong++;
                            }
                        }
                        return wrong;
                    });
            assertEquals(0, beyond, "bytes per 1000 datagrams beyond the backend's budget");
        }
    }

    @Test
    void aKindOtherThanCredentialsCarriesNone() {
        assumeTrue(Os.current() == Os.LINUX, "SCM_CREDENTIALS is Linux's");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ControlMessage.ipTtl(3).credentials());
        assertTrue(e.getMessage().contains("IP_TTL"), e.getMessage());
        // raw bytes of the same level and type are a RAW message, not read as credentials
        ControlMessage raw = ControlMessage.raw(Posix.SOL_SOCKET, Posix.SCM_CREDENTIALS, new byte[12]);
        assertThrows(IllegalStateException.class, raw::credentials);
    }
}

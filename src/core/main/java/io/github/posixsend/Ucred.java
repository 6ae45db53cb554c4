// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import io.github.posixsend.internal.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Linux's {@code struct ucred}: a process, a user and a group, as {@link Posix#getsockoptPeerCred(int)} reads them
 * for a Unix socket's peer ({@code SO_PEERCRED}) and as {@code SCM_CREDENTIALS} control messages carry them
 * ({@link ControlMessage#credentials(Ucred)}, {@link ControlMessage#credentials()}). The layout comes from the
 * compiled headers ({@code SIZEOF_UCRED}, {@code OFFSETOF_UCRED_*}); NetBSD has no {@code struct ucred} (its
 * {@code struct sockcred} and {@code struct unpcbid} are other shapes), and there the calls that take or give one
 * throw {@link UnsupportedOperationException}.
 *
 * @param pid the process ({@code pid_t})
 * @param uid the user ({@code uid_t}, unsigned in C: {@link Integer#toUnsignedLong(int)} reads one above
 *     {@link Integer#MAX_VALUE})
 * @param gid the group ({@code gid_t}, unsigned in C as {@code uid})
 */
public record Ucred(int pid, int uid, int gid) {
    /** The fields' numbers, in their C order, as {@link Message#receivedCredentials(int)} takes them. */
    static final int PID = 0;
    static final int UID = 1;
    static final int GID = 2;

    /** The bytes of a {@code struct ucred}; UNSUPPORTED where the platform has none. */
    static int size() {
        return Platform.value("SIZEOF_UCRED");
    }

    /** The field {@link #PID}, {@link #UID} or {@link #GID}'s offset in the platform's {@code struct ucred}. */
    static int fieldOffset(int field) {
        return switch (field) {
            case PID -> Platform.value("OFFSETOF_UCRED_PID");
            case UID -> Platform.value("OFFSETOF_UCRED_UID");
            case GID -> Platform.value("OFFSETOF_UCRED_GID");
            default -> throw new IllegalArgumentException("struct ucred has no field " + field
                    + ": 0 is its pid, 1 its uid, 2 its gid");
        };
    }

    /** Reads the first {@code struct ucred} of {@code raw} from {@code off}, in the platform's layout. */
    static Ucred read(byte[] raw, int off) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        return new Ucred(b.getInt(off + fieldOffset(PID)), b.getInt(off + fieldOffset(UID)),
                b.getInt(off + fieldOffset(GID)));
    }

    /** The {@code struct ucred} this is, in the platform's layout. */
    byte[] image() {
        byte[] raw = new byte[size()];
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        b.putInt(fieldOffset(PID), pid);
        b.putInt(fieldOffset(UID), uid);
        b.putInt(fieldOffset(GID), gid);
        return raw;
    }
}

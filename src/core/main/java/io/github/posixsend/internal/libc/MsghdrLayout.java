// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import io.github.posixsend.Os;
import java.nio.ByteBuffer;

/**
 * Where the fields of {@code struct msghdr} and {@code struct iovec} lie on one platform, and the sizes of
 * {@code struct mmsghdr} and {@code struct cmsghdr} (the rest of {@code cmsghdr} is {@link CmsgLayout}'s). Values from
 * the platforms' headers, as the facts sheet lists them.
 *
 * <p>Linux (x86_64, aarch64): 56 bytes, {@code msg_iovlen} and {@code msg_controllen} are {@code size_t}.
 * NetBSD (amd64): 48 bytes, {@code msg_iovlen} is an {@code int} and {@code msg_controllen} a {@code socklen_t}.
 * Both put the pointers at the same offsets.
 */
final class MsghdrLayout {
    /** Linux x86_64 and aarch64. */
    public static final MsghdrLayout LINUX = new MsghdrLayout(Os.LINUX, 56, 8, 8, 48, 64, 56, 16);
    /** NetBSD amd64. */
    public static final MsghdrLayout NETBSD = new MsghdrLayout(Os.NETBSD, 48, 4, 4, 44, 56, 48, 12);

    /** Offset of {@code msg_name}. */
    public static final int NAME = 0;
    /** Offset of {@code msg_namelen} ({@code socklen_t}). */
    public static final int NAMELEN = 8;
    /** Offset of {@code msg_iov}. */
    public static final int IOV = 16;
    /** Offset of {@code msg_iovlen}. */
    public static final int IOVLEN = 24;
    /** Offset of {@code msg_control}. */
    public static final int CONTROL = 32;
    /** Offset of {@code msg_controllen}. */
    public static final int CONTROLLEN = 40;
    /** {@code sizeof(struct iovec)}: a pointer and a {@code size_t}. */
    public static final int SIZEOF_IOVEC = 16;
    /** Offset of {@code iov_len} in {@code struct iovec}. */
    public static final int IOV_LEN = 8;
    /** Offset of the data after a {@code cmsghdr} ({@code CMSG_DATA}) and the alignment of control messages. */
    public static final int CMSG_DATA = 16;

    /** The platform. */
    public final Os os;
    /** {@code sizeof(struct msghdr)}. */
    public final int size;
    /** Bytes of {@code msg_iovlen}: 8 ({@code size_t}) or 4 ({@code int}). */
    public final int iovlenSize;
    /** Bytes of {@code msg_controllen}: 8 ({@code size_t}) or 4 ({@code socklen_t}). */
    public final int controllenSize;
    /** Offset of {@code msg_flags}. */
    public final int flags;
    /** {@code sizeof(struct mmsghdr)}. */
    public final int sizeofMmsghdr;
    /** Offset of {@code msg_len} in {@code struct mmsghdr}. */
    public final int mmsgLen;
    /** {@code sizeof(struct cmsghdr)}. */
    public final int sizeofCmsghdr;

    private MsghdrLayout(Os os, int size, int iovlenSize, int controllenSize, int flags, int sizeofMmsghdr,
            int mmsgLen, int sizeofCmsghdr) {
        this.os = os;
        this.size = size;
        this.iovlenSize = iovlenSize;
        this.controllenSize = controllenSize;
        this.flags = flags;
        this.sizeofMmsghdr = sizeofMmsghdr;
        this.mmsgLen = mmsgLen;
        this.sizeofCmsghdr = sizeofCmsghdr;
    }

    /** The layout of {@code os}. */
    public static MsghdrLayout of(Os os) {
        return os == Os.LINUX ? LINUX : NETBSD;
    }

    /**
     * Writes a {@code msghdr} at {@code at} in {@code b} (host byte order): the given name, iovec array and count,
     * and no control data.
     */
    void put(ByteBuffer b, int at, long name, int namelen, long iov, int iovlen) {
        for (int i = 0; i < size; i += 4) {
            b.putInt(at + i, 0);
        }
        b.putLong(at + NAME, name);
        b.putInt(at + NAMELEN, namelen);
        putIov(b, at, iov, iovlen);
    }

    /** Sets {@code msg_iov} and {@code msg_iovlen} of the {@code msghdr} at {@code at}. */
    void putIov(ByteBuffer b, int at, long iov, int iovlen) {
        b.putLong(at + IOV, iov);
        if (iovlenSize == 8) {
            b.putLong(at + IOVLEN, iovlen);
        } else {
            b.putInt(at + IOVLEN, iovlen);
        }
    }

    /** Sets {@code msg_control} and {@code msg_controllen} of the {@code msghdr} at {@code at}. */
    void putControl(ByteBuffer b, int at, long control, long controllen) {
        b.putLong(at + CONTROL, control);
        if (controllenSize == 8) {
            b.putLong(at + CONTROLLEN, controllen);
        } else {
            b.putInt(at + CONTROLLEN, (int) controllen);
        }
    }

    /** {@code msg_controllen} of the {@code msghdr} at {@code at}, unsigned. */
    long getControllen(ByteBuffer b, int at) {
        return controllenSize == 8 ? b.getLong(at + CONTROLLEN) : Integer.toUnsignedLong(b.getInt(at + CONTROLLEN));
    }

    /** Writes one {@code iovec} at {@code at}. */
    static void putIovec(ByteBuffer b, int at, long base, long len) {
        b.putLong(at, base);
        b.putLong(at + IOV_LEN, len);
    }
}

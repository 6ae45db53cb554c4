// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

/**
 * The text forms of IPv4 and IPv6 addresses as the C library's {@code inet_ntop(3)} writes and {@code inet_pton(3)}
 * reads them, so that a ported program logs what its C original logged ({@code ::ffff:127.0.0.1}, not Java's
 * {@code 0:0:0:0:0:ffff:7f00:1}) and takes what it took. Pure computation: no system call.
 */
final class InetText {
    private InetText() {
    }

    /**
     * {@code inet_ntop}: dotted decimal for IPv4; for IPv6, eight hex groups without leading zeros, the longest run
     * of two or more zero groups (the first of equal runs) as {@code ::}, and the last 32 bits in dotted decimal when
     * the address is IPv4-mapped ({@code ::ffff:a.b.c.d}) or IPv4-compatible (six zero groups and a last 32 bits
     * that are not the whole address's only bits: {@code ::0.1.0.2}, but {@code ::2} and {@code ::}).
     */
    static String ntop(boolean v6, byte[] a) {
        return ntop(v6, a, 0);
    }

    /** {@link #ntop(boolean, byte[])} of the address at {@code at} of {@code a}. */
    static String ntop(boolean v6, byte[] a, int at) {
        if (!v6) {
            return dotted(a, at);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = (a[at + 2 * i] & 0xff) << 8 | (a[at + 2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        for (int i = 0; i < 8;) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestBase = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        boolean embedded = bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff));
        StringBuilder s = new StringBuilder(46);
        for (int i = 0; i < 8; i++) {
            if (i == bestBase) {
                s.append(':');
                i += bestLen - 1;
                if (i == 7) {
                    s.append(':');
                }
                continue;
            }
            if (i > 0) {
                s.append(':');
            }
            if (i == 6 && embedded) {
                s.append(dotted(a, at + 12));
                break;
            }
            s.append(Integer.toHexString(words[i]));
        }
        return s.toString();
    }

    private static String dotted(byte[] a, int at) {
        return (a[at] & 0xff) + "." + (a[at + 1] & 0xff) + "." + (a[at + 2] & 0xff) + "." + (a[at + 3] & 0xff);
    }

    /**
     * {@code inet_pton}: true with the address's bytes in {@code out} (4 or 16 from 0) when {@code text}, up to a NUL
     * if it has one (where C's string ends), is one in the form C takes (IPv4: exactly four decimal parts of 0 to
     * 255 without leading zeros; IPv6: up to eight hex groups of up to four digits, at most one {@code ::}, the last
     * 32 bits optionally in dotted decimal); false, and {@code out} untouched, otherwise. Allocates nothing: the text
     * is read twice, once to check it and once to write what it says.
     */
    static boolean pton(boolean v6, String text, byte[] out) {
        int end = text.indexOf('\0');
        if (end < 0) {
            end = text.length();
        }
        if (!v6) {
            long v = parse4(text, 0, end);
            if (v < 0) {
                return false;
            }
            putInt(out, 0, (int) v);
            return true;
        }
        int spelled = scan6(text, end, null, 0);
        if (spelled < 0) {
            return false;
        }
        scan6(text, end, out, 16 - (spelled & BYTES));
        return true;
    }

    private static void putInt(byte[] out, int at, int v) {
        out[at] = (byte) (v >>> 24);
        out[at + 1] = (byte) (v >>> 16);
        out[at + 2] = (byte) (v >>> 8);
        out[at + 3] = (byte) v;
    }

    /** Four dotted decimal parts in {@code text[from, to)} as an unsigned 32-bit value, or -1. */
    private static long parse4(String text, int from, int to) {
        long out = 0;
        int parts = 0;
        int value = -1; // no digit yet in this part
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (value == 0) {
                    return -1; // a leading zero
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    return -1;
                }
            } else if (c == '.' && value >= 0 && parts < 3) {
                out = out << 8 | value;
                parts++;
                value = -1;
            } else {
                return -1;
            }
        }
        if (value < 0 || parts != 3) {
            return -1;
        }
        return out << 8 | value;
    }

    /** The bytes an IPv6 text spells, in {@link #scan6}'s answer. */
    private static final int BYTES = 0xff;
    /** Set in {@link #scan6}'s answer when the text has a {@code ::}. */
    private static final int HAS_GAP = 0x100;

    /**
     * Reads an IPv6 address in {@code text[0, end)}. With {@code out} null it only checks: the bytes the groups spell
     * ({@link #BYTES}), with {@link #HAS_GAP} when a {@code ::} stands for the rest, or -1 for a text C refuses. With
     * {@code out} (a text the check passed) it writes the address, the {@code ::} as {@code gapBytes} zero bytes.
     */
    private static int scan6(String text, int end, byte[] out, int gapBytes) {
        int i = 0;
        if (end >= 1 && text.charAt(0) == ':') {
            if (end < 2 || text.charAt(1) != ':') {
                return -1; // a lone leading colon
            }
            i = 1;
        }
        int at = 0; // bytes spelled so far
        int skip = 0; // where the next byte goes beyond at: gapBytes once past the ::
        boolean gap = false;
        int groupStart = i;
        int digits = 0;
        int value = 0;
        for (; i < end; i++) {
            char c = text.charAt(i);
            int d = c < 128 ? Character.digit(c, 16) : -1;
            if (d >= 0) {
                if (++digits > 4) {
                    return -1;
                }
                value = value << 4 | d;
                continue;
            }
            if (c == ':') {
                if (digits == 0) {
                    if (gap) {
                        return -1; // a second ::
                    }
                    gap = true;
                    if (out != null) {
                        java.util.Arrays.fill(out, at, at + gapBytes, (byte) 0);
                    }
                    skip = gapBytes;
                    groupStart = i + 1;
                    continue;
                }
                if (i + 1 == end || at + 2 > 16) {
                    return -1; // a trailing single colon, or too many groups
                }
                put16(out, at + skip, value);
                at += 2;
                digits = 0;
                value = 0;
                groupStart = i + 1;
                continue;
            }
            if (c == '.' && at + 4 <= 16) {
                long v4 = parse4(text, groupStart, end);
                if (v4 < 0) {
                    return -1;
                }
                if (out != null) {
                    putInt(out, at + skip, (int) v4);
                }
                at += 4;
                digits = 0;
                break;
            }
            return -1;
        }
        if (digits > 0) {
            if (at + 2 > 16) {
                return -1;
            }
            put16(out, at + skip, value);
            at += 2;
        }
        if (gap ? at == 16 : at != 16) {
            return -1; // a :: must stand for one group at least; without one, the groups must spell all 16 bytes
        }
        return at | (gap ? HAS_GAP : 0);
    }

    private static void put16(byte[] out, int at, int value) {
        if (out != null) {
            out[at] = (byte) (value >> 8);
            out[at + 1] = (byte) value;
        }
    }
}

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
        if (!v6) {
            return dotted(a, 0);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
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
                s.append(dotted(a, 12));
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
     * {@code inet_pton}: true with the address's bytes in {@code out} (4 or 16 from 0) when {@code text} is one in
     * the form C takes (IPv4: exactly four decimal parts of 0 to 255 without leading zeros; IPv6: up to eight hex
     * groups of up to four digits, at most one {@code ::}, the last 32 bits optionally in dotted decimal); false, and
     * {@code out} untouched, otherwise.
     */
    static boolean pton(boolean v6, String text, byte[] out) {
        byte[] parsed = v6 ? parse6(text) : parse4(text, 0, text.length());
        if (parsed == null) {
            return false;
        }
        System.arraycopy(parsed, 0, out, 0, parsed.length);
        return true;
    }

    /** Four dotted decimal parts in {@code text[from, to)}, or null. */
    private static byte[] parse4(String text, int from, int to) {
        byte[] out = new byte[4];
        int parts = 0;
        int value = -1; // no digit yet in this part
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (value == 0) {
                    return null; // a leading zero
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else if (c == '.' && value >= 0 && parts < 3) {
                out[parts++] = (byte) value;
                value = -1;
            } else {
                return null;
            }
        }
        if (value < 0 || parts != 3) {
            return null;
        }
        out[3] = (byte) value;
        return out;
    }

    /** An IPv6 address, or null. */
    private static byte[] parse6(String text) {
        byte[] out = new byte[16];
        int n = text.length();
        int i = 0;
        if (n >= 1 && text.charAt(0) == ':') {
            if (n < 2 || text.charAt(1) != ':') {
                return null; // a lone leading colon
            }
            i = 1;
        }
        int at = 0; // next byte of out
        int gap = -1; // where :: stands, as a byte index
        int groupStart = i;
        int digits = 0;
        int value = 0;
        for (; i < n; i++) {
            char c = text.charAt(i);
            int d = Character.digit(c, 16);
            if (d >= 0 && c < 128) {
                if (++digits > 4) {
                    return null;
                }
                value = value << 4 | d;
                continue;
            }
            if (c == ':') {
                if (digits == 0) {
                    if (gap >= 0) {
                        return null; // a second ::
                    }
                    gap = at;
                    groupStart = i + 1;
                    continue;
                }
                if (i + 1 == n || at + 2 > 16) {
                    return null; // a trailing single colon, or too many groups
                }
                out[at++] = (byte) (value >> 8);
                out[at++] = (byte) value;
                digits = 0;
                value = 0;
                groupStart = i + 1;
                continue;
            }
            if (c == '.' && at + 4 <= 16) {
                byte[] v4 = parse4(text, groupStart, n);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, at, 4);
                at += 4;
                digits = 0;
                break;
            }
            return null;
        }
        if (digits > 0) {
            if (at + 2 > 16) {
                return null;
            }
            out[at++] = (byte) (value >> 8);
            out[at++] = (byte) value;
        }
        if (gap >= 0) {
            if (at == 16) {
                return null; // :: must stand for at least one group
            }
            int tail = at - gap;
            System.arraycopy(out, gap, out, 16 - tail, tail);
            java.util.Arrays.fill(out, gap, 16 - tail, (byte) 0);
            at = 16;
        }
        return at == 16 ? out : null;
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MsgFlag API: combining flags into a mask, decoding a mask, printing it, and refusing absent flags. */
class MsgFlagTest {

    @Test
    void maskIsTheOrOfTheValues() {
        int m = MsgFlag.mask(MsgFlag.MSG_DONTWAIT, MsgFlag.MSG_NOSIGNAL);
        assertEquals(MsgFlag.MSG_DONTWAIT.value() | MsgFlag.MSG_NOSIGNAL.value(), m);
        assertNotEquals(0, m);
        assertEquals(m, MsgFlag.mask(List.of(MsgFlag.MSG_NOSIGNAL, MsgFlag.MSG_DONTWAIT)));
        assertEquals(m, MsgFlag.mask(EnumSet.of(MsgFlag.MSG_NOSIGNAL, MsgFlag.MSG_DONTWAIT)));
        assertEquals(0, MsgFlag.mask());
        assertEquals(0, MsgFlag.mask(List.of()));
        assertThrows(NullPointerException.class, () -> MsgFlag.mask(MsgFlag.MSG_OOB, null));
    }

    /** A null system or flag list is refused, never read as one of the systems or as no flags. */
    @Test
    void nullsAreRefused() {
        assertThrows(NullPointerException.class, () -> MsgFlag.MSG_DONTWAIT.valueOn(null));
        assertThrows(NullPointerException.class, () -> Errno.EAGAIN.numberOn(null));
        assertThrows(NullPointerException.class, () -> Errno.EPROCLIM.isDefinedOn(null));
        assertThrows(NullPointerException.class, () -> Errno.fromNumberOn(null, 11));
        assertThrows(NullPointerException.class, () -> MsgFlag.mask((MsgFlag[]) null));
        assertThrows(NullPointerException.class, () -> MsgFlag.mask(MsgFlag.MSG_DONTWAIT, null));
        assertThrows(NullPointerException.class, () -> MsgFlag.mask((java.util.Collection<MsgFlag>) null));
    }

    @Test
    void decodeRecoversTheFlags() {
        int m = MsgFlag.mask(MsgFlag.MSG_DONTWAIT, MsgFlag.MSG_NOSIGNAL, MsgFlag.MSG_OOB);
        assertEquals(EnumSet.of(MsgFlag.MSG_OOB, MsgFlag.MSG_DONTWAIT, MsgFlag.MSG_NOSIGNAL), MsgFlag.decode(m));
        assertEquals(EnumSet.noneOf(MsgFlag.class), MsgFlag.decode(0));
        // each supported flag is its own bit: decoding its value gives it and nothing else
        for (MsgFlag f : MsgFlag.values()) {
            if (f.isSupported()) {
                assertEquals(1, Integer.bitCount(f.value()), f + " is not one bit");
                assertEquals(EnumSet.of(f), MsgFlag.decode(f.value()), f.name());
            }
        }
    }

    @Test
    void toStringNamesFlagsAndShowsUnknownBits() {
        int m = MsgFlag.mask(MsgFlag.MSG_NOSIGNAL, MsgFlag.MSG_DONTWAIT);
        // in the enum's order (by Linux value), joined as C writes it
        assertEquals("MSG_DONTWAIT|MSG_NOSIGNAL", MsgFlag.toString(m));
        assertEquals("0", MsgFlag.toString(0));
        int unknown = unusedBit();
        assertEquals("MSG_DONTWAIT|MSG_NOSIGNAL|0x" + Integer.toHexString(unknown), MsgFlag.toString(m | unknown));
        assertEquals("0x" + Integer.toHexString(unknown), MsgFlag.toString(unknown));
    }

    /** A bit that no supported flag uses on this platform. */
    private static int unusedBit() {
        int used = 0;
        for (MsgFlag f : MsgFlag.values()) {
            if (f.isSupported()) {
                used |= f.value();
            }
        }
        for (int bit = 1 << 20; bit != 0; bit <<= 1) {
            if ((used & bit) == 0) {
                return bit;
            }
        }
        throw new AssertionError("every bit is a flag");
    }

    @Test
    void absentFlagIsAClearErrorNotANumber() {
        Os os = Os.current();
        int absent = 0;
        for (MsgFlag f : MsgFlag.values()) {
            if (f.valueOn(os).isEmpty()) {
                absent++;
                assertFalse(f.isSupported(), f.name());
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, f::value);
                assertTrue(e.getMessage().contains(f.name()), e.getMessage());
                assertThrows(UnsupportedOperationException.class, () -> MsgFlag.mask(MsgFlag.MSG_OOB, f));
                assertFalse(MsgFlag.decode(-1).contains(f), f + " decoded though absent");
            } else {
                assertTrue(f.isSupported(), f.name());
                assertEquals(f.valueOn(os).getAsInt(), f.value(), f.name());
                assertTrue(MsgFlag.decode(-1).contains(f), f.name());
            }
        }
        assertTrue(absent > 0, "both platforms lack some flag of the other");
    }

    @Test
    void receiveSideFlagsAreNotSendFlags() {
        for (MsgFlag f : EnumSet.of(MsgFlag.MSG_PEEK, MsgFlag.MSG_TRUNC, MsgFlag.MSG_CTRUNC, MsgFlag.MSG_WAITALL,
                MsgFlag.MSG_CMSG_CLOEXEC, MsgFlag.MSG_WAITFORONE, MsgFlag.MSG_ERRQUEUE)) {
            assertFalse(f.isSendFlag(), f.name());
        }
        for (MsgFlag f : EnumSet.of(MsgFlag.MSG_OOB, MsgFlag.MSG_DONTWAIT, MsgFlag.MSG_NOSIGNAL, MsgFlag.MSG_MORE,
                MsgFlag.MSG_EOR, MsgFlag.MSG_DONTROUTE, MsgFlag.MSG_CONFIRM, MsgFlag.MSG_ZEROCOPY,
                MsgFlag.MSG_FASTOPEN)) {
            assertTrue(f.isSendFlag(), f.name());
        }
    }
}

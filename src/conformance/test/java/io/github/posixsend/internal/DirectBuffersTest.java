// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.testing.Arenas;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * What posix-send decides about a direct buffer's memory: staged when another thread can free it (a shared
 * arena's), checked first when it may be gone already (a confined arena's), passed as it is otherwise. A buffer
 * staged for nothing would copy at every call, one not staged could crash the JVM; a JDK that renamed its scope
 * kinds would fail here first.
 */
class DirectBuffersTest {

    /** Not staged, and on JDK 22+ not checked either: memory that stays while the buffer is reachable. */
    private static void assertStays(ByteBuffer b) {
        assertEquals(Arenas.available() ? DirectBuffers.BY_ADDRESS : DirectBuffers.CHECKED, DirectBuffers.treatment(b),
                "checked only where the kind is unknown");
    }

    @Test
    void plainAndMappedBuffersStay() throws Exception {
        ByteBuffer plain = ByteBuffer.allocateDirect(64);
        assertStays(plain);
        assertStays(plain.slice(8, 8));
        assertStays(plain.asReadOnlyBuffer());
        Path file = Files.createTempFile("posix-send-direct", ".bin");
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Files.write(file, new byte[64]);
            assertStays(fc.map(FileChannel.MapMode.READ_WRITE, 0, 64));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void arenasThatCannotBeClosedStayAndAConfinedOneIsChecked() throws Exception {
        assumeTrue(Arenas.available(), "java.lang.foreign is final from JDK 22; this is " + Runtime.version());
        assertStays(Arenas.buffer(Arenas.arena("ofAuto"), 64));
        assertStays(Arenas.buffer(Arenas.arena("global"), 64));
        Object confined = Arenas.arena("ofConfined");
        try {
            ByteBuffer b = Arenas.buffer(confined, 64);
            // only this thread can close it, but it may be closed already
            assertEquals(DirectBuffers.CHECKED, DirectBuffers.treatment(b));
        } finally {
            ((AutoCloseable) confined).close();
        }
    }

    @Test
    void aSharedArenasBuffersAreStaged() throws Exception {
        assumeTrue(Arenas.available(), "java.lang.foreign is final from JDK 22; this is " + Runtime.version());
        Object shared = Arenas.arena("ofShared");
        try {
            ByteBuffer buf = Arenas.buffer(shared, 64);
            assertEquals(DirectBuffers.STAGED, DirectBuffers.treatment(buf));
            assertEquals(DirectBuffers.STAGED, DirectBuffers.treatment(buf.slice(4, 8).asReadOnlyBuffer()));
            ByteBuffer plain = ByteBuffer.allocateDirect(8);
            for (int i = 0; i < 10; i++) {
                // more buffers than each thread remembers: the answers stay right as entries are replaced
                assertEquals(DirectBuffers.BY_ADDRESS, DirectBuffers.treatment(plain.duplicate()));
                assertEquals(DirectBuffers.STAGED, DirectBuffers.treatment(buf.duplicate()));
            }
        } finally {
            ((AutoCloseable) shared).close();
        }
    }

    @Test
    void theBaseAddressIsIndexZerosWhateverThePosition() throws Exception {
        ByteBuffer plain = ByteBuffer.allocateDirect(64);
        if (!Arenas.available()) {
            assertThrows(UnsupportedOperationException.class, () -> DirectBuffers.baseAddress(plain));
            return;
        }
        long base = DirectBuffers.baseAddress(plain);
        assertTrue(base != 0);
        plain.position(10).limit(20);
        assertEquals(base, DirectBuffers.baseAddress(plain), "remembered, and not moved by the position");
        ByteBuffer slice = plain.slice(8, 8);
        slice.position(3);
        assertEquals(base + 8, DirectBuffers.baseAddress(slice));
        assertEquals(base + 8, DirectBuffers.baseAddress(slice.duplicate()), "found again for a new view");
    }
}

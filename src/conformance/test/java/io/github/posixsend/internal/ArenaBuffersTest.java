// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * Which direct buffers posix-send stages rather than hand to the kernel by address: exactly those another thread can
 * free during a call (a shared arena's). Every other kind must still go by address, or the calls over it would copy
 * for nothing; a JDK that renamed its scope kinds would fail here first.
 */
class ArenaBuffersTest {

    @Test
    void buffersNoOtherThreadCanFreeGoByAddress() throws Exception {
        ByteBuffer plain = ByteBuffer.allocateDirect(64);
        assertFalse(ArenaBuffers.freeableElsewhere(plain));
        assertFalse(ArenaBuffers.freeableElsewhere(plain.slice(8, 8)));
        assertFalse(ArenaBuffers.freeableElsewhere(plain.asReadOnlyBuffer()));
        Path file = Files.createTempFile("posix-send-arena", ".bin");
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Files.write(file, new byte[64]);
            assertFalse(ArenaBuffers.freeableElsewhere(fc.map(FileChannel.MapMode.READ_WRITE, 0, 64)));
        } finally {
            Files.delete(file);
        }
        if (Arenas.available()) {
            Object confined = Arenas.arena("ofConfined");
            try {
                assertFalse(ArenaBuffers.freeableElsewhere(Arenas.buffer(confined, 64)));
            } finally {
                ((AutoCloseable) confined).close();
            }
            assertFalse(ArenaBuffers.freeableElsewhere(Arenas.buffer(Arenas.arena("ofAuto"), 64)));
            assertFalse(ArenaBuffers.freeableElsewhere(Arenas.buffer(Arenas.arena("global"), 64)));
        }
    }

    @Test
    void aSharedArenasBuffersAreStaged() throws Exception {
        assumeTrue(Arenas.available(), "java.lang.foreign is final from JDK 22; this is "
                + Runtime.version());
        Object shared = Arenas.arena("ofShared");
        try {
            ByteBuffer buf = Arenas.buffer(shared, 64);
            assertTrue(ArenaBuffers.freeableElsewhere(buf));
            assertTrue(ArenaBuffers.freeableElsewhere(buf.slice(4, 8).asReadOnlyBuffer()));
            assertTrue(ArenaBuffers.freeableElsewhere(buf), "the answer remembered for the buffer");
            ByteBuffer plain = ByteBuffer.allocateDirect(8);
            for (int i = 0; i < 10; i++) {
                // more buffers than each thread remembers: the answers stay right as entries are replaced
                assertFalse(ArenaBuffers.freeableElsewhere(plain.duplicate()));
                assertTrue(ArenaBuffers.freeableElsewhere(buf.duplicate()));
            }
        } finally {
            ((AutoCloseable) shared).close();
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a directory the native library is extracted under is safe from other users: no other user may rename
 * anything in it or above it, or they could move the private directory (or one above it) aside and put their own in
 * its place between the loader's checks and the load. The owner of a directory may always rename in it, and so may
 * anyone who can write to it unless its sticky bit is set.
 */
public final class ExtractionTrust {
    private ExtractionTrust() {
    }

    /**
     * Refuses {@code realDir} (links already resolved) when a directory from it up to {@code /} is owned by a user
     * other than this process's or root, or is writable by group or others without the sticky bit. This process's
     * user is its effective uid as {@code /proc/self} shows it, not the owner of anything others could swap. Inside a
     * user namespace, root's directories and those of users it does not map show as the overflow uid
     * ({@code /proc/sys/kernel/overflowuid}), which is then trusted as root is: the namespace's host owns them.
     *
     * @param realDir the directory, as {@link Path#toRealPath} gives it
     * @throws IOException naming the directory and why, when it is refused or cannot be read
     */
    public static void requireNoStrangerCanRename(Path realDir) throws IOException {
        if (!realDir.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            return; // no owners and mode bits beyond the permissions on this file system: nothing more to check
        }
        Optional<Integer> me = uidOf(Path.of("/proc/self"));
        Optional<String> myName = me.isPresent() ? Optional.empty() : ProcessHandle.current().info().user();
        int unmapped = unmappedOwner();
        for (Path p = realDir; p != null; p = p.getParent()) {
            // a directory whose owner cannot be read is refused with the reason, not passed
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int o = (Integer) a.get("uid");
            boolean mine = me.isPresent() ? o == me.get()
                    : myName.isPresent() && myName.get().equals(Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName());
            String where = p.equals(realDir) ? p.toString() : p + ", above " + realDir + ",";
            if (!mine && o != 0 && o != unmapped) {
                throw new IOException(where + " belongs to another user (uid " + o + "), who could replace what is "
                        + "extracted under it");
            }
            int mode = (Integer) a.get("mode");
            if ((mode & 0022) != 0 && (mode & 01000) == 0) {
                throw new IOException(where + " is writable by other users and has no sticky bit (mode "
                        + Integer.toOctalString(mode & 07777) + "), so they could replace what is extracted there");
            }
        }
    }

    /** The owner of {@code p}, or empty where it cannot be read (no procfs to ask about this process). */
    private static Optional<Integer> uidOf(Path p) {
        try {
            return Optional.of((Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** The overflow uid where this process runs in a user namespace other than the first, else 0 (root). */
    private static int unmappedOwner() {
        try {
            if (initialNamespace(Files.readAllLines(Path.of("/proc/self/uid_map")))) {
                return 0;
            }
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/overflowuid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return 0; // no user namespaces here (not Linux), or nothing to tell: none trusted beyond root
        }
    }

    /**
     * Whether {@code /proc/self/uid_map}'s lines are the first user namespace's: every uid mapped to itself, one line
     * {@code 0 0 4294967295}.
     *
     * @param uidMap the file's lines
     * @return true for the first namespace
     */
    public static boolean initialNamespace(List<String> uidMap) {
        return uidMap.size() == 1
                && List.of(uidMap.get(0).trim().split("\\s+")).equals(List.of("0", "0", "4294967295"));
    }
}

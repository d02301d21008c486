package io.tierfs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durability across a clean restart (everything survives) and across kill -9 (everything fsynced survives,
 * byte for byte, and the tree that holds it). Trivial on a plain directory, the real test on the mount.
 */
class RecoveryTest {

    private static final int MIB = 1 << 20;

    private FsUnderTest fs;

    @BeforeEach
    void start() throws Exception {
        fs = FsUnderTest.fromSystemProperty();
    }

    @AfterEach
    void stop() throws Exception {
        fs.close();
    }

    /** Writes a mixed tree; returns path -> expected content for the files that were fsynced (with their dir). */
    private Map<Path, byte[]> writeTree(Path base, Map<Path, byte[]> notSynced) throws Exception {
        Map<Path, byte[]> synced = new LinkedHashMap<>();
        Files.createDirectories(base.resolve("a/b/c"));
        Files.createDirectories(base.resolve("d"));
        int[] sizes = {0, 1, 4095, 4096, 100_000, MIB, 4 * MIB + 17, 9 * MIB + 3};
        for (int i = 0; i < 16; i++) {
            Path dir = switch (i % 4) {
                case 0 -> base;
                case 1 -> base.resolve("a");
                case 2 -> base.resolve("a/b/c");
                default -> base.resolve("d");
            };
            Path f = dir.resolve("file-" + i);
            byte[] data = TreeOps.content(1000 + i, sizes[i % sizes.length]);
            boolean sync = i % 2 == 0;
            TreeOps.writeNio(f, data, sync);
            if (sync) {
                TreeOps.fsyncDir(dir);
                synced.put(f, data);
            } else {
                notSynced.put(f, data);
            }
        }
        // Renames and links before the fsync of the directories that hold them.
        Path renamed = base.resolve("d/renamed");
        Files.move(base.resolve("file-0"), renamed);
        synced.put(renamed, synced.remove(base.resolve("file-0")));
        Files.createLink(base.resolve("a/hard-4"), base.resolve("file-4"));
        synced.put(base.resolve("a/hard-4"), synced.get(base.resolve("file-4")));
        Files.createSymbolicLink(base.resolve("link"), base.relativize(base.resolve("a/b/c/file-2")));
        for (Path d : new Path[] {base, base.resolve("a"), base.resolve("d")}) {
            TreeOps.fsyncDir(d);
        }
        return synced;
    }

    @Test
    void cleanRestartKeepsEverything() throws Exception {
        Path base = Files.createDirectory(fs.root().resolve("restart"));
        Map<Path, byte[]> notSynced = new LinkedHashMap<>();
        Map<Path, byte[]> synced = writeTree(base, notSynced);
        TreeSnapshot before = TreeSnapshot.of(base);

        fs.restart();

        TreeSnapshot after = TreeSnapshot.of(base);
        String diff = before.diff(after);
        assertEquals("", diff, () -> "tree after a clean restart on " + fs.describe() + "\nengine log:\n"
                + fs.engineEvidence());
        for (Map<Path, byte[]> files : java.util.List.of(synced, notSynced)) {
            files.forEach((p, data) -> assertArrayEquals(data, Sys.readFile(p), p + " after restart"));
        }
        Path fresh = base.resolve("after-restart");
        TreeOps.writeNio(fresh, TreeOps.content(1, 1234), false);
        assertArrayEquals(TreeOps.content(1, 1234), Sys.readFile(fresh), "the FS is writable after restart");
    }

    @Test
    void crashKeepsEveryFsyncedFile() throws Exception {
        Path base = Files.createDirectory(fs.root().resolve("crash"));
        TreeOps.fsyncDir(fs.root());
        Map<Path, byte[]> notSynced = new LinkedHashMap<>();
        Map<Path, byte[]> synced = writeTree(base, notSynced);

        fs.crash();

        for (Path d : new Path[] {base, base.resolve("a"), base.resolve("a/b"), base.resolve("a/b/c"), base.resolve("d")}) {
            assertTrue(Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS), d + " survives the crash on " + fs.describe());
        }
        synced.forEach((p, data) -> {
            assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " (fsynced) survives the crash");
            assertEquals(TreeOps.crc(data), TreeOps.crc(Sys.readFile(p)), p + " (fsynced) content after the crash");
        });
        assertEquals(2, Sys.lstat(base.resolve("a/hard-4")).nlink(), "fsynced hard link keeps nlink 2");
        assertEquals("a/b/c/file-2", Sys.readlink(base.resolve("link")), "fsynced symlink");
        assertTrue(Sys.lstatRc(base.resolve("file-0")) < 0, "the rename before fsync is not undone");
        for (Map.Entry<Path, byte[]> e : notSynced.entrySet()) {
            if (Files.exists(e.getKey(), LinkOption.NOFOLLOW_LINKS)) {
                byte[] got = Sys.readFile(e.getKey());
                assertTrue(got.length <= e.getValue().length, e.getKey() + " (not fsynced) is not longer than written");
            }
        }
        Path fresh = base.resolve("after-crash");
        TreeOps.writeNio(fresh, TreeOps.content(2, 5678), true);
        assertArrayEquals(TreeOps.content(2, 5678), Sys.readFile(fresh), "the FS is writable after the crash");
    }
}

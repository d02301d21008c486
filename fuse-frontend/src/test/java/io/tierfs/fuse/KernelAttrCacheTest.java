package io.tierfs.fuse;

import io.tierfs.meta.local.LocalNamespace;
import io.tierfs.vfs.InMemoryDataStore;
import io.tierfs.vfs.Vfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A single-threaded mount (the default): the kernel caches directory attributes (no GETATTR per permission check)
 * and still sees every change made through the mount at once; file attributes are asked every time, since a file
 * may get a second name whose kernel inode libfuse 2 keeps apart.
 */
class KernelAttrCacheTest {
    @TempDir
    static Path tmp;
    static Path mp;
    static FuseMount mount;
    static TierFuse fs;
    static LocalNamespace ns;

    @BeforeAll
    static void mountIt() throws IOException {
        mp = Files.createDirectory(tmp.resolve("mnt"));
        ns = new LocalNamespace(Clock.systemUTC());
        fs = new TierFuse(new Vfs(ns, new InMemoryDataStore(64L << 20), Clock.systemUTC()));
        mount = FuseMount.mount(fs, mp, List.of(), true);
    }

    @AfterAll
    static void unmountIt() throws Exception {
        MountTeardown.unmountThenClose(mount, ns);
    }

    private static long getattrs() {
        return fs.calls("getattr") + fs.calls("fgetattr");
    }

    @Test
    void directoryAttributesAreCachedFileAttributesAreNot() throws IOException {
        Path d = Files.createDirectory(mp.resolve("cached-dir"));
        Path f = Files.writeString(d.resolve("f"), "x");
        Files.getAttribute(d, "unix:mode");
        long before = getattrs();
        for (int i = 0; i < 20; i++) {
            Files.readAttributes(d, "unix:mode,nlink,uid");
        }
        long asks = getattrs() - before;
        assertTrue(asks <= 2, "20 stats of a directory within its timeout asked " + asks + " times");
        before = getattrs();
        for (int i = 0; i < 20; i++) {
            Files.readAttributes(f, "unix:mode,nlink,uid");
        }
        assertTrue(getattrs() - before >= 20, "file attributes are never cached");
    }

    @Test
    void nlinkIsRightThroughEveryNameOfAHardLinkedFile() throws IOException {
        Path a = Files.writeString(mp.resolve("nl-a"), "a");
        assertEquals(1, Files.getAttribute(a, "unix:nlink"));   // cached while a has one name
        Path b = Files.createLink(mp.resolve("nl-b"), a);
        assertEquals(2, Files.getAttribute(a, "unix:nlink"));
        assertEquals(2, Files.getAttribute(b, "unix:nlink"));
        Path c = Files.createLink(mp.resolve("nl-c"), b);
        assertEquals(3, Files.getAttribute(a, "unix:nlink"));
        Files.delete(c);
        assertEquals(2, Files.getAttribute(a, "unix:nlink"), "unlink through another name");
        assertEquals(2, Files.getAttribute(b, "unix:nlink"));
        Files.delete(b);
        assertEquals(1, Files.getAttribute(a, "unix:nlink"));
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rw-------"));
        assertEquals(0600, (int) Files.getAttribute(a, "unix:mode") & 07777);
    }

    @Test
    void aNewFilesAttributesComeWithItsCreateSoOpenAsksNoMore() throws IOException {
        Path d = Files.createDirectory(mp.resolve("creates"));
        int n = 200;
        long before = getattrs();
        for (int i = 0; i < n; i++) {
            Files.createFile(d.resolve("f" + i));
        }
        long asks = getattrs() - before;
        // per create: the negative LOOKUP (libfuse asks getattr), the parent's revalidation (the kernel drops a
        // directory's attributes when a name is added) and the CREATE reply's own fgetattr; no GETATTR of the new
        // file for open's permission check (that was a fourth)
        assertTrue(asks <= 3L * n + 5, n + " creates asked for attributes " + asks + " times");
    }

    @Test
    void aLinkRightAfterCreateStillGivesEveryNameTheRightNlink() throws IOException {
        for (int i = 0; i < 20; i++) {
            Path a = Files.createFile(mp.resolve("fresh-" + i));
            Path b = Files.createLink(mp.resolve("fresh-" + i + "-link"), a);
            assertEquals(2, Files.getAttribute(a, "unix:nlink"), "the first name, linked right after its create");
            assertEquals(2, Files.getAttribute(b, "unix:nlink"));
        }
    }

    @Test
    void changesThroughTheMountShowAtOnceDespiteTheCache() throws IOException {
        Path d = Files.createDirectory(mp.resolve("changing"));
        assertEquals(2, Files.getAttribute(d, "unix:nlink"));
        FileTime m0 = Files.getLastModifiedTime(d);
        Files.createDirectory(d.resolve("sub"));
        assertEquals(3, Files.getAttribute(d, "unix:nlink"), "mkdir inside: parent nlink");
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        assertEquals(0700, (int) Files.getAttribute(d, "unix:mode") & 07777, "chmod");
        Files.delete(d.resolve("sub"));
        assertEquals(2, Files.getAttribute(d, "unix:nlink"), "rmdir inside: parent nlink");
        FileTime m1 = Files.getLastModifiedTime(d);
        assertTrue(m1.compareTo(m0) >= 0, "mtime moved on: " + m0 + " -> " + m1);
        Files.writeString(d.resolve("g"), "y");
        Files.move(d.resolve("g"), mp.resolve("g-moved"));
        try (var s = Files.list(d)) {
            assertEquals(0, s.count());
        }
        Files.delete(d);
        assertTrue(Files.notExists(d));
    }
}

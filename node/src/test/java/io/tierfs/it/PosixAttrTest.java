package io.tierfs.it;

import static io.tierfs.it.Sys.P;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tierfs.common.Errno;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jnr.posix.FileStat;
import jnr.posix.NanosecondFileStat;
import org.junit.jupiter.api.Test;

/** POSIX attributes: mode, owner, times with nanoseconds, statfs, extended attributes. */
class PosixAttrTest extends PosixTestBase {

    @Test
    void chmodChangesPermissionBits() {
        Path f = dir.resolve("f");
        Sys.writeFile(f, new byte[1]);
        for (int mode : new int[] {0600, 0755, 0640, 0444, 04755, 01777}) {
            Sys.ok(P.chmod(f.toString(), mode), "chmod 0" + Integer.toOctalString(mode));
            FileStat st = Sys.lstat(f);
            assertEquals(mode, st.mode() & 07777, "mode after chmod 0" + Integer.toOctalString(mode));
            assertTrue(st.isFile(), "chmod keeps the file type");
        }
        Sys.ok(P.chmod(dir.toString(), 0711), "chmod of a dir");
        assertEquals(0711, Sys.lstat(dir).mode() & 07777);
        Sys.ok(P.chmod(dir.toString(), 0755), "chmod back");
        Sys.expectErrno(Errno.ENOENT, "chmod of a missing file", () -> P.chmod(dir.resolve("nope").toString(), 0644));
    }

    @Test
    void chownChangesOwnerAsRoot() {
        assumeTrue(isRoot(), "chown to another user needs root (CI runs as root)");
        Path f = dir.resolve("f");
        Sys.writeFile(f, new byte[1]);
        Sys.ok(P.chown(f.toString(), 65534, 65534), "chown nobody:nogroup");
        FileStat st = Sys.lstat(f);
        assertEquals(65534, st.uid());
        assertEquals(65534, st.gid());
        Sys.ok(P.chown(f.toString(), -1, 0), "chown gid only");
        st = Sys.lstat(f);
        assertEquals(65534, st.uid(), "uid -1 leaves the owner");
        assertEquals(0, st.gid());

        Path link = dir.resolve("link");
        Sys.ok(P.symlink("f", link.toString()), "symlink");
        Sys.ok(P.lchown(link.toString(), 65534, 65534), "lchown of the link");
        assertEquals(65534, Sys.lstat(link).uid(), "lchown changes the link");
        assertEquals(0, Sys.lstat(f).gid(), "lchown does not follow");
    }

    @Test
    void utimensSetsTimesWithNanoseconds() throws Exception {
        Path f = dir.resolve("f");
        Sys.writeFile(f, new byte[10]);
        long[] atime = {1_600_000_000L, 123_456_789L};
        long[] mtime = {1_500_000_000L, 987_654_321L};
        Sys.ok(P.utimensat(Sys.AT_FDCWD, f.toString(), atime, mtime, 0), "utimensat");
        NanosecondFileStat st = (NanosecondFileStat) Sys.lstat(f);
        assertEquals(atime[0], st.atime());
        assertEquals(atime[1], st.aTimeNanoSecs());
        assertEquals(mtime[0], st.mtime());
        assertEquals(mtime[1], st.mTimeNanoSecs());
        FileTime nio = Files.getLastModifiedTime(f);
        assertEquals(mtime[0] * 1_000_000_000L + mtime[1], nio.to(TimeUnit.NANOSECONDS), "NIO sees the same mtime");

        long[] newMtime = {1_400_000_000L, 1L};
        Sys.ok(P.utimensat(Sys.AT_FDCWD, f.toString(), new long[] {0, Sys.UTIME_OMIT}, newMtime, 0), "utimensat omit atime");
        st = (NanosecondFileStat) Sys.lstat(f);
        assertEquals(atime[0], st.atime(), "UTIME_OMIT keeps atime");
        assertEquals(atime[1], st.aTimeNanoSecs());
        assertEquals(newMtime[0], st.mtime());
        assertEquals(newMtime[1], st.mTimeNanoSecs());

        long before = System.currentTimeMillis() / 1000 - 5;
        Sys.ok(P.utimensat(Sys.AT_FDCWD, f.toString(), new long[] {0, Sys.UTIME_NOW}, new long[] {0, Sys.UTIME_NOW}, 0), "utimensat now");
        st = (NanosecondFileStat) Sys.lstat(f);
        assertTrue(st.mtime() >= before, "UTIME_NOW sets mtime to now, got " + st.mtime());

        Path d = dir.resolve("d");
        Sys.ok(P.mkdir(d.toString(), 0755), "mkdir");
        Sys.ok(P.utimensat(Sys.AT_FDCWD, d.toString(), atime, mtime, 0), "utimensat on a dir");
        assertEquals(mtime[0], Sys.lstat(d).mtime());

        long mtimeBeforeWrite = Sys.lstat(f).mtime();
        Sys.ok(P.utimensat(Sys.AT_FDCWD, f.toString(), atime, mtime, 0), "reset times");
        Sys.writeFile(f, new byte[20]);
        assertTrue(Sys.lstat(f).mtime() >= mtimeBeforeWrite, "a write moves mtime to now");
    }

    @Test
    void statfsReportsBlocks() throws Exception {
        FileStore store = Files.getFileStore(fs.root());
        assertTrue(store.getTotalSpace() > 0, "FileStore total space of " + store);
        assertTrue(store.getUsableSpace() >= 0);
        Proc.Result r = Proc.run(List.of("stat", "-f", "-c", "%b %S %a", dir.toString()));
        assertEquals(0, r.exit(), r.toString());
        String[] parts = r.stdout().trim().split(" ");
        assertTrue(Long.parseLong(parts[0]) > 0, "f_blocks > 0: " + r);
        assertTrue(Long.parseLong(parts[1]) > 0, "fragment size > 0: " + r);
        assertTrue(Long.parseLong(parts[2]) <= Long.parseLong(parts[0]), "f_bavail <= f_blocks: " + r);
    }

    @Test
    void extendedAttributes() {
        Path f = dir.resolve("f");
        Sys.writeFile(f, new byte[1]);
        String p = f.toString();
        byte[] v1 = "value one".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = new byte[] {0, 1, 2, (byte) 0xff};
        assertEquals(0, Xattr.set(p, "user.a", v1, 0), "setxattr user.a errno " + Xattr.errno());
        assertEquals(0, Xattr.set(p, "user.b", v2, 0), "setxattr user.b errno " + Xattr.errno());
        assertEquals(0, Xattr.set(p, "user.empty", new byte[0], 0), "setxattr empty value errno " + Xattr.errno());

        assertEquals(v1.length, Xattr.get(p, "user.a", null), "size query");
        byte[] buf = new byte[100];
        long n = Xattr.get(p, "user.b", buf);
        assertEquals(v2.length, n);
        assertArrayEquals(v2, java.util.Arrays.copyOf(buf, (int) n), "binary value round-trips");
        assertEquals(0, Xattr.get(p, "user.empty", buf));

        byte[] names = new byte[1000];
        long len = Xattr.list(p, names);
        assertTrue(len > 0, "listxattr errno " + Xattr.errno());
        List<String> listed = Xattr.names(names, len);
        assertTrue(listed.containsAll(List.of("user.a", "user.b", "user.empty")), "listed " + listed);

        expect(Errno.ENODATA, "get of a missing xattr", Xattr.get(p, "user.missing", buf));
        expect(Errno.ERANGE, "get into a too small buffer", Xattr.get(p, "user.a", new byte[2]));
        expect(Errno.EEXIST, "XATTR_CREATE of an existing name", Xattr.set(p, "user.a", v2, Xattr.XATTR_CREATE));
        expect(Errno.ENODATA, "XATTR_REPLACE of a missing name", Xattr.set(p, "user.new", v2, Xattr.XATTR_REPLACE));
        assertEquals(0, Xattr.set(p, "user.a", v2, Xattr.XATTR_REPLACE), "replace");
        n = Xattr.get(p, "user.a", buf);
        assertArrayEquals(v2, java.util.Arrays.copyOf(buf, (int) n), "replaced value");

        assertEquals(0, Xattr.remove(p, "user.a"), "removexattr errno " + Xattr.errno());
        expect(Errno.ENODATA, "get after remove", Xattr.get(p, "user.a", buf));
        expect(Errno.ENODATA, "remove of a missing name", Xattr.remove(p, "user.a"));
        len = Xattr.list(p, names);
        assertTrue(!Xattr.names(names, len).contains("user.a"), "removed name no longer listed");
        expect(Errno.ENOENT, "setxattr on a missing file", Xattr.set(dir.resolve("nope").toString(), "user.a", v1, 0));

        assertEquals(0, Xattr.set(dir.toString(), "user.d", v1, 0), "xattr on a directory errno " + Xattr.errno());
        assertEquals(v1.length, Xattr.get(dir.toString(), "user.d", buf));
    }

    private static void expect(Errno errno, String what, long rc) {
        int got = Xattr.errno();
        assertEquals(-1, rc, what + ": expected failure with " + errno);
        assertEquals(errno.name(), Sys.errnoName(got), what);
    }
}

package io.tierfs.vfs;

import io.tierfs.common.Attr;
import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.Errno;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.common.SetAttr;
import io.tierfs.common.time.ManualClock;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;
import io.tierfs.meta.local.LocalNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static io.tierfs.vfs.OpenFlags.O_APPEND;
import static io.tierfs.vfs.OpenFlags.O_CREAT;
import static io.tierfs.vfs.OpenFlags.O_EXCL;
import static io.tierfs.vfs.OpenFlags.O_RDONLY;
import static io.tierfs.vfs.OpenFlags.O_RDWR;
import static io.tierfs.vfs.OpenFlags.O_TRUNC;
import static io.tierfs.vfs.OpenFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The VFS over the real in-memory namespace and data store, without a mount. The caches get a one-hour TTL so that
 * every assertion after a mutation proves that the mutation invalidated them (nothing expires on its own).
 */
class VfsTest {
    private static final Caller ROOT = Caller.ROOT;
    private static final Caller ALICE = new Caller(1000, 1000);

    private ManualClock clock;
    private Namespace ns;
    private InMemoryDataStore data;
    private Vfs vfs;

    @BeforeEach
    void setUp() {
        clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        ns = new LocalNamespace(clock);
        data = new InMemoryDataStore(4096, 1L << 30);
        vfs = new Vfs(ns, data, clock, Duration.ofHours(1));
    }

    @AfterEach
    void tearDown() {
        vfs.close();
        ns.close();
        data.close();
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private String read(long fh, long off, int len) {
        ByteBuffer b = ByteBuffer.allocate(len);
        int n = vfs.read(null, fh, off, b);
        return new String(b.array(), 0, n, StandardCharsets.UTF_8);
    }

    private String readAll(String path) {
        long fh = vfs.open(path, O_RDONLY, ROOT);
        try {
            return read(fh, 0, (int) vfs.fgetattr(path, fh).size());
        } finally {
            vfs.release(path, fh);
        }
    }

    private long createFile(String path, String content) {
        long fh = vfs.create(path, 0644, O_CREAT | O_RDWR, ROOT);
        vfs.write(path, fh, 0, bytes(content));
        return fh;
    }

    private static void assertErrno(Errno expected, Executable op) {
        FsException e = assertThrows(FsException.class, op);
        assertEquals(expected, e.errno(), e.getMessage());
    }

    @Test
    void fallocateGrowsPunchesAndZeroesLikeLinux() {
        long fh = createFile("/fa", "abcdefghij");
        vfs.fallocate("/fa", fh, Vfs.FALLOC_FL_KEEP_SIZE, 0, 100, ROOT);
        assertEquals(10, vfs.fgetattr("/fa", fh).size(), "KEEP_SIZE leaves the size");
        vfs.fallocate("/fa", fh, Vfs.FALLOC_FL_PUNCH_HOLE | Vfs.FALLOC_FL_KEEP_SIZE, 2, 3, ROOT);
        assertEquals("ab\0\0\0fghij", read(fh, 0, 10));
        vfs.fallocate("/fa", fh, Vfs.FALLOC_FL_ZERO_RANGE | Vfs.FALLOC_FL_KEEP_SIZE, 8, 50, ROOT);
        assertEquals("ab\0\0\0fgh\0\0", read(fh, 0, 20));
        assertEquals(10, vfs.fgetattr("/fa", fh).size());
        vfs.fallocate("/fa", fh, 0, 5, 20, ROOT);
        assertEquals(25, vfs.fgetattr("/fa", fh).size(), "mode 0 grows to offset + length");
        assertEquals("ab\0\0\0fgh" + "\0".repeat(17), read(fh, 0, 40));
        vfs.fallocate("/fa", fh, Vfs.FALLOC_FL_ZERO_RANGE, 0, 30, ROOT);
        assertEquals(30, vfs.fgetattr("/fa", fh).size(), "ZERO_RANGE without KEEP_SIZE grows");
        assertEquals("\0".repeat(30), read(fh, 0, 40));
        assertErrno(Errno.EINVAL, () -> vfs.fallocate("/fa", fh, Vfs.FALLOC_FL_PUNCH_HOLE, 0, 1, ROOT));
        assertErrno(Errno.EINVAL, () -> vfs.fallocate("/fa", fh, 0, 0, 0, ROOT));
        assertErrno(Errno.ENOTSUP, () -> vfs.fallocate("/fa", fh, 0x08 /* COLLAPSE_RANGE */, 0, 4096, ROOT));
        vfs.release("/fa", fh);
        assertEquals(30, vfs.getattr("/fa").size(), "the grown size reaches the namespace");
    }

    @Test
    void writeIsVisibleThroughGetattrBeforeFlushAndReachesTheNamespaceOnFlush() {
        long fh = vfs.create("/f", 0644, O_CREAT | O_WRONLY, ROOT);
        clock.advance(Duration.ofSeconds(10));
        vfs.write("/f", fh, 0, bytes("hello world"));
        long writeTime = Instant.parse("2026-01-01T00:00:10Z").getEpochSecond() * 1_000_000_000L;

        Attr seen = vfs.getattr("/f");
        assertEquals(11, seen.size());
        assertEquals(writeTime, seen.mtimeNs());
        assertEquals(0, ns.getattr(ns.lookup(1, "f").ref()).size(), "no metadata round trip per write");

        vfs.flush("/f", fh);
        Attr recorded = ns.getattr(ns.lookup(1, "f").ref());
        assertEquals(11, recorded.size());
        assertEquals(writeTime, recorded.mtimeNs());
        vfs.release("/f", fh);
        assertEquals(11, vfs.getattr("/f").size());
        assertEquals("hello world", readAll("/f"));
        assertEquals(0, vfs.openHandles());
    }

    @Test
    void releaseAndFsyncRecordTheSize() {
        long fh = createFile("/f", "abc");
        vfs.fsync("/f", fh, false);
        assertEquals(3, ns.getattr(ns.lookup(1, "f").ref()).size());
        vfs.write("/f", fh, 3, bytes("def"));
        vfs.release("/f", fh);
        assertEquals(6, ns.getattr(ns.lookup(1, "f").ref()).size());
    }

    @Test
    void appendWritesAtTheInMemoryEndWhateverOffsetIsPassed() {
        long w = createFile("/log", "0123456789");
        long a = vfs.open("/log", O_WRONLY | O_APPEND, ROOT);
        vfs.write("/log", a, 0, bytes("AB"));
        vfs.write("/log", w, 12, bytes("CD")); // a plain write extends the file too
        vfs.write("/log", a, 3, bytes("EF"));
        assertEquals(16, vfs.fgetattr("/log", a).size());
        vfs.release("/log", a);
        vfs.release("/log", w);
        assertEquals("0123456789ABCDEF", readAll("/log"));
    }

    @Test
    void appendsOfManyThreadsAndHandlesNeverOverlapAndBypassThePageCache() throws Exception {
        long w = createFile("/many", "");
        vfs.release("/many", w);
        int threads = 6;
        int each = 50;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    long fh = vfs.open("/many", O_WRONLY | O_APPEND, ROOT);
                    assertTrue(vfs.bypassesPageCache(fh), "O_APPEND handles are direct_io");
                    for (int q = 0; q < each; q++) {
                        vfs.write("/many", fh, 0, bytes(String.format("[%d:%03d]", id, q)));
                    }
                    vfs.release("/many", fh);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        String all = readAll("/many");
        assertEquals(threads * each * 7, all.length());
        int[] next = new int[threads];
        for (int i = 0; i < all.length(); i += 7) {
            String rec = all.substring(i, i + 7);
            int id = rec.charAt(1) - '0';
            assertEquals(String.format("[%d:%03d]", id, next[id]), rec, "record at " + i);
            next[id]++;
        }
        long plain = vfs.open("/many", O_WRONLY, ROOT);
        assertFalse(vfs.bypassesPageCache(plain), "other handles use the page cache");
        vfs.release("/many", plain);
    }

    @Test
    void readsClampToTheSizeAndHolesReadAsZeros() {
        long fh = vfs.create("/sparse", 0644, O_CREAT | O_RDWR, ROOT);
        vfs.write("/sparse", fh, 10_000, bytes("x"));
        assertEquals(10_001, vfs.fgetattr("/sparse", fh).size());
        ByteBuffer b = ByteBuffer.allocate(20_000);
        assertEquals(10_001, vfs.read("/sparse", fh, 0, b));
        byte[] zeros = new byte[10_000];
        assertArrayEquals(zeros, Arrays.copyOf(b.array(), 10_000));
        assertEquals('x', b.get(10_000));
        assertEquals(0, vfs.read("/sparse", fh, 10_001, ByteBuffer.allocate(10)));
        assertEquals(0, vfs.read("/sparse", fh, 50_000, ByteBuffer.allocate(10)));
        vfs.release("/sparse", fh);
    }

    @Test
    void truncateShrinksAndGrowsAndTheGrownRangeReadsZeros() {
        long fh = createFile("/t", "abcdefghij");
        vfs.release("/t", fh);
        vfs.truncate("/t", 3, ROOT);
        assertEquals(3, vfs.getattr("/t").size());
        assertEquals(3, ns.getattr(ns.lookup(1, "t").ref()).size());
        vfs.truncate("/t", 8, ROOT);
        assertEquals(8, vfs.getattr("/t").size());
        assertEquals("abc\0\0\0\0\0", readAll("/t"));
        assertErrno(Errno.EINVAL, () -> vfs.truncate("/t", -1, ROOT));
    }

    @Test
    void ftruncateOfAnOpenFileChangesTheOpenSizeExactly() {
        long fh = createFile("/t", "abcdefghij");
        vfs.ftruncate("/t", fh, 4, ROOT);
        assertEquals(4, vfs.fgetattr("/t", fh).size());
        assertEquals("abcd", read(fh, 0, 100));
        vfs.ftruncate("/t", fh, 6, ROOT);
        assertEquals("abcd\0\0", read(fh, 0, 100));
        vfs.write("/t", fh, 8, bytes("Z"));
        vfs.release("/t", fh);
        assertEquals("abcd\0\0\0\0Z", readAll("/t"));
        assertEquals(9, ns.getattr(ns.lookup(1, "t").ref()).size());
    }

    @Test
    void openWithTruncAndCreateFlags() {
        vfs.release("/f", createFile("/f", "old content"));
        long fh = vfs.open("/f", O_WRONLY | O_TRUNC, ROOT);
        assertEquals(0, vfs.fgetattr("/f", fh).size());
        vfs.release("/f", fh);
        assertEquals("", readAll("/f"));

        vfs.release("/g", createFile("/g", "keep"));
        assertErrno(Errno.EEXIST, () -> vfs.create("/g", 0644, O_CREAT | O_EXCL | O_WRONLY, ROOT));
        long again = vfs.create("/g", 0644, O_CREAT | O_RDWR, ROOT);
        assertEquals("keep", read(again, 0, 10));
        vfs.release("/g", again);
        long trunc = vfs.create("/g", 0644, O_CREAT | O_TRUNC | O_RDWR, ROOT);
        assertEquals(0, vfs.fgetattr("/g", trunc).size());
        vfs.release("/g", trunc);
    }

    @Test
    void anUnlinkedOpenFileStaysUsableUntilItsLastRelease() {
        long fh = createFile("/u", "data");
        long ino = vfs.fgetattr("/u", fh).ino();
        long second = vfs.open("/u", O_RDONLY, ROOT);
        vfs.unlink("/u");

        assertErrno(Errno.ENOENT, () -> vfs.getattr("/u"));
        vfs.write(null, fh, 4, bytes("+more"));
        assertEquals("data+more", read(second, 0, 100));
        Attr a = vfs.fgetattr(null, fh);
        assertEquals(0, a.nlink());
        assertEquals(9, a.size());
        vfs.ftruncate(null, fh, 2, ROOT);
        assertEquals("da", read(second, 0, 100));
        vfs.flush(null, fh);
        vfs.fsync(null, fh, false);

        vfs.release(null, fh);
        assertTrue(data.holds(ino), "data kept while a handle is open");
        vfs.release(null, second);
        assertFalse(data.holds(ino), "data freed at the last release");
        assertErrno(Errno.EBADF, () -> vfs.read(null, second, 0, ByteBuffer.allocate(1)));
    }

    @Test
    void aFileUnlinkedByAnotherMemberStaysUsableHereUntilItsLastRelease() {
        long fh = createFile("/elsewhere", "data");
        long ino = vfs.fgetattr("/elsewhere", fh).ino();
        // another member removes the last name: the namespace forgets it, then the home is asked to free the data
        ns.unlink(InodeRef.ROOT_INO, "elsewhere");
        vfs.cache().invalidateAll();
        assertTrue(vfs.keepsDataOfRemovedInode(ino), "a handle here keeps the data");
        assertFalse(vfs.keepsDataOfRemovedInode(ino + 1000), "an inode nobody here has open is freed at once");

        Attr byPath = vfs.getattr("/elsewhere"); // libfuse still names it by its old path (fstat)
        assertEquals(ino, byPath.ino());
        assertEquals(0, byPath.nlink());
        vfs.write(null, fh, 4, bytes("+more"));
        assertEquals("data+more", read(fh, 0, 100));
        assertEquals(9, vfs.fgetattr(null, fh).size());

        vfs.release(null, fh);
        assertFalse(data.holds(ino), "data freed at the last release");
        assertErrno(Errno.ENOENT, () -> vfs.getattr("/elsewhere"));
    }

    @Test
    void unlinkOfAClosedFileFreesItsDataAtOnceAndALinkKeepsIt() {
        vfs.release("/a", createFile("/a", "payload"));
        long ino = vfs.getattr("/a").ino();
        vfs.link("/a", "/b");
        assertEquals(2, vfs.getattr("/a").nlink());
        assertEquals(2, vfs.getattr("/b").nlink());
        vfs.unlink("/a");
        assertEquals(1, vfs.getattr("/b").nlink());
        assertTrue(data.holds(ino));
        assertEquals("payload", readAll("/b"));
        vfs.unlink("/b");
        assertFalse(data.holds(ino));
    }

    @Test
    void renameOverAnOpenFileKeepsTheVictimReadableUntilRelease() {
        long victim = createFile("/victim", "old");
        long victimIno = vfs.fgetattr("/victim", victim).ino();
        vfs.release("/new", createFile("/new", "fresh"));
        vfs.rename("/new", "/victim");
        assertErrno(Errno.ENOENT, () -> vfs.getattr("/new"));
        assertEquals("fresh", readAll("/victim"));
        assertEquals("old", read(victim, 0, 10));
        assertEquals(0, vfs.fgetattr(null, victim).nlink());
        assertTrue(data.holds(victimIno));
        vfs.release(null, victim);
        assertFalse(data.holds(victimIno));

        vfs.release("/x", createFile("/x", "x"));
        long closedVictim = vfs.getattr("/victim").ino();
        vfs.rename("/x", "/victim");
        assertFalse(data.holds(closedVictim), "a closed victim's data goes at once");
    }

    @Test
    void directoriesReaddirWithDotsAndPaging() {
        vfs.mkdir("/d", 0755, ROOT);
        vfs.mkdir("/d/sub", 0755, ROOT);
        for (int i = 0; i < 2100; i++) {
            vfs.mknod(String.format("/d/sub/f%05d", i), FileType.REGULAR.ifmt() | 0644, 0, ROOT);
        }
        List<DirEntry> list = vfs.readdir("/d/sub");
        assertEquals(2102, list.size());
        assertEquals(".", list.get(0).name());
        assertEquals(vfs.getattr("/d/sub").ino(), list.get(0).ino());
        assertEquals("..", list.get(1).name());
        assertEquals(vfs.getattr("/d").ino(), list.get(1).ino());
        assertEquals("f00000", list.get(2).name());
        assertEquals("f02099", list.get(2101).name());
        assertEquals(2, vfs.readdir("/").stream().filter(e -> e.name().startsWith(".")).count());

        assertErrno(Errno.ENOTEMPTY, () -> vfs.rmdir("/d"));
        assertErrno(Errno.ENOTDIR, () -> vfs.readdir("/d/sub/f00001"));
        assertErrno(Errno.ENOTDIR, () -> vfs.getattr("/d/sub/f00001/x"));
        assertErrno(Errno.EISDIR, () -> vfs.open("/d", O_RDONLY, ROOT));
        assertErrno(Errno.EISDIR, () -> vfs.unlink("/d"));
        assertErrno(Errno.ENOTDIR, () -> vfs.rmdir("/d/sub/f00001"));
        assertErrno(Errno.EINVAL, () -> vfs.rename("/d", "/d/sub/inside"));
        assertErrno(Errno.EEXIST, () -> vfs.mkdir("/d", 0755, ROOT));
        vfs.mkdir("/e", 0755, ROOT);
        vfs.rmdir("/e");
        assertErrno(Errno.ENOENT, () -> vfs.getattr("/e"));
        vfs.rename("/d/sub", "/moved");
        assertEquals(2102, vfs.readdir("/moved").size());
        assertEquals(vfs.getattr("/").ino(), vfs.readdir("/moved").get(1).ino());
        assertErrno(Errno.ENOENT, () -> vfs.getattr("/d/sub/f00001"));
        assertEquals(FileType.REGULAR, vfs.getattr("/moved/f00001").type());
    }

    @Test
    void symlinksAndLinks() {
        vfs.symlink("../some/target", "/s", ALICE);
        Attr s = vfs.getattr("/s");
        assertEquals(FileType.SYMLINK, s.type());
        assertEquals(ALICE.uid(), s.uid());
        assertEquals("../some/target", vfs.readlink("/s"));
        vfs.mkdir("/dir", 0755, ROOT);
        assertErrno(Errno.EPERM, () -> vfs.link("/dir", "/dirlink"));
        assertErrno(Errno.EINVAL, () -> vfs.readlink("/dir"));
        vfs.mknod("/dev", FileType.CHAR_DEVICE.ifmt() | 0644, 0x0102, ROOT);
        assertEquals(FileType.CHAR_DEVICE, vfs.getattr("/dev").type());
        assertEquals(0x0102, vfs.getattr("/dev").rdev());
        assertErrno(Errno.EEXIST, () -> vfs.mknod("/dev", FileType.SOCKET.ifmt() | 0644, 0, ROOT));
        assertErrno(Errno.EINVAL, () -> vfs.mknod("/d", FileType.DIRECTORY.ifmt() | 0755, 0, ROOT));
        vfs.mknod("/fifo", FileType.FIFO.ifmt() | 0644, 0, ROOT);
        assertEquals(FileType.FIFO, vfs.getattr("/fifo").type());
        assertEquals(0, vfs.getattr("/fifo").rdev());
    }

    @Test
    void chmodChownAndTheSetIdBits() {
        vfs.release("/f", createFile("/f", "x"));
        vfs.chmod("/f", 06755, ROOT);
        assertEquals(06755, vfs.getattr("/f").mode());
        vfs.chown("/f", 1000, 1000, ROOT);
        Attr a = vfs.getattr("/f");
        assertEquals(0755, a.mode(), "chown clears S_ISUID and (group-executable) S_ISGID");
        assertEquals(1000, a.uid());
        assertEquals(1000, a.gid());

        vfs.chmod("/f", 02644, ROOT); // S_ISGID without group exec: mandatory-locking marker, kept
        vfs.chown("/f", -1, 2000, ROOT);
        assertEquals(02644, vfs.getattr("/f").mode());
        assertEquals(1000, vfs.getattr("/f").uid());
        assertEquals(2000, vfs.getattr("/f").gid());

        vfs.mkdir("/d", 0755, ROOT);
        vfs.chmod("/d", 02775, ROOT);
        vfs.chown("/d", 5, 6, ROOT);
        assertEquals(02775, vfs.getattr("/d").mode(), "directories keep S_ISGID on chown");
    }

    @Test
    void setgidDirectoriesPassTheirGroupAndTheBitForSubdirectories() {
        vfs.mkdir("/shared", 0777, ROOT);
        vfs.chown("/shared", 0, 100, ROOT);
        vfs.chmod("/shared", 02777, ROOT);
        vfs.release("/shared/f", vfs.create("/shared/f", 0644, O_CREAT | O_WRONLY, ALICE));
        Attr f = vfs.getattr("/shared/f");
        assertEquals(1000, f.uid());
        assertEquals(100, f.gid());
        assertEquals(0644, f.mode());
        vfs.mkdir("/shared/sub", 0755, ALICE);
        Attr sub = vfs.getattr("/shared/sub");
        assertEquals(100, sub.gid());
        assertEquals(02755, sub.mode());
        vfs.symlink("t", "/shared/sub/l", ALICE);
        assertEquals(100, vfs.getattr("/shared/sub/l").gid());

        vfs.mkdir("/plain", 0777, ROOT);
        vfs.mkdir("/plain/x", 0755, ALICE);
        assertEquals(1000, vfs.getattr("/plain/x").gid());
        assertEquals(0755, vfs.getattr("/plain/x").mode());
    }

    @Test
    void utimensHonoursNowAndOmitAndSurvivesUnflushedWrites() {
        vfs.release("/f", createFile("/f", "x"));
        long t1 = 1_000_000_000L * 1000 + 123;
        vfs.utimens("/f", t1, t1, ROOT);
        assertEquals(t1, vfs.getattr("/f").atimeNs());
        assertEquals(t1, vfs.getattr("/f").mtimeNs());
        long t2 = 2_000_000_000L * 1000 + 7;
        vfs.utimens("/f", null, t2, ROOT);
        assertEquals(t1, vfs.getattr("/f").atimeNs(), "UTIME_OMIT leaves atime");
        assertEquals(t2, vfs.getattr("/f").mtimeNs());
        clock.advance(Duration.ofDays(1));
        vfs.utimens("/f", SetAttr.NOW, null, ROOT);
        long now = clock.instant().getEpochSecond() * 1_000_000_000L;
        assertEquals(now, vfs.getattr("/f").atimeNs());
        assertEquals(t2, vfs.getattr("/f").mtimeNs());

        long fh = vfs.open("/f", O_WRONLY, ROOT);
        vfs.write("/f", fh, 0, bytes("abc"));
        vfs.utimens("/f", t1, t1, ROOT); // as cp -p / tar do before close
        vfs.release("/f", fh);
        assertEquals(t1, vfs.getattr("/f").mtimeNs(), "close must not overwrite an explicit mtime");
        assertEquals(3, vfs.getattr("/f").size());
    }

    @Test
    void xattrsWithCreateAndReplaceFlags() {
        vfs.release("/f", createFile("/f", "x"));
        byte[] v1 = "one".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "two".getBytes(StandardCharsets.UTF_8);
        assertErrno(Errno.ENODATA, () -> vfs.getxattr("/f", "user.a"));
        assertErrno(Errno.ENODATA, () -> vfs.setxattr("/f", "user.a", v1, Namespace.XATTR_REPLACE));
        vfs.setxattr("/f", "user.a", v1, Namespace.XATTR_CREATE);
        assertErrno(Errno.EEXIST, () -> vfs.setxattr("/f", "user.a", v2, Namespace.XATTR_CREATE));
        vfs.setxattr("/f", "user.a", v2, Namespace.XATTR_REPLACE);
        vfs.setxattr("/f", "user.b", new byte[0], 0);
        assertArrayEquals(v2, vfs.getxattr("/f", "user.a"));
        assertArrayEquals(new byte[0], vfs.getxattr("/f", "user.b"));
        assertEquals(List.of("user.a", "user.b"), vfs.listxattr("/f").stream().sorted().toList());
        vfs.removexattr("/f", "user.a");
        assertErrno(Errno.ENODATA, () -> vfs.removexattr("/f", "user.a"));
        assertEquals(List.of("user.b"), vfs.listxattr("/f"));
        assertErrno(Errno.ENOENT, () -> vfs.listxattr("/missing"));
    }

    @Test
    void errnosOfCommonFailures() {
        assertErrno(Errno.ENOENT, () -> vfs.getattr("/nope"));
        assertErrno(Errno.ENOENT, () -> vfs.open("/nope", O_RDONLY, ROOT));
        assertErrno(Errno.ENOENT, () -> vfs.unlink("/nope"));
        assertErrno(Errno.ENOENT, () -> vfs.rename("/nope", "/x"));
        assertErrno(Errno.ENOENT, () -> vfs.create("/nodir/f", 0644, O_CREAT, ROOT));
        assertErrno(Errno.ENOENT, () -> vfs.getattr(null));
        assertErrno(Errno.EBADF, () -> vfs.write(null, 999, 0, bytes("x")));
        assertErrno(Errno.EBADF, () -> vfs.release(null, 999));
        assertErrno(Errno.ENAMETOOLONG, () -> vfs.getattr("/" + "n".repeat(300)));
        assertErrno(Errno.ENAMETOOLONG, () -> vfs.mkdir("/" + "n".repeat(300), 0755, ROOT));
        vfs.mkdir("/d", 0755, ROOT);
        vfs.release("/f", createFile("/f", "x"));
        assertErrno(Errno.ENOTDIR, () -> vfs.create("/f/x", 0644, O_CREAT, ROOT));
        assertErrno(Errno.EISDIR, () -> vfs.rename("/f", "/d"));
        assertErrno(Errno.ENOTDIR, () -> vfs.rename("/d", "/f"));
        assertErrno(Errno.EISDIR, () -> vfs.truncate("/d", 0, ROOT));
        assertErrno(Errno.EISDIR, () -> vfs.create("/d", 0644, O_CREAT | O_WRONLY, ROOT));
        assertErrno(Errno.EINVAL, () -> vfs.rmdir("/"));
    }

    @Test
    void theDentryCacheFollowsRenamesAndReplacements() {
        vfs.mkdir("/a", 0755, ROOT);
        vfs.release("/a/f", createFile("/a/f", "first"));
        assertEquals(5, vfs.getattr("/a/f").size()); // cached now
        vfs.rename("/a", "/b");
        assertErrno(Errno.ENOENT, () -> vfs.getattr("/a/f"));
        assertEquals("first", readAll("/b/f"));
        vfs.release("/c", createFile("/c", "second!"));
        vfs.rename("/c", "/b/f");
        assertEquals(7, vfs.getattr("/b/f").size());
        assertEquals("second!", readAll("/b/f"));
        vfs.unlink("/b/f");
        assertErrno(Errno.ENOENT, () -> vfs.getattr("/b/f"));
        vfs.mkdir("/b/f", 0700, ROOT);
        assertEquals(FileType.DIRECTORY, vfs.getattr("/b/f").type());
        long before = vfs.getattr("/b").mtimeNs();
        clock.advance(Duration.ofSeconds(5));
        vfs.mknod("/b/g", 0644, 0, ROOT);
        assertTrue(vfs.getattr("/b").mtimeNs() > before, "parent attributes invalidated on create");
    }

    @Test
    void statfsSumsTheTiersAndCountsInodes() {
        vfs.release("/f", createFile("/f", "x".repeat(5000)));
        StatFs s = vfs.statfs();
        assertEquals(4096, s.blockSize());
        assertEquals((1L << 30) / 4096, s.blocks());
        assertEquals(((1L << 30) - 8192) / 4096, s.blocksFree());
        assertEquals(s.blocksFree(), s.blocksAvailable());
        assertEquals(ns.inodeCount(), s.files() - s.filesFree());
        assertTrue(ns.inodeCount() >= 2);
    }

    @Test
    void noSpaceIsReportedAsEnospc() {
        InMemoryDataStore small = new InMemoryDataStore(4096, 8192);
        Vfs tiny = new Vfs(ns, small, clock);
        long fh = tiny.create("/big", 0644, O_CREAT | O_WRONLY, ROOT);
        tiny.write("/big", fh, 0, ByteBuffer.allocate(8192));
        assertErrno(Errno.ENOSPC, () -> tiny.write("/big", fh, 8192, ByteBuffer.allocate(1)));
        tiny.release("/big", fh);
    }

    @Test
    void libfuseHideRenameOfAnOpenFileUnlinksItAndKeepsTheHiddenNameInMemoryOnly() {
        vfs.mkdir("/d", 0755, ROOT);
        long fh = vfs.create("/d/f", 0644, O_RDWR | O_CREAT, ROOT);
        vfs.write(null, fh, 0, bytes("kept"));
        long ino = vfs.getattr("/d/f").ino();
        // What libfuse 2 does on unlink(2) of an open file: rename to a hidden name, unlink it at the last close.
        vfs.rename("/d/f", "/d/.fuse_hidden0000000100000001");
        assertEquals(List.of(".", ".."), vfs.readdir("/d").stream().map(e -> e.name()).toList());
        // libfuse subtracts the hidden name from st_nlink itself: the VFS reports one more (0 + 1).
        assertEquals(1, vfs.getattr("/d/.fuse_hidden0000000100000001").nlink());
        assertEquals(4, vfs.getattr("/d/.fuse_hidden0000000100000001").size());
        assertEquals("kept", read(fh, 0, 4));
        vfs.write(null, fh, 4, bytes("+more"));
        assertEquals("kept+more", read(fh, 0, 9));
        assertTrue(data.holds(ino));
        vfs.release(null, fh);
        vfs.unlink("/d/.fuse_hidden0000000100000001");
        assertFalse(data.holds(ino), "data freed at the last close");
        FsException e = assertThrows(FsException.class, () -> vfs.getattr("/d/.fuse_hidden0000000100000001"));
        assertEquals(Errno.ENOENT, e.errno());
        vfs.rmdir("/d");
    }

    @Test
    void hidingOneOfTwoLinksKeepsTheOtherAndReportsTheCountLibfuseExpects() {
        long fh = vfs.create("/w", 0644, O_RDWR | O_CREAT, ROOT);
        vfs.write(null, fh, 0, bytes("both"));
        vfs.link("/w", "/v");
        vfs.rename("/w", "/.fuse_hidden00000002");
        assertEquals(1, vfs.getattr("/v").nlink());
        // one real link left (v), plus the hidden name libfuse subtracts again
        assertEquals(2, vfs.fgetattr(null, fh).nlink());
        vfs.release(null, fh);
        vfs.unlink("/.fuse_hidden00000002");
        assertTrue(data.holds(vfs.getattr("/v").ino()), "the data stays: v still names it");
        assertEquals("both", readAll("/v"));
        assertEquals(List.of(".", "..", "v"), vfs.readdir("/").stream().map(e -> e.name()).toList());
    }

    @Test
    void renameToAHiddenLookingNameOfAClosedFileIsAnOrdinaryRename() {
        long fh = vfs.create("/g", 0644, O_RDWR | O_CREAT, ROOT);
        vfs.release(null, fh);
        vfs.rename("/g", "/.fuse_hidden_by_user");
        assertEquals(FileType.REGULAR, vfs.getattr("/.fuse_hidden_by_user").type());
    }

    @Test
    void cachedXattrAnswersIncludingAbsenceFollowEverySetAndRemove() {
        long fh = vfs.create("/x", 0644, O_RDWR | O_CREAT, ROOT);
        vfs.release(null, fh);
        for (int round = 0; round < 2; round++) { // the second round is answered from the cache
            FsException absent = assertThrows(FsException.class, () -> vfs.getxattr("/x", "security.capability"));
            assertEquals(Errno.ENODATA, absent.errno());
        }
        vfs.setxattr("/x", "user.k", "v1".getBytes(StandardCharsets.UTF_8), 0);
        assertEquals("v1", new String(vfs.getxattr("/x", "user.k"), StandardCharsets.UTF_8));
        vfs.setxattr("/x", "user.k", "v2".getBytes(StandardCharsets.UTF_8), 0);
        assertEquals("v2", new String(vfs.getxattr("/x", "user.k"), StandardCharsets.UTF_8));
        vfs.getxattr("/x", "user.k")[0] = 'X'; // a caller scribbling on the answer does not poison the cache
        assertEquals("v2", new String(vfs.getxattr("/x", "user.k"), StandardCharsets.UTF_8));
        vfs.removexattr("/x", "user.k");
        assertEquals(Errno.ENODATA, assertThrows(FsException.class, () -> vfs.getxattr("/x", "user.k")).errno());
    }

    @Test
    void cachedAbsenceAndPatchedDirectoryAttributesFollowEveryChange() {
        vfs.mkdir("/p", 0755, ROOT);
        Attr before = vfs.getattr("/p");
        assertEquals(Errno.ENOENT, assertThrows(FsException.class, () -> vfs.getattr("/p/n")).errno());
        clock.advance(Duration.ofSeconds(1));
        vfs.release(null, vfs.create("/p/n", 0644, O_RDWR | O_CREAT, ROOT));
        assertEquals(FileType.REGULAR, vfs.getattr("/p/n").type(), "the cached absence went with the create");
        Attr afterCreate = vfs.getattr("/p");
        assertTrue(afterCreate.mtimeNs() > before.mtimeNs() && afterCreate.ctimeNs() > before.ctimeNs());
        vfs.mkdir("/p/sub", 0755, ROOT);
        assertEquals(3, vfs.getattr("/p").nlink());
        assertEquals(ns.getattr(new io.tierfs.common.InodeRef(before.ino(), before.ino())).nlink(), vfs.getattr("/p").nlink());
        vfs.rmdir("/p/sub");
        assertEquals(2, vfs.getattr("/p").nlink());
        vfs.unlink("/p/n");
        assertEquals(Errno.ENOENT, assertThrows(FsException.class, () -> vfs.getattr("/p/n")).errno());
        vfs.symlink("target", "/p/n", ROOT);
        assertEquals(FileType.SYMLINK, vfs.getattr("/p/n").type());
        vfs.rename("/p/n", "/p/m");
        assertEquals(Errno.ENOENT, assertThrows(FsException.class, () -> vfs.getattr("/p/n")).errno());
        vfs.rename("/p/m", "/p/n");
        assertEquals(FileType.SYMLINK, vfs.getattr("/p/n").type());
    }

    /** The namespace behind a Vfs, counting lookups (the metadata round trip a complete directory saves). */
    private static Namespace countingLookups(Namespace target, java.util.concurrent.atomic.AtomicInteger lookups) {
        return (Namespace) java.lang.reflect.Proxy.newProxyInstance(Namespace.class.getClassLoader(),
                new Class<?>[]{Namespace.class}, (proxy, m, args) -> {
                    if (m.getName().equals("lookup")) {
                        lookups.incrementAndGet();
                    }
                    try {
                        return m.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aDirectoryCreatedHereAnswersMissesWithoutAskingUntilInDoubt() {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        Vfs v = new Vfs(countingLookups(ns, lookups), data, clock, Duration.ofHours(1));
        long d = v.mkdir("/fresh", 0755, ROOT).ino();
        int before = lookups.get();
        for (int i = 0; i < 50; i++) {
            FsException e = assertThrows(FsException.class, () -> v.getattr("/fresh/x"));
            assertEquals(Errno.ENOENT, e.errno());
            v.release(null, v.create("/fresh/f" + i, 0644, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, ROOT));
        }
        assertEquals(before, lookups.get(), "misses and creates in a directory made here ask nothing");
        assertTrue(v.cache().isComplete(d));
        assertEquals(0, v.getattr("/fresh/f7").size());

        // a name arriving by rename drops the flag, and is then found
        v.release(null, v.create("/elsewhere", 0644, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, ROOT));
        v.rename("/elsewhere", "/fresh/moved");
        assertFalse(v.cache().isComplete(d));
        assertEquals(FileType.REGULAR, v.getattr("/fresh/moved").type());

        // a directory made by someone else (straight in the namespace) is never assumed complete
        Node other = ns.mkdir(InodeRef.ROOT_INO, "other", 0755, ROOT);
        ns.create(other.ref().ino(), "by-other", 0644, ROOT, true);
        assertFalse(v.cache().isComplete(other.ref().ino()));
        assertEquals(FileType.REGULAR, v.getattr("/other/by-other").type());
        v.close();
    }

    @Test
    void pathsOfFilesAreKnownAfterARestartThroughTheStoresHintsCheckedAgainstTheNamespace() {
        vfs.mkdir("/d", 0755, ROOT);
        long fh = vfs.create("/d/f", 0644, O_WRONLY | O_CREAT, ROOT);
        long ino = vfs.getattr("/d/f").ino();
        vfs.release(null, fh);
        Vfs restarted = new Vfs(ns, data, clock, Duration.ofHours(1));   // nothing in its recent paths
        assertEquals(java.util.Optional.of("/d/f"), restarted.recentPath(ino), "from the store's hint");
        restarted.rename("/d/f", "/d/g");
        Vfs again = new Vfs(ns, data, clock, Duration.ofHours(1));
        assertEquals(java.util.Optional.of("/d/g"), again.recentPath(ino), "a rename updates the hint");
        ns.rename(InodeRef.ROOT_INO, "d", InodeRef.ROOT_INO, "e");   // the parent renamed behind its back
        Vfs third = new Vfs(ns, data, clock, Duration.ofHours(1));
        assertEquals(java.util.Optional.empty(), third.recentPath(ino), "a stale hint is not used");
        restarted.close();
        again.close();
        third.close();
    }
}

package io.tierfs.fuse;

import io.tierfs.common.Caller;
import io.tierfs.meta.local.LocalNamespace;
import io.tierfs.vfs.InMemoryDataStore;
import io.tierfs.vfs.Vfs;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adapter on a real kernel mount (CI runs as root with /dev/fuse): java.nio.file and raw syscalls through
 * jnr-posix against the VFS over the in-memory namespace and data store.
 */
class TierFuseMountTest {
    private static final long CAPACITY = 1L << 30;
    /** Returns -1 and sets errno instead of throwing, as libc does. */
    private static final POSIX posix = POSIXFactory.getNativePOSIX(new jnr.posix.util.DefaultPOSIXHandler() {
        @Override
        public void error(jnr.constants.platform.Errno error, String extraData) {
        }

        @Override
        public void error(jnr.constants.platform.Errno error, String methodName, String extraData) {
        }
    });

    @TempDir
    static Path tmp;
    static Path mp;
    static FuseMount mount;
    static InMemoryDataStore data;
    static LocalNamespace ns;

    @BeforeAll
    static void mountIt() throws IOException {
        // the temp dir is 0700: other users must be able to reach the mount point
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        mp = Files.createDirectory(tmp.resolve("mnt"));
        ns = new LocalNamespace(Clock.systemUTC());
        data = new InMemoryDataStore(CAPACITY);
        TierFuse fs = new TierFuse(new Vfs(ns, data, Clock.systemUTC()));
        mount = FuseMount.mount(fs, mp, List.of(), false);
    }

    @AfterAll
    static void unmountIt() throws Exception {
        MountTeardown.unmountThenClose(mount, ns);
        assertFalse(MountTable.isMountPoint(mp));
    }

    @Test
    void theReadAheadWindowHoldsSeveralRequests() throws IOException {
        String dev = MountTable.deviceOf(mp).orElseThrow();
        Path knob = Path.of("/sys/class/bdi", dev, "read_ahead_kb");
        if (!Files.isWritable(knob)) {
            // only root may raise it (CI runs as root): elsewhere the kernel's default must be left alone
            assertEquals(128, Integer.parseInt(Files.readString(knob).trim()));
            return;
        }
        assertEquals(ReadAhead.DEFAULT_KIB, Integer.parseInt(Files.readString(knob).trim()));
        byte[] content = new byte[3 << 20];
        new java.util.Random(3).nextBytes(content);
        Path f = mp.resolve("readahead.bin");
        Files.write(f, content);
        assertArrayEquals(content, Files.readAllBytes(f), "sequential reads through the wider window");
    }

    /**
     * rename(2) over a name is atomic to other processes: a stat(2) racing it sees the old file or the new one. libfuse
     * alone answered ENOENT for the replaced inode (15-24 % of such stats in a tight loop); ESTALE makes the kernel
     * walk the path again ({@link StaleNodeReplies}). What remains is a retry that loses the race a second time.
     */
    @Test
    void aNameRenamedOverStaysVisibleToAConcurrentStat() throws Exception {
        Path d = Files.createDirectory(mp.resolve("atomic-rename"));
        Path x = d.resolve("x");
        Path y = d.resolve("y");
        Files.writeString(x, "0");
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger stats = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ConcurrentHashMap<String, Integer> failed = new java.util.concurrent.ConcurrentHashMap<>();
        Thread statter = new Thread(() -> {
            while (!done.get()) {
                jnr.posix.FileStat st = posix.allocateStat();
                int rc = posix.stat(x.toString(), st);
                stats.incrementAndGet();
                if (rc != 0) {
                    failed.merge(jnr.constants.platform.Errno.valueOf(posix.errno()).name(), 1, Integer::sum);
                }
            }
        }, "statter");
        statter.start();
        int renames = 3000;
        try {
            for (int i = 0; i < renames; i++) {
                Files.writeString(y, Integer.toString(i));
                Files.move(y, x, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            done.set(true);
            statter.join();
        }
        int failures = failed.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(stats.get() > renames, "the stats overlapped the renames: " + stats.get());
        assertTrue(failures * 200 <= stats.get(), failures + " of " + stats.get() + " stats failed: " + failed);
        assertEquals(Integer.toString(renames - 1), Files.readString(x));
    }

    @Test
    void writeReadStatAndList() throws IOException {
        Path d = Files.createDirectory(mp.resolve("rw"));
        Path f = d.resolve("hello.txt");
        Instant before = Instant.now().minusSeconds(2);
        Files.writeString(f, "hello, tierfs");
        assertEquals("hello, tierfs", Files.readString(f));
        assertEquals(13L, Files.size(f));
        FileTime mtime = Files.getLastModifiedTime(f);
        assertTrue(mtime.toInstant().isAfter(before), "mtime is real, not 1970: " + mtime);
        jnr.posix.FileStat st = posix.stat(f.toString());
        assertEquals(1, st.nlink());
        assertEquals(0100644, st.mode() & 0177777);
        assertEquals(0, st.uid());
        assertNotEquals(0L, st.ino());
        assertEquals(st.ino(), ((Number) Files.getAttribute(f, "unix:ino")).longValue(), "use_ino");

        Files.writeString(d.resolve("more.txt"), "more", StandardOpenOption.CREATE_NEW);
        Files.writeString(d.resolve("more.txt"), "+", StandardOpenOption.APPEND);
        assertEquals("more+", Files.readString(d.resolve("more.txt")));
        try (Stream<Path> s = Files.list(d)) {
            assertEquals(Set.of("hello.txt", "more.txt"),
                    s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(big);
        Files.write(d.resolve("big"), big);
        assertArrayEquals(big, Files.readAllBytes(d.resolve("big")));
    }

    @Test
    void pageCacheIsKeptAcrossOpensOfAFileWithOneName() throws IOException {
        Path f = mp.resolve("cached");
        byte[] content = new byte[256 * 1024];
        new java.util.Random(11).nextBytes(content);
        Files.write(f, content);   // a new file's writes bypass the page cache (direct writes)
        assertArrayEquals(content, Files.readAllBytes(f));   // the first read fills it
        long before = data.readCalls();
        assertArrayEquals(content, Files.readAllBytes(f));
        assertArrayEquals(content, Files.readAllBytes(f));
        assertEquals(before, data.readCalls(), "re-reads of an unchanged file come from the kernel's page cache");
        content[5] = (byte) ~content[5];
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(content, 5, 1), 5);
        }
        assertArrayEquals(content, Files.readAllBytes(f), "a write through the mount updates the cached pages");
    }

    @Test
    void writeOnlyHandlesBypassThePageCacheAndCachingHandlesSeeTheirBytes() throws IOException {
        Path f = mp.resolve("direct-writes");
        byte[] content = new byte[256 * 1024];
        new java.util.Random(13).nextBytes(content);
        Files.write(f, content);   // O_WRONLY|O_CREAT|O_TRUNC: direct I/O
        long before = data.readCalls();
        assertArrayEquals(content, Files.readAllBytes(f));
        assertTrue(data.readCalls() > before, "a write-only handle's bytes are not in the page cache");
        long cached = data.readCalls();
        assertArrayEquals(content, Files.readAllBytes(f));
        assertEquals(cached, data.readCalls(), "once read, the unchanged file is served from the page cache");

        // the writer is opened first: no open between the readers' caching and its writes drops their pages
        try (FileChannel writer = FileChannel.open(f, StandardOpenOption.WRITE);
             FileChannel reader = FileChannel.open(f, StandardOpenOption.READ);
             FileChannel mapper = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.MappedByteBuffer map = mapper.map(FileChannel.MapMode.READ_WRITE, 0, content.length);
            try {
                ByteBuffer page = ByteBuffer.allocate(4096);
                for (int round = 0; round < 3; round++) {
                    long calls = data.readCalls();
                    page.clear();
                    reader.read(page, 8192);
                    assertEquals(content[8200], page.get(8));
                    assertEquals(content[8200], map.get(8200));
                    if (round > 0) {
                        assertEquals(calls, data.readCalls(), "the reader's and the mapping's page is cached");
                    }
                    content[8200] = (byte) ~content[8200];
                    assertEquals(1, writer.write(ByteBuffer.wrap(content, 8200, 1), 8200));
                    calls = data.readCalls();
                    page.clear();
                    reader.read(page, 8192);
                    assertEquals(content[8200], page.get(8), "an open reader sees the write-only handle's byte");
                    assertEquals(content[8200], map.get(8200), "so does a shared mapping");
                    assertTrue(data.readCalls() > calls, "the kernel dropped the cached page the direct write changed");
                }
            } finally {
                unmap(map);   // a mapping holds its file open (and the next tests count open handles)
            }
        }
        assertArrayEquals(content, Files.readAllBytes(f));
    }

    /**
     * A read-write handle of a file that was empty at open (O_CREAT|O_RDWR, as IOR and HDF5 create files) writes with
     * direct I/O: reading its bytes back goes through TierFS, a shared mapping of it works (the INIT reply's
     * FUSE_DIRECT_IO_ALLOW_MMAP; ENODEV without) and stays coherent with the handle's writes both ways. A read-write
     * handle of a file that has data keeps the page cache.
     */
    @Test
    void readWriteHandlesOfAnEmptyFileWriteDirectAndStillMap() throws IOException {
        Path f = mp.resolve("rdwr-new");
        byte[] content = new byte[64 * 1024];
        new java.util.Random(17).nextBytes(content);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            assertEquals(content.length, ch.write(ByteBuffer.wrap(content), 0));
            long before = data.readCalls();
            ByteBuffer back = ByteBuffer.allocate(content.length);
            while (back.hasRemaining() && ch.read(back, back.position()) > 0) {
                // reads the whole file back
            }
            assertArrayEquals(content, back.array());
            assertTrue(data.readCalls() > before, "the bytes were written past the page cache: read from TierFS");
            java.nio.MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, content.length);
            try {
                assertEquals(content[100], map.get(100));
                content[200] = (byte) ~content[200];
                map.put(200, content[200]);
                map.force();
                ByteBuffer one = ByteBuffer.allocate(1);
                ch.read(one, 200);
                assertEquals(content[200], one.get(0), "the handle reads what the mapping wrote");
                content[300] = (byte) ~content[300];
                assertEquals(1, ch.write(ByteBuffer.wrap(content, 300, 1), 300));
                assertEquals(content[300], map.get(300), "the mapping sees the handle's direct write");
            } finally {
                unmap(map);
            }
        }
        assertArrayEquals(content, Files.readAllBytes(f));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer page = ByteBuffer.allocate(4096);
            ch.read(page, 0);
            long cached = data.readCalls();
            page.clear();
            ch.read(page, 0);
            assertEquals(content[0], page.get(0));
            assertEquals(cached, data.readCalls(), "a read-write handle of a file with data reads from the page cache");
        }
    }

    /** Unmaps now instead of at garbage collection (JDK 17 has no public unmap). */
    private static void unmap(java.nio.MappedByteBuffer map) {
        try {
            java.lang.reflect.Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe unsafe = (sun.misc.Unsafe) f.get(null);
            unsafe.invokeCleaner(map);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot unmap", e);
        }
    }

    @Test
    void hardLinkedFilesDoNotServeStalePagesThroughTheOtherName() throws IOException {
        Path a = Files.writeString(mp.resolve("alias-a"), "first version");
        Path b = Files.createLink(mp.resolve("alias-b"), a);
        assertEquals("first version", Files.readString(b));   // b's kernel inode now caches these pages
        Files.writeString(a, "other version");                 // same size, through the other name
        long before = data.readCalls();
        assertEquals("other version", Files.readString(b));
        assertTrue(data.readCalls() > before, "the read through b went to the file system, not to stale pages");
        Files.delete(a);
        Files.writeString(b, "third version");
        assertEquals("third version", Files.readString(b), "once aliased, always asked (stale names may linger)");
    }

    @Test
    void truncateGrowAndShrink() throws IOException {
        Path f = mp.resolve("trunc");
        Files.writeString(f, "abcdefghij");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(3);
        }
        assertEquals(0, posix.truncate(f.toString(), 6));
        assertEquals("abc\0\0\0", Files.readString(f));
    }

    @Test
    void renameSymlinkAndHardLink() throws IOException {
        Path d = Files.createDirectory(mp.resolve("names"));
        Path a = Files.writeString(d.resolve("a"), "A");
        Files.move(a, d.resolve("b"));
        assertFalse(Files.exists(a));
        assertEquals("A", Files.readString(d.resolve("b")));
        Path link = Files.createSymbolicLink(d.resolve("sym"), Path.of("b"));
        assertEquals(Path.of("b"), Files.readSymbolicLink(link));
        assertEquals("A", Files.readString(link));
        Path hard = Files.createLink(d.resolve("hard"), d.resolve("b"));
        assertEquals(2, posix.stat(hard.toString()).nlink());
        Files.delete(d.resolve("b"));
        // libfuse 2 keeps one kernel inode per name: the other name's cached attributes expire after attr_timeout
        assertTrue(Await.until(Duration.ofSeconds(5), () -> posix.stat(hard.toString()).nlink() == 1));
        assertEquals("A", Files.readString(hard));
    }

    @Test
    void anUnlinkedOpenFileIsServedFromItsHandle() throws IOException {
        Path d = Files.createDirectory(mp.resolve("unlinked"));
        String path = d.resolve("tmpfile").toString();
        int fd = posix.open(path, OpenFlags.O_RDWR.intValue() | OpenFlags.O_CREAT.intValue(), 0644);
        long ino = -1;
        assertTrue(fd >= 0, "open: errno " + posix.errno());
        try {
            byte[] first = "before".getBytes(StandardCharsets.UTF_8);
            assertEquals(first.length, posix.pwrite(fd, first, first.length, 0L));
            assertEquals(0, posix.unlink(path));
            assertFalse(Files.exists(Path.of(path)));
            byte[] second = "+after".getBytes(StandardCharsets.UTF_8);
            assertEquals(second.length, posix.pwrite(fd, second, second.length, first.length));
            byte[] buf = new byte[64];
            long n = posix.pread(fd, buf, buf.length, 0L);
            assertEquals("before+after", new String(buf, 0, (int) n, StandardCharsets.UTF_8));
            jnr.posix.FileStat st = posix.fstat(fd);
            ino = st.ino();
            assertEquals(0, st.nlink());
            assertEquals(12, st.st_size());
            assertEquals(0, posix.ftruncate(fd, 6));
            assertEquals(6, posix.fstat(fd).st_size());
            assertEquals(0, posix.fsync(fd));
        } finally {
            assertEquals(0, posix.close(fd));
        }
        try (Stream<Path> s = Files.list(d)) {
            assertEquals(List.of(), s.toList(), "the hidden name goes with the last close");
        }
        assertEquals(0, mount.openHandles(), "every handle released");
        assertFalse(data.holds(ino), "the data went with the last close");
    }

    @Test
    void errnosReachTheCaller() throws IOException {
        Path d = Files.createDirectory(mp.resolve("errs"));
        Files.writeString(d.resolve("f"), "x");
        assertEquals(-1, posix.open(d.resolve("missing").toString(), OpenFlags.O_RDONLY.intValue(), 0));
        assertEquals(Errno.ENOENT.intValue(), posix.errno());
        assertEquals(-1, posix.mkdir(d.resolve("f").toString(), 0755));
        assertEquals(Errno.EEXIST.intValue(), posix.errno());
        assertEquals(-1, posix.rmdir(mp.resolve("errs").toString()));
        assertEquals(Errno.ENOTEMPTY.intValue(), posix.errno());
        assertEquals(-1, posix.open(d.resolve("f").toString(),
                OpenFlags.O_WRONLY.intValue() | OpenFlags.O_CREAT.intValue() | OpenFlags.O_EXCL.intValue(), 0644));
        assertEquals(Errno.EEXIST.intValue(), posix.errno());
        assertEquals(-1, posix.rename(d.toString(), d.resolve("inside").toString()));
        assertEquals(Errno.EINVAL.intValue(), posix.errno());
    }

    @Test
    void xattrsThroughTheKernel() throws IOException {
        Path f = Files.writeString(mp.resolve("xa"), "x");
        UserDefinedFileAttributeView v = Files.getFileAttributeView(f, UserDefinedFileAttributeView.class);
        v.write("color", StandardCharsets.UTF_8.encode("blue"));
        v.write("empty", ByteBuffer.allocate(0));
        assertEquals(Set.of("color", "empty"), Set.copyOf(v.list()));
        assertEquals(4, v.size("color"));
        ByteBuffer b = ByteBuffer.allocate(16);
        v.read("color", b);
        b.flip();
        assertEquals("blue", StandardCharsets.UTF_8.decode(b).toString());
        assertThrows(IOException.class, () -> v.read("color", ByteBuffer.allocate(2)), "ERANGE");
        v.delete("color");
        assertEquals(List.of("empty"), v.list());
        assertThrows(IOException.class, () -> v.size("color"), "ENODATA");
    }

    @Test
    void statfsAndTimes() throws IOException {
        FileStore store = Files.getFileStore(mp);
        assertEquals("fuse.tierfs", store.type());
        assertEquals(CAPACITY, store.getTotalSpace());
        assertTrue(store.getUsableSpace() <= CAPACITY);
        Path f = Files.writeString(mp.resolve("timed"), "t");
        FileTime t = FileTime.from(Instant.parse("2001-02-03T04:05:06.123456789Z"));
        Files.setLastModifiedTime(f, t);
        assertEquals(t, Files.getLastModifiedTime(f));
    }

    @Test
    void permissionsAreEnforcedForOtherUsers() throws Exception {
        Path secret = Files.writeString(mp.resolve("secret"), "root only");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Proc denied = asNobody("cat " + secret);
        assertNotEquals(0, denied.rc);
        assertTrue(denied.out.contains("Permission denied"), denied.out);

        Path open = Files.createDirectory(mp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Proc ok = asNobody("echo hi > " + open.resolve("mine") + " && cat " + open.resolve("mine"));
        assertEquals(0, ok.rc, ok.out);
        assertEquals("hi", ok.out.trim());
        assertEquals(65534, ((Number) Files.getAttribute(open.resolve("mine"), "unix:uid")).intValue());
        assertEquals(65534, ((Number) Files.getAttribute(open.resolve("mine"), "unix:gid")).intValue());
    }

    @Test
    void aWriteByAnotherUserDropsTheSetIdBitsWhateverTheHandle() throws Exception {
        Path dir = Files.createDirectory(mp.resolve("setid"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        // write-only (direct I/O), append (direct I/O), read-write (page cache: the kernel asks a SETATTR itself)
        for (String write : List.of("echo b | dd of=F conv=notrunc status=none", "echo c >> F", "echo d 1<> F")) {
            Path f = dir.resolve("f" + write.length());
            Files.writeString(f, "a\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxrwxrwx"));
            posix.chmod(f.toString(), 06777);   // set-uid, set-gid and group-executable: both bits go
            assertEquals(06777, posix.stat(f.toString()).mode() & 07777);
            Proc p = asNobody(write.replace("F", f.toString()));
            assertEquals(0, p.rc, p.out);
            assertEquals(0777, posix.stat(f.toString()).mode() & 07777, "after `" + write + "` by another user");
        }
        Path rootOwn = dir.resolve("by-root");
        Files.writeString(rootOwn, "a");
        posix.chmod(rootOwn.toString(), 06755);
        Files.writeString(rootOwn, "b", StandardOpenOption.APPEND);
        assertEquals(06755, posix.stat(rootOwn.toString()).mode() & 07777, "root's writes keep them (CAP_FSETID)");
    }

    @Test
    void refusesBadMountPoints() throws IOException {
        TierFuse other = new TierFuse(new Vfs(ns, data, Clock.systemUTC()));
        IllegalArgumentException e;
        e = assertThrows(IllegalArgumentException.class,
                () -> FuseMount.mount(other, tmp.resolve("missing"), List.of(), false));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        e = assertThrows(IllegalArgumentException.class, () -> FuseMount.mount(other, file, List.of(), false));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        Path full = Files.createDirectories(tmp.resolve("full/sub"));
        e = assertThrows(IllegalArgumentException.class,
                () -> FuseMount.mount(other, full.getParent(), List.of(), false));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FuseMount.mount(other, mp, List.of(), false));
        assertTrue(e.getMessage().contains("already a mount point"), e.getMessage());
    }

    @Test
    void theMountTableUnescapesMountPoints() {
        List<MountTable.Entry> es = MountTable.parse(List.of(
                "36 35 0:50 / /tmp/with\\040space rw,nosuid - fuse.tierfs tierfs rw,user_id=0",
                "garbage"));
        assertEquals(List.of(new MountTable.Entry("/tmp/with space", "fuse.tierfs", "tierfs")), es);
    }

    private record Proc(int rc, String out) {
    }

    private static Proc asNobody(String shell) throws Exception {
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "sh", "-c", shell).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        return new Proc(p.exitValue(), out);
    }
}

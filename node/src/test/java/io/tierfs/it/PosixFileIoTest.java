package io.tierfs.it;

import static io.tierfs.it.Sys.O_APPEND;
import static io.tierfs.it.Sys.O_CREAT;
import static io.tierfs.it.Sys.O_DIRECTORY;
import static io.tierfs.it.Sys.O_EXCL;
import static io.tierfs.it.Sys.O_RDONLY;
import static io.tierfs.it.Sys.O_RDWR;
import static io.tierfs.it.Sys.O_TRUNC;
import static io.tierfs.it.Sys.O_WRONLY;
import static io.tierfs.it.Sys.P;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierfs.common.Errno;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** POSIX data-path behaviour: open flags, positional I/O, holes, truncate, unlink-while-open, fsync. */
class PosixFileIoTest extends PosixTestBase {

    private static final int MIB = 1 << 20;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void openCreateExclTruncAppend() {
        Path f = dir.resolve("f");
        int fd = Sys.open(f, O_WRONLY | O_CREAT | O_EXCL, 0644);
        Sys.writeFully(fd, ascii("hello world"));
        Sys.close(fd);
        Sys.expectErrno(Errno.EEXIST, "O_CREAT|O_EXCL on an existing file", () -> P.open(f.toString(), O_WRONLY | O_CREAT | O_EXCL, 0644));

        fd = Sys.open(f, O_WRONLY | O_CREAT, 0644);
        Sys.close(fd);
        assertArrayEquals(ascii("hello world"), Sys.readFile(f), "O_CREAT without O_TRUNC keeps the content");

        fd = Sys.open(f, O_WRONLY | O_TRUNC, 0);
        assertEquals(0, Sys.fstat(fd).st_size(), "O_TRUNC empties the file");
        Sys.writeFully(fd, ascii("abc"));
        Sys.close(fd);

        fd = Sys.open(f, O_WRONLY | O_APPEND, 0);
        Sys.writeFully(fd, ascii("def"));
        Sys.ok(P.lseek(fd, 0, Sys.SEEK_SET), "lseek");
        Sys.writeFully(fd, ascii("ghi"));
        Sys.close(fd);
        assertArrayEquals(ascii("abcdefghi"), Sys.readFile(f), "O_APPEND writes at the end whatever the offset");

        Sys.expectErrno(Errno.ENOENT, "open of a missing file without O_CREAT", () -> P.open(dir.resolve("missing").toString(), O_RDONLY, 0));
    }

    @Test
    void readAndWriteAtAnyOffset() {
        Path f = dir.resolve("f");
        int fd = Sys.open(f, O_RDWR | O_CREAT, 0644);
        byte[] expected = new byte[0];
        long[] offsets = {0, 4095, 3 * 4096 + 7, MIB - 3, 2 * MIB, 100};
        int i = 0;
        for (long off : offsets) {
            byte[] data = TreeOps.content(i++, 10 + (int) (off % 5000));
            Sys.pwriteFully(fd, data, off);
            expected = Arrays.copyOf(expected, Math.max(expected.length, (int) off + data.length));
            System.arraycopy(data, 0, expected, (int) off, data.length);
        }
        assertEquals(expected.length, Sys.fstat(fd).st_size());
        assertArrayEquals(expected, Sys.pread(fd, 0, expected.length), "whole file");
        assertArrayEquals(Arrays.copyOfRange(expected, 4000, 4200), Sys.pread(fd, 4000, 200), "read across a 4 KiB block");
        assertArrayEquals(Arrays.copyOfRange(expected, expected.length - 5, expected.length), Sys.pread(fd, expected.length - 5, 100), "short read at EOF");
        assertEquals(0, Sys.pread(fd, expected.length + 10, 100).length, "read beyond EOF returns 0 bytes");
        // Overwrite in the middle without changing the size.
        byte[] patch = TreeOps.content(99, 3000);
        Sys.pwriteFully(fd, patch, 5000);
        System.arraycopy(patch, 0, expected, 5000, patch.length);
        assertArrayEquals(expected, Sys.pread(fd, 0, expected.length), "after overwrite");
        assertEquals(expected.length, Sys.fstat(fd).st_size());
        Sys.close(fd);
        assertArrayEquals(expected, Sys.readFile(f), "after close and reopen");
    }

    @Test
    void sparseFilesReadZerosAcrossChunkBoundaries() {
        Path f = dir.resolve("sparse");
        int size = 9 * MIB + 124;
        byte[] expected = new byte[size];
        int fd = Sys.open(f, O_RDWR | O_CREAT, 0644);
        byte[] a = ascii("A");
        byte[] b = TreeOps.content(1, 20);
        byte[] c = TreeOps.content(2, 1);
        Sys.pwriteFully(fd, a, 0);
        Sys.pwriteFully(fd, b, 4L * MIB - 10);
        Sys.pwriteFully(fd, c, 9L * MIB + 123);
        System.arraycopy(a, 0, expected, 0, 1);
        System.arraycopy(b, 0, expected, 4 * MIB - 10, 20);
        System.arraycopy(c, 0, expected, 9 * MIB + 123, 1);
        assertEquals(size, Sys.fstat(fd).st_size());
        Sys.close(fd);
        assertArrayEquals(expected, Sys.readFile(f), "holes read as zeros, data around them intact");

        Path hole = dir.resolve("hole");
        int h = Sys.open(hole, O_RDWR | O_CREAT, 0644);
        Sys.ok(P.ftruncate(h, 12L * MIB), "ftruncate to 12 MiB");
        assertArrayEquals(new byte[64], Sys.pread(h, 4L * MIB - 32, 64), "zeros across 4 MiB");
        assertArrayEquals(new byte[64], Sys.pread(h, 8L * MIB - 32, 64), "zeros across 8 MiB");
        assertArrayEquals(new byte[MIB], Sys.pread(h, 11L * MIB, MIB), "zeros in the last MiB");
        Sys.close(h);
    }

    @Test
    void truncateGrowsAndShrinks() {
        Path f = dir.resolve("f");
        byte[] data = TreeOps.content(7, 100 * 1024);
        Sys.writeFile(f, data);
        Sys.ok(P.truncate(f.toString(), 50 * 1024), "truncate shrink");
        assertEquals(50 * 1024, Sys.stat(f).st_size());
        int fd = Sys.open(f, O_RDWR, 0);
        Sys.ok(P.ftruncate(fd, 200 * 1024), "ftruncate grow");
        byte[] expected = new byte[200 * 1024];
        System.arraycopy(data, 0, expected, 0, 50 * 1024);
        assertArrayEquals(expected, Sys.pread(fd, 0, expected.length), "shrink then grow reads zeros past the old end");

        // Shrink then write past the end: the gap must be zeros, not the bytes that were there before.
        Sys.ok(P.ftruncate(fd, 1000), "ftruncate shrink to 1000");
        Sys.pwriteFully(fd, ascii("Z"), 3000);
        byte[] exp2 = new byte[3001];
        System.arraycopy(data, 0, exp2, 0, 1000);
        exp2[3000] = 'Z';
        assertArrayEquals(exp2, Sys.pread(fd, 0, 4000), "gap after shrink+write is zeros");
        Sys.close(fd);

        // Across a 4 MiB chunk: 6 MiB of data, cut inside the second chunk, grow again.
        Path big = dir.resolve("big");
        byte[] six = TreeOps.content(8, 6 * MIB);
        Sys.writeFile(big, six);
        Sys.ok(P.truncate(big.toString(), 4L * MIB + 100), "truncate into the 2nd chunk");
        Sys.ok(P.truncate(big.toString(), 6L * MIB), "grow back to 6 MiB");
        byte[] exp3 = new byte[6 * MIB];
        System.arraycopy(six, 0, exp3, 0, 4 * MIB + 100);
        assertArrayEquals(exp3, Sys.readFile(big), "bytes past the cut are zeros after growing again");
        Sys.ok(P.truncate(big.toString(), 0), "truncate to 0");
        Sys.ok(P.truncate(big.toString(), 5L * MIB), "grow from 0");
        assertArrayEquals(new byte[5 * MIB], Sys.readFile(big), "all zeros after 0 then grow");

        Sys.expectErrno(Errno.EISDIR, "truncate of a directory", () -> P.truncate(dir.toString(), 0));
        Sys.expectErrno(Errno.ENOENT, "truncate of a missing file", () -> P.truncate(dir.resolve("nope").toString(), 0));
        Sys.expectErrno(Errno.EINVAL, "truncate to a negative size", () -> P.truncate(f.toString(), -1));
    }

    @Test
    void unlinkedFileStaysUsableUntilClose() throws Exception {
        Path f = dir.resolve("f");
        byte[] data = TreeOps.content(3, 10_000);
        Sys.writeFile(f, data);
        int fd = Sys.open(f, O_RDWR, 0);
        Sys.ok(P.unlink(f.toString()), "unlink");
        Sys.expectErrno(Errno.ENOENT, "stat after unlink", () -> Sys.lstatRc(f));
        assertEquals(Set.of(".", ".."), lsA(dir), "no name (no .fuse_hidden either) after unlink");
        assertArrayEquals(data, Sys.pread(fd, 0, data.length), "still readable");
        byte[] more = TreeOps.content(4, 5000);
        Sys.pwriteFully(fd, more, 20_000);
        byte[] expected = new byte[25_000];
        System.arraycopy(data, 0, expected, 0, data.length);
        System.arraycopy(more, 0, expected, 20_000, more.length);
        assertArrayEquals(expected, Sys.pread(fd, 0, 30_000), "still writable");
        assertEquals(0, Sys.fstat(fd).nlink(), "fstat nlink of an unlinked open file");
        assertEquals(25_000, Sys.fstat(fd).st_size());
        Sys.ok(P.fsync(fd), "fsync of an unlinked file");
        Sys.close(fd);
        Sys.expectErrno(Errno.ENOENT, "open after the last close", () -> P.open(f.toString(), O_RDONLY, 0));
    }

    @Test
    void fsyncFileAndDirectory() {
        Path f = dir.resolve("f");
        int fd = Sys.open(f, O_WRONLY | O_CREAT, 0644);
        Sys.writeFully(fd, TreeOps.content(5, 100_000));
        assertEquals(0, P.fsync(fd), "fsync of a written file");
        Sys.close(fd);
        int d = Sys.open(dir, O_RDONLY | O_DIRECTORY, 0);
        assertEquals(0, P.fsync(d), "fsync of a directory");
        Sys.close(d);
        assertEquals(TreeOps.crc(TreeOps.content(5, 100_000)), TreeOps.crc(Sys.readFile(f)));
    }

    @Test
    void openDirectoryForWritingIsEisdir() {
        Sys.expectErrno(Errno.EISDIR, "open(dir, O_WRONLY)", () -> P.open(dir.toString(), O_WRONLY, 0));
        Sys.expectErrno(Errno.EISDIR, "open(dir, O_RDWR)", () -> P.open(dir.toString(), O_RDWR, 0));
        Path f = dir.resolve("f");
        Sys.writeFile(f, new byte[0]);
        Sys.expectErrno(Errno.ENOTDIR, "open(file, O_DIRECTORY)", () -> P.open(f.toString(), O_RDONLY | O_DIRECTORY, 0));
    }

    /**
     * fallocate(2) as xfstests' fsx and posix_fallocate(3) use it: mode 0 grows the size, PUNCH_HOLE and ZERO_RANGE
     * zero a range (here across a chunk boundary) whose pages the kernel had cached.
     */
    @Test
    void fallocateGrowsPunchesHolesAndZeroesRanges() throws Exception {
        Path f = dir.resolve("f");
        byte[] data = TreeOps.content(9, 5 * MIB);
        Sys.writeFile(f, data);
        assertArrayEquals(data, Sys.readFile(f), "cached before the punch");
        fallocate(f, "-p", "-o", String.valueOf(4 * MIB - 100), "-l", "300");
        Arrays.fill(data, 4 * MIB - 100, 4 * MIB + 200, (byte) 0);
        assertArrayEquals(data, Sys.readFile(f), "the punched range reads as zeros, the rest intact");
        fallocate(f, "-z", "-o", "10", "-l", "20");
        Arrays.fill(data, 10, 30, (byte) 0);
        assertArrayEquals(data, Sys.readFile(f), "the zeroed range");
        fallocate(f, "-l", String.valueOf(6 * MIB));
        assertEquals(6 * MIB, Sys.lstat(f).st_size(), "mode 0 grows the size");
        byte[] grown = Arrays.copyOf(data, 6 * MIB);
        assertArrayEquals(grown, Sys.readFile(f), "the grown range reads as zeros");
    }

    /** util-linux fallocate(1) with {@code options} on {@code f}. */
    private static void fallocate(Path f, String... options) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("fallocate"));
        cmd.addAll(java.util.List.of(options));
        cmd.add(f.toString());
        Proc.Result r = Proc.run(cmd);
        assertEquals(0, r.exit(), "fallocate failed: " + r);
    }
}

package io.tierfs.it;

import static io.tierfs.it.Sys.O_CREAT;
import static io.tierfs.it.Sys.O_RDONLY;
import static io.tierfs.it.Sys.O_RDWR;
import static io.tierfs.it.Sys.O_WRONLY;
import static io.tierfs.it.Sys.P;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierfs.common.Errno;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jnr.posix.FileStat;
import org.junit.jupiter.api.Test;

/** POSIX namespace behaviour: mkdir/rmdir, readdir, rename in all its cases, hard and symbolic links, names. */
class PosixNamespaceTest extends PosixTestBase {

    private void mkdir(Path p) {
        Sys.ok(P.mkdir(p.toString(), 0755), "mkdir(" + p + ")");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void mkdirAndRmdirErrors() {
        Path d = dir.resolve("d");
        mkdir(d);
        assertTrue(Sys.lstat(d).isDirectory());
        Sys.expectErrno(Errno.EEXIST, "mkdir of an existing dir", () -> P.mkdir(d.toString(), 0755));
        Path f = dir.resolve("f");
        Sys.writeFile(f, bytes("x"));
        Sys.expectErrno(Errno.EEXIST, "mkdir over a file", () -> P.mkdir(f.toString(), 0755));
        Sys.writeFile(d.resolve("child"), bytes("y"));
        Sys.expectErrno(Errno.ENOTEMPTY, "rmdir of a non-empty dir", () -> P.rmdir(d.toString()));
        Sys.expectErrno(Errno.ENOTDIR, "rmdir of a file", () -> P.rmdir(f.toString()));
        Sys.expectErrno(Errno.ENOENT, "rmdir of a missing name", () -> P.rmdir(dir.resolve("missing").toString()));
        Sys.expectErrno(Errno.EISDIR, "unlink of a directory", () -> P.unlink(d.toString()));
        Sys.ok(P.unlink(d.resolve("child").toString()), "unlink child");
        Sys.ok(P.rmdir(d.toString()), "rmdir of the now empty dir");
        Sys.expectErrno(Errno.ENOENT, "lstat after rmdir", () -> Sys.lstatRc(d));
        assertEquals(2, Sys.lstat(dir).nlink(), "dir nlink back to 2 after rmdir of its only subdir");
    }

    @Test
    void readdirListsDotsAndAllNames() throws Exception {
        Set<String> expected = new TreeSet<>(Set.of(".", ".."));
        for (int i = 0; i < 60; i++) {
            String name = "file-" + i + (i % 7 == 0 ? " with space" : "") + (i % 11 == 0 ? "-ü" : "");
            Sys.writeFile(dir.resolve(name), new byte[i]);
            expected.add(name);
        }
        for (int i = 0; i < 3; i++) {
            mkdir(dir.resolve("sub" + i));
            expected.add("sub" + i);
        }
        Sys.ok(P.symlink("file-1", dir.resolve("link").toString()), "symlink");
        expected.add("link");
        assertEquals(expected, lsA(dir));
        assertEquals(Set.of(".", ".."), lsA(dir.resolve("sub0")), "empty dir lists only . and ..");
        assertEquals(5, Sys.lstat(dir).nlink(), "dir nlink = 2 + number of subdirs");
    }

    @Test
    void renameFiles() throws Exception {
        Path a = dir.resolve("a");
        Path d1 = dir.resolve("d1");
        mkdir(d1);
        byte[] data = TreeOps.content(1, 5000);
        Sys.writeFile(a, data);
        long ino = Sys.lstat(a).ino();

        Path b = dir.resolve("b");
        Sys.ok(P.rename(a.toString(), b.toString()), "rename within a dir");
        Sys.expectErrno(Errno.ENOENT, "old name gone", () -> Sys.lstatRc(a));
        assertEquals(ino, Sys.lstat(b).ino(), "same inode after rename");
        assertArrayEquals(data, Sys.readFile(b));

        Path c = d1.resolve("c");
        Sys.ok(P.rename(b.toString(), c.toString()), "rename across dirs");
        Sys.expectErrno(Errno.ENOENT, "old name gone", () -> Sys.lstatRc(b));
        assertArrayEquals(data, Sys.readFile(c));

        Path victim = dir.resolve("victim");
        Sys.writeFile(victim, bytes("old content"));
        Sys.ok(P.rename(c.toString(), victim.toString()), "rename over an existing file");
        assertArrayEquals(data, Sys.readFile(victim), "target replaced");
        assertEquals(ino, Sys.lstat(victim).ino());
        assertEquals(1, Sys.lstat(victim).nlink());
        assertEquals(Set.of(".", ".."), lsA(d1));

        Sys.ok(P.rename(victim.toString(), victim.toString()), "rename onto itself is a no-op");
        assertArrayEquals(data, Sys.readFile(victim));

        Path hard = dir.resolve("hard");
        Sys.ok(P.link(victim.toString(), hard.toString()), "link");
        Sys.ok(P.rename(victim.toString(), hard.toString()), "rename onto another link of the same inode");
        assertEquals(2, Sys.lstat(victim).nlink(), "POSIX: rename between links of one file does nothing");
        assertEquals(2, Sys.lstat(hard).nlink());

        Sys.expectErrno(Errno.ENOENT, "rename of a missing name", () -> P.rename(dir.resolve("nope").toString(), dir.resolve("x").toString()));
        Sys.expectErrno(Errno.ENOENT, "rename into a missing dir", () -> P.rename(hard.toString(), dir.resolve("nodir/x").toString()));
    }

    @Test
    void renameDirectories() throws Exception {
        Path src = dir.resolve("src");
        mkdir(src);
        mkdir(src.resolve("inner"));
        Sys.writeFile(src.resolve("inner/f"), bytes("deep"));
        Path other = dir.resolve("other");
        mkdir(other);

        Path moved = other.resolve("moved");
        Sys.ok(P.rename(src.toString(), moved.toString()), "rename dir across dirs");
        assertArrayEquals(bytes("deep"), Sys.readFile(moved.resolve("inner/f")), "children follow the dir");
        assertEquals(3, Sys.lstat(other).nlink(), "new parent gained a subdir link");
        assertEquals(3, Sys.lstat(dir).nlink(), "old parent lost one (only 'other' left)");
        assertEquals("..", lsA(moved).stream().filter(".."::equals).findFirst().orElse(""));

        Path empty = dir.resolve("empty");
        mkdir(empty);
        Sys.ok(P.rename(moved.toString(), empty.toString()), "rename dir over an empty dir");
        assertArrayEquals(bytes("deep"), Sys.readFile(empty.resolve("inner/f")));

        Path full = dir.resolve("full");
        mkdir(full);
        Sys.writeFile(full.resolve("x"), bytes("x"));
        Sys.expectErrno(Errno.ENOTEMPTY, "rename dir over a non-empty dir", () -> P.rename(empty.toString(), full.toString()));
        Sys.expectErrno(Errno.EINVAL, "rename dir into its own subtree", () -> P.rename(empty.toString(), empty.resolve("inner/sub").toString()));
        Sys.expectErrno(Errno.EINVAL, "rename dir onto its own child name", () -> P.rename(empty.toString(), empty.resolve("inner").toString()));

        Path file = dir.resolve("file");
        Sys.writeFile(file, bytes("f"));
        Sys.expectErrno(Errno.EISDIR, "rename file over a dir", () -> P.rename(file.toString(), full.toString()));
        Sys.expectErrno(Errno.ENOTDIR, "rename dir over a file", () -> P.rename(full.toString(), file.toString()));
        assertArrayEquals(bytes("f"), Sys.readFile(file), "failed renames change nothing");
        assertArrayEquals(bytes("x"), Sys.readFile(full.resolve("x")));
    }

    @Test
    void hardLinksCountNames() {
        Path a = dir.resolve("a");
        Sys.writeFile(a, bytes("one"));
        Path sub = dir.resolve("sub");
        mkdir(sub);
        Path b = sub.resolve("b");
        Sys.ok(P.link(a.toString(), b.toString()), "link across dirs");
        Path c = dir.resolve("c");
        Sys.ok(P.link(b.toString(), c.toString()), "link of a link");
        FileStat sa = Sys.lstat(a);
        assertEquals(3, sa.nlink());
        assertEquals(3, Sys.lstat(b).nlink());
        assertEquals(sa.ino(), Sys.lstat(c).ino(), "all names share one inode");

        int fd = Sys.open(b, O_WRONLY, 0);
        Sys.pwriteFully(fd, bytes("ONE!"), 0);
        Sys.close(fd);
        assertArrayEquals(bytes("ONE!"), Sys.readFile(a), "a write through one name shows through the others");

        Sys.ok(P.unlink(a.toString()), "unlink one name");
        assertEquals(2, Sys.lstat(b).nlink());
        assertEquals(2, Sys.lstat(c).nlink());
        assertArrayEquals(bytes("ONE!"), Sys.readFile(c));
        Sys.ok(P.unlink(b.toString()), "unlink second name");
        assertEquals(1, Sys.lstat(c).nlink());
        assertArrayEquals(bytes("ONE!"), Sys.readFile(c));

        Sys.expectErrno(Errno.EEXIST, "link onto an existing name", () -> P.link(c.toString(), sub.toString()));
        Sys.expectErrno(Errno.EPERM, "link of a directory", () -> P.link(sub.toString(), dir.resolve("dlink").toString()));
        Sys.expectErrno(Errno.ENOENT, "link of a missing file", () -> P.link(a.toString(), dir.resolve("z").toString()));
    }

    @Test
    void symlinksReadlinkAndLstat() {
        Path target = dir.resolve("target");
        Sys.writeFile(target, bytes("via link"));
        Path link = dir.resolve("link");
        Sys.ok(P.symlink("target", link.toString()), "symlink");
        assertEquals("target", Sys.readlink(link));
        FileStat l = Sys.lstat(link);
        assertTrue(l.isSymlink(), "lstat sees the link itself");
        assertEquals("target".length(), l.st_size(), "symlink size is its target's length");
        assertTrue(Sys.stat(link).isFile(), "stat follows the link");
        assertArrayEquals(bytes("via link"), Sys.readFile(link));

        Path dangling = dir.resolve("dangling");
        String far = "../no/such/place/" + "x".repeat(200);
        Sys.ok(P.symlink(far, dangling.toString()), "dangling symlink");
        assertEquals(far, Sys.readlink(dangling));
        Sys.expectErrno(Errno.ENOENT, "stat through a dangling link", () -> P.stat(dangling.toString(), P.allocateStat()));
        assertTrue(Sys.lstat(dangling).isSymlink());
        Sys.expectErrno(Errno.EEXIST, "symlink onto an existing name", () -> P.symlink("x", target.toString()));
        Sys.expectErrno(Errno.EINVAL, "readlink of a regular file", () -> P.readlink(target.toString(), new byte[100], 100));

        Path renamed = dir.resolve("renamed");
        Sys.ok(P.rename(link.toString(), renamed.toString()), "rename a symlink");
        assertEquals("target", Sys.readlink(renamed));
        Sys.ok(P.unlink(renamed.toString()), "unlink a symlink");
        assertTrue(Sys.lstat(target).isFile(), "unlinking the link leaves the target");
    }

    @Test
    void nameErrors() throws Exception {
        String max = "n".repeat(255);
        int fd = Sys.open(dir.resolve(max), O_WRONLY | O_CREAT, 0644);
        Sys.close(fd);
        assertTrue(lsA(dir).contains(max), "a 255-byte name works");
        String tooLong = "n".repeat(256);
        Sys.expectErrno(Errno.ENAMETOOLONG, "create with a 256-byte name", () -> P.open(dir.resolve(tooLong).toString(), O_WRONLY | O_CREAT, 0644));
        Sys.expectErrno(Errno.ENAMETOOLONG, "mkdir with a 256-byte name", () -> P.mkdir(dir.resolve(tooLong).toString(), 0755));
        Sys.expectErrno(Errno.ENAMETOOLONG, "lstat of a 256-byte name", () -> Sys.lstatRc(dir.resolve(tooLong)));

        Sys.expectErrno(Errno.ENOENT, "create under a missing parent", () -> P.open(dir.resolve("missing/f").toString(), O_WRONLY | O_CREAT, 0644));
        Sys.expectErrno(Errno.ENOENT, "mkdir under a missing parent", () -> P.mkdir(dir.resolve("missing/d").toString(), 0755));

        Path f = dir.resolve("file");
        Sys.writeFile(f, bytes("x"));
        Sys.expectErrno(Errno.ENOTDIR, "create under a file", () -> P.open(f.resolve("x").toString(), O_WRONLY | O_CREAT, 0644));
        Sys.expectErrno(Errno.ENOTDIR, "lstat under a file", () -> Sys.lstatRc(f.resolve("x")));
        Sys.expectErrno(Errno.ENOTDIR, "mkdir under a file", () -> P.mkdir(f.resolve("d").toString(), 0755));
        Sys.expectErrno(Errno.ENOTDIR, "open file/ as a dir", () -> P.open(f + "/", O_RDONLY, 0));
        Sys.expectErrno(Errno.EISDIR, "open(dir, O_RDWR|O_CREAT)", () -> P.open(dir.toString(), O_RDWR | O_CREAT, 0644));
    }

    /**
     * pjdfstest makes every kind of inode (mknod b/c, bind of a UNIX socket, mkfifo) and then chmods, links,
     * renames and unlinks them: each must be a name with its type, mode and device number.
     */
    @Test
    void socketsFifosAndDeviceNodesAreNamesWithTypeAndDeviceNumber() throws Exception {
        Path sock = dir.resolve("sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(sock));
        }
        assertEquals("socket", statFormat(sock, "%F"));
        Sys.ok(P.mkfifo(dir.resolve("fifo").toString(), 0640), "mkfifo");
        assertEquals("fifo 640", statFormat(dir.resolve("fifo"), "%F %a"));
        Sys.ok(P.chmod(sock.toString(), 0600), "chmod of a socket");
        Sys.ok(P.link(sock.toString(), dir.resolve("sock2").toString()), "link of a socket");
        assertEquals(2, Sys.lstat(sock).nlink());
        Sys.ok(P.rename(sock.toString(), dir.resolve("sock3").toString()), "rename of a socket");
        Sys.ok(P.unlink(dir.resolve("sock2").toString()), "unlink of a socket");
        assertEquals("socket 600 1", statFormat(dir.resolve("sock3"), "%F %a %h"));
        if (isRoot()) { // CAP_MKNOD
            Path chr = dir.resolve("chr");
            Path blk = dir.resolve("blk");
            run("mknod", "-m", "0644", chr.toString(), "c", "1", "2");
            run("mknod", "-m", "0600", blk.toString(), "b", "259", "70000");
            assertEquals("character special file 644 1 2", statFormat(chr, "%F %a %Hr %Lr"));
            assertEquals("block special file 600 259 70000", statFormat(blk, "%F %a %Hr %Lr"));
            Sys.expectErrno(Errno.EEXIST, "mkfifo over a device node", () -> P.mkfifo(chr.toString(), 0644));
            Sys.ok(P.rename(blk.toString(), dir.resolve("blk2").toString()), "rename of a device node");
            assertEquals("259 70000", statFormat(dir.resolve("blk2"), "%Hr %Lr"));
            Sys.ok(P.unlink(chr.toString()), "unlink of a device node");
        }
    }

    /**
     * The kernel bounds each path argument by PATH_MAX, not the path from the mount's root: a process working deep
     * inside (relative names) reaches names whose absolute path is longer than 4096 bytes.
     */
    @Test
    void namesDeeperThanPathMaxFromTheRootWork() throws Exception {
        String name = "d".repeat(250);
        String script = "set -e; cd '" + dir + "'; for i in $(seq 20); do mkdir " + name + "; cd " + name
                + "; done; echo deep > f; cat f; mv f g; stat -c %s g; rm g";
        Proc.Result r = Proc.run(List.of("bash", "-c", script)); // dash cds by the whole logical path
        assertEquals(0, r.exit(), "deep tree: " + r.stderr());
        assertEquals("deep\n5\n", r.stdout());
    }

    private static String statFormat(Path p, String format) throws Exception {
        return run("stat", "-c", format, p.toString()).trim();
    }

    private static String run(String... command) throws Exception {
        Proc.Result r = Proc.run(List.of(command));
        assertEquals(0, r.exit(), "command failed: " + r);
        return r.stdout();
    }
}

package io.tierfs.meta;

import io.tierfs.common.Attr;
import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.Errno;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.SetAttr;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;
import io.tierfs.meta.api.Removal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link Namespace} must show, run against each implementation. Subclasses supply a fresh,
 * empty namespace driven by {@link #clock}.
 */
public abstract class NamespaceContract {
    protected static final Caller ALICE = new Caller(1000, 100);
    /** Shared by all tests of the JVM (a clustered node is started once per class with it); tests only advance it. */
    protected static final io.tierfs.common.time.ManualClock clock = new io.tierfs.common.time.ManualClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    /** The directory a test works in: the root of a fresh namespace, or a fresh directory (mode 0755). */
    protected long ROOT;
    protected InodeRef rootRef;

    /** The namespace under test. */
    protected abstract Namespace ns();

    /** Prepares the namespace for one test and returns the (empty, mode 0755) directory the test works in. */
    protected abstract long prepareRoot();

    @org.junit.jupiter.api.BeforeEach
    void prepareContract() {
        ROOT = prepareRoot();
        rootRef = new InodeRef(ROOT, ROOT);
    }

    protected static void assertErrno(Errno expected, Executable op) {
        FsException e = assertThrows(FsException.class, op);
        assertEquals(expected, e.errno(), e.getMessage());
    }

    private Node file(long dir, String name) {
        return ns().create(dir, name, 0644, ALICE, true);
    }

    @Test
    void rootExistsWith0755() {
        Attr a = ns().getattr(rootRef);
        assertEquals(FileType.DIRECTORY, a.type());
        assertEquals(0755, a.mode());
        assertEquals(2, a.nlink());
        assertEquals(ROOT, a.ino());
    }

    @Test
    void createLookupGetattr() {
        Node n = ns().create(ROOT, "a", 0100644, ALICE, true);
        assertEquals(FileType.REGULAR, n.attr().type());
        assertEquals(0644, n.attr().mode());
        assertEquals(1, n.attr().nlink());
        assertEquals(ALICE.uid(), n.attr().uid());
        assertEquals(ROOT, n.ref().home());
        assertEquals(n, ns().lookup(ROOT, "a"));
        assertEquals(n.attr(), ns().getattr(n.ref()));
        assertErrno(Errno.ENOENT, () -> ns().lookup(ROOT, "b"));
    }

    @Test
    void createExistingNonExclusiveReturnsIt() {
        Node n = file(ROOT, "a");
        assertEquals(n, ns().create(ROOT, "a", 0600, ALICE, false));
        assertErrno(Errno.EEXIST, () -> file(ROOT, "a"));
        ns().mkdir(ROOT, "d", 0755, ALICE);
        assertErrno(Errno.EEXIST, () -> file(ROOT, "d"));
        assertErrno(Errno.EISDIR, () -> ns().create(ROOT, "d", 0644, ALICE, false));
    }

    @Test
    void fifoAndNames() {
        Node f = ns().create(ROOT, "p", 0010644, ALICE, true);
        assertEquals(FileType.FIFO, f.attr().type());
        assertErrno(Errno.ENAMETOOLONG, () -> file(ROOT, "x".repeat(256)));
        assertErrno(Errno.EINVAL, () -> file(ROOT, "a/b"));
        assertErrno(Errno.EINVAL, () -> file(ROOT, ".."));
        assertErrno(Errno.ENOENT, () -> file(424242, "a"));
    }

    @Test
    void parentTimesChangeOnCreateUnlinkRename() {
        long t0 = ns().getattr(rootRef).mtimeNs();
        clock.advance(Duration.ofSeconds(1));
        file(ROOT, "a");
        Attr r1 = ns().getattr(rootRef);
        assertEquals(clock.nowNs(), r1.mtimeNs());
        assertEquals(clock.nowNs(), r1.ctimeNs());
        assertTrue(r1.mtimeNs() > t0);
        clock.advance(Duration.ofSeconds(1));
        ns().rename(ROOT, "a", ROOT, "b");
        assertEquals(clock.nowNs(), ns().getattr(rootRef).mtimeNs());
        assertEquals(clock.nowNs(), ns().lookup(ROOT, "b").attr().ctimeNs());
        clock.advance(Duration.ofSeconds(1));
        ns().unlink(ROOT, "b");
        assertEquals(clock.nowNs(), ns().getattr(rootRef).ctimeNs());
    }

    @Test
    void mkdirNlinkAndRmdir() {
        Node d = ns().mkdir(ROOT, "d", 0750, ALICE);
        assertEquals(2, d.attr().nlink());
        assertEquals(0750, d.attr().mode());
        assertEquals(d.ref(), new InodeRef(d.attr().ino(), d.attr().ino()));
        assertEquals(3, ns().getattr(rootRef).nlink());
        ns().mkdir(d.ref().ino(), "e", 0755, ALICE);
        assertEquals(3, ns().getattr(d.ref()).nlink());
        assertEquals(d.ref(), ns().lookup(ROOT, "d").ref());
        assertErrno(Errno.EEXIST, () -> ns().mkdir(ROOT, "d", 0755, ALICE));
        assertErrno(Errno.ENOTEMPTY, () -> ns().rmdir(ROOT, "d"));
        file(ROOT, "f");
        assertErrno(Errno.ENOTDIR, () -> ns().rmdir(ROOT, "f"));
        assertErrno(Errno.EISDIR, () -> ns().unlink(ROOT, "d"));
        assertErrno(Errno.ENOENT, () -> ns().rmdir(ROOT, "nope"));
        ns().rmdir(d.ref().ino(), "e");
        ns().rmdir(ROOT, "d");
        assertEquals(2, ns().getattr(rootRef).nlink());
        assertErrno(Errno.ENOENT, () -> ns().lookup(ROOT, "d"));
        assertErrno(Errno.ENOENT, () -> file(d.ref().ino(), "late"));
    }

    @Test
    void symlinkAndReadlink() {
        Node s = ns().symlink(ROOT, "s", "/some/where", ALICE);
        assertEquals(FileType.SYMLINK, s.attr().type());
        assertEquals(11, s.attr().size());
        assertEquals("/some/where", ns().readlink(s.ref()));
        Node f = file(ROOT, "f");
        assertErrno(Errno.EINVAL, () -> ns().readlink(f.ref()));
        assertErrno(Errno.EEXIST, () -> ns().symlink(ROOT, "s", "x", ALICE));
        assertErrno(Errno.ENAMETOOLONG, () -> ns().symlink(ROOT, "t", "x".repeat(5000), ALICE));
    }

    @Test
    void mknodMakesDeviceNodesSocketsAndFifosThatKeepTheirDeviceNumber() {
        Node c = ns().mknod(ROOT, "c", FileType.CHAR_DEVICE.ifmt() | 0640, 0x10_0203L, ALICE);
        Node b = ns().mknod(ROOT, "b", FileType.BLOCK_DEVICE.ifmt() | 0600, 0x0801L, ALICE);
        Node s = ns().mknod(ROOT, "s", FileType.SOCKET.ifmt() | 0755, 99, ALICE);
        Node p = ns().mknod(ROOT, "p", FileType.FIFO.ifmt() | 0644, 0, ALICE);
        assertEquals(FileType.CHAR_DEVICE, ns().lookup(ROOT, "c").attr().type());
        assertEquals(0x10_0203L, ns().getattr(c.ref()).rdev());
        assertEquals(0640, ns().getattr(c.ref()).mode());
        assertEquals(0x0801L, ns().lookup(ROOT, "b").attr().rdev());
        assertEquals(FileType.SOCKET, ns().getattr(s.ref()).type());
        assertEquals(0, ns().getattr(s.ref()).rdev(), "only device nodes carry a device number");
        assertEquals(FileType.FIFO, ns().getattr(p.ref()).type());
        assertErrno(Errno.EEXIST, () -> ns().mknod(ROOT, "c", FileType.SOCKET.ifmt() | 0644, 0, ALICE));
        assertErrno(Errno.EINVAL, () -> ns().mknod(ROOT, "d", FileType.DIRECTORY.ifmt() | 0755, 0, ALICE));
        ns().setattr(b.ref(), SetAttr.mode(0644), ALICE);
        assertEquals(0x0801L, ns().getattr(b.ref()).rdev(), "a setattr keeps the device number");
        ns().rename(ROOT, "b", ROOT, "b2");
        assertEquals(0x0801L, ns().lookup(ROOT, "b2").attr().rdev());
    }

    @Test
    void hardLinksAcrossDirectories() {
        Node d = ns().mkdir(ROOT, "d", 0755, ALICE);
        long dir = d.ref().ino();
        Node f = file(ROOT, "f");
        clock.advance(Duration.ofSeconds(1));
        Node l = ns().link(f.ref(), dir, "g");
        assertEquals(2, l.attr().nlink());
        assertEquals(clock.nowNs(), l.attr().ctimeNs());
        assertEquals(f.ref(), l.ref());
        Node same = ns().link(f.ref(), ROOT, "f2");
        assertEquals(3, same.attr().nlink());
        Node viaRemote = ns().lookup(dir, "g");
        assertEquals(f.ref(), viaRemote.ref());
        assertEquals(3, viaRemote.attr().nlink());
        assertErrno(Errno.EEXIST, () -> ns().link(f.ref(), dir, "g"));
        assertEquals(3, ns().getattr(f.ref()).nlink());
        assertErrno(Errno.EPERM, () -> ns().link(d.ref(), ROOT, "dl"));
        Removal r1 = ns().unlink(ROOT, "f");
        assertFalse(r1.lastLink());
        assertEquals(2, r1.attr().nlink());
        Removal r2 = ns().unlink(dir, "g");
        assertFalse(r2.lastLink());
        Removal r3 = ns().unlink(ROOT, "f2");
        assertTrue(r3.lastLink());
        assertEquals(f.ref(), r3.ref());
        assertErrno(Errno.ENOENT, () -> ns().getattr(f.ref()));
    }

    @Test
    void removedDirectoryKeepsItsInodesLinkedElsewhere() {
        Node d = ns().mkdir(ROOT, "d", 0755, ALICE);
        Node f = file(d.ref().ino(), "f");
        ns().link(f.ref(), ROOT, "keep");
        ns().unlink(d.ref().ino(), "f");
        ns().rmdir(ROOT, "d");
        Node k = ns().lookup(ROOT, "keep");
        assertEquals(1, k.attr().nlink());
        assertEquals(f.ref(), k.ref());
        ns().setxattr(k.ref(), "user.a", new byte[]{1}, 0);
        assertTrue(ns().unlink(ROOT, "keep").lastLink());
    }

    @Test
    void renameFileCases() {
        Node a = file(ROOT, "a");
        Node b = file(ROOT, "b");
        Removal r = ns().rename(ROOT, "a", ROOT, "b");
        assertTrue(r.lastLink());
        assertEquals(b.ref(), r.ref());
        assertEquals(a.ref(), ns().lookup(ROOT, "b").ref());
        assertErrno(Errno.ENOENT, () -> ns().lookup(ROOT, "a"));
        assertErrno(Errno.ENOENT, () -> ns().rename(ROOT, "a", ROOT, "c"));
        ns().mkdir(ROOT, "d", 0755, ALICE);
        assertErrno(Errno.EISDIR, () -> ns().rename(ROOT, "b", ROOT, "d"));
        assertErrno(Errno.ENOTDIR, () -> ns().rename(ROOT, "d", ROOT, "b"));
        ns().link(a.ref(), ROOT, "hard");
        assertNull(ns().rename(ROOT, "b", ROOT, "hard"));
        assertEquals(a.ref(), ns().lookup(ROOT, "b").ref());
        assertEquals(a.ref(), ns().lookup(ROOT, "hard").ref());
        assertEquals(2, ns().getattr(a.ref()).nlink());
    }

    @Test
    void renameFileAcrossDirectories() {
        long d1 = ns().mkdir(ROOT, "d1", 0755, ALICE).ref().ino();
        long d2 = ns().mkdir(ROOT, "d2", 0755, ALICE).ref().ino();
        Node f = file(d1, "f");
        ns().setxattr(f.ref(), "user.k", "v".getBytes(StandardCharsets.UTF_8), 0);
        Node victim = file(d2, "g");
        ns().link(victim.ref(), ROOT, "victimLink");
        clock.advance(Duration.ofSeconds(1));
        assertNull(ns().rename(d1, "f", d2, "g"), "victim still has a link");
        Node moved = ns().lookup(d2, "g");
        assertEquals(f.ref(), moved.ref(), "the inode stays homed in d1");
        assertEquals(1, moved.attr().nlink());
        assertEquals(clock.nowNs(), moved.attr().ctimeNs());
        assertEquals(1, ns().getattr(victim.ref()).nlink());
        assertErrno(Errno.ENOENT, () -> ns().lookup(d1, "f"));
        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), ns().getxattr(moved.ref(), "user.k"));
        assertEquals(clock.nowNs(), ns().getattr(new InodeRef(d1, d1)).mtimeNs());
        assertEquals(clock.nowNs(), ns().getattr(new InodeRef(d2, d2)).mtimeNs());
        // move it back home and on again, then remove it
        ns().rename(d2, "g", d1, "back");
        assertEquals(1, ns().lookup(d1, "back").attr().nlink());
        Removal r = ns().unlink(d1, "back");
        assertTrue(r.lastLink());
        Removal rv = ns().rename(ROOT, "victimLink", d2, "x");
        assertNull(rv);
    }

    @Test
    void renameDirectories() {
        long a = ns().mkdir(ROOT, "a", 0755, ALICE).ref().ino();
        long b = ns().mkdir(a, "b", 0755, ALICE).ref().ino();
        long c = ns().mkdir(ROOT, "c", 0755, ALICE).ref().ino();
        file(b, "f");
        assertErrno(Errno.EINVAL, () -> ns().rename(ROOT, "a", b, "x"));
        assertErrno(Errno.EINVAL, () -> ns().rename(ROOT, "a", a, "x"));
        assertEquals(4, ns().getattr(rootRef).nlink());
        ns().rename(a, "b", c, "b2");
        assertEquals(2, ns().getattr(new InodeRef(a, a)).nlink());
        assertEquals(3, ns().getattr(new InodeRef(c, c)).nlink());
        assertEquals(b, ns().lookup(c, "b2").ref().ino());
        assertEquals(1, ns().lookup(b, "f").attr().nlink());
        // now a may move under c/b2 legally, and c may not move under a's new place
        ns().rename(ROOT, "a", b, "a");
        assertErrno(Errno.EINVAL, () -> ns().rename(ROOT, "c", a, "c"));
        assertEquals(3, ns().getattr(rootRef).nlink());
        // dir over non-empty dir, dir over empty dir
        long e = ns().mkdir(ROOT, "e", 0755, ALICE).ref().ino();
        assertErrno(Errno.ENOTEMPTY, () -> ns().rename(ROOT, "e", ROOT, "c"));
        file(e, "keep");
        long empty = ns().mkdir(c, "empty", 0755, ALICE).ref().ino();
        assertNull(ns().rename(ROOT, "e", c, "empty"));
        assertEquals(e, ns().lookup(c, "empty").ref().ino());
        assertEquals(0, ns().getattr(new InodeRef(empty, empty)).nlink());
        // same-directory dir over empty dir
        ns().mkdir(c, "x", 0755, ALICE);
        ns().rename(c, "empty", c, "x");
        assertEquals(e, ns().lookup(c, "x").ref().ino());
        assertEquals(4, ns().getattr(new InodeRef(c, c)).nlink());
        assertEquals(1, ns().lookup(e, "keep").attr().nlink());
        // dir over file and back
        file(ROOT, "plain");
        assertErrno(Errno.ENOTDIR, () -> ns().rename(c, "x", ROOT, "plain"));
        assertErrno(Errno.EISDIR, () -> ns().rename(ROOT, "plain", c, "x"));
    }

    @Test
    void refusedCrossDirectoryRenamesLeaveBothSidesAsTheyWere() {
        long a = ns().mkdir(ROOT, "a", 0755, ALICE).ref().ino();
        long b = ns().mkdir(ROOT, "b", 0755, ALICE).ref().ino();
        long moving = ns().mkdir(a, "m", 0755, ALICE).ref().ino();
        long full = ns().mkdir(b, "m", 0755, ALICE).ref().ino();
        file(full, "keep");
        assertErrno(Errno.ENOTEMPTY, () -> ns().rename(a, "m", b, "m"));
        assertEquals(moving, ns().lookup(a, "m").ref().ino(), "the source name came back");
        assertEquals(full, ns().lookup(b, "m").ref().ino());
        file(full, "more");   // the victim is not left "removing"
        assertEquals(3, ns().getattr(new InodeRef(a, a)).nlink());
        // over the directory that holds the source: not empty
        long inner = ns().mkdir(moving, "inner", 0755, ALICE).ref().ino();
        assertErrno(Errno.ENOTEMPTY, () -> ns().rename(moving, "inner", a, "m"));
        assertEquals(inner, ns().lookup(moving, "inner").ref().ino());
        // a file homed elsewhere (a hard link's remote name) moves on with its attributes and gets a ctime
        Node f = file(a, "f");
        ns().link(f.ref(), b, "remote");
        ns().unlink(a, "f");
        clock.advance(Duration.ofSeconds(1));
        assertNull(ns().rename(b, "remote", moving, "again"));
        Node again = ns().lookup(moving, "again");
        assertEquals(f.ref(), again.ref());
        assertEquals(1, again.attr().nlink());
        assertEquals(clock.nowNs(), again.attr().ctimeNs());
        assertErrno(Errno.ENOENT, () -> ns().lookup(b, "remote"));
        ns().create(b, "remote", 0644, ALICE, true);   // the source name is free once the rename closed
    }

    @Test
    void setattrModesOwnersTimesAndSize() {
        Node f = file(ROOT, "f");
        clock.advance(Duration.ofSeconds(5));
        Attr a = ns().setattr(f.ref(), SetAttr.mode(0104755), ALICE);
        assertEquals(04755, a.mode());
        assertEquals(clock.nowNs(), a.ctimeNs());
        a = ns().setattr(f.ref(), SetAttr.owner(7, null), Caller.ROOT);
        assertEquals(7, a.uid());
        assertEquals(ALICE.gid(), a.gid());
        a = ns().setattr(f.ref(), SetAttr.times(SetAttr.NOW, 42L), ALICE);
        assertEquals(clock.nowNs(), a.atimeNs());
        assertEquals(42L, a.mtimeNs());
        a = ns().setattr(f.ref(), SetAttr.size(100), ALICE);
        assertEquals(100, a.size());
        assertEquals(a, ns().getattr(f.ref()));
        Attr root = ns().setattr(rootRef, SetAttr.mode(0700), Caller.ROOT);
        assertEquals(0700, root.mode());
        assertEquals(2, root.nlink());
        assertErrno(Errno.EISDIR, () -> ns().setattr(rootRef, SetAttr.size(1), Caller.ROOT));
        assertErrno(Errno.ENOENT, () -> ns().setattr(new InodeRef(99999, ROOT), SetAttr.mode(0), Caller.ROOT));
    }

    @Test
    void updateSizeGrowsUnlessExact() {
        Node f = file(ROOT, "f");
        Attr a = ns().updateSize(f.ref(), 1000, clock.nowNs() + 5, false);
        assertEquals(1000, a.size());
        assertEquals(clock.nowNs() + 5, a.mtimeNs());
        assertEquals(1000, ns().updateSize(f.ref(), 10, clock.nowNs(), false).size());
        assertEquals(10, ns().updateSize(f.ref(), 10, clock.nowNs(), true).size());
        assertEquals(10, ns().getattr(f.ref()).size());
    }

    @Test
    void readdirPagedAndSorted() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String n = String.format("n%04d", 249 - i);
            file(ROOT, n);
        }
        for (int i = 0; i < 250; i++) {
            expected.add(String.format("n%04d", i));
        }
        ns().mkdir(ROOT, "zdir", 0755, ALICE);
        expected.add("zdir");
        List<String> got = new ArrayList<>();
        String after = null;
        while (true) {
            List<DirEntry> page = ns().readdir(ROOT, after, 64);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(e -> got.add(e.name()));
            after = page.get(page.size() - 1).name();
        }
        assertEquals(expected, got);
        List<DirEntry> last = ns().readdir(ROOT, "n0249", 10);
        assertEquals(1, last.size());
        assertEquals(FileType.DIRECTORY, last.get(0).type());
    }

    @Test
    void xattrs() {
        Node f = file(ROOT, "f");
        byte[] v = {1, 2, 3};
        assertErrno(Errno.ENODATA, () -> ns().getxattr(f.ref(), "user.a"));
        assertErrno(Errno.ENODATA, () -> ns().setxattr(f.ref(), "user.a", v, Namespace.XATTR_REPLACE));
        ns().setxattr(f.ref(), "user.a", v, Namespace.XATTR_CREATE);
        assertErrno(Errno.EEXIST, () -> ns().setxattr(f.ref(), "user.a", v, Namespace.XATTR_CREATE));
        ns().setxattr(f.ref(), "user.a", new byte[]{9}, Namespace.XATTR_REPLACE);
        ns().setxattr(f.ref(), "user.b", new byte[0], 0);
        assertArrayEquals(new byte[]{9}, ns().getxattr(f.ref(), "user.a"));
        assertEquals(List.of("user.a", "user.b"), ns().listxattr(f.ref()));
        ns().removexattr(f.ref(), "user.a");
        assertErrno(Errno.ENODATA, () -> ns().removexattr(f.ref(), "user.a"));
        assertEquals(List.of("user.b"), ns().listxattr(f.ref()));
        ns().setxattr(rootRef, "user.dir", v, 0);
        assertArrayEquals(v, ns().getxattr(rootRef, "user.dir"));
        assertErrno(Errno.ERANGE, () -> ns().setxattr(f.ref(), "u".repeat(300), v, 0));
        assertErrno(Errno.E2BIG, () -> ns().setxattr(f.ref(), "user.big", new byte[70000], 0));
    }

    @Test
    void inodeCountFollowsCreatesAndRemovals() {
        long before = ns().inodeCount();
        file(ROOT, "a");
        ns().mkdir(ROOT, "d", 0755, ALICE);
        assertTrue(ns().inodeCount() >= before + 2);
    }
}

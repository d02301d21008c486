package io.tierfs.node.fsck;

import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.FileType;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Node;
import io.tierfs.meta.client.DirGateway;
import io.tierfs.meta.local.LocalNamespace;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.RenameIntent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checker's decisions and the repairs over the in-process namespace (the very DirLogic of the entities,
 * without Pekko): each corruption is made with raw single-entity commands, as a crash or a bug would leave it.
 */
class NamespaceCheckerTest {
    private static final long ROOT = InodeRef.ROOT_INO;
    private final LocalNamespace ns = new LocalNamespace(Clock.systemUTC());
    private final DirGateway gw = ns.gateway();
    /** Directories made behind the namespace's back (no walk finds them); the journal lists them on a real node. */
    private final Set<Long> hiddenDirs = new LinkedHashSet<>();
    private final Map<Long, InodeData> data = new TreeMap<>();

    @AfterEach
    void close() {
        ns.close();
    }

    // ------------------------------------------------------------------ helpers

    private long mkdir(long parent, String name) {
        return ns.mkdir(parent, name, 0755, Caller.ROOT).ref().ino();
    }

    private InodeRef create(long dir, String name, long bytes) {
        Node n = ns.create(dir, name, 0644, Caller.ROOT, true);
        if (bytes > 0) {
            ns.updateSize(n.ref(), bytes, 0, true);
            data.put(n.ref().ino(), new InodeData(n.ref().ino(), (int) ((bytes + 4095) / 4096), bytes));
        }
        return n.ref();
    }

    /** A directory entity with no name anywhere (as a crashed mkdir leaves one). */
    private long hiddenDir(long ino, long parent) {
        gw.ask(ino, new DirCommand.InitDir(parent, 0755, 0, 0));
        hiddenDirs.add(ino);
        return ino;
    }

    /** What the journal would list: every directory reachable by names, plus the hidden ones. */
    private List<Long> directoryIds() {
        Set<Long> ids = new LinkedHashSet<>(hiddenDirs);
        ArrayDeque<Long> queue = new ArrayDeque<>(List.of(ROOT));
        ids.add(ROOT);
        while (!queue.isEmpty()) {
            long d = queue.poll();
            for (DirEntry e : ns.readdir(d, null, 100_000)) {
                if (e.type() == FileType.DIRECTORY && ids.add(e.ino())) {
                    try {
                        ns.readdir(e.ino(), null, 1);
                        queue.add(e.ino());
                    } catch (io.tierfs.common.FsException notADir) {
                        ids.remove(e.ino());
                    }
                }
            }
        }
        return new ArrayList<>(ids);
    }

    private FsckReport check() {
        NamespaceSource source = new GatewaySource(gw, this::directoryIds);
        return NamespaceChecker.check(source, () -> List.copyOf(data.values()), FsckProgress.NONE, Clock.systemUTC(),
                Duration.ofMillis(50));
    }

    private FsckReport repair(FsckReport found) {
        RepairTarget target = new GatewayRepairTarget(ns, gw, data::remove);
        return found.withChanges(Repairer.repair(found.problems(), target, FsckProgress.NONE), 0);
    }

    private static Set<ProblemKind> kinds(FsckReport r) {
        Set<ProblemKind> k = EnumSet.noneOf(ProblemKind.class);
        r.problems().forEach(p -> k.add(p.kind()));
        return k;
    }

    /** Checks, expects exactly {@code expected}, repairs everything, and expects a clean second run. */
    private FsckReport expectRepaired(ProblemKind... expected) {
        FsckReport found = check();
        assertEquals(EnumSet.of(expected[0], expected), kinds(found), found.problems().toString());
        assertEquals(1, found.exitCode());
        FsckReport repaired = repair(found);
        assertTrue(repaired.changes().stream().allMatch(Change::ok), repaired.changes().toString());
        assertEquals(0, repaired.unrepaired(), repaired.problems().toString());
        FsckReport again = check();
        assertTrue(again.clean(), "second run: " + again.problems());
        assertEquals(0, again.exitCode());
        return found;
    }

    /** A tree with hard links, symlinks, renames and a removed home directory: all legal. */
    private Map<String, Long> cleanTree() {
        long a = mkdir(ROOT, "a");
        long b = mkdir(a, "b");
        long c = mkdir(ROOT, "c");
        InodeRef f = create(a, "f", 10_000);
        create(b, "g", 3);
        ns.link(f, c, "f-link");
        ns.symlink(ROOT, "sym", "/a/f", Caller.ROOT);
        InodeRef moved = create(a, "to-move", 5);
        ns.rename(a, "to-move", c, "moved");
        ns.rename(a, "b", c, "b2");
        // a file whose home directory is gone: created in h, linked elsewhere, its first name and h removed
        long h = mkdir(ROOT, "h");
        InodeRef orphanedHome = create(h, "x", 7);
        ns.link(orphanedHome, c, "x-survivor");
        ns.unlink(h, "x");
        ns.rmdir(ROOT, "h");
        hiddenDirs.add(h); // the journal still lists it
        assertEquals(1, ns.getattr(moved).nlink());
        return Map.of("a", a, "b", b, "c", c, "f", f.ino());
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aCleanTreeIsClean() {
        cleanTree();
        FsckReport r = check();
        assertTrue(r.clean(), r.problems().toString());
        assertEquals(0, r.exitCode());
        FsckStats s = r.stats();
        assertEquals(4, s.directories(), "/, a, c, b2: " + s);
        assertEquals(5, s.files(), "f, g, sym, moved, x: " + s);
        assertEquals(10_000 + 3 + 5 + 7 + "/a/f".length(), s.bytes());
        assertEquals(10_000 + 3 + 5 + 7, s.dataBytes());
    }

    @Test
    void aDanglingDentryIsRemoved() {
        long a = cleanTree().get("a");
        gw.ask(a, new DirCommand.AddRemote("ghost", new Dentry(999_999, FileType.REGULAR, a)));
        gw.ask(a, new DirCommand.AddRemote("ghost-dir", new Dentry(888_888, FileType.DIRECTORY, 888_888)));
        FsckReport r = expectRepaired(ProblemKind.DANGLING_DENTRY);
        assertEquals(List.of("/a/ghost", "/a/ghost-dir"), r.problems().stream().map(Problem::subject).toList());
        assertEquals(2, ns.getattr(new InodeRef(a, a)).nlink(), "the dangling directory name no longer counts");
    }

    @Test
    void aWrongLinkCountIsSetToTheNamesCounted() {
        Map<String, Long> t = cleanTree();
        long a = t.get("a");
        long f = t.get("f");
        InodeRef single = create(a, "single", 1);
        gw.ask(a, new DirCommand.AdjustLink(single.ino(), +1)); // too high: the leak a crash may leave
        gw.ask(a, new DirCommand.AdjustLink(f, -1)); // too low: the dangerous one (f has two names)
        FsckReport r = expectRepaired(ProblemKind.WRONG_NLINK);
        assertEquals(2, r.problems().size());
        assertEquals(1, ns.getattr(single).nlink());
        assertEquals(2, ns.getattr(new InodeRef(f, a)).nlink());
    }

    @Test
    void anOrphanInodeIsRemovedWithItsData() {
        long a = cleanTree().get("a");
        InodeRef leaked = create(a, "leaked", 8192);
        gw.ask(a, new DirCommand.RemoveDentry("leaked", leaked.ino()));
        FsckReport r = expectRepaired(ProblemKind.ORPHAN_INODE);
        Problem.OrphanInode o = (Problem.OrphanInode) r.problems().get(0);
        assertEquals(leaked.ino(), o.ino());
        assertEquals(8192, o.dataBytes());
        assertFalse(data.containsKey(leaked.ino()), "its chunks are freed");
        assertTrue(ns.getattr(new InodeRef(a, a)).nlink() > 0);
    }

    @Test
    void orphanChunksAreFreed() {
        cleanTree();
        data.put(777_777L, new InodeData(777_777, 3, 12_345));
        FsckReport r = expectRepaired(ProblemKind.ORPHAN_CHUNKS);
        Problem.OrphanChunks o = (Problem.OrphanChunks) r.problems().get(0);
        assertEquals(12_345, o.bytes());
        assertEquals(3, o.chunks());
        assertFalse(data.containsKey(777_777L));
    }

    @Test
    void aWrongParentPointerIsFixed() {
        Map<String, Long> t = cleanTree();
        gw.ask(t.get("c"), new DirCommand.SetParent(t.get("a")));
        FsckReport r = expectRepaired(ProblemKind.WRONG_PARENT);
        assertEquals("/c", r.problems().get(0).subject());
        assertEquals(ROOT, (Long) gw.ask(t.get("c"), new DirCommand.GetParent()));
    }

    @Test
    void aDirectoryNamedInsideItsOwnSubtreeIsACycleAndLosesThatName() {
        Map<String, Long> t = cleanTree();
        long b = t.get("b"); // /c/b2
        gw.ask(b, new DirCommand.AddSubdir("loop", t.get("c")));
        gw.ask(ROOT, new DirCommand.AddSubdir("alias-of-a", t.get("a")));
        FsckReport r = expectRepaired(ProblemKind.CYCLE, ProblemKind.EXTRA_DIR_NAME);
        assertEquals(List.of("/alias-of-a", "/c/b2/loop"), r.problems().stream().map(Problem::subject).sorted().toList());
        assertEquals(List.of("a", "c", "sym"), ns.readdir(ROOT, null, 100).stream().map(DirEntry::name).toList());
    }

    @Test
    void unreachableDirectoriesAreDiscardedWhenEmptyAndReattachedOtherwise() {
        cleanTree();
        hiddenDir(600_000, ROOT); // a crashed mkdir
        long top = hiddenDir(600_001, 123_456);
        long below = hiddenDir(600_002, top);
        gw.ask(top, new DirCommand.AddSubdir("below", below));
        InodeRef kept = new InodeRef(600_010, below);
        gw.ask(below, new DirCommand.CreateInode("kept", kept.ino(), FileType.REGULAR, 0644, 0, 0, null, true));
        FsckReport r = expectRepaired(ProblemKind.UNREACHABLE_DIR);
        assertEquals(List.of(600_000L, 600_001L), r.problems().stream().map(Problem::ino).toList(),
                "one problem per unreachable subtree, not per directory: " + r.problems());
        long lf = ns.lookup(ROOT, GatewayRepairTarget.LOST_FOUND).ref().ino();
        long back = ns.lookup(lf, "#600001").ref().ino();
        assertEquals(top, back);
        assertEquals(kept, ns.lookup(below, "kept").ref());
        assertEquals(1, ns.getattr(kept).nlink(), "a file named only in the unreachable subtree is no orphan");
    }

    @Test
    void aLoopOfParentPointersIsReportedButLeftToAnOperator() {
        cleanTree();
        long x = hiddenDir(700_000, 700_001);
        long y = hiddenDir(700_001, 700_000);
        gw.ask(x, new DirCommand.AddSubdir("y", y));
        gw.ask(y, new DirCommand.AddSubdir("x", x));
        FsckReport r = check();
        assertEquals(Set.of(ProblemKind.CYCLE), kinds(r), r.problems().toString());
        Problem p = r.problems().get(0);
        assertTrue(p.repair().isEmpty());
        assertTrue(p.manual() != null && p.detail().contains("700000") && p.detail().contains("700001"), p.detail());
        FsckReport after = repair(r);
        assertTrue(after.changes().isEmpty());
        assertEquals(1, after.unrepaired());
        assertEquals(Set.of(ProblemKind.CYCLE), kinds(check()));
    }

    @Test
    void aDentryWithTheWrongHomeIsPointedAtTheInode() {
        Map<String, Long> t = cleanTree();
        long a = t.get("a");
        long f = t.get("f");
        gw.ask(a, new DirCommand.AdjustLink(f, +1)); // the link step of a hard link, then a bad remote name
        gw.ask(ROOT, new DirCommand.AddRemote("misdirected", new Dentry(f, FileType.REGULAR, t.get("c"))));
        FsckReport r = expectRepaired(ProblemKind.BAD_DENTRY);
        assertEquals("/misdirected", r.problems().get(0).subject());
        Node n = ns.lookup(ROOT, "misdirected");
        assertEquals(new InodeRef(f, a), n.ref());
        assertEquals(3, n.attr().nlink());
    }

    @Test
    void aDirectoryNameWithTheWrongHomeIsFixed() {
        long c = cleanTree().get("c");
        gw.ask(ROOT, new DirCommand.RemoveDentry("c", c));
        gw.ask(ROOT, new DirCommand.AddRemote("c", new Dentry(c, FileType.DIRECTORY, ROOT)));
        assertEquals(io.tierfs.common.Errno.ENOENT, org.junit.jupiter.api.Assertions.assertThrows(
                io.tierfs.common.FsException.class, () -> ns.lookup(ROOT, "c")).errno());
        FsckReport r = expectRepaired(ProblemKind.BAD_DENTRY);
        assertEquals("/c", r.problems().get(0).subject());
        assertEquals(new InodeRef(c, c), ns.lookup(ROOT, "c").ref());
        assertEquals(4, ns.getattr(InodeRef.ROOT).nlink(), "2 + /a and /c");
        assertEquals(List.of("a", "c", "sym"), ns.readdir(ROOT, null, 10).stream().map(DirEntry::name).toList());
    }

    @Test
    void aPendingRenameIsReportedAndItsDirectoryNotTakenForAHardLink() {
        Map<String, Long> t = cleanTree();
        long a = t.get("a");
        long c = t.get("c");
        RenameIntent intent = RenameIntent.of(1L << 50, "a", new Dentry(a, FileType.DIRECTORY, a), c, "a-moved", null);
        gw.ask(ROOT, new DirCommand.BeginDirRename(intent));
        gw.ask(c, new DirCommand.PutDentry("a-moved", new Dentry(a, FileType.DIRECTORY, a), 0)); // crash after step 2
        FsckReport r = check();
        assertEquals(Set.of(ProblemKind.PENDING_RENAME), kinds(r), r.problems().toString());
        Problem.PendingRename p = (Problem.PendingRename) r.problems().get(0);
        assertFalse(p.settled(), "no recovery runs in process");
        assertEquals(1, r.unrepaired());
        ns.redrive(ROOT, intent); // what a node's recovery does
        assertTrue(check().clean());
        assertEquals(c, (Long) gw.ask(a, new DirCommand.GetParent()));
    }

    @Test
    void everyRepairableKindAtOnceIsRepairedInOneRun() {
        Map<String, Long> t = cleanTree();
        long a = t.get("a");
        gw.ask(a, new DirCommand.AddRemote("ghost", new Dentry(999_999, FileType.REGULAR, a)));
        gw.ask(a, new DirCommand.AdjustLink(t.get("f"), +1));
        InodeRef leaked = create(a, "leaked", 100);
        gw.ask(a, new DirCommand.RemoveDentry("leaked", leaked.ino()));
        data.put(777_777L, new InodeData(777_777, 1, 10));
        gw.ask(t.get("c"), new DirCommand.SetParent(a));
        hiddenDir(600_000, ROOT);
        long top = hiddenDir(600_001, ROOT);
        gw.ask(top, new DirCommand.CreateInode("k", 600_010, FileType.REGULAR, 0644, 0, 0, null, true));
        gw.ask(t.get("b"), new DirCommand.AddSubdir("loop", a)); // /c/b2/loop; c's parent now says a: a cycle
        expectRepaired(ProblemKind.DANGLING_DENTRY, ProblemKind.WRONG_NLINK, ProblemKind.ORPHAN_INODE,
                ProblemKind.ORPHAN_CHUNKS, ProblemKind.WRONG_PARENT, ProblemKind.UNREACHABLE_DIR, ProblemKind.CYCLE);
    }

    @Test
    void reportLinesNameKindSubjectDetailAndRepair() {
        long a = cleanTree().get("a");
        gw.ask(a, new DirCommand.AddRemote("ghost", new Dentry(999_999, FileType.REGULAR, a)));
        FsckReport r = check();
        String line = ReportText.line(r.problems().get(0), null, false);
        assertTrue(line.startsWith("dangling-dentry   /a/ghost  inode 999999 does not exist at its home " + a), line);
        assertTrue(line.endsWith("[--repair: removed the name]"), line);
        String json = ReportJson.render(r, java.nio.file.Path.of("/state"), 5);
        assertTrue(json.contains("\"dangling-dentry\" : 1") && json.contains("\"exitCode\" : 1"), json);
        assertEquals("fsck: walk [###############...............]  50%  1/2", TerminalProgress.render("walk", 1, 2));
        FsckReport repaired = repair(r);
        String done = ReportText.line(r.problems().get(0), repaired.changes().get(0), true);
        assertTrue(done.endsWith("[repaired: removed the name]"), done);
    }

    @Test
    void bigDirectoriesArePagedThrough() {
        long big = mkdir(ROOT, "big");
        int n = 2 * NamespaceChecker.PAGE + 17;
        List<Long> inos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inos.add(create(big, "f" + i, 0).ino());
        }
        @SuppressWarnings("unchecked")
        List<io.tierfs.common.Attr> page = (List<io.tierfs.common.Attr>) gw.ask(big,
                new DirCommand.ListHomed(inos.get(9), 5));
        assertEquals(inos.subList(10, 15), page.stream().map(io.tierfs.common.Attr::ino).toList(),
                "the next homed inodes by number");
        gw.ask(big, new DirCommand.RemoveDentry("f" + (n - 1), inos.get(n - 1)));
        FsckReport r = check();
        assertEquals(n - 1, r.stats().files());
        assertEquals(List.of(inos.get(n - 1)), r.problems().stream().map(Problem::ino).toList(),
                "the last homed inode, on the third page, is the orphan");
    }
}

package io.tierfs.node.fsck;

import io.tierfs.common.Attr;
import io.tierfs.common.DirEntry;
import io.tierfs.common.FileType;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.RenameIntent;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The namespace checker: reads every directory entity, walks the tree from the root (and then every directory
 * the root does not reach), counts the names of every inode and decides what is a problem and which repair is
 * safe. It only asks questions through {@link NamespaceSource} and {@link DataSource}; it changes nothing.
 * <p>
 * Phases:
 * <ol>
 * <li>census: every directory entity is started and asked for its pending rename intents first (recovery
 *     re-drives them as soon as a directory starts, but answers that question before); the checker waits for the
 *     re-drives (bounded), then reads every directory's parent and attributes, so that the walk sees a settled
 *     tree. Then every inode homed in every directory, removed ones included (a removed directory still holds
 *     files that have names elsewhere);</li>
 * <li>walk from the root (paged readdir). A name of a non-directory is resolved at its home: locally when the
 *     inode is homed in the same directory, else through a lookup that tells the dentry's home. Every name of an
 *     inode is counted, and every name of a directory remembered;</li>
 * <li>every live directory the walk did not reach is the top of an unreachable subtree (found by climbing parent
 *     pointers) and is walked too, so that the names inside still count: an inode named only in an unreachable
 *     directory is never taken for an orphan;</li>
 * <li>decisions: directory names against parent pointers, nlink against counted names, homed inodes nobody
 *     names, chunks of inodes that do not exist.</li>
 * </ol>
 * Memory is proportional to the number of inodes (a count and a home per inode), which bounds the size of the
 * namespace one run can check to what fits in the heap.
 */
public final class NamespaceChecker {
    /** Names and homed inodes asked per page. */
    static final int PAGE = 1000;

    private final NamespaceSource ns;
    private final DataSource data;
    private final FsckProgress progress;
    private final Duration renameWait;

    /** Census: every directory entity that exists. */
    private final Map<Long, DirInfo> dirs = new HashMap<>();
    /** Census: every inode homed anywhere (directories excluded), by number. */
    private final Map<Long, Homed> homed = new HashMap<>();
    /** Directories in renames that recovery has not finished: their names and parents are in flux. */
    private final Set<Long> inFlux = new HashSet<>();
    private final List<PendingIntent> intentsFound = new ArrayList<>();

    private final Set<Long> visited = new HashSet<>();
    private final Map<Long, String> dirPath = new HashMap<>();
    private final Map<Long, List<DirName>> dirNames = new HashMap<>();
    private final Map<Long, Integer> subdirNames = new HashMap<>();
    private final Set<Long> nonEmpty = new HashSet<>();
    private final Map<Long, Integer> linkCount = new HashMap<>();
    private final Map<Long, String> firstPath = new HashMap<>();
    /** Tops of unreachable subtrees (their names, if any, lie inside their own subtree). */
    private final Set<Long> unreachableTops = new HashSet<>();
    private final Set<Long> cycleMembers = new HashSet<>();
    private final List<Problem> problems = new ArrayList<>();
    private long names;
    private long files;
    private long bytes;
    private long dataBytes;

    private record Homed(long home, Attr attr) {
    }

    private record DirName(long dir, String name, String path) {
    }

    private record PendingIntent(long dir, RenameIntent intent) {
    }

    private NamespaceChecker(NamespaceSource ns, DataSource data, FsckProgress progress, Duration renameWait) {
        this.ns = ns;
        this.data = data;
        this.progress = progress;
        this.renameWait = renameWait;
    }

    /**
     * Checks the namespace and the data against it.
     *
     * @param renameWait how long to wait for recovery to re-drive the pending rename intents found
     */
    public static FsckReport check(NamespaceSource ns, DataSource data, FsckProgress progress, Clock clock,
                                   Duration renameWait) {
        long t0 = clock.millis();
        NamespaceChecker c = new NamespaceChecker(ns, data, progress, renameWait);
        try {
            c.census();
            c.walkAll();
            c.decideDirectories();
            c.decideInodes();
            c.decideRenames();
        } finally {
            progress.finish();
        }
        c.problems.sort(Comparator.comparing(Problem::kind).thenComparing(Problem::subject)
                .thenComparingLong(Problem::ino));
        FsckStats stats = new FsckStats(c.visited.size(), c.names, c.files, c.bytes, c.dataBytes);
        return new FsckReport(stats, c.problems, List.of(), false, clock.millis() - t0, 0);
    }

    // ------------------------------------------------------------------ census

    private void census() {
        TreeSet<Long> ids = new TreeSet<>(ns.directoryIds());
        ids.add(InodeRef.ROOT_INO);
        // Start every directory first: a directory's recovery re-drives its pending rename intents, which moves
        // names and parents; the census must be read once they are done, or it would describe a moving tree.
        progress.phase("start", ids.size());
        Set<Long> sources = new TreeSet<>();
        long n = 0;
        for (long id : ids) {
            for (RenameIntent i : ns.pendingIntents(id)) {
                intentsFound.add(new PendingIntent(id, i));
                sources.add(id);
            }
            progress.advance(++n);
        }
        sources.add(InodeRef.ROOT_INO); // started with the node: its intents may be under way already
        ns.awaitRenames(sources, renameWait);
        readDirs(ids);
        for (DirInfo d : dirs.values()) {
            for (RenameIntent i : d.intents()) {
                inFlux.add(i.child());
                if (i.victim() != 0) {
                    inFlux.add(i.victim());
                }
            }
        }
        progress.phase("inodes", dirs.size());
        n = 0;
        for (long dir : new TreeSet<>(dirs.keySet())) {
            long after = 0;
            while (true) {
                List<Attr> page = ns.homed(dir, after, PAGE);
                for (Attr a : page) {
                    Homed prev = homed.putIfAbsent(a.ino(), new Homed(dir, a));
                    if (prev != null) {
                        problems.add(new Problem.DuplicateInode(a.ino(), prev.home(), dir));
                    }
                }
                if (page.size() < PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).ino();
            }
            progress.advance(++n);
        }
    }

    private void readDirs(Set<Long> ids) {
        progress.phase("directories", ids.size());
        long n = 0;
        for (long id : ids) {
            ns.dir(id).ifPresent(d -> dirs.put(id, d));
            progress.advance(++n);
        }
    }

    // ------------------------------------------------------------------ walk

    private void walkAll() {
        long live = dirs.values().stream().filter(d -> !d.removed()).count();
        progress.phase("walk", live);
        walk(InodeRef.ROOT_INO, "/");
        for (long id : new TreeSet<>(dirs.keySet())) {
            if (!visited.contains(id)) {
                unreachable(id);
            }
        }
    }

    /** Climbs from an unvisited directory to the top of its unreachable subtree, reports it and walks it. */
    private void unreachable(long id) {
        DirInfo info = dirs.get(id);
        if (info.removed()) {
            if (ns.readdir(id, null, 1).isEmpty()) {
                return; // a plain removed directory: only its homed inodes matter, and they are in the census
            }
            String subject = "<removed " + id + ">";
            walk(id, subject);
            unreachableTops.add(id);
            problems.add(new Problem.UnreachableDir(subject, id, info.parent(), Problem.Shape.REMOVED_WITH_NAMES,
                    List.of()));
            return;
        }
        long top = id;
        LinkedHashSet<Long> seen = new LinkedHashSet<>();
        seen.add(id);
        boolean cycle = false;
        while (true) {
            long p = dirs.get(top).parent();
            DirInfo pi = dirs.get(p);
            if (p == top || pi == null || pi.removed() || visited.contains(p)) {
                break;
            }
            if (!seen.add(p)) {
                cycle = true;
                top = p;
                break;
            }
            top = p;
        }
        List<Long> loop = new ArrayList<>();
        if (cycle) {
            boolean in = false;
            for (long s : seen) {
                in |= s == top;
                if (in) {
                    loop.add(s);
                }
            }
            cycleMembers.addAll(loop);
        }
        String subject = "<unreachable " + top + ">";
        walk(top, subject);
        unreachableTops.add(top);
        Problem.Shape shape = inFlux.contains(top) ? Problem.Shape.RENAME_PENDING
                : cycle ? Problem.Shape.CYCLE
                : nonEmpty.contains(top) ? Problem.Shape.NON_EMPTY : Problem.Shape.EMPTY;
        problems.add(new Problem.UnreachableDir(subject, top, dirs.get(top).parent(), shape, loop));
    }

    private void walk(long top, String topPath) {
        ArrayDeque<Long> queue = new ArrayDeque<>();
        visited.add(top);
        dirPath.put(top, topPath);
        queue.add(top);
        while (!queue.isEmpty()) {
            long d = queue.poll();
            String after = null;
            while (true) {
                List<DirEntry> page = ns.readdir(d, after, PAGE);
                for (DirEntry e : page) {
                    entry(d, e, queue);
                }
                if (page.size() < PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).name();
            }
            progress.advance(visited.size());
        }
    }

    private static String child(String dirPath, String name) {
        return dirPath.endsWith("/") ? dirPath + name : dirPath + "/" + name;
    }

    private void entry(long d, DirEntry e, ArrayDeque<Long> queue) {
        names++;
        nonEmpty.add(d);
        String path = child(dirPath.get(d), e.name());
        if (e.type() == FileType.DIRECTORY) {
            subdirNames.merge(d, 1, Integer::sum);
            DirInfo target = dirs.get(e.ino());
            if (target == null || target.removed()) {
                Homed h = homed.get(e.ino());
                if (h != null) {
                    badDentry(d, e.name(), path, new Dentry(e.ino(), FileType.DIRECTORY, e.ino()), h);
                } else {
                    problems.add(new Problem.DanglingDentry(path, d, e.name(), e.ino(), target == null
                            ? "directory " + e.ino() + " does not exist" : "directory " + e.ino() + " was removed"));
                }
                return;
            }
            Dentry recorded = ns.lookup(d, e.name()); // a directory is its own home: the dentry must say so
            if (recorded.home() != e.ino()) {
                problems.add(new Problem.BadDentry(path, d, e.name(), recorded,
                        new Dentry(e.ino(), FileType.DIRECTORY, e.ino())));
            }
            dirNames.computeIfAbsent(e.ino(), k -> new ArrayList<>(1)).add(new DirName(d, e.name(), path));
            if (visited.add(e.ino())) {
                dirPath.put(e.ino(), path);
                queue.add(e.ino());
            }
            return;
        }
        Homed h = homed.get(e.ino());
        long home = h != null && h.home() == d ? d : ns.lookup(d, e.name()).home();
        if (h == null && home != e.ino()) {
            // the census asked every directory in the journal; ask the dentry's home too before calling it dangling
            Optional<Attr> a = ns.getattr(home, e.ino());
            if (a.isPresent() && a.get().type() != FileType.DIRECTORY) {
                h = new Homed(home, a.get());
                homed.put(e.ino(), h);
            }
        }
        if (h == null) {
            DirInfo asDir = dirs.get(e.ino());
            String why = asDir != null && !asDir.removed()
                    ? "names directory " + e.ino() + " as a " + e.type()
                    : "inode " + e.ino() + " does not exist at its home " + home;
            problems.add(new Problem.DanglingDentry(path, d, e.name(), e.ino(), why));
            return;
        }
        if (h.home() != home || h.attr().type() != e.type()) {
            badDentry(d, e.name(), path, new Dentry(e.ino(), e.type(), home), h);
            return;
        }
        countName(e.ino(), h, path);
    }

    /** A name of a live inode with the wrong home or type: reported, and counted (the repair keeps the name). */
    private void badDentry(long d, String name, String path, Dentry found, Homed h) {
        problems.add(new Problem.BadDentry(path, d, name, found, new Dentry(found.ino(), h.attr().type(), h.home())));
        countName(found.ino(), h, path);
    }

    private void countName(long ino, Homed h, String path) {
        if (linkCount.merge(ino, 1, Integer::sum) == 1) {
            files++;
            bytes += h.attr().size();
            firstPath.put(ino, path);
        }
    }

    // ------------------------------------------------------------------ decisions

    private void decideDirectories() {
        for (DirInfo info : new TreeMap<>(dirs).values()) {
            long ino = info.ino();
            if (!visited.contains(ino) || info.removed()) {
                continue;
            }
            String path = dirPath.get(ino);
            int expected = 2 + subdirNames.getOrDefault(ino, 0);
            if (info.attr().nlink() != expected) {
                problems.add(new Problem.WrongDirLinkCount(path, ino, info.attr().nlink(), expected));
            }
            if (inFlux.contains(ino) || cycleMembers.contains(ino)) {
                continue;
            }
            List<DirName> named = dirNames.getOrDefault(ino, List.of());
            if (ino == InodeRef.ROOT_INO || unreachableTops.contains(ino)) {
                // the root has no name; an unreachable top's names lie in unreachable directories (mostly in its
                // own subtree): removing them is safe, the top itself is discarded or reattached
                for (DirName n : named) {
                    problems.add(new Problem.ExtraDirName(n.path(), n.dir(), n.name(), ino,
                            ino == InodeRef.ROOT_INO || below(n.dir(), ino), true));
                }
                if (ino == InodeRef.ROOT_INO && info.parent() != InodeRef.ROOT_INO) {
                    problems.add(new Problem.WrongParent(path, ino, info.parent(), InodeRef.ROOT_INO));
                }
                continue;
            }
            if (named.size() == 1) {
                if (info.parent() != named.get(0).dir()) {
                    problems.add(new Problem.WrongParent(path, ino, info.parent(), named.get(0).dir()));
                }
                continue;
            }
            // keep a name in the recorded parent (the first by name if there are several: they are equivalent),
            // provided that parent leads to the root without passing through the directory itself
            DirName keep = named.stream().filter(n -> n.dir() == info.parent()).min(Comparator.comparing(DirName::name))
                    .filter(n -> leadsToTop(info.parent(), ino)).orElse(null);
            for (DirName n : named) {
                if (n != keep) {
                    problems.add(new Problem.ExtraDirName(n.path(), n.dir(), n.name(), ino, below(n.dir(), ino),
                            keep != null));
                }
            }
        }
    }

    /** True when parent pointers from {@code from} reach the root or an unreachable top without passing {@code avoid}. */
    private boolean leadsToTop(long from, long avoid) {
        long cur = from;
        for (int steps = 0; steps <= dirs.size(); steps++) {
            DirInfo d = dirs.get(cur);
            if (cur == avoid || d == null || d.removed() || !visited.contains(cur)) {
                return false;
            }
            if (cur == InodeRef.ROOT_INO || unreachableTops.contains(cur)) {
                return true;
            }
            cur = d.parent();
        }
        return false;
    }

    /** True when {@code dir} lies below {@code ancestor} by parent pointers. */
    private boolean below(long dir, long ancestor) {
        long cur = dir;
        for (int steps = 0; steps <= dirs.size(); steps++) {
            if (cur == ancestor) {
                return true;
            }
            DirInfo d = dirs.get(cur);
            if (d == null || cur == InodeRef.ROOT_INO) {
                return false;
            }
            cur = d.parent();
        }
        return false;
    }

    private void decideInodes() {
        progress.phase("data", 0);
        Map<Long, InodeData> chunks = new HashMap<>();
        for (InodeData d : data.inodesWithData()) {
            chunks.put(d.ino(), d);
        }
        for (Map.Entry<Long, Homed> e : new TreeMap<>(homed).entrySet()) {
            long ino = e.getKey();
            Homed h = e.getValue();
            int counted = linkCount.getOrDefault(ino, 0);
            InodeData d = chunks.remove(ino);
            long onTiers = d == null ? 0 : d.bytes();
            if (counted == 0) {
                String home = dirPath.getOrDefault(h.home(), "<dir " + h.home() + ">");
                problems.add(new Problem.OrphanInode(child(home, "<ino " + ino + ">"), ino, h.home(), h.attr(), onTiers));
                continue;
            }
            dataBytes += onTiers;
            if (h.attr().nlink() != counted) {
                problems.add(new Problem.WrongLinkCount(firstPath.get(ino), ino, h.home(), h.attr().nlink(), counted));
            }
        }
        for (InodeData d : new TreeMap<>(chunks).values()) {
            problems.add(new Problem.OrphanChunks(d.ino(), d.chunks(), d.bytes()));
        }
    }

    private void decideRenames() {
        Set<Long> stillPending = new HashSet<>();
        for (DirInfo d : dirs.values()) {
            d.intents().forEach(i -> stillPending.add(i.txid()));
        }
        for (PendingIntent p : intentsFound) {
            String path = dirPath.getOrDefault(p.dir(), "<dir " + p.dir() + ">");
            problems.add(new Problem.PendingRename(path, p.dir(), p.intent(), !stillPending.contains(p.intent().txid())));
        }
    }
}

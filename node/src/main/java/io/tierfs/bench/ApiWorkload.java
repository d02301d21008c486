package io.tierfs.bench;

import io.tierfs.common.Caller;
import io.tierfs.common.FileType;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * The metadata harness's workload on the {@link Namespace} API (no FUSE, no client cache): C clients, client
 * {@code c} on the namespace of node {@code c % nodes}; in many-dirs and one-dir every client walks through every
 * directory (so with several nodes most operations reach an entity on another node), in unique-dirs each client
 * works in directories it made itself (mdtest {@code -u}), run in turn
 * <ol>
 * <li>create: F empty files, exclusive;</li>
 * <li>stat: a lookup of each (name to inode with its attributes: what stat of a path costs at its last
 *     component);</li>
 * <li>rename in dir: each file to a new name in its directory;</li>
 * <li>unlink: each file;</li>
 * <li>rename across dirs: F/10 fresh files (created and synced untimed) each moved into another directory (a
 *     multi-directory operation: four synchronous steps, see NamespaceCore).</li>
 * </ol>
 * Mutating phases end with {@code syncAll} on every client's namespace, inside the timing: the rates are of
 * operations durable in the journal, not merely acknowledged. Each run works in a fresh directory under the root
 * ({@code tag} names it), so runs never see each other's files; the bench's state is thrown away afterwards.
 */
final class ApiWorkload {
    /** Cross-directory renames are this fraction of F (each is several synchronous journal writes). */
    static final int ACROSS_DIVISOR = 10;

    private final List<Namespace> namespaces;
    private final PhaseRunner runner;
    private final int clients;
    private final int dirs;

    /**
     * @param namespaces one per node; clients are spread over them round-robin
     * @param dirs       directories of the many-dirs layout
     */
    ApiWorkload(List<Namespace> namespaces, int clients, int dirs) {
        if (namespaces.isEmpty() || dirs < 2) {
            throw new IllegalArgumentException("need a namespace and at least 2 directories");
        }
        this.namespaces = List.copyOf(namespaces);
        this.clients = clients;
        this.dirs = dirs;
        this.runner = new PhaseRunner(clients);
    }

    private Namespace ns(int client) {
        return namespaces.get(client % namespaces.size());
    }

    /** The five phases with {@code files} files in {@code layout}, in a fresh directory named after {@code tag}. */
    List<PhaseResult> run(MetaLayout layout, int files, String tag) {
        Namespace admin = namespaces.get(0);
        long top = admin.mkdir(InodeRef.ROOT_INO, "bench-" + tag, 0755, Caller.ROOT).ref().ino();
        long[] home;
        long[] away;
        if (layout == MetaLayout.ONE_DIR) {
            home = new long[]{admin.mkdir(top, "one", 0755, Caller.ROOT).ref().ino()};
            away = new long[]{admin.mkdir(top, "other", 0755, Caller.ROOT).ref().ino()};
        } else if (layout == MetaLayout.UNIQUE_DIRS) {
            int per = DirSpread.perClient(dirs, clients);
            home = new long[per * clients];
            away = new long[home.length];
            for (int d = 0; d < home.length; d++) { // each client makes its own directories, from its own node
                home[d] = ns(d % clients).mkdir(top, "c" + (d % clients) + "-" + d / clients, 0755, Caller.ROOT)
                        .ref().ino();
            }
            for (int d = 0; d < home.length; d++) {
                away[d] = home[DirSpread.ownNext(d, clients, per)];
            }
        } else {
            home = new long[dirs];
            away = new long[dirs];
            for (int d = 0; d < dirs; d++) {
                home[d] = admin.mkdir(top, "d" + d, 0755, Caller.ROOT).ref().ino();
            }
            for (int d = 0; d < dirs; d++) {
                away[d] = home[(d + 1) % dirs];
            }
        }
        // Touch every directory from every node before timing: the first message to an entity goes through
        // sharding (shard allocation, entity start), later ones take the node's fast path or a cached location.
        // (After the mkdirs above: the first to ask for a directory's shard decides where it lives.)
        for (Namespace ns : namespaces) {
            for (long d : home) {
                ns.readdir(d, null, 1);
            }
            for (long d : away) {
                ns.readdir(d, null, 1);
            }
        }
        int across = Math.max(1, files / ACROSS_DIVISOR);
        IntToLongFunction dir = layout == MetaLayout.UNIQUE_DIRS
                ? i -> home[DirSpread.ownIndex(i, clients, home.length / clients)]
                : i -> home[DirSpread.index(i, clients, home.length)];
        IntToLongFunction other = layout == MetaLayout.UNIQUE_DIRS
                ? i -> away[DirSpread.ownIndex(i, clients, away.length / clients)]
                : i -> away[DirSpread.index(i, clients, away.length)];
        List<PhaseResult> out = new ArrayList<>();
        out.add(runner.run("create", files,
                (c, i) -> ns(c).create(dir.applyAsLong(i), "f" + i, 0644, Caller.ROOT, true), this::syncAll));
        out.add(runner.run("stat", files, (c, i) -> {
            Node n = ns(c).lookup(dir.applyAsLong(i), "f" + i);
            if (n.attr().type() != FileType.REGULAR) {
                throw new IllegalStateException("f" + i + " is a " + n.attr().type());
            }
        }, () -> { }));
        out.add(runner.run("rename in dir", files,
                (c, i) -> ns(c).rename(dir.applyAsLong(i), "f" + i, dir.applyAsLong(i), "g" + i), this::syncAll));
        out.add(runner.run("unlink", files, (c, i) -> {
            if (!ns(c).unlink(dir.applyAsLong(i), "g" + i).lastLink()) {
                throw new IllegalStateException("g" + i + " still has a link after unlink");
            }
        }, this::syncAll));
        runner.run("(untimed) create for rename across", across,
                (c, i) -> ns(c).create(dir.applyAsLong(i), "h" + i, 0644, Caller.ROOT, true), this::syncAll);
        out.add(runner.run("rename across dirs", across,
                (c, i) -> ns(c).rename(dir.applyAsLong(i), "h" + i, other.applyAsLong(i), "x" + i), this::syncAll));
        return out;
    }

    private void syncAll() {
        for (Namespace ns : namespaces) {
            ns.syncAll();
        }
    }
}

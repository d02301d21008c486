package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Attr;
import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.SetAttr;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.client.ShardingGateway;
import io.tierfs.meta.entity.DirEnvelope;
import io.tierfs.meta.entity.DirReply;
import io.tierfs.meta.entity.LocalDirRegistry;
import io.tierfs.meta.entity.RequestId;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.Replies;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Early commands decided in the client's thread (DirFront's inline decisions) against a real node and journal:
 * the same answers as an ask, exactly once, the same journal order as the live state (a restart replays to the
 * very tree the clients saw), and a fallback to the ask wherever the reply has to wait.
 */
class InlineDecisionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path stateDir;

    private MetadataNode start() {
        return MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT,
                ConfigFactory.parseString("tierfs.meta.snapshot-every = 500"));
    }

    /** One delivery of {@code cmd} with request id {@code id} to directory {@code dir}, through sharding. */
    private static DirReply send(MetadataNode node, long dir, DirCommand cmd, RequestId id) throws Exception {
        return ClusterSharding.get(node.system()).entityRefFor(ShardingGateway.DIR_KEY, Long.toString(dir))
                .<DirReply>ask(r -> new DirEnvelope(cmd, r, false, id), WAIT)
                .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static DirReply inline(LocalDirRegistry local, long dir, DirCommand cmd, RequestId id) {
        LocalDirRegistry.Entry e = local.acquire(dir);
        assertNotNull(e, "directory " + dir + " is hosted here");
        try {
            return e.decideInline(cmd, id);
        } finally {
            local.release(e);
        }
    }

    @Test
    void anInlineDecisionIsAnsweredOnceAndSurvivesRestart() throws Exception {
        long fileIno = 900_001;   // the client picks inode numbers; far above the allocator's first range
        DirCommand.CreateInode mk = new DirCommand.CreateInode("f", fileIno, FileType.REGULAR, 0644, 0, 0, null, true);
        RequestId create = new RequestId("client-a", 1);
        long dir;
        try (MetadataNode node = start()) {
            Namespace ns = node.namespace();
            dir = ns.mkdir(InodeRef.ROOT_INO, "d", 0755, Caller.ROOT).ref().ino();
            ns.getattr(new InodeRef(dir, dir));   // the directory's entity runs here and has recovered
            LocalDirRegistry local = node.localDirs();

            DirReply first = inline(local, dir, mk, create);
            assertNotNull(first, "an early create of a local client is decided in its thread");
            Replies.Entry made = (Replies.Entry) first.valueOrThrow();
            assertEquals(fileIno, made.dentry().ino());
            assertEquals(fileIno, ns.lookup(dir, "f").ref().ino(), "readers see it at once");

            assertNull(inline(local, dir, mk, create), "a repeated request is the entity's business (its first answer)");
            assertEquals(made, send(node, dir, mk, create).valueOrThrow(), "the retry gets the first answer");

            FsException exists = assertThrows(FsException.class, () -> inline(local, dir,
                    new DirCommand.CreateInode("f", 900_002, FileType.REGULAR, 0644, 0, 0, null, true),
                    new RequestId("client-b", 1)).valueOrThrow());
            assertEquals(io.tierfs.common.Errno.EEXIST, exists.errno(), "a refusal of a create is answered inline");

            assertNull(inline(local, dir, new DirCommand.AdjustLink(fileIno, +1), new RequestId("client-c", 1)),
                    "a synchronous step is never decided inline");
            assertEquals(1, ns.getattr(new InodeRef(fileIno, dir)).nlink(), "and nothing of it was applied");
        }
        try (MetadataNode node = start()) {
            assertEquals(fileIno, node.namespace().lookup(dir, "f").ref().ino(), "a clean close wrote it");
            assertEquals(1, node.namespace().readdir(dir, null, 10).size());
            Replies.Entry again = (Replies.Entry) send(node, dir, mk, create).valueOrThrow();
            assertEquals(fileIno, again.dentry().ino(), "the recorded answer was journaled with the create");
        }
    }

    /**
     * Four threads mix inline decisions (create, rename, unlink, chmod) with asked ones (hard links: synchronous
     * steps) on one directory, with snapshots on the way; after a clean close the journal must replay to exactly
     * the names, inode numbers and attributes the clients last saw. A journal order that differed from the order
     * the live state applied events in (an unlink journaled before its create...) would fail the replay or the
     * comparison.
     */
    @Test
    void mixedInlineAndAskedDecisionsReplayToTheTreeTheClientsSaw() throws Exception {
        long dir;
        Map<String, String> seen;
        try (MetadataNode node = start()) {
            Namespace ns = node.namespace();
            dir = ns.mkdir(InodeRef.ROOT_INO, "mixed", 0755, Caller.ROOT).ref().ino();
            int threads = 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long seed = 42 + t;
                    int id = t;
                    workers.add(pool.submit(() -> {
                        work(ns, dir, id, new Random(seed));
                        return null;
                    }));
                }
                for (Future<?> w : workers) {
                    w.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            seen = tree(ns, dir);
        }
        try (MetadataNode node = start()) {
            assertEquals(seen, tree(node.namespace(), dir));
        }
    }

    private static void work(Namespace ns, long dir, int id, Random rnd) {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            int op = mine.isEmpty() ? 0 : rnd.nextInt(6);
            String name = "t" + id + "-" + i;
            switch (op) {
                case 0, 1 -> {
                    ns.create(dir, name, 0644, Caller.ROOT, true);
                    mine.add(name);
                }
                case 2 -> {
                    String from = mine.remove(rnd.nextInt(mine.size()));
                    ns.rename(dir, from, dir, name);
                    mine.add(name);
                }
                case 3 -> ns.unlink(dir, mine.remove(rnd.nextInt(mine.size())));
                case 4 -> ns.setattr(ns.lookup(dir, mine.get(rnd.nextInt(mine.size()))).ref(),
                        SetAttr.mode(0600 + rnd.nextInt(0100)), Caller.ROOT);
                default -> {
                    ns.link(ns.lookup(dir, mine.get(rnd.nextInt(mine.size()))).ref(), dir, name);
                    mine.add(name);
                }
            }
        }
    }

    /** name -> "ino mode nlink" of every entry of {@code dir}. */
    private static Map<String, String> tree(Namespace ns, long dir) {
        Map<String, String> out = new TreeMap<>();
        for (DirEntry e : ns.readdir(dir, null, 100_000)) {
            if (e.name().equals(".") || e.name().equals("..")) {
                continue;
            }
            Attr a = ns.getattr(ns.lookup(dir, e.name()).ref());
            out.put(e.name(), e.ino() + " " + Integer.toOctalString(a.mode()) + " " + a.nlink());
        }
        return out;
    }
}

package io.tierfs.meta.cluster;

import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.Errno;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.state.DirCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two independent clients (each its own coordinator and inode allocator) rename directories in opposite directions
 * at the same moment, round after round: {@code mv /a/p/x /b/q/y/x} and {@code mv /b/q/y /a/p/x/y}. Either order
 * alone is legal; both together would make x and y each other's ancestor. The cluster-wide rename lock makes one
 * of them see the other's result and fail with EINVAL. After every round the tree has no cycle: every directory
 * is reachable from the root exactly once and its parent pointer names the directory that holds its name.
 */
class OppositeRenamesTest {
    private static final Logger LOG = LoggerFactory.getLogger(OppositeRenamesTest.class);
    private static final int ROUNDS = 40;

    @TempDir
    Path stateDir;

    @Test
    void oppositeDirectoryRenamesNeverMakeACycle() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (MetadataNode node = MetadataNode.startEmbedded(stateDir, Clock.systemUTC())) {
            Namespace one = node.namespace();
            Namespace two = node.newClient();
            long a = one.mkdir(InodeRef.ROOT_INO, "a", 0755, Caller.ROOT).ref().ino();
            long p = one.mkdir(a, "p", 0755, Caller.ROOT).ref().ino();
            long x = one.mkdir(p, "x", 0755, Caller.ROOT).ref().ino();
            long b = two.mkdir(InodeRef.ROOT_INO, "b", 0755, Caller.ROOT).ref().ino();
            long q = two.mkdir(b, "q", 0755, Caller.ROOT).ref().ino();
            long y = two.mkdir(q, "y", 0755, Caller.ROOT).ref().ino();
            one.create(x, "fx", 0644, Caller.ROOT, true);
            two.create(y, "fy", 0644, Caller.ROOT, true);
            int xMoved = 0;
            int yMoved = 0;
            long t0 = System.nanoTime();
            for (int round = 0; round < ROUNDS; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<Errno> moveX = CompletableFuture.supplyAsync(() -> attempt(start,
                        () -> one.rename(p, "x", y, "x")), pool);
                CompletableFuture<Errno> moveY = CompletableFuture.supplyAsync(() -> attempt(start,
                        () -> two.rename(q, "y", x, "y")), pool);
                Errno ex = moveX.get(60, TimeUnit.SECONDS);
                Errno ey = moveY.get(60, TimeUnit.SECONDS);
                assertTrue((ex == null && ey == Errno.EINVAL) || (ex == Errno.EINVAL && ey == null),
                        "round " + round + ": exactly one rename must win, the other get EINVAL: x " + ex + ", y " + ey);
                Map<Long, Long> parents = assertNoCycle(node, one);
                for (long dir : new long[]{a, p, x, b, q, y}) {
                    assertTrue(parents.containsKey(dir), "round " + round + ": directory " + dir + " unreachable");
                }
                if (ex == null) {   // x is under y: put it back
                    xMoved++;
                    assertEquals(y, parents.get(x));
                    one.rename(y, "x", p, "x");
                } else {
                    yMoved++;
                    assertEquals(x, parents.get(y));
                    two.rename(x, "y", q, "y");
                }
            }
            Map<Long, Long> parents = assertNoCycle(node, one);
            assertEquals(p, parents.get(x));
            assertEquals(q, parents.get(y));
            LOG.info("{} rounds of opposite renames in {} ms: x moved under y {} times, y under x {} times",
                    ROUNDS, (System.nanoTime() - t0) / 1_000_000, xMoved, yMoved);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs a rename after both threads are ready; null when it succeeded, else its errno. */
    private static Errno attempt(CyclicBarrier start, Runnable rename) {
        try {
            start.await(30, TimeUnit.SECONDS);
            rename.run();
            return null;
        } catch (FsException e) {
            return e.errno();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Walks the tree from the root by names: no directory may be reached twice, and every directory's parent
     * pointer must be the directory that names it; every parent chain ends at the root. Returns dir -> parent.
     */
    static Map<Long, Long> assertNoCycle(MetadataNode node, Namespace ns) {
        Map<Long, Long> parentOf = new HashMap<>();
        Deque<Long> todo = new ArrayDeque<>();
        todo.push(InodeRef.ROOT_INO);
        while (!todo.isEmpty()) {
            long dir = todo.pop();
            for (DirEntry e : readdirAll(ns, dir)) {
                if (e.type() == FileType.DIRECTORY) {
                    assertNull(parentOf.put(e.ino(), dir), "directory " + e.ino() + " reached twice");
                    todo.push(e.ino());
                }
            }
        }
        for (Map.Entry<Long, Long> e : parentOf.entrySet()) {
            long pointer = (Long) node.clusterNamespace().gateway().ask(e.getKey(), new DirCommand.GetParent());
            assertEquals(e.getValue(), pointer, "parent pointer of " + e.getKey());
            long cur = e.getKey();
            for (int depth = 0; cur != InodeRef.ROOT_INO; depth++) {
                if (depth > parentOf.size()) {
                    fail("the parent chain of " + e.getKey() + " does not reach the root");
                }
                cur = parentOf.get(cur);
            }
        }
        return parentOf;
    }

    private static List<DirEntry> readdirAll(Namespace ns, long dir) {
        List<DirEntry> out = new ArrayList<>();
        String after = null;
        while (true) {
            List<DirEntry> page = ns.readdir(dir, after, 500);
            if (page.isEmpty()) {
                return out;
            }
            out.addAll(page);
            after = page.get(page.size() - 1).name();
        }
    }
}

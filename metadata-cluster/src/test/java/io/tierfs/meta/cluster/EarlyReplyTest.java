package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Early replies and the sync barrier against the real journal: directories linger early-only batches for a minute
 * here, so an early-acknowledged create is visibly not in the journal until sync (or a clean close) writes it.
 */
class EarlyReplyTest {
    private static final String H2_OPTIONS = ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;MAX_LENGTH_INPLACE_LOB=4096";

    @TempDir
    Path stateDir;

    private MetadataNode start(String extra) {
        return MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT, ConfigFactory.parseString(
                "tierfs.meta.early-linger = 60s\ntierfs.meta.h2-options = \"" + H2_OPTIONS + "\"\n" + extra));
    }

    @Test
    void earlyCreatesAreDurableExactlyAfterSync() throws Exception {
        try (MetadataNode node = start("")) {
            Namespace ns = node.namespace();
            long dir = ns.mkdir(InodeRef.ROOT_INO, "d", 0755, Caller.ROOT).ref().ino();
            ns.sync(dir);
            long before = events(node, dir);
            long rowsBefore = JournalEvents.rows(stateDir, H2_OPTIONS, dir);
            for (int i = 0; i < 100; i++) {
                ns.create(dir, "f" + i, 0644, Caller.ROOT, true);
            }
            assertEquals(100, ns.readdir(dir, null, 1000).size(), "the front answers from its live state");
            assertEquals(before, events(node, dir), "acknowledged early, not yet written (lingering)");
            ns.sync(dir);
            assertEquals(before + 200, events(node, dir), "sync returns once every acknowledged create is in the journal");
            assertEquals(rowsBefore + 1, JournalEvents.rows(stateDir, H2_OPTIONS, dir),
                    "the lingering group commit went to the journal as one row");
            ns.sync(dir);   // nothing pending: answered at once
            assertEquals(before + 200, events(node, dir));
        }
    }

    @Test
    void synchronousStepIsDurableWithEverythingBeforeIt() throws Exception {
        try (MetadataNode node = start("")) {
            Namespace ns = node.namespace();
            long dir = ns.mkdir(InodeRef.ROOT_INO, "d", 0755, Caller.ROOT).ref().ino();
            ns.sync(dir);
            long before = events(node, dir);
            var f = ns.create(dir, "f", 0644, Caller.ROOT, true);
            ns.create(dir, "g", 0644, Caller.ROOT, true);
            assertEquals(before, events(node, dir));
            ns.link(f.ref(), InodeRef.ROOT_INO, "hard");   // home nlink+1 is a synchronous step
            assertEquals(before + 5, events(node, dir), "the synchronous step waited for the earlier early creates too");
        }
    }

    @Test
    void readsAndEarlyRepliesDoNotQueueBehindAWrite() throws Exception {
        try (MetadataNode node = start("tierfs.meta.max-batch = 1000000\ntierfs.meta.max-early = 1000000")) {
            Namespace ns = node.namespace();
            long dir = ns.mkdir(InodeRef.ROOT_INO, "d", 0755, Caller.ROOT).ref().ino();
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                ns.create(dir, "f" + i, 0644, Caller.ROOT, true);
            }
            long t0 = System.nanoTime();
            CompletableFuture<Void> barrier = CompletableFuture.runAsync(() -> ns.sync(dir));   // one write of 40k events
            int reads = 0;
            int creates = 0;
            while (!barrier.isDone()) {
                ns.lookup(dir, "f" + (reads % n));
                ns.getattr(new InodeRef(dir, dir));
                reads++;
                if (reads % 10 == 0) {
                    ns.create(dir, "during" + creates++, 0644, Caller.ROOT, true);
                }
            }
            barrier.get(60, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            org.slf4j.LoggerFactory.getLogger(EarlyReplyTest.class).info(
                    "while one write of {} events took {} ms: {} lookups+getattrs and {} early creates answered",
                    2 * n, ms, reads, creates);
            assertTrue(reads >= 100, "reads queued behind the write: only " + reads + " in " + ms + " ms");
            assertTrue(creates >= 10, "early creates queued behind the write: " + creates);
            // A barrier covers at least everything acknowledged before it was called; creates issued while it
            // travelled to the directory (runAsync may start late) may be covered too, but nothing else exists.
            long durable = events(node, dir);
            assertTrue(durable >= 2L * n + 1 && durable <= 2L * n + 1 + 2L * creates,
                    "the barrier covered the init and every create before it: " + durable + " events durable, "
                            + (2L * n + 1) + " before the barrier, " + creates + " creates during it");
        }
    }

    @Test
    void cleanCloseLosesNoEarlyAcknowledgedOperation() {
        long dir;
        try (MetadataNode node = start("")) {
            Namespace ns = node.namespace();
            dir = ns.mkdir(InodeRef.ROOT_INO, "d", 0755, Caller.ROOT).ref().ino();
            for (int i = 0; i < 300; i++) {
                ns.create(dir, "f" + i, 0644, Caller.ROOT, true);
            }
            ns.unlink(dir, "f7");
            ns.rename(dir, "f8", dir, "g8");
        }
        try (MetadataNode node = start("")) {
            Namespace ns = node.namespace();
            assertEquals(dir, ns.lookup(InodeRef.ROOT_INO, "d").ref().ino());
            assertEquals(299, ns.readdir(dir, null, 1000).size());
            ns.lookup(dir, "f299");
            ns.lookup(dir, "g8");
            assertFalse(ns.readdir(dir, null, 1000).stream().anyMatch(e -> e.name().equals("f7")));
        }
    }

    /** Events of directory {@code dir} in the journal (a batch row counts as its events). */
    private long events(MetadataNode node, long dir) throws SQLException {
        return JournalEvents.events(node, stateDir, H2_OPTIONS, dir);
    }
}

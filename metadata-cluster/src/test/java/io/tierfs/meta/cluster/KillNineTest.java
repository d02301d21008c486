package io.tierfs.meta.cluster;

import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.time.ManualClock;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durability contract under kill -9 of the JVM: a child JVM creates files with early replies and syncs the
 * directory every {@value #EVERY} creates, printing "SYNCED n" after each sync returned; it is killed right after
 * such a line (destroyForcibly = SIGKILL). A node restarted on the same state dir must have every file up to the
 * last SYNCED line, the files present must be a prefix f0..f(m-1) (the journal keeps the order), every hard link
 * the child acknowledged (synchronous steps) must be there, and every name must resolve (no dentry to a missing
 * inode, nlink never below the names found).
 * <p>
 * The child lingers early-only batches for 300 ms, so unsynced creates are certainly not durable when the kill
 * comes: the test fails if sync did not really flush (checked by running it with a no-op sync).
 */
class KillNineTest {
    private static final int EVERY = 50;

    @TempDir
    Path stateDir;

    @Test
    void syncedCreatesSurviveKill9() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4", "-Xmx512m",
                "-Dtierfs.meta.early-linger=300ms",
                CreateUntilKilled.class.getName(), stateDir.toString(), Integer.toString(EVERY));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        long dir = -1;
        long other = -1;
        int synced = 0;
        int linked = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    String[] f = line.split(" ");
                    dir = Long.parseLong(f[1]);
                    other = Long.parseLong(f[2]);
                } else if (line.startsWith("LINKED ")) {
                    linked = Integer.parseInt(line.substring(7));
                } else if (line.startsWith("SYNCED ")) {
                    synced = Integer.parseInt(line.substring(7));
                    if (synced >= 1000) {
                        p.destroyForcibly();   // SIGKILL right after a sync, while early creates are in flight
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child JVM died");
        }
        long t1 = System.nanoTime();
        assertTrue(synced >= 1000, "child synced only " + synced + " creates before the deadline");
        try (MetadataNode node = MetadataNode.start(stateDir, new ManualClock(Instant.now()), Caller.ROOT,
                com.typesafe.config.ConfigFactory.empty())) {
            long t2 = System.nanoTime();
            Namespace ns = node.namespace();
            assertEquals(dir, ns.lookup(InodeRef.ROOT_INO, "d").ref().ino());
            Set<String> names = new HashSet<>();
            for (DirEntry e : all(ns, dir)) {
                names.add(e.name());
                ns.lookup(dir, e.name());   // ENOENT here would be a name pointing at a missing inode
            }
            int present = 0;
            while (names.contains("f" + present)) {
                present++;
            }
            assertTrue(present >= synced, "synced creates lost: " + present + " present, " + synced + " synced");
            for (String n : names) {
                if (n.startsWith("f")) {
                    assertTrue(Integer.parseInt(n.substring(1)) < present, "not a prefix: " + n + " but f" + present + " missing");
                }
            }
            for (int i = 0; i <= linked; i++) {
                Node h = ns.lookup(InodeRef.ROOT_INO, "hard" + i);   // a synchronous step: never lost
                assertEquals(2, h.attr().nlink(), "hard" + i);
                assertEquals(h.ref().ino(), ns.lookup(other, "l" + i).ref().ino());
            }
            try {   // a link the child made but could not report yet: its home must count it
                Node h = ns.lookup(InodeRef.ROOT_INO, "hard" + (linked + 1));
                assertEquals(2, h.attr().nlink());
            } catch (FsException e) {
                assertEquals(Errno.ENOENT, e.errno());
            }
            org.slf4j.LoggerFactory.getLogger(KillNineTest.class).info(
                    "{} synced creates all present ({} present, {} links); child ran {} ms, restart {} ms, checks {} ms",
                    synced, present, linked + 1, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                    (System.nanoTime() - t2) / 1_000_000);
        }
    }

    private static List<DirEntry> all(Namespace ns, long dir) {
        List<DirEntry> out = new ArrayList<>();
        String after = null;
        while (true) {
            List<DirEntry> page = ns.readdir(dir, after, 1000);
            if (page.isEmpty()) {
                return out;
            }
            out.addAll(page);
            after = page.get(page.size() - 1).name();
        }
    }
}

package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.SetAttr;
import io.tierfs.meta.Await;
import io.tierfs.common.time.ManualClock;
import io.tierfs.meta.TreeDump;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;
import io.tierfs.common.FileType;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.RenameIntent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tree survives close and restart from the same state directory, with and without snapshots. */
class ClusterPersistenceTest {
    private static final Caller ALICE = new Caller(1000, 100);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-02-01T00:00:00Z"));

    @TempDir
    Path stateDir;

    private MetadataNode start() {
        return MetadataNode.start(stateDir, clock, new Caller(7, 8),
                ConfigFactory.parseString("tierfs.meta.snapshot-every = 5"));
    }

    @Test
    void restartKeepsTreeAttrsAndSnapshots() throws Exception {
        String before;
        try (MetadataNode node = start()) {
            Namespace ns = node.namespace();
            assertEquals(7, ns.getattr(InodeRef.ROOT).uid());
            long a = ns.mkdir(InodeRef.ROOT_INO, "a", 0750, ALICE).ref().ino();
            long b = ns.mkdir(a, "b", 0700, ALICE).ref().ino();
            Node f = ns.create(a, "f", 0644, ALICE, true);
            ns.setxattr(f.ref(), "user.tier", "ssd".getBytes(StandardCharsets.UTF_8), 0);
            ns.setattr(f.ref(), SetAttr.mode(0600), ALICE);
            ns.updateSize(f.ref(), 12345, clock.nowNs(), false);
            ns.link(f.ref(), b, "hard");
            ns.symlink(b, "s", "../f", ALICE);
            ns.create(InodeRef.ROOT_INO, "moved", 0644, ALICE, true);
            ns.rename(InodeRef.ROOT_INO, "moved", b, "moved-here");
            ns.mkdir(InodeRef.ROOT_INO, "c", 0755, ALICE);
            ns.rename(InodeRef.ROOT_INO, "c", b, "c2");
            ns.setxattr(new InodeRef(a, a), "user.dir", new byte[]{1, 2}, 0);
            for (int i = 0; i < 230; i++) {  // several snapshots of 'big' (every 5 journal writes)
                long big = i == 0 ? ns.mkdir(InodeRef.ROOT_INO, "big", 0755, ALICE).ref().ino()
                        : ns.lookup(InodeRef.ROOT_INO, "big").ref().ino();
                ns.create(big, "n" + i, 0644, ALICE, true);
                if (i % 3 == 0) {
                    ns.unlink(big, "n" + i);
                }
            }
            clock.advance(Duration.ofSeconds(3));
            before = TreeDump.dump(ns);
        }
        assertTrue(countRows("snapshot") > 0, "snapshots were written");
        try (MetadataNode node = start()) {
            assertEquals(before, TreeDump.dump(node.namespace()));
            Node n = node.namespace().create(InodeRef.ROOT_INO, "after-restart", 0644, ALICE, true);
            assertTrue(n.ref().ino() > 1024, "inode numbers keep coming from the persisted allocator");
            before = TreeDump.dump(node.namespace());
        }
        try (MetadataNode node = start()) {
            assertEquals(before, TreeDump.dump(node.namespace()));
        }
    }

    @Test
    void pendingDirectoryRenameIsRolledForwardOnRecovery() {
        long src;
        long dst;
        long child;
        try (MetadataNode node = start()) {
            Namespace ns = node.namespace();
            src = ns.mkdir(InodeRef.ROOT_INO, "src", 0755, ALICE).ref().ino();
            dst = ns.mkdir(InodeRef.ROOT_INO, "dst", 0755, ALICE).ref().ino();
            child = ns.mkdir(src, "child", 0755, ALICE).ref().ino();
            ns.create(child, "inside", 0644, ALICE, true);
            // crash right after the intent was persisted: only step 1 of the rename happened
            node.clusterNamespace().gateway().ask(src, new DirCommand.BeginDirRename(RenameIntent.of(99, "child",
                    new Dentry(child, FileType.DIRECTORY, child), dst, "renamed", null)));
        }
        try (MetadataNode node = start()) {
            Namespace ns = node.namespace();
            ns.getattr(new InodeRef(src, src)); // wakes the source entity: recovery re-drives its intent
            Await.until(Duration.ofSeconds(20), "re-driven rename", () ->
                    ((java.util.List<?>) node.clusterNamespace().gateway().ask(src, new DirCommand.PendingIntents()))
                            .isEmpty());
            assertThrows(FsException.class, () -> ns.lookup(src, "child"));
            assertEquals(child, ns.lookup(dst, "renamed").ref().ino());
            assertEquals(1, ns.lookup(child, "inside").attr().nlink());
            assertEquals(3, ns.getattr(new InodeRef(dst, dst)).nlink());
            assertEquals(2, ns.getattr(new InodeRef(src, src)).nlink());
            assertEquals(dst, node.clusterNamespace().gateway().ask(child, new DirCommand.GetParent()));
            assertThrows(FsException.class, () -> ns.rename(InodeRef.ROOT_INO, "dst", child, "loop"));
        }
    }

    private long countRows(String table) throws SQLException {
        String url = "jdbc:h2:file:" + stateDir.resolve("meta/journal").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("select count(*) from \"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

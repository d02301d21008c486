package io.tierfs.meta.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.Await;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.state.DirCommand;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cross-directory rename whose coordinator is stalled by a failover longer than its hand-over time (half the
 * intent timeout) gets the rename's real outcome, not ETIMEDOUT (the flake of the node module's
 * ClusterFailoverTest: a 5 s hand-over against a 10-15 s failover).
 * <p>
 * Two metadata nodes (two ActorSystems in this JVM, one H2 journal file). The renamed file's name is in directory
 * S and the target directory T, both on node A; the file itself is homed in directory H on node B (it was created
 * there and hard-linked into S). Node B stops abruptly, and right after that a client on A renames the link from S
 * to T: the begin and the put are answered by A at once, but the moved file's ctime step goes to H and waits for
 * the split brain resolver to down B and for H to restart on A, far longer than the hand-over time (intent
 * timeout 1 s here). The coordinator hands the rest over to S's re-drive and asks S for the outcome by the
 * rename's txid until its deadline: the rename returns normally, and the tree is the renamed one.
 */
class HandedOverRenameTest {
    private static final Logger LOG = LoggerFactory.getLogger(HandedOverRenameTest.class);
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Duration INTENT_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path stateDir;

    private MetadataNode start(int port, int seedPort, String extra) {
        Config overlay = ConfigFactory.parseString("""
                pekko.remote.artery.canonical.port = %d
                pekko.cluster.seed-nodes = ["pekko://tierfs@127.0.0.1:%d"]
                pekko.cluster.failure-detector.acceptable-heartbeat-pause = 3s
                pekko.cluster.split-brain-resolver.stable-after = 2s
                pekko.cluster.split-brain-resolver.active-strategy = keep-oldest
                pekko.cluster.split-brain-resolver.keep-oldest.down-if-alone = off
                tierfs.meta.ask-timeout = 40s
                tierfs.meta.attempt-timeout = 1s
                tierfs.meta.intent-timeout = %dms
                %s
                """.formatted(port, seedPort, INTENT_TIMEOUT.toMillis(), extra));
        return MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT, overlay);
    }

    @Test
    void renameStalledPastItsHandOverByAFailoverReportsItsOutcome() throws Exception {
        int portA = freePort();
        int portB = freePort();
        MetadataNode a = start(portA, portA, "");
        MetadataNode b = null;
        try {
            b = start(portB, portA, "pekko.coordinated-shutdown.run-by-actor-system-terminate = off");
            Cluster cluster = Cluster.get(a.system());
            Await.until(WAIT, "two members up", () -> StreamSupport.stream(
                    cluster.state().getMembers().spliterator(), false)
                    .filter(m -> m.status() == MemberStatus.up()).count() == 2);
            Namespace ns = a.namespace();
            long src = dirOn(a, b, ns, "s", true);
            long dst = dirOn(a, b, ns, "t", true);
            long home = dirOn(a, b, ns, "h", false);
            long file = ns.create(home, "f", 0644, Caller.ROOT, true).ref().ino();
            ns.link(new InodeRef(file, home), src, "link");
            assertEquals(2, ns.lookup(home, "f").attr().nlink());

            b.system().terminate();   // no leave, no hand-off: H stops where it is, messages to B are lost
            b.system().getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            ns.rename(src, "link", dst, "moved");   // before the fix: ETIMEDOUT after the 500 ms hand-over
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertTrue(ms > INTENT_TIMEOUT.toMillis() / 2, "the rename did not outlast its hand-over time (" + ms
                    + " ms): the failover was not exercised");
            assertEquals(file, ns.lookup(dst, "moved").ref().ino());
            FsException gone = assertThrows(FsException.class, () -> ns.lookup(src, "link"));
            assertEquals(Errno.ENOENT, gone.errno());
            assertTrue(((java.util.List<?>) a.clusterNamespace().gateway().ask(src,
                    new DirCommand.PendingIntents())).isEmpty(), "the intent is closed");
            assertEquals(2, ns.getattr(new InodeRef(file, home)).nlink(), "a rename keeps the link count");
            assertTrue(a.localDirs().peek(home) != null, "H now runs on node A");
            LOG.info("a rename stalled by the loss of node B answered after {} ms (hand-over time {} ms)", ms,
                    INTENT_TIMEOUT.toMillis() / 2);
        } finally {
            stop(a, b);
        }
    }

    /** A new directory whose entity runs on {@code on} (node A when {@code onA}, else B). */
    private static long dirOn(MetadataNode a, MetadataNode b, Namespace ns, String prefix, boolean onA) {
        for (int i = 0; i < 60; i++) {
            long d = ns.mkdir(InodeRef.ROOT_INO, prefix + i, 0755, Caller.ROOT).ref().ino();
            boolean hereA = a.localDirs().peek(d) != null && b.localDirs().peek(d) == null;
            boolean hereB = b.localDirs().peek(d) != null && a.localDirs().peek(d) == null;
            if (onA ? hereA : hereB) {
                return d;
            }
        }
        throw new AssertionError("no directory entity was placed on node " + (onA ? "A" : "B"));
    }

    private static void stop(MetadataNode a, MetadataNode b) throws Exception {
        if (b != null) {
            b.system().terminate();
            b.system().getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        a.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

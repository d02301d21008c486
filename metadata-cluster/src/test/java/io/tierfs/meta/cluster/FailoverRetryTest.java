package io.tierfs.meta.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.Await;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.client.ShardingGateway;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client retries through the loss of the node that hosts a directory: two metadata nodes (two ActorSystems in
 * this JVM) form one cluster over the same H2 journal file; a client on node A creates files one after the other
 * in a directory whose entity runs on node B, and node B's ActorSystem is terminated without leaving the cluster
 * (no coordinated shutdown: no hand-off, its entities just stop, messages in flight are lost). A's failure
 * detector and split brain resolver (shortened here) down B, the directory restarts on A from the journal, and
 * every create of the client succeeds after retries: none lost, none applied twice, no EEXIST.
 * <p>
 * Not a kill -9: B's JVM survives, and a journal write B had already sent may still complete. That is the case
 * deduplication exists for (the write holds the answer, the reply is lost), but whether it happens in a run is
 * down to timing; ExactlyOnceTest covers it deterministically.
 */
class FailoverRetryTest {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverRetryTest.class);
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path stateDir;

    private MetadataNode start(int port, int seedPort, String extra) {
        Config overlay = ConfigFactory.parseString("""
                pekko.remote.artery.canonical.port = %d
                pekko.cluster.seed-nodes = ["pekko://tierfs@127.0.0.1:%d"]
                pekko.cluster.failure-detector.acceptable-heartbeat-pause = 3s
                pekko.cluster.split-brain-resolver.stable-after = 2s
                # the oldest (A, the first seed) survives alone and downs B (keep-majority would keep the lower address)
                pekko.cluster.split-brain-resolver.active-strategy = keep-oldest
                pekko.cluster.split-brain-resolver.keep-oldest.down-if-alone = off
                tierfs.meta.ask-timeout = 40s
                tierfs.meta.attempt-timeout = 1s
                %s
                """.formatted(port, seedPort, extra));
        return MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT, overlay);
    }

    @Test
    void creationsSurviveTheAbruptLossOfTheHostingNode() throws Exception {
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
            long dir = -1;
            for (int i = 0; i < 40 && dir < 0; i++) {
                long d = ns.mkdir(InodeRef.ROOT_INO, "d" + i, 0755, Caller.ROOT).ref().ino();
                if (b.localDirs().peek(d) != null && a.localDirs().peek(d) == null) {
                    dir = d;
                }
            }
            assertTrue(dir > 0, "no directory entity was placed on node B");
            long hosted = dir;

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger created = new AtomicInteger();
            AtomicLong slowestMs = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread client = new Thread(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        long t0 = System.nanoTime();
                        ns.create(hosted, "f" + i, 0644, Caller.ROOT, true);
                        slowestMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                        created.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "creating-client");
            client.start();
            try {
                Await.until(WAIT, "creates through node B", () -> created.get() >= 200 || failure.get() != null);
                assertNull(failure.get());
                long retriesBefore = gateway(a).retries();
                int atLoss = created.get();
                long t0 = System.nanoTime();
                b.system().terminate();   // no leave, no hand-off: the entities on B stop where they are
                b.system().getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                Await.until(WAIT, "creates after the loss of node B",
                        () -> created.get() >= atLoss + 200 || failure.get() != null);
                long failoverMs = (System.nanoTime() - t0) / 1_000_000;
                stop.set(true);
                client.join(WAIT.toMillis());
                assertNull(failure.get(), () -> "a create failed: " + failure.get());
                long retries = gateway(a).retries() - retriesBefore;
                assertTrue(retries > 0, "the client never had to retry: the loss was not exercised");
                assertTrue(a.localDirs().peek(hosted) != null, "the directory now runs on node A");

                int n = created.get();
                Set<String> names = new HashSet<>();
                for (DirEntry e : all(ns, hosted)) {
                    assertTrue(names.add(e.name()), "duplicate name " + e.name());
                }
                Set<String> expected = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    expected.add("f" + i);
                }
                assertEquals(expected, names, "every acknowledged create is there, nothing else");
                LOG.info("{} creates ({} before the loss of node B); {} more within {} ms after it; {} retries; "
                        + "slowest create {} ms", n, atLoss, 200, failoverMs, retries, slowestMs.get());
            } finally {
                stop.set(true);
                client.join(WAIT.toMillis());
            }
        } finally {
            if (b != null) {
                b.system().terminate();
                b.system().getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            a.close();
        }
    }

    private static ShardingGateway gateway(MetadataNode node) {
        return (ShardingGateway) node.clusterNamespace().gateway();
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package io.tierfs.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.tierfs.common.Caller;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.cluster.MetadataNode;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N metadata nodes (N ActorSystems) in this JVM on 127.0.0.1 forming ONE Pekko cluster, the first being the seed of
 * the others, all on ONE journal: the same state directory, hence the same H2 file URL (in one JVM the same URL is
 * one database), or whatever journal the overlay configures (e.g. a PostgreSQL JDBC URL), since every node gets
 * the same overlay. {@link #start} returns once every node sees N members Up. Nodes are stopped one after another,
 * last started first (STACK.md pitfall 4: all at once hits the exiting timeout).
 */
final class MetaCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetaCluster.class);

    private final List<MetadataNode> nodes;

    private MetaCluster(List<MetadataNode> nodes) {
        this.nodes = nodes;
    }

    /**
     * @param stateDir the shared state directory (journal under {@code stateDir/meta} unless the overlay points
     *                 the journal elsewhere)
     * @param overlay  settings for every node (tierfs.meta.*, pekko.*); the seed nodes are set here
     * @param timeout  how long the cluster may take to have every member Up
     */
    static MetaCluster start(int count, Path stateDir, Config overlay, Duration timeout) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one node, got " + count);
        }
        List<MetadataNode> started = new ArrayList<>();
        try {
            MetadataNode seed = MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT, overlay);
            started.add(seed);
            Address seedAddress = Cluster.get(seed.system()).selfMember().address();
            Config joining = ConfigFactory.empty()
                    .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of(seedAddress.toString())))
                    .withFallback(overlay);
            for (int i = 1; i < count; i++) {
                started.add(MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT, joining));
            }
            MetaCluster cluster = new MetaCluster(started);
            cluster.awaitUp(timeout);
            LOG.info("bench metadata: {} node(s) Up, seed {}", count, seedAddress);
            return cluster;
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /** Waits until every node has seen all the nodes' members Up (from cluster events, no polling). */
    private void awaitUp(Duration timeout) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (MetadataNode n : nodes) {
            all.add(upCount(n.system(), nodes.size()));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not have " + nodes.size() + " members Up within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("waiting for the cluster failed", e.getCause());
        }
    }

    /** Completes once {@code system} has seen {@code n} members Up (the subscription replays the current state). */
    private static CompletableFuture<Void> upCount(ActorSystem<?> system, int n) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Behavior<ClusterEvent.MemberEvent> watcher = Behaviors.setup(ctx -> {
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(), ClusterEvent.MemberEvent.class));
            Set<Address> up = new HashSet<>();
            return Behaviors.receive(ClusterEvent.MemberEvent.class).onAnyMessage(e -> {
                if (e instanceof ClusterEvent.MemberUp) {
                    up.add(e.member().address());
                } else if (!(e instanceof ClusterEvent.MemberJoined || e instanceof ClusterEvent.MemberWeaklyUp)) {
                    up.remove(e.member().address());
                }
                if (up.size() >= n) {
                    done.complete(null);
                    return Behaviors.stopped();
                }
                return Behaviors.same();
            }).build();
        });
        system.systemActorOf(watcher, "bench-await-" + n + "-up-" + System.nanoTime(), Props.empty());
        return done;
    }

    /** One namespace (client) per node, in start order. */
    List<Namespace> namespaces() {
        return nodes.stream().map(MetadataNode::namespace).toList();
    }

    int size() {
        return nodes.size();
    }

    @Override
    public void close() {
        closeAll(nodes);
    }

    private static void closeAll(List<MetadataNode> nodes) {
        RuntimeException first = null;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                LOG.error("bench metadata: closing node {} failed: {}", i, e.getMessage(), e);
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

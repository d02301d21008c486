package io.tierfs.meta.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.immutable.IndexedSeq;
import scala.jdk.javaapi.CollectionConverters;
import scala.concurrent.Future;

/**
 * Cluster Sharding's allocation strategy for directory shards: the {@link ShardPlacement} rules on the
 * coordinator's view (ShardRegion actors and their shards). A shard stopped by a rebalance is handed to the member
 * the rebalance chose when it is asked for next, whoever asks (else the asker's own node would take it straight
 * back). Runs inside the shard coordinator actor; synchronized all the same, it is cheap.
 */
public final class LocalFirstAllocation extends ShardCoordinator.AbstractShardAllocationStrategy {
    private static final Logger log = LoggerFactory.getLogger(LocalFirstAllocation.class);
    /** Ties between equally loaded members: by address, so every coordinator decides alike. */
    private static final Comparator<ActorRef> ORDER = Comparator.comparing(r -> r.path().toString());

    private final ShardPlacement rules;
    /** Shards a rebalance stopped, and where they go when next asked for. */
    private final Map<String, ActorRef> moving = new HashMap<>();

    public LocalFirstAllocation(ShardPlacement rules) {
        this.rules = rules;
    }

    @Override
    public synchronized Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                                       Map<ActorRef, IndexedSeq<String>> current) {
        ActorRef target = moving.remove(shardId);
        if (target == null || !current.containsKey(target)) {
            Map<ActorRef, Integer> counts = new HashMap<>();
            current.forEach((region, shards) -> counts.put(region, shards.size()));
            target = rules.allocate(requester, counts, ORDER);
        }
        return Futures.successful(target);
    }

    @Override
    public synchronized Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current,
                                                      Set<String> inProgress) {
        if (!inProgress.isEmpty()) {
            return Futures.successful(Set.of()); // one round at a time: counts are exact once it is done
        }
        moving.values().removeIf(target -> !current.containsKey(target)); // that member is gone
        Map<ActorRef, List<String>> shards = new HashMap<>();
        current.forEach((region, ids) -> shards.put(region, new ArrayList<>(CollectionConverters.asJava(ids))));
        // shards stopped by an earlier round and not asked for since count where they are bound to go
        Set<String> placed = new java.util.HashSet<>();
        shards.values().forEach(placed::addAll);
        moving.forEach((shard, target) -> {
            if (!placed.contains(shard)) {
                shards.get(target).add(0, shard);
            }
        });
        ShardPlacement.Moves<ActorRef> moves = rules.rebalance(shards, ORDER);
        if (!moves.shards().isEmpty()) {
            log.info("rebalancing {} directory shards to {} (spread of shards per member above {})",
                    moves.shards().size(), moves.target().path().address(),
                    rules.tolerance(shards.values().stream().mapToInt(List::size).sum(), shards.size()));
            for (String s : moves.shards()) {
                moving.put(s, moves.target());
            }
        }
        return Futures.successful(moves.shards());
    }
}

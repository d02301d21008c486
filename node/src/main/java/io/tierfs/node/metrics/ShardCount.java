package io.tierfs.node.metrics;

import io.tierfs.common.concurrent.Stages;
import io.tierfs.meta.client.ShardingGateway;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many directory shards this node hosts, asked of Cluster Sharding in the background (never on the metrics
 * thread); -1 until the first answer.
 */
final class ShardCount {
    private final ActorSystem<?> system;
    private final AtomicLong hosted = new AtomicLong(-1);

    ShardCount(ActorSystem<?> system) {
        this.system = system;
    }

    void refresh() {
        if (system == null) {
            return;
        }
        Stages.onComplete(AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                        ShardRegion.CurrentShardRegionState>ask(ClusterSharding.get(system).shardState(),
                        reply -> new GetShardRegionState(ShardingGateway.DIR_KEY, reply),
                        Duration.ofSeconds(2), system.scheduler()), (state, error) -> {
                    if (state != null) {
                        hosted.set(state.getShards().size());
                    }
                });
    }

    long hosted() {
        return hosted.get();
    }
}

package io.tierfs.node.cluster;

import io.tierfs.meta.client.ShardingGateway;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import io.tierfs.borrow.cluster.LenderView;
import io.tierfs.borrow.cluster.Lenders;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster as `tierfs nodes` shows it: every member with its roles, its status (up, leaving, down,
 * unreachable...), how many directory shards and entities it hosts and, for a lender, its memory (offered, lent,
 * used, dirty, recalls in progress), from this node's view of the membership and
 * sharding's cluster-wide statistics.
 */
public final class ClusterMembers {
    /** One member; shards/entities are -1 when the member did not answer the statistics query in time. */
    public record MemberInfo(String address, List<String> roles, String status, boolean reachable, boolean self,
                             boolean leader, int shards, long entities, LenderView memory) {
    }

    private ClusterMembers() {
    }

    public static List<MemberInfo> of(ActorSystem<?> system, Duration timeout) {
        Map<String, LenderView> memory = Map.of();
        try {
            memory = Lenders.views(system, timeout);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ClusterMembers.class).info("lender views unavailable: {}", e.toString());
        }
        Cluster cluster = Cluster.get(system);
        var state = cluster.state();
        Set<Member> unreachable = new HashSet<>();
        state.getUnreachable().forEach(unreachable::add);
        Map<Address, ShardRegion.ShardRegionStats> stats = Map.of();
        try {
            ShardRegion.ClusterShardingStats s = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                            ShardRegion.ClusterShardingStats>ask(ClusterSharding.get(system).shardState(),
                            reply -> new GetClusterShardingStats(ShardingGateway.DIR_KEY, timeout, reply), timeout.plusSeconds(1),
                            system.scheduler())
                    .toCompletableFuture().get();
            stats = s.getRegions();
        } catch (Exception e) {
            // members are still listed, without shard counts
            org.slf4j.LoggerFactory.getLogger(ClusterMembers.class).info("sharding statistics unavailable: {}", e.toString());
        }
        Address leader = state.getLeader();
        List<MemberInfo> out = new ArrayList<>();
        for (Member m : state.getMembers()) {
            ShardRegion.ShardRegionStats rs = stats.get(m.address());
            int shards = rs == null ? (m.hasRole("metadata") ? -1 : 0) : rs.getStats().size();
            long entities = rs == null ? shards : rs.getStats().values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
            out.add(new MemberInfo(m.address().toString(), List.copyOf(new TreeSet<>(m.getRoles()).stream()
                    .filter(r -> !r.startsWith("dc-")).toList()), m.status().toString().toLowerCase(java.util.Locale.ROOT),
                    !unreachable.contains(m), m.address().equals(cluster.selfMember().address()),
                    m.address().equals(leader), shards, entities, memory.get(Lenders.memberId(m.address()))));
        }
        return out;
    }
}

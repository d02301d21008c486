package io.tierfs.node.gateway;

import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.TierUsage;

import java.util.List;

/** The figures `tierfs status` shows: identity of the node, its tiers (fastest first) and the mover's queue. */
public record NodeStatus(String version, String node, String stateDir, String mountPoint, long inodes,
                         List<TierUsage> tiers, MoverStatus mover) {
}

package io.tierfs.meta.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where directory shards live, as pure rules (no actors, so they are tested fast): a shard goes to the member whose
 * client first asked for it, which for a new directory is the member of the client that made it (mkdir initializes
 * the child entity before anything else reaches it). A job's processes on a node then work in directories hosted
 * by their own node and pay no remote round trip per operation (a remote ask costs 10-20x a local one; CephFS pins
 * subtrees for the same reason). Locality yields to balance only when members drift apart by more than the slack:
 * {@code max(slack, relativeSlack x mean shards per member)}; then a new shard goes to the least loaded member, and a
 * rebalance round moves a few shards from the most to the least loaded one (a member that just joined, or one left
 * behind), until the spread is back within half the slack, so that locality is not traded away for exact balance.
 *
 * @param slack         shards a member may hold above the least loaded one regardless of the cluster's size
 * @param relativeSlack the same as a fraction of the mean shards per member (for large namespaces)
 * @param maxMoves      shards moved in one rebalance round (each move stops a shard: its entities restart elsewhere)
 */
public record ShardPlacement(int slack, double relativeSlack, int maxMoves) {

    public ShardPlacement {
        if (slack < 1 || relativeSlack < 0 || maxMoves < 1) {
            throw new IllegalArgumentException("shard placement needs slack >= 1, relative-slack >= 0, max-moves >= 1;"
                    + " got " + slack + ", " + relativeSlack + ", " + maxMoves);
        }
    }

    /** What one rebalance round decided: the shards to move and the member they should land on. */
    public record Moves<R>(Set<String> shards, R target) {
    }

    /** The spread of shard counts (most minus least) tolerated with {@code total} shards on {@code members}. */
    public int tolerance(int total, int members) {
        return Math.max(slack, (int) Math.ceil(relativeSlack * total / Math.max(1, members)));
    }

    /**
     * The member for a new shard asked for by {@code requester} (null or not a member: a proxy, e.g. a node without
     * the metadata role). {@code order} breaks ties between equally loaded members.
     */
    public <R> R allocate(R requester, Map<R, Integer> counts, Comparator<R> order) {
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("no member to allocate a shard to");
        }
        R least = least(counts, order);
        Integer mine = requester == null ? null : counts.get(requester);
        if (mine == null) {
            return least;
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum() + 1;
        return mine + 1 - counts.get(least) <= tolerance(total, counts.size()) ? requester : least;
    }

    /**
     * The shards to move now, from the most to the least loaded member: none while the spread is within the
     * tolerance; otherwise up to {@code maxMoves}, never more than brings the spread down to half the tolerance.
     * {@code shards} lists each member's shards, oldest first; the newest move first.
     */
    public <R> Moves<R> rebalance(Map<R, List<String>> shards, Comparator<R> order) {
        if (shards.size() < 2) {
            return new Moves<>(Set.of(), null);
        }
        Map<R, Integer> counts = new java.util.HashMap<>();
        int total = 0;
        for (Map.Entry<R, List<String>> e : shards.entrySet()) {
            counts.put(e.getKey(), e.getValue().size());
            total += e.getValue().size();
        }
        R least = least(counts, order);
        R most = most(counts, order);
        int spread = counts.get(most) - counts.get(least);
        int tolerance = tolerance(total, counts.size());
        if (spread <= tolerance) {
            return new Moves<>(Set.of(), null);
        }
        int wanted = (spread - tolerance / 2) / 2; // each move narrows the spread by two
        int n = Math.max(1, Math.min(maxMoves, wanted));
        List<String> from = shards.get(most);
        Set<String> moving = new java.util.LinkedHashSet<>(from.subList(from.size() - n, from.size()));
        return new Moves<>(moving, least);
    }

    private static <R> R least(Map<R, Integer> counts, Comparator<R> order) {
        return counts.keySet().stream()
                .min(Comparator.<R>comparingInt(counts::get).thenComparing(order)).orElseThrow();
    }

    private static <R> R most(Map<R, Integer> counts, Comparator<R> order) {
        return counts.keySet().stream()
                .max(Comparator.<R>comparingInt(counts::get).thenComparing(order.reversed())).orElseThrow();
    }
}

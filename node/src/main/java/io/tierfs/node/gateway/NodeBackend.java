package io.tierfs.node.gateway;

import io.tierfs.tier.ChunkPlacement;

import java.util.List;

/** What the gateway asks of the running node; an interface so that the gateway is tested without a mount. */
public interface NodeBackend {
    NodeStatus status();

    /** Chunk placement of the file at {@code path} (relative to the mount root, starting with '/'). */
    FileWhere where(String path);

    /**
     * Moves every chunk one tier down (the slowest tier's stay), through the crash-safe mover, and returns when the
     * moves are done. An operator's "drain the fast tiers" and the tests' way to force migrations.
     */
    MoveReport demoteAll();

    /** The policy endpoints' backend (see {@link PolicyRoutes}); null: those endpoints are not served. */
    default PolicyBackend policy() {
        return null;
    }

    /** The cluster's members as this node sees them (`tierfs nodes`). */
    default List<io.tierfs.node.cluster.ClusterMembers.MemberInfo> members() {
        return List.of();
    }

    /** Recalls the memory node {@code node} lends (`tierfs node reclaim`), waiting at most {@code deadline}. */
    default io.tierfs.borrow.cluster.ReclaimResult reclaim(String node, java.time.Duration deadline) {
        throw io.tierfs.common.FsException.of(io.tierfs.common.Errno.ENOTSUP, "memory borrow runs only on cluster members");
    }

    /** Lets node {@code node} lend again after a reclaim. */
    default io.tierfs.borrow.cluster.LenderView reopen(String node) {
        throw io.tierfs.common.FsException.of(io.tierfs.common.Errno.ENOTSUP, "memory borrow runs only on cluster members");
    }

    record FileWhere(String path, long ino, long size, List<ChunkPlacement> chunks) {
    }

    record MoveReport(long chunksMoved, long bytesMoved, long millis) {
    }
}

package io.tierfs.meta.client;

import java.util.function.LongSupplier;

/**
 * The {@link io.tierfs.meta.api.Namespace} over directory entities in a Pekko cluster: the orchestration of
 * {@link NamespaceCore} with a {@link ShardingGateway} and an allocator of inode ranges persisted by the allocator
 * entity. Thread-safe; every call blocks until its reply (retried through node failures up to the deadline), which
 * for operations confined to one directory on an entity of this node comes before durability (early reply, see
 * {@link NamespaceCore}); {@link #sync(long)} is the durability barrier.
 * Built by {@code io.tierfs.meta.cluster.MetadataNode}; closing it syncs but does not stop the node.
 * {@link #inodeCount()} is an upper bound (inode numbers handed out by this client's ranges).
 */
public final class ClusterNamespace extends NamespaceCore {
    public ClusterNamespace(ShardingGateway gateway, InodeAllocator alloc, LongSupplier inodeCount,
                            RenameSettings renames) {
        super(gateway, alloc, inodeCount, renames);
    }
}

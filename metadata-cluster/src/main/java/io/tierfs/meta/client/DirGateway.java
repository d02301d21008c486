package io.tierfs.meta.client;

import io.tierfs.meta.state.DirCommand;

/**
 * How the orchestration reaches one directory entity: send a command, block for its reply. Implemented in process
 * (LocalNamespace) and over Cluster Sharding (ClusterNamespace); the place to add retries on shard hand-off.
 */
public interface DirGateway {
    /** The reply value of {@code cmd} at directory {@code dir}; throws FsException with the entity's errno. */
    Object ask(long dir, DirCommand cmd);
}

package io.tierfs.meta.client;

import io.tierfs.meta.state.DirCommand;

/**
 * How the orchestration reaches one directory entity: send a command, block for its reply. Implemented in process
 * (LocalNamespace) and over Cluster Sharding (ClusterNamespace, which retries lost messages with request ids so that
 * a retried command is applied once and gets its first answer).
 */
public interface DirGateway {
    /**
     * The reply value of {@code cmd} at directory {@code dir}; throws FsException with the entity's errno.
     *
     * @param early the caller accepts the reply before the command's events are durable (only for commands whose
     *              effect stays inside this directory; the entity still answers late when the outcome does not)
     */
    Object ask(long dir, DirCommand cmd, boolean early);

    /** A synchronous ask: the reply comes once the command's events (and all before them) are durable. */
    default Object ask(long dir, DirCommand cmd) {
        return ask(dir, cmd, false);
    }

    /** Returns when everything directory {@code dir} acknowledged before the call is durable. */
    void sync(long dir);

    /** {@link #sync} on every directory this gateway got an early reply from since the last syncAll. */
    void syncAll();
}

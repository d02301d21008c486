package io.tierfs.node.cluster;

import io.tierfs.meta.cluster.MetadataNode;
import io.tierfs.node.ProcessUser;
import io.tierfs.node.StateDir;

import java.nio.file.Path;
import java.time.Clock;

/**
 * A cluster member with the metadata role only (no tiers, no mount, no gateway): it hosts namespace shards and
 * takes over those of a lost member. Its state directory holds only the lock and the logs when the journal is
 * PostgreSQL.
 */
public final class MetadataMember implements AutoCloseable {
    private final StateDir state;
    private final MetadataNode meta;

    private MetadataMember(StateDir state, MetadataNode meta) {
        this.state = state;
        this.meta = meta;
    }

    public static MetadataMember start(Path stateDir, NodeSpec spec, com.typesafe.config.Config raw, Clock clock) {
        StateDir.verify(stateDir);
        StateDir state = StateDir.open(stateDir);
        try {
            return new MetadataMember(state, MetadataNode.start(state.root(), clock, ProcessUser.current(),
                    spec.withClusterRoles(raw)));
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
    }

    public MetadataNode metadata() {
        return meta;
    }

    @Override
    public void close() {
        try {
            meta.close();
        } finally {
            state.close();
        }
    }
}

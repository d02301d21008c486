package io.tierfs.node.fsck;

import io.tierfs.common.config.ConfigException;
import io.tierfs.common.config.TierFsConfig;
import io.tierfs.meta.cluster.MetadataNode;
import io.tierfs.migration.TieredStorage;
import io.tierfs.node.ProcessUser;
import io.tierfs.node.StateDir;
import io.tierfs.node.TierDirs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A stopped node's state opened for fsck: the state directory locked (so that no node starts meanwhile), the
 * metadata node and the tier storage started as a node starts them, but no mount, no gateway, no background
 * mover. Starting runs the normal recoveries (as any start would): the tier engine rolls unfinished moves and
 * deletes chunk files its layout does not know, and directories re-drive their pending rename intents.
 */
public final class OfflineNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineNode.class);
    private static final Duration JOURNAL_LIST_TIMEOUT = Duration.ofMinutes(5);

    private final StateDir state;
    private final MetadataNode meta;
    private final TieredStorage storage;

    private OfflineNode(StateDir state, MetadataNode meta, TieredStorage storage) {
        this.state = state;
        this.meta = meta;
        this.storage = storage;
    }

    /**
     * Locks the state directory of a stopped node. Refuses (one line) a directory without a metadata journal and
     * one that a running node holds.
     */
    public static StateDir lock(TierFsConfig config) {
        Path dir = config.stateDir().toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("meta"))) {
            throw new ConfigException("no TierFS state in " + dir + " (no metadata journal): nothing to check");
        }
        StateDir.verify(dir);
        try {
            return StateDir.open(dir);
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage() + "; stop it before running fsck", e);
        }
    }

    /** Starts metadata and storage on a state directory locked by {@link #lock}; owns the lock from now on. */
    public static OfflineNode start(TierFsConfig config, StateDir lock, Clock clock) {
        MetadataNode meta = null;
        try {
            TierDirs.prepare(config);
            meta = MetadataNode.start(lock.root(), clock, ProcessUser.current(), config.raw());
            TieredStorage storage = TieredStorage.open(config, clock, "fsck", false);
            return new OfflineNode(lock, meta, storage);
        } catch (RuntimeException e) {
            if (meta != null) {
                closeQuietly(meta, e);
            }
            closeQuietly(lock, e);
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c, RuntimeException primary) {
        try {
            c.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }

    public MetadataNode meta() {
        return meta;
    }

    public TieredStorage storage() {
        return storage;
    }

    public NamespaceSource source() {
        return new GatewaySource(meta.clusterNamespace().gateway(),
                () -> JournalDirectories.list(meta.system(), JOURNAL_LIST_TIMEOUT));
    }

    public DataSource data() {
        return new TierDataSource(storage.engine());
    }

    public RepairTarget repairTarget() {
        return new GatewayRepairTarget(meta.namespace(), meta.clusterNamespace().gateway(), storage::delete);
    }

    /** Storage first (its final flush), then metadata (syncs), then the lock. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : new AutoCloseable[]{storage, meta, state}) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.error("fsck: closing {} failed", c.getClass().getSimpleName(), e);
                if (first == null) {
                    first = new IllegalStateException("closing " + c.getClass().getSimpleName() + " failed", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

package io.tierfs.node;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.config.TierFsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libfuse's loop: single-threaded for a one-node mount, multithreaded for a cluster member (its lock waits). */
class FuseThreadingTest {
    private static final Path STATE = Path.of("/tmp/tierfs-threading-test-state");

    @Test
    void defaultsDependOnTheRole() {
        TierFsConfig none = TierFsConfig.fromConfig(STATE, ConfigFactory.empty());
        assertTrue(EmbeddedNode.singleThreaded(none, false), "tierfs mount: -s");
        assertFalse(EmbeddedNode.singleThreaded(none, true), "tierfs node: multithreaded");
    }

    @Test
    void anExplicitSettingWinsForBoth() {
        TierFsConfig single = TierFsConfig.fromConfig(STATE,
                ConfigFactory.parseString("tierfs.fuse.single-threaded = true"));
        TierFsConfig multi = TierFsConfig.fromConfig(STATE,
                ConfigFactory.parseString("tierfs.fuse.single-threaded = false"));
        assertTrue(EmbeddedNode.singleThreaded(single, true));
        assertFalse(EmbeddedNode.singleThreaded(multi, false));
    }
}

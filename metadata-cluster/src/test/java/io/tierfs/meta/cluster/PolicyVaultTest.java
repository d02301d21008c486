package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cluster's policy lives in the metadata journal: saved, it survives a restart of the node (real H2 on disk). */
class PolicyVaultTest {
    @TempDir
    Path stateDir;

    private MetadataNode start() {
        return MetadataNode.start(stateDir, Clock.systemUTC(), Caller.ROOT, ConfigFactory.empty());
    }

    @Test
    void savedPolicySurvivesARestartAndTheLastSaveWins() {
        try (MetadataNode node = start()) {
            assertEquals(Optional.empty(), node.policyVault().load(), "nothing stored yet");
            node.policyVault().save("[{\"version\": 0}]");
            node.policyVault().save("[{\"version\": 0}, {\"version\": 1}]");
            assertEquals(Optional.of("[{\"version\": 0}, {\"version\": 1}]"), node.policyVault().load());
        }
        try (MetadataNode node = start()) {
            assertEquals(Optional.of("[{\"version\": 0}, {\"version\": 1}]"), node.policyVault().load(),
                    "recovered from the journal");
        }
    }
}

package io.tierfs.meta.cluster;

import io.tierfs.common.Caller;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.NamespaceContract;
import io.tierfs.meta.api.Namespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The namespace contract through a real single-node cluster with the H2 journal on disk (one node per class). */
class ClusterNamespaceTest extends NamespaceContract {
    @TempDir
    static Path stateDir;
    private static MetadataNode node;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @BeforeAll
    static void startNode() {
        node = MetadataNode.startEmbedded(stateDir, clock);
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Override
    protected Namespace ns() {
        return node.namespace();
    }

    @Override
    protected long prepareRoot() {
        return node.namespace().mkdir(InodeRef.ROOT_INO, "test-" + COUNTER.incrementAndGet(), 0755, Caller.ROOT).ref().ino();
    }
}

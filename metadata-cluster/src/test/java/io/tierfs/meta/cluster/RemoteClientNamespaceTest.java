package io.tierfs.meta.cluster;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.NamespaceContract;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The namespace contract through a client-only member: every command and every reply crosses Artery between two
 * ActorSystems (CBOR serialization of each reply type), and the journal is a real PostgreSQL database.
 */
class RemoteClientNamespaceTest extends NamespaceContract {
    @TempDir
    static Path dirA;
    @TempDir
    static Path dirB;
    private static MetadataNode metadata;
    private static MetadataNode client;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @BeforeAll
    static void start() {
        String url = PostgresServer.get().newDatabase();
        metadata = MetadataNode.start(dirA, clock, Caller.ROOT, ConfigFactory.parseString(
                "tierfs.meta.journal-url = \"" + url + "\"\n"));
        String seed = metadata.system().address().toString();
        client = MetadataNode.start(dirB, clock, Caller.ROOT, ConfigFactory.parseString(
                "tierfs.meta.journal-url = \"" + url + "\"\n"
                        + "tierfs.meta.roles = []\n"
                        + "pekko.cluster.seed-nodes = [\"" + seed + "\"]\n"));
    }

    @AfterAll
    static void stop() {
        client.close();
        metadata.close();
    }

    @Override
    protected Namespace ns() {
        return client.namespace();
    }

    @Override
    protected long prepareRoot() {
        return client.namespace().mkdir(InodeRef.ROOT_INO, "test-" + COUNTER.incrementAndGet(), 0755, Caller.ROOT)
                .ref().ino();
    }
}

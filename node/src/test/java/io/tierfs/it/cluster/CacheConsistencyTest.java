package io.tierfs.it.cluster;

import io.tierfs.it.Await;
import io.tierfs.meta.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two mounted members, each with a VFS cache TTL of 10 minutes: a change made through one mount is seen through the
 * other within seconds, which only the invalidations pushed by the directory entities can explain (a TTL expiry
 * cannot). Each check first makes the other mount cache the old state (a positive or negative entry, attributes,
 * a directory it created and knows to be complete).
 */
class CacheConsistencyTest {
    private static final Duration PUSH_BOUND = Duration.ofSeconds(5);
    private static ClusterFixture fx;
    private static ClusterNodeProcess a;
    private static ClusterNodeProcess b;
    private static Path ma;
    private static Path mb;

    @BeforeAll
    static void start() throws Exception {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "tierfs-cache-");
        fx = new ClusterFixture(base, PostgresServer.get().newDatabase(), 2)
                .withExtra("tierfs.node.cache-ttl = 10m");
        List<String> full = List.of("metadata", "data", "client", "gateway");
        a = fx.start(0, full);
        b = fx.start(1, full);
        ma = fx.mount(0);
        mb = fx.mount(1);
        fx.awaitUp(2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.stop();
        }
        if (a != null) {
            a.stop();
        }
        if (fx != null) {
            fx.cleanUp();
        }
    }

    @Test
    void createSeenThroughTheOtherMountDespiteANegativeEntry() throws Exception {
        Files.createDirectory(ma.resolve("c1"));
        Await.until(PUSH_BOUND, "c1 on B", () -> Files.isDirectory(mb.resolve("c1")));
        assertFalse(Files.exists(mb.resolve("c1/f"))); // B caches "no such name"
        Files.writeString(ma.resolve("c1/f"), "x");
        Await.until(PUSH_BOUND, "c1/f created on A visible on B", () -> Files.exists(mb.resolve("c1/f")));
    }

    @Test
    void unlinkAndRenameSeenThroughTheOtherMount() throws Exception {
        Files.createDirectory(ma.resolve("c2"));
        Files.writeString(ma.resolve("c2/gone"), "x");
        Files.writeString(ma.resolve("c2/old"), "y");
        Await.until(PUSH_BOUND, "names on B", () -> Files.exists(mb.resolve("c2/gone")) && Files.exists(mb.resolve("c2/old")));
        Files.delete(ma.resolve("c2/gone"));
        Files.move(ma.resolve("c2/old"), ma.resolve("c2/new"), StandardCopyOption.ATOMIC_MOVE);
        Await.until(PUSH_BOUND, "unlink and rename on A visible on B", () -> !Files.exists(mb.resolve("c2/gone"))
                && !Files.exists(mb.resolve("c2/old")) && Files.exists(mb.resolve("c2/new")));
        try (var s = Files.list(mb.resolve("c2"))) {
            assertEquals(Set.of("new"), s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void attributeChangesSeenThroughTheOtherMount() throws Exception {
        Files.createDirectory(ma.resolve("c3"));
        Files.writeString(ma.resolve("c3/f"), "x");
        Files.setPosixFilePermissions(ma.resolve("c3/f"), PosixFilePermissions.fromString("rw-------"));
        Await.until(PUSH_BOUND, "mode on B", () -> Files.getPosixFilePermissions(mb.resolve("c3/f"))
                .equals(PosixFilePermissions.fromString("rw-------")));
        Files.setPosixFilePermissions(ma.resolve("c3/f"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(ma.resolve("c3/f"), "longer content"); // size on close
        Await.until(PUSH_BOUND, "chmod and size from A visible on B", () ->
                Files.getPosixFilePermissions(mb.resolve("c3/f")).equals(PosixFilePermissions.fromString("rwxr-x---"))
                        && Files.size(mb.resolve("c3/f")) == "longer content".length());
    }

    @Test
    void aDirectoryCreatedOnBIsNoLongerCompleteWhenAAddsANameToIt() throws Exception {
        Files.createDirectory(mb.resolve("c4")); // B knows every name of c4 (it made it empty)
        assertFalse(Files.exists(mb.resolve("c4/late")));
        Await.until(PUSH_BOUND, "c4 on A", () -> Files.isDirectory(ma.resolve("c4")));
        Files.writeString(ma.resolve("c4/late"), "z");
        Await.until(PUSH_BOUND, "a name added on A visible on B", () -> Files.exists(mb.resolve("c4/late")));
        assertTrue(Files.isRegularFile(mb.resolve("c4/late")));
    }
}

package io.tierfs.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.tierfs.it.Await;
import io.tierfs.meta.testing.PostgresServer;
import io.tierfs.node.cli.GatewayClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@code tierfs node} processes on 127.0.0.1 with one PostgreSQL journal: two full members with mounts and one
 * metadata-only member. While clients create, stat, rename and unlink through BOTH mounts, the metadata-only member
 * is killed with SIGKILL. Its shards move to the survivors (split brain resolver), the clients' operations in
 * flight are retried until they succeed, and afterwards every acknowledged operation is there and nothing else
 * (the tree equals the clients' model, seen through both mounts). The killed member rejoins and hosts shards again.
 */
class ClusterFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFailoverTest.class);
    private static final int DIRS = 12;
    private static final int OPS_PER_WORKER = 60;

    private final List<ClusterNodeProcess> nodes = new ArrayList<>();
    private Path base;
    private ClusterFixture fx;

    @AfterEach
    void stopAll() throws Exception {
        for (int i = nodes.size() - 1; i >= 0; i--) { // one after another: a simultaneous leave stalls hand-offs
            nodes.get(i).stop();
        }
        if (fx != null) {
            fx.cleanUp();
        }
    }

    @Test
    void killNineOfAMetadataMemberLosesNoAcknowledgedOperation() throws Exception {
        base = Files.createTempDirectory(Path.of("/tmp"), "tierfs-cluster-");
        fx = new ClusterFixture(base, PostgresServer.get().newDatabase(), 3);
        List<String> full = List.of("metadata", "data", "client", "gateway");
        nodes.add(fx.start(0, full));
        nodes.add(fx.start(1, full));
        ClusterNodeProcess meta3 = fx.start(2, List.of("metadata"));
        nodes.add(meta3);
        GatewayClient gw = GatewayClient.forStateDir(fx.state(0));
        Await.until(Duration.ofSeconds(60), "three members up", () -> upMembers(gw) == 3);
        java.io.ByteArrayOutputStream table = new java.io.ByteArrayOutputStream();
        assertEquals(0, new io.tierfs.node.cli.Main().run(List.of("nodes", "--state", fx.state(0).toString()),
                new java.io.PrintStream(table, true, StandardCharsets.UTF_8), System.err));
        String listing = table.toString(StandardCharsets.UTF_8);
        assertTrue(listing.contains(fx.address(2)) && listing.contains("this node") && listing.contains("metadata"),
                listing);

        Path m1 = fx.mount(0);
        Path m2 = fx.mount(1);
        for (int d = 0; d < DIRS; d++) {
            Files.createDirectory(m1.resolve("d" + d));
        }
        Await.until(Duration.ofSeconds(30), "the metadata-only member hosts directory shards",
                () -> shardsOf(gw, fx.address(2)) > 0);

        // model: path (relative) -> content, and which mount wrote it (data lives on the writer's node)
        Map<String, String> model = new ConcurrentHashMap<>();
        Map<String, Path> writer = new ConcurrentHashMap<>();
        CountDownLatch killAt = new CountDownLatch(4 * OPS_PER_WORKER / 3);
        AtomicLong slowest = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Path mnt = w % 2 == 0 ? m1 : m2;
            int id = w;
            workers.add(pool.submit(() -> {
                work(id, mnt, model, writer, killAt, slowest);
                return null;
            }));
        }
        killAt.await();
        LOG.info("killing the metadata-only member (kill -9) after {} operations", 4 * OPS_PER_WORKER / 3);
        meta3.kill9();
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        LOG.info("all {} operations acknowledged; slowest took {} ms", 4 * OPS_PER_WORKER, slowest.get());

        // every acknowledged operation is visible through both mounts, and nothing else is there
        for (Path mnt : List.of(m1, m2)) {
            Await.until(Duration.ofSeconds(20), "the tree seen through " + mnt + " equals the model",
                    () -> tree(mnt).equals(new TreeSet<>(model.keySet())));
        }
        for (Map.Entry<String, String> e : model.entrySet()) {
            Path p = writer.get(e.getKey()).resolve(e.getKey());
            assertEquals(e.getValue(), Files.readString(p), "content of " + p);
        }
        assertEquals(2, upMembers(gw), "the killed member was downed and removed");

        // the killed member comes back and takes shards again
        meta3.launch();
        Await.until(Duration.ofSeconds(60), "three members up again", () -> upMembers(gw) == 3);
        for (int d = DIRS; d < DIRS + 24; d++) { // new directories land on every member, the returned one too
            Files.createDirectory(m2.resolve("d" + d));
            Files.writeString(m2.resolve("d" + d).resolve("after"), "after rejoin");
        }
        Await.until(Duration.ofSeconds(60), "the returned member hosts shards",
                () -> shardsOf(gw, fx.address(2)) > 0);
        for (int d = DIRS; d < DIRS + 24; d++) {
            Path p = m1.resolve("d" + d).resolve("after");
            Await.until(Duration.ofSeconds(10), p + " visible through the other mount", () -> Files.exists(p));
        }
    }

    /** create, stat, rename (within and across directories) and unlink; records what was acknowledged. */
    private static void work(int id, Path mnt, Map<String, String> model, Map<String, Path> writer,
                             CountDownLatch progress, AtomicLong slowest) throws IOException {
        java.util.Random rnd = new java.util.Random(1000 + id);
        for (int i = 0; i < OPS_PER_WORKER; i++) {
            long t0 = System.nanoTime();
            String dir = "d" + rnd.nextInt(DIRS);
            String name = dir + "/w" + id + "-" + i;
            String content = "worker " + id + " op " + i;
            Files.writeString(mnt.resolve(name), content, StandardCharsets.UTF_8);
            model.put(name, content);
            writer.put(name, mnt);
            assertTrue(Files.isRegularFile(mnt.resolve(name)), "stat " + name);
            switch (i % 4) {
                case 1 -> { // rename inside the directory
                    String to = name + ".r";
                    Files.move(mnt.resolve(name), mnt.resolve(to), StandardCopyOption.ATOMIC_MOVE);
                    model.remove(name);
                    writer.remove(name);
                    model.put(to, content);
                    writer.put(to, mnt);
                }
                case 2 -> { // rename across directories (maybe across members)
                    String to = "d" + rnd.nextInt(DIRS) + "/x" + id + "-" + i;
                    Files.move(mnt.resolve(name), mnt.resolve(to), StandardCopyOption.ATOMIC_MOVE);
                    model.remove(name);
                    writer.remove(name);
                    model.put(to, content);
                    writer.put(to, mnt);
                }
                case 3 -> {
                    Files.delete(mnt.resolve(name));
                    model.remove(name);
                    writer.remove(name);
                }
                default -> {
                }
            }
            slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
            progress.countDown();
        }
    }

    private static Set<String> tree(Path mnt) throws IOException {
        Set<String> out = new TreeSet<>();
        try (var dirs = Files.list(mnt)) {
            for (Path d : dirs.toList()) {
                try (var files = Files.list(d)) {
                    files.forEach(f -> out.add(mnt.relativize(f).toString()));
                }
            }
        }
        return out;
    }

    private static int upMembers(GatewayClient gw) {
        int up = 0;
        for (JsonNode n : gw.get("/api/v1/nodes")) {
            if (n.path("status").asText().equals("up") && n.path("reachable").asBoolean()) {
                up++;
            }
        }
        return up;
    }

    private static int shardsOf(GatewayClient gw, String address) {
        for (JsonNode n : gw.get("/api/v1/nodes")) {
            if (n.path("address").asText().equals(address)) {
                return n.path("shards").asInt();
            }
        }
        return 0;
    }

}

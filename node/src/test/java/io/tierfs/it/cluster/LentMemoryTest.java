package io.tierfs.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.tierfs.borrow.ShmUsage;
import io.tierfs.it.Await;
import io.tierfs.meta.testing.PostgresServer;
import io.tierfs.meta.testing.TestFiles;
import io.tierfs.node.cli.GatewayClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lent memory on three {@code tierfs node} processes (issue 5): node A mounts and borrows its DRAM tier from lenders
 * B and C (A lends nothing), so A's data lies in B's and C's /dev/shm, striped. Then, with readers and writers
 * running on A's mount: an operator reclaim of B (every operation succeeds, contents stay identical, the recall ends
 * within its deadline, B's shared memory is empty afterwards); memory pressure on C, driven through its meminfo file
 * (C recalls on its own, the same way, under readers and writers); and kill -9 of C while it holds fsynced chunks (they are read from their durable copies).
 */
class LentMemoryTest {
    private static final Logger LOG = LoggerFactory.getLogger(LentMemoryTest.class);
    private static final int MIB = 1 << 20;
    private static final String MEMINFO_OK = "MemTotal:       8000000 kB\nMemAvailable:   4000000 kB\n";
    private static final String MEMINFO_PRESSED = "MemTotal:       8000000 kB\nMemAvailable:    100000 kB\n";

    private final List<ClusterNodeProcess> nodes = new ArrayList<>();
    private final List<Path> shmDirs = new ArrayList<>();
    private final List<ClusterFixture> fixtures = new ArrayList<>();

    /** {@code fx}, removed with its members' directories after the test. */
    private ClusterFixture fixture(ClusterFixture fx) {
        fixtures.add(fx);
        return fx;
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).stop();
        }
        for (Path d : shmDirs) {
            TestFiles.deleteTree(d);
        }
        for (ClusterFixture fx : fixtures) {
            fx.cleanUp();
        }
        fixtures.clear();
    }

    @Test
    void recallPressureAndLenderCrashLoseNothing() throws Exception {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "tierfs-lent-");
        ClusterFixture fx = fixture(new ClusterFixture(base, PostgresServer.get().newDatabase(), 3)
                .withExtra("tierfs.flush-interval = 10m")); // dirty data stays dirty unless fsynced
        fx.withMemberExtra(0, "tierfs.borrow.enabled = true\ntierfs.lend.enabled = false");
        Path[] lendDir = lenders(fx, base);
        Path meminfoC = base.resolve("meminfo-2");
        shmDirs.add(Path.of("/dev/shm", base.getFileName() + "-dram-0"));
        GatewayClient gw = startBorrowerAndLenders(fx);
        ClusterNodeProcess c = nodes.get(2);
        String b = fx.memberId(1);
        String cId = fx.memberId(2);

        // data through A's mount: half fsynced (clean in lent memory), half only written (dirty there)
        Path mnt = fx.mount(0);
        int files = 6;
        int size = 3 * MIB;
        byte[][] model = new byte[files][];
        Random rnd = new Random(42);
        for (int f = 0; f < files; f++) {
            model[f] = new byte[size];
            rnd.nextBytes(model[f]);
            try (FileChannel ch = FileChannel.open(mnt.resolve("f" + f), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(model[f]));
                if (f % 2 == 0) {
                    ch.force(true);
                }
            }
        }
        Set<String> holders = new HashSet<>();
        for (int f = 0; f < files; f++) {
            for (JsonNode chunk : gw.get("/api/v1/where/f" + f).path("chunks")) {
                assertEquals("dram", chunk.path("tier").asText(), "new data lands in lent memory");
                holders.add(chunk.path("node").asText());
            }
        }
        assertEquals(Set.of(b, cId), holders, "chunks are striped over both lenders");
        assertTrue(ShmUsage.logicalBytes(lendDir[1]) > 0, "B holds A's data in its shared memory");

        // reclaim B while readers and writers work on A's mount
        Workers workers = new Workers(mnt, model);
        workers.start(3);
        workers.awaitOps(30);
        JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli(fx.state(0), 0, "node", "reclaim",
                b, "--deadline", "30s", "--json"));
        LOG.info("reclaim of B: {}", r);
        assertTrue(r.path("complete").asBoolean(), "the reclaim finished: " + r);
        assertTrue(r.path("tookMillis").asLong() < 30_000, "within its deadline: " + r);
        int opsAtReclaim = workers.ops();
        workers.awaitOps(opsAtReclaim + 30);
        workers.stop();
        assertEquals(List.of(), workers.failures(), "no read or write failed during the recall");
        assertEquals(0, ShmUsage.logicalBytes(lendDir[1]), "B's shared memory was given back");
        assertFalse(holdersOf(gw, files).contains(b), "no chunk is on B any more");
        checkContents(mnt, model);

        // memory pressure on C: its own jobs need the memory, it recalls by itself, again under readers and writers
        Workers pressured = new Workers(mnt, model);
        pressured.start(3);
        pressured.awaitOps(30);
        Files.writeString(meminfoC, MEMINFO_PRESSED);
        Await.until(Duration.ofSeconds(60), "C recalled its memory under pressure",
                () -> ShmUsage.logicalBytes(lendDir[2]) == 0 && lent(gw, cId) == 0);
        int opsAtPressure = pressured.ops();
        pressured.awaitOps(opsAtPressure + 30);
        pressured.stop();
        assertEquals(List.of(), pressured.failures(), "no read or write failed during the recall under pressure");
        assertFalse(holdersOf(gw, files).contains(cId), "no chunk is on C any more");
        checkContents(mnt, model);

        // both lend again; new fsynced data lands on them; kill -9 of C: its fsynced chunks are read from disk
        Files.writeString(meminfoC, MEMINFO_OK);
        assertTrue(cli(fx.state(0), 0, "node", "reopen", b).contains("lends again"));
        String unknown = cli(fx.state(0), 1, "node", "reclaim", "127.0.0.1-1");
        assertTrue(unknown.contains("no lender on node"), unknown);
        Await.until(Duration.ofSeconds(60), "A borrows from B and C again", () -> lent(gw, b) > 0 && lent(gw, cId) > 0);
        byte[] synced = new byte[8 * MIB];
        rnd.nextBytes(synced);
        try (FileChannel ch = FileChannel.open(mnt.resolve("synced"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(synced));
            ch.force(true);
        }
        Set<String> syncedHolders = new HashSet<>();
        for (JsonNode chunk : gw.get("/api/v1/where/synced").path("chunks")) {
            syncedHolders.add(chunk.path("node").asText());
        }
        assertTrue(syncedHolders.contains(cId), "some fsynced chunks lie on C: " + syncedHolders);
        c.kill9();
        dropPageCache();
        assertArrayEquals(synced, Files.readAllBytes(mnt.resolve("synced")), "fsynced data survives a lender crash");
        checkContents(mnt, model);

        nodes.get(1).stop(); // graceful: A gives B's memory back, then B removes its empty lend directory
        assertFalse(Files.exists(lendDir[1]), "B's lend directory is gone after a clean stop");
    }

    /**
     * The per-policy replica option and a recall that cannot finish. A rule {@code dramReplica} for /ckpt/** keeps a
     * second copy of those files' chunks on the other lender: after kill -9 of C (and its shared memory wiped, as a
     * crashed node loses it), a closed but never fsynced checkpoint reads back whole, while a file without the
     * option fails with EIO (never wrong bytes). Then an operator reclaim of B, whose dirty data cannot fit A's tiny
     * durable tiers: the CLI says so and exits non-zero, B keeps the data, and nothing is lost.
     */
    @Test
    void replicaOptionKeepsClosedDataAndAnImpossibleRecallSaysSo() throws Exception {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "tierfs-lent-");
        ClusterFixture fx = fixture(new ClusterFixture(base, PostgresServer.get().newDatabase(), 3)
                .withExtra("tierfs.flush-interval = 10m"));
        String shmA = "/dev/shm/" + base.getFileName() + "-dram-0";
        fx.withMemberExtra(0, "tierfs.borrow.enabled = true\ntierfs.lend.enabled = false\n"
                + "tierfs.tiers = [\n"
                + "  { name = dram, kind = dram, path = \"" + shmA + "\", capacity = 64MiB }\n"
                + "  { name = ssd, kind = ssd, path = \"" + base.resolve("ssd-0") + "\", capacity = 2MiB }\n"
                + "  { name = hdd, kind = hdd, path = \"" + base.resolve("hdd-0") + "\", capacity = 2MiB }\n"
                + "]");
        shmDirs.add(Path.of(shmA));
        Path[] lendDir = lenders(fx, base);
        GatewayClient gw = startBorrowerAndLenders(fx);
        ClusterNodeProcess c = nodes.get(2);
        String b = fx.memberId(1);
        String cId = fx.memberId(2);
        Path policy = base.resolve("policy.json");
        Files.writeString(policy, """
                {"tiers": [{"name": "dram"}, {"name": "ssd"}, {"name": "hdd"}],
                 "rules": [{"name": "ckpt", "match": {"paths": "/ckpt/**"}, "action": {"dramReplica": true}}]}
                """);
        cli(fx.state(0), 0, "policy", "set", policy.toString());

        Path mnt = fx.mount(0);
        Files.createDirectory(mnt.resolve("ckpt"));
        Random rnd = new Random(7);
        byte[] ckpt = new byte[8 * MIB];
        rnd.nextBytes(ckpt);
        Files.write(mnt.resolve("ckpt/c0"), ckpt); // closed, never fsynced
        byte[] plain = new byte[6 * MIB];
        rnd.nextBytes(plain);
        Files.write(mnt.resolve("plain"), plain);
        long aOnLenders = ShmUsage.logicalBytes(lendDir[1]) + ShmUsage.logicalBytes(lendDir[2]);
        assertEquals(2L * ckpt.length + plain.length, aOnLenders,
                "the checkpoint is in lent memory twice, the plain file once");

        c.kill9();
        TestFiles.deleteTree(lendDir[2]); // a crashed node's memory is gone
        dropPageCache();
        assertArrayEquals(ckpt, Files.readAllBytes(mnt.resolve("ckpt/c0")),
                "closed-not-fsynced data with the replica option survives the lender crash");
        assertThrows(IOException.class, () -> Files.readAllBytes(mnt.resolve("plain")),
                "without it, data only C held is unreadable (EIO), never wrong");

        long onB = ShmUsage.logicalBytes(lendDir[1]);
        String out = cli(fx.state(0), 1, "node", "reclaim", b, "--deadline", "5s");
        assertTrue(out.contains("did not finish") && out.contains("nothing was lost"), out);
        assertTrue(out.contains("nowhere to go") || out.contains("no durable tier has room"), "says why: " + out);
        assertTrue(ShmUsage.logicalBytes(lendDir[1]) > 0 && ShmUsage.logicalBytes(lendDir[1]) <= onB,
                "B keeps what could not be placed");
        dropPageCache();
        assertArrayEquals(ckpt, Files.readAllBytes(mnt.resolve("ckpt/c0")), "and nothing was lost");
    }

    /** Starts A (mounted borrower, gateway) and lenders B and C; returns once A borrows 64 MiB from both. */
    private GatewayClient startBorrowerAndLenders(ClusterFixture fx) throws Exception {
        nodes.add(fx.start(0, List.of("metadata", "data", "client", "gateway")));
        nodes.add(fx.start(1, List.of("metadata", "data")));
        nodes.add(fx.start(2, List.of("metadata", "data")));
        GatewayClient gw = GatewayClient.forStateDir(fx.state(0));
        String b = fx.memberId(1);
        String c = fx.memberId(2);
        Await.until(Duration.ofSeconds(60), "A borrows 64 MiB from B and C", () -> dramCapacity(gw) == 64L * MIB
                && lent(gw, b) > 0 && lent(gw, c) > 0);
        return gw;
    }

    /**
     * Members 1 and 2 lend (meminfo files {@code base/meminfo-N}, shared memory under /dev/shm); returns their lend
     * dirs by member index.
     */
    private Path[] lenders(ClusterFixture fx, Path base) throws IOException {
        Path[] lendDir = new Path[3];
        for (int i = 1; i <= 2; i++) {
            lendDir[i] = Path.of("/dev/shm", base.getFileName() + "-lend-" + i);
            shmDirs.add(lendDir[i]);
            shmDirs.add(Path.of("/dev/shm", base.getFileName() + "-dram-" + i));
            Path meminfo = base.resolve("meminfo-" + i);
            Files.writeString(meminfo, MEMINFO_OK);
            fx.withMemberExtra(i, "tierfs.lend { enabled = true, dir = \"" + lendDir[i] + "\", meminfo = \""
                    + meminfo + "\", reserve = 1g, cap = 48m, hysteresis = 64m, lease-size = 16m, "
                    + "poll-interval = 200ms }");
        }
        return lendDir;
    }

    /**
     * Drops the kernel's page cache, so that the next reads reach TierFS (the mount keeps file pages across opens
     * when nobody else changed the file). Needs root, as the FUSE tests do.
     */
    private static void dropPageCache() throws IOException {
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "1");
    }

    /** Runs the real CLI ({@code tierfs ARGS --state STATE}) and returns what it printed; checks its exit code. */
    private static String cli(Path state, int exitCode, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--state", state.toString()));
        int rc = new io.tierfs.node.cli.Main().run(argv, new java.io.PrintStream(out, true),
                new java.io.PrintStream(err, true));
        assertEquals(exitCode, rc, "tierfs " + argv + ": " + out + err);
        return out + err.toString();
    }

    private static void checkContents(Path mnt, byte[][] model) throws IOException {
        dropPageCache();
        for (int f = 0; f < model.length; f++) {
            synchronized (model[f]) {
                assertArrayEquals(model[f], Files.readAllBytes(mnt.resolve("f" + f)), "content of f" + f);
            }
        }
    }

    private static Set<String> holdersOf(GatewayClient gw, int files) {
        Set<String> out = new HashSet<>();
        for (int f = 0; f < files; f++) {
            for (JsonNode chunk : gw.get("/api/v1/where/f" + f).path("chunks")) {
                if (chunk.path("tier").asText().equals("dram")) {
                    out.add(chunk.path("node").asText());
                }
            }
        }
        return out;
    }

    private static long dramCapacity(GatewayClient gw) {
        return gw.get("/api/v1/status").path("tiers").get(0).path("capacityBytes").asLong();
    }

    private static long lent(GatewayClient gw, String node) {
        for (JsonNode n : gw.get("/api/v1/nodes")) {
            JsonNode mem = n.path("memory");
            if (mem.path("node").asText().equals(node)) {
                return mem.path("lentBytes").asLong();
            }
        }
        return -1;
    }

    /** Readers and writers on the mount, each checking what it reads against the model (one lock per file). */
    private static final class Workers {
        private final Path mnt;
        private final byte[][] model;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger ops = new AtomicInteger();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        Workers(Path mnt, byte[][] model) {
            this.mnt = mnt;
            this.model = model;
        }

        void start(int n) {
            for (int t = 0; t < n; t++) {
                Random rnd = new Random(1000 + t);
                Thread th = new Thread(() -> run(rnd), "lent-worker-" + t);
                threads.add(th);
                th.start();
            }
        }

        private void run(Random rnd) {
            while (!stop.get()) {
                int f = rnd.nextInt(model.length);
                int len = 1 + rnd.nextInt(256 * 1024);
                int off = rnd.nextInt(model[f].length - len);
                try {
                    synchronized (model[f]) {
                        try (FileChannel ch = FileChannel.open(mnt.resolve("f" + f), StandardOpenOption.READ,
                                StandardOpenOption.WRITE)) {
                            if (rnd.nextBoolean()) {
                                byte[] data = new byte[len];
                                rnd.nextBytes(data);
                                ch.write(ByteBuffer.wrap(data), off);
                                System.arraycopy(data, 0, model[f], off, len);
                            } else {
                                if (rnd.nextInt(4) == 0) {
                                    dropPageCache(); // reads must reach the chunks, wherever they are moving
                                }
                                ByteBuffer got = ByteBuffer.allocate(len);
                                while (got.hasRemaining() && ch.read(got, off + got.position()) > 0) {
                                    // read fully
                                }
                                if (!Arrays.equals(got.array(), Arrays.copyOfRange(model[f], off, off + len))) {
                                    failures.add("f" + f + " @" + off + "+" + len + ": content differs from the model");
                                }
                            }
                        }
                    }
                    ops.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    failures.add("f" + f + " @" + off + "+" + len + ": " + e);
                }
            }
        }

        int ops() {
            return ops.get();
        }

        void awaitOps(int n) throws Exception {
            Await.until(Duration.ofSeconds(120), n + " operations done", () -> ops.get() >= n || !failures.isEmpty());
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }

        List<String> failures() {
            return new ArrayList<>(failures);
        }
    }
}

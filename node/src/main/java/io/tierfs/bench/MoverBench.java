package io.tierfs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.tierfs.common.config.TierFsConfig;
import io.tierfs.common.config.TierKind;
import io.tierfs.common.config.TierSpec;
import io.tierfs.migration.LiveMover;
import io.tierfs.migration.TieredStorage;
import io.tierfs.migration.live.PrestageStatus;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.Policies;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.doc.Units;
import io.tierfs.migration.policy.plan.PrestageRequest;
import io.tierfs.tier.os.PageCacheAdvice;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code tierfs bench mover}: the live mover's throughput against a plain copy of the same bytes between the same
 * directories, in the same run: DRAM to SSD and SSD to HDD (files pinned to the next tier, so the policy mover
 * carries them with its crash-safe chunk moves: intent, copy, CRC32C, durable switch, free), and the time a
 * pre-stage of the same bytes from HDD to DRAM takes against reading those bytes raw (page cache dropped before
 * both). The engine runs in this process on a fresh directory ({@code --dir}, default /tmp) and /dev/shm; the floor
 * is 80 % of the plain copy.
 */
public final class MoverBench {
    public static final String USAGE = "bench mover [--size 2GiB] [--dir DIR] [--concurrency 4] [--json]";
    public static final double FLOOR = 0.80;
    private static final int FILE_BYTES = 64 << 20;
    private static final long CHUNK = 4L << 20;

    /** The policy's mover.concurrency for this run (set once, before the legs). */
    private static int concurrency = 4;

    private MoverBench() {
    }

    /** One leg: the mover's and the plain copy's seconds for the same bytes. */
    record Leg(String name, long bytes, double moverSeconds, double copySeconds) {
        double moverMBps() {
            return bytes / 1e6 / moverSeconds;
        }

        double copyMBps() {
            return bytes / 1e6 / copySeconds;
        }

        double ratio() {
            return copySeconds / moverSeconds;
        }
    }

    public static int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        long size = 2L << 30;
        Path dir = Path.of("/tmp");
        boolean json = false;
        int concurrency = 4;
        for (int i = 0; i < argv.size(); i++) {
            switch (argv.get(i)) {
                case "--size" -> size = Units.parseSize(value(argv, ++i, "--size"));
                case "--dir" -> dir = Path.of(value(argv, ++i, "--dir"));
                case "--json" -> json = true;
                case "--concurrency" -> concurrency = Integer.parseInt(value(argv, ++i, "--concurrency"));
                default -> throw new IllegalArgumentException("unknown option " + argv.get(i) + " (usage: tierfs "
                        + USAGE + ")");
            }
        }
        if (size < FILE_BYTES) {
            throw new IllegalArgumentException("--size must be at least " + (FILE_BYTES >> 20) + " MiB");
        }
        Path base = Files.createTempDirectory(dir, "tierfs-bench-mover-");
        Path shm = Path.of("/dev/shm", "tierfs-bench-mover-" + UUID.randomUUID());
        try {
            List<Leg> legs = new ArrayList<>();
            long[] prestage = measure(base, shm, size, concurrency, legs, err);
            report(size, legs, prestage, json, out);
            return legs.stream().allMatch(l -> l.ratio() >= FLOOR) ? 0 : 1;
        } finally {
            BenchFiles.deleteTree(base);
            BenchFiles.deleteTree(shm);
        }
    }

    private static String value(List<String> argv, int i, String key) {
        if (i >= argv.size()) {
            throw new IllegalArgumentException(key + " needs a value");
        }
        return argv.get(i);
    }

    /** Runs the three legs; returns {prestage millis, raw read millis, bytes}. */
    private static long[] measure(Path base, Path shm, long size, int concurrency, List<Leg> legs, PrintStream err) throws Exception {
        long files = size / FILE_BYTES;
        long bytes = files * FILE_BYTES;
        long cap = bytes * 2 + (256L << 20);
        List<TierSpec> tiers = List.of(
                new TierSpec("dram", TierKind.DRAM, shm.resolve("tier"), cap, 0.99, 0.98),
                new TierSpec("ssd", TierKind.SSD, base.resolve("ssd"), cap, 0.99, 0.98),
                new TierSpec("hdd", TierKind.HDD, base.resolve("hdd"), cap * 2, 0.99, 0.98));
        TierFsConfig cfg = new TierFsConfig(base.resolve("state"), CHUNK, Duration.ofHours(1), Duration.ofMillis(100),
                tiers, true, List.of(), ConfigFactory.empty());
        MoverBench.concurrency = concurrency;
        AtomicReference<Policy> policy = new AtomicReference<>(policy(""));
        try (TieredStorage store = TieredStorage.openWithPolicy(cfg, Clock.systemUTC(), "bench", policy::get,
                false)) {
            LiveMover mover = store.liveMover().orElseThrow();
            mover.facts(ino -> FileInfo.of(ino, "/bench/f" + ino, 0, 0));
            byte[] block = new byte[1 << 20];
            new Random(42).nextBytes(block);
            err.printf(Locale.ROOT, "writing %d MiB into DRAM...%n", bytes >> 20);
            for (long ino = 1; ino <= files; ino++) {
                for (long off = 0; off < FILE_BYTES; off += block.length) {
                    block[0] = (byte) off;
                    store.write(ino, off, ByteBuffer.wrap(block));
                }
            }
            // plain copy baselines on files of the same size in the same directories
            Path dramSrc = Files.createDirectories(shm.resolve("plain"));
            Path ssdDir = Files.createDirectories(base.resolve("ssd-plain"));
            Path hddDir = Files.createDirectories(base.resolve("hdd-plain"));
            writePlain(dramSrc.resolve("data"), bytes, block);

            err.println("DRAM -> SSD...");
            double mover1 = pinAll(store, policy, "ssd");
            double copy1 = copy(dramSrc.resolve("data"), ssdDir.resolve("data"));
            legs.add(new Leg("dram->ssd", bytes, mover1, copy1));
            Files.delete(dramSrc.resolve("data"));

            err.println("SSD -> HDD...");
            double mover2 = pinAll(store, policy, "hdd");
            double copy2 = copy(ssdDir.resolve("data"), hddDir.resolve("data"));
            legs.add(new Leg("ssd->hdd", bytes, mover2, copy2));
            Files.delete(ssdDir.resolve("data"));
            Files.delete(hddDir.resolve("data"));

            err.println("pre-stage HDD -> DRAM...");
            policy.set(policy(""));
            long raw = rawRead(base.resolve("hdd"));
            dropTree(base.resolve("hdd"));
            long t0 = System.nanoTime();
            mover.prestage(new PrestageRequest("bench", List.of("/bench/**"), "dram",
                    System.currentTimeMillis() + 3_600_000));
            PrestageStatus s;
            while (!(s = mover.prestageStatus("bench").orElseThrow()).finished()) {
                LockSupport.parkNanos(2_000_000); // polling the request's progress
            }
            long pre = (System.nanoTime() - t0) / 1_000_000;
            if (!s.state().equals("DONE")) {
                throw new IOException("pre-stage ended " + s.state() + ": " + s);
            }
            return new long[]{pre, raw, bytes};
        }
    }

    private static Policy policy(String rules) {
        return Policies.parse("""
                {"tiers": [{"name": "dram", "highWatermark": 0.99, "lowWatermark": 0.98},
                           {"name": "ssd", "highWatermark": 0.99, "lowWatermark": 0.98},
                           {"name": "hdd", "highWatermark": 0.99, "lowWatermark": 0.98}],
                 "mover": {"concurrency": %d}, "rules": [%s]}""".formatted(concurrency, rules));
    }

    /** Pins every file to {@code tier} and times one mover round until it is idle. */
    private static double pinAll(TieredStorage store, AtomicReference<Policy> policy, String tier) {
        policy.set(policy("{\"action\": {\"pin\": \"" + tier + "\"}}"));
        long t0 = System.nanoTime();
        store.runMoverOnce();
        if (!store.awaitIdle(Duration.ofHours(1))) {
            throw new IllegalStateException("mover not idle within an hour");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void writePlain(Path file, long bytes, byte[] block) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long off = 0; off < bytes; off += block.length) {
                ch.write(ByteBuffer.wrap(block));
            }
        }
    }

    /** The plain copy: Files.copy, then force the target (as the mover forces a durable target). */
    private static double copy(Path from, Path to) throws IOException {
        long t0 = System.nanoTime();
        Files.copy(from, to);
        try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Reads every chunk file under {@code dir} after dropping its cached pages; returns millis. */
    private static long rawRead(Path dir) throws IOException {
        dropTree(dir);
        List<Path> files = regularFiles(dir);
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long t0 = System.nanoTime();
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                while (ch.read(buf.clear()) > 0) {
                    // reading is the measurement
                }
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void dropTree(Path dir) throws IOException {
        for (Path f : regularFiles(dir)) {
            PageCacheAdvice.dontNeed(f);
        }
    }

    private static List<Path> regularFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void report(long size, List<Leg> legs, long[] prestage, boolean json, PrintStream out)
            throws IOException {
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            root.put("bytes", prestage[2]);
            root.put("floor", FLOOR);
            for (Leg l : legs) {
                ObjectNode n = root.putObject(l.name());
                n.put("moverMBps", round(l.moverMBps()));
                n.put("plainCopyMBps", round(l.copyMBps()));
                n.put("ratio", round(l.ratio()));
                n.put("pass", l.ratio() >= FLOOR);
            }
            ObjectNode p = root.putObject("prestage hdd->dram");
            p.put("millis", prestage[0]);
            p.put("rawReadMillis", prestage[1]);
            p.put("ratio", round((double) prestage[1] / Math.max(1, prestage[0])));
            out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return;
        }
        out.printf(Locale.ROOT, "mover benchmark, %d MiB, floor %.0f%% of a plain copy%n", prestage[2] >> 20,
                100 * FLOOR);
        out.printf(Locale.ROOT, "%-12s %12s %14s %8s%n", "LEG", "MOVER MB/s", "PLAIN COPY MB/s", "RATIO");
        for (Leg l : legs) {
            out.printf(Locale.ROOT, "%-12s %12.1f %14.1f %7.2f %s%n", l.name(), l.moverMBps(), l.copyMBps(), l.ratio(),
                    l.ratio() >= FLOOR ? "ok" : "BELOW FLOOR");
        }
        out.printf(Locale.ROOT, "pre-stage hdd->dram: %d ms; raw read of the same bytes: %d ms (ratio %.2f)%n",
                prestage[0], prestage[1], (double) prestage[1] / Math.max(1, prestage[0]));
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}

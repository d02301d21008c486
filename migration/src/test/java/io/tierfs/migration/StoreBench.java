package io.tierfs.migration;

import io.tierfs.common.config.TierFsConfig;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;

/**
 * Throughput harness (not a unit test): 1 GiB sequential write and read in 1 MiB calls through the store on the
 * DRAM tier vs a raw FileChannel on tmpfs, and the mover's DRAM->SSD and SSD->HDD throughput vs a plain copy.
 * Run: java -cp (test classpath) io.tierfs.migration.StoreBench [diskDir] [MiB]
 */
public final class StoreBench {
    public static void main(String[] args) throws Exception {
        Path disk = Path.of(args.length > 0 ? args[0] : "/tmp").resolve("tierfs-bench-" + UUID.randomUUID());
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        Path shm = Path.of("/dev/shm", "tierfs-bench-" + UUID.randomUUID());
        long total = (long) mib << 20;
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        new Random(1).nextBytes(buf.array());
        try {
            Files.createDirectories(shm);
            Files.createDirectories(disk);
            for (int round = 0; round < 2; round++) {
                System.out.println("--- round " + (round + 1));
                Path raw = shm.resolve("raw");
                long t0 = System.nanoTime();
                try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    for (long off = 0; off < total; off += buf.capacity()) {
                        buf.clear();
                        while (buf.hasRemaining()) {
                            ch.write(buf, off + buf.position());
                        }
                    }
                }
                report("raw FileChannel tmpfs write", total, t0);
                t0 = System.nanoTime();
                try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.READ)) {
                    for (long off = 0; off < total; off += buf.capacity()) {
                        buf.clear();
                        while (buf.hasRemaining()) {
                            ch.read(buf, off + buf.position());
                        }
                    }
                }
                report("raw FileChannel tmpfs read", total, t0);
                Path copy = disk.resolve("copy1");
                t0 = System.nanoTime();
                Files.copy(raw, copy, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                report("plain copy tmpfs->disk (+fsync)", total, t0);
                t0 = System.nanoTime();
                Files.copy(copy, disk.resolve("copy2"), StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel ch = FileChannel.open(disk.resolve("copy2"), StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                report("plain copy disk->disk (+fsync)", total, t0);
                Files.delete(raw);
                Files.delete(copy);
                Files.delete(disk.resolve("copy2"));

                for (Duration flush : new Duration[]{Duration.ofHours(1), Duration.ofSeconds(2)}) {
                    Path state = disk.resolve("state-" + round + "-" + flush.toSeconds());
                    TierFsConfig cfg = TestSupport.config(state, shm.resolve("dram-" + flush.toSeconds()), 4L << 20,
                            total * 2, total * 2, total * 2, flush, Duration.ofHours(1));
                    try (TieredStorage s = TieredStorage.open(cfg, Clock.systemUTC(), "bench", false)) {
                        String tag = flush.toSeconds() > 60 ? " (flusher idle)" : " (flush-interval 2s)";
                        t0 = System.nanoTime();
                        for (long off = 0; off < total; off += buf.capacity()) {
                            buf.clear();
                            s.write(1, off, buf);
                        }
                        report("DataStore write DRAM" + tag, total, t0);
                        t0 = System.nanoTime();
                        for (long off = 0; off < total; off += buf.capacity()) {
                            buf.clear();
                            s.read(1, off, buf);
                        }
                        report("DataStore read DRAM" + tag, total, t0);
                        if (flush.toSeconds() > 60) {
                            t0 = System.nanoTime();
                            s.demote(1, "ssd");
                            report("mover DRAM->SSD (dirty: copy+verify+fsync)", total, t0);
                            t0 = System.nanoTime();
                            s.demote(1, "hdd");
                            report("mover SSD->HDD (copy+verify+fsync)", total, t0);
                        }
                    }
                    TestSupport.deleteTree(state);
                    TestSupport.deleteTree(shm.resolve("dram-" + flush.toSeconds()));
                }
            }
        } finally {
            TestSupport.deleteTree(shm);
            TestSupport.deleteTree(disk);
        }
    }

    private static void report(String what, long bytes, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-48s %8.0f MB/s  (%.2f s)%n", what, bytes / 1e6 / s, s);
    }
}

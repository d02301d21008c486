package io.tierfs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data must not change while the mover moves it: writer threads write and verify new files and overwrite parts of
 * them, reader threads keep verifying older files, and {@code forceMigration()} runs in a loop all the while.
 * Checksums must be identical before, during and after. On a target without migration the same concurrent
 * workload still runs (readers and writers against each other).
 */
class MigrationConcurrencyTest {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationConcurrencyTest.class);
    private static final int KIB = 1024;
    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int FILES_PER_WRITER = 6;

    @Test
    void checksumsHoldWhileTheMoverRuns() throws Exception {
        long seed = Long.getLong("tierfs.it.seed", System.nanoTime());
        String ctx = "seed=" + seed;
        try (FsUnderTest fs = FsUnderTest.fromSystemProperty()) {
            ctx += " on " + fs.describe();
            Path base = Files.createDirectory(fs.root().resolve("migration"));
            Map<Path, Long> expected = new ConcurrentHashMap<>();
            Random rnd = new Random(seed);
            for (int i = 0; i < 8; i++) {
                Path f = base.resolve("old-" + i);
                byte[] data = TreeOps.content(rnd.nextLong(), 512 * KIB + rnd.nextInt(5 * 1024 * KIB));
                TreeOps.writeNio(f, data, true);
                expected.put(f, TreeOps.crc(data));
            }
            List<Path> old = new ArrayList<>(expected.keySet());
            verifyAll(expected, ctx + " before migration");

            AtomicBoolean writersDone = new AtomicBoolean();
            AtomicInteger migrations = new AtomicInteger();
            AtomicInteger readerRounds = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(1 + WRITERS + READERS);
            try {
                List<Future<?>> writers = new ArrayList<>();
                List<Future<?>> others = new ArrayList<>();
                final String c = ctx;
                others.add(pool.submit(() -> {
                    while (!writersDone.get() && fs.supportsMigration()) {
                        fs.forceMigration();
                        migrations.incrementAndGet();
                    }
                    return null;
                }));
                for (int w = 0; w < WRITERS; w++) {
                    long writerSeed = rnd.nextLong();
                    int id = w;
                    writers.add(pool.submit(() -> {
                        writeAndVerify(base, id, new Random(writerSeed), expected, c);
                        return null;
                    }));
                }
                for (int r = 0; r < READERS; r++) {
                    others.add(pool.submit(() -> {
                        do {
                            for (Path f : old) {
                                assertEquals(expected.get(f), TreeOps.crcOfFile(f), c + ": " + f + " during migration");
                            }
                            readerRounds.incrementAndGet();
                        } while (!writersDone.get());
                        return null;
                    }));
                }
                for (Future<?> f : writers) {
                    f.get(3, TimeUnit.MINUTES);
                }
                writersDone.set(true);
                for (Future<?> f : others) {
                    f.get(3, TimeUnit.MINUTES);
                }
            } finally {
                writersDone.set(true);
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES), "worker threads did not stop");
            }
            LOG.info("{}: {} migrations, {} reader rounds, {} files", ctx, migrations.get(), readerRounds.get(),
                    expected.size());
            assertEquals(8 + WRITERS * FILES_PER_WRITER, expected.size());
            assertTrue(readerRounds.get() >= READERS, "readers ran");
            if (fs.supportsMigration()) {
                assertTrue(migrations.get() > 0, ctx + ": the mover ran during the workload");
            }
            verifyAll(expected, ctx + " right after the workload");
            fs.forceMigration();
            verifyAll(expected, ctx + " after a last migration");
        }
    }

    /** One writer: new files in 256 KiB writes, fsync, verify, overwrite a random range, verify again. */
    private static void writeAndVerify(Path base, int id, Random rnd, Map<Path, Long> expected, String ctx)
            throws Exception {
        for (int i = 0; i < FILES_PER_WRITER; i++) {
            Path f = base.resolve("w" + id + "-" + i);
            byte[] data = TreeOps.content(rnd.nextLong(), 256 * KIB + rnd.nextInt(3 * 1024 * KIB));
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int off = 0; off < data.length; off += 256 * KIB) {
                    ByteBuffer buf = ByteBuffer.wrap(data, off, Math.min(256 * KIB, data.length - off));
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                }
                ch.force(true);
            }
            assertEquals(TreeOps.crc(data), TreeOps.crcOfFile(f), ctx + ": " + f + " right after writing");
            int at = rnd.nextInt(data.length);
            byte[] patch = TreeOps.content(rnd.nextLong(), 1 + rnd.nextInt(128 * KIB));
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(patch);
                while (buf.hasRemaining()) {
                    ch.write(buf, at + buf.position());
                }
                ch.force(true);
            }
            byte[] now = java.util.Arrays.copyOf(data, Math.max(data.length, at + patch.length));
            System.arraycopy(patch, 0, now, at, patch.length);
            assertEquals(TreeOps.crc(now), TreeOps.crcOfFile(f), ctx + ": " + f + " after an overwrite at " + at);
            expected.put(f, TreeOps.crc(now));
        }
    }

    private static void verifyAll(Map<Path, Long> expected, String ctx) throws Exception {
        for (Map.Entry<Path, Long> e : expected.entrySet()) {
            assertEquals(e.getValue(), TreeOps.crcOfFile(e.getKey()), ctx + ": " + e.getKey());
        }
    }
}

package io.tierfs.bench;

import io.tierfs.borrow.evacuate.Evacuation;
import io.tierfs.borrow.evacuate.EvacuationResult;
import io.tierfs.borrow.lent.LentSpace;
import io.tierfs.common.config.TierKind;
import io.tierfs.common.config.TierSpec;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.engine.TierEngine;
import io.tierfs.tier.net.ChunkClient;
import io.tierfs.tier.net.ChunkServer;
import io.tierfs.tier.net.DataPlaneSettings;
import io.tierfs.tier.net.DirectoryChunkRepository;
import io.tierfs.tier.net.QuotaGate;

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
import java.util.Random;
import java.util.UUID;

/**
 * {@code tierfs bench recall} (issue 5): how long a borrower takes to give back lent memory that is 0%, 50% and
 * 100% dirty, against the least any recall must spend: writing the dirty bytes to the SSD tier and forcing them.
 * Everything runs in one JVM without a cluster: the lender is a {@link DirectoryChunkRepository} on tmpfs behind a
 * {@link ChunkServer} on loopback; the borrower is a {@link TierEngine} whose DRAM tier is a {@link LentSpace} over
 * that one lender, above an SSD and an HDD directory, with no background flusher. Per fraction, SIZE bytes are
 * written through the engine (all land in lent memory), the files meant to be clean are fsynced (their chunks get a
 * durable copy on the SSD tier and stay lent as clean primaries), and then {@link Evacuation#run} empties the lender
 * (timed): clean chunks are dropped, dirty ones moved down crash-safely. The bound is a plain FileChannel write +
 * force of the dirty bytes into fresh files in the SSD directory, in the same run (once before, once after the
 * recall; the lower counts).
 */
public final class RecallBench {
    public static final String USAGE = "bench recall [--size 1g] [--chunk 4m] [--dir TMPDIR] [--lender-dir /dev/shm] "
            + "[--movers 4] [--json]";
    static final int[] DIRTY_PERCENTS = {0, 50, 100};
    private static final String OWNER = "borrower";
    private static final String LENDER = "lender";
    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final long FIRST_INO = 1000;

    private RecallBench() {
    }

    public static int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        RecallBenchOptions o = RecallBenchOptions.parse(argv);
        RecallBenchReport r = run(o, err);
        out.println(o.json() ? r.toJson() : r.toTable());
        return 0;
    }

    /** Runs the three fractions on fresh directories under {@code o.dir()} and {@code o.lenderDir()}, removed after. */
    public static RecallBenchReport run(RecallBenchOptions o, PrintStream progress) throws Exception {
        String id = UUID.randomUUID().toString();
        Path base = o.dir().resolve("tierfs-bench-recall-" + id);
        Path lenderRoot = o.lenderDir().resolve("tierfs-bench-recall-lender-" + id);
        String loadBefore = loadAverage();
        List<RecallBenchReport.Row> rows = new ArrayList<>();
        try {
            DirectoryChunkRepository repo = new DirectoryChunkRepository(lenderRoot, QuotaGate.UNLIMITED);
            try (ChunkServer server = new ChunkServer(repo, "127.0.0.1", 0);
                 ChunkClient client = new ChunkClient(DataPlaneSettings.defaults())) {
                Lender lender = new Lender(repo, server, client);
                for (int pct : DIRTY_PERCENTS) {
                    rows.add(fraction(o, pct, base.resolve("dirty-" + pct), lender, progress));
                }
            }
            return new RecallBenchReport(o, base.resolve("dirty-N").resolve("ssd"), loadBefore, loadAverage(), rows);
        } finally {
            BenchFiles.deleteTree(base);
            BenchFiles.deleteTree(lenderRoot);
        }
    }

    /** The lender's side: its chunk directory, the server in front of it, and the borrower's client. */
    private record Lender(DirectoryChunkRepository repo, ChunkServer server, ChunkClient client) {
    }

    private static RecallBenchReport.Row fraction(RecallBenchOptions o, int pct, Path dir, Lender lender,
                                                  PrintStream progress) throws Exception {
        int files = o.fileCount();
        int dirtyFiles = files * pct / 100;
        long dirtyBytes = dirtyFiles * o.fileBytes();
        Path ssd = dir.resolve("ssd");
        Files.createDirectories(ssd);
        try {
            progress.printf("%d%% dirty: writing %d MiB into lent memory (%d files, %d dirty)...%n", pct,
                    o.sizeBytes() >> 20, files, dirtyFiles);
            double boundBefore = dirtyBytes == 0 ? 0 : bound(o, ssd.resolve("bound-before"), dirtyBytes);
            long lease = o.sizeBytes() + 8L * o.chunkBytes();
            LentSpace space = new LentSpace(OWNER, lease, lender.client(), 0);
            space.leaseGranted(LENDER, lender.server().address(), lease);
            List<TierSpec> tiers = List.of(
                    new TierSpec("dram", TierKind.DRAM, dir.resolve("dram"), lease, 1.0, 0.9),
                    new TierSpec("ssd", TierKind.SSD, ssd.resolve("tier"), 4 * o.sizeBytes(), 1.0, 0.9),
                    new TierSpec("hdd", TierKind.HDD, dir.resolve("hdd"), 4 * o.sizeBytes(), 1.0, 0.9));
            Clock clock = Clock.systemUTC();
            EvacuationResult r;
            double recall;
            try (AutoCloseableEngine ae = new AutoCloseableEngine(new TierEngine(tiers, dir.resolve("layout"),
                    o.chunkBytes(), null, clock, OWNER, s -> s.kind() == TierKind.DRAM ? space
                    : TierEngine.localSpace(s)))) {
                TierEngine engine = ae.engine();
                writeFiles(o, engine);
                checkAllLent(o, engine, lender.repo());
                for (int f = dirtyFiles; f < files; f++) {
                    engine.fsync(FIRST_INO + f);
                }
                progress.printf("%d%% dirty: recalling...%n", pct);
                long t0 = System.nanoTime();
                r = new Evacuation(engine, space, 0, clock, o.movers()).run(LENDER, clock.instant().plus(DEADLINE));
                recall = (System.nanoTime() - t0) / 1e9;
                if (!r.complete()) {
                    throw new IllegalStateException("recall incomplete: " + r.summary());
                }
                long left = lender.repo().usedBytes(OWNER);
                if (left != 0) {
                    throw new IllegalStateException("after the recall the lender still holds " + left + " bytes");
                }
                if (r.flushedBytes() != dirtyBytes || r.droppedCleanBytes() != o.sizeBytes() - dirtyBytes) {
                    throw new IllegalStateException("recall flushed " + r.flushedBytes() + " and dropped "
                            + r.droppedCleanBytes() + " bytes, expected " + dirtyBytes + " and "
                            + (o.sizeBytes() - dirtyBytes) + ": " + r.summary());
                }
            }
            double boundAfter = dirtyBytes == 0 ? 0 : bound(o, ssd.resolve("bound-after"), dirtyBytes);
            double bound = dirtyBytes == 0 ? 0 : Math.min(boundBefore, boundAfter);
            progress.printf("%d%% dirty: recall %.3f s, bound %.3f s (before %.3f, after %.3f)%n", pct, recall, bound,
                    boundBefore, boundAfter);
            return new RecallBenchReport.Row(pct, o.sizeBytes(), dirtyBytes, recall, bound, r.chunks(),
                    r.droppedCleanBytes(), r.flushedBytes());
        } finally {
            BenchFiles.deleteTree(dir);
        }
    }

    /** Closes the engine at the end of a fraction. */
    private record AutoCloseableEngine(TierEngine engine) implements AutoCloseable {
        @Override
        public void close() {
            engine.close();
        }
    }

    /** Writes the workload's files through the engine, one chunk per call; every chunk's content differs. */
    private static void writeFiles(RecallBenchOptions o, TierEngine engine) {
        ByteBuffer buf = filledBuffer(o.chunkBytes(), 1);
        for (int f = 0; f < o.fileCount(); f++) {
            for (long pos = 0; pos < o.fileBytes(); pos += o.chunkBytes()) {
                buf.clear();
                buf.putLong(0, ((long) f << 40) ^ pos);
                engine.write(FIRST_INO + f, pos, buf);
            }
        }
    }

    /** Checks that every chunk landed in lent memory (else the recall would have less to do than it claims). */
    private static void checkAllLent(RecallBenchOptions o, TierEngine engine, DirectoryChunkRepository repo) {
        for (int f = 0; f < o.fileCount(); f++) {
            for (ChunkPlacement p : engine.where(FIRST_INO + f)) {
                if (!p.tier().equals("dram")) {
                    throw new IllegalStateException("chunk " + (FIRST_INO + f) + "#" + p.index() + " landed on tier "
                            + p.tier() + ", not in lent memory");
                }
            }
        }
        if (repo.usedBytes(OWNER) != o.sizeBytes()) {
            throw new IllegalStateException("the lender holds " + repo.usedBytes(OWNER) + " bytes, expected "
                    + o.sizeBytes());
        }
    }

    /**
     * Seconds to write {@code bytes} into fresh files of the workload's file size under {@code dir} with plain
     * FileChannel writes of one chunk each, and force every file: the least a recall of that many dirty bytes does.
     */
    static double bound(RecallBenchOptions o, Path dir, long bytes) throws IOException {
        Files.createDirectories(dir);
        ByteBuffer buf = filledBuffer(o.chunkBytes(), 2);
        try {
            long t0 = System.nanoTime();
            for (int f = 0; (long) f * o.fileBytes() < bytes; f++) {
                try (FileChannel ch = FileChannel.open(dir.resolve("f" + f), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    for (long pos = 0; pos < o.fileBytes(); pos += o.chunkBytes()) {
                        buf.clear();
                        buf.putLong(0, ((long) f << 40) ^ pos);
                        while (buf.hasRemaining()) {
                            ch.write(buf, pos + buf.position());
                        }
                    }
                    ch.force(false);
                }
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            BenchFiles.deleteTree(dir);
        }
    }

    private static ByteBuffer filledBuffer(int bytes, long seed) {
        byte[] fill = new byte[bytes];
        new Random(seed).nextBytes(fill);
        return ByteBuffer.allocateDirect(bytes).put(fill).clear();
    }

    /** The 1, 5 and 15 minute load averages, or "?" where /proc is not there. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
